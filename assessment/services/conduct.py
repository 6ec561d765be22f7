"""What the workflows of awards, cards and protection share: one shape for their transition tables,
the step log with its reason, the unit leaders told of each step, and the local-practice settings
(``../shared/RULES.md``, "Warning cards and protection") read in one place.

A workflow module (``cards.py``, ``awards.py``, ``protection.py``, ``reminders.py``) declares its
table like the archive's (``cadres/services/records.py``)::

    TRANSITIONS = {
        # action: (states it may start from, state it leads to, gate action, condition or None)
        "issue": ({S.PROPOSED}, S.ISSUED, "discipline", None),
        "appeal": ({S.ISSUED}, S.APPEALED, "appeal", _not_expired),
    }

and calls ``allowed(obj, user, TRANSITIONS)`` for the buttons and the API's ``allowed_actions``,
and ``advance(obj, TRANSITIONS, action, labels)`` inside its atomic service, after locking the row,
then ``log_step`` (and ``tell_leaders``) with the reason.
"""
from collections.abc import Callable
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from pingdingshan.core import permissions as gate
from pingdingshan.core.services import notify

from .. import notices
from ..models import ConductStep, Subject

Table = dict[str, tuple[set, object, str, Callable | None]]


def require_reason(reason, field: str = "reason") -> str:
    """The step's reason, stripped; refused (on ``field``) when empty."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({field: _("请填写理由。")}, code="reason_required")
    return reason


def gate_allows(user, gate_action: str, obj) -> bool:
    """The gate's answer for one row of a table: ``discipline`` is org staff's on an object they
    see; other actions (``change``, ``appeal``) are asked about the object itself."""
    if gate_action in ("discipline", "reserve"):  # org staff's actions on anything they see
        return gate.can(user, gate_action) and gate.allows(user, "view", obj)
    return gate.allows(user, gate_action, obj)


def allowed(obj, user, table: Table, *, status_field: str = "status") -> frozenset[str]:
    """The actions of ``table`` that ``user`` may take on ``obj`` now: legal in its status,
    allowed by the gate, and the row's condition holds (``condition(obj, user)``)."""
    status = getattr(obj, status_field)
    out = set()
    for action, (sources, _target, gate_action, condition) in table.items():
        if status not in sources or not gate_allows(user, gate_action, obj):
            continue
        if condition is not None and not condition(obj, user):
            continue
        out.add(action)
    return frozenset(out)


def refuse(obj, action_label, *, status_field: str = "status"):
    raise ValidationError(
        _("当前状态为“%(status)s”，不能%(action)s。") % {
            "status": getattr(obj, f"get_{status_field}_display")(), "action": action_label},
        code="illegal_transition")


def advance(obj, table: Table, action: str, labels: dict, *, status_field: str = "status") -> tuple[str, str]:
    """Move ``obj`` by ``action`` of ``table`` (refused with a Chinese message when its status does
    not allow it); returns (old status, new status). The caller has locked the row and saves it."""
    sources, target, _gate_action, _condition = table[action]
    old = getattr(obj, status_field)
    if old not in sources:
        refuse(obj, labels[action], status_field=status_field)
    if target is not None:
        setattr(obj, status_field, target)
    return old, getattr(obj, status_field)


def log_step(*, subject: Subject | str, obj, action: str, by, reason: str = "", from_status: str = "",
             to_status: str = "", unit=None) -> ConductStep:
    """Keep one step of a workflow (shown on the detail pages, newest last)."""
    return ConductStep.objects.create(subject=subject, subject_id=obj.pk, action=action, from_status=from_status or "",
                                      to_status=to_status or "", reason=reason or "", unit=unit, by=by)


def steps_of(subject: Subject | str, obj) -> list[ConductStep]:
    """The steps of ``obj``, oldest first (one query). The caller fetched ``obj`` through the gate."""
    return list(ConductStep.objects.filter(subject=subject, subject_id=obj.pk).select_related("by").order_by("at", "id"))


def tell_leaders(*, unit, subject: Subject | str, cadre, action_label, reason: str = "", url: str = "") -> int:
    """Notify the unit leaders over ``unit`` of a step about ``cadre`` (of their units)."""
    if unit is None:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject_label, action_text = str(Subject(subject).label), str(action_label)
    n = 0
    for user in gate.leaders_over(unit.path):
        notify(user=user, kind=notices.CONDUCT_STEP, url=url,
               params={"subject": subject_label, "cadre": str(cadre), "action": action_text,
                       "reason": reason or ""})
        n += 1
    return n


# --------------------------------------------------------------------------- local practice, as settings
BLOCKS = ("pool", "promotion", "award", "excellent")


def card_blocks(color: str) -> tuple[str, ...]:
    """What an active card of ``color`` blocks (``settings.CARD_BLOCKS``), in ``BLOCKS`` order."""
    wanted = set(getattr(settings, "CARD_BLOCKS", {}).get(color, ()))
    return tuple(b for b in BLOCKS if b in wanted)


def card_deduction(color: str) -> Decimal:
    """Points an active card of ``color`` takes off the 红黄牌扣分 indicator (``settings.CARD_DEDUCTION``)."""
    return Decimal(str(getattr(settings, "CARD_DEDUCTION", {}).get(color, "0")))


def default_term_months(color: str) -> int:
    return int(getattr(settings, "CARD_TERM_MONTHS", {}).get(color, 12 if color == "red" else 6))


def trigger(name: str) -> dict:
    """A trigger's settings (``settings.CARD_TRIGGERS[name]``); ``{"on": False}`` when absent."""
    return dict(getattr(settings, "CARD_TRIGGERS", {}).get(name, {"on": False}))


def adjustment_due_days() -> int:
    return int(getattr(settings, "ADJUSTMENT_DUE_DAYS", 30))


def award_priority_years() -> int:
    return int(getattr(settings, "AWARD_PRIORITY_YEARS", 3))


def sanction_term_months(kind: str) -> int:
    return int(getattr(settings, "SANCTION_TERM_MONTHS", {}).get(kind, 12))


def sanction_blocks() -> tuple[str, ...]:
    wanted = set(getattr(settings, "SANCTION_BLOCKS", BLOCKS))
    return tuple(b for b in BLOCKS if b in wanted)


def reminder_due_soon_days() -> int:
    """Days before a reminder's follow-up date it shows as due (``settings.REMINDER_DUE_SOON_DAYS``)."""
    return int(getattr(settings, "REMINDER_DUE_SOON_DAYS", 7))


def reminder_sign(name: str, default=None):
    """A threshold of the signs that suggest a reminder (``settings.REMINDER_SIGNS[name]``)."""
    return getattr(settings, "REMINDER_SIGNS", {}).get(name, default)


def composite_drop() -> Decimal:
    """Points a composite must fall between two published periods of a kind to be a sign."""
    return Decimal(str(reminder_sign("composite_drop", 5)))


def add_months(start, months: int):
    """The last day of a term of ``months`` starting on ``start`` (both days included):
    2026-03-01 + 6 months → 2026-08-31; 2026-01-31 + 1 month → 2026-02-28."""
    import datetime as dt

    from dateutil.relativedelta import relativedelta

    return start + relativedelta(months=months) - dt.timedelta(days=1)
