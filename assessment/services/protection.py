"""Protection of cadres who act (容错纠错, 报备免责, 澄清正名): tolerance rulings, risk filings and
clarifications.

- **Risk filing** (``RiskFiling``, 报备免责): before a risky decision a unit (its leaders, in their
  scope, or org staff) files the matter, the risk and the measures; org staff acknowledge it
  (备案). A later tolerance ruling about the same matter links to the filing, and its page shows
  "事前已报备" as a favourable fact.
- **Tolerance ruling** (``ToleranceRuling``, 容错裁定): 申请 → 受理 → 核实 → 认定 → 报备, or 不予受理
  from 申请 (``RULING_TRANSITIONS``). The cadre's unit leader (or org staff) applies; every later
  step is org staff's (gate action ``discipline``) with a reason, kept as a ``ConductStep`` and told
  to the unit leaders. 核实 answers the five criteria (三个区分开来 + procedure + remedy) one by one,
  each with its facts; 认定 follows a joint review (问责会审) and says which consequences it waives;
  waiving the linked card revokes it (``cards.card_revoke``).
- **Clarification** (``Clarification``, 澄清正名): org staff record a report proved false; a card it
  names is revoked (``cards.card_revoke``, reason "澄清正名：…"); a malicious report (诬告陷害) is
  listed for follow-up until it is marked 已移交查处.

Every write is keyword-only with ``by=``, atomic, checks the gate, then locks the row; bad input is
refused with a ValidationError naming the field(s), nothing changed.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pingdingshan.core import permissions as gate
from pingdingshan.core.dates import today
from pingdingshan.core.services import model_delete, model_save

from ..models import (
    CARD_ISSUED_STATUSES,
    ApplicantKind,
    CardStatus,
    Clarification,
    ClarificationMethod,
    ClarificationSource,
    FollowUp,
    RiskFiling,
    RiskFilingStatus,
    RulingDecision,
    RulingEvidence,
    RulingStatus,
    Subject,
    ToleranceRuling,
    WarningCard,
)
from . import conduct

S = RulingStatus
F = RiskFilingStatus

# --------------------------------------------------------------------------- tables
# action: (states it may start from, state it leads to (None: stays), gate action, condition or None)
FILING_TRANSITIONS = {
    "acknowledge": ({F.FILED}, F.ACKNOWLEDGED, "discipline", None),
}
FILING_LABELS = {"acknowledge": gettext_lazy("备案")}


def _uploader(ruling, user) -> bool:
    """Evidence: the unit's leaders while the application waits (申请); org staff until it is reported."""
    return ruling.status == S.APPLIED or gate.can(user, "discipline")


RULING_TRANSITIONS = {
    "accept": ({S.APPLIED}, S.ACCEPTED, "discipline", None),
    "reject": ({S.APPLIED}, S.REJECTED, "discipline", None),
    "verify": ({S.ACCEPTED}, S.VERIFIED, "discipline", None),
    "decide": ({S.VERIFIED}, S.DECIDED, "discipline", None),
    "report": ({S.DECIDED}, S.REPORTED, "discipline", None),
}
# Applications still being handled (申请 / 受理 / 核实): the work desk counts them, the list filters them.
RULING_OPEN = (S.APPLIED, S.ACCEPTED, S.VERIFIED)
RULING_STEPS = {  # actions that keep the status
    "upload": ({S.APPLIED, S.ACCEPTED, S.VERIFIED, S.DECIDED}, None, "change", _uploader),
    "delete_evidence": ({S.APPLIED, S.ACCEPTED, S.VERIFIED, S.DECIDED}, None, "change", _uploader),
}
RULING_LABELS = {
    "apply": gettext_lazy("申请容错"), "accept": gettext_lazy("受理"), "reject": gettext_lazy("不予受理"),
    "verify": gettext_lazy("核实"), "decide": gettext_lazy("认定"), "report": gettext_lazy("报备"),
    "upload": gettext_lazy("上传材料"), "delete_evidence": gettext_lazy("删除材料"),
}

CLARIFICATION_TRANSITIONS = {
    "follow_up": ({FollowUp.PENDING}, FollowUp.DONE, "discipline", None),
}
CLARIFICATION_LABELS = {"record": gettext_lazy("澄清正名"), "follow_up": gettext_lazy("移交查处")}

