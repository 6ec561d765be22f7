"""Pages of reminders (namespace ``assessment``)."""
urlpatterns: list = []
