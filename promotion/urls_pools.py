"""Pages of pools (namespace ``promotion``): the pools and their export, a pool's page with its
entries by tab, the pool form, a pool's candidates with nomination and their export, the entry steps,
and the industry and category lists."""
from django.urls import path

from .views import pools as v

urlpatterns = [
    path("pools/", v.pool_list, name="pool_list"),  # ?view=grid|table, filters q/industry/category/is_active; sort; paged
    path("pools/export/", v.pool_export, name="pool_export"),  # ?format=xlsx|csv + the list's filters
    path("pools/new/", v.pool_create, name="pool_create"),
    path("pools/<int:pk>/", v.pool_detail, name="pool_detail"),  # ?tab=admitted|nominated|flagged|removed
    path("pools/<int:pk>/edit/", v.pool_edit, name="pool_edit"),
    path("pools/<int:pk>/candidates/", v.pool_candidates, name="pool_candidates"),  # q, unit; paged
    path("pools/<int:pk>/candidates/export/", v.pool_candidates_export, name="pool_candidates_export"),
    path("pools/<int:pk>/nominate/", v.pool_nominate, name="pool_nominate"),  # POST cadres=…&cadres=…, note
    path("entries/<int:pk>/admit/", v.entry_admit, name="entry_admit"),  # POST admit-reason
    path("entries/<int:pk>/remove/", v.entry_remove, name="entry_remove"),  # POST remove-reason (required)
    path("industries/", v.industry_list, name="industry_list"),
    path("industries/new/", v.industry_create, name="industry_create"),
    path("industries/<int:pk>/edit/", v.industry_edit, name="industry_edit"),
    path("industries/<int:pk>/delete/", v.industry_delete, name="industry_delete"),  # POST; used: deactivated
    path("categories/", v.category_list, name="category_list"),
    path("categories/new/", v.category_create, name="category_create"),
    path("categories/<int:pk>/edit/", v.category_edit, name="category_edit"),
    path("categories/<int:pk>/delete/", v.category_delete, name="category_delete"),  # POST; used: deactivated
]
