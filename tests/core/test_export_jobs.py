"""Big exports (more rows than EXPORT_JOB_THRESHOLD) run as background jobs with progress: the
roster and the audit log. The job's file is the same file the direct export gives, through the
same export path (gate, escaping, ExportLog); smaller exports stay direct."""
import csv
import io
import threading
import time

import openpyxl
import pytest
from django.urls import reverse

from pingdingshan.core import jobs
from pingdingshan.core.exports import HEADER_ROW
from pingdingshan.core.models import ExportLog, Job, JobState
from tests.factories import CadreFactory

ROSTER_EXPORT = reverse("cadres:cadre_export")
AUDIT = reverse("core:audit_log")


def content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def xlsx_rows(data: bytes):
    """The header row and the data rows (below the printed report's title, filters, who and when)."""
    ws = openpyxl.load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    return [list(r) for r in ws.iter_rows(values_only=True)][HEADER_ROW:]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def roster(tree):
    return (CadreFactory.create_batch(4, unit=tree.town_a, gender="M")
            + CadreFactory.create_batch(2, unit=tree.town_b, gender="M"))


@pytest.mark.django_db
def test_a_small_export_stays_direct(client, org_staff, roster, settings):
    settings.EXPORT_JOB_THRESHOLD = 6
    client.force_login(org_staff)
    r = client.get(ROSTER_EXPORT, {"format": "xlsx"})
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    assert len(xlsx_rows(content(r))) - 1 == 6
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_a_big_roster_export_is_a_job_whose_file_is_the_direct_export(client, eager, org_staff, leader, tree,
                                                                       roster, settings):
    client.force_login(leader)
    settings.EXPORT_JOB_THRESHOLD = 100
    direct = xlsx_rows(content(client.get(ROSTER_EXPORT, {"format": "xlsx", "gender": "M"})))
    settings.EXPORT_JOB_THRESHOLD = 2
    r = client.get(ROSTER_EXPORT, {"format": "xlsx", "gender": "M", "page": "3"})
    job = Job.objects.get()
    assert r.status_code == 302 and r.url == jobs.url(job)
    assert job.kind == "cadres.roster_export" and job.state == JobState.DONE and job.user == leader
    page = client.get(r.url).content.decode()
    assert "导出干部花名册" in page and "下载 干部花名册-" in page
    assert 'href="/cadres/?gender=M"' in page  # back to the list with its filters
    f = client.get(reverse("core:job_file", args=[job.pk]))
    assert f.status_code == 200 and f["Content-Disposition"].startswith("attachment")
    rows = xlsx_rows(content(f))
    assert rows[1:] == direct[1:] and rows[0] == direct[0]  # the leader's subtree only, the same filter
    assert {r[rows[0].index("所在单位")] for r in rows[1:]} <= {"城关镇"}
    log = ExportLog.objects.order_by("created_at").last()
    assert (log.user, log.file_format, log.filters) == (leader, "xlsx", {"gender": "M"})
    assert log.row_count == len(rows) - 1
    client.force_login(org_staff)  # only the exporter downloads it
    assert client.get(reverse("core:job_file", args=[job.pk])).status_code == 404


@pytest.mark.django_db
def test_a_big_audit_export_is_a_job_too(client, eager, auditor, roster, settings):
    settings.EXPORT_JOB_THRESHOLD = 3
    client.force_login(auditor)
    r = client.get(AUDIT, {"format": "csv", "model": "cadres.Cadre"})
    job = Job.objects.get()
    assert r.status_code == 302 and job.kind == "core.audit_export" and job.state == JobState.DONE
    assert (job.done, job.total) == (6, 6)
    text = content(client.get(reverse("core:job_file", args=[job.pk]))).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["时间", "操作人", "操作"] and len(rows) == 7
    log = ExportLog.objects.get()
    assert (log.user, log.what, log.row_count, log.filters) == (auditor, "审计日志", 6, {"model": "cadres.Cadre"})
    assert log.request_id == job.request_id


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_on_a_worker_the_audit_export_shows_its_progress(celery_worker, client, auditor, roster, settings,
                                                         monkeypatch):
    from pingdingshan.core import selectors

    settings.EXPORT_JOB_THRESHOLD = 3
    reached, release = threading.Event(), threading.Event()
    real = selectors.iter_audit_rows

    def held(entries, *args, **kwargs):
        reached.set()
        release.wait(30)
        yield from real(entries, *args, **kwargs)

    monkeypatch.setattr(selectors, "iter_audit_rows", held)
    client.force_login(auditor)
    r = client.get(AUDIT, {"format": "xlsx"})
    assert r.status_code == 302
    try:
        assert reached.wait(30)
        time.sleep(0.3)
        partial = client.get(r.url, headers={"HX-Request": "true"}).content.decode()
        assert 'hx-trigger="every 1s"' in partial
    finally:
        release.set()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and "hx-trigger" in partial:
        time.sleep(0.2)
        partial = client.get(r.url, headers={"HX-Request": "true"}).content.decode()
    assert "下载 审计日志-" in partial
    job = Job.objects.get()
    assert len(xlsx_rows(content(client.get(reverse("core:job_file", args=[job.pk]))))) - 1 == job.total >= 6