# The five criteria 核实 answers one by one: (answer field, facts field).
CRITERIA = (
    ("unforeseen", "unforeseen_facts"),
    ("public_gain", "public_gain_facts"),
    ("inexperience", "inexperience_facts"),
    ("procedure_followed", "procedure_facts"),
    ("remedied", "remedied_facts"),
)
WAIVERS = ("waive_card", "waive_assessment", "waive_pool", "waive_promotion", "waive_awards")


def filing_allowed_actions(filing: RiskFiling, user) -> frozenset[str]:
    return conduct.allowed(filing, user, FILING_TRANSITIONS)


def ruling_allowed_actions(ruling: ToleranceRuling, user) -> frozenset[str]:
    """What ``user`` may do with ``ruling`` now (the detail page's forms, the API's ``allowed_actions``)."""
    return conduct.allowed(ruling, user, RULING_TRANSITIONS | RULING_STEPS)


def clarification_allowed_actions(clarification: Clarification, user) -> frozenset[str]:
    return conduct.allowed(clarification, user, CLARIFICATION_TRANSITIONS, status_field="follow_up")


def may_apply_for(user, *, cadre, card=None, risk_filing=None) -> bool:
    """Whether the "申请容错" link may be shown to ``user`` for ``cadre`` (and a card or a filing):
    org staff or the cadre's unit leader, the card issued, and the matter not already under a
    ruling that was not refused. ``ruling_apply`` decides for real."""
    if cadre is None or not gate.allows(user, "change", ToleranceRuling(cadre=cadre)):
        return False
    if card is not None and (card.cadre_id != cadre.pk or card.status not in CARD_ISSUED_STATUSES
                             or _held("card", card)):
        return False
    if risk_filing is not None and (
            (risk_filing.cadre_id and risk_filing.cadre_id != cadre.pk)
            or ToleranceRuling.objects.filter(cadre=cadre, risk_filing=risk_filing).exclude(status=S.REJECTED).exists()):
        return False
    return True


def may_clarify(user, card) -> bool:
    """Whether the "澄清正名" link may be shown on ``card``'s page: org staff, the card issued and
    not already revoked by a clarification. ``clarification_create`` decides for real."""
    return (gate.can(user, "discipline") and gate.allows(user, "view", card)
            and card.status in CARD_ISSUED_STATUSES and not Clarification.objects.filter(card=card).exists())


# --------------------------------------------------------------------------- helpers
def _url(name, pk) -> str:
    try:
        return reverse(f"assessment:{name}", args=[pk])
    except NoReverseMatch:  # pages not installed (API-only use)
        return ""


def _raise(errors: dict):
    errors = {k: v for k, v in errors.items() if v}
    if errors:
        raise ValidationError(errors)


def _add(errors, field, message):
    errors.setdefault(field, []).append(str(message))


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ("" if value is None else str(value))


def _model_errors(obj, errors, *, exclude=()):
    """The model's own field checks (required, lengths, choices) added to ``errors``."""
    try:
        obj.full_clean(exclude=set(exclude) | set(errors), validate_unique=False, validate_constraints=False)
    except ValidationError as e:
        for key, messages in e.message_dict.items():
            errors.setdefault(key, []).extend(messages)


def _discipline(by, obj):
    """Org staff on an object they see (404 out of sight, 403 for others)."""
    gate.require(by, "discipline")
    gate.ensure(by, "view", obj)


def _tell(*, unit, subject, cadre, action, reason, url):
    if cadre is None:
        return 0
    return conduct.tell_leaders(unit=unit, subject=subject, cadre=cadre, action_label=action, reason=reason, url=url)


def _revoke_card(*, by, card, reason, field):
    """Revoke ``card`` through the cards service (helper A's ``card_revoke``); a card already revoked
    stays as it is. The service's refusal comes back on ``field``."""
    from . import cards

    card = WarningCard.objects.get(pk=card.pk)  # fresh (the caller's instance is left as it is)
    if card.status == CardStatus.REVOKED:
        return card
    try:
        return cards.card_revoke(by=by, card=card, reason=reason)
    except ValidationError as e:
        raise ValidationError({field: e.messages}) from None


