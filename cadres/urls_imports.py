"""URL patterns of the performance archive (imports); included by cadres/urls.py."""
from django.urls import path  # noqa: F401

urlpatterns = []
