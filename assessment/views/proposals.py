"""Pages of the card proposals (红黄牌提示): the list (filters, sort, export, pagination), one
proposal with the sentence of what fired on which facts, the links to the result, cards and
records behind it, the confirm form (the card's fields prefilled) and the dismiss form, its steps
and history; and the button that runs the daily check now, as a job.

Org staff and auditors only: a unit leader gets 403 on the list and 404 on a proposal (the gate's
``CardProposal.scoped_rows_q``). Deciding needs the gate action ``discipline`` (org staff); the
services re-check it.
"""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pingdingshan.core import jobs
from pingdingshan.core import permissions as gate
from pingdingshan.core.exports import Column
from pingdingshan.core.models import JobState
from pingdingshan.core.pages import ListPage, requires

from .. import jobs as assessment_jobs
from ..filters_proposals import ProposalFilter
from ..forms_proposals import ProposalConfirmForm, ProposalDismissForm
from ..models import CardProposal, ProposalStatus, Subject, Suggestion
from ..services import conduct, proposals
from ..services.triggers import proposal_sentence, trigger_label

EXPORT_WHAT = "红黄牌提示"
COLUMNS = [
    (gettext_lazy("发现日期"), "date"),
    (gettext_lazy("干部"), "name"),
    (gettext_lazy("单位"), "unit"),
    (gettext_lazy("触发规则"), "trigger"),
    (gettext_lazy("触发事实"), None),
    (gettext_lazy("建议"), "suggestion"),
    (gettext_lazy("状态"), "status"),
]
STATUS_BADGES = {ProposalStatus.PENDING: "warning", ProposalStatus.CONFIRMED: "success",
                 ProposalStatus.DISMISSED: "secondary"}
SUGGESTION_BADGES = {Suggestion.YELLOW: "warning", Suggestion.RED: "danger", Suggestion.REMINDER: "info"}


def _require_city_wide(user):
    """Proposals are org staff's and auditors' (a unit leader sees none: 403, not an empty list)."""
    if not gate.city_wide(user, "view", CardProposal):
        raise PermissionDenied(_("只有组织部和审计人员可以查看红黄牌提示。"))


def proposal_rows(user):
    return (CardProposal.objects.restrict(user, "view")
            .select_related("cadre", "cadre__unit", "decided_by").order_by("-detected_on", "-id"))


def proposal_page(request) -> ListPage:
    return ListPage(request, ProposalFilter, proposal_rows(request.user), columns=COLUMNS,
                    placeholders={"q": _("姓名、拼音首字母（如 zs）或身份证号")})


def _decorate(rows):
    for p in rows:
        p.sentence = proposal_sentence(p)
        p.trigger_name = trigger_label(p.trigger)
    return rows


@requires("view")
def proposal_list(request):
    _require_city_wide(request.user)
    lp = proposal_page(request)
    page = lp.paginate()
    pending = CardProposal.objects.restrict(request.user).filter(status=ProposalStatus.PENDING).count()
    return render(request, "assessment/proposals/proposal_list.html", lp.context(
        page, proposals=_decorate(list(page.object_list)), pending=pending, badges=STATUS_BADGES,
        suggestion_badges=SUGGESTION_BADGES, can_run=gate.can(request.user, "discipline"),
        running=jobs.job_under_way(user=request.user, kind=assessment_jobs.CONDUCT_DAILY)))


def export_columns() -> list[Column]:
    return [
        Column(_("编号"), lambda p: p.pk, 8),
        Column(_("发现日期"), lambda p: p.detected_on, 12),
        Column(_("干部"), lambda p: p.cadre.name, 10),
        Column(_("单位"), lambda p: p.cadre.unit.name if p.cadre.unit_id else "", 20),
        Column(_("触发规则"), lambda p: trigger_label(p.trigger), 18),
        Column(_("触发事实"), proposal_sentence, 50),
        Column(_("建议"), lambda p: p.get_suggestion_display(), 10),
        Column(_("状态"), lambda p: p.get_status_display(), 10),
        Column(_("处理人"), lambda p: (p.decided_by.get_full_name() or p.decided_by.username) if p.decided_by else "", 12),
        Column(_("处理时间"), lambda p: p.decided_at, 18),
        Column(_("处理意见"), lambda p: p.decide_reason, 30),
    ]


@requires("export")
def proposal_export(request):
    _require_city_wide(request.user)
    return proposal_page(request).export(columns=export_columns(), what=EXPORT_WHAT, filename=_("红黄牌提示"),
                                         list_url=reverse("assessment:proposal_list"))


# --------------------------------------------------------------------------- one proposal
def _proposal(request, pk) -> CardProposal:
    return gate.get_or_404(CardProposal.objects.select_related("cadre", "cadre__unit", "decided_by"),
                           request.user, "view", pk=pk)


def _link(name, pk):
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return ""


