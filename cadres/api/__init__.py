"""REST API of the roster (``views.py``) and of the performance archive (``records.py``) and the care
records (``care.py``) under
``/api/v1/``; ``register(router)`` is called by ``pingdingshan/api_urls.py``."""
from .views import register as _register_roster


def register(router):
    from .care import register_care
    from .records import register_records

    _register_roster(router)
    register_records(router)
    register_care(router)
    return router


__all__ = ["register"]
