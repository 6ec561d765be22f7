"""Forms and the list filter of the performance archive pages (实绩档案).

They only parse input: the cleaned data goes to the services of ``cadres/services/records.py``
and their ValidationError is put back next to the fields (``apply_errors``).
"""
import django_filters as df
from django import forms
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils.translation import gettext_lazy as _

from pingdingshan.core import permissions as gate
from pingdingshan.core.forms import BootstrapMixin, apply_errors

from .filters import UnitSubtreeFilter, search_filter
from .models import Cadre, PerformanceRecord, RecordRole, RecordStatus, TaskCategory

S = RecordStatus

# The list's default order: what needs the user's attention first (returned, then drafts,
# submitted, verified), most recently changed first inside a status.
STATUS_ORDER = [S.RETURNED, S.DRAFT, S.SUBMITTED, S.VERIFIED]
CADRE_SELECT_LIMIT = 300  # up to this many cadres in scope: a plain <select>; more: a search box
CADRE_SEARCH_LIMIT = 20


def status_rank():
    return Case(*[When(status=s, then=Value(i)) for i, s in enumerate(STATUS_ORDER)],
                default=Value(len(STATUS_ORDER)), output_field=IntegerField())


def with_status_rank(qs):
    return qs.annotate(status_rank=status_rank())


# --------------------------------------------------------------------------- list filter
class RecordFilter(df.FilterSet):
    """The record list's filters; the queryset must be annotated with ``status_rank``
    (``with_status_rank``)."""

    q = df.CharFilter(method="filter_q", label=_("干部姓名/拼音首字母/身份证号/标题"))
    status = df.ChoiceFilter(choices=RecordStatus.choices, label=_("状态"))
    category = df.ModelChoiceFilter(queryset=TaskCategory.objects.all(), label=_("中心工作类别"))
    unit = UnitSubtreeFilter(path_field="cadre__unit__path", label=_("干部单位（含下级）"))
    role = df.ChoiceFilter(choices=RecordRole.choices, label=_("本人角色"))
    date_from = df.DateFilter(field_name="start_date", lookup_expr="gte", label=_("开始日期从"))
    date_to = df.DateFilter(field_name="start_date", lookup_expr="lte", label=_("开始日期至"))
    cadre = df.NumberFilter(field_name="cadre_id", label=_("干部"), widget=forms.HiddenInput)
    ordering = df.OrderingFilter(
        fields=(
            ("cadre__name_initials", "cadre"),
            ("unit__path", "unit"),
            ("category__order", "category"),
            ("start_date", "date"),
            ("status_rank", "status"),
            ("points", "points"),
            ("updated_at", "updated"),
        ),
        field_labels={
            "cadre__name_initials": _("干部"), "unit__path": _("时任单位"), "category__order": _("中心工作类别"),
            "start_date": _("开始日期"), "status_rank": _("状态"), "points": _("实绩分"), "updated_at": _("更新时间"),
        },
        label=_("排序"),
    )

    class Meta:
        model = PerformanceRecord
        fields = []

    def filter_q(self, qs, name, value):
        return search_filter(qs, value, prefix="cadre__", text_fields=("title",))

    def filter_queryset(self, queryset):
        """Every filter; ``without_status`` keeps the rows before the status filter (for the
        counts on the status tabs)."""
        qs = queryset
        for name, value in self.form.cleaned_data.items():
            if name != "status":
                qs = self.filters[name].filter(qs, value)
        self.without_status = qs
        qs = self.filters["status"].filter(qs, self.form.cleaned_data.get("status"))
        if not self.form.cleaned_data.get("ordering"):
            # Unit leaders follow their own records: returned ones first, then drafts, submitted,
            # verified. City-wide readers (org staff, auditors) get the newest first, which is
            # indexed (record_newest_first) and stays fast over millions of records.
            if gate.scope(getattr(self.request, "user", None), "view", PerformanceRecord).everything:
                qs = qs.order_by("-start_date", "-id")
            else:
                qs = qs.order_by("status_rank", "-updated_at", "-id")
        elif "id" not in qs.query.order_by and "-id" not in qs.query.order_by:
            qs = qs.order_by(*qs.query.order_by, "-id")
        return qs


