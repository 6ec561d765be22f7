"""URL patterns of the performance archive (imports); included by cadres/urls.py."""
from django.urls import path

from .views import imports as v

urlpatterns = [
    path("records/import/", v.record_import, name="record_import"),  # GET the form, POST an .xlsx/.csv upload
    path("records/import/template/", v.record_import_template, name="record_import_template"),  # the xlsx template
    path("records/import/status/", v.record_import_status, name="record_import_status"),  # ?job=<id>; htmx partial
    path("records/import/errors/", v.record_import_errors, name="record_import_errors"),  # ?job=<id>; error xlsx
]
