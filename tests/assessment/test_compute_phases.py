"""The composite's phases one by one (load → aggregate → derive → grade, explain when shown), and
exact rounding: hundredths, half up (四舍五入) at every step, as a person checking by hand would —
an exact x.xx5 rounds up, and a cadre exactly on a grade line is graded by it."""
import datetime as dt
from decimal import Decimal

import numpy as np
import pytest

from assessment import services as asvc
from assessment.hundredths import div_half_up, to_h
from assessment.models import Grade, Indicator
from assessment.services import compute

from .conftest import all_raters, give
from .results_world import verified_points

D = Decimal


# --------------------------------------------------------------------------- arithmetic
def test_half_up_rounds_an_exact_half_up_not_to_even():
    assert div_half_up(6999_5, 10) == 7000  # 699.95 → 700 (half-to-even would also give 700)
    assert div_half_up(7000_5, 10) == 7001  # 700.05 → 701 (half-to-even: 700)
    assert div_half_up(7000_4, 10) == 7000
    assert list(div_half_up(np.array([25, 35, 45, -25]), 10)) == [3, 4, 5, -3]
    assert to_h("84.845") == 8485 and to_h(84.845) == 8485  # a float as written, not 84.84499…


# --------------------------------------------------------------------------- phases on hand-made arrays
def _loaded(raw, tier_weight, *, weight, is_rater, political=None, veto=(-1, 0), points=None, tiers=None,
            categories=None, period=None, overrides=None):
    """A ``Loaded`` of one scheme for rows of ``raw`` [row][indicator][group] (-1: no score)."""
    raw = np.array(raw, np.int16)
    n, width, _g = raw.shape
    return compute.Loaded(
        period=period, result_id=np.arange(1, n + 1), cadre_id=np.arange(1, n + 1),
        tier_id=np.array(tiers or [1] * n), category_id=np.array(categories or [1] * n), srow=np.zeros(n, np.int64),
        indicators=[[Indicator(pk=100 + p, method="rater" if is_rater[p] else "archive_points",
                               params={"full_points": "30"}) for p in range(width)]],
        weight=np.array([weight], np.int64), exists=np.ones((1, width), bool), is_rater=np.array([is_rater]),
        political=np.array([political or [False] * width]), veto_pos=np.array([veto[0]]),
        veto_thr=np.array([veto[1]]), groups=[(1, "上级"), (2, "同级"), (3, "下级")][:_g],
        tier_weight=np.array(tier_weight, np.int64), raw=raw,
        sources={"points": np.array(points if points is not None else [0] * n, np.int64)},
        overrides=overrides or {})


def test_aggregate_weighted_mean_half_up_and_missing_group_shared_out():
    # 上级 40 / 同级 30 / 下级 30 in hundredths of a percent.
    w = [[4000, 3000, 3000]] * 3
    loaded = _loaded([[[6995, 7002, 7003]],  # 69.95×.4 + 70.02×.3 + 70.03×.3 = 69.995 exactly → 70.00
                      [[9000, 6000, -1]],  # 下级 gave nothing: (90×4 + 60×3) / 7 = 77.142857 → 77.14
                      [[-1, -1, -1]]], w, weight=[10000], is_rater=[True])
    agg = compute.aggregate(loaded)
    assert agg.rater[:2, 0].tolist() == [7000, 7714]
    assert agg.has[:, 0].tolist() == [True, True, False]
    assert agg.present.tolist() == [[True, True, True], [True, True, False], [False, False, False]]


def test_derive_composite_half_up_incomplete_political_and_veto_on_the_line():
    # Two rater indicators, 50% each; the first is political and the veto (line 60.00).
    loaded = _loaded([[[7001], [6998]],  # composite (70.01 + 69.98) / 2 = 69.995 → 70.00
                      [[6000], [9000]],  # veto score exactly 60.00: not below the line
                      [[5999], [9000]],  # 59.99: vetoed
                      [[8000], [-1]]],  # the second indicator has no score: incomplete
                     [[10000]] * 4, weight=[5000, 5000], is_rater=[True, True], political=[True, False],
                     veto=(0, 6000))
    d = compute.derive(loaded, compute.aggregate(loaded))
    assert d.composite[:3].tolist() == [7000, 7500, 7500]  # 69.995 → 70.00; 74.995 → 75.00
    assert d.incomplete.tolist() == [False, False, False, True]
    assert d.political[:3].tolist() == [3501, 3000, 3000]  # 70.01 × 50% = 35.005 → 35.01
    assert d.vetoed.tolist() == [False, False, True, False]


