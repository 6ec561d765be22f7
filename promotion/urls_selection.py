"""Pages of the selection record (选任纪实, namespace ``promotion``, under /reserve/): the list and its
export, the create form, the record page, one form per step, posts, candidates and documents."""
from django.urls import path

from .services.selection import STEP_ACTIONS
from .views import post_eligibility as pev
from .views import selection as v

urlpatterns = [
    path("selections/", v.selection_list, name="selection_list"),  # filters status/kind/unit/year/q; sort; paged
    path("selections/export/", v.selection_export, name="selection_export"),  # ?format=xlsx|csv + the filters
    path("selections/new/", v.selection_create, name="selection_create"),
    path("selections/<int:pk>/", v.selection_detail, name="selection_detail"),
    path("selections/<int:pk>/edit/", v.selection_edit, name="selection_edit"),  # while 分析研判和动议
    path("selections/<int:pk>/posts/new/", v.selection_post_add, name="selection_post_add"),
    path("selection-posts/<int:pk>/remove/", v.selection_post_remove, name="selection_post_remove"),  # POST
    path("selections/<int:pk>/candidates/new/", v.selection_candidate_add, name="selection_candidate_add"),
    path("selection-candidates/<int:pk>/remove/", v.selection_candidate_remove,
         name="selection_candidate_remove"),  # POST
    path("selections/<int:pk>/documents/", v.selection_document_upload, name="selection_document_upload"),  # POST
    path("selection-documents/<int:pk>/", v.selection_document_download, name="selection_document_download"),
    path("selection-documents/<int:pk>/delete/", v.selection_document_delete,
         name="selection_document_delete"),  # POST, while the record is open
    path("selection-documents/<int:pk>/preview/", v.selection_document_preview, name="selection_document_preview"),
    path("post-eligibility/", pev.post_eligibility_check, name="post_eligibility"),  # ?cadre=&post=&exceptional=&on=
    path("selection-rules/", pev.selection_rules, name="selection_rules"),  # GET everyone; POST org staff
] + [  # one form per step: GET the form, POST records the step
    path(f"selections/<int:pk>/{action.replace('_', '-')}/", v.selection_step, {"action": action},
         name=f"selection_{action}")
    for action in STEP_ACTIONS
]
