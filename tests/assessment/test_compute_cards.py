"""Cards in the assessment: grading rule 4 (a card or a sanction in force during the period bars
优秀; the explanation says why) and the card deduction as a scoring source (``cards``, stored as
``card_deduction``) with its method ``card_deduction`` (红黄牌扣分: 100 − the deductions)."""
import datetime as dt
from decimal import Decimal

import numpy as np
import pytest
from django.test import override_settings

from assessment import scoring
from assessment import services as asvc
from assessment.models import CardReason, Grade, Indicator, RulingDecision, Sanction, ToleranceRuling, WarningCard
from assessment.selectors import explanation, note_sentence
from assessment.services import compute

from .results_world import score_and_compute

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_open_world")]  # built once (conftest.py)


def card(cadre, color="yellow", start=dt.date(2026, 3, 1), end=dt.date(2026, 8, 31)):
    return WarningCard.objects.create(
        color=color, cadre=cadre, unit=cadre.unit, reason=CardReason.objects.get(name="推诿扯皮"), facts="事实",
        issuing_body="市委组织部", start_date=start, end_date=end, status="issued")


def by_name(deputies, name):
    return next(c for c in deputies if c.name == name)


def test_rule_4_a_card_in_force_during_the_period_refuses_excellent(org_staff, period, deputies):
    top = by_name(deputies, "乙一")  # 96: the one 优秀 of the group without a card
    card(top)
    rs = score_and_compute(org_staff, period, deputies)
    assert rs["乙一"].grade == rs["乙一"].computed_grade == Grade.COMPETENT
    assert rs["乙一"].grade_note == "barred"
    assert rs["甲一"].grade == Grade.EXCELLENT  # 94.4 takes the place the barred one does not
    assert rs["乙一"].rank_composite == 1  # the rank is by composite, as before
    notes = asvc.explain(rs["乙一"]).data["notes"]
    assert ["barred", {"reasons": ["黄牌 2026-03-01 至 2026-08-31（推诿扯皮）：不得评为优秀"]}] in notes
    shown = explanation(rs["乙一"])["notes"]
    assert any("不得评为优秀，评为称职" in n and "黄牌 2026-03-01" in n for n in shown)
    assert rs["乙一"].card_deduction == Decimal("10")  # stored with the result (the default 10 per yellow)
    assert rs["甲一"].card_deduction == 0


def test_rule_4_a_card_ended_before_the_period_does_not_bar(org_staff, period, deputies):
    card(by_name(deputies, "乙一"), start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31))
    rs = score_and_compute(org_staff, period, deputies)
    assert rs["乙一"].grade == Grade.EXCELLENT and rs["乙一"].card_deduction == 0


def test_rule_4_a_sanction_given_in_the_year_bars_excellent(org_staff, period, deputies):
    Sanction.objects.create(cadre=by_name(deputies, "乙一"), kind="warning", decided_on=dt.date(2026, 11, 1),
                            end_date=dt.date(2027, 4, 30), body="县纪委监委")
    rs = score_and_compute(org_staff, period, deputies)
    assert rs["乙一"].grade_note == "barred" and rs["甲一"].grade == Grade.EXCELLENT


def test_rule_4_a_ruling_waiving_the_assessment_spares_the_grade_and_the_deduction(org_staff, period, deputies):
    top = by_name(deputies, "乙一")
    c = card(top)
    ToleranceRuling.objects.create(cadre=top, unit=top.unit, applicant="org", matter="事项", loss="损失", conduct="表现",
                                   card=c, status="decided", decision=RulingDecision.PARTIAL,
                                   decided_on=dt.date(2026, 5, 1), waive_assessment=True)
    rs = score_and_compute(org_staff, period, deputies)
    assert rs["乙一"].grade == Grade.EXCELLENT and rs["乙一"].card_deduction == 0


def test_the_barred_note_in_words_without_reasons_left():
    assert note_sentence("barred", {"reasons": []}, {}, {}) == "考核周期内受红黄牌或处分影响，不得评为优秀，评为称职。"


# --------------------------------------------------------------------------- the card deduction
def test_the_cards_source_sums_the_deductions_per_colour_in_hundredths(org_staff, period, deputies, monkeypatch):
    from assessment.services import standing as standing_mod

    a, b = by_name(deputies, "甲一"), by_name(deputies, "甲二")
    card(a)
    card(a, color="red", start=dt.date(2026, 9, 1), end=dt.date(2027, 8, 31))
    card(b, start=dt.date(2027, 1, 1), end=dt.date(2027, 6, 30))  # after the period
    calls = []
    real = standing_mod.standing
    monkeypatch.setattr(standing_mod, "standing", lambda *a, **kw: calls.append(kw) or real(*a, **kw))
    loaded = compute.load(period)
    assert calls == [{"during": (dt.date(2026, 1, 1), dt.date(2026, 12, 31))}]  # once, for the bar and the source
    row = {int(cid): k for k, cid in enumerate(loaded.cadre_id)}
    assert loaded.sources["cards"][row[a.pk]] == 4000 and loaded.sources["cards"][row[b.pk]] == 0
    assert loaded.barred[row[a.pk]] and not loaded.barred[row[b.pk]]
    assert "_standing" not in period.__dict__  # asked once for the phase, not kept


