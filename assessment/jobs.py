"""Assessment work that runs as background jobs (``pingdingshan.core.jobs``, registered in
``AssessmentConfig.ready``): a period's computation and the score import. Each takes ids from the
job's params, calls one service as the job's user and returns the result payload."""
import inspect

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pingdingshan.core import jobs
from pingdingshan.core import permissions as gate
from pingdingshan.core.models import JobState

COMPUTE = "assessment.period_compute"
SCORE_IMPORT = "assessment.score_import"
CONDUCT_DAILY = "assessment.conduct_daily"


def _period(job):
    from .models import AssessmentPeriod

    return gate.get_or_404(AssessmentPeriod, job.user, "view", pk=job.params.get("period"))


def _period_url(job) -> str:
    return reverse("assessment:period_detail", args=[job.params["period"]])


def _adapt(progress, phase=""):
    """The service's progress callback, whatever the order of its arguments: numbers are (done,
    total) — for period_compute, phases done of all phases — and text, if any, the phase."""
    def report(*args, **kwargs):
        numbers = [a for a in args if isinstance(a, int | float) and not isinstance(a, bool)]
        texts = [a for a in args if isinstance(a, str)]
        done = kwargs.get("done", numbers[0] if numbers else 0)
        total = kwargs.get("total", numbers[1] if len(numbers) > 1 else 0)
        progress(int(done), int(total), str(kwargs.get("phase", texts[0] if texts else phase)))
    return report


def period_compute(job, progress) -> dict:
    """Composites, grades and ranks of the period ``params["period"]`` (``period_compute``)."""
    from . import services

    period = _period(job)
    options = {}
    if "progress" in inspect.signature(services.period_compute).parameters:
        options["progress"] = _adapt(progress, phase=str(_("计算综合得分")))
    progress(0, 0, _("计算综合得分"))
    summary = services.period_compute(by=job.user, period=period, **options)
    return {**summary, "period": period.pk, "period_name": period.name}


def score_import(job, progress) -> dict:
    """One rater group's scores for one scheme from the stored upload (``imports.import_scores``)."""
    from django.shortcuts import get_object_or_404

    from . import imports
    from .models import RaterGroup

    period = _period(job)
    group = get_object_or_404(RaterGroup, pk=job.params.get("rater_group"), period=period)
    scheme = get_object_or_404(period.schemes, pk=job.params.get("scheme"))
    progress(0, 0, _("校验"))
    with jobs.open_source(job) as upload:
        outcome = imports.import_scores(by=job.user, period=period, rater_group=group, scheme=scheme, upload=upload)
    return imports.outcome_payload(outcome)


def score_import_state(*, user, job_id):
    """(job, status, outcome) of the user's own score import job (404 for anybody else's): the
    outcome (``imports.Outcome``) once it finished, else None."""
    from . import imports

    job = jobs.job_get(user=user, pk=job_id, kind=SCORE_IMPORT)
    status = jobs.status(job)
    outcome = None
    if job.state == JobState.DONE:
        outcome = imports.outcome_from_payload(job.result)
    elif status["finished"]:
        outcome = imports.Outcome(file_error=status["message"])
    return job, status, outcome


def conduct_daily(job, progress) -> dict:
    """The daily check of cards and protection, now (``services.daily.conduct_daily``), started by
    org staff from the proposals page."""
    from .services.daily import conduct_daily as run

    gate.require(job.user, "discipline")
    phases = {"expire": _("红黄牌到期"), "adjustments": _("组织调整逾期提醒"), "follow_ups": _("回访提醒"),
              "triggers": _("运行触发规则"), "done": _("完成")}
    progress(0, 0, phases["expire"])
    return run(progress=lambda done, total, phase: progress(done, total, phases.get(phase, phase)))


def register() -> None:
    jobs.register(COMPUTE, run="assessment.jobs.period_compute", label=_("计算综合得分"), action="assess",
                  time_limit=30 * 60, result_template="assessment/jobs/_compute_result.html", back=_period_url)
    jobs.register(SCORE_IMPORT, run="assessment.jobs.score_import", label=_("导入评分"), action="assess",
                  time_limit=15 * 60, result_template="assessment/jobs/_score_import_result.html",
                  back=lambda job: reverse("assessment:score_import", args=[job.params["period"]]))
    jobs.register(CONDUCT_DAILY, run="assessment.jobs.conduct_daily", label=_("每日检查"), action="discipline",
                  time_limit=20 * 60, result_template="assessment/jobs/_conduct_daily_result.html",
                  back=lambda job: reverse("assessment:proposal_list"))
