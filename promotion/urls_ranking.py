"""Pages of ranking (namespace ``promotion``): a pool's ranking in a run with each entry's
explanation and the export, the runs (list, start, one run), the diff of two runs and the nightly
schedule's settings."""
from django.urls import path

from .views import ranking as v

urlpatterns = [
    path("pools/<int:pk>/ranking/", v.pool_ranking, name="pool_ranking"),  # ?run= (default current), filters
    path("pools/<int:pk>/ranking/export/", v.pool_ranking_export, name="pool_ranking_export"),  # ?format=&run=
    path("ranking-entries/<int:pk>/explain/", v.ranking_entry_explain, name="ranking_entry_explain"),  # htmx
    path("runs/", v.run_list, name="run_list"),
    path("runs/start/", v.run_start, name="run_start"),  # POST: starts the job
    path("runs/diff/", v.run_diff, name="run_diff"),  # ?pool=&a=&b=
    path("runs/<int:pk>/", v.run_detail, name="run_detail"),
    path("settings/", v.ranking_settings, name="settings"),  # the nightly run's time
]
