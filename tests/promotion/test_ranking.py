"""The ranking of a reserve pool (promotion/services/ranking.py): each component by hand in
hundredths rounded half up, the weights, the decay, the order and its ties, who is not ranked and
why, the flags on the entries, and the explanation read from the stored components. The world and
its figures: tests/promotion/ranking_world.py."""
import datetime as dt

import numpy as np
import pandas as pd
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from promotion.models import PoolEntry, RankingEntry, ReservePool
from promotion.services import ranking
from promotion.services.ranking import TIE_RULE, competition_rank, decay_percent, decay_weights, explain, rank_pools
from tests.conftest import make_tree, rolled_back

from . import ranking_world as w

ON = w.ON


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    def build():
        tree = make_tree()
        return {**w.build(tree), "tree": {"town_a": tree.town_a.pk, "town_b": tree.town_b.pk}}

    with rolled_back(django_db_blocker, build) as pks:
        yield pks


@pytest.fixture
def the_pool(world, db):
    return ReservePool.objects.get(pk=world["pool"])


def frame_of(pool, on=ON):
    return rank_pools([pool], on=on)[pool.pk].set_index("cadre_id")


def whole(frame, cadre):
    """The whole form of a cadre's components (``ranking.expand`` with the pool's context)."""
    return ranking.expand(frame.loc[cadre, "components"], frame.attrs["context"])


def comp(frame, cadre, key):
    return whole(frame, cadre)[key]


# --------------------------------------------------------------------------- the components
def test_composite_is_the_decayed_mean_of_the_published_annual_composites(world, the_pool):
    f = frame_of(the_pool)
    a, b = comp(f, world["a"], "composite"), comp(f, world["b"], "composite")
    assert a["value"] == 9100  # (92.50×4 + 88.00×2) ÷ 6; 2023 missing does not count as 0
    assert a["detail"] == {"years": [{"year": 2025, "value": 9250, "percent": "100"},
                                     {"year": 2024, "value": 8800, "percent": "50"}], "missing": [2023]}
    assert b["value"] == 9000  # (90×4 + 95×2 + 80) ÷ 7
    assert [y["percent"] for y in b["detail"]["years"]] == ["100", "50", "25"]


def test_points_decay_per_12_months_and_are_scaled_against_the_pools_best(world, the_pool):
    f = frame_of(the_pool)
    a, b = comp(f, world["a"], "points"), comp(f, world["b"], "points")
    assert [x["value"] for x in a["detail"]["windows"]] == [3000, 2000, 0]  # unverified records never count
    assert a["detail"]["windows"][0] == {"start": "2025-12-02", "end": "2026-12-01", "value": 3000, "percent": "100"}
    assert a["detail"]["total"] == 4000 and b["detail"]["total"] == 5250 == a["detail"]["best"]
    assert b["value"] == 10000
    assert a["value"] == 7619  # 40.00 × 100 ÷ 52.50 = 76.190…


def test_the_best_points_are_those_of_the_ranked_entries_only(world, the_pool):
    w.record(PoolEntry.objects.get(pk=world["entries"]["c"]).cadre, "500.00", dt.date(2026, 6, 1))  # 丙 is blocked
    f = frame_of(the_pool)
    assert comp(f, world["b"], "points")["value"] == 10000
    assert comp(f, world["c"], "points")["value"] == 10000  # capped at 100 for the unranked one


def test_awards_by_level_within_the_years_and_not_revoked(world, the_pool, settings):
    f = frame_of(the_pool)
    a = comp(f, world["a"], "awards")
    assert a["value"] == 3000 and a["detail"]["since"] == "2023-12-02"
    assert sorted((x["level"], x["on"]) for x in a["detail"]["awards"]) == [("city", "2025-06-01"),
                                                                            ("county", "2023-12-02")]
    assert comp(f, world["b"], "awards")["value"] == 0
    settings.POOL_AWARD_POINTS = {"national": 40, "provincial": 30, "city": 95, "county": 10}
    assert comp(frame_of(the_pool), world["a"], "awards")["value"] == 10000  # at most 100


