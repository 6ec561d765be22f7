"""Pages of the reserve pools (储备库): the pools by industry × category with their counts and export,
a pool's page (its criteria in words, its weights, its entries by tab with the current rank), the
pool form (fields, weights with a live sum, criteria rows with each kind's parameters), a pool's
candidates (eligible cadres not yet nominated, set-based) with nomination, the entry steps (admit,
remove with a reason), and the industry and category lists.

Views parse input, call one service of ``promotion/services/pools.py`` / ``entries.py`` and render;
a refusal is shown next to the fields or as a message and changes nothing. Everyone with ``view``
reads the pools; unit leaders see the entries of cadres of their units only (the gate on
``PoolEntry``); the candidates are org staff's and auditors' (auditors read, no actions); every
write is org staff's (gate action ``reserve``).
"""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadres.models import Cadre, CadreStatus
from pingdingshan.core import permissions as gate
from pingdingshan.core.exports import Column
from pingdingshan.core.pages import ListPage, query_without, requires

from .. import selectors_pools as sel
from ..filters_pools import CandidateFilter, EntryFilter, PoolFilter
from ..forms_pools import STEP_FORMS, CategoryForm, IndustryEditForm, NominateForm, PoolForm, criteria_rows, row_views
from ..models import EntryStatus, Industry, PoolCategory, PoolEntry, ReservePool
from ..models.reserve import COMPONENTS
from ..services import entries as entry_svc
from ..services import pools as svc

POOLS_WHAT = "储备库"
CANDIDATES_WHAT = "储备库人选推荐"
COMPONENT_LABELS = {"composite": gettext_lazy("考核综合得分"), "points": gettext_lazy("实绩积分"),
                    "awards": gettext_lazy("表彰"), "frontline": gettext_lazy("一线历练"),
                    "cards": gettext_lazy("红黄牌扣分")}
COMPONENT_COLORS = {"composite": "primary", "points": "success", "awards": "warning", "frontline": "info",
                    "cards": "danger"}
STATUS_BADGES = {EntryStatus.NOMINATED: "warning", EntryStatus.ADMITTED: "success", EntryStatus.REMOVED: "secondary"}
POOL_COLUMNS = [
    (gettext_lazy("名称"), "name"),
    (gettext_lazy("行业"), "industry"),
    (gettext_lazy("类别"), "category"),
    (gettext_lazy("已入库"), None),
    (gettext_lazy("已提名"), None),
    (gettext_lazy("不再符合条件"), None),
    (gettext_lazy("当前排名人数"), None),
    (gettext_lazy("状态"), None),
]
TABS = (
    ("admitted", gettext_lazy("已入库")),
    ("nominated", gettext_lazy("已提名")),
    ("flagged", gettext_lazy("不再符合条件")),
    ("removed", gettext_lazy("已移出")),
)
ENTRY_COLUMNS = {
    "admitted": [(gettext_lazy("名次"), "rank"), (gettext_lazy("干部"), "cadre"), (gettext_lazy("单位"), "unit"),
                 (gettext_lazy("得分"), None), (gettext_lazy("入库时间"), "admitted"), (gettext_lazy("提示"), None)],
    "nominated": [(gettext_lazy("干部"), "cadre"), (gettext_lazy("单位"), "unit"),
                  (gettext_lazy("提名理由"), None), (gettext_lazy("提名时间"), "nominated")],
    "flagged": [(gettext_lazy("干部"), "cadre"), (gettext_lazy("单位"), "unit"), (gettext_lazy("状态"), None),
                (gettext_lazy("不再符合条件日期"), "flagged"), (gettext_lazy("不再符合的条件"), None)],
    "removed": [(gettext_lazy("干部"), "cadre"), (gettext_lazy("单位"), "unit"), (gettext_lazy("移出理由"), None),
                (gettext_lazy("移出时间"), "removed")],
}
CANDIDATE_COLUMNS = [
    (gettext_lazy("姓名"), "name"),
    (gettext_lazy("单位"), "unit"),
    (gettext_lazy("现任职务"), None),
    (gettext_lazy("出生日期"), "birth"),
    (gettext_lazy("符合的条件"), None),
]


def _errors(e) -> str:
    return " ".join(getattr(e, "messages", None) or [str(e)])


def pool_get(user, pk) -> ReservePool:
    return gate.get_or_404(ReservePool.objects.select_related("industry", "category", "created_by"), user, "view",
                           pk=pk)


