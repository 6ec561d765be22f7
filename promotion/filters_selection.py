"""Filters of the selection record list: one FilterSet for the page, its export and the API. Choices
go through the gate (``GatedFilterSet``): a unit out of scope is refused like one that does not exist."""
import django_filters as df
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from cadres.filters import UnitSubtreeFilter, cadre_search_q
from pingdingshan.core.filtersets import GatedFilterSet

from .models import Selection, SelectionCandidate, SelectionKind, SelectionStatus

# What a record waits for (the work desk links ``?waiting=...``; the desk's counts are this list's).
OPEN, PROBATION_DUE, NOTICE_ENDED = "open", "probation_due", "notice_ended"
WAITING_CHOICES = [(OPEN, _("进行中")), (PROBATION_DUE, _("试用期即将期满")), (NOTICE_ENDED, _("公示期满待登记结果"))]
ENDED = (SelectionStatus.DONE, SelectionStatus.STOPPED)


def waiting_q(value: str, on=None) -> Q:
    """The records waiting for ``value`` on day ``on``: in progress (not 已完成 / 已终止); with a
    candidate on probation whose end is within the reminder days (or past) and no outcome yet; at
    任职 with the notice period over and its result not recorded."""
    import datetime as dt

    from pingdingshan.core.dates import today

    from .services.selection import probation_remind_days

    on = on or today()
    if value == OPEN:
        return ~Q(status__in=ENDED)
    if value == PROBATION_DUE:
        due = SelectionCandidate.objects.filter(
            selection=OuterRef("pk"), probation_end__isnull=False, probation_outcome="",
            probation_end__lte=on + dt.timedelta(days=probation_remind_days()))
        return Q(Exists(due), status=SelectionStatus.PROBATION)
    if value == NOTICE_ENDED:
        return Q(status=SelectionStatus.APPOINT, notice_end__lt=on, notice_result_at__isnull=True)
    return Q()


class SelectionFilter(GatedFilterSet):
    q = df.CharFilter(method="filter_q", label=_("名称或人选姓名"))
    status = df.ChoiceFilter(choices=SelectionStatus.choices, label=_("所处环节"))
    kind = df.ChoiceFilter(choices=SelectionKind.choices, label=_("类型"))
    unit = UnitSubtreeFilter(path_field="unit__path", label=_("单位（含下级）"))
    year = df.NumberFilter(field_name="created_at__year", label=_("年度"), min_value=2000, max_value=2100)
    waiting = df.ChoiceFilter(choices=WAITING_CHOICES, method="filter_waiting", label=_("待办"))
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

    def filter_waiting(self, qs, name, value):
        return qs.filter(waiting_q(value)) if value else qs

    def filter_queryset(self, queryset):
        qs = super().filter_queryset(queryset)
        if self.form.cleaned_data.get("ordering"):
            return qs.order_by(*qs.query.order_by, "-id")
        return qs.order_by("-created_at", "-id")
