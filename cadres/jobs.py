"""Cadres work that runs as background jobs (``pingdingshan.core.jobs``, registered in
``CadresConfig.ready``): the record import and big roster exports."""
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pingdingshan.core import jobs

ROSTER_EXPORT = "cadres.roster_export"


def roster_export(job, progress) -> dict:
    """The roster's filtered rows as the job's file: the view's own export code, replaying the
    export request's query string as the job's user (so the same gate, filters and export log)."""
    from .views.roster import roster_export_response, roster_filter

    request = jobs.replay_request(job)
    f = roster_filter(request)
    if not f.is_valid():
        raise jobs.JobError(_("筛选条件有误，请修改后再导出。"))
    response = roster_export_response(request, f, progress=progress, total=job.params.get("total", 0))
    return jobs.attach_response(job, response, default_name="roster.xlsx")


def register() -> None:
    jobs.register(ROSTER_EXPORT, run="cadres.jobs.roster_export", label=gettext_lazy("导出干部花名册"),
                  action="export", time_limit=20 * 60,
                  back=lambda job: f"{reverse('cadres:cadre_list')}?{jobs.list_query(job)}")
