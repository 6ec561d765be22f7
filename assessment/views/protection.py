"""Pages of protection (容错纠错): tolerance rulings, risk filings and clarifications — lists with
filters, sort and export, detail pages with their steps and history, the apply / file / record
forms and the step forms (受理, 不予受理, 核实, 认定, 报备; 备案; 移交查处).

Views parse input, call one service of ``assessment/services/protection.py`` and render; which
forms a detail page shows comes from the services' tables (``*_allowed_actions``); the services
decide for real, and their Chinese refusal is shown next to the field or as a message. Unit
leaders see their scope's rows, apply and file; org staff rule (gate action ``discipline``);
auditors read.
"""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.clickjacking import xframe_options_sameorigin

from cadres.models import Cadre
from pingdingshan.core import permissions as gate
from pingdingshan.core.exports import Column
from pingdingshan.core.fields import parse_id
from pingdingshan.core.files import serve_file
from pingdingshan.core.pages import ListPage, requires

from .. import forms_protection as f
from ..filters_protection import ClarificationFilter, FilingFilter, RulingFilter
from ..models import (
    Clarification,
    FollowUp,
    RiskFiling,
    RiskFilingStatus,
    RulingEvidence,
    RulingStatus,
    Subject,
    ToleranceRuling,
    WarningCard,
)
from ..services import conduct
from ..services import protection as svc

S = RulingStatus
RULING_BADGES = {S.APPLIED: "secondary", S.ACCEPTED: "info", S.VERIFIED: "primary", S.DECIDED: "success",
                 S.REPORTED: "dark", S.REJECTED: "danger"}
FILING_BADGES = {RiskFilingStatus.FILED: "secondary", RiskFilingStatus.ACKNOWLEDGED: "success"}
FOLLOW_UP_BADGES = {FollowUp.NONE: "light", FollowUp.PENDING: "danger", FollowUp.DONE: "success"}


def _errors(e) -> str:
    return " ".join(getattr(e, "messages", None) or [str(e)])


def _form(request, form, **context):
    return render(request, "assessment/protection/form.html", {"form": form, **context})


STEP_LABELS = {**svc.RULING_LABELS, **svc.FILING_LABELS, **svc.CLARIFICATION_LABELS,
               "file": gettext_lazy("报备")}


def _steps(subject, obj):
    steps = conduct.steps_of(subject, obj)
    for step in steps:
        step.action_label = STEP_LABELS.get(step.action, step.action)
    return steps


def _search_url():
    return reverse("cadres:record_cadre_search")


# --------------------------------------------------------------------------- selectors
def rulings_in_sight(user):
    return (ToleranceRuling.objects.restrict(user, "view")
            .select_related("cadre", "cadre__unit", "unit", "risk_filing", "card", "card__cadre", "card__reason", "sanction"))


def filings_in_sight(user):
    return RiskFiling.objects.restrict(user, "view").select_related("unit", "cadre", "filed_by")


def clarifications_in_sight(user):
    return Clarification.objects.restrict(user, "view").select_related("cadre", "cadre__unit", "card", "card__reason")


def _ruling(request, pk):
    return gate.get_or_404(rulings_in_sight(request.user), request.user, "view", pk=pk)


def _filing(request, pk):
    return gate.get_or_404(filings_in_sight(request.user), request.user, "view", pk=pk)


def _clarification(request, pk):
    return gate.get_or_404(clarifications_in_sight(request.user), request.user, "view", pk=pk)


# =========================================================================== rulings
RULING_COLUMNS = [
    (gettext_lazy("干部"), "cadre"),
    (gettext_lazy("事项"), None),
    (gettext_lazy("申请方"), None),
    (gettext_lazy("事前报备"), None),
    (gettext_lazy("状态"), "status"),
    (gettext_lazy("认定结论"), None),
    (gettext_lazy("申请时间"), "applied"),
    (gettext_lazy("认定日期"), "decided"),
]


def ruling_page(request) -> ListPage:
    return ListPage(request, RulingFilter, rulings_in_sight(request.user), columns=RULING_COLUMNS,
                    placeholders={"q": _("姓名、拼音首字母、身份证号或事项")})


@requires("view")
def ruling_list(request):
    lp = ruling_page(request)
    page = lp.paginate()
    return render(request, "assessment/protection/ruling_list.html", lp.context(
        page, rulings=list(page.object_list), badges=RULING_BADGES,
        can_apply=gate.allows(request.user, "change", ToleranceRuling)))


