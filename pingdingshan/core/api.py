"""REST building blocks: the gate as a DRF permission, pagination, and the one error shape
``{"message": ..., "errors": {field: [...]}}``. (The viewset mixin every app uses is in
``viewsets.py``: this module is named in DRF's settings and must not import the schema classes.)"""
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, permissions
from rest_framework.pagination import PageNumberPagination
from rest_framework.settings import api_settings

from . import permissions as gate


class GatePermission(permissions.BasePermission):
    """Reads need ``view``; writes need ``change``. Object scope comes from the restricted queryset."""

    def has_permission(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return False
        action = "view" if request.method in permissions.SAFE_METHODS else getattr(view, "write_action", "change")
        return gate.can(request.user, action)


class OwnThingsPermission(permissions.BasePermission):
    """Any signed-in, active user, with or without a role: for endpoints that only ever serve the
    caller's own things (their notifications), whose queryset is filtered by ``user=request.user``."""

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.is_active)


class GatedViewSetMixin:
    """get_queryset() restricted by the gate: reads to the view scope, writes to the change scope.
    An object visible but not writable answers 403; an object out of sight answers 404."""

    def get_queryset(self):
        qs = super().get_queryset()
        action = "view" if self.request.method in permissions.SAFE_METHODS else "change"
        if action == "change" and getattr(self, "detail", False):
            # Let get_object() tell 403 (visible, not writable) from 404 (out of sight).
            return qs.restrict(self.request.user, "view")
        return qs.restrict(self.request.user, action)

    def get_object(self):
        try:
            obj = super().get_object()
        except Http404:
            # DRF's message ("No Cadre matches the given query.") is English and names the model.
            raise Http404(_("未找到该对象，或不在您的权限范围内。")) from None
        if self.request.method not in permissions.SAFE_METHODS:
            gate.ensure(self.request.user, "change", obj)
        return obj


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


def _as_error_dict(detail):
    if isinstance(detail, dict):
        # Django names errors that belong to no field "__all__"; DRF calls them non_field_errors.
        return {(api_settings.NON_FIELD_ERRORS_KEY if k == NON_FIELD_ERRORS else k): v if isinstance(v, list) else [v]
                for k, v in detail.items()}
    if isinstance(detail, list):
        return {api_settings.NON_FIELD_ERRORS_KEY: detail}
    return {}


def exception_handler(exc, context):
    from rest_framework.views import exception_handler as drf_exception_handler

    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            exc = exceptions.ValidationError({k: [m for e in v for m in e.messages] for k, v in exc.error_dict.items()})
        else:
            exc = exceptions.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: exc.messages})
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or _("未找到。"))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(exc, exceptions.ValidationError):
        errors = _as_error_dict(data)
        message = _("提交的数据有误，请检查后重试。")
        non_field = api_settings.NON_FIELD_ERRORS_KEY
        if list(errors) == [non_field] and errors[non_field]:
            message = str(errors[non_field][0])
    else:
        errors = {}
        message = data.get("detail", str(exc)) if isinstance(data, dict) else str(data)
    response.data = {"message": str(message), "errors": errors}
    return response
