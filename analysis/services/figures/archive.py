"""实绩档案 activity: the performance records the user sees, by central task (中心工作: the record's
``TaskCategory``), by unit and by month.

WHO COUNTS: ``cadres.selectors.records_in_sight(user=...)`` (the gate), the record's unit (``unit``,
时任单位) in the chosen subtree, its ``start_date`` in the period; records replaced by an amendment
(``superseded_by`` set) are left out, so a record and its amendment count once. With no period chosen
the page counts the last 12 months up to today (``DEFAULT_MONTHS``; shown with the filters): the
whole history of a city is a choice (a start date), not the default.
FIGURES: records by status (草稿, 已提交, 已核实, 已退回) and the 实绩分 of the verified ones (the
``points`` the verification fixed). Two scans of the records, neither joining another table: one
GROUP BY unit × category × status (folded into the category and unit tables in Python: a few
thousand rows), one GROUP BY month × status, both read from the covering index ``record_activity``
alone (start_date, then unit, category, status, points, cadre; 12 months of 2,000,000 records:
~360,000 index entries); then the categories', units' paths and names (three small queries).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadres.models import RecordStatus, TaskCategory, Unit
from cadres.selectors import records_in_sight
from pingdingshan.core.dates import today

from . import common as c
from .base import Chart, Figures, Table, page

DEFAULT_MONTHS = 12
STATUSES = (RecordStatus.VERIFIED, RecordStatus.SUBMITTED, RecordStatus.RETURNED, RecordStatus.DRAFT)


def _counts(qs, *keys):
    """{keys: [n, per status..., verified points]} of one GROUP BY over ``keys`` and the status."""
    out: dict = {}
    for r in (qs.values(*keys, "status").annotate(n=Count("*"), pts=Sum("points", filter=Q(status=RecordStatus.VERIFIED)))
              .order_by()):
        k = tuple(r[x] for x in keys)
        row = out.setdefault(k, [0, *[0] * len(STATUSES), Decimal(0)])
        row[0] += r["n"]
        if r["status"] in STATUSES:
            row[1 + STATUSES.index(r["status"])] += r["n"]
        row[-1] += r["pts"] or 0
    return out


def _fold(counts, key_of):
    """Sum the rows of ``counts`` by ``key_of(key)``."""
    out: dict = {}
    for k, row in counts.items():
        acc = out.setdefault(key_of(k), [0] * len(row))
        for i, v in enumerate(row):
            acc[i] += v
    return out


@page("archive", gettext_lazy("实绩档案分析"))
def build(user, params) -> Figures:
    if params.start is None and params.end is None:
        day = today()
        params = dataclasses.replace(params, start=day - relativedelta(months=DEFAULT_MONTHS) + dt.timedelta(days=1),
                                     end=day)
    qs = records_in_sight(user=user).filter(superseded_by__isnull=True).order_by()
    qs = c.dated(c.within(qs, params, "unit__path"), params, "start_date")
    cols = [_("记录数"), *[str(RecordStatus(s).label) for s in STATUSES], _("已核实实绩分")]
    # two scans of the records (no join): by unit × category × status, and by month × status
    cells = _counts(qs, "unit_id", "category_id")
    categories = dict(TaskCategory.objects.filter(pk__in={k[1] for k in cells}).values_list("id", "name"))
    by_cat = [[categories[k], *v] for k, v in sorted(_fold(cells, lambda k: k[1]).items(),
                                                    key=lambda kv: categories[kv[0]])]
    length = (c.root_depth(user, params) + 1) * c.STEP
    paths = dict(Unit.objects.filter(pk__in={k[0] for k in cells}).values_list("id", "path"))
    units = _fold(cells, lambda k: paths[k[0]][:length])
    names = c.unit_names(units)
    by_unit = [[names.get(k, k), *v] for k, v in sorted(units.items())]
    months = _fold(_counts(qs.annotate(m=c.month_key("start_date")), "m"), lambda k: k[0])
    by_month = [[c.month_label(k), *v] for k, v in sorted(months.items())]
    total = c.total_row(by_cat)
    note = _("按实绩的开始日期计入期间（未选期间时为近12个月）；被更正记录替代的原记录不计。")
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
