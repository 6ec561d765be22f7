"""Permission-matrix rows of the performance archive pages (record list, form, detail, workflow
buttons, evidence); see tests/test_permission_matrix.py."""
PAGES = [
    ("cadres:record_list", None, "get", "view"),
    ("cadres:record_export", None, "get", "view"),
    ("cadres:record_create", None, "get", "create"),
    ("cadres:record_cadre_search", None, "get", "create"),
    ("cadres:record_detail", "record", "get", "view_obj"),
    ("cadres:record_detail", "draft_record", "get", "view_obj"),
    ("cadres:record_edit", "draft_record", "get", "write_obj"),
    ("cadres:record_submit", "draft_record", "post", "write_obj"),
    ("cadres:record_withdraw", "record", "post", "write_obj"),
    ("cadres:record_delete", "draft_record", "post", "write_obj"),
    ("cadres:record_amend", "record", "post", "write_obj"),
    ("cadres:evidence_upload", "draft_record", "post", "write_obj"),
    ("cadres:evidence_download", "evidence", "get", "view_obj"),
    ("cadres:evidence_preview", "evidence", "get", "view_obj"),
    ("cadres:evidence_delete", "evidence", "post", "write_obj"),
]
