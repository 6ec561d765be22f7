"""The triggers that propose cards and reminders: each fires on its facts and not otherwise, follows
its setting, proposes once (its key), skips cadres not in office and clarified cards, and never
issues anything; the proposal workflow (confirm / dismiss)."""
import datetime as dt

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import override_settings
from django.utils import timezone, translation

from assessment.models import AssessmentPeriod, CardProposal, Clarification, ConductStep, Reminder, WarningCard
from assessment.services import proposals, triggers
from cadres.models import Cadre, PerformanceRecord
from pingdingshan.core.dates import today
from tests.conftest import rolled_back

from . import conduct_world as W

ON = dt.date(2026, 6, 1)


def with_trigger(name, **values):
    cfg = {k: dict(v) for k, v in settings.CARD_TRIGGERS.items()}
    cfg[name].update(values)
    return override_settings(CARD_TRIGGERS=cfg)


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker):
    with rolled_back(django_db_blocker, W.build) as w:
        yield w


@pytest.fixture
def w(db, _world):
    return _world


@pytest.fixture
def a(w):
    return Cadre.objects.get(pk=w["people"].cadre_a.pk)


@pytest.fixture
def b(w):
    return Cadre.objects.get(pk=w["people"].cadre_b.pk)


def keys(found):
    return sorted(p.key for p in found)


# --------------------------------------------------------------------------- grades
def test_a_published_basic_grade_proposes_yellow_and_nothing_else_does(w, a, b):
    basic = W.result(w, w["periods"][2025], a, grade="3")
    W.result(w, w["periods"][2024], b, grade="2")  # 称职
    W.result(w, w["periods"][2026], b, grade="3")  # an open period: not yet published
    found = triggers.grade_basic(on=ON)
    assert keys(found) == [f"grade_basic:result:{basic.pk}"]
    assert found[0].suggestion == "yellow" and found[0].cadre_id == a.pk
    assert triggers.proposal_sentence(found[0]) == "2025年度考核（已发布）等次为基本称职"
    with translation.override("en"):
        english = triggers.proposal_sentence(found[0])
        assert english.startswith("2025年度考核 (published): graded ") and "基本称职" not in english
    # published on 2026-01-20: not yet on the day before
    assert triggers.grade_basic(on=dt.date(2026, 1, 19)) == []
    with with_trigger("grade_basic", on=False):
        assert triggers.grade_basic(on=ON) == []
    # published without a publication time (loaded from elsewhere): published all the same
    AssessmentPeriod.objects.filter(pk=w["periods"][2025].pk).update(published_at=None)
    assert len(triggers.grade_basic(on=dt.date(2026, 1, 19))) == 1


def test_an_incompetent_grade_proposes_red(w, a):
    bad = W.result(w, w["periods"][2025], a, grade="4")
    assert triggers.grade_basic(on=ON) == []
    found = triggers.grade_incompetent(on=ON)
    assert keys(found) == [f"grade_incompetent:result:{bad.pk}"] and found[0].suggestion == "red"
    with with_trigger("grade_incompetent", on=False):
        assert triggers.grade_incompetent(on=ON) == []


# --------------------------------------------------------------------------- second yellow
def test_a_second_yellow_within_twelve_months_proposes_red(w, a, b):
    W.card(a, dt.date(2025, 3, 1))
    second = W.card(a, dt.date(2026, 2, 28))  # within 12 months of the first (last day 2026-02-28)
    W.card(b, dt.date(2024, 1, 1))
    W.card(b, dt.date(2025, 1, 1))  # 12 months and a day later: not within
    W.card(b, dt.date(2025, 6, 1), status="revoked")  # revoked: not issued
    W.card(b, dt.date(2025, 7, 1), status="proposed")  # proposed: not issued
    found = triggers.second_yellow(on=ON)
    assert keys(found) == [f"second_yellow:card:{second.pk}"] and found[0].suggestion == "red"
    assert found[0].facts["earlier_date"] == "2025-03-01"
    assert "2026-02-28" in triggers.proposal_sentence(found[0])
    with with_trigger("second_yellow", months=24):
        assert len(triggers.second_yellow(on=ON)) == 2
    with with_trigger("second_yellow", on=False):
        assert triggers.second_yellow(on=ON) == []
    assert triggers.second_yellow(on=dt.date(2026, 2, 27)) == []  # not issued yet on that day


def test_a_clarified_card_does_not_count(w, a):
    first = W.card(a, dt.date(2025, 3, 1))
    W.card(a, dt.date(2025, 9, 1))
    assert len(triggers.second_yellow(on=ON)) == 1
    Clarification.objects.create(cadre=a, source="investigator", report="反映不作为", finding="不属实",
                                 method="meeting", venue="镇党委会", cleared_on=dt.date(2025, 10, 1), card=first)
    assert triggers.second_yellow(on=ON) == []


