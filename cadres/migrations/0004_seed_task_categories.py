"""The central tasks (中心工作/重大任务) the seed article names, with default points per role.
Both stay editable by org staff."""
from decimal import Decimal

from django.db import migrations

CATEGORIES = [
    "产业发展", "项目建设", "乡村振兴", "疫情防控", "万人助万企", "防范化解重大风险", "应急处置",
    "优化营商环境", "创文保卫", "转型发展",
]
DEFAULT_POINTS = {"lead": Decimal("10"), "main": Decimal("6"), "participant": Decimal("3")}


def seed(apps, schema_editor):
    TaskCategory = apps.get_model("cadres", "TaskCategory")
    PointsRule = apps.get_model("cadres", "PointsRule")
    for order, name in enumerate(CATEGORIES, start=1):
        category, _ = TaskCategory.objects.get_or_create(name=name, defaults={"order": order})
        for role, points in DEFAULT_POINTS.items():
            PointsRule.objects.get_or_create(category=category, role=role, defaults={"points": points})


def unseed(apps, schema_editor):
    apps.get_model("cadres", "TaskCategory").objects.filter(name__in=CATEGORIES).delete()


class Migration(migrations.Migration):
    dependencies = [("cadres", "0003_performance_archive")]
    operations = [migrations.RunPython(seed, unseed)]
