"""Reads of the assessment app, always through the permission gate.

- ``period_list`` / ``period_get`` / ``period_overview`` / ``enrol_left_out``: the set-up pages;
  ``score_schemes`` / ``score_rows`` / ``stored_scores`` / ``scored_counts``: the score grid;
  ``scheme_list`` / ``scheme_get``: the schemes.

- ``period_get`` / ``result_get`` / ``result_list``: what the user may see (unit leaders: published
  periods only, results of the cadres in their subtrees only).
- ``period_groups``: the (tier, category) groups of a period the user sees.
- ``leaderboard``: a group's ranking (实绩比拼) by composite or by 实绩 points with the rank in the
  WHOLE group (stored by the computation) even when the user sees only part of it, and the movement
  against the previous period; ``composite_histogram``: the group's distribution.
- ``calibration``: a group's grade distribution against the 优秀 cap and the cadres around each
  boundary (org staff and auditors).
- ``explanation``: a result's explanation (built when shown) as rows a page shows, with notes as sentences.
- ``cadre_history``: one cadre's results over the periods.

Every list is set-based: the number of queries does not grow with the rows.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from cadres.filters import search_filter
from cadres.models import Cadre, CadreStatus
from pingdingshan.core import permissions as gate

from .models import (
    AssessmentPeriod,
    AssessmentResult,
    Category,
    Grade,
    Indicator,
    IndicatorScheme,
    PeriodStatus,
    RaterGroup,
    RaterWeight,
    Score,
    Tier,
)
from .services.compute import explain
from .services.grading import NOTE_TIE, excellent_cap

RESULT_RELATED = ("cadre", "unit", "post", "tier", "category")
BOUNDARY_SIZE = 3  # cadres shown on each side of a boundary on the calibration page


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


def period_overview(*, user, period: AssessmentPeriod) -> dict:
    """What the period detail shows: schemes in force, rater groups with a weight per tier, and
    the enrolled cadres per scheme (a few queries in all), each as far as the gate lets ``user``
    see them (unit leaders: the cadres of their units)."""
    schemes = list(period.schemes.restrict(user).select_related("tier", "category")
                   .order_by("tier__order", "category__order"))
    tiers = list({s.tier_id: s.tier for s in schemes}.values())
    weights_seen = Prefetch("weights", queryset=RaterWeight.objects.restrict(user))
    groups = list(period.rater_groups.restrict(user).prefetch_related(weights_seen).order_by("order", "id"))
    rows = []
    totals = defaultdict(lambda: 0)
    for g in groups:
        weights = {w.tier_id: w.weight for w in g.weights.all()}
        for t in tiers:
            totals[t.pk] += weights.get(t.pk, 0)
        rows.append({"group": g, "weights": [weights.get(t.pk) for t in tiers]})
    enrolled = dict(period.results.restrict(user).order_by().values("scheme").annotate(n=Count("id")).values_list("scheme", "n"))
    for s in schemes:
        s.enrolled = enrolled.get(s.pk, 0)
    return {"schemes": schemes, "tiers": tiers, "groups": rows, "tier_totals": [totals[t.pk] for t in tiers],
            "enrolled": sum(enrolled.values())}


def enrol_left_out(*, user, period: AssessmentPeriod, limit: int = 200) -> tuple[list[dict], int]:
    """Active cadres ``user`` sees that are not enrolled in ``period`` and why (no tier, no
    category, no scheme in force): the first ``limit`` of them and how many in all."""
    from .services.classify import SkipReason, classify_cadres, skip_reason_text

    qs = (Cadre.objects.restrict(user).filter(status=CadreStatus.ACTIVE)
          .exclude(pk__in=period.results.values("cadre_id")))
    placements = classify_cadres(qs)
    schemes = {(s.tier_id, s.category_id) for s in period.schemes.all()}
    out = {}
    for cid, p in placements.items():
        if p.reason:
            out[cid] = p.reason
        elif (p.tier_id, p.category_id) not in schemes:
            out[cid] = SkipReason.NO_SCHEME
    ids = sorted(out)[:limit]
    cadres = Cadre.objects.filter(pk__in=ids).select_related("unit", "current_post").order_by("unit__path", "name")
    rows = [{"cadre": c, "reason": skip_reason_text(out[c.pk])} for c in cadres]
    return rows, len(out)


# --------------------------------------------------------------------------- scores
def score_schemes(*, user, period: AssessmentPeriod) -> list[IndicatorScheme]:
    """The schemes in force that ``user`` sees and that have rater-scored indicators (the score
    grid's selector)."""
    from .services import rater_indicators

    schemes = list(period.schemes.restrict(user).select_related("tier", "category")
                   .order_by("tier__order", "category__order"))
    by_scheme = rater_indicators([s.pk for s in schemes])
    for s in schemes:
        s.rater_indicators = by_scheme.get(s.pk, [])
    return [s for s in schemes if s.rater_indicators]


def score_rows(*, user, period: AssessmentPeriod, scheme: IndicatorScheme, unit=None, q: str = ""):
    """The enrolled cadres of one scheme the user sees, in unit-tree order (the grid's rows)."""
    qs = AssessmentResult.objects.restrict(user).filter(period=period, scheme=scheme).select_related("cadre", "unit", "post")
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    return search_filter(qs, q, prefix="cadre__").order_by("unit__path", "cadre__name", "id")


def stored_scores(*, rater_group: RaterGroup, result_ids) -> dict[tuple[int, int], object]:
    """{(result id, indicator id): score} of one rater group for the rows shown."""
    return {(r, i): s for r, i, s in Score.objects.filter(rater_group=rater_group, result_id__in=list(result_ids))
            .values_list("result_id", "indicator_id", "score")}


def scored_counts(*, user, period: AssessmentPeriod) -> dict[int, int]:
    """{rater group id: number of cadres it has scored}, among the cadres ``user`` sees."""
    return dict(Score.objects.restrict(user).filter(result__period=period).order_by().values("rater_group")
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


# --------------------------------------------------------------------------- results
def periods_with_results(*, user):
    """The periods the user sees (unit leaders: published only) that have results, newest first
    (an EXISTS per period: no counts, no DISTINCT over the results)."""
    return (AssessmentPeriod.objects.restrict(user)
            .filter(Exists(AssessmentResult.objects.filter(period=OuterRef("pk"))))
            .order_by("-end_date", "-id"))


def latest_period(*, user) -> AssessmentPeriod | None:
    """The newest period the user sees that has results (for the menu's landing page)."""
    return periods_with_results(user=user).first()


def _last_worked_period_id(user) -> int | None:
    """The period of the user's newest change in assessment (a period, a result's override, a
    score), from the audit history (indexed by user and by date)."""
    candidates = [
        AssessmentPeriod.history.filter(history_user=user).order_by("-history_date")
        .values_list("history_date", "id").first(),
        AssessmentResult.history.filter(history_user=user).order_by("-history_date")
        .values_list("history_date", "period_id").first(),
        Score.history.filter(history_user=user).order_by("-history_date")
        .values_list("history_date", "result__period_id").first(),
    ]
    candidates = [c for c in candidates if c and c[1]]
    return max(candidates)[1] if candidates else None


def results_landing_period(*, user, last_seen=None) -> AssessmentPeriod | None:
    """Which period the menu's 考核结果 opens: the one the user looked at last (``last_seen``, kept
    in the session) or worked on last (the audit history), if it has results they see; else the
    newest published period; else the newest with results. A period just opened, where nobody is
    graded yet, is not shown to a user who never touched it."""
    with_results = period_list(user=user).filter(results__isnull=False).distinct()
    for pk in (last_seen, _last_worked_period_id(user) if getattr(user, "pk", None) else None):
        if pk:
            period = with_results.filter(pk=pk).first()
            if period is not None:
                return period
    newest = with_results.order_by("-end_date", "-id")
    return newest.filter(status=PeriodStatus.PUBLISHED).first() or newest.first()


def result_list(*, user, period=None, filters=None):
    """The results the user sees (of ``period``), with what a list row shows; ``filters`` (query
    parameters of ``ResultFilter``) filter them as the page, the export and the API do."""
    qs = AssessmentResult.objects.restrict(user, "view").select_related(*RESULT_RELATED, "period")
    if period is not None:
        qs = qs.filter(period=period)
    if filters is not None:
        from .filters_results import ResultFilter

        f = ResultFilter(filters, queryset=qs)
        qs = f.qs if f.is_valid() else qs.none()
    return qs


def result_get(*, user, pk) -> AssessmentResult:
    qs = AssessmentResult.objects.select_related(*RESULT_RELATED, "period", "scheme", "overridden_by")
    return gate.get_or_404(qs, user, "view", pk=pk)


def period_groups(*, user, period) -> list[dict]:
    """The (tier, category) groups of the period with results the user sees, in tier/category order,
    each with the number of cadres the user sees in it (one query)."""
    rows = (AssessmentResult.objects.restrict(user, "view").filter(period=period).order_by()
            .values("tier_id", "category_id").annotate(n=Count("id")))
    counts = {(r["tier_id"], r["category_id"]): r["n"] for r in rows}
    tiers = {t.pk: t for t in Tier.objects.filter(pk__in={k[0] for k in counts})}
    cats = {c.pk: c for c in Category.objects.filter(pk__in={k[1] for k in counts})} if counts else {}
    out = [{"tier": tiers[t], "category": cats[c], "count": n,
            "key": f"{t}-{c}", "label": f"{tiers[t].name} · {cats[c].name}"}
           for (t, c), n in counts.items()]
    out.sort(key=lambda g: (g["tier"].order, g["tier"].pk, g["category"].order, g["category"].pk))
    return out


def pick_group(groups: list[dict], tier_id, category_id) -> dict | None:
    """The group asked for (ids as given in a query string), else the first one."""
    for g in groups:
        if str(g["tier"].pk) == str(tier_id) and str(g["category"].pk) == str(category_id):
            return g
    return groups[0] if groups else None


# --------------------------------------------------------------------------- leaderboards
BY_FIELDS = {"composite": "rank_composite", "points": "rank_points"}


def previous_period(*, user, period) -> AssessmentPeriod | None:
    """The period to compare with, when the user may see it."""
    if not period.previous_id:
        return None
    return period_list(user=user).filter(pk=period.previous_id).first()


def leaderboard(*, user, period, tier, category, by: str = "composite", previous=None):
    """The group's ranked rows the user sees, best first, each with ``rank`` (in the whole group,
    as stored by the computation), ``previous_rank`` (the same cadre's rank in the previous
    period's same tier and category group, or None) and ``movement`` set by ``with_movement``.
    Unranked rows (no composite) are left out of the composite board."""
    rank_field = BY_FIELDS.get(by, "rank_composite")
    qs = (AssessmentResult.objects.restrict(user, "view")
          .filter(period=period, tier=tier, category=category, **{f"{rank_field}__isnull": False})
          .select_related(*RESULT_RELATED))
    if previous is None:
        previous = previous_period(user=user, period=period)
    if previous is not None:
        prev = (AssessmentResult.objects.filter(period=previous, cadre=OuterRef("cadre_id"), tier=OuterRef("tier_id"),
                                                category=OuterRef("category_id")).values(rank_field)[:1])
        qs = qs.annotate(previous_rank=Subquery(prev, output_field=IntegerField()))
    return qs.order_by(rank_field, "cadre__name_initials", "id")


def with_movement(rows, *, by: str = "composite", has_previous: bool = True):
    """Set ``rank``, ``previous_rank`` and ``movement`` (up / down / same / new, or "" when there is
    no previous period to compare with) and ``change`` (places gained, positive = up) on each row."""
    rank_field = BY_FIELDS.get(by, "rank_composite")
    out = []
    for r in rows:
        r.rank = getattr(r, rank_field)
        prev = getattr(r, "previous_rank", None)
        r.previous_rank = prev
        if not has_previous:
            r.movement, r.change = "", 0
        elif prev is None:
            r.movement, r.change = "new", 0
        else:
            r.change = prev - r.rank
            r.movement = "up" if r.change > 0 else "down" if r.change < 0 else "same"
        r.places = abs(r.change)
        out.append(r)
    return out


HISTOGRAM_BINS = [(None, 60)] + [(lo, lo + 5) for lo in range(60, 100, 5)]


def composite_histogram(*, user, period, tier, category) -> dict:
    """Counts of composites per 5-point bin for the whole group and for the part the user sees
    (the same when the user sees everything). One aggregate query each."""
    def counts(qs):
        aggs = {}
        for k, (lo, hi) in enumerate(HISTOGRAM_BINS):
            q = Q(composite__gte=lo) if lo is not None else Q()
            q &= Q(composite__lt=hi) if hi < 100 else Q(composite__lte=100)
            aggs[f"b{k}"] = Count("id", filter=q)
        row = qs.filter(composite__isnull=False).order_by().aggregate(**aggs)
        return [row[f"b{k}"] for k in range(len(HISTOGRAM_BINS))]

    group = AssessmentResult.objects.filter(period=period, tier=tier, category=category)
    labels = [f"<{hi}" if lo is None else f"{lo}–{hi}" for lo, hi in HISTOGRAM_BINS]
    whole = counts(group)
    everything = gate.city_wide(user, "view", AssessmentResult)
    mine = whole if everything else counts(group.restrict(user, "view"))
    return {"labels": labels, "group": whole, "scope": mine, "restricted": not everything}


# --------------------------------------------------------------------------- calibration
@dataclass
class Calibration:
    period: AssessmentPeriod
    tier: Tier
    category: Category
    size: int = 0
    graded: int = 0
    cap: int = 0
    distribution: list = field(default_factory=list)  # [{grade, label, count, computed}]
    excellent_used: int = 0
    ordered: list = field(default_factory=list)  # graded results by the tie-break order
    excellent_inside: list = field(default_factory=list)
    excellent_outside: list = field(default_factory=list)
    thresholds: list = field(default_factory=list)  # [{label, value, above: [...], below: [...]}]
    overridden: list = field(default_factory=list)
    ties: list = field(default_factory=list)


def calibration(*, user, period, tier, category) -> Calibration:
    """The group's grades against the 优秀 cap and its boundaries: the whole group, for users the
    gate lets ``calibrate`` (org staff and auditors; anyone else: PermissionDenied). Three queries
    whatever the group's size."""
    if not gate.allows(user, "calibrate"):
        raise PermissionDenied(_("只有组织部和审计人员可以查看等次校准。"))
    results = list(AssessmentResult.objects.filter(period=period, tier=tier, category=category)
                   .select_related(*RESULT_RELATED).order_by("rank_composite", "id"))
    c = Calibration(period=period, tier=tier, category=category, size=len(results))
    graded = [r for r in results if r.composite is not None]
    c.graded = len(graded)
    c.cap = excellent_cap(len(graded), period.excellent_share)
    key = lambda r: (r.composite, r.points or Decimal(0), r.political or Decimal(0))  # noqa: E731
    c.ordered = sorted(graded, key=key, reverse=True)
    for value, label in Grade.choices:
        c.distribution.append({
            "grade": value, "label": label,
            "count": sum(1 for r in results if r.grade == value),
            "computed": sum(1 for r in results if r.computed_grade == value)})
    c.excellent_used = c.distribution[0]["count"]
    inside = [r for r in c.ordered if r.grade == Grade.EXCELLENT]
    outside = [r for r in c.ordered if r.grade != Grade.EXCELLENT and not r.vetoed]
    c.excellent_inside = inside[-BOUNDARY_SIZE:]
    c.excellent_outside = outside[:BOUNDARY_SIZE]
    for label, value in ((_("优秀分数线"), period.excellent_min), (_("称职分数线"), period.competent_min),
                         (_("基本称职分数线"), period.basic_min)):
        above = [r for r in c.ordered if r.composite >= value]
        below = [r for r in c.ordered if r.composite < value]
        c.thresholds.append({"label": label, "value": value, "above": above[-BOUNDARY_SIZE:],
                             "below": below[:BOUNDARY_SIZE]})
    c.overridden = [r for r in results if r.override_reason]
    c.ties = [r for r in results if r.grade_note == NOTE_TIE]
    return c


# --------------------------------------------------------------------------- one result's explanation
def _num(x):
    return None if x is None else Decimal(str(x)).quantize(Decimal("0.01"))


def explanation(result) -> dict:
    """The explanation (built now from the frozen scores, ``services.compute.explain``) as rows:
    indicators × rater groups (each group's score, the combined score, weight, contribution), the
    groups' nominal / effective weights and contributions, the notes as sentences, and whether the
    contributions add up to the total; ``data`` is the explanation itself (the API's). Three
    queries, once per result object."""
    cached = getattr(result, "_explanation_rows", None)
    if cached is not None:
        return cached
    built = explain(result)
    e = built.data
    group_names = dict(built.groups)
    indicators = built.indicators
    rows = []
    for ind_id, score, weight, contrib, by_group, detail in e["indicators"]:
        ind = indicators.get(ind_id)
        rows.append({
            "indicator": ind, "name": ind.name if ind else f"#{ind_id}",
            "dimension": ind.get_dimension_display() if ind else "", "is_veto": bool(ind and ind.is_veto),
            "score": _num(score), "weight": _num(weight), "contribution": _num(contrib),
            "by_group": [_num(x) for x in by_group] if by_group is not None else None,
            "detail": detail,
        })
    group_rows = [{"name": group_names.get(gid, f"#{gid}"), "nominal": _num(nominal), "effective": _num(eff),
                   "contribution": _num(contrib)} for gid, nominal, eff, contrib in e["groups"]]
    total = _num(e.get("total"))
    summed = sum((r["contribution"] or Decimal(0) for r in rows), Decimal(0))
    notes = [note_sentence(code, params, group_names, indicators) for code, params in e["notes"]]
    out = {
        "rows": rows, "groups": [name for _gid, name in built.groups], "group_rows": group_rows, "notes": notes,
        "total": total, "points": _num(e.get("points")), "sum": summed,
        "adds_up": total is None or abs(summed - total) <= Decimal("0.02"),
        "chart": {"names": [r["name"] for r in rows],
                  "contributions": [float(r["contribution"] or 0) for r in rows],
                  "label": _("贡献分")},
        "data": e,
    }
    result._explanation_rows = out
    return out


def note_sentence(code, params, group_names, indicators) -> str:
    """One note of an explanation as a Chinese sentence."""
    params = params or {}
    if code == "redistributed":
        names = "、".join(group_names.get(g, f"#{g}") for g in params.get("groups", []))
        return _("%(groups)s未评分，其权重按比例分配给其他评价主体。") % {"groups": names}
    if code == "incomplete":
        names = "、".join(indicators[i].name if i in indicators else f"#{i}" for i in params.get("indicators", []))
        return _("以下指标没有得分，不能计算综合得分，也不评定等次：%(names)s。") % {"names": names}
    if code == "veto":
        ind = indicators.get(params.get("indicator"))
        return _("“%(name)s”得分%(score)s，低于否决线%(threshold)s，一票否决，等次为不称职。") % {
            "name": ind.name if ind else "", "score": params.get("score"), "threshold": params.get("threshold")}
    if code == "cap":
        return _("综合得分达到优秀分数线，但本组优秀名额（%(cap)s人）已满，评为称职。") % {"cap": params.get("cap")}
    if code == "tie":
        return _("综合得分、实绩分和政治担当得分均与他人相同，且超出本组优秀名额（%(cap)s人），按规则均不评为优秀。") % {
            "cap": params.get("cap")}
    if code == "barred":
        reasons = params.get("reasons") or []
        if not reasons:
            return _("考核周期内受红黄牌或处分影响，不得评为优秀，评为称职。")
        return _("综合得分达到优秀分数线，但考核周期内不得评为优秀，评为称职：%(reasons)s。") % {
            "reasons": "；".join(reasons)}
    return str(code)


# --------------------------------------------------------------------------- one cadre over the periods
def cadre_history(*, user, cadre) -> list[AssessmentResult]:
    """The cadre's results the user sees, oldest period first (unit leaders: published periods only)."""
    return list(AssessmentResult.objects.restrict(user, "view").filter(cadre=cadre)
                .select_related("period", "tier", "category", "unit")
                .order_by("period__end_date", "period_id"))
