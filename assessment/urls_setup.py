"""Assessment pages: setup (joined into the ``assessment`` namespace by ``assessment/urls.py``)."""
urlpatterns = []
