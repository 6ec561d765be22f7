"""Periodic tasks org staff schedule on a page (the nightly ranking, the monthly reports): one write
of a ``django_celery_beat`` task onto a crontab, used by each app's schedule service after it has
checked the user and the values."""


def crontab_task_save(*, name: str, task: str, description: str, enabled: bool, minute="0", hour="*",
                      day_of_month="*"):
    """Point the periodic task ``name`` at the crontab ``minute hour day_of_month * *`` (in
    CELERY_TIMEZONE; an existing crontab reused, else created) and switch it on or off; a task removed
    by hand (the admin) is put back. Call inside the caller's transaction, the row locked."""
    from django.conf import settings
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    when = {"minute": str(minute), "hour": str(hour), "day_of_week": "*", "day_of_month": str(day_of_month),
            "month_of_year": "*", "timezone": settings.CELERY_TIMEZONE}
    crontab = CrontabSchedule.objects.filter(**when).order_by("pk").first() or CrontabSchedule.objects.create(**when)
    row = PeriodicTask.objects.select_for_update().filter(name=name).first()
    if row is None:
        return PeriodicTask.objects.create(name=name, task=task, crontab=crontab, enabled=bool(enabled),
                                           description=description)
    if row.crontab_id != crontab.pk or row.enabled != bool(enabled):
        row.crontab = crontab
        row.interval = row.solar = row.clocked = None
        row.enabled = bool(enabled)
        row.save()
    return row
