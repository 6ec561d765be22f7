"""``eligibility``: which cadres meet a reserve pool's entry criteria and why
(promotion/services/eligibility.py, its rules 1–9), at the boundaries."""
import datetime as dt
from decimal import Decimal

import numpy as np
import pytest

from assessment.models import AssessmentResult, RulingDecision, RulingStatus, ToleranceRuling
from cadres.models import Appointment, Cadre, CadreStatus, PerformanceRecord, RankHistory, Tag, TaskCategory
from promotion.models import (
    CriterionKind,
    FrontlinePosting,
    Industry,
    PoolCategory,
    PoolCriterion,
    Programme,
    ReservePool,
)
from promotion.services.eligibility import (
    CRITERIA,
    criteria_clean,
    criteria_validate,
    describe,
    eligibility,
    eligibility_many,
)
from tests.assessment import conduct_helpers
from tests.factories import CadreFactory, PostFactory, rank

D = dt.date
ON = D(2026, 12, 1)


def pool(*criteria, name="经济发展·乡科级后备"):
    p = ReservePool.objects.create(name=name, industry=Industry.objects.order_by("id").first(),
                                   category=PoolCategory.objects.order_by("id").first())
    for i, (kind, params) in enumerate(criteria):
        PoolCriterion.objects.create(pool=p, kind=kind, params=params, order=i)
    return p


def one(p, cadre, on=ON):
    return eligibility(p, [cadre], on=on)[cadre.pk]


def check(result, kind):
    return next(c for c in result.checks if c.kind == kind)


# --------------------------------------------------------------------------- 1. age
def test_age_is_a_year_more_on_the_birthday_not_the_day_before(cadre_a):
    Cadre.objects.filter(pk=cadre_a.pk).update(birth_date=D(1981, 6, 15))
    p = pool((CriterionKind.AGE, {"max": 44}))
    before = one(p, cadre_a, D(2026, 6, 14))
    assert before.passed and check(before, "age").value == 44
    assert check(before, "age").sentence == "年龄 44 岁 ≤ 44 岁 ✔"
    on = one(p, cadre_a, D(2026, 6, 15))
    assert not on.passed and check(on, "age").value == 45
    assert check(on, "age").sentence == "年龄 45 岁 > 44 岁 ✘"
    assert on.reasons == ["年龄 45 岁 > 44 岁 ✘"]


def test_age_of_a_29_february_birthday_turns_on_1_march_and_on_29_february_in_leap_years(cadre_a):
    Cadre.objects.filter(pk=cadre_a.pk).update(birth_date=D(1980, 2, 29))
    p = pool((CriterionKind.AGE, {"min": 46}))
    assert not one(p, cadre_a, D(2026, 2, 28)).passed
    assert check(one(p, cadre_a, D(2026, 2, 28)), "age").sentence == "年龄 45 岁 < 46 岁 ✘"
    assert one(p, cadre_a, D(2026, 3, 1)).passed
    assert check(one(p, cadre_a, D(2028, 2, 28)), "age").value == 47
    assert check(one(p, cadre_a, D(2028, 2, 29)), "age").value == 48


def test_age_range_both_ends_included(cadre_a):
    Cadre.objects.filter(pk=cadre_a.pk).update(birth_date=D(1990, 1, 1))
    p = pool((CriterionKind.AGE, {"min": 30, "max": 36}))
    r = one(p, cadre_a)
    assert r.passed and check(r, "age").sentence == "年龄 36 岁，在 30 至 36 岁之间 ✔"
    assert not one(p, cadre_a, D(2027, 1, 1)).passed


# --------------------------------------------------------------------------- 2. level
def test_level_by_rank_equivalence_when_no_post(cadre_a):
    Cadre.objects.filter(pk=cadre_a.pk).update(current_rank=rank("一级主任科员"), current_post=None)
    p = pool((CriterionKind.LEVEL, {"min_level": 2}))
    r = one(p, cadre_a)
    assert r.passed and check(r, "level").value == 2
    assert check(r, "level").sentence == "现任 一级主任科员（相当乡科级正职） ≥ 乡科级正职 ✔"
    Cadre.objects.filter(pk=cadre_a.pk).update(current_rank=rank("三级主任科员"))
    r = one(p, cadre_a)
    assert not r.passed and "< 乡科级正职 ✘" in check(r, "level").sentence


