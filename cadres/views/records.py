"""Pages of the performance archive (实绩档案) for unit leaders and org staff: the record list and
its export, the record form with evidence files, the record detail with its workflow buttons,
the gated evidence download / preview, and the cadre detail's 实绩档案 tab.

Views parse input, call one service of ``cadres/services/records.py`` (or a selector) and render.
Which buttons a page shows is derived from the services' workflow table (``allowed_actions`` over
``TRANSITIONS`` and ``STEPS``); the services decide for real and their Chinese error is shown as a
message.
"""
from collections import defaultdict
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.clickjacking import xframe_options_sameorigin

from pingdingshan.core import permissions as gate
from pingdingshan.core.exports import Column
from pingdingshan.core.fields import parse_id
from pingdingshan.core.files import serve_file
from pingdingshan.core.pages import ListPage, query_without, requires

from .. import selectors, services
from ..filters import cadre_search_q
from ..forms_records import CADRE_SEARCH_LIMIT, EvidenceUploadForm, RecordForm, cadre_label
from ..models import Cadre, Evidence, PerformanceRecord, RecordRole, RecordStatus

S = RecordStatus
EXPORT_WHAT = "实绩记录"

# (header, ordering parameter of RecordFilter or None)
LIST_COLUMNS = [
    (gettext_lazy("干部"), "cadre"),
    (gettext_lazy("时任单位"), "unit"),
    (gettext_lazy("中心工作类别"), "category"),
    (gettext_lazy("标题"), None),
    (gettext_lazy("本人角色"), None),
    (gettext_lazy("日期"), "date"),
    (gettext_lazy("量化成果"), None),
    (gettext_lazy("状态"), "status"),
    (gettext_lazy("实绩分"), "points"),
    (gettext_lazy("更新时间"), "updated"),
]
STATUS_BADGES = {S.DRAFT: "secondary", S.SUBMITTED: "primary", S.VERIFIED: "success", S.RETURNED: "danger"}


# --------------------------------------------------------------------------- helpers
def _errors(e) -> str:
    return " ".join(getattr(e, "messages", None) or [str(e)])


def _review_url(record):
    """The review helper's page for this record (or its queue), when it is installed."""
    for name, args in (("cadres:record_review", [record.pk]), ("cadres:review_queue", [])):
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    return None


def record_actions(user, record, amendments=()) -> dict:
    """The buttons the detail page shows: the workflow table's allowed actions (``allowed_actions``);
    verifying and returning happen on the review page (one "review" button)."""
    allowed = services.allowed_actions(record, user, amendments=amendments)
    actions = {a: a in allowed for a in ("edit", "upload", "submit", "withdraw", "delete", "amend")}
    actions["review"] = "verify" in allowed
    return actions


def _record(request, pk):
    return selectors.record_get(user=request.user, pk=pk)


def _evidence(request, pk):
    return gate.get_or_404(Evidence.objects.select_related("record"), request.user, "view", pk=pk)


def _detail(record):
    return redirect("cadres:record_detail", pk=record.pk)


# --------------------------------------------------------------------------- list and export
def record_page(request) -> ListPage:
    """The list's page over the one record FilterSet (the selector's: the records the user sees,
    every choice restricted by the gate), for the page and its export."""
    f = selectors.record_list(user=request.user, filters=ListPage.filter_params(request), request=request)
    return ListPage(request, filterset=f, columns=LIST_COLUMNS, skip=("ordering", "cadre"),
                    placeholders={"q": _("姓名、拼音首字母（如 zs）、身份证号或标题")})


