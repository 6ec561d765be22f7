"""Frontline postings (墩苗育苗 / 实践练兵) and their programmes.

A posting moves through ``POSTING_TRANSITIONS`` (the shape of ``assessment.services.conduct``)::

    待审批 ─approve→ 进行中 ─close (evaluation)→ 已结束
      │  └─reject (reason)→ 未批准
      └─withdraw→ 已撤回

Unit leaders propose postings for active cadres of their units (``change``: the model is
``leader_writable``), edit and withdraw them while 待审批; org staff may do the same anywhere, and
alone approve, reject (with a reason) and close them with the evaluation (gate action ``reserve``).
Each step is logged (``PromotionStep``, subject ``posting``) with its reason, and the unit leaders
over the cadre's unit are told of the approval, the rejection and the closure.

A posting is refused, with every problem at once ({field: [messages]}), when its dates are out of
order, its cadre is not 在职, its host is empty, its programme is retired, or another posting of the
same cadre that is 待审批 or 进行中 shares a day with it (both ends are days of the posting).

INTERFACE (keyword-only, ``by=``, atomic)::

    posting_propose(*, by, fields) -> FrontlinePosting        unit leaders (``change``) and org staff
    posting_update(*, by, posting, fields) -> FrontlinePosting while proposed
    posting_withdraw(*, by, posting, reason="")               the proposer's side
    posting_approve(*, by, posting, reason="")                org staff (``reserve``)
    posting_reject(*, by, posting, reason)                    org staff, reason required
    posting_close(*, by, posting, evaluation, remarks, evaluated_on=None)   org staff
    posting_allowed_actions(posting, user) -> frozenset[str]
"""
import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessment import notices
from assessment.services.conduct import advance, allowed, refuse, require_reason
from cadres.models import Cadre, CadreStatus
from pingdingshan.core import permissions as gate
from pingdingshan.core.dates import today
from pingdingshan.core.services import model_save, notify

from ..models import Evaluation, FrontlinePosting, PostingStatus, Programme, StepSubject
from ..models.postings import TEXT_MAX
from .steps import log_step

S = PostingStatus
# The postings that hold the cadre's days: another one may not overlap them.
HOLDING = (S.PROPOSED, S.APPROVED)

# action: (states it may start from, state it leads to, gate action, condition(posting, user) or None)
POSTING_TRANSITIONS = {
    "withdraw": ({S.PROPOSED}, S.CANCELLED, "change", None),
    "approve": ({S.PROPOSED}, S.APPROVED, "reserve", None),
    "reject": ({S.PROPOSED}, S.REJECTED, "reserve", None),
    "close": ({S.APPROVED}, S.CLOSED, "reserve", None),
}
POSTING_STEPS = {  # actions that keep the status
    "edit": ({S.PROPOSED}, None, "change", None),
}
# The buttons of the pages and the API's ``allowed_actions``, in page order.
BUTTON_ACTIONS = ("approve", "reject", "close", "withdraw")
POSTING_ACTION_LABELS = {
    "propose": gettext_lazy("提出"), "edit": gettext_lazy("修改"), "withdraw": gettext_lazy("撤回"),
    "approve": gettext_lazy("批准"), "reject": gettext_lazy("不予批准"), "close": gettext_lazy("期满评价并结束"),
}
POSTING_FIELDS = {"cadre", "programme", "host_unit", "host", "start_date", "end_date", "tasks"}
TEXT_FIELDS = ("host", "tasks")


def posting_allowed_actions(posting: FrontlinePosting, user) -> frozenset[str]:
    """What ``user`` may do with ``posting`` now: approve, reject, close, withdraw, and ``edit``."""
    return allowed(posting, user, POSTING_TRANSITIONS | POSTING_STEPS)


def posting_url(posting) -> str:
    try:
        return reverse("promotion:posting_detail", args=[posting.pk])
    except Exception:  # noqa: BLE001 - the pages may not be installed (API-only use)
        return ""


def may_propose(user, cadre: Cadre | None = None) -> bool:
    """May ``user`` propose a posting (for ``cadre``, when given: an active cadre of their units)?"""
    if cadre is None:
        return gate.allows(user, "change", FrontlinePosting)
    return cadre.status == CadreStatus.ACTIVE and gate.allows(user, "change", FrontlinePosting(cadre=cadre))


