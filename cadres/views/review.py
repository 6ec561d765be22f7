"""The organisation department's review pages (审核): the queue of submitted records with counts
per unit, possible duplicates and bulk verify; one record's review with its evidence, the rule's
points and the verify / return forms; the task categories and their points rules.

Only users who may verify (org staff) reach the queue and the review; auditors may read the
categories page. Views parse input, call the services of ``cadres/services/records.py`` (which
re-check the gate and the workflow) or the selectors, and render.
"""
from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pingdingshan.core import permissions as gate
from pingdingshan.core.exports import Column
from pingdingshan.core.pages import ListPage, query_without, requires

from .. import selectors, services
from ..forms_review import CategoryForm, ReturnForm, VerifyForm, submitter_label
from ..models import RecordRole, TaskCategory, Unit

DUPLICATES_SHOWN = 3  # per queue row; the review page lists them all
EXPORT_WHAT = "实绩审核队列"

# (header, ordering parameter of RecordFilter or None)
QUEUE_COLUMNS = [
    (gettext_lazy("干部"), "cadre"),
    (gettext_lazy("时任单位"), "unit"),
    (gettext_lazy("中心工作类别"), "category"),
    (gettext_lazy("标题"), None),
    (gettext_lazy("本人角色"), None),
    (gettext_lazy("日期"), "date"),
    (gettext_lazy("量化成果"), None),
    (gettext_lazy("提交人 / 提交时间"), "submitted"),
    (gettext_lazy("佐证"), None),
]


def _errors(e) -> list[str]:
    return list(getattr(e, "messages", None) or [str(e)])


# --------------------------------------------------------------------------- queue
with_evidence_count = selectors.with_evidence_count


def review_page(request) -> ListPage:
    """The queue's list page over the one record FilterSet (the selector's: the user's submitted
    records, every choice restricted by the gate); the submitter is chosen among the queue's
    submitters."""
    f = selectors.record_list(user=request.user, filters=ListPage.filter_params(request), queue=True,
                              request=request)
    User = get_user_model()
    submitters = User.objects.filter(pk__in=f.queryset.order_by().values("submitted_by")).order_by(
        "first_name", "username")
    f.form.fields["submitter"].widget = forms.Select(
        choices=[("", _("全部"))] + [(u.pk, submitter_label(u)) for u in submitters])
    return ListPage(request, filterset=f, columns=QUEUE_COLUMNS,
                    placeholders={"q": _("姓名、拼音首字母（如 zs）、身份证号或标题")})


def unit_counts(qs, unit: Unit | None) -> list[dict]:
    """Waiting records per unit: below the chosen unit (or the top of the tree), one row per child
    unit with the count of its whole subtree, plus the chosen unit's own records.

    Two queries: the filtered rows counted per unit (``GROUP BY unit_id``, no join; over the
    waiting records that is an index-only scan of the partial index ``record_waiting_unit``) and
    the units of the subtree (id, path, name), with which the counts are rolled up to the child
    units here. (Grouping by a prefix of the joined unit's path in SQL computed a substring for
    every waiting record: most of the queue's time at 2,000,000 records.) The counts add up to the
    number of filtered rows exactly; the queue shows that sum as its total instead of counting
    again."""
    level = unit.depth + 1 if unit is not None else 2
    width = Unit.steplen * level
    per_unit = dict(qs.order_by().values("unit_id").annotate(n=Count("unit_id")).values_list("unit_id", "n"))
    if not per_unit:
        return []
    units = Unit.objects.order_by()
    if unit is not None:
        units = units.filter(path__startswith=unit.path)
    path_of, by_path = {}, {}
    for pk, path, name in units.values_list("id", "path", "name"):
        path_of[pk] = path
        by_path[path] = (pk, name)
    counts: dict[str, int] = {}
    for unit_id, n in per_unit.items():
        prefix = path_of.get(unit_id, "")[:width]
        counts[prefix] = counts.get(prefix, 0) + n
    out = []
    for prefix, count in counts.items():
        found = by_path.get(prefix)
        out.append({"prefix": prefix, "count": count, "unit_id": found[0] if found else None,
                    "unit_name": found[1] if found else "", "own": unit is not None and prefix == unit.path})
    out.sort(key=lambda r: (not r["own"], r["prefix"]))
    return out


