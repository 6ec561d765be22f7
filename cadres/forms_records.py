"""Forms of the performance archive pages (实绩档案); the list's filters are ``filters_records``.

They only parse input: the cleaned data goes to the services of ``cadres/services/records.py``
and their ValidationError is put back next to the fields (``apply_errors``).
"""
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pingdingshan.core import permissions as gate
from pingdingshan.core.forms import BootstrapMixin, apply_errors

from .models import Cadre, PerformanceRecord, RecordRole, RecordStatus, TaskCategory

S = RecordStatus

CADRE_SELECT_LIMIT = 300  # up to this many cadres in scope: a plain <select>; more: a search box
CADRE_SEARCH_LIMIT = 20


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


class RecordForm(gate.GatedFormMixin, BootstrapMixin, forms.Form):
    """Create or edit a record, with evidence files added after it is saved.

    The cadre chooser lists the cadres the user may change: a plain select when there are at most
    CADRE_SELECT_LIMIT of them (a unit leader), otherwise a select that holds the chosen cadre and
    is filled by a search box (htmx, name / pinyin initials / ID number); typing a whole ID number
    in the search box also works without JavaScript."""

    cadre = forms.ModelChoiceField(queryset=Cadre.objects.select_related("unit").order_by("unit__path", "name_initials", "id"),
                                   label=_field("cadre").verbose_name,
                                   empty_label=_("请选择干部"))
    cadre_q = forms.CharField(label=_("查找干部"), required=False, max_length=40)
    category = forms.ModelChoiceField(queryset=TaskCategory.objects.filter(is_active=True),
                                      label=_field("category").verbose_name,
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

    gate_fields = {"cadre": "change"}  # the cadres the user may write records of
    SERVICE_FIELDS = ("cadre", "category", "title", "description", "role", "start_date", "end_date", "quantity",
                      "quantity_unit")

    def __init__(self, *args, user, record=None, cadre=None, search_url="", **kwargs):
        if record is not None:
            kwargs.setdefault("initial", {f: getattr(record, f"{f}_id" if f in ("cadre", "category") else f)
                                          for f in self.SERVICE_FIELDS})
        elif cadre is not None:
            kwargs.setdefault("initial", {"cadre": cadre.pk})
        super().__init__(*args, user=user, **kwargs)
        self.record = record
        cadre_field = self.fields["cadre"]
        cadre_field.label_from_instance = cadre_label
        in_scope = cadre_field.queryset.order_by()
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
