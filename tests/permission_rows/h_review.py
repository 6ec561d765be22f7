"""Permission-matrix rows of the review pages (queue, bulk verify, one record's verify / return),
the categories and points rules, and the notifications; see tests/test_permission_matrix.py.

``own`` / ``own_obj`` are the user's own things (notifications): every signed-in user reaches
their own (``own``, also without a role, as the API's ``api_own``); the matrix's notification
belongs to org staff, so everyone else gets 404 (``own_obj``)."""
PAGES = [
    ("cadres:review_queue", None, "get", "verify"),
    ("cadres:review_export", None, "get", "verify"),
    ("cadres:review_bulk_verify", None, "post", "verify"),
    ("cadres:record_review", "record", "get", "verify_obj"),
    ("cadres:record_review", "draft_record", "get", "verify_obj"),
    ("cadres:record_verify", "record", "post", "verify_obj"),
    ("cadres:record_verify", "draft_record", "post", "verify_obj"),
    ("cadres:record_return", "record", "post", "verify_obj"),
    ("cadres:category_list", None, "get", "audit"),
    ("cadres:category_create", None, "get", "verify"),
    ("cadres:category_create", None, "post", "verify"),
    ("cadres:category_edit", "category", "get", "verify_obj"),
    ("cadres:category_edit", "category", "post", "verify_obj"),
    ("core:notifications", None, "get", "own"),
    ("core:notifications_read_all", None, "post", "own"),
    ("core:notification_open", "notification", "get", "own_obj"),
]
