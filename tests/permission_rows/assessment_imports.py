"""Permission-matrix rows of the score import (org staff only); see tests/test_permission_matrix.py.
Without ``rater_group``/``scheme`` (or ``report``) the downloads send org staff back to the form
(302); tests/assessment/test_score_import.py covers the files themselves."""
PAGES = [
    ("assessment:score_import", "period", "get", "assess"),
    ("assessment:score_import", "period", "post", "assess"),
    ("assessment:score_import_template", "period", "get", "assess"),
    ("assessment:score_import_errors", "period", "get", "assess"),
]
