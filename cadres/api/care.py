"""The care records (关心关爱) API under ``/api/v1/``: ``care-talks``, ``care-leave``,
``care-health-checks``, ``care-overtime``, ``care-away``. Gated and scoped like the pages (unit
leaders read and write their scope, org staff all, auditors read); writes go through
``services.care_create`` / ``care_update`` / ``care_delete``. Filters: ``?cadre=``, ``?unit=``
(subtree), ``?year=``, ``?q=`` (the care list's FilterSet). A check-up's ``details`` only for org
staff."""
import django_filters as df
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from pingdingshan.core.viewsets import ApiViewSetMixin

from .. import services
from ..filters_care import care_filter
from ..models import Cadre
from ..serializers_care import SERIALIZERS

# kind → (route, basename of the URL names: ``care-talk-list`` / ``care-talk-detail`` …)
ROUTES = {"talk": ("care-talks", "care-talk"), "leave": ("care-leave", "care-leave"),
          "health": ("care-health-checks", "care-health-check"), "overtime": ("care-overtime", "care-overtime"),
          "away": ("care-away", "care-away")}
ORDERING = {"talk": ["held_on"], "leave": ["year"], "health": ["checked_on"], "overtime": ["worked_on"],
            "away": ["start_date"]}


class CareViewSetMixin(ApiViewSetMixin):
    kind = ""

    def get_queryset(self):
        return super().get_queryset().select_related("cadre__unit")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.care_create(by=self.request.user, care_kind=self.kind, cadre=data.pop("cadre"),
                                                   **data)

    def perform_update(self, serializer):
        serializer.instance = services.care_update(by=self.request.user, instance=serializer.instance,
                                                   **serializer.validated_data)

    def perform_destroy(self, instance):
        services.care_delete(by=self.request.user, instance=instance)


def _viewset(kind):
    model = services.KINDS[kind][0]
    label = model._meta.verbose_name
    filterset = type(f"{model.__name__}ApiFilter", (care_filter(model),), {
        "cadre": df.ModelChoiceFilter(queryset=Cadre.objects.all(), label=_("干部")),
        "Meta": type("Meta", (), {"model": model, "fields": ["cadre"]})})
    cls = type(f"{model.__name__}ViewSet", (CareViewSetMixin, viewsets.ModelViewSet), {
        "kind": kind, "queryset": model.objects.all(), "serializer_class": SERIALIZERS[kind],
        "filterset_class": filterset, "ordering_fields": ORDERING[kind], "__module__": __name__,
        "__doc__": f"{model.__name__}: care records ({kind})."})
    return extend_schema_view(
        list=extend_schema(summary=label), retrieve=extend_schema(summary=label),
        create=extend_schema(summary=label), update=extend_schema(summary=label),
        partial_update=extend_schema(summary=label), destroy=extend_schema(summary=label))(cls)


VIEWSETS = {kind: _viewset(kind) for kind in services.KINDS}


def register_care(router):
    for kind, viewset in VIEWSETS.items():
        route, basename = ROUTES[kind]
        router.register(route, viewset, basename=basename)
    return router
