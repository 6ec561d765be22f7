"""Pages of awards and selection campaigns (评选表彰): the award kinds list and form, the award
list (filters, sort, export), award detail (citation, evidence, revoke, steps and history) and
form; campaigns (list, detail with quotas, nominations, notice and decision; create / edit;
quotas), nominations (form, detail, withdraw / shortlist / reject); the cadre page's 表彰 tab and
the unit page's awards panel.

Views parse input, call one service of ``assessment/services/awards.py`` and render; which buttons
show comes from the services' tables (``*_allowed_actions``); refusals come back as messages or
next to the fields."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.clickjacking import xframe_options_sameorigin

from cadres.forms_records import EvidenceUploadForm
from cadres.models import Unit
from pingdingshan.core import permissions as gate
from pingdingshan.core.exports import Column
from pingdingshan.core.files import serve_file
from pingdingshan.core.pages import ListPage, requires

from ..filters_awards import AwardFilter, CampaignFilter
from ..forms_awards import (
    AwardForm,
    AwardKindForm,
    CampaignForm,
    DecideForm,
    NominationForm,
    NoticeForm,
    QuotasForm,
    ReasonForm,
    RevokeForm,
)
from ..models import Award, AwardEvidence, AwardKind, Campaign, CampaignStatus, Nomination, NominationStatus, Subject
from ..services import awards as svc
from ..services.conduct import steps_of

CAMPAIGN_BADGES = {"draft": "secondary", "nominating": "primary", "reviewing": "info", "notice": "warning",
                   "decided": "success", "cancelled": "dark"}
NOMINATION_BADGES = {"nominated": "primary", "withdrawn": "secondary", "shortlisted": "info", "rejected": "danger",
                     "won": "success", "not_chosen": "secondary"}
AWARD_COLUMNS = [
    (gettext_lazy("表彰类别"), "kind"),
    (gettext_lazy("受表彰对象"), "cadre"),
    (gettext_lazy("单位"), "unit"),
    (gettext_lazy("年度"), "year"),
    (gettext_lazy("表彰日期"), "date"),
    (gettext_lazy("表彰机关"), None),
    (gettext_lazy("文号"), None),
    (gettext_lazy("状态"), None),
]
CAMPAIGN_COLUMNS = [
    (gettext_lazy("名称"), "name"),
    (gettext_lazy("表彰类别"), None),
    (gettext_lazy("年度"), "year"),
    (gettext_lazy("状态"), "status"),
    (gettext_lazy("推荐截止"), None),
    (gettext_lazy("公示期"), None),
    (gettext_lazy("推荐对象"), None),
]


STEP_LABELS = {
    "create": gettext_lazy("登记"), "revoke": gettext_lazy("撤销表彰"), "nominate": gettext_lazy("推荐"),
    "withdraw": gettext_lazy("撤回推荐"), "shortlist": gettext_lazy("列入入围"), "reject": gettext_lazy("不予入围"),
    "win": gettext_lazy("当选"), "not_chosen": gettext_lazy("未当选"), "open": gettext_lazy("开始推荐"),
    "close": gettext_lazy("结束推荐、进入审核"), "notice": gettext_lazy("公示"), "decide": gettext_lazy("作出表彰决定"),
    "cancel": gettext_lazy("取消评选活动"),
}


def _steps(subject, obj):
    steps = steps_of(subject, obj)
    for s in steps:
        s.label = STEP_LABELS.get(s.action, s.action)
    return steps


def _errors(e) -> str:
    return " ".join(getattr(e, "messages", None) or [str(e)])


def _apply(form, e: ValidationError, field_map=None):
    if hasattr(e, "error_dict"):
        form.add_service_errors(e, field_map)
    else:
        form.add_error(None, e.messages)


# =========================================================================== award kinds
@requires("view")
def award_kind_list(request):
    kinds = list(AwardKind.objects.restrict(request.user).order_by("order", "id"))
    return render(request, "assessment/awards/kind_list.html", {
        "kinds": kinds, "can_edit": gate.can(request.user, "discipline")})


@requires("discipline")
def award_kind_create(request):
    return _kind_form(request, None)


@requires("discipline")
def award_kind_edit(request, pk):
    return _kind_form(request, gate.get_or_404(AwardKind, request.user, pk=pk))


def _kind_form(request, kind):
    form = AwardKindForm(request.POST or None, instance=kind, initial=None if kind else {"is_active": True})
    if request.method == "POST" and form.is_valid():
        try:
            kind = svc.award_kind_save(by=request.user, kind=kind, **form.cleaned_data)
        except ValidationError as e:
            _apply(form, e)
        else:
            messages.success(request, _("已保存表彰类别“%(k)s”。") % {"k": kind.name})
            return redirect("assessment:award_kind_list")
    return render(request, "assessment/awards/kind_form.html", {"form": form, "object": kind})


# =========================================================================== awards
def _award_qs(user):
    return Award.objects.restrict(user).select_related("kind", "cadre", "unit", "campaign")


def award_page(request) -> ListPage:
    return ListPage(request, AwardFilter, _award_qs(request.user), columns=AWARD_COLUMNS,
                    skip=("ordering", "cadre"), placeholders={"q": _("姓名、拼音首字母、身份证号或文号")})


@requires("view")
def award_list(request):
    lp = award_page(request)
    page = lp.paginate()
    return render(request, "assessment/awards/award_list.html", lp.context(
        page, awards=page.object_list, can_create=gate.can(request.user, "discipline")))


def award_export_columns():
    return [
        Column(_("编号"), lambda a: a.pk, 8),
        Column(_("表彰类别"), lambda a: a.kind.name, 20),
        Column(_("级别"), lambda a: a.kind.get_level_display(), 8),
        Column(_("受表彰干部"), lambda a: a.cadre.name if a.cadre_id else "", 10),
        Column(_("身份证号码"), lambda a: a.cadre.id_number if a.cadre_id else "", 20),
        Column(_("单位"), lambda a: a.unit.name, 24),
        Column(_("年度"), lambda a: a.year, 8),
        Column(_("表彰日期"), lambda a: a.awarded_on, 12),
        Column(_("表彰机关"), lambda a: a.issuing_body, 20),
        Column(_("文号"), lambda a: a.document_no, 18),
        Column(_("表彰事由"), lambda a: a.citation, 40),
        Column(_("评选活动"), lambda a: a.campaign.name if a.campaign_id else "", 24),
        Column(_("撤销日期"), lambda a: a.revoked_on, 12),
        Column(_("撤销理由"), lambda a: a.revoke_reason, 24),
    ]


@requires("export")
def award_export(request):
    return award_page(request).export(columns=award_export_columns(), what="表彰", filename=_("表彰"),
                                      list_url=reverse("assessment:award_list"))


def _award(request, pk):
    return gate.get_or_404(_award_qs(request.user), request.user, pk=pk)


def _award_detail(request, award, *, revoke_form=None, upload_form=None, status=200):
    actions = svc.award_allowed_actions(award, request.user)
    return render(request, "assessment/awards/award_detail.html", {
        "award": award,
        "evidence_list": list(award.evidence.select_related("uploaded_by")),
        "actions": actions,
        "revoke_form": revoke_form or RevokeForm(),
        "upload_form": upload_form or EvidenceUploadForm(),
        "steps": _steps(Subject.AWARD, award),
        "nomination": Nomination.objects.filter(award=award).first(),
    }, status=status)


@requires("view")
def award_detail(request, pk):
    return _award_detail(request, _award(request, pk))


@requires("discipline")
def award_create(request):
    initial = {}
    if cadre_id := request.GET.get("cadre"):
        initial["cadre"] = cadre_id
    form = AwardForm(request.POST or None, user=request.user, initial=initial,
                     search_url=reverse("cadres:record_cadre_search"))
    if request.method == "POST" and form.is_valid():
        try:
            award = svc.award_create(by=request.user, **form.service_data())
        except ValidationError as e:
            _apply(form, e)
        except PermissionDenied as e:
            form.add_error(None, _errors(e))
        else:
            messages.success(request, _("已登记表彰“%(a)s”。") % {"a": award})
            return redirect("assessment:award_detail", pk=award.pk)
    return render(request, "assessment/awards/award_form.html", {"form": form})


@requires("discipline", post_only=True)
def award_revoke(request, pk):
    award = _award(request, pk)
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            svc.award_revoke(by=request.user, award=award, reason=form.cleaned_data["reason"],
                             on=form.cleaned_data["revoked_on"])
        except ValidationError as e:
            if not hasattr(e, "error_dict"):
                messages.error(request, _errors(e))
                return redirect("assessment:award_detail", pk=award.pk)
            _apply(form, e)
        else:
            messages.success(request, _("已撤销该表彰（记录保留）。"))
            return redirect("assessment:award_detail", pk=award.pk)
    return _award_detail(request, award, revoke_form=form, status=200)


@requires("discipline", post_only=True)
def award_evidence_upload(request, pk):
    award = _award(request, pk)
    form = EvidenceUploadForm(request.POST, request.FILES)
    if form.is_valid():
        done = 0
        try:
            for upload in form.cleaned_data["files"]:
                svc.award_evidence_add(by=request.user, award=award, upload=upload)
                done += 1
        except ValidationError as e:
            if not hasattr(e, "error_dict"):
                messages.error(request, _errors(e))
                return redirect("assessment:award_detail", pk=award.pk)
            form.apply_errors(e)
        else:
            messages.success(request, _("已上传 %(n)s 个文件。") % {"n": done})
            return redirect("assessment:award_detail", pk=award.pk)
    return _award_detail(request, award, upload_form=form)


def _evidence(request, pk):
    return gate.get_or_404(AwardEvidence.objects.select_related("award"), request.user, pk=pk)


@requires("discipline", post_only=True)
def award_evidence_delete(request, pk):
    evidence = _evidence(request, pk)
    try:
        svc.award_evidence_delete(by=request.user, evidence=evidence)
    except ValidationError as e:
        messages.error(request, _errors(e))
    else:
        messages.success(request, _("已删除文件“%(n)s”。") % {"n": evidence.original_name})
    return redirect("assessment:award_detail", pk=evidence.award_id)


@requires("view")
def award_evidence_download(request, pk):
    ev = _evidence(request, pk)
    return serve_file(ev.file, filename=ev.original_name, content_type=ev.content_type, attachment=True)


@requires("view")
@xframe_options_sameorigin
def award_evidence_preview(request, pk):
    ev = _evidence(request, pk)
    if not ev.previewable:
        raise Http404(_("该文件不能在线预览，请下载查看。"))
    return serve_file(ev.file, filename=ev.original_name, content_type=ev.content_type, attachment=False)


# --------------------------------------------------------------------------- the cadre's tab, the unit's panel
def cadre_awards_context(user, cadre) -> dict:
    return {"cadre_awards": svc.awards_of_cadre(user=user, cadre=cadre),
            "can_add_award": gate.can(user, "discipline")}


def unit_awards_context(user, unit) -> dict:
    return {"unit_awards": svc.awards_of_unit(user=user, unit=unit)}


# =========================================================================== campaigns
def campaign_page(request) -> ListPage:
    from django.db.models import Count, Q

    qs = (Campaign.objects.restrict(request.user).select_related("kind")
          .annotate(nomination_count=Count("nominations", filter=~Q(nominations__status="withdrawn"))))
    return ListPage(request, CampaignFilter, qs, columns=CAMPAIGN_COLUMNS, placeholders={"q": _("名称")})


@requires("view")
def campaign_list(request):
    lp = campaign_page(request)
    page = lp.paginate()
    return render(request, "assessment/awards/campaign_list.html", lp.context(
        page, campaigns=page.object_list, badges=CAMPAIGN_BADGES, can_create=gate.can(request.user, "discipline")))


def _campaign(request, pk):
    return gate.get_or_404(Campaign.objects.select_related("kind"), request.user, pk=pk)


def _campaign_detail(request, campaign, *, notice_form=None, decide_form=None, cancel_form=None, status=200):
    user = request.user
    actions = svc.campaign_allowed_actions(campaign, user)
    nominations = list(Nomination.objects.restrict(user).filter(campaign=campaign)
                       .select_related("cadre", "unit", "quota_unit", "award", "nominated_by")
                       .order_by("quota_unit__path", "nominated_at", "id"))
    for n in nominations:
        n.campaign = campaign  # (the table's conditions read it: no query per row)
        n.actions = svc.nomination_allowed_actions(n, user)
    return render(request, "assessment/awards/campaign_detail.html", {
        "campaign": campaign,
        "badges": CAMPAIGN_BADGES, "nomination_badges": NOMINATION_BADGES,
        "actions": actions,
        "quotas": svc.quota_rows(campaign, None if gate.city_wide(user, "view", Nomination) else user),
        "nominations": nominations,
        "notice_form": notice_form or NoticeForm(initial={"notice_start": campaign.notice_start,
                                                          "notice_end": campaign.notice_end}),
        "decide_form": decide_form or (DecideForm(campaign=campaign) if "decide" in actions else None),
        "cancel_form": cancel_form or ReasonForm(),
        "steps": _steps(Subject.CAMPAIGN, campaign),
        "labels": svc.CAMPAIGN_LABELS,
    }, status=status)


@requires("view")
def campaign_detail(request, pk):
    return _campaign_detail(request, _campaign(request, pk))


@requires("discipline")
def campaign_create(request):
    form = CampaignForm(request.POST or None, initial={"year": request.GET.get("year")})
    if request.method == "POST" and form.is_valid():
        try:
            campaign = svc.campaign_save(by=request.user, **form.service_data())
        except ValidationError as e:
            _apply(form, e)
        else:
            messages.success(request, _("已新建评选活动“%(c)s”，请设置各单位的推荐名额。") % {"c": campaign})
            return redirect("assessment:campaign_quotas", pk=campaign.pk)
    return render(request, "assessment/awards/campaign_form.html", {"form": form, "campaign": None})


@requires("discipline")
def campaign_edit(request, pk):
    campaign = _campaign(request, pk)
    if "edit" not in svc.campaign_allowed_actions(campaign, request.user):
        messages.error(request, _("评选活动当前状态为“%(s)s”，不能修改。") % {"s": campaign.get_status_display()})
        return redirect("assessment:campaign_detail", pk=campaign.pk)
    form = CampaignForm(request.POST or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            svc.campaign_save(by=request.user, campaign=campaign, **form.service_data())
        except ValidationError as e:
            _apply(form, e)
        else:
            messages.success(request, _("已保存评选活动“%(c)s”。") % {"c": campaign})
            return redirect("assessment:campaign_detail", pk=campaign.pk)
    return render(request, "assessment/awards/campaign_form.html", {"form": form, "campaign": campaign})


def quota_units(campaign):
    """The units a quota form offers: the units below the city (counties, departments), plus any
    unit that already has a quota."""
    shown = set(campaign.quotas.values_list("unit_id", flat=True))
    return Unit.objects.filter(depth__lte=2, is_active=True) | Unit.objects.filter(pk__in=shown)


@requires("discipline")
def campaign_quotas(request, pk):
    campaign = _campaign(request, pk)
    current = dict(campaign.quotas.values_list("unit_id", "quota"))
    units = quota_units(campaign).order_by("path")
    form = QuotasForm(request.POST or None, units=units, current=current)
    used = {r["unit"].pk: r["used"] for r in svc.quota_rows(campaign)}
    if request.method == "POST" and form.is_valid():
        try:
            svc.campaign_set_quotas(by=request.user, campaign=campaign, quotas=form.quotas())
        except ValidationError as e:
            if hasattr(e, "error_dict"):
                for key, msgs in e.message_dict.items():
                    form.add_error(key if key in form.fields else None, msgs)
            else:
                form.add_error(None, e.messages)
        else:
            messages.success(request, _("已保存推荐名额。"))
            return redirect("assessment:campaign_detail", pk=campaign.pk)
    return render(request, "assessment/awards/campaign_quotas.html", {
        "campaign": campaign, "form": form, "used": used})


def _campaign_step(request, pk, action):
    campaign = _campaign(request, pk)
    notice_form = cancel_form = None
    kwargs = {}
    if action == "notice":
        notice_form = NoticeForm(request.POST)
        notice_form.is_valid()
        kwargs = {"notice_start": notice_form.cleaned_data.get("notice_start"),
                  "notice_end": notice_form.cleaned_data.get("notice_end")}
    if action == "cancel":
        cancel_form = ReasonForm(request.POST)
        cancel_form.is_valid()
        kwargs = {"reason": cancel_form.cleaned_data.get("reason", "")}
    try:
        svc.campaign_advance(by=request.user, campaign=campaign, action=action, **kwargs)
    except ValidationError as e:
        form = notice_form or cancel_form
        if form is not None and hasattr(e, "error_dict") and set(e.message_dict) & set(form.fields):
            _apply(form, e)
            return _campaign_detail(request, campaign, notice_form=notice_form, cancel_form=cancel_form)
        messages.error(request, _errors(e))
    else:
        messages.success(request, _("已%(a)s。") % {"a": svc.CAMPAIGN_LABELS[action]})
    return redirect("assessment:campaign_detail", pk=campaign.pk)


@requires("discipline", post_only=True)
def campaign_open(request, pk):
    return _campaign_step(request, pk, "open")


@requires("discipline", post_only=True)
def campaign_close(request, pk):
    return _campaign_step(request, pk, "close")


@requires("discipline", post_only=True)
def campaign_notice(request, pk):
    return _campaign_step(request, pk, "notice")


@requires("discipline", post_only=True)
def campaign_cancel(request, pk):
    return _campaign_step(request, pk, "cancel")


@requires("discipline", post_only=True)
def campaign_decide(request, pk):
    campaign = _campaign(request, pk)
    form = DecideForm(request.POST, campaign=campaign)
    if form.is_valid():
        try:
            svc.campaign_decide(by=request.user, campaign=campaign, winners=[n.pk for n in form.cleaned_data["winners"]],
                                decided_on=form.cleaned_data["decided_on"],
                                document_no=form.cleaned_data["document_no"],
                                issuing_body=form.cleaned_data["issuing_body"])
        except ValidationError as e:
            if not hasattr(e, "error_dict"):
                messages.error(request, _errors(e))
                return redirect("assessment:campaign_detail", pk=campaign.pk)
            _apply(form, e)
        else:
            messages.success(request, _("已作出表彰决定，当选对象已登记为表彰。"))
            return redirect("assessment:campaign_detail", pk=campaign.pk)
    return _campaign_detail(request, campaign, decide_form=form)


# =========================================================================== nominations
@requires("change")
def nomination_create(request, pk):
    campaign = _campaign(request, pk)
    if "nominate" not in svc.campaign_allowed_actions(campaign, request.user):
        if not gate.allows(request.user, "change", Nomination):
            raise PermissionDenied(_("您没有执行此操作的权限。"))
        messages.error(request, _("评选活动当前状态为“%(s)s”，不能推荐。") % {"s": campaign.get_status_display()})
        return redirect("assessment:campaign_detail", pk=campaign.pk)
    initial = {"cadre": request.GET.get("cadre")} if request.GET.get("cadre") else {}
    form = NominationForm(request.POST or None, user=request.user, campaign=campaign, initial=initial,
                          cadres=svc.nominable_cadres(user=request.user), units=svc.nominable_units(user=request.user),
                          search_url=reverse("cadres:record_cadre_search"))
    if request.method == "POST" and form.is_valid():
        try:
            n = svc.nomination_create(by=request.user, campaign=campaign, **form.service_data())
        except ValidationError as e:
            _apply(form, e, {"campaign": "__all__"})
        except PermissionDenied as e:
            form.add_error(None, _errors(e))
        else:
            messages.success(request, _("已推荐“%(n)s”。") % {"n": n.cadre or n.unit})
            return redirect("assessment:nomination_detail", pk=n.pk)
    return render(request, "assessment/awards/nomination_form.html", {
        "form": form, "campaign": campaign,
        "quotas": svc.quota_rows(campaign, None if gate.city_wide(request.user, "view", Nomination) else request.user)})


def _nomination(request, pk):
    return gate.get_or_404(Nomination.objects.select_related("campaign__kind", "cadre", "unit", "quota_unit", "award",
                                                             "nominated_by"), request.user, pk=pk)


@requires("view")
def nomination_detail(request, pk):
    n = _nomination(request, pk)
    return render(request, "assessment/awards/nomination_detail.html", {
        "n": n, "actions": svc.nomination_allowed_actions(n, request.user), "badges": NOMINATION_BADGES,
        "records": list(n.records.restrict(request.user).select_related("category")),
        "reason_form": ReasonForm(), "steps": _steps(Subject.NOMINATION, n), "labels": svc.NOMINATION_LABELS})


def _nomination_step(request, pk, call, done):
    n = _nomination(request, pk)
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        call(n, form.cleaned_data.get("reason", ""))
    except (ValidationError, PermissionDenied) as e:
        messages.error(request, _errors(e))
    else:
        messages.success(request, done)
    return redirect(request.POST.get("next") == "campaign" and reverse("assessment:campaign_detail",
                                                                       args=[n.campaign_id])
                    or reverse("assessment:nomination_detail", args=[n.pk]))


@requires("change", post_only=True)
def nomination_withdraw(request, pk):
    return _nomination_step(request, pk, lambda n, r: svc.nomination_withdraw(by=request.user, nomination=n, reason=r),
                            _("已撤回推荐，名额已释放。"))


@requires("discipline", post_only=True)
def nomination_shortlist(request, pk):
    return _nomination_step(request, pk, lambda n, r: svc.nomination_shortlist(by=request.user, nomination=n, reason=r),
                            _("已列入入围。"))


@requires("discipline", post_only=True)
def nomination_reject(request, pk):
    return _nomination_step(request, pk, lambda n, r: svc.nomination_reject(by=request.user, nomination=n, reason=r),
                            _("已设为不予入围。"))


__all__ = ["CampaignStatus", "NominationStatus"]
