"""Pages of protection (namespace ``assessment``)."""
urlpatterns: list = []
