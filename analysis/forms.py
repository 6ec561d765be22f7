"""Forms of the team analysis: the city view's filter (unit subtree, colour) and the rules' settings."""
from django import forms
from django.utils.translation import gettext_lazy as _

from cadres.models import Unit
from pingdingshan.core.forms import BootstrapMixin, UnitChoiceField

from .models import TeamRules
from .services.teams import COLOURS, FIELDS


class TeamFilterForm(BootstrapMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("单位（含下级）"), queryset=Unit.objects.none(), required=False, empty_label=_("全部"),
                                  error_messages={"invalid_choice": _("单位：请选择您权限范围内的单位。")})
    colour = forms.ChoiceField(label=_("预警颜色"), choices=[("", _("全部"))] + list(COLOURS), required=False,
                               error_messages={"invalid_choice": _("预警颜色：请选择列表中的颜色。")})

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.restrict(user, "view")


class TeamRulesForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = TeamRules
        fields = list(FIELDS)


class FiguresFilterForm(BootstrapMixin, forms.Form):
    """The filters of every analysis page (大数据研判) and its export: a unit subtree (the user's scope
    only), a date range, and on the grade page the assessment period (the periods the user sees)."""
    unit = UnitChoiceField(label=_("单位（含下级）"), queryset=Unit.objects.none(), required=False, empty_label=_("全部"),
                           error_messages={"invalid_choice": _("单位：请选择您权限范围内的单位。")})
    start = forms.DateField(label=_("开始日期"), required=False, widget=forms.DateInput,
                            error_messages={"invalid": _("开始日期：请输入有效日期，如 2026-01-31。")})
    end = forms.DateField(label=_("结束日期"), required=False, widget=forms.DateInput,
                          error_messages={"invalid": _("结束日期：请输入有效日期，如 2026-12-31。")})
    period = forms.ModelChoiceField(label=_("考核周期"), queryset=None, required=False, empty_label=_("最新"),
                                    error_messages={"invalid_choice": _("考核周期：请选择列表中的考核周期。")})

    def __init__(self, *args, user=None, with_period=False, **kwargs):
        from .services.figures.grades import periods

        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.restrict(user, "view")
        if with_period:
            self.fields["period"].queryset = periods(user)
        else:
            del self.fields["period"]

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("结束日期：不能早于开始日期。"))
        for name in ("start", "end"):
            day = data.get(name)
            if day and not 1900 <= day.year <= 2100:
                self.add_error(name, _("%(label)s：请输入 1900 至 2100 年之间的日期。") % {"label": self.fields[name].label})
        return data
# --------------------------------------------------------------------------- auditors' reports
DATE_ERRORS = {"invalid": _("日期格式应为 YYYY-MM-DD。")}


class ReportRequestForm(BootstrapMixin, forms.Form):
    """One report's parameters (the kind is the catalogue entry's button): a unit subtree in the
    user's ``export`` scope and a period; the service checks everything again."""

    kind = forms.CharField(widget=forms.HiddenInput, error_messages={"required": _("请选择报表。")})
    unit = forms.ModelChoiceField(label=_("单位（含下级）"), queryset=Unit.objects.none(), required=False,
                                  empty_label=_("全部（我的范围）"),
                                  error_messages={"invalid_choice": _("单位：请选择您权限范围内的单位。")})
    start = forms.DateField(label=_("开始日期"), required=False, widget=forms.DateInput, error_messages=DATE_ERRORS)
    end = forms.DateField(label=_("结束日期"), required=False, widget=forms.DateInput, error_messages=DATE_ERRORS)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.restrict(user, "export").order_by("path")


class ReportListFilter(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("报表"), required=False,
                             error_messages={"invalid_choice": _("报表：请选择列表中的报表。")})

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("全部"))] + [(r.kind, r.title) for r in kinds]


class ReportScheduleForm(BootstrapMixin, forms.Form):
    enabled = forms.BooleanField(label=_("每月自动生成"), required=False)
    day = forms.IntegerField(label=_("每月几日"), min_value=1, max_value=28,
                             error_messages={"min_value": _("日期须为 1 到 28 的整数（每月都有的日子）。"),
                                             "max_value": _("日期须为 1 到 28 的整数（每月都有的日子）。"),
                                             "invalid": _("日期须为 1 到 28 的整数（每月都有的日子）。"),
                                             "required": _("请填写每月几日。")})
    hour = forms.IntegerField(label=_("几点（0–23）"), min_value=0, max_value=23,
                              error_messages={"min_value": _("小时须为 0 到 23 的整数。"),
                                              "max_value": _("小时须为 0 到 23 的整数。"),
                                              "invalid": _("小时须为 0 到 23 的整数。"),
                                              "required": _("请填写几点。")})
