"""Awards and their selection (评选表彰, 共担当): the editable list of award kinds, awards (given
directly or by a campaign; revoked with a reason, never deleted) with their evidence files, and
selection campaigns (评选活动) with a nomination quota per unit, the units' nominations, review,
the public notice period (公示) and the decision that turns the winners into awards in one step.

Who does what (the gate, ``pingdingshan/core/permissions.py``):
- org staff (``discipline``): award kinds, awards, campaigns and their quotas, shortlist / reject,
  decide; they may nominate too;
- unit leaders (``change`` on ``Nomination``, which is ``leader_writable``): nominate cadres (or, for
  a unit award, units) of their scope within the quota, withdraw their own nominations;
- auditors read.

Whether a cadre may be awarded or nominated is asked of ``standing`` (never re-derived here): an
active card (or a sanction) that blocks "award" refuses it with the sentences ``standing`` gives.
Every step is kept as a ``ConductStep`` (``conduct.log_step``) and the unit leaders over the unit
are told of an award's steps.
"""
import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadres.models import Cadre, CadreStatus, PerformanceRecord, RecordStatus
from cadres.services.records import evidence_file
from pingdingshan.core import permissions as gate
from pingdingshan.core.dates import in_force_q, today
from pingdingshan.core.services import assign, model_delete, model_save

from ..models import (
    Award,
    AwardEvidence,
    AwardKind,
    AwardTarget,
    Campaign,
    CampaignQuota,
    CampaignStatus,
    Nomination,
    NominationStatus,
    Subject,
)
from ..models.conduct import TEXT_MAX
from .conduct import advance, allowed, log_step, refuse, require_reason, tell_leaders
from .standing import standing

CS = CampaignStatus
NS = NominationStatus


def _raise(errors: dict):
    if errors:
        raise ValidationError(errors)


def _add(errors: dict, key: str, message) -> None:
    errors.setdefault(key, []).append(str(message))


# =========================================================================== award kinds
KIND_FIELDS = {"name", "target", "level", "promotion_priority", "quota_tilt", "description", "is_active", "order"}


@transaction.atomic
def award_kind_save(*, by, kind: AwardKind | None = None, **data) -> AwardKind:
    """Create (``kind`` None) or edit an award kind (org staff). 优先考虑 is for cadre awards, 适当倾斜
    for unit awards; the target of a kind that has awards or campaigns does not change."""
    gate.require(by, "discipline")
    if kind is not None:
        kind = AwardKind.objects.select_for_update().get(pk=kind.pk)
    old_target = kind.target if kind is not None else None
    kind = assign(kind or AwardKind(), data, KIND_FIELDS)
    errors: dict = {}
    if kind.target == AwardTarget.UNIT and kind.promotion_priority:
        _add(errors, "promotion_priority", _("单位表彰不适用“提拔任用时优先考虑”。"))
    if kind.target == AwardTarget.CADRE and kind.quota_tilt:
        _add(errors, "quota_tilt", _("干部表彰不适用“职级职数适当倾斜”。"))
    if (kind.pk and old_target and kind.target != old_target
            and (kind.awards.exists() or kind.campaigns.exists())):
        _add(errors, "target", _("该表彰类别已有表彰或评选活动，不能更改表彰对象。"))
    try:
        kind.full_clean(exclude=list(errors))
    except ValidationError as e:
        for key, messages in e.message_dict.items():
            errors.setdefault(key, []).extend(messages)
    _raise(errors)
    return model_save(kind, by=by, validate=False)


# =========================================================================== awards
AWARD_FIELDS = {"kind", "cadre", "unit", "year", "awarded_on", "issuing_body", "document_no", "citation", "campaign"}
AWARD_ACTIONS = {  # actions on an award (its "status": revoked or not)
    "revoke": gettext_lazy("撤销表彰"),
    "upload": gettext_lazy("上传表彰材料"),
    "delete_evidence": gettext_lazy("删除表彰材料"),
}


def award_allowed_actions(award: Award, user) -> frozenset[str]:
    """revoke / upload / delete_evidence: org staff, on an award not revoked."""
    if award.is_revoked or not (gate.can(user, "discipline") and gate.allows(user, "view", award)):
        return frozenset()
    return frozenset(AWARD_ACTIONS)


def unit_on(cadre: Cadre, day: dt.date):
    """The unit the cadre served in on ``day``: that of a post held that day (the latest started),
    else the cadre's own unit."""
    appointment = (cadre.appointments.filter(in_force_q(day)).select_related("post__unit")
                   .order_by("-start_date", "-id").first())
    return appointment.post.unit if appointment is not None else cadre.unit


def award_block_reasons(cadre, day: dt.date) -> list[str]:
    """Why ``cadre`` may not be awarded on ``day`` (``standing``'s sentences; empty when they may)."""
    s = standing([cadre.pk], on=day)[cadre.pk]
    return s.reasons("award") or ([_("存在影响评先评优的情形。")] if s.blocked("award") else [])