def test_level_is_the_higher_of_post_and_rank(cadre_a, tree):
    post = PostFactory(unit=tree.town_a, level=2)
    Cadre.objects.filter(pk=cadre_a.pk).update(current_post=post, current_rank=rank("三级主任科员"))
    r = one(pool((CriterionKind.LEVEL, {"min_level": 2})), cadre_a)
    assert r.passed and check(r, "level").sentence == "现任 乡科级正职 ≥ 乡科级正职 ✔"
    r = one(pool((CriterionKind.LEVEL, {"min_level": 3}), name="县处级"), cadre_a)
    assert not r.passed and check(r, "level").sentence == "现任 乡科级正职 < 县处级副职 ✘"


def test_no_post_and_no_rank_has_no_level(cadre_a):
    r = one(pool((CriterionKind.LEVEL, {"min_level": 1})), cadre_a)
    assert not r.passed and check(r, "level").value == 0


# --------------------------------------------------------------------------- 3. years at level
def test_years_at_level_count_whole_12_month_periods_from_the_month_of_appointment(cadre_a, tree):
    post = PostFactory(unit=tree.town_a, level=2)
    Appointment.objects.create(cadre=cadre_a, post=post, start_date=D(2022, 6, 20))
    Cadre.objects.filter(pk=cadre_a.pk).update(current_post=post)
    p = pool((CriterionKind.YEARS_AT_LEVEL, {"years": 4}))
    assert not one(p, cadre_a, D(2026, 5, 31)).passed
    r = one(p, cadre_a, D(2026, 6, 1))  # 48 months counted from June 2022, whatever the day
    assert r.passed and check(r, "years_at_level").value == 4
    assert check(r, "years_at_level").sentence == "自 2022-06 起任 乡科级正职（或以上），满 4 年 ≥ 4 年 ✔"


def test_years_at_level_start_at_the_continuous_run_of_posts_or_ranks_at_that_level(cadre_a, tree):
    chief, deputy, higher = (PostFactory(unit=tree.town_a, level=2), PostFactory(unit=tree.town_a, level=1),
                             PostFactory(unit=tree.county_a, level=3))
    Appointment.objects.create(cadre=cadre_a, post=deputy, start_date=D(2015, 1, 1), end_date=D(2018, 12, 31))
    Appointment.objects.create(cadre=cadre_a, post=chief, start_date=D(2019, 1, 1), end_date=D(2020, 12, 31))
    Appointment.objects.create(cadre=cadre_a, post=higher, start_date=D(2021, 1, 1), end_date=D(2021, 6, 30))
    Appointment.objects.create(cadre=cadre_a, post=chief, start_date=D(2021, 7, 1))  # back to 乡科级正职: no gap
    Cadre.objects.filter(pk=cadre_a.pk).update(current_post=chief)
    p = pool((CriterionKind.YEARS_AT_LEVEL, {"years": 7}))
    r = one(p, cadre_a, D(2026, 1, 1))
    assert r.passed and check(r, "years_at_level").value == 7  # since January 2019
    # A gap breaks the run: only the last stretch counts.
    Appointment.objects.filter(cadre=cadre_a, start_date=D(2021, 7, 1)).update(start_date=D(2021, 8, 1))
    assert check(one(p, cadre_a, D(2026, 1, 1)), "years_at_level").value == 4
    # An equivalent rank held since before closes the gap's effect.
    RankHistory.objects.create(cadre=cadre_a, rank=rank("二级主任科员"), start_date=D(2018, 3, 1))
    assert check(one(p, cadre_a, D(2026, 1, 1)), "years_at_level").value == 7  # since March 2018 → 7 years 10 months


def test_years_at_level_without_records_fail(cadre_a):
    Cadre.objects.filter(pk=cadre_a.pk).update(current_rank=rank("一级主任科员"))
    r = one(pool((CriterionKind.YEARS_AT_LEVEL, {"years": 0})), cadre_a)
    assert not r.passed and check(r, "years_at_level").value is None


# --------------------------------------------------------------------------- 4. grades
@pytest.fixture
def graded(org_staff, cadre_a):
    """Annual results 2023 称职, 2024 基本称职 (2025 missing), published."""
    conduct_helpers.published_periods(org_staff, {cadre_a: (80, 70)}, years=(2023, 2024))
    AssessmentResult.objects.filter(cadre=cadre_a, period__year=2024).update(grade="3")
    return cadre_a


