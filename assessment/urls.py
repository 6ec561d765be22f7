"""Assessment pages (namespace ``assessment``): set-up and scoring (``urls_setup.py``), results,
calibration and leaderboards (``urls_results.py``), score import (``urls_imports.py``); cards and
adjustments (``urls_cards.py``), card proposals (``urls_proposals.py``), awards and campaigns
(``urls_awards.py``), tolerance rulings, risk filings and clarifications (``urls_protection.py``),
reminders (``urls_reminders.py``)."""
from . import (
    urls_awards,
    urls_cards,
    urls_imports,
    urls_proposals,
    urls_protection,
    urls_reminders,
    urls_results,
    urls_setup,
)

app_name = "assessment"
urlpatterns = (urls_setup.urlpatterns + urls_results.urlpatterns + urls_imports.urlpatterns + urls_cards.urlpatterns
               + urls_proposals.urlpatterns + urls_awards.urlpatterns + urls_protection.urlpatterns
               + urls_reminders.urlpatterns)
