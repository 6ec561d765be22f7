"""The FilterSets of the protection lists (tolerance rulings, risk filings, clarifications): one each
for the page, its export and the API's list, every choice restricted by the gate
(``GatedFilterSet``)."""
import django_filters as df
from django.utils.translation import gettext_lazy as _

from cadres.filters import UnitSubtreeFilter, search_filter
from pingdingshan.core.filtersets import GatedFilterSet

from .filters_cards import YesNoSelect
from .models import (
    ApplicantKind,
    Clarification,
    ClarificationMethod,
    FollowUp,
    RiskFiling,
    RiskFilingStatus,
    RulingDecision,
    RulingStatus,
    ToleranceRuling,
)


class _CadreSearch:
    def filter_q(self, qs, name, value):
        return search_filter(qs, value, prefix="cadre__", text_fields=("matter",))


class RulingFilter(_CadreSearch, GatedFilterSet):
    def filter_open(self, qs, name, value):
        from .services.protection import RULING_OPEN

        if value is None:
            return qs
        return qs.filter(status__in=RULING_OPEN) if value else qs.exclude(status__in=RULING_OPEN)

    q = df.CharFilter(method="filter_q", label=_("干部姓名/拼音首字母/身份证号/事项"))
    status = df.ChoiceFilter(choices=RulingStatus.choices, label=_("状态"))
    open = df.BooleanFilter(method="filter_open", label=_("办理中（申请、受理、核实）"), widget=YesNoSelect)
    decision = df.ChoiceFilter(choices=RulingDecision.choices, label=_("认定结论"))
    applicant = df.ChoiceFilter(choices=ApplicantKind.choices, label=_("申请方"))
    unit = UnitSubtreeFilter(path_field="cadre__unit__path", label=_("干部单位（含下级）"))
    date_from = df.DateFilter(field_name="applied_at__date", lookup_expr="gte", label=_("申请日期从"))
    date_to = df.DateFilter(field_name="applied_at__date", lookup_expr="lte", label=_("申请日期至"))
    filed = df.BooleanFilter(field_name="risk_filing", lookup_expr="isnull", exclude=True, label=_("事前已报备"))
    ordering = df.OrderingFilter(
        fields=(("applied_at", "applied"), ("cadre__name_initials", "cadre"), ("status", "status"),
                ("decided_on", "decided")),
        field_labels={"applied_at": _("申请时间"), "cadre__name_initials": _("干部"), "status": _("状态"),
                      "decided_on": _("认定日期")},
        label=_("排序"))

    class Meta:
        model = ToleranceRuling
        fields = []


class FilingFilter(_CadreSearch, GatedFilterSet):
    q = df.CharFilter(method="filter_q", label=_("事项/责任干部"))
    status = df.ChoiceFilter(choices=RiskFilingStatus.choices, label=_("状态"))
    unit = UnitSubtreeFilter(path_field="unit__path", label=_("报备单位（含下级）"))
    date_from = df.DateFilter(field_name="filed_on", lookup_expr="gte", label=_("报备日期从"))
    date_to = df.DateFilter(field_name="filed_on", lookup_expr="lte", label=_("报备日期至"))
    ordering = df.OrderingFilter(
        fields=(("filed_on", "filed"), ("unit__path", "unit"), ("status", "status")),
        field_labels={"filed_on": _("报备日期"), "unit__path": _("报备单位"), "status": _("状态")},
        label=_("排序"))

    class Meta:
        model = RiskFiling
        fields = []


class ClarificationFilter(_CadreSearch, GatedFilterSet):
    q = df.CharFilter(method="filter_q", label=_("干部姓名/拼音首字母/身份证号"))
    method = df.ChoiceFilter(choices=ClarificationMethod.choices, label=_("澄清方式"))
    malicious = df.BooleanFilter(label=_("属于诬告陷害"))
    follow_up = df.ChoiceFilter(choices=FollowUp.choices, label=_("诬告查处"))
    pending = df.BooleanFilter(method="filter_pending", label=_("诬告陷害待查处"))
    unit = UnitSubtreeFilter(path_field="cadre__unit__path", label=_("干部单位（含下级）"))
    date_from = df.DateFilter(field_name="cleared_on", lookup_expr="gte", label=_("澄清日期从"))
    date_to = df.DateFilter(field_name="cleared_on", lookup_expr="lte", label=_("澄清日期至"))
    ordering = df.OrderingFilter(
        fields=(("cleared_on", "cleared"), ("cadre__name_initials", "cadre")),
        field_labels={"cleared_on": _("澄清日期"), "cadre__name_initials": _("干部")},
        label=_("排序"))

    class Meta:
        model = Clarification
        fields = []

    def filter_q(self, qs, name, value):
        return search_filter(qs, value, prefix="cadre__")

    def filter_pending(self, qs, name, value):
        if value is None:
            return qs
        pending = {"malicious": True, "follow_up": FollowUp.PENDING}
        return qs.filter(**pending) if value else qs.exclude(**pending)