def award_problems(award: Award) -> dict[str, list[str]]:
    """Every problem of an unsaved award as {field: [messages]} (empty when it may be saved)."""
    errors: dict = {}
    kind = award.kind if award.kind_id else None
    if kind is None:
        _add(errors, "kind", _("请选择表彰类别。"))
    elif kind.target == AwardTarget.CADRE:
        if not award.cadre_id:
            _add(errors, "cadre", _("“%(k)s”是干部表彰，请选择受表彰干部。") % {"k": kind.name})
    else:
        if award.cadre_id:
            _add(errors, "cadre", _("“%(k)s”是单位表彰，不能指定干部。") % {"k": kind.name})
        if not award.unit_id:
            _add(errors, "unit", _("“%(k)s”是单位表彰，请选择受表彰单位。") % {"k": kind.name})
    if kind is not None and not kind.is_active and award.campaign_id is None:
        _add(errors, "kind", _("表彰类别“%(k)s”已停用。") % {"k": kind.name})
    day = award.awarded_on
    if day is None:
        _add(errors, "awarded_on", _("请填写表彰日期。"))
    elif day > today():
        _add(errors, "awarded_on", _("表彰日期不能晚于今天。"))
    if award.year is None:
        _add(errors, "year", _("请填写年度。"))
    elif day is not None and not (day.year - 5 <= award.year <= day.year):
        _add(errors, "year", _("年度须在表彰日期所在年度及此前5年内。"))
    if not (award.issuing_body or "").strip():
        _add(errors, "issuing_body", _("请填写表彰机关。"))
    if len(award.citation or "") > TEXT_MAX:
        _add(errors, "citation", _("表彰事由不能超过 %(n)s 字。") % {"n": TEXT_MAX})
    if award.cadre_id and day is not None and "cadre" not in errors:
        reasons = award_block_reasons(award.cadre, day)
        if reasons:
            _add(errors, "cadre", _("该干部不能受表彰：%(r)s") % {"r": "；".join(reasons)})
    skip = set(errors) | {"cadre", "unit", "kind", "campaign", "created_by", "revoked_by"}
    try:
        award.full_clean(exclude=list(skip), validate_constraints=False)
    except ValidationError as e:
        for key, messages in e.message_dict.items():
            errors.setdefault(key, []).extend(messages)
    return errors


@transaction.atomic
def award_create(*, by, kind, cadre=None, unit=None, year, awarded_on, issuing_body, document_no="", citation="",
                 campaign=None) -> Award:
    """Record an award (org staff). A cadre award's unit is the cadre's unit on ``awarded_on``; a
    unit award names the unit and no cadre. Refused for a cadre whom ``standing`` blocks from
    awards on that day, with its reasons."""
    gate.require(by, "discipline")
    for obj in (cadre, unit):
        if obj is not None:
            gate.ensure(by, "view", obj)
    award = Award(kind=kind, cadre=cadre, unit=unit, year=year, awarded_on=awarded_on,
                  issuing_body=(issuing_body or "").strip(), document_no=(document_no or "").strip(),
                  citation=(citation or "").strip(), campaign=campaign, created_by=by)
    if kind is not None and kind.target == AwardTarget.CADRE and cadre is not None and awarded_on is not None:
        award.unit = unit_on(cadre, awarded_on)
    _raise(award_problems(award))
    model_save(award, by=by, validate=False)
    log_step(subject=Subject.AWARD, obj=award, action="create", by=by, to_status="active", unit=award.unit,
             reason=award.document_no)
    tell_leaders(unit=award.unit, subject=Subject.AWARD, cadre=award.cadre or award.unit,
                 action_label=_("获得“%(k)s”表彰") % {"k": kind.name}, url=_url("assessment:award_detail", award))
    return award


def _url(name, obj) -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name, args=[obj.pk])
    except NoReverseMatch:
        return ""


def _lock_award(award) -> Award:
    return Award.objects.select_for_update(of=("self",)).select_related("kind", "cadre", "unit").get(pk=award.pk)


