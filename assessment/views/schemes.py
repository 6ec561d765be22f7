"""Indicator schemes (考核指标体系, tier × category × year, versioned), the tiers (层级) and
categories (类别) lists, and placing a unit in a category explicitly.

Org staff write (gate action ``assess``); auditors read; unit leaders see published schemes (and
the tier and category lists) read-only. A draft scheme is edited as a whole (its indicators in one
formset; ``scheme_save`` checks the weight total and every row); a published one is frozen and
changed by a new version.
"""
from collections import OrderedDict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pingdingshan.core import permissions as gate
from pingdingshan.core.exports import Column
from pingdingshan.core.fields import parse_id
from pingdingshan.core.pages import ListPage, paginate, query_without, requires, sort_headers

from .. import scoring, selectors, services
from ..forms import (
    CategoryForm,
    IndicatorFormSet,
    SchemeCopyForm,
    SchemeCreateForm,
    SchemeFilter,
    SchemeForm,
    TierForm,
    UnitCategoryForm,
    indicator_initial,
)
from ..models import Category, Dimension, IndicatorScheme, SchemeStatus, Tier, UnitCategory
from .setup import error_list

EXPORT_WHAT = "考核指标体系"
SCHEME_COLUMNS = [
    (gettext_lazy("名称"), None),
    (gettext_lazy("考核层级"), "tier"),
    (gettext_lazy("考核类别"), "category"),
    (gettext_lazy("年度"), "year"),
    (gettext_lazy("版本"), "version"),
    (gettext_lazy("指标数"), None),
    (gettext_lazy("权重合计"), None),
    (gettext_lazy("状态"), "status"),
]


def _detail(scheme):
    return redirect("assessment:scheme_detail", pk=scheme.pk)


def _scheme(request, pk):
    return selectors.scheme_get(user=request.user, pk=pk)


# --------------------------------------------------------------------------- list and export
def scheme_page(request) -> ListPage:
    return ListPage(request, SchemeFilter, selectors.scheme_list(user=request.user), columns=SCHEME_COLUMNS,
                    placeholders={"q": _("名称、层级或类别")})


@requires("view")
def scheme_list(request):
    lp = scheme_page(request)
    page = lp.paginate()
    return render(request, "assessment/setup/scheme_list.html", lp.context(
        page, schemes=list(page.object_list), can_assess=gate.can(request.user, "assess")))


@requires("export")
def scheme_export(request):
    columns = [
        Column(_("编号"), lambda s: s.pk, 8),
        Column(_("名称"), lambda s: str(s), 36),
        Column(_("考核层级"), lambda s: s.tier.name, 20),
        Column(_("考核类别"), lambda s: s.category.name, 16),
        Column(_("年度"), lambda s: s.year, 8),
        Column(_("版本"), lambda s: s.version, 6),
        Column(_("指标数"), lambda s: s.indicator_count, 8),
        Column(_("权重合计"), lambda s: s.weight_total, 10),
        Column(_("状态"), lambda s: s.get_status_display(), 8),
        Column(_("发布时间"), lambda s: s.published_at, 18),
    ]
    return scheme_page(request).export(columns=columns, what=EXPORT_WHAT, filename=_("考核指标体系"),
                                       list_url=reverse("assessment:scheme_list"))


# --------------------------------------------------------------------------- detail
def _describe(ind) -> dict:
    method = scoring.get(ind.method)
    params = []
    if method is not None:
        for name, spec in method.params.items():
            params.append({"label": spec.label, "value": (ind.params or {}).get(name, spec.default)})
    return {"indicator": ind, "method": method.label if method else ind.method, "params": params,
            "describe": method.describe(ind.params or {}) if method and method.describe else ""}


def dimensions(indicators) -> list[dict]:
    """Indicators grouped by dimension, in the dimensions' order, with each group's weight."""
    groups = OrderedDict((d.value, {"label": d.label, "rows": [], "weight": 0}) for d in Dimension)
    for ind in indicators:
        g = groups.setdefault(ind.dimension, {"label": ind.dimension, "rows": [], "weight": 0})
        g["rows"].append(_describe(ind))
        g["weight"] += ind.weight
    return [g for g in groups.values() if g["rows"]]


@requires("view")
def scheme_detail(request, pk):
    scheme = _scheme(request, pk)
    indicators = list(scheme.indicators.all())
    assess = gate.can(request.user, "assess")
    draft = scheme.status == SchemeStatus.DRAFT
    versions = list(IndicatorScheme.objects.restrict(request.user)
                    .filter(tier=scheme.tier_id, category=scheme.category_id).order_by("-year", "-version"))
    return render(request, "assessment/setup/scheme_detail.html", {
        "scheme": scheme,
        "dimensions": dimensions(indicators),
        "total": sum((i.weight for i in indicators), 0),
        "problems": services.scheme_problems(scheme) if assess and draft else [],
        "versions": versions,
        "periods": list(scheme.periods.restrict(request.user).order_by("-end_date")),
        "actions": {"edit": assess and draft, "publish": assess and draft, "delete": assess and draft,
                    "new_version": assess and not draft, "copy": assess},
        "copy_form": SchemeCopyForm(initial={"year": scheme.year + 1}) if assess else None,
    })


