"""The FilterSets of the awards and campaigns lists (page, export and API alike), through the gate
(``GatedFilterSet``): a unit out of scope is refused like one that does not exist."""
import django_filters as df
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cadres.filters import UnitSubtreeFilter, search_filter
from pingdingshan.core.filtersets import GatedFilterSet

from .models import Award, AwardKind, AwardTarget, Campaign, CampaignStatus, Level, Nomination, NominationStatus

# A campaign's stage within its status (the work desk links ``?stage=...``; its counts are this list's).
OPEN_NOMINATION, NOMINATION_CLOSED, IN_NOTICE, NOTICE_ENDED = "open", "closed", "notice", "notice_ended"
STAGE_CHOICES = [(OPEN_NOMINATION, _("推荐中，未过截止日期")), (NOMINATION_CLOSED, _("推荐已截止待审核")),
                 (IN_NOTICE, _("公示中，公示期未满")), (NOTICE_ENDED, _("公示期已满待决定"))]


def stage_q(value: str, on=None) -> Q:
    """Campaigns at ``value`` on day ``on``: nominating before (or without) the deadline, nominating
    past it, in notice before (or without) its end, in notice past its end."""
    from pingdingshan.core.dates import today

    on = on or today()
    nominating, notice = Q(status=CampaignStatus.NOMINATING), Q(status=CampaignStatus.NOTICE)
    return {
        OPEN_NOMINATION: nominating & (Q(nomination_deadline__isnull=True) | Q(nomination_deadline__gte=on)),
        NOMINATION_CLOSED: nominating & Q(nomination_deadline__lt=on),
        IN_NOTICE: notice & (Q(notice_end__isnull=True) | Q(notice_end__gte=on)),
        NOTICE_ENDED: notice & Q(notice_end__lt=on),
    }.get(value, Q())


class AwardFilter(GatedFilterSet):
    q = df.CharFilter(method="filter_q", label=_("干部姓名/拼音首字母/身份证号/文号"))
    kind = df.ModelChoiceFilter(queryset=AwardKind.objects.all(), label=_("表彰类别"))
    level = df.ChoiceFilter(field_name="kind__level", choices=Level.choices, label=_("级别"))
    target = df.ChoiceFilter(field_name="kind__target", choices=AwardTarget.choices, label=_("表彰对象"))
    unit = UnitSubtreeFilter(method="filter_unit", label=_("单位（含下级）"))
    year = df.NumberFilter(field_name="year", label=_("年度"))
    revoked = df.BooleanFilter(field_name="revoked_on", lookup_expr="isnull", exclude=True, label=_("已撤销"))
    campaign = df.ModelChoiceFilter(queryset=Campaign.objects.all(), label=_("评选活动"))
    cadre = df.NumberFilter(field_name="cadre", label=_("干部编号"))
    ordering = df.OrderingFilter(
        fields=(("awarded_on", "date"), ("year", "year"), ("kind__order", "kind"), ("unit__path", "unit"),
                ("cadre__name_initials", "cadre")),
        field_labels={"awarded_on": _("表彰日期"), "year": _("年度"), "kind__order": _("表彰类别"),
                      "unit__path": _("单位"), "cadre__name_initials": _("干部")},
        label=_("排序"))

    class Meta:
        model = Award
        fields = []

    def filter_q(self, qs, name, value):
        return search_filter(qs, value, prefix="cadre__", text_fields=("document_no", "unit__name"))

    def filter_unit(self, qs, name, value):
        return qs.filter(unit__path__startswith=value.path) if value else qs

    def filter_queryset(self, queryset):
        qs = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("ordering"):
            qs = qs.order_by("-awarded_on", "-id")
        elif "id" not in qs.query.order_by and "-id" not in qs.query.order_by:
            qs = qs.order_by(*qs.query.order_by, "id")
        return qs


class CampaignFilter(GatedFilterSet):
    q = df.CharFilter(field_name="name", lookup_expr="contains", label=_("名称"))
    kind = df.ModelChoiceFilter(queryset=AwardKind.objects.all(), label=_("表彰类别"))
    year = df.NumberFilter(field_name="year", label=_("年度"))
    status = df.ChoiceFilter(choices=CampaignStatus.choices, label=_("状态"))
    stage = df.ChoiceFilter(choices=STAGE_CHOICES, method="filter_stage", label=_("进度"))
    ordering = df.OrderingFilter(fields=(("year", "year"), ("name", "name"), ("status", "status")),
                                 field_labels={"year": _("年度"), "name": _("名称"), "status": _("状态")},
                                 label=_("排序"))

    class Meta:
        model = Campaign
        fields = []

    def filter_stage(self, qs, name, value):
        return qs.filter(stage_q(value)) if value else qs

    def filter_queryset(self, queryset):
        qs = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("ordering"):
            qs = qs.order_by("-year", "-id")
        elif "id" not in qs.query.order_by and "-id" not in qs.query.order_by:
            qs = qs.order_by(*qs.query.order_by, "id")
        return qs


class NominationFilter(GatedFilterSet):
    campaign = df.ModelChoiceFilter(queryset=Campaign.objects.all(), label=_("评选活动"))
    status = df.ChoiceFilter(choices=NominationStatus.choices, label=_("状态"))
    unit = UnitSubtreeFilter(method="filter_unit", label=_("推荐单位（含下级）"))
    q = df.CharFilter(method="filter_q", label=_("干部姓名/拼音首字母/身份证号"))

    class Meta:
        model = Nomination
        fields = []

    def filter_q(self, qs, name, value):
        return search_filter(qs, value, prefix="cadre__")

    def filter_unit(self, qs, name, value):
        return qs.filter(unit__path__startswith=value.path) if value else qs

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset).order_by("campaign", "quota_unit__path", "nominated_at", "id")
