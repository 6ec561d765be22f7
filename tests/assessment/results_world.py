"""A computed period for the results tests: the five deputies of tests/assessment/conftest.py with
full 实绩 points (composite = 0.8 × rater score + 20):

    乙一 96 (rank 1, 优秀) · 甲一 94.4 (2, 称职: beyond the 优秀 cap of 1) · 甲二 92 (3, 称职: cap)
    · 甲三 84 (4, 称职; rated by 上级 and 同级 only) · 乙二 72 (5, 称职)

甲* sit in 城关镇 (the unit leader's county), 乙* in 昆阳街道."""
import datetime as dt
from decimal import Decimal

from assessment import services as asvc
from assessment.models import Category, PeriodKind, Tier
from cadres.models import PerformanceRecord, RecordStatus, TaskCategory

from .conftest import all_raters

SCORES = {"乙一": 95, "甲一": 93, "甲二": 90, "甲三": 80, "乙二": 65}


def verified_points(cadre, points, day):
    PerformanceRecord.objects.create(
        cadre=cadre, unit=cadre.unit, category=TaskCategory.objects.first(), title="招商引资", description="x",
        role="lead", start_date=day, status=RecordStatus.VERIFIED, points=points)


def score_and_compute(by, period, deputies, scores=SCORES, day=dt.date(2026, 3, 1)):
    for c in deputies:
        s = scores[c.name]
        groups = ("上级", "同级") if c.name == "甲三" else ("上级", "同级", "下级和服务对象")
        all_raters(by, period, c, s, s, s, groups=groups)
        verified_points(c, Decimal("30"), day)
    asvc.period_compute(by=by, period=period)
    period.refresh_from_db()
    return {r.cadre.name: r for r in period.results.select_related("cadre", "unit")}


def publish(by, period):
    asvc.period_publish(by=by, period=period, confirm=True)
    period.refresh_from_db()
    return period


def build_open_world() -> dict:
    """The conftest's world (the five deputies, the published scheme, the period open for scoring,
    nobody scored yet) built once for a module (tests/assessment/conftest.py ``_open_world``): the
    primary keys of its tree, users, scheme, deputies and period."""
    return build_computed_world(scored=False)


def build_computed_world(scored=True) -> dict:
    """The world above, built once for a module (tests/assessment/conftest.py ``_computed_world``):
    the primary keys of its tree, users, scheme, deputies and period."""
    from pingdingshan.core.models import Role
    from tests.conftest import make_tree
    from tests.factories import user_with_role

    from .conftest import INDICATORS, make_deputies, rater_groups

    tree = make_tree()
    org_staff = user_with_role(Role.ORG_STAFF, username="orgstaff")
    auditor = user_with_role(Role.AUDITOR, username="auditor")
    leader = user_with_role(Role.UNIT_LEADER, tree.county_a, username="leader")
    tier, category = Tier.objects.get(name="乡镇(街道)副职"), Category.objects.get(name="县(市、区)")
    scheme = asvc.scheme_publish(by=org_staff, scheme=asvc.scheme_create(
        by=org_staff, tier=tier, category=category, year=2026, indicators=INDICATORS))
    deputies = (make_deputies(org_staff, tree.town_a, ["甲一", "甲二", "甲三"])
                + make_deputies(org_staff, tree.town_b, ["乙一", "乙二"]))
    period = asvc.period_save(by=org_staff, name="2026年度考核", kind=PeriodKind.ANNUAL, year=2026,
                              start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 12, 31))
    rater_groups(org_staff, period, scheme, tier)
    if scored:
        score_and_compute(org_staff, period, deputies)
    return {"units": {k: getattr(tree, k).pk for k in ("city", "dept", "county_a", "town_a", "county_b", "town_b")},
            "org_staff": org_staff.pk, "auditor": auditor.pk, "leader": leader.pk, "scheme": scheme.pk,
            "deputies": [c.pk for c in deputies], "period": period.pk}