def _fresh_card(card):
    """The card as the database has it now, locked (its status decides, not a cached instance's)."""
    if card is None:
        return None
    return WarningCard.objects.select_for_update(of=("self",)).select_related("reason").get(pk=card.pk)


def _card_problem(card, cadre) -> str | None:
    if card is None:
        return None
    if cadre is not None and card.cadre_id != cadre.pk:
        return _("该红黄牌不是%(c)s的。") % {"c": cadre}
    if card.status not in CARD_ISSUED_STATUSES:
        return _("该红黄牌当前状态为“%(s)s”，不能作为容错或澄清的对象。") % {"s": card.get_status_display()}
    return None


# =========================================================================== risk filings
FILING_FIELDS = ("unit", "matter", "risk", "measures", "filed_on", "cadre", "decision_date")


@transaction.atomic
def filing_create(*, by, unit, matter, risk, measures, filed_on, cadre=None, decision_date=None) -> RiskFiling:
    """报备: a unit files a risky matter before deciding it. Unit leaders file for units of their
    scope (and a cadre of it), org staff for any unit."""
    gate.require(by, "change")
    if not gate.allows(by, "change", RiskFiling):
        raise PermissionDenied(_("您没有执行此操作的权限。"))
    filing = RiskFiling(unit=unit, cadre=cadre, matter=_text(matter), risk=_text(risk), measures=_text(measures),
                        filed_on=filed_on, decision_date=decision_date, filed_by=by)
    errors: dict = {}
    if unit is None:
        _add(errors, "unit", _("请选择报备单位。"))
    elif not gate.scope(by, "change", RiskFiling).covers_path(unit.path):
        _add(errors, "unit", _("单位“%(unit)s”不在您的管理范围内。") % {"unit": unit.name})
    if cadre is not None and unit is not None and not (cadre.unit.path.startswith(unit.path)):
        _add(errors, "cadre", _("责任干部%(c)s不在报备单位“%(u)s”（含下级）。") % {"c": cadre, "u": unit.name})
    if filed_on and filed_on > today():
        _add(errors, "filed_on", _("报备日期不能晚于今天。"))
    if filed_on and decision_date and decision_date < filed_on:
        _add(errors, "decision_date", _("报备须在决策之前：拟决策日期不能早于报备日期。"))
    _model_errors(filing, errors, exclude=("filed_by", "acknowledged_by"))
    _raise(errors)
    model_save(filing, by=by, validate=False)
    conduct.log_step(subject=Subject.FILING, obj=filing, action="file", by=by, to_status=filing.status,
                     reason=filing.matter, unit=unit)
    return filing


@transaction.atomic
def filing_acknowledge(*, by, filing: RiskFiling, reason: str = "") -> RiskFiling:
    """备案: org staff acknowledge a filing (已报备 → 已备案)."""
    _discipline(by, filing)
    filing = RiskFiling.objects.select_for_update(of=("self",)).select_related("unit", "cadre").get(pk=filing.pk)
    old, new = conduct.advance(filing, FILING_TRANSITIONS, "acknowledge", FILING_LABELS)
    reason = _text(reason)
    filing.acknowledged_by, filing.acknowledged_at = by, timezone.now()
    model_save(filing, by=by, validate=False)
    conduct.log_step(subject=Subject.FILING, obj=filing, action="acknowledge", by=by, reason=reason,
                     from_status=old, to_status=new, unit=filing.unit)
    _tell(unit=filing.unit, subject=Subject.FILING, cadre=filing.cadre or filing.unit, action=FILING_LABELS["acknowledge"],
          reason=reason or filing.matter, url=_url("filing_detail", filing.pk))
    return filing


# =========================================================================== tolerance rulings
def _lock(ruling) -> ToleranceRuling:
    return (ToleranceRuling.objects.select_for_update(of=("self",))
            .select_related("cadre", "cadre__unit", "unit", "card", "risk_filing", "sanction").get(pk=ruling.pk))


