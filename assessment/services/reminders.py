"""担当提醒: before any card, org staff record a reminder (提醒谈话 / 函询 / 诫勉) with the signs that
prompted it and a follow-up date, and later the follow-up.

The signs (``reminder_signs``) are computed set-based for the cadres a user sees: a composite that
fell between the two latest published periods of a kind (``settings.REMINDER_SIGNS``), records
returned or left overdue (``assessment.services.triggers.records_lagging``) and card proposals
still pending. Each sign is stored as ``[code, params]`` and put in words by ``sign_sentence``,
in the reader's language. A cadre reminded on or after the day a sign appeared is not suggested
again for it.

Reminders have no status field: one is *open* until its follow-up is recorded, then *done*. The
table below reads that state like the other workflows' tables read ``status``.
"""
import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pingdingshan.core import permissions as gate
from pingdingshan.core.dates import today
from pingdingshan.core.services import model_save

from ..models import (
    AssessmentPeriod,
    AssessmentResult,
    CardProposal,
    PeriodStatus,
    ProposalStatus,
    Reminder,
    ReminderKind,
    Subject,
    Suggestion,
)
from . import conduct

OPEN, DONE = "open", "done"
STATE_LABELS = {OPEN: gettext_lazy("待回访"), DONE: gettext_lazy("已回访")}
TRANSITIONS = {
    # action: (states it may start from, state it leads to (None: stays), gate action, condition)
    "follow_up": ({OPEN}, DONE, "discipline", None),
    "edit": ({OPEN}, None, "discipline", None),
}
ACTION_LABELS = {"record": gettext_lazy("登记担当提醒"), "follow_up": gettext_lazy("登记回访"),
                 "edit": gettext_lazy("修改"), "confirm": gettext_lazy("确认")}
UPDATE_FIELDS = {"kind", "held_on", "content", "follow_up_on", "signs_note"}

# Sign codes
COMPOSITE_DROP, RECORDS_LAGGING, PROPOSAL_PENDING = "composite_drop", "records_lagging", "proposal"
SIGN_CODES = (COMPOSITE_DROP, RECORDS_LAGGING, PROPOSAL_PENDING)
TRIGGER_LABELS = {
    "grade_basic": gettext_lazy("考核等次为基本称职"),
    "grade_incompetent": gettext_lazy("考核等次为不称职"),
    "second_yellow": gettext_lazy("12个月内再次被亮黄牌"),
    "bottom_share": gettext_lazy("实绩比拼连续排名靠后"),
    "records_lagging": gettext_lazy("实绩记录多次退回或逾期未改"),
}


def state(reminder: Reminder) -> str:
    return DONE if reminder.followed_up_on else OPEN


def state_label(reminder: Reminder) -> str:
    return str(STATE_LABELS[state(reminder)])


def allowed_actions(reminder: Reminder, user) -> frozenset[str]:
    """The actions of ``TRANSITIONS`` ``user`` may take on ``reminder`` now."""
    current = state(reminder)
    out = set()
    for action, (sources, _target, gate_action, condition) in TRANSITIONS.items():
        if current not in sources or not conduct.gate_allows(user, gate_action, reminder):
            continue
        if condition is not None and not condition(reminder, user):
            continue
        out.add(action)
    return frozenset(out)


def due_by(on: dt.date | None = None) -> dt.date:
    """Open reminders whose follow-up date is on or before this day are due (``REMINDER_DUE_SOON_DAYS``
    ahead of ``on``)."""
    return (on or today()) + dt.timedelta(days=conduct.reminder_due_soon_days())


def reminder_url(reminder) -> str:
    try:
        return reverse("assessment:reminder_detail", args=[reminder.pk])
    except NoReverseMatch:
        return ""


# --------------------------------------------------------------------------- signs in words
def _trigger_label(code) -> str:
    """The trigger's name: the triggers' own ``trigger_label`` once they exist, else ours."""
    try:
        from .triggers import trigger_label
    except ImportError:
        trigger_label = None
    if trigger_label is not None:
        return str(trigger_label(code))
    label = TRIGGER_LABELS.get(code)
    return str(label) if label is not None else str(code or "")