@requires("verify")
def review_queue(request):
    lp = review_page(request)
    unit = lp.cleaned("unit")
    counts = unit_counts(lp.qs, unit)
    # The per-unit counts add up to the filtered queue: the paginator needs no COUNT of its own.
    page = lp.paginate(with_evidence_count(lp.qs), count=sum(c["count"] for c in counts))
    rows = list(page.object_list)
    duplicates = selectors.possible_duplicates(user=request.user, records=rows)
    for r in rows:
        found = duplicates.get(r.pk, [])
        r.duplicates, r.duplicate_count = found[:DUPLICATES_SHOWN], len(found)
    if not lp.has_filters:  # the whole queue: the header's bell shows this count without counting again
        request.review_waiting_count = page.paginator.count
    context = lp.context(
        page,
        records=rows,
        unit_counts=counts,
        selected_unit=unit,
        unit_query=query_without(request.GET, "unit", "page"),
        full_query=request.GET.urlencode(),
    )
    return render(request, "cadres/review/queue.html", context)


def export_columns() -> list[Column]:
    role = {k: str(v) for k, v in RecordRole.choices}
    return [
        Column(_("编号"), lambda r: r.pk, 8),
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
        Column(_("佐证材料数"), lambda r: r.evidence_count, 10),
        Column(_("提交人"), lambda r: submitter_label(r.submitted_by) if r.submitted_by else "", 12),
        Column(_("提交时间"), lambda r: r.submitted_at, 18),
    ]


@requires("verify")
def review_export(request):
    """Exactly the queue's filtered rows (every page, the queue's order), as xlsx or csv."""
    lp = review_page(request)
    return lp.export(rows=with_evidence_count(lp.qs).iterator(chunk_size=2000), columns=export_columns(),
                     what=EXPORT_WHAT, filename=_("实绩审核队列"), list_url=reverse("cadres:review_queue"))


def _back_to_queue(request):
    """The queue with the filters the user had (a query string posted back by the page)."""
    query = QueryDict(request.POST.get("query", ""), mutable=True)
    query.pop("page", None)
    url = reverse("cadres:review_queue")
    return redirect(f"{url}?{query.urlencode()}" if query else url)


@requires("verify", post_only=True)
def review_bulk_verify(request):
    """批量核实 the checked rows: all of them or none, with each refused record's reason."""
    try:
        done = services.record_bulk_verify(by=request.user, ids=request.POST.getlist("ids"))
    except ValidationError as e:
        if "ids" in getattr(e, "error_dict", {}):  # which records: nothing was tried
            for text in e.message_dict["ids"]:
                messages.error(request, text)
            return _back_to_queue(request)
        messages.error(request, _("批量核实未执行，没有任何记录被核实。请处理以下问题后重试："))
        for text in _errors(e):
            messages.error(request, text)
        return _back_to_queue(request)
    except PermissionDenied as e:
        messages.error(request, _("批量核实未执行，没有任何记录被核实。请处理以下问题后重试："))
        for text in _errors(e):
            messages.error(request, text)
        return _back_to_queue(request)
    messages.success(request, _("已核实 %(n)s 条记录，填报人已收到通知。") % {"n": len(done)})
    return _back_to_queue(request)


# --------------------------------------------------------------------------- one record
def _review_page(request, record, *, verify_form=None, return_form=None, status=200):
    points, explanation = services.points_for(record)
    context = {
        "record": record,
        "evidence_list": list(record.evidence.select_related("uploaded_by")),
        "duplicates": selectors.possible_duplicates(user=request.user, records=[record]).get(record.pk, []),
        "rule_points": points,
        "rule_explanation": explanation,
        "waiting": "verify" in services.allowed_actions(record, request.user),  # the workflow table
        "verify_form": verify_form or VerifyForm(),
        "return_form": return_form or ReturnForm(),
    }
    return render(request, "cadres/review/record_review.html", context, status=status)


@requires("verify")
def record_review(request, pk):
    return _review_page(request, selectors.record_get(user=request.user, pk=pk))


