"""The one job runner (pingdingshan.core.jobs): a registered kind runs as a Job with state and
progress, in-process without a broker and on a real worker with one; a user reaches only their
own jobs; failures end the job with a Chinese message, never a 500; old jobs are cleaned up."""
import datetime as dt
import threading
import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from pingdingshan.celery import app
from pingdingshan.core import jobs
from pingdingshan.core.models import Job, JobState
from pingdingshan.core.permissions import require

HELD = {"reached": threading.Event(), "release": threading.Event()}


def sample_run(job, progress):
    """A job that counts to params["n"], reporting progress; params["fail"] picks a failure."""
    require(job.user, "view")
    n = job.params.get("n", 3)
    fail = job.params.get("fail")
    if fail == "job_error":
        raise jobs.JobError("数据不全，无法计算。")
    if fail == "crash":
        raise RuntimeError("boom")
    if fail == "time_limit":  # what the worker raises at the soft time limit
        from celery.exceptions import SoftTimeLimitExceeded

        raise SoftTimeLimitExceeded()
    for i in range(n):
        progress(i, n, "计算")
        if job.params.get("hold") and i == 1:
            HELD["reached"].set()
            HELD["release"].wait(30)
    jobs.attach(job, b"a,b\n1,2\n", name="result.csv", download_name="结果.csv")
    return {"counted": n}


