"""Promotion pages (namespace ``promotion``): frontline postings and programmes (``urls_postings.py``),
pools, industries, categories, criteria, candidates and entries (``urls_pools.py``), rankings, runs,
history, diff and the schedule (``urls_ranking.py``), the selection record (``urls_selection.py``), the
vacancies and their candidates (``urls_vacancies.py``), the 9-box (``urls_ninebox.py``)."""
from . import urls_ninebox, urls_pools, urls_postings, urls_ranking, urls_selection, urls_vacancies

app_name = "promotion"
urlpatterns = urls_postings.urlpatterns + urls_pools.urlpatterns + urls_ranking.urlpatterns
urlpatterns += urls_selection.urlpatterns  # 选任纪实 (issue 13)
urlpatterns += urls_vacancies.urlpatterns  # 空缺岗位与人选 (issue 13)
urlpatterns += urls_ninebox.urlpatterns  # 九宫格 (issue 13)
