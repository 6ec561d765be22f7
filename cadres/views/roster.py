"""The roster (花名册): the filtered, sorted, paginated list and its export."""
from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pingdingshan.core import jobs
from pingdingshan.core import permissions as gate
from pingdingshan.core.exports import export_response

from .. import selectors
from ..exports import EXPORT_WHAT, roster_columns, roster_rows
from ..filters import CadreFilter
from ..forms import unit_label, units_in_scope
from ..models import Cadre
from ._common import can_change, export_request, paginate, query_without, requires, sort_headers

# (header, ordering parameter of CadreFilter or None)
ROSTER_COLUMNS = [
    (gettext_lazy("姓名"), "name"),
    (gettext_lazy("性别"), None),
    (gettext_lazy("出生日期/年龄"), "birth_date"),
    (gettext_lazy("单位"), "unit"),
    (gettext_lazy("现任职务"), "post_level"),
    (gettext_lazy("职级"), "rank"),
    (gettext_lazy("最高学历"), "education"),
    (gettext_lazy("政治面貌"), None),
    (gettext_lazy("状态"), None),
    (gettext_lazy("标签"), None),
]

LIST_ONLY = (
    "id", "name", "gender", "birth_date", "highest_education", "political_status", "status",
    "unit", "unit__name", "current_post", "current_post__name", "current_rank", "current_rank__name",
)

NOT_FILTERS = ("page", "format")


def roster_filter(request) -> CadreFilter:
    """The roster's FilterSet over the user's cadres, with the unit choice limited to the units
    the user sees (listed once, indented by depth) and Chinese-friendly empty choices."""
    params = request.GET.copy()
    for n in NOT_FILTERS:
        params.pop(n, None)
    f = CadreFilter(params, queryset=selectors.cadre_list(user=request.user), request=request)
    form = f.form
    units = units_in_scope(request.user, "view")
    form.fields["unit"].queryset = units
    form.fields["unit"].label_from_instance = unit_label
    for name, field in form.fields.items():
        if name == "party_member":
            field.widget = forms.Select(choices=[("", _("全部")), ("true", _("是")), ("false", _("否"))])
        if name == "ordering":
            pass
        elif hasattr(field, "empty_label"):  # model choices and django-filter's ChoiceField
            field.empty_label = _("全部")
            field.widget.choices = field.choices  # the widget's copy still points at the class's field
        elif isinstance(field, forms.ChoiceField):
            field.choices = [("", _("全部"))] + [c for c in field.choices if c[0] != ""]
        css = "form-select form-select-sm" if isinstance(field.widget, forms.Select) else "form-control form-control-sm"
        field.widget.attrs["class"] = css
    form.fields["q"].widget.attrs["placeholder"] = _("姓名、拼音首字母（如 zs）或身份证号")
    form.fields["age_min"].widget.attrs.update(placeholder=_("从"), step=1)
    form.fields["age_max"].widget.attrs.update(placeholder=_("到"), step=1)
    return f




def _ordered(qs):
    """A stable order for pagination: the chosen one, then id."""
    order = list(qs.query.order_by) or ["name"]
    if "id" not in order and "pk" not in order:
        order.append("id")
    return qs.order_by(*order)


@requires("view")
def cadre_list(request):
    f = roster_filter(request)
    valid = f.is_valid()
    for name in f.form.errors:
        if name in f.form.fields:
            f.form.fields[name].widget.attrs["class"] += " is-invalid"
    rows = _ordered(f.qs).only(*LIST_ONLY)
    page = paginate(request, rows)
    context = {
        "filter": f,
        "form": f.form,
        "filters_valid": valid,
        "page_obj": page,
        "cadres": page.object_list,
        "headers": sort_headers(request, ROSTER_COLUMNS),
        "ordering": request.GET.get("ordering", ""),
        "page_query": query_without(request.GET, "page"),
        "export_query": query_without(request.GET, "page", "format"),
        "can_create": can_change(request.user, Cadre),
        "can_export": gate.can(request.user, "export"),
        "has_filters": any(k not in ("page", "ordering") and v for k, v in request.GET.items()),
    }
    return render(request, "cadres/cadre_list.html", context)


@requires("export")
def cadre_export(request):
    """Exactly the roster's filtered rows (every page), as xlsx or csv; logged in ExportLog."""
    f = roster_filter(request)
    if not f.is_valid():
        messages.error(request, _("筛选条件有误，请修改后再导出。"))
        return redirect(f"{reverse('cadres:cadre_list')}?{query_without(request.GET, 'format')}")
    qs = _ordered(f.qs)
    # more rows than EXPORT_JOB_THRESHOLD: a background job with progress (cadres.jobs.roster_export)
    background = jobs.export_in_background(request, kind="cadres.roster_export", total=qs.count())
    return background or roster_export_response(request, f)


def roster_export_response(request, f, *, progress=None, total: int = 0):
    """The roster file of a valid filter (the view's answer, and the export job's file)."""
    file_format, filters = export_request(request, NOT_FILTERS)
    rows = roster_rows(_ordered(f.qs))  # joined values, .iterator(chunk_size=2000), tags per chunk
    if progress is not None:
        rows = jobs.counting(rows, progress, total)
    return export_response(user=request.user, rows=rows, columns=roster_columns(), what=EXPORT_WHAT,
                           file_format=file_format, filters=filters, filename=_("干部花名册"))
