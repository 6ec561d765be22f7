"""The explanation of a result is built when it is shown (from the frozen scores), no longer
stored for every cadre: what grading needs of it is kept in three columns (the 政治担当
contribution, the grading note as a code, the group's 优秀 cap), filled from the stored
explanations before the column is dropped (in the next migration, not in the same transaction as
the update)."""
from decimal import ROUND_HALF_UP, Decimal

from django.db import migrations, models


def keep_what_grading_needs(apps, schema_editor):
    Result = apps.get_model("assessment", "AssessmentResult")
    Indicator = apps.get_model("assessment", "Indicator")
    political = set(Indicator.objects.filter(dimension="political").values_list("id", flat=True))
    batch = []
    for r in Result.objects.exclude(explanation={}).only("id", "explanation").iterator(chunk_size=2000):
        e = r.explanation or {}
        if e.get("total") is not None:
            pol = sum(Decimal(str(row[3] or 0)) for row in e.get("indicators") or [] if row[0] in political)
            r.political = pol.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        for code, params in e.get("notes") or []:
            if code in ("cap", "tie"):
                r.grade_note, r.excellent_cap = code, (params or {}).get("cap")
        batch.append(r)
        if len(batch) >= 2000:
            Result.objects.bulk_update(batch, ["political", "grade_note", "excellent_cap"])
            batch = []
    if batch:
        Result.objects.bulk_update(batch, ["political", "grade_note", "excellent_cap"])


class Migration(migrations.Migration):

    dependencies = [
        ('assessment', '0003_result_hot_updates'),
    ]

    operations = [
        migrations.AddField(
            model_name='assessmentresult',
            name='excellent_cap',
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name='本组优秀名额'),
        ),
        migrations.AddField(
            model_name='assessmentresult',
            name='grade_note',
            field=models.CharField(blank=True, max_length=10, verbose_name='等次说明'),
        ),
        migrations.AddField(
            model_name='assessmentresult',
            name='political',
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=6, null=True, verbose_name='政治担当得分'),
        ),
        migrations.AddField(
            model_name='historicalassessmentresult',
            name='excellent_cap',
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name='本组优秀名额'),
        ),
        migrations.AddField(
            model_name='historicalassessmentresult',
            name='grade_note',
            field=models.CharField(blank=True, max_length=10, verbose_name='等次说明'),
        ),
        migrations.AddField(
            model_name='historicalassessmentresult',
            name='political',
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=6, null=True, verbose_name='政治担当得分'),
        ),
        migrations.RunPython(keep_what_grading_needs, migrations.RunPython.noop),
    ]
