"""Warning cards (红黄牌), their reasons and the organisational adjustment (组织调整) a red card
requires.

A card moves through ``CARD_TRANSITIONS`` (the shape of ``conduct.py``):

    拟发 ─issue→ 已发 ─appeal→ 申诉中 ─uphold→ 申诉维持
                 │             │                │
                 ├─lift→ 提前解除 ←─────────────┤ (lift from 已发 / 申诉维持)
                 └─(daily) expire→ 已到期 ←─────┘ (also from 申诉中)
    revoke → 已撤销 from 拟发 / 已发 / 申诉中 / 申诉维持

Every step but the appeal is org staff's (gate action ``discipline``) and needs a reason; the
appeal is filed by the cadre's unit leader (or org staff, ``appeal``) with grounds, and refused
once the term has ended. Each step is logged (``ConductStep``) and the unit leaders over the
cadre's unit are told (never of a card still 拟发: they do not see those).

Issuing a red card creates its ``Adjustment`` (待调整, due ``ADJUSTMENT_DUE_DAYS`` after the card's
start); ``adjustment_record`` ends the chosen appointment and starts the new one through the
roster's appointment services (quotas and history as everywhere). A card revoked, lifted or
expired cancels its pending adjustment.
"""
import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadres.models import Appointment, Cadre, CadreStatus, Post
from cadres.services import records as archive
from cadres.services import roster
from pingdingshan.core import permissions as gate
from pingdingshan.core.audit import bulk_update_audited
from pingdingshan.core.dates import today
from pingdingshan.core.services import model_delete, model_save

from ..models import (
    Adjustment,
    AdjustmentKind,
    AdjustmentStatus,
    CardColor,
    CardEvidence,
    CardReason,
    CardStatus,
    ConductStep,
    Subject,
    WarningCard,
)
from . import conduct

S = CardStatus
A = AdjustmentStatus
IN_FORCE = {S.ISSUED, S.APPEALED, S.UPHELD}  # issued and not ended: expire / lift / adjustment apply
TERMINAL = {S.REVOKED, S.EXPIRED, S.LIFTED}


def _term_not_ended(card, user) -> bool:
    return card.end_date >= today()


# action: (states it may start from, state it leads to, gate action, condition(card, user) or None)
CARD_TRANSITIONS = {
    "issue": ({S.PROPOSED}, S.ISSUED, "discipline", None),
    "appeal": ({S.ISSUED}, S.APPEALED, "appeal", _term_not_ended),
    "uphold": ({S.APPEALED}, S.UPHELD, "discipline", None),
    "revoke": ({S.PROPOSED, S.ISSUED, S.APPEALED, S.UPHELD}, S.REVOKED, "discipline", None),
    "lift": ({S.ISSUED, S.UPHELD}, S.LIFTED, "discipline", None),
    "expire": (IN_FORCE, S.EXPIRED, "discipline", None),  # the daily task's; no button
}
CARD_STEPS = {  # actions on a card that keep its status
    "edit": ({S.PROPOSED}, None, "discipline", None),
    "upload": ({S.PROPOSED, S.ISSUED, S.APPEALED, S.UPHELD}, None, "discipline", None),
}
# The buttons of the pages and the API's ``allowed_actions`` (expire is the daily task's only).
BUTTON_ACTIONS = ("issue", "appeal", "uphold", "revoke", "lift")
CARD_ACTION_LABELS = {
    "create": gettext_lazy("拟发"), "edit": gettext_lazy("修改"), "issue": gettext_lazy("发放"),
    "appeal": gettext_lazy("申诉"), "uphold": gettext_lazy("维持"), "revoke": gettext_lazy("撤销"),
    "lift": gettext_lazy("提前解除"), "expire": gettext_lazy("到期"), "upload": gettext_lazy("上传材料"),
    "delete_evidence": gettext_lazy("删除材料"),
}

ADJUSTMENT_TRANSITIONS = {
    "record": ({A.PENDING}, A.DONE, "discipline", None),
    "cancel": ({A.PENDING}, A.CANCELLED, "discipline", None),  # follows the card; no button
}
ADJUSTMENT_ACTION_LABELS = {"create": gettext_lazy("待调整"), "record": gettext_lazy("登记组织调整"),
                            "cancel": gettext_lazy("取消")}
# The kinds of adjustment that put the cadre in a new post (the others may only end one).
NEEDS_NEW_POST = {AdjustmentKind.REASSIGN, AdjustmentKind.NON_LEADING, AdjustmentKind.DEMOTE}