@transaction.atomic
def award_revoke(*, by, award: Award, reason, on: dt.date | None = None) -> Award:
    """Revoke an award with a reason (org staff); the award is kept, marked revoked from ``on``."""
    gate.require(by, "discipline")
    gate.ensure(by, "view", award)
    award = _lock_award(award)
    if award.is_revoked:
        raise ValidationError(_("该表彰已于 %(d)s 撤销。") % {"d": award.revoked_on.isoformat()}, code="illegal_transition")
    reason = require_reason(reason)
    if len(reason) > 300:
        raise ValidationError({"reason": _("撤销理由不能超过300字。")})
    on = on or today()
    if on < award.awarded_on:
        raise ValidationError({"revoked_on": _("撤销日期不能早于表彰日期（%(d)s）。") % {"d": award.awarded_on.isoformat()}})
    if on > today():
        raise ValidationError({"revoked_on": _("撤销日期不能晚于今天。")})
    award.revoked_on, award.revoke_reason, award.revoked_by = on, reason, by
    model_save(award, by=by, validate=False)
    log_step(subject=Subject.AWARD, obj=award, action="revoke", by=by, from_status="active", to_status="revoked",
             reason=reason, unit=award.unit)
    tell_leaders(unit=award.unit, subject=Subject.AWARD, cadre=award.cadre or award.unit,
                 action_label=_("“%(k)s”表彰被撤销") % {"k": award.kind.name}, reason=reason,
                 url=_url("assessment:award_detail", award))
    return award


# --------------------------------------------------------------------------- evidence
def award_evidence_prepare(*, by, award: Award, upload) -> AwardEvidence:
    """Check an upload as the archive does (type from the content: PDF, JPEG, PNG, Word, Excel;
    at most 20 MB; a safe name) and store its file; returns the unsaved ``AwardEvidence``."""
    evidence = AwardEvidence(award=award, uploaded_by=by, **evidence_file(upload))
    evidence.file.save(f"awards/{award.pk}/{evidence.original_name}", upload, save=False)
    return evidence


@transaction.atomic
def award_evidence_add(*, by, award: Award, upload) -> AwardEvidence:
    gate.require(by, "discipline")
    gate.ensure(by, "view", award)
    award = _lock_award(award)
    if award.is_revoked:
        raise ValidationError(_("该表彰已撤销，不能%(a)s。") % {"a": AWARD_ACTIONS["upload"]}, code="illegal_transition")
    evidence = award_evidence_prepare(by=by, award=award, upload=upload)
    storage, path = evidence.file.storage, evidence.file.name
    try:
        return model_save(evidence, by=by, validate=False)
    except BaseException:
        storage.delete(path)
        raise


@transaction.atomic
def award_evidence_delete(*, by, evidence: AwardEvidence) -> None:
    gate.require(by, "discipline")
    gate.ensure(by, "view", evidence)
    award = _lock_award(evidence.award)
    if award.is_revoked:
        raise ValidationError(_("该表彰已撤销，不能%(a)s。") % {"a": AWARD_ACTIONS["delete_evidence"]},
                              code="illegal_transition")
    storage, path = evidence.file.storage, evidence.file.name
    model_delete(evidence, by=by)
    transaction.on_commit(lambda: storage.delete(path))


# =========================================================================== campaigns
# action: (states it may start from, state it leads to, gate action, condition or None)
CAMPAIGN_TRANSITIONS = {
    "open": ({CS.DRAFT}, CS.NOMINATING, "discipline", None),
    "close": ({CS.NOMINATING}, CS.REVIEWING, "discipline", None),
    "notice": ({CS.REVIEWING}, CS.NOTICE, "discipline", None),
    "decide": ({CS.NOTICE}, CS.DECIDED, "discipline", None),
    "cancel": ({CS.DRAFT, CS.NOMINATING, CS.REVIEWING, CS.NOTICE}, CS.CANCELLED, "discipline", None),
}
CAMPAIGN_STEPS = {  # actions that keep the status
    "edit": ({CS.DRAFT, CS.NOMINATING, CS.REVIEWING, CS.NOTICE}, None, "discipline", None),
    "quotas": ({CS.DRAFT, CS.NOMINATING}, None, "discipline", None),
}
CAMPAIGN_LABELS = {
    "open": gettext_lazy("开始推荐"), "close": gettext_lazy("结束推荐、进入审核"), "notice": gettext_lazy("公示"),
    "decide": gettext_lazy("作出表彰决定"), "cancel": gettext_lazy("取消评选活动"), "edit": gettext_lazy("修改"),
    "quotas": gettext_lazy("设置推荐名额"), "nominate": gettext_lazy("推荐"),
}


def campaign_allowed_actions(campaign: Campaign, user) -> frozenset[str]:
    """The campaign's buttons (and the API's ``allowed_actions``): the transitions and steps of the
    tables, plus ``nominate`` while nominating for users who may nominate somewhere."""
    out = set(allowed(campaign, user, CAMPAIGN_TRANSITIONS | CAMPAIGN_STEPS))
    if campaign.status == CS.NOMINATING and gate.allows(user, "change", Nomination):
        out.add("nominate")
    return frozenset(out)


CAMPAIGN_FIELDS = {"kind", "year", "name", "nomination_deadline", "notice_start", "notice_end", "issuing_body",
                   "document_no", "note"}


def _lock_campaign(campaign) -> Campaign:
    return Campaign.objects.select_for_update(of=("self",)).select_related("kind").get(pk=campaign.pk)