def sign_sentence(code: str, params: dict | None) -> str:
    """One sign in words (the reader's language)."""
    p = dict(params or {})
    if code == COMPOSITE_DROP:
        return _("综合得分下降：%(previous)s %(before)s 分，%(period)s %(after)s 分，下降 %(drop)s 分。") % {
            "previous": p.get("previous", ""), "before": p.get("before", ""), "period": p.get("period", ""),
            "after": p.get("after", ""), "drop": p.get("drop", "")}
    if code == RECORDS_LAGGING:
        parts = []
        if p.get("returned"):
            parts.append(_("被退回的实绩记录 %(n)s 条") % {"n": p["returned"]})
        if p.get("overdue"):
            parts.append(_("退回后逾期未重新提交 %(n)s 条") % {"n": p["overdue"]})
        detail = "，".join(parts) or _("有被退回或逾期的记录")
        return _("实绩记录退回或逾期：%(detail)s。") % {"detail": detail}
    if code == PROPOSAL_PENDING:
        suggestion = p.get("suggestion", "")
        suggestion_label = str(Suggestion(suggestion).label) if suggestion in Suggestion.values else suggestion
        return _("待处理的红黄牌提示：%(trigger)s，建议%(suggestion)s（%(date)s 发现）。") % {
            "trigger": _trigger_label(p.get("trigger")), "suggestion": suggestion_label, "date": p.get("since", "")}
    return _("其他情形：%(code)s。") % {"code": code}


def signs_shown_to(user, signs) -> list:
    """The signs ``user`` may read: card proposals are never shown to unit-bound users, so their
    signs are left out for them."""
    if gate.city_wide(user, "view", CardProposal):
        return list(signs or ())
    return [s for s in signs or () if not (isinstance(s, list | tuple) and s and s[0] == PROPOSAL_PENDING)]


def signs_in_words(signs) -> list[str]:
    out = []
    for sign in signs or ():
        if isinstance(sign, list | tuple) and sign:
            out.append(sign_sentence(sign[0], sign[1] if len(sign) > 1 and isinstance(sign[1], dict) else {}))
    return out


# --------------------------------------------------------------------------- signs, set-based
def _since(params) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(params.get("since")))
    except (TypeError, ValueError):
        return None


def _composite_drops(cadre_ids, on) -> dict[int, list]:
    """{cadre id: [sign]} for composites that fell by at least the threshold between the two
    latest published periods of a kind (ended on or before ``on``). Two queries."""
    threshold = conduct.composite_drop()
    periods = list(AssessmentPeriod.objects.filter(status=PeriodStatus.PUBLISHED, end_date__lte=on)
                   .order_by("kind", "-end_date", "-id").values("pk", "kind", "name", "end_date", "published_at"))
    pairs, seen = [], {}
    for p in periods:
        seen.setdefault(p["kind"], []).append(p)
    for kind_periods in seen.values():
        if len(kind_periods) >= 2:
            pairs.append((kind_periods[0], kind_periods[1]))
    if not pairs:
        return {}
    wanted = [p["pk"] for pair in pairs for p in pair]
    results = AssessmentResult.objects.filter(period_id__in=wanted, composite__isnull=False)
    if cadre_ids is not None:
        results = results.filter(cadre_id__in=cadre_ids)
    composite = {(r["period_id"], r["cadre_id"]): r["composite"]
                 for r in results.values("period_id", "cadre_id", "composite")}
    out: dict[int, list] = {}
    for latest, previous in pairs:
        since = latest["published_at"].date() if latest["published_at"] else latest["end_date"]
        for (period_id, cadre_id), after in composite.items():
            if period_id != latest["pk"]:
                continue
            before = composite.get((previous["pk"], cadre_id))
            if before is None or before - after < threshold:
                continue
            out.setdefault(cadre_id, []).append([COMPOSITE_DROP, {
                "period": latest["name"], "previous": previous["name"], "before": str(before), "after": str(after),
                "drop": str(before - after), "since": since.isoformat()}])
    return out


