"""Pages of frontline postings (墩苗育苗 / 实践练兵) and their programmes: the programme list and
form, the posting list and its export, the posting form, the posting page with its steps, history
and one button (with its reason form) per allowed action.

Views parse input, call one service of ``promotion/services/postings.py`` and render; the buttons
come from ``posting_allowed_actions`` (the services' table), and the services decide for real: a
refusal is shown as a message (or next to the fields) and changes nothing. Unit leaders propose,
edit and withdraw postings of their units' cadres; org staff approve, reject and close them (gate
action ``reserve``); auditors read.
"""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadres.models import Cadre
from pingdingshan.core import permissions as gate
from pingdingshan.core.dates import today
from pingdingshan.core.exports import Column
from pingdingshan.core.fields import parse_id
from pingdingshan.core.pages import ListPage, requires, sort_headers

from ..filters_postings import PostingFilter
from ..forms_postings import STEP_FORMS, PostingForm, ProgrammeForm
from ..models import Evaluation, FrontlinePosting, PostingStatus, Programme, StepSubject
from ..services import postings as svc
from ..services.steps import steps_of

POSTINGS_WHAT = "一线历练"
STATUS_BADGES = {
    PostingStatus.PROPOSED: "warning", PostingStatus.APPROVED: "primary", PostingStatus.REJECTED: "danger",
    PostingStatus.CLOSED: "success", PostingStatus.CANCELLED: "light",
}
EVALUATION_BADGES = {Evaluation.EXCELLENT: "success", Evaluation.GOOD: "primary", Evaluation.FAIR: "secondary",
                     Evaluation.POOR: "danger"}
POSTING_COLUMNS = [
    (gettext_lazy("干部"), "cadre"),
    (gettext_lazy("单位"), None),
    (gettext_lazy("项目"), "programme"),
    (gettext_lazy("派驻单位或任务"), None),
    (gettext_lazy("开始日期"), "start"),
    (gettext_lazy("结束日期"), "end"),
    (gettext_lazy("状态"), "status"),
    (gettext_lazy("期满评价"), "evaluation"),
]
ACTION_STYLE = {"approve": ("btn-success", "bi-check2-circle"), "reject": ("btn-outline-danger", "bi-x-circle"),
                "close": ("btn-primary", "bi-clipboard-check"),
                "withdraw": ("btn-outline-secondary", "bi-arrow-counterclockwise")}
DONE = {"approve": gettext_lazy("已批准，一线历练进行中。"), "reject": gettext_lazy("已不予批准。"),
        "close": gettext_lazy("已评价，一线历练已结束。"), "withdraw": gettext_lazy("已撤回。")}


def _errors(e) -> str:
    return " ".join(getattr(e, "messages", None) or [str(e)])


# --------------------------------------------------------------------------- selectors
def posting_rows(user):
    return (FrontlinePosting.objects.restrict(user, "view")
            .select_related("cadre", "cadre__unit", "programme", "host_unit"))


def posting_get(user, pk) -> FrontlinePosting:
    return gate.get_or_404(FrontlinePosting.objects.select_related(
        "cadre", "cadre__unit", "programme", "host_unit", "proposed_by", "approved_by", "evaluated_by"),
        user, "view", pk=pk)


def _detail(posting):
    return redirect("promotion:posting_detail", pk=posting.pk)


# --------------------------------------------------------------------------- programmes
PROGRAMME_COLUMNS = [gettext_lazy("排序"), gettext_lazy("名称"), gettext_lazy("说明"), gettext_lazy("一线历练"),
                     gettext_lazy("启用")]


@requires("view")
def programme_list(request):
    from django.db.models import Count

    can_edit = gate.can(request.user, "reserve")
    programmes = list(Programme.objects.restrict(request.user).annotate(n_postings=Count("postings")))
    headers = sort_headers(request, [(label, None) for label in PROGRAMME_COLUMNS] + ([("", None)] if can_edit else []))
    return render(request, "promotion/postings/programme_list.html", {
        "programmes": programmes, "can_edit": can_edit, "headers": headers})


