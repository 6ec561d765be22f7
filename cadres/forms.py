"""Forms of the roster pages. They only parse input: the cleaned data goes to one service in
``cadres/services.py``, and the service's ValidationError is put back next to the fields
(``apply_errors``)."""
from django import forms
from django.forms.models import fields_for_model, model_to_dict
from django.utils.translation import gettext_lazy as _

from pingdingshan.core import permissions as gate
from pingdingshan.core.forms import BootstrapMixin, UnitChoiceField, apply_errors, unit_label

from .models import Appointment, Cadre, CareerEntry, Post, Rank, RankHistory, Tag, Training, Unit


# --------------------------------------------------------------------------- helpers
def slim_units():
    """Every unit with what a chooser shows (tree order); the gate restricts it per user."""
    return Unit.objects.only("id", "path", "depth", "name")


def model_form_base(model, fields, name, **kwargs):
    """A plain Form class with the model's fields (labels, choices, validators), not a ModelForm:
    saving is the service's job."""
    return type(name, (BootstrapMixin, forms.Form), dict(fields_for_model(model, fields=fields, **kwargs)))


def initial_from(instance, fields):
    return model_to_dict(instance, fields=fields) if instance is not None else {}


# --------------------------------------------------------------------------- cadres
CADRE_FORM_FIELDS = [
    "name", "gender", "ethnicity", "birth_date", "id_number", "native_place", "birth_place", "unit",
    "political_status", "party_join_date", "work_start_date", "health", "professional_title", "expertise",
    "fulltime_education", "fulltime_degree", "fulltime_school",
    "fulltime_major", "inservice_education", "inservice_degree", "inservice_school", "inservice_major",
    "phone", "status", "tags", "photo",
]

_CadreBase = model_form_base(
    Cadre, CADRE_FORM_FIELDS, "_CadreBase",
    field_classes={"unit": UnitChoiceField},
    widgets={"tags": forms.SelectMultiple(attrs={"size": 6})},
)


_CadreBase.base_fields["unit"].queryset = slim_units()
_CadreBase.base_fields["tags"].queryset = Tag.objects.all()


class CadreForm(gate.GatedFormMixin, _CadreBase):
    """Create / edit a cadre. The unit is limited to where the user may change cadres."""

    gate_fields = {"unit": ("change", Cadre)}  # the units it may be placed in

    def __init__(self, *args, user, instance=None, **kwargs):
        if instance is not None:
            kwargs.setdefault("initial", initial_from(instance, [f for f in CADRE_FORM_FIELDS if f != "photo"]))
        super().__init__(*args, user=user, **kwargs)
        self.instance = instance
        self.fields["tags"].help_text = _("按住 Ctrl 可多选。")
        self.fields["id_number"].widget.attrs.update({"maxlength": 18, "autocomplete": "off"})
        if instance is not None and instance.photo:
            self.fields["photo"].help_text = _("已上传照片；重新选择文件即替换。")
        self.fields["photo"].widget = forms.FileInput(attrs={"class": "form-control", "accept": "image/*"})
        self.fields["health"].required = False  # left empty: 健康 for a new cadre, unchanged for an edit

    def service_data(self) -> dict:
        """cleaned_data in the shape the services take (``tags`` a list; photo only when uploaded)."""
        data = dict(self.cleaned_data)
        data["tags"] = list(data.get("tags") or [])
        photo = data.pop("photo", None)
        if photo:
            data["photo"] = photo
        if not data.get("health"):
            data.pop("health", None)
        return data