def test_grades_a_basic_year_fails_none_below_competent(graded):
    p = pool((CriterionKind.GRADES, {"years": 3, "min_grade": "2"}))
    r = one(p, graded)
    assert not r.passed and check(r, "grades").value == {2023: "2", 2024: "3"}
    assert check(r, "grades").sentence == (
        "近 3 年年度考核：2023 称职、2024 基本称职、2025 无结果；2024 低于称职；缺少 2025 的结果（不影响） ✘")
    assert one(pool((CriterionKind.GRADES, {"years": 3, "min_grade": "3"}), name="b"), graded).passed


def test_grades_a_missing_year_fails_only_when_missing_fails(graded):
    AssessmentResult.objects.filter(cadre=graded).update(grade="2")
    lenient = pool((CriterionKind.GRADES, {"years": 3, "min_grade": "2"}))
    strict = pool((CriterionKind.GRADES, {"years": 3, "min_grade": "2", "missing_fails": True}), name="strict")
    out = eligibility_many([lenient, strict], [graded], on=ON)
    assert out[lenient.pk][graded.pk].passed
    assert check(out[lenient.pk][graded.pk], "grades").sentence.endswith("均不低于称职；缺少 2025 的结果（不影响） ✔")
    assert not out[strict.pk][graded.pk].passed
    assert check(out[strict.pk][graded.pk], "grades").sentence.endswith("缺少 2025 的结果 ✘")
    # Two years asked: 2024 and 2025 only.
    assert check(one(pool((CriterionKind.GRADES, {"years": 1, "min_grade": "2"}), name="c"), graded),
                 "grades").value == {}


def test_grades_unpublished_periods_do_not_count(graded):
    from assessment.models import AssessmentPeriod, PeriodStatus

    AssessmentPeriod.objects.filter(year=2024).update(status=PeriodStatus.OPEN)
    r = one(pool((CriterionKind.GRADES, {"years": 3, "min_grade": "2"})), graded)
    assert r.passed and check(r, "grades").value == {2023: "2"}


# --------------------------------------------------------------------------- 5. points
def record(cadre, points, *, start=D(2025, 3, 1), status="verified"):  # noqa: B008
    return PerformanceRecord.objects.create(
        cadre=cadre, unit=cadre.unit, category=TaskCategory.objects.order_by("id").first(), title="项目",
        description="做法", role="lead", start_date=start, status=status, points=Decimal(points))


def test_points_just_below_and_at_the_minimum(cadre_a):
    p = pool((CriterionKind.POINTS, {"years": 3, "min": 20}))
    record(cadre_a, "12.50")
    record(cadre_a, "7.49", start=D(2023, 12, 2))  # the first day of the last 3 years up to 2026-12-01
    record(cadre_a, "30", start=D(2023, 12, 1))  # a day too early
    record(cadre_a, "30", start=D(2026, 12, 2))  # after the day asked
    record(cadre_a, "30", status="submitted")  # not verified: not counted
    r = one(p, cadre_a)
    assert not r.passed and check(r, "points").value == Decimal("19.99")
    assert check(r, "points").sentence == "近 3 年已核实实绩积分 19.99 分 < 20 分 ✘"
    record(cadre_a, "0.01")
    r = one(p, cadre_a)
    assert r.passed and check(r, "points").sentence == "近 3 年已核实实绩积分 20 分 ≥ 20 分 ✔"


def test_points_of_a_superseded_record_do_not_count(cadre_a):
    old = record(cadre_a, "25")
    new = record(cadre_a, "10")
    PerformanceRecord.objects.filter(pk=old.pk).update(superseded_by=new)
    assert check(one(pool((CriterionKind.POINTS, {"years": 2, "min": 20})), cadre_a), "points").value == 10


# --------------------------------------------------------------------------- 6. tags
def test_tags_all_and_any(cadre_a):
    young, women, grass = (Tag.objects.create(name="优秀年轻干部"), Tag.objects.create(name="女干部"),
                           Tag.objects.create(name="基层经历"))
    cadre_a.tags.add(young, grass)
    every = pool((CriterionKind.TAGS, {"tags": [young.pk, women.pk], "mode": "all"}))
    some = pool((CriterionKind.TAGS, {"tags": [young.pk, women.pk], "mode": "any"}), name="any")
    out = eligibility_many([every, some], [cadre_a], on=ON)
    r = out[every.pk][cadre_a.pk]
    assert not r.passed and check(r, "tags").sentence == "具有标签 优秀年轻干部；缺少 女干部 ✘"
    assert out[some.pk][cadre_a.pk].passed
    assert check(out[some.pk][cadre_a.pk], "tags").value == [young.pk]
    cadre_a.tags.add(women)
    assert one(every, cadre_a).passed


