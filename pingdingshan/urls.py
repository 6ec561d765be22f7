from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularSwaggerView

from pingdingshan.core import views as core_views
from pingdingshan.core.schema import SchemaView

admin.site.has_permission = lambda request: request.user.is_active and request.user.is_superuser
admin.site.site_header = _("干部实绩管理系统 · 超级管理员")

urlpatterns = [
    path("", core_views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("pingdingshan.core.urls")),
    path("cadres/", include("cadres.urls")),
    path("assessment/", include("assessment.urls")),
    path("reserve/", include("promotion.urls")),
    path("analysis/", include("analysis.urls")),
    path("api/v1/", include("pingdingshan.api_urls")),
    path("api/schema/", SchemaView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]
