"""The roster (花名册): the filtered, sorted, paginated list and its export."""
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pingdingshan.core import jobs
from pingdingshan.core import permissions as gate
from pingdingshan.core.pages import ListPage, requires

from .. import selectors
from ..exports import EXPORT_WHAT, roster_columns, roster_rows
from ..filters import CadreFilter
from ..models import Cadre

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


def roster_page(request) -> ListPage:
    """The roster's FilterSet over the user's cadres, with the unit choice limited to the units
    the user sees (listed once, indented by depth) and Chinese-friendly empty choices."""
    lp = ListPage(  # the unit choices: the units the user sees (CadreFilter is gated), indented by depth
        request, CadreFilter, selectors.cadre_list(user=request.user), columns=ROSTER_COLUMNS,
        placeholders={"q": _("姓名、拼音首字母（如 zs）或身份证号"), "age_min": _("从"), "age_max": _("到")},
    )
    for name in ("age_min", "age_max"):
        lp.form.fields[name].widget.attrs["step"] = 1
    return lp


def _ordered(qs):
    """A stable order for pagination: the chosen one, then id."""
    order = list(qs.query.order_by) or ["name"]
    if "id" not in order and "pk" not in order:
        order.append("id")
    return qs.order_by(*order)


@requires("view")
def cadre_list(request):
    lp = roster_page(request)
    page = lp.paginate(_ordered(lp.qs).only(*LIST_ONLY))
    return render(request, "cadres/cadre_list.html", lp.context(
        page, cadres=page.object_list, can_create=gate.allows(request.user, "change", Cadre)))


@requires("export")
def cadre_export(request):
    """Exactly the roster's filtered rows (every page), as xlsx or csv; logged in ExportLog."""
    lp = roster_page(request)
    if lp.valid:  # more rows than EXPORT_JOB_THRESHOLD: a background job with progress (cadres.jobs)
        background = jobs.export_in_background(request, kind="cadres.roster_export", total=_ordered(lp.qs).count())
        if background is not None:
            return background
    return roster_export_response(request, lp)


def roster_export_response(request, lp, *, progress=None, total: int = 0):
    """The roster file of the list page's filters (the view's answer, and the export job's file)."""
    rows = roster_rows(_ordered(lp.qs))  # joined values, .iterator(chunk_size=2000), tags per chunk
    if progress is not None:
        rows = jobs.counting(rows, progress, total)
    return lp.export(rows=rows, columns=roster_columns(),
                     what=EXPORT_WHAT, filename=_("干部花名册"), list_url=reverse("cadres:cadre_list"))