def test_derive_archive_points_exactly():
    # 实绩积分 (full at 30 points), 100%: 20.99 points → 69.9666… → 69.97; 45 points → capped at 100.
    loaded = _loaded([[[-1]], [[-1]], [[-1]]], [[10000]] * 3, weight=[10000], is_rater=[False],
                     points=[2099, 4500, 0])
    d = compute.derive(loaded, compute.aggregate(loaded))
    assert d.score[:, 0].tolist() == [6997, 10000, 0]
    assert d.composite.tolist() == [6997, 10000, 0] and not d.incomplete.any()


def test_grade_phase_groups_ranks_and_keeps_overrides():
    class Period:
        excellent_min, competent_min, basic_min, excellent_share = D(90), D(70), D(60), D(20)

    # Group (tier 1, category 1): five cadres, one 优秀; group (1, 2): two cadres.
    loaded = _loaded([[[9500]], [[9500]], [[7000]], [[6999]], [[-1]], [[9100]], [[8000]]], [[10000]] * 7,
                     weight=[10000], is_rater=[True], tiers=[1] * 7, categories=[1, 1, 1, 1, 1, 2, 2],
                     points=[100, 200, 0, 0, 0, 0, 0], period=Period, overrides={4: Grade.COMPETENT})
    d = compute.derive(loaded, compute.aggregate(loaded))
    r = compute.grade(loaded, d)
    # 5 in the first group, 4 graded: cap 0 → the two 95.00 are 称职 (cap); 70.00 称职; 69.99 基本称职;
    # the second group's 2 graded: cap 0 too.
    assert r.computed.tolist() == ["2", "2", "2", "3", "", "2", "2"]
    assert r.note.tolist() == ["cap", "cap", "", "", "incomplete", "cap", ""]
    assert r.final.tolist() == ["2", "2", "2", "2", "", "2", "2"]  # the grade set by hand on row 4 is kept
    assert r.rank_composite.tolist() == [1, 1, 3, 4, 0, 1, 2]  # 1, 1, 3: competition ranks
    assert r.rank_points.tolist() == [2, 1, 3, 3, 3, 1, 1]
    assert r.group_size.tolist() == [5, 5, 5, 5, 5, 2, 2]


def test_competition_rank():
    assert compute.competition_rank([0, 0, 0, 0, 1], [5, 7, 7, 1, 3]).tolist() == [3, 1, 1, 4, 1]
    assert compute.competition_rank([0, 0], [5, 7], np.array([True, False])).tolist() == [1, 0]


# --------------------------------------------------------------------------- phases on a period
@pytest.mark.django_db
def test_load_reads_scores_weights_and_points_in_hundredths(org_staff, period, deputies):
    c = deputies[0]
    give(org_staff, period, "上级", c, {"政治品质": D("84.85"), "履职成效": 80, "担当作为": 70})
    verified_points(c, D("15.5"), dt.date(2026, 3, 1))
    loaded = compute.load(period)
    row = int(np.searchsorted(loaded.result_id, period.results.get(cadre=c).pk))
    assert loaded.raw[row, 0].tolist() == [8485, -1, -1]
    assert loaded.tier_weight[row].tolist() == [4000, 3000, 3000]
    assert loaded.weight[0].tolist() == [2000, 4000, 2000, 2000]
    assert loaded.sources["points"][row] == 1550
    assert loaded.veto_pos.tolist() == [0] and loaded.veto_thr.tolist() == [6000]


