"""Assessment pages: setup (joined into the ``assessment`` namespace by ``assessment/urls.py``)."""
from django.urls import path

from .views import schemes as sv
from .views import scores
from .views import setup as v

urlpatterns = [
    path("", v.assessment_home, name="home"),  # → the period list
    # periods
    path("periods/", v.period_list, name="period_list"),  # filters kind, year, status; sort; paged
    path("periods/export/", v.period_export, name="period_export"),  # ?format=xlsx|csv + the list's filters
    path("periods/new/", v.period_create, name="period_create"),
    path("periods/<int:pk>/", v.period_detail, name="period_detail"),  # state, schemes, groups, problems, cadres
    path("periods/<int:pk>/edit/", v.period_edit, name="period_edit"),
    path("periods/<int:pk>/schemes/", v.period_schemes, name="period_schemes"),  # the schemes in force
    path("periods/<int:pk>/rater-groups/", v.period_rater_groups, name="period_rater_groups"),  # weights per tier
    path("periods/<int:pk>/enrol/", v.period_enrol, name="period_enrol"),  # POST: enrol, back to the period
    path("periods/<int:pk>/left-out/", v.period_left_out, name="period_left_out"),  # who is not enrolled and why
    path("periods/<int:pk>/open/", v.period_open, name="period_open"),  # POST: start scoring
    path("periods/<int:pk>/compute/", v.period_compute, name="period_compute"),  # POST: composites and grades
    path("periods/enrolled/<int:pk>/remove/", v.result_remove, name="result_remove"),  # POST: take a cadre out
    path("rater-groups/<int:pk>/scores/", scores.score_entry, name="score_entry"),  # ?scheme=&unit=&q=; POST grid
    # schemes
    path("schemes/", sv.scheme_list, name="scheme_list"),
    path("schemes/export/", sv.scheme_export, name="scheme_export"),
    path("schemes/new/", sv.scheme_create, name="scheme_create"),
    path("schemes/<int:pk>/", sv.scheme_detail, name="scheme_detail"),
    path("schemes/<int:pk>/edit/", sv.scheme_edit, name="scheme_edit"),  # the draft with all its indicators
    path("schemes/<int:pk>/publish/", sv.scheme_publish, name="scheme_publish"),  # POST
    path("schemes/<int:pk>/new-version/", sv.scheme_new_version, name="scheme_new_version"),  # POST
    path("schemes/<int:pk>/copy/", sv.scheme_copy, name="scheme_copy"),  # year
    path("schemes/<int:pk>/delete/", sv.scheme_delete, name="scheme_delete"),  # POST, drafts only
    # tiers, categories, units placed in a category
    path("tiers/", sv.tier_list, name="tier_list"),
    path("tiers/new/", sv.tier_create, name="tier_create"),
    path("tiers/<int:pk>/edit/", sv.tier_edit, name="tier_edit"),
    path("categories/", sv.category_list, name="category_list"),
    path("categories/new/", sv.category_create, name="category_create"),
    path("categories/<int:pk>/edit/", sv.category_edit, name="category_edit"),
    path("categories/unit/", sv.unit_category, name="unit_category"),  # ?unit=: place a unit explicitly
]
