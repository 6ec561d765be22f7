"""The audit history of the nightly run's schedule: django-celery-beat's ``PeriodicTask`` and
``CrontabSchedule`` (models we do not own) registered with the project's simple-history
configuration (``core.audit.audit_register``), their history tables kept in this app (migration
0003). Org staff change the run's time on the settings page (``services.schedule``); each change is
a history row naming who, when and the request, like every other change."""
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from pingdingshan.core.audit import audit_register

audit_register(PeriodicTask, app="promotion")
audit_register(CrontabSchedule, app="promotion")