def ruling_columns() -> list[Column]:
    return [
        Column(_("编号"), lambda r: r.pk, 8),
        Column(_("干部"), lambda r: r.cadre.name, 10),
        Column(_("单位"), lambda r: r.cadre.unit.name, 24),
        Column(_("申请方"), lambda r: r.get_applicant_display(), 12),
        Column(_("事项"), lambda r: r.matter, 30),
        Column(_("造成的损失或影响"), lambda r: r.loss, 30),
        Column(_("事前报备"), lambda r: r.risk_filing.filed_on if r.risk_filing_id else "", 12),
        Column(_("涉及的红黄牌"), lambda r: str(r.card) if r.card_id else "", 20),
        Column(_("状态"), lambda r: r.get_status_display(), 8),
        Column(_("认定结论"), lambda r: r.get_decision_display() if r.decision else "", 10),
        Column(_("认定理由"), lambda r: r.decision_reason, 30),
        Column(_("认定日期"), lambda r: r.decided_on, 12),
        Column(_("报备日期"), lambda r: r.reported_on, 12),
        Column(_("申请时间"), lambda r: r.applied_at, 18),
    ]


@requires("export")
def ruling_export(request):
    return ruling_page(request).export(columns=ruling_columns(), what="容错裁定", filename=_("容错裁定"),
                                       list_url=reverse("assessment:ruling_list"))


@requires("change")
def ruling_create(request):
    initial = {}
    for name in ("cadre", "card", "risk_filing", "sanction"):
        if value := parse_id(request.GET.get(name)):
            initial[name] = value
    if "card" in initial and "cadre" not in initial:  # from a card's page
        card = WarningCard.objects.restrict(request.user).filter(pk=initial["card"]).first()
        if card is not None:
            initial["cadre"] = card.cadre_id
    if "risk_filing" in initial and "cadre" not in initial:  # from a filing's page
        filing = RiskFiling.objects.restrict(request.user).filter(pk=initial["risk_filing"]).first()
        if filing is not None and filing.cadre_id:
            initial["cadre"] = filing.cadre_id
    form = f.RulingApplyForm(request.POST or None, user=request.user, initial=initial, search_url=_search_url())
    if request.method == "POST" and form.is_valid():
        try:
            ruling = svc.ruling_apply(by=request.user, **form.service_data())
        except ValidationError as e:
            form.apply_errors(e)
        except PermissionDenied as e:
            form.add_error(None, _errors(e))
        else:
            messages.success(request, _("已提交容错申请，等待组织部受理。"))
            return redirect("assessment:ruling_detail", pk=ruling.pk)
    return _form(request, form, title=_("申请容错"), section="rulings", cancel_url=reverse("assessment:ruling_list"))


def _ruling_context(request, ruling, **forms):
    allowed = svc.ruling_allowed_actions(ruling, request.user)
    criteria = [{"label": ToleranceRuling._meta.get_field(a).verbose_name, "answer": getattr(ruling, a),
                 "facts": getattr(ruling, fa)} for a, fa in svc.CRITERIA]
    waivers = [ToleranceRuling._meta.get_field(w).verbose_name for w in svc.WAIVERS if getattr(ruling, w)]
    return {
        "ruling": ruling,
        "allowed": allowed,
        "card_visible": ruling.card_id is not None and gate.allows(request.user, "view", ruling.card),
        "sanction_visible": ruling.sanction_id is not None and gate.allows(request.user, "view", ruling.sanction),
        "badges": RULING_BADGES,
        "criteria": criteria,
        "criteria_answered": any(c["answer"] is not None for c in criteria),
        "waivers": waivers,
        "steps": _steps(Subject.RULING, ruling),
        "evidence_list": list(ruling.evidence.select_related("uploaded_by")),
        "accept_form": forms.get("accept_form") or f.ReasonForm(user=request.user, prefix="accept"),
        "reject_form": forms.get("reject_form") or f.RejectForm(user=request.user, prefix="reject"),
        "upload_form": forms.get("upload_form") or f.EvidenceForm(),
    }


@requires("view")
def ruling_detail(request, pk):
    ruling = _ruling(request, pk)
    return render(request, "assessment/protection/ruling_detail.html", _ruling_context(request, ruling))


def _act(request, ruling, call, done):
    try:
        call()
    except (ValidationError, PermissionDenied) as e:
        messages.error(request, _errors(e))
    else:
        messages.success(request, done)
    return redirect("assessment:ruling_detail", pk=ruling.pk)


