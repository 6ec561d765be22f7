"""The triggers that propose warning cards and reminders (红黄牌提示). Nothing here issues anything:
each trigger finds the facts it looks for and returns ``Proposal``\\ s; ``triggers_run`` stores the
new ones as pending ``CardProposal`` rows for org staff to confirm or dismiss
(``assessment/services/proposals.py``).

Each trigger is one function, set-based (a few queries whatever the number of cadres), reading its
settings through ``conduct.trigger(name)`` (``settings.CARD_TRIGGERS``: on/off and thresholds):

- ``grade_basic``: a result of a published period graded 基本称职 → a yellow card;
- ``grade_incompetent``: graded 不称职 → a red card;
- ``second_yellow``: a yellow card issued within ``months`` of an earlier one → a red card;
- ``bottom_share``: in the bottom ``percent`` % by 实绩分 of the (tier, category) group in
  ``periods`` consecutive published periods of the same kind → a yellow card;
- ``records_lagging``: ``returned`` or more records returned within ``within_days`` days, or a
  returned record not resubmitted for ``overdue_days`` days → a reminder (担当提醒), never a card.

A proposal keeps its facts as codes and figures (JSON) and a ``key`` naming the trigger and the
facts (``grade_basic:result:123``), so each fires once; ``proposal_sentence`` puts the facts in words
in the reader's language when shown. Cadres not in office (退休, 调离 …) are skipped, and so are
cards a clarification (澄清正名) names: a clarified matter never counts against the cadre.
"""
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import F, Q
from django.utils.translation import gettext as _

from pingdingshan.core.audit import bulk_create_audited
from pingdingshan.core.dates import today

from ..models import (
    CARD_ISSUED_STATUSES,
    AssessmentResult,
    CardColor,
    CardProposal,
    Grade,
    PeriodStatus,
    Suggestion,
    WarningCard,
)
from . import conduct

TRIGGERS = ("grade_basic", "grade_incompetent", "second_yellow", "bottom_share", "records_lagging")


def trigger_label(name: str) -> str:
    """The trigger's name in the reader's language."""
    labels = {
        "grade_basic": _("考核等次为基本称职"),
        "grade_incompetent": _("考核等次为不称职"),
        "second_yellow": _("再次被亮黄牌"),
        "bottom_share": _("实绩分连续排名靠后"),
        "records_lagging": _("实绩记录多次退回或逾期未改"),
    }
    return str(labels.get(name, name))


def trigger_choices() -> list[tuple[str, str]]:
    return [(name, trigger_label(name)) for name in TRIGGERS]


@dataclass(frozen=True)
class Proposal:
    trigger: str
    cadre_id: int
    suggestion: str
    facts: dict
    key: str


def _day(on) -> dt.date:
    return on or today()


def _end_of(day: dt.date):
    """The first moment after ``day`` (local time): "published by the end of ``day``"."""
    from django.utils import timezone

    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def _published_by(day: dt.date, prefix: str = "") -> Q:
    """Periods published by the end of ``day`` (a published period without a publication time,
    e.g. one loaded from elsewhere, counts as published)."""
    return Q(**{f"{prefix}status": PeriodStatus.PUBLISHED}) & (
        Q(**{f"{prefix}published_at__isnull": True}) | Q(**{f"{prefix}published_at__lt": _end_of(day)}))


def _clarified_cards(card_ids) -> set[int]:
    from ..models import Clarification

    ids = list(card_ids)
    if not ids:
        return set()
    return set(Clarification.objects.filter(card_id__in=ids).values_list("card_id", flat=True))


# --------------------------------------------------------------------------- grades
def _grade_trigger(name: str, grade: str, suggestion: str, on) -> list[Proposal]:
    if not conduct.trigger(name).get("on"):
        return []
    rows = (AssessmentResult.objects
            .filter(_published_by(_day(on), "period__"), grade=grade)
            .values_list("pk", "cadre_id", "period_id", "period__name", "period__year"))
    return [Proposal(trigger=name, cadre_id=cadre_id, suggestion=suggestion, key=f"{name}:result:{pk}",
                     facts={"result": pk, "period": period_id, "period_name": period_name, "year": year,
                            "grade": grade})
            for pk, cadre_id, period_id, period_name, year in rows]


