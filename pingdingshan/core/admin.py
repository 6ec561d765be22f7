"""Django admin for superusers only (pingdingshan/urls.py restricts admin.site to superusers).

Role assignments and the export log are read-only here: roles are given on the user-management
page (audited through the services) and export entries are append-only."""
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ExportLog, RoleAssignment


class ReadOnlyAdminMixin:
    """List and view only: no add, change or delete."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("user", "role", "unit", "created_at")
    list_filter = ("role",)
    search_fields = ("user__username", "user__first_name", "unit__name")
    list_select_related = ("user", "unit")
    ordering = ("user__username", "role")

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


@admin.register(ExportLog)
class ExportLogAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "user", "what", "file_format", "row_count", "request_id")
    list_filter = ("file_format", "what")
    search_fields = ("user__username", "what", "request_id")
    list_select_related = ("user",)
    date_hierarchy = "created_at"

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser
