"""The viewset mixin of every app's API: the gate (reads restricted to the user's scope, out of
scope → 404, visible but not writable → 403), token or session authentication, the error-documenting
schema, django-filter and ordering, and a stable order (ties broken by id)."""
from django.utils.translation import gettext_lazy as _
from rest_framework import permissions
from rest_framework.authentication import TokenAuthentication
from rest_framework.filters import OrderingFilter

from . import permissions as gate
from .api import GatedViewSetMixin, GatePermission, SessionAuthentication
from .filtersets import GatedFilterBackend
from .schema import ApiAutoSchema


class ModelWritePermission(permissions.BasePermission):
    """Writes need a non-empty ``change`` scope on the viewset's model: unit leaders may write cadres
    and their records, but not units or posts. On a detail route the object is looked up first, so
    an object out of sight answers 404 and a visible one the user may not change answers 403
    (GatedViewSetMixin.get_object), as on the pages."""

    message = _("您没有修改此类数据的权限。")

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS or getattr(view, "detail", False):
            return True
        return gate.allows(request.user, "change", view.queryset.model)


class ApiViewSetMixin(GatedViewSetMixin):
    """Gate, authentication, schema and a stable order for every viewset of every app."""

    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [GatePermission, ModelWritePermission]
    filter_backends = [GatedFilterBackend, OrderingFilter]  # generated FilterSets are gated too
    schema = ApiAutoSchema()
    serializer_classes: dict = {}
    response_serializer_classes: dict = {}

    def get_serializer_class(self):
        return self.serializer_classes.get(self.action, self.serializer_class)

    def filter_queryset(self, queryset):
        qs = super().filter_queryset(queryset)
        order = [o for o in qs.query.order_by if isinstance(o, str)]
        if order and not any(o.lstrip("-") in ("pk", "id") for o in order):
            qs = qs.order_by(*qs.query.order_by, "pk")  # ties broken by id: pages never repeat or skip a row
        return qs


class SingletonViewSetMixin:
    """One object at the router's list route, with no id: ``GET`` (and ``PUT``) on ``prefix/`` itself
    (a settings row, a computed answer). Name the methods that answer in ``singleton_get`` and, when
    the object can be changed, ``singleton_put``; list it before the other mixins (it has no
    pagination and no filter backends: the answer is one object)."""

    singleton_get: str = ""
    singleton_put: str | None = None
    pagination_class = None
    filter_backends: list = []

    @classmethod
    def as_view(cls, actions=None, **initkwargs):
        if actions and actions.get("get") == "list":  # the router's list route: one object, not a list
            actions = {"get": cls.singleton_get}
            if cls.singleton_put:
                actions["put"] = cls.singleton_put
        return super().as_view(actions, **initkwargs)

    def get_object(self):  # no id (DRF's OPTIONS asks for it)
        return None

    def list(self, request):  # the router builds the route from it (``as_view``)
        return getattr(self, self.singleton_get)(request)


class SingletonSettingsMixin(SingletonViewSetMixin):
    """A singleton of settings that no model scope covers: the gate's roles only (``view`` to read,
    ``write_action`` to write, org staff by default), authentication and the error schema as on
    every viewset."""

    authentication_classes = ApiViewSetMixin.authentication_classes
    permission_classes = [GatePermission]
    schema = ApiAutoSchema()
    write_action = "reserve"