# --------------------------------------------------------------------------- appointments and ranks
class AppointmentForm(gate.GatedFormMixin, BootstrapMixin, forms.Form):
    """Appoint a cadre: choose a unit (only to narrow the post list), then one of its posts."""

    unit = UnitChoiceField(queryset=slim_units(), label=_("岗位所在单位"), required=False)
    post = forms.ModelChoiceField(queryset=Post.objects.select_related("unit"), label=_("职务"))
    start_date = forms.DateField(label=Appointment._meta.get_field("start_date").verbose_name, widget=forms.DateInput)
    end_date = forms.DateField(label=Appointment._meta.get_field("end_date").verbose_name, widget=forms.DateInput,
                               required=False)
    document_no = forms.CharField(label=Appointment._meta.get_field("document_no").verbose_name, max_length=60,
                                  required=False)
    note = forms.CharField(label=Appointment._meta.get_field("note").verbose_name, max_length=200, required=False)

    gate_fields = {"unit": ("change", Appointment), "post": ("change", Appointment)}  # where it may appoint

    def __init__(self, *args, user, unit=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        posts = self.fields["post"].queryset
        if unit is not None:
            posts = posts.filter(unit=unit)
            self.fields["unit"].initial = unit.pk
        self.fields["post"].queryset = posts
        self.fields["post"].label_from_instance = lambda p: f"{p.name}（{p.get_level_display()}，{_('职数')}{p.quota}）"

    def reload_posts_from(self, url):
        """Changing the unit reloads the post list (htmx; the page works without it too)."""
        self.fields["unit"].widget.attrs.update({"hx-get": url, "hx-target": "#post-field",
                                                 "hx-select": "#post-field", "hx-swap": "outerHTML"})


class AppointmentEndForm(BootstrapMixin, forms.Form):
    end_date = forms.DateField(label=Appointment._meta.get_field("end_date").verbose_name, widget=forms.DateInput)


class RankAssignForm(BootstrapMixin, forms.Form):
    rank = forms.ModelChoiceField(queryset=Rank.objects.all(), label=RankHistory._meta.get_field("rank").verbose_name)
    start_date = forms.DateField(label=RankHistory._meta.get_field("start_date").verbose_name, widget=forms.DateInput)
    document_no = forms.CharField(label=RankHistory._meta.get_field("document_no").verbose_name, max_length=60,
                                  required=False)


# --------------------------------------------------------------------------- career and training
CAREER_FIELDS = ["start_date", "end_date", "description"]
TRAINING_FIELDS = ["title", "organiser", "start_date", "end_date", "hours", "result"]

CareerForm = model_form_base(CareerEntry, CAREER_FIELDS, "CareerForm")
TrainingForm = model_form_base(Training, TRAINING_FIELDS, "TrainingForm")


# --------------------------------------------------------------------------- units, posts, quotas
UNIT_FORM_FIELDS = ["code", "name", "short_name", "level", "kind", "establishment", "is_active"]
POST_FORM_FIELDS = ["name", "kind", "level", "quota", "is_chief", "order"]

UnitForm = model_form_base(Unit, UNIT_FORM_FIELDS, "UnitForm")
PostForm = model_form_base(Post, POST_FORM_FIELDS, "PostForm")


class RankQuotaForm(BootstrapMixin, forms.Form):
    """One number per rank: how many cadres of the unit may hold it (empty: no quota set)."""

    def __init__(self, *args, ranks, current: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.ranks = list(ranks)
        for r in self.ranks:
            self.fields[f"rank_{r.pk}"] = forms.IntegerField(
                label=r.name, required=False, min_value=0, max_value=32767, initial=current.get(r.pk))
        self.current = current
        for name in self.fields:  # added after BootstrapMixin ran
            self.fields[name].widget.attrs["class"] = "form-control form-control-sm"

    def changes(self):
        """[(rank, quota)] for the numbers that differ from the stored quotas."""
        out = []
        for r in self.ranks:
            value = self.cleaned_data.get(f"rank_{r.pk}")
            if value is not None and value != self.current.get(r.pk):
                out.append((r, value))
        return out

    def field_for(self, rank):
        return self[f"rank_{rank.pk}"]


__all__ = [
    "AppointmentEndForm", "AppointmentForm", "CadreForm", "CareerForm", "PostForm", "RankAssignForm", "RankQuotaForm",
    "TrainingForm", "UnitForm", "apply_errors", "slim_units", "unit_label",
]
