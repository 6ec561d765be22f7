"""Tasks of the assessment app. Thin: they take plain values and call a service."""
import datetime as dt

from celery import shared_task

# The daily check must finish well inside a day; the soft limit ends it cleanly (its transaction
# rolls back, the next run does the work), the hard one kills a stuck worker process.
DAILY_SOFT_LIMIT = 20 * 60
DAILY_HARD_LIMIT = DAILY_SOFT_LIMIT + 60


@shared_task(name="assessment.conduct_daily", acks_late=True, soft_time_limit=DAILY_SOFT_LIMIT,
             time_limit=DAILY_HARD_LIMIT)
def conduct_daily(on: str | None = None) -> dict:
    """Daily (CELERY_BEAT_SCHEDULE "conduct-daily"): cards expire, overdue adjustments and due
    follow-ups are reminded, the triggers propose (``services.daily.conduct_daily``). ``on``: an ISO
    date instead of today. Acknowledged late: a worker lost mid-run leaves the task queued, and the
    run is idempotent."""
    from .services.daily import conduct_daily as run

    return run(on=dt.date.fromisoformat(on) if on else None)
