"""URL patterns of the 干部任免审批表 (LRMX): family members, the form's texts, the downloads and the
.lrmx import; included by cadres/urls.py."""
from django.urls import path

from .views import cadre as c
from .views import lrmx as v

urlpatterns = [
    path("<int:pk>/lrmx/edit/", v.cadre_lrmx_edit, name="cadre_lrmx_edit"),  # 奖惩情况, 任免理由 …
    path("<int:pk>/lrmx/", v.cadre_lrmx, name="cadre_lrmx"),  # the .lrmx file
    path("<int:pk>/lrmx/pdf/", v.cadre_lrmx_pdf, name="cadre_lrmx_pdf"),
    path("<int:pk>/lrmx/docx/", v.cadre_lrmx_docx, name="cadre_lrmx_docx"),
    path("<int:pk>/family/new/", c.family_create, name="family_create"),
    path("family/<int:pk>/edit/", c.family_edit, name="family_edit"),
    path("family/<int:pk>/delete/", c.family_delete, name="family_delete"),
    path("lrmx/import/", v.lrmx_import, name="lrmx_import"),  # GET the form, POST .lrmx files → the check job
    path("lrmx/import/apply/", v.lrmx_import_apply, name="lrmx_import_apply"),  # POST job=<check job id>
]
