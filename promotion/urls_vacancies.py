"""Pages of the vacancies (空缺岗位, namespace ``promotion``, under /reserve/): the list and its export,
a vacancy's candidates, and starting a selection record with the ticked ones."""
from django.urls import path

from .views import vacancies as v

urlpatterns = [
    path("vacancies/", v.vacancy_list, name="vacancy_list"),  # filters unit/level/kind/reason/months/industry/category
    path("vacancies/export/", v.vacancy_export, name="vacancy_export"),  # ?format=xlsx|csv + the filters
    path("vacancies/<int:pk>/", v.vacancy_candidates, name="vacancy_candidates"),  # pk: the post; ?readiness=
    path("vacancies/<int:pk>/start-selection/", v.vacancy_start_selection,
         name="vacancy_start_selection"),  # POST cadres=…, title, kind
]
