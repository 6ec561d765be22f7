"""/api/v1/: every app registers its viewsets on the one router; ``auth/token/`` hands out API tokens."""
from django.urls import path, re_path
from rest_framework.routers import DefaultRouter

from analysis.api import register as register_analysis
from assessment.api import register as register_assessment
from cadres.api import register as register_cadres
from pingdingshan.core.api import not_found
from pingdingshan.core.api_auth import TokenView
from pingdingshan.core.api_jobs import register as register_jobs
from promotion.api import register as register_promotion

router = DefaultRouter()
register_cadres(router)
register_assessment(router)
register_promotion(router)
register_analysis(router)
register_jobs(router)

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    *router.urls,
    # Last: whatever else ends in "/" (a malformed id, an unknown name) gets the API's JSON 404.
    # Paths without the slash still get CommonMiddleware's APPEND_SLASH redirect first.
    re_path(r"^.*/$", not_found, name="api-not-found"),
]
