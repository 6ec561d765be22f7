"""What is in force for cadres on a day (担当状态): the one function every other part calls.

INTERFACE:

    standing(cadres, *, on=None, during=None) -> Standings

- ``cadres``: Cadre ids, Cadre objects or a Cadre queryset (any number: five queries in all, none
  for an empty list; a queryset is used as a subquery, a long list of ids as one array parameter).
- ``on``: a date (default ``core.dates.today()``); ``during``: a (start, end) pair instead — what is
  in force on any day of it (a period's grading asks this).
- ``Standings`` maps a cadre id to its ``CadreStanding`` (a cadre with nothing in force gets an
  empty one; only cadres with something are stored, so iterating gives those): ``cards`` (cards in
  force), ``scored_cards`` (those of them that count in the assessment: not waived for it by a
  ruling), ``sanctions`` (in force, or given in a year the window touches), ``awards`` (not
  revoked), ``rulings`` (decided tolerance rulings), ``clarifications``; ``blocks`` {block: [Fact]}
  for the blocks "pool", "promotion", "award", "excellent" (``conduct.BLOCKS``); ``waivers``
  [Fact]; ``priorities`` [Fact]. ``blocked(block)`` → bool, ``reasons(block)`` → [sentence].
- A ``Fact`` has ``kind`` ("card", "sanction", "ruling", "clarification", "award"), ``id``,
  ``sentence`` (Chinese, e.g. "黄牌 2026-03-01 至 2026-08-31（推诿扯皮）：不得进入储备库") and the
  ``block`` it is about ("" for none).

The rules, computed from rows and dates, never from stored flags:
1. A card is in force on day D when its status is one of ``CARD_ISSUED_STATUSES`` (not 拟发, not
   已撤销), ``start_date`` ≤ D ≤ ``end_date`` (both days included) and it was not lifted on or
   before D (``lifted_on`` is the first day it no longer counts). It blocks
   ``conduct.card_blocks(color)`` (``settings.CARD_BLOCKS``, per colour).
2. A card named by a clarification (澄清正名) never counts: a waiver fact says so.
3. A sanction not revoked blocks ``conduct.sanction_blocks()`` from ``decided_on`` to ``end_date``;
   "excellent" (if among them) for the whole calendar year of ``decided_on`` too (RULES.md: a 警告
   in the year bars 优秀).
4. A decided (认定 or 报备) tolerance ruling tolerating in full or in part waives, for the card or
   sanction it names, the blocks it says: ``waive_assessment`` → "excellent" (and the card's
   deduction), ``waive_pool`` → "pool", ``waive_promotion`` → "promotion", ``waive_awards`` →
   "award"; ``waive_card`` → the card does not count at all. A waived block is not in ``blocks``
   but in ``waivers``, with its sentence.
5. An award not revoked, of a kind with ``promotion_priority``, gives a "promotion" priority for
   ``conduct.award_priority_years()`` years from ``awarded_on``.
Rulings and clarifications correct the record: they count whenever they were made (a ruling
decided after a period still spares the period's grade).
"""
import datetime as dt
from contextlib import contextmanager
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pingdingshan.core.dates import today
from pingdingshan.core.idlists import ids_arg

from . import conduct

# Lists of ids longer than this go to PostgreSQL as one array parameter, not an IN list.


@dataclass(frozen=True)
class Fact:
    kind: str
    id: int
    sentence: str
    block: str = ""


@dataclass
class CadreStanding:
    cadre_id: int
    cards: list = field(default_factory=list)
    sanctions: list = field(default_factory=list)
    awards: list = field(default_factory=list)
    rulings: list = field(default_factory=list)
    clarifications: list = field(default_factory=list)
    blocks: dict = field(default_factory=dict)
    waivers: list = field(default_factory=list)
    priorities: list = field(default_factory=list)
    scored_cards: list = field(default_factory=list)

    def blocked(self, block: str) -> bool:
        return bool(self.blocks.get(block))

    def reasons(self, block: str) -> list[str]:
        return [f.sentence for f in self.blocks.get(block, ())]

    @property
    def empty(self) -> bool:
        return not (self.cards or self.sanctions or self.awards or self.rulings or self.clarifications
                    or self.blocks or self.waivers or self.priorities)

    def block_rows(self) -> list[tuple[str, list[Fact]]]:
        """(block, facts) in ``conduct.BLOCKS`` order, the blocked ones only (for a page)."""
        return [(b, self.blocks[b]) for b in conduct.BLOCKS if self.blocks.get(b)]


