"""Assessment pages: imports (joined into the ``assessment`` namespace by ``assessment/urls.py``)."""
urlpatterns = []
