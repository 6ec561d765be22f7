"""Filters of the vacancy list (空缺岗位): one FilterSet for the page, its export and the API. It
narrows the posts the user sees (unit subtree, level, kind); ``reason``, ``months``, ``industry`` and
``category`` are passed on to ``services.vacancies.vacancies`` (``vacancy_options``). Choices go
through the gate (``GatedFilterSet``): a unit out of scope is refused like one that does not exist."""
import django_filters as df
from django.utils.translation import gettext_lazy as _

from cadres.filters import UnitSubtreeFilter
from cadres.models import Post, PostKind, PostLevel
from pingdingshan.core.filtersets import GatedFilterSet

from .models import Industry, PoolCategory
from .services.vacancies import DEFAULT_MONTHS, MAX_MONTHS, REASONS


class VacancyFilter(GatedFilterSet):
    unit = UnitSubtreeFilter(path_field="unit__path", label=_("单位（含下级）"))
    level = df.TypedChoiceFilter(field_name="level", choices=PostLevel.choices, coerce=int, label=_("职务层次"))
    kind = df.ChoiceFilter(field_name="kind", choices=PostKind.choices, label=_("职务类别"))
    reason = df.ChoiceFilter(choices=REASONS, method="passed_on", label=_("空缺原因"))
    months = df.NumberFilter(method="passed_on", min_value=0, max_value=MAX_MONTHS, label=_("到龄月数"),
                             help_text=_("列出现任者在此月数内到达法定退休年龄的岗位（0–60，默认 6）。"))
    industry = df.ModelChoiceFilter(queryset=Industry.objects.all(), method="passed_on", label=_("行业"))
    category = df.ModelChoiceFilter(queryset=PoolCategory.objects.all(), method="passed_on", label=_("储备类别"))

    class Meta:
        model = Post
        fields = []

    def passed_on(self, qs, name, value):
        return qs  # applied by ``vacancies`` (see ``vacancy_options``)

    def vacancy_options(self) -> dict:
        """The keyword arguments of ``vacancies`` besides the posts (valid filters only)."""
        data = self.form.cleaned_data if self.is_valid() else {}
        months = data.get("months")
        return {"reason": data.get("reason") or None,
                "months": int(months) if months is not None else DEFAULT_MONTHS,
                "industry": data.get("industry"), "category": data.get("category")}