@transaction.atomic
def campaign_save(*, by, campaign: Campaign | None = None, **data) -> Campaign:
    """Create (``campaign`` None, in 筹备中) or edit a campaign (org staff). Its kind and year change
    only while it is 筹备中; a decided or cancelled campaign is not edited."""
    gate.require(by, "discipline")
    if campaign is not None:
        campaign = _lock_campaign(campaign)
        if campaign.status not in CAMPAIGN_STEPS["edit"][0]:
            refuse(campaign, CAMPAIGN_LABELS["edit"])
        if campaign.status != CS.DRAFT:
            if "kind" in data and getattr(data["kind"], "pk", None) != campaign.kind_id:
                raise ValidationError({"kind": _("推荐开始后不能更改表彰类别和年度。")})
            if "year" in data and data["year"] != campaign.year:
                raise ValidationError({"year": _("推荐开始后不能更改表彰类别和年度。")})
    else:
        data.setdefault("name", "")
    campaign = assign(campaign or Campaign(created_by=by), data, CAMPAIGN_FIELDS)
    for key in ("name", "issuing_body", "document_no", "note"):
        setattr(campaign, key, (getattr(campaign, key) or "").strip())
    errors: dict = {}
    if campaign.kind_id and not campaign.kind.is_active and campaign.status == CS.DRAFT:
        _add(errors, "kind", _("表彰类别“%(k)s”已停用。") % {"k": campaign.kind.name})
    if campaign.year is not None and not (2000 <= campaign.year <= today().year + 1):
        _add(errors, "year", _("年度须在 2000 至 %(y)s 之间。") % {"y": today().year + 1})
    if campaign.notice_start and campaign.notice_end and campaign.notice_end < campaign.notice_start:
        _add(errors, "notice_end", _("公示结束日期不能早于公示开始日期。"))
    if bool(campaign.notice_start) != bool(campaign.notice_end):
        _add(errors, "notice_end" if campaign.notice_start else "notice_start",
             _("公示开始日期和结束日期须同时填写。"))
    try:
        campaign.full_clean(exclude=list(errors) + ["created_by"], validate_constraints=False)
    except ValidationError as e:
        for key, messages in e.message_dict.items():
            errors.setdefault(key, []).extend(messages)
    _raise(errors)
    created = campaign.pk is None
    model_save(campaign, by=by, validate=False)
    if created:
        log_step(subject=Subject.CAMPAIGN, obj=campaign, action="create", by=by, to_status=campaign.status)
    return campaign


def _quota_used(campaign) -> dict[int, int]:
    """{quota unit id: nominations holding its quota (every one not withdrawn)}."""
    return dict(campaign.nominations.exclude(status=NS.WITHDRAWN).values("quota_unit")
                .annotate(n=Count("id")).values_list("quota_unit", "n"))


@transaction.atomic
def campaign_set_quotas(*, by, campaign: Campaign, quotas: dict) -> list[CampaignQuota]:
    """Set the nomination quotas ``{unit: n}`` (org staff, while 筹备中 or 推荐中): a number sets or
    changes the unit's quota (0: the unit may nominate nobody), None removes it. A quota never
    drops below the nominations already holding it."""
    gate.require(by, "discipline")
    campaign = _lock_campaign(campaign)
    if campaign.status not in CAMPAIGN_STEPS["quotas"][0]:
        refuse(campaign, CAMPAIGN_LABELS["quotas"])
    existing = {q.unit_id: q for q in CampaignQuota.objects.select_for_update().filter(campaign=campaign)}
    used = _quota_used(campaign)
    errors: dict = {}
    for unit, n in quotas.items():
        key = f"quota_{unit.pk}"
        if n in (None, ""):
            if used.get(unit.pk):
                _add(errors, key, _("“%(u)s”已推荐 %(n)s 名，不能取消其推荐名额。") % {"u": unit.name, "n": used[unit.pk]})
            continue
        try:
            value = int(n)
        except (TypeError, ValueError):
            _add(errors, key, _("“%(u)s”的推荐名额须为整数。") % {"u": unit.name})
            continue
        if value < 0 or value > 999:
            _add(errors, key, _("“%(u)s”的推荐名额须在 0 至 999 之间。") % {"u": unit.name})
        elif value < used.get(unit.pk, 0):
            _add(errors, key, _("“%(u)s”已推荐 %(n)s 名，推荐名额不能少于 %(n)s。") % {"u": unit.name, "n": used[unit.pk]})
    _raise(errors)
    for unit, n in quotas.items():
        quota = existing.get(unit.pk)
        if n in (None, ""):
            if quota is not None:
                model_delete(quota, by=by)
            continue
        if quota is None:
            model_save(CampaignQuota(campaign=campaign, unit=unit, quota=int(n)), by=by, validate=False)
        elif quota.quota != int(n):
            quota.quota = int(n)
            model_save(quota, by=by, validate=False)
    return list(campaign.quotas.select_related("unit"))


