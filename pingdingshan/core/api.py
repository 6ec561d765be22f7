"""REST building blocks: the gate as a DRF permission, pagination, and the one error shape
``{"message": ..., "errors": {field: [...]}}``. (The viewset mixin every app uses is in
``viewsets.py``: this module is named in DRF's settings and must not import the schema classes.)"""
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular import authentication as spectacular_auth
from drf_spectacular.drainage import set_override
from rest_framework import exceptions, permissions, serializers
from rest_framework.authentication import SessionAuthentication as DrfSessionAuthentication
from rest_framework.pagination import PageNumberPagination
from rest_framework.settings import api_settings

from . import permissions as gate
from .fields import parse_id

# Django's reasons (CsrfViewMiddleware.REASON_*) are English and not translated; matched by prefix
# (some carry the origin or referer in them).
CSRF_REASONS = (
    ("CSRF cookie not set", gettext_lazy("浏览器未带上 CSRF Cookie（请刷新页面后重试，或改用 Token 认证）。")),
    ("CSRF token missing", gettext_lazy("请求缺少 CSRF 令牌（X-CSRFToken 请求头）。")),
    ("Referer checking failed", gettext_lazy("HTTPS 请求的 Referer 头缺失或不是受信任的来源。")),
    ("Origin checking failed", gettext_lazy("请求来源（Origin）不在受信任的来源中。")),
)


class SessionAuthentication(DrfSessionAuthentication):
    """Session authentication whose CSRF refusal says why in Chinese (DRF's is "CSRF Failed: CSRF
    token missing.")."""

    def enforce_csrf(self, request):
        try:
            super().enforce_csrf(request)
        except exceptions.PermissionDenied as e:
            reason = str(e.detail).removeprefix("CSRF Failed: ")
            known = next((text for prefix, text in CSRF_REASONS if reason.startswith(prefix)), None)
            raise exceptions.PermissionDenied(
                _("CSRF 校验失败：%(reason)s 使用会话登录调用写接口时，须带上页面的 CSRF 令牌。") % {
                    "reason": str(known or _("CSRF 令牌无效。"))}) from None


class SessionScheme(spectacular_auth.SessionScheme):
    """The schema's cookieAuth, for the subclass above."""

    target_class = "pingdingshan.core.api.SessionAuthentication"


class NullIfBlankChoiceField(serializers.ChoiceField):
    """A read-only choice answered as null when the model holds "" (not yet graded): the schema's
    enum has no "" in it."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return None if value in ("", None) else super().to_representation(value)


# Same choices, same enum component as the writable ChoiceField of these choices (only null is added,
# on the field): not a name collision.
set_override(NullIfBlankChoiceField, "suppress_collision_warning", True)


@csrf_exempt  # it changes nothing; without this a POST got Django's English HTML CSRF page
def not_found(request, *args, **kwargs):
    """Any /api/v1/ path no endpoint matches (``/api/v1/records/1.5/``): the API's JSON 404, not
    Django's HTML page."""
    return JsonResponse({"message": _("接口地址不存在，或编号格式不正确。"), "errors": {}}, status=404,
                        json_dumps_params={"ensure_ascii": False})


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
    """Pages of 50 (``page_size`` up to 500). A page or page size that is not a positive whole
    number, or a page past the last, is a 400 naming the parameter (DRF ignored a bad page_size and
    answered 404, which the schema does not list, for a bad page)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw in (None, ""):
            return self.page_size
        size = parse_id(raw)
        if size is None:
            raise exceptions.ValidationError({self.page_size_query_param: [
                _("每页条数须为 1 到 %(max)d 的整数。") % {"max": self.max_page_size}]})
        return min(size, self.max_page_size)

    def paginate_queryset(self, queryset, request, view=None):
        raw = request.query_params.get(self.page_query_param)
        if raw not in (None, "") and raw not in self.last_page_strings and parse_id(raw) is None:
            raise exceptions.ValidationError({self.page_query_param: [_("页码须为正整数。")]})
        try:
            return super().paginate_queryset(queryset, request, view)
        except exceptions.NotFound:
            raise exceptions.ValidationError({self.page_query_param: [_("页码超出范围。")]}) from None


def _flatten(path: str, detail, out: dict) -> None:
    """Nested serializer errors as flat paths: ``{"indicators": [{}, {"weight": [...]}]}`` becomes
    ``{"indicators.1.weight": [...]}``; a list item's own errors sit at ``indicators.1``."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            key = str(key)
            if key in (NON_FIELD_ERRORS, api_settings.NON_FIELD_ERRORS_KEY):
                _flatten(path or api_settings.NON_FIELD_ERRORS_KEY, value, out)
            else:
                _flatten(f"{path}.{key}" if path else key, value, out)
    elif isinstance(detail, list) and any(isinstance(v, (dict, list)) for v in detail):
        for n, value in enumerate(detail):
            if isinstance(value, (dict, list)):
                _flatten(f"{path}.{n}" if path else str(n), value, out)
            elif value not in ("", None):
                out.setdefault(path or api_settings.NON_FIELD_ERRORS_KEY, []).append(str(value))
    elif isinstance(detail, list):
        if detail:
            out.setdefault(path or api_settings.NON_FIELD_ERRORS_KEY, []).extend(str(m) for m in detail)
    elif detail not in ("", None):
        out.setdefault(path or api_settings.NON_FIELD_ERRORS_KEY, []).append(str(detail))


def _as_error_dict(detail) -> dict[str, list[str]]:
    """``{field path: [message, ...]}``; Django's "__all__" and list-level errors under non_field_errors."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, (dict, list)):
        _flatten("", detail, out)
    return out


def exception_handler(exc, context):
    from rest_framework.views import exception_handler as drf_exception_handler

    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            exc = exceptions.ValidationError({k: [m for e in v for m in e.messages] for k, v in exc.error_dict.items()})
        else:
            exc = exceptions.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: exc.messages})
    elif isinstance(exc, exceptions.ParseError):
        # DRF's parsers say "JSON parse error - Expecting value: …" in English, untranslated.
        exc = exceptions.ParseError(_("请求内容无法解析，请检查 JSON 或表单的格式（%(why)s）。") % {"why": exc.detail})
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
