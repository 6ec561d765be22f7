"""Roster benchmark: seeds N cadres (default 100,000) into a PostgreSQL database of its own and
prints p50/p95 over 50 requests and the query count for the roster page (first page, one county's
subtree, a name search) and the cadre API list, then the time to export every row to xlsx.

    .venv/bin/python bench/roster.py [--cadres 100000] [--requests 50] [--database-url URL]

Targets (issue #3): p95 < 300 ms per page, export of 100,000 rows < 20 s. It prints figures; it is
not a test and asserts nothing.
"""
import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cadres", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--database-url", default=os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pingdingshan_bench"))
    parser.add_argument("--skip-export", action="store_true")
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pingdingshan.settings.local")
    os.environ["DEBUG"] = "false"
    _ensure_database(args.database_url)

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
    print(f"database: {settings.DATABASES['default']['NAME']} ({settings.DATABASES['default']['ENGINE']})")
    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    call_command("seed_demo", cadres=args.cadres, verbosity=0)
    print(f"seed_demo --cadres {args.cadres}: {time.perf_counter() - t0:.1f} s (0 s of work if already seeded)")

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from cadres.models import Cadre, Unit

    print(f"cadres in database: {Cadre.objects.count():,}")
    user = get_user_model().objects.get(username="orgstaff")
    client = Client()
    client.force_login(user)
    county = Unit.objects.get(code="410421")  # 宝丰县
    roster = reverse("cadres:cadre_list")
    cases = [
        ("roster: first page", roster, {}),
        ("roster: 宝丰县 subtree", roster, {"unit": county.pk}),
        ("roster: name search 王", roster, {"q": "王"}),
        ("roster: initials search zh", roster, {"q": "zh"}),
        ("API /api/v1/cadres/", "/api/v1/cadres/", {}),
        ("API 宝丰县 subtree", "/api/v1/cadres/", {"unit": county.pk}),
    ]
    print(f"\n{'case':32} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'queries':>8}")
    for label, url, params in cases:
        client.get(url, params)  # warm-up
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, params)
        queries = len(ctx.captured_queries)  # read now: later requests reset the query log
        assert response.status_code == 200, (label, response.status_code)
        times = []
        for _ in range(args.requests):
            t = time.perf_counter()
            response = client.get(url, params)
            times.append((time.perf_counter() - t) * 1000)
        times.sort()
        p95 = times[max(0, int(round(0.95 * len(times))) - 1)]
        print(f"{label:32} {statistics.median(times):8.1f} {p95:8.1f} {times[-1]:8.1f} {queries:8d}")

    if not args.skip_export:
        export = reverse("cadres:cadre_export")
        threshold, settings.EXPORT_JOB_THRESHOLD = settings.EXPORT_JOB_THRESHOLD, 10 ** 9  # direct first
        t = time.perf_counter()
        response = client.get(export, {"format": "xlsx"})
        size = sum(len(chunk) for chunk in response.streaming_content) if response.streaming else len(response.content)
        print(f"\nexport all rows to xlsx: {time.perf_counter() - t:.1f} s, {size / 1e6:.1f} MB")
        t = time.perf_counter()
        response = client.get(export, {"format": "csv"})
        size = sum(len(chunk) for chunk in response.streaming_content) if response.streaming else len(response.content)
        print(f"export all rows to csv:  {time.perf_counter() - t:.1f} s, {size / 1e6:.1f} MB")
        # above EXPORT_JOB_THRESHOLD the export is a background job (in-process here: no REDIS_URL)
        settings.EXPORT_JOB_THRESHOLD = threshold
        from pingdingshan.core.models import Job

        t = time.perf_counter()
        response = client.get(export, {"format": "xlsx"})
        job = Job.objects.get(pk=response.url.rstrip("/").rsplit("/", 1)[-1])
        while not job.finished:  # the demo's settings run it in a thread of this process
            time.sleep(0.2)
            job.refresh_from_db()
        file = client.get(reverse("core:job_file", args=[job.pk]))
        size = sum(len(chunk) for chunk in file.streaming_content)
        print(f"export all rows to xlsx as a job: {time.perf_counter() - t:.1f} s, {size / 1e6:.1f} MB "
              f"({job.state}, {job.done:,} / {job.total:,} rows)")


def _ensure_database(url):
    """Create the benchmark database when it does not exist (PostgreSQL only)."""
    if not url.startswith("postgres"):
        return
    from urllib.parse import urlparse

    import psycopg2

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    conn = psycopg2.connect(host=parts.hostname, port=parts.port or 5432, user=parts.username or "postgres",
                            password=parts.password, dbname="postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cur.fetchone():
            cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()


if __name__ == "__main__":
    main()
