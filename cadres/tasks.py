"""Tasks of the cadres app. Thin: they take ids and call a service."""
from celery import shared_task
from django.contrib.auth import get_user_model


@shared_task(bind=True, name="cadres.import_records")
def import_records(self, job_id: str, user_id: int) -> dict:
    """Import a stored upload (``cadres.imports.jobs``) as the user who uploaded it, reporting
    progress as the task state PROGRESS with meta {"done", "total", "phase"}. Imports now start as
    jobs of the one runner (``core.run_job``); this task stays for the ones queued before."""
    from .imports import jobs

    user = get_user_model().objects.get(pk=user_id, is_active=True)

    def progress(done: int, total: int, phase: str) -> None:
        if self.request.id:
            self.update_state(state=jobs.PROGRESS_STATE, meta={"done": done, "total": total, "phase": phase})

    return jobs.run_job(job_id=job_id, by=user, progress=progress)


@shared_task(name="cadres.cleanup_import_jobs")
def cleanup_import_jobs() -> int:
    """Nightly (CELERY_BEAT_SCHEDULE): remove import job folders older than IMPORT_JOB_RETENTION_DAYS."""
    from .imports import jobs

    return len(jobs.import_jobs_cleanup(by=None))
