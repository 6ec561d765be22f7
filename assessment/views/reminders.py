"""Pages of reminders (担当提醒) and sanctions (处分): lists with filters, sort and export, detail
pages with the steps and the history, the forms, the follow-up, the revocation and the page of
cadres whose signs suggest a reminder.

Views parse input, call one service (``assessment/services/reminders.py`` / ``sanctions.py``) and
render; the buttons come from the services' tables (``allowed_actions``). Unit leaders read their
scope's reminders and sanctions; auditors read all; org staff record (gate action ``discipline``).
"""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadres.models import Cadre
from pingdingshan.core import permissions as gate
from pingdingshan.core.dates import today
from pingdingshan.core.exports import Column
from pingdingshan.core.fields import parse_id
from pingdingshan.core.pages import ListPage, paginate, requires

from ..filters_reminders import ReminderFilter, SanctionFilter
from ..forms_reminders import FollowUpForm, ReminderForm, RevokeForm, SanctionForm
from ..models import CardProposal, ProposalStatus, Reminder, ReminderKind, Sanction, SanctionKind, Subject, Suggestion
from ..services import conduct
from ..services import reminders as rsvc
from ..services import sanctions as ssvc


def _search_url():
    try:
        return reverse("cadres:record_cadre_search")
    except NoReverseMatch:
        return ""


def _errors(e) -> str:
    return " ".join(getattr(e, "messages", None) or [str(e)])


def _proposal_url():
    try:
        return reverse("assessment:proposal_list")
    except NoReverseMatch:
        return ""


def steps(subject, obj, labels) -> list:
    """The object's steps, oldest first, each with its action in words (``label``)."""
    out = conduct.steps_of(subject, obj)
    for step in out:
        step.label = str(labels.get(step.action, step.action))
    return out


def may_suggest(user) -> bool:
    """The suggestions read pending card proposals, which only city-wide readers see."""
    return gate.can(user, "view") and gate.city_wide(user, "view", CardProposal)


# =========================================================================== reminders
REMINDER_COLUMNS = [
    (gettext_lazy("干部"), "cadre"),
    (gettext_lazy("单位"), "unit"),
    (gettext_lazy("提醒方式"), "kind"),
    (gettext_lazy("提醒日期"), "held"),
    (gettext_lazy("提醒缘由"), None),
    (gettext_lazy("回访日期"), "follow_up"),
    (gettext_lazy("回访"), None),
]


def reminder_page(request) -> ListPage:
    qs = Reminder.objects.restrict(request.user).select_related("cadre__unit")
    return ListPage(request, ReminderFilter, qs, columns=REMINDER_COLUMNS, skip=("ordering", "cadre"),
                    placeholders={"q": _("姓名、拼音首字母或身份证号")})


def _reminder_rows(rows, user):
    day = today()
    due = rsvc.due_by(day)
    for r in rows:
        r.sign_sentences = rsvc.signs_in_words(rsvc.signs_shown_to(user, r.signs))
        r.state = rsvc.state(r)
        r.state_label = rsvc.state_label(r)
        r.is_due = r.followed_up_on is None and r.follow_up_on <= due
        r.is_overdue = r.followed_up_on is None and r.follow_up_on < day
    return rows


def _tabs(request, lp):
    """全部 / 到期待回访 / 待回访 / 已回访, keeping the other filters."""
    from pingdingshan.core.pages import query_without

    keep = query_without(request.GET, "state", "due", "page")
    current = "due" if request.GET.get("due") in ("on", "true", "1", "True") else request.GET.get("state", "")
    tabs = []
    for key, label, params in (("", _("全部"), ""), ("due", _("到期待回访"), "due=on"),
                               (rsvc.OPEN, rsvc.STATE_LABELS[rsvc.OPEN], f"state={rsvc.OPEN}"),
                               (rsvc.DONE, rsvc.STATE_LABELS[rsvc.DONE], f"state={rsvc.DONE}")):
        q = "&".join(p for p in (params, keep) if p)
        tabs.append({"key": key, "label": label, "active": current == key, "url": f"?{q}" if q else "?"})
    return tabs


