"""URL patterns of the performance archive (review); included by cadres/urls.py."""
from django.urls import path

from .views import review as v

urlpatterns = [
    path("review/", v.review_queue, name="review_queue"),  # submitted records, oldest first, filters, counts per unit
    path("review/export/", v.review_export, name="review_export"),  # ?format=xlsx|csv + the queue's filters
    path("review/bulk-verify/", v.review_bulk_verify, name="review_bulk_verify"),  # POST ids=…: all or nothing
    path("review/<int:pk>/", v.record_review, name="record_review"),  # one record: evidence, duplicates, points
    path("review/<int:pk>/verify/", v.record_verify, name="record_verify"),  # POST adjustment, adjustment_reason
    path("review/<int:pk>/return/", v.record_return, name="record_return"),  # POST reason (required)
    path("categories/", v.category_list, name="category_list"),  # categories with points per role
    path("categories/new/", v.category_create, name="category_create"),
    path("categories/<int:pk>/edit/", v.category_edit, name="category_edit"),
]