# --------------------------------------------------------------------------- 7. frontline
def posting(cadre, evaluation, *, status="closed", evaluated_on=D(2025, 12, 31)):  # noqa: B008
    return FrontlinePosting.objects.create(
        cadre=cadre, programme=Programme.objects.order_by("id").first(), host="驻村", start_date=D(2025, 1, 1),
        end_date=D(2025, 12, 31), status=status, evaluation=evaluation, evaluated_on=evaluated_on)


def test_frontline_evaluation_boundary(cadre_a):
    p = pool((CriterionKind.FRONTLINE, {"min_count": 1, "min_evaluation": "good"}))
    posting(cadre_a, "fair")
    posting(cadre_a, "excellent", status="approved", evaluated_on=None)  # still running
    r = one(p, cadre_a)
    assert not r.passed and check(r, "frontline").sentence == "期满评价良好及以上的一线历练 0 次 < 1 次 ✘"
    posting(cadre_a, "good")
    r = one(p, cadre_a)
    assert r.passed and check(r, "frontline").value == 1
    assert not one(p, cadre_a, D(2025, 12, 30)).passed  # evaluated after the day asked


def test_frontline_defaults_are_one_posting_at_least_good():
    clean, errors = criteria_clean("frontline", {})
    assert not errors and clean == {"min_count": 1, "min_evaluation": "good"}


# --------------------------------------------------------------------------- 8, 9. always applied
def test_a_yellow_cards_last_day_blocks_and_the_day_after_does_not(cadre_a):
    card = conduct_helpers.card(cadre_a, start=D(2026, 3, 1), months=6)
    assert card.end_date == D(2026, 8, 31)
    p = pool((CriterionKind.AGE, {"max": 70}))
    last = one(p, cadre_a, D(2026, 8, 31))
    assert not last.passed
    assert [c.sentence for c in last.failed] == ["黄牌 2026-03-01 至 2026-08-31（推诿扯皮）：不得进入储备库 ✘"]
    after = one(p, cadre_a, D(2026, 9, 1))
    assert after.passed and check(after, "standing").sentence == "无不得进入储备库的情形 ✔"


def test_a_ruling_waiving_pool_lets_the_cadre_in_and_says_so(cadre_a):
    card = conduct_helpers.card(cadre_a, start=D(2026, 3, 1), months=6)
    ToleranceRuling.objects.create(
        cadre=cadre_a, unit=cadre_a.unit, applicant="org", matter="事项", loss="损失", conduct="表现", card=card,
        status=RulingStatus.DECIDED, decision=RulingDecision.PARTIAL, decided_on=D(2026, 5, 10), waive_pool=True)
    r = one(pool((CriterionKind.AGE, {"max": 70})), cadre_a, D(2026, 6, 1))
    assert r.passed
    waiver = check(r, "standing")
    assert waiver.passed and waiver.sentence.startswith("容错认定（2026-05-10，")
    assert "免除黄牌 2026-03-01 至 2026-08-31（推诿扯皮）对进入储备库的影响 ✔" in waiver.sentence


def test_a_cadre_not_in_office_fails(cadre_a, cadre_b):
    Cadre.objects.filter(pk=cadre_a.pk).update(status=CadreStatus.RETIRED)
    p = pool()
    out = eligibility(p, [cadre_a, cadre_b], on=ON)
    assert check(out[cadre_a.pk], "active").sentence == "干部状态：退休，须在职 ✘"
    assert out.eligible_ids == {cadre_b.pk}
    assert set(eligibility(p, on=ON)) == {cadre_b.pk}  # None: every active cadre


def test_a_criterion_with_bad_stored_params_fails_for_everyone_and_says_so(cadre_a):
    r = one(pool((CriterionKind.AGE, {"min": 50, "max": 40})), cadre_a)
    assert not r.passed and check(r, "age").sentence == "条件参数有误，请重新设置 ✘"


