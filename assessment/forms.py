"""Forms and list filters of the assessment set-up and scoring pages.

They only parse input: the cleaned data goes to ``assessment.services`` (which decide: weights sum
to 100, a published scheme is frozen, a period's dates are locked once scoring started …) and the
services' ValidationError is put back next to the fields (``apply_errors``).
"""
from decimal import Decimal

import django_filters as df
from django import forms
from django.db.models import Q
from django.forms.models import fields_for_model
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cadres.models import Unit, UnitKind
from pingdingshan.core.filtersets import GatedFilterSet
from pingdingshan.core.forms import BootstrapMixin, apply_errors, unit_label

from . import scoring
from .models import (
    AssessmentPeriod,
    Category,
    Dimension,
    IndicatorScheme,
    PeriodKind,
    PeriodStatus,
    SchemeStatus,
    Tier,
)
from .services.periods import GRADING_FIELDS, PERIOD_FIELDS


class ServiceFormMixin(BootstrapMixin):
    def apply_errors(self, error):
        apply_errors(self, error)


def _checkboxes(field):
    field.widget.attrs["class"] = "form-check-input"


# --------------------------------------------------------------------------- list filters
class PeriodFilter(GatedFilterSet):
    q = df.CharFilter(method="filter_q", label=_("名称"))
    kind = df.ChoiceFilter(choices=PeriodKind.choices, label=_("考核类型"))
    year = df.NumberFilter(label=_("年度"), min_value=2000, max_value=2100)
    status = df.ChoiceFilter(choices=PeriodStatus.choices, label=_("状态"))
    ordering = df.OrderingFilter(
        fields=(("name", "name"), ("year", "year"), ("end_date", "end"), ("status", "status"),
                ("result_count", "enrolled")),
        label=_("排序"),
    )

    class Meta:
        model = AssessmentPeriod
        fields = []

    def filter_q(self, qs, name, value):
        value = (value or "").strip()
        return qs.filter(Q(name__icontains=value) | Q(task_name__icontains=value)) if value else qs

    def filter_queryset(self, queryset):
        qs = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("ordering"):
            return qs.order_by("-end_date", "-id")
        return qs.order_by(*qs.query.order_by, "-id")


class SchemeFilter(GatedFilterSet):
    q = df.CharFilter(method="filter_q", label=_("名称"))
    tier = df.ModelChoiceFilter(queryset=Tier.objects.all(), label=_("考核层级"))
    category = df.ModelChoiceFilter(queryset=Category.objects.all(), label=_("考核类别"))
    year = df.NumberFilter(label=_("年度"), min_value=2000, max_value=2100)
    status = df.ChoiceFilter(choices=SchemeStatus.choices, label=_("状态"))
    ordering = df.OrderingFilter(
        fields=(("tier__order", "tier"), ("category__order", "category"), ("year", "year"),
                ("version", "version"), ("status", "status")),
        label=_("排序"),
    )

    class Meta:
        model = IndicatorScheme
        fields = []

    def filter_q(self, qs, name, value):
        value = (value or "").strip()
        if not value:
            return qs
        return qs.filter(Q(name__icontains=value) | Q(tier__name__icontains=value)
                         | Q(category__name__icontains=value))

    def filter_queryset(self, queryset):
        qs = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("ordering"):
            return qs.order_by("-year", "tier__order", "category__order", "-version", "id")
        return qs.order_by(*qs.query.order_by, "id")


# --------------------------------------------------------------------------- periods
class PeriodForm(ServiceFormMixin, forms.Form):
    """The period's own fields (→ ``period_save``). Once scoring started only the name, the grade
    thresholds and the 优秀 share may change: the other fields are shown disabled."""

    def __init__(self, *args, period=None, **kwargs):
        self.period = period
        initial = kwargs.pop("initial", None) or {}
        if period is not None:
            initial = {f: getattr(period, f) for f in PERIOD_FIELDS} | initial
        super().__init__(*args, initial=initial, **kwargs)
        self.fields.update(fields_for_model(AssessmentPeriod, fields=PERIOD_FIELDS))
        previous = AssessmentPeriod.objects.filter(status=PeriodStatus.PUBLISHED)
        if period is not None:
            previous = previous.exclude(pk=period.pk)
        self.fields["previous"].queryset = previous.order_by("-end_date")
        self.fields["previous"].help_text = _("不选则自动取同类型、在本周期开始前结束的最近一个已发布周期。")
        self.fields["task_name"].help_text = _("专项考核必填。")
        self.fields["excellent_share"].help_text = _("每个（层级、类别）组中优秀人数不超过该比例。")
        if period is not None and period.status != PeriodStatus.DRAFT:
            for name in PERIOD_FIELDS:
                if name not in GRADING_FIELDS and name != "name":
                    self.fields[name].disabled = True
        _style(self)  # the fields were added after BootstrapMixin styled the (empty) form

    def service_data(self) -> dict:
        return {f: self.cleaned_data.get(f) for f in PERIOD_FIELDS if not self.fields[f].disabled}


