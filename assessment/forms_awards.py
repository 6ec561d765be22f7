"""Forms of the awards and campaigns pages (评选表彰). They parse input only; the rules live in
``assessment/services/awards.py`` and its ValidationError is put back next to the fields."""
from django import forms
from django.utils.translation import gettext_lazy as _

from cadres.forms_records import CADRE_SELECT_LIMIT, cadre_label
from cadres.models import Cadre, PerformanceRecord, RecordStatus, Unit
from pingdingshan.core import permissions as gate
from pingdingshan.core.forms import BootstrapMixin, UnitChoiceField

from .models import Award, AwardKind, Campaign, Nomination


def _f(model, name):
    return model._meta.get_field(name)


class CadreChooserMixin:
    """The cadre select of a form: a plain select for a small scope; for a large one a select
    holding only the chosen cadre, filled by a search box (htmx, ``search_url``: the archive's
    cadre search), as on the record form."""

    def setup_cadre_chooser(self, search_url, target_id="id_cadre"):
        field = self.fields["cadre"]
        field.label_from_instance = cadre_label
        self.search_mode = len(field.queryset.order_by().values_list("pk", flat=True)[:CADRE_SELECT_LIMIT + 1]) \
            > CADRE_SELECT_LIMIT
        if not self.search_mode:
            del self.fields["cadre_q"]
            return
        chosen = self.data.get(self.add_prefix("cadre")) if self.is_bound else self.initial.get("cadre")
        options = [("", field.empty_label)]
        try:
            chosen = int(getattr(chosen, "pk", chosen)) if chosen else None
        except (TypeError, ValueError):
            chosen = None
        if chosen:
            found = field.queryset.filter(pk=chosen).select_related("unit").first()
            if found is not None:
                options.append((found.pk, cadre_label(found)))
        field.widget.choices = options
        self.fields["cadre_q"].widget.attrs.update({
            "hx-get": search_url, "hx-trigger": "input changed delay:300ms, search",
            "hx-target": f"#{target_id}",
            "hx-swap": "innerHTML", "type": "search", "placeholder": _("姓名、拼音首字母或身份证号"), "autocomplete": "off"})


# --------------------------------------------------------------------------- kinds
class AwardKindForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = AwardKind
        fields = ["name", "target", "level", "promotion_priority", "quota_tilt", "description", "is_active", "order"]

    def validate_unique(self):  # the service checks (and names) everything
        pass

    def _post_clean(self):
        pass