# --------------------------------------------------------------------------- validation and summaries
def test_criteria_validate_refuses_an_impossible_age_range():
    assert criteria_validate("age", {"min": 50, "max": 40}) == {"max": ["最高年龄（40 岁）不能小于最低年龄（50 岁）。"]}
    assert criteria_validate("age", {}) == {"__all__": ["最低年龄和最高年龄至少填写一项。"]}
    assert criteria_validate("age", {"max": "45"}) == {}


def test_criteria_validate_gives_every_problem_at_once(db):
    errors = criteria_validate("grades", {"years": 0, "min_grade": "9", "colour": 1})
    assert errors == {"colour": ["“近年考核等次”条件没有参数“colour”。"], "years": ["“考核年数”须在 1 到 10 之间。"],
                      "min_grade": ["“最低等次”不是有效的考核等次。"]}
    assert criteria_validate("points", {"years": 3}) == {"min": ["请填写“最低实绩积分”。"]}
    assert criteria_validate("nope", {}) == {"kind": ["未知的条件类型“nope”。"]}
    assert criteria_validate("level", {"min_level": 11}) == {"min_level": ["“最低职务层次”不是有效的职务层次。"]}


def test_criteria_validate_refuses_unknown_tags(db):
    tag = Tag.objects.create(name="优秀年轻干部")
    assert criteria_validate("tags", {"tags": [tag.pk, 999999], "mode": "all"}) == {
        "tags": ["没有编号为 999999 的标签。"]}
    assert criteria_validate("tags", {"tags": [], "mode": "all"}) == {"tags": ["请填写“标签”。"]}
    assert criteria_validate("tags", {"tags": [tag.pk], "mode": "most"}) == {"mode": ["“要求”的取值无效。"]}


def test_describe_says_each_criterion_in_a_sentence(db):
    tag = Tag.objects.create(name="优秀年轻干部")
    p = pool((CriterionKind.AGE, {"max": 45}), (CriterionKind.LEVEL, {"min_level": 2}),
             (CriterionKind.YEARS_AT_LEVEL, {"years": 2}), (CriterionKind.GRADES, {"years": 3, "min_grade": "2"}),
             (CriterionKind.POINTS, {"years": 3, "min": 20}), (CriterionKind.TAGS, {"tags": [tag.pk], "mode": "any"}),
             (CriterionKind.FRONTLINE, {}))
    assert [describe(c) for c in p.criteria.all()] == [
        "年龄不超过 45 岁", "现任职务层次或职级不低于 乡科级正职", "现职务层次或职级任职满 2 年",
        "近 3 年年度考核等次均不低于称职", "近 3 年已核实实绩积分不少于 20 分", "具有以下标签之一：优秀年轻干部",
        "一线历练期满评价良好及以上不少于 1 次"]
    assert set(CRITERIA) == set(CriterionKind.values)


# --------------------------------------------------------------------------- set-based
def _world(n, tree, tags):
    post = PostFactory(unit=tree.town_a, level=2)
    cadres = CadreFactory.create_batch(n, unit=tree.town_a, current_post=post)
    for i, c in enumerate(cadres):
        Appointment.objects.create(cadre=c, post=post, start_date=D(2020, 1 + i % 12, 1))
        record(c, "10")
        c.tags.add(tags[i % 2])
        if i % 3 == 0:
            conduct_helpers.card(c, start=D(2026, 11, 1))
        if i % 4 == 0:
            posting(c, "good")
    return cadres


@pytest.mark.parametrize("n", [5, 50])
def test_the_number_of_queries_does_not_grow_with_the_cadres(tree, org_staff, n, django_assert_num_queries):
    tags = [Tag.objects.create(name="甲"), Tag.objects.create(name="乙")]
    cadres = _world(n, tree, tags)
    conduct_helpers.published_periods(org_staff, {c: (80, 80) for c in cadres}, years=(2024, 2025))
    p = pool((CriterionKind.AGE, {"max": 60}), (CriterionKind.LEVEL, {"min_level": 2}),
             (CriterionKind.YEARS_AT_LEVEL, {"years": 2}), (CriterionKind.GRADES, {"years": 2, "min_grade": "2"}),
             (CriterionKind.POINTS, {"years": 3, "min": 5}), (CriterionKind.TAGS, {"tags": [t.pk for t in tags], "mode": "any"}),
             (CriterionKind.FRONTLINE, {}))
    q = pool((CriterionKind.POINTS, {"years": 1, "min": 5}), (CriterionKind.GRADES, {"years": 1, "min_grade": "1"}),
             name="another")
    # criteria 1, cadres 1, standing 5, years_at_level 2, grades 1, points 1, tags 2, frontline 1
    with django_assert_num_queries(14):
        out = eligibility_many([p, q], Cadre.objects.filter(unit=tree.town_a), on=ON)
        assert {len(r.checks) for r in out[p.pk].values()} >= {9}
    assert out[p.pk].eligible_ids == {c.pk for i, c in enumerate(cadres) if i % 3 and i % 4 == 0}
    with django_assert_num_queries(13):  # no tag names without details
        assert eligibility_many([p, q], [c.pk for c in cadres], on=ON, details=False)[p.pk].eligible_ids == \
            out[p.pk].eligible_ids


