"""The monthly auditors' reports' schedule (django-celery-beat): the 1st of each month at 02:00, on.
Org staff change its day and hour on /analysis/reports/ (services.reports.schedule_save)."""
from django.conf import settings
from django.db import migrations


def seed(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="2", day_of_week="*", day_of_month="1", month_of_year="*",
        timezone=settings.CELERY_TIMEZONE)
    PeriodicTask.objects.get_or_create(
        name="reports-monthly",
        defaults={"task": "analysis.monthly_reports", "crontab": crontab, "enabled": True,
                  "description": "审计报表每月生成"})


def unseed(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name="reports-monthly").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("analysis", "0002_generated_reports"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