@requires("view")
def reminder_list(request):
    lp = reminder_page(request)
    page = lp.paginate()
    rows = _reminder_rows(list(page.object_list), request.user)
    return render(request, "assessment/reminders/reminder_list.html", lp.context(
        page, reminders=rows, tabs=_tabs(request, lp), filter_cadre=lp.cleaned("cadre"),
        can_create=gate.can(request.user, "discipline"), can_suggest=may_suggest(request.user)))


def reminder_export_columns(user) -> list[Column]:
    kinds = {k: str(v) for k, v in ReminderKind.choices}
    return [
        Column(_("干部"), lambda r: r.cadre.name, 10),
        Column(_("身份证号码"), lambda r: r.cadre.id_number, 20),
        Column(_("单位"), lambda r: r.cadre.unit.name, 24),
        Column(_("提醒方式"), lambda r: kinds.get(r.kind, r.kind), 10),
        Column(_("提醒日期"), lambda r: r.held_on, 12),
        Column(_("提醒缘由"), lambda r: "；".join(rsvc.signs_in_words(rsvc.signs_shown_to(user, r.signs))), 50),
        Column(_("缘由说明"), lambda r: r.signs_note, 30),
        Column(_("提醒内容"), lambda r: r.content, 50),
        Column(_("回访日期"), lambda r: r.follow_up_on, 12),
        Column(_("已回访日期"), lambda r: r.followed_up_on, 12),
        Column(_("回访情况"), lambda r: r.follow_up_result, 40),
        Column(_("编号"), lambda r: r.pk, 8),
    ]


@requires("export")
def reminder_export(request):
    return reminder_page(request).export(columns=reminder_export_columns(request.user), what="担当提醒", filename=_("担当提醒"),
                                         list_url=reverse("assessment:reminder_list"))


def _reminder(request, pk):
    return gate.get_or_404(Reminder.objects.select_related("cadre__unit", "recorded_by", "proposal"), request.user,
                           "view", pk=pk)


def _reminder_detail_page(request, reminder, follow_up_form=None, status=200):
    allowed = rsvc.allowed_actions(reminder, request.user)
    _reminder_rows([reminder], request.user)
    return render(request, "assessment/reminders/reminder_detail.html", {
        "show_proposal": may_suggest(request.user),
        "reminder": reminder, "actions": allowed, "steps": steps(Subject.REMINDER, reminder, rsvc.ACTION_LABELS),
        "follow_up_form": follow_up_form or FollowUpForm(initial={"on": today()}),
        "proposal_url": _proposal_url(),
    }, status=status)


@requires("view")
def reminder_detail(request, pk):
    return _reminder_detail_page(request, _reminder(request, pk))


@requires("view", post_only=True)
def reminder_follow_up(request, pk):
    reminder = _reminder(request, pk)
    gate.require(request.user, "discipline")
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            rsvc.reminder_follow_up(by=request.user, reminder=reminder, **form.cleaned_data)
        except ValidationError as e:
            if hasattr(e, "error_dict"):
                form.add_service_errors(e)
            else:
                messages.error(request, _errors(e))
                return redirect("assessment:reminder_detail", pk=reminder.pk)
        else:
            messages.success(request, _("已登记回访。"))
            return redirect("assessment:reminder_detail", pk=reminder.pk)
    return _reminder_detail_page(request, reminder, follow_up_form=form, status=200)


def _prefill(request, user):
    """The cadre and proposal of ``?cadre=<id>&proposal=<id>`` (from the suggestions page or a
    proposal's page), when the user sees them."""
    cadre = proposal = None
    if cadre_id := parse_id(request.GET.get("cadre")):
        cadre = Cadre.objects.restrict(user).filter(pk=cadre_id).first()
    if proposal_id := parse_id(request.GET.get("proposal")):
        proposal = CardProposal.objects.restrict(user).filter(pk=proposal_id, status=ProposalStatus.PENDING,
                                                              suggestion=Suggestion.REMINDER).first()
        if proposal is not None and cadre is None:
            cadre = proposal.cadre
        if proposal is not None and proposal.cadre_id != cadre.pk:
            proposal = None
    return cadre, proposal


