"""REST API of the roster (``views.py``) and of the performance archive (``records.py``) under
``/api/v1/``; ``register(router)`` is called by ``pingdingshan/api_urls.py``."""
from .views import register as _register_roster


def register(router):
    from .records import register_records

    _register_roster(router)
    register_records(router)
    return router


__all__ = ["register"]
