"""Permission-matrix rows of the leadership team analysis (班子研判, issue 14), pages and API; see
tests/test_permission_matrix.py. Reading the teams is everyone's with a role, in scope (a unit outside
a unit leader's subtree: 404); the rules and targets are read by everyone with a role and changed by
org staff only (gate action ``assess``: the ``discipline`` kinds, 403 for everyone else)."""
from analysis.models import DEFAULTS, TeamRules

from . import Ok


def _form(share):
    data = {k: v for k, v in DEFAULTS.items() if v is not False}
    data["young_share"] = share
    return data


def _share_is(value):
    return lambda o, r: str(TeamRules.objects.get(pk=1).young_share) == value


PAGES = [
    ("analysis:team_list", None, "get", "view"),
    ("analysis:team_export", None, "get", "view"),
    ("analysis:team_detail", "unit", "get", "view_obj"),
    ("analysis:team_rules", None, "get", "view"),
    ("analysis:team_rules", None, "post", "discipline", Ok(data=_form("17"), effect=_share_is("17.00"))),
]

API = [
    ("team-list", None, "get", "api_list"),
    ("team-detail", "unit", "get", "api_obj"),
    ("team-rules-list", None, "get", "api_list"),
    ("team-rules-list", None, "put", "api_discipline", Ok(
        data={**{k: (str(v) if not isinstance(v, bool) else v) for k, v in DEFAULTS.items()}, "young_share": "18"},
        effect=_share_is("18.00"))),
]

OWN, OTHER = ("own", "unit"), ("other", "unit")
FILTERS = [
    ("analysis:team_list", None, "unit", OWN, OTHER),
    ("team-list", None, "unit", OWN, OTHER),
]
