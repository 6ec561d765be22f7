"""Pages of the vacancies (空缺岗位, issue 13): the list and its export, a vacancy's candidates (ranked,
the explanation expandable, readiness badges and filter, the post eligibility rules of each), and
starting a selection record with the ticked candidates.

Views parse input, call ``services.vacancies`` / ``services.matching`` and render. Reading is
everyone's in scope (unit leaders: the posts and cadres of their subtree, 404 outside; auditors: all);
starting a selection record is org staff's (gate action ``reserve``: 403 for everyone else).
"""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadres.models import Cadre, Post
from pingdingshan.core import permissions as gate
from pingdingshan.core.exports import Column
from pingdingshan.core.pages import ListPage, requires

from ..filters_vacancies import VacancyFilter
from ..models import SelectionKind
from ..services import matching
from ..services import vacancies as svc
from ..services.post_eligibility import READINESS_LABELS

WHAT = "空缺岗位"
COLUMNS = [
    (gettext_lazy("单位"), None), (gettext_lazy("职务"), None), (gettext_lazy("层次 / 类别"), None),
    (gettext_lazy("职数 / 在任"), None), (gettext_lazy("空缺原因"), None), (gettext_lazy("空出日期"), None),
    (gettext_lazy("行业 / 储备类别"), None), (gettext_lazy("人选"), None),
]
READINESS_BADGES = {"now": "success", "1y": "info", "2y": "warning", "later": "secondary"}


def list_page(request) -> ListPage:
    return ListPage(request, VacancyFilter, Post.objects.restrict(request.user, "view"), columns=COLUMNS)


def _rows(request, lp):
    return svc.vacancies(request.user, posts=lp.qs, **lp.filter.vacancy_options())


@requires("view")
def vacancy_list(request):
    lp = list_page(request)
    rows = _rows(request, lp)
    page = lp.paginate(rows)
    return render(request, "promotion/vacancies/list.html", lp.context(
        page, vacancies=page.object_list, months=lp.filter.vacancy_options()["months"]))


def export_columns() -> list[Column]:
    return [
        Column(_("单位"), lambda v: v.unit_name, 24),
        Column(_("职务"), lambda v: v.post_name, 20),
        Column(_("职务层次"), lambda v: v.level_label, 12),
        Column(_("职务类别"), lambda v: v.kind_label, 12),
        Column(_("职数"), lambda v: v.limit, 6, "number"),
        Column(_("在任"), lambda v: v.used, 6, "number"),
        Column(_("空缺原因"), lambda v: v.reason_label, 12),
        Column(_("空缺数"), lambda v: v.places, 6, "number"),
        Column(_("现任者"), lambda v: v.holder_name, 10),
        Column(_("空出日期"), lambda v: v.free_on, 12, "date"),
        Column(_("说明"), lambda v: v.sentence, 50),
        Column(_("行业"), lambda v: v.industry_names, 16),
        Column(_("储备类别"), lambda v: v.category_names, 16),
    ]


@requires("export")
def vacancy_export(request):
    lp = list_page(request)
    rows = _rows(request, lp) if lp.valid else []
    return lp.export(columns=export_columns(), what=WHAT, filename=_("空缺岗位"), rows=rows,
                     list_url=reverse("promotion:vacancy_list"))


# --------------------------------------------------------------------------- candidates
def _post(request, pk) -> Post:
    return gate.get_or_404(Post.objects.select_related("unit"), request.user, "view", pk=pk)


def _int(raw, default, low, high):
    try:
        return max(low, min(int(raw), high))
    except (TypeError, ValueError):
        return default


@requires("view")
def vacancy_candidates(request, pk):
    post = _post(request, pk)
    readiness = request.GET.get("readiness") or None
    if readiness not in READINESS_LABELS:
        readiness = None
    months = _int(request.GET.get("months"), svc.DEFAULT_MONTHS, 0, svc.MAX_MONTHS)
    include_roster = request.GET.get("roster", "1") != "0"
    found = matching.candidates(post, user=request.user, readiness=readiness, include_roster=include_roster,
                                limit=_int(request.GET.get("limit"), 50, 1, 200))
    for c in found.shown:
        c.badge = READINESS_BADGES[c.readiness]
    groups = [{"code": code, "label": label, "count": found.counts.get(code, 0), "badge": READINESS_BADGES[code]}
              for code, label in READINESS_LABELS.items()]
    return render(request, "promotion/vacancies/candidates.html", {
        "post": post, "vacancies": svc.post_vacancies(request.user, post, months=months), "months": months,
        "found": found, "readiness": readiness, "groups": groups,
        "include_roster": include_roster, "weights": matching.WEIGHTS, "tie_rule": matching.TIE_RULE,
        "can_start": gate.can(request.user, "reserve"), "kinds": SelectionKind.choices,
        "query": request.GET.urlencode(),
    })


@requires("reserve", post_only=True)
def vacancy_start_selection(request, pk):
    post = _post(request, pk)
    back = reverse("promotion:vacancy_candidates", args=[post.pk])
    ids = []
    for raw in request.POST.getlist("cadres"):
        try:
            ids.append(int(raw))
        except ValueError:
            messages.error(request, _("人选：编号“%(v)s”无效。") % {"v": raw[:20]})
            return redirect(back)
    found = Cadre.objects.restrict(request.user, "view").in_bulk(ids)
    if len(found) != len(set(ids)):
        messages.error(request, _("人选：所选干部不存在或不在您的权限范围内。"))
        return redirect(back)
    try:
        selection = svc.selection_start(by=request.user, post=post, cadres=[found[i] for i in ids],
                                        title=request.POST.get("title", ""), kind=request.POST.get("kind", ""))
    except ValidationError as e:
        for field, errors in (e.message_dict if hasattr(e, "error_dict") else {"": e.messages}).items():
            label = {"cadres": _("人选"), "kind": _("类型"), "title": _("名称"), "post": _("拟任职务"),
                     "unit": _("单位")}.get(field, "")
            for m in errors:
                messages.error(request, f"{label}：{m}" if label else m)
        return redirect(back)
    except (PermissionDenied, Http404) as e:
        messages.error(request, " ".join(getattr(e, "messages", None) or [str(e)]))
        return redirect(back)
    messages.success(request, _("已创建选任纪实，%(n)d名人选已列入，请登记分析研判和动议。") % {"n": len(ids)})
    return redirect("promotion:selection_detail", pk=selection.pk)
