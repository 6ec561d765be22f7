"""Cadres work that runs as background jobs (``pingdingshan.core.jobs``, registered in
``CadresConfig.ready``): the record import and big roster exports."""
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pingdingshan.core import jobs

ROSTER_EXPORT = "cadres.roster_export"
RECORD_IMPORT = "cadres.record_import"
LRMX_IMPORT = "cadres.lrmx_import"


def record_import(job, progress) -> dict:
    """The record import of the upload stored by ``imports.jobs.import_start`` (its folder, result
    and error report stay under ``imports/<user>/<job>/``): validate every row, save all or none."""
    from .imports import jobs as import_jobs

    return import_jobs.run_job(job_id=job.params["import"], by=job.user, progress=progress)


def _import_page(job) -> str:
    return f"{reverse('cadres:record_import_status')}?job={job.params.get('import', '')}"


def roster_export(job, progress) -> dict:
    """The roster's filtered rows as the job's file: the view's own export code, replaying the
    export request's query string as the job's user (so the same gate, filters and export log)."""
    from .views.roster import roster_export_response, roster_page

    request = jobs.replay_request(job)
    lp = roster_page(request)
    if not lp.valid:
        raise jobs.JobError(_("筛选条件有误，请修改后再导出。"))
    response = roster_export_response(request, lp, progress=progress, total=job.params.get("total", 0))
    return jobs.attach_response(job, response, default_name="roster.xlsx")


def lrmx_import(job, progress) -> dict:
    """The .lrmx import: ``mode`` "check" reads every file and reports (writes nothing), "apply"
    checks again and writes all files or none when the report is the one confirmed (``digest``)."""
    from .lrmx import importer
    from .models import Unit

    with jobs.open_source(job) as f:
        files = importer.unbundle(f)
    unit = Unit.objects.filter(pk=job.params.get("unit")).first() if job.params.get("unit") else None
    progress(0, len(files), _("校验"))
    if job.params.get("mode") == "apply":
        result = importer.apply(by=job.user, files=files, unit=unit, digest=job.params.get("digest", ""))
        payload = result.payload("apply")
    else:
        payload = importer.check(by=job.user, files=files, unit=unit).payload("check")
    progress(len(files), len(files), _("校验"))
    return payload


def register() -> None:
    jobs.register(RECORD_IMPORT, run="cadres.jobs.record_import", label=gettext_lazy("批量导入实绩"), action="change",
                  time_limit=15 * 60, result_template="cadres/imports/_job_result.html", back=_import_page,
                  desk=False)  # the desk lists record imports with their outcome (cadres.desk)
    jobs.register(LRMX_IMPORT, run="cadres.jobs.lrmx_import", label=gettext_lazy("导入任免审批表"), action="change",
                  time_limit=15 * 60, result_template="cadres/lrmx/_import_result.html",
                  back=lambda job: reverse("cadres:lrmx_import"))
    jobs.register(ROSTER_EXPORT, run="cadres.jobs.roster_export", label=gettext_lazy("导出干部花名册"),
                  action="export", time_limit=20 * 60,
                  back=lambda job: f"{reverse('cadres:cadre_list')}?{jobs.list_query(job)}")
