"""Pages of the analysis app (namespace ``analysis``, under /analysis/): the leadership team analysis
(班子研判): the city view and its export, one team, the rules and targets; the city analysis pages
(大数据研判): ``/analysis/<slug>/`` (name ``analysis:<slug>``, ?unit=&start=&end=&period=) and their
export ``/analysis/<slug>/export/`` (``analysis:<slug>_export``, ?table=&format=xlsx|csv), one per
``services.figures.PAGES``: structure, archive, grades, conduct, pool, quota, selection."""
from django.urls import path

from . import views
from .services.figures import PAGES

app_name = "analysis"

urlpatterns = [
    path("teams/", views.team_list, name="team_list"),  # ?unit=&colour=
    path("teams/export/", views.team_export, name="team_export"),  # ?format=xlsx|csv + the filters
    path("teams/<int:pk>/", views.team_detail, name="team_detail"),  # pk: the unit
    path("team-rules/", views.team_rules, name="team_rules"),  # GET everyone with a role, POST org staff
    # auditors' reports (审计报表): GET the catalogue and the generated reports (?kind=&page=), POST generate one
    path("reports/", views.report_list, name="report_list"),
    path("reports/schedule/", views.report_schedule, name="report_schedule"),  # POST org staff
    path("reports/<int:pk>/download/", views.report_download, name="report_download"),  # the PDF
    path("reports/<int:pk>/download/<str:fmt>/", views.report_download, name="report_download"),  # fmt xlsx|pdf
] + [
    p for slug in PAGES for p in (
        path(f"{slug}/", views.figures_page, {"slug": slug}, name=slug),
        path(f"{slug}/export/", views.figures_export, {"slug": slug}, name=f"{slug}_export"),
    )
]
