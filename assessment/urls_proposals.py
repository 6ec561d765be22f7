"""Pages of the card proposals (红黄牌提示, namespace ``assessment``)."""
from django.urls import path

from .views import proposals as v

urlpatterns = [
    path("proposals/", v.proposal_list, name="proposal_list"),
    path("proposals/export/", v.proposal_export, name="proposal_export"),
    path("proposals/run/", v.proposal_run, name="proposal_run"),
    path("proposals/<int:pk>/", v.proposal_detail, name="proposal_detail"),
    path("proposals/<int:pk>/confirm/", v.proposal_confirm, name="proposal_confirm"),
    path("proposals/<int:pk>/dismiss/", v.proposal_dismiss, name="proposal_dismiss"),
]