@requires("discipline", post_only=True)
def ruling_accept(request, pk):
    ruling = _ruling(request, pk)
    reason = request.POST.get("accept-reason", "")
    return _act(request, ruling, lambda: svc.ruling_accept(by=request.user, ruling=ruling, reason=reason),
                _("已受理。"))


@requires("discipline", post_only=True)
def ruling_reject(request, pk):
    ruling = _ruling(request, pk)
    reason = request.POST.get("reject-reason", "")
    return _act(request, ruling, lambda: svc.ruling_reject(by=request.user, ruling=ruling, reason=reason),
                _("已决定不予受理。"))


def _step_page(request, pk, *, action, form_class, service, done, title):
    """A step with its own form (核实, 认定, 报备): GET shows it, POST calls the service; its
    refusal goes next to the fields."""
    ruling = _ruling(request, pk)
    if action not in svc.ruling_allowed_actions(ruling, request.user):
        messages.error(request, _("当前状态为“%(status)s”，不能%(action)s。") % {
            "status": ruling.get_status_display(), "action": svc.RULING_LABELS[action]})
        return redirect("assessment:ruling_detail", pk=ruling.pk)
    form = form_class(request.POST or None, user=request.user, ruling=ruling)
    if request.method == "POST" and form.is_valid():
        try:
            service(by=request.user, ruling=ruling, **form.service_data())
        except ValidationError as e:
            form.apply_errors(e)
        except PermissionDenied as e:
            form.add_error(None, _errors(e))
        else:
            messages.success(request, done)
            return redirect("assessment:ruling_detail", pk=ruling.pk)
    return render(request, "assessment/protection/ruling_step.html", {
        "ruling": ruling, "form": form, "title": title, "action": action, "badges": RULING_BADGES})


@requires("discipline")
def ruling_verify(request, pk):
    return _step_page(request, pk, action="verify", form_class=f.VerifyForm, service=svc.ruling_verify,
                      done=_("已核实。"), title=_("核实：逐项回答“三个区分开来”等五项情形"))


@requires("discipline")
def ruling_decide(request, pk):
    return _step_page(request, pk, action="decide", form_class=f.DecideForm, service=svc.ruling_decide,
                      done=_("已认定。"), title=_("认定：问责会审与认定结论"))


def _report_form(*args, ruling=None, **kwargs):
    return f.ReportForm(*args, **kwargs)


@requires("discipline")
def ruling_report(request, pk):
    return _step_page(request, pk, action="report", form_class=_report_form, service=svc.ruling_report,
                      done=_("已报备。"), title=_("报备：认定结果报上级备案"))


# ---- evidence
@requires("change", post_only=True)
def ruling_evidence_upload(request, pk):
    ruling = _ruling(request, pk)
    form = f.EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            for upload in form.cleaned_data["files"]:
                svc.ruling_evidence_add(by=request.user, ruling=ruling, upload=upload)
        except ValidationError as e:
            if not hasattr(e, "error_dict"):
                messages.error(request, _errors(e))
                return redirect("assessment:ruling_detail", pk=ruling.pk)
            form.apply_errors(e)
        except PermissionDenied as e:
            messages.error(request, _errors(e))
            return redirect("assessment:ruling_detail", pk=ruling.pk)
        else:
            messages.success(request, _("已上传 %(n)s 个文件。") % {"n": len(form.cleaned_data["files"])})
            return redirect("assessment:ruling_detail", pk=ruling.pk)
    return render(request, "assessment/protection/ruling_detail.html",
                  _ruling_context(request, ruling, upload_form=form), status=400)


def _evidence(request, pk):
    return gate.get_or_404(RulingEvidence.objects.select_related("ruling"), request.user, "view", pk=pk)


@requires("change", post_only=True)
def ruling_evidence_delete(request, pk):
    evidence = _evidence(request, pk)
    try:
        svc.ruling_evidence_delete(by=request.user, evidence=evidence)
    except (ValidationError, PermissionDenied) as e:
        messages.error(request, _errors(e))
    else:
        messages.success(request, _("已删除文件“%(n)s”。") % {"n": evidence.original_name})
    return redirect("assessment:ruling_detail", pk=evidence.ruling_id)


@requires("view")
def ruling_evidence_download(request, pk):
    evidence = _evidence(request, pk)
    return serve_file(evidence.file, filename=evidence.original_name, content_type=evidence.content_type)


@requires("view")
@xframe_options_sameorigin
def ruling_evidence_preview(request, pk):
    evidence = _evidence(request, pk)
    if not evidence.previewable:
        raise Http404(_("该文件不能在线预览，请下载查看。"))
    return serve_file(evidence.file, filename=evidence.original_name, content_type=evidence.content_type,
                      attachment=False)


