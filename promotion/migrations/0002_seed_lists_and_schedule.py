"""The editable lists the issue names (programmes, industries, categories) and the nightly
ranking's schedule (django-celery-beat: a crontab at RANKING_DEFAULT_HOUR:MINUTE, edited later on
the settings page; kept out of CELERY_BEAT_SCHEDULE, whose entries beat would reset at start)."""
from django.conf import settings
from django.db import migrations

PROGRAMMES = ["千名优秀年轻干部实践练兵计划", "乡村振兴驻村", "万人助万企", "重大项目攻坚", "信访维稳", "应急处置"]
INDUSTRIES = ["经济发展", "党建党务", "政法", "文教卫", "农业农村", "城建交通", "国企"]
# (name, target post level: cadres.PostLevel)
CATEGORIES = [("县处级正职后备", 4), ("县处级副职后备", 3), ("乡科级后备", 2), ("优秀年轻干部", None)]


def seed(apps, schema_editor):
    Programme = apps.get_model("promotion", "Programme")
    Industry = apps.get_model("promotion", "Industry")
    PoolCategory = apps.get_model("promotion", "PoolCategory")
    for i, name in enumerate(PROGRAMMES):
        Programme.objects.get_or_create(name=name, defaults={"order": i})
    for i, name in enumerate(INDUSTRIES):
        Industry.objects.get_or_create(name=name, defaults={"order": i})
    for i, (name, level) in enumerate(CATEGORIES):
        PoolCategory.objects.get_or_create(name=name, defaults={"order": i, "target_level": level})

    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute=str(settings.RANKING_DEFAULT_MINUTE), hour=str(settings.RANKING_DEFAULT_HOUR), day_of_week="*",
        day_of_month="*", month_of_year="*", timezone=settings.CELERY_TIMEZONE)
    PeriodicTask.objects.get_or_create(
        name="ranking-nightly",
        defaults={"task": "promotion.rank_pools", "crontab": crontab, "enabled": True,
                  "description": "储备库每日排名"})


def unseed(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name="ranking-nightly").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("promotion", "0001_reserve"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