def quota_rows(campaign: Campaign, user=None) -> list[dict]:
    """The campaign's quotas with how many nominations hold each and how many are left, in tree
    order (for a unit leader: the quotas of their scope, ``user`` given)."""
    qs = CampaignQuota.objects.filter(campaign=campaign).select_related("unit").order_by("unit__path")
    if user is not None:
        qs = qs.restrict(user)
    used = _quota_used(campaign)
    return [{"quota": q, "unit": q.unit, "n": q.quota, "used": used.get(q.unit_id, 0),
             "left": max(q.quota - used.get(q.unit_id, 0), 0)} for q in qs]


@transaction.atomic
def campaign_advance(*, by, campaign: Campaign, action: str, reason: str = "", notice_start=None,
                     notice_end=None) -> Campaign:
    """open / close / notice / cancel a campaign (org staff); ``decide`` is ``campaign_decide``.
    Opening needs quotas; the notice (公示) needs its start and end dates (given here or saved on
    the campaign) and every nomination reviewed, at least one shortlisted; cancelling needs a reason."""
    if action not in CAMPAIGN_TRANSITIONS or action == "decide":
        raise ValidationError({"action": _("未知的操作“%(a)s”。") % {"a": action}})
    gate.require(by, "discipline")
    campaign = _lock_campaign(campaign)
    old, new = advance(campaign, CAMPAIGN_TRANSITIONS, action, CAMPAIGN_LABELS)
    if action == "open" and not campaign.quotas.exists():
        raise ValidationError({"quotas": _("请先设置各单位的推荐名额。")})
    if action == "notice":
        start, end = notice_start or campaign.notice_start, notice_end or campaign.notice_end
        errors: dict = {}
        if start is None:
            _add(errors, "notice_start", _("请填写公示开始日期。"))
        if end is None:
            _add(errors, "notice_end", _("请填写公示结束日期。"))
        if start and end and end < start:
            _add(errors, "notice_end", _("公示结束日期不能早于公示开始日期。"))
        pending = campaign.nominations.filter(status=NS.NOMINATED).count()
        if pending:
            _add(errors, "__all__", _("尚有 %(n)s 名推荐对象未审核（入围或不入围）。") % {"n": pending})
        if not campaign.nominations.filter(status=NS.SHORTLISTED).exists():
            _add(errors, "__all__", _("还没有入围对象，不能公示。"))
        _raise(errors)
        campaign.notice_start, campaign.notice_end = start, end
    if action == "cancel":
        reason = require_reason(reason)
    model_save(campaign, by=by, validate=False)
    log_step(subject=Subject.CAMPAIGN, obj=campaign, action=action, by=by, from_status=old, to_status=new,
             reason=reason or (f"{campaign.notice_start.isoformat()} — {campaign.notice_end.isoformat()}"
                               if action == "notice" else ""))
    return campaign


def campaign_open(*, by, campaign):
    return campaign_advance(by=by, campaign=campaign, action="open")


def campaign_close(*, by, campaign):
    return campaign_advance(by=by, campaign=campaign, action="close")


def campaign_notice(*, by, campaign, notice_start=None, notice_end=None):
    return campaign_advance(by=by, campaign=campaign, action="notice", notice_start=notice_start,
                            notice_end=notice_end)


def campaign_cancel(*, by, campaign, reason):
    return campaign_advance(by=by, campaign=campaign, action="cancel", reason=reason)


