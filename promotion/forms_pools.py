"""Forms of the pool pages: the pool (its fields and weights; the criteria rows are parsed by
``criteria_rows`` from the parameters each kind declares in ``eligibility.CRITERIA``), the step
reasons of an entry, the nomination note, and the industry and category lists. They only parse
input: ``promotion/services/pools.py`` and ``entries.py`` decide, and their ValidationError goes
back next to the fields (a criterion's at its row)."""
from django import forms
from django.utils.translation import gettext_lazy as _

from cadres.models import PostLevel
from pingdingshan.core.forms import BootstrapMixin, apply_errors

from .models import CriterionKind, Industry, PoolCategory, ReservePool
from .models.reserve import COMPONENTS
from .services.pools import POOL_FIELDS


def _model_field(name):
    return ReservePool._meta.get_field(name)


class ServiceErrorsMixin(BootstrapMixin):
    field_map: dict = {}

    def apply_errors(self, error):
        apply_errors(self, error, self.field_map)


def _int_field(name, low, high):
    f = _model_field(name)
    return forms.IntegerField(label=f.verbose_name, min_value=low, max_value=high, initial=f.default,
                              help_text=f.help_text or "", widget=forms.NumberInput(attrs={"step": 1}))


class PoolForm(ServiceErrorsMixin, forms.Form):
    """The pool's fields and its five weights (percent; the service checks they sum to 100)."""

    name = forms.CharField(label=_model_field("name").verbose_name, max_length=60)
    industry = forms.ModelChoiceField(queryset=Industry.objects.all(), label=_model_field("industry").verbose_name,
                                      empty_label=_("请选择"))
    category = forms.ModelChoiceField(queryset=PoolCategory.objects.all(), label=_model_field("category").verbose_name,
                                      empty_label=_("请选择"))
    description = forms.CharField(label=_model_field("description").verbose_name, max_length=5000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    order = forms.IntegerField(label=_model_field("order").verbose_name, min_value=0, max_value=32767, initial=0)
    is_active = forms.BooleanField(label=_model_field("is_active").verbose_name, required=False, initial=True)
    weight_composite = _int_field("weight_composite", 0, 100)
    weight_points = _int_field("weight_points", 0, 100)
    weight_awards = _int_field("weight_awards", 0, 100)
    weight_frontline = _int_field("weight_frontline", 0, 100)
    weight_cards = _int_field("weight_cards", 0, 100)
    composite_years = _int_field("composite_years", 1, 10)
    points_years = _int_field("points_years", 1, 10)
    recency_percent = _int_field("recency_percent", 1, 100)

    WEIGHTS = tuple(f"weight_{c}" for c in COMPONENTS)

    def __init__(self, *args, pool: ReservePool | None = None, **kwargs):
        if pool is not None:
            kwargs.setdefault("initial", {f: getattr(pool, f"{f}_id" if f in ("industry", "category") else f)
                                          for f in POOL_FIELDS})
        super().__init__(*args, **kwargs)
        for name in ("industry", "category"):  # a retired entry stays choosable for the pool holding it
            qs = self.fields[name].queryset.filter(is_active=True)
            if pool is not None:
                qs = qs | self.fields[name].queryset.filter(pk=getattr(pool, f"{name}_id"))
            self.fields[name].queryset = qs.distinct()
        for name in self.WEIGHTS:
            self.fields[name].widget.attrs["class"] += " pool-weight"

    def service_data(self) -> dict:
        data = {f: self.cleaned_data.get(f) for f in POOL_FIELDS}
        data["description"] = data["description"] or ""
        return data

    @property
    def weight_fields(self):
        return [self[n] for n in self.WEIGHTS]

    @property
    def year_fields(self):
        return [self[n] for n in ("composite_years", "points_years", "recency_percent")]


# --------------------------------------------------------------------------- criteria rows
# How each parameter type of ``eligibility.Param`` is entered: a number, one choice, several
# choices (tags), or a checkbox. Values are passed on as posted; ``criteria_clean`` checks and
# converts them (text that is not a number gets its message at the field).
INPUTS = {"int": "number", "level": "select", "grade": "select", "evaluation": "select", "choice": "select",
          "tags": "multi", "bool": "checkbox"}


def _param_value(param, raw: list[str]):
    kind = INPUTS.get(param.type, "text")
    if kind == "checkbox":
        return bool(raw and raw[0] not in ("", "0", "false", "off"))
    if kind == "multi":
        return [v for v in raw if v != ""]
    text = (raw[0] if raw else "").strip()
    if text == "":
        return None
    if param.type == "level" and text.isdigit():
        return int(text)
    return text


def param_choices(param) -> list[tuple[str, str]]:
    """The options of a parameter entered as a choice: [(value as text, label)]."""
    from assessment.models import Grade
    from cadres.models import Tag

    from .models.postings import Evaluation

    if param.type == "level":
        return [(str(v), str(label)) for v, label in PostLevel.choices]
    if param.type == "grade":
        return [(str(v), str(label)) for v, label in Grade.choices]
    if param.type == "evaluation":
        return [(str(v), str(label)) for v, label in Evaluation.choices]
    if param.type == "tags":
        return [(str(pk), name) for pk, name in Tag.objects.order_by("name").values_list("id", "name")]
    return [(str(v), str(label)) for v, label in param.choices]


def criteria_rows(data) -> tuple[list[dict], list[str]]:
    """The criteria list posted by the pool form (rows ``criteria-<n>-kind`` with their kind's
    parameters ``criteria-<n>-<kind>-<param>``, in the order of ``n``; a row without a kind is
    left out) and the form prefix of each kept row, so a service error on ``criteria-<i>-…`` goes
    back to the row it came from."""
    from .services.eligibility import CRITERIA

    numbers = set()
    for key in data:
        parts = key.split("-")
        if len(parts) == 3 and parts[0] == "criteria" and parts[2] == "kind" and parts[1].isdigit():
            numbers.add(int(parts[1]))
    rows, prefixes = [], []
    for n in sorted(numbers)[:50]:
        kind = (data.get(f"criteria-{n}-kind") or "").strip()
        if not kind:
            continue
        params = {}
        spec = CRITERIA.get(kind)
        for param in getattr(spec, "params", ()) or ():
            value = _param_value(param, data.getlist(f"criteria-{n}-{kind}-{param.name}"))
            if value is not None:
                params[param.name] = value
        rows.append({"kind": kind, "params": params})
        prefixes.append(f"criteria-{n}")
    return rows, prefixes


def row_views(rows: list[dict], prefixes: list[str], errors: dict[str, list[str]], blank: int = 1) -> list[dict]:
    """What the template renders per criterion row: its prefix, kind, every kind's parameters
    (with the row's values and errors for its own kind, the defaults for the others), and the
    row's own errors."""
    from .services.eligibility import CRITERIA

    choices_cache: dict[str, list] = {}

    def choices(p):
        key = p.type if p.type != "choice" else f"choice:{p.name}"
        if key not in choices_cache:
            choices_cache[key] = param_choices(p)
        return choices_cache[key]

    out = []
    numbers = [int(p.split("-")[1]) for p in prefixes]
    nxt = max(numbers, default=-1) + 1
    all_rows = list(zip(prefixes, rows, strict=True)) + [
        (f"criteria-{nxt + i}", {"kind": "", "params": {}}) for i in range(blank)]
    for prefix, row in all_rows:
        kind = row.get("kind") or ""
        kinds = []
        for k in CriterionKind.values:
            spec = CRITERIA.get(k)
            params = []
            for p in getattr(spec, "params", ()) or ():
                value = (row.get("params") or {}).get(p.name) if k == kind else p.default
                values = [str(v) for v in value] if isinstance(value, list | tuple) else (
                    [] if value is None or value is False else [str(value)])
                input_type = INPUTS.get(p.type, "text")
                params.append({"spec": p, "name": f"{prefix}-{k}-{p.name}", "value": value, "values": values,
                               "input": input_type,
                               "choices": choices(p) if input_type in ("select", "multi") else [],
                               "errors": errors.get(f"{prefix}-{p.name}", []) if k == kind else []})
            kinds.append({"kind": k, "label": CriterionKind(k).label, "params": params, "active": k == kind})
        out.append({"prefix": prefix, "kind": kind, "kinds": kinds,
                    "errors": errors.get(f"{prefix}-kind", []) + errors.get(f"{prefix}-params", [])
                    + errors.get(prefix, [])})
    return out


# --------------------------------------------------------------------------- entries
class NominateForm(ServiceErrorsMixin, forms.Form):
    note = forms.CharField(label=_("提名理由"), max_length=5000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class AdmitForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(label=_("审定意见"), max_length=5000, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


class RemoveForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(label=_("移出理由"), max_length=5000, required=True,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("请填写理由。")})


STEP_FORMS = {"admit": AdmitForm, "remove": RemoveForm}


# --------------------------------------------------------------------------- lists
class IndustryForm(ServiceErrorsMixin, forms.Form):
    FIELDS = ("name", "description", "order", "is_active")
    RELATED = ()
    name = forms.CharField(max_length=40, label=_("名称"))
    description = forms.CharField(max_length=200, label=_("说明"), required=False)
    order = forms.IntegerField(min_value=0, max_value=32767, initial=0, label=_("排序"))
    is_active = forms.BooleanField(required=False, initial=True, label=_("启用"))

    def __init__(self, *args, instance=None, user=None, **kwargs):
        self.instance = instance
        if instance is not None:
            kwargs.setdefault("initial", {f: getattr(instance, f) for f in self.FIELDS})
        super().__init__(*args, **kwargs)

    def service_data(self) -> dict:
        data = {f: self.cleaned_data.get(f) for f in self.FIELDS}
        data["description"] = data["description"] or ""
        for f in self.RELATED:
            data[f] = list(self.cleaned_data.get(f) or [])
        return data


class IndustryRelatedMixin(forms.Form):
    """The units (subtree included) whose posts belong to an industry, and the 中心工作 counted as
    experience in it (vacancies and candidates, issue 13)."""

    RELATED = ("units", "task_categories")
    units = forms.ModelMultipleChoiceField(queryset=None, required=False, label=_("所属单位（含下级单位）"),
                                           widget=forms.SelectMultiple(attrs={"size": 8}))
    task_categories = forms.ModelMultipleChoiceField(queryset=None, required=False, label=_("对应中心工作"),
                                                     widget=forms.SelectMultiple(attrs={"size": 6}))

    def __init__(self, *args, instance=None, user=None, **kwargs):
        from cadres.models import TaskCategory, Unit
        from pingdingshan.core.forms import unit_label

        super().__init__(*args, instance=instance, **kwargs)
        if instance is not None:
            self.initial["units"] = list(instance.units.values_list("pk", flat=True))
            self.initial["task_categories"] = list(instance.task_categories.values_list("pk", flat=True))
        units = Unit.objects.restrict(user) if user is not None else Unit.objects.none()
        self.fields["units"].queryset = units
        self.fields["units"].label_from_instance = unit_label
        self.fields["task_categories"].queryset = TaskCategory.objects.order_by("order", "id")


class CategoryForm(IndustryForm):
    FIELDS = ("name", "target_level", "description", "order", "is_active")
    target_level = forms.TypedChoiceField(label=_("拟任职务层次"), choices=[("", _("（不限）"))] + PostLevel.choices,
                                          coerce=int, empty_value=None, required=False)
    field_order = FIELDS


class IndustryEditForm(IndustryRelatedMixin, IndustryForm):
    """The industry form: the list's fields and the industry's units and 中心工作."""
