"""Forms of the warning card pages: the card (拟发 and its edits), one reason form per workflow
step, the adjustment record, the reason categories and evidence uploads. They only parse input:
``assessment/services/cards.py`` decides and its ValidationError goes back next to the fields."""
from django import forms
from django.utils.translation import gettext_lazy as _

from cadres.forms_records import CADRE_SELECT_LIMIT, cadre_label, evidence_field
from cadres.models import Appointment, Cadre, CadreStatus, Post
from pingdingshan.core import permissions as gate
from pingdingshan.core.forms import BootstrapMixin, apply_errors

from .models import AdjustmentKind, CardColor, CardReason, WarningCard


def _field(name):
    return WarningCard._meta.get_field(name)


class ServiceErrorsMixin(BootstrapMixin):
    field_map: dict = {}

    def apply_errors(self, error):
        apply_errors(self, error, self.field_map)


class CardForm(gate.GatedFormMixin, ServiceErrorsMixin, forms.Form):
    """Draft a card or edit a draft. The cadre chooser lists active cadres the user sees: a plain
    select for a small scope, else a select filled by the archive's cadre search (htmx)."""

    cadre = forms.ModelChoiceField(
        queryset=Cadre.objects.filter(status=CadreStatus.ACTIVE).select_related("unit")
        .order_by("unit__path", "name_initials", "id"),
        label=_field("cadre").verbose_name, empty_label=_("请选择干部"))
    cadre_q = forms.CharField(label=_("查找干部"), required=False, max_length=40)
    color = forms.ChoiceField(label=_field("color").verbose_name, choices=CardColor.choices,
                              widget=forms.RadioSelect)
    reason = forms.ModelChoiceField(queryset=CardReason.objects.filter(is_active=True),
                                    label=_field("reason").verbose_name, empty_label=_("请选择"))
    facts = forms.CharField(label=_field("facts").verbose_name, max_length=5000,
                            widget=forms.Textarea(attrs={"rows": 5}))
    basis = forms.CharField(label=_field("basis").verbose_name, max_length=5000, required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))
    issuing_body = forms.CharField(label=_field("issuing_body").verbose_name, max_length=100,
                                   initial=_("中共平顶山市委组织部"))
    start_date = forms.DateField(label=_field("start_date").verbose_name, widget=forms.DateInput)
    end_date = forms.DateField(label=_field("end_date").verbose_name, widget=forms.DateInput, required=False,
                               help_text=_("不填则按事由类别的期限（黄牌、红牌各自的月数）计算，发牌日期和期满日期当天都在期限内。"))
    files = evidence_field()

    SERVICE_FIELDS = ("cadre", "color", "reason", "facts", "basis", "issuing_body", "start_date", "end_date")

    def __init__(self, *args, user, card=None, cadre=None, search_url="", **kwargs):
        if card is not None:
            kwargs.setdefault("initial", {f: getattr(card, f"{f}_id" if f in ("cadre", "reason") else f)
                                          for f in self.SERVICE_FIELDS})
        elif cadre is not None:
            kwargs.setdefault("initial", {"cadre": cadre.pk})
        super().__init__(*args, user=user, **kwargs)
        self.card = card
        self.fields["color"].widget.attrs["class"] = "form-check-input"
        field = self.fields["cadre"]
        field.label_from_instance = cadre_label
        if card is not None:  # a draft keeps its reason even when the list retired it since
            self.fields["reason"].queryset = CardReason.objects.filter(is_active=True) | CardReason.objects.filter(
                pk=card.reason_id)
        self.search_mode = len(field.queryset.order_by().values_list("pk", flat=True)[:CADRE_SELECT_LIMIT + 1]) \
            > CADRE_SELECT_LIMIT
        if self.search_mode:
            self._narrow(search_url)
        else:
            del self.fields["cadre_q"]

    def _narrow(self, search_url):
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
            "hx-swap": "innerHTML", "type": "search", "placeholder": _("姓名、拼音首字母或身份证号"),
            "autocomplete": "off"})

    def clean(self):
        data = super().clean()
        if self.search_mode and not data.get("cadre") and "cadre" in self.errors:
            typed = (data.get("cadre_q") or "").strip().upper()
            if len(typed) == 18:  # without JavaScript: a whole ID number picks the cadre
                found = self.fields["cadre"].queryset.filter(id_number=typed).first()
                if found is not None:
                    data["cadre"] = found
                    del self.errors["cadre"]
        return data

    def service_data(self) -> dict:
        return {f: self.cleaned_data.get(f) if f != "basis" else self.cleaned_data.get(f) or ""
                for f in self.SERVICE_FIELDS}

    def apply_errors(self, error):
        if hasattr(error, "error_dict") and "file" in error.error_dict:
            from django.core.exceptions import ValidationError

            d = dict(error.error_dict)
            d["files"] = d.pop("file")
            error = ValidationError(d)
        apply_errors(self, error)


