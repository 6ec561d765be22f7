from django.urls import path

from . import views, views_jobs, views_notifications

app_name = "core"
urlpatterns = [
    path("health/", views.health, name="health"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/roles/", views.role_assign, name="role_assign"),
    path("users/roles/<int:pk>/revoke/", views.role_revoke, name="role_revoke"),
    path("users/<int:pk>/toggle-active/", views.user_toggle_active, name="user_toggle_active"),
    path("users/<int:pk>/unlock/", views.user_unlock, name="user_unlock"),
    path("audit/", views.audit_log, name="audit_log"),
    path("audit/exports/", views.export_log, name="export_log"),
    path("jobs/", views_jobs.job_list, name="job_list"),
    path("jobs/<uuid:pk>/", views_jobs.job_detail, name="job_detail"),  # HX-Request: the status partial
    path("jobs/<uuid:pk>/file/", views_jobs.job_file, name="job_file"),
    path("notifications/", views_notifications.notifications, name="notifications"),  # ?show=unread
    path("notifications/read-all/", views_notifications.notifications_read_all, name="notifications_read_all"),
    path("notifications/<int:pk>/", views_notifications.notification_open, name="notification_open"),
]
