"""``standing``: what is in force for cadres on a day, from cards, sanctions, rulings,
clarifications, awards and dates (assessment/services/standing.py, its rules 1–5)."""
import datetime as dt

import pytest
from django.test import override_settings

from assessment.models import (
    Award,
    AwardKind,
    CardReason,
    CardStatus,
    Clarification,
    RulingDecision,
    RulingStatus,
    Sanction,
    ToleranceRuling,
    WarningCard,
)
from assessment.services.standing import standing
from cadres.models import Cadre
from tests.factories import CadreFactory

D = dt.date
START, END = D(2026, 3, 1), D(2026, 8, 31)


def card(cadre, *, color="yellow", status=CardStatus.ISSUED, start=START, end=END, lifted_on=None):
    return WarningCard.objects.create(
        color=color, cadre=cadre, unit=cadre.unit, reason=CardReason.objects.get(name="推诿扯皮"), facts="事实",
        issuing_body="市委组织部", start_date=start, end_date=end, status=status, lifted_on=lifted_on)


def ruling(cadre, *, card=None, sanction=None, decision=RulingDecision.PARTIAL, status=RulingStatus.DECIDED,
           decided_on=dt.date(2026, 5, 10), **waive):  # noqa: B008
    return ToleranceRuling.objects.create(
        cadre=cadre, unit=cadre.unit, applicant="org", matter=f"事项{cadre.pk}-{card and card.pk}-{sanction and sanction.pk}",
        loss="损失", conduct="表现", card=card, sanction=sanction, status=status, decision=decision,
        decided_on=decided_on, **waive)


def sanction(cadre, *, kind="warning", decided_on=dt.date(2026, 2, 1), end_date=dt.date(2026, 7, 31),  # noqa: B008
             revoked=False):
    return Sanction.objects.create(cadre=cadre, kind=kind, decided_on=decided_on, end_date=end_date, body="县纪委监委",
                                   revoked_on=D(2026, 4, 1) if revoked else None,
                                   revoke_reason="撤销" if revoked else "")


def award(cadre, *, name="鹰城担当作为好干部", awarded_on=dt.date(2025, 12, 20), revoked=False):  # noqa: B008
    return Award.objects.create(kind=AwardKind.objects.get(name=name), cadre=cadre, unit=cadre.unit, year=awarded_on.year,
                                awarded_on=awarded_on, issuing_body="市委", revoked_on=D(2026, 1, 5) if revoked else None,
                                revoke_reason="撤销" if revoked else "")


def one(cadre, **kw):
    return standing([cadre.pk], **kw)[cadre.pk]


# --------------------------------------------------------------------------- rule 1: a card's term
def test_a_yellow_card_blocks_pool_award_and_excellent_on_its_start_day(cadre_a):
    c = card(cadre_a)
    s = one(cadre_a, on=START)
    assert s.cards == [c]
    assert s.blocked("pool") and s.blocked("award") and s.blocked("excellent")
    assert not s.blocked("promotion")
    assert s.reasons("pool") == ["黄牌 2026-03-01 至 2026-08-31（推诿扯皮）：不得进入储备库"]
    assert s.reasons("excellent") == ["黄牌 2026-03-01 至 2026-08-31（推诿扯皮）：不得评为优秀"]
    assert s.blocks["award"][0].kind == "card" and s.blocks["award"][0].id == c.pk


def test_a_card_counts_on_its_last_day_and_not_the_day_after(cadre_a):
    card(cadre_a, color="red")
    assert one(cadre_a, on=END).reasons("promotion") == ["红牌 2026-03-01 至 2026-08-31（推诿扯皮）：不得提拔任用"]
    after = one(cadre_a, on=END + dt.timedelta(days=1))
    assert after.cards == [] and after.blocks == {}
    assert one(cadre_a, on=START - dt.timedelta(days=1)).blocks == {}


def test_a_lifted_card_counts_until_the_day_before_it_was_lifted(cadre_a):
    card(cadre_a, status=CardStatus.LIFTED, lifted_on=D(2026, 5, 1))
    assert one(cadre_a, on=D(2026, 4, 30)).blocked("pool")
    assert not one(cadre_a, on=D(2026, 5, 1)).blocked("pool")
    assert one(cadre_a, during=(D(2026, 4, 30), D(2026, 6, 1))).blocked("pool")
    assert not one(cadre_a, during=(D(2026, 5, 1), D(2026, 6, 1))).cards