class Standings(dict):
    """{cadre id: CadreStanding}; ``start`` and ``end``: the window asked about."""

    start: dt.date | None = None
    end: dt.date | None = None

    def __missing__(self, cadre_id):
        return CadreStanding(cadre_id=int(cadre_id))


# --------------------------------------------------------------------------- sentences
BLOCK_EFFECT = {
    "pool": gettext_lazy("不得进入储备库"),
    "promotion": gettext_lazy("不得提拔任用"),
    "award": gettext_lazy("不得评先评优"),
    "excellent": gettext_lazy("不得评为优秀"),
}
BLOCK_AREA = {
    "pool": gettext_lazy("进入储备库"),
    "promotion": gettext_lazy("提拔任用"),
    "award": gettext_lazy("评先评优"),
    "excellent": gettext_lazy("考核等次"),
}
BLOCK_LABEL = {
    "pool": gettext_lazy("进入储备库"),
    "promotion": gettext_lazy("提拔任用"),
    "award": gettext_lazy("评先评优"),
    "excellent": gettext_lazy("评为优秀"),
}
# The ruling's flag that waives each block.
WAIVE_FLAG = {"excellent": "waive_assessment", "pool": "waive_pool", "promotion": "waive_promotion",
              "award": "waive_awards"}


def sentence(subject, effect, w=None) -> str:
    """Every fact of a standing in one shape: "<what>：<what follows from it>"."""
    template = w.sentence if w is not None else _("%(subject)s：%(effect)s")
    return template % {"subject": subject, "effect": effect}


def card_subject(card, w=None) -> str:
    template = w.card if w is not None else _("%(color)s %(start)s 至 %(end)s（%(reason)s）")
    color = w.color[card.color] if w is not None else card.get_color_display()
    return template % {"color": color, "start": card.start_date.isoformat(), "end": card.end_date.isoformat(),
                       "reason": card.reason.name}


def sanction_subject(s, w=None) -> str:
    template = w.sanction if w is not None else _("%(kind)s %(start)s 至 %(end)s（%(body)s）")
    kind = w.kind[s.kind] if w is not None else s.get_kind_display()
    return template % {"kind": kind, "start": s.decided_on.isoformat(), "end": s.end_date.isoformat(), "body": s.body}


def ruling_subject(r, w=None) -> str:
    day = r.decided_on or r.reported_on or r.review_date
    template = w.ruling if w is not None else _("容错认定（%(date)s，%(decision)s）")
    decision = w.decision.get(r.decision, "") if w is not None else r.get_decision_display()
    return template % {"date": day.isoformat() if day else "", "decision": decision}


def award_subject(a, w=None) -> str:
    template = w.award if w is not None else _("%(kind)s（%(year)s年）")
    return template % {"kind": a.kind.name, "year": a.year}


class Words:
    """The words of the sentences in the active language, translated once for a whole call of
    ``standing`` (a gettext per fact was half its time for 100,000 cadres)."""

    def __init__(self):
        from ..models import CardColor, RulingDecision, SanctionKind

        self.sentence = _("%(subject)s：%(effect)s")
        self.card = _("%(color)s %(start)s 至 %(end)s（%(reason)s）")
        self.sanction = _("%(kind)s %(start)s 至 %(end)s（%(body)s）")
        self.ruling = _("容错认定（%(date)s，%(decision)s）")
        self.award = _("%(kind)s（%(year)s年）")
        self.waive = _("免除%(what)s对%(area)s的影响")
        self.cleared = _("已澄清正名（%(date)s），不予计入")
        self.revoked = _("撤销%(what)s，不予计入")
        self.year_excellent = _("%(year)s年度不得评为优秀")
        self.priority = _("同等条件下优先考虑")
        self.effect = {b: str(t) for b, t in BLOCK_EFFECT.items()}
        self.area = {b: str(t) for b, t in BLOCK_AREA.items()}
        self.color = {v: str(label) for v, label in CardColor.choices}
        self.kind = {v: str(label) for v, label in SanctionKind.choices}
        self.decision = {v: str(label) for v, label in RulingDecision.choices}


# --------------------------------------------------------------------------- the function
def _window(on, during) -> tuple[dt.date, dt.date]:
    if during is not None:
        start, end = during
        if start > end:
            start, end = end, start
        return start, end
    day = on or today()
    return day, day


