"""实绩档案 activity: the performance records the user sees, by central task (中心工作: the record's
``TaskCategory``), by unit and by month.

WHO COUNTS: ``cadres.selectors.records_in_sight(user=...)`` (the gate), the record's unit (``unit``,
时任单位) in the chosen subtree, its ``start_date`` in the period; records replaced by an amendment
(``superseded_by`` set) are left out, so a record and its amendment count once.
FIGURES: records by status (草稿, 已提交, 已核实, 已退回) and the 实绩分 of the verified ones (the
``points`` the verification fixed), one GROUP BY per table (three queries, one for the unit names).
"""
from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadres.models import RecordStatus
from cadres.selectors import records_in_sight

from . import common as c
from .base import Chart, Figures, Table, page

STATUSES = (RecordStatus.VERIFIED, RecordStatus.SUBMITTED, RecordStatus.RETURNED, RecordStatus.DRAFT)


def _grouped(qs, key):
    ann = {s: Count("id", filter=Q(status=s)) for s in STATUSES}
    return list(qs.values(k=c.expr(key)).annotate(
        n=Count("id"), pts=Sum("points", filter=Q(status=RecordStatus.VERIFIED)), **ann).order_by("k"))


def _row(label, r):
    return [label, r["n"], *[r[s] for s in STATUSES], r["pts"] or 0]


@page("archive", gettext_lazy("实绩档案分析"))
def build(user, params) -> Figures:
    qs = records_in_sight(user=user).filter(superseded_by__isnull=True).order_by()
    qs = c.dated(c.within(qs, params, "unit__path"), params, "start_date")
    cols = [_("记录数"), *[str(RecordStatus(s).label) for s in STATUSES], _("已核实实绩分")]
    by_cat = [_row(r["k"], r) for r in _grouped(qs, "category__name")]
    units = _grouped(qs, c.unit_key(user, params, "unit__path"))
    names = c.unit_names(r["k"] for r in units)
    by_unit = [_row(names.get(r["k"], r["k"]), r) for r in units]
    by_month = [_row(c.month_label(r["k"]), r) for r in _grouped(qs, c.month_key("start_date"))]
    total = c.total_row(by_cat)
    note = _("按实绩的开始日期计入期间；被更正记录替代的原记录不计。")
    tables = [
        Table("by_category", _("按中心工作"), [_("中心工作"), *cols], by_cat + ([total] if total else []),
              note=note, total=bool(total)),
        Table("by_unit", _("按单位"), [_("单位"), *cols], by_unit, note=_("按记录的时任单位，分到所选单位的下一级。")),
        Table("by_month", _("按月份"), [_("月份"), *cols], by_month),
    ]
    charts = [
        Chart("category", _("各项中心工作的实绩记录"), "stacked", "by_category", [2, 3, 4, 5]),
        Chart("unit", _("各单位的实绩记录"), "stacked", "by_unit", [2, 3, 4, 5]),
        Chart("month", _("实绩记录逐月变化"), "line", "by_month", [1, 2]),
    ]
    return Figures("archive", str(_("实绩档案分析")), tables, charts, c.period_label(params))