@pytest.fixture(autouse=True)
def kind(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    jobs.register("tests.sample", run="tests.core.test_jobs.sample_run", label="样例任务", action="view",
                  time_limit=120, back=lambda job: reverse("home"))
    yield
    jobs.KINDS.pop("tests.sample", None)


@pytest.fixture
def eager():
    old = app.conf.task_always_eager
    app.conf.CELERY_TASK_ALWAYS_EAGER = True
    yield
    app.conf.CELERY_TASK_ALWAYS_EAGER = old


def page(client, job, partial=False):
    headers = {"HX-Request": "true"} if partial else {}
    return client.get(reverse("core:job_detail", args=[job.pk]), headers=headers)


def test_in_process_the_job_has_run_when_start_returns(eager, leader, client):
    job = jobs.start(by=leader, kind="tests.sample", params={"n": 4})
    assert job.state == JobState.DONE and job.result == {"counted": 4}
    assert (job.done, job.total, job.phase) == (4, 4, "计算")
    assert job.started_at and job.finished_at and job.user == leader
    client.force_login(leader)
    html = page(client, job).content.decode()
    assert "样例任务" in html and "下载 结果.csv" in html and "hx-trigger" not in html
    partial = page(client, job, partial=True).content.decode()
    assert "<html" not in partial and 'data-state="done"' in partial
    f = client.get(reverse("core:job_file", args=[job.pk]))
    assert f.status_code == 200 and b"".join(f.streaming_content) == b"a,b\n1,2\n"
    assert "attachment" in f["Content-Disposition"]
    # served like every stored file (core.files.serve_file): never sniffed, no shared cache, the
    # Chinese name encoded
    assert f["X-Content-Type-Options"] == "nosniff" and f["Cache-Control"] == "private, no-cache"
    assert "filename*=utf-8''%E7%BB%93%E6%9E%9C.csv" in f["Content-Disposition"]
    assert "样例任务" in client.get(reverse("core:job_list")).content.decode()


def test_a_user_sees_only_their_own_jobs_org_staff_too(eager, leader, org_staff, client):
    job = jobs.start(by=leader, kind="tests.sample")
    client.force_login(org_staff)
    assert page(client, job).status_code == 404
    assert page(client, job, partial=True).status_code == 404
    assert client.get(reverse("core:job_file", args=[job.pk])).status_code == 404
    assert "样例任务" not in client.get(reverse("core:job_list")).content.decode()
    with pytest.raises(Exception) as e:
        jobs.job_get(user=org_staff, pk=job.pk)
    assert e.value.__class__.__name__ == "Http404"
    for bad in ("x", "0" * 32, "../etc", None):
        with pytest.raises(Exception, match="未找到该后台任务"):
            jobs.job_get(user=leader, pk=bad)
    client.logout()
    assert page(client, job).status_code == 302  # to the login page


def test_the_gate_action_is_checked_at_start(eager, no_role_user):
    with pytest.raises(PermissionDenied):
        jobs.start(by=no_role_user, kind="tests.sample")
    assert not Job.objects.exists()


@pytest.mark.parametrize("fail,message", [("job_error", "数据不全，无法计算。"), ("crash", "任务执行失败"),
                                          ("time_limit", "任务超过时限（2 分钟）被终止，未保存任何结果。")])
def test_a_failing_job_says_why_and_the_page_answers(eager, leader, client, fail, message):
    job = jobs.start(by=leader, kind="tests.sample", params={"fail": fail})
    assert job.state == JobState.FAILED and message in job.message and job.result == {}
    client.force_login(leader)
    r = page(client, job)
    assert r.status_code == 200 and message in r.content.decode()
    assert client.get(reverse("core:job_file", args=[job.pk])).status_code == 404


def test_a_deactivated_user_s_job_does_not_run(eager, leader):
    leader.is_active = False
    leader.save()
    job = Job.objects.create(kind="tests.sample", user=leader)
    jobs.execute(str(job.pk))
    job.refresh_from_db()
    assert job.state == JobState.FAILED and "权限" in job.message


def test_the_time_limits_go_with_the_task(leader, monkeypatch):
    from pingdingshan.core import tasks

    calls = []
    monkeypatch.setattr(tasks.run_job, "apply_async", lambda **kw: calls.append(kw))
    job = jobs.start(by=leader, kind="tests.sample")
    assert calls == [{"args": [str(job.pk)], "task_id": str(job.pk), "time_limit": 120, "soft_time_limit": 90}]
    assert job.state == JobState.QUEUED
    assert jobs.status(job)["state"] == "queued"


def test_broker_down_keeps_nothing(leader, monkeypatch):
    from kombu.exceptions import OperationalError

    from pingdingshan.core import tasks

    def down(**kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(tasks.run_job, "apply_async", down)
    with pytest.raises(ValidationError, match="后台任务服务暂时不可用"):
        jobs.start(by=leader, kind="tests.sample")
    assert not Job.objects.exists()


def test_a_job_lost_by_its_worker_reads_as_failed(leader):
    job = Job.objects.create(kind="tests.sample", user=leader, state=JobState.RUNNING,
                             started_at=timezone.now() - dt.timedelta(hours=1))
    assert jobs.status(job)["state"] == "failed" and "任务中断" in jobs.status(job)["message"]


def _state_icon(html):
    import re

    match = re.search(r'<span id="job-state-icon" data-state="(\w+)"[^>]*>(.*?)</span>', html)
    assert match, "the job page's header has its state icon"
    return match.group(1), match.group(2)


def test_the_header_icon_follows_the_job_state(eager, leader, client):
    client.force_login(leader)
    done = jobs.start(by=leader, kind="tests.sample")
    failed = jobs.start(by=leader, kind="tests.sample", params={"fail": "job_error"})
    running = Job.objects.create(kind="tests.sample", user=leader, state=JobState.RUNNING, started_at=timezone.now())
    for job, state, icon in ((running, "running", "bi-hourglass-split"), (done, "done", "bi-check-circle-fill"),
                             (failed, "failed", "bi-x-circle-fill")):
        got_state, got_icon = _state_icon(page(client, job).content.decode())
        assert got_state == state and icon in got_icon and 'aria-hidden="true"' in got_icon
        if state != "running":
            assert "hourglass" not in got_icon
        # the polled partial sends the icon again, out of band, so the header changes when the state does
        url = "http://testserver" + reverse("core:job_detail", args=[job.pk])
        partial = client.get(url, headers={"HX-Request": "true", "HX-Current-URL": url}).content.decode()
        assert 'hx-swap-oob="true"' in partial and _state_icon(partial) == (state, got_icon)
    # polled from another page that shows the partial (the score import): no icon to swap there
    other = "http://testserver" + reverse("home")
    partial = client.get(reverse("core:job_detail", args=[done.pk]),
                         headers={"HX-Request": "true", "HX-Current-URL": other}).content.decode()
    assert 'data-state="done"' in partial and "job-state-icon" not in partial


def test_cleanup_removes_old_finished_jobs_and_their_files(eager, leader, tmp_path, settings):
    old = jobs.start(by=leader, kind="tests.sample")
    recent = jobs.start(by=leader, kind="tests.sample")
    running = Job.objects.create(kind="tests.sample", user=leader, state=JobState.RUNNING,
                                 started_at=timezone.now())
    Job.objects.filter(pk__in=[old.pk, running.pk]).update(created_at=timezone.now() - dt.timedelta(days=8))
    assert (tmp_path / old.folder / "result.csv").exists()
    assert jobs.jobs_cleanup() == 1
    assert not Job.objects.filter(pk=old.pk).exists() and not (tmp_path / old.folder).exists()
    assert Job.objects.filter(pk__in=[recent.pk, running.pk]).count() == 2
    with pytest.raises(ValueError):
        jobs.jobs_cleanup(days=0)
    with pytest.raises(PermissionDenied):
        jobs.jobs_cleanup(by=leader)
    entries = [e for e in app.conf.beat_schedule.values() if e["task"] == "core.cleanup_jobs"]
    assert len(entries) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_on_a_real_worker_the_page_polls_the_progress_until_done(celery_worker, leader, client):
    assert app.conf.task_always_eager is False
    HELD["reached"].clear()
    HELD["release"].clear()
    job = jobs.start(by=leader, kind="tests.sample", params={"n": 5, "hold": True})
    client.force_login(leader)
    try:
        assert HELD["reached"].wait(30), "the worker did not start the job"
        partial = page(client, job, partial=True).content.decode()
        assert "计算：1 / 5" in partial and 'hx-trigger="every 1s"' in partial and "20%" in partial
    finally:
        HELD["release"].set()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.finished:
            break
        time.sleep(0.2)
    assert job.state == JobState.DONE and job.result == {"counted": 5}
    partial = page(client, job, partial=True).content.decode()
    assert "hx-trigger" not in partial and "下载 结果.csv" in partial


def test_the_desk_lists_the_user_s_jobs_that_finished_or_failed_recently(eager, leader, org_staff, client):
    desk = pytest.importorskip("pingdingshan.core.desk")
    done = jobs.start(by=leader, kind="tests.sample")
    failed = jobs.start(by=leader, kind="tests.sample", params={"fail": "job_error"})
    old = jobs.start(by=leader, kind="tests.sample")
    Job.objects.filter(pk=old.pk).update(finished_at=timezone.now() - dt.timedelta(days=jobs.DESK_DAYS + 1))
    lines = [line for line in desk.lines_for(leader) if line.url.startswith("/jobs/")]
    assert [(line.url, line.kind, line.detail) for line in lines] == [
        (jobs.url(failed), desk.WARNING, "数据不全，无法计算。"),
        (jobs.url(done), desk.DONE, "已完成，可下载 结果.csv。")]
    assert all(line.label == "后台任务“样例任务”" for line in lines)
    assert not [line for line in desk.lines_for(org_staff) if line.url.startswith("/jobs/")]
    client.force_login(leader)
    html = client.get(reverse("home")).content.decode()
    assert jobs.url(failed) in html and jobs.url(done) in html and jobs.url(old) not in html


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_without_a_broker_the_demo_runs_jobs_in_a_thread_and_the_page_polls(eager, leader, client, settings):
    """JOBS_IN_THREAD (the demo's settings): the request answers at once, a thread of the process
    runs the job, its progress is read from the process while it runs."""
    settings.JOBS_IN_THREAD = True
    HELD["reached"].clear()
    HELD["release"].clear()
    job = jobs.start(by=leader, kind="tests.sample", params={"n": 5, "hold": True})
    assert job.state == JobState.QUEUED  # started, not run inside this call
    client.force_login(leader)
    try:
        assert HELD["reached"].wait(30), "the thread did not start the job"
        partial = page(client, job, partial=True).content.decode()
        assert "计算：1 / 5" in partial and 'hx-trigger="every 1s"' in partial
    finally:
        HELD["release"].set()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.finished:
            break
        time.sleep(0.1)
    assert job.state == JobState.DONE and job.result == {"counted": 5}
    assert "下载 结果.csv" in page(client, job, partial=True).content.decode()