# --------------------------------------------------------------------------- create and edit
@requires("assess")
def scheme_create(request):
    form = SchemeCreateForm(request.POST or None, initial={"year": request.GET.get("year")})
    if request.method == "POST" and form.is_valid():
        try:
            scheme = services.scheme_create(by=request.user, **form.cleaned_data)
        except ValidationError as e:
            form.apply_errors(e)
        else:
            messages.success(request, _("已新建指标体系“%(s)s”，请添加考核指标（权重之和须为100）。") % {"s": scheme})
            return redirect("assessment:scheme_edit", pk=scheme.pk)
    return render(request, "assessment/setup/scheme_create.html", {"form": form})


def _row_prefix(n: int) -> str:
    """The prefix ``scheme_save`` puts before a row's messages (in the current language)."""
    return _("第%(n)d行：%(m)s") % {"n": n, "m": ""}


@requires("assess")
def scheme_edit(request, pk):
    """The draft as a whole: its name and note, and every indicator in one formset."""
    scheme = _scheme(request, pk)
    if scheme.is_frozen:
        messages.error(request, _("指标体系“%(s)s”已发布，不能修改；如需调整请新建版本。") % {"s": scheme})
        return _detail(scheme)
    post = request.POST if request.method == "POST" else None
    form = SchemeForm(post, initial={"name": scheme.name, "note": scheme.note})
    formset = IndicatorFormSet(post, initial=indicator_initial(scheme), prefix="ind")
    errors = []
    if post is not None and form.is_valid() and formset.is_valid():
        rows, row_forms = formset.rows()
        try:
            services.scheme_save(by=request.user, scheme=scheme, indicators=rows, **form.cleaned_data)
        except ValidationError as e:
            if hasattr(e, "error_dict"):
                for field, msgs in e.message_dict.items():
                    if field != "indicators":
                        form.add_error(field if field in form.fields else None, msgs)
                        continue
                    for m in msgs:
                        for n, row_form in enumerate(row_forms, start=1):
                            prefix = _row_prefix(n)
                            if m.startswith(prefix):
                                row_form.add_error(None, m[len(prefix):])
                                break
                        else:
                            errors.append(m)
            else:
                errors.extend(error_list(e))
        else:
            messages.success(request, _("已保存指标体系“%(s)s”。") % {"s": scheme})
            return _detail(scheme)
    return render(request, "assessment/setup/scheme_edit.html", {
        "scheme": scheme, "form": form, "formset": formset, "errors": errors,
        "methods_params": {m.key: [f"p_{n}" for n in m.params] for m in scoring.METHODS.values()},
    })


def _scheme_action(request, pk, call, done):
    scheme = _scheme(request, pk)
    try:
        out = call(scheme)
    except ValidationError as e:
        for m in error_list(e):
            messages.error(request, m)
        return _detail(scheme)
    messages.success(request, done(out or scheme))
    return _detail(out) if out is not None else redirect("assessment:scheme_list")


@requires("assess", post_only=True)
def scheme_publish(request, pk):
    return _scheme_action(request, pk, lambda s: services.scheme_publish(by=request.user, scheme=s),
                          lambda s: _("已发布指标体系“%(s)s”，此后不能再修改。") % {"s": s})


@requires("assess", post_only=True)
def scheme_new_version(request, pk):
    return _scheme_action(request, pk, lambda s: services.scheme_new_version(by=request.user, scheme=s),
                          lambda s: _("已新建版本“%(s)s”（草稿），请修改后发布。") % {"s": s})


@requires("assess", post_only=True)
def scheme_delete(request, pk):
    name = str(_scheme(request, pk))

    def call(scheme):
        services.scheme_delete(by=request.user, scheme=scheme)

    return _scheme_action(request, pk, call, lambda s: _("已删除指标体系草稿“%(s)s”。") % {"s": name})


@requires("assess")
def scheme_copy(request, pk):
    scheme = _scheme(request, pk)
    form = SchemeCopyForm(request.POST or None, initial={"year": scheme.year + 1})
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.scheme_copy(by=request.user, scheme=scheme, year=form.cleaned_data["year"])
        except ValidationError as e:
            form.apply_errors(e)
        else:
            messages.success(request, _("已复制为“%(s)s”（草稿）。") % {"s": copy})
            return redirect("assessment:scheme_edit", pk=copy.pk)
    return render(request, "assessment/setup/scheme_copy.html", {"scheme": scheme, "form": form})


# --------------------------------------------------------------------------- tiers and categories
def _kind_labels(kinds):
    from cadres.models import UnitKind

    labels = dict(UnitKind.choices)
    return [labels.get(k, k) for k in kinds or ()]