def test_a_card_lifted_on_its_start_day_never_counts(cadre_a):
    card(cadre_a, status=CardStatus.LIFTED, lifted_on=START)
    assert one(cadre_a, during=(D(2026, 1, 1), D(2026, 12, 31))).cards == []


def test_an_expired_card_counts_by_its_dates(cadre_a):
    card(cadre_a, status=CardStatus.EXPIRED)
    assert one(cadre_a, on=D(2026, 6, 1)).blocked("pool")


def test_proposed_and_revoked_cards_are_ignored(cadre_a):
    card(cadre_a, status=CardStatus.PROPOSED)
    card(cadre_a, status=CardStatus.REVOKED, color="red")
    s = one(cadre_a, on=D(2026, 6, 1))
    assert s.cards == [] and s.blocks == {}


def test_during_a_window_a_card_in_force_on_any_day_counts(cadre_a):
    card(cadre_a)
    assert one(cadre_a, during=(D(2026, 1, 1), START)).blocked("excellent")
    assert one(cadre_a, during=(END, D(2026, 12, 31))).blocked("excellent")
    assert not one(cadre_a, during=(D(2025, 1, 1), D(2026, 2, 28))).blocked("excellent")


@override_settings(CARD_BLOCKS={"yellow": ["award"], "red": ["promotion"]})
def test_what_a_card_blocks_is_a_setting_per_colour(cadre_a, cadre_b):
    card(cadre_a)
    card(cadre_b, color="red")
    out = standing([cadre_a, cadre_b], on=D(2026, 6, 1))
    assert list(out[cadre_a.pk].blocks) == ["award"]
    assert list(out[cadre_b.pk].blocks) == ["promotion"]


def test_a_clean_cadre_gets_an_empty_standing(cadre_a, cadre_b):
    card(cadre_b)
    out = standing([cadre_a.pk, cadre_b.pk], on=D(2026, 6, 1))
    assert out[cadre_a.pk].empty and not out[cadre_a.pk].blocked("pool")
    assert out[cadre_b.pk].blocked("pool")
    assert standing([]) == {}


# --------------------------------------------------------------------------- rule 2: clarification
def test_a_clarified_card_never_counts_and_says_so(cadre_a):
    c = card(cadre_a)
    cl = Clarification.objects.create(cadre=cadre_a, source="application", report="举报", finding="不实", method="written",
                                      venue="全县", cleared_on=D(2026, 4, 1), card=c)
    s = one(cadre_a, on=D(2026, 3, 15))  # even before the clarification: it never counts
    assert s.cards == [] and s.blocks == {} and s.clarifications == [cl]
    assert [(w.kind, w.id) for w in s.waivers] == [("clarification", cl.pk)]
    assert s.waivers[0].sentence == "黄牌 2026-03-01 至 2026-08-31（推诿扯皮）：已澄清正名（2026-04-01），不予计入"


# --------------------------------------------------------------------------- rule 3: sanctions
def test_a_sanction_in_force_blocks_everything(cadre_a):
    sanction(cadre_a)
    s = one(cadre_a, on=D(2026, 7, 31))
    assert set(s.blocks) == {"pool", "promotion", "award", "excellent"}
    assert s.reasons("promotion") == ["警告 2026-02-01 至 2026-07-31（县纪委监委）：不得提拔任用"]
    assert not one(cadre_a, on=D(2026, 8, 1)).blocked("promotion")


def test_a_sanction_bars_excellent_for_its_whole_calendar_year(cadre_a):
    sanction(cadre_a)
    late = one(cadre_a, on=D(2026, 12, 31))
    assert list(late.blocks) == ["excellent"]
    assert late.reasons("excellent") == ["警告 2026-02-01 至 2026-07-31（县纪委监委）：2026年度不得评为优秀"]
    assert one(cadre_a, during=(D(2026, 1, 1), D(2026, 12, 31))).blocked("excellent")
    assert not one(cadre_a, during=(D(2027, 1, 1), D(2027, 12, 31))).blocked("excellent")
    assert not one(cadre_a, on=D(2026, 1, 31)).sanctions  # not given yet


