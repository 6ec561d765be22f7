"""Filters of the pool pages and API: the pool list, a pool's entries, and the candidates of a pool
(cadres, searched like the roster). One FilterSet serves the page, its export and the API; choices
go through the gate (``GatedFilterSet``): a unit out of scope is refused like a missing one."""
import django_filters as df
from django import forms
from django.utils.translation import gettext_lazy as _

from cadres.filters import UnitSubtreeFilter, search_filter
from cadres.models import Cadre
from pingdingshan.core.filtersets import GatedFilterSet

from .models import EntryStatus, Industry, PoolCategory, PoolEntry, ReservePool


class PoolFilter(GatedFilterSet):
    q = df.CharFilter(field_name="name", lookup_expr="icontains", label=_("名称"))
    industry = df.ModelChoiceFilter(queryset=Industry.objects.all(), label=_("行业"))
    category = df.ModelChoiceFilter(queryset=PoolCategory.objects.all(), label=_("类别"))
    is_active = df.BooleanFilter(label=_("启用"), widget=forms.NullBooleanSelect)
    ordering = df.OrderingFilter(
        fields=(("order", "order"), ("name", "name"), ("industry__order", "industry"),
                ("category__order", "category")),
        field_labels={"order": _("排序"), "name": _("名称"), "industry__order": _("行业"),
                      "category__order": _("类别")},
        label=_("排序"),
    )

    class Meta:
        model = ReservePool
        fields = []

    def filter_queryset(self, queryset):
        qs = super().filter_queryset(queryset)
        if self.form.cleaned_data.get("ordering"):
            return qs.order_by(*qs.query.order_by, "id")
        return qs.order_by("industry__order", "industry_id", "category__order", "category_id", "order", "id")


class EntryFilter(GatedFilterSet):
    """A pool's entries (the pool page's tabs and ``pool-entries/``)."""

    q = df.CharFilter(method="filter_q", label=_("干部姓名/拼音首字母/身份证号"))
    pool = df.ModelChoiceFilter(queryset=ReservePool.objects.all(), label=_("储备库"))
    status = df.ChoiceFilter(choices=EntryStatus.choices, label=_("状态"))
    flagged = df.BooleanFilter(field_name="flagged_on", lookup_expr="isnull", exclude=True, label=_("不再符合条件"),
                               widget=forms.NullBooleanSelect)
    unit = UnitSubtreeFilter(path_field="cadre__unit__path", label=_("干部单位（含下级）"))
    cadre = df.ModelChoiceFilter(queryset=Cadre.objects.only("id", "name"), label=_("干部"), widget=forms.HiddenInput)
    ordering = df.OrderingFilter(
        fields=(("current_rank", "rank"), ("cadre__name_initials", "cadre"), ("cadre__unit__path", "unit"),
                ("nominated_at", "nominated"), ("admitted_at", "admitted"), ("removed_at", "removed"),
                ("flagged_on", "flagged")),
        field_labels={"current_rank": _("名次"), "cadre__name_initials": _("干部"), "cadre__unit__path": _("单位"),
                      "nominated_at": _("提名时间"), "admitted_at": _("入库时间"), "removed_at": _("移出时间"),
                      "flagged_on": _("不再符合条件日期")},
        label=_("排序"),
    )

    class Meta:
        model = PoolEntry
        fields = []

    def filter_q(self, qs, name, value):
        return search_filter(qs, value, prefix="cadre__")

    def filter_queryset(self, queryset):
        qs = super().filter_queryset(queryset)
        if self.form.cleaned_data.get("ordering"):
            return qs.order_by(*qs.query.order_by, "id")
        from django.db.models import F

        return qs.order_by(F("current_rank").asc(nulls_last=True), "-admitted_at", "-nominated_at", "id")


class CandidateFilter(GatedFilterSet):
    """The cadres a pool's candidates page searches (before eligibility)."""

    q = df.CharFilter(method="filter_q", label=_("姓名/拼音首字母/身份证号"))
    unit = UnitSubtreeFilter(label=_("单位（含下级）"))
    ordering = df.OrderingFilter(
        fields=(("name_initials", "name"), ("unit__path", "unit"), ("birth_date", "birth")),
        field_labels={"name_initials": _("姓名"), "unit__path": _("单位"), "birth_date": _("出生日期")},
        label=_("排序"),
    )

    class Meta:
        model = Cadre
        fields = []

    def filter_q(self, qs, name, value):
        return search_filter(qs, value)

    def filter_queryset(self, queryset):
        qs = super().filter_queryset(queryset)
        if self.form.cleaned_data.get("ordering"):
            return qs.order_by(*qs.query.order_by, "id")
        return qs.order_by("unit__path", "name_initials", "id")
