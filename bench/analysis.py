"""Analysis benchmark (issue 14): "the work desk and each analysis page at 100,000 cadres / 2,000,000
records, p95 under 300 ms; every report generated for the whole city under 30 s". It prints figures;
it asserts nothing.

    .venv/bin/python bench/pool.py --seed-only --database-url postgres://postgres@127.0.0.1:5432/pingdingshan_bench_vacancy
    .venv/bin/python bench/vacancy.py --runs 1   # its posts and appointments
    .venv/bin/python bench/analysis.py [--runs 10] [--database-url URL] [--only structure,pool] [--no-reports]

Against bench/desk.py's database (bench/pool.py's 100,000 cadres and 2,000,000 records, bench/vacancy.py's
posts, bench/desk.py's care records) and with bench/desk.py's three users (``bench_desk_org`` org staff,
``bench_desk_auditor`` auditor, ``bench_desk_leader`` the unit leader of the first county; created
once by ``bench.desk.users``, like its care records by ``seed_care``), it times through the test Client,
signed in, p50 / p95 / max over ``--runs`` requests after one warm-up request (whose query count is
printed):

- the home page ``/``;
- each city analysis page ``/analysis/<slug>/`` (``analysis.services.figures.PAGES``) without a
  filter, and for org staff once more with ``?unit=<the county>``;
- ``/analysis/teams/`` and ``/analysis/teams/<the county>/``;
- each analysis page's export of its first table (``/analysis/<slug>/export/?format=xlsx``). The
  exports run inside a transaction rolled back afterwards, so the export log keeps none of them.

Then, for each report of ``analysis.services.reports.CATALOGUE``, the whole city's generation as org
staff through ``reports.generate`` (the job's own function), split at its progress calls into
figures / xlsx / PDF seconds: the ``GeneratedReport`` row and its export-log entry are rolled back,
the files go to a temporary ``MEDIA_ROOT`` removed at the end. Target: each under 30 s.

Like bench/desk.py it runs ``migrate`` first (the indexes the pages read: cadres 0014
``record_activity``, 0015 ``record_activity_by_cadre``); otherwise it only reads. Figures of a run
(before / after the issue-14 changes) are in docs/architecture.md, "Analysis benchmark (issue 14)".

The machine is shared (2 cores): the load average (``/proc/loadavg``) is printed at the start,
before the reports and at the end.
"""
import argparse
import logging
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


