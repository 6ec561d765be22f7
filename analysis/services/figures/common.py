"""What the analysis pages share: the user's rows narrowed to the chosen subtree, the grouping keys
(the next level of the unit tree under the chosen root, the county a unit lies in, the month), and
small helpers turning grouped rows into tables. Every grouping is a GROUP BY in the database: a
page runs a fixed number of queries whatever the number of cadres, records or units."""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import F, Q
from django.db.models.functions import Substr, TruncMonth
from django.utils.translation import gettext as _

from cadres.models import Unit, UnitKind
from pingdingshan.core import permissions as gate
from pingdingshan.core.dates import today

STEP = 4  # the unit tree's path characters per level (treebeard, ``Unit.steplen``)
# The units a county-level breakdown (按县（市、区）) groups by: the second level of the tree.
COUNTY_KINDS = (UnitKind.COUNTY, UnitKind.COUNTY_CITY, UnitKind.DISTRICT, UnitKind.ZONE)


def within(qs, params, path_field: str):
    """``qs`` (already restricted by the gate) narrowed to the chosen unit's subtree."""
    if params.unit is not None:
        return qs.filter(**{f"{path_field}__startswith": params.unit.path})
    return qs


def dated(qs, params, field: str):
    """``qs`` narrowed to ``field`` within the period (either end open)."""
    q = Q()
    if params.start:
        q &= Q(**{f"{field}__gte": params.start})
    if params.end:
        q &= Q(**{f"{field}__lte": params.end})
    return qs.filter(q)


def on(params) -> dt.date:
    """The day a "now" figure is taken on: the period's end, else today."""
    return params.end or today()


def root_depth(user, params) -> int:
    """The depth of the root the "by unit" tables break down: the chosen unit, else the top of the
    user's scope (0 above several roots)."""
    if params.unit is not None:
        return params.unit.depth
    s = gate.scope(user, "view", Unit)
    if s.everything:
        return 1 if Unit.objects.filter(depth=1).count() == 1 else 0
    return min((len(p) // STEP for p in s.unit_paths), default=0)


def unit_key(user, params, path_field: str):
    """An expression: the path of the unit one level under the root that a row's unit lies in (a row
    of the root unit itself: the root's path)."""
    return Substr(path_field, 1, (root_depth(user, params) + 1) * STEP)


def county_key(path_field: str):
    return Substr(path_field, 1, 2 * STEP)


def month_key(field: str):
    return TruncMonth(field)


def unit_names(paths) -> dict[str, str]:
    """{path: name} of the units at ``paths`` (one query)."""
    paths = [p for p in set(paths) if p]
    return dict(Unit.objects.filter(path__in=paths).values_list("path", "name")) if paths else {}


def counties(paths) -> dict[str, str]:
    """{path: name} of the county-level units (``COUNTY_KINDS``) among ``paths`` (one query)."""
    paths = [p for p in set(paths) if p]
    if not paths:
        return {}
    return dict(Unit.objects.filter(path__in=paths, kind__in=COUNTY_KINDS).values_list("path", "name"))


def share(part, whole) -> Decimal | None:
    """``part`` as a percentage of ``whole``, one decimal (None of nothing)."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def month_label(value) -> str:
    return value.strftime("%Y-%m") if value else "—"


def pivot(rows, key_index: int, col_index: int, value_index: int, cols: list) -> dict:
    """{row key: [value per col in ``cols``]} from grouped (key, col, value) rows."""
    out: dict = {}
    for r in rows:
        k, c, v = r[key_index], r[col_index], r[value_index]
        if c not in cols:
            continue
        out.setdefault(k, [0] * len(cols))[cols.index(c)] += v
    return out


def total_row(rows: list[list], label=None) -> list:
    """A 合计 row: the sums of every numeric column (None elsewhere)."""
    if not rows:
        return []
    out = [label or _("合计")]
    for i in range(1, len(rows[0])):
        vals = [r[i] for r in rows]
        out.append(sum(v for v in vals if isinstance(v, (int, Decimal)) and not isinstance(v, bool))
                   if all(isinstance(v, (int, Decimal)) or v is None for v in vals) else None)
    return out


def period_label(params) -> list[tuple[str, str]]:
    """The filters shown on the page and the report."""
    shown = []
    if params.unit is not None:
        shown.append((_("单位（含下级）"), params.unit.name))
    if params.start:
        shown.append((_("开始日期"), params.start.isoformat()))
    if params.end:
        shown.append((_("结束日期"), params.end.isoformat()))
    if params.period is not None:
        shown.append((_("考核周期"), params.period.name))
    return shown


def expr(key):
    """A grouping key as an expression (a field path: ``F``)."""
    return F(key) if isinstance(key, str) else key


def by(qs, key, norm=None, **ann):
    """{group key: the row's counts}; ``norm`` turns the key into the one the rows merge by."""
    out: dict = {}
    for r in qs.values(k=expr(key)).annotate(**ann).order_by("k"):
        k = norm(r["k"]) if norm else r["k"]
        out.setdefault(k, {}).update({f: v for f, v in r.items() if f != "k"})
    return out


def merged(groups, fields, label_of=lambda k: k):
    """Rows [label, field values...] merging ``by`` dicts on their keys (missing: 0)."""
    keys = sorted({k for g in groups for k in g})
    rows = []
    for k in keys:
        vals = {}
        for g in groups:
            vals.update(g.get(k, {}))
        rows.append([label_of(k), *[vals.get(f, 0) for f in fields]])
    return rows
