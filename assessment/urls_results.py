"""Assessment pages: results (joined into the ``assessment`` namespace by ``assessment/urls.py``)."""
urlpatterns = []
