"""The nightly ranking's schedule (django-celery-beat's ``PeriodicTask`` named ``tasks.NIGHTLY`` and
its ``CrontabSchedule``), read and changed by org staff on the settings page and through the API.

- ``schedule_get() -> Schedule``: the time (hour, minute, in ``CELERY_TIMEZONE``), on/off and the
  next run time (None when off).
- ``schedule_save(*, by, hour, minute, enabled) -> Schedule``: gate action ``reserve``; hour 0–23
  and minute 0–59 (a Chinese message per field otherwise, nothing changed). The task points at a
  crontab row for exactly that time (an existing identical row or a new one): a crontab row is never
  changed in place, since other periodic tasks may share it. Both models carry the audit history
  (``models/schedule.py``), so the change names who made it.
"""
import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pingdingshan.core import permissions as gate
from pingdingshan.core.schedules import crontab_task_save

from ..tasks import NIGHTLY


@dataclass(frozen=True)
class Schedule:
    hour: int | None
    minute: int | None
    enabled: bool
    next_run: dt.datetime | None
    last_run_at: dt.datetime | None
    exists: bool = True

    @property
    def time(self) -> str:
        if self.hour is None or self.minute is None:
            return ""
        return f"{self.hour:02d}:{self.minute:02d}"


def _task(lock=False):
    from django_celery_beat.models import PeriodicTask

    if lock:  # the task row alone (its crontab is replaced, never changed)
        return PeriodicTask.objects.select_for_update().filter(name=NIGHTLY).first()
    return PeriodicTask.objects.select_related("crontab").filter(name=NIGHTLY).first()


def _int(text):
    try:
        return int(str(text))
    except (TypeError, ValueError):
        return None


def next_run(hour: int, minute: int, *, now=None, tz=None) -> dt.datetime:
    """The next time at ``hour:minute`` (in ``tz``, default CELERY_TIMEZONE) after ``now``."""
    from zoneinfo import ZoneInfo

    zone = tz or ZoneInfo(settings.CELERY_TIMEZONE)
    here = (now or timezone.now()).astimezone(zone)
    at = here.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if at <= here:
        at = (here + dt.timedelta(days=1)).replace(hour=hour, minute=minute, second=0, microsecond=0)
    return at


def schedule_get() -> Schedule:
    task = _task()
    if task is None or task.crontab is None:
        return Schedule(None, None, False, None, None, exists=False)
    hour, minute = _int(task.crontab.hour), _int(task.crontab.minute)
    when = None
    if task.enabled and hour is not None and minute is not None:
        when = next_run(hour, minute, tz=task.crontab.timezone)
    return Schedule(hour, minute, bool(task.enabled), when, task.last_run_at)


def schedule_save(*, by, hour, minute, enabled: bool) -> Schedule:
    gate.require(by, "reserve")
    errors = {}
    h, m = _int(hour), _int(minute)
    if h is None or not 0 <= h <= 23:
        errors["hour"] = [_("小时须为 0 到 23 的整数。")]
    if m is None or not 0 <= m <= 59:
        errors["minute"] = [_("分钟须为 0 到 59 的整数。")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        gate.require(by, "reserve")
        crontab_task_save(name=NIGHTLY, task="promotion.rank_pools", description="储备库每日排名", enabled=enabled,
                          minute=m, hour=h)
    return schedule_get()


def schedule_changes(*, limit: int = 10) -> list[dict]:
    """The schedule's latest changes from its audit history, newest first: when, who, the time
    and on/off it was set to (beat's own saves of its last run time, by nobody, are left out)."""
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    rows = list(PeriodicTask.history.filter(name=NIGHTLY, history_user__isnull=False).select_related("history_user")
                .order_by("-history_date", "-history_id")[:limit])
    crontabs = CrontabSchedule.objects.in_bulk({r.crontab_id for r in rows if r.crontab_id})
    out = []
    for r in rows:
        c = crontabs.get(r.crontab_id)
        time = f"{_int(c.hour):02d}:{_int(c.minute):02d}" if c and _int(c.hour) is not None and _int(
            c.minute) is not None else ""
        out.append({"at": r.history_date, "by": r.history_user, "time": time, "enabled": r.enabled,
                    "type": r.history_type, "request_id": r.request_id})
    return out