def grade_basic(*, on=None) -> list[Proposal]:
    """A result of a published period graded 基本称职 proposes a yellow card."""
    return _grade_trigger("grade_basic", Grade.BASIC, Suggestion.YELLOW, on)


def grade_incompetent(*, on=None) -> list[Proposal]:
    """A result of a published period graded 不称职 proposes a red card."""
    return _grade_trigger("grade_incompetent", Grade.INCOMPETENT, Suggestion.RED, on)


# --------------------------------------------------------------------------- a second yellow card
def second_yellow(*, on=None) -> list[Proposal]:
    """A yellow card issued within ``months`` months of an earlier issued one (neither clarified)
    proposes a red card."""
    cfg = conduct.trigger("second_yellow")
    if not cfg.get("on"):
        return []
    months = int(cfg.get("months", 12))
    cards = list(WarningCard.objects
                 .filter(color=CardColor.YELLOW, status__in=CARD_ISSUED_STATUSES, start_date__lte=_day(on))
                 .order_by("cadre_id", "start_date", "pk").values_list("pk", "cadre_id", "start_date"))
    clarified = _clarified_cards(pk for pk, _c, _d in cards)
    by_cadre = defaultdict(list)
    for pk, cadre_id, start in cards:
        if pk not in clarified:
            by_cadre[cadre_id].append((pk, start))
    out = []
    for cadre_id, rows in by_cadre.items():
        for i, (pk, start) in enumerate(rows):
            earlier = [(e_pk, e_start) for e_pk, e_start in rows[:i] if start <= conduct.add_months(e_start, months)]
            if not earlier:
                continue
            e_pk, e_start = earlier[-1]
            out.append(Proposal(trigger="second_yellow", cadre_id=cadre_id, suggestion=Suggestion.RED,
                                key=f"second_yellow:card:{pk}",
                                facts={"card": pk, "card_date": start.isoformat(), "earlier": e_pk,
                                       "earlier_date": e_start.isoformat(), "months": months}))
    return out


# --------------------------------------------------------------------------- the bottom of a group
def bottom_share(*, on=None) -> list[Proposal]:
    """In the bottom ``percent`` % by 实绩分 rank of the (tier, category) group in each of ``periods``
    consecutive published periods of the same kind proposes a yellow card. "Bottom p %": the
    cadre's place counted from the bottom (1 = last) is at most p % of the group's size, so a group
    of 20 has one cadre in its bottom 5 % and a group of 10 none."""
    from ..models import AssessmentPeriod

    cfg = conduct.trigger("bottom_share")
    if not cfg.get("on"):
        return []
    percent, periods = int(cfg.get("percent", 5)), max(1, int(cfg.get("periods", 2)))
    published = list(AssessmentPeriod.objects
                     .filter(_published_by(_day(on)))
                     .order_by("kind", "end_date", "pk").values_list("pk", "kind", "name"))
    if len(published) < periods:
        return []
    # 100 × rank ≥ (100 − p) × size + 100  ⇔  (size − rank + 1) / size ≤ p / 100
    bottom = (AssessmentResult.objects
              .filter(period_id__in=[p for p, _k, _n in published], rank_points__isnull=False, group_size__gt=0)
              .alias(lhs=F("rank_points") * 100, rhs=F("group_size") * (100 - percent) + 100)
              .filter(lhs__gte=F("rhs"))
              .values_list("pk", "cadre_id", "period_id", "rank_points", "group_size"))
    at = {(cadre_id, period_id): (pk, rank, size) for pk, cadre_id, period_id, rank, size in bottom}
    cadres = {cadre_id for cadre_id, _p in at}
    chains = defaultdict(list)
    for pk, kind, name in published:
        chains[kind].append((pk, name))
    out = []
    for chain in chains.values():
        for end in range(periods - 1, len(chain)):
            window = chain[end - periods + 1:end + 1]
            for cadre_id in cadres:
                hits = [at.get((cadre_id, p)) for p, _n in window]
                if not all(hits):
                    continue
                last = hits[-1][0]
                facts = {"percent": percent, "periods": [
                    {"period": p, "name": n, "result": h[0], "rank": h[1], "size": h[2]}
                    for (p, n), h in zip(window, hits, strict=True)]}
                out.append(Proposal(trigger="bottom_share", cadre_id=cadre_id, suggestion=Suggestion.YELLOW,
                                    key=f"bottom_share:result:{last}:{periods}", facts=facts))
    return out


