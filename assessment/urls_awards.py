"""Pages of awards (namespace ``assessment``)."""
urlpatterns: list = []
