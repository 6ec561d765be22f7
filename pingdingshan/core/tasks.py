"""Infrastructure tasks. Tasks stay thin: they take ids and call a service."""
from celery import shared_task
from django.db import connection


@shared_task(name="core.health_check")
def health_check() -> dict:
    """Round trip through the broker and the database: used by ops checks and by the test
    that proves a real worker runs our tasks."""
    from cadres.models import Rank

    with connection.cursor() as cur:
        cur.execute("SELECT 1")
    return {"db": "ok", "ranks": Rank.objects.count()}
