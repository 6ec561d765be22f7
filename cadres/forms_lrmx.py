"""Forms of the 干部任免审批表 (LRMX): family members, the form's texts, and the .lrmx upload. They
only parse input; the services (``cadres.services``, ``cadres.lrmx.importer``) decide."""
from django import forms
from django.utils.translation import gettext_lazy as _

from pingdingshan.core import permissions as gate
from pingdingshan.core.forms import BootstrapMixin, UnitChoiceField

from .forms import model_form_base, slim_units
from .models import Cadre, FamilyMember

FAMILY_FIELDS = ["order", "relation", "name", "birth_date", "political_status", "work_unit_post"]
# What the 任免审批表 holds beyond the profile form
LRMX_TEXT_FIELDS = ["rewards_sanctions", "annual_assessment", "proposed_post", "proposed_removal",
                    "appointment_reason", "reporting_unit", "age_reference_date", "form_date", "form_filler"]

FamilyMemberForm = model_form_base(FamilyMember, FAMILY_FIELDS, "FamilyMemberForm")
FamilyMemberForm.base_fields["relation"].help_text = _("如：妻子、儿子、父亲、母亲。")

_LrmxTextBase = model_form_base(Cadre, LRMX_TEXT_FIELDS, "_LrmxTextBase", widgets={
    "rewards_sanctions": forms.Textarea(attrs={"rows": 3}), "annual_assessment": forms.Textarea(attrs={"rows": 2}),
    "appointment_reason": forms.Textarea(attrs={"rows": 3})})


class LrmxTextForm(_LrmxTextBase):
    """奖惩情况, 年度考核结果, 拟任/拟免职务, 任免理由, 呈报单位 and the form's dates and filler."""


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else single(data, initial)


class LrmxImportForm(gate.GatedFormMixin, BootstrapMixin, forms.Form):
    files = MultipleFileField(
        label=_("任免审批表文件"), help_text=_("一个或多个 .lrmx 文件（全国干部任免审批表 3.2 版，UTF-8），每个不超过5MB。"),
        widget=MultipleFileInput(attrs={"class": "form-control", "accept": ".lrmx"}),
        error_messages={"required": _("请选择要导入的 .lrmx 文件。")},
    )
    unit = UnitChoiceField(queryset=slim_units(), label=_("新建干部的所在单位"), required=False,
                           help_text=_("文件中的身份证号在名册中没有时新建干部，放在此单位；已有的干部按文件更新（先核对差异）。"))

    gate_fields = {"unit": ("change", Cadre)}
