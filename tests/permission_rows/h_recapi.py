"""Permission-matrix rows of the performance archive API (records, their workflow actions, evidence,
task categories, notifications); see tests/test_permission_matrix.py.

``record-withdraw`` runs on the draft record: on the fixture's submitted record (submitted by org
staff) a unit leader is refused with 403 "only the submitter may withdraw", which no kind expresses;
that refusal is tested in tests/cadres/test_records_api.py. On the draft every allowed role gets the
illegal-transition 400, out-of-scope leaders 404 and auditors 403."""
API = [
    ("record-list", None, "get", "api_list"),
    ("record-list", None, "post", "api_create"),
    ("record-detail", "record", "get", "api_obj"),
    ("record-detail", "draft_record", "get", "api_obj"),
    ("record-detail", "draft_record", "patch", "api_write_obj"),
    ("record-detail", "draft_record", "delete", "api_write_obj"),
    ("record-submit", "draft_record", "post", "api_write_obj"),
    ("record-withdraw", "draft_record", "post", "api_write_obj"),
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