def proposable_cadres(user):
    """The active cadres ``user`` may propose postings for (the form's choices)."""
    s = gate.scope(user, "change", FrontlinePosting)
    qs = Cadre.objects.filter(status=CadreStatus.ACTIVE)
    if s.empty:
        return qs.none()
    if s.everything:
        return qs
    q = Q()
    for p in s.unit_paths:
        q |= Q(unit__path__startswith=p)
    return qs.filter(q)


# --------------------------------------------------------------------------- validation
def _span(posting) -> str:
    return _("%(s)s 至 %(e)s") % {"s": posting.start_date.isoformat(), "e": posting.end_date.isoformat()}


def overlapping(posting: FrontlinePosting):
    """The cadre's other postings 待审批 or 进行中 sharing a day with ``posting``."""
    if not (posting.cadre_id and isinstance(posting.start_date, dt.date) and isinstance(posting.end_date, dt.date)):
        return FrontlinePosting.objects.none()
    return (FrontlinePosting.objects.filter(cadre_id=posting.cadre_id, status__in=HOLDING,
                                            start_date__lte=posting.end_date, end_date__gte=posting.start_date)
            .exclude(pk=posting.pk).select_related("programme").order_by("start_date", "pk"))


def posting_problems(posting: FrontlinePosting, *, check_programme: bool = True) -> dict[str, list[str]]:
    """Every problem of ``posting`` as {field: [Chinese messages]} (empty when it may be saved)."""
    errors: dict[str, list[str]] = {}

    def add(key, message):
        errors.setdefault(key, []).append(str(message))

    if posting.cadre_id and posting.cadre.status != CadreStatus.ACTIVE:
        add("cadre", _("干部“%(c)s”当前状态为“%(s)s”，只能为在职干部安排一线历练。") % {
            "c": posting.cadre.name, "s": posting.cadre.get_status_display()})
    if check_programme and posting.programme_id and not posting.programme.is_active:
        add("programme", _("项目“%(p)s”已停用。") % {"p": posting.programme.name})
    if not (posting.host or "").strip():
        add("host", _("请填写派驻单位或任务。"))
    dates_ok = isinstance(posting.start_date, dt.date) and isinstance(posting.end_date, dt.date)
    if dates_ok and posting.end_date < posting.start_date:
        add("end_date", _("结束日期不能早于开始日期。"))
    elif dates_ok:
        for other in overlapping(posting)[:3]:
            add("start_date", _("与该干部的另一项一线历练“%(p)s · %(h)s”（%(d)s，%(s)s）时间重叠。") % {
                "p": other.programme.name, "h": other.host, "d": _span(other), "s": other.get_status_display()})
    skip = set(errors) | {"status", "evaluation", "evaluated_on", "evaluated_by", "proposed_by", "approved_by"}
    try:
        posting.full_clean(exclude=skip, validate_constraints=not errors)
    except ValidationError as e:
        for key, messages in e.message_dict.items():
            if key == "__all__" and "end_date" in errors:
                continue
            errors.setdefault(key, []).extend(messages)
    return errors


def _validate(posting, **kwargs):
    errors = posting_problems(posting, **kwargs)
    if errors:
        raise ValidationError(errors)


def _check_cadre(by, cadre):
    """The cadre must lie where ``by`` may propose: out of sight answers 404 (like a missing one),
    a cadre seen but not theirs to propose for a message on the field."""
    if cadre is None:
        return
    gate.ensure(by, "view", cadre)
    if not gate.allows(by, "change", FrontlinePosting(cadre=cadre)):
        raise ValidationError({"cadre": _("干部“%(c)s”不在您的管理范围内。") % {"c": cadre.name}})


def _lock_cadre(cadre_id):
    """Serialise the postings of one cadre (the overlap check holds while this transaction runs)."""
    if cadre_id:
        list(Cadre.objects.select_for_update().filter(pk=cadre_id).values_list("pk", flat=True))


def _lock(posting: FrontlinePosting) -> FrontlinePosting:
    _lock_cadre(posting.cadre_id)
    return (FrontlinePosting.objects.select_for_update(of=("self",))
            .select_related("cadre", "cadre__unit", "programme", "host_unit").get(pk=posting.pk))


