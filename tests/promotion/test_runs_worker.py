"""The nightly ranking on real Celery workers over Redis against PostgreSQL (committed data, so
these tests flush the database: they live in their own module): the task and the page's job rank
and make the run current; two runs at once never give two current runs, the second says so; a
worker killed with SIGKILL in the middle of the write leaves the previous ranking current and the
lock free, and the next run marks the killed one failed and succeeds."""
import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest
from django.conf import settings
from django.db import connection
from django_celery_beat.models import PeriodicTask

from pingdingshan.core import jobs, locks
from pingdingshan.core.models import Job, JobState
from promotion import jobs as promotion_jobs
from promotion import tasks
from promotion.models import RankingEntry, RankingRun, RunStatus, RunTrigger
from promotion.services import ranking
from promotion.services.runs import LOCK_KEY, RunBusy, current_run, ranking_run, run_under_way
from tests.conftest import make_tree

from . import ranking_world as w

ON = w.ON
DAY = "2026-12-01"
committed = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _wait(predicate, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@committed
def test_the_nightly_task_and_the_pages_job_rank_on_a_real_worker(celery_worker, org_staff):
    assert PeriodicTask.objects.get(name=tasks.NIGHTLY).task == "promotion.rank_pools"  # beat's schedule row
    w.build(make_tree())
    out = tasks.rank_pools.delay(on=DAY).get(timeout=30)
    nightly = RankingRun.objects.get(pk=out["run"])
    assert out["status"] == RunStatus.DONE and nightly.is_current and nightly.trigger == RunTrigger.BEAT
    assert RankingEntry.objects.filter(run=nightly).count() == 4 == out["counts"]["entries"]

    job = jobs.start(by=org_staff, kind=promotion_jobs.RANKING_RUN, params={"on": DAY})
    assert _wait(lambda: Job.objects.get(pk=job.pk).state == JobState.DONE, 30), Job.objects.get(pk=job.pk).message
    run = current_run()
    assert run.job_id == job.pk and run.started_by == org_staff and run.trigger == RunTrigger.PAGE
    assert RankingRun.objects.get(pk=nightly.pk).status == RunStatus.REPLACED  # the same date: replaced
    assert RankingEntry.objects.count() == 4


@committed
def test_two_runs_at_once_one_runs_and_the_other_says_so(celery_worker, monkeypatch):
    w.build(make_tree())
    reached, release = threading.Event(), threading.Event()
    real = ranking.rank_pools

    def held(*args, **kwargs):
        reached.set()
        release.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(ranking, "rank_pools", held)
    result = tasks.rank_pools.delay(on=DAY)
    try:
        assert reached.wait(30), "the worker did not start the run"
        running = run_under_way()
        assert running is not None and running.status == RunStatus.RUNNING
        with pytest.raises(RunBusy) as e:
            ranking_run(on=ON, trigger=RunTrigger.COMMAND)
        assert e.value.messages[0].startswith("另一次排名正在运行（始于 ") and "本次未执行" in e.value.messages[0]
        assert RankingRun.objects.count() == 1  # the refused run left no row
    finally:
        release.set()
    assert result.get(timeout=30)["status"] == RunStatus.DONE
    assert RankingRun.objects.filter(is_current=True).get().pk == running.pk
    assert run_under_way() is None


# The worker of the kill test: a real Celery worker process whose write stops after the first
# pool's rows (inside the run's transaction) and says so.
WORKER = """
import os, sys, time
import django
django.setup()
from promotion.services import runs
real = runs._insert_pool
def slow(*args, **kwargs):
    n = real(*args, **kwargs)
    os.write(1, b"IN-WRITE\\n")  # the worker takes over sys.stdout: straight to the pipe
    time.sleep(120)
    return n
runs._insert_pool = slow
from pingdingshan.celery import app
app.worker_main(["worker", "-P", "solo", "-Q", sys.argv[1], "-l", "WARNING", "--without-heartbeat",
                 "--without-gossip", "--without-mingle"])
"""


def _holders():
    with connection.cursor() as cur:
        cur.execute("SELECT a.pid, a.state, a.application_name, a.client_port, a.backend_start, a.query FROM pg_locks l "
                    "JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory'")
        return cur.fetchall()


def _forget_unacked(queue):
    """The killed worker's task stays unacknowledged in Redis (acks_late): drop it from this test
    database's Redis (it would be redelivered after the visibility timeout)."""
    import redis

    r = redis.Redis.from_url(os.environ["REDIS_URL"])
    for tag, payload in r.hgetall("unacked").items():
        try:
            routing = json.loads(payload)[2]
        except (ValueError, IndexError):
            continue
        if routing == queue:
            r.hdel("unacked", tag)
            r.zrem("unacked_index", tag)


@committed
def test_a_worker_killed_mid_write_leaves_the_previous_ranking_and_the_next_run_succeeds(tmp_path):
    if not os.environ.get("REDIS_URL"):
        pytest.skip("REDIS_URL is not set")
    w.build(make_tree())
    previous = ranking_run(on=ON.replace(day=1), trigger=RunTrigger.COMMAND)
    queue = f"kill-{os.getpid()}"
    db = connection.settings_dict
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "pingdingshan.settings.test",
           "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"}
    log = tmp_path / "worker.log"
    worker = subprocess.Popen([sys.executable, "-c", WORKER, queue], cwd=settings.BASE_DIR, env=env,
                              stdout=subprocess.PIPE, stderr=log.open("w"), text=True)
    try:
        tasks.rank_pools.apply_async(kwargs={"on": DAY}, queue=queue)
        reached = threading.Event()

        def read():
            for line in worker.stdout:
                if "IN-WRITE" in line:
                    reached.set()
                    return

        threading.Thread(target=read, daemon=True).start()
        assert reached.wait(40), f"the worker did not reach the write: {log.read_text()[-3000:]}"
        killed = run_under_way()
        assert killed is not None and killed.pk != previous.pk  # it holds the lock, its first pool written
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(10)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait(10)
        _forget_unacked(queue)
    assert _wait(lambda: not locks.held_elsewhere(LOCK_KEY)), f"the lock is still held: {_holders()}"
    assert current_run() == previous  # nothing of the killed run is visible
    assert not RankingEntry.objects.filter(run=killed).exists()
    assert RankingRun.objects.get(pk=killed.pk).status == RunStatus.RUNNING  # until the next run
    after = ranking_run(on=ON, trigger=RunTrigger.COMMAND)
    assert after.is_current and after.status == RunStatus.DONE
    killed.refresh_from_db()
    assert killed.status == RunStatus.FAILED and killed.error == "运行中断（进程被终止）"
    assert RankingRun.objects.filter(is_current=True).count() == 1
