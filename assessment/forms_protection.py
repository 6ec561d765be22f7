"""Forms of the protection pages (tolerance rulings, risk filings, clarifications). They only parse
input: ``assessment/services/protection.py`` decides, and its ValidationError goes back next to
the fields (``apply_errors``). Every choice is restricted by the gate (``GatedFormMixin``)."""
from django import forms
from django.utils.translation import gettext_lazy as _

from cadres.forms_records import (
    CADRE_SELECT_LIMIT,
    EVIDENCE_ACCEPT,
    EVIDENCE_HELP,
    MultipleFileField,
    MultipleFileInput,
    cadre_label,
)
from cadres.models import Cadre, Unit
from pingdingshan.core import permissions as gate
from pingdingshan.core.forms import BootstrapMixin, UnitChoiceField, apply_errors

from .models import (
    CARD_ISSUED_STATUSES,
    ApplicantKind,
    Clarification,
    ClarificationMethod,
    ClarificationSource,
    RiskFiling,
    RulingDecision,
    Sanction,
    ToleranceRuling,
    WarningCard,
)
from .services.protection import CRITERIA

OPTIONS_LIMIT = 300


def _f(model, name):
    return model._meta.get_field(name)


def _text(model, name, rows=3, required=True):
    field = _f(model, name)
    max_length = getattr(field, "max_length", None) or 5000
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput
    return forms.CharField(label=field.verbose_name, max_length=max_length, required=required, widget=widget)


def _date(model, name, required=True):
    return forms.DateField(label=_f(model, name).verbose_name, required=required, widget=forms.DateInput)


def card_label(card) -> str:
    return f"{card.get_color_display()} {card.start_date:%Y-%m-%d}（{card.reason.name}，{card.get_status_display()}）"


class ServiceForm(gate.GatedFormMixin, BootstrapMixin, forms.Form):
    def apply_errors(self, error):
        apply_errors(self, error)

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k in self.SERVICE_FIELDS}


class CadreChooserMixin:
    """The cadre chooser of the record form: a plain select for a small scope, else the chosen
    cadre only, filled by the search box (htmx, the records' cadre search); and the choices that
    depend on the cadre (its cards, its sanctions, its unit's filings) narrowed to that cadre."""

    def setup_cadre(self, search_url, dependent=()):
        field = self.fields["cadre"]
        field.label_from_instance = cadre_label
        in_scope = field.queryset.order_by()
        chosen = self.data.get("cadre") if self.is_bound else self.initial.get("cadre")
        try:
            chosen = int(chosen) if chosen else None
        except (TypeError, ValueError):
            chosen = None
        cadre = field.queryset.filter(pk=chosen).first() if chosen else None
        self.search_mode = len(in_scope.values_list("pk", flat=True)[:CADRE_SELECT_LIMIT + 1]) > CADRE_SELECT_LIMIT
        if self.search_mode:
            field.widget.choices = [("", field.empty_label)] + ([(cadre.pk, cadre_label(cadre))] if cadre else [])
            self.fields["cadre_q"].widget.attrs.update({
                "hx-get": search_url, "hx-trigger": "input changed delay:300ms, search", "hx-target": "#id_cadre",
                "hx-swap": "innerHTML", "type": "search", "placeholder": _("姓名、拼音首字母或身份证号"),
                "autocomplete": "off"})
        else:
            del self.fields["cadre_q"]
        for name, of_cadre, label in dependent:
            f = self.fields[name]
            f.label_from_instance = label
            shown = of_cadre(f.queryset, cadre) if cadre is not None else f.queryset
            f.widget.choices = [("", f.empty_label)] + [(o.pk, label(o)) for o in shown[:OPTIONS_LIMIT]]
        return cadre


