"""Disciplinary sanctions (处分) recorded against a cadre by org staff: in force from the decision
to the end of its kind's term (``settings.SANCTION_TERM_MONTHS``, both days included); a 警告 and
the others bar 优秀 in their year (RULES.md), which ``standing`` reads from these rows. A sanction
is revoked with a reason, never deleted.

The state (在期 / 已期满 / 已撤销) is read from the dates, not stored.
"""
import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pingdingshan.core import permissions as gate
from pingdingshan.core.dates import today
from pingdingshan.core.services import model_save

from ..models import Sanction, SanctionKind, Subject
from . import conduct

IN_FORCE, EXPIRED, REVOKED = "in_force", "expired", "revoked"
STATE_LABELS = {IN_FORCE: gettext_lazy("在期"), EXPIRED: gettext_lazy("已期满"), REVOKED: gettext_lazy("已撤销")}
TRANSITIONS = {
    # action: (states it may start from, state it leads to, gate action, condition)
    "revoke": ({IN_FORCE, EXPIRED}, REVOKED, "discipline", None),
}
ACTION_LABELS = {"record": gettext_lazy("登记处分"), "revoke": gettext_lazy("撤销处分")}


def state(sanction: Sanction, on: dt.date | None = None) -> str:
    if sanction.revoked_on is not None:
        return REVOKED
    return EXPIRED if sanction.end_date < (on or today()) else IN_FORCE


def state_label(sanction: Sanction, on=None) -> str:
    return str(STATE_LABELS[state(sanction, on)])


def allowed_actions(sanction: Sanction, user) -> frozenset[str]:
    current = state(sanction)
    out = set()
    for action, (sources, _target, gate_action, condition) in TRANSITIONS.items():
        if current not in sources or not conduct.gate_allows(user, gate_action, sanction):
            continue
        if condition is not None and not condition(sanction, user):
            continue
        out.add(action)
    return frozenset(out)


def sanction_url(sanction) -> str:
    try:
        return reverse("assessment:sanction_detail", args=[sanction.pk])
    except NoReverseMatch:
        return ""


def term_end(kind: str, decided_on: dt.date) -> dt.date:
    """The last day of a sanction of ``kind`` decided on ``decided_on``."""
    return conduct.add_months(decided_on, conduct.sanction_term_months(kind))


@transaction.atomic
def sanction_create(*, by, cadre, kind, decided_on, body, document_no="", facts="") -> Sanction:
    """Record a sanction against an active cadre in scope (org staff); its end date follows from
    the kind's term."""
    from cadres.models import CadreStatus

    gate.require(by, "discipline")
    errors: dict[str, list[str]] = {}
    if cadre is None:
        errors["cadre"] = [_("请选择干部。")]
    else:
        gate.ensure(by, "view", cadre)
        if cadre.status != CadreStatus.ACTIVE:
            errors["cadre"] = [_("干部“%(name)s”当前为“%(status)s”状态，不能登记。") % {
                "name": cadre.name, "status": cadre.get_status_display()}]
    if kind not in SanctionKind.values:
        errors["kind"] = [_("请选择处分种类。")]
    if not decided_on:
        errors["decided_on"] = [_("请填写处分决定日期。")]
    elif decided_on > today():
        errors["decided_on"] = [_("处分决定日期不能晚于今天。")]
    body, document_no, facts = (body or "").strip(), (document_no or "").strip(), (facts or "").strip()
    if not body:
        errors["body"] = [_("请填写决定机关。")]
    elif len(body) > 100:
        errors["body"] = [_("决定机关不能超过100字。")]
    if len(document_no) > 60:
        errors["document_no"] = [_("文号不能超过60字。")]
    if len(facts) > 5000:
        errors["facts"] = [_("主要事实不能超过5000字。")]
    if errors:
        raise ValidationError(errors)
    sanction = Sanction(cadre=cadre, kind=kind, decided_on=decided_on, end_date=term_end(kind, decided_on), body=body,
                        document_no=document_no, facts=facts, created_by=by)
    model_save(sanction, by=by)
    conduct.log_step(subject=Subject.SANCTION, obj=sanction, action="record", by=by, to_status=state(sanction),
                     reason=facts, unit=cadre.unit)
    conduct.tell_leaders(unit=cadre.unit, subject=Subject.SANCTION, cadre=cadre, action_label=ACTION_LABELS["record"],
                         reason=sanction.get_kind_display(), url=sanction_url(sanction))
    return sanction


@transaction.atomic
def sanction_revoke(*, by, sanction: Sanction, reason, on=None) -> Sanction:
    """Revoke a sanction (e.g. set aside on review) with a reason, from ``on`` (today)."""
    gate.require(by, "discipline")
    gate.ensure(by, "view", sanction)
    sanction = Sanction.objects.select_for_update().select_related("cadre__unit").get(pk=sanction.pk)
    current = state(sanction)
    if current not in TRANSITIONS["revoke"][0]:
        raise ValidationError(_("该处分当前为“%(state)s”，不能%(action)s。") % {
            "state": STATE_LABELS[current], "action": ACTION_LABELS["revoke"]}, code="illegal_transition")
    reason = conduct.require_reason(reason)
    on = on or today()
    errors = {}
    if len(reason) > 300:
        errors["reason"] = [_("撤销理由不能超过300字。")]
    if on < sanction.decided_on:
        errors["on"] = [_("撤销日期不能早于处分决定日期（%(d)s）。") % {"d": sanction.decided_on.isoformat()}]
    elif on > today():
        errors["on"] = [_("撤销日期不能晚于今天。")]
    if errors:
        raise ValidationError(errors)
    was = state(sanction, on)  # in force or expired on the day it is revoked from
    sanction.revoked_on, sanction.revoke_reason = on, reason
    model_save(sanction, by=by)
    conduct.log_step(subject=Subject.SANCTION, obj=sanction, action="revoke", by=by, from_status=was,
                     to_status=REVOKED, reason=reason, unit=sanction.cadre.unit)
    conduct.tell_leaders(unit=sanction.cadre.unit, subject=Subject.SANCTION, cadre=sanction.cadre,
                         action_label=ACTION_LABELS["revoke"], reason=reason, url=sanction_url(sanction))
    return sanction
