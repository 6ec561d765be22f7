"""Performance-archive benchmark: fills the benchmark database (100,000 cadres from
bench/roster.py) up to N performance records (default 2,000,000; plain bulk inserts of synthetic
rows, no audit history: this is load, not user data) and prints p50/p95 and the query count of the
review queue (first page; one county's subtree; one category), the record list and the records API.

    .venv/bin/python bench/archive.py [--records 2000000] [--requests 50]

Target (issue #4): review queue p95 < 300 ms with 2,000,000 records. It prints; it asserts nothing.
"""
import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=2_000_000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--database-url", default=os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pingdingshan_bench"))
    args = parser.parse_args()

    from bench.roster import _ensure_database

    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pingdingshan.settings.local")
    os.environ["DEBUG"] = "false"
    _ensure_database(args.database_url)

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    call_command("seed_demo", cadres=100_000, verbosity=0)
    _fill(args.records)
    _analyze()

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from cadres.models import TaskCategory, Unit

    client = Client()
    client.force_login(get_user_model().objects.get(username="orgstaff"))
    county = Unit.objects.get(code="410421")
    category = TaskCategory.objects.get(name="乡村振兴")
    from django.urls import NoReverseMatch

    try:
        queue = reverse("cadres:review_queue")
    except NoReverseMatch:  # the review pages are not installed yet
        queue = None
    records = reverse("cadres:record_list")
    cases = [
        ("review queue: first page", queue, {}),
        ("review queue: 宝丰县 subtree", queue, {"unit": county.pk}),
        ("review queue: 乡村振兴", queue, {"category": category.pk}),
        ("record list: first page", records, {}),
        ("record list: 宝丰县 subtree", records, {"unit": county.pk}),
        ("API /api/v1/records/", "/api/v1/records/", {}),
        ("API records, status=submitted", "/api/v1/records/", {"status": "submitted"}),
    ]
    print(f"\n{'case':34} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'queries':>8}")
    for label, url, params in cases:
        if url is None:
            continue
        client.get(url, params)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, params)
        queries = len(ctx.captured_queries)
        assert response.status_code == 200, (label, response.status_code)
        times = []
        for _ in range(args.requests):
            t = time.perf_counter()
            client.get(url, params)
            times.append((time.perf_counter() - t) * 1000)
        times.sort()
        p95 = times[max(0, int(round(0.95 * len(times))) - 1)]
        print(f"{label:34} {statistics.median(times):8.1f} {p95:8.1f} {times[-1]:8.1f} {queries:8d}")


def _analyze():
    """Planner statistics for every table, as autovacuum keeps them on a live database. (Where
    autovacuum is off, as on some CI and shared machines, seed_demo's units and cadres would have
    none: PostgreSQL then guesses one unit per subtree and picks plans no live database would.)"""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("ANALYZE")


def _fill(target: int):
    """Insert synthetic records until there are ``target``; about 1 in 8 is waiting for review."""
    from django.db import connection

    from cadres.models import Cadre, PerformanceRecord, RecordStatus, TaskCategory

    have = PerformanceRecord.objects.count()
    if have >= target:
        print(f"records in database: {have:,}")
        return
    rng = random.Random(2022)
    cadres = list(Cadre.objects.values_list("id", "unit_id"))
    categories = list(TaskCategory.objects.values_list("id", flat=True))
    states = [RecordStatus.VERIFIED] * 6 + [RecordStatus.DRAFT, RecordStatus.SUBMITTED]
    from pingdingshan.core.dates import today as local_today

    today = local_today()
    started = time.perf_counter()
    batch = []
    from django.utils import timezone

    now = timezone.now()
    for i in range(have, target):
        cadre_id, unit_id = rng.choice(cadres)
        status = rng.choice(states)
        start = today - dt.timedelta(days=rng.randint(10, 2000))
        batch.append(PerformanceRecord(
            cadre_id=cadre_id, unit_id=unit_id, category_id=rng.choice(categories), title=f"基准测试实绩 {i}",
            description="基准测试数据", role="main", start_date=start, status=status,
            submitted_at=now - dt.timedelta(minutes=rng.randint(0, 500_000)) if status != RecordStatus.DRAFT else None,
            points=6 if status == RecordStatus.VERIFIED else None))
        if len(batch) == 20_000:
            PerformanceRecord.objects.bulk_create(batch)
            batch = []
            print(f"  records: {i + 1:,} ({time.perf_counter() - started:.0f} s)", flush=True)
    if batch:
        PerformanceRecord.objects.bulk_create(batch)
    with connection.cursor() as cur:  # as autovacuum would on a live database: visibility map + statistics
        cur.execute("VACUUM ANALYZE cadres_performancerecord")
    print(f"records in database: {PerformanceRecord.objects.count():,} (filled in {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
