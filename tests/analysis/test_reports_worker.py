"""An auditors' report generated on a real Celery worker (issue 14): the page answers at once with the
job's page, which polls its progress; the worker builds and renders the report as the user; the
report is then listed with both files and downloadable, the download written to the export log.
(One such test: a worker and a committed database cost seconds.)"""
import io
import threading
import time

import pypdf
import pytest
from django.urls import reverse

from analysis.models import GeneratedReport
from analysis.services import reports
from analysis.services.figures.base import Figures, Table
from pingdingshan.core.models import ExportLog, Job, JobState


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_report_runs_on_a_worker_with_progress_and_is_listed_and_downloadable(celery_worker, client, auditor,
                                                                                monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    reached, release = threading.Event(), threading.Event()

    def build(user, params):
        reached.set()
        release.wait(30)
        return Figures("structure", "干部队伍结构分析", [Table("t", "各单位干部人数", ["单位", "人数"], [["城关镇", 3]])])

    monkeypatch.setattr(reports, "builder_for", lambda report: build)
    client.force_login(auditor)
    r = client.post("/analysis/reports/", {"kind": "structure", "start": "2026-01-01", "end": "2026-06-30"})
    assert r.status_code == 302 and r.url.startswith("/jobs/")  # the request does not build the report
    try:
        assert reached.wait(30), "the worker did not start the report"
        time.sleep(0.3)
        partial = client.get(r.url, headers={"HX-Request": "true"}).content.decode()
        assert 'hx-trigger="every 1s"' in partial and "统计" in partial  # its phase
    finally:
        release.set()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and "hx-trigger" in partial:
        time.sleep(0.3)
        partial = client.get(r.url, headers={"HX-Request": "true"}).content.decode()
    row = GeneratedReport.objects.get()
    assert reverse("analysis:report_download", args=[row.pk, "pdf"]) in partial
    job = Job.objects.get(pk=row.job_id)
    assert job.state == JobState.DONE and job.user == auditor and row.state == "done"
    listed = client.get("/analysis/reports/").content.decode()
    assert reverse("analysis:report_download", args=[row.pk, "xlsx"]) in listed
    pdf = client.get(reverse("analysis:report_download", args=[row.pk, "pdf"]))
    assert pdf.status_code == 200
    text = pypdf.PdfReader(io.BytesIO(b"".join(pdf.streaming_content))).pages[0].extract_text()
    assert "干部队伍结构分析" in text and "城关镇" in text and "2026-01-01 至 2026-06-30" in text
    assert ExportLog.objects.filter(user=auditor, what="审计报表：干部队伍结构分析", file_format="pdf").exists()