@transaction.atomic
def campaign_decide(*, by, campaign: Campaign, winners, decided_on, document_no="", issuing_body) -> Campaign:
    """Decide a campaign after its notice period (org staff): in one step the ``winners``
    (nomination ids, each shortlisted in this campaign) become awards of the campaign's kind and
    year (``award_create``, so a winner whom ``standing`` now blocks refuses the whole decision)
    and the other shortlisted nominations become 未当选."""
    gate.require(by, "discipline")
    campaign = _lock_campaign(campaign)
    old, new = advance(campaign, CAMPAIGN_TRANSITIONS, "decide", CAMPAIGN_LABELS)
    errors: dict = {}
    if decided_on is None:
        _add(errors, "decided_on", _("请填写决定日期。"))
    elif campaign.notice_end and decided_on <= campaign.notice_end:
        _add(errors, "decided_on", _("公示期至 %(d)s 结束，结束前不能作出决定。") % {"d": campaign.notice_end.isoformat()})
    elif decided_on > today():
        _add(errors, "decided_on", _("决定日期不能晚于今天。"))
    issuing_body = (issuing_body or "").strip()
    if not issuing_body:
        _add(errors, "issuing_body", _("请填写表彰机关。"))
    ids = []
    for raw in winners or ():
        value = getattr(raw, "pk", raw)
        try:
            ids.append(int(value))
        except (TypeError, ValueError):
            _add(errors, "winners", _("“%(v)s”不是有效的推荐对象编号。") % {"v": value})
    ids = list(dict.fromkeys(ids))
    if not ids and "winners" not in errors:
        _add(errors, "winners", _("请选择当选对象。"))
    nominations = {n.pk: n for n in Nomination.objects.select_for_update().filter(campaign=campaign)}
    for pk in ids:
        n = nominations.get(pk)
        if n is None or n.status != NS.SHORTLISTED:
            _add(errors, "winners", _("编号为 %(pk)s 的推荐对象不是本评选活动的入围对象。") % {"pk": pk})
    _raise(errors)
    nomination_list = Nomination.objects.filter(pk__in=ids).select_related("cadre", "unit").order_by("pk")
    problems = []
    for n in nomination_list:
        try:
            with transaction.atomic():
                award = award_create(by=by, kind=campaign.kind, cadre=n.cadre, unit=None if n.cadre_id else n.unit,
                                     year=campaign.year, awarded_on=decided_on, issuing_body=issuing_body,
                                     document_no=document_no, citation=n.deeds, campaign=campaign)
        except ValidationError as e:
            problems.append(_("%(who)s：%(why)s") % {"who": n.cadre or n.unit, "why": "；".join(e.messages)})
            continue
        n.status, n.award = NS.WON, award
        model_save(n, by=by, validate=False)
        log_step(subject=Subject.NOMINATION, obj=n, action="win", by=by, from_status=NS.SHORTLISTED,
                 to_status=NS.WON, unit=n.unit)
    if problems:
        raise ValidationError({"winners": problems})
    for n in Nomination.objects.filter(campaign=campaign, status=NS.SHORTLISTED).exclude(pk__in=ids):
        n.status = NS.NOT_CHOSEN
        model_save(n, by=by, validate=False)
        log_step(subject=Subject.NOMINATION, obj=n, action="not_chosen", by=by, from_status=NS.SHORTLISTED,
                 to_status=NS.NOT_CHOSEN, unit=n.unit)
    campaign.decided_on, campaign.document_no, campaign.issuing_body = decided_on, (document_no or "").strip(), issuing_body
    model_save(campaign, by=by, validate=False)
    log_step(subject=Subject.CAMPAIGN, obj=campaign, action="decide", by=by, from_status=old, to_status=new,
             reason=_("当选 %(n)s 名") % {"n": len(ids)})
    return campaign


# =========================================================================== nominations
def _nominator(n, user) -> bool:
    return n.nominated_by_id == user.pk or gate.can(user, "discipline")


def _while_nominating(n, user) -> bool:
    return n.campaign.status == CS.NOMINATING and _nominator(n, user)


def _while_reviewing(n, user) -> bool:
    return n.campaign.status == CS.REVIEWING


NOMINATION_TRANSITIONS = {
    "withdraw": ({NS.NOMINATED}, NS.WITHDRAWN, "change", _while_nominating),
    "shortlist": ({NS.NOMINATED, NS.REJECTED}, NS.SHORTLISTED, "discipline", _while_reviewing),
    "reject": ({NS.NOMINATED, NS.SHORTLISTED}, NS.REJECTED, "discipline", _while_reviewing),
}
NOMINATION_LABELS = {"withdraw": gettext_lazy("撤回推荐"), "shortlist": gettext_lazy("列入入围"),
                     "reject": gettext_lazy("不予入围"), "nominate": gettext_lazy("推荐")}


def nomination_allowed_actions(nomination: Nomination, user) -> frozenset[str]:
    return allowed(nomination, user, NOMINATION_TRANSITIONS)


def quota_unit_for(campaign: Campaign, unit) -> CampaignQuota | None:
    """The quota a nomination from ``unit`` holds: that of the nearest unit, ``unit`` itself or
    above it, with a quota in the campaign."""
    prefixes = [unit.path[:i] for i in range(4, len(unit.path) + 1, 4)] or [unit.path]
    return (CampaignQuota.objects.filter(campaign=campaign, unit__path__in=prefixes).select_related("unit")
            .order_by("-unit__depth", "-unit__path").first())


def _check_records(errors, records, *, cadre=None, unit=None) -> list[PerformanceRecord]:
    out = []
    for r in records or ():
        if not isinstance(r, PerformanceRecord):
            r = PerformanceRecord.objects.filter(pk=getattr(r, "pk", r)).select_related("unit").first()
            if r is None:
                _add(errors, "records", _("关联的实绩记录不存在。"))
                continue
        if cadre is not None and r.cadre_id != cadre.pk:
            _add(errors, "records", _("实绩记录“%(t)s”不是该干部的记录。") % {"t": r.title})
        elif unit is not None and not r.unit.path.startswith(unit.path):
            _add(errors, "records", _("实绩记录“%(t)s”不是该单位的记录。") % {"t": r.title})
        elif r.status != RecordStatus.VERIFIED or r.superseded_by_id is not None:
            _add(errors, "records", _("实绩记录“%(t)s”尚未核实或已被更正，只能关联已核实的现行记录。") % {"t": r.title})
        else:
            out.append(r)
    return list({r.pk: r for r in out}.values())


