"""Roster pages. The names here are the contract other code (nav, tests, bench) relies on."""
from django.urls import path  # noqa: F401

app_name = "cadres"
urlpatterns = [
    # Filled in by the roster pages work:
    # ""                                  cadre_list      roster (filters, sort, pagination)
    # "export/"                           cadre_export    ?format=xlsx|csv + the roster's filters
    # "new/"                              cadre_create
    # "<int:pk>/"                         cadre_detail    ?tab=profile|posts|career|training|history
    # "<int:pk>/edit/"                    cadre_edit
    # "<int:pk>/delete/"                  cadre_delete
    # "<int:pk>/photo/"                   cadre_photo     gated image
    # "<int:pk>/appointments/new/"        appointment_create
    # "appointments/<int:pk>/end/"        appointment_end
    # "appointments/<int:pk>/delete/"     appointment_delete
    # "<int:pk>/ranks/new/"               rank_assign
    # "<int:pk>/career/new/"              career_create   "career/<int:pk>/edit/" career_edit  ".../delete/" career_delete
    # "<int:pk>/training/new/"            training_create "training/<int:pk>/edit/" ...          training_delete
    # "units/"                            unit_tree
    # "units/new/"                        unit_create     ?parent=<pk>
    # "units/<int:pk>/"                   unit_detail     posts with quota used/free, cadres
    # "units/<int:pk>/edit/"              unit_edit       "units/<int:pk>/delete/" unit_delete
    # "units/<int:pk>/posts/new/"         post_create     "posts/<int:pk>/edit/" post_edit  "posts/<int:pk>/delete/" post_delete
    # "units/<int:pk>/rank-quotas/"       rank_quotas
]
