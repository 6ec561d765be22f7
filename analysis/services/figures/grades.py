"""考核等次 (grade distribution) of one assessment period: by unit, by tier (考核层级) and by category
(考核类别), and each tier × category group's 优秀 against its cap.

WHO COUNTS: ``assessment.selectors.result_list(user=..., period=...)`` (the gate: unit leaders see
published periods only, their subtree), the result's 时任单位 (``unit``) in the chosen subtree. The
period: the one chosen, else the newest the user sees with results (``periods``).
FIGURES: results by grade (``Grade``; no grade yet: 未定等次): one GROUP BY unit × tier × category ×
grade × graded (a composite or not), with no join (the 100,000 results of a city's period: one scan),
folded in Python into the unit (by the units' paths), tier and category tables — and, for a user who
sees every result with no unit chosen, into the cap table too (the city's rows are then the user's).
THE CAP (优秀名额): ``assessment.services.grading.excellent_cap`` over the group's graded results (a
composite score) and the period's ``excellent_share`` — the same call as the calibration page
(``assessment.selectors.calibration``) — with the group's 优秀 in the whole city. Only users the
gate lets ``calibrate`` (org staff, auditors) see it: a group reaches beyond a unit leader's units.
"""
from __future__ import annotations

from django.db.models import BooleanField, Count, ExpressionWrapper, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessment.models import AssessmentResult, Category, Grade, Tier
from assessment.selectors import periods_with_results, result_list
from assessment.services.grading import excellent_cap
from cadres.models import Unit
from pingdingshan.core import permissions as gate

from . import common as c
from .base import Chart, Figures, Table, page

GRADES = [g for g, _label in Grade.choices]


def periods(user):
    """The periods the user sees that have results, newest first: the form's choices, the first the
    default (``assessment.selectors.periods_with_results``, whose first is ``latest_period``)."""
    return periods_with_results(user=user)


def _cells(qs) -> dict:
    """{(unit_id, tier_id, category_id, grade, graded): n} of one GROUP BY (no join: ``COUNT(*)``)."""
    return {(r["unit_id"], r["tier_id"], r["category_id"], r["grade"], r["graded"]): r["n"]
            for r in qs.values("unit_id", "tier_id", "category_id", "grade")
            .annotate(graded=ExpressionWrapper(Q(composite__isnull=False), output_field=BooleanField()), n=Count("*"))
            .order_by()}


def _fold(cells, key_of) -> dict:
    """{key_of(cell key): {"n", "none", "g<grade>"...}} summed over the cells."""
    out: dict = {}
    for k, n in cells.items():
        acc = out.setdefault(key_of(k), {"n": 0, "none": 0, **{f"g{g}": 0 for g in GRADES}})
        acc["n"] += n
        acc["none" if k[3] == "" else f"g{k[3]}"] += n
    return out


def _row(label, r):
    return [label, r["n"], *[r[f"g{g}"] for g in GRADES], r["none"],
            c.share(r[f"g{Grade.EXCELLENT}"], r["n"])]


@page("grades", gettext_lazy("考核等次分布"))
def build(user, params) -> Figures:
    period = params.period or periods(user).first()
    cols = [_("人数"), *[str(label) for _g, label in Grade.choices], _("未定等次"), _("优秀率（%）")]
    figures = Figures("grades", str(_("考核等次分布")), params=c.period_label(params))
    if period is None:
        figures.tables.append(Table("by_unit", _("按单位"), [_("单位"), *cols], [], note=_("没有可查看的考核周期。")))
        return figures
    if params.period is None:
        figures.params.append((_("考核周期"), period.name))
    qs = c.within(result_list(user=user, period=period).order_by(), params, "unit__path")
    cells = _cells(qs)
    length = (c.root_depth(user, params) + 1) * c.STEP
    paths = dict(Unit.objects.filter(pk__in={k[0] for k in cells}).values_list("id", "path"))
    units = _fold(cells, lambda k: paths[k[0]][:length])
    names = c.unit_names(units)
    by_unit = [_row(names.get(k, k), r) for k, r in sorted(units.items())]
    tiers = {t.pk: (t.order, t.name) for t in Tier.objects.filter(pk__in={k[1] for k in cells})}
    cats = {x.pk: (x.order, x.name) for x in Category.objects.filter(pk__in={k[2] for k in cells})}
    by_tier = [_row(k[1], r) for k, r in sorted(_fold(cells, lambda k: tiers[k[1]]).items())]
    by_cat = [_row(k[1], r) for k, r in sorted(_fold(cells, lambda k: cats[k[2]]).items())]
    total = c.total_row(by_tier)
    if total:
        total[-1] = c.share(total[2], total[1])
    note = _("%(period)s；按时任单位，分到所选单位的下一级。") % {"period": period.name}
    figures.tables += [
        Table("by_unit", _("按单位"), [_("单位"), *cols], by_unit, note=note),
        Table("by_tier", _("按考核层级"), [_("考核层级"), *cols], by_tier + ([total] if total else []),
              total=bool(total)),
        Table("by_category", _("按考核类别"), [_("考核类别"), *cols], by_cat),
    ]
    series = list(range(2, 2 + len(GRADES) + 1))
    figures.charts += [
        Chart("unit", _("各单位考核等次"), "stacked", "by_unit", series),
        Chart("tier", _("各考核层级考核等次"), "stacked", "by_tier", series),
        Chart("category", _("各考核类别考核等次"), "stacked", "by_category", series),
    ]
    if gate.allows(user, "calibrate"):
        if params.unit is not None or not gate.scope(user, "view", AssessmentResult).everything:
            cells = _cells(AssessmentResult.objects.filter(period=period))  # the whole city's groups
            tiers.update({t.pk: (t.order, t.name) for t in Tier.objects.filter(pk__in={k[1] for k in cells} - set(tiers))})
            cats.update({x.pk: (x.order, x.name) for x in
                         Category.objects.filter(pk__in={k[2] for k in cells} - set(cats))})
        counted: dict = {}
        for (_u, tier, cat, grade, graded), n in cells.items():
            acc = counted.setdefault((*tiers[tier], *cats[cat]), {"graded": 0, "excellent": 0})
            acc["graded"] += n if graded else 0
            acc["excellent"] += n if grade == Grade.EXCELLENT else 0
        groups = [{"tier__name": k[1], "category__name": k[3], **v} for k, v in sorted(counted.items())]
        rows = []
        for g in groups:
            cap = excellent_cap(g["graded"], period.excellent_share)
            rows.append([f'{g["tier__name"]} · {g["category__name"]}', g["graded"], cap, g["excellent"],
                         cap - g["excellent"]])
        figures.tables.append(Table(
            "cap", _("优秀名额使用"), [_("考核组（层级 · 类别）"), _("参评人数"), _("优秀名额"), _("优秀"), _("剩余名额")],
            rows, note=_("全市每组：优秀名额 = 参评人数 × 优秀比例上限 %(share)s%%（向下取整）；"
                         "不受所选单位限制。") % {"share": period.excellent_share}))
        figures.charts.append(Chart("cap", _("各考核组优秀名额与使用"), "bar", "cap", [2, 3]))
    return figures
