"""Forms of the posting pages: the posting (proposal and its edits), one form per workflow step and
the programme. They only parse input: ``promotion/services/postings.py`` decides and its
ValidationError goes back next to the fields."""
from django import forms
from django.utils.translation import gettext_lazy as _

from cadres.forms_records import CADRE_SELECT_LIMIT, cadre_label
from cadres.models import Cadre, CadreStatus, Unit
from pingdingshan.core import permissions as gate
from pingdingshan.core.forms import BootstrapMixin, apply_errors

from .models import Evaluation, FrontlinePosting, Programme
from .models.postings import TEXT_MAX


def _field(name):
    return FrontlinePosting._meta.get_field(name)


class ServiceErrorsMixin(BootstrapMixin):
    field_map: dict = {}

    def apply_errors(self, error):
        apply_errors(self, error, self.field_map)


class UnitLabelField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return "\u3000" * max(obj.depth - 1, 0) + obj.name


class PostingForm(gate.GatedFormMixin, ServiceErrorsMixin, forms.Form):
    """Propose a posting or edit a proposal. The cadre chooser lists the active cadres the user may
    propose for (a unit leader: those of their units): a plain select for a small scope, else a
    select filled by the archive's cadre search (htmx)."""

    gate_fields = {"cadre": ("change", FrontlinePosting)}

    cadre = forms.ModelChoiceField(
        queryset=Cadre.objects.filter(status=CadreStatus.ACTIVE).select_related("unit")
        .order_by("unit__path", "name_initials", "id"),
        label=_field("cadre").verbose_name, empty_label=_("请选择干部"))
    cadre_q = forms.CharField(label=_("查找干部"), required=False, max_length=40)
    programme = forms.ModelChoiceField(queryset=Programme.objects.filter(is_active=True),
                                       label=_field("programme").verbose_name, empty_label=_("请选择"))
    host = forms.CharField(label=_field("host").verbose_name, max_length=100,
                           help_text=_field("host").help_text,
                           error_messages={"required": _("请填写派驻单位或任务。")})
    host_unit = UnitLabelField(queryset=Unit.objects.order_by("path"), required=False,
                               label=_("派驻单位（在单位库中的）"), empty_label=_("（不在单位库中）"))
    start_date = forms.DateField(label=_field("start_date").verbose_name, widget=forms.DateInput)
    end_date = forms.DateField(label=_field("end_date").verbose_name, widget=forms.DateInput,
                               help_text=_("开始和结束当天都在期间内。"))
    tasks = forms.CharField(label=_field("tasks").verbose_name, max_length=TEXT_MAX, required=False,
                            widget=forms.Textarea(attrs={"rows": 4}))

    SERVICE_FIELDS = ("cadre", "programme", "host", "host_unit", "start_date", "end_date", "tasks")

    def __init__(self, *args, user, posting=None, cadre=None, search_url="", **kwargs):
        if posting is not None:
            kwargs.setdefault("initial", {f: getattr(posting, f"{f}_id" if f in ("cadre", "programme", "host_unit")
                                                     else f) for f in self.SERVICE_FIELDS})
        elif cadre is not None:
            kwargs.setdefault("initial", {"cadre": cadre.pk})
        super().__init__(*args, user=user, **kwargs)
        self.posting = posting
        field = self.fields["cadre"]
        field.label_from_instance = cadre_label
        if posting is not None:  # a proposal keeps its programme even when the list retired it since
            self.fields["programme"].queryset = (Programme.objects.filter(is_active=True)
                                                 | Programme.objects.filter(pk=posting.programme_id))
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
        data = {f: self.cleaned_data.get(f) for f in self.SERVICE_FIELDS}
        data["host"] = data["host"] or ""
        data["tasks"] = data["tasks"] or ""
        return data


class ReasonForm(ServiceErrorsMixin, forms.Form):
    """The optional reason of a step (approve, withdraw)."""

    reason = forms.CharField(label=_("说明"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RequiredReasonForm(ServiceErrorsMixin, forms.Form):
    """The reason a rejection needs."""

    reason = forms.CharField(label=_("理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": _("请填写理由。")})


class CloseForm(ServiceErrorsMixin, forms.Form):
    evaluation = forms.ChoiceField(label=_field("evaluation").verbose_name, choices=Evaluation.choices,
                                   widget=forms.RadioSelect,
                                   error_messages={"required": _("请选择期满评价（优秀、良好、一般或较差）。")})
    remarks = forms.CharField(label=_field("evaluation_remarks").verbose_name, max_length=TEXT_MAX, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    evaluated_on = forms.DateField(label=_field("evaluated_on").verbose_name, widget=forms.DateInput, required=False,
                                   help_text=_("不填为今天；不能早于开始日期。"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evaluation"].widget.attrs["class"] = "form-check-input"


STEP_FORMS = {"approve": ReasonForm, "withdraw": ReasonForm, "reject": RequiredReasonForm, "close": CloseForm}


class ProgrammeForm(ServiceErrorsMixin, forms.Form):
    FIELDS = ("name", "description", "order", "is_active")
    name = forms.CharField(max_length=60, label=_("名称"))
    description = forms.CharField(max_length=200, required=False, label=_("说明"))
    order = forms.IntegerField(min_value=0, max_value=32767, initial=0, label=_("排序"))
    is_active = forms.BooleanField(required=False, initial=True, label=_("启用"))

    def __init__(self, *args, instance=None, **kwargs):
        self.instance = instance
        if instance is not None:
            kwargs.setdefault("initial", {f: getattr(instance, f) for f in self.FIELDS})
        super().__init__(*args, **kwargs)

    def service_data(self) -> dict:
        data = {f: self.cleaned_data.get(f) for f in self.FIELDS}
        data["description"] = data["description"] or ""
        return data