def _held(field, value, ruling_pk=None) -> bool:
    """Another ruling that is not refused holds this matter (card / sanction / filing) already."""
    qs = ToleranceRuling.objects.filter(**{field: value}).exclude(status=S.REJECTED)
    if ruling_pk:
        qs = qs.exclude(pk=ruling_pk)
    return qs.exists()


_UNIQUE_FIELDS = {"uniq_ruling_card": "card", "uniq_ruling_sanction": "sanction", "uniq_ruling_filing": "risk_filing"}


def _constraint_message(name) -> str:
    for c in ToleranceRuling._meta.constraints:
        if c.name == name:
            return str(c.violation_error_message)
    return _("该事项已有容错申请或裁定。")


@transaction.atomic
def ruling_apply(*, by, cadre, applicant, matter, loss, conduct: str = "", risk_filing=None, card=None,
                 sanction=None, reason: str = "") -> ToleranceRuling:
    """申请容错 for a cadre: by the cadre's unit leader (``change`` on rulings in their scope,
    applicant 干部所在单位) or org staff. One ruling per matter: a card, a sanction or a risk
    filing already under a ruling that was not refused is refused on that field."""
    conduct_text = conduct
    from . import conduct as wf

    gate.require(by, "change")
    if not gate.allows(by, "change", ToleranceRuling):
        raise PermissionDenied(_("您没有执行此操作的权限。"))
    errors: dict = {}
    if cadre is None:
        _add(errors, "cadre", _("请选择干部。"))
    elif not gate.allows(by, "change", ToleranceRuling(cadre=cadre)):
        _add(errors, "cadre", _("干部%(c)s不在您的管理范围内。") % {"c": cadre})
    staff = gate.can(by, "discipline")
    card = _fresh_card(card)
    if applicant == ApplicantKind.ORG and not staff:
        _add(errors, "applicant", _("单位领导只能以干部所在单位的名义申请。"))
    if card is not None:
        if (problem := _card_problem(card, cadre)) is not None:
            _add(errors, "card", problem)
        elif _held("card", card):
            _add(errors, "card", _constraint_message("uniq_ruling_card"))
    if sanction is not None:
        if cadre is not None and sanction.cadre_id != cadre.pk:
            _add(errors, "sanction", _("该处分不是%(c)s的。") % {"c": cadre})
        elif sanction.revoked_on:
            _add(errors, "sanction", _("该处分已撤销。"))
        elif _held("sanction", sanction):
            _add(errors, "sanction", _constraint_message("uniq_ruling_sanction"))
    if risk_filing is not None and cadre is not None:
        if risk_filing.cadre_id and risk_filing.cadre_id != cadre.pk:
            _add(errors, "risk_filing", _("该报备的责任干部不是%(c)s。") % {"c": cadre})
        elif not risk_filing.cadre_id and not cadre.unit.path.startswith(risk_filing.unit.path):
            _add(errors, "risk_filing", _("该报备不是%(c)s所在单位的。") % {"c": cadre})
        elif ToleranceRuling.objects.filter(cadre=cadre, risk_filing=risk_filing).exclude(status=S.REJECTED).exists():
            _add(errors, "risk_filing", _constraint_message("uniq_ruling_filing"))
    ruling = ToleranceRuling(cadre=cadre, unit=getattr(cadre, "unit", None), applicant=applicant or "",
                             matter=_text(matter), loss=_text(loss), conduct=_text(conduct_text),
                             risk_filing=risk_filing, card=card, sanction=sanction, applied_by=by)
    _model_errors(ruling, errors, exclude=("applied_by", "unit"))
    _raise(errors)
    try:
        with transaction.atomic():
            model_save(ruling, by=by, validate=False)
    except IntegrityError as e:  # a concurrent application took the matter first
        name = next((n for n in _UNIQUE_FIELDS if n in str(e)), "")
        raise ValidationError({_UNIQUE_FIELDS.get(name, "__all__"): [_constraint_message(name)]}) from None
    reason = _text(reason) or ruling.matter
    wf.log_step(subject=Subject.RULING, obj=ruling, action="apply", by=by, reason=reason, to_status=ruling.status,
                unit=ruling.unit)
    _tell(unit=ruling.unit, subject=Subject.RULING, cadre=ruling.cadre, action=RULING_LABELS["apply"], reason=reason,
          url=_url("ruling_detail", ruling.pk))
    return ruling


