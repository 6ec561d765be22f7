"""Tasks of the analysis app. Thin: they take plain values and call a service."""
import datetime as dt

from celery import shared_task


@shared_task(name="analysis.monthly_reports", acks_late=True, soft_time_limit=30 * 60, time_limit=31 * 60)
def monthly_reports(on: str | None = None) -> dict:
    """Monthly (django-celery-beat ``PeriodicTask`` "reports-monthly", seeded by migration 0003,
    its day and hour edited by org staff on /analysis/reports/): every available auditors' report
    for the whole city over the previous calendar month (``services.reports.monthly_reports``)."""
    from .services.reports import monthly_reports as run

    made = run(on=dt.date.fromisoformat(on) if on else None)
    return {"reports": [r.pk for r in made], "states": {r.kind: r.state for r in made}}