class _Rollback(Exception):
    pass


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--database-url", default=os.environ.get(
        "BENCH_VACANCY_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pingdingshan_bench_vacancy"))
    parser.add_argument("--only", default="", help="comma-separated page slugs (default: every page)")
    parser.add_argument("--no-pages", action="store_true", help="only the reports")
    parser.add_argument("--no-reports", action="store_true", help="only the pages")
    parser.add_argument("--no-exports", action="store_true", help="pages without their exports")
    args = parser.parse_args()
    if args.database_url.rstrip("/").endswith("/pingdingshan_bench_pool"):
        sys.exit("not against pingdingshan_bench_pool (the ranking's timing database): use your own copy")
    from bench.pool import _setup

    _setup(args.database_url)
    from pingdingshan.core.startup import freeze_startup_objects

    freeze_startup_objects()  # what a web process does at start (pingdingshan/wsgi.py)
    for name in ("weasyprint", "fontTools"):
        logging.getLogger(name).setLevel(logging.WARNING)
    import datetime as dt

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from analysis.services import reports
    from analysis.services.figures import PAGES
    from bench.desk import percentile, seed_care, users
    from cadres.models import Cadre, PerformanceRecord, Talk

    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
    call_command("migrate", verbosity=0)
    print(f"database: {settings.DATABASES['default']['NAME']} · {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC "
          f"· load average {load()} · {os.cpu_count()} CPUs")
    if not Cadre.objects.exists():
        sys.exit("seed it first: bench/pool.py --seed-only --database-url " + args.database_url)
    if not Talk.objects.exists():
        import random

        seed_care(random.Random(14))
    who, county = users()
    print(f"cadres {Cadre.objects.count():,} · records {PerformanceRecord.objects.count():,} · "
          f"the leader's county {county.name} (unit {county.pk}) · runs {args.runs}")
    slugs = [s for s in PAGES if not args.only or s in args.only.split(",")]

    def timed_get(client, url):
        with CaptureQueriesContext(connection) as ctx:
            r = client.get(url)
        queries = len(ctx.captured_queries)
        if r.status_code != 200:
            return r.status_code, queries, None
        times = []
        for _ in range(args.runs):
            t = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - t) * 1000)
        return r.status_code, queries, times

    def line(url, role, status, queries, times):
        if times is None:
            print(f"{url:52} {role:8} {'status ' + str(status):>26} {queries:8d}", flush=True)
        else:
            mark = "" if percentile(times, 95) < 300 else "  > 300"
            print(f"{url:52} {role:8} {statistics.median(times):8.0f} {percentile(times, 95):8.0f} "
                  f"{max(times):8.0f} {queries:8d}{mark}", flush=True)

    if not args.no_pages:
        urls = [("/", None)]
        for slug in slugs:
            urls.append((f"/analysis/{slug}/", None))
            urls.append((f"/analysis/{slug}/?unit={county.pk}", "org"))
        if not args.only:
            urls += [("/analysis/teams/", None), (f"/analysis/teams/{county.pk}/", None)]
        print(f"\n{'page':52} {'role':8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'queries':>8}")
        clients = {}
        for role, user in who.items():
            clients[role] = Client()
            clients[role].force_login(user)
        for url, only_role in urls:
            for role in who:
                if only_role and role != only_role:
                    continue
                line(url, role, *timed_get(clients[role], url))
        if not args.no_exports:
            print(f"\n{'export (first table, xlsx; rolled back)':52} {'role':8} {'p50 ms':>8} {'p95 ms':>8} "
                  f"{'max ms':>8} {'queries':>8}")
            for slug in slugs:
                url = f"/analysis/{slug}/export/?format=xlsx"
                for role in who:
                    try:
                        with transaction.atomic():
                            result = timed_get(clients[role], url)
                            raise _Rollback
                    except _Rollback:
                        pass
                    line(url, role, *result)

    if args.no_reports:
        return
    print(f"\nreports, the whole city as org staff (load average {load()}); rolled back, files in a temporary MEDIA_ROOT")
    print(f"{'report':14} {'figures s':>10} {'xlsx s':>8} {'pdf s':>8} {'total s':>8} {'rows':>6} {'pdf KiB':>8}  state")
    org = get_user_model().objects.get(pk=who["org"].pk)
    media = tempfile.mkdtemp(prefix="bench-analysis-")
    try:
        with override_settings(MEDIA_ROOT=media):
            from django.core.files.storage import default_storage

            for report in reports.CATALOGUE:
                marks = []

                def progress(done, total, phase="", marks=marks):
                    marks.append(time.perf_counter())

                out = {}
                try:
                    with transaction.atomic():
                        row = reports.GeneratedReport.objects.create(kind=report.kind, requested_by=org,
                                                                     params=reports._shown_params(report, None, None, None))
                        t0 = time.perf_counter()
                        try:
                            done = reports.generate(row, by=org, progress=progress)
                            out = {"state": done.state, "rows": done.row_count,
                                   "pdf": default_storage.size(done.pdf_file) / 1024}
                        except Exception as e:  # noqa: BLE001 - print it and go on with the next report
                            out = {"state": f"failed: {type(e).__name__}: {e}"}
                        out["total"] = time.perf_counter() - t0
                        out["t0"] = t0
                        raise _Rollback
                except _Rollback:
                    pass
                if len(marks) >= 4:
                    fig, xlsx, pdf = marks[1] - marks[0], marks[2] - marks[1], marks[3] - marks[2]
                    print(f"{report.kind:14} {fig:10.2f} {xlsx:8.2f} {pdf:8.2f} {out['total']:8.2f} "
                          f"{out['rows']:6d} {out['pdf']:8.0f}  {out['state']}"
                          f"{'  > 30 s' if out['total'] >= 30 else ''}", flush=True)
                else:
                    print(f"{report.kind:14} {'':>10} {'':>8} {'':>8} {out.get('total', 0):8.2f}  {out.get('state')}",
                          flush=True)
    finally:
        shutil.rmtree(media, ignore_errors=True)
    print(f"\nload average at the end {load()}")


if __name__ == "__main__":
    main()
