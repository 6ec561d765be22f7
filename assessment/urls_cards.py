"""Pages of cards (namespace ``assessment``): reason categories, warning cards with their steps and
evidence, organisational adjustments. Proposals (helper pages of the triggers) join this list."""
from django.urls import path

from .views import cards as v

urlpatterns = [
    # reason categories (事由类别) with the term of each colour
    path("card-reasons/", v.card_reason_list, name="card_reason_list"),
    path("card-reasons/new/", v.card_reason_create, name="card_reason_create"),
    path("card-reasons/<int:pk>/edit/", v.card_reason_edit, name="card_reason_edit"),
    # cards
    path("cards/", v.card_list, name="card_list"),  # filters colour/status/reason/unit/q/dates; sort; paged
    path("cards/export/", v.card_export, name="card_export"),  # ?format=xlsx|csv + the list's filters
    path("cards/new/", v.card_create, name="card_create"),  # ?cadre=: preset
    path("cards/<int:pk>/", v.card_detail, name="card_detail"),
    path("cards/<int:pk>/edit/", v.card_edit, name="card_edit"),  # while 拟发
    path("cards/<int:pk>/issue/", v.card_issue, name="card_issue"),  # POST issue-reason
    path("cards/<int:pk>/appeal/", v.card_appeal, name="card_appeal"),  # POST appeal-grounds
    path("cards/<int:pk>/uphold/", v.card_uphold, name="card_uphold"),  # POST uphold-reason
    path("cards/<int:pk>/revoke/", v.card_revoke, name="card_revoke"),  # POST revoke-reason
    path("cards/<int:pk>/lift/", v.card_lift, name="card_lift"),  # POST lift-reason, lift-lifted_on
    path("cards/<int:pk>/evidence/", v.card_evidence_upload, name="card_evidence_upload"),  # POST files
    path("card-evidence/<int:pk>/", v.card_evidence_download, name="card_evidence_download"),
    path("card-evidence/<int:pk>/preview/", v.card_evidence_preview, name="card_evidence_preview"),
    path("card-evidence/<int:pk>/delete/", v.card_evidence_delete, name="card_evidence_delete"),  # POST, 拟发 only
    # adjustments
    path("adjustments/", v.adjustment_list, name="adjustment_list"),  # ?overdue=true
    path("adjustments/export/", v.adjustment_export, name="adjustment_export"),
    path("adjustments/<int:pk>/", v.adjustment_detail, name="adjustment_detail"),
    path("adjustments/<int:pk>/record/", v.adjustment_record, name="adjustment_record"),  # GET form, POST
]
