"""A small assessment: township deputies of the two counties (tier 乡镇(街道)副职, category
县(市、区) through their county), a published scheme with three rater-scored indicators (the
political one is the veto) and one derived from 实绩 points, and an annual period with three rater
groups (上级 40, 同级 30, 下级和服务对象 30)."""
import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from assessment import services as asvc
from assessment.models import AssessmentPeriod, Category, IndicatorScheme, PeriodKind, Tier
from cadres import services as csvc
from cadres.models import Cadre, Unit
from pingdingshan.core.models import Role
from tests.conftest import make_tree, rolled_back
from tests.factories import CadreFactory, PostFactory, user_with_role

INDICATORS = [
    {"dimension": "political", "name": "政治品质", "weight": "20", "method": "rater", "is_veto": True,
     "veto_threshold": "60"},
    {"dimension": "business", "name": "履职成效", "weight": "40", "method": "rater"},
    {"dimension": "practice", "name": "担当作为", "weight": "20", "method": "rater"},
    {"dimension": "practice", "name": "实绩积分", "weight": "20", "method": "archive_points",
     "params": {"full_points": "30"}},
]


@pytest.fixture
def tier():
    return Tier.objects.get(name="乡镇(街道)副职")


@pytest.fixture
def category():
    return Category.objects.get(name="县(市、区)")


# --------------------------------------------------------------------------- a world built once per module
# A module whose tests all start from the same world marks itself
# ``pytestmark = pytest.mark.usefixtures("_computed_world")`` (results_world.py: the period scored and
# computed) or ``usefixtures("_open_world")`` (the period below, open, nobody scored): the world is built
# once for the module (tests/conftest.py ``rolled_back``) and the fixtures below hand each test fresh
# copies of its objects (what a test changes, scores, an override, a publication, is undone with its
# savepoint; nothing cached on an object carries over). Without the mark they build their objects for
# each test as before. Only for modules where every test uses the world: it is there for all of them.
@pytest.fixture(scope="module")
def _computed_world(django_db_setup, django_db_blocker):
    from .results_world import build_computed_world

    with rolled_back(django_db_blocker, build_computed_world) as pks:
        yield pks


@pytest.fixture(scope="module")
def _open_world(django_db_setup, django_db_blocker):
    from .results_world import build_open_world

    with rolled_back(django_db_blocker, build_open_world) as pks:
        yield pks


def _world(request):
    for name in ("_computed_world", "_open_world"):
        if name in request.fixturenames:
            return request.getfixturevalue(name)
    return None


@pytest.fixture
def tree(request, db):
    w = _world(request)
    if w is None:
        return make_tree()
    units = Unit.objects.in_bulk(w["units"].values())
    return type("Tree", (), {k: units[pk] for k, pk in w["units"].items()})


def _user(request, key, make):
    w = _world(request)
    return make() if w is None else get_user_model().objects.get(pk=w[key])


@pytest.fixture
def org_staff(request, db):
    return _user(request, "org_staff", lambda: user_with_role(Role.ORG_STAFF, username="orgstaff"))


@pytest.fixture
def auditor(request, db):
    return _user(request, "auditor", lambda: user_with_role(Role.AUDITOR, username="auditor"))


@pytest.fixture
def leader(request, tree):
    """Unit leader of 宝丰县 (and so of 城关镇 below it)."""
    return _user(request, "leader", lambda: user_with_role(Role.UNIT_LEADER, tree.county_a, username="leader"))


@pytest.fixture
def scheme(request, org_staff, tier, category):
    w = _world(request)
    if w is not None:
        return IndicatorScheme.objects.get(pk=w["scheme"])
    s = asvc.scheme_create(by=org_staff, tier=tier, category=category, year=2026, indicators=INDICATORS)
    return asvc.scheme_publish(by=org_staff, scheme=s)


def make_deputies(by, unit, names, start=dt.date(2024, 1, 1)):
    post = PostFactory(unit=unit, name=f"副镇长{unit.pk}", quota=20, level=1, kind="deputy")
    out = []
    for name in names:
        c = CadreFactory(unit=unit, name=name)
        csvc.appointment_create(by=by, cadre=c, post=post, start_date=start)
        c.refresh_from_db()
        out.append(c)
    return out


@pytest.fixture
def deputies(request, tree, org_staff):
    w = _world(request)
    if w is not None:
        cadres = Cadre.objects.in_bulk(w["deputies"])
        return [cadres[pk] for pk in w["deputies"]]
    return (make_deputies(org_staff, tree.town_a, ["甲一", "甲二", "甲三"])
            + make_deputies(org_staff, tree.town_b, ["乙一", "乙二"]))


def rater_groups(by, period, scheme, tier):
    """The period's scheme and three rater groups, everyone enrolled, scoring open."""
    asvc.period_set_schemes(by=by, period=period, schemes=[scheme])
    asvc.rater_groups_save(by=by, period=period, groups=[
        {"name": "上级", "weights": {tier.pk: 40}},
        {"name": "同级", "weights": {tier.pk: 30}},
        {"name": "下级和服务对象", "weights": {tier.pk: 30}},
    ])
    asvc.period_enrol(by=by, period=period)
    asvc.period_open(by=by, period=period)
    period.refresh_from_db()


@pytest.fixture
def period(request, org_staff, scheme, tier, deputies):
    w = _world(request)
    if w is not None:
        return AssessmentPeriod.objects.get(pk=w["period"])
    p = asvc.period_save(by=org_staff, name="2026年度考核", kind=PeriodKind.ANNUAL, year=2026,
                         start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 12, 31))
    rater_groups(org_staff, p, scheme, tier)
    return p


@pytest.fixture
def computed(request, org_staff, period, deputies):
    """The results of tests/assessment/results_world.py: {cadre name: result}."""
    from .results_world import score_and_compute

    if "_computed_world" in request.fixturenames:
        return {r.cadre.name: r for r in period.results.select_related("cadre", "unit")}
    return score_and_compute(org_staff, period, deputies)


def give(by, period, group_name, cadre, scores):
    """scores: {indicator name: value} for one cadre from one group."""
    group = period.rater_groups.get(name=group_name)
    result = period.results.get(cadre=cadre)
    inds = {i.name: i.pk for i in result.scheme.indicators.all()}
    return asvc.scores_save(by=by, period=period, rater_group=group,
                            entries=[(result.pk, inds[n], v) for n, v in scores.items()])


def all_raters(by, period, cadre, political, business, practice, groups=("上级", "同级", "下级和服务对象")):
    for g in groups:
        give(by, period, g, cadre, {"政治品质": political, "履职成效": business, "担当作为": practice})


D = Decimal
