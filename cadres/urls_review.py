"""URL patterns of the performance archive (review); included by cadres/urls.py."""
from django.urls import path  # noqa: F401

urlpatterns = []
