"""Reads of the assessment app, always through the permission gate.

- ``period_get`` / ``result_get`` / ``result_list``: what the user may see (unit leaders: published
  periods only, results of the cadres in their subtrees only).
- ``period_groups``: the (tier, category) groups of a period the user sees.
- ``leaderboard``: a group's ranking (实绩比拼) by composite or by 实绩 points with the rank in the
  WHOLE group (stored by the computation) even when the user sees only part of it, and the movement
  against the previous period; ``composite_histogram``: the group's distribution.
- ``calibration``: a group's grade distribution against the 优秀 cap and the cadres around each
  boundary (org staff and auditors).
- ``explanation``: a result's stored explanation as rows a page shows, with notes as sentences.
- ``cadre_history``: one cadre's results over the periods.

Every list is set-based: the number of queries does not grow with the rows.
"""
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from pingdingshan.core import permissions as gate

from .models import AssessmentPeriod, AssessmentResult, Category, Dimension, Grade, Indicator, Tier
from .services.grading import excellent_cap

RESULT_RELATED = ("cadre", "unit", "post", "tier", "category")
BOUNDARY_SIZE = 3  # cadres shown on each side of a boundary on the calibration page


# --------------------------------------------------------------------------- periods and results
def period_list(*, user):
    return AssessmentPeriod.objects.restrict(user, "view")


def period_get(*, user, pk) -> AssessmentPeriod:
    return gate.get_or_404(AssessmentPeriod, user, "view", pk=pk)


def latest_period(*, user) -> AssessmentPeriod | None:
    """The newest period the user sees that has results (for the menu's landing page)."""
    return (period_list(user=user).filter(results__isnull=False).distinct()
            .order_by("-end_date", "-id").first())


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
    everything = gate.scope(user, "view", AssessmentResult).everything
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


def _political_ids(results) -> set[int]:
    schemes = {r.scheme_id for r in results}
    return set(Indicator.objects.filter(scheme_id__in=schemes, dimension=Dimension.POLITICAL)
               .values_list("id", flat=True))


def _political(result, political_ids) -> float:
    rows = (result.explanation or {}).get("indicators") or []
    return round(sum(float(row[3] or 0) for row in rows if row[0] in political_ids), 2)


def calibration(*, period, tier, category) -> Calibration:
    """The group's grades against the 优秀 cap and its boundaries (for org staff and auditors: the
    whole group, no scope). Three queries whatever the group's size."""
    results = list(AssessmentResult.objects.filter(period=period, tier=tier, category=category)
                   .select_related(*RESULT_RELATED).order_by("rank_composite", "id"))
    c = Calibration(period=period, tier=tier, category=category, size=len(results))
    political_ids = _political_ids(results)
    graded = [r for r in results if r.composite is not None]
    c.graded = len(graded)
    c.cap = excellent_cap(len(graded), period.excellent_share)
    for r in results:
        r.political = _political(r, political_ids)
    key = lambda r: (r.composite, r.points or Decimal(0), r.political)  # noqa: E731
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
    c.ties = [r for r in results if any(n[0] == "tie" for n in (r.explanation or {}).get("notes") or [])]
    return c


# --------------------------------------------------------------------------- one result's explanation
def _num(x):
    return None if x is None else Decimal(str(x)).quantize(Decimal("0.01"))


def explanation(result) -> dict:
    """The stored explanation as rows: indicators × rater groups (each group's score, the combined
    score, weight, contribution), the groups' nominal / effective weights and contributions, the
    notes as sentences, and whether the contributions add up to the total. Three queries."""
    e = result.explanation or {}
    groups = list(result.period.rater_groups.order_by("order", "id"))
    group_names = {g.pk: g.name for g in groups}
    indicators = {i.pk: i for i in Indicator.objects.filter(scheme_id=result.scheme_id)}
    rows = []
    for ind_id, score, weight, contrib, by_group, detail in e.get("indicators") or []:
        ind = indicators.get(ind_id)
        rows.append({
            "indicator": ind, "name": ind.name if ind else f"#{ind_id}",
            "dimension": ind.get_dimension_display() if ind else "", "is_veto": bool(ind and ind.is_veto),
            "score": _num(score), "weight": _num(weight), "contribution": _num(contrib),
            "by_group": [_num(x) for x in by_group] if by_group is not None else None,
            "detail": detail,
        })
    group_rows = [{"name": group_names.get(gid, f"#{gid}"), "nominal": _num(nominal), "effective": _num(eff),
                   "contribution": _num(contrib)} for gid, nominal, eff, contrib in e.get("groups") or []]
    total = _num(e.get("total"))
    summed = sum((r["contribution"] or Decimal(0) for r in rows), Decimal(0))
    notes = [note_sentence(code, params, group_names, indicators) for code, params in e.get("notes") or []]
    return {
        "rows": rows, "groups": [g.name for g in groups], "group_rows": group_rows, "notes": notes,
        "total": total, "points": _num(e.get("points")), "sum": summed,
        "adds_up": total is None or abs(summed - total) <= Decimal("0.02"),
        "chart": {"names": [r["name"] for r in rows],
                  "contributions": [float(r["contribution"] or 0) for r in rows],
                  "label": _("贡献分")},
    }


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
    return str(code)


# --------------------------------------------------------------------------- one cadre over the periods
def cadre_history(*, user, cadre) -> list[AssessmentResult]:
    """The cadre's results the user sees, oldest period first (unit leaders: published periods only)."""
    return list(AssessmentResult.objects.restrict(user, "view").filter(cadre=cadre)
                .select_related("period", "tier", "category", "unit")
                .order_by("period__end_date", "period_id"))