CARD_FIELDS = {"color", "cadre", "reason", "facts", "basis", "issuing_body", "start_date", "end_date"}


def card_allowed_actions(card: WarningCard, user) -> frozenset[str]:
    """The buttons ``user`` may press on ``card`` now (issue, appeal, uphold, revoke, lift, and
    ``edit`` / ``upload`` steps)."""
    table = {k: v for k, v in (CARD_TRANSITIONS | CARD_STEPS).items() if k != "expire"}
    return conduct.allowed(card, user, table)


def adjustment_allowed_actions(adjustment: Adjustment, user) -> frozenset[str]:
    return conduct.allowed(adjustment, user, {"record": ADJUSTMENT_TRANSITIONS["record"]})


def card_url(card) -> str:
    try:
        return reverse("assessment:card_detail", args=[card.pk])
    except Exception:  # noqa: BLE001 - the pages may not be installed (API-only use)
        return ""


def adjustment_url(adjustment) -> str:
    try:
        return reverse("assessment:adjustment_detail", args=[adjustment.pk])
    except Exception:  # noqa: BLE001
        return ""


def _lock(card: WarningCard) -> WarningCard:
    return (WarningCard.objects.select_for_update(of=("self",)).select_related("cadre", "unit", "reason")
            .get(pk=card.pk))


def _gate(by, action: str, card: WarningCard) -> None:
    """Gate first: ``discipline`` is org staff's on a card they see; ``appeal`` is asked of the card."""
    gate_action = (CARD_TRANSITIONS | CARD_STEPS)[action][2]
    if gate_action == "discipline":
        gate.require(by, "discipline")
        gate.ensure(by, "view", card)
    else:
        gate.ensure(by, gate_action, card)


def _step(card, action, by, reason, old, new):
    conduct.log_step(subject=Subject.CARD, obj=card, action=action, by=by, reason=reason, from_status=old,
                     to_status=new, unit=card.unit)
    if new != S.PROPOSED:  # leaders never see a proposed card
        conduct.tell_leaders(unit=card.unit, subject=Subject.CARD, cadre=card.cadre,
                             action_label=_("%(color)s%(action)s") % {
                                 "color": card.get_color_display(), "action": CARD_ACTION_LABELS[action]},
                             reason=reason, url=card_url(card))


# --------------------------------------------------------------------------- validation
def _inactive_cadre_message(cadre: Cadre) -> str:
    return _("该干部已%(status)s，不能发放红黄牌。") % {"status": cadre.get_status_display()}


def card_problems(card: WarningCard) -> dict[str, list[str]]:
    """Every problem of ``card`` as {field: [messages]} (empty when it may be saved)."""
    errors: dict[str, list[str]] = {}

    def add(key, message):
        errors.setdefault(key, []).append(str(message))

    if card.cadre_id and card.cadre.status != CadreStatus.ACTIVE:
        add("cadre", _inactive_cadre_message(card.cadre))
    if card.reason_id and not card.reason.is_active:
        add("reason", _("事由类别“%(r)s”已停用。") % {"r": card.reason.name})
    if card.start_date and card.end_date and card.end_date < card.start_date:
        add("end_date", _("期满日期不能早于发牌日期。"))
    if card.proposal_id and card.cadre_id and card.proposal.cadre_id != card.cadre_id:
        add("proposal", _("该提示不是关于这名干部的。"))
    skip = set(errors)
    if not card.unit_id:
        skip.add("unit")
    try:
        card.full_clean(exclude=skip, validate_constraints=not errors)
    except ValidationError as e:
        for key, messages in e.message_dict.items():
            if key == "__all__" and "end_date" in errors:
                continue
            errors.setdefault(key, []).extend(messages)
    return errors


def _validate(card):
    errors = card_problems(card)
    if errors:
        raise ValidationError(errors)


def _default_end(card) -> dt.date | None:
    if card.start_date and card.reason_id and card.color in CardColor.values:
        return conduct.add_months(card.start_date, card.reason.months_for(card.color))
    return None


def _check_cadre(by, cadre):
    """The cadre must lie in the user's scope: out of scope answers like a missing one (404)."""
    if cadre is None:
        return
    gate.ensure(by, "view", cadre)