def _step(by, ruling, action, reason, old, new):
    conduct.log_step(subject=Subject.RULING, obj=ruling, action=action, by=by, reason=reason, from_status=old,
                     to_status=new, unit=ruling.unit)
    _tell(unit=ruling.unit, subject=Subject.RULING, cadre=ruling.cadre, action=RULING_LABELS[action], reason=reason,
          url=_url("ruling_detail", ruling.pk))


def _begin(by, ruling, action):
    _discipline(by, ruling)
    ruling = _lock(ruling)
    old, new = conduct.advance(ruling, RULING_TRANSITIONS, action, RULING_LABELS)
    return ruling, old, new


@transaction.atomic
def ruling_accept(*, by, ruling: ToleranceRuling, reason: str) -> ToleranceRuling:
    """受理 (申请 → 受理)."""
    ruling, old, new = _begin(by, ruling, "accept")
    reason = conduct.require_reason(reason)
    model_save(ruling, by=by, validate=False)
    _step(by, ruling, "accept", reason, old, new)
    return ruling


@transaction.atomic
def ruling_reject(*, by, ruling: ToleranceRuling, reason: str) -> ToleranceRuling:
    """不予受理 (申请 → 不予受理), with the reason; the matter is free for a new application."""
    ruling, old, new = _begin(by, ruling, "reject")
    reason = conduct.require_reason(reason)
    if len(reason) > 300:
        raise ValidationError({"reason": _("理由不能超过300个字。")})
    ruling.rejection_reason = reason
    model_save(ruling, by=by, validate=False)
    _step(by, ruling, "reject", reason, old, new)
    return ruling


@transaction.atomic
def ruling_verify(*, by, ruling: ToleranceRuling, reason: str, **criteria) -> ToleranceRuling:
    """核实 (受理 → 核实): the five criteria answered one by one (``unforeseen``, ``public_gain``,
    ``inexperience``, ``procedure_followed``, ``remedied``: True, the side favouring tolerance, or
    False), each with its facts (``…_facts``). All five are required."""
    allowed = {f for pair in CRITERIA for f in pair}
    unknown = set(criteria) - allowed
    if unknown:
        raise TypeError(f"unknown criteria {sorted(unknown)}")
    ruling, old, new = _begin(by, ruling, "verify")
    errors: dict = {}
    for answer, facts in CRITERIA:
        value = criteria.get(answer)
        text = _text(criteria.get(facts))
        label = ToleranceRuling._meta.get_field(answer).verbose_name
        if value not in (True, False):
            _add(errors, answer, _("请逐项回答：“%(c)s”。") % {"c": label})
        if not text:
            _add(errors, facts, _("请写明“%(c)s”的事实依据。") % {"c": label})
        setattr(ruling, answer, value if value in (True, False) else None)
        setattr(ruling, facts, text)
    try:
        reason = conduct.require_reason(reason)
    except ValidationError as e:
        errors.update(e.message_dict)
    _raise(errors)
    model_save(ruling, by=by, validate=False)
    _step(by, ruling, "verify", reason, old, new)
    return ruling


