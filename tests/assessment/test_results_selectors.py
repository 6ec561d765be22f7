"""Selectors of the results side: scope, ranks in the whole group, movement against the previous
period, calibration boundaries, explanation rows, cadre history; queries do not grow with rows."""
import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessment import selectors
from assessment import services as asvc
from assessment.models import AssessmentPeriod, Grade, PeriodKind
from pingdingshan.core import permissions as gate

from .results_world import publish, score_and_compute

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_computed_world")]  # built once (conftest.py)




def test_world_as_described(computed):
    assert {n: r.rank_composite for n, r in computed.items()} == {"乙一": 1, "甲一": 2, "甲二": 3, "甲三": 4, "乙二": 5}
    assert computed["乙一"].grade == Grade.EXCELLENT
    assert computed["甲一"].grade == Grade.COMPETENT


def test_leader_sees_nothing_until_published_then_own_cadres_with_whole_group_rank(
        org_staff, leader, period, tier, category, computed):
    assert not selectors.result_list(user=leader, period=period).exists()
    assert selectors.leaderboard(user=leader, period=period, tier=tier, category=category).count() == 0
    publish(org_staff, period)
    rows = selectors.with_movement(selectors.leaderboard(user=leader, period=period, tier=tier, category=category),
                                   has_previous=False)
    assert [(r.cadre.name, r.rank) for r in rows] == [("甲一", 2), ("甲二", 3), ("甲三", 4)]
    assert {r.group_size for r in rows} == {5}
    by_points = selectors.leaderboard(user=leader, period=period, tier=tier, category=category, by="points")
    assert {r.rank_points for r in by_points} == {1}  # everyone has 30 points: all tied first


def test_leaderboard_movement_against_previous_period(org_staff, period, deputies, scheme, tier, category, computed):
    prev = asvc.period_save(by=org_staff, name="2025年度考核", kind=PeriodKind.ANNUAL, year=2025,
                            start_date=dt.date(2025, 1, 1), end_date=dt.date(2025, 12, 31))
    asvc.period_set_schemes(by=org_staff, period=prev, schemes=[scheme])
    asvc.rater_groups_save(by=org_staff, period=prev, groups=[
        {"name": "上级", "weights": {tier.pk: 40}}, {"name": "同级", "weights": {tier.pk: 30}},
        {"name": "下级和服务对象", "weights": {tier.pk: 30}}])
    asvc.period_enrol(by=org_staff, period=prev, cadres=type(deputies[0]).objects.filter(
        pk__in=[c.pk for c in deputies if c.name != "乙二"]))
    asvc.period_open(by=org_staff, period=prev)
    prev.refresh_from_db()
    # Last year: 甲一 first, 甲二 second, 乙一 third, 甲三 fourth; 乙二 was not assessed.
    score_and_compute(org_staff, prev, [c for c in deputies if c.name != "乙二"],
                      scores={"甲一": 95, "甲二": 93, "乙一": 90, "甲三": 80}, day=dt.date(2025, 3, 1))
    publish(org_staff, prev)
    AssessmentPeriod.objects.filter(pk=period.pk).update(previous=prev)
    period.refresh_from_db()
    rows = selectors.with_movement(selectors.leaderboard(user=org_staff, period=period, tier=tier, category=category))
    moves = {r.cadre.name: (r.movement, r.change, r.previous_rank) for r in rows}
    assert moves == {"乙一": ("up", 2, 3), "甲一": ("down", -1, 1), "甲二": ("down", -1, 2),
                     "甲三": ("same", 0, 4), "乙二": ("new", 0, None)}


