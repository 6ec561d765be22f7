"""Assessment pages: results (joined into the ``assessment`` namespace by ``assessment/urls.py``):
a period's results and export, one result, calibration with the grade override, publication,
leaderboards (实绩比拼) and their export."""
from django.urls import path

from .views import results as v

urlpatterns = [
    path("results/", v.results_index, name="results_index"),
    path("periods/<int:pk>/results/", v.result_list, name="result_list"),
    path("periods/<int:pk>/results/export/", v.result_export, name="result_export"),
    path("periods/<int:pk>/calibration/", v.calibration, name="calibration"),
    path("periods/<int:pk>/publish/", v.period_publish, name="period_publish"),
    path("periods/<int:pk>/leaderboard/", v.leaderboard, name="leaderboard"),
    path("periods/<int:pk>/leaderboard/export/", v.leaderboard_export, name="leaderboard_export"),
    path("results/<int:pk>/", v.result_detail, name="result_detail"),
    path("results/<int:pk>/override/", v.result_override, name="result_override"),
]
