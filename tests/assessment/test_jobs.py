"""A period's computation and the score import run as background jobs: on a real worker the
page polls their progress until they finish; the work is audited as the user who started it."""
import io
import threading
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessment import jobs as assessment_jobs
from assessment import services as asvc
from assessment.models import AssessmentPeriod, PeriodStatus, Score
from pingdingshan.core import jobs
from pingdingshan.core.models import Job, JobState

from .conftest import all_raters
from .test_score_import import xlsx

HEADER = ["身份证号码", "姓名", "单位", "政治品质", "履职成效", "担当作为"]


def _poll_until_finished(client, url, seconds=60):
    deadline = time.monotonic() + seconds
    partial = ""
    while time.monotonic() < deadline:
        partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
        if "hx-trigger" not in partial:
            return partial
        time.sleep(0.2)
    raise AssertionError(f"the job did not finish: {partial}")


@pytest.fixture
def held(monkeypatch):
    """Hold the worker inside the service the job calls until released."""
    reached, release = threading.Event(), threading.Event()

    def hold(module, name):
        real = getattr(module, name)

        def wrapper(*args, **kwargs):
            reached.set()
            release.wait(30)
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, wrapper)

    yield type("Held", (), {"reached": reached, "release": release, "hold": staticmethod(hold)})
    release.set()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_period_is_computed_on_a_worker_with_its_progress_polled(celery_worker, client, org_staff, period,
                                                                   deputies, held):
    for c in deputies:
        all_raters(org_staff, period, c, 90, 85, 80)
    held.hold(asvc, "period_compute")
    client.force_login(org_staff)
    r = client.post(reverse("assessment:period_compute", args=[period.pk]))
    assert r.status_code == 302 and r.url.startswith("/jobs/")  # the request does not compute
    job = Job.objects.get(kind=assessment_jobs.COMPUTE)
    assert r.url == jobs.url(job)
    try:
        assert held.reached.wait(30), "the worker did not start the computation"
        page = client.get(r.url).content.decode()
        assert "计算综合得分" in page and 'hx-trigger="every 1s"' in page
    finally:
        held.release.set()
    partial = _poll_until_finished(client, r.url)
    assert "已计算 5 名考核对象的综合得分" in partial
    assert reverse("assessment:period_detail", args=[period.pk]) in partial  # back to the period
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.result["results"] == 5 and job.user == org_staff
    period = AssessmentPeriod.objects.get(pk=period.pk)
    assert period.computed_at is not None
    assert period.results.filter(composite__isnull=False).count() == 5
    entry = period.history.first()  # the period's save is audited as the user, with the request id
    assert entry.history_user == org_staff and entry.request_id == job.request_id != ""


def test_a_period_not_in_scoring_fails_with_the_reason(client, eager, org_staff, period):
    AssessmentPeriod.objects.filter(pk=period.pk).update(status=PeriodStatus.DRAFT)
    client.force_login(org_staff)
    r = client.post(reverse("assessment:period_compute", args=[period.pk]), follow=True)
    assert r.status_code == 200
    job = Job.objects.get(kind=assessment_jobs.COMPUTE)
    assert job.state == JobState.FAILED and "计算综合得分" in job.message
    assert job.message in r.content.decode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_score_import_runs_on_a_worker_and_its_page_shows_the_outcome(celery_worker, client, org_staff, period,
                                                                        scheme, deputies, held):
    from assessment import imports

    held.hold(imports, "import_scores")
    group = period.rater_groups.get(name="上级")
    rows = [HEADER] + [[d.id_number, d.name, "", 90, 85, 80] for d in deputies[:2]]
    client.force_login(org_staff)
    r = client.post(reverse("assessment:score_import", args=[period.pk]),
                    {"rater_group": group.pk, "scheme": scheme.pk, "file": xlsx(rows)})
    assert r.status_code == 302 and "?job=" in r.url
    try:
        assert held.reached.wait(30)
        page = client.get(r.url).content.decode()
        assert "导入进度" in page and 'hx-trigger="every 1s"' in page
    finally:
        held.release.set()
    job = Job.objects.get(kind=assessment_jobs.SCORE_IMPORT)
    partial = _poll_until_finished(client, jobs.url(job))
    assert "已导入 2 行：新增 6 项评分" in partial
    assert "已导入 2 行：新增 6 项评分" in client.get(r.url).content.decode()
    assert Score.objects.filter(rater_group=group).count() == 6
    assert {s.history.first().history_user for s in Score.objects.all()} == {org_staff}


