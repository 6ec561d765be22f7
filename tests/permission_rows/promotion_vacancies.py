"""Permission-matrix rows of the vacancies and their candidates (空缺岗位与人选, issue 13), pages and API;
see tests/test_permission_matrix.py. Reading is everyone's in scope (a post outside a unit leader's
units: 404); starting a selection record from a vacancy is org staff's (gate action ``reserve``: the
``discipline`` kinds, 403 for everyone else before any lookup)."""
from promotion.models import Selection

from . import Ok, exists

TITLE = "空缺岗位发起的纪实"

PAGES = [
    ("promotion:vacancy_list", None, "get", "view"),
    ("promotion:vacancy_export", None, "get", "view"),
    ("promotion:vacancy_candidates", "post", "get", "view_obj"),
    ("promotion:vacancy_start_selection", "post", "post", "discipline", Ok(
        data=lambda o: {"cadres": [o["spare_cadre"].pk], "title": TITLE, "kind": "individual"},
        effect=exists(Selection, title=TITLE))),
]

API = [
    ("vacancy-list", None, "get", "api_list"),
    ("vacancy-candidates", "post", "get", "api_obj"),
    ("vacancy-start-selection", "post", "post", "api_discipline", Ok(
        status=201, data=lambda o: {"cadres": [o["spare_cadre"].pk], "title": TITLE},
        effect=exists(Selection, title=TITLE))),
]

OWN, OTHER = ("own", "unit"), ("other", "unit")
FILTERS = [
    ("promotion:vacancy_list", None, "unit", OWN, OTHER),
    ("promotion:vacancy_export", None, "unit", OWN, OTHER),
    ("vacancy-list", None, "unit", OWN, OTHER),
]
