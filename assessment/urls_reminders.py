"""Pages of reminders (担当提醒) and sanctions (处分) (namespace ``assessment``)."""
from django.urls import path

from .views import reminders as v

urlpatterns: list = [
    path("reminders/", v.reminder_list, name="reminder_list"),
    path("reminders/export/", v.reminder_export, name="reminder_export"),
    path("reminders/new/", v.reminder_create, name="reminder_create"),
    path("reminders/suggestions/", v.reminder_suggestions, name="reminder_suggestions"),
    path("reminders/<int:pk>/", v.reminder_detail, name="reminder_detail"),
    path("reminders/<int:pk>/edit/", v.reminder_edit, name="reminder_edit"),
    path("reminders/<int:pk>/follow-up/", v.reminder_follow_up, name="reminder_follow_up"),
    path("sanctions/", v.sanction_list, name="sanction_list"),
    path("sanctions/export/", v.sanction_export, name="sanction_export"),
    path("sanctions/new/", v.sanction_create, name="sanction_create"),
    path("sanctions/<int:pk>/", v.sanction_detail, name="sanction_detail"),
    path("sanctions/<int:pk>/revoke/", v.sanction_revoke, name="sanction_revoke"),
]