def test_frontline_is_the_best_closed_postings_evaluation(world, the_pool):
    f = frame_of(the_pool)
    assert comp(f, world["a"], "frontline")["value"] == 8000
    assert comp(f, world["a"], "frontline")["detail"]["posting"]["evaluation"] == "good"
    assert comp(f, world["b"], "frontline")["value"] == 10000
    assert comp(f, world["d"], "frontline") == {"value": 0, "weight": 10, "contribution": 0,
                                                 "detail": {"posting": None}}


def test_cards_deduct_what_standing_scores_in_the_composite_window(world, the_pool, settings):
    f = frame_of(the_pool)
    a = comp(f, world["a"], "cards")
    assert a["value"] == 9000 and a["detail"]["since"] == "2023-01-01"
    assert [(x["color"], x["deduction"]) for x in a["detail"]["cards"]] == [("yellow", 1000)]
    assert comp(f, world["b"], "cards")["value"] == 10000  # waived for the assessment by a ruling
    settings.CARD_DEDUCTION = {"yellow": "60.005", "red": "30"}  # rounded half up, at least 0
    cadre_a = PoolEntry.objects.get(pk=world["entries"]["a"]).cadre
    w.card(cadre_a, dt.date(2024, 3, 1), dt.date(2024, 8, 31))
    a = comp(frame_of(the_pool), world["a"], "cards")
    assert [x["deduction"] for x in a["detail"]["cards"]] == [6001, 6001] and a["value"] == 0


def test_a_card_before_the_composite_window_does_not_count(world, the_pool):
    cadre_a = PoolEntry.objects.get(pk=world["entries"]["a"]).cadre
    w.card(cadre_a, dt.date(2022, 6, 1), dt.date(2022, 12, 31))  # the window starts 2023-01-01
    assert comp(frame_of(the_pool), world["a"], "cards")["value"] == 9000


# --------------------------------------------------------------------------- weights, score, order
def test_score_is_the_sum_of_weight_times_component_rounded_half_up(world, the_pool):
    f = frame_of(the_pool)
    a = f.loc[world["a"]]
    assert {k: v["contribution"] for k, v in whole(f, world["a"]).items()} == {
        "composite": 3640, "points": 2286, "awards": 300, "frontline": 800, "cards": 900}
    assert a["score"] == 7926
    assert f.loc[world["b"], "score"] == 8600
    assert (f.loc[world["b"], "rank"], f.loc[world["a"], "rank"]) == (1, 2)


def test_other_weights_change_the_order(world, the_pool):
    ReservePool.objects.filter(pk=the_pool.pk).update(weight_composite=10, weight_points=0, weight_awards=80,
                                                      weight_frontline=0, weight_cards=10)
    f = frame_of(ReservePool.objects.get(pk=the_pool.pk))
    assert f.loc[world["a"], "score"] == 910 + 2400 + 900  # 91.00×10% + 30.00×80% + 90.00×10%
    assert (f.loc[world["a"], "rank"], f.loc[world["b"], "rank"]) == (1, 2)
    assert comp(f, world["a"], "points") == {**comp(f, world["a"], "points"), "weight": 0, "contribution": 0}


def test_decay_of_100_percent_counts_every_year_alike_and_rounds_half_up(world, the_pool):
    cadre_a = PoolEntry.objects.get(pk=world["entries"]["a"]).cadre
    from assessment.models import AssessmentResult

    AssessmentResult.objects.filter(cadre=cadre_a, period__year=2024).update(composite="88.01")
    ReservePool.objects.filter(pk=the_pool.pk).update(recency_percent=100)
    f = frame_of(ReservePool.objects.get(pk=the_pool.pk))
    assert comp(f, world["a"], "composite")["value"] == 9026  # (92.50 + 88.01) ÷ 2 = 90.255 → 90.26
    assert comp(f, world["a"], "points")["detail"]["total"] == 5000  # 30 + 20, no decay


def test_decay_weights_are_exact():
    assert decay_weights(50, 3) == ([4, 2, 1], 4)
    assert decay_weights(33, 3) == ([10000, 3300, 1089], 10000)
    assert [decay_percent(33, k) for k in range(3)] == ["100", "33", "10.89"]
    assert decay_percent(50, 3) == "12.5"