def test_a_revoked_sanction_is_ignored(cadre_a):
    sanction(cadre_a, revoked=True)
    assert one(cadre_a, on=D(2026, 3, 1)).blocks == {}


@override_settings(SANCTION_BLOCKS=["promotion"])
def test_what_a_sanction_blocks_is_a_setting(cadre_a):
    sanction(cadre_a)
    assert list(one(cadre_a, on=D(2026, 3, 1)).blocks) == ["promotion"]
    assert one(cadre_a, on=D(2026, 12, 1)).blocks == {}


# --------------------------------------------------------------------------- rule 4: rulings
def test_a_partial_ruling_waives_the_blocks_it_names(cadre_a):
    c = card(cadre_a)
    r = ruling(cadre_a, card=c, waive_awards=True)
    s = one(cadre_a, on=D(2026, 6, 1))
    assert s.cards == [c] and s.rulings == [r]
    assert not s.blocked("award") and s.blocked("pool") and s.blocked("excellent")
    assert [(w.kind, w.id, w.block) for w in s.waivers] == [("ruling", r.pk, "award")]
    assert s.waivers[0].sentence == ("容错认定（2026-05-10，部分容错）：免除黄牌 2026-03-01 至 2026-08-31（推诿扯皮）"
                                     "对评先评优的影响")
    assert s.scored_cards == [c]


def test_a_full_ruling_waiving_everything_leaves_no_block(cadre_a):
    c = card(cadre_a, color="red")
    ruling(cadre_a, card=c, decision=RulingDecision.FULL, status=RulingStatus.REPORTED, waive_assessment=True,
           waive_pool=True, waive_promotion=True, waive_awards=True)
    s = one(cadre_a, on=D(2026, 6, 1))
    assert s.blocks == {} and len(s.waivers) == 4
    assert s.scored_cards == []  # waived for the assessment: no deduction either


def test_a_ruling_waiving_the_card_removes_it(cadre_a):
    c = card(cadre_a)
    ruling(cadre_a, card=c, decision=RulingDecision.FULL, waive_card=True)
    s = one(cadre_a, on=D(2026, 6, 1))
    assert s.cards == [] and s.blocks == {}
    assert s.waivers[0].sentence.endswith("撤销黄牌 2026-03-01 至 2026-08-31（推诿扯皮），不予计入")


def test_a_ruling_not_tolerating_or_not_yet_decided_waives_nothing(cadre_a, cadre_b):
    ruling(cadre_a, card=card(cadre_a), decision=RulingDecision.NONE, waive_pool=True)
    ruling(cadre_b, card=card(cadre_b), status=RulingStatus.VERIFIED, decision="", decided_on=None, waive_pool=True)
    out = standing([cadre_a, cadre_b], on=D(2026, 6, 1))
    assert out[cadre_a.pk].blocked("pool") and out[cadre_b.pk].blocked("pool")
    assert out[cadre_a.pk].waivers == [] and out[cadre_b.pk].rulings == []


def test_a_ruling_on_a_sanction_waives_its_blocks(cadre_a):
    s_ = sanction(cadre_a)
    ruling(cadre_a, sanction=s_, waive_assessment=True)
    s = one(cadre_a, on=D(2026, 3, 1))
    assert not s.blocked("excellent") and s.blocked("promotion")
    assert s.waivers[0].block == "excellent"


# --------------------------------------------------------------------------- rule 5: priorities
def test_an_award_with_priority_gives_priority_for_its_years(cadre_a):
    a = award(cadre_a)
    award(cadre_a, name="嘉奖", awarded_on=D(2026, 1, 10))
    s = one(cadre_a, on=D(2026, 6, 1))
    assert len(s.awards) == 2
    assert [(p.kind, p.id, p.block) for p in s.priorities] == [("award", a.pk, "promotion")]
    assert s.priorities[0].sentence == "鹰城担当作为好干部（2025年）：同等条件下优先考虑"
    assert one(cadre_a, on=D(2028, 12, 19)).priorities
    assert not one(cadre_a, on=D(2028, 12, 20)).priorities  # three years (AWARD_PRIORITY_YEARS) have passed


