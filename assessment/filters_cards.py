"""Filters of the warning card and adjustment lists: one FilterSet serves the page, its export and
the API, so the three agree on what "the filtered rows" are. Choices go through the gate
(``GatedFilterSet``): a unit or cadre out of scope is refused like one that does not exist."""
import django_filters as df
from django import forms
from django.utils.translation import gettext_lazy as _

from cadres.filters import UnitSubtreeFilter, search_filter
from cadres.models import Cadre
from pingdingshan.core.dates import today
from pingdingshan.core.filtersets import GatedFilterSet

from .models import Adjustment, AdjustmentKind, AdjustmentStatus, CardColor, CardReason, CardStatus, WarningCard


class YesNoSelect(forms.NullBooleanSelect):
    """全部/是/否, and "1"/"0" in links too (the work desk links ``?overdue=1``)."""

    def value_from_datadict(self, data, files, name):
        value = data.get(name)
        if value in ("1", "yes", "on"):
            return True
        if value in ("0", "no"):
            return False
        return super().value_from_datadict(data, files, name)


class CardFilter(GatedFilterSet):
    q = df.CharFilter(method="filter_q", label=_("干部姓名/拼音首字母/身份证号"))
    color = df.ChoiceFilter(choices=CardColor.choices, label=_("颜色"))
    status = df.ChoiceFilter(choices=CardStatus.choices, label=_("状态"))
    reason = df.ModelChoiceFilter(queryset=CardReason.objects.all(), label=_("事由类别"))
    unit = UnitSubtreeFilter(path_field="cadre__unit__path", label=_("干部单位（含下级）"))
    cadre = df.ModelChoiceFilter(queryset=Cadre.objects.only("id", "name"), label=_("干部"), widget=forms.HiddenInput)
    date_from = df.DateFilter(field_name="start_date", lookup_expr="gte", label=_("发牌日期从"))
    date_to = df.DateFilter(field_name="start_date", lookup_expr="lte", label=_("发牌日期至"))
    in_force = df.BooleanFilter(method="filter_in_force", label=_("今天在期限内"), widget=YesNoSelect)
    ordering = df.OrderingFilter(
        fields=(
            ("cadre__name_initials", "cadre"),
            ("unit__path", "unit"),
            ("color", "color"),
            ("reason__order", "reason"),
            ("start_date", "start"),
            ("end_date", "end"),
            ("status", "status"),
        ),
        field_labels={
            "cadre__name_initials": _("干部"), "unit__path": _("时任单位"), "color": _("颜色"),
            "reason__order": _("事由类别"), "start_date": _("发牌日期"), "end_date": _("期满日期"),
            "status": _("状态"),
        },
        label=_("排序"),
    )

    class Meta:
        model = WarningCard
        fields = []

    def filter_q(self, qs, name, value):
        return search_filter(qs, value, prefix="cadre__")

    def filter_in_force(self, qs, name, value):
        if value is None:
            return qs
        from .services.standing import cards_counting_q

        day = today()
        live = cards_counting_q(day, day)  # the cards standing lists as in force today
        return qs.filter(live) if value else qs.exclude(live)

    def filter_queryset(self, queryset):
        qs = super().filter_queryset(queryset)
        if self.form.cleaned_data.get("ordering"):
            return qs.order_by(*qs.query.order_by, "-id")
        return qs.order_by("-start_date", "-id")


class AdjustmentFilter(GatedFilterSet):
    q = df.CharFilter(method="filter_q", label=_("干部姓名/拼音首字母/身份证号"))
    status = df.ChoiceFilter(choices=AdjustmentStatus.choices, label=_("状态"))
    kind = df.ChoiceFilter(choices=AdjustmentKind.choices, label=_("调整方式"))
    unit = UnitSubtreeFilter(path_field="cadre__unit__path", label=_("干部单位（含下级）"))
    overdue = df.BooleanFilter(method="filter_overdue", label=_("已逾期"), widget=YesNoSelect)
    ordering = df.OrderingFilter(
        fields=(("cadre__name_initials", "cadre"), ("due_date", "due"), ("decided_on", "decided"),
                ("status", "status")),
        field_labels={"cadre__name_initials": _("干部"), "due_date": _("应调整日期"), "decided_on": _("调整日期"),
                      "status": _("状态")},
        label=_("排序"),
    )

    class Meta:
        model = Adjustment
        fields = []

    def filter_q(self, qs, name, value):
        return search_filter(qs, value, prefix="cadre__")

    def filter_overdue(self, qs, name, value):
        if value is None:
            return qs
        late = {"status": AdjustmentStatus.PENDING, "due_date__lt": today()}
        return qs.filter(**late) if value else qs.exclude(**late)

    def filter_queryset(self, queryset):
        qs = super().filter_queryset(queryset)
        if self.form.cleaned_data.get("ordering"):
            return qs.order_by(*qs.query.order_by, "id")
        return qs.order_by("-status", "due_date", "id")  # 待调整 first, then 已调整, 已取消
