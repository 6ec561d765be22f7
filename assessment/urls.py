"""Assessment pages (namespace ``assessment``): set-up and scoring (``urls_setup.py``), results,
calibration and leaderboards (``urls_results.py``), score import (``urls_imports.py``)."""
from . import urls_imports, urls_results, urls_setup

app_name = "assessment"
urlpatterns = urls_setup.urlpatterns + urls_results.urlpatterns + urls_imports.urlpatterns