def _detail(pool, tab=None):
    url = reverse("promotion:pool_detail", args=[pool.pk])
    return redirect(f"{url}?tab={tab}" if tab else url)


def weights_view(pool) -> list[dict]:
    return [{"component": c, "label": COMPONENT_LABELS[c], "weight": w, "color": COMPONENT_COLORS[c]}
            for c, w in pool.weights.items()]


def described(criteria) -> list[dict]:
    from ..services.eligibility import describe

    return [{"kind": c.kind, "label": c.get_kind_display(), "text": describe(c)} for c in criteria]


# --------------------------------------------------------------------------- pool list
def pool_page(request) -> ListPage:
    return ListPage(request, PoolFilter, sel.pool_rows(request.user), columns=POOL_COLUMNS,
                    placeholders={"q": _("储备库名称")})


def _matrix(pools, counts):
    """Rows of industries × columns of categories, each cell the pools of that pair."""
    industries, categories, cells = {}, {}, {}
    for p in pools:
        industries.setdefault(p.industry_id, p.industry)
        categories.setdefault(p.category_id, p.category)
        cells.setdefault((p.industry_id, p.category_id), []).append({"pool": p, "counts": counts.get(p.pk, {})})
    cats = sorted(categories.values(), key=lambda c: (c.order, c.pk))
    rows = [{"industry": i, "cells": [cells.get((i.pk, c.pk), []) for c in cats]}
            for i in sorted(industries.values(), key=lambda i: (i.order, i.pk))]
    return {"categories": cats, "rows": rows}


@requires("view")
def pool_list(request):
    lp = pool_page(request)
    page = lp.paginate()
    all_pools = list(lp.qs) if lp.valid else list(page.object_list)
    counts = sel.pool_counts(request.user, [p.pk for p in all_pools])
    pools = list(page.object_list)
    for p in pools:
        p.counts = counts.get(p.pk, {})
    return render(request, "promotion/pools/pool_list.html", lp.context(
        page, pools=pools, matrix=_matrix(all_pools, counts), view=request.GET.get("view", "grid"),
        can_edit=gate.can(request.user, "reserve"), view_query=query_without(request.GET, "view", "page")))


def pool_export_columns(user, pools_counts) -> list[Column]:
    from ..services.eligibility import describe

    def criteria_text(p):
        return "；".join(f"{c.get_kind_display()}：{describe(c)}" for c in p.criteria.all())

    def n(key):
        return lambda p: pools_counts().get(p.pk, {}).get(key, 0)

    return [
        Column(_("名称"), lambda p: p.name, 24),
        Column(_("行业"), lambda p: p.industry.name, 12),
        Column(_("类别"), lambda p: p.category.name, 14),
        Column(_("启用"), lambda p: _("是") if p.is_active else _("否"), 6),
        *(Column(_("%(c)s权重（%%）") % {"c": COMPONENT_LABELS[c]}, (lambda c: lambda p: p.weights[c])(c), 10)
          for c in COMPONENTS),
        Column(_("考核计入年数"), lambda p: p.composite_years, 8),
        Column(_("实绩计入年数"), lambda p: p.points_years, 8),
        Column(_("逐年递减比例（%）"), lambda p: p.recency_percent, 8),
        Column(_("入库条件"), criteria_text, 60),
        Column(_("已入库"), n("admitted"), 8),
        Column(_("已提名"), n("nominated"), 8),
        Column(_("不再符合条件"), n("flagged"), 8),
        Column(_("当前排名人数"), n("ranked"), 8),
        Column(_("编号"), lambda p: p.pk, 6),
    ]


@requires("export")
def pool_export(request):
    lp = pool_page(request)
    cache = {}

    def counts():
        if "c" not in cache:
            cache["c"] = sel.pool_counts(request.user, list(lp.qs.values_list("pk", flat=True)))
        return cache["c"]

    rows = list(lp.qs.prefetch_related("criteria")) if lp.valid else None
    return lp.export(columns=pool_export_columns(request.user, counts), what=POOLS_WHAT, filename=_("储备库"),
                     list_url=reverse("promotion:pool_list"), rows=rows)


# --------------------------------------------------------------------------- pool detail
def _entry_tab_rows(user, pool, tab):
    rows = sel.entry_rows(user).filter(pool=pool)
    if tab == "flagged":
        return rows.filter(flagged_on__isnull=False).exclude(status=EntryStatus.REMOVED)
    return rows.filter(status=tab)


