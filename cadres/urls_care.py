"""URL patterns of the care records (关心关爱); included by cadres/urls.py. One create / edit /
delete per kind (``cadres.services.care.KINDS``: talk, leave, health, overtime, away), named
``care_<kind>_create`` / ``_edit`` / ``_delete``."""
from django.urls import path

from .services.care import KINDS
from .views import care as v

urlpatterns = [
    path("care/", v.care_list, name="care_list"),  # ?kind=<kind> | ?reminder=no_talk|leave|no_checkup, filters
    path("care/export/", v.care_export, name="care_export"),  # ?kind=<kind>&format=xlsx|csv + the list's filters
]
for _kind in KINDS:
    urlpatterns += [
        path(f"<int:pk>/care/{_kind}/new/", v.care_create, {"kind": _kind}, name=f"care_{_kind}_create"),
        path(f"care/{_kind}/<int:pk>/edit/", v.care_edit, {"kind": _kind}, name=f"care_{_kind}_edit"),
        path(f"care/{_kind}/<int:pk>/delete/", v.care_delete, {"kind": _kind}, name=f"care_{_kind}_delete"),
    ]