def _status_tabs(request, lp: ListPage):
    """全部 + one tab per status, with the count of the filtered rows of each (one query), and the
    number of rows the list shows (the active tab's count, for the paginator).

    On the whole archive (a city-wide reader, no filter) the submitted count is the header bell's
    number of waiting records too: the bell takes it instead of counting again."""
    f = lp.filter
    lp.qs  # noqa: B018 - validates and runs the filters, which keep ``without_status``
    by_status = selectors.record_counts_by_status(f.without_status)
    if not f.without_status.query.has_filters():
        request.review_waiting_count = by_status.get(S.SUBMITTED, 0)
    total = sum(by_status.values())
    keep = query_without(request.GET, "status", "page")
    current = request.GET.get("status", "")
    tabs = [{"key": "", "label": _("全部"), "count": total, "active": current not in S.values,
             "url": f"?{keep}" if keep else "?", "badge": "dark"}]
    for s in [S.RETURNED, S.DRAFT, S.SUBMITTED, S.VERIFIED]:
        q = f"status={s.value}" + (f"&{keep}" if keep else "")
        tabs.append({"key": s.value, "label": s.label, "count": by_status.get(s.value, 0),
                     "active": current == s.value, "url": f"?{q}", "badge": STATUS_BADGES[s]})
    status = f.form.cleaned_data.get("status")  # the status filter the listed rows got (none if invalid)
    return tabs, (by_status.get(status, 0) if status else total)


@requires("view")
def record_list(request):
    lp = record_page(request)
    status_tabs, shown = _status_tabs(request, lp)
    page = lp.paginate(count=shown)  # counted with the tabs: no second COUNT
    context = lp.context(
        page,
        records=page.object_list,
        status_tabs=status_tabs,
        status_badges=STATUS_BADGES,
        filter_cadre=lp.cleaned("cadre"),  # a cadre the user sees (the gate's choices)
        can_create=gate.allows(request.user, "change", PerformanceRecord),
    )
    return render(request, "cadres/records/record_list.html", context)


def export_columns() -> list[Column]:
    role = {k: str(v) for k, v in RecordRole.choices}
    status = {k: str(v) for k, v in S.choices}
    return [
        Column(_("干部"), lambda r: r.cadre.name, 10),
        Column(_("身份证号码"), lambda r: r.cadre.id_number, 20),
        Column(_("时任单位"), lambda r: r.unit.name, 24),
        Column(_("中心工作类别"), lambda r: r.category.name, 14),
        Column(_("标题"), lambda r: r.title, 30),
        Column(_("主要做法和成效"), lambda r: r.description, 50),
        Column(_("本人角色"), lambda r: role.get(r.role, r.role), 10),
        Column(_("开始日期"), lambda r: r.start_date, 12),
        Column(_("结束日期"), lambda r: r.end_date, 12),
        Column(_("量化成果"), lambda r: r.quantity, 12),
        Column(_("计量单位"), lambda r: r.quantity_unit, 10),
        Column(_("状态"), lambda r: status.get(r.status, r.status), 8),
        Column(_("退回原因"), lambda r: r.return_reason if r.status == S.RETURNED else "", 24),
        Column(_("实绩分"), lambda r: r.points, 8),
        Column(_("计分说明"), lambda r: r.points_text, 30),
        Column(_("更正的记录"), lambda r: r.amends_id or "", 10),
        Column(_("被更正为"), lambda r: r.superseded_by_id or "", 10),
        Column(_("填报人"), lambda r: r.created_by.get_full_name() or r.created_by.username if r.created_by else "", 12),
        Column(_("提交时间"), lambda r: r.submitted_at, 18),
        Column(_("编号"), lambda r: r.pk, 8),
    ]


@requires("export")
def record_export(request):
    """Exactly the list's filtered rows (every page, the list's order), as xlsx or csv."""
    return record_page(request).export(columns=export_columns(), what=EXPORT_WHAT, filename=_("实绩记录"),
                                       list_url=reverse("cadres:record_list"))


# --------------------------------------------------------------------------- create / edit
def _save(request, form, *, record=None, submit=False):
    """The record, its evidence files and the submit in one service call (``record_save``: all or
    nothing). Returns the record, or None with the service's refusal on the form."""
    try:
        return services.record_save(by=request.user, record=record, files=form.cleaned_data.get("files") or [],
                                    submit=submit, **form.service_data())
    except ValidationError as e:
        form.apply_errors(e)
    except PermissionDenied as e:
        form.add_error(None, _errors(e))
    return None


def _form_page(request, form, record=None):
    return render(request, "cadres/records/record_form.html", {
        "form": form, "record": record})


