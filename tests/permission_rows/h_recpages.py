"""Permission-matrix rows of the performance archive pages (record list, form, detail, workflow
buttons, evidence); see tests/test_permission_matrix.py. ``withdraw_obj``: the record org staff
submitted goes back to draft for them only; its unit's leader (not the submitter) is sent back to the
record's page with the refusal (302, the record unchanged), other units' leaders get 404."""
PAGES = [
    ("cadres:record_list", None, "get", "view"),
    ("cadres:record_export", None, "get", "view"),
    ("cadres:record_create", None, "get", "create"),
    ("cadres:record_cadre_search", None, "get", "create"),
    ("cadres:record_detail", "record", "get", "view_obj"),
    ("cadres:record_detail", "draft_record", "get", "view_obj"),
    ("cadres:record_edit", "draft_record", "get", "write_obj"),
    ("cadres:record_submit", "draft_record", "post", "write_obj"),
    ("cadres:record_withdraw", "record", "post", "withdraw_obj"),
    ("cadres:record_delete", "draft_record", "post", "write_obj"),
    ("cadres:record_amend", "record", "post", "write_obj"),
    ("cadres:evidence_upload", "draft_record", "post", "write_obj"),
    ("cadres:evidence_download", "evidence", "get", "view_obj"),
    ("cadres:evidence_preview", "evidence", "get", "view_obj"),
    ("cadres:evidence_delete", "evidence", "post", "write_obj"),
]