def test_one_composite_year_counts_only_the_latest_published_year(world, the_pool):
    ReservePool.objects.filter(pk=the_pool.pk).update(composite_years=1)
    f = frame_of(ReservePool.objects.get(pk=the_pool.pk))
    assert comp(f, world["a"], "composite")["value"] == 9250
    assert comp(f, world["a"], "cards")["detail"]["since"] == "2025-01-01"


def test_tie_breakers_are_composite_then_points_then_a_shared_rank():
    score = np.array([9000, 9000, 9000, 9000, 8000, 9500])
    composite = np.array([8000, 8500, 8500, 8500, 9900, 0])
    points = np.array([10000, 5000, 6000, 6000, 0, 0])
    mask = np.array([True, True, True, True, True, True])
    # 9500 first; among the 9000s composite 85 beats 80; among those points 60 beats 50; two share 2
    assert competition_rank(score, composite, points, mask).tolist() == [5, 4, 2, 2, 6, 1]
    mask[5] = False
    assert competition_rank(score, composite, points, mask).tolist() == [4, 3, 1, 1, 5, 0]


def test_equal_scores_share_a_rank_and_the_next_rank_is_skipped(world, the_pool):
    twin = PoolEntry.objects.get(pk=world["entries"]["b"]).cadre
    other = w.CadreFactory(unit=twin.unit, name="乙二", birth_date=twin.birth_date)
    w.admit(the_pool, other)
    from assessment.models import AssessmentResult

    for r in AssessmentResult.objects.filter(cadre=twin):
        w.result(r.period, other, r.composite)
    for rec in twin.performance_records.filter(status="verified"):
        w.record(other, rec.points, rec.start_date)
    w.posting(other, "excellent")
    f = frame_of(the_pool)
    assert f.loc[world["b"], "rank"] == f.loc[other.pk, "rank"] == 1
    assert f.loc[world["a"], "rank"] == 3


def test_the_tie_rule_is_stated_in_chinese():
    assert "总分" in str(TIE_RULE) and "1、2、2、4" in str(TIE_RULE)


# --------------------------------------------------------------------------- not ranked, flags
def test_blocked_and_ineligible_entries_are_not_ranked_and_say_why(world, the_pool):
    f = frame_of(the_pool)
    assert f.loc[world["c"], "flags"] == [ranking.FLAG_BLOCKED]
    assert f.loc[world["d"], "flags"] == [ranking.FLAG_INELIGIBLE]
    for x in ("c", "d"):
        assert pd.isna(f.loc[world[x], "rank"]) and pd.isna(f.loc[world[x], "score"])
        assert comp(f, world[x], "composite")["value"] == 9900  # still explained
    assert f.loc[world["a"], "flags"] == [] and ranking.flag_labels(["blocked"]) == [
        "受红黄牌或处分影响不得进入储备库，本次不参加排名"]


def test_nominated_and_removed_entries_are_not_in_the_ranking(world, the_pool):
    extra = w.CadreFactory(unit=PoolEntry.objects.get(pk=world["entries"]["a"]).cadre.unit, name="戊")
    w.admit(the_pool, extra, status="nominated")
    assert extra.pk not in frame_of(the_pool).index


def test_entries_flag_sets_keeps_and_clears_the_flag(world, the_pool):
    assert ranking.entries_flag(pools=[the_pool], on=ON) == 2
    c, d = (PoolEntry.objects.get(pk=world["entries"][x]) for x in ("c", "d"))
    assert c.flagged_on == ON and any("不得进入储备库" in s for s in c.flag_reasons)
    assert d.flagged_on == ON and d.flag_reasons == ["年龄 50 岁 > 45 岁 ✘"]
    assert d.history.first().flagged_on == ON  # audited
    later = ON + dt.timedelta(days=1)
    assert ranking.entries_flag(pools=[the_pool], on=later) == 0  # still not eligible: the first day is kept
    assert PoolEntry.objects.get(pk=d.pk).flagged_on == ON
    ReservePool.objects.get(pk=the_pool.pk).criteria.all().delete()  # 丁 meets the criteria again
    assert ranking.entries_flag(pools=[the_pool], on=later) == 1
    d.refresh_from_db()
    assert d.flagged_on is None and d.flag_reasons == []
    assert PoolEntry.objects.get(pk=world["entries"]["a"]).flagged_on is None