# --------------------------------------------------------------------------- bottom share
def test_the_bottom_five_percent_in_two_consecutive_periods_proposes_yellow(w, a, b):
    W.result(w, w["periods"][2024], a, rank=20, size=20)
    last = W.result(w, w["periods"][2025], a, rank=39, size=40)  # 2nd from the bottom of 40: 5 %
    W.result(w, w["periods"][2024], b, rank=20, size=20)
    W.result(w, w["periods"][2025], b, rank=38, size=40)  # 3rd from the bottom of 40: 7.5 %
    found = triggers.bottom_share(on=ON)
    assert keys(found) == [f"bottom_share:result:{last.pk}:2"] and found[0].cadre_id == a.pk
    sentence = triggers.proposal_sentence(found[0])
    assert "2024年度考核、2025年度考核" in sentence and "第 39/40 名" in sentence
    with with_trigger("bottom_share", percent=10):
        assert {p.cadre_id for p in triggers.bottom_share(on=ON)} == {a.pk, b.pk}
    with with_trigger("bottom_share", periods=3):  # only two published periods
        assert triggers.bottom_share(on=ON) == []
    with with_trigger("bottom_share", on=False):
        assert triggers.bottom_share(on=ON) == []


def test_one_bad_period_or_a_small_group_does_not_propose(w, a, b):
    W.result(w, w["periods"][2024], a, rank=20, size=20)
    W.result(w, w["periods"][2025], a, rank=1, size=20)
    W.result(w, w["periods"][2024], b, rank=10, size=10)  # last of 10 is the bottom 10 %, not 5 %
    W.result(w, w["periods"][2025], b, rank=10, size=10)
    W.result(w, w["periods"][2026], a, rank=20, size=20)  # the open period does not count
    assert triggers.bottom_share(on=ON) == []
    with with_trigger("bottom_share", periods=1):
        assert {p.cadre_id for p in triggers.bottom_share(on=ON)} == {a.pk}


# --------------------------------------------------------------------------- records lagging
def test_records_returned_often_or_left_returned_propose_a_reminder(w, a, b):
    by = w["people"].org_staff
    for i in range(3):
        W.returned_record(by, a, title=f"项目{i}")
    old = W.returned_record(by, b)
    day = today()
    assert triggers.records_lagging(on=day) == {a.pk: triggers.records_lagging(on=day)[a.pk]}
    facts = triggers.records_lagging(on=day)[a.pk]
    assert facts["returned"] == 3 and facts["overdue"] == []
    # b's record left returned 31 days: overdue
    PerformanceRecord.objects.filter(pk=old.pk).update(reviewed_at=timezone.now() - dt.timedelta(days=31))
    lagging = triggers.records_lagging(on=day)
    assert set(lagging) == {a.pk, b.pk} and lagging[b.pk]["overdue"] == [old.pk]
    assert set(triggers.records_lagging(on=day, cadre_ids=[b.pk])) == {b.pk}
    found = {p.cadre_id: p for p in triggers.FINDERS["records_lagging"](on=day)}
    assert {p.suggestion for p in found.values()} == {"reminder"}
    assert "3 次" in triggers.proposal_sentence(found[a.pk])
    assert "超过 30 天未重新提交" in triggers.proposal_sentence(found[b.pk])
    with with_trigger("records_lagging", returned=4, overdue_days=40):
        assert triggers.records_lagging(on=day) == {}
    with with_trigger("records_lagging", on=False):
        assert triggers.records_lagging(on=day) == {}


def test_a_resubmitted_record_is_not_overdue_and_old_returns_fall_out_of_the_window(w, a):
    by = w["people"].org_staff
    record = W.returned_record(by, a)
    from cadres import services as csvc

    PerformanceRecord.objects.filter(pk=record.pk).update(reviewed_at=timezone.now() - dt.timedelta(days=60))
    assert triggers.records_lagging(on=today())[a.pk]["overdue"] == [record.pk]
    csvc.record_submit(by=by, record=PerformanceRecord.objects.get(pk=record.pk))
    assert triggers.records_lagging(on=today()) == {}
    with with_trigger("records_lagging", returned=1):
        assert a.pk in triggers.records_lagging(on=today())
        assert triggers.records_lagging(on=today() + dt.timedelta(days=200)) == {}


# --------------------------------------------------------------------------- running them
def test_triggers_run_proposes_once_and_never_issues(w, a, b):
    W.result(w, w["periods"][2025], a, grade="3")
    W.result(w, w["periods"][2025], b, grade="4")
    cards_before = WarningCard.objects.count()
    counts = triggers.triggers_run(on=ON)
    assert counts["grade_basic"] == 1 and counts["grade_incompetent"] == 1 and sum(counts.values()) == 2
    rows = {p.cadre_id: p for p in CardProposal.objects.all()}
    assert rows[a.pk].suggestion == "yellow" and rows[a.pk].status == "pending" and rows[a.pk].detected_on == ON
    assert rows[b.pk].suggestion == "red"
    assert rows[a.pk].history.count() == 1  # audited
    assert WarningCard.objects.count() == cards_before and not Reminder.objects.exists()  # nothing issued
    assert sum(triggers.triggers_run(on=ON).values()) == 0  # each fires once
    assert sum(triggers.triggers_run(on=ON + dt.timedelta(days=1)).values()) == 0
    assert CardProposal.objects.count() == 2


