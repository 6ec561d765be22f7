"""Filters of the selection record list: one FilterSet for the page, its export and the API. Choices
go through the gate (``GatedFilterSet``): a unit out of scope is refused like one that does not exist."""
import django_filters as df
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from cadres.filters import UnitSubtreeFilter, cadre_search_q
from pingdingshan.core.filtersets import GatedFilterSet

from .models import Selection, SelectionCandidate, SelectionKind, SelectionStatus


class SelectionFilter(GatedFilterSet):
    q = df.CharFilter(method="filter_q", label=_("名称或人选姓名"))
    status = df.ChoiceFilter(choices=SelectionStatus.choices, label=_("所处环节"))
    kind = df.ChoiceFilter(choices=SelectionKind.choices, label=_("类型"))
    unit = UnitSubtreeFilter(path_field="unit__path", label=_("单位（含下级）"))
    year = df.NumberFilter(field_name="created_at__year", label=_("年度"), min_value=2000, max_value=2100)
    ordering = df.OrderingFilter(
        fields=(("title", "title"), ("unit__path", "unit"), ("kind", "kind"), ("status", "status"),
                ("created_at", "created"), ("motion_on", "motion")),
        field_labels={"title": _("名称"), "unit__path": _("单位"), "kind": _("类型"), "status": _("所处环节"),
                      "created_at": _("创建时间"), "motion_on": _("动议日期")},
        label=_("排序"),
    )

    class Meta:
        model = Selection
        fields = []

    def filter_q(self, qs, name, value):
        value = (value or "").strip()
        if not value:
            return qs
        q = Q(title__contains=value)
        person = cadre_search_q(value, prefix="cadre__")
        if person is not None:
            q |= Exists(SelectionCandidate.objects.filter(person, selection=OuterRef("pk")))
        return qs.filter(q)

    def filter_queryset(self, queryset):
        qs = super().filter_queryset(queryset)
        if self.form.cleaned_data.get("ordering"):
            return qs.order_by(*qs.query.order_by, "-id")
        return qs.order_by("-created_at", "-id")
