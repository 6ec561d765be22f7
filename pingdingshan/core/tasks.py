"""Infrastructure tasks. Tasks stay thin: they take ids and call a service."""
from celery import shared_task
from django.db import connection

from .registry import health_checks


@shared_task(name="core.health_check")
def health_check() -> dict:
    """Round trip through the broker and the database: used by ops checks and by the test
    that proves a real worker runs our tasks. Apps add their figures (``registry.health_checks``:
    the roster's number of ranks)."""
    with connection.cursor() as cur:
        cur.execute("SELECT 1")
    return {"db": "ok", **{check.key: check.get() for check in health_checks}}


@shared_task(bind=True, name="core.run_job")
def run_job(self, job_id: str) -> dict:
    """Run one background job (``pingdingshan.core.jobs``); the time limits come with the call."""
    from . import jobs

    return jobs.execute(job_id, task=self)


@shared_task(name="core.cleanup_jobs")
def cleanup_jobs() -> int:
    """Nightly (CELERY_BEAT_SCHEDULE): remove finished jobs older than JOB_RETENTION_DAYS."""
    from . import jobs

    return jobs.jobs_cleanup(by=None)
