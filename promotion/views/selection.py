"""Pages of the selection record (选任纪实): the list and its export, the create form, the record
page (the timeline of the steps with their data, who and when, what is missing for the next step,
every document, the audit history, the buttons of the allowed actions), one form per step, the
posts and candidates, and the documents (served through the gate).

Views parse input, call one service of ``promotion/services/selection.py`` and render; a refusal is
shown next to the fields (or as a message) and changes nothing. Every action is org staff's (gate
action ``reserve``: 403 for everyone else) except 民主推荐, which the unit leaders of the record's
unit record too (the table's gate action ``recommend``); unit leaders read the records of their
subtree (404 outside), auditors read all.
"""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.clickjacking import xframe_options_sameorigin

from pingdingshan.core import permissions as gate
from pingdingshan.core.dates import today
from pingdingshan.core.exports import Column
from pingdingshan.core.files import serve_file
from pingdingshan.core.forms import apply_errors
from pingdingshan.core.pages import ListPage, requires

from ..filters_selection import SelectionFilter
from ..forms_selection import STEP_FORMS, CandidateForm, DocumentForm, PostAddForm, SelectionEditForm, SelectionForm
from ..models import (
    Ballot,
    DecisionVote,
    FileCheck,
    Selection,
    SelectionCandidate,
    SelectionDocument,
    SelectionPost,
    SelectionStatus,
)
from ..services import post_eligibility
from ..services import selection as svc

S = SelectionStatus
WHAT = "选任纪实"
BADGES = {S.MOTION: "secondary", S.RECOMMEND: "info", S.SHORTLIST: "info", S.INSPECT: "primary",
          S.DECIDE: "primary", S.NOTICE: "warning", S.APPOINT: "warning", S.PROBATION: "success",
          S.DONE: "success", S.STOPPED: "dark"}
COLUMNS = [
    (gettext_lazy("名称"), "title"),
    (gettext_lazy("单位"), "unit"),
    (gettext_lazy("类型"), "kind"),
    (gettext_lazy("拟任职务"), None),
    (gettext_lazy("拟任人选"), None),
    (gettext_lazy("动议日期"), "motion"),
    (gettext_lazy("所处环节"), "status"),
]
# The step of the procedure each logged action belongs to (the timeline).
ACTION_STEP = {"create": S.MOTION, "edit": S.MOTION, "post": S.MOTION, "candidate": S.RECOMMEND, "motion": S.MOTION,
               "recommend": S.RECOMMEND, "shortlist": S.SHORTLIST, "inspect": S.INSPECT, "decide": S.DECIDE,
               "postpone": S.DECIDE, "notice": S.NOTICE, "notice_result": S.NOTICE, "appoint": S.APPOINT,
               "probation": S.PROBATION}
BUTTON_STYLE = {"stop": "btn-outline-danger", "postpone": "btn-outline-secondary",
                "notice_result": "btn-outline-primary"}
DONE_MESSAGES = {
    "motion": gettext_lazy("已登记动议，职数预审通过。"), "recommend": gettext_lazy("已登记民主推荐。"),
    "shortlist": gettext_lazy("已确定考察对象。"), "inspect": gettext_lazy("已登记考察。"),
    "decide": gettext_lazy("已登记讨论决定。"), "postpone": gettext_lazy("已登记缓议。"),
    "notice": gettext_lazy("已登记任前公示。"), "notice_result": gettext_lazy("已登记公示结果。"),
    "appoint": gettext_lazy("已任职，干部任职、职级和简历已更新。"), "probation": gettext_lazy("已登记试用期满结果。"),
    "stop": gettext_lazy("已终止。"),
}


def _errors(e) -> str:
    return " ".join(getattr(e, "messages", None) or [str(e)])


# --------------------------------------------------------------------------- selectors
def selection_rows(user):
    """The records the user sees, with what the list shows (two prefetches, whatever the rows)."""
    return (Selection.objects.restrict(user, "view").select_related("unit")
            .prefetch_related(Prefetch("posts", queryset=SelectionPost.objects.select_related("post")),
                              Prefetch("candidates", queryset=SelectionCandidate.objects.select_related("cadre"))))


def selection_get(user, pk) -> Selection:
    return gate.get_or_404(Selection.objects.select_related("unit", "created_by", "motion_by", "shortlist_by",
                                                            "inspect_by", "notice_by", "notice_result_by"),
                           user, "view", pk=pk)


def _detail(selection):
    return redirect("promotion:selection_detail", pk=selection.pk)