def related_links(proposal) -> list[tuple[str, str]]:
    """(label, url) of what the facts name: the results, the cards, the records."""
    from cadres.models import PerformanceRecord

    from ..models import AssessmentResult, WarningCard

    f, links = proposal.facts or {}, []
    result_ids = [f["result"]] if "result" in f else [r.get("result") for r in f.get("periods", ())]
    for r in AssessmentResult.objects.filter(pk__in=[i for i in result_ids if isinstance(i, int)]).select_related(
            "period").order_by("period__end_date"):
        links.append((_("%(period)s考核结果") % {"period": r.period.name}, _link("assessment:result_detail", r.pk)))
    for pk in (f.get("earlier"), f.get("card")):
        card = WarningCard.objects.filter(pk=pk).first() if isinstance(pk, int) else None
        if card is not None:
            links.append((_("%(color)s %(date)s") % {"color": card.get_color_display(), "date": card.start_date},
                          _link("assessment:card_detail", card.pk)))
    record_ids = sorted(set(f.get("records", ())) | set(f.get("overdue", ())))
    for rec in PerformanceRecord.objects.filter(pk__in=[i for i in record_ids if isinstance(i, int)]).order_by("pk"):
        links.append((_("实绩记录：%(title)s（%(status)s）") % {"title": rec.title, "status": rec.get_status_display()},
                      _link("cadres:record_detail", rec.pk)))
    return links


def _confirm_form(proposal, data=None):
    if data is not None:
        return ProposalConfirmForm(data)
    return ProposalConfirmForm(initial=proposals.card_defaults(proposal))


def _detail_page(request, proposal, *, confirm_form=None, dismiss_form=None, status=200):
    allowed = proposals.allowed_actions(proposal, request.user)
    reminder_url = ""
    if "remind" in allowed:
        try:
            reminder_url = f"{reverse('assessment:reminder_create')}?proposal={proposal.pk}&cadre={proposal.cadre_id}"
        except NoReverseMatch:
            reminder_url = ""
    from ..models import WarningCard

    context = {
        "proposal": proposal,
        "sentence": proposal_sentence(proposal),
        "trigger_name": trigger_label(proposal.trigger),
        "links": related_links(proposal),
        "actions": {a: a in allowed for a in proposals.TRANSITIONS},
        "reminder_url": reminder_url,
        "confirm_form": confirm_form or (_confirm_form(proposal) if "confirm" in allowed else None),
        "dismiss_form": dismiss_form or ProposalDismissForm(),
        "steps": conduct.steps_of(Subject.PROPOSAL, proposal),
        "card": WarningCard.objects.restrict(request.user).filter(proposal=proposal).first(),
        "badges": STATUS_BADGES,
        "suggestion_badges": SUGGESTION_BADGES,
    }
    return render(request, "assessment/proposals/proposal_detail.html", context, status=status)


@requires("view")
def proposal_detail(request, pk):
    return _detail_page(request, _proposal(request, pk))


def _refused(request, proposal, e: ValidationError, form):
    """The service's refusal: next to the fields it names, or (a step no longer allowed, e.g. a
    proposal decided meanwhile) as a message on the proposal's page. Returns the redirect then."""
    if hasattr(e, "error_dict"):
        form.add_service_errors(e)
        return None
    for m in e.messages:
        messages.error(request, m)
    return redirect("assessment:proposal_detail", pk=proposal.pk)


@requires("discipline", post_only=True)
def proposal_confirm(request, pk):
    proposal = _proposal(request, pk)
    form = _confirm_form(proposal, request.POST)
    if form.is_valid():
        try:
            proposals.proposal_confirm(by=request.user, proposal=proposal, reason=form.cleaned_data["reason"],
                                       **form.card_fields())
        except ValidationError as e:
            refused = _refused(request, proposal, e, form)
            if refused is not None:
                return refused
        else:
            messages.success(request, _("已确认，红黄牌已拟发，请在红黄牌页面办理发牌。"))
            return redirect("assessment:proposal_detail", pk=proposal.pk)
    return _detail_page(request, proposal, confirm_form=form, status=400)


@requires("discipline", post_only=True)
def proposal_dismiss(request, pk):
    proposal = _proposal(request, pk)
    form = ProposalDismissForm(request.POST)
    if form.is_valid():
        try:
            proposals.proposal_dismiss(by=request.user, proposal=proposal, reason=form.cleaned_data["reason"])
        except ValidationError as e:
            refused = _refused(request, proposal, e, form)
            if refused is not None:
                return refused
        else:
            messages.success(request, _("已驳回该提示。"))
            return redirect("assessment:proposal_detail", pk=proposal.pk)
    return _detail_page(request, proposal, dismiss_form=form, status=400)


# --------------------------------------------------------------------------- the daily check, now
@requires("discipline", post_only=True)
def proposal_run(request):
    """Run the daily check now, as a background job (in-process without a broker: done when it
    returns, and the list says how it went)."""
    running = jobs.job_under_way(user=request.user, kind=assessment_jobs.CONDUCT_DAILY)
    if running is not None:
        return redirect(jobs.url(running))
    job = jobs.start(by=request.user, kind=assessment_jobs.CONDUCT_DAILY)
    if not job.finished:
        return redirect(jobs.url(job))
    if job.state == JobState.FAILED:
        messages.error(request, job.message)
    elif (job.result or {}).get("skipped"):
        messages.info(request, _("另一次每日检查正在运行，本次未做任何更改。"))
    else:
        messages.success(request, _("每日检查完成：新增提示 %(n)s 条，到期红黄牌 %(e)s 张。") % {
            "n": job.result.get("proposals_new", 0), "e": job.result.get("expired", 0)})
    return redirect("assessment:proposal_list")