def _records_lagging(cadre_ids, on) -> dict[int, list]:
    """{cadre id: [sign]} from the triggers' ``records_lagging`` (helper B's; nothing until it exists)."""
    try:
        from .triggers import records_lagging
    except ImportError:
        return {}
    found = records_lagging(on=on, cadre_ids=cadre_ids)
    out: dict[int, list] = {}
    items = found.items() if isinstance(found, dict) else ((c, {}) for c in found or ())
    window = int(conduct.trigger("records_lagging").get("within_days", 180))
    for cadre_id, facts in items:
        params = {}
        for k, v in dict(facts or {}).items():  # lists of record ids are kept as their counts
            if isinstance(v, list | tuple | set):
                params[k] = len(v)
            elif isinstance(v, dt.date):
                params[k] = v.isoformat()
            elif isinstance(v, str | int | float | bool):
                params[k] = v
        # the sign appeared with the latest return (the triggers' ``last``)
        params["since"] = str(params.get("last") or (on - dt.timedelta(days=window)).isoformat())
        out.setdefault(cadre_id, []).append([RECORDS_LAGGING, params])
    return out


def _pending_proposals(qs) -> dict[int, list]:
    out: dict[int, list] = {}
    for p in qs.values("pk", "cadre_id", "trigger", "suggestion", "detected_on").order_by("detected_on", "pk"):
        out.setdefault(p["cadre_id"], []).append([PROPOSAL_PENDING, {
            "proposal": p["pk"], "trigger": p["trigger"], "suggestion": p["suggestion"],
            "since": p["detected_on"].isoformat()}])
    return out


def reminder_signs(*, user, on: dt.date | None = None, cadre_ids=None) -> dict[int, list]:
    """{cadre id: [[code, params], ...]} of the active cadres ``user`` sees whose signs suggest a
    reminder on ``on`` (today): a falling composite, records returned or overdue, pending card
    proposals. A sign is left out when the cadre was reminded on or after the day it appeared.
    Set-based: a handful of queries for any number of cadres. ``cadre_ids`` narrows to those."""
    from cadres.models import Cadre, CadreStatus

    on = on or today()
    cadres = Cadre.objects.restrict(user).filter(status=CadreStatus.ACTIVE)
    if cadre_ids is not None:
        cadres = cadres.filter(pk__in=list(cadre_ids))
    city_wide = gate.city_wide(user, "view", Cadre)
    scope_ids = None if (city_wide and cadre_ids is None) else set(cadres.values_list("pk", flat=True))
    found: dict[int, list] = {}

    def merge(part):
        for cadre_id, signs in part.items():
            if scope_ids is None or cadre_id in scope_ids:
                found.setdefault(cadre_id, []).extend(signs)

    narrowed = None if scope_ids is None else sorted(scope_ids)
    merge(_composite_drops(narrowed, on))
    merge(_records_lagging(narrowed, on))
    proposals = CardProposal.objects.restrict(user).filter(status=ProposalStatus.PENDING, detected_on__lte=on)
    if narrowed is not None:
        proposals = proposals.filter(cadre_id__in=narrowed)
    merge(_pending_proposals(proposals))
    if not found:
        return {}
    if scope_ids is None:  # city-wide: keep the active cadres only (one query over the found ones)
        active = set(cadres.filter(pk__in=list(found)).values_list("pk", flat=True))
        found = {c: s for c, s in found.items() if c in active}
    last = dict(Reminder.objects.filter(cadre_id__in=list(found), held_on__lte=on).values("cadre_id")
                .annotate(last=Max("held_on")).values_list("cadre_id", "last"))
    out = {}
    for cadre_id, signs in found.items():
        reminded = last.get(cadre_id)
        kept = [s for s in signs if reminded is None or (_since(s[1]) or on) > reminded]
        if kept:
            out[cadre_id] = kept
    return out


def suggestions(*, user, on: dt.date | None = None) -> list[dict]:
    """The cadres whose signs suggest a reminder, with their signs in words, ordered by unit and
    name: [{"cadre": Cadre, "signs": [[code, params]], "sentences": [str], "proposal": id or None}]."""
    from cadres.models import Cadre

    signs = reminder_signs(user=user, on=on)
    cadres = Cadre.objects.filter(pk__in=list(signs)).select_related("unit").order_by("unit__path", "name_initials",
                                                                                       "id")
    out = []
    for cadre in cadres:
        cadre_signs = signs[cadre.pk]
        proposal = next((s[1].get("proposal") for s in cadre_signs if s[0] == PROPOSAL_PENDING
                         and s[1].get("suggestion") == Suggestion.REMINDER), None)
        out.append({"cadre": cadre, "signs": cadre_signs, "sentences": signs_in_words(cadre_signs),
                    "proposal": proposal})
    return out