@requires("change")
def record_create(request):
    preset = None
    if cadre_id := parse_id(request.GET.get("cadre")):
        preset = Cadre.objects.restrict(request.user, "change").filter(pk=cadre_id).first()
    form = RecordForm(request.POST or None, request.FILES or None, user=request.user, cadre=preset,
                      search_url=reverse("cadres:record_cadre_search"))
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        record = _save(request, form, submit=submit)
        if record is not None:
            messages.success(request, _("已保存并提交，等待组织部核实。") if submit else _("已保存草稿。"))
            return _detail(record)
    return _form_page(request, form)


@requires("change")
def record_edit(request, pk):
    record = _record(request, pk)
    if not gate.allows(request.user, "change", record):
        raise PermissionDenied(_("您没有修改该对象的权限。"))
    if "edit" not in services.allowed_actions(record, request.user):
        messages.error(request, _("记录当前状态为“%(status)s”，不能%(action)s。") % {
            "status": record.get_status_display(), "action": services.ACTION_LABELS["edit"]})
        return _detail(record)
    form = RecordForm(request.POST or None, request.FILES or None, user=request.user, record=record,
                      search_url=reverse("cadres:record_cadre_search"))
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        saved = _save(request, form, record=record, submit=submit)
        if saved is not None:
            messages.success(request, _("已保存并提交，等待组织部核实。") if submit else _("已保存草稿。"))
            return _detail(saved)
    return _form_page(request, form, record)


@requires("change")
def record_cadre_search(request):
    """htmx: the <option>s of the record form's cadre select for a search (cadres the user may change)."""
    q = cadre_search_q(request.GET.get("cadre_q", ""))
    cadres = []
    if q is not None:
        cadres = list(Cadre.objects.restrict(request.user, "change").filter(q).select_related("unit")
                      .order_by("name_initials", "id")[:CADRE_SEARCH_LIMIT + 1])
    return render(request, "cadres/records/_cadre_options.html", {
        "options": [(c.pk, cadre_label(c)) for c in cadres[:CADRE_SEARCH_LIMIT]],
        "more": len(cadres) > CADRE_SEARCH_LIMIT, "searched": q is not None})


# --------------------------------------------------------------------------- detail
def _detail_page(request, record, upload_form=None, status=200):
    amendments = list(record.amendments.select_related("category").order_by("created_at", "id"))
    evidence = list(record.evidence.select_related("uploaded_by"))
    context = {
        "record": record,
        "amendments": amendments,
        "evidence_list": evidence,
        "actions": record_actions(request.user, record, amendments),
        "review_url": _review_url(record),
        "upload_form": upload_form or EvidenceUploadForm(),
        "status_badges": STATUS_BADGES,
    }
    return render(request, "cadres/records/record_detail.html", context, status=status)


@requires("view")
def record_detail(request, pk):
    return _detail_page(request, _record(request, pk))


# --------------------------------------------------------------------------- workflow actions
def _act(request, pk, call, done):
    """POST an action: the service decides; a refusal is shown as a message and changes nothing."""
    record = _record(request, pk)
    try:
        result = call(record)
    except (ValidationError, PermissionDenied) as e:
        messages.error(request, _errors(e))
        return _detail(record)
    messages.success(request, done(record))
    return result if result is not None else _detail(record)


@requires("change", post_only=True)
def record_submit(request, pk):
    def call(record):
        services.record_submit(by=request.user, record=record)

    return _act(request, pk, call, lambda r: _("已提交实绩记录“%(t)s”，等待组织部核实。") % {"t": r.title})


@requires("change", post_only=True)
def record_withdraw(request, pk):
    def call(record):
        services.record_withdraw(by=request.user, record=record)

    return _act(request, pk, call, lambda r: _("已撤回，记录回到草稿状态。"))


@requires("change", post_only=True)
def record_delete(request, pk):
    def call(record):
        services.record_delete(by=request.user, record=record)
        return redirect("cadres:record_list")

    return _act(request, pk, call, lambda r: _("已删除草稿“%(t)s”。") % {"t": r.title})


