"""Pages of postings (namespace ``promotion``): the programmes (实践练兵项目) and the frontline
postings (墩苗育苗) with their steps."""
from django.urls import path

from .views import postings as v

urlpatterns = [
    # programmes: an editable list (org staff)
    path("programmes/", v.programme_list, name="programme_list"),
    path("programmes/new/", v.programme_create, name="programme_create"),
    path("programmes/<int:pk>/edit/", v.programme_edit, name="programme_edit"),
    # postings
    path("postings/", v.posting_list, name="posting_list"),  # filters q/programme/status/evaluation/unit/on/dates
    path("postings/export/", v.posting_export, name="posting_export"),  # ?format=xlsx|csv + the list's filters
    path("postings/new/", v.posting_create, name="posting_create"),  # ?cadre=: preset
    path("postings/<int:pk>/", v.posting_detail, name="posting_detail"),
    path("postings/<int:pk>/edit/", v.posting_edit, name="posting_edit"),  # while 待审批
    path("postings/<int:pk>/approve/", v.posting_approve, name="posting_approve"),  # POST approve-reason
    path("postings/<int:pk>/reject/", v.posting_reject, name="posting_reject"),  # POST reject-reason (required)
    path("postings/<int:pk>/withdraw/", v.posting_withdraw, name="posting_withdraw"),  # POST withdraw-reason
    path("postings/<int:pk>/close/", v.posting_close, name="posting_close"),  # POST close-evaluation/remarks/evaluated_on
]
