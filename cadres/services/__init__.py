"""Writes of the cadres app. ``from cadres import services`` gives every service function; the
modules are ``roster.py`` (units, posts, cadres, appointments, ranks) and ``records.py`` (the
performance archive) and ``care.py`` (care records, 关心关爱)."""
from .care import *  # noqa: F401,F403
from .records import *  # noqa: F401,F403
from .roster import *  # noqa: F401,F403
from .roster import check_post_capacity, derive_cadre_fields, refresh_current  # noqa: F401
