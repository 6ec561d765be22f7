"""Import job folders are removed after IMPORT_JOB_RETENTION_DAYS (service, command, nightly beat
task); a job whose import is under way is never removed."""
import datetime as dt
import io
import os
import threading
import time
import uuid
from dataclasses import asdict

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from cadres.imports import jobs
from cadres.imports import records as service
from pingdingshan.celery import app
from tests.cadres.test_import import job_of, row, upload, xlsx


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def with_broker():
    """Task states come from the result backend (as with a worker), whatever the suite's mode."""
    old = app.conf.task_always_eager
    app.conf.CELERY_TASK_ALWAYS_EAGER = False
    yield
    app.conf.CELERY_TASK_ALWAYS_EAGER = old


@pytest.fixture
def eager():
    old = app.conf.task_always_eager
    app.conf.CELERY_TASK_ALWAYS_EAGER = True
    yield
    app.conf.CELERY_TASK_ALWAYS_EAGER = old


def make_job(user_id, *, days_ago, finished=True, state=None):
    """A job folder as import_start and run_job leave it, uploaded ``days_ago`` days ago."""
    created = timezone.now() - dt.timedelta(days=days_ago, minutes=1)
    job = jobs.Job(id=uuid.uuid4().hex, user_id=user_id, filename="f.xlsx", fmt="xlsx", size=4,
                   created=created.isoformat(), task_id=str(uuid.uuid4()))
    jobs._put(job.source, b"PK\x03\x04")
    jobs._put_json(f"{job.folder}/job.json", asdict(job))
    if finished:
        jobs._put_json(job.result_name, {"outcome": jobs.REJECTED})
        jobs._put(job.errors_name, b"PK\x03\x04")
    if state is not None:
        meta = RuntimeError("worker lost") if state == "FAILURE" else {"done": 1, "total": 2, "phase": "校验"}
        app.backend.store_result(job.task_id, meta, state)
    return job


def exists(media, job):
    return (media / job.folder).exists()


def test_removes_finished_jobs_older_than_the_retention_days(media, settings):
    assert settings.IMPORT_JOB_RETENTION_DAYS == 7  # the default
    old, old_other_user = make_job(1, days_ago=8), make_job(2, days_ago=30)
    recent = make_job(1, days_ago=6)
    removed = jobs.import_jobs_cleanup()
    assert sorted(removed) == sorted([old.folder, old_other_user.folder])
    assert not exists(media, old) and not exists(media, old_other_user)
    assert exists(media, recent) and (media / recent.source).exists()
    assert (media / "imports" / "2").is_dir()  # users' folders stay (an upload may be creating a job in it)
    settings.IMPORT_JOB_RETENTION_DAYS = 5
    assert jobs.import_jobs_cleanup() == [recent.folder]
    assert jobs.import_jobs_cleanup() == []


def test_days_argument_and_minimum(media):
    job = make_job(1, days_ago=3)
    assert jobs.import_jobs_cleanup(days=4) == []
    assert jobs.import_jobs_cleanup(days=2) == [job.folder]
    for days in (0, -1):
        with pytest.raises(ValueError):
            jobs.import_jobs_cleanup(days=days)


def test_nothing_to_do_without_any_import(media):
    assert jobs.import_jobs_cleanup() == []


def test_only_org_staff_may_start_it_as_a_user(media, org_staff, leader):
    from django.core.exceptions import PermissionDenied

    job = make_job(1, days_ago=10)
    with pytest.raises(PermissionDenied):
        jobs.import_jobs_cleanup(by=leader)
    assert exists(media, job)
    assert jobs.import_jobs_cleanup(by=org_staff) == [job.folder]


@pytest.mark.parametrize("state", ["PROGRESS", "STARTED", "RETRY", "RECEIVED"])
def test_an_unfinished_job_under_way_is_kept_however_old(media, with_broker, state):
    job = make_job(1, days_ago=30, finished=False, state=state)
    assert jobs.import_jobs_cleanup() == []
    assert exists(media, job)


@pytest.mark.parametrize("state", [None, "FAILURE", "SUCCESS"])
def test_an_old_unfinished_job_no_worker_holds_is_removed(media, with_broker, state):
    """Lost in the queue (PENDING: the backend does not know the task) or ended without a result."""
    job = make_job(1, days_ago=8, finished=False, state=state)
    assert jobs.import_jobs_cleanup() == [job.folder]