# --------------------------------------------------------------------------- explanation, queries
def test_explain_puts_the_stored_components_in_words_without_a_query(world, the_pool):
    f = frame_of(the_pool)
    row = f.loc[world["a"]]
    entry = RankingEntry(components=row["components"], score=int(row["score"]))
    with CaptureQueriesContext(connection) as q:
        lines = explain(entry, f.attrs["context"])
    assert len(q) == 0
    assert [(x.component, str(x.value), x.weight, str(x.contribution)) for x in lines] == [
        ("composite", "91.00", 40, "36.40"), ("points", "76.19", 30, "22.86"), ("awards", "30.00", 10, "3.00"),
        ("frontline", "80.00", 10, "8.00"), ("cards", "90.00", 10, "9.00")]
    assert sum(x.contribution for x in lines) * 100 == entry.score
    s = {x.component: x.sentence for x in lines}
    assert s["composite"] == "2025 年度 综合得分 92.50 ×100%，2024 年度 88.00 ×50%，加权平均 91.00（2023 年度无考核结果，不计）"
    assert s["points"] == ("2025-12-02 至 2026-12-01 已核实实绩 30.00 分 ×100%，2024-12-02 至 2025-12-01 20.00 分 ×50%，"
                           "2023-12-02 至 2024-12-01 0.00 分 ×25%，计 40.00 分；本库最高 52.50 分，折合 76.19")
    assert s["awards"].startswith("2023-12-02 以来：") and s["awards"].endswith("合计 30.00 分")
    assert s["frontline"] == "千名优秀年轻干部实践练兵计划 · 马庄村（2024-03-01 至 2025-02-28）期满评价良好，计 80.00 分"
    assert s["cards"] == ("100 分减去 2023-01-01 以来计入的红黄牌扣分：黄牌 2026-03-01 至 2026-08-31（推诿扯皮）扣 10.00 分，"
                          "计 90.00 分")


def test_rank_pools_keeps_its_number_of_queries_as_pools_and_entries_grow(world, the_pool):
    def count():
        with CaptureQueriesContext(connection) as q:
            rank_pools(list(ReservePool.objects.all()), on=ON)
        return len(q)

    before = count()
    unit = PoolEntry.objects.get(pk=world["entries"]["a"]).cadre.unit
    second = w.pool("党建党务·乡科级后备", composite_years=2)  # a second card window: one standing more
    for k in range(6):
        cadre = w.CadreFactory(unit=unit, name=f"新{k}", birth_date=dt.date(1990, 1, 1))
        w.admit(the_pool, cadre)
        w.admit(second, cadre)
        w.record(cadre, "5.00", dt.date(2026, 5, 1))
        w.posting(cadre, "good")
    assert count() <= before + 5
    third = w.pool("政法·乡科级后备", composite_years=2)
    w.admit(third, cadre)
    assert count() <= before + 5


def test_the_migration_to_the_compact_form_gives_back_the_same_explanation(world, the_pool):
    """promotion 0006 rewrote the entries stored whole: compact form and context from the whole
    form give the whole form back."""
    import importlib

    migration = importlib.import_module("promotion.migrations.0006_ranking_compact_components")
    f = frame_of(the_pool)
    used = {**the_pool.weights, "recency_percent": the_pool.recency_percent}
    for cadre in f.index:
        before = whole(f, cadre)
        context = migration._context(before, used)
        assert context == f.attrs["context"]
        assert ranking.expand(migration._compact(before, context), context) == before


def test_the_flag_shortcuts_agree_with_the_whole_eligibility(world, the_pool):
    """The run reads ``criteria_failed_ids`` and ``failed_sentences`` from the arrays; they say what
    the whole ``CadreEligibility`` says (丙 blocked only, 丁 failing a criterion)."""
    elig = ranking.eligibility_for([the_pool], on=ON)[the_pool.pk]
    assert elig.criteria_failed_ids == {cid for cid in elig if ranking._criteria_fail(elig[cid])} == {world["d"]}
    for cid in elig:
        assert elig.failed_sentences(cid) == [c.sentence for c in elig[cid].checks if not c.passed]
    assert elig.failed_sentences(world["d"]) == ["年龄 50 岁 > 45 岁 ✘"]