def _headers(request, labels, *, actions: bool):
    """The headers of a short settings table (no sorting): ``labels`` and, for who may edit, the
    actions column."""
    return sort_headers(request, [(label, None) for label in labels] + ([("", None)] if actions else []))


TIER_COLUMNS = [gettext_lazy("排序"), gettext_lazy("名称"), gettext_lazy("职务类别"), gettext_lazy("单位类型"),
                gettext_lazy("启用")]
CATEGORY_COLUMNS = [gettext_lazy("排序"), gettext_lazy("名称"), gettext_lazy("默认单位类型"), gettext_lazy("启用")]
PLACEMENT_COLUMNS = [gettext_lazy("单位"), gettext_lazy("考核类别")]


@requires("view")
def tier_list(request):
    """The tiers (a handful, in their order: one table, no pages)."""
    tiers = list(Tier.objects.restrict(request.user))
    for t in tiers:
        t.kind_labels = _kind_labels(t.unit_kinds)
    can_assess = gate.can(request.user, "assess")
    return render(request, "assessment/setup/tier_list.html", {
        "tiers": tiers, "can_assess": can_assess, "headers": _headers(request, TIER_COLUMNS, actions=can_assess)})


def _kinds_form_page(request, *, form, instance, service, field, done, template_kind):
    if request.method == "POST" and form.is_valid():
        try:
            saved = service(by=request.user, **{field: instance}, **form.service_data())
        except ValidationError as e:
            form.apply_errors(e)
        else:
            messages.success(request, done % {"n": saved.name})
            return redirect(f"assessment:{template_kind}_list")
    return render(request, f"assessment/setup/{template_kind}_form.html", {"form": form, "object": instance})


@requires("assess")
def tier_create(request):
    return _kinds_form_page(request, form=TierForm(request.POST or None), instance=None, service=services.tier_save,
                            field="tier", done=_("已保存考核层级“%(n)s”。"), template_kind="tier")


@requires("assess")
def tier_edit(request, pk):
    tier = gate.get_or_404(Tier, request.user, "view", pk=pk)
    return _kinds_form_page(request, form=TierForm(request.POST or None, instance=tier), instance=tier,
                            service=services.tier_save, field="tier", done=_("已保存考核层级“%(n)s”。"),
                            template_kind="tier")


@requires("view")
def category_list(request):
    categories = list(Category.objects.restrict(request.user))
    for c in categories:
        c.kind_labels = _kind_labels(c.unit_kinds)
    placements = paginate(request, UnitCategory.objects.restrict(request.user)
                          .select_related("unit", "category").order_by("unit__path"))
    can_assess = gate.can(request.user, "assess")
    return render(request, "assessment/setup/category_list.html", {
        "categories": categories, "page_obj": placements, "placements": list(placements.object_list),
        "page_query": query_without(request.GET, "page"), "can_assess": can_assess,
        "category_headers": _headers(request, CATEGORY_COLUMNS, actions=can_assess),
        "headers": _headers(request, PLACEMENT_COLUMNS, actions=can_assess)})


@requires("assess")
def category_create(request):
    return _kinds_form_page(request, form=CategoryForm(request.POST or None), instance=None,
                            service=services.category_save, field="category", done=_("已保存考核类别“%(n)s”。"),
                            template_kind="category")


@requires("assess")
def category_edit(request, pk):
    category = gate.get_or_404(Category, request.user, "view", pk=pk)
    return _kinds_form_page(request, form=CategoryForm(request.POST or None, instance=category), instance=category,
                            service=services.category_save, field="category", done=_("已保存考核类别“%(n)s”。"),
                            template_kind="category")


@requires("assess")
def unit_category(request):
    """Place a unit (and the units below it without their own placement) in a category, or take
    the placement away so the unit's kind decides again."""
    units = gate.units_for(request.user).only("id", "path", "depth", "name")
    initial = {}
    if unit_id := parse_id(request.GET.get("unit")):  # str.isdigit() let "²" through to int()
        current = UnitCategory.objects.filter(unit_id=unit_id).first()
        initial = {"unit": unit_id, "category": current.category_id if current else None}
    form = UnitCategoryForm(request.POST or None, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        unit, category = form.cleaned_data["unit"], form.cleaned_data["category"]
        try:
            services.unit_category_set(by=request.user, unit=unit, category=category)
        except ValidationError as e:
            form.apply_errors(e)
        else:
            if category is None:
                messages.success(request, _("已取消“%(u)s”的单独归类，按单位类型归类。") % {"u": unit.name})
            else:
                messages.success(request, _("已将“%(u)s”及其下级单位归入“%(c)s”。") % {"u": unit.name, "c": category.name})
            return redirect("assessment:category_list")
    return render(request, "assessment/setup/unit_category.html", {"form": form})