@transaction.atomic
def nomination_create(*, by, campaign: Campaign, cadre=None, unit=None, deeds, records=()) -> Nomination:
    """Nominate a cadre (or, for a unit award, a unit) of one's scope in a campaign that is 推荐中,
    with the deeds and verified archive records of the cadre. The nomination holds the quota of the
    nearest unit (the nominee's unit or above) with one; refused over that quota, without one, for a
    nominee out of scope, and for a cadre whom ``standing`` blocks from awards (the reasons given).
    A withdrawn nomination of the same nominee is taken up again."""
    gate.require(by, "change")
    campaign = _lock_campaign(campaign)
    if campaign.status != CS.NOMINATING:
        raise ValidationError(_("评选活动当前状态为“%(s)s”，不能推荐。") % {"s": campaign.get_status_display()},
                              code="illegal_transition")
    errors: dict = {}
    if campaign.nomination_deadline and today() > campaign.nomination_deadline:
        _add(errors, "campaign", _("推荐截止日期（%(d)s）已过。") % {"d": campaign.nomination_deadline.isoformat()})
    for_cadre = campaign.kind.target == AwardTarget.CADRE
    field = "cadre" if for_cadre else "unit"
    if for_cadre:
        if cadre is None:
            _add(errors, "cadre", _("请选择被推荐干部。"))
        else:
            if unit is not None and unit.pk != cadre.unit_id:
                _add(errors, "unit", _("干部表彰的推荐单位为干部所在单位，无需另选。"))
            unit = cadre.unit
            if cadre.status != CadreStatus.ACTIVE:
                _add(errors, "cadre", _("干部“%(c)s”当前状态为“%(s)s”，不能被推荐。") % {
                    "c": cadre.name, "s": cadre.get_status_display()})
    else:
        if cadre is not None:
            _add(errors, "cadre", _("“%(k)s”是单位表彰，请推荐单位而不是干部。") % {"k": campaign.kind.name})
        if unit is None:
            _add(errors, "unit", _("请选择被推荐单位。"))
    if unit is not None and field not in errors and not gate.allows(by, "change", Nomination(unit=unit)):
        who = cadre.name if for_cadre and cadre is not None else unit.name
        _add(errors, field, _("“%(w)s”不在您的管理范围内，不能推荐。") % {"w": who})
    deeds = (deeds or "").strip()
    if not deeds:
        _add(errors, "deeds", _("请填写主要事迹。"))
    elif len(deeds) > TEXT_MAX:
        _add(errors, "deeds", _("主要事迹不能超过 %(n)s 字。") % {"n": TEXT_MAX})
    _raise(errors)
    existing = (Nomination.objects.select_for_update()
                .filter(campaign=campaign, **({"cadre": cadre} if for_cadre else {"unit": unit, "cadre__isnull": True}))
                .first())
    if existing is not None and existing.status != NS.WITHDRAWN:
        _add(errors, field, _("该干部已被推荐参加本评选活动。") if for_cadre else _("该单位已被推荐参加本评选活动。"))
        _raise(errors)
    quota = quota_unit_for(campaign, unit)
    if quota is None:
        _add(errors, field, _("“%(u)s”在本评选活动中没有推荐名额。") % {"u": unit.name})
    else:
        CampaignQuota.objects.select_for_update().filter(pk=quota.pk).first()
        used = campaign.nominations.filter(quota_unit=quota.unit).exclude(status=NS.WITHDRAWN).count()
        if used >= quota.quota:
            if quota.unit_id == unit.pk:
                message = _("本单位推荐名额为 %(q)s 名，已推荐 %(n)s 名。") % {"q": quota.quota, "n": used}
            else:
                message = _("“%(u)s”推荐名额为 %(q)s 名，已推荐 %(n)s 名。") % {"u": quota.unit.name, "q": quota.quota,
                                                                         "n": used}
            _add(errors, field, message)
    linked = _check_records(errors, records, cadre=cadre if for_cadre else None, unit=None if for_cadre else unit)
    if for_cadre and field not in errors:
        reasons = award_block_reasons(cadre, today())
        if reasons:
            _add(errors, "cadre", _("该干部不能被推荐：%(r)s") % {"r": "；".join(reasons)})
    _raise(errors)
    nomination = existing or Nomination(campaign=campaign)
    old = nomination.status if existing else ""
    nomination.cadre = cadre if for_cadre else None
    nomination.unit, nomination.quota_unit = unit, quota.unit
    nomination.deeds, nomination.status, nomination.review_reason = deeds, NS.NOMINATED, ""
    nomination.nominated_by = by
    model_save(nomination, by=by, validate=False)
    nomination.records.set(linked)
    log_step(subject=Subject.NOMINATION, obj=nomination, action="nominate", by=by, from_status=old,
             to_status=NS.NOMINATED, unit=unit)
    return nomination


