"""Grades within a group: thresholds, the veto, the 优秀 cap and how ties at the cap are resolved;
exactly in hundredths, and for a whole period at once (``grade_arrays``) as for one group."""
from decimal import Decimal

import numpy as np

from assessment.models import Grade, grade_label
from assessment.services import Candidate, excellent_cap, grade_group
from assessment.services.grading import grade_arrays

RULES = {"excellent_min": 90, "competent_min": 70, "basic_min": 60, "share": 20}


def grades(cands, **rules):
    return {k: v[0] for k, v in grade_group(cands, **{**RULES, **rules}).items()}


def c(i, composite, points=0.0, political=0.0, vetoed=False):
    return Candidate(i, composite, points, political, vetoed)


def test_cap_rounds_down():
    assert excellent_cap(10, 20) == 2
    assert excellent_cap(9, 20) == 1
    assert excellent_cap(4, 20) == 0
    assert excellent_cap(8, "25") == 2


def test_thresholds_and_cap():
    out = grades([c(1, 99), c(2, 95), c(3, 91), c(4, 75), c(5, 65), c(6, 59), c(7, 80), c(8, 85), c(9, 72),
                  c(10, 71)])
    assert out[1] == out[2] == Grade.EXCELLENT  # cap 2 of 10
    assert out[3] == Grade.COMPETENT  # above the line, beyond the cap
    assert out[4] == Grade.COMPETENT and out[5] == Grade.BASIC and out[6] == Grade.INCOMPETENT


def test_veto_is_incompetent_whatever_the_total_and_still_counts_in_the_group():
    out = grade_group([c(1, 99, vetoed=True), c(2, 95), c(3, 80), c(4, 80), c(5, 80)], **RULES)
    assert out[1] == (Grade.INCOMPETENT, "veto", {})
    assert out[2][0] == Grade.EXCELLENT  # 5 graded → cap 1; the vetoed one does not take it


def test_tie_broken_by_points_then_political():
    out = grades([c(1, 95, points=10), c(2, 95, points=12), c(3, 80), c(4, 80), c(5, 80)])
    assert out[2] == Grade.EXCELLENT and out[1] == Grade.COMPETENT
    out = grades([c(1, 95, 10, political=18), c(2, 95, 10, political=19), c(3, 80), c(4, 80), c(5, 80)])
    assert out[2] == Grade.EXCELLENT and out[1] == Grade.COMPETENT


def test_full_tie_at_the_cap_never_exceeds_it():
    cands = [c(1, 95, 10, 19), c(2, 95, 10, 19), c(3, 80), c(4, 80), c(5, 80)]
    out = grade_group(cands, **RULES)
    assert out[1] == out[2] == (Grade.COMPETENT, "tie", {"cap": 1})
    # With room for both, both are 优秀.
    out = grades(cands + [c(6, 80), c(7, 80), c(8, 80), c(9, 80), c(10, 80)])
    assert out[1] == out[2] == Grade.EXCELLENT


def test_tie_below_the_winners_keeps_the_winners():
    out = grade_group([c(1, 99), c(2, 95), c(3, 95), *[c(i, 80) for i in range(4, 11)]], **RULES)
    assert out[1][0] == Grade.EXCELLENT
    assert out[2] == out[3] == (Grade.COMPETENT, "tie", {"cap": 2})


def test_no_composite_no_grade():
    assert grade_group([c(1, None)], **RULES)[1] == ("", "incomplete", {})


def test_institutions_word_grades_differently():
    assert grade_label("2", "gov_dept") == "称职"
    assert grade_label("2", "institution") == "合格"
    assert grade_label("4", "enterprise") == "不合格"
    assert grade_label("", "institution") == ""


def test_weight_total_is_written_plainly():
    from assessment.models import Indicator
    from assessment.services import weight_errors

    assert weight_errors([Indicator(weight=Decimal("50")), Indicator(weight=Decimal("40"))]) == [
        "各指标权重之和须为100，现为90。"]