def test_cadres_not_in_office_are_skipped(w, a):
    W.result(w, w["periods"][2025], a, grade="3")
    Cadre.objects.filter(pk=a.pk).update(status="retired")
    assert triggers.triggers_run(on=ON)["grade_basic"] == 0


def test_an_unknown_or_broken_fact_still_reads(w, a):
    p = CardProposal(trigger="grade_basic", cadre=a, suggestion="yellow", facts={"oops": 1}, key="x", detected_on=ON)
    assert triggers.proposal_sentence(p) == "考核等次为基本称职"
    assert triggers.proposal_sentence(CardProposal(trigger="other", facts={})) == "other"


# --------------------------------------------------------------------------- the workflow
def _proposal(w, a, suggestion="yellow"):
    W.result(w, w["periods"][2025], a, grade="3")
    triggers.triggers_run(on=ON)
    p = CardProposal.objects.get(cadre=a)
    if suggestion != p.suggestion:
        CardProposal.objects.filter(pk=p.pk).update(suggestion=suggestion, trigger="records_lagging")
        p.refresh_from_db()
    return p


def test_dismiss_needs_a_reason_and_org_staff(w, a):
    p = _proposal(w, a)
    staff = w["people"].org_staff
    with pytest.raises(ValidationError) as e:
        proposals.proposal_dismiss(by=staff, proposal=p, reason="  ")
    assert "reason" in e.value.message_dict
    with pytest.raises(PermissionDenied):
        proposals.proposal_dismiss(by=w["people"].auditor, proposal=p, reason="事出有因")
    with pytest.raises(PermissionDenied):
        proposals.proposal_dismiss(by=w["people"].leader, proposal=p, reason="事出有因")
    assert CardProposal.objects.get(pk=p.pk).status == "pending"
    assert proposals.allowed_actions(p, staff) == {"confirm", "dismiss"}
    assert proposals.allowed_actions(p, w["people"].auditor) == frozenset()
    proposals.proposal_dismiss(by=staff, proposal=p, reason="考核期间长期病假")
    p.refresh_from_db()
    assert (p.status, p.decide_reason, p.decided_by_id) == ("dismissed", "考核期间长期病假", staff.pk)
    step = ConductStep.objects.get(subject="proposal", subject_id=p.pk)
    assert (step.action, step.from_status, step.to_status) == ("dismiss", "pending", "dismissed")
    with pytest.raises(ValidationError) as e:  # decided once
        proposals.proposal_dismiss(by=staff, proposal=p, reason="再次")
    assert "不能驳回" in str(e.value)
    assert not WarningCard.objects.filter(proposal=p).exists()


def test_a_reminder_suggestion_is_confirmed_by_a_reminder_not_a_card(w, a):
    p = _proposal(w, a, suggestion="reminder")
    staff = w["people"].org_staff
    assert proposals.allowed_actions(p, staff) == {"remind", "dismiss"}
    with pytest.raises(ValidationError):
        proposals.proposal_confirm(by=staff, proposal=p, reason="同意")
    from assessment.services.reminders import reminder_create

    reminder = reminder_create(by=staff, cadre=a, kind="talk", held_on=today(), content="提醒谈话",
                               follow_up_on=today() + dt.timedelta(days=30), proposal=p)
    p.refresh_from_db()
    assert p.status == "confirmed" and reminder.proposal_id == p.pk
    assert not WarningCard.objects.filter(proposal=p).exists()


def test_card_defaults_come_from_the_proposal(w, a):
    p = _proposal(w, a)
    d = proposals.card_defaults(p)
    assert d["color"] == "yellow" and d["card_reason"].name == "考核结果较差"
    assert d["facts"] == "2025年度考核（已发布）等次为基本称职"


def test_confirm_creates_a_proposed_card(w, a):
    p = _proposal(w, a)
    staff = w["people"].org_staff
    with pytest.raises(ValidationError) as e:
        proposals.proposal_confirm(by=staff, proposal=p, reason="")
    assert "reason" in e.value.message_dict and not WarningCard.objects.filter(proposal=p).exists()
    proposals.proposal_confirm(by=staff, proposal=p, reason="情况属实", start_date=ON)
    p.refresh_from_db()
    assert p.status == "confirmed" and p.decided_by_id == staff.pk
    card = WarningCard.objects.get(proposal=p)
    assert (card.status, card.color, card.cadre_id, card.start_date) == ("proposed", "yellow", a.pk, ON)
    assert card.reason.name == "考核结果较差" and "基本称职" in card.facts


def test_a_proposal_out_of_sight_is_404_for_leaders(w, a):
    p = _proposal(w, a)
    from pingdingshan.core import permissions as gate

    with pytest.raises(Http404):
        gate.get_or_404(CardProposal, w["people"].leader, "view", pk=p.pk)