def _prefixed(q: Q, prefix: str) -> Q:
    """The same Q with every lookup put behind ``prefix`` (``name`` → ``cadre__name``)."""
    out = Q()
    out.connector, out.negated = q.connector, q.negated
    for child in q.children:
        if isinstance(child, Q):
            out.children.append(_prefixed(child, prefix))
        else:
            out.children.append((prefix + child[0], child[1]))
    return out


# --------------------------------------------------------------------------- record form
class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleans to a list (empty when none was chosen)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        files = [d for d in data if d] if isinstance(data, list | tuple) else ([data] if data else [])
        if not files:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        return [single(d, initial) for d in files]


EVIDENCE_HELP = _("可多选；PDF、JPEG、PNG、Word、Excel，每个不超过20MB。")
EVIDENCE_ACCEPT = ".pdf,.jpg,.jpeg,.png,.doc,.docx,.xls,.xlsx"


def evidence_field(required=False):
    return MultipleFileField(label=_("佐证材料"), required=required, help_text=EVIDENCE_HELP,
                             widget=MultipleFileInput(attrs={"accept": EVIDENCE_ACCEPT}))


def cadre_label(cadre) -> str:
    born = cadre.birth_date.strftime("%Y.%m") if cadre.birth_date else ""
    return f"{cadre.name}（{cadre.unit.name}，{born}）"


def _field(name):
    return PerformanceRecord._meta.get_field(name)