# --------------------------------------------------------------------------- cards
@transaction.atomic
def card_create(*, by, cadre: Cadre, color: str, reason: CardReason, facts: str, issuing_body: str,
                start_date: dt.date, end_date: dt.date | None = None, basis: str = "",
                proposal=None) -> WarningCard:
    """Draft a card (拟发) for an active cadre in the user's scope. The term ends by default
    ``reason.months_for(color)`` months after ``start_date`` (both days included)."""
    gate.require(by, "discipline")
    _check_cadre(by, cadre)
    card = WarningCard(cadre=cadre, color=color, reason=reason, facts=(facts or "").strip(),
                       basis=(basis or "").strip(), issuing_body=(issuing_body or "").strip(),
                       start_date=start_date, end_date=end_date, proposal=proposal, created_by=by,
                       status=S.PROPOSED)
    card.unit = cadre.unit if cadre is not None else None
    if card.end_date is None:
        card.end_date = _default_end(card)
    _validate(card)
    model_save(card, by=by, validate=False)
    _step(card, "create", by, "", "", S.PROPOSED)
    return card


@transaction.atomic
def card_update(*, by, card: WarningCard, **fields) -> WarningCard:
    """Edit a card while it is 拟发. ``end_date=None`` (or a new colour, reason or start date
    while the end was the default) puts the end back to the default term."""
    unknown = set(fields) - CARD_FIELDS
    if unknown:
        raise TypeError(f"fields {sorted(unknown)!r} may not be set here")
    _gate(by, "edit", card)
    card = _lock(card)
    if card.status != S.PROPOSED:
        conduct.refuse(card, CARD_ACTION_LABELS["edit"])
    if "cadre" in fields and fields["cadre"] is not None and fields["cadre"].pk != card.cadre_id:
        _check_cadre(by, fields["cadre"])
    was_default = card.end_date == _default_end(card)
    for key, value in fields.items():
        if key in ("facts", "basis", "issuing_body"):
            value = (value or "").strip()
        setattr(card, key, value)
    if "cadre" in fields and card.cadre_id:
        card.unit = card.cadre.unit
    if fields.get("end_date", "x") is None or ("end_date" not in fields and was_default):
        card.end_date = _default_end(card)
    _validate(card)
    model_save(card, by=by, validate=False)
    conduct.log_step(subject=Subject.CARD, obj=card, action="edit", by=by, from_status=card.status,
                     to_status=card.status, unit=card.unit)
    return card


@transaction.atomic
def card_issue(*, by, card: WarningCard, reason: str) -> WarningCard:
    """Issue a proposed card (拟发 → 已发). A red card gets its pending organisational adjustment."""
    _gate(by, "issue", card)
    reason = conduct.require_reason(reason)
    card = _lock(card)
    old, new = conduct.advance(card, CARD_TRANSITIONS, "issue", CARD_ACTION_LABELS)
    if card.cadre.status != CadreStatus.ACTIVE:
        raise ValidationError({"cadre": _inactive_cadre_message(card.cadre)})
    if not card.reason.is_active:
        raise ValidationError({"reason": _("事由类别“%(r)s”已停用。") % {"r": card.reason.name}})
    model_save(card, by=by, validate=False)
    _step(card, "issue", by, reason, old, new)
    if card.color == CardColor.RED:
        adjustment = model_save(Adjustment(card=card, cadre=card.cadre, status=A.PENDING,
                                           due_date=card.start_date + dt.timedelta(days=conduct.adjustment_due_days())),
                                by=by, validate=False)
        conduct.log_step(subject=Subject.ADJUSTMENT, obj=adjustment, action="create", by=by, reason=reason,
                         to_status=A.PENDING, unit=card.unit)
    return card


@transaction.atomic
def card_appeal(*, by, card: WarningCard, grounds: str) -> WarningCard:
    """The cadre's unit leader (or org staff) appeals an issued card, while its term runs."""
    _gate(by, "appeal", card)
    grounds = conduct.require_reason(grounds, "grounds")
    card = _lock(card)
    if card.status == S.EXPIRED or (card.status in IN_FORCE and card.end_date < today()):
        raise ValidationError(_("该红黄牌已到期，不能申诉。"), code="expired")
    old, new = conduct.advance(card, CARD_TRANSITIONS, "appeal", CARD_ACTION_LABELS)
    card.appeal_text, card.appealed_at = grounds, timezone.now()
    model_save(card, by=by, validate=False)
    _step(card, "appeal", by, grounds, old, new)
    return card


@transaction.atomic
def card_uphold(*, by, card: WarningCard, reason: str) -> WarningCard:
    """The appeal fails: the card stands (申诉中 → 申诉维持)."""
    _gate(by, "uphold", card)
    reason = conduct.require_reason(reason)
    card = _lock(card)
    old, new = conduct.advance(card, CARD_TRANSITIONS, "uphold", CARD_ACTION_LABELS)
    model_save(card, by=by, validate=False)
    _step(card, "uphold", by, reason, old, new)
    return card


