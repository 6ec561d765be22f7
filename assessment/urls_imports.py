"""Assessment pages: score import (joined into the ``assessment`` namespace by ``assessment/urls.py``)."""
from django.urls import path

from . import views_imports as v

urlpatterns = [
    path("periods/<int:pk>/scores/import/", v.score_import, name="score_import"),  # GET form, POST upload
    # ?rater_group=&scheme=: the xlsx pre-filled with the scheme's cadres and stored scores
    path("periods/<int:pk>/scores/import/template/", v.score_import_template, name="score_import_template"),
    path("periods/<int:pk>/scores/import/errors/", v.score_import_errors, name="score_import_errors"),  # ?report=
]
