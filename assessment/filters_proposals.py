"""Filters of the card proposals (红黄牌提示): one FilterSet for the page, its export and the API."""
import django_filters as df
from django.utils.translation import gettext_lazy as _

from cadres.filters import UnitSubtreeFilter, search_filter
from pingdingshan.core.filtersets import GatedFilterSet

from .models import CardProposal, ProposalStatus, Suggestion
from .services.triggers import TRIGGERS, trigger_label


class _TriggerChoices:
    """The trigger names in the reader's language, read when the form is built."""

    def __iter__(self):
        return iter([(name, trigger_label(name)) for name in TRIGGERS])


class ProposalFilter(GatedFilterSet):
    q = df.CharFilter(method="filter_q", label=_("姓名/拼音首字母/身份证号"))
    status = df.ChoiceFilter(choices=ProposalStatus.choices, label=_("状态"))
    trigger = df.ChoiceFilter(choices=_TriggerChoices(), label=_("触发规则"))
    suggestion = df.ChoiceFilter(choices=Suggestion.choices, label=_("建议"))
    unit = UnitSubtreeFilter(path_field="cadre__unit__path", label=_("单位（含下级）"))
    date_from = df.DateFilter(field_name="detected_on", lookup_expr="gte", label=_("发现日期起"))
    date_to = df.DateFilter(field_name="detected_on", lookup_expr="lte", label=_("发现日期止"))
    ordering = df.OrderingFilter(
        fields=(
            ("detected_on", "date"),
            ("cadre__name_initials", "name"),
            ("cadre__unit__path", "unit"),
            ("trigger", "trigger"),
            ("suggestion", "suggestion"),
            ("status", "status"),
            ("decided_at", "decided"),
        ),
        field_labels={"detected_on": _("发现日期"), "cadre__name_initials": _("姓名"), "cadre__unit__path": _("单位"),
                      "trigger": _("触发规则"), "suggestion": _("建议"), "status": _("状态"),
                      "decided_at": _("处理时间")},
        label=_("排序"),
    )

    class Meta:
        model = CardProposal
        fields = []

    def filter_q(self, qs, name, value):
        return search_filter(qs, value, prefix="cadre__")

    def filter_queryset(self, queryset):
        qs = super().filter_queryset(queryset)
        order = [o for o in qs.query.order_by if isinstance(o, str)]
        if order and not any(o.lstrip("-") in ("pk", "id") for o in order):
            qs = qs.order_by(*order, "-pk")
        return qs
