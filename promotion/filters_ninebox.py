"""Filters of the 9-box (九宫格): one FilterSet for the page, its export and the API. The grid is
either one reserve pool's (``pool``) or one assessment tier × category's (``tier``, ``category``;
either may be left out), within a unit's subtree (``unit``). Choices go through the gate
(``GatedFilterSet``): a unit out of scope is refused like one that does not exist."""
import django_filters as df
from django.utils.translation import gettext_lazy as _

from assessment.models import Category, Tier
from cadres.filters import UnitSubtreeFilter
from cadres.models import Cadre
from pingdingshan.core.filtersets import GatedFilterSet

from .models import ReservePool


def _keep(qs, name, value):
    """Not a condition on the cadres: the grid reads it (``services.ninebox.grid``)."""
    return qs


class NineBoxFilter(GatedFilterSet):
    pool = df.ModelChoiceFilter(queryset=ReservePool.objects.filter(is_active=True).order_by("name"), method=_keep,
                                label=_("储备库"))
    tier = df.ModelChoiceFilter(queryset=Tier.objects.filter(is_active=True).order_by("order", "id"), method=_keep,
                                label=_("考核层级"))
    category = df.ModelChoiceFilter(queryset=Category.objects.filter(is_active=True).order_by("order", "id"),
                                    method=_keep, label=_("考核类别"))
    unit = UnitSubtreeFilter(label=_("单位（含下级）"))

    class Meta:
        model = Cadre
        fields = []

    def choice(self, name):
        return self.form.cleaned_data.get(name) if self.is_valid() else None