def _cadre_q(cadres, field_name: str = "cadre_id") -> Q | None:
    """A filter on ``field_name`` for ``cadres``: None for every cadre (an unfiltered Cadre
    queryset), a subquery for a queryset, an array parameter for a long list of ids."""
    if isinstance(cadres, QuerySet):
        if cadres.query.values_select:
            return Q(**{f"{field_name}__in": cadres})  # a values("pk") / values_list("id") queryset
        if not cadres.query.where and not cadres.query.is_sliced:
            return None
        return Q(**{f"{field_name}__in": (cadres if cadres.query.is_sliced else cadres.order_by()).values("pk")})
    return Q(**{f"{field_name}__in": ids_arg(sorted({int(getattr(c, "pk", c)) for c in cadres}))})


def _is_empty(cadres) -> bool:
    if isinstance(cadres, QuerySet):
        return False
    try:
        return len(cadres) == 0
    except TypeError:
        return False


def cards_in_force_q(start: dt.date, end: dt.date, prefix: str = "") -> Q:
    """Cards in force on some day of [start, end] (rule 1): issued and not revoked, start_date ≤
    end, end_date ≥ start, and not lifted before they ever counted in the window (``lifted_on`` is
    the first day a card no longer counts)."""
    from ..models import CARD_ISSUED_STATUSES

    p = prefix
    return (Q(**{f"{p}status__in": CARD_ISSUED_STATUSES, f"{p}start_date__lte": end, f"{p}end_date__gte": start})
            & (Q(**{f"{p}lifted_on__isnull": True})
               | (Q(**{f"{p}lifted_on__gt": start}) & Q(**{f"{p}lifted_on__gt": F(f"{p}start_date")}))))


def cards_counting_q(start: dt.date, end: dt.date) -> Q:
    """Cards that ``standing`` lists as in force on some day of [start, end]: rule 1
    (``cards_in_force_q``), not named by a clarification (rule 2) and not revoked by a ruling's
    ``waive_card`` (rule 4) — as a filter, for lists and counts."""
    from ..models import Clarification, RulingDecision, RulingStatus, ToleranceRuling

    return (cards_in_force_q(start, end)
            & ~Exists(Clarification.objects.filter(card=OuterRef("pk")))
            & ~Exists(ToleranceRuling.objects.filter(
                card=OuterRef("pk"), status__in=(RulingStatus.DECIDED, RulingStatus.REPORTED),
                decision__in=(RulingDecision.FULL, RulingDecision.PARTIAL), waive_card=True)))


def card_counts(cadres, *, on=None, during=None) -> dict[str, int]:
    """{colour: number} of the cards that ``standing`` lists as in force for ``cadres`` (rules 1,
    2 and a ruling revoking the card), every colour present; one query (a unit's page counts its
    subtree's cards with it)."""
    from ..models import CardColor, WarningCard

    start, end = _window(on, during)
    out = dict.fromkeys(CardColor.values, 0)
    if not isinstance(cadres, QuerySet):
        cadres = list(cadres)
        if not cadres:
            return out
    who = _cadre_q(cadres)
    qs = WarningCard.objects.filter(cards_counting_q(start, end))
    if who is not None:
        qs = qs.filter(who)
    for color, n in qs.order_by().values_list("color").annotate(n=Count("id")):
        out[color] = n
    return out


