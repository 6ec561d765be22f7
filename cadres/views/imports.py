"""Pages of the record import (实绩批量导入): the template download, the upload form, the progress
page (polled by htmx until the task finishes) with the result, and the error report download.

Views parse input, call ``cadres.imports`` and render. Unit leaders and org staff import (gate
action ``change``); auditors get 403. A job belongs to its uploader: anybody else gets 404.
"""
import io

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pingdingshan.core.files import serve_file
from pingdingshan.core.pages import requires

from ..imports import jobs
from ..imports.forms import ImportUploadForm
from ..imports.records import PHASE_SAVE, PHASE_VALIDATE
from ..imports.template import COLUMNS, MAX_ROWS, build_template
from ..models import RecordStatus, TaskCategory

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ERRORS_SHOWN = 200  # error rows listed on the page; the report has them all
PHASE_LABELS = {PHASE_VALIDATE: gettext_lazy("正在校验"), PHASE_SAVE: gettext_lazy("正在保存")}


def _status_url(job) -> str:
    return f"{reverse('cadres:record_import_status')}?job={job.id}"


@requires("change")
def record_import(request):
    """GET: the upload form, how to fill the file, the user's latest imports. POST: store the
    upload, start its import and go to the progress page."""
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = jobs.import_start(by=request.user, upload=form.cleaned_data["file"])
        except ValidationError as e:
            form.add_error(None, e)
        else:
            return redirect(_status_url(job))
    return render(request, "cadres/imports/import.html", {
        "form": form,
        "columns": COLUMNS,
        "categories": TaskCategory.objects.filter(is_active=True).order_by("order", "id"),
        "recent": jobs.job_list(user=request.user),
        "max_rows": MAX_ROWS,
    })


@requires("change")
def record_import_template(request):
    """The Excel template with the drop-down lists and the instructions sheet."""
    filename = _("实绩记录导入模板") + f"-{timezone.localdate():%Y%m%d}.xlsx"
    return serve_file(io.BytesIO(build_template()), filename=filename, content_type=XLSX)


def _context(job, state) -> dict:
    result = state.get("result") or {}
    errors = result.get("errors") or []
    status = result.get("status")
    return {
        "job": job,
        "state": state,
        "phase_label": PHASE_LABELS.get(state.get("phase"), ""),
        "result": result,
        "errors_shown": errors[:ERRORS_SHOWN],
        "errors_more": max(0, (result.get("error_count") or 0) - ERRORS_SHOWN),
        "status_label": RecordStatus(status).label if status in RecordStatus.values else "",
        "records_url": f"{reverse('cadres:record_list')}?status={status}&ordering=-updated" if status else "",
        "status_url": _status_url(job),
    }


@requires("change")
def record_import_status(request):
    """The job's progress (an htmx partial that polls itself until the job is finished) and then
    its result: the count imported, or each bad row with its reasons and the report link."""
    job_id = request.GET.get("job")
    if not job_id:
        return redirect("cadres:record_import")
    job = jobs.job_get(user=request.user, job_id=job_id)
    context = _context(job, jobs.job_state(job))
    if request.headers.get("HX-Request"):
        return render(request, "cadres/imports/_status.html", context)
    return render(request, "cadres/imports/status.html", context)


@requires("change")
def record_import_errors(request):
    """The error report of a rejected job: the uploaded rows plus a 错误原因 column."""
    job_id = request.GET.get("job")
    if not job_id:
        return redirect("cadres:record_import")
    job = jobs.job_get(user=request.user, job_id=job_id)
    stem = job.filename.rsplit(".", 1)[0]
    return serve_file(jobs.error_report_file(job), filename=_("错误报告") + f"-{stem}.xlsx", content_type=XLSX)
