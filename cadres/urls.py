"""Roster pages. The names here are the contract other code (nav, tests, bench) relies on."""
from django.urls import path

from . import urls_care, urls_imports, urls_lrmx, urls_records, urls_review, views

app_name = "cadres"
urlpatterns = [
    path("", views.cadre_list, name="cadre_list"),  # roster (filters, sort, pagination)
    path("export/", views.cadre_export, name="cadre_export"),  # ?format=xlsx|csv + the roster's filters
    path("new/", views.cadre_create, name="cadre_create"),
    path("<int:pk>/", views.cadre_detail, name="cadre_detail"),  # ?tab=profile|posts|career|training|history
    path("<int:pk>/edit/", views.cadre_edit, name="cadre_edit"),
    path("<int:pk>/delete/", views.cadre_delete, name="cadre_delete"),
    path("<int:pk>/photo/", views.cadre_photo, name="cadre_photo"),  # gated image
    path("<int:pk>/appointments/new/", views.appointment_create, name="appointment_create"),
    path("appointments/<int:pk>/end/", views.appointment_end, name="appointment_end"),
    path("appointments/<int:pk>/delete/", views.appointment_delete, name="appointment_delete"),
    path("<int:pk>/ranks/new/", views.rank_assign, name="rank_assign"),
    path("<int:pk>/career/new/", views.career_create, name="career_create"),
    path("career/<int:pk>/edit/", views.career_edit, name="career_edit"),
    path("career/<int:pk>/delete/", views.career_delete, name="career_delete"),
    path("<int:pk>/training/new/", views.training_create, name="training_create"),
    path("training/<int:pk>/edit/", views.training_edit, name="training_edit"),
    path("training/<int:pk>/delete/", views.training_delete, name="training_delete"),
    path("units/", views.unit_tree, name="unit_tree"),
    path("units/new/", views.unit_create, name="unit_create"),  # ?parent=<pk>
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),  # posts with quota used/free, cadres
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("units/<int:pk>/delete/", views.unit_delete, name="unit_delete"),
    path("units/<int:pk>/posts/new/", views.post_create, name="post_create"),
    path("posts/<int:pk>/edit/", views.post_edit, name="post_edit"),
    path("posts/<int:pk>/delete/", views.post_delete, name="post_delete"),
    path("units/<int:pk>/rank-quotas/", views.rank_quotas, name="rank_quotas"),
]
urlpatterns += (urls_records.urlpatterns + urls_review.urlpatterns + urls_imports.urlpatterns
                + urls_lrmx.urlpatterns + urls_care.urlpatterns)