def _cancel_adjustment(card, *, by, reason) -> Adjustment | None:
    adjustment = Adjustment.objects.select_for_update().filter(card=card, status=A.PENDING).first()
    if adjustment is None:
        return None
    old, new = conduct.advance(adjustment, ADJUSTMENT_TRANSITIONS, "cancel", ADJUSTMENT_ACTION_LABELS)
    model_save(adjustment, by=by, validate=False)
    conduct.log_step(subject=Subject.ADJUSTMENT, obj=adjustment, action="cancel", by=by, reason=reason,
                     from_status=old, to_status=new, unit=card.unit)
    return adjustment


@transaction.atomic
def card_revoke(*, by, card: WarningCard, reason: str) -> WarningCard:
    """Revoke a card (on appeal, by a ruling or a clarification, or a proposal withdrawn); its
    pending adjustment is cancelled."""
    _gate(by, "revoke", card)
    reason = conduct.require_reason(reason)
    card = _lock(card)
    old, new = conduct.advance(card, CARD_TRANSITIONS, "revoke", CARD_ACTION_LABELS)
    model_save(card, by=by, validate=False)
    conduct.log_step(subject=Subject.CARD, obj=card, action="revoke", by=by, reason=reason, from_status=old,
                     to_status=new, unit=card.unit)
    if old != S.PROPOSED:
        conduct.tell_leaders(unit=card.unit, subject=Subject.CARD, cadre=card.cadre,
                             action_label=_("%(color)s%(action)s") % {
                                 "color": card.get_color_display(), "action": CARD_ACTION_LABELS["revoke"]},
                             reason=reason, url=card_url(card))
    _cancel_adjustment(card, by=by, reason=reason)
    return card


@transaction.atomic
def card_lift(*, by, card: WarningCard, reason: str, on: dt.date | None = None) -> WarningCard:
    """Lift a card early (已发 / 申诉维持 → 提前解除) from ``on`` (today by default), a day of its
    term; in force until the day before."""
    _gate(by, "lift", card)
    reason = conduct.require_reason(reason)
    card = _lock(card)
    old, new = conduct.advance(card, CARD_TRANSITIONS, "lift", CARD_ACTION_LABELS)
    on = on or today()
    if not (card.start_date <= on <= card.end_date):
        raise ValidationError({"lifted_on": _("解除日期须在红黄牌期限内（%(s)s 至 %(e)s）。") % {
            "s": card.start_date.isoformat(), "e": card.end_date.isoformat()}})
    card.lifted_on = on
    model_save(card, by=by, validate=False)
    _step(card, "lift", by, reason, old, new)
    _cancel_adjustment(card, by=by, reason=reason)
    return card


@transaction.atomic
def cards_expire(*, on: dt.date | None = None, by=None) -> int:
    """Move every card whose term ended before ``on`` (today by default) and is still 已发 / 申诉中 /
    申诉维持 to 已到期, with a step each (their pending adjustments are cancelled). Set-based and
    idempotent: a second run finds nothing. Returns the number of cards expired."""
    on = on or today()
    cards = list(WarningCard.objects.select_for_update(of=("self",)).select_related("cadre", "unit")
                 .filter(status__in=IN_FORCE, end_date__lt=on).order_by("pk"))
    if not cards:
        return 0
    reason = _("期满（%(d)s）自动到期。")
    steps = []
    for card in cards:
        steps.append(ConductStep(subject=Subject.CARD, subject_id=card.pk, action="expire", from_status=card.status,
                                 to_status=S.EXPIRED, reason=reason % {"d": card.end_date.isoformat()},
                                 unit=card.unit, by=by))
        card.status = S.EXPIRED
    bulk_update_audited(WarningCard, cards, ["status"], by=by)
    adjustments = list(Adjustment.objects.select_for_update().filter(card__in=cards, status=A.PENDING))
    by_card = {c.pk: c for c in cards}
    for adj in adjustments:
        card = by_card[adj.card_id]
        steps.append(ConductStep(subject=Subject.ADJUSTMENT, subject_id=adj.pk, action="cancel",
                                 from_status=A.PENDING, to_status=A.CANCELLED,
                                 reason=reason % {"d": card.end_date.isoformat()}, unit=card.unit, by=by))
        adj.status = A.CANCELLED
    if adjustments:
        bulk_update_audited(Adjustment, adjustments, ["status"], by=by)
    ConductStep.objects.bulk_create(steps)
    for card in cards:
        conduct.tell_leaders(unit=card.unit, subject=Subject.CARD, cadre=card.cadre,
                             action_label=_("%(color)s%(action)s") % {
                                 "color": card.get_color_display(), "action": CARD_ACTION_LABELS["expire"]},
                             reason=reason % {"d": card.end_date.isoformat()}, url=card_url(card))
    return len(cards)


