"""FilterSets through the permission gate.

Every list (page, export and API) filters with a ``GatedFilterSet``: each model-choice filter's
queryset is restricted to what the request's user may see, in this one place, so a filter value
pointing at an object out of scope (another unit, another leader's cadre) is refused exactly like
an id that does not exist ("选择一个有效的选项", 400 in the API) instead of answering an empty list.

A filter says where its choices differ from "what the user may view" with ``gate_action`` /
``gate_model`` attributes (e.g. a unit chooser of the units where cadres may be changed).
"""
import django_filters as df
from django_filters.filters import QuerySetRequestMixin
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.rest_framework import FilterSet as RestFilterSet

from . import permissions as gate


class GatedChoicesMixin:
    """Restricts the querysets of the FilterSet's model-choice filters to the user's scope: the
    request's user, or ``user`` (a selector called without a request)."""

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None, user=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.user = user = user if user is not None else getattr(request, "user", None)
        for f in self.filters.values():  # a deep copy per FilterSet instance
            if not isinstance(f, QuerySetRequestMixin):
                continue
            qs = f.get_queryset(request)
            if qs is None:
                continue
            if user is None:
                f.queryset = qs.none()
                continue
            f.queryset = gate.restrict_choices(qs, user, getattr(f, "gate_action", "view"),
                                               getattr(f, "gate_model", None))


class GatedFilterSet(GatedChoicesMixin, df.FilterSet):
    """The base of every page / export / API FilterSet."""


class GatedApiFilterSet(GatedChoicesMixin, RestFilterSet):
    """The same with django-filter's API defaults for generated filters (``true``/``false`` booleans,
    ISO date-times); the base of FilterSets generated from a viewset's ``filterset_fields``."""


class GatedFilterBackend(DjangoFilterBackend):
    """DjangoFilterBackend whose generated FilterSets (``filterset_fields``) are gated too."""

    filterset_base = GatedApiFilterSet
