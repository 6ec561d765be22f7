"""Pages of awards and selection campaigns (namespace ``assessment``): award kinds, awards with
their evidence files, campaigns with their quotas, steps and decision, and nominations."""
from django.urls import path

from .views import awards as v

urlpatterns = [
    path("award-kinds/", v.award_kind_list, name="award_kind_list"),
    path("award-kinds/new/", v.award_kind_create, name="award_kind_create"),
    path("award-kinds/<int:pk>/edit/", v.award_kind_edit, name="award_kind_edit"),
    path("awards/", v.award_list, name="award_list"),
    path("awards/export/", v.award_export, name="award_export"),
    path("awards/new/", v.award_create, name="award_create"),
    path("awards/<int:pk>/", v.award_detail, name="award_detail"),
    path("awards/<int:pk>/revoke/", v.award_revoke, name="award_revoke"),
    path("awards/<int:pk>/evidence/", v.award_evidence_upload, name="award_evidence_upload"),
    path("award-evidence/<int:pk>/download/", v.award_evidence_download, name="award_evidence_download"),
    path("award-evidence/<int:pk>/preview/", v.award_evidence_preview, name="award_evidence_preview"),
    path("award-evidence/<int:pk>/delete/", v.award_evidence_delete, name="award_evidence_delete"),
    path("campaigns/", v.campaign_list, name="campaign_list"),
    path("campaigns/new/", v.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", v.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", v.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/quotas/", v.campaign_quotas, name="campaign_quotas"),
    path("campaigns/<int:pk>/open/", v.campaign_open, name="campaign_open"),
    path("campaigns/<int:pk>/close/", v.campaign_close, name="campaign_close"),
    path("campaigns/<int:pk>/notice/", v.campaign_notice, name="campaign_notice"),
    path("campaigns/<int:pk>/cancel/", v.campaign_cancel, name="campaign_cancel"),
    path("campaigns/<int:pk>/decide/", v.campaign_decide, name="campaign_decide"),
    path("campaigns/<int:pk>/nominate/", v.nomination_create, name="nomination_create"),
    path("nominations/<int:pk>/", v.nomination_detail, name="nomination_detail"),
    path("nominations/<int:pk>/withdraw/", v.nomination_withdraw, name="nomination_withdraw"),
    path("nominations/<int:pk>/shortlist/", v.nomination_shortlist, name="nomination_shortlist"),
    path("nominations/<int:pk>/reject/", v.nomination_reject, name="nomination_reject"),
]
