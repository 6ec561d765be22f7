"""Grades within a group: thresholds, the veto, the 优秀 cap and how ties at the cap are resolved."""
from assessment.models import Grade, grade_label
from assessment.services import Candidate, excellent_cap, grade_group

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
    from decimal import Decimal

    from assessment.models import Indicator
    from assessment.services import weight_errors

    assert weight_errors([Indicator(weight=Decimal("50")), Indicator(weight=Decimal("40"))]) == [
        "各指标权重之和须为100，现为90。"]
