"""Settings for the test suite: PostgreSQL from DATABASE_URL (scripts/test.sh sets it)."""
from .base import *  # noqa: F403
from .base import env

SECRET_KEY = "test-secret-key-not-for-production-0123456789abcdef"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
MEDIA_ROOT = VAR_DIR / "test-media"  # noqa: F405
STORAGES = {  # noqa: F405
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LANGUAGE_CODE = "zh-hans"
