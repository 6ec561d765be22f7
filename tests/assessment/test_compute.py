"""The composite of a period: weights by indicator and rater group, redistribution of a missing
group's weight, derived 实绩 indicators, the explanation adding up, the veto, grades and ranks."""
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from assessment import services as asvc
from assessment.models import Grade
from cadres.models import PerformanceRecord, RecordStatus, TaskCategory

from .conftest import all_raters, give

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_open_world")]  # built once (conftest.py)


def _verified_points(cadre, unit, points, day=dt.date(2026, 3, 1)):
    PerformanceRecord.objects.create(
        cadre=cadre, unit=unit, category=TaskCategory.objects.first(), title="招商引资", description="x",
        role="lead", start_date=day, status=RecordStatus.VERIFIED, points=points)


def test_composite_weights_indicators_and_groups(org_staff, period, deputies, tree):
    c = deputies[0]
    give(org_staff, period, "上级", c, {"政治品质": 90, "履职成效": 80, "担当作为": 70})
    give(org_staff, period, "同级", c, {"政治品质": 80, "履职成效": 70, "担当作为": 60})
    give(org_staff, period, "下级和服务对象", c, {"政治品质": 70, "履职成效": 60, "担当作为": 50})
    _verified_points(c, tree.town_a, Decimal("15"))
    _verified_points(c, tree.town_a, Decimal("9"), day=dt.date(2025, 12, 31))  # before the period: not counted
    asvc.period_compute(by=org_staff, period=period)
    r = period.results.get(cadre=c)
    # political: .4*90+.3*80+.3*70 = 81; business 71; practice 61; points 15/30 → 50
    expected = Decimal("81") * 20 / 100 + Decimal("71") * 40 / 100 + Decimal("61") * 20 / 100 + Decimal("50") * 20 / 100
    assert r.composite == expected.quantize(Decimal("0.01"))
    assert r.points == Decimal("15")
    e = asvc.explain(r).data
    assert e["total"] == float(r.composite)
    assert sum(row[3] for row in e["indicators"]) == pytest.approx(float(r.composite), abs=0.011)
    # The groups' contributions plus the derived indicator's add up to the total too.
    archive = r.scheme.indicators.get(method="archive_points").pk
    derived = [row[3] for row in e["indicators"] if row[0] == archive]
    assert sum(g[3] for g in e["groups"]) + sum(derived) == pytest.approx(float(r.composite), abs=0.011)
    assert [g[2] for g in e["groups"]] == [40, 30, 30]


def test_missing_group_weight_is_shared_out_not_zero(org_staff, period, deputies):
    c = deputies[0]
    give(org_staff, period, "上级", c, {"政治品质": 90, "履职成效": 90, "担当作为": 90})
    give(org_staff, period, "同级", c, {"政治品质": 60, "履职成效": 60, "担当作为": 60})
    asvc.period_compute(by=org_staff, period=period)
    r = period.results.get(cadre=c)
    # 上级 40 / 同级 30 → 4/7 and 3/7: (90*4 + 60*3)/7 = 77.142857 per rater indicator
    per = round((90 * 4 + 60 * 3) / 7, 2)
    assert asvc.explain(r).data["indicators"][0][1] == per
    groups = asvc.explain(r).data["groups"]
    assert groups[2][1] == 30 and groups[2][2] == 0 and groups[2][3] == 0  # nominal 30, nothing counted
    assert groups[0][2] == pytest.approx(400 / 7, abs=0.01)
    lower = period.rater_groups.get(name="下级和服务对象").pk
    assert ["redistributed", {"groups": [lower]}] in asvc.explain(r).data["notes"]
    assert r.composite == Decimal(str(round(per * 0.8, 2)))  # 实绩 points 0


def test_veto_forces_incompetent(org_staff, period, deputies):
    c = deputies[0]
    all_raters(org_staff, period, c, political=50, business=100, practice=100)
    asvc.period_compute(by=org_staff, period=period)
    r = period.results.get(cadre=c)
    assert r.vetoed
    assert r.grade == Grade.INCOMPETENT
    assert any(n[0] == "veto" for n in asvc.explain(r).data["notes"])


def test_no_scores_no_grade_and_publish_refused(org_staff, period, deputies):
    all_raters(org_staff, period, deputies[0], 90, 90, 90)
    asvc.period_compute(by=org_staff, period=period)
    r = period.results.get(cadre=deputies[1])
    assert r.composite is None and r.grade == ""
    period.refresh_from_db()
    with pytest.raises(ValidationError, match="没有等次"):
        asvc.period_publish(by=org_staff, period=period, confirm=True)


def test_excellent_cap_and_ranks(org_staff, period, deputies, tree):
    # Five cadres in one group: 20% → 1 优秀.
    for c, s in zip(deputies, (100, 98, 96, 80, 65), strict=True):
        all_raters(org_staff, period, c, s, s, s)
        _verified_points(c, c.unit, Decimal("30"))  # full marks on 实绩积分: composite = .8 s + 20
    asvc.period_compute(by=org_staff, period=period)
    rs = {r.cadre.name: r for r in period.results.select_related("cadre")}
    assert [rs[n].composite for n in ("甲一", "甲二", "甲三", "乙一", "乙二")] == [
        Decimal("100"), Decimal("98.4"), Decimal("96.8"), Decimal("84"), Decimal("72")]
    assert rs["甲一"].grade == Grade.EXCELLENT
    assert rs["甲二"].grade == Grade.COMPETENT  # ≥ 优秀线 but beyond the cap
    assert ["cap", {"cap": 1}] in asvc.explain(rs["甲二"]).data["notes"]
    assert rs["乙二"].grade == Grade.COMPETENT
    assert [rs[n].rank_composite for n in ("甲一", "甲二", "甲三", "乙一", "乙二")] == [1, 2, 3, 4, 5]
    assert {r.group_size for r in rs.values()} == {5}


def test_stale_results_must_be_recomputed_before_publish(org_staff, period, deputies):
    for c in deputies:
        all_raters(org_staff, period, c, 80, 80, 80)
    asvc.period_compute(by=org_staff, period=period)
    give(org_staff, period, "上级", deputies[0], {"政治品质": 81, "履职成效": 80, "担当作为": 80})
    period.refresh_from_db()
    with pytest.raises(ValidationError, match="重新计算"):
        asvc.period_publish(by=org_staff, period=period, confirm=True)
    asvc.period_compute(by=org_staff, period=period)
    period.refresh_from_db()
    asvc.period_publish(by=org_staff, period=period, confirm=True)
