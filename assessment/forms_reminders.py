"""Forms of the reminder and sanction pages: they parse input only; the services hold the rules
and their ValidationError is put back next to the fields."""
from django import forms
from django.utils.translation import gettext_lazy as _

from cadres.forms_records import CADRE_SELECT_LIMIT, cadre_label
from cadres.models import Cadre, CadreStatus
from pingdingshan.core import permissions as gate
from pingdingshan.core.forms import BootstrapMixin

from .models import Reminder, ReminderKind, Sanction, SanctionKind


def _label(model, name):
    return model._meta.get_field(name).verbose_name


class CadrePickMixin:
    """A cadre chooser over the active cadres the user sees: a plain select for a small scope,
    otherwise a select holding only the chosen cadre, filled by a search box (htmx, the archive's
    cadre search); a whole ID number typed in the box also works without JavaScript."""

    def setup_cadre(self, search_url):
        field = self.fields["cadre"]
        field.label_from_instance = cadre_label
        in_scope = field.queryset.order_by()
        self.search_mode = len(in_scope.values_list("pk", flat=True)[:CADRE_SELECT_LIMIT + 1]) > CADRE_SELECT_LIMIT
        if not self.search_mode:
            del self.fields["cadre_q"]
            return
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
            "placeholder": _("姓名、拼音首字母或身份证号"), "autocomplete": "off", "hx-get": search_url,
            "hx-trigger": "input changed delay:300ms, search", "hx-target": "#id_cadre", "hx-swap": "innerHTML",
            "type": "search"})

    def clean(self):
        data = super().clean()
        if getattr(self, "search_mode", False) and not data.get("cadre") and "cadre" in self.errors:
            typed = (data.get("cadre_q") or "").strip().upper()
            if len(typed) == 18:
                found = self.fields["cadre"].queryset.filter(id_number=typed).first()
                if found is not None:
                    data["cadre"] = found
                    del self.errors["cadre"]
        return data


def _cadre_field():
    return forms.ModelChoiceField(
        queryset=Cadre.objects.filter(status=CadreStatus.ACTIVE).select_related("unit")
        .order_by("unit__path", "name_initials", "id"),
        label=_("干部"), empty_label=_("请选择干部"))


class ReminderForm(CadrePickMixin, gate.GatedFormMixin, BootstrapMixin, forms.Form):
    cadre = _cadre_field()
    cadre_q = forms.CharField(label=_("查找干部"), required=False, max_length=40)
    kind = forms.ChoiceField(label=_label(Reminder, "kind"), choices=[("", _("请选择"))] + ReminderKind.choices)
    held_on = forms.DateField(label=_label(Reminder, "held_on"), widget=forms.DateInput)
    follow_up_on = forms.DateField(label=_label(Reminder, "follow_up_on"), widget=forms.DateInput,
                                   help_text=_("到期前几天会列入工作台的“待回访”。"))
    content = forms.CharField(label=_label(Reminder, "content"), max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 5}))
    signs_note = forms.CharField(label=_label(Reminder, "signs_note"), max_length=5000, required=False,
                                 widget=forms.Textarea(attrs={"rows": 3}),
                                 help_text=_("系统发现的缘由已列在上方；其他缘由请在此说明。"))
    proposal = forms.IntegerField(required=False, widget=forms.HiddenInput)

    SERVICE_FIELDS = ("cadre", "kind", "held_on", "follow_up_on", "content", "signs_note")

    def __init__(self, *args, user, search_url="", reminder=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.reminder = reminder
        if reminder is not None:  # editing: the cadre stays
            del self.fields["cadre"], self.fields["cadre_q"], self.fields["proposal"]
            self.search_mode = False
        else:
            self.setup_cadre(search_url)

    def service_data(self) -> dict:
        return {f: self.cleaned_data.get(f) for f in self.SERVICE_FIELDS if f in self.fields}


class FollowUpForm(BootstrapMixin, forms.Form):
    on = forms.DateField(label=_("回访日期"), widget=forms.DateInput)
    result = forms.CharField(label=_("回访情况"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))


class SanctionForm(CadrePickMixin, gate.GatedFormMixin, BootstrapMixin, forms.Form):
    cadre = _cadre_field()
    cadre_q = forms.CharField(label=_("查找干部"), required=False, max_length=40)
    kind = forms.ChoiceField(label=_label(Sanction, "kind"), choices=[("", _("请选择"))] + SanctionKind.choices)
    decided_on = forms.DateField(label=_label(Sanction, "decided_on"), widget=forms.DateInput,
                                 help_text=_("处分期满日期按处分种类的期限自动计算。"))
    body = forms.CharField(label=_label(Sanction, "body"), max_length=100)
    document_no = forms.CharField(label=_label(Sanction, "document_no"), max_length=60, required=False)
    facts = forms.CharField(label=_label(Sanction, "facts"), max_length=5000, required=False,
                            widget=forms.Textarea(attrs={"rows": 4}))

    SERVICE_FIELDS = ("cadre", "kind", "decided_on", "body", "document_no", "facts")

    def __init__(self, *args, user, search_url="", **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.setup_cadre(search_url)

    def service_data(self) -> dict:
        return {f: self.cleaned_data.get(f) for f in self.SERVICE_FIELDS}


class RevokeForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("撤销理由"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))
    on = forms.DateField(label=_("撤销日期"), widget=forms.DateInput, required=False,
                         help_text=_("不填为今天。"))