# --------------------------------------------------------------------------- records lagging
def records_lagging(*, on=None, cadre_ids=None) -> dict[int, dict]:
    """{cadre id: facts} for the cadres (all, or ``cadre_ids``) with ``returned`` or more records
    returned within the last ``within_days`` days, or a record returned in that time and still not
    resubmitted ``overdue_days`` days later. Empty when the trigger is off. Facts: ``returned`` (how
    many returns), ``threshold``, ``within_days``, ``records`` (the returned records' ids),
    ``last`` (the latest return's day, ISO), ``last_record``, ``overdue`` (ids of the records left
    returned), ``overdue_days``. Reminder signs (helper pages) read the same."""
    from cadres.models import PerformanceRecord, RecordStatus

    cfg = conduct.trigger("records_lagging")
    if not cfg.get("on"):
        return {}
    day = _day(on)
    threshold, within = int(cfg.get("returned", 3)), int(cfg.get("within_days", 180))
    overdue_days = int(cfg.get("overdue_days", 30))
    since = day - dt.timedelta(days=within)
    lo, hi = _end_of(since - dt.timedelta(days=1)), _end_of(day)
    history = PerformanceRecord.history.model.objects.filter(status=RecordStatus.RETURNED, reviewed_at__gte=lo,
                                                             reviewed_at__lt=hi)
    current = PerformanceRecord.objects.filter(status=RecordStatus.RETURNED, reviewed_at__gte=lo,
                                               reviewed_at__lt=_end_of(day - dt.timedelta(days=overdue_days)))
    if cadre_ids is not None:
        ids = list(cadre_ids)
        history, current = history.filter(cadre_id__in=ids), current.filter(cadre_id__in=ids)
    # Each return stamps reviewed_at afresh: one return is one (record, reviewed_at) pair, however
    # many history rows (edits while returned) repeat it.
    returns = defaultdict(set)
    for cadre_id, record_id, at in history.order_by().values_list("cadre_id", "id", "reviewed_at").distinct():
        returns[cadre_id].add((at, record_id))
    overdue = defaultdict(list)
    for cadre_id, record_id in current.order_by("reviewed_at", "pk").values_list("cadre_id", "pk"):
        overdue[cadre_id].append(record_id)
    from django.utils import timezone

    out = {}
    for cadre_id in set(returns) | set(overdue):
        events = sorted(returns.get(cadre_id, ()))
        if len(events) < threshold and not overdue.get(cadre_id):
            continue
        last_at, last_record = events[-1] if events else (None, None)
        out[cadre_id] = {
            "returned": len(events), "threshold": threshold, "within_days": within,
            "records": sorted({r for _a, r in events}), "last_record": last_record,
            "last": timezone.localdate(last_at).isoformat() if last_at else "",
            "overdue": overdue.get(cadre_id, []), "overdue_days": overdue_days,
        }
    return out


def _records_lagging_proposals(*, on=None) -> list[Proposal]:
    out = []
    for cadre_id, facts in records_lagging(on=on).items():
        if facts["returned"] >= facts["threshold"]:
            key = f"records_lagging:returns:{cadre_id}:{facts['last_record']}@{facts['last']}"
        else:
            key = f"records_lagging:overdue:{facts['overdue'][0]}"
        out.append(Proposal(trigger="records_lagging", cadre_id=cadre_id, suggestion=Suggestion.REMINDER,
                            facts=facts, key=key))
    return out