# --------------------------------------------------------------------------- awards
class AwardForm(CadreChooserMixin, gate.GatedFormMixin, BootstrapMixin, forms.Form):
    kind = forms.ModelChoiceField(queryset=AwardKind.objects.filter(is_active=True), label=_f(Award, "kind").verbose_name,
                                  empty_label=_("请选择"))
    cadre_q = forms.CharField(label=_("查找干部"), required=False, max_length=40)
    cadre = forms.ModelChoiceField(queryset=Cadre.objects.select_related("unit").order_by("unit__path", "name_initials", "id"),
                                   label=_f(Award, "cadre").verbose_name, required=False, empty_label=_("请选择干部"),
                                   help_text=_("干部表彰必填。"))
    unit = UnitChoiceField(queryset=Unit.objects.filter(is_active=True), label=_("受表彰单位"), required=False,
                           empty_label=_("请选择单位"), help_text=_("单位表彰必填；干部表彰取干部受表彰时所在单位。"))
    year = forms.IntegerField(label=_f(Award, "year").verbose_name, min_value=1949, max_value=2100)
    awarded_on = forms.DateField(label=_f(Award, "awarded_on").verbose_name, widget=forms.DateInput)
    issuing_body = forms.CharField(label=_f(Award, "issuing_body").verbose_name, max_length=100, required=False)
    document_no = forms.CharField(label=_f(Award, "document_no").verbose_name, max_length=60, required=False)
    citation = forms.CharField(label=_f(Award, "citation").verbose_name, required=False, max_length=5000,
                               widget=forms.Textarea(attrs={"rows": 4}))

    SERVICE_FIELDS = ("kind", "cadre", "unit", "year", "awarded_on", "issuing_body", "document_no", "citation")

    def __init__(self, *args, user, search_url="", **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.setup_cadre_chooser(search_url)

    def service_data(self):
        return {f: self.cleaned_data.get(f) for f in self.SERVICE_FIELDS}


class RevokeForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("撤销理由"), required=False, max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
    revoked_on = forms.DateField(label=_("撤销日期"), required=False, widget=forms.DateInput,
                                 help_text=_("不填为今天。"))


class ReasonForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("理由"), required=False, max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


# --------------------------------------------------------------------------- campaigns
class CampaignForm(BootstrapMixin, forms.Form):
    kind = forms.ModelChoiceField(queryset=AwardKind.objects.all(), label=_f(Campaign, "kind").verbose_name,
                                  empty_label=_("请选择"))
    year = forms.IntegerField(label=_f(Campaign, "year").verbose_name, min_value=2000, max_value=2100)
    name = forms.CharField(label=_f(Campaign, "name").verbose_name, max_length=100, required=False)
    nomination_deadline = forms.DateField(label=_f(Campaign, "nomination_deadline").verbose_name, required=False,
                                          widget=forms.DateInput)
    notice_start = forms.DateField(label=_f(Campaign, "notice_start").verbose_name, required=False, widget=forms.DateInput)
    notice_end = forms.DateField(label=_f(Campaign, "notice_end").verbose_name, required=False, widget=forms.DateInput)
    issuing_body = forms.CharField(label=_f(Campaign, "issuing_body").verbose_name, max_length=100, required=False)
    note = forms.CharField(label=_f(Campaign, "note").verbose_name, required=False, max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 3}))

    SERVICE_FIELDS = ("kind", "year", "name", "nomination_deadline", "notice_start", "notice_end", "issuing_body", "note")

    def __init__(self, *args, campaign=None, **kwargs):
        if campaign is not None:
            kwargs.setdefault("initial", {f: getattr(campaign, "kind_id" if f == "kind" else f)
                                          for f in self.SERVICE_FIELDS})
        super().__init__(*args, **kwargs)
        if campaign is None or campaign.status == "draft":
            self.fields["kind"].queryset = AwardKind.objects.filter(is_active=True)
        else:
            self.fields["kind"].disabled = self.fields["year"].disabled = True

    def service_data(self):
        data = {f: self.cleaned_data.get(f) for f in self.SERVICE_FIELDS}
        for f in ("name", "issuing_body", "note"):
            data[f] = data[f] or ""
        if self.fields["kind"].disabled:
            data.pop("kind"), data.pop("year")
        return data


