"""The demo / developer settings: DEBUG on, SQLite unless DATABASE_URL is set."""
import os

os.environ.setdefault("DEBUG", "true")

from .base import *  # noqa: E402,F403
from .base import env  # noqa: E402

SECRET_KEY = env("SECRET_KEY", default="demo-only-not-secret-3f6c1c6e0c1b4b52a0b0c9e4d3f2a1b0")
DEBUG = env.bool("DEBUG", default=True)
# The demo has no worker: long work runs in a thread of the web process, with its progress shown.
JOBS_IN_THREAD = env.bool("JOBS_IN_THREAD", default=True)
