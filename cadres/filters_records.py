"""The one FilterSet of the performance archive: the record list page, its export, the API's record
list and the review queue (with its export) all filter with ``RecordFilter``, through the selector
``selectors.record_list``, so they agree on what "the filtered rows" are, and every choice it offers
is restricted by the gate (``GatedFilterSet``): a unit or a cadre out of scope is refused like one
that does not exist.
"""
import datetime as dt

import django_filters as df
from django import forms
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pingdingshan.core import permissions as gate
from pingdingshan.core.fields import IdFilter
from pingdingshan.core.filtersets import GatedFilterSet

from .filters import UnitSubtreeFilter, search_filter
from .models import Cadre, PerformanceRecord, RecordRole, RecordStatus, TaskCategory

S = RecordStatus

# The list's default order for unit leaders: what needs their attention first (returned, then
# drafts, submitted, verified), most recently changed first inside a status.
STATUS_ORDER = [S.RETURNED, S.DRAFT, S.SUBMITTED, S.VERIFIED]


def status_rank():
    return Case(*[When(status=s, then=Value(i)) for i, s in enumerate(STATUS_ORDER)],
                default=Value(len(STATUS_ORDER)), output_field=IntegerField())


def with_status_rank(qs):
    return qs.annotate(status_rank=status_rank())


def made_by(user) -> Q:
    """The records ``user`` created or submitted: their own work (the filter ``mine`` and the work
    desk's lines for those who verify others' records)."""
    return Q(created_by=user) | Q(submitted_by=user)


def _day_start(day: dt.date):
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class RecordFilter(GatedFilterSet):
    """Filters and orderings of every record list. The queryset must be annotated with
    ``status_rank`` (``with_status_rank``; the selector does it).

    ``queue``: the review queue (submitted records): ``unit`` is the unit the record was done in
    (时任单位) and the default order is the oldest submission first. Otherwise ``unit`` is the cadre's
    unit and the default order is the newest first for city-wide readers (indexed:
    ``record_newest_first``), what needs attention first for unit leaders."""

    q = df.CharFilter(method="filter_q", label=_("干部姓名/拼音首字母/身份证号/标题"))
    status = df.ChoiceFilter(choices=RecordStatus.choices, label=_("状态"))
    category = df.ModelChoiceFilter(queryset=TaskCategory.objects.all(), label=_("中心工作类别"))
    unit = UnitSubtreeFilter(method="filter_unit", label=_("干部单位（含下级）"))
    cadre = df.ModelChoiceFilter(queryset=Cadre.objects.only("id", "name"), label=_("干部"),
                                 widget=forms.HiddenInput)
    role = df.ChoiceFilter(choices=RecordRole.choices, label=_("本人角色"))
    date_from = df.DateFilter(field_name="start_date", lookup_expr="gte", label=_("开始日期从"))
    date_to = df.DateFilter(field_name="start_date", lookup_expr="lte", label=_("开始日期至"))
    submitted_from = df.DateFilter(method="filter_submitted_from", label=_("提交日期从"))
    submitted_to = df.DateFilter(method="filter_submitted_to", label=_("提交日期至"))
    submitter = IdFilter(field_name="submitted_by", label=_("提交人（用户编号）"))
    is_current = df.BooleanFilter(method="filter_current", label=_("现行有效（已核实且未被更正）"))
    mine = df.BooleanFilter(method="filter_mine", widget=forms.CheckboxInput, label=_("只看我创建或提交的"))
    ordering = df.OrderingFilter(
        fields=(
            ("cadre__name_initials", "cadre"),
            ("unit__path", "unit"),
            ("category__order", "category"),
            ("start_date", "date"),
            ("status_rank", "status"),
            ("points", "points"),
            ("submitted_at", "submitted"),
            ("updated_at", "updated"),
        ),
        field_labels={
            "cadre__name_initials": _("干部"), "unit__path": _("时任单位"), "category__order": _("中心工作类别"),
            "start_date": _("开始日期"), "status_rank": _("状态"), "points": _("实绩分"),
            "submitted_at": _("提交时间"), "updated_at": _("更新时间"),
        },
        label=_("排序"),
    )

    class Meta:
        model = PerformanceRecord
        fields = []

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None, user=None, queue=False):
        super().__init__(data, queryset, request=request, prefix=prefix, user=user)
        self.queue = queue
        if queue:
            self.filters["unit"].label = _("时任单位（含下级）")

    def filter_q(self, qs, name, value):
        return search_filter(qs, value, prefix="cadre__", text_fields=("title",))

    def filter_unit(self, qs, name, value):
        if not value:
            return qs
        path_field = "unit__path" if self.queue else "cadre__unit__path"
        return qs.filter(**{f"{path_field}__startswith": value.path})

    def filter_submitted_from(self, qs, name, value):
        return qs.filter(submitted_at__gte=_day_start(value)) if value else qs

    def filter_submitted_to(self, qs, name, value):
        return qs.filter(submitted_at__lt=_day_start(value + dt.timedelta(days=1))) if value else qs

    def filter_mine(self, qs, name, value):
        if not value:
            return qs
        return qs.filter(made_by(self.user)) if self.user is not None else qs.none()

    def filter_current(self, qs, name, value):
        if value is None:
            return qs
        current = Q(status=RecordStatus.VERIFIED, superseded_by__isnull=True)
        return qs.filter(current) if value else qs.exclude(current)

    def filter_queryset(self, queryset):
        """Every filter; ``without_status`` keeps the rows before the status filter (for the
        counts on the status tabs). Then the order: the one asked for (ties by id), else the
        list's default."""
        qs = queryset
        for name, value in self.form.cleaned_data.items():
            if name != "status":
                qs = self.filters[name].filter(qs, value)
        self.without_status = qs
        qs = self.filters["status"].filter(qs, self.form.cleaned_data.get("status"))
        if self.form.cleaned_data.get("ordering"):
            if "id" not in qs.query.order_by and "-id" not in qs.query.order_by:
                qs = qs.order_by(*qs.query.order_by, "id")
            return qs
        if self.queue:
            return qs.order_by("submitted_at", "id")
        if gate.city_wide(self.user, "view", PerformanceRecord):
            return qs.order_by("-start_date", "-id")
        return qs.order_by("status_rank", "-updated_at", "-id")