@transaction.atomic
def ruling_decide(*, by, ruling: ToleranceRuling, review_date, review_members, decision, decision_reason,
                  decided_on=None, waive_card=False, waive_assessment=False, waive_pool=False,
                  waive_promotion=False, waive_awards=False) -> ToleranceRuling:
    """认定 (核实 → 认定) after the joint review (问责会审: its date and members): tolerated in full,
    in part or not, with the reason, and which consequences it waives. Waiving the card revokes it."""
    ruling, old, new = _begin(by, ruling, "decide")
    decided_on = decided_on or today()
    waivers = dict(waive_card=bool(waive_card), waive_assessment=bool(waive_assessment), waive_pool=bool(waive_pool),
                   waive_promotion=bool(waive_promotion), waive_awards=bool(waive_awards))
    errors: dict = {}
    review_members = _text(review_members)
    decision_reason = _text(decision_reason)
    if not review_date:
        _add(errors, "review_date", _("认定须经问责会审：请填写会审日期。"))
    elif review_date > decided_on:
        _add(errors, "review_date", _("会审日期不能晚于认定日期。"))
    if not review_members:
        _add(errors, "review_members", _("认定须经问责会审：请填写会审单位和人员。"))
    elif len(review_members) > 300:
        _add(errors, "review_members", _("会审单位和人员不能超过300个字。"))
    if decision not in RulingDecision.values:
        _add(errors, "decision", _("请选择认定结论（予以容错、部分容错或不予容错）。"))
    if not decision_reason:
        _add(errors, "decision_reason", _("请填写认定理由。"))
    if decided_on > today():
        _add(errors, "decided_on", _("认定日期不能晚于今天。"))
    if decision == RulingDecision.NONE and any(waivers.values()):
        for name, on in waivers.items():
            if on:
                _add(errors, name, _("不予容错时不能免除任何影响。"))
    if decision in (RulingDecision.FULL, RulingDecision.PARTIAL) and not any(waivers.values()):
        _add(errors, "waive_assessment", _("予以容错或部分容错时，请至少选择一项免除的影响。"))
    if waivers["waive_card"] and ruling.card_id is None:
        _add(errors, "waive_card", _("该申请未涉及红黄牌，不能撤销红黄牌。"))
    _raise(errors)
    ruling.review_date, ruling.review_members = review_date, review_members
    ruling.decision, ruling.decision_reason, ruling.decided_on = decision, decision_reason, decided_on
    for name, on in waivers.items():
        setattr(ruling, name, on)
    model_save(ruling, by=by, validate=False)
    if ruling.waive_card:
        _revoke_card(by=by, card=ruling.card, field="waive_card",
                     reason=_("容错认定：%(r)s") % {"r": decision_reason})
    _step(by, ruling, "decide", f"{ruling.get_decision_display()}：{decision_reason}", old, new)
    return ruling


@transaction.atomic
def ruling_report(*, by, ruling: ToleranceRuling, reported_on, reported_to, reason: str = "") -> ToleranceRuling:
    """报备 (认定 → 报备): the decision reported to the body above (date and body)."""
    ruling, old, new = _begin(by, ruling, "report")
    errors: dict = {}
    reported_to = _text(reported_to)
    if not reported_on:
        _add(errors, "reported_on", _("请填写报备日期。"))
    elif reported_on > today():
        _add(errors, "reported_on", _("报备日期不能晚于今天。"))
    elif ruling.decided_on and reported_on < ruling.decided_on:
        _add(errors, "reported_on", _("报备日期不能早于认定日期（%(d)s）。") % {"d": ruling.decided_on})
    if not reported_to:
        _add(errors, "reported_to", _("请填写报备机关。"))
    elif len(reported_to) > 100:
        _add(errors, "reported_to", _("报备机关不能超过100个字。"))
    _raise(errors)
    ruling.reported_on, ruling.reported_to = reported_on, reported_to
    model_save(ruling, by=by, validate=False)
    _step(by, ruling, "report", _text(reason) or _("报%(to)s备案") % {"to": reported_to}, old, new)
    return ruling


# ---- evidence
def _refuse_step(ruling, action):
    raise ValidationError(_("当前状态为“%(status)s”，不能%(action)s。") % {
        "status": ruling.get_status_display(), "action": RULING_LABELS[action]}, code="illegal_transition")


def _check_step(by, ruling, action):
    gate.ensure(by, "change", ruling)
    sources = RULING_STEPS[action][0]
    if ruling.status not in sources or not _uploader(ruling, by):
        _refuse_step(ruling, action)


def evidence_prepare(*, by, ruling: ToleranceRuling, upload) -> RulingEvidence:
    """Check an upload as the archive does (type from the content, at most 20 MB, a safe name) and
    store its file; returns the unsaved ``RulingEvidence``."""
    from cadres.services.records import evidence_file

    evidence = RulingEvidence(ruling=ruling, uploaded_by=by, **evidence_file(upload))
    evidence.file.save(f"conduct/rulings/{ruling.pk}/{evidence.original_name}", upload, save=False)
    return evidence


