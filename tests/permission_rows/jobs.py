"""Permission-matrix rows of background jobs (pingdingshan.core.jobs); see tests/test_permission_matrix.py.
Every signed-in user lists their own jobs; a job (org staff's, in the matrix) and its file answer
404 to anybody else, org staff included."""
PAGES = [
    ("core:job_list", None, "get", "own"),
    ("core:job_detail", "job", "get", "own_obj"),
    ("core:job_file", "job", "get", "own_obj"),
]
API = [
    ("job-list", None, "get", "api_own"),
    ("job-detail", "job", "get", "api_own_obj"),
]