def _step_buttons(entry, user):
    allowed = entry_svc.entry_allowed_actions(entry, user)
    return [{"action": a, "label": entry_svc.ENTRY_ACTION_LABELS[a],
             "url": reverse(f"promotion:entry_{a}", args=[entry.pk])} for a in entry_svc.BUTTON_ACTIONS if a in allowed]


@requires("view")
def pool_detail(request, pk):
    pool = pool_get(request.user, pk)
    tab = request.GET.get("tab") or "admitted"
    if tab not in dict(TABS):
        tab = "admitted"
    lp = ListPage(request, EntryFilter, _entry_tab_rows(request.user, pool, tab), columns=ENTRY_COLUMNS[tab],
                  skip=("ordering", "pool", "cadre", "status"), not_filters=("page", "format", "tab"),
                  placeholders={"q": _("姓名、拼音首字母（如 zs）或身份证号")})
    page = lp.paginate()
    entries = list(page.object_list)
    for e in entries:
        e.buttons = _step_buttons(e, request.user)
        e.score_text = f"{e.current_score // 100}.{e.current_score % 100:02d}" if e.current_score is not None else ""
    counts = sel.pool_counts(request.user, [pool.pk])[pool.pk]
    tab_counts = {"admitted": counts["admitted"], "nominated": counts["nominated"], "flagged": counts["flagged"],
                  "removed": counts["removed"]}
    from ..models import RankingRun

    current_run = RankingRun.objects.restrict(request.user, "view").filter(is_current=True).only("id", "run_date").first()
    return render(request, "promotion/pools/pool_detail.html", lp.context(
        page, pool=pool, entries=entries, tab=tab,
        tabs=[{"key": k, "label": label, "count": tab_counts[k]} for k, label in TABS],
        criteria=described(pool.criteria.all()), weights=weights_view(pool), current_run=current_run,
        can_edit=gate.can(request.user, "reserve"),
        can_candidates=gate.city_wide(request.user, "view", Cadre),
        remove_form=STEP_FORMS["remove"](prefix="remove"), admit_form=STEP_FORMS["admit"](prefix="admit"),
        status_badges=STATUS_BADGES, scoped=not gate.city_wide(request.user, "view", PoolEntry),
        tab_query=query_without(request.GET, "tab", "page", "ordering")))


# --------------------------------------------------------------------------- create / edit
def _criteria_errors_only(rows):
    """The criteria's own problems, shown with those of a form that failed before the service ran."""
    return svc.criteria_problems(rows)[1]


def _pool_form_page(request, pool):
    post = request.POST if request.method == "POST" else None
    form = PoolForm(post, pool=pool)
    if post is not None:
        rows, prefixes = criteria_rows(post)
    else:
        rows = svc.pool_criteria(pool) if pool is not None else []
        prefixes = [f"criteria-{i}" for i in range(len(rows))]
    errors: dict[str, list[str]] = {}
    general: list[str] = []
    if post is not None:
        if form.is_valid():
            try:
                saved = svc.pool_save(by=request.user, pool=pool, fields=form.service_data(), criteria=rows)
            except ValidationError as e:
                errors, general = _place_errors(form, e, prefixes)
            except PermissionDenied as e:
                general = [_errors(e)]
            else:
                messages.success(request, _("已保存储备库“%(n)s”。") % {"n": saved.name})
                return _detail(saved)
        else:
            errors, _general = _place_errors(form, ValidationError(_criteria_errors_only(rows)), prefixes)
        if not general and (form.errors or errors):
            general = [_("未保存，请按提示修改。")]
    from ..services.eligibility import CRITERIA

    return render(request, "promotion/pools/pool_form.html", {
        "form": form, "pool": pool, "rows": row_views(rows, prefixes, errors, blank=1 if len(rows) < 7 else 0),
        "template_row": row_views([], [], {}, blank=1)[0], "weights_errors": errors.get("weights", []),
        "general_errors": general, "criteria_help": {k: getattr(c, "label", k) for k, c in CRITERIA.items()},
        "status": 200,
    })


def _place_errors(form, e: ValidationError, prefixes) -> tuple[dict, list]:
    """A service error: pool fields next to the field, ``criteria-<i>-…`` at the posted row, the
    weights' sum at the weights; the rest above the form."""
    out: dict[str, list[str]] = {}
    general: list[str] = []
    if not hasattr(e, "error_dict"):
        return out, list(e.messages)
    for key, msgs in e.message_dict.items():
        if key in form.fields:
            form.add_error(key, msgs)
        elif key == "weights":
            out["weights"] = msgs
        elif key.startswith("criteria-"):
            parts = key.split("-", 2)
            try:
                i = int(parts[1])
                row = prefixes[i]
            except (IndexError, ValueError):
                general.extend(msgs)
                continue
            out.setdefault(row + ("-" + parts[2] if len(parts) > 2 else ""), []).extend(msgs)
        else:
            general.extend(msgs)
    return out, general


