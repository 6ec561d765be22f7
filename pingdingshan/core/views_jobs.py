"""Pages of background jobs: the user's recent jobs, one job's page (its status partial polls
itself with htmx until the job is finished) and its result file. A user reaches only their own
jobs: any other id answers 404."""
from urllib.parse import urlsplit

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from . import jobs
from .files import serve_file
from .pages import sort_headers

JOB_COLUMNS = [(gettext_lazy("任务"), None), (gettext_lazy("发起时间"), None), (gettext_lazy("状态"), None),
               (gettext_lazy("进度"), None)]


def _context(job) -> dict:
    return {"job": job, "status": jobs.status(job), "label": jobs.label(job), "back_url": jobs.back_url(job),
            "result_template": getattr(jobs.KINDS.get(job.kind), "result_template", ""), "result": job.result}


@login_required
def job_list(request):
    rows = [{"job": j, "label": jobs.label(j), "status": jobs.status(j)} for j in jobs.job_list(user=request.user)]
    return render(request, "core/jobs/job_list.html", {"rows": rows, "headers": sort_headers(request, JOB_COLUMNS)})


@login_required
def job_detail(request, pk):
    job = jobs.job_get(user=request.user, pk=pk)
    context = _context(job)
    if request.headers.get("HX-Request"):
        # the partial; polled from this job's page (not from a page that includes the partial, e.g.
        # the score import), with the header's state icon out of band
        on_this_page = urlsplit(request.headers.get("HX-Current-URL", "")).path == request.path
        return render(request, "core/jobs/_status.html", {**context, "oob": on_this_page})
    return render(request, "core/jobs/job.html", context)


@login_required
def job_file(request, pk):
    job = jobs.job_get(user=request.user, pk=pk)
    return serve_file(jobs.result_file(job), filename=job.file_name or "result")