class QuotasForm(forms.Form):
    """One number per unit (the top units below the city and the city's departments): blank, no
    quota."""

    def __init__(self, *args, units, current: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = list(units)
        for u in self.units:
            self.fields[f"quota_{u.pk}"] = forms.CharField(
                label=u.name, required=False, initial=current.get(u.pk, ""),
                widget=forms.NumberInput(attrs={"class": "form-control form-control-sm", "min": 0, "max": 999,
                                                "style": "max-width:7rem"}))

    def quotas(self) -> dict:
        out = {}
        for u in self.units:
            raw = (self.cleaned_data.get(f"quota_{u.pk}") or "").strip()
            out[u] = raw or None
        return out

    def rows(self):
        return [(u, self[f"quota_{u.pk}"]) for u in self.units]


class NoticeForm(BootstrapMixin, forms.Form):
    notice_start = forms.DateField(label=_("公示开始日期"), required=False, widget=forms.DateInput)
    notice_end = forms.DateField(label=_("公示结束日期"), required=False, widget=forms.DateInput)


class DecideForm(BootstrapMixin, forms.Form):
    winners = forms.ModelMultipleChoiceField(queryset=Nomination.objects.none(), label=_("当选对象"), required=False,
                                             widget=forms.CheckboxSelectMultiple)
    decided_on = forms.DateField(label=_("决定日期"), required=False, widget=forms.DateInput)
    issuing_body = forms.CharField(label=_("表彰机关"), max_length=100, required=False)
    document_no = forms.CharField(label=_("表彰文号"), max_length=60, required=False)

    def __init__(self, *args, campaign, **kwargs):
        kwargs.setdefault("initial", {"issuing_body": campaign.issuing_body, "document_no": campaign.document_no})
        super().__init__(*args, **kwargs)
        field = self.fields["winners"]
        field.queryset = campaign.nominations.filter(status="shortlisted").select_related("cadre", "unit")
        field.label_from_instance = lambda n: str(n.cadre or n.unit)
        field.widget.attrs["class"] = "form-check-input"


# --------------------------------------------------------------------------- nominations
class NominationForm(CadreChooserMixin, gate.GatedFormMixin, BootstrapMixin, forms.Form):
    """The nominee (a cadre the user may nominate, or a unit for a unit award), the deeds and the
    cadre's verified records to link (listed once the cadre is chosen)."""

    cadre_q = forms.CharField(label=_("查找干部"), required=False, max_length=40)
    cadre = forms.ModelChoiceField(queryset=Cadre.objects.none(), label=_("被推荐干部"), empty_label=_("请选择干部"))
    unit = UnitChoiceField(queryset=Unit.objects.none(), label=_("被推荐单位"), empty_label=_("请选择单位"))
    deeds = forms.CharField(label=_("主要事迹"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))
    records = forms.ModelMultipleChoiceField(queryset=PerformanceRecord.objects.none(), label=_("关联的实绩记录"),
                                             required=False, widget=forms.CheckboxSelectMultiple,
                                             help_text=_("只能关联该干部已核实的现行实绩记录。"))

    def __init__(self, *args, user, campaign, cadres, units, search_url="", **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.for_cadre = campaign.kind.target == "cadre"
        if self.for_cadre:
            del self.fields["unit"]
            self.fields["cadre"].queryset = cadres.select_related("unit").order_by("unit__path", "name_initials", "id")
            # the search fills the page's "choose the cadre" select, whose choice lists the records
            self.setup_cadre_chooser(search_url, target_id="pick-cadre")
            chosen = self.data.get("cadre") if self.is_bound else self.initial.get("cadre")
            try:
                chosen = int(getattr(chosen, "pk", chosen)) if chosen else None
            except (TypeError, ValueError):
                chosen = None
            self.chosen_cadre = chosen
            records = PerformanceRecord.objects.restrict(user).filter(
                cadre_id=chosen, status=RecordStatus.VERIFIED, superseded_by__isnull=True).order_by("-start_date", "-id")
            self.fields["records"].queryset = records if chosen else PerformanceRecord.objects.none()
            self.fields["records"].label_from_instance = lambda r: _("%(t)s（%(d)s，%(p)s分）") % {
                "t": r.title, "d": f"{r.start_date:%Y-%m-%d}", "p": r.points or 0}
        else:
            del self.fields["cadre"], self.fields["cadre_q"], self.fields["records"]
            self.chosen_cadre = None
            self.search_mode = False
            self.fields["unit"].queryset = units
        for name in ("records",):
            if name in self.fields:
                self.fields[name].widget.attrs["class"] = "form-check-input"

    def service_data(self):
        data = {"deeds": self.cleaned_data.get("deeds") or ""}
        if self.for_cadre:
            data["cadre"] = self.cleaned_data.get("cadre")
            data["records"] = list(self.cleaned_data.get("records") or [])
        else:
            data["unit"] = self.cleaned_data.get("unit")
        return data