def _lock_nomination(nomination) -> Nomination:
    n = Nomination.objects.select_for_update().get(pk=nomination.pk)
    n.campaign = Campaign.objects.select_related("kind").get(pk=n.campaign_id)
    return n


@transaction.atomic
def nomination_withdraw(*, by, nomination: Nomination, reason: str = "") -> Nomination:
    """The nominator (or org staff) withdraws a nomination while the campaign is 推荐中; its quota
    is freed."""
    gate.ensure(by, "change", nomination)
    nomination = _lock_nomination(nomination)
    old, new = advance(nomination, NOMINATION_TRANSITIONS, "withdraw", NOMINATION_LABELS)
    if nomination.campaign.status != CS.NOMINATING:
        raise ValidationError(_("评选活动当前状态为“%(s)s”，不能%(a)s。") % {
            "s": nomination.campaign.get_status_display(), "a": NOMINATION_LABELS["withdraw"]},
            code="illegal_transition")
    if not _nominator(nomination, by):
        raise PermissionDenied(_("只有推荐人可以撤回推荐。"))
    model_save(nomination, by=by, validate=False)
    log_step(subject=Subject.NOMINATION, obj=nomination, action="withdraw", by=by, from_status=old, to_status=new,
             reason=(reason or "").strip(), unit=nomination.unit)
    return nomination


def _review(*, by, nomination, action, reason=""):
    gate.require(by, "discipline")
    gate.ensure(by, "view", nomination)
    nomination = _lock_nomination(nomination)
    old, new = advance(nomination, NOMINATION_TRANSITIONS, action, NOMINATION_LABELS)
    if nomination.campaign.status != CS.REVIEWING:
        raise ValidationError(_("评选活动当前状态为“%(s)s”，不能%(a)s。") % {
            "s": nomination.campaign.get_status_display(), "a": NOMINATION_LABELS[action]},
            code="illegal_transition")
    if action == "reject":
        reason = require_reason(reason)
        if len(reason) > 300:
            raise ValidationError({"reason": _("审核意见不能超过300字。")})
    nomination.review_reason = (reason or "").strip()[:300]
    model_save(nomination, by=by, validate=False)
    log_step(subject=Subject.NOMINATION, obj=nomination, action=action, by=by, from_status=old, to_status=new,
             reason=nomination.review_reason, unit=nomination.unit)
    tell_leaders(unit=nomination.unit, subject=Subject.NOMINATION, cadre=nomination.cadre or nomination.unit,
                 action_label=NOMINATION_LABELS[action], reason=nomination.review_reason,
                 url=_url("assessment:nomination_detail", nomination))
    return nomination


@transaction.atomic
def nomination_shortlist(*, by, nomination: Nomination, reason: str = "") -> Nomination:
    """Org staff list a nomination for the notice (while the campaign is 审核中)."""
    return _review(by=by, nomination=nomination, action="shortlist", reason=reason)


@transaction.atomic
def nomination_reject(*, by, nomination: Nomination, reason) -> Nomination:
    """Org staff leave a nomination out, with a reason (while the campaign is 审核中)."""
    return _review(by=by, nomination=nomination, action="reject", reason=reason)


# =========================================================================== reading
def awards_of_cadre(*, user, cadre) -> list[Award]:
    return list(Award.objects.restrict(user).filter(cadre=cadre).select_related("kind", "unit", "campaign")
                .order_by("-awarded_on", "-id"))


def awards_of_unit(*, user, unit) -> list[Award]:
    """The unit's own awards (unit awards given to it)."""
    return list(Award.objects.restrict(user).filter(unit=unit, cadre__isnull=True)
                .select_related("kind", "campaign").order_by("-awarded_on", "-id"))


def nominable_cadres(*, user):
    """Cadres ``user`` may nominate: active, in units where they may change nominations."""
    s = gate.scope(user, "change", Nomination)
    qs = Cadre.objects.filter(status=CadreStatus.ACTIVE)
    if s.empty:
        return qs.none()
    if not s.everything:
        q = Q()
        for p in s.unit_paths:
            q |= Q(unit__path__startswith=p)
        qs = qs.filter(q)
    return qs


def nominable_units(*, user):
    """Units ``user`` may nominate for a unit award (active units of their scope)."""
    return gate.units_for(user, "change", Nomination).filter(is_active=True)
