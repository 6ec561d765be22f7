"""Permission-matrix rows of the performance archive API (records, their workflow actions, evidence,
task categories, notifications); see tests/test_permission_matrix.py.

``record-withdraw`` runs on both records. On the fixture's submitted record (submitted by org staff)
``api_withdraw_obj``: org staff withdraw it, the unit leader of its unit is refused with 403 "only
the submitter may withdraw", other units' leaders get 404, auditors 403 (and the matrix checks that
only org staff's request changed it). On the draft every allowed role gets the illegal-transition
400, out-of-scope leaders 404 and auditors 403."""
API = [
    ("record-list", None, "get", "api_list"),
    ("record-list", None, "post", "api_create"),
    ("record-detail", "record", "get", "api_obj"),
    ("record-detail", "draft_record", "get", "api_obj"),
    ("record-detail", "draft_record", "patch", "api_write_obj"),
    ("record-detail", "draft_record", "delete", "api_write_obj"),
    ("record-submit", "draft_record", "post", "api_write_obj"),
    ("record-withdraw", "draft_record", "post", "api_write_obj"),
    ("record-withdraw", "record", "post", "api_withdraw_obj"),
    ("record-amend", "record", "post", "api_write_obj"),
    ("record-verify", "record", "post", "api_verify_obj"),
    ("record-return", "record", "post", "api_verify_obj"),
    ("record-bulk-verify", None, "post", "api_verify_obj"),
    ("record-evidence", "draft_record", "get", "api_obj"),
    ("record-evidence", "draft_record", "post", "api_write_obj"),
    ("evidence-detail", "evidence", "get", "api_obj"),
    ("evidence-detail", "evidence", "delete", "api_write_obj"),
    ("evidence-download", "evidence", "get", "api_obj"),
    ("task-category-list", None, "get", "api_list"),
    ("task-category-detail", "category", "get", "api_ref"),
    ("notification-list", None, "get", "api_own"),
    ("notification-read-all", None, "post", "api_own"),
]
