"""Pages of pools (namespace ``promotion``)."""
from django.urls import path  # noqa: F401

urlpatterns = []