# --------------------------------------------------------------------------- list and export
def list_page(request) -> ListPage:
    return ListPage(request, SelectionFilter, selection_rows(request.user), columns=COLUMNS,
                    placeholders={"q": _("名称、人选姓名或拼音首字母")})


@requires("view")
def selection_list(request):
    lp = list_page(request)
    page = lp.paginate()
    return render(request, "promotion/selection/list.html", lp.context(
        page, selections=page.object_list, badges=BADGES, can_create=gate.can(request.user, "reserve")))


def export_columns() -> list[Column]:
    kinds, statuses = dict(Selection._meta.get_field("kind").choices), dict(SelectionStatus.choices)
    return [
        Column(_("编号"), lambda s: s.pk, 8),
        Column(_("名称"), lambda s: s.title, 30),
        Column(_("单位"), lambda s: s.unit.name, 20),
        Column(_("类型"), lambda s: str(kinds.get(s.kind, s.kind)), 10),
        Column(_("拟任职务"), lambda s: "、".join(p.post.name for p in s.posts.all()), 24),
        Column(_("拟任人选"), lambda s: "、".join(c.cadre.name for c in s.candidates.all()), 24),
        Column(_("考察对象"), lambda s: "、".join(c.cadre.name for c in s.candidates.all() if c.shortlisted), 20),
        Column(_("动议日期"), lambda s: s.motion_on, 12),
        Column(_("公示期"), lambda s: f"{s.notice_start} — {s.notice_end}" if s.notice_start else "", 24),
        Column(_("所处环节"), lambda s: str(statuses.get(s.status, s.status)), 12),
        Column(_("创建时间"), lambda s: s.created_at, 18),
    ]


@requires("export")
def selection_export(request):
    return list_page(request).export(columns=export_columns(), what=WHAT, filename=_("选任纪实"),
                                     list_url=reverse("promotion:selection_list"))


# --------------------------------------------------------------------------- create
@requires("reserve")
def selection_create(request):
    """The new record's form; ``?cadre=<id>`` (the cadre page's 选拔任用) makes that cadre its first
    candidate (a cadre out of sight is refused on the form like a missing one)."""
    initial = {"cadre": request.GET.get("cadre")} if request.GET.get("cadre", "").isdigit() else {}
    form = SelectionForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            selection = form.call(by=request.user)
        except ValidationError as e:
            apply_errors(form, e)
        except (PermissionDenied, Http404) as e:
            form.add_error(None, _errors(e))
        else:
            messages.success(request, _("已创建选任纪实，请登记分析研判和动议。"))
            return _detail(selection)
    cadre = None
    if form.is_bound and form.is_valid():
        cadre = form.cleaned_data.get("cadre")
    elif initial:
        cadre = form.fields["cadre"].queryset.filter(pk=initial["cadre"]).first()
    return render(request, "promotion/selection/form.html", {"form": form, "cadre": cadre})


# --------------------------------------------------------------------------- the record page
def _timeline(selection, steps, documents):
    """The procedure's steps in order: done / current / waiting (or stopped), each with its log
    lines (who, when, what) and its documents."""
    status = selection.status
    at = svc.ORDER.index(status) if status in svc.ORDER else None
    if status == S.STOPPED:  # where it stopped: the last step that has a log line
        logged = [svc.ORDER.index(ACTION_STEP[s.action]) for s in steps if s.action in ACTION_STEP]
        at = max(logged) if logged else 0
    labels = dict(svc.ACTION_LABELS)
    status_labels = dict(SelectionStatus.choices)
    out = []
    for i, step in enumerate(svc.ORDER):
        if status == S.DONE or (at is not None and i < at):
            state = "done"
        elif at is not None and i == at:
            state = "stopped" if status == S.STOPPED else "current"
        else:
            state = "waiting"
        lines = [s for s in steps if ACTION_STEP.get(s.action) == step]
        for s in lines:
            s.action_label = labels.get(s.action, s.action)
            s.to_status_label = status_labels.get(s.to_status, s.to_status)
        out.append({"step": step, "label": status_labels[step], "state": state, "lines": lines,
                    "documents": [d for d in documents if d.step == step]})
    return out


