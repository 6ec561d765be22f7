"""Scoring methods of indicators: one small registry.

A method says whether rater groups enter its scores (``uses_raters``) or how a score 0–100 is
derived from data the period already holds (``derive``), which parameters it takes, and which
data sources it needs. The composite computation (``assessment.services.compute``) loads every
source a period's methods need once, set-based, and asks each method for a whole column of
scores at a time. Sources: ``points`` (verified 实绩 points) and ``cards`` (the card deduction,
from ``standing``); methods: ``rater``, ``archive_points`` and ``card_deduction`` (红黄牌扣分).
"""
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction

import numpy as np
from django.db.models import BigIntegerField, Q, Sum, Value
from django.db.models.functions import Cast, Coalesce, Round
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .hundredths import div_half_up, to_h


@dataclass(frozen=True)
class Param:
    label: object
    default: Decimal
    minimum: Decimal = Decimal("0")
    maximum: Decimal = Decimal("100000")
    exclusive_minimum: bool = False


@dataclass(frozen=True)
class Method:
    key: str
    label: object
    uses_raters: bool
    params: dict[str, Param] = field(default_factory=dict)
    sources: tuple[str, ...] = ()
    # derive(sources: dict[str, np.ndarray of hundredths aligned with cadre rows], params)
    #   -> scores in hundredths (int64 array), rounded half up exactly (``assessment.hundredths``)
    derive: Callable | None = None
    # describe(params) -> a sentence saying how the score is derived
    describe: Callable | None = None

    def clean_params(self, params) -> tuple[dict, list[str]]:
        """The params with defaults filled in and as strings; errors in Chinese."""
        params = params if isinstance(params, dict) else {}
        out, errors = {}, []
        for name, spec in self.params.items():
            raw = params.get(name, spec.default)
            try:
                value = Decimal(str(raw))
            except (InvalidOperation, ValueError):
                errors.append(_("“%(p)s”须为数字。") % {"p": spec.label})
                continue
            low_ok = value > spec.minimum if spec.exclusive_minimum else value >= spec.minimum
            if not low_ok or value > spec.maximum:
                errors.append(_("“%(p)s”须大于%(lo)s且不超过%(hi)s。") % {
                    "p": spec.label, "lo": spec.minimum, "hi": spec.maximum})
                continue
            out[name] = str(value)
        unknown = set(params) - set(self.params)
        if unknown:
            errors.append(_("未知的计分参数：%(names)s。") % {"names": "、".join(sorted(unknown))})
        return out, errors


# --------------------------------------------------------------------------- sources
def counted_records_q() -> Q:
    """The performance records whose points count (the ``points`` source; the reserve pools'
    criterion and ranking reuse it): verified and current (no verified amendment replaced them).
    Which ones count in a window is then by ``start_date``."""
    from cadres.models import RecordStatus

    return Q(status=RecordStatus.VERIFIED, superseded_by__isnull=True)


def _points_source(period, cadre_ids: np.ndarray) -> np.ndarray:
    """Each cadre's verified, current 实绩 points of records started within the period, in
    hundredths (one query). Stored with the result as ``points``, from which the explanation
    derives the score again when it is shown."""
    from cadres.models import PerformanceRecord

    rows = list(PerformanceRecord.objects.filter(
        counted_records_q(), start_date__gte=period.start_date, start_date__lte=period.end_date)
        .order_by().values("cadre_id")
        .annotate(h=Cast(Round(Coalesce(Sum("points"), Value(Decimal(0))) * Value(Decimal(100))), BigIntegerField()))
        .values_list("cadre_id", "h"))
    out = np.zeros(len(cadre_ids), dtype=np.int64)
    if rows:
        ids, totals = np.array(rows, dtype=np.int64).T
        order = np.argsort(ids)
        ids, totals = ids[order], totals[order]
        at = np.clip(np.searchsorted(ids, cadre_ids), 0, len(ids) - 1)
        found = ids[at] == cadre_ids
        out[found] = totals[at[found]]
    return out


def _cards_source(period, cadre_ids: np.ndarray) -> np.ndarray:
    """Each cadre's card deduction in hundredths: Σ ``conduct.card_deduction(color)`` over the
    cards in force on some day of the period that count in the assessment (``standing``: not
    clarified, not waived for the assessment by a ruling). Stored with the result as
    ``card_deduction``."""
    from .services import conduct
    from .services.standing import for_period

    per_color = {}
    out = np.zeros(len(cadre_ids), dtype=np.int64)
    index = {int(c): k for k, c in enumerate(cadre_ids)}
    for cid, st in for_period(period).items():
        k = index.get(int(cid))
        if k is None:
            continue
        for card in st.scored_cards:
            if card.color not in per_color:
                per_color[card.color] = to_h(conduct.card_deduction(card.color))  # rounded half up
            out[k] += per_color[card.color]
    return out


SOURCES: dict[str, Callable] = {"points": _points_source, "cards": _cards_source}
# The result field that keeps each source's value as it was when the period was computed.
STORED: dict[str, str] = {"points": "points", "cards": "card_deduction"}


# --------------------------------------------------------------------------- methods
def _archive_points(sources, params):
    """points ÷ full × 100, at most 100: in hundredths, points_h × 100 ÷ full, exactly."""
    num, den = Fraction(Decimal(str(params["full_points"]))).as_integer_ratio()
    points = np.asarray(sources["points"], dtype=np.int64)
    if points.size and int(np.abs(points).max()) * 100 * den >= 2 ** 62:  # beyond int64: Python integers
        points = points.astype(object)
    return np.minimum(10000, div_half_up(points * 100 * den, num)).astype(np.int64)


RATER = Method(
    key="rater",
    label=gettext_lazy("评价主体打分（0–100）"),
    uses_raters=True,
    describe=lambda params: _("各评价主体按权重加权；未评分的评价主体，其权重按比例分给已评分的评价主体。"),
)
ARCHIVE_POINTS = Method(
    key="archive_points",
    label=gettext_lazy("实绩档案积分折算"),
    uses_raters=False,
    params={"full_points": Param(gettext_lazy("满分所需实绩分"), Decimal("30"), exclusive_minimum=True)},
    sources=("points",),
    derive=_archive_points,
    describe=lambda params: _("本周期内已核实的实绩分 ÷ %(full)s × 100，最高100分。") % {
        "full": params.get("full_points", "30")},
)

def _card_deduction(sources, params):
    """100 − the deductions, at least 0 (hundredths)."""
    return np.maximum(0, 10000 - np.asarray(sources["cards"], dtype=np.int64)).astype(np.int64)


def _describe_card_deduction(params):
    from .models import CardColor
    from .services import conduct

    figures = "，".join(_("%(color)s每张扣%(points)s分") % {"color": label, "points": conduct.card_deduction(value)}
                        for value, label in CardColor.choices)
    return _("100分减去考核周期内有效的红黄牌扣分（%(figures)s），最低0分；已澄清正名或经容错认定不影响考核的红黄牌不扣分。") % {
        "figures": figures}


CARD_DEDUCTION = Method(
    key="card_deduction",
    label=gettext_lazy("红黄牌扣分"),
    uses_raters=False,
    sources=("cards",),
    derive=_card_deduction,
    describe=_describe_card_deduction,
)

METHODS: dict[str, Method] = {m.key: m for m in (RATER, ARCHIVE_POINTS, CARD_DEDUCTION)}


def method_choices():
    return [(m.key, m.label) for m in METHODS.values()]


def get(key: str) -> Method | None:
    return METHODS.get(key)
