"""Analysis work that runs as background jobs (``pingdingshan.core.jobs``, registered in
``AnalysisConfig.ready``): one auditors' report generated (``services.reports.generate``)."""
from django.urls import reverse
from django.utils.translation import gettext_lazy

from pingdingshan.core import jobs

from .services.reports import JOB_KIND


def report_run(job, progress) -> dict:
    """Generate the report the job was started for, as the job's user (its gate, its scope)."""
    from .models import GeneratedReport
    from .services import reports

    row = GeneratedReport.objects.filter(pk=job.params.get("report"), requested_by=job.user).first()
    if row is None:
        raise jobs.JobError(gettext_lazy("该报表已被删除。"))
    reports.generate(row, by=job.user, progress=progress)
    return {"report": row.pk, "kind": row.kind}


def register() -> None:
    jobs.register(JOB_KIND, run="analysis.jobs.report_run", label=gettext_lazy("生成审计报表"), action="export",
                  time_limit=10 * 60, result_template="analysis/reports/_job_result.html",
                  back=lambda job: reverse("analysis:report_list"))
