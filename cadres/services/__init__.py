"""Writes of the cadres app. ``from cadres import services`` gives every service function; the
modules are ``roster.py`` (units, posts, cadres, appointments, ranks) and ``records.py`` (the
performance archive)."""
from .records import *  # noqa: F401,F403
from .roster import *  # noqa: F401,F403
from .roster import _check_post_capacity, _derive_cadre_fields, _refresh_current  # noqa: F401