def test_an_unfinished_job_is_kept_when_its_state_cannot_be_read(media, with_broker, monkeypatch):
    job = make_job(1, days_ago=30, finished=False)
    monkeypatch.setattr(jobs, "_task_state", lambda job: None)  # the broker is away
    assert jobs.import_jobs_cleanup() == []
    assert exists(media, job)


def test_eager_mode_jobs_ran_in_their_request(media, eager):
    """Without a broker (the demo) the task ran inside the upload request: an old unfinished job is over."""
    job = make_job(1, days_ago=8, finished=False)
    assert jobs.import_jobs_cleanup() == [job.folder]


def test_folders_without_a_job_file_go_when_nothing_changed_in_them(media):
    stale, fresh = media / "imports" / "1" / ("a" * 32), media / "imports" / "1" / ("b" * 32)
    for folder in (stale, fresh):
        folder.mkdir(parents=True)
        (folder / "source.xlsx").write_bytes(b"PK")
    ten_days_ago = time.time() - 10 * 86400
    for path in (stale / "source.xlsx", stale):
        os.utime(path, (ten_days_ago, ten_days_ago))
    assert jobs.import_jobs_cleanup() == [f"imports/1/{'a' * 32}"]
    assert not stale.exists() and fresh.exists()


def test_a_queued_task_whose_job_was_removed_ends_quietly(media, leader):
    job = make_job(leader.pk, days_ago=8, finished=False)
    jobs.import_jobs_cleanup(now=timezone.now() + dt.timedelta(days=1))
    assert jobs.run_job(job_id=job.id, by=leader) == {"outcome": jobs.GONE}


def test_command(media):
    old, recent = make_job(1, days_ago=8), make_job(1, days_ago=2)
    out = io.StringIO()
    call_command("cleanup_import_jobs", stdout=out)
    assert "已删除 1 个超过 7 天的导入任务文件夹。" in out.getvalue()
    assert not exists(media, old) and exists(media, recent)
    out = io.StringIO()
    call_command("cleanup_import_jobs", "--days", "1", "-v", "2", stdout=out)
    assert recent.folder in out.getvalue() and "已删除 1 个超过 1 天" in out.getvalue()
    with pytest.raises(CommandError, match="至少为1天"):
        call_command("cleanup_import_jobs", "--days", "0")


def test_beat_runs_the_cleanup_every_night():
    from celery.schedules import crontab

    entries = [e for e in app.conf.beat_schedule.values() if e["task"] == "cadres.cleanup_import_jobs"]
    assert len(entries) == 1
    schedule = entries[0]["schedule"]
    assert isinstance(schedule, crontab)
    assert len(schedule.hour) == 1 and len(schedule.minute) == 1  # once a day
    assert schedule.day_of_week == set(range(7)) and len(schedule.day_of_month) == 31
    app.loader.import_default_modules()  # what a starting worker or beat does (autodiscovery)
    assert "cadres.cleanup_import_jobs" in app.tasks


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_running_import_survives_the_cleanup_on_a_real_worker(celery_worker, client, leader, cadre_a, media,
                                                                monkeypatch):
    """An import held in its save phase by the worker is not removed even when long past the
    retention time; the cleanup task itself runs on the worker and removes an old finished job."""
    reached, release = threading.Event(), threading.Event()
    real_insert = service.bulk_create_audited

    def held_insert(*args, **kwargs):
        reached.set()
        release.wait(30)
        return real_insert(*args, **kwargs)

    monkeypatch.setattr(service, "bulk_create_audited", held_insert)
    old = make_job(leader.pk, days_ago=8)
    client.force_login(leader)
    job = jobs.job_get(user=leader, job_id=job_of(upload(client, xlsx([row(cadre_a)]))))
    try:
        assert reached.wait(30), "the worker did not start the import"
        assert jobs.import_jobs_cleanup(now=timezone.now() + dt.timedelta(days=30)) == [old.folder]
        assert (media / job.source).exists()
    finally:
        release.set()
    from celery.result import AsyncResult

    assert AsyncResult(job.task_id, app=app).get(timeout=30)["imported"] == 1
    assert (media / job.result_name).exists()
    old = make_job(leader.pk, days_ago=8)
    assert app.send_task("cadres.cleanup_import_jobs").get(timeout=30) == 1
    assert not exists(media, old) and exists(media, job)