class RecordForm(BootstrapMixin, forms.Form):
    """Create or edit a record, with evidence files added after it is saved.

    The cadre chooser lists the cadres the user may change: a plain select when there are at most
    CADRE_SELECT_LIMIT of them (a unit leader), otherwise a select that holds the chosen cadre and
    is filled by a search box (htmx, name / pinyin initials / ID number); typing a whole ID number
    in the search box also works without JavaScript."""

    cadre = forms.ModelChoiceField(queryset=Cadre.objects.none(), label=_field("cadre").verbose_name,
                                   empty_label=_("请选择干部"))
    cadre_q = forms.CharField(label=_("查找干部"), required=False, max_length=40)
    category = forms.ModelChoiceField(queryset=TaskCategory.objects.none(), label=_field("category").verbose_name,
                                      empty_label=_("请选择"))
    title = forms.CharField(label=_field("title").verbose_name, max_length=_field("title").max_length)
    description = forms.CharField(label=_field("description").verbose_name, widget=forms.Textarea(attrs={"rows": 5}),
                                  max_length=5000)
    role = forms.ChoiceField(label=_field("role").verbose_name, choices=[("", _("请选择"))] + RecordRole.choices)
    start_date = forms.DateField(label=_field("start_date").verbose_name, widget=forms.DateInput)
    end_date = forms.DateField(label=_field("end_date").verbose_name, widget=forms.DateInput, required=False)
    quantity = forms.DecimalField(label=_field("quantity").verbose_name, required=False, max_digits=16,
                                  decimal_places=2)
    quantity_unit = forms.CharField(label=_field("quantity_unit").verbose_name, required=False, max_length=20)
    files = evidence_field()

    SERVICE_FIELDS = ("cadre", "category", "title", "description", "role", "start_date", "end_date", "quantity",
                      "quantity_unit")

    def __init__(self, *args, user, record=None, cadre=None, search_url="", **kwargs):
        if record is not None:
            kwargs.setdefault("initial", {f: getattr(record, f"{f}_id" if f in ("cadre", "category") else f)
                                          for f in self.SERVICE_FIELDS})
        elif cadre is not None:
            kwargs.setdefault("initial", {"cadre": cadre.pk})
        super().__init__(*args, **kwargs)
        self.user, self.record = user, record
        in_scope = Cadre.objects.restrict(user, "change")
        cadre_field = self.fields["cadre"]
        cadre_field.queryset = in_scope.select_related("unit").order_by("unit__path", "name_initials", "id")
        cadre_field.label_from_instance = cadre_label
        self.fields["category"].queryset = TaskCategory.objects.filter(is_active=True)
        # the page warns before submitting without evidence, and stops it for these categories
        self.evidence_required_ids = list(TaskCategory.objects.filter(is_active=True, requires_evidence=True)
                                          .values_list("pk", flat=True))
        self.evidence_count = record.evidence.count() if record is not None else 0
        self.fields["quantity"].widget.attrs.update(step="0.01", placeholder=_("如 3.2"))
        self.fields["quantity_unit"].widget.attrs["placeholder"] = _("如 亿元、个、人次")
        self.fields["description"].widget.attrs["maxlength"] = 5000
        self.fields["cadre_q"].widget.attrs.update(placeholder=_("姓名、拼音首字母或身份证号"), autocomplete="off")
        if record is not None and record.amends_id:  # an amendment corrects the same cadre's record
            cadre_field.disabled = True
        self.search_mode = len(in_scope.values_list("pk", flat=True)[:CADRE_SELECT_LIMIT + 1]) > CADRE_SELECT_LIMIT
        if self.search_mode:
            self._narrow_cadre_choices(search_url)
        else:
            del self.fields["cadre_q"]

    def _narrow_cadre_choices(self, search_url):
        """Large scope: the select holds only the chosen cadre; the search box fills it."""
        field = self.fields["cadre"]
        chosen = self.data.get("cadre") if self.is_bound else self.initial.get("cadre")
        options = [("", field.empty_label)]
        try:
            chosen = int(chosen) if chosen else None
        except (TypeError, ValueError):
            chosen = None
        if chosen:
            found = field.queryset.filter(pk=chosen).first()
            if found is not None:
                options.append((found.pk, cadre_label(found)))
        field.widget.choices = options
        self.fields["cadre_q"].widget.attrs.update({
            "hx-get": search_url, "hx-trigger": "input changed delay:300ms, search", "hx-target": "#id_cadre",
            "hx-swap": "innerHTML", "type": "search",
        })

    def clean(self):
        data = super().clean()
        if self.search_mode and not data.get("cadre") and "cadre" in self.errors:
            # Without JavaScript: a whole ID number typed in the search box picks the cadre.
            typed = (data.get("cadre_q") or "").strip().upper()
            if len(typed) == 18:
                found = self.fields["cadre"].queryset.filter(id_number=typed).first()
                if found is not None:
                    data["cadre"] = found
                    del self.errors["cadre"]
                    self.fields["cadre"].widget.choices = [(found.pk, cadre_label(found))]
        return data

    def service_data(self) -> dict:
        data = {f: self.cleaned_data.get(f) for f in self.SERVICE_FIELDS}
        data["quantity_unit"] = data["quantity_unit"] or ""
        if self.fields["cadre"].disabled or (self.record is not None and data["cadre"].pk == self.record.cadre_id):
            data.pop("cadre")  # unchanged: the record keeps the unit the cadre served in at the time
        return data

    def apply_errors(self, error):
        apply_errors(self, _files_key(error))


class EvidenceUploadForm(BootstrapMixin, forms.Form):
    files = evidence_field(required=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].error_messages["required"] = _("请选择要上传的文件。")

    def apply_errors(self, error):
        apply_errors(self, _files_key(error))


def _files_key(error):
    """The evidence service names its field ``file``; the forms call it ``files``."""
    from django.core.exceptions import ValidationError

    if hasattr(error, "error_dict") and "file" in error.error_dict:
        d = dict(error.error_dict)
        d["files"] = d.pop("file")
        return ValidationError(d)
    return error


class CadreSearchForm(forms.Form):
    cadre_q = forms.CharField(required=False, max_length=40)