def test_calibration_boundaries(org_staff, period, tier, category, computed):
    c = selectors.calibration(user=org_staff, period=period, tier=tier, category=category)
    assert (c.size, c.graded, c.cap, c.excellent_used) == (5, 5, 1, 1)
    assert [r.cadre.name for r in c.excellent_inside] == ["乙一"]
    assert [r.cadre.name for r in c.excellent_outside] == ["甲一", "甲二", "甲三"]
    excellent_line = c.thresholds[0]
    assert [r.cadre.name for r in excellent_line["above"]] == ["乙一", "甲一", "甲二"]
    assert [r.cadre.name for r in excellent_line["below"]] == ["甲三", "乙二"]
    counts = {d["grade"]: d["count"] for d in c.distribution}
    assert counts == {"1": 1, "2": 4, "3": 0, "4": 0}
    assert c.ordered[0].political == pytest.approx(19.0)  # 95 × 20%


def test_explanation_rows_and_notes(org_staff, period, computed):
    e = selectors.explanation(computed["甲三"])
    assert e["groups"] == ["上级", "同级", "下级和服务对象"]
    assert [r["name"] for r in e["rows"]] == ["政治品质", "履职成效", "担当作为", "实绩积分"]
    assert e["rows"][0]["by_group"] == [Decimal("80.00"), Decimal("80.00"), None]
    assert e["rows"][3]["by_group"] is None
    assert e["total"] == Decimal("84.00") and e["adds_up"]
    assert e["sum"] == e["total"]
    assert "下级和服务对象未评分，其权重按比例分配给其他评价主体。" in e["notes"]
    cap_notes = selectors.explanation(computed["甲一"])["notes"]
    assert any("优秀名额（1人）已满" in n for n in cap_notes)


def test_cadre_history_leader_only_published(org_staff, leader, period, deputies, computed):
    jia = deputies[0]
    assert selectors.cadre_history(user=org_staff, cadre=jia)[0].period == period
    assert selectors.cadre_history(user=leader, cadre=jia) == []
    publish(org_staff, period)
    assert len(selectors.cadre_history(user=leader, cadre=jia)) == 1


def test_period_overview_and_scored_counts_through_the_gate(org_staff, auditor, leader, period, scheme, computed):
    """The set-up page's overview and the score grid's counts show what the gate lets the user see:
    everything for org staff and auditors; for a unit leader no groups nor cadres before publication, then the
    cadres of their units (甲* of 城关镇: 3 of 5; 甲三 was scored by two groups only)."""
    groups = {g.name: g.pk for g in period.rater_groups.all()}
    for user in (org_staff, auditor):
        overview = selectors.period_overview(user=user, period=period)
        assert overview["enrolled"] == 5 and [s.enrolled for s in overview["schemes"]] == [5]
        assert [row["weights"] for row in overview["groups"]] == [[40], [30], [30]]
        assert overview["tier_totals"] == [100]
        assert selectors.scored_counts(user=user, period=period) == {
            groups["上级"]: 5, groups["同级"]: 5, groups["下级和服务对象"]: 4}
    hidden = selectors.period_overview(user=leader, period=period)  # (the page itself answers 404 then)
    assert hidden["enrolled"] == 0 and hidden["groups"] == []  # the scheme is published: visible as such
    assert selectors.scored_counts(user=leader, period=period) == {}
    publish(org_staff, period)
    overview = selectors.period_overview(user=leader, period=period)
    assert overview["schemes"] == [scheme] and overview["enrolled"] == 3 and overview["tier_totals"] == [100]
    assert selectors.scored_counts(user=leader, period=period) == {
        groups["上级"]: 3, groups["同级"]: 3, groups["下级和服务对象"]: 2}


def test_query_counts_do_not_grow_with_rows(org_staff, period, tier, category, computed, settings):
    def count(call):
        with CaptureQueriesContext(connection) as ctx:
            call()
        return len(ctx.captured_queries)

    gate.user_roles(org_staff)  # the user's roles are read once (cached on the user, as for a request)
    one = count(lambda: list(selectors.leaderboard(user=org_staff, period=period, tier=tier, category=category)[:1]))
    all_ = count(lambda: list(selectors.leaderboard(user=org_staff, period=period, tier=tier, category=category)))
    assert one == all_
    assert count(lambda: selectors.calibration(user=org_staff, period=period, tier=tier, category=category)) <= 3
    assert count(lambda: selectors.explanation(computed["甲一"])) <= 3