def _act(request, pk, form, call, done):
    """POST verify / return: the service decides; its refusal is shown next to the form's fields
    (or at its top) and nothing changes."""
    record = selectors.record_get(user=request.user, pk=pk)
    if form.is_valid():
        try:
            call(record, form.service_data())
        except ValidationError as e:
            form.apply_errors(e)
        except PermissionDenied as e:
            form.add_error(None, _errors(e))
        else:
            messages.success(request, done(record))
            return redirect("cadres:review_queue")
    return record, form


@requires("verify", post_only=True)
def record_verify(request, pk):
    form = VerifyForm(request.POST)
    result = _act(request, pk, form,
                  lambda record, data: services.record_verify(by=request.user, record=record, **data),
                  lambda r: _("已核实“%(t)s”（%(c)s），填报人已收到通知。") % {"t": r.title, "c": r.cadre.name})
    if not isinstance(result, tuple):
        return result
    return _review_page(request, result[0], verify_form=form)


@requires("verify", post_only=True)
def record_return(request, pk):
    form = ReturnForm(request.POST)
    result = _act(request, pk, form,
                  lambda record, data: services.record_return(by=request.user, record=record, **data),
                  lambda r: _("已退回“%(t)s”（%(c)s），填报人已收到通知。") % {"t": r.title, "c": r.cadre.name})
    if not isinstance(result, tuple):
        return result
    return _review_page(request, result[0], return_form=form)


# --------------------------------------------------------------------------- categories and points rules
def _save_category(request, form, category=None):
    """The category and its points per role in one transaction (both audited); unchanged rules
    are not rewritten. Returns the category, or None with the errors on the form."""
    current = {}
    if category is not None:
        current = {r.role: r.points for r in category.points_rules.all()}
    try:
        with transaction.atomic():
            category = services.category_save(by=request.user, category=category, **form.category_data())
            for role, points in form.points_data().items():
                if current.get(role) != points:
                    services.points_rule_set(by=request.user, category=category, role=role, points=points)
    except ValidationError as e:
        form.apply_errors(e)
        return None
    return category


@requires("audit")
def category_list(request):
    """中心工作类别与计分规则: every category with its points per role; org staff edit each row in
    place, auditors read."""
    categories = list(TaskCategory.objects.restrict(request.user).prefetch_related("points_rules"))
    editable = gate.can(request.user, "verify")
    rows = []
    for c in categories:
        rules = {r.role: r.points for r in c.points_rules.all()}
        rows.append({
            "category": c,
            "points": [rules.get(role) for role, _label in RecordRole.choices],
            "form": CategoryForm(category=c, rules=rules, auto_id=f"id_c{c.pk}_%s",
                                 html_form=f"category-form-{c.pk}") if editable else None,
        })
    roles = [label for _value, label in RecordRole.choices]
    return render(request, "cadres/review/category_list.html", {
        "rows": rows, "roles": roles, "editable": editable,
        "columns": 5 + len(roles) + editable})  # the header cells of _category_table.html


def _category_page(request, form, category=None):
    rules = list(category.points_rules.all()) if category is not None else []
    return render(request, "cadres/review/category_form.html", {"form": form, "category": category, "rules": rules})


@requires("verify")
def category_create(request):
    form = CategoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        category = _save_category(request, form)
        if category is not None:
            messages.success(request, _("已新增中心工作类别“%(n)s”。") % {"n": category.name})
            return redirect("cadres:category_list")
    return _category_page(request, form)


@requires("verify")
def category_edit(request, pk):
    category = gate.get_or_404(TaskCategory, request.user, "view", pk=pk)
    rules = {r.role: r.points for r in category.points_rules.all()}
    form = CategoryForm(request.POST or None, category=category, rules=rules)
    if request.method == "POST" and form.is_valid():
        if not form.has_changed():
            messages.info(request, _("“%(n)s”没有修改。") % {"n": category.name})
            return redirect("cadres:category_list")
        saved = _save_category(request, form, category)
        if saved is not None:
            messages.success(request, _("已保存“%(n)s”及其计分规则。") % {"n": saved.name})
            return redirect("cadres:category_list")
        category.refresh_from_db()
    return _category_page(request, form, category)