def test_ids_objects_and_querysets_give_the_same_answer(tree, cadre_a, cadre_b):
    p = pool((CriterionKind.AGE, {"max": 70}))
    Cadre.objects.filter(pk=cadre_b.pk).update(status=CadreStatus.TRANSFERRED)
    by_ids = eligibility(p, [cadre_a.pk, cadre_b.pk], on=ON)
    by_objects = eligibility(p, [cadre_a, cadre_b], on=ON)
    by_qs = eligibility(p, Cadre.objects.filter(pk__in=[cadre_a.pk, cadre_b.pk]), on=ON)
    sliced = eligibility(p, Cadre.objects.order_by("id")[:5], on=ON)
    assert by_ids.eligible_ids == by_objects.eligible_ids == by_qs.eligible_ids == sliced.eligible_ids == {cadre_a.pk}
    assert set(by_qs) == {cadre_a.pk, cadre_b.pk} and cadre_b.pk in by_qs and 0 not in by_qs
    assert eligibility(p, [], on=ON).eligible_ids == set()


def test_each_pool_only_for_its_own_cadres_gives_the_same_answers_with_the_same_queries(tree, org_staff,
                                                                                       django_assert_num_queries):
    tags = [Tag.objects.create(name="甲"), Tag.objects.create(name="乙")]
    cadres = _world(12, tree, tags)
    conduct_helpers.published_periods(org_staff, {c: (80, 80) for c in cadres}, years=(2024, 2025))
    p = pool((CriterionKind.AGE, {"max": 60}), (CriterionKind.YEARS_AT_LEVEL, {"years": 2}),
             (CriterionKind.GRADES, {"years": 2, "min_grade": "2"}), (CriterionKind.POINTS, {"years": 3, "min": 5}),
             (CriterionKind.TAGS, {"tags": [tags[0].pk], "mode": "all"}), (CriterionKind.FRONTLINE, {}))
    q = pool((CriterionKind.GRADES, {"years": 1, "min_grade": "1"}), name="another")
    ids = [c.pk for c in cadres]
    whole = eligibility_many([p, q], ids, on=ON)
    mine = {p.pk: ids[::2], q.pk: ids[1::3]}
    with django_assert_num_queries(14):  # the same queries as for every cadre in every pool
        part = eligibility_many([p, q], on=ON, cadres_by_pool=mine)
    for pool_, wanted in mine.items():
        assert sorted(part[pool_]) == sorted(wanted)
        for cid in wanted:
            assert part[pool_][cid] == whole[pool_][cid]
        assert part[pool_].eligible_ids == whole[pool_].eligible_ids & set(wanted)


def test_rule_5_summed_from_the_callers_windows_is_the_queried_sum(tree, org_staff, django_assert_num_queries):
    from promotion.services.ranking import points_windows

    cadres = _world(6, tree, [Tag.objects.create(name="甲"), Tag.objects.create(name="乙")])
    p = pool((CriterionKind.POINTS, {"years": 2, "min": 5}))
    ids = sorted(c.pk for c in cadres)
    queried = eligibility(p, ids, on=ON)
    windows = np.zeros((len(ids), 3), dtype=np.int64)
    for i, cid in enumerate(ids):
        for k, (start, end) in enumerate(points_windows(ON, 3)):
            total = sum(r.points for r in PerformanceRecord.objects.filter(cadre_id=cid, start_date__gte=start,
                                                                          start_date__lte=end))
            windows[i, k] = int(total * 100)
    with django_assert_num_queries(7):  # criteria, cadres, standing 5: no records query
        given = eligibility_many([p], ids, on=ON, points=(np.array(ids), windows))[p.pk]
    assert all(given[c] == queried[c] for c in ids)
