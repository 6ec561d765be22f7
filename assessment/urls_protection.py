"""Pages of protection (namespace ``assessment``): tolerance rulings (容错裁定), risk filings
(报备免责) and clarifications (澄清正名)."""
from django.urls import path

from .views import protection as v

urlpatterns: list = [
    path("rulings/", v.ruling_list, name="ruling_list"),
    path("rulings/export/", v.ruling_export, name="ruling_export"),
    path("rulings/new/", v.ruling_create, name="ruling_create"),
    path("rulings/<int:pk>/", v.ruling_detail, name="ruling_detail"),
    path("rulings/<int:pk>/accept/", v.ruling_accept, name="ruling_accept"),
    path("rulings/<int:pk>/reject/", v.ruling_reject, name="ruling_reject"),
    path("rulings/<int:pk>/verify/", v.ruling_verify, name="ruling_verify"),
    path("rulings/<int:pk>/decide/", v.ruling_decide, name="ruling_decide"),
    path("rulings/<int:pk>/report/", v.ruling_report, name="ruling_report"),
    path("rulings/<int:pk>/evidence/", v.ruling_evidence_upload, name="ruling_evidence_upload"),
    path("ruling-evidence/<int:pk>/", v.ruling_evidence_download, name="ruling_evidence_download"),
    path("ruling-evidence/<int:pk>/preview/", v.ruling_evidence_preview, name="ruling_evidence_preview"),
    path("ruling-evidence/<int:pk>/delete/", v.ruling_evidence_delete, name="ruling_evidence_delete"),
    path("risk-filings/", v.filing_list, name="filing_list"),
    path("risk-filings/export/", v.filing_export, name="filing_export"),
    path("risk-filings/new/", v.filing_create, name="filing_create"),
    path("risk-filings/<int:pk>/", v.filing_detail, name="filing_detail"),
    path("risk-filings/<int:pk>/acknowledge/", v.filing_acknowledge, name="filing_acknowledge"),
    path("clarifications/", v.clarification_list, name="clarification_list"),
    path("clarifications/export/", v.clarification_export, name="clarification_export"),
    path("clarifications/new/", v.clarification_create, name="clarification_create"),
    path("clarifications/<int:pk>/", v.clarification_detail, name="clarification_detail"),
    path("clarifications/<int:pk>/follow-up/", v.clarification_follow_up, name="clarification_follow_up"),
]
