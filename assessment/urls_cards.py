"""Pages of cards (namespace ``assessment``)."""
urlpatterns: list = []