# --------------------------------------------------------------------------- exact hundredths, whole periods
def test_rule_3_a_composite_exactly_on_a_line_meets_it():
    # 70.00 is 称职 and 69.99 基本称职: compared in hundredths, never as floats near the line.
    out = grades([c(1, 70.00), c(2, 69.99), c(3, 90.00), c(4, 89.99), c(5, 60.00), c(6, 59.99)], share=0)
    assert out[1] == Grade.COMPETENT and out[2] == Grade.BASIC
    assert out[3] == Grade.COMPETENT and out[4] == Grade.COMPETENT  # 优秀 candidate, cap 0
    assert out[5] == Grade.BASIC and out[6] == Grade.INCOMPETENT
    line = grade_group([c(1, 70.00)], **{**RULES, "competent_min": Decimal("70.00")})
    assert line[1] == (Grade.COMPETENT, "", {})


def test_rule_5_cap_of_a_share_with_decimals_rounds_down_exactly():
    # 12.5% of 8 graded = exactly 1; of 7 = 0.875 → 0.
    eight = grade_group([c(i, 95 - i) for i in range(1, 9)], **{**RULES, "share": "12.5"})
    assert [v[0] for v in eight.values()].count(Grade.EXCELLENT) == 1
    seven = grade_group([c(i, 95 - i) for i in range(1, 8)], **{**RULES, "share": "12.5"})
    assert [v[0] for v in seven.values()].count(Grade.EXCELLENT) == 0


def test_grade_arrays_decides_each_group_as_grade_group_does():
    """Rules 1–5 over many groups at once give, group by group, what ``grade_group`` gives."""
    rng = np.random.default_rng(10)
    n = 600
    group = rng.integers(0, 12, n)
    comp = rng.choice([5999, 6000, 6999, 7000, 8999, 9000, 9500, 10000], n)  # equal composites: ties at the cap
    points = rng.integers(0, 2, n) * 100
    political = rng.integers(0, 2, n) * 100
    vetoed = rng.random(n) < 0.05
    missing = rng.random(n) < 0.05
    barred = rng.random(n) < 0.05
    out = grade_arrays(group, np.ma.masked_array(comp, mask=missing), points, political, vetoed, **RULES,
                       barred=barred)
    for g in range(12):
        rows = np.nonzero(group == g)[0]
        cands = [Candidate(int(r), None if missing[r] else comp[r] / 100, points[r] / 100, political[r] / 100,
                           bool(vetoed[r]), bool(barred[r])) for r in rows]
        expected = grade_group(cands, **RULES)
        for r in rows:
            assert (out.grade[r], out.note[r]) == expected[int(r)][:2]
    assert (out.note == "tie").any() and (out.note == "cap").any() and (out.note == "barred").any()


def test_rule_2_veto_and_rule_1_incomplete_in_arrays():
    out = grade_arrays([0, 0, 0], np.ma.masked_array([9900, 9900, 5000], mask=[False, True, False]), [0, 0, 0],
                       [0, 0, 0], [True, True, False], **RULES)
    assert list(out.grade) == [Grade.INCOMPETENT, "", Grade.INCOMPETENT]
    assert list(out.note) == ["veto", "incomplete", ""]


def test_rule_4_a_barred_candidate_is_competent_and_takes_no_place_within_the_cap():
    cands = [Candidate(1, 99, 0, 0, False, barred=True), c(2, 95), c(3, 91), *[c(i, 80) for i in range(4, 11)]]
    out = grade_group(cands, **RULES)
    assert out[1] == (Grade.COMPETENT, "barred", {})
    assert out[2][0] == out[3][0] == Grade.EXCELLENT  # cap 2 of 10 graded: the barred one counts among the graded


def test_rule_4_a_barred_cadre_below_the_line_keeps_the_grade_by_the_thresholds():
    out = grade_group([Candidate(1, 85, 0, 0, False, barred=True), Candidate(2, 65, 0, 0, False, barred=True),
                       Candidate(3, 99, 0, 0, True, barred=True)], **RULES)
    assert out == {1: (Grade.COMPETENT, "", {}), 2: (Grade.BASIC, "", {}), 3: (Grade.INCOMPETENT, "veto", {})}


def test_rule_4_nobody_is_barred_by_default():
    out = grade_arrays([0] * 5, np.array([9900, 8000, 8000, 8000, 8000]), [0] * 5, [0] * 5, [False] * 5, **RULES)
    assert out.grade[0] == Grade.EXCELLENT
