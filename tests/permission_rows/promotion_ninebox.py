"""Permission-matrix rows of the 9-box (九宫格), pages and API; see tests/test_permission_matrix.py.
The world gets, per variant's unit, a cadre to act on (``nb_cadre``, young enough for the pool
``nb_pool`` whose only criterion is an age) and a post with a free place (``nb_post``). Reading the
grid is everyone's with a role (unit leaders see their subtree's cadres only: the grid is built from
the gate's rows); the export follows ``export``; the cut-offs and the two actions from a box are org
staff's (gate action ``reserve``: the ``discipline`` kinds, 403 for everyone else before any lookup)."""
import datetime as dt

from promotion.models import NineBoxSettings, PoolEntry, ReservePool, Selection, SelectionCandidate

from . import Ok, exists, pk

GLOBAL = ("nb_pool",)
POOL_NAME = "九宫格测试库"


def world(variant, o, by):
    from promotion.models import Industry, PoolCategory
    from promotion.services import pools
    from tests.factories import CadreFactory, PostFactory

    pool = ReservePool.objects.filter(name=POOL_NAME).first() or pools.pool_save(
        by=by, fields={"name": POOL_NAME, "industry": Industry.objects.order_by("id").first(),
                       "category": PoolCategory.objects.order_by("id").first()},
        criteria=[{"kind": "age", "params": {"max": 60}}])
    return {"nb_pool": pool,
            "nb_cadre": CadreFactory(unit=o["unit"], name=f"九宫格{variant}", birth_date=dt.date(1990, 1, 1)),
            "nb_post": PostFactory(unit=o["unit"], name=f"九宫格空岗{variant}", quota=2)}


CUTS = {"performance_low": "65", "performance_high": "88", "potential_low": "60", "potential_high": "80"}


def _cuts_are(o, r):
    row = NineBoxSettings.objects.get(pk=1)
    return (str(row.performance_low), str(row.potential_high)) == ("65.00", "80.00")


PAGES = [
    ("promotion:ninebox", None, "get", "view"),
    ("promotion:ninebox_export", None, "get", "view"),
    ("promotion:ninebox_settings", None, "get", "discipline"),
    ("promotion:ninebox_settings", None, "post", "discipline", Ok(data=CUTS, effect=_cuts_are)),
    ("promotion:ninebox_nominate", "nb_cadre", "get", "discipline"),
    ("promotion:ninebox_nominate", "nb_cadre", "post", "discipline", Ok(
        data=lambda o: {"pool": o["nb_pool"].pk, "note": "九宫格提名"},
        effect=exists(PoolEntry, cadre=pk("nb_cadre"), pool=pk("nb_pool")))),
    ("promotion:ninebox_put_forward", "nb_cadre", "get", "discipline"),
    ("promotion:ninebox_put_forward", "nb_cadre", "post", "discipline", Ok(
        data=lambda o: {"post": o["nb_post"].pk, "title": "九宫格推荐"},
        effect=lambda o, r: SelectionCandidate.objects.filter(
            cadre=o["nb_cadre"], selection__in=Selection.objects.filter(title="九宫格推荐")).exists())),
]

API = [
    ("ninebox-list", None, "get", "api_list"),
    ("ninebox-settings-list", None, "get", "api_list"),
    ("ninebox-settings-list", None, "put", "api_discipline", Ok(
        data={k: float(v) for k, v in CUTS.items()}, effect=_cuts_are)),
]

OWN, OTHER = ("own", "unit"), ("other", "unit")
FILTERS = [
    ("promotion:ninebox", None, "unit", OWN, OTHER),
    ("promotion:ninebox_export", None, "unit", OWN, OTHER),
    ("ninebox-list", None, "unit", OWN, OTHER),
]
