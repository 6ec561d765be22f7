"""Pages of postings (namespace ``promotion``)."""
from django.urls import path  # noqa: F401

urlpatterns = []
