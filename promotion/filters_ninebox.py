"""Filters of the 9-box (九宫格): one FilterSet for the page, its export and the API. The grid is
either one reserve pool's (``pool``) or one assessment tier × category's (``tier``, ``category``;
either may be left out), within a unit's subtree (``unit``). Choices go through the gate
(``GatedFilterSet``): a unit out of scope is refused like one that does not exist.

With none of ``pool``, ``tier`` and ``category`` asked for (the parameter ``pool`` absent), the grid
is the default pool's (``services.ninebox.default_pool``: the first pool with a current ranking),
named in the filter as if chosen; ``pool=`` (empty, the form's "全部" choice) asks for every
tier × category. ``filtered`` and ``grid_of`` serve the page, its export and the API alike."""
import django_filters as df
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from assessment.models import Category, Tier
from cadres.filters import UnitSubtreeFilter
from cadres.models import Cadre
from pingdingshan.core.filtersets import GatedFilterSet

from .models import ReservePool
from .services import ninebox as svc


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


def wants_default_pool(params) -> bool:
    """No pool, tier or category asked for: the parameter ``pool`` is absent (``pool=`` empty asks
    for every tier × category) and ``tier`` and ``category`` are empty."""
    return "pool" not in params and not params.get("tier") and not params.get("category")


def filtered(request, params) -> tuple[NineBoxFilter, ReservePool | None]:
    """The FilterSet of ``params`` (the page's GET, the API's query), bound to the default pool
    when none of pool, tier and category is asked for; with that pool (None when it was not
    defaulted). Unbound (every cadre, by tier × category) without filters and without a pool to
    default to."""
    default = svc.default_pool(request.user) if wants_default_pool(params) else None
    data = params.copy() if params else None
    if default is not None:
        data = data if data is not None else QueryDict(mutable=True)
        data["pool"] = str(default.pk)
    return NineBoxFilter(data, queryset=Cadre.objects.all(), request=request), default


def grid_of(f: NineBoxFilter, user) -> svc.Grid:
    """The grid of a bound, valid FilterSet (or of every cadre the user sees when it is unbound)."""
    if not f.is_bound:
        return svc.grid(user)
    data = f.form.cleaned_data
    return svc.grid(user, pool=data.get("pool"), tier=data.get("tier"), category=data.get("category"),
                    unit=data.get("unit"), cadres=f.qs)