def _style(form):
    """BootstrapMixin's classes for fields added after the form's __init__."""
    for field in form.fields.values():
        w = field.widget
        if isinstance(w, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(w, forms.Select | forms.SelectMultiple):
            css = "form-select"
        else:
            css = "form-control"
        if css not in w.attrs.get("class", ""):
            w.attrs["class"] = (w.attrs.get("class", "") + " " + css).strip()
        if isinstance(w, forms.DateInput):
            w.input_type = "date"
            w.format = "%Y-%m-%d"


def scheme_label(s: IndicatorScheme) -> str:
    status = "" if s.is_frozen else gettext("（草稿）")
    return f"{s}{status}"


class PeriodSchemesForm(ServiceFormMixin, forms.Form):
    """The schemes in force (→ ``period_set_schemes``): published schemes, one per (tier, category)."""

    schemes = forms.ModelMultipleChoiceField(queryset=IndicatorScheme.objects.none(), required=False,
                                             widget=forms.CheckboxSelectMultiple, label=_("适用的指标体系"))

    def __init__(self, *args, period, **kwargs):
        kwargs.setdefault("initial", {"schemes": list(period.schemes.values_list("pk", flat=True))})
        super().__init__(*args, **kwargs)
        qs = (IndicatorScheme.objects.filter(Q(status=SchemeStatus.PUBLISHED) | Q(periods=period))
              .select_related("tier", "category").distinct()
              .order_by("-year", "tier__order", "category__order", "-version"))
        self.fields["schemes"].queryset = qs
        self.fields["schemes"].label_from_instance = scheme_label
        _checkboxes(self.fields["schemes"])
        self.period = period

    def by_year(self) -> list[dict]:
        """The checkboxes grouped by the schemes' year, newest first: [{"year", "boxes", "checked"}]
        (the page shows the period's year first and selects a year's schemes at once)."""
        years = {}
        for box in self["schemes"]:
            year = box.data["value"].instance.year
            group = years.setdefault(year, {"year": year, "boxes": [], "checked": 0})
            group["boxes"].append(box)
            group["checked"] += bool(box.data["selected"])
        return sorted(years.values(), key=lambda g: (g["year"] != self.period.year, -g["year"]))


class RaterGroupsForm(forms.Form):
    """All rater groups of a period in one form (→ ``rater_groups_save``): per row a name, an
    order and a weight for each tier of the schemes in force; a row may be deleted. Empty extra
    rows are ignored."""

    EXTRA = 2

    def __init__(self, *args, period, tiers, **kwargs):
        super().__init__(*args, **kwargs)
        self.tiers = tiers
        groups = list(period.rater_groups.prefetch_related("weights").order_by("order", "id"))
        self.count = len(groups) + self.EXTRA
        if self.is_bound:
            try:
                self.count = max(min(int(self.data.get("rows", self.count)), 50), 0)
            except ValueError:
                pass
        self.rows = []
        for n in range(self.count):
            g = groups[n] if n < len(groups) else None
            weights = {w.tier_id: w.weight for w in g.weights.all()} if g else {}
            p = f"g{n}"
            self.fields[f"{p}_id"] = forms.IntegerField(required=False, widget=forms.HiddenInput,
                                                        initial=g.pk if g else None)
            self.fields[f"{p}_name"] = forms.CharField(required=False, max_length=40, label=_("名称"),
                                                       initial=g.name if g else "")
            self.fields[f"{p}_order"] = forms.IntegerField(required=False, min_value=0, max_value=32767,
                                                           label=_("排序"), initial=g.order if g else n + 1)
            self.fields[f"{p}_delete"] = forms.BooleanField(required=False, label=_("删除"))
            for t in tiers:
                self.fields[f"{p}_w{t.pk}"] = forms.DecimalField(
                    required=False, min_value=Decimal("0"), max_value=Decimal("100"), max_digits=5,
                    decimal_places=2, label=t.name, initial=weights.get(t.pk))
            self.rows.append(p)
        _style(self)
        for name, field in self.fields.items():
            if name.endswith("_delete"):
                field.widget.attrs["class"] = "form-check-input"
            else:
                field.widget.attrs["class"] += " form-control-sm"

    def table(self):
        """[(name field, order field, delete field, hidden id, [weight fields])] for the template."""
        out = []
        for p in self.rows:
            out.append({"name": self[f"{p}_name"], "order": self[f"{p}_order"], "delete": self[f"{p}_delete"],
                        "id": self[f"{p}_id"], "weights": [self[f"{p}_w{t.pk}"] for t in self.tiers]})
        return out

    def groups(self) -> list[dict]:
        out = []
        for p in self.rows:
            d = self.cleaned_data
            weights = {t.pk: d.get(f"{p}_w{t.pk}") for t in self.tiers}
            name = (d.get(f"{p}_name") or "").strip()
            if d.get(f"{p}_delete"):
                continue
            if not d.get(f"{p}_id") and not name and all(w is None for w in weights.values()):
                continue  # an empty extra row
            out.append({"id": d.get(f"{p}_id"), "name": name, "order": d.get(f"{p}_order") or 0,
                        "weights": {k: v for k, v in weights.items() if v is not None}})
        return out

    def apply_errors(self, error):
        apply_errors(self, error)


# --------------------------------------------------------------------------- score entry
class ScoreFilterForm(forms.Form):
    """The grid's selectors: which scheme (tier × category), a unit subtree, a name."""

    scheme = forms.TypedChoiceField(label=_("考核指标体系"), coerce=int, required=False)
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), required=False, label=_("单位（含下级）"))
    q = forms.CharField(required=False, max_length=40, label=_("姓名/拼音首字母"))

    def __init__(self, *args, schemes, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].choices = [(s.pk, f"{s.tier.name} · {s.category.name}") for s in schemes]
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = unit_label
        self.fields["unit"].empty_label = gettext("全部")
        for field in self.fields.values():
            css = "form-select form-select-sm" if hasattr(field, "choices") else "form-control form-control-sm"
            field.widget.attrs["class"] = css


