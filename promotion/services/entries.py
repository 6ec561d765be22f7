"""Pool entries: nominate, admit, remove (issue 12). Flagging entries no longer eligible
(``entries_flag``) is the ranking's (``ranking.py``).

INTERFACE (keyword-only, ``by=``, gate action ``reserve``, atomic, a transitions table in the shape
of ``assessment.services.conduct``):

    entry_nominate(*, by, pool, cadres, note="") -> list[PoolEntry]   refused for an ineligible cadre
                                                                        with the failing sentences
    entry_admit(*, by, entry, reason="") -> PoolEntry                  refused when not eligible now
    entry_remove(*, by, entry, reason) -> PoolEntry                    the reason is required

An entry moves 已提名 ─admit→ 已入库, and 已提名 / 已入库 ─remove→ 已移出 (the row stays, with the
reason; the cadre may be nominated again later, as a new entry). Every step is org staff's and is
logged (``PromotionStep``, subject ``entry``). Eligibility is only ever asked of
``eligibility.eligibility``.
"""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessment.services import conduct
from cadres.models import Cadre, CadreStatus
from pingdingshan.core import permissions as gate
from pingdingshan.core.fields import parse_id
from pingdingshan.core.services import model_save

from ..models import EntryStatus, PoolEntry, ReservePool, StepSubject
from .steps import log_step

S = EntryStatus
NOTE_MAX = 5000

# action: (states it may start from, state it leads to, gate action, condition(entry, user) or None)
ENTRY_TRANSITIONS = {
    "admit": ({S.NOMINATED}, S.ADMITTED, "reserve", None),
    "remove": ({S.NOMINATED, S.ADMITTED}, S.REMOVED, "reserve", None),
}
BUTTON_ACTIONS = ("admit", "remove")
ENTRY_ACTION_LABELS = {"nominate": gettext_lazy("提名"), "admit": gettext_lazy("审定入库"),
                       "remove": gettext_lazy("移出储备库")}


def entry_allowed_actions(entry: PoolEntry, user) -> frozenset[str]:
    """The buttons ``user`` may press on ``entry`` now (admit, remove)."""
    return conduct.allowed(entry, user, ENTRY_TRANSITIONS)


def _failing(result) -> list[str]:
    return [c.sentence for c in result.checks if not c.passed]


def not_eligible_message(cadre, result) -> str:
    """“张三不符合入库条件：年龄 47 岁 > 45 岁 ✘；…”"""
    failing = _failing(result) if result is not None else []
    return _("%(name)s不符合入库条件：%(why)s") % {
        "name": cadre.name, "why": "；".join(failing) or _("不在干部名册的在职干部中")}


def _lock(entry: PoolEntry) -> PoolEntry:
    return (PoolEntry.objects.select_for_update(of=("self",)).select_related("pool", "cadre", "cadre__unit")
            .get(pk=entry.pk))


def _gate(by, entry):
    gate.require(by, "reserve")
    gate.ensure(by, "view", entry)


def _cadre_ids(cadres) -> list:
    """The ids of ``cadres`` in the order given, once each; None for one that is not an id."""
    out = []
    for c in cadres or ():
        out.append(c.pk if isinstance(c, Cadre) else parse_id(c))
    return list(dict.fromkeys(out))