@requires("change", post_only=True)
def record_amend(request, pk):
    def call(record):
        amendment = services.record_amend(by=request.user, original=record)
        return redirect("cadres:record_edit", pk=amendment.pk)

    return _act(request, pk, call, lambda r: _("已创建更正记录，请修改后提交核实；核实后将取代原记录。"))


# --------------------------------------------------------------------------- evidence
@requires("change", post_only=True)
def evidence_upload(request, pk):
    record = _record(request, pk)
    form = EvidenceUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            stored = services.evidence_add_all(by=request.user, record=record, uploads=form.cleaned_data["files"])
        except ValidationError as e:
            if not hasattr(e, "error_dict"):  # refused for the record's status: a message, like the buttons
                messages.error(request, _errors(e))
                return _detail(record)
            form.apply_errors(e)
        except PermissionDenied as e:
            messages.error(request, _errors(e))
            return _detail(record)
        else:
            messages.success(request, _("已上传 %(n)s 个文件。") % {"n": len(stored)})
            return _detail(record)
    return _detail_page(request, record, upload_form=form)


@requires("change", post_only=True)
def evidence_delete(request, pk):
    evidence = _evidence(request, pk)
    record = evidence.record
    try:
        services.evidence_delete(by=request.user, evidence=evidence)
    except (ValidationError, PermissionDenied) as e:
        messages.error(request, _errors(e))
    else:
        messages.success(request, _("已删除文件“%(n)s”。") % {"n": evidence.original_name})
    return _detail(record)


def _serve(evidence, *, attachment: bool):
    return serve_file(evidence.file, filename=evidence.original_name, content_type=evidence.content_type,
                      attachment=attachment)


@requires("view")
def evidence_download(request, pk):
    """The file as an attachment, only for users who see its record (404 otherwise)."""
    return _serve(_evidence(request, pk), attachment=True)


@requires("view")
@xframe_options_sameorigin
def evidence_preview(request, pk):
    """Images and PDFs inline (for <img> / <iframe> on the record page), with the type sniffed at upload."""
    evidence = _evidence(request, pk)
    if not evidence.previewable:
        raise Http404(_("该文件不能在线预览，请下载查看。"))
    return _serve(evidence, attachment=False)


# --------------------------------------------------------------------------- cadre detail: 实绩档案 tab
def records_tab_context(user, cadre) -> dict:
    """The cadre's verified, current records newest first, a summary by year and category with
    totals, and the points per year for the chart."""
    timeline = list(selectors.records_in_sight(user=user)
                    .filter(cadre=cadre, status=S.VERIFIED, superseded_by__isnull=True)
                    .order_by("-start_date", "-id"))
    summary = list(selectors.record_summary(user=user, cadre=cadre))
    categories = sorted({row["category__name"] for row in summary})
    years = sorted({row["year"] for row in summary}, reverse=True)
    cells = {(row["year"], row["category__name"]): row for row in summary}
    by_year = defaultdict(lambda: {"count": 0, "points": Decimal(0)})
    by_category = defaultdict(lambda: {"count": 0, "points": Decimal(0)})
    for row in summary:
        for bucket in (by_year[row["year"]], by_category[row["category__name"]]):
            bucket["count"] += row["count"]
            bucket["points"] += row["points"] or 0
    table = [{"year": y, "cells": [cells.get((y, c)) for c in categories], "total": by_year[y]} for y in years]
    totals = {"cells": [by_category[c] for c in categories],
              "count": sum(b["count"] for b in by_year.values()),
              "points": sum((b["points"] for b in by_year.values()), Decimal(0))}
    chart = {"years": [str(y) for y in sorted(years)],
             "points": [float(by_year[y]["points"]) for y in sorted(years)],
             "label": _("实绩分")}
    return {
        "record_timeline": timeline,
        "summary_categories": categories,
        "summary_table": table,
        "summary_totals": totals,
        "records_chart": chart,
        "can_add_record": gate.allows(user, "change", PerformanceRecord(cadre=cadre)),
    }