# =========================================================================== risk filings
FILING_COLUMNS = [
    (gettext_lazy("报备日期"), "filed"),
    (gettext_lazy("报备单位"), "unit"),
    (gettext_lazy("事项"), None),
    (gettext_lazy("责任干部"), None),
    (gettext_lazy("拟决策日期"), None),
    (gettext_lazy("状态"), "status"),
]


def filing_page(request) -> ListPage:
    return ListPage(request, FilingFilter, filings_in_sight(request.user), columns=FILING_COLUMNS,
                    placeholders={"q": _("事项或责任干部")})


@requires("view")
def filing_list(request):
    lp = filing_page(request)
    page = lp.paginate()
    return render(request, "assessment/protection/filing_list.html", lp.context(
        page, filings=list(page.object_list), badges=FILING_BADGES,
        can_file=gate.allows(request.user, "change", RiskFiling)))


def filing_columns() -> list[Column]:
    return [
        Column(_("编号"), lambda r: r.pk, 8),
        Column(_("报备日期"), lambda r: r.filed_on, 12),
        Column(_("报备单位"), lambda r: r.unit.name, 24),
        Column(_("责任干部"), lambda r: r.cadre.name if r.cadre_id else "", 10),
        Column(_("事项"), lambda r: r.matter, 30),
        Column(_("可能的风险"), lambda r: r.risk, 30),
        Column(_("防控措施"), lambda r: r.measures, 30),
        Column(_("拟决策日期"), lambda r: r.decision_date, 12),
        Column(_("状态"), lambda r: r.get_status_display(), 8),
        Column(_("备案时间"), lambda r: r.acknowledged_at, 18),
    ]


@requires("export")
def filing_export(request):
    return filing_page(request).export(columns=filing_columns(), what="风险报备", filename=_("风险报备"),
                                       list_url=reverse("assessment:filing_list"))


@requires("change")
def filing_create(request):
    initial = {"unit": parse_id(request.GET.get("unit")), "cadre": parse_id(request.GET.get("cadre"))}
    if initial["cadre"] and not initial["unit"]:
        cadre = Cadre.objects.restrict(request.user).filter(pk=initial["cadre"]).first()
        initial["unit"] = cadre.unit_id if cadre else None
    form = f.FilingForm(request.POST or None, user=request.user, initial={k: v for k, v in initial.items() if v})
    if request.method == "POST" and form.is_valid():
        try:
            filing = svc.filing_create(by=request.user, **form.service_data())
        except ValidationError as e:
            form.apply_errors(e)
        except PermissionDenied as e:
            form.add_error(None, _errors(e))
        else:
            messages.success(request, _("已报备。"))
            return redirect("assessment:filing_detail", pk=filing.pk)
    return _form(request, form, title=_("报备风险事项"), section="filings", cancel_url=reverse("assessment:filing_list"))


@requires("view")
def filing_detail(request, pk):
    filing = _filing(request, pk)
    rulings = list(ToleranceRuling.objects.restrict(request.user).filter(risk_filing=filing)
                   .select_related("cadre").order_by("-applied_at"))
    return render(request, "assessment/protection/filing_detail.html", {
        "filing": filing, "allowed": svc.filing_allowed_actions(filing, request.user), "badges": FILING_BADGES,
        "rulings": rulings, "ruling_badges": RULING_BADGES, "steps": _steps(Subject.FILING, filing),
        "acknowledge_form": f.AcknowledgeForm(user=request.user),
        "apply_url": _filing_apply_url(request.user, filing)})


def _filing_apply_url(user, filing) -> str:
    """就此事项申请容错: the ruling form preset with the filing (and its cadre), for who may apply for
    that cadre (a filing without a cadre: for who may apply in the filing's unit)."""
    if filing.cadre_id:
        if not svc.may_apply_for(user, cadre=filing.cadre, risk_filing=filing):
            return ""
        return f"{reverse('assessment:ruling_create')}?risk_filing={filing.pk}&cadre={filing.cadre_id}"
    if not gate.allows(user, "change", ToleranceRuling(cadre=Cadre(unit=filing.unit))):
        return ""
    return f"{reverse('assessment:ruling_create')}?risk_filing={filing.pk}"


@requires("discipline", post_only=True)
def filing_acknowledge(request, pk):
    filing = _filing(request, pk)
    try:
        svc.filing_acknowledge(by=request.user, filing=filing, reason=request.POST.get("reason", ""))
    except (ValidationError, PermissionDenied) as e:
        messages.error(request, _errors(e))
    else:
        messages.success(request, _("已备案。"))
    return redirect("assessment:filing_detail", pk=filing.pk)