@pytest.mark.django_db
def test_exact_half_at_the_competent_line_is_graded_competent(org_staff, period, deputies):
    """Every rater indicator's mean is exactly 69.995 (69.95 × 40% + 70.02 × 30% + 70.03 × 30%):
    half up gives 70.00 — through float32 it was 69.99, and the composite 69.99, 基本称职.
    With 21 实绩 points (70.00 on 实绩积分) the composite is exactly 70.00: 称职."""
    c = deputies[0]
    for group, s in (("上级", D("69.95")), ("同级", D("70.02")), ("下级和服务对象", D("70.03"))):
        give(org_staff, period, group, c, {"政治品质": s, "履职成效": s, "担当作为": s})
    verified_points(c, D("21"), dt.date(2026, 3, 1))
    asvc.period_compute(by=org_staff, period=period)
    r = period.results.get(cadre=c)
    assert r.composite == D("70.00") and r.computed_grade == Grade.COMPETENT
    e = asvc.explain(r).data
    assert [row[1] for row in e["indicators"]] == [70.0, 70.0, 70.0, 70.0]
    assert e["total"] == 70.0


@pytest.mark.django_db
def test_exact_half_at_the_veto_line_is_not_vetoed(org_staff, period, deputies):
    """政治品质 59.995 exactly (59.92 × 40% + 60.01 × 30% + 60.08 × 30%) is 60.00: on the line, not
    below it (through float32 it was 59.99: vetoed, 不称职)."""
    c = deputies[0]
    for group, s in (("上级", D("59.92")), ("同级", D("60.01")), ("下级和服务对象", D("60.08"))):
        give(org_staff, period, group, c, {"政治品质": s, "履职成效": 90, "担当作为": 90})
    asvc.period_compute(by=org_staff, period=period)
    r = period.results.get(cadre=c)
    assert not r.vetoed
    assert asvc.explain(r).data["indicators"][0][1] == 60.0


@pytest.mark.django_db
def test_progress_is_reported_per_phase(org_staff, period, deputies):
    all_raters(org_staff, period, deputies[0], 80, 80, 80)
    seen = []
    summary = asvc.period_compute(by=org_staff, period=period, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]
    assert list(summary["phases"]) == list(compute.PHASES)


@pytest.mark.django_db
def test_explain_is_built_from_the_frozen_scores_and_adds_up(org_staff, period, deputies):
    c = deputies[0]
    give(org_staff, period, "上级", c, {"政治品质": D("90.01"), "履职成效": D("80.03"), "担当作为": D("70.07")})
    give(org_staff, period, "同级", c, {"政治品质": D("80.05"), "履职成效": D("70.09"), "担当作为": D("60.01")})
    verified_points(c, D("17.3"), dt.date(2026, 3, 1))
    asvc.period_compute(by=org_staff, period=period)
    r = period.results.get(cadre=c)
    e = asvc.explain(r).data
    total = D(str(e["total"]))
    assert total == r.composite
    assert abs(sum(D(str(row[3])) for row in e["indicators"]) - total) <= D("0.02")
    assert e["indicators"][0][4] == [90.01, 80.05, None]  # each group's score, from the Score rows
    # 上级 40 / 同级 30 of the 70 that scored: 57.14 % and 42.86 %
    assert [g[2] for g in e["groups"]] == [57.14, 42.86, 0.0]
    assert ["redistributed", {"groups": [period.rater_groups.get(name="下级和服务对象").pk]}] in e["notes"]
    assert e["points"] == 17.3


@pytest.mark.django_db
def test_explanation_of_scores_changed_since_the_computation_says_it_no_longer_adds_up(org_staff, period, deputies):
    """Built from the scores as they are, against the composite as stored: a score changed after
    the computation shows, instead of an explanation that silently matches old numbers."""
    from assessment import selectors

    c = deputies[0]
    all_raters(org_staff, period, c, 80, 80, 80)
    asvc.period_compute(by=org_staff, period=period)
    r = period.results.select_related("period").get(cadre=c)
    assert selectors.explanation(r)["adds_up"]
    give(org_staff, period, "上级", c, {"政治品质": 100, "履职成效": 100, "担当作为": 100})
    r = period.results.select_related("period").get(cadre=c)
    e = selectors.explanation(r)
    assert e["total"] == D("64.00") and e["sum"] == D("70.40") and not e["adds_up"]