def _gate(by, action: str, posting: FrontlinePosting) -> None:
    gate_action = (POSTING_TRANSITIONS | POSTING_STEPS)[action][2]
    if gate_action == "reserve":
        gate.require(by, "reserve")
        gate.ensure(by, "view", posting)
    else:
        gate.ensure(by, gate_action, posting)


def _clean_fields(fields: dict) -> dict:
    unknown = set(fields) - POSTING_FIELDS
    if unknown:
        raise TypeError(f"fields {sorted(unknown)!r} may not be set here")
    out = dict(fields)
    for key in TEXT_FIELDS:
        if key in out:
            out[key] = (out[key] or "").strip()
    return out


def tell_leaders(posting: FrontlinePosting, action: str, reason: str = "") -> int:
    """Notify the unit leaders over the cadre's unit of a step (as ``conduct.tell_leaders`` does for
    cards, with the same notification kind)."""
    unit = posting.cadre.unit
    if unit is None:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject, action_text = str(StepSubject.POSTING.label), str(POSTING_ACTION_LABELS[action])
        what = f"{posting.programme.name} · {posting.host}"
    n = 0
    for user in gate.leaders_over(unit.path):
        notify(user=user, kind=notices.CONDUCT_STEP, url=posting_url(posting),
               params={"subject": subject, "cadre": str(posting.cadre.name), "action": f"{what}：{action_text}",
                       "reason": reason or ""})
        n += 1
    return n


def _step(posting, action, by, reason="", old="", new=""):
    log_step(subject=StepSubject.POSTING, obj=posting, action=action, by=by, reason=reason, from_status=old,
             to_status=new, unit=posting.cadre.unit)


# --------------------------------------------------------------------------- proposing and editing
@transaction.atomic
def posting_propose(*, by, fields: dict) -> FrontlinePosting:
    """Propose a posting (待审批) for an active cadre of the user's units (org staff: anyone's)."""
    gate.require(by, "change")
    data = _clean_fields(fields)
    cadre = data.get("cadre")
    _check_cadre(by, cadre)
    _lock_cadre(getattr(cadre, "pk", None))
    posting = FrontlinePosting(status=S.PROPOSED, proposed_by=by, **data)
    _validate(posting)
    model_save(posting, by=by, validate=False)
    _step(posting, "propose", by, "", "", S.PROPOSED)
    return posting


@transaction.atomic
def posting_update(*, by, posting: FrontlinePosting, fields: dict) -> FrontlinePosting:
    """Edit a posting while it is 待审批 (the cadre's unit leaders or org staff). A programme retired
    since the proposal may stay; a new one must be active."""
    data = _clean_fields(fields)
    _gate(by, "edit", posting)
    posting = _lock(posting)
    if posting.status != S.PROPOSED:
        refuse(posting, POSTING_ACTION_LABELS["edit"])
    new_cadre = data.get("cadre")
    if new_cadre is not None and new_cadre.pk != posting.cadre_id:
        _check_cadre(by, new_cadre)
        _lock_cadre(new_cadre.pk)
    old_programme = posting.programme_id
    for key, value in data.items():
        setattr(posting, key, value)
    _validate(posting, check_programme=posting.programme_id != old_programme)
    model_save(posting, by=by, validate=False)
    _step(posting, "edit", by, "", posting.status, posting.status)
    return posting


@transaction.atomic
def posting_withdraw(*, by, posting: FrontlinePosting, reason: str = "") -> FrontlinePosting:
    """The proposer's side (the cadre's unit leaders, or org staff) withdraws a 待审批 posting."""
    _gate(by, "withdraw", posting)
    reason = (reason or "").strip()
    posting = _lock(posting)
    old, new = advance(posting, POSTING_TRANSITIONS, "withdraw", POSTING_ACTION_LABELS)
    model_save(posting, by=by, validate=False)
    _step(posting, "withdraw", by, reason, old, new)
    return posting


# --------------------------------------------------------------------------- org staff's steps
@transaction.atomic
def posting_approve(*, by, posting: FrontlinePosting, reason: str = "") -> FrontlinePosting:
    """Approve a proposed posting (待审批 → 进行中). The cadre must still be 在职 and no other posting
    of theirs 进行中 may overlap it."""
    _gate(by, "approve", posting)
    reason = (reason or "").strip()
    posting = _lock(posting)
    old, new = advance(posting, POSTING_TRANSITIONS, "approve", POSTING_ACTION_LABELS)
    _validate(posting, check_programme=False)
    posting.approved_by, posting.approved_at = by, timezone.now()
    model_save(posting, by=by, validate=False)
    _step(posting, "approve", by, reason, old, new)
    tell_leaders(posting, "approve", reason)
    return posting