@requires("discipline")
def reminder_create(request):
    user = request.user
    if request.method == "POST":
        proposal_id = parse_id(request.POST.get("proposal"))
        proposal = CardProposal.objects.restrict(user).filter(pk=proposal_id).first() if proposal_id else None
        cadre_id = parse_id(request.POST.get("cadre"))
        preset = Cadre.objects.restrict(user).filter(pk=cadre_id).first() if cadre_id else None
    else:
        preset, proposal = _prefill(request, user)
    initial = {"held_on": today()}
    if preset is not None:
        initial["cadre"] = preset.pk
    if proposal is not None:
        initial["proposal"] = proposal.pk
    form = ReminderForm(request.POST or None, user=user, search_url=_search_url(), initial=initial)
    signs = []
    if preset is not None:
        signs = rsvc.reminder_signs(user=user, cadre_ids=[preset.pk]).get(preset.pk, [])
        if proposal is not None:
            signs = [s for s in signs if s[0] != rsvc.PROPOSAL_PENDING or s[1].get("proposal") == proposal.pk]
    if request.method == "POST" and form.is_valid():
        data = form.service_data()
        if data["cadre"] is not None and (preset is None or data["cadre"].pk != preset.pk):
            signs = rsvc.reminder_signs(user=user, cadre_ids=[data["cadre"].pk]).get(data["cadre"].pk, [])
        try:
            reminder = rsvc.reminder_create(by=user, signs=signs, proposal=proposal, **data)
        except ValidationError as e:
            form.add_service_errors(e, {"proposal": "__all__", "signs": "__all__"})
        except PermissionDenied as e:
            form.add_error(None, _errors(e))
        else:
            messages.success(request, _("已登记担当提醒。"))
            return redirect("assessment:reminder_detail", pk=reminder.pk)
    return render(request, "assessment/reminders/reminder_form.html", {
        "form": form, "signs": rsvc.signs_in_words(signs), "cadre": preset, "proposal": proposal})


