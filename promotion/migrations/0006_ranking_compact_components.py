"""The ranking entries keep their components compact (``promotion.services.ranking.STORED``): what
every entry of a pool shares goes once per pool on the run (``RankingRun.context``). The rows
written before are rewritten to the compact form, each run's context taken from its entries."""
from decimal import Decimal

from django.db import migrations, models

COMPONENTS = ("composite", "points", "awards", "frontline", "cards")


def _percent(recency, k):
    d = Decimal(100 * int(recency) ** k) / Decimal(100 ** k)
    return format(d.normalize(), "f")


def _context(whole, used):
    """A pool's context from one entry in the whole form and the run's ``weights`` of the pool."""
    comp = whole.get("composite", {}).get("detail", {})
    recency = int(used.get("recency_percent", 50))
    present = {y["year"]: y for y in comp.get("years", [])}
    years = sorted(set(present) | set(comp.get("missing", [])), reverse=True)
    windows = whole.get("points", {}).get("detail", {}).get("windows", [])
    return {
        "weights": {k: int(whole.get(k, {}).get("weight", used.get(k, 0))) for k in COMPONENTS},
        "years": years,
        "year_percent": [present[y]["percent"] if y in present else _percent(recency, k) for k, y in enumerate(years)],
        "windows": [[w["start"], w["end"]] for w in windows],
        "window_percent": [w["percent"] for w in windows],
        "best": whole.get("points", {}).get("detail", {}).get("best", 0),
        "award_since": whole.get("awards", {}).get("detail", {}).get("since", ""),
        "card_since": whole.get("cards", {}).get("detail", {}).get("since", ""),
    }


def _compact(whole, context):
    comp = whole["composite"].get("detail", {})
    present = {y["year"]: y["value"] for y in comp.get("years", [])}
    points = whole["points"].get("detail", {})
    item = {"v": [whole[k]["value"] for k in COMPONENTS], "c": [whole[k]["contribution"] for k in COMPONENTS],
            "y": [present.get(y, -1) for y in context["years"]],
            "p": [w["value"] for w in points.get("windows", [])], "t": points.get("total", 0)}
    awards = whole["awards"].get("detail", {})
    if awards.get("awards"):
        item["a"], item["s"] = awards["awards"], awards.get("sum", 0)
    posting = whole["frontline"].get("detail", {}).get("posting")
    if posting:
        item["f"] = posting
    cards = whole["cards"].get("detail", {}).get("cards")
    if cards:
        item["k"] = cards
    return item


def forwards(apps, schema_editor):
    RankingRun = apps.get_model("promotion", "RankingRun")
    RankingEntry = apps.get_model("promotion", "RankingEntry")
    for run in RankingRun.objects.all().iterator():
        context = {}
        batch = []
        for e in RankingEntry.objects.filter(run=run).order_by("pool_id", "id").iterator():
            whole = e.components or {}
            if not all(k in whole for k in COMPONENTS):
                continue  # empty, or already compact
            key = str(e.pool_id)
            if key not in context:
                context[key] = _context(whole, (run.weights or {}).get(key, {}))
            e.components = _compact(whole, context[key])
            batch.append(e)
        RankingEntry.objects.bulk_update(batch, ["components"], batch_size=2000)
        if context:
            run.context = {**(run.context or {}), **context}
            run.save(update_fields=["context"])


class Migration(migrations.Migration):

    dependencies = [
        ('promotion', '0005_ranking_entry_fewer_indexes'),
    ]

    operations = [
        migrations.AddField(
            model_name='rankingrun',
            name='context',
            field=models.JSONField(blank=True, default=dict, verbose_name='各库计分口径'),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True),
    ]
