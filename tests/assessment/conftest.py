"""A small assessment: township deputies of the two counties (tier 乡镇(街道)副职, category
县(市、区) through their county), a published scheme with three rater-scored indicators (the
political one is the veto) and one derived from 实绩 points, and an annual period with three rater
groups (上级 40, 同级 30, 下级和服务对象 30)."""
import datetime as dt
from decimal import Decimal

import pytest

from assessment import services as asvc
from assessment.models import Category, PeriodKind, Tier
from cadres import services as csvc
from tests.factories import CadreFactory, PostFactory

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


@pytest.fixture
def scheme(org_staff, tier, category):
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
def deputies(tree, org_staff):
    return (make_deputies(org_staff, tree.town_a, ["甲一", "甲二", "甲三"])
            + make_deputies(org_staff, tree.town_b, ["乙一", "乙二"]))


@pytest.fixture
def period(org_staff, scheme, tier, deputies):
    p = asvc.period_save(by=org_staff, name="2026年度考核", kind=PeriodKind.ANNUAL, year=2026,
                         start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 12, 31))
    asvc.period_set_schemes(by=org_staff, period=p, schemes=[scheme])
    asvc.rater_groups_save(by=org_staff, period=p, groups=[
        {"name": "上级", "weights": {tier.pk: 40}},
        {"name": "同级", "weights": {tier.pk: 30}},
        {"name": "下级和服务对象", "weights": {tier.pk: 30}},
    ])
    asvc.period_enrol(by=org_staff, period=p)
    asvc.period_open(by=org_staff, period=p)
    p.refresh_from_db()
    return p


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