def _candidate_rows(selection):
    candidates = list(selection.candidates.select_related("cadre", "cadre__unit", "target__post", "appointment",
                                                          "new_rank", "previous_rank", "return_post__unit")
                      .prefetch_related(Prefetch("file_checks", queryset=FileCheck.objects.order_by("id")))
                      .order_by("order", "id"))
    totals = svc._total_votes(selection)
    top = svc.top_candidates(selection, candidates)
    live = selection.status not in (S.DONE, S.STOPPED, S.PROBATION)
    blocks = svc.promotion_blocks([c.cadre_id for c in candidates], on=today()) if live else {}
    fit = (svc.eligibility(candidates, on=today(), skip=("standing",))
           if selection.status in (S.MOTION, S.RECOMMEND, S.SHORTLIST, S.INSPECT, S.DECIDE) else {})
    for c in candidates:
        c.total_votes = totals.get(c.pk)
        c.is_top = c.pk in top
        c.blocks = blocks.get(c.cadre_id, [])
        c.fit = fit.get(c.pk)
        c.path_label = post_eligibility.PATHS[c.exceptional_path].label if c.exceptional_path in post_eligibility.PATHS else ""
        c.bars = svc.inspection_bars(c)
    return candidates


def _detail_page(request, selection, *, upload_form=None, status=200):
    user = request.user
    allowed = svc.allowed_actions(selection, user)
    steps = svc.selection_steps(selection)
    documents = list(selection.documents.select_related("uploaded_by"))
    buttons = [{"action": a, "label": svc.ACTION_LABELS[a], "style": BUTTON_STYLE.get(a, "btn-primary"),
                "url": reverse(f"promotion:selection_{a}", args=[selection.pk])}
               for a in svc.STEP_ACTIONS if a in allowed]
    recommendations = list(selection.recommendations.select_related("recorded_by").prefetch_related(
        Prefetch("ballots", queryset=Ballot.objects.select_related("candidate__cadre"))))
    decisions = list(selection.decisions.select_related("recorded_by").prefetch_related(
        Prefetch("votes", queryset=DecisionVote.objects.select_related("candidate__cadre"))))
    context = {
        "selection": selection,
        "badges": BADGES,
        "timeline": _timeline(selection, steps, documents),
        "missing": svc.next_missing(selection),
        "review": svc.quota_review(selection, on=selection.motion_on) if selection.status == S.MOTION
        else [{"row": r, **{k: (r.review or {}).get(k) for k in ("approved", "held", "ending", "planned", "on")}}
              for r in selection.posts.select_related("post", "post__unit").prefetch_related("ends__cadre")],
        "candidates": _candidate_rows(selection),
        "recommendations": recommendations,
        "decisions": decisions,
        "documents": documents,
        "buttons": buttons,
        "can_post": "post" in allowed,
        "can_edit": "edit" in allowed,
        "can_candidate": "candidate" in allowed,
        "can_upload": "upload" in allowed,
        "can_delete_document": "delete_document" in allowed,
        "upload_form": upload_form or (DocumentForm(selection=selection) if "upload" in allowed else None),
        "notice_days": (svc.notice_period(selection.notice_start, selection.notice_end)[1]
                        if selection.notice_start and selection.notice_end else ""),
    }
    return render(request, "promotion/selection/detail.html", context, status=status)


@requires("view")
def selection_detail(request, pk):
    return _detail_page(request, selection_get(request.user, pk))


# --------------------------------------------------------------------------- the steps
def _refused(request, selection, action) -> bool:
    if action in svc.allowed_actions(selection, request.user):
        return False
    messages.error(request, _("选任纪实当前处于“%(status)s”环节，不能%(action)s。") % {
        "status": selection.get_status_display(), "action": svc.ACTION_LABELS[action]})
    return True