def test_a_revoked_award_gives_nothing(cadre_a):
    award(cadre_a, revoked=True)
    s = one(cadre_a, on=D(2026, 6, 1))
    assert s.awards == [] and s.priorities == []


@override_settings(AWARD_PRIORITY_YEARS=1)
def test_the_years_of_priority_are_a_setting(cadre_a):
    award(cadre_a)
    assert not one(cadre_a, on=D(2026, 12, 20)).priorities


# --------------------------------------------------------------------------- set-based
def test_ids_objects_and_querysets_give_the_same_answer(tree, cadre_a, cadre_b):
    card(cadre_a)
    day = D(2026, 6, 1)
    by_qs = standing(Cadre.objects.filter(unit__path__startswith=tree.county_a.path), on=day)
    assert set(by_qs) == {cadre_a.pk}
    assert standing(Cadre.objects.all(), on=day)[cadre_a.pk].blocked("pool")
    assert standing(Cadre.objects.values_list("pk", flat=True), on=day)[cadre_a.pk].blocked("pool")
    assert standing([cadre_a], on=day)[cadre_a.pk].blocked("pool")
    assert not standing(Cadre.objects.filter(pk=cadre_b.pk), on=day)


def test_a_long_list_of_ids_goes_as_one_array(cadre_a):
    card(cadre_a)
    ids = [cadre_a.pk] + list(range(10**7, 10**7 + 2000))
    assert standing(ids, on=D(2026, 6, 1))[cadre_a.pk].blocked("pool")


def _world(n, unit):
    cadres = CadreFactory.create_batch(n, unit=unit)
    for i, c in enumerate(cadres):
        k = card(c, color="red" if i % 2 else "yellow")
        if i % 3 == 0:
            ruling(c, card=k, waive_pool=True)
        if i % 4 == 0:
            sanction(c)
        if i % 5 == 0:
            award(c)
        if i % 7 == 0:
            Clarification.objects.create(cadre=c, source="application", report="举报", finding="不实",
                                         method="written", venue="全县", cleared_on=D(2026, 4, 1))
    return cadres


@pytest.mark.parametrize("n", [1, 50])
def test_the_number_of_queries_does_not_grow_with_the_cadres(tree, cadre_a, n, django_assert_num_queries):
    cadres = _world(n, cadre_a.unit)
    with django_assert_num_queries(5):
        out = standing(cadres, on=D(2026, 6, 1))
        assert all(out[c.pk].blocked("excellent") for c in cadres)
        assert all(s.reasons("pool") is not None for s in out.values())


def test_card_counts_count_the_cards_standing_lists(tree, cadre_a, cadre_b):
    from assessment.services.standing import card_counts

    card(cadre_a)
    red = card(cadre_a, color="red")
    ruling(cadre_a, card=red, decision=RulingDecision.FULL, waive_card=True)
    cleared = card(cadre_b)
    Clarification.objects.create(cadre=cadre_b, source="application", report="举报", finding="不实", method="written",
                                 venue="全县", cleared_on=D(2026, 4, 1), card=cleared)
    card(cadre_b, color="red", status=CardStatus.LIFTED, lifted_on=D(2026, 5, 1))
    day = D(2026, 4, 15)
    st = standing(Cadre.objects.all(), on=day)
    listed = [c.color for s in st.values() for c in s.cards]
    assert card_counts(Cadre.objects.all(), on=day) == {"yellow": listed.count("yellow"), "red": listed.count("red")}
    assert card_counts([cadre_a.pk], on=day) == {"yellow": 1, "red": 0}
    assert card_counts([], on=day) == {"yellow": 0, "red": 0}


def test_an_annotated_or_sliced_queryset_is_a_subquery_too(cadre_a, cadre_b):
    from django.db.models import Count

    card(cadre_a)
    day = D(2026, 6, 1)
    assert set(standing(Cadre.objects.annotate(n=Count("warning_cards")), on=day)) == {cadre_a.pk}
    assert set(standing(Cadre.objects.annotate(n=Count("warning_cards")).filter(n__gt=0), on=day)) == {cadre_a.pk}
    assert set(standing(Cadre.objects.filter(pk=cadre_a.pk)[:1], on=day)) == {cadre_a.pk}
