"""Import benchmark: builds an N-row (default 10,000) record import file for cadres of the seeded
benchmark database (100,000 cadres, bench/roster.py) and runs the import service on it directly
(not through Celery), timing reading, validation and saving separately. Everything runs in a
transaction that is rolled back at the end, so the database keeps no imported rows.

    .venv/bin/python bench/import_records.py [--rows 10000] [--user orgstaff|baofeng_leader] [--format xlsx|csv]

Target (issue #4): a 10,000-row file imports in < 30 s on PostgreSQL. It prints; it asserts nothing.
"""
import argparse
import datetime as dt
import io
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


class Rollback(Exception):
    pass


def build_file(cadres, categories, rows: int, fmt: str) -> bytes:
    """A file as a user would fill the template: ID numbers as text, real date cells, the
    drop-down values, a quantity on every third row."""
    import xlsxwriter

    from cadres.imports.template import COLUMNS

    rnd = random.Random(4)
    roles = ["牵头", "主要参与", "参与"]
    from pingdingshan.core.dates import today as local_today

    today = local_today()
    data = []
    for i in range(rows):
        cadre = cadres[i % len(cadres)]
        category = categories[i % len(categories)]
        start = today - dt.timedelta(days=rnd.randint(30, 1500))
        end = start + dt.timedelta(days=rnd.randint(0, 200)) if i % 2 else None
        quantity, unit = (round(rnd.uniform(0.5, 500), 2), "万元") if i % 3 == 0 else (None, "")
        data.append([cadre[0], cadre[1], category, f"{category}重点工作第{i + 1}项", (
            f"围绕{category}，牵头制定实施方案，协调各方力量推进落实，按期完成目标任务，取得明显成效。" * 2),
            roles[i % 3], start, end, quantity, unit])
    headers = [c.header for c in COLUMNS]
    if fmt == "csv":
        import csv

        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(headers)
        for r in data:
            w.writerow(["" if v is None else v.isoformat() if isinstance(v, dt.date) else v for v in r])
        return buf.getvalue().encode("utf-8-sig")
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"constant_memory": True})
    ws = wb.add_worksheet("实绩记录")
    date_format = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws.write_row(0, 0, headers)
    for r, values in enumerate(data, start=1):
        for c, v in enumerate(values):
            if isinstance(v, dt.date):
                ws.write_datetime(r, c, dt.datetime.combine(v, dt.time()), date_format)
            elif isinstance(v, float):
                ws.write_number(r, c, v)
            elif v is not None:
                ws.write_string(r, c, v)
    wb.close()
    return buf.getvalue()


def timed_import(user, content: bytes, fmt: str) -> dict:
    """Run the import service inside a transaction that is rolled back; the progress callback
    stamps the phase changes so reading, validating and saving are timed separately."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from cadres.imports import records as service
    from cadres.models import PerformanceRecord

    stamps = {}
    calls = [0]

    def progress(done, total, phase):
        calls[0] += 1
        stamps.setdefault(phase, time.perf_counter())

    figures = {}
    before = PerformanceRecord.objects.count()
    try:
        with transaction.atomic(), CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            result = service.import_records(by=user, source=io.BytesIO(content), fmt=fmt, progress=progress)
            t_end = time.perf_counter()
            figures = {
                "read": stamps[service.PHASE_VALIDATE] - t0,
                "validate": stamps.get(service.PHASE_SAVE, t_end) - stamps[service.PHASE_VALIDATE],
                "save": t_end - stamps[service.PHASE_SAVE] if service.PHASE_SAVE in stamps else 0.0,
                "total": t_end - t0,
                "imported": result.imported,
                "errors": len(result.errors),
                "first_errors": [(e.row, e.reasons) for e in result.errors[:3]],
                "status": result.status,
                "in_db": PerformanceRecord.objects.count() - before,
                "history": PerformanceRecord.history.filter(
                    id__in=[r.pk for r in result.records[:1000]]).count() if result.records else 0,
                "progress_calls": calls[0],
            }
            figures["queries"] = len(ctx.captured_queries)
            raise Rollback
    except Rollback:
        pass
    figures["after_rollback"] = PerformanceRecord.objects.count() - before
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--user", default="orgstaff", help="orgstaff (rows enter as submitted) or baofeng_leader (drafts)")
    parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
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
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from cadres.models import Cadre, PerformanceRecord, TaskCategory

    print(f"database: {settings.DATABASES['default']['NAME']} ({settings.DATABASES['default']['ENGINE']})")
    call_command("migrate", verbosity=0)
    t = time.perf_counter()
    call_command("seed_demo", cadres=100_000, verbosity=0)
    print(f"seed_demo --cadres 100000: {time.perf_counter() - t:.1f} s (0 s of work if already seeded)")
    user = get_user_model().objects.get(username=args.user)
    in_scope = Cadre.objects.restrict(user, "change")
    print(f"cadres in database: {Cadre.objects.count():,}; in {args.user}'s scope: {in_scope.count():,}; "
          f"performance records: {PerformanceRecord.objects.count():,}")

    cadres = list(in_scope.order_by("id").values_list("id_number", "name")[:args.rows])
    categories = list(TaskCategory.objects.filter(is_active=True).values_list("name", flat=True))
    t = time.perf_counter()
    content = build_file(cadres, categories, args.rows, args.format)
    print(f"built a {args.rows:,}-row {args.format} for {len(cadres):,} cadres: {len(content) / 1e6:.1f} MB "
          f"in {time.perf_counter() - t:.1f} s (not part of the import)")

    warm = timed_import(user, build_file(cadres, categories, 100, args.format), args.format)
    print(f"warm-up, 100 rows: {warm['total']:.2f} s")
    f = timed_import(user, content, args.format)
    if f["errors"]:
        print(f"the file was rejected: {f['errors']} bad rows, e.g. {f['first_errors']}")
    print(f"\n{args.rows:,} rows as {args.user}:")
    print(f"  read ({args.format}, pandas)     {f['read']:7.2f} s")
    print(f"  validate every row       {f['validate']:7.2f} s")
    print(f"  save (bulk insert+audit) {f['save']:7.2f} s")
    print(f"  total                    {f['total']:7.2f} s   (target < 30 s)")
    print(f"  SQL queries: {f['queries']}; progress reports: {f['progress_calls']}; rows saved: {f['in_db']:,} "
          f"as {f['status'] or '-'} (history rows for the first 1,000: {f['history']:,})")
    print(f"  rolled back: {f['after_rollback']} imported rows left in the database")


if __name__ == "__main__":
    main()