# --------------------------------------------------------------------------- writes
def _clean_signs(signs) -> list:
    """Signs as stored: [[code, {params}], ...]; refused on ``signs`` when malformed."""
    out = []
    for sign in signs or ():
        if (not isinstance(sign, list | tuple) or len(sign) != 2 or sign[0] not in SIGN_CODES
                or not isinstance(sign[1], dict)):
            raise ValidationError({"signs": _("提醒缘由格式不正确：每项须为 [代码, 参数]，代码为 %(codes)s 之一。") % {
                "codes": "、".join(SIGN_CODES)}})
        out.append([sign[0], {str(k): v for k, v in sign[1].items() if isinstance(v, str | int | float | bool)}])
    return out


def _problems(reminder: Reminder) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(str(message))

    if reminder.kind not in ReminderKind.values:
        add("kind", _("请选择提醒方式（提醒谈话、函询或诫勉）。"))
    if not reminder.held_on:
        add("held_on", _("请填写提醒日期。"))
    elif reminder.held_on > today():
        add("held_on", _("提醒日期不能晚于今天。"))
    if not reminder.follow_up_on:
        add("follow_up_on", _("请填写回访日期。"))
    elif reminder.held_on and reminder.follow_up_on < reminder.held_on:
        add("follow_up_on", _("回访日期不能早于提醒日期。"))
    if not (reminder.content or "").strip():
        add("content", _("请填写提醒内容。"))
    elif len(reminder.content) > 5000:
        add("content", _("提醒内容不能超过5000字。"))
    if len(reminder.signs_note or "") > 5000:
        add("signs_note", _("缘由说明不能超过5000字。"))
    return errors


def _cadre_problems(cadre) -> dict[str, list[str]]:
    from cadres.models import CadreStatus

    if cadre is None:
        return {"cadre": [_("请选择干部。")]}
    if cadre.status != CadreStatus.ACTIVE:
        return {"cadre": [_("干部“%(name)s”当前为“%(status)s”状态，不能登记。") % {
            "name": cadre.name, "status": cadre.get_status_display()}]}
    return {}


def _check_proposal(proposal, cadre, by) -> dict[str, list[str]]:
    if proposal is None:
        return {}
    if not gate.allows(by, "view", proposal):
        return {"proposal": [_("未找到该红黄牌提示，或不在您的权限范围内。")]}
    if proposal.suggestion != Suggestion.REMINDER:
        return {"proposal": [_("该提示建议的是%(s)s，不是担当提醒。") % {"s": proposal.get_suggestion_display()}]}
    if proposal.status != ProposalStatus.PENDING:
        return {"proposal": [_("该提示已处理（%(s)s），不能再据此登记提醒。") % {"s": proposal.get_status_display()}]}
    if cadre is not None and proposal.cadre_id != cadre.pk:
        return {"proposal": [_("该提示针对的是另一名干部。")]}
    return {}