def standing(cadres, *, on=None, during=None) -> Standings:
    """What is in force for ``cadres`` on ``on`` (today) or on any day of ``during`` (start, end):
    the rules of the module's docstring, in five queries whatever the number of cadres."""
    from ..models import (
        Award,
        Clarification,
        RulingDecision,
        RulingStatus,
        Sanction,
        ToleranceRuling,
        WarningCard,
    )

    start, end = _window(on, during)
    out = Standings()
    out.start, out.end = start, end
    if not isinstance(cadres, QuerySet):
        cadres = list(cadres)
    if _is_empty(cadres):
        return out
    who = _cadre_q(cadres)

    def of(qs):
        return qs.filter(who) if who is not None else qs

    # 1. Cards in force on some day of [start, end].
    cards = list(of(WarningCard.objects.filter(cards_in_force_q(start, end)))
                 .select_related("reason").order_by("start_date", "id"))
    # 2. Clarifications of the cadres (a card they name never counts).
    clarifications = list(of(Clarification.objects.all()).order_by("cleared_on", "id"))
    # 3. Sanctions in force in the window, or given in a calendar year it touches.
    year_start = dt.date(start.year, 1, 1)
    sanctions = list(of(Sanction.objects.filter(revoked_on__isnull=True, decided_on__lte=end))
                     .filter(Q(end_date__gte=start) | Q(decided_on__gte=year_start)).order_by("decided_on", "id"))
    # 4. Decided rulings.
    rulings = list(of(ToleranceRuling.objects.filter(status__in=(RulingStatus.DECIDED, RulingStatus.REPORTED)))
                   .order_by("decided_on", "id"))
    # 5. Awards not revoked by the end of the window, given by then.
    awards = list(of(Award.objects.filter(cadre__isnull=False, awarded_on__lte=end))
                  .filter(Q(revoked_on__isnull=True) | Q(revoked_on__gt=end))
                  .select_related("kind").order_by("awarded_on", "id"))

    def get(cid) -> CadreStanding:
        s = dict.get(out, cid)
        if s is None:
            s = out[cid] = CadreStanding(cadre_id=cid)
        return s

    clarified = {}
    for c in clarifications:
        get(c.cadre_id).clarifications.append(c)
        if c.card_id:
            clarified.setdefault(c.card_id, c)
    waiving = {}  # ("card" | "sanction", id) -> ruling
    for r in rulings:
        get(r.cadre_id).rulings.append(r)
        if r.decision in (RulingDecision.FULL, RulingDecision.PARTIAL):
            if r.card_id:
                waiving[("card", r.card_id)] = r
            if r.sanction_id:
                waiving[("sanction", r.sanction_id)] = r

    w = Words()

    def apply(st: CadreStanding, kind: str, obj, subject: str, blocks, effect=None) -> set:
        """Each block to ``st.blocks`` or, when the ruling on ``obj`` waives it, to the waivers.
        Returns the blocks waived."""
        ruling = waiving.get((kind, obj.pk))
        waived = set()
        for b in blocks:
            if ruling is not None and getattr(ruling, WAIVE_FLAG[b]):
                waived.add(b)
                st.waivers.append(Fact("ruling", ruling.pk, sentence(
                    ruling_subject(ruling, w), w.waive % {"what": subject, "area": w.area[b]}, w), b))
            else:
                st.blocks.setdefault(b, []).append(
                    Fact(kind, obj.pk, sentence(subject, (effect or {}).get(b) or w.effect[b], w), b))
        return waived

    for card in cards:
        st = get(card.cadre_id)
        subject = card_subject(card, w)
        if card.pk in clarified:
            c = clarified[card.pk]
            st.waivers.append(Fact("clarification", c.pk, sentence(
                subject, w.cleared % {"date": c.cleared_on.isoformat()}, w)))
            continue
        ruling = waiving.get(("card", card.pk))
        if ruling is not None and ruling.waive_card:
            st.waivers.append(Fact("ruling", ruling.pk, sentence(
                ruling_subject(ruling, w), w.revoked % {"what": subject}, w)))
            continue
        st.cards.append(card)
        apply(st, "card", card, subject, conduct.card_blocks(card.color))
        if not (ruling is not None and ruling.waive_assessment):
            st.scored_cards.append(card)

    blocks = conduct.sanction_blocks()
    for s in sanctions:
        st = get(s.cadre_id)
        in_force = s.decided_on <= end and s.end_date >= start
        in_year = "excellent" in blocks and s.decided_on.year >= start.year  # its year touches the window
        which = [b for b in blocks if in_force or (b == "excellent" and in_year)]
        if not which:
            continue
        st.sanctions.append(s)
        effect = {"excellent": w.year_excellent % {"year": s.decided_on.year}} if in_year else None
        apply(st, "sanction", s, sanction_subject(s, w), which, effect)

    years = conduct.award_priority_years()
    since = start - relativedelta(years=years)  # awarded after this: priority on some day of the window
    for a in awards:
        st = get(a.cadre_id)
        st.awards.append(a)
        if a.kind.promotion_priority and years > 0 and a.awarded_on > since:
            st.priorities.append(Fact("award", a.pk, sentence(award_subject(a, w), w.priority, w), "promotion"))
    for st in out.values():
        if st.blocks:
            st.blocks = {b: st.blocks[b] for b in conduct.BLOCKS if b in st.blocks}
    return out




def for_period(period) -> Standings:
    """The standing of ``period``'s enrolled cadres on any day of the period (grading and the card
    deduction ask it). Inside ``kept_for(period)`` (the computation's ``load``) it is asked once
    and kept on the period object; elsewhere it is asked afresh each time."""
    cached = period.__dict__.get("_standing")
    if cached is not None:
        return cached
    st = standing(period.results.order_by().values("cadre_id"), during=(period.start_date, period.end_date))
    if "_standing" in period.__dict__:
        period.__dict__["_standing"] = st
    return st


@contextmanager
def kept_for(period):
    """Keep ``for_period(period)`` for the duration of the block (then drop it)."""
    period.__dict__["_standing"] = None
    try:
        yield
    finally:
        period.__dict__.pop("_standing", None)
