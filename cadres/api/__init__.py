"""REST API of the roster under ``/api/v1/`` (see ``views.py``); ``register(router)`` is called by
``pingdingshan/api_urls.py``."""
from .views import register

__all__ = ["register"]