@requires("view")
def reminder_edit(request, pk):
    reminder = _reminder(request, pk)
    gate.require(request.user, "discipline")
    if "edit" not in rsvc.allowed_actions(reminder, request.user):
        messages.error(request, _("该提醒当前为“%(state)s”，不能%(action)s。") % {
            "state": rsvc.state_label(reminder), "action": rsvc.ACTION_LABELS["edit"]})
        return redirect("assessment:reminder_detail", pk=reminder.pk)
    initial = {f: getattr(reminder, f) for f in rsvc.UPDATE_FIELDS}
    form = ReminderForm(request.POST or None, user=request.user, reminder=reminder, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            rsvc.reminder_update(by=request.user, reminder=reminder, **form.service_data())
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            messages.success(request, _("已保存。"))
            return redirect("assessment:reminder_detail", pk=reminder.pk)
    return render(request, "assessment/reminders/reminder_form.html", {
        "form": form, "reminder": reminder, "signs": rsvc.signs_in_words(reminder.signs), "cadre": reminder.cadre})


@requires("view")
def reminder_suggestions(request):
    if not may_suggest(request.user):
        raise PermissionDenied(_("您没有执行此操作的权限。"))
    rows = rsvc.suggestions(user=request.user)
    page = paginate(request, rows)
    return render(request, "assessment/reminders/reminder_suggestions.html", {
        "page_obj": page, "rows": page.object_list, "can_create": gate.can(request.user, "discipline"),
        "threshold": conduct.composite_drop()})


# =========================================================================== sanctions
SANCTION_COLUMNS = [
    (gettext_lazy("干部"), "cadre"),
    (gettext_lazy("单位"), "unit"),
    (gettext_lazy("处分种类"), "kind"),
    (gettext_lazy("处分决定日期"), "decided"),
    (gettext_lazy("处分期满日期"), "end"),
    (gettext_lazy("决定机关"), None),
    (gettext_lazy("状态"), None),
]
STATE_BADGES = {ssvc.IN_FORCE: "danger", ssvc.EXPIRED: "secondary", ssvc.REVOKED: "light"}


def sanction_page(request) -> ListPage:
    qs = Sanction.objects.restrict(request.user).select_related("cadre__unit")
    return ListPage(request, SanctionFilter, qs, columns=SANCTION_COLUMNS, skip=("ordering", "cadre"),
                    placeholders={"q": _("姓名、拼音首字母或身份证号")})


def _sanction_rows(rows):
    day = today()
    for s in rows:
        s.state = ssvc.state(s, day)
        s.state_label = ssvc.state_label(s, day)
        s.badge = STATE_BADGES[s.state]
    return rows


@requires("view")
def sanction_list(request):
    lp = sanction_page(request)
    page = lp.paginate()
    return render(request, "assessment/sanctions/sanction_list.html", lp.context(
        page, sanctions=_sanction_rows(list(page.object_list)), filter_cadre=lp.cleaned("cadre"),
        can_create=gate.can(request.user, "discipline")))


def sanction_export_columns() -> list[Column]:
    kinds = {k: str(v) for k, v in SanctionKind.choices}
    day = today()
    return [
        Column(_("干部"), lambda s: s.cadre.name, 10),
        Column(_("身份证号码"), lambda s: s.cadre.id_number, 20),
        Column(_("单位"), lambda s: s.cadre.unit.name, 24),
        Column(_("处分种类"), lambda s: kinds.get(s.kind, s.kind), 12),
        Column(_("处分决定日期"), lambda s: s.decided_on, 12),
        Column(_("处分期满日期"), lambda s: s.end_date, 12),
        Column(_("决定机关"), lambda s: s.body, 20),
        Column(_("文号"), lambda s: s.document_no, 16),
        Column(_("主要事实"), lambda s: s.facts, 40),
        Column(_("状态"), lambda s: ssvc.state_label(s, day), 8),
        Column(_("撤销日期"), lambda s: s.revoked_on, 12),
        Column(_("撤销理由"), lambda s: s.revoke_reason, 30),
        Column(_("编号"), lambda s: s.pk, 8),
    ]


@requires("export")
def sanction_export(request):
    return sanction_page(request).export(columns=sanction_export_columns(), what="处分", filename=_("处分"),
                                         list_url=reverse("assessment:sanction_list"))


def _sanction(request, pk):
    return gate.get_or_404(Sanction.objects.select_related("cadre__unit", "created_by"), request.user, "view", pk=pk)


def _sanction_detail_page(request, sanction, revoke_form=None):
    _sanction_rows([sanction])
    return render(request, "assessment/sanctions/sanction_detail.html", {
        "sanction": sanction, "actions": ssvc.allowed_actions(sanction, request.user),
        "steps": steps(Subject.SANCTION, sanction, ssvc.ACTION_LABELS), "revoke_form": revoke_form or RevokeForm(),
        "term_months": conduct.sanction_term_months(sanction.kind)})


@requires("view")
def sanction_detail(request, pk):
    return _sanction_detail_page(request, _sanction(request, pk))


@requires("discipline")
def sanction_create(request):
    user = request.user
    initial = {}
    if cadre_id := parse_id(request.GET.get("cadre")):
        if Cadre.objects.restrict(user).filter(pk=cadre_id).exists():
            initial["cadre"] = cadre_id
    form = SanctionForm(request.POST or None, user=user, search_url=_search_url(), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            sanction = ssvc.sanction_create(by=user, **form.service_data())
        except ValidationError as e:
            form.add_service_errors(e)
        except PermissionDenied as e:
            form.add_error(None, _errors(e))
        else:
            messages.success(request, _("已登记处分。"))
            return redirect("assessment:sanction_detail", pk=sanction.pk)
    return render(request, "assessment/sanctions/sanction_form.html", {
        "form": form, "terms": [(label, conduct.sanction_term_months(k)) for k, label in SanctionKind.choices]})


@requires("view", post_only=True)
def sanction_revoke(request, pk):
    sanction = _sanction(request, pk)
    gate.require(request.user, "discipline")
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            ssvc.sanction_revoke(by=request.user, sanction=sanction, **form.cleaned_data)
        except ValidationError as e:
            if not hasattr(e, "error_dict"):
                messages.error(request, _errors(e))
                return redirect("assessment:sanction_detail", pk=sanction.pk)
            form.add_service_errors(e)
        else:
            messages.success(request, _("已撤销处分。"))
            return redirect("assessment:sanction_detail", pk=sanction.pk)
    return _sanction_detail_page(request, sanction, revoke_form=form)