@transaction.atomic
def entry_nominate(*, by, pool: ReservePool, cadres, note: str = "") -> list[PoolEntry]:
    """Nominate cadres (ids or Cadre objects) to ``pool``: all or nothing. Refused, every problem at
    once under ``cadres``, for a cadre out of the user's sight, not active, already nominated or
    admitted, or not meeting the pool's criteria today (with the failing sentences)."""
    from .eligibility import eligibility

    gate.require(by, "reserve")
    gate.ensure(by, "view", pool)
    pool = ReservePool.objects.select_for_update().get(pk=pool.pk)  # one nomination into a pool at a time
    note = (note or "").strip()
    errors: dict[str, list[str]] = {}

    def add(key, message):
        errors.setdefault(key, []).append(str(message))

    if not pool.is_active:
        add("pool", _("储备库“%(p)s”已停用，不能提名。") % {"p": pool.name})
    if len(note) > NOTE_MAX:
        add("note", _("提名理由最多 %(n)s 个字。") % {"n": NOTE_MAX})
    ids = _cadre_ids(cadres)
    if not ids:
        add("cadres", _("请选择要提名的干部。"))
    if None in ids:
        add("cadres", _("干部编号格式不正确。"))
        ids = [pk for pk in ids if pk is not None]
    found = Cadre.objects.restrict(by, "view").select_related("unit").in_bulk(ids) if ids else {}
    for pk in ids:
        if pk not in found and "cadres" not in errors:
            add("cadres", _("编号为 %(pk)s 的干部不存在，或不在您的权限范围内。") % {"pk": pk})
    chosen = [found[pk] for pk in ids if pk in found]
    present = dict(PoolEntry.objects.filter(pool=pool, cadre__in=[c.pk for c in chosen])
                   .exclude(status=S.REMOVED).values_list("cadre_id", "status"))
    inactive = [c for c in chosen if c.status != CadreStatus.ACTIVE]
    for c in inactive:
        add("cadres", _("%(name)s已%(status)s，不能提名。") % {"name": c.name, "status": c.get_status_display()})
    for c in chosen:
        if c.pk in present:
            add("cadres", _("%(name)s已在此储备库中（%(status)s）。") % {
                "name": c.name, "status": S(present[c.pk]).label})
    check = [c for c in chosen if c.pk not in present and c not in inactive]
    if check:
        results = eligibility(pool, [c.pk for c in check], details=True)
        for c in check:
            result = results.get(c.pk)
            if result is None or not result.passed:
                add("cadres", not_eligible_message(c, result))
    if errors:
        raise ValidationError(errors)
    entries = []
    for c in chosen:
        entry = model_save(PoolEntry(pool=pool, cadre=c, status=S.NOMINATED, note=note, nominated_by=by), by=by,
                           validate=False)
        log_step(subject=StepSubject.ENTRY, obj=entry, action="nominate", by=by, reason=note, to_status=S.NOMINATED,
                 unit=c.unit)
        entries.append(entry)
    return entries


@transaction.atomic
def entry_admit(*, by, entry: PoolEntry, reason: str = "") -> PoolEntry:
    """Admit a nominated entry (已提名 → 已入库) after checking again, today, that the cadre meets
    the pool's criteria (refused with the failing sentences)."""
    from .eligibility import eligibility

    _gate(by, entry)
    entry = _lock(entry)
    old, new = conduct.advance(entry, ENTRY_TRANSITIONS, "admit", ENTRY_ACTION_LABELS)
    reason = (reason or "").strip()
    if len(reason) > NOTE_MAX:
        raise ValidationError({"reason": _("理由最多 %(n)s 个字。") % {"n": NOTE_MAX}})
    if entry.cadre.status != CadreStatus.ACTIVE:
        raise ValidationError(_("%(name)s已%(status)s，不能入库。") % {
            "name": entry.cadre.name, "status": entry.cadre.get_status_display()}, code="not_active")
    result = eligibility(entry.pool, [entry.cadre_id], details=True).get(entry.cadre_id)
    if result is None or not result.passed:
        raise ValidationError(not_eligible_message(entry.cadre, result), code="not_eligible")
    entry.admitted_by, entry.admitted_at = by, timezone.now()
    entry.flagged_on, entry.flag_reasons = None, []
    model_save(entry, by=by, validate=False)
    log_step(subject=StepSubject.ENTRY, obj=entry, action="admit", by=by, reason=reason, from_status=old,
             to_status=new, unit=entry.cadre.unit)
    return entry


@transaction.atomic
def entry_remove(*, by, entry: PoolEntry, reason: str) -> PoolEntry:
    """Remove an entry from the pool (已提名 / 已入库 → 已移出) with the reason; the row stays."""
    _gate(by, entry)
    reason = conduct.require_reason(reason)
    if len(reason) > NOTE_MAX:
        raise ValidationError({"reason": _("理由最多 %(n)s 个字。") % {"n": NOTE_MAX}})
    entry = _lock(entry)
    old, new = conduct.advance(entry, ENTRY_TRANSITIONS, "remove", ENTRY_ACTION_LABELS)
    entry.removed_by, entry.removed_at, entry.removal_reason = by, timezone.now(), reason
    model_save(entry, by=by, validate=False)
    log_step(subject=StepSubject.ENTRY, obj=entry, action="remove", by=by, reason=reason, from_status=old,
             to_status=new, unit=entry.cadre.unit)
    return entry


__all__ = ["BUTTON_ACTIONS", "ENTRY_ACTION_LABELS", "ENTRY_TRANSITIONS", "entry_admit", "entry_allowed_actions",
           "entry_nominate", "entry_remove", "not_eligible_message"]
