"""Promotion work that runs as background jobs (``pingdingshan.core.jobs``, registered in
``PromotionConfig.ready``): the ranking run org staff start from the page."""
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from pingdingshan.core import jobs

RANKING_RUN = "promotion.ranking_run"


def ranking_run(job, progress) -> dict:
    """Rank every active pool now (``services.runs.ranking_run``), reporting progress per pool."""
    import datetime as dt

    from .models import RunTrigger
    from .services.runs import ranking_run as run

    on = job.params.get("on")
    result = run(by=job.user, on=dt.date.fromisoformat(on) if on else None,
                 trigger=job.params.get("trigger") or RunTrigger.PAGE, job=job, progress=progress)
    return {"run": result.pk, "status": result.status, "counts": result.counts}


def _back(job) -> str:
    try:
        return reverse("promotion:run_list")
    except NoReverseMatch:
        return ""


def register() -> None:
    jobs.register(RANKING_RUN, run="promotion.jobs.ranking_run", label=_("储备库排名"), action="reserve",
                  time_limit=35 * 60, back=_back)
