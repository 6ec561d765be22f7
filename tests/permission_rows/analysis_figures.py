"""Permission-matrix rows of the city analysis pages (大数据研判, issue 14; see
tests/test_permission_matrix.py): every page and its export is everyone's with a role (the gate
counts each user's scope: unit leaders their subtree, org staff and auditors all); anonymous users go
to the login page and users without a role get 403. A unit outside a unit leader's scope in the unit
filter answers like a missing one (400, the form's error)."""
from analysis.services.figures import PAGES as FIGURE_PAGES

PAGES = [row for slug in FIGURE_PAGES for row in (
    (f"analysis:{slug}", None, "get", "view"),
    (f"analysis:{slug}_export", None, "get", "view"),
)]

OWN, OTHER = ("own", "unit"), ("other", "unit")
FILTERS = [(f"analysis:{slug}", None, "unit", OWN, OTHER) for slug in FIGURE_PAGES]

API = [(f"analysis-figures-{slug}", None, "get", "api_list") for slug in FIGURE_PAGES]
FILTERS += [(f"analysis-figures-{slug}", None, "unit", OWN, OTHER) for slug in FIGURE_PAGES]