@override_settings(CARD_DEDUCTION={"yellow": "12.5", "red": "60"})
def test_the_card_deduction_method_scores_100_minus_the_deductions(org_staff, period, deputies):
    # The scheme's 实绩积分 indicator (weight 20) scored by the card deduction instead.
    ind = Indicator.objects.get(scheme=period.schemes.get(), name="实绩积分")
    Indicator.objects.filter(pk=ind.pk).update(method="card_deduction", params={})
    a, b = by_name(deputies, "甲一"), by_name(deputies, "甲二")
    card(a)
    card(b)
    card(b, color="red", start=dt.date(2026, 9, 1), end=dt.date(2027, 8, 31))
    rs = score_and_compute(org_staff, period, deputies)
    # 甲一: raters 93 → 0.8 × 93 = 74.4 + (100 − 12.5) × 0.2 = 17.5 → 91.9
    assert rs["甲一"].composite == Decimal("91.90") and rs["甲一"].card_deduction == Decimal("12.5")
    # 甲二: 12.5 + 60 = 72.5 → 27.5 × 0.2 = 5.5; 0.8 × 90 = 72 → 77.5
    assert rs["甲二"].composite == Decimal("77.50")
    assert rs["乙一"].composite == Decimal("96.00")  # no card: 100 × 0.2
    e = asvc.explain(rs["甲二"]).data
    row = next(r for r in e["indicators"] if r[0] == ind.pk)
    assert row[1] == 27.5
    assert "黄牌每张扣12.5分，红牌每张扣60分" in row[5] and "最低0分" in row[5]


def test_the_card_deduction_never_goes_below_zero():
    out = scoring.get("card_deduction").derive({"cards": np.array([0, 4000, 10000, 13000])}, {})
    assert out.tolist() == [10000, 6000, 0, 0]
    assert scoring.get("card_deduction").label == "红黄牌扣分"
    assert scoring.STORED["cards"] == "card_deduction"


def test_rule_4_an_override_to_excellent_is_refused_with_the_reasons(org_staff, period, deputies):
    from django.core.exceptions import ValidationError

    card(by_name(deputies, "乙一"))
    rs = score_and_compute(org_staff, period, deputies)
    asvc.result_override(by=org_staff, result=rs["甲一"], grade=Grade.COMPETENT, reason="腾出名额")
    with pytest.raises(ValidationError, match="不得评为优秀：黄牌 2026-03-01 至 2026-08-31"):
        asvc.result_override(by=org_staff, result=rs["乙一"], grade=Grade.EXCELLENT, reason="表现突出")


def test_rule_4_a_card_recorded_after_the_computation_holds_up_publication(org_staff, period, deputies):
    from django.core.exceptions import ValidationError

    rs = score_and_compute(org_staff, period, deputies)
    assert rs["乙一"].grade == Grade.EXCELLENT
    card(by_name(deputies, "乙一"))
    assert any("不得评为优秀" in p for p in asvc.publish_problems(period))
    with pytest.raises(ValidationError, match="不得评为优秀"):
        asvc.period_publish(by=org_staff, period=period, confirm=True)
    asvc.period_compute(by=org_staff, period=period)
    period.refresh_from_db()
    assert asvc.publish_problems(period) == []


def test_the_result_page_shows_the_card_deduction(client, org_staff, period, deputies):
    from django.urls import reverse

    card(by_name(deputies, "乙一"), color="red")
    rs = score_and_compute(org_staff, period, deputies)
    client.force_login(org_staff)
    html = client.get(reverse("assessment:result_detail", args=[rs["乙一"].pk])).content.decode()
    assert "红黄牌扣分 30" in html and "不得评为优秀，评为称职" in html
    html = client.get(reverse("assessment:result_detail", args=[rs["甲一"].pk])).content.decode()
    assert "result-card-deduction" not in html


def test_the_computation_says_how_many_were_barred(client, eager, org_staff, period, deputies):
    from django.urls import reverse

    from .conftest import all_raters
    from .results_world import verified_points

    card(by_name(deputies, "甲一"))
    for c in deputies:
        all_raters(org_staff, period, c, 95, 95, 95)
        verified_points(c, Decimal("30"), dt.date(2026, 3, 1))  # composite 96: every one an 优秀 candidate
    client.force_login(org_staff)
    r = client.post(reverse("assessment:period_compute", args=[period.pk]))
    msgs = [str(m) for m in r.wsgi_request._messages]
    assert any("已计算 5 名考核对象" in m for m in msgs)
    assert "其中 1 人综合得分达到优秀分数线，但考核周期内受红黄牌或处分影响，评为称职。" in msgs
