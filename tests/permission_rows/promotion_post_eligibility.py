"""Permission-matrix rows of the eligibility against a target post and its settings (issue 13):
reading is everyone's in scope (a cadre outside a unit leader's units: 404), changing the
thresholds org staff's (gate action ``reserve``)."""
from promotion.models import SelectionRules

from . import Ok


def _training_hours(n):
    return lambda o, r: SelectionRules.current().training_hours == n


def _check(o):
    return {"cadre": o["cadre"].pk, "post": o["post"].pk}


PAGES = [
    ("promotion:post_eligibility", None, "get", "view"),
    ("promotion:selection_rules", None, "get", "view"),
    ("promotion:selection_rules", None, "post", "discipline", Ok(
        form=True, data={"training_hours": 77}, effect=_training_hours(77))),
]
API = [
    ("post-eligibility-list", None, "get", "api_list", Ok(query=_check)),
    ("selection-rules-list", None, "get", "api_list"),
    ("selection-rules-list", None, "put", "api_discipline", Ok(data={"training_hours": 66},
                                                              effect=_training_hours(66))),
]
