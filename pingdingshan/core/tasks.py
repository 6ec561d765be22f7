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
