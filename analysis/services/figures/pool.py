"""储备库 (reserve pools): each pool's size now, entries and movement (入库, 移出) by month, and by unit.

WHO COUNTS: ``PoolEntry.objects.restrict(user)`` (the gate: the cadre's unit in a unit leader's
subtree; org staff and auditors all) — the entries ``promotion.selectors_pools.pool_counts`` counts
— the cadre's unit in the chosen subtree. Sizes are now (the entry's status: 已提名, 已入库;
不再符合条件: ``flagged_on`` set on an entry still in the pool, as ``pool_counts``); 提名, 入库 and 移出
are dated by ``nominated_at``, ``admitted_at`` and ``removed_at`` and fall in the period. Three
scans of the entries: by pool; by the three months at once (each counted when its own date is in the
period); by the cadre's unit (sizes and movement, folded by the units' paths in Python).
"""
from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadres.models import Unit
from promotion.models import EntryStatus, PoolEntry

from . import common as c
from .base import Chart, Figures, Table, page
from .common import merged as _merged

NOW = {"nominated": Count("id", filter=Q(status=EntryStatus.NOMINATED)),
       "admitted": Count("id", filter=Q(status=EntryStatus.ADMITTED)),
       "flagged": Count("id", filter=Q(flagged_on__isnull=False) & ~Q(status=EntryStatus.REMOVED))}


def _within(params, field):
    """The entries whose ``field`` (a date and time) falls in the period: as ``common.dated``."""
    q = Q(**{f"{field}__isnull": False})
    if params.start:
        q &= Q(**{f"{field}__date__gte": params.start})
    if params.end:
        q &= Q(**{f"{field}__date__lte": params.end})
    return q


def MOVED(params) -> dict:  # noqa: N802 - the counts of the period's movement, like NOW
    return {"in_nominated": Count("id", filter=_within(params, "nominated_at")),
            "in_admitted": Count("id", filter=_within(params, "admitted_at")),
            "out": Count("id", filter=_within(params, "removed_at"))}


@page("pool", gettext_lazy("储备库分析"))
def build(user, params) -> Figures:
    entries = c.within(PoolEntry.objects.restrict(user).order_by(), params, "cadre__unit__path")
    pools = list(entries.values("pool__order", "pool__name", "pool__category__name")
                 .annotate(**NOW).order_by("pool__order", "pool__name"))
    pool_rows = [[p["pool__name"], p["pool__category__name"], p["admitted"], p["nominated"], p["flagged"]]
                 for p in pools]
    # one scan for the three month figures: grouped by the three months, each counted when its own
    # date falls in the period (an entry nominated in one month and admitted in another counts in both)
    months: dict = {}
    for r in (entries.values(mn=c.month_key("nominated_at"), ma=c.month_key("admitted_at"), mr=c.month_key("removed_at"))
              .annotate(**MOVED(params)).order_by()):
        for month, f in ((r["mn"], "in_nominated"), (r["ma"], "in_admitted"), (r["mr"], "out")):
            if r[f]:
                acc = months.setdefault(c.month_label(month), {"in_nominated": 0, "in_admitted": 0, "out": 0})
                acc[f] += r[f]
    month_rows = _merged([months], ["in_nominated", "in_admitted", "out"])
    for r in month_rows:
        r.append(r[2] - r[3])
    # one scan for the sizes now and the period's movement by the cadre's unit (no join to the
    # units: their paths are read apart and the rows folded one level under the root)
    cells = {r["cadre__unit_id"]: r for r in entries.values("cadre__unit_id").annotate(**NOW, **MOVED(params)).order_by()}
    length = (c.root_depth(user, params) + 1) * c.STEP
    paths = dict(Unit.objects.filter(pk__in=set(cells)).values_list("id", "path"))
    units: dict = {}
    for unit_id, r in cells.items():
        acc = units.setdefault(paths[unit_id][:length], {})
        for f, v in r.items():
            if f != "cadre__unit_id":
                acc[f] = acc.get(f, 0) + v
    names = c.unit_names(units)
    unit_rows = _merged([units], ["admitted", "nominated", "flagged", "in_nominated", "in_admitted", "out"],
                        lambda k: names.get(k, k))
    total = c.total_row(pool_rows)
    if total:
        total[1] = ""
    tables = [
        Table("by_pool", _("各储备库现有人选"), [_("储备库"), _("类别"), _("已入库"), _("已提名"), _("不再符合条件")],
              pool_rows + ([total] if total else []), total=bool(total),
              note=_("现有人选按当前状态统计；不再符合条件：已标记但尚未移出的人选。")),
        Table("by_month", _("逐月进出"), [_("月份"), _("提名"), _("入库"), _("移出"), _("净增")], month_rows,
              note=_("按提名、入库、移出时间计入月份。")),
        Table("by_unit", _("按单位"), [_("单位"), _("已入库"), _("已提名"), _("不再符合条件"), _("期间提名"),
                                    _("期间入库"), _("期间移出")], unit_rows,
              note=_("按人选的所在单位，分到所选单位的下一级。")),
    ]
    charts = [
        Chart("pools", _("各储备库规模"), "stacked", "by_pool", [2, 3]),
        Chart("month", _("储备库逐月进出"), "line", "by_month", [1, 2, 3]),
        Chart("unit", _("各单位储备人选"), "stacked", "by_unit", [1, 2]),
    ]
    return Figures("pool", str(_("储备库分析")), tables, charts, c.period_label(params))
