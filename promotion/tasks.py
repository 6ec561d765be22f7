"""Tasks of the promotion app. Thin: they take plain values and call a service."""
import datetime as dt

from celery import shared_task
from django.conf import settings

# Name of the nightly run's schedule (django-celery-beat ``PeriodicTask``; created by migration
# 0002, its time edited on the settings page).
NIGHTLY = "ranking-nightly"


@shared_task(name="promotion.rank_pools", acks_late=True, reject_on_worker_lost=True,
             soft_time_limit=settings.RANKING_SOFT_LIMIT, time_limit=settings.RANKING_HARD_LIMIT)
def rank_pools(on: str | None = None, trigger: str = "beat") -> dict:
    """Rank every active pool (``services.runs.ranking_run``). ``on``: an ISO date instead of today.
    Acknowledged late and rejected on worker loss: a worker killed mid-run leaves the task queued
    for the next worker; the run is idempotent (a re-run of the date replaces it)."""
    from .services.runs import ranking_run

    run = ranking_run(on=dt.date.fromisoformat(on) if on else None, trigger=trigger)
    return {"run": run.pk, "status": run.status, "counts": run.counts}


@shared_task(name="promotion.selection_daily", acks_late=True, soft_time_limit=300, time_limit=360)
def selection_daily(on: str | None = None) -> dict:
    """Daily (CELERY_BEAT_SCHEDULE "selection-daily"): remind of probations ending within
    SELECTION_PROBATION_REMIND_DAYS days (``services.selection.probation_reminders``), once each, so
    a second run the same day changes nothing."""
    from .services.selection import probation_reminders

    return {"reminded": probation_reminders(on=dt.date.fromisoformat(on) if on else None)}
