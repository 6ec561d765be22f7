"""URL patterns of the performance archive (records); included by cadres/urls.py."""
from django.urls import path

from .views import records as v

urlpatterns = [
    path("records/", v.record_list, name="record_list"),  # filters, sort, status tabs, pagination
    path("records/export/", v.record_export, name="record_export"),  # ?format=xlsx|csv + the list's filters
    path("records/new/", v.record_create, name="record_create"),  # ?cadre=<pk> preselects
    path("records/cadre-search/", v.record_cadre_search, name="record_cadre_search"),  # htmx <option>s
    path("records/<int:pk>/", v.record_detail, name="record_detail"),
    path("records/<int:pk>/edit/", v.record_edit, name="record_edit"),
    path("records/<int:pk>/submit/", v.record_submit, name="record_submit"),
    path("records/<int:pk>/withdraw/", v.record_withdraw, name="record_withdraw"),
    path("records/<int:pk>/delete/", v.record_delete, name="record_delete"),
    path("records/<int:pk>/amend/", v.record_amend, name="record_amend"),
    path("records/<int:pk>/evidence/", v.evidence_upload, name="evidence_upload"),
    path("evidence/<int:pk>/download/", v.evidence_download, name="evidence_download"),
    path("evidence/<int:pk>/preview/", v.evidence_preview, name="evidence_preview"),
    path("evidence/<int:pk>/delete/", v.evidence_delete, name="evidence_delete"),
]