@transaction.atomic
def ruling_evidence_add(*, by, ruling: ToleranceRuling, upload) -> RulingEvidence:
    """Attach a file: unit leaders while 申请, org staff until 报备."""
    _check_step(by, ruling, "upload")
    ruling = _lock(ruling)
    _check_step(by, ruling, "upload")
    evidence = evidence_prepare(by=by, ruling=ruling, upload=upload)
    storage, path = evidence.file.storage, evidence.file.name
    try:
        return model_save(evidence, by=by, validate=False)
    except Exception:
        storage.delete(path)
        raise


@transaction.atomic
def ruling_evidence_delete(*, by, evidence: RulingEvidence) -> None:
    ruling = _lock(evidence.ruling)
    _check_step(by, ruling, "delete_evidence")
    storage, path = evidence.file.storage, evidence.file.name
    model_delete(evidence, by=by)
    transaction.on_commit(lambda: storage.delete(path))


# =========================================================================== clarifications
@transaction.atomic
def clarification_create(*, by, cadre, source, report, finding, method, venue, cleared_on, malicious=False,
                         card=None) -> Clarification:
    """澄清正名 (org staff): a report against ``cadre`` proved false. A card it names is revoked
    ("澄清正名：…"); a malicious report (诬告陷害) waits for follow-up (待移交查处)."""
    gate.require(by, "discipline")
    errors: dict = {}
    if cadre is None:
        _add(errors, "cadre", _("请选择干部。"))
    elif not gate.allows(by, "view", cadre):
        _add(errors, "cadre", _("干部%(c)s不在您的管理范围内。") % {"c": cadre})
    card = _fresh_card(card)
    if (problem := _card_problem(card, cadre)) is not None:
        _add(errors, "card", problem)
    elif card is not None and Clarification.objects.filter(card=card).exists():
        _add(errors, "card", _("该红黄牌已据澄清正名撤销。"))
    if cleared_on and cleared_on > today():
        _add(errors, "cleared_on", _("澄清日期不能晚于今天。"))
    if source not in ClarificationSource.values:
        _add(errors, "source", _("请选择启动方式。"))
    if method not in ClarificationMethod.values:
        _add(errors, "method", _("请选择澄清方式（会议、书面或公开通报）。"))
    clarification = Clarification(cadre=cadre, source=source or "", report=_text(report), finding=_text(finding),
                                  method=method or "", venue=_text(venue), cleared_on=cleared_on,
                                  malicious=bool(malicious), card=card, recorded_by=by,
                                  follow_up=FollowUp.PENDING if malicious else FollowUp.NONE)
    _model_errors(clarification, errors, exclude=("recorded_by",))
    _raise(errors)
    model_save(clarification, by=by, validate=False)
    reason = _("澄清正名：%(f)s") % {"f": clarification.finding}
    if card is not None:
        _revoke_card(by=by, card=card, reason=reason[:300], field="card")
    conduct.log_step(subject=Subject.CLARIFICATION, obj=clarification, action="record", by=by, reason=reason,
                     to_status=clarification.follow_up, unit=cadre.unit)
    _tell(unit=cadre.unit, subject=Subject.CLARIFICATION, cadre=cadre, action=CLARIFICATION_LABELS["record"],
          reason=reason, url=_url("clarification_detail", clarification.pk))
    return clarification


@transaction.atomic
def clarification_follow_up(*, by, clarification: Clarification, note: str) -> Clarification:
    """诬告查处: a malicious report handed over for investigation (待移交查处 → 已移交查处), with a note."""
    _discipline(by, clarification)
    clarification = Clarification.objects.select_for_update(of=("self",)).select_related("cadre", "cadre__unit").get(
        pk=clarification.pk)
    old, new = conduct.advance(clarification, CLARIFICATION_TRANSITIONS, "follow_up", CLARIFICATION_LABELS,
                               status_field="follow_up")
    note = conduct.require_reason(note, field="note")
    clarification.follow_up_note = note
    model_save(clarification, by=by, validate=False)
    conduct.log_step(subject=Subject.CLARIFICATION, obj=clarification, action="follow_up", by=by, reason=note,
                     from_status=old, to_status=new, unit=clarification.cadre.unit)
    return clarification
