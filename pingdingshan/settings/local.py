"""The demo / developer settings: SQLite unless DATABASE_URL is set, DEBUG off unless DEBUG=true.

DEBUG stays off by default so that a pilot on an intranet host shows our own 404/500 pages and
never Django's debug page with the settings; `DEBUG=true` opts in on a developer's machine.
"""
from .base import *  # noqa: F403
from .base import env

SECRET_KEY = env("SECRET_KEY", default="demo-only-not-secret-3f6c1c6e0c1b4b52a0b0c9e4d3f2a1b0")
DEBUG = env.bool("DEBUG", default=False)
# The demo runs without collectstatic: WhiteNoise serves the static files straight from the
# finders (static/ and the npm packages), with DEBUG on or off.
WHITENOISE_USE_FINDERS = True
# The demo has no worker: long work runs in a thread of the web process, with its progress shown.
JOBS_IN_THREAD = env.bool("JOBS_IN_THREAD", default=True)