class StepForm(ServiceErrorsMixin, forms.Form):
    """The reason a step needs (issue, uphold, revoke, lift)."""

    reason = forms.CharField(label=_("理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class LiftForm(StepForm):
    lifted_on = forms.DateField(label=_("解除日期"), widget=forms.DateInput, required=False,
                                help_text=_("不填为今天；须在红黄牌期限内。"))


class AppealForm(ServiceErrorsMixin, forms.Form):
    grounds = forms.CharField(label=_("申诉理由"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))


STEP_FORMS = {"issue": StepForm, "uphold": StepForm, "revoke": StepForm, "lift": LiftForm, "appeal": AppealForm}


class CardReasonForm(ServiceErrorsMixin, forms.Form):
    FIELDS = ("name", "yellow_months", "red_months", "order", "is_active")
    name = forms.CharField(max_length=40, label=_("名称"))
    yellow_months = forms.IntegerField(min_value=1, max_value=120, label=_("黄牌期限（月）"), initial=6)
    red_months = forms.IntegerField(min_value=1, max_value=120, label=_("红牌期限（月）"), initial=12)
    order = forms.IntegerField(min_value=0, max_value=32767, initial=0, label=_("排序"))
    is_active = forms.BooleanField(required=False, initial=True, label=_("启用"))

    def __init__(self, *args, instance=None, **kwargs):
        self.instance = instance
        if instance is not None:
            kwargs.setdefault("initial", {f: getattr(instance, f) for f in self.FIELDS})
        super().__init__(*args, **kwargs)

    def service_data(self) -> dict:
        return {f: self.cleaned_data.get(f) for f in self.FIELDS}


class EvidenceForm(ServiceErrorsMixin, forms.Form):
    files = evidence_field(required=True)
    field_map = {"file": "files"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].error_messages["required"] = _("请选择要上传的文件。")


class AppointmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.post.unit.name} · {obj.post.name}（{obj.start_date:%Y-%m-%d} 起）"


class PostChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.unit.name} · {obj.name}"


class AdjustmentForm(ServiceErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("调整方式"), choices=[("", _("请选择"))] + AdjustmentKind.choices)
    decided_on = forms.DateField(label=_("调整日期"), widget=forms.DateInput,
                                 help_text=_("原职务任至前一天，新职务自当天起。"))
    end_appointment = AppointmentChoiceField(queryset=Appointment.objects.none(), required=False,
                                             label=_("免去的职务"), empty_label=_("（不免去现任职务）"))
    new_post = PostChoiceField(queryset=Post.objects.none(), required=False, label=_("新任职务"),
                               empty_label=_("（不另任新职务）"),
                               help_text=_("调整岗位、改任非领导职务、降职须选择；职数按岗位设置检查。"))
    document_no = forms.CharField(label=_("文号"), max_length=60, required=False)
    note = forms.CharField(label=_("说明"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3}))

    SERVICE_FIELDS = ("kind", "decided_on", "end_appointment", "new_post", "document_no", "note")

    def __init__(self, *args, adjustment, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["end_appointment"].queryset = (
            Appointment.objects.restrict(user, "view").filter(cadre=adjustment.cadre_id, end_date__isnull=True)
            .select_related("post__unit").order_by("-start_date"))
        unit = adjustment.cadre.unit
        self.fields["new_post"].queryset = (
            Post.objects.restrict(user, "view").filter(unit__path__startswith=unit.path[:8] if unit else "")
            .select_related("unit").order_by("unit__path", "order", "id"))

    def service_data(self) -> dict:
        data = {f: self.cleaned_data.get(f) for f in self.SERVICE_FIELDS}
        data["document_no"] = data["document_no"] or ""
        data["note"] = data["note"] or ""
        return data
