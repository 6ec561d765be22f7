"""Assessment's lines on the work desk (registered in ``AssessmentConfig.ready``): the periods in
scoring, with what is still missing."""
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from pingdingshan.core import permissions as gate
from pingdingshan.core.desk import DeskLine

PERIODS_SHOWN = 5


def scoring_lines(user):
    """One line per period in scoring (评分中): per rater group how many enrolled cadres it has
    not scored yet, and whether the composites need computing."""
    from .models import AssessmentPeriod, PeriodStatus, Score
    from .selectors import score_schemes

    if not gate.can(user, "assess"):
        return
    periods = list(AssessmentPeriod.objects.restrict(user).filter(status=PeriodStatus.OPEN)
                   .order_by("-end_date", "-id")[:PERIODS_SHOWN])
    for period in periods:
        scheme_ids = [s.pk for s in score_schemes(user=user, period=period)]
        to_score = period.results.filter(scheme_id__in=scheme_ids)
        missing = []
        for group in period.rater_groups.order_by("order", "id") if scheme_ids else ():
            # enrolled cadres of rater-scored schemes without any score of this group (an index
            # probe per cadre on uniq_score, not a count over every score of the period)
            scored = Score.objects.filter(result=OuterRef("pk"), rater_group=group)
            left = to_score.exclude(Exists(scored)).count()
            if left > 0:
                missing.append(_("%(group)s 还有 %(n)s 人未评分") % {"group": group.name, "n": left})
        enrolled = period.results.count()
        if not enrolled:
            parts = [_("还没有纳入考核对象")]
        else:
            parts = missing or [_("评分已全部录入")]
            if period.results_stale:
                parts.append(_("需要计算综合得分"))
        yield DeskLine(_("考核周期“%(name)s”评分中") % {"name": period.name},
                       reverse("assessment:period_detail", args=[period.pk]),
                       detail="；".join(parts) + "。", icon="bi-clipboard-data")