# --------------------------------------------------------------------------- evidence
def _evidence_path(card, name):
    return f"conduct/cards/{card.pk}/{name}"


@transaction.atomic
def card_evidence_add(*, by, card: WarningCard, upload) -> CardEvidence:
    """Attach a file to a card not yet ended or revoked: type sniffed from the content (PDF, JPEG,
    PNG, Word, Excel), at most 20 MB, name sanitised (like the archive's evidence)."""
    _gate(by, "upload", card)
    card = _lock(card)
    if card.status not in CARD_STEPS["upload"][0]:
        conduct.refuse(card, CARD_ACTION_LABELS["upload"])
    evidence = CardEvidence(card=card, uploaded_by=by, **archive.evidence_file(upload))
    evidence.file.save(_evidence_path(card, evidence.original_name), upload, save=False)
    try:
        return model_save(evidence, by=by, validate=False)
    except BaseException:
        evidence.file.storage.delete(evidence.file.name)
        raise


@transaction.atomic
def card_evidence_delete(*, by, evidence: CardEvidence) -> None:
    """Remove a file from a card still 拟发 (an issued card's files are its record)."""
    gate.require(by, "discipline")
    gate.ensure(by, "view", evidence)
    card = _lock(evidence.card)
    if card.status != S.PROPOSED:
        conduct.refuse(card, CARD_ACTION_LABELS["delete_evidence"])
    storage, path = evidence.file.storage, evidence.file.name
    model_delete(evidence, by=by)
    transaction.on_commit(lambda: storage.delete(path))


# --------------------------------------------------------------------------- reasons
REASON_FIELDS = {"name", "yellow_months", "red_months", "is_active", "order"}


@transaction.atomic
def card_reason_save(*, by, reason: CardReason | None = None, **data) -> CardReason:
    """Create or edit a reason category (org staff): its name and the term of each colour."""
    gate.require(by, "discipline")
    unknown = set(data) - REASON_FIELDS
    if unknown:
        raise TypeError(f"fields {sorted(unknown)!r} may not be set here")
    reason = reason or CardReason(yellow_months=conduct.default_term_months(CardColor.YELLOW),
                                  red_months=conduct.default_term_months(CardColor.RED))
    for key, value in data.items():
        setattr(reason, key, value.strip() if isinstance(value, str) else value)
    return model_save(reason, by=by)


# --------------------------------------------------------------------------- adjustments
def _appointment_in_force(appointment: Appointment, on: dt.date) -> bool:
    """Held the day before ``on`` and still on ``on`` (it is ended the day before ``on``)."""
    return appointment.start_date < on and (appointment.end_date is None or appointment.end_date >= on)


_ROSTER_FIELD = {"post": "new_post", "start_date": "decided_on", "end_date": "decided_on", "__all__": "__all__"}


def _roster_errors(e: ValidationError, default: str) -> ValidationError:
    if hasattr(e, "error_dict"):
        out: dict[str, list[str]] = {}
        for key, messages in e.message_dict.items():
            out.setdefault(_ROSTER_FIELD.get(key, default), []).extend(messages)
        return ValidationError(out)
    return ValidationError({default: e.messages})