def test_another_user_cannot_open_a_score_import_job(client, eager, org_staff, period, scheme, deputies):
    from tests.factories import user_with_role

    group = period.rater_groups.get(name="上级")
    client.force_login(org_staff)
    r = client.post(reverse("assessment:score_import", args=[period.pk]),
                    {"rater_group": group.pk, "scheme": scheme.pk,
                     "file": SimpleUploadedFile("s.xlsx", io.BytesIO(b"PK").getvalue())})
    assert r.status_code == 302
    job = Job.objects.get()
    client.force_login(user_with_role("org_staff", username="other_staff"))
    assert client.get(r.url).status_code == 404
    assert client.get(jobs.url(job)).status_code == 404


def test_the_api_computes_in_the_background_on_request(eager, org_staff, period, deputies):
    from rest_framework.test import APIClient

    from tests.factories import user_with_role

    for c in deputies:
        all_raters(org_staff, period, c, 90, 85, 80)
    api = APIClient()
    api.force_authenticate(org_staff)
    r = api.post(reverse("assessment-period-compute", args=[period.pk]) + "?background=true")
    assert r.status_code == 202
    body = r.json()
    assert body["kind"] == assessment_jobs.COMPUTE and body["state"] == "done" and body["result"]["results"] == 5
    detail = reverse("job-detail", args=[body["id"]])
    r = api.get(detail)
    assert r.status_code == 200 and r.json()["percent"] in (0, 100) and r.json()["label"] == "计算综合得分"
    assert [j["id"] for j in api.get(reverse("job-list")).json()["results"]] == [body["id"]]
    other = APIClient()
    other.force_authenticate(user_with_role("org_staff", username="other_staff"))
    assert other.get(detail).status_code == 404
    assert other.get(reverse("job-list")).json()["count"] == 0
    assert other.get(reverse("job-list") + "not-a-uuid/").status_code == 404


def test_the_computation_s_progress_callback_reaches_the_job(eager, org_staff, period, deputies, monkeypatch):
    """When period_compute takes ``progress`` (phases done, phases in all), the job reports it."""
    seen = []

    def compute(*, by, period, progress=None):
        progress(2, 5)
        seen.append(progress)
        return {"results": 0, "graded": 0, "seconds": 0}

    monkeypatch.setattr(asvc, "period_compute", compute)
    reports = []
    real = jobs._celery_progress
    monkeypatch.setattr(jobs, "_celery_progress", lambda task, job_id="": lambda *a: (reports.append(a), real(task)(*a)))
    job = jobs.start(by=org_staff, kind=assessment_jobs.COMPUTE, params={"period": period.pk})
    assert seen and reports[-1] == (2, 5, "计算综合得分")
    assert (job.state, job.done, job.total) == (JobState.DONE, 5, 5)


def test_computing_again_while_it_computes_shows_the_same_job(client, org_staff, period, monkeypatch):
    from pingdingshan.core import tasks

    monkeypatch.setattr(tasks.run_job, "apply_async", lambda **kw: None)  # queued, no worker takes it
    client.force_login(org_staff)
    url = reverse("assessment:period_compute", args=[period.pk])
    first = client.post(url)
    assert client.post(url).url == first.url and Job.objects.count() == 1
    Job.objects.update(state=JobState.DONE)
    assert client.post(url).url != first.url and Job.objects.count() == 2


def test_a_job_whose_object_is_gone_says_so(eager, org_staff):
    job = jobs.start(by=org_staff, kind=assessment_jobs.COMPUTE, params={"period": 999999})
    assert job.state == JobState.FAILED and "未找到" in job.message


def test_the_computation_reports_its_phases(eager, org_staff, period, deputies):
    for c in deputies:
        all_raters(org_staff, period, c, 90, 85, 80)
    job = jobs.start(by=org_staff, kind=assessment_jobs.COMPUTE, params={"period": period.pk})
    assert job.state == JobState.DONE and job.result["results"] == 5
    assert (job.done, job.total, job.phase) == (5, 5, "计算综合得分")  # load, aggregate, derive, grade, write
