"""选拔任用 (selections): the records by the step they are at, by unit, and the steps taken by month.

WHO COUNTS: ``Selection.objects.restrict(user)`` (the gate: the record's unit in a unit leader's
subtree; org staff and auditors all), the record's unit in the chosen subtree.
- 所处环节: each record's ``status`` now (``SelectionStatus``, the procedure's order
  ``promotion.services.selection.ORDER``, then 已完成 and 已终止), of the records created in the period.
- 办理环节: the steps of the procedure taken in the period (``PromotionStep`` rows of the records,
  subject 选任纪实, actions ``promotion.services.selection.STEP_ACTIONS``, dated by ``at``) by month —
  the record's own log, the one its timeline shows (``PromotionStep.objects.restrict(user)``: the
  step's unit, the record's).
One GROUP BY per table (four queries with the unit names).
"""
from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from promotion.models import PromotionStep, Selection, SelectionStatus, StepSubject
from promotion.services.selection import ACTION_LABELS, ORDER, STEP_ACTIONS

from . import common as c
from .base import Chart, Figures, Table, page

STATUSES = (*ORDER, SelectionStatus.DONE, SelectionStatus.STOPPED)


@page("selection", gettext_lazy("选拔任用分析"))
def build(user, params) -> Figures:
    records = c.dated(c.within(Selection.objects.restrict(user).order_by(), params, "unit__path"),
                      params, "created_at__date")
    counts = dict(records.values_list("status").annotate(n=Count("id")).order_by())
    status_rows = [[str(SelectionStatus(s).label), counts.get(s, 0)] for s in STATUSES]
    key = c.unit_key(user, params, "unit__path")
    ann = {s: Count("id", filter=Q(status=s)) for s in STATUSES}
    units = list(records.values(k=key).annotate(n=Count("id"), **ann).order_by("k"))
    names = c.unit_names(r["k"] for r in units)
    unit_rows = [[names.get(r["k"], r["k"]), r["n"], *[r[s] for s in STATUSES]] for r in units]
    steps = c.dated(c.within(PromotionStep.objects.restrict(user).order_by(), params, "unit__path"), params, "at__date")
    steps = steps.filter(subject=StepSubject.SELECTION, action__in=STEP_ACTIONS)
    month = c.by(steps, c.month_key("at"), c.month_label, **{a: Count("id", filter=Q(action=a)) for a in STEP_ACTIONS})
    month_rows = c.merged([month], list(STEP_ACTIONS))
    total = c.total_row(unit_rows)
    tables = [
        Table("by_status", _("所处环节"), [_("环节"), _("选任纪实数")], status_rows,
              note=_("期间内创建的选任纪实，按当前所处环节统计。")),
        Table("by_unit", _("按单位"), [_("单位"), _("选任纪实数"), *[str(SelectionStatus(s).label) for s in STATUSES]],
              unit_rows + ([total] if total else []), total=bool(total)),
        Table("by_month", _("逐月办理环节"), [_("月份"), *[str(ACTION_LABELS[a]) for a in STEP_ACTIONS]], month_rows,
              note=_("期间内登记的各环节（选任纪实的办理记录）。")),
    ]
    charts = [
        Chart("status", _("选任纪实所处环节"), "bar", "by_status"),
        Chart("unit", _("各单位选任纪实"), "stacked", "by_unit", list(range(2, 2 + len(STATUSES)))),
        Chart("month", _("逐月办理环节"), "stacked", "by_month"),
    ]
    return Figures("selection", str(_("选拔任用分析")), tables, charts, c.period_label(params))