# =========================================================================== clarifications
CLARIFICATION_COLUMNS = [
    (gettext_lazy("干部"), "cadre"),
    (gettext_lazy("被反映的问题"), None),
    (gettext_lazy("澄清方式"), None),
    (gettext_lazy("澄清日期"), "cleared"),
    (gettext_lazy("撤销的红黄牌"), None),
    (gettext_lazy("诬告查处"), None),
]


def clarification_page(request) -> ListPage:
    return ListPage(request, ClarificationFilter, clarifications_in_sight(request.user),
                    columns=CLARIFICATION_COLUMNS, placeholders={"q": _("姓名、拼音首字母或身份证号")})


@requires("view")
def clarification_list(request):
    lp = clarification_page(request)
    page = lp.paginate()
    pending = clarifications_in_sight(request.user).filter(malicious=True, follow_up=FollowUp.PENDING).count()
    return render(request, "assessment/protection/clarification_list.html", lp.context(
        page, clarifications=list(page.object_list), badges=FOLLOW_UP_BADGES, pending_count=pending,
        can_record=gate.can(request.user, "discipline")))


def clarification_columns() -> list[Column]:
    return [
        Column(_("编号"), lambda r: r.pk, 8),
        Column(_("干部"), lambda r: r.cadre.name, 10),
        Column(_("单位"), lambda r: r.cadre.unit.name, 24),
        Column(_("启动方式"), lambda r: r.get_source_display(), 12),
        Column(_("被反映的问题"), lambda r: r.report, 30),
        Column(_("查明情况"), lambda r: r.finding, 30),
        Column(_("澄清方式"), lambda r: r.get_method_display(), 10),
        Column(_("澄清范围或场合"), lambda r: r.venue, 20),
        Column(_("澄清日期"), lambda r: r.cleared_on, 12),
        Column(_("属于诬告陷害"), lambda r: _("是") if r.malicious else _("否"), 8),
        Column(_("诬告查处"), lambda r: r.get_follow_up_display(), 10),
        Column(_("据此撤销的红黄牌"), lambda r: str(r.card) if r.card_id else "", 20),
    ]


@requires("export")
def clarification_export(request):
    return clarification_page(request).export(columns=clarification_columns(), what="澄清正名",
                                              filename=_("澄清正名"), list_url=reverse("assessment:clarification_list"))


@requires("discipline")
def clarification_create(request):
    initial = {k: v for k in ("cadre", "card") if (v := parse_id(request.GET.get(k)))}
    if "card" in initial and "cadre" not in initial:
        card = WarningCard.objects.restrict(request.user).filter(pk=initial["card"]).first()
        if card is not None:
            initial["cadre"] = card.cadre_id
    form = f.ClarificationForm(request.POST or None, user=request.user, initial=initial, search_url=_search_url())
    if request.method == "POST" and form.is_valid():
        try:
            clarification = svc.clarification_create(by=request.user, **form.service_data())
        except ValidationError as e:
            form.apply_errors(e)
        except PermissionDenied as e:
            form.add_error(None, _errors(e))
        else:
            messages.success(request, _("已登记澄清正名。"))
            return redirect("assessment:clarification_detail", pk=clarification.pk)
    return _form(request, form, title=_("登记澄清正名"), section="clarifications",
                 cancel_url=reverse("assessment:clarification_list"))


@requires("view")
def clarification_detail(request, pk):
    clarification = _clarification(request, pk)
    return render(request, "assessment/protection/clarification_detail.html", {
        "clarification": clarification, "badges": FOLLOW_UP_BADGES,
        "card_visible": clarification.card_id is not None and gate.allows(request.user, "view", clarification.card),
        "allowed": svc.clarification_allowed_actions(clarification, request.user),
        "steps": _steps(Subject.CLARIFICATION, clarification),
        "follow_up_form": f.FollowUpForm(user=request.user)})


@requires("discipline", post_only=True)
def clarification_follow_up(request, pk):
    clarification = _clarification(request, pk)
    try:
        svc.clarification_follow_up(by=request.user, clarification=clarification, note=request.POST.get("note", ""))
    except (ValidationError, PermissionDenied) as e:
        messages.error(request, _errors(e))
    else:
        messages.success(request, _("已标记为已移交查处。"))
    return redirect("assessment:clarification_detail", pk=clarification.pk)
