"""``/api/v1/auth/token/``: get (POST) or revoke (DELETE) an API token.

POST runs DRF's ``AuthTokenSerializer``, which calls ``authenticate(request=...)``, so django-axes
counts failures and refuses locked-out accounts. Axes flags the lock-out on the DRF request (its
middleware only sees Django's request and renders an HTML page), so this view turns the flag into the
API's error shape: 429 ``{"message": "...锁定...", "errors": {}}``.
"""
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, permissions, serializers, status
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response

from pingdingshan.core.api import SessionAuthentication

from .schema import ERROR_RESPONSES, ApiAutoSchema, error_response


class AccountLockedOut(exceptions.APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "locked_out"

    def __init__(self):
        from axes.helpers import get_cool_off

        cool_off = get_cool_off()
        minutes = int(cool_off.total_seconds() // 60) if cool_off else 0
        if minutes:
            detail = _("登录失败次数过多，账户已被锁定，请%(minutes)d分钟后再试。") % {"minutes": minutes}
        else:
            detail = _("登录失败次数过多，账户已被锁定，请联系管理员解锁。")
        super().__init__(detail)


TokenResponse = inline_serializer("TokenResponse", {"token": serializers.CharField(help_text=_("API 令牌"))})


class TokenView(ObtainAuthToken):
    """POST username + password → ``{"token": "..."}``; send it as ``Authorization: Token <key>``.
    DELETE (authenticated) revokes the caller's token."""

    authentication_classes = [TokenAuthentication, SessionAuthentication]
    schema = ApiAutoSchema()
    schema_error_codes = ()  # each operation lists its own
    serializer_class = AuthTokenSerializer

    def get_permissions(self):
        if self.request.method == "POST":
            return [permissions.AllowAny()]
        return [permissions.IsAuthenticated()]

    @extend_schema(
        summary=_("获取 API 令牌"), tags=["auth"], auth=[], operation_id="auth_token_create",
        description=_("用用户名和密码换取 API 令牌；之后在请求头中发送 Authorization: Token <令牌>。"
                      "连续登录失败达到上限后账户被锁定（429）。"),
        request=AuthTokenSerializer,
        responses={200: TokenResponse, 400: error_response(_("缺少用户名或密码，或用户名、密码不正确。")),
                   429: error_response(_("登录失败次数过多，账户已被锁定。"))},
    )
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        valid = serializer.is_valid()
        if getattr(request, "axes_locked_out", False):
            raise AccountLockedOut()
        if not valid:
            raise exceptions.ValidationError(serializer.errors)
        token, _created = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key})

    @extend_schema(summary=_("注销 API 令牌"), tags=["auth"], operation_id="auth_token_destroy",
                   description=_("删除当前用户的 API 令牌；再次使用须重新获取。"),
                   responses={204: None, 401: ERROR_RESPONSES["401"]})
    def delete(self, request, *args, **kwargs):
        Token.objects.filter(user=request.user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