@transaction.atomic
def adjustment_record(*, by, adjustment: Adjustment, kind: str, decided_on: dt.date, document_no: str = "",
                      note: str = "", end_appointment: Appointment | None = None,
                      new_post: Post | None = None) -> Adjustment:
    """Record the organisational adjustment of a red card (待调整 → 已调整): ends the chosen current
    appointment of the cadre the day before ``decided_on`` (its last day in the post; 免职 requires
    one when the cadre holds a post) and,
    for 调整岗位 / 改任非领导职务 / 降职, appoints the cadre to ``new_post`` from that day, through
    the roster's services (quotas and history as everywhere)."""
    gate.require(by, "discipline")
    gate.ensure(by, "view", adjustment)
    adjustment = (Adjustment.objects.select_for_update(of=("self",)).select_related("card", "cadre", "card__unit")
                  .get(pk=adjustment.pk))
    old, new = conduct.advance(adjustment, ADJUSTMENT_TRANSITIONS, "record", ADJUSTMENT_ACTION_LABELS)
    cadre, card = adjustment.cadre, adjustment.card
    errors: dict[str, list[str]] = {}

    def add(key, message):
        errors.setdefault(key, []).append(str(message))

    if kind not in AdjustmentKind.values:
        add("kind", _("请选择调整方式。"))
    if not isinstance(decided_on, dt.date):
        add("decided_on", _("请填写调整日期。"))
    elif decided_on < card.start_date:
        add("decided_on", _("调整日期不能早于红牌发牌日期（%(d)s）。") % {"d": card.start_date.isoformat()})
    elif decided_on > today():
        add("decided_on", _("调整日期不能晚于今天。"))
    if end_appointment is not None:
        if end_appointment.cadre_id != cadre.pk:
            add("end_appointment", _("所选任职不是该干部的任职。"))
        elif isinstance(decided_on, dt.date) and not _appointment_in_force(end_appointment, decided_on):
            add("end_appointment", _("所选任职在调整日期不在任。"))
    elif kind == AdjustmentKind.DISMISS and isinstance(decided_on, dt.date):
        if Appointment.objects.filter(cadre=cadre).filter(
                start_date__lt=decided_on).exclude(end_date__lt=decided_on).exists():
            add("end_appointment", _("免职须选择免去的现任职务。"))
    if kind in NEEDS_NEW_POST and new_post is None:
        add("new_post", _("“%(k)s”须选择新任职务。") % {"k": AdjustmentKind(kind).label})
    if kind == AdjustmentKind.DISMISS and new_post is not None:
        add("new_post", _("免职不另任新职务；改任其他职务请选择“调整岗位”或“改任非领导职务”。"))
    if new_post is not None and end_appointment is not None and new_post.pk == end_appointment.post_id:
        add("new_post", _("新任职务不能与免去的职务相同。"))
    if len(document_no or "") > 60:
        add("document_no", _("文号最多60个字。"))
    if errors:
        raise ValidationError(errors)
    ended = created = None
    if end_appointment is not None:
        try:
            ended = roster.appointment_end(by=by, appointment=end_appointment,
                                           end_date=decided_on - dt.timedelta(days=1))
        except ValidationError as e:
            raise _roster_errors(e, "end_appointment") from None
    if new_post is not None:
        try:
            created = roster.appointment_create(by=by, cadre=cadre, post=new_post, start_date=decided_on,
                                                document_no=(document_no or "").strip(),
                                                note=_("组织调整（%(k)s）") % {"k": AdjustmentKind(kind).label})
        except ValidationError as e:
            raise _roster_errors(e, "new_post") from None
    adjustment.kind, adjustment.decided_on = kind, decided_on
    adjustment.document_no, adjustment.note = (document_no or "").strip(), (note or "").strip()
    adjustment.ended_appointment, adjustment.new_appointment = ended, created
    adjustment.recorded_by, adjustment.recorded_at = by, timezone.now()
    model_save(adjustment, by=by)
    reason = adjustment.note or adjustment.get_kind_display()
    conduct.log_step(subject=Subject.ADJUSTMENT, obj=adjustment, action="record", by=by, reason=reason,
                     from_status=old, to_status=new, unit=card.unit)
    conduct.tell_leaders(unit=card.unit, subject=Subject.ADJUSTMENT, cadre=cadre,
                         action_label=ADJUSTMENT_ACTION_LABELS["record"], reason=reason,
                         url=adjustment_url(adjustment))
    return adjustment


def adjustments_overdue(*, user, on: dt.date | None = None):
    """The pending adjustments of the user's scope whose due date has passed (before ``on``)."""
    on = on or today()
    return (Adjustment.objects.restrict(user, "view").filter(status=A.PENDING, due_date__lt=on)
            .select_related("cadre", "card", "card__unit").order_by("due_date", "id"))


__all__ = [
    "ADJUSTMENT_TRANSITIONS", "BUTTON_ACTIONS", "CARD_ACTION_LABELS", "CARD_STEPS", "CARD_TRANSITIONS",
    "adjustment_allowed_actions", "adjustment_record", "adjustments_overdue", "card_allowed_actions",
    "card_appeal", "card_create", "card_evidence_add", "card_evidence_delete", "card_issue", "card_lift",
    "card_problems", "card_reason_save", "card_revoke", "card_update", "card_uphold", "cards_expire",
]
