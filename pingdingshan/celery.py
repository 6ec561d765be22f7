"""The Celery app. Configured from Django settings with the CELERY_ prefix (JSON only, time limits)."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pingdingshan.settings.local")

app = Celery("pingdingshan")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
