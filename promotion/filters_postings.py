"""Filters of the frontline posting list: one FilterSet serves the page, its export and the API, so
the three agree on what "the filtered rows" are. Choices go through the gate (``GatedFilterSet``): a
unit or cadre out of scope is refused like one that does not exist."""
import django_filters as df
from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from assessment.filters_cards import YesNoSelect
from cadres.filters import UnitSubtreeFilter, search_filter
from cadres.models import Cadre
from pingdingshan.core.dates import today
from pingdingshan.core.filtersets import GatedFilterSet

from .models import Evaluation, FrontlinePosting, PostingStatus, Programme, PromotionStep, StepSubject


def rejected_since_q(since):
    """Postings rejected on ``since`` or later (their 不予批准 step)."""
    return Exists(PromotionStep.objects.filter(subject=StepSubject.POSTING, subject_id=OuterRef("pk"), action="reject",
                                               at__date__gte=since))


class PostingFilter(GatedFilterSet):
    q = df.CharFilter(method="filter_q", label=_("干部姓名/拼音首字母/身份证号"))
    programme = df.ModelChoiceFilter(queryset=Programme.objects.all(), label=_("项目"))
    status = df.ChoiceFilter(choices=PostingStatus.choices, label=_("状态"))
    evaluation = df.ChoiceFilter(choices=Evaluation.choices, label=_("期满评价"))
    unit = UnitSubtreeFilter(path_field="cadre__unit__path", label=_("干部单位（含下级）"))
    cadre = df.ModelChoiceFilter(queryset=Cadre.objects.only("id", "name"), label=_("干部"), widget=forms.HiddenInput)
    on = df.DateFilter(method="filter_on", label=_("该日在岗"),
                       help_text=_("已批准的一线历练中，期间包含该日的。"))
    date_from = df.DateFilter(field_name="start_date", lookup_expr="gte", label=_("开始日期从"))
    date_to = df.DateFilter(field_name="start_date", lookup_expr="lte", label=_("开始日期至"))
    to_evaluate = df.BooleanFilter(method="filter_to_evaluate", label=_("期满待评价"), widget=YesNoSelect)
    rejected_since = df.DateFilter(method="filter_rejected_since", label=_("不予批准于该日及以后"),
                                   widget=forms.HiddenInput)
    ordering = df.OrderingFilter(
        fields=(
            ("cadre__name_initials", "cadre"),
            ("programme__order", "programme"),
            ("start_date", "start"),
            ("end_date", "end"),
            ("status", "status"),
            ("evaluation", "evaluation"),
        ),
        field_labels={
            "cadre__name_initials": _("干部"), "programme__order": _("项目"), "start_date": _("开始日期"),
            "end_date": _("结束日期"), "status": _("状态"), "evaluation": _("期满评价"),
        },
        label=_("排序"),
    )

    class Meta:
        model = FrontlinePosting
        fields = []

    def filter_q(self, qs, name, value):
        return search_filter(qs, value, prefix="cadre__")

    def filter_on(self, qs, name, value):
        if not value:
            return qs
        return qs.filter(status__in=(PostingStatus.APPROVED, PostingStatus.CLOSED), start_date__lte=value,
                         end_date__gte=value)

    def filter_to_evaluate(self, qs, name, value):
        if value is None:
            return qs
        due = {"status": PostingStatus.APPROVED, "end_date__lt": today()}
        return qs.filter(**due) if value else qs.exclude(**due)

    def filter_rejected_since(self, qs, name, value):
        if not value:
            return qs
        return qs.filter(rejected_since_q(value), status=PostingStatus.REJECTED)

    def filter_queryset(self, queryset):
        qs = super().filter_queryset(queryset)
        if self.form.cleaned_data.get("ordering"):
            return qs.order_by(*qs.query.order_by, "-id")
        return qs.order_by("-start_date", "-id")