class RulingApplyForm(CadreChooserMixin, ServiceForm):
    cadre = forms.ModelChoiceField(queryset=Cadre.objects.select_related("unit").order_by("unit__path", "name_initials",
                                                                                            "id"),
                                   label=_("干部"), empty_label=_("请选择干部"))
    cadre_q = forms.CharField(label=_("查找干部"), required=False, max_length=40)
    applicant = forms.ChoiceField(label=_f(ToleranceRuling, "applicant").verbose_name, choices=ApplicantKind.choices)
    matter = _text(ToleranceRuling, "matter", rows=0)
    loss = _text(ToleranceRuling, "loss")
    conduct = _text(ToleranceRuling, "conduct")
    risk_filing = forms.ModelChoiceField(queryset=RiskFiling.objects.select_related("unit").order_by("-filed_on", "-id"),
                                         required=False, label=_f(ToleranceRuling, "risk_filing").verbose_name,
                                         empty_label=_("无"),
                                         help_text=_("事前就该事项报备过的，请选择：认定时作为有利情节。"))
    card = forms.ModelChoiceField(queryset=WarningCard.objects.filter(status__in=CARD_ISSUED_STATUSES)
                                  .select_related("reason").order_by("-start_date", "-id"),
                                  required=False, label=_f(ToleranceRuling, "card").verbose_name, empty_label=_("无"))
    sanction = forms.ModelChoiceField(queryset=Sanction.objects.filter(revoked_on__isnull=True)
                                      .order_by("-decided_on", "-id"),
                                      required=False, label=_f(ToleranceRuling, "sanction").verbose_name,
                                      empty_label=_("无"))

    gate_fields = {"cadre": ("change", ToleranceRuling)}
    SERVICE_FIELDS = ("cadre", "applicant", "matter", "loss", "conduct", "risk_filing", "card", "sanction")

    def __init__(self, *args, user, search_url="", **kwargs):
        super().__init__(*args, user=user, **kwargs)
        if not gate.can(user, "discipline"):
            self.fields["applicant"].choices = [(ApplicantKind.UNIT, ApplicantKind.UNIT.label)]
        self.cadre = self.setup_cadre(search_url, dependent=(
            ("card", lambda qs, c: qs.filter(cadre=c), card_label),
            ("sanction", lambda qs, c: qs.filter(cadre=c), str),
            ("risk_filing", lambda qs, c: qs.filter(unit__path__in=_ancestor_paths(c.unit.path)),
             lambda f: f"{f.filed_on:%Y-%m-%d} {f.unit.name}：{f.matter}"),
        ))


def _ancestor_paths(path, steplen=4):
    return [path[:i] for i in range(steplen, len(path) + 1, steplen)] or [path]


class RejectForm(ServiceForm):
    reason = forms.CharField(label=_("不予受理理由"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
    SERVICE_FIELDS = ("reason",)


class ReasonForm(ServiceForm):
    reason = forms.CharField(label=_("理由"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))
    SERVICE_FIELDS = ("reason",)


YES_NO = [("", _("—— 请选择 ——")), ("true", _("是")), ("false", _("否"))]


class VerifyForm(ServiceForm):
    """The five criteria, each answered (是 / 否) with its facts, and the step's reason."""

    reason = forms.CharField(label=_("核实意见"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))
    SERVICE_FIELDS = ("reason", *(f for pair in CRITERIA for f in pair))

    def __init__(self, *args, ruling=None, **kwargs):
        super().__init__(*args, **kwargs)
        for answer, facts in CRITERIA:
            self.fields[answer] = forms.TypedChoiceField(
                label=_f(ToleranceRuling, answer).verbose_name, choices=YES_NO, required=False,
                coerce=lambda v: v == "true", empty_value=None, widget=forms.Select(attrs={"class": "form-select"}))
            self.fields[facts] = forms.CharField(label=_f(ToleranceRuling, facts).verbose_name, max_length=5000,
                                                 required=False,
                                                 widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}))
            if ruling is not None and not self.is_bound:
                value = getattr(ruling, answer)
                self.initial[answer] = "" if value is None else ("true" if value else "false")
                self.initial[facts] = getattr(ruling, facts)
        self.order_fields([f for pair in CRITERIA for f in pair] + ["reason"])

    @property
    def criteria_rows(self):
        return [(self[a], self[f]) for a, f in CRITERIA]


class DecideForm(ServiceForm):
    review_date = _date(ToleranceRuling, "review_date", required=False)
    review_members = _text(ToleranceRuling, "review_members", rows=0, required=False)
    decision = forms.ChoiceField(label=_f(ToleranceRuling, "decision").verbose_name, required=False,
                                 choices=[("", _("—— 请选择 ——")), *RulingDecision.choices])
    decision_reason = _text(ToleranceRuling, "decision_reason", required=False)
    decided_on = _date(ToleranceRuling, "decided_on", required=False)
    waive_card = forms.BooleanField(label=_f(ToleranceRuling, "waive_card").verbose_name, required=False)
    waive_assessment = forms.BooleanField(label=_f(ToleranceRuling, "waive_assessment").verbose_name, required=False)
    waive_pool = forms.BooleanField(label=_f(ToleranceRuling, "waive_pool").verbose_name, required=False)
    waive_promotion = forms.BooleanField(label=_f(ToleranceRuling, "waive_promotion").verbose_name, required=False)
    waive_awards = forms.BooleanField(label=_f(ToleranceRuling, "waive_awards").verbose_name, required=False)
    SERVICE_FIELDS = ("review_date", "review_members", "decision", "decision_reason", "decided_on", "waive_card",
                      "waive_assessment", "waive_pool", "waive_promotion", "waive_awards")

    def __init__(self, *args, ruling=None, **kwargs):
        super().__init__(*args, **kwargs)
        if ruling is not None and not ruling.card_id:
            del self.fields["waive_card"]


