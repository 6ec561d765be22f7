"""Settings for the test suite: PostgreSQL from DATABASE_URL (scripts/test.sh sets it)."""
from .base import *  # noqa: F403
from .base import env

SECRET_KEY = "test-secret-key-not-for-production-0123456789abcdef"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
MEDIA_ROOT = VAR_DIR / "test-media"  # noqa: F405
# WhiteNoise reads every file under STATIC_ROOT when its middleware starts, which the test client does
# once per test: after a collectstatic for the demo (2,500 files, the fonts and vendor packages) the
# permission matrix ran 4× slower. The tests keep an empty root of their own (the live-server tests
# serve static files through the finders).
STATIC_ROOT = VAR_DIR / "test-static"  # noqa: F405
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {  # noqa: F405
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LANGUAGE_CODE = "zh-hans"
# The test database need not survive a crash of the server: commits do not wait for the write-ahead
# log to reach the disk (what the tests see is the same; the committed tests and the migrations of
# each run's fresh database commit often).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"  # noqa: F405
