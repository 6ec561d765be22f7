"""Units: the tree, a unit's page (establishment, posts and rank quotas with used/free, children,
cadres), and the forms to create/edit/delete units, posts and rank quotas (org staff)."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from pingdingshan.core import permissions as gate
from pingdingshan.core import registry
from pingdingshan.core.pages import paginate, requires

from .. import selectors, services
from ..forms import POST_FORM_FIELDS, UNIT_FORM_FIELDS, PostForm, RankQuotaForm, UnitForm, apply_errors, initial_from
from ..models import Cadre, CadreStatus, Post, Rank, RankQuota, Unit, UnitKind, UnitLevel

STEP = Unit.steplen


def _may_manage(user, model, unit=None) -> bool:
    """Show / allow the unit, post and quota forms (a top-level unit when ``unit`` is None)? The gate
    answers for the object the form would write; the services check again."""
    if unit is None:
        return gate.allows(user, "create_top_unit")
    return gate.allows(user, "change", unit if model is Unit else model(unit=unit))


def _ensure_may_manage(user, model, unit=None):
    if not _may_manage(user, model, unit):
        raise PermissionDenied(_("只有组织部可以维护单位、职务岗位和职数。"))


def _unit(request, pk):
    return gate.get_or_404(Unit, request.user, "view", pk=pk)


def _ancestors(user, unit):
    """The visible ancestors of ``unit`` (for breadcrumbs), root first."""
    paths = [unit.path[:i] for i in range(STEP, len(unit.path), STEP)]
    return list(Unit.objects.restrict(user).filter(path__in=paths).only("id", "name", "path", "depth")) if paths else []


# --------------------------------------------------------------------------- tree
def build_tree(units, counts):
    """Nest path-ordered units; each node: unit, children, count (its own active cadres), total
    (with every unit below) and the level/kind labels (looked up once, not per unit: choice
    labels are lazy translations, slow to hash a thousand times). Units whose parent is not in
    the list become roots."""
    levels = {k: str(v) for k, v in UnitLevel.choices}
    kinds = {k: str(v) for k, v in UnitKind.choices}
    nodes, roots = {}, []
    for u in units:
        node = {"unit": u, "children": [], "count": counts.get(u.pk, 0), "total": counts.get(u.pk, 0),
                "level_label": levels.get(u.level, u.level), "kind_label": kinds.get(u.kind, u.kind)}
        nodes[u.path] = node
        parent = nodes.get(u.path[:-STEP])
        (parent["children"] if parent else roots).append(node)
    for u in reversed(units):
        parent = nodes.get(u.path[:-STEP])
        if parent:
            parent["total"] += nodes[u.path]["total"]
    return roots


def flatten_tree(roots):
    """The nested nodes in display order, each with ``level`` (0 for roots), ``has_children`` and
    ``closes`` (how many open lists end after a leaf), so the template draws the nested lists in
    one loop instead of one include per unit."""
    flat = []

    def walk(nodes, level):
        for node in nodes:
            node["level"] = level
            node["has_children"] = bool(node["children"])
            flat.append(node)
            walk(node["children"], level + 1)

    walk(roots, 0)
    for i, node in enumerate(flat):
        next_level = flat[i + 1]["level"] if i + 1 < len(flat) else 0
        node["closes"] = range(node["level"] - next_level) if not node["has_children"] else range(0)
    return flat


@requires("view")
def unit_tree(request):
    user = request.user
    q = (request.GET.get("q") or "").strip()
    units = list(selectors.unit_list(user=user).only("id", "path", "depth", "name", "short_name", "code", "level",
                                                     "kind", "establishment", "is_active"))
    counts = dict(Cadre.objects.restrict(user).filter(status=CadreStatus.ACTIVE).order_by()
                  .values_list("unit_id").annotate(n=Count("id")))
    matched = set()
    if q:
        ql = q.lower()
        matched = {u.path for u in units if ql in u.name.lower() or ql in u.short_name.lower() or ql in u.code.lower()}
        keep = set()
        for p in matched:
            keep.update(p[:i] for i in range(STEP, len(p) + 1, STEP))
        units_shown = [u for u in units if u.path in keep]
    else:
        units_shown = units
    roots = build_tree(units_shown, counts)
    context = {
        "roster_url": reverse("cadres:cadre_list"),
        "unit_url_prefix": reverse("cadres:unit_tree"),  # unit_detail is units/<pk>/
        "roots": roots,
        "nodes": flatten_tree(roots),
        "q": q,
        "matched": matched,
        "match_count": len(matched),
        "unit_count": len(units),
        "cadre_total": sum(counts.values()),
        "can_manage": _may_manage(user, Unit),
    }
    return render(request, "cadres/unit_tree.html", context)


# --------------------------------------------------------------------------- detail
@requires("view")
def unit_detail(request, pk):
    user = request.user
    unit = _unit(request, pk)
    posts = list(selectors.posts_with_usage(user=user, unit=unit))
    for p in posts:
        p.free = max(p.quota - p.used, 0)
        p.over = p.used > p.quota
    by_rank = selectors.rank_usage(unit=unit)  # the unit's page is in sight: so are its cadres
    active = sum(by_rank.values())
    quotas = {rq.rank_id: rq.quota for rq in RankQuota.objects.restrict(user).filter(unit=unit)}
    rank_rows = []
    for r in Rank.objects.all():
        used = by_rank.get(r.pk, 0)
        quota = quotas.get(r.pk)
        if quota is None and not used:
            continue
        rank_rows.append({"rank": r, "quota": quota, "used": used,
                          "free": None if quota is None else max(quota - used, 0),
                          "over": quota is not None and used > quota})
    children = list(Unit.objects.restrict(user).filter(path__startswith=unit.path, depth=unit.depth + 1)
                    .only("id", "name", "path", "depth", "level", "kind", "establishment"))
    cadres = (Cadre.objects.restrict(user).filter(unit=unit).select_related("current_post", "current_rank")
              .only("id", "name", "gender", "birth_date", "status", "current_post", "current_post__name",
                    "current_rank", "current_rank__name")
              .order_by("name_initials", "id"))
    page = paginate(request, cadres)
    context = {
        "unit": unit,
        "ancestors": _ancestors(user, unit),
        "active_count": active,
        "vacancy": max(unit.establishment - active, 0),
        "over_by": max(active - unit.establishment, 0),
        "posts": posts,
        "post_quota_total": sum(p.quota for p in posts),
        "post_used_total": sum(p.used for p in posts),
        "rank_rows": rank_rows,
        "children": children,
        "page_obj": page,
        "cadres": page.object_list,
        "roster_url": f"{reverse('cadres:cadre_list')}?unit={unit.pk}",
        "can_manage": _may_manage(user, Unit, unit),
        "can_manage_posts": _may_manage(user, Post, unit),
        "can_manage_quotas": _may_manage(user, RankQuota, unit),
    }
    # Panels other apps add to this page (``registry.tabs`` page "unit"): their context and template.
    panels = registry.tabs.for_page("unit")
    for panel in panels:
        context.update(panel.get_context(user, unit))
    context["unit_panels"] = panels
    return render(request, "cadres/unit_detail.html", context)


# --------------------------------------------------------------------------- unit forms
@requires("change")
def unit_create(request):
    parent = None
    if request.GET.get("parent") or request.POST.get("parent"):
        parent = _unit(request, request.GET.get("parent") or request.POST.get("parent"))
    _ensure_may_manage(request.user, Unit, parent)
    form = UnitForm(request.POST or None, initial={"is_active": True})
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_create(by=request.user, parent=parent, **form.cleaned_data)
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("已创建单位“%(name)s”。") % {"name": unit.name})
            return redirect("cadres:unit_detail", pk=unit.pk)
    return render(request, "cadres/unit_form.html", {"form": form, "unit": None, "parent": parent,
                                                     "title": _("新增单位")})


@requires("change")
def unit_edit(request, pk):
    unit = _unit(request, pk)
    _ensure_may_manage(request.user, Unit, unit)
    form = UnitForm(request.POST or None, initial=initial_from(unit, UNIT_FORM_FIELDS))
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_update(by=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("已保存。"))
            return redirect("cadres:unit_detail", pk=unit.pk)
    return render(request, "cadres/unit_form.html", {"form": form, "unit": unit, "title": _("编辑单位")})


@requires("change", post_only=True)
def unit_delete(request, pk):
    unit = _unit(request, pk)
    parent = Unit.objects.get_parent(unit)
    try:
        services.unit_delete(by=request.user, unit=unit)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return redirect("cadres:unit_detail", pk=unit.pk)
    messages.success(request, _("已删除单位“%(name)s”。") % {"name": unit.name})
    if parent is not None and Unit.objects.restrict(request.user).filter(pk=parent.pk).exists():
        return redirect("cadres:unit_detail", pk=parent.pk)
    return redirect("cadres:unit_tree")


# --------------------------------------------------------------------------- posts
@requires("change")
def post_create(request, pk):
    unit = _unit(request, pk)
    _ensure_may_manage(request.user, Post, unit)
    form = PostForm(request.POST or None, initial={"quota": 1, "order": 0})
    if request.method == "POST" and form.is_valid():
        try:
            services.post_save(by=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("已保存职务岗位。"))
            return redirect("cadres:unit_detail", pk=unit.pk)
    return render(request, "cadres/unit_form.html", {"form": form, "unit": unit, "title": _("新增职务岗位")})


def _post(request, pk):
    return gate.get_or_404(Post.objects.select_related("unit"), request.user, "view", pk=pk)


@requires("change")
def post_edit(request, pk):
    post = _post(request, pk)
    _ensure_may_manage(request.user, Post, post.unit)
    form = PostForm(request.POST or None, initial=initial_from(post, POST_FORM_FIELDS))
    if request.method == "POST" and form.is_valid():
        try:
            services.post_save(by=request.user, post=post, **form.cleaned_data)
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("已保存职务岗位。"))
            return redirect("cadres:unit_detail", pk=post.unit_id)
    return render(request, "cadres/unit_form.html", {"form": form, "unit": post.unit, "post": post,
                                                     "title": _("编辑职务岗位")})


@requires("change", post_only=True)
def post_delete(request, pk):
    post = _post(request, pk)
    try:
        services.post_delete(by=request.user, post=post)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("已删除职务岗位“%(name)s”。") % {"name": post.name})
    return redirect("cadres:unit_detail", pk=post.unit_id)


# --------------------------------------------------------------------------- rank quotas
@requires("change")
def rank_quotas(request, pk):
    unit = _unit(request, pk)
    _ensure_may_manage(request.user, RankQuota, unit)
    ranks = list(Rank.objects.all())
    current = {rq.rank_id: rq.quota for rq in RankQuota.objects.filter(unit=unit)}
    used = selectors.rank_usage(unit=unit)
    form = RankQuotaForm(request.POST or None, ranks=ranks, current=current)
    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        with transaction.atomic():
            for rank, quota in changes:
                try:
                    services.rank_quota_set(by=request.user, unit=unit, rank=rank, quota=quota)
                except ValidationError as e:
                    msgs = e.message_dict.get("quota", e.messages) if hasattr(e, "error_dict") else e.messages
                    form.add_error(f"rank_{rank.pk}", msgs)
            if form.errors:
                transaction.set_rollback(True)
        if not form.errors:
            messages.success(request, _("已保存职级职数（%(n)d项）。") % {"n": len(changes)})
            return redirect("cadres:unit_detail", pk=unit.pk)
    rows = [{"rank": r, "field": form.field_for(r), "used": used.get(r.pk, 0)} for r in ranks]
    return render(request, "cadres/rank_quotas.html", {"form": form, "unit": unit, "rows": rows})