class ReportForm(ServiceForm):
    reported_on = _date(ToleranceRuling, "reported_on", required=False)
    reported_to = _text(ToleranceRuling, "reported_to", rows=0, required=False)
    reason = forms.CharField(label=_("说明"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    SERVICE_FIELDS = ("reported_on", "reported_to", "reason")


class EvidenceForm(BootstrapMixin, forms.Form):
    files = MultipleFileField(label=_("材料"), required=True,
                              widget=MultipleFileInput(attrs={"accept": EVIDENCE_ACCEPT}), help_text=EVIDENCE_HELP)

    def apply_errors(self, error):
        apply_errors(self, error, {"file": "files"})


# --------------------------------------------------------------------------- risk filings
class FilingForm(ServiceForm):
    unit = UnitChoiceField(queryset=Unit.objects.order_by("path"), label=_f(RiskFiling, "unit").verbose_name,
                           empty_label=_("—— 请选择 ——"))
    matter = _text(RiskFiling, "matter", rows=0)
    risk = _text(RiskFiling, "risk")
    measures = _text(RiskFiling, "measures")
    decision_date = _date(RiskFiling, "decision_date", required=False)
    filed_on = _date(RiskFiling, "filed_on")
    cadre = forms.ModelChoiceField(queryset=Cadre.objects.none(), required=False,
                                   label=_f(RiskFiling, "cadre").verbose_name, empty_label=_("无"))

    gate_fields = {"unit": ("change", RiskFiling)}
    SERVICE_FIELDS = ("unit", "matter", "risk", "measures", "decision_date", "filed_on", "cadre")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        cadres = Cadre.objects.restrict(user, "view").select_related("unit").order_by("unit__path", "name_initials")
        unit_id = self.data.get("unit") if self.is_bound else self.initial.get("unit")
        field = self.fields["cadre"]
        field.queryset = cadres
        field.label_from_instance = cadre_label
        try:
            unit = Unit.objects.filter(pk=int(unit_id)).first() if unit_id else None
        except (TypeError, ValueError):
            unit = None
        shown = cadres.filter(unit__path__startswith=unit.path) if unit is not None else cadres.none()
        field.widget.choices = [("", field.empty_label)] + [(c.pk, cadre_label(c)) for c in shown[:OPTIONS_LIMIT]]
        field.help_text = _("可选：先选报备单位并刷新，或从干部页面进入。")


class AcknowledgeForm(ServiceForm):
    reason = forms.CharField(label=_("备案意见"), max_length=5000, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))
    SERVICE_FIELDS = ("reason",)


# --------------------------------------------------------------------------- clarifications
class ClarificationForm(CadreChooserMixin, ServiceForm):
    cadre = forms.ModelChoiceField(queryset=Cadre.objects.select_related("unit").order_by("unit__path", "name_initials",
                                                                                            "id"),
                                   label=_("干部"), empty_label=_("请选择干部"))
    cadre_q = forms.CharField(label=_("查找干部"), required=False, max_length=40)
    source = forms.ChoiceField(label=_f(Clarification, "source").verbose_name, choices=ClarificationSource.choices)
    report = _text(Clarification, "report")
    finding = _text(Clarification, "finding")
    method = forms.ChoiceField(label=_f(Clarification, "method").verbose_name, choices=ClarificationMethod.choices)
    venue = _text(Clarification, "venue", rows=0)
    cleared_on = _date(Clarification, "cleared_on")
    malicious = forms.BooleanField(label=_f(Clarification, "malicious").verbose_name, required=False,
                                   help_text=_("属于诬告陷害的，列入待移交查处。"))
    card = forms.ModelChoiceField(queryset=WarningCard.objects.filter(status__in=CARD_ISSUED_STATUSES)
                                  .select_related("reason").order_by("-start_date", "-id"),
                                  required=False, label=_f(Clarification, "card").verbose_name, empty_label=_("无"),
                                  help_text=_("因被反映的问题而发的红黄牌，据此撤销。"))

    SERVICE_FIELDS = ("cadre", "source", "report", "finding", "method", "venue", "cleared_on", "malicious", "card")

    def __init__(self, *args, user, search_url="", **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.cadre = self.setup_cadre(search_url, dependent=(
            ("card", lambda qs, c: qs.filter(cadre=c), card_label),))


class FollowUpForm(ServiceForm):
    note = forms.CharField(label=_f(Clarification, "follow_up_note").verbose_name, max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 2}))
    SERVICE_FIELDS = ("note",)