def _programme_form_page(request, programme):
    form = ProgrammeForm(request.POST or None, instance=programme)
    if request.method == "POST" and form.is_valid():
        try:
            saved = svc.programme_save(by=request.user, programme=programme, **form.service_data())
        except ValidationError as e:
            form.apply_errors(e)
        else:
            messages.success(request, _("已保存项目“%(n)s”。") % {"n": saved.name})
            return redirect("promotion:programme_list")
    return render(request, "promotion/postings/programme_form.html", {"form": form, "object": programme})


@requires("reserve")
def programme_create(request):
    return _programme_form_page(request, None)


@requires("reserve")
def programme_edit(request, pk):
    return _programme_form_page(request, gate.get_or_404(Programme, request.user, "view", pk=pk))


# --------------------------------------------------------------------------- list and export
def posting_page(request) -> ListPage:
    return ListPage(request, PostingFilter, posting_rows(request.user), columns=POSTING_COLUMNS,
                    skip=("ordering", "cadre", "rejected_since"),
                    placeholders={"q": _("姓名、拼音首字母（如 zs）或身份证号")})


@requires("view")
def posting_list(request):
    lp = posting_page(request)
    page = lp.paginate()
    return render(request, "promotion/postings/posting_list.html", lp.context(
        page, postings=page.object_list, status_badges=STATUS_BADGES, evaluation_badges=EVALUATION_BADGES,
        filter_cadre=lp.cleaned("cadre"), can_create=svc.may_propose(request.user),
        today=today()))


def posting_export_columns() -> list[Column]:
    status = dict(PostingStatus.choices)
    evaluation = dict(Evaluation.choices)
    return [
        Column(_("干部"), lambda p: p.cadre.name, 10),
        Column(_("身份证号码"), lambda p: p.cadre.id_number, 20),
        Column(_("单位"), lambda p: p.cadre.unit.name if p.cadre.unit_id else "", 24),
        Column(_("项目"), lambda p: p.programme.name, 20),
        Column(_("派驻单位或任务"), lambda p: p.host, 24),
        Column(_("派驻单位（单位库）"), lambda p: p.host_unit.name if p.host_unit_id else "", 20),
        Column(_("开始日期"), lambda p: p.start_date, 12),
        Column(_("结束日期"), lambda p: p.end_date, 12),
        Column(_("承担任务"), lambda p: p.tasks, 40),
        Column(_("状态"), lambda p: str(status.get(p.status, p.status)), 8),
        Column(_("期满评价"), lambda p: str(evaluation.get(p.evaluation, "")) if p.evaluation else "", 8),
        Column(_("评价意见"), lambda p: p.evaluation_remarks, 30),
        Column(_("评价日期"), lambda p: p.evaluated_on, 12),
        Column(_("编号"), lambda p: p.pk, 8),
    ]


@requires("export")
def posting_export(request):
    return posting_page(request).export(columns=posting_export_columns(), what=POSTINGS_WHAT,
                                        filename=_("一线历练"), list_url=reverse("promotion:posting_list"))


# --------------------------------------------------------------------------- create / edit
def _posting_form(request, *, posting=None, preset=None):
    return PostingForm(request.POST or None, user=request.user, posting=posting, cadre=preset,
                       search_url=reverse("cadres:record_cadre_search"))


def _save(request, form, posting=None):
    try:
        data = form.service_data()
        if posting is None:
            return svc.posting_propose(by=request.user, fields=data)
        return svc.posting_update(by=request.user, posting=posting, fields=data)
    except ValidationError as e:
        form.apply_errors(e)
    except (PermissionDenied, Http404) as e:
        form.add_error(None, _errors(e))
    return None


@requires("change")
def posting_create(request):
    if not svc.may_propose(request.user):
        raise PermissionDenied(_("您没有执行此操作的权限。"))
    preset = None
    if cadre_id := parse_id(request.GET.get("cadre")):
        preset = Cadre.objects.restrict(request.user, "view").filter(pk=cadre_id).first()
    form = _posting_form(request, preset=preset)
    if request.method == "POST" and form.is_valid():
        posting = _save(request, form)
        if posting is not None:
            messages.success(request, _("已提出一线历练，等待组织部审批。"))
            return _detail(posting)
    return render(request, "promotion/postings/posting_form.html", {"form": form, "posting": None})


