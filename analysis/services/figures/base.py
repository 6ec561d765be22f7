"""The shapes every analysis page and report shares (see the package docstring)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Params:
    """What every analysis page and report filters by: a unit subtree (``unit``: its root; None: the
    user's whole scope) and a period (``start``..``end`` inclusive, either open; ``period``: an
    assessment period when the figures are per period)."""
    unit: Any = None  # cadres.models.Unit | None
    start: dt.date | None = None
    end: dt.date | None = None
    period: Any = None  # assessment.models.AssessmentPeriod | None


@dataclass
class Table:
    """One table: ``columns`` are the headers (translated), ``rows`` lists of plain values (str, int,
    float, Decimal, date), the first column the row's label. ``key`` is stable (charts point at it)."""
    key: str
    title: str
    columns: list[str]
    rows: list[list]
    note: str = ""  # a sentence under the table (how it is counted)
    total: bool = False  # the last row is a 合计 row (charts leave it out)


@dataclass
class Chart:
    """One chart drawn from a table: ``kind`` bar | stacked | line | pie; ``series`` the indices of
    the table's columns drawn (default every column after the first), the first column the axis."""
    key: str
    title: str
    kind: str
    table: str  # a Table.key of the same Figures
    series: list[int] | None = None


@dataclass
class Figures:
    slug: str
    title: str
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    params: list[tuple[str, str]] = field(default_factory=list)  # (label, shown value) of the filters used

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


Builder = Callable[[Any, Params], Figures]
PAGES: dict[str, tuple[str, Builder]] = {}  # slug → (title, builder), in registration order


def page(slug: str, title: str) -> Callable[[Builder], Builder]:
    def register(fn: Builder) -> Builder:
        PAGES[slug] = (title, fn)
        return fn
    return register