FINDERS = {
    "grade_basic": grade_basic,
    "grade_incompetent": grade_incompetent,
    "second_yellow": second_yellow,
    "bottom_share": bottom_share,
    "records_lagging": _records_lagging_proposals,
}


def triggers_find(*, on=None) -> list[Proposal]:
    """Every proposal the triggers that are on make on ``on``, for cadres in office, not yet stored."""
    from cadres.models import Cadre, CadreStatus

    found = [p for name in TRIGGERS for p in FINDERS[name](on=on)]
    if not found:
        return []
    active = set(Cadre.objects.filter(pk__in={p.cadre_id for p in found}, status=CadreStatus.ACTIVE)
                 .values_list("pk", flat=True))
    keys = {p.key for p in found}
    stored = set(CardProposal.objects.filter(key__in=keys).values_list("key", flat=True))
    out, seen = [], set()
    for p in found:
        if p.cadre_id in active and p.key not in stored and p.key not in seen:
            seen.add(p.key)
            out.append(p)
    return out


def triggers_run(*, on=None, by=None) -> dict:
    """Run the triggers that are on and store what they newly propose as pending ``CardProposal``
    rows (keys already stored are skipped: each fires once). Never issues a card or records a
    reminder. Returns {trigger: new proposals} for every trigger (0 when off or nothing new)."""
    day = _day(on)
    new = triggers_find(on=day)
    bulk_create_audited(CardProposal, [
        CardProposal(trigger=p.trigger, cadre_id=p.cadre_id, suggestion=p.suggestion, facts=p.facts, key=p.key,
                     detected_on=day) for p in new], by=by)
    counts = dict.fromkeys(TRIGGERS, 0)
    for p in new:
        counts[p.trigger] += 1
    return counts


# --------------------------------------------------------------------------- in words
def _grade_name(code) -> str:
    try:
        return str(Grade(code).label)
    except ValueError:
        return str(code)


def proposal_sentence(proposal) -> str:
    """Which trigger fired on which facts, in the reader's language (a ``CardProposal`` or a
    ``Proposal``): "2025年度考核（已发布）等次为基本称职"."""
    facts = proposal.facts or {}
    name = proposal.trigger
    try:
        if name in ("grade_basic", "grade_incompetent"):
            return _("%(period)s（已发布）等次为%(grade)s") % {"period": facts["period_name"],
                                                       "grade": _grade_name(facts["grade"])}
        if name == "second_yellow":
            return _("%(earlier)s 被亮黄牌后，%(date)s 再次被亮黄牌（%(months)s 个月内第二张）") % {
                "earlier": facts["earlier_date"], "date": facts["card_date"], "months": facts["months"]}
        if name == "bottom_share":
            rows = facts["periods"]
            return _("%(periods)s连续 %(n)s 个考核周期实绩分排名位于同组后 %(p)s%%（%(ranks)s）") % {
                "periods": _("、").join(r["name"] for r in rows), "n": len(rows), "p": facts["percent"],
                "ranks": _("、").join(_("第 %(rank)s/%(size)s 名") % r for r in rows)}
        if name == "records_lagging":
            parts = []
            if facts.get("returned", 0) >= facts.get("threshold", 0) and facts.get("returned"):
                parts.append(_("近 %(days)s 天内实绩记录被退回 %(n)s 次（达到 %(t)s 次）") % {
                    "days": facts["within_days"], "n": facts["returned"], "t": facts["threshold"]})
            if facts.get("overdue"):
                parts.append(_("%(n)s 条被退回的实绩记录超过 %(days)s 天未重新提交") % {
                    "n": len(facts["overdue"]), "days": facts["overdue_days"]})
            return _("；").join(parts)
    except (KeyError, TypeError, ValueError):
        pass
    return trigger_label(name)
