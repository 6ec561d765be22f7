"""Reads of the assessment app, always restricted to what the user may see (the gate)."""
from collections import defaultdict

from django.db.models import Count, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from cadres.models import Cadre, CadreStatus
from pingdingshan.core import permissions as gate

from .models import AssessmentPeriod, AssessmentResult, Indicator, IndicatorScheme, RaterGroup, Score


def _count(qs, field):
    """A correlated COUNT subquery (no GROUP BY over the outer rows, no join fan-out)."""
    sub = qs.filter(**{field: OuterRef("pk")}).order_by().values(field).annotate(n=Count("id")).values("n")
    return Coalesce(Subquery(sub, output_field=IntegerField()), Value(0))


# --------------------------------------------------------------------------- set-up
def period_list(*, user):
    """The periods the user sees (unit leaders: published only), with their counts."""
    return (AssessmentPeriod.objects.restrict(user)
            .annotate(result_count=_count(AssessmentResult.objects.all(), "period"),
                      scheme_count=_count(AssessmentPeriod.schemes.through.objects.all(), "assessmentperiod"),
                      group_count=_count(RaterGroup.objects.all(), "period")))


def period_get(*, user, pk) -> AssessmentPeriod:
    return gate.get_or_404(AssessmentPeriod.objects.select_related("previous", "published_by"), user, "view", pk=pk)


def period_overview(period: AssessmentPeriod) -> dict:
    """What the period detail shows: schemes in force, rater groups with a weight per tier, and
    the enrolled cadres per scheme (a few queries in all)."""
    schemes = list(period.schemes.select_related("tier", "category").order_by("tier__order", "category__order"))
    tiers = list({s.tier_id: s.tier for s in schemes}.values())
    groups = list(period.rater_groups.prefetch_related("weights").order_by("order", "id"))
    rows = []
    totals = defaultdict(lambda: 0)
    for g in groups:
        weights = {w.tier_id: w.weight for w in g.weights.all()}
        for t in tiers:
            totals[t.pk] += weights.get(t.pk, 0)
        rows.append({"group": g, "weights": [weights.get(t.pk) for t in tiers]})
    enrolled = dict(period.results.order_by().values("scheme").annotate(n=Count("id")).values_list("scheme", "n"))
    for s in schemes:
        s.enrolled = enrolled.get(s.pk, 0)
    return {"schemes": schemes, "tiers": tiers, "groups": rows, "tier_totals": [totals[t.pk] for t in tiers],
            "enrolled": sum(enrolled.values())}


def enrol_left_out(period: AssessmentPeriod, *, limit: int = 200) -> tuple[list[dict], int]:
    """Active cadres not enrolled in ``period`` and why (no tier, no category, no scheme in force):
    the first ``limit`` of them and how many in all."""
    from .services import classify_cadres

    qs = Cadre.objects.filter(status=CadreStatus.ACTIVE).exclude(pk__in=period.results.values("cadre_id"))
    placements = classify_cadres(qs)
    schemes = {(s.tier_id, s.category_id) for s in period.schemes.all()}
    out = {}
    for cid, p in placements.items():
        if p.reason:
            out[cid] = p.reason
        elif (p.tier_id, p.category_id) not in schemes:
            out[cid] = _("其层级和类别没有适用的指标体系")
    ids = sorted(out)[:limit]
    cadres = Cadre.objects.filter(pk__in=ids).select_related("unit", "current_post").order_by("unit__path", "name")
    rows = [{"cadre": c, "reason": out[c.pk]} for c in cadres]
    return rows, len(out)


# --------------------------------------------------------------------------- scores
def score_schemes(period: AssessmentPeriod) -> list[IndicatorScheme]:
    """The schemes in force that have rater-scored indicators (the score grid's selector)."""
    from .services import rater_indicators

    schemes = list(period.schemes.select_related("tier", "category").order_by("tier__order", "category__order"))
    by_scheme = rater_indicators([s.pk for s in schemes])
    for s in schemes:
        s.rater_indicators = by_scheme.get(s.pk, [])
    return [s for s in schemes if s.rater_indicators]


def score_rows(*, user, period: AssessmentPeriod, scheme: IndicatorScheme, unit=None, q: str = ""):
    """The enrolled cadres of one scheme the user sees, in unit-tree order (the grid's rows)."""
    qs = AssessmentResult.objects.restrict(user).filter(period=period, scheme=scheme).select_related("cadre", "unit", "post")
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    q = (q or "").strip()
    if q:
        if q.isascii() and q.isalpha():
            qs = qs.filter(cadre__name_initials__startswith=q.lower())
        else:
            qs = qs.filter(cadre__name__contains=q)
    return qs.order_by("unit__path", "cadre__name", "id")


def stored_scores(*, rater_group: RaterGroup, result_ids) -> dict[tuple[int, int], object]:
    """{(result id, indicator id): score} of one rater group for the rows shown."""
    return {(r, i): s for r, i, s in Score.objects.filter(rater_group=rater_group, result_id__in=list(result_ids))
            .values_list("result_id", "indicator_id", "score")}


def scored_counts(period: AssessmentPeriod) -> dict[int, int]:
    """{rater group id: number of cadres it has scored}."""
    return dict(Score.objects.filter(result__period=period).order_by().values("rater_group")
                .annotate(n=Count("result", distinct=True)).values_list("rater_group", "n"))


# --------------------------------------------------------------------------- schemes
def scheme_list(*, user):
    """The schemes the user sees (unit leaders: published only), with indicator count and weight total."""
    n = Indicator.objects.filter(scheme=OuterRef("pk")).order_by().values("scheme")
    return (IndicatorScheme.objects.restrict(user).select_related("tier", "category")
            .annotate(indicator_count=Coalesce(Subquery(n.annotate(c=Count("id")).values("c"),
                                                        output_field=IntegerField()), Value(0)),
                      weight_total=Subquery(n.annotate(w=Sum("weight")).values("w"))))


def scheme_get(*, user, pk) -> IndicatorScheme:
    return gate.get_or_404(IndicatorScheme.objects.select_related("tier", "category", "based_on", "published_by"),
                           user, "view", pk=pk)
