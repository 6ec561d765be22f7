"""Filters of the assessment results: one FilterSet serves the results page, its export and the
API, so the three agree on what "the filtered rows" are."""
import django_filters as df
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from cadres.filters import UnitSubtreeFilter, search_filter
from pingdingshan.core.fields import IdFilter
from pingdingshan.core.filtersets import GatedFilterSet

from .models import AssessmentPeriod, AssessmentResult, Category, Grade, Tier


class ResultFilter(GatedFilterSet):
    q = df.CharFilter(method="filter_q", label=_("姓名/拼音首字母/身份证号"))
    tier = df.ModelChoiceFilter(queryset=Tier.objects.all(), label=_("考核层级"))
    category = df.ModelChoiceFilter(queryset=Category.objects.all(), label=_("考核类别"))
    unit = UnitSubtreeFilter(path_field="unit__path", label=_("时任单位（含下级）"))
    grade = df.ChoiceFilter(choices=Grade.choices, label=_("等次"))
    vetoed = df.BooleanFilter(label=_("一票否决"))
    overridden = df.BooleanFilter(method="filter_overridden", label=_("人工调整等次"))
    ordering = df.OrderingFilter(
        fields=(
            ("cadre__name_initials", "name"),
            ("unit__path", "unit"),
            ("composite", "composite"),
            ("points", "points"),
            ("rank_composite", "rank"),
            ("grade", "grade"),
        ),
        field_labels={
            "cadre__name_initials": _("姓名"), "unit__path": _("时任单位"), "composite": _("综合得分"),
            "points": _("实绩分"), "rank_composite": _("综合得分排名"), "grade": _("等次"),
        },
        label=_("排序"),
    )

    class Meta:
        model = AssessmentResult
        fields = []

    def filter_q(self, qs, name, value):
        return search_filter(qs, value, prefix="cadre__")

    def filter_overridden(self, qs, name, value):
        if value is None:
            return qs
        return qs.exclude(override_reason="") if value else qs.filter(override_reason="")

    def filter_queryset(self, queryset):
        qs = super().filter_queryset(queryset)
        order = [o for o in qs.query.order_by if isinstance(o, str)]
        if order and not any(o.lstrip("-") in ("pk", "id") for o in order):
            # Nulls (no composite yet) last either way; ties broken by id so pages never repeat a row.
            fields = [F(o.lstrip("-")).desc(nulls_last=True) if o.startswith("-")
                      else F(o).asc(nulls_last=True) for o in order]
            qs = qs.order_by(*fields, "pk")
        return qs


class ResultApiFilter(ResultFilter):
    """The API's filters: the results page's plus the period and the cadre."""

    period = df.ModelChoiceFilter(queryset=AssessmentPeriod.objects.all(), label=_("考核周期"))
    cadre = IdFilter(field_name="cadre_id", label=_("干部（编号）"))
