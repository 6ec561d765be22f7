"""The card proposals workflow (红黄牌提示): what a trigger proposed (``services/triggers.py``) is
pending until org staff confirm or dismiss it, with a reason (gate action ``discipline``).

- Confirming a card suggestion creates the card as 拟发 (proposed) through the cards service
  (``cards.card_create(..., proposal=proposal)``), with the card's fields prefilled from the
  proposal and changed as org staff see fit; the card is then issued (or not) on its own page.
- A reminder suggestion is confirmed by recording the reminder (``reminders.reminder_create(...,
  proposal=proposal)``, which confirms the proposal with its own step).
- Dismissing needs a reason. Nothing is ever issued automatically.

Unit leaders never see proposals (``CardProposal.scoped_rows_q``); auditors read them.
"""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pingdingshan.core import permissions as gate
from pingdingshan.core.services import model_save

from ..models import CardColor, CardProposal, CardReason, ProposalStatus, Subject, Suggestion
from . import conduct
from .triggers import proposal_sentence

S = ProposalStatus


def _card_suggestion(proposal, user) -> bool:
    return proposal.suggestion in (Suggestion.YELLOW, Suggestion.RED)


def _reminder_suggestion(proposal, user) -> bool:
    return proposal.suggestion == Suggestion.REMINDER


TRANSITIONS = {
    # action: (from states, to state, gate action, condition)
    "confirm": ({S.PENDING}, S.CONFIRMED, "discipline", _card_suggestion),
    # A reminder suggestion is confirmed by recording the reminder (the reminders service).
    "remind": ({S.PENDING}, S.CONFIRMED, "discipline", _reminder_suggestion),
    "dismiss": ({S.PENDING}, S.DISMISSED, "discipline", None),
}
LABELS = {"confirm": gettext_lazy("确认"), "remind": gettext_lazy("登记担当提醒"), "dismiss": gettext_lazy("驳回")}

# The reason category a confirmed card gets by default, per trigger (its name in CardReason).
DEFAULT_REASON = {"grade_basic": "考核结果较差", "grade_incompetent": "考核结果较差", "bottom_share": "考核结果较差"}


def allowed_actions(proposal: CardProposal, user) -> frozenset[str]:
    return conduct.allowed(proposal, user, TRANSITIONS)


def _lock(proposal: CardProposal) -> CardProposal:
    return CardProposal.objects.select_for_update().select_related("cadre", "cadre__unit").get(pk=proposal.pk)


def default_card_reason(proposal: CardProposal) -> CardReason | None:
    """The reason category a card confirmed from ``proposal`` starts with: 考核结果较差 for grades
    and ranks, the earlier card's for a second yellow card."""
    if proposal.trigger == "second_yellow":
        from ..models import WarningCard

        earlier = WarningCard.objects.filter(pk=(proposal.facts or {}).get("earlier")).select_related("reason").first()
        if earlier is not None:
            return earlier.reason
    name = DEFAULT_REASON.get(proposal.trigger)
    return CardReason.objects.filter(name=name, is_active=True).first() if name else None


def card_defaults(proposal: CardProposal) -> dict:
    """The card fields a confirmation starts from (the form's initial values)."""
    from django.conf import settings
    from django.utils import translation

    from pingdingshan.core.dates import today

    with translation.override(settings.LANGUAGE_CODE):  # the card's text is kept in the default language
        facts = proposal_sentence(proposal)
    return {"color": proposal.suggestion if proposal.suggestion in CardColor.values else CardColor.YELLOW,
            "card_reason": default_card_reason(proposal), "facts": facts,
            "issuing_body": getattr(settings, "CARD_ISSUING_BODY", "中共平顶山市委组织部"), "start_date": today(),
            "end_date": None, "basis": ""}


def _decide(proposal, *, by, action, reason):
    old, new = conduct.advance(proposal, TRANSITIONS, action, LABELS)
    proposal.decided_by, proposal.decided_at, proposal.decide_reason = by, timezone.now(), reason[:300]
    model_save(proposal, by=by, validate=False)
    conduct.log_step(subject=Subject.PROPOSAL, obj=proposal, action=action, by=by, reason=reason, from_status=old,
                     to_status=new, unit=proposal.cadre.unit)
    return proposal


def _reason(reason, problems: dict) -> str:
    try:
        return conduct.require_reason(reason)
    except ValidationError as e:
        problems.setdefault("reason", []).extend(e.message_dict.get("reason", e.messages))
        return ""


@transaction.atomic
def proposal_confirm(*, by, proposal: CardProposal, reason: str, **card_fields) -> CardProposal:
    """Confirm a card suggestion: the card is created as 拟发 through the cards service, linked to
    the proposal; the proposal is confirmed with the reason. ``card_fields``: ``color``,
    ``card_reason`` (a CardReason), ``facts``, ``issuing_body``, ``start_date``, ``end_date``,
    ``basis`` — each defaulting to ``card_defaults(proposal)``. Every problem is reported at once
    (``reason`` for the decision's reason, the card's fields by name)."""
    gate.require(by, "discipline")
    gate.ensure(by, "view", proposal)
    proposal = _lock(proposal)
    if proposal.status != S.PENDING:
        conduct.refuse(proposal, LABELS["confirm"])
    if proposal.suggestion == Suggestion.REMINDER:
        raise ValidationError(_("这条提示建议担当提醒：请登记担当提醒来确认。"), code="reminder_suggestion")
    problems: dict[str, list] = {}
    reason = _reason(reason, problems)
    fields = {**card_defaults(proposal), **{k: v for k, v in card_fields.items() if v is not None or k == "end_date"}}
    unknown = set(fields) - {"color", "card_reason", "facts", "issuing_body", "start_date", "end_date", "basis"}
    if unknown:
        raise TypeError(f"unknown card fields: {sorted(unknown)}")
    if fields["card_reason"] is None:
        problems.setdefault("card_reason", []).append(_("请选择事由类别。"))
    if problems:
        raise ValidationError(problems)
    from . import cards

    try:
        with transaction.atomic():
            cards.card_create(by=by, cadre=proposal.cadre, color=fields["color"], reason=fields["card_reason"],
                              facts=fields["facts"], issuing_body=fields["issuing_body"],
                              start_date=fields["start_date"], end_date=fields["end_date"], basis=fields["basis"] or "",
                              proposal=proposal)
    except ValidationError as e:
        if hasattr(e, "error_dict"):  # the card's "reason" is its category here
            raise ValidationError({("card_reason" if k == "reason" else k): v
                                   for k, v in e.message_dict.items()}) from None
        raise
    proposal.refresh_from_db(fields=["status"])
    if proposal.status == S.CONFIRMED:  # the cards service marked it already: keep who and why
        proposal.status = S.PENDING
    return _decide(proposal, by=by, action="confirm", reason=reason)


@transaction.atomic
def proposal_dismiss(*, by, proposal: CardProposal, reason: str) -> CardProposal:
    """Dismiss a pending proposal (either suggestion) with a reason: nothing follows from it."""
    gate.require(by, "discipline")
    gate.ensure(by, "view", proposal)
    reason = conduct.require_reason(reason)
    proposal = _lock(proposal)
    return _decide(proposal, by=by, action="dismiss", reason=reason)