# --------------------------------------------------------------------------- schemes
class SchemeCreateForm(ServiceFormMixin, forms.Form):
    tier = forms.ModelChoiceField(queryset=Tier.objects.filter(is_active=True), label=_("考核层级"))
    category = forms.ModelChoiceField(queryset=Category.objects.filter(is_active=True), label=_("考核类别"))
    year = forms.IntegerField(min_value=2000, max_value=2100, label=_("年度"))
    name = forms.CharField(required=False, max_length=120, label=_("名称"),
                           help_text=_("不填则自动命名为“年度 层级 · 类别 版本”。"))
    note = forms.CharField(required=False, max_length=300, label=_("说明"))


class SchemeForm(ServiceFormMixin, forms.Form):
    name = forms.CharField(required=False, max_length=120, label=_("名称"))
    note = forms.CharField(required=False, max_length=300, label=_("说明"))


class SchemeCopyForm(ServiceFormMixin, forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100, label=_("复制到年度"))


def param_fields() -> dict[str, tuple[str, object]]:
    """{form field name: (param name, Param)} of every method's parameters."""
    out = {}
    for method in scoring.METHODS.values():
        for pname, spec in method.params.items():
            out.setdefault(f"p_{pname}", (pname, spec))
    return out


class IndicatorForm(BootstrapMixin, forms.Form):
    """One indicator row of a draft scheme. Values are checked again, with the weight total and the
    one-veto rule, by ``scheme_save``."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    order = forms.IntegerField(required=False, min_value=0, max_value=32767, label=_("排序"))
    dimension = forms.ChoiceField(choices=Dimension.choices, label=_("维度"))
    name = forms.CharField(max_length=60, label=_("指标名称"))
    description = forms.CharField(required=False, max_length=500, label=_("评价要点"),
                                  widget=forms.Textarea(attrs={"rows": 1}))
    weight = forms.DecimalField(min_value=Decimal("0"), max_value=Decimal("100"), max_digits=5, decimal_places=2,
                                label=_("权重（%）"))
    method = forms.ChoiceField(label=_("计分方式"))
    is_veto = forms.BooleanField(required=False, label=_("一票否决"))
    veto_threshold = forms.DecimalField(required=False, min_value=Decimal("0"), max_value=Decimal("100"),
                                        max_digits=5, decimal_places=2, label=_("否决线"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["method"].choices = scoring.method_choices()
        for fname, (_pname, spec) in param_fields().items():
            self.fields[fname] = forms.DecimalField(required=False, label=spec.label, max_digits=12,
                                                    decimal_places=2,
                                                    widget=forms.NumberInput(attrs={"class": "form-control"}))
        for name, field in self.fields.items():
            if name != "is_veto":
                field.widget.attrs["class"] = field.widget.attrs.get("class", "") + " form-control-sm"
            if name.startswith("p_") or name in ("weight", "veto_threshold", "order"):
                field.widget.attrs["step"] = "any"

    def params(self):
        return [self[f] for f in param_fields()]

    def clean(self):
        data = super().clean()
        method = scoring.get(data.get("method") or "")
        if method is not None:
            raw = {p: data.get(f) for f, (p, _s) in param_fields().items() if p in method.params
                   and data.get(f) is not None}
            cleaned, errors = method.clean_params(raw)
            for e in errors:
                self.add_error(None, e)
            data["params"] = cleaned
        return data

    def row(self) -> dict:
        d = self.cleaned_data
        row = {k: d.get(k) for k in ("dimension", "name", "description", "weight", "method", "is_veto")}
        row["params"] = d.get("params", {})
        row["veto_threshold"] = d.get("veto_threshold") if d.get("veto_threshold") is not None else Decimal("60")
        if d.get("id"):
            row["id"] = d["id"]
        if d.get("order") is not None:
            row["order"] = d["order"]
        return row


class BaseIndicatorFormSet(forms.BaseFormSet):
    def rows(self) -> tuple[list[dict], list]:
        """(rows for ``scheme_save``, the form of each row) skipping deleted and empty extra rows."""
        rows, forms_ = [], []
        for form in self.forms:
            if not form.has_changed() and not form.initial:
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            rows.append(form.row())
            forms_.append(form)
        for n, row in enumerate(rows, start=1):
            row.setdefault("order", n)
        return rows, forms_


IndicatorFormSet = forms.formset_factory(IndicatorForm, formset=BaseIndicatorFormSet, extra=2, can_delete=True,
                                         max_num=100, validate_max=True)


def indicator_initial(scheme) -> list[dict]:
    out = []
    pf = param_fields()
    for ind in scheme.indicators.all():
        row = {"id": ind.pk, "order": ind.order, "dimension": ind.dimension, "name": ind.name,
               "description": ind.description, "weight": ind.weight, "method": ind.method, "is_veto": ind.is_veto,
               "veto_threshold": ind.veto_threshold}
        for fname, (pname, _spec) in pf.items():
            if pname in (ind.params or {}):
                row[fname] = Decimal(str(ind.params[pname]))
        out.append(row)
    return out


# --------------------------------------------------------------------------- tiers, categories, units
class _KindsForm(ServiceFormMixin, forms.Form):
    def __init__(self, *args, instance=None, **kwargs):
        self.instance = instance
        if instance is not None:
            kwargs.setdefault("initial", {f: getattr(instance, f) for f in self.FIELDS})
        super().__init__(*args, **kwargs)
        _checkboxes(self.fields["unit_kinds"])

    def service_data(self) -> dict:
        return {f: self.cleaned_data.get(f) for f in self.FIELDS}


class TierForm(_KindsForm):
    FIELDS = ("name", "post_class", "unit_kinds", "order", "is_active")
    name = forms.CharField(max_length=40, label=_("名称"))
    post_class = forms.ChoiceField(choices=Tier._meta.get_field("post_class").choices, label=_("职务类别"))
    unit_kinds = forms.MultipleChoiceField(choices=UnitKind.choices, required=False, label=_("单位类型"),
                                           widget=forms.CheckboxSelectMultiple,
                                           help_text=_("不选则不限单位类型。"))
    order = forms.IntegerField(min_value=0, max_value=32767, initial=0, label=_("排序"),
                               help_text=_("干部归入排序最前、条件相符的启用层级。"))
    is_active = forms.BooleanField(required=False, initial=True, label=_("启用"))


class CategoryForm(_KindsForm):
    FIELDS = ("name", "unit_kinds", "order", "is_active")
    name = forms.CharField(max_length=40, label=_("名称"))
    unit_kinds = forms.MultipleChoiceField(choices=UnitKind.choices, required=False, label=_("默认单位类型"),
                                           widget=forms.CheckboxSelectMultiple,
                                           help_text=_("这些类型的单位默认归入本类别；个别单位可单独归类。"))
    order = forms.IntegerField(min_value=0, max_value=32767, initial=0, label=_("排序"))
    is_active = forms.BooleanField(required=False, initial=True, label=_("启用"))


class UnitCategoryForm(ServiceFormMixin, forms.Form):
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_("单位"))
    category = forms.ModelChoiceField(queryset=Category.objects.filter(is_active=True), required=False,
                                      label=_("考核类别"),
                                      help_text=_("选“按单位类型”则取消单独归类，由单位类型决定。"))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = unit_label
        self.fields["category"].empty_label = gettext("按单位类型")