@requires("change")
def posting_edit(request, pk):
    posting = posting_get(request.user, pk)
    gate.ensure(request.user, "change", posting)
    if "edit" not in svc.posting_allowed_actions(posting, request.user):
        messages.error(request, _("当前状态为“%(status)s”，不能%(action)s。") % {
            "status": posting.get_status_display(), "action": svc.POSTING_ACTION_LABELS["edit"]})
        return _detail(posting)
    form = _posting_form(request, posting=posting)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, posting)
        if saved is not None:
            messages.success(request, _("已保存。"))
            return _detail(saved)
    return render(request, "promotion/postings/posting_form.html", {"form": form, "posting": posting,
                                                                     "status_badges": STATUS_BADGES})


# --------------------------------------------------------------------------- detail
def _labelled(steps):
    statuses = dict(PostingStatus.choices)
    for s in steps:
        s.action_label = svc.POSTING_ACTION_LABELS.get(s.action, s.action)
        s.from_status_label = statuses.get(s.from_status, s.from_status)
        s.to_status_label = statuses.get(s.to_status, s.to_status)
    return steps


def _detail_page(request, posting, *, forms=None, status=200):
    allowed = svc.posting_allowed_actions(posting, request.user)
    forms = forms or {}
    buttons = []
    for action in svc.BUTTON_ACTIONS:
        if action in allowed:
            style, icon = ACTION_STYLE[action]
            initial = {"evaluated_on": today()} if action == "close" else None
            buttons.append({"action": action, "label": svc.POSTING_ACTION_LABELS[action], "style": style,
                            "icon": icon, "url": reverse(f"promotion:posting_{action}", args=[posting.pk]),
                            "form": forms.get(action) or STEP_FORMS[action](prefix=action, initial=initial),
                            "open": action in forms})
    others = list(posting_rows(request.user).filter(cadre=posting.cadre_id).exclude(pk=posting.pk)
                  .order_by("start_date", "id"))
    return render(request, "promotion/postings/posting_detail.html", {
        "posting": posting,
        "steps": _labelled(steps_of(StepSubject.POSTING, posting)),
        "buttons": buttons,
        "can_edit": "edit" in allowed,
        "status_badges": STATUS_BADGES,
        "evaluation_badges": EVALUATION_BADGES,
        "others": others,
        "overdue": posting.status == PostingStatus.APPROVED and posting.end_date < today(),
        "cadre_visible": gate.allows(request.user, "view", posting.cadre),
    }, status=status)


@requires("view")
def posting_detail(request, pk):
    return _detail_page(request, posting_get(request.user, pk))


def _step(request, pk, action):
    posting = posting_get(request.user, pk)
    form = STEP_FORMS[action](request.POST, prefix=action)
    if not form.is_valid():
        return _detail_page(request, posting, forms={action: form})
    data = form.cleaned_data
    try:
        if action == "close":
            svc.posting_close(by=request.user, posting=posting, evaluation=data["evaluation"],
                              remarks=data.get("remarks") or "", evaluated_on=data.get("evaluated_on"))
        else:
            getattr(svc, f"posting_{action}")(by=request.user, posting=posting, reason=data.get("reason") or "")
    except ValidationError as e:
        if hasattr(e, "error_dict") and set(e.error_dict) & set(form.fields):
            form.apply_errors(e)
            return _detail_page(request, posting, forms={action: form})
        messages.error(request, _errors(e))
        return _detail(posting)
    except PermissionDenied as e:
        if action == "withdraw":  # a leader's 403 answers as 403 (the matrix), not as a message
            raise
        messages.error(request, _errors(e))
        return _detail(posting)
    messages.success(request, str(DONE[action]))
    return _detail(posting)


@requires("reserve", post_only=True)
def posting_approve(request, pk):
    return _step(request, pk, "approve")


@requires("reserve", post_only=True)
def posting_reject(request, pk):
    return _step(request, pk, "reject")


@requires("reserve", post_only=True)
def posting_close(request, pk):
    return _step(request, pk, "close")


@requires("change", post_only=True)
def posting_withdraw(request, pk):
    return _step(request, pk, "withdraw")
