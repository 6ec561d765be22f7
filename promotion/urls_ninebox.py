"""Pages of the 9-box (九宫格, namespace ``promotion``, under /reserve/): the grid and its export, the
cut-offs' settings, and the two actions from a box's cadre."""
from django.urls import path

from .views import ninebox as v

urlpatterns = [
    path("ninebox/", v.ninebox, name="ninebox"),  # ?pool= | ?tier=&category=, unit
    path("ninebox/export/", v.ninebox_export, name="ninebox_export"),  # ?format=xlsx|csv + the filters
    path("ninebox/settings/", v.ninebox_settings, name="ninebox_settings"),
    path("ninebox/cadres/<int:pk>/nominate/", v.ninebox_nominate, name="ninebox_nominate"),  # ?next=
    path("ninebox/cadres/<int:pk>/put-forward/", v.ninebox_put_forward, name="ninebox_put_forward"),  # ?next=
]
