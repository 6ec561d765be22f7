"""Celery runs our tasks on a real worker over Redis (not eager mode)."""
import pytest

from pingdingshan.celery import app


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_task_runs_on_a_real_worker(celery_worker):
    assert app.conf.task_always_eager is False
    result = app.send_task("core.health_check")
    assert result.get(timeout=30) == {"db": "ok", "ranks": 12}
