"""The daily check (``assessment.conduct_daily``): cards expire, overdue adjustments and due
follow-ups are reminded once per object and day, the triggers propose and org staff hear of it; a
second run the same day changes nothing; two runs never overlap; org staff start it as a job; the
task runs on a real Celery worker."""
import datetime as dt

import psycopg2
import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from assessment import notices
from assessment.models import Adjustment, CardProposal, ConductStep, Reminder, WarningCard
from assessment.services import daily
from pingdingshan.celery import app
from pingdingshan.core import jobs
from pingdingshan.core.models import JobState, Notification

from . import conduct_world as W

ON = dt.date(2026, 6, 1)


@pytest.fixture
def w(db):
    return W.build()


def _world_of_things(w):
    """A 基本称职 result, a red card whose adjustment is overdue (issued by org staff), a reminder
    whose follow-up is due and one not yet due."""
    people = w["people"]
    W.result(w, w["periods"][2025], people.cadre_a, grade="3")
    red = W.card(people.cadre_b, dt.date(2026, 3, 1), color="red", months=12)
    ConductStep.objects.create(subject="card", subject_id=red.pk, action="issue", from_status="proposed",
                               to_status="issued", by=people.org_staff)
    Adjustment.objects.create(card=red, cadre=people.cadre_b, due_date=dt.date(2026, 3, 31))
    common = dict(kind="talk", held_on=dt.date(2026, 5, 1), content="谈话提醒", recorded_by=people.org_staff)
    due = Reminder.objects.create(cadre=people.cadre_a, follow_up_on=dt.date(2026, 6, 1), **common)
    Reminder.objects.create(cadre=people.cadre_b, follow_up_on=dt.date(2026, 7, 1), **common)
    return red, due


def snapshot():
    return (sorted(CardProposal.objects.values_list("key", "status")),
            sorted(Notification.objects.values_list("user_id", "kind", "params")),
            sorted(WarningCard.objects.values_list("pk", "status")),
            CardProposal.history.model.objects.count())


def test_the_daily_check_does_its_work_once_a_day(w):
    red, due = _world_of_things(w)
    staff = w["people"].org_staff
    out = daily.conduct_daily(on=ON)
    assert out["skipped"] is False
    assert out["adjustments_overdue"] == 1 and out["follow_ups_due"] == 1
    assert out["proposals"]["grade_basic"] == 1 and out["proposals_new"] == 1 and out["told"] == 1
    kinds = sorted(Notification.objects.filter(user=staff).values_list("kind", flat=True))
    assert kinds == sorted([notices.ADJUSTMENT_OVERDUE, notices.FOLLOW_UP_DUE, notices.PROPOSALS_NEW])
    told = Notification.objects.get(kind=notices.ADJUSTMENT_OVERDUE)
    assert "2026-03-31" in told.message and w["people"].cadre_b.name in told.message
    assert not Notification.objects.filter(user=w["people"].leader).exists()  # proposals are org staff's
    assert not WarningCard.objects.filter(proposal__isnull=False).exists()  # proposes, never issues

    before = snapshot()
    again = daily.conduct_daily(on=ON)  # the same day: nothing changes
    assert snapshot() == before
    assert (again["adjustments_overdue"], again["follow_ups_due"], again["proposals_new"], again["told"]) == (0, 0, 0, 0)

    nxt = daily.conduct_daily(on=ON + dt.timedelta(days=1))  # the next day: reminded again, nothing new proposed
    assert (nxt["adjustments_overdue"], nxt["follow_ups_due"], nxt["proposals_new"]) == (1, 1, 0)


def test_nothing_is_reminded_before_it_is_due_or_once_done(w):
    red, due = _world_of_things(w)
    out = daily.conduct_daily(on=dt.date(2026, 3, 31))  # due that day: not yet overdue; follow-up not yet due
    assert (out["adjustments_overdue"], out["follow_ups_due"]) == (0, 0)
    Adjustment.objects.filter(card=red).update(status="done", kind="reassign", decided_on=dt.date(2026, 4, 1))
    Reminder.objects.filter(pk=due.pk).update(followed_up_on=dt.date(2026, 6, 1))
    out = daily.conduct_daily(on=ON)
    assert (out["adjustments_overdue"], out["follow_ups_due"]) == (0, 0)


def test_cards_whose_term_ended_expire(w):
    ended = W.card(w["people"].cadre_a, dt.date(2025, 1, 1), months=6)  # ended 2025-06-30
    running = W.card(w["people"].cadre_b, dt.date(2026, 3, 1), months=6)
    out = daily.conduct_daily(on=ON)
    assert out["expired"] == 1
    assert WarningCard.objects.get(pk=ended.pk).status == "expired"
    assert WarningCard.objects.get(pk=running.pk).status == "issued"
    assert daily.conduct_daily(on=ON)["expired"] == 0


def test_a_run_while_another_holds_the_lock_does_nothing(w):
    W.result(w, w["periods"][2025], w["people"].cadre_a, grade="3")
    s = connection.settings_dict
    other = psycopg2.connect(dbname=s["NAME"], user=s["USER"], password=s["PASSWORD"], host=s["HOST"] or None,
                             port=s["PORT"] or None)
    try:
        with other.cursor() as cur:
            cur.execute("SELECT pg_advisory_lock(%s)", [daily.LOCK_KEY])
        assert daily.conduct_daily(on=ON) == {"date": ON.isoformat(), "skipped": True}
        assert not CardProposal.objects.exists()
        with other.cursor() as cur:
            cur.execute("SELECT pg_advisory_unlock(%s)", [daily.LOCK_KEY])
    finally:
        other.close()
    assert daily.conduct_daily(on=ON)["proposals_new"] == 1


def test_org_staff_run_it_as_a_job(w, eager, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    W.result(w, w["periods"][2025], w["people"].cadre_a, grade="3")
    job = jobs.start(by=w["people"].org_staff, kind="assessment.conduct_daily")
    job.refresh_from_db()
    assert job.state == JobState.DONE, job.error if hasattr(job, "error") else job.result
    assert job.result["proposals_new"] == 1 and CardProposal.objects.count() == 1
    for user in (w["people"].auditor, w["people"].leader):
        with pytest.raises(PermissionDenied):
            jobs.start(by=user, kind="assessment.conduct_daily")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_task_runs_on_a_real_worker(celery_worker):
    w = W.build()
    W.result(w, w["periods"][2025], w["people"].cadre_a, grade="4")
    assert app.conf.task_always_eager is False
    result = app.send_task("assessment.conduct_daily", kwargs={"on": ON.isoformat()})
    out = result.get(timeout=60)
    assert out["proposals"]["grade_incompetent"] == 1 and out["skipped"] is False
    assert CardProposal.objects.get().suggestion == "red"
    assert app.send_task("assessment.conduct_daily", kwargs={"on": ON.isoformat()}).get(timeout=60)["proposals_new"] == 0
    task = app.tasks["assessment.conduct_daily"]
    assert task.acks_late and task.soft_time_limit and task.time_limit > task.soft_time_limit