@login_required
def selection_step(request, pk, action):
    gate.require(request.user, svc.gate_action(action))  # the table's gate action (403 before any lookup)
    selection = selection_get(request.user, pk)
    if _refused(request, selection, action):
        return _detail(selection)
    form_class = STEP_FORMS[action]
    form = form_class(request.POST or None, selection=selection, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            form.call(by=request.user)
        except ValidationError as e:
            form.apply_errors(e)
        except (PermissionDenied, Http404) as e:
            form.add_error(None, _errors(e))
        else:
            messages.success(request, DONE_MESSAGES[action])
            return _detail(selection)
    return render(request, "promotion/selection/step_form.html", {
        "selection": selection, "form": form, "action": action, "label": svc.ACTION_LABELS[action],
        "missing": svc.next_missing(selection), "badges": BADGES,
        "review": svc.quota_review(selection) if action == "motion" else None,
    })


def _small_form_page(request, selection, form, *, title, done):
    if request.method == "POST" and form.is_valid():
        try:
            form.call(by=request.user)
        except ValidationError as e:
            apply_errors(form, e)
        except (PermissionDenied, Http404) as e:
            form.add_error(None, _errors(e))
        else:
            messages.success(request, done)
            return _detail(selection)
    return render(request, "promotion/selection/small_form.html", {"selection": selection, "form": form,
                                                                    "title": title, "badges": BADGES})


@requires("reserve")
def selection_edit(request, pk):
    selection = selection_get(request.user, pk)
    if _refused(request, selection, "edit"):
        return _detail(selection)
    form = SelectionEditForm(request.POST or None, selection=selection)
    return _small_form_page(request, selection, form, title=_("修改"), done=_("已保存。"))


@requires("reserve")
def selection_post_add(request, pk):
    selection = selection_get(request.user, pk)
    if _refused(request, selection, "post"):
        return _detail(selection)
    form = PostAddForm(request.POST or None, selection=selection, user=request.user)
    return _small_form_page(request, selection, form, title=_("添加拟任职务"), done=_("已添加拟任职务。"))


@requires("reserve", post_only=True)
def selection_post_remove(request, pk):
    row = gate.get_or_404(SelectionPost.objects.select_related("selection", "post"), request.user, "view", pk=pk)
    try:
        svc.selection_post_remove(by=request.user, selection_post=row)
    except (ValidationError, PermissionDenied) as e:
        messages.error(request, _errors(e))
    else:
        messages.success(request, _("已移除拟任职务。"))
    return _detail(row.selection)


@requires("reserve")
def selection_candidate_add(request, pk):
    selection = selection_get(request.user, pk)
    if _refused(request, selection, "candidate"):
        return _detail(selection)
    form = CandidateForm(request.POST or None, selection=selection, user=request.user,
                         search_url=reverse("cadres:record_cadre_search"))
    return _small_form_page(request, selection, form, title=_("添加人选"), done=_("已添加人选。"))


@requires("reserve", post_only=True)
def selection_candidate_remove(request, pk):
    candidate = gate.get_or_404(SelectionCandidate.objects.select_related("selection", "cadre"), request.user, "view",
                                pk=pk)
    try:
        svc.candidate_remove(by=request.user, candidate=candidate)
    except (ValidationError, PermissionDenied) as e:
        messages.error(request, _errors(e))
    else:
        messages.success(request, _("已移除人选。"))
    return _detail(candidate.selection)


# --------------------------------------------------------------------------- documents
@requires("reserve", post_only=True)
def selection_document_upload(request, pk):
    selection = selection_get(request.user, pk)
    form = DocumentForm(request.POST, request.FILES, selection=selection)
    if form.is_valid():
        stored = []
        try:
            with transaction.atomic():
                for upload in form.cleaned_data["files"]:
                    stored.append(svc.selection_document_add(by=request.user, selection=selection,
                                                             step=form.cleaned_data["step"], upload=upload,
                                                             title=form.cleaned_data.get("title") or ""))
        except ValidationError as e:
            for doc in stored:
                doc.file.storage.delete(doc.file.name)
            if not hasattr(e, "error_dict"):
                messages.error(request, _errors(e))
                return _detail(selection)
            form.apply_errors(e)
        except PermissionDenied as e:
            messages.error(request, _errors(e))
            return _detail(selection)
        else:
            messages.success(request, _("已上传 %(n)s 个文件。") % {"n": len(stored)})
            return _detail(selection)
    return _detail_page(request, selection, upload_form=form)


def _document(request, pk):
    return gate.get_or_404(SelectionDocument.objects.select_related("selection"), request.user, "view", pk=pk)


@requires("view")
def selection_document_download(request, pk):
    doc = _document(request, pk)
    return serve_file(doc.file, filename=doc.original_name, content_type=doc.content_type)


@requires("view")
@xframe_options_sameorigin
def selection_document_preview(request, pk):
    doc = _document(request, pk)
    if not doc.previewable:
        raise Http404(_("该文件不能在线预览，请下载查看。"))
    return serve_file(doc.file, filename=doc.original_name, content_type=doc.content_type, attachment=False)


@requires("reserve", post_only=True)
def selection_document_delete(request, pk):
    doc = _document(request, pk)
    try:
        svc.selection_document_delete(by=request.user, document=doc)
    except (ValidationError, PermissionDenied) as e:
        messages.error(request, _errors(e))
    else:
        messages.success(request, _("已删除材料“%(n)s”。") % {"n": doc.title or doc.original_name})
    return _detail(doc.selection)
