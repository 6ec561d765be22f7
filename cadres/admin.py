"""Django admin of the roster, for superusers only (see pingdingshan/urls.py). Every model keeps its
audit history (SimpleHistoryAdmin shows it, and writes here are attributed to the superuser by
simple-history's request middleware). Day-to-day work goes through the pages, whose services
apply the business rules; the admin is the superuser's repair tool."""
from django.contrib import admin
from django.db import transaction
from simple_history.admin import SimpleHistoryAdmin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from .models import Appointment, Cadre, Post, Rank, RankQuota, Unit


@admin.register(Unit)
class UnitAdmin(TreeAdmin, SimpleHistoryAdmin):
    form = movenodeform_factory(Unit)
    list_display = ("name", "code", "level", "kind", "establishment", "is_active")
    list_filter = ("level", "kind", "is_active")
    search_fields = ("name", "code", "short_name")


@admin.register(Post)
class PostAdmin(SimpleHistoryAdmin):
    list_display = ("name", "unit", "kind", "level", "quota", "is_chief")
    list_filter = ("kind", "level", "is_chief")
    search_fields = ("name", "unit__name")
    list_select_related = ("unit",)
    autocomplete_fields = ("unit",)


@admin.register(Rank)
class RankAdmin(SimpleHistoryAdmin):
    list_display = ("order", "name", "equivalent_level", "min_years_from_below")
    ordering = ("order",)


@admin.register(RankQuota)
class RankQuotaAdmin(SimpleHistoryAdmin):
    list_display = ("unit", "rank", "quota")
    list_select_related = ("unit", "rank")
    search_fields = ("unit__name",)
    autocomplete_fields = ("unit",)


@admin.register(Cadre)
class CadreAdmin(SimpleHistoryAdmin):
    list_display = ("name", "gender", "birth_date", "unit", "current_post", "current_rank", "status")
    list_filter = ("status", "gender", "political_status", "highest_education")
    search_fields = ("name", "name_initials", "id_number")
    list_select_related = ("unit", "current_post", "current_post__unit", "current_rank")
    autocomplete_fields = ("unit",)
    filter_horizontal = ("tags",)

    def save_model(self, request, obj, form, change):
        # The roster's derived columns (name initials, highest education) are kept by the services' helper.
        from . import services

        services.derive_cadre_fields(obj)
        super().save_model(request, obj, form, change)


@admin.register(Appointment)
class AppointmentAdmin(SimpleHistoryAdmin):
    list_display = ("cadre", "post", "start_date", "end_date", "document_no")
    list_select_related = ("cadre", "post", "post__unit")
    search_fields = ("cadre__name", "post__name", "document_no")
    autocomplete_fields = ("cadre", "post")
    date_hierarchy = "start_date"

    def _refresh(self, request, cadre):
        from . import services

        services.refresh_current(cadre, by=request.user)

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            self._refresh(request, obj.cadre)

    def delete_model(self, request, obj):
        with transaction.atomic():
            cadre = obj.cadre
            super().delete_model(request, obj)
            self._refresh(request, cadre)

    def delete_queryset(self, request, queryset):
        for obj in queryset.select_related("cadre"):
            self.delete_model(request, obj)