@requires("reserve")
def pool_create(request):
    return _pool_form_page(request, None)


@requires("reserve")
def pool_edit(request, pk):
    return _pool_form_page(request, pool_get(request.user, pk))


# --------------------------------------------------------------------------- candidates
def _require_city_wide(user):
    """The candidates are every eligible cadre of the city: org staff's and auditors' (403 otherwise)."""
    if not gate.city_wide(user, "view", Cadre):
        raise PermissionDenied(_("只有组织部和审计人员可以查看储备库推荐人选。"))


def candidate_page(request, pool) -> tuple[ListPage, list[int]]:
    cadres = Cadre.objects.restrict(request.user, "view").filter(status=CadreStatus.ACTIVE)
    lp = ListPage(request, CandidateFilter, cadres, columns=CANDIDATE_COLUMNS,
                  placeholders={"q": _("姓名、拼音首字母（如 zs）或身份证号")})
    ids = sel.candidate_ids(pool, lp.qs) if lp.valid else []
    return lp, ids


def _cadres_in_order(ids):
    found = Cadre.objects.select_related("unit", "current_post").in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


@requires("view")
def pool_candidates(request, pk, nominate_form=None):
    _require_city_wide(request.user)
    pool = pool_get(request.user, pk)
    lp, ids = candidate_page(request, pool)
    from pingdingshan.core.pages import paginate

    page = paginate(request, ids)
    cadres = _cadres_in_order(list(page.object_list))
    if cadres:
        from ..services.eligibility import eligibility

        results = eligibility(pool, [c.pk for c in cadres], details=True)
        for c in cadres:
            r = results.get(c.pk)
            c.checks = list(r.checks) if r is not None else []
    return render(request, "promotion/pools/pool_candidates.html", lp.context(
        page, pool=pool, cadres=cadres, criteria=described(pool.criteria.all()),
        can_nominate=gate.can(request.user, "reserve") and pool.is_active,
        nominate_form=nominate_form or NominateForm()))


def candidate_export_columns() -> list[Column]:
    return [
        Column(_("姓名"), lambda c: c.name, 10),
        Column(_("性别"), lambda c: c.get_gender_display(), 6),
        Column(_("出生日期"), lambda c: c.birth_date, 12),
        Column(_("身份证号码"), lambda c: c.id_number, 20),
        Column(_("单位"), lambda c: c.unit.name, 24),
        Column(_("现任职务"), lambda c: c.current_post.name if c.current_post_id else "", 20),
        Column(_("编号"), lambda c: c.pk, 8),
    ]


@requires("export")
def pool_candidates_export(request, pk):
    _require_city_wide(request.user)
    pool = pool_get(request.user, pk)
    lp, ids = candidate_page(request, pool)

    def rows():
        for start in range(0, len(ids), 2000):
            yield from _cadres_in_order(ids[start:start + 2000])

    return lp.export(columns=candidate_export_columns(), what=CANDIDATES_WHAT,
                     filename=_("%(p)s推荐人选") % {"p": pool.name},
                     list_url=reverse("promotion:pool_candidates", args=[pool.pk]), rows=rows(),
                     extra_filters=[("pool", _("储备库"), pool.name)])


@requires("reserve", post_only=True)
def pool_nominate(request, pk):
    pool = pool_get(request.user, pk)
    form = NominateForm(request.POST)
    back = reverse("promotion:pool_candidates", args=[pool.pk])
    query = request.POST.get("back_query", "")
    if query and not query.startswith(("/", "http")):
        back = f"{back}?{query}"
    if not form.is_valid():
        for msgs in form.errors.values():
            for m in msgs:
                messages.error(request, m)
        return redirect(back)
    try:
        done = entry_svc.entry_nominate(by=request.user, pool=pool, cadres=request.POST.getlist("cadres"),
                                        note=form.cleaned_data["note"])
    except ValidationError as e:
        for m in e.messages:
            messages.error(request, m)
        return redirect(back)
    messages.success(request, _("已提名 %(n)s 人，待审定入库。") % {"n": len(done)})
    return redirect(back)


# --------------------------------------------------------------------------- entry steps
def entry_get(user, pk) -> PoolEntry:
    return gate.get_or_404(PoolEntry.objects.select_related("pool", "cadre", "cadre__unit"), user, "view", pk=pk)


def _entry_step(request, pk, action):
    entry = entry_get(request.user, pk)
    form = STEP_FORMS[action](request.POST, prefix=action)
    tab = "nominated" if entry.status == EntryStatus.NOMINATED else "admitted"
    if not form.is_valid():
        for msgs in form.errors.values():
            for m in msgs:
                messages.error(request, _("%(name)s：%(m)s") % {"name": entry.cadre.name, "m": m})
        return _detail(entry.pool, tab)
    try:
        if action == "admit":
            entry_svc.entry_admit(by=request.user, entry=entry, reason=form.cleaned_data["reason"])
        else:
            entry_svc.entry_remove(by=request.user, entry=entry, reason=form.cleaned_data["reason"])
    except (ValidationError, PermissionDenied, Http404) as e:
        messages.error(request, _errors(e))
        return _detail(entry.pool, tab)
    done = {"admit": _("%(name)s已入库。"), "remove": _("已将%(name)s移出储备库。")}[action]
    messages.success(request, done % {"name": entry.cadre.name})
    return _detail(entry.pool, tab)


@requires("reserve", post_only=True)
def entry_admit(request, pk):
    return _entry_step(request, pk, "admit")


@requires("reserve", post_only=True)
def entry_remove(request, pk):
    return _entry_step(request, pk, "remove")


# --------------------------------------------------------------------------- industries and categories
LISTS = {
    "industry": {"model": Industry, "form": IndustryEditForm, "save": svc.industry_save, "delete": svc.industry_delete,
                 "title": gettext_lazy("行业"), "new": gettext_lazy("新增行业")},
    "category": {"model": PoolCategory, "form": CategoryForm, "save": svc.category_save,
                 "delete": svc.category_delete, "title": gettext_lazy("储备类别"), "new": gettext_lazy("新增类别")},
}


def _list_page(request, which):
    spec = LISTS[which]
    from django.db.models import Count

    rows = list(spec["model"].objects.restrict(request.user).annotate(n_pools=Count("pools")).order_by("order", "id"))
    return render(request, "promotion/pools/list_items.html", {
        "which": which, "rows": rows, "title": spec["title"], "new_label": spec["new"],
        "can_edit": gate.can(request.user, "reserve")})


def _list_form(request, which, obj):
    spec = LISTS[which]
    form = spec["form"](request.POST or None, instance=obj, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            kwargs = {which: obj} if obj is not None else {}
            saved = spec["save"](by=request.user, **kwargs, **form.service_data())
        except ValidationError as e:
            form.apply_errors(e)
        else:
            messages.success(request, _("已保存“%(n)s”。") % {"n": saved.name})
            return redirect(f"promotion:{which}_list")
    return render(request, "promotion/pools/list_item_form.html", {
        "which": which, "form": form, "object": obj, "title": spec["title"], "new_label": spec["new"]})


def _list_delete(request, which, pk):
    spec = LISTS[which]
    obj = gate.get_or_404(spec["model"], request.user, "view", pk=pk)
    try:
        deleted = spec["delete"](by=request.user, **{which: obj})
    except ValidationError as e:
        messages.error(request, _errors(e))
    else:
        if deleted:
            messages.success(request, _("已删除“%(n)s”。") % {"n": obj.name})
        else:
            messages.success(request, _("“%(n)s”已有储备库使用，已停用（不再用于新的储备库）。") % {"n": obj.name})
    return redirect(f"promotion:{which}_list")


@requires("view")
def industry_list(request):
    return _list_page(request, "industry")


@requires("reserve")
def industry_create(request):
    return _list_form(request, "industry", None)


@requires("reserve")
def industry_edit(request, pk):
    return _list_form(request, "industry", gate.get_or_404(Industry, request.user, "view", pk=pk))


@requires("reserve", post_only=True)
def industry_delete(request, pk):
    return _list_delete(request, "industry", pk)


@requires("view")
def category_list(request):
    return _list_page(request, "category")


@requires("reserve")
def category_create(request):
    return _list_form(request, "category", None)


@requires("reserve")
def category_edit(request, pk):
    return _list_form(request, "category", gate.get_or_404(PoolCategory, request.user, "view", pk=pk))


@requires("reserve", post_only=True)
def category_delete(request, pk):
    return _list_delete(request, "category", pk)
