"""红黄牌, 容错认定, 澄清正名 over time (by month) and by unit.

WHO COUNTS: each model's ``objects.restrict(user)`` (the gate: the cadre's unit in a unit leader's
subtree; org staff and auditors all).
- Cards (``WarningCard``): issued ones (``CARD_ISSUED_STATUSES``: 已发, 申诉中, 申诉维持, 已到期, 提前解除;
  not 拟发 nor 已撤销), dated by ``start_date`` (发牌日期), by their 时任单位 (``unit``); and the cards
  in force on the period's end (today if open): ``assessment.services.standing.cards_counting_q``,
  the rule ``standing`` and the cadre's page apply (not cleared by a clarification, not revoked by
  a ruling).
- Rulings (``ToleranceRuling``): applications dated by ``applied_at``, decisions by ``decided_on``
  and their ``decision`` (予以容错, 部分容错, 不予容错); 在办: status in
  ``assessment.services.protection.RULING_OPEN``, now. By the cadre's unit.
- Clarifications (``Clarification``): dated by ``cleared_on``, by the cadre's unit.
One GROUP BY per figure: nine queries with the unit names, whatever the number of rows.
"""
from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessment.models import (
    CARD_ISSUED_STATUSES,
    CardColor,
    Clarification,
    RulingDecision,
    ToleranceRuling,
    WarningCard,
)
from assessment.services.protection import RULING_OPEN
from assessment.services.standing import cards_counting_q

from . import common as c
from .base import Chart, Figures, Table, page
from .common import by as _by
from .common import merged as _merged

COLOURS = (CardColor.YELLOW, CardColor.RED)
DECISIONS = (RulingDecision.FULL, RulingDecision.PARTIAL, RulingDecision.NONE)


def _colours(prefix=""):
    return {f"{prefix}{col}": Count("id", filter=Q(color=col)) for col in COLOURS}


@page("conduct", gettext_lazy("红黄牌与容错纠错"))
def build(user, params) -> Figures:
    day = c.on(params)
    cards = c.within(WarningCard.objects.restrict(user).order_by(), params, "unit__path")
    issued = c.dated(cards.filter(status__in=CARD_ISSUED_STATUSES), params, "start_date")
    in_force = cards.filter(cards_counting_q(day, day))
    rulings = c.within(ToleranceRuling.objects.restrict(user).order_by(), params, "cadre__unit__path")
    applied = c.dated(rulings, params, "applied_at__date")
    decided = c.dated(rulings.exclude(decision=""), params, "decided_on")
    clar = c.dated(c.within(Clarification.objects.restrict(user).order_by(), params, "cadre__unit__path"),
                   params, "cleared_on")

    m = c.month_label
    months = [
        _by(issued, c.month_key("start_date"), m, **_colours()),
        _by(applied, c.month_key("applied_at"), m, applied=Count("id")),
        _by(decided, c.month_key("decided_on"), m, **{d: Count("id", filter=Q(decision=d)) for d in DECISIONS}),
        _by(clar, c.month_key("cleared_on"), m, cleared=Count("id")),
    ]
    fields = [*COLOURS, "applied", *DECISIONS, "cleared"]
    labels = [*(str(CardColor(col).label) for col in COLOURS), _("容错申请"),
              *(str(RulingDecision(d).label) for d in DECISIONS), _("澄清正名")]

    by_month = _merged(months, fields)

    key = c.unit_key(user, params, "unit__path")
    ckey = c.unit_key(user, params, "cadre__unit__path")
    units = [
        _by(issued, key, **_colours()),
        _by(in_force, key, **_colours("now_")),
        _by(applied, ckey, applied=Count("id")),
        _by(decided, ckey, **{d: Count("id", filter=Q(decision=d)) for d in DECISIONS}),
        _by(rulings.filter(status__in=RULING_OPEN), ckey, open=Count("id")),
        _by(clar, ckey, cleared=Count("id")),
    ]
    names = c.unit_names(k for g in units for k in g)
    unit_fields = [*COLOURS, *(f"now_{col}" for col in COLOURS), "applied", *DECISIONS, "open", "cleared"]
    unit_rows = _merged(units, unit_fields, lambda k: names.get(k, k))
    unit_labels = [*(_("发%(c)s") % {"c": CardColor(col).label} for col in COLOURS),
                   *(_("在期%(c)s") % {"c": CardColor(col).label} for col in COLOURS), _("容错申请"),
                   *(str(RulingDecision(d).label) for d in DECISIONS), _("容错在办"), _("澄清正名")]
    total = c.total_row(unit_rows)
    tables = [
        Table("by_month", _("逐月情况"), [_("月份"), *labels], by_month,
              note=_("红黄牌按发牌日期，容错申请按申请时间，认定结论按认定日期，澄清正名按澄清日期计入月份。")),
        Table("by_unit", _("按单位"), [_("单位"), *unit_labels], unit_rows + ([total] if total else []),
              total=bool(total),
              note=_("在期红黄牌：%(day)s仍在影响期内（未被澄清、未因容错撤销）的红黄牌。") % {"day": day.isoformat()}),
    ]
    charts = [
        Chart("cards_month", _("红黄牌逐月发放"), "stacked", "by_month", [1, 2]),
        Chart("rulings_month", _("容错认定与澄清正名逐月"), "line", "by_month", [3, 4, 5, 6, 7]),
        Chart("unit_cards", _("各单位在期红黄牌"), "stacked", "by_unit", [3, 4]),
        Chart("unit_rulings", _("各单位容错认定与澄清正名"), "bar", "by_unit", [5, 6, 7, 9, 10]),
    ]
    return Figures("conduct", str(_("红黄牌与容错纠错")), tables, charts, c.period_label(params))