@transaction.atomic
def reminder_create(*, by, cadre, kind, held_on, content, follow_up_on, signs=(), signs_note="",
                    proposal=None) -> Reminder:
    """Record a reminder for an active cadre in scope (org staff). With ``proposal`` (a pending
    proposal suggesting a reminder, for the same cadre) the proposal is confirmed by it."""
    gate.require(by, "discipline")
    if cadre is not None:
        gate.ensure(by, "view", cadre)
    if proposal is not None:
        proposal = CardProposal.objects.select_for_update().filter(pk=proposal.pk).first() or proposal
    reminder = Reminder(cadre=cadre, kind=kind or "", held_on=held_on, content=(content or "").strip(),
                        follow_up_on=follow_up_on, signs_note=(signs_note or "").strip(), recorded_by=by)
    errors = {**_cadre_problems(cadre), **_problems(reminder), **_check_proposal(proposal, cadre, by)}
    try:
        reminder.signs = _clean_signs(signs)
    except ValidationError as e:
        errors.update(e.message_dict)
    if errors:
        raise ValidationError(errors)
    if proposal is not None and not any(s[0] == PROPOSAL_PENDING and s[1].get("proposal") == proposal.pk
                                        for s in reminder.signs):
        reminder.signs.append([PROPOSAL_PENDING, {"proposal": proposal.pk, "trigger": proposal.trigger,
                                                  "suggestion": proposal.suggestion,
                                                  "since": proposal.detected_on.isoformat()}])
    reminder.proposal = proposal
    model_save(reminder, by=by)
    conduct.log_step(subject=Subject.REMINDER, obj=reminder, action="record", by=by, to_status=OPEN,
                     reason=reminder.signs_note, unit=cadre.unit)
    if proposal is not None:
        reason = str(_("已登记担当提醒（%(kind)s，%(date)s）。") % {
            "kind": reminder.get_kind_display(), "date": reminder.held_on.isoformat()})[:300]
        proposal.status, proposal.decided_by, proposal.decided_at = ProposalStatus.CONFIRMED, by, timezone.now()
        proposal.decide_reason = reason
        model_save(proposal, by=by, validate=False)
        conduct.log_step(subject=Subject.PROPOSAL, obj=proposal, action="confirm", by=by,
                         from_status=ProposalStatus.PENDING, to_status=ProposalStatus.CONFIRMED, reason=reason,
                         unit=cadre.unit)
    conduct.tell_leaders(unit=cadre.unit, subject=Subject.REMINDER, cadre=cadre,
                         action_label=ACTION_LABELS["record"], reason=reminder.get_kind_display(),
                         url=reminder_url(reminder))
    return reminder


def _lock(reminder) -> Reminder:
    return Reminder.objects.select_for_update().select_related("cadre__unit").get(pk=reminder.pk)


def _refuse(reminder, action):
    raise ValidationError(_("该提醒当前为“%(state)s”，不能%(action)s。") % {
        "state": state_label(reminder), "action": ACTION_LABELS[action]}, code="illegal_transition")


@transaction.atomic
def reminder_update(*, by, reminder: Reminder, **data) -> Reminder:
    """Correct an open reminder (kind, dates, content, note); a followed-up one stays as it is."""
    gate.require(by, "discipline")
    gate.ensure(by, "view", reminder)
    unknown = set(data) - UPDATE_FIELDS
    if unknown:
        raise TypeError(f"fields {sorted(unknown)!r} may not be set here")
    reminder = _lock(reminder)
    if state(reminder) not in TRANSITIONS["edit"][0]:
        _refuse(reminder, "edit")
    for key, value in data.items():
        setattr(reminder, key, (value or "").strip() if key in ("content", "signs_note") else value)
    errors = _problems(reminder)
    if errors:
        raise ValidationError(errors)
    model_save(reminder, by=by)
    conduct.log_step(subject=Subject.REMINDER, obj=reminder, action="edit", by=by, from_status=OPEN, to_status=OPEN,
                     unit=reminder.cadre.unit)
    return reminder


@transaction.atomic
def reminder_follow_up(*, by, reminder: Reminder, on, result) -> Reminder:
    """Record the follow-up of an open reminder: the day and what it found."""
    gate.require(by, "discipline")
    gate.ensure(by, "view", reminder)
    reminder = _lock(reminder)
    if state(reminder) not in TRANSITIONS["follow_up"][0]:
        _refuse(reminder, "follow_up")
    errors: dict[str, list[str]] = {}
    result = (result or "").strip()
    if not on:
        errors["on"] = [_("请填写回访日期。")]
    elif on < reminder.held_on:
        errors["on"] = [_("回访日期不能早于提醒日期（%(d)s）。") % {"d": reminder.held_on.isoformat()}]
    elif on > today():
        errors["on"] = [_("回访日期不能晚于今天。")]
    if not result:
        errors["result"] = [_("请填写回访情况。")]
    elif len(result) > 5000:
        errors["result"] = [_("回访情况不能超过5000字。")]
    if errors:
        raise ValidationError(errors)
    reminder.followed_up_on, reminder.follow_up_result = on, result
    model_save(reminder, by=by)
    conduct.log_step(subject=Subject.REMINDER, obj=reminder, action="follow_up", by=by, from_status=OPEN,
                     to_status=DONE, reason=result, unit=reminder.cadre.unit)
    conduct.tell_leaders(unit=reminder.cadre.unit, subject=Subject.REMINDER, cadre=reminder.cadre,
                         action_label=ACTION_LABELS["follow_up"], reason="", url=reminder_url(reminder))
    return reminder

