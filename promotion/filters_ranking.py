"""Filters of the ranking lists: one FilterSet serves a pool's ranking page, its export and (with
run, pool and cadre) the API, so they agree on what "the filtered rows" are; the run list's. Choices
go through the gate (``GatedFilterSet``): a unit or cadre out of scope is refused like a missing one."""
import django_filters as df
from django import forms
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from cadres.filters import UnitSubtreeFilter, search_filter
from cadres.models import Cadre
from pingdingshan.core.filtersets import GatedFilterSet
from pingdingshan.core.list_filters import DateRangeForm

from .models import RankingEntry, RankingRun, ReservePool, RunStatus, RunTrigger

RANKED_CHOICES = [("yes", _("已排名")), ("no", _("未排名"))]


class RankingEntryFilter(GatedFilterSet):
    q = df.CharFilter(method="filter_q", label=_("干部姓名/拼音首字母/身份证号"))
    unit = UnitSubtreeFilter(path_field="cadre__unit__path", label=_("干部单位（含下级）"))
    ranked = df.ChoiceFilter(choices=RANKED_CHOICES, method="filter_ranked", label=_("排名情况"))
    ordering = df.OrderingFilter(
        fields=(("rank", "rank"), ("score", "score"), ("cadre__name_initials", "cadre"), ("cadre__unit__path", "unit")),
        field_labels={"rank": _("名次"), "score": _("得分"), "cadre__name_initials": _("干部"),
                      "cadre__unit__path": _("单位")},
        label=_("排序"),
    )

    class Meta:
        model = RankingEntry
        fields = []

    def filter_q(self, qs, name, value):
        return search_filter(qs, value, prefix="cadre__")

    def filter_ranked(self, qs, name, value):
        if value == "yes":
            return qs.filter(rank__isnull=False)
        if value == "no":
            return qs.filter(rank__isnull=True)
        return qs

    def filter_queryset(self, queryset):
        qs = super().filter_queryset(queryset)
        order = self.form.cleaned_data.get("ordering") if hasattr(self.form, "cleaned_data") else None
        if order:  # empty scores and ranks last either way; equal values in rank order
            chosen = [(F(o[1:]).desc(nulls_last=True) if o.startswith("-") else F(o).asc(nulls_last=True))
                      if isinstance(o, str) else o for o in qs.query.order_by]
            return qs.order_by(*chosen, F("rank").asc(nulls_last=True), "id")
        return qs


class RankingEntryApiFilter(RankingEntryFilter):
    """The API's: also the run (default: the current run), the pool and the cadre."""

    run = df.ModelChoiceFilter(queryset=RankingRun.objects.filter(status=RunStatus.DONE), method="keep",
                               label=_("排名运行（默认当前排名）"))
    pool = df.ModelChoiceFilter(queryset=ReservePool.objects.all(), label=_("储备库"))
    cadre = df.ModelChoiceFilter(queryset=Cadre.objects.only("id", "name"), label=_("干部"))

    def keep(self, qs, name, value):
        return qs

    def filter_queryset(self, queryset):
        run = self.form.cleaned_data.get("run")
        if run is not None:
            queryset = queryset.filter(run=run)
        else:
            queryset = queryset.filter(run__is_current=True)
        return super().filter_queryset(queryset)


class RunFilter(GatedFilterSet):
    status = df.ChoiceFilter(choices=RunStatus.choices, label=_("状态"))
    trigger = df.ChoiceFilter(choices=RunTrigger.choices, label=_("启动方式"))
    date_from = df.DateFilter(field_name="run_date", lookup_expr="gte", label=_("排名日期从"))
    date_to = df.DateFilter(field_name="run_date", lookup_expr="lte", label=_("排名日期至"))
    ordering = df.OrderingFilter(
        fields=(("run_date", "date"), ("started_at", "started"), ("status", "status")),
        field_labels={"run_date": _("排名日期"), "started_at": _("开始时间"), "status": _("状态")},
        label=_("排序"),
    )

    class Meta:
        model = RankingRun
        fields = []
        form = DateRangeForm

    def filter_queryset(self, queryset):
        qs = super().filter_queryset(queryset)
        if self.form.cleaned_data.get("ordering"):
            return qs.order_by(*qs.query.order_by, "-id")
        return qs


class DiffForm(forms.Form):
    """The diff page's choice of pool and the two runs (done runs)."""

    pool = forms.ModelChoiceField(queryset=ReservePool.objects.none(), label=_("储备库"))
    a = forms.ModelChoiceField(queryset=RankingRun.objects.none(), label=_("较早的排名"))
    b = forms.ModelChoiceField(queryset=RankingRun.objects.none(), label=_("较晚的排名"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from pingdingshan.core import permissions as gate

        self.fields["pool"].queryset = gate.restrict_choices(ReservePool.objects.all(), user)
        runs = gate.restrict_choices(RankingRun.objects.filter(status=RunStatus.DONE), user)
        self.fields["a"].queryset = self.fields["b"].queryset = runs
        for f in self.fields.values():
            f.widget.attrs["class"] = "form-select form-select-sm"
            f.label_from_instance = str
        self.fields["a"].label_from_instance = self.fields["b"].label_from_instance = _run_label

    def clean(self):
        data = super().clean()
        if data.get("a") and data.get("b") and data["a"].pk == data["b"].pk:
            self.add_error("b", _("请选择两次不同的排名。"))
        return data


def _run_label(run):
    return f"{run.run_date:%Y-%m-%d}" + (" ★" if run.is_current else "")
