"""/api/v1/: every app registers its viewsets on the one router."""
from rest_framework.routers import DefaultRouter

from cadres.api import register as register_cadres

router = DefaultRouter()
register_cadres(router)

urlpatterns = router.urls
