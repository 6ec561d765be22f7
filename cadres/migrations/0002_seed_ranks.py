"""The twelve rank grades of 综合管理类职级 (职务与职级并行, 2019), highest first, with their rough
post-level equivalence and the minimum years before promotion to them (RULES.md)."""
from django.db import migrations

RANKS = [
    # order, name, equivalent post level, min years (from the step below)
    (1, "一级巡视员", 6, 4),
    (2, "二级巡视员", 5, 4),
    (3, "一级调研员", 4, 3),
    (4, "二级调研员", 4, 2),
    (5, "三级调研员", 3, 2),
    (6, "四级调研员", 3, 2),
    (7, "一级主任科员", 2, 2),
    (8, "二级主任科员", 2, 2),
    (9, "三级主任科员", 1, 2),
    (10, "四级主任科员", 1, 2),
    (11, "一级科员", None, 2),
    (12, "二级科员", None, 0),
]


def seed(apps, schema_editor):
    Rank = apps.get_model("cadres", "Rank")
    for order, name, level, years in RANKS:
        Rank.objects.update_or_create(
            name=name, defaults={"order": order, "equivalent_level": level, "min_years_from_below": years}
        )


def unseed(apps, schema_editor):
    apps.get_model("cadres", "Rank").objects.filter(name__in=[r[1] for r in RANKS]).delete()


class Migration(migrations.Migration):
    dependencies = [("cadres", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