@transaction.atomic
def posting_reject(*, by, posting: FrontlinePosting, reason) -> FrontlinePosting:
    """Refuse a proposed posting (待审批 → 未批准), with a reason."""
    _gate(by, "reject", posting)
    reason = require_reason(reason)
    posting = _lock(posting)
    old, new = advance(posting, POSTING_TRANSITIONS, "reject", POSTING_ACTION_LABELS)
    model_save(posting, by=by, validate=False)
    _step(posting, "reject", by, reason, old, new)
    tell_leaders(posting, "reject", reason)
    return posting


@transaction.atomic
def posting_close(*, by, posting: FrontlinePosting, evaluation, remarks, evaluated_on=None) -> FrontlinePosting:
    """Evaluate and close a posting in progress (进行中 → 已结束): the evaluation (优秀 / 良好 / 一般 /
    较差) is required; ``evaluated_on`` is today by default, not before the posting's start nor after
    today."""
    _gate(by, "close", posting)
    posting = _lock(posting)
    old, new = advance(posting, POSTING_TRANSITIONS, "close", POSTING_ACTION_LABELS)
    errors: dict[str, list[str]] = {}
    evaluated_on = evaluated_on or today()
    remarks = (remarks or "").strip()
    if evaluation not in Evaluation.values:
        errors.setdefault("evaluation", []).append(_("请选择期满评价（优秀、良好、一般或较差）。"))
    if not isinstance(evaluated_on, dt.date):
        errors.setdefault("evaluated_on", []).append(_("请填写评价日期。"))
    elif evaluated_on < posting.start_date:
        errors.setdefault("evaluated_on", []).append(
            _("评价日期不能早于开始日期（%(d)s）。") % {"d": posting.start_date.isoformat()})
    elif evaluated_on > today():
        errors.setdefault("evaluated_on", []).append(_("评价日期不能晚于今天。"))
    if len(remarks) > TEXT_MAX:
        errors.setdefault("remarks", []).append(_("评价意见不能超过 %(n)s 字。") % {"n": TEXT_MAX})
    if errors:
        raise ValidationError(errors)
    posting.evaluation, posting.evaluation_remarks = evaluation, remarks
    posting.evaluated_on, posting.evaluated_by = evaluated_on, by
    model_save(posting, by=by, validate=False)
    with translation.override(settings.LANGUAGE_CODE):  # the step keeps the evaluation in the default language
        logged = str(Evaluation(evaluation).label) + (f"：{remarks}" if remarks else "")
    _step(posting, "close", by, logged, old, new)
    tell_leaders(posting, "close", logged)
    return posting


# --------------------------------------------------------------------------- programmes
PROGRAMME_FIELDS = {"name", "description", "is_active", "order"}


@transaction.atomic
def programme_save(*, by, programme: Programme | None = None, **data) -> Programme:
    """Create or edit a programme (org staff, ``reserve``); ``is_active=False`` retires it (its
    postings stay; new postings may not choose it)."""
    gate.require(by, "reserve")
    unknown = set(data) - PROGRAMME_FIELDS
    if unknown:
        raise TypeError(f"fields {sorted(unknown)!r} may not be set here")
    programme = programme or Programme()
    for key, value in data.items():
        setattr(programme, key, value.strip() if isinstance(value, str) else value)
    return model_save(programme, by=by)


# --------------------------------------------------------------------------- reading
def postings_of_cadre(*, user, cadre) -> list[FrontlinePosting]:
    """The cadre's postings the user sees, in date order (one query)."""
    return list(FrontlinePosting.objects.restrict(user, "view").filter(cadre=cadre)
                .select_related("programme", "host_unit").order_by("start_date", "id"))


__all__ = [
    "BUTTON_ACTIONS", "POSTING_ACTION_LABELS", "POSTING_STEPS", "POSTING_TRANSITIONS", "may_propose", "overlapping",
    "posting_allowed_actions", "posting_approve", "posting_close", "posting_problems", "posting_propose",
    "posting_reject", "posting_update", "posting_withdraw", "postings_of_cadre", "programme_save",
    "proposable_cadres",
]
