"""REST building blocks: the gate as a DRF permission, pagination, and the one error shape
``{"message": ..., "errors": {field: [...]}}``."""
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, permissions
from rest_framework.pagination import PageNumberPagination

from . import permissions as gate


class GatePermission(permissions.BasePermission):
    """Reads need ``view``; writes need ``change``. Object scope comes from the restricted queryset."""

    def has_permission(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return False
        action = "view" if request.method in permissions.SAFE_METHODS else getattr(view, "write_action", "change")
        return gate.can(request.user, action)


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
        obj = super().get_object()
        if self.request.method not in permissions.SAFE_METHODS:
            gate.ensure(self.request.user, "change", obj)
        return obj


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


def _as_error_dict(detail):
    if isinstance(detail, dict):
        return {k: v if isinstance(v, list) else [v] for k, v in detail.items()}
    if isinstance(detail, list):
        return {"non_field_errors": detail}
    return {}


def exception_handler(exc, context):
    from rest_framework.views import exception_handler as drf_exception_handler

    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            exc = exceptions.ValidationError({k: [m for e in v for m in e.messages] for k, v in exc.error_dict.items()})
        else:
            exc = exceptions.ValidationError({"non_field_errors": exc.messages})
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
        if list(errors) == ["non_field_errors"] and errors["non_field_errors"]:
            message = str(errors["non_field_errors"][0])
    else:
        errors = {}
        message = data.get("detail", str(exc)) if isinstance(data, dict) else str(data)
    response.data = {"message": str(message), "errors": errors}
    return response
