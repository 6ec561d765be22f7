"""Permission-matrix rows of the record import (template, upload, progress, error report); see
tests/test_permission_matrix.py. Without ``?job=`` the progress and report pages send the user to
the upload page (302); a job of another user answers 404 (tests/cadres/test_import.py)."""
PAGES = [
    ("cadres:record_import", None, "get", "create"),
    ("cadres:record_import", None, "post", "create"),  # no file: the form again with its error (200)
    ("cadres:record_import_template", None, "get", "create"),
    ("cadres:record_import_status", None, "get", "create"),
    ("cadres:record_import_errors", None, "get", "create"),
]
