"""The editable lists the issue seeds: award kinds and card reason categories."""
from django.db import migrations

AWARD_KINDS = [
    # name, target, level, promotion priority, quota tilt
    ("鹰城担当作为好干部", "cadre", "city", True, False),
    ("人民满意担当作为先进单位", "unit", "city", False, True),
    ("记功", "cadre", "city", True, False),
    ("嘉奖", "cadre", "city", False, False),
    ("优秀共产党员", "cadre", "city", False, False),
    ("优秀党务工作者", "cadre", "city", False, False),
]
CARD_REASONS = ["不作为", "慢作为", "乱作为", "推诿扯皮", "重大任务落实不力", "群众反映强烈", "考核结果较差"]


def seed(apps, schema_editor):
    AwardKind = apps.get_model("assessment", "AwardKind")
    CardReason = apps.get_model("assessment", "CardReason")
    for order, (name, target, level, priority, tilt) in enumerate(AWARD_KINDS, start=1):
        AwardKind.objects.get_or_create(name=name, defaults={
            "target": target, "level": level, "promotion_priority": priority, "quota_tilt": tilt, "order": order})
    for order, name in enumerate(CARD_REASONS, start=1):
        CardReason.objects.get_or_create(name=name, defaults={"yellow_months": 6, "red_months": 12, "order": order})


class Migration(migrations.Migration):
    dependencies = [("assessment", "0007_conduct")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
