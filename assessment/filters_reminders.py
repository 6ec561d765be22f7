"""The FilterSets of the reminder and sanction lists: the pages, their exports and the API filter
with the same one, so they agree on "the filtered rows"; every choice is restricted by the gate."""
import django_filters as df
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cadres.filters import UnitSubtreeFilter, search_filter
from cadres.models import Cadre
from pingdingshan.core.dates import today
from pingdingshan.core.filtersets import GatedFilterSet

from .models import Reminder, ReminderKind, Sanction, SanctionKind
from .services import reminders as rsvc
from .services import sanctions as ssvc


class ReminderFilter(GatedFilterSet):
    q = df.CharFilter(method="filter_q", label=_("干部姓名/拼音首字母/身份证号"))
    kind = df.ChoiceFilter(choices=ReminderKind.choices, label=_("提醒方式"))
    unit = UnitSubtreeFilter(path_field="cadre__unit__path", label=_("干部单位（含下级）"))
    cadre = df.ModelChoiceFilter(queryset=Cadre.objects.only("id", "name"), label=_("干部"), widget=forms.HiddenInput)
    state = df.ChoiceFilter(choices=[(k, v) for k, v in rsvc.STATE_LABELS.items()], method="filter_state",
                            label=_("回访"))
    due = df.BooleanFilter(method="filter_due", widget=forms.CheckboxInput, label=_("只看到期待回访的"))
    held_from = df.DateFilter(field_name="held_on", lookup_expr="gte", label=_("提醒日期从"))
    held_to = df.DateFilter(field_name="held_on", lookup_expr="lte", label=_("提醒日期至"))
    ordering = df.OrderingFilter(
        fields=(("held_on", "held"), ("follow_up_on", "follow_up"), ("cadre__name_initials", "cadre"),
                ("cadre__unit__path", "unit"), ("kind", "kind")),
        field_labels={"held_on": _("提醒日期"), "follow_up_on": _("回访日期"), "cadre__name_initials": _("干部"),
                      "cadre__unit__path": _("单位"), "kind": _("提醒方式")},
        label=_("排序"))

    class Meta:
        model = Reminder
        fields = []

    def filter_q(self, qs, name, value):
        return search_filter(qs, value, prefix="cadre__")

    def filter_state(self, qs, name, value):
        if value == rsvc.OPEN:
            return qs.filter(followed_up_on__isnull=True)
        if value == rsvc.DONE:
            return qs.filter(followed_up_on__isnull=False)
        return qs

    def filter_due(self, qs, name, value):
        if not value:
            return qs
        return qs.filter(followed_up_on__isnull=True, follow_up_on__lte=rsvc.due_by())

    def filter_queryset(self, queryset):
        qs = super().filter_queryset(queryset)
        if self.form.cleaned_data.get("ordering"):
            return qs.order_by(*qs.query.order_by, "id")
        if self.form.cleaned_data.get("due"):
            return qs.order_by("follow_up_on", "id")
        return qs.order_by("-held_on", "-id")


class SanctionFilter(GatedFilterSet):
    q = df.CharFilter(method="filter_q", label=_("干部姓名/拼音首字母/身份证号"))
    kind = df.ChoiceFilter(choices=SanctionKind.choices, label=_("处分种类"))
    unit = UnitSubtreeFilter(path_field="cadre__unit__path", label=_("干部单位（含下级）"))
    cadre = df.ModelChoiceFilter(queryset=Cadre.objects.only("id", "name"), label=_("干部"), widget=forms.HiddenInput)
    state = df.ChoiceFilter(choices=[(k, v) for k, v in ssvc.STATE_LABELS.items()], method="filter_state",
                            label=_("状态"))
    year = df.NumberFilter(field_name="decided_on__year", label=_("决定年度"), min_value=2000, max_value=2100)
    decided_from = df.DateFilter(field_name="decided_on", lookup_expr="gte", label=_("决定日期从"))
    decided_to = df.DateFilter(field_name="decided_on", lookup_expr="lte", label=_("决定日期至"))
    ordering = df.OrderingFilter(
        fields=(("decided_on", "decided"), ("end_date", "end"), ("cadre__name_initials", "cadre"),
                ("cadre__unit__path", "unit"), ("kind", "kind")),
        field_labels={"decided_on": _("处分决定日期"), "end_date": _("处分期满日期"), "cadre__name_initials": _("干部"),
                      "cadre__unit__path": _("单位"), "kind": _("处分种类")},
        label=_("排序"))

    class Meta:
        model = Sanction
        fields = []

    def filter_q(self, qs, name, value):
        return search_filter(qs, value, prefix="cadre__")

    def filter_state(self, qs, name, value):
        day = today()
        if value == ssvc.REVOKED:
            return qs.filter(revoked_on__isnull=False)
        if value == ssvc.EXPIRED:
            return qs.filter(revoked_on__isnull=True, end_date__lt=day)
        if value == ssvc.IN_FORCE:
            return qs.filter(Q(revoked_on__isnull=True) & Q(end_date__gte=day))
        return qs

    def filter_queryset(self, queryset):
        qs = super().filter_queryset(queryset)
        if self.form.cleaned_data.get("ordering"):
            return qs.order_by(*qs.query.order_by, "id")
        return qs.order_by("-decided_on", "-id")
