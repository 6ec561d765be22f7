"""Work-desk benchmark (issue 14): the home page (the whole request through the test Client,
signed in) for an org staff user, an auditor and the unit leader of a county, p50/p95 over
``--runs`` requests, with its query count; then each desk line provider's own time and queries for
each role. It prints figures; it asserts nothing.

    .venv/bin/python bench/pool.py --seed-only --database-url postgres://postgres@127.0.0.1:5432/pingdingshan_bench_vacancy
    .venv/bin/python bench/vacancy.py --runs 1   # its posts and appointments
    .venv/bin/python bench/desk.py [--runs 30] [--database-url URL] [--url /analysis/teams/ ...]

It reuses bench/pool.py's database (100,000 cadres, 2,000,000 records, cards, awards, postings...)
and adds, once (kept on later runs), care records when there are none (``seed_care``: talks for 70 %
of the cadres this year, check-ups for 55 %) and three users: ``bench_desk_org`` (org staff), ``bench_desk_auditor``
(auditor) and ``bench_desk_leader`` (unit leader of the first county). ``--url`` (repeatable) times
more pages the same way for the three users (a page a role may not open is reported with its
status). Target: the home page's p95 < 300 ms for each role.
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
DAY = dt.date(2026, 12, 1)  # bench/pool.py's day


def users():
    from django.contrib.auth import get_user_model

    from cadres.models import Unit, UnitLevel
    from pingdingshan.core.models import Role, RoleAssignment

    county = Unit.objects.filter(level=UnitLevel.COUNTY).order_by("path").first()
    out = {}
    for name, role, unit in (("org", Role.ORG_STAFF, None), ("auditor", Role.AUDITOR, None),
                             ("leader", Role.UNIT_LEADER, county)):
        user, _created = get_user_model().objects.get_or_create(username=f"bench_desk_{name}")
        if not RoleAssignment.objects.filter(user=user).exists():
            RoleAssignment.objects.create(user=user, role=role, unit=unit)
        out[name] = user
    return out, county


def seed_care(rng):
    """Care records as a city has them in December (once, when there are no talks): a talk this
    year for 70 % of the cadres (one or two), one last year for the others; a check-up this year
    for 55 %. The reminders count the rest."""
    from bench.pool import _copy
    from cadres.models import Cadre

    t = time.perf_counter()
    ids = list(Cadre.objects.values_list("pk", flat=True))
    jan, day = dt.date(DAY.year, 1, 1), DAY
    span = (day - jan).days

    def date_this_year():
        return jan + dt.timedelta(days=rng.randrange(span))

    talks, checks = [], []
    for pk in ids:
        if rng.random() < 0.7:
            for _ in range(rng.choice((1, 1, 2))):
                talks.append((date_this_year(), "组织部", "heart", "谈心谈话", "", "f", pk))
        else:
            talks.append((date_this_year().replace(year=DAY.year - 1), "组织部", "heart", "谈心谈话", "", "f", pk))
        if rng.random() < 0.55:
            checks.append((date_this_year(), "市人民医院", "", "", pk))
    _copy("cadres_talk", ["held_on", "talked_by", "kind", "topics", "follow_up", "follow_up_done", "cadre_id"], talks)
    _copy("cadres_healthcheck", ["checked_on", "organiser", "conclusion", "details", "cadre_id"], checks)
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("ANALYZE cadres_talk; ANALYZE cadres_healthcheck")
    print(f"  care: {len(talks):,} talks, {len(checks):,} check-ups ({time.perf_counter() - t:.0f} s)")


def percentile(times, p):
    times = sorted(times)
    k = max(0, min(len(times) - 1, round(p / 100 * (len(times) - 1))))
    return times[k]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--database-url", default=os.environ.get(
        "BENCH_VACANCY_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pingdingshan_bench_vacancy"))
    parser.add_argument("--url", action="append", default=[], help="another page to time (repeatable)")
    parser.add_argument("--no-providers", action="store_true", help="only the pages")
    args = parser.parse_args()
    if args.database_url.rstrip("/").endswith("/pingdingshan_bench_pool"):
        sys.exit("not against pingdingshan_bench_pool (the ranking's timing database): use your own copy")
    from bench.pool import _setup

    _setup(args.database_url)
    from pingdingshan.core.startup import freeze_startup_objects

    freeze_startup_objects()  # what a web process does at start (pingdingshan/wsgi.py)
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from cadres.models import Cadre, PerformanceRecord, Talk
    from pingdingshan.core import desk

    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
    call_command("migrate", verbosity=0)
    print(f"database: {settings.DATABASES['default']['NAME']}")
    if not Cadre.objects.exists():
        sys.exit("seed it first: bench/pool.py --seed-only --database-url " + args.database_url)
    if not Talk.objects.exists():
        seed_care(random.Random(14))
    who, county = users()
    in_county = Cadre.objects.filter(unit__path__startswith=county.path).count()
    print(f"cadres {Cadre.objects.count():,} · records {PerformanceRecord.objects.count():,} · "
          f"the leader's county {county.name}: {in_county:,} cadres · runs {args.runs}")

    def timed_get(client, url):
        with CaptureQueriesContext(connection) as ctx:
            r = client.get(url)
        queries = len(ctx.captured_queries)
        if r.status_code != 200:
            return r.status_code, queries, None
        times = []
        for _ in range(args.runs):
            t = time.perf_counter()
            r = client.get(url)
            times.append((time.perf_counter() - t) * 1000)
        return r.status_code, queries, times

    print(f"\n{'page':44} {'role':8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'queries':>8} {'lines':>6}")
    for url in ["/", *args.url]:
        for role, user in who.items():
            client = Client()
            client.force_login(user)
            status, queries, times = timed_get(client, url)
            if times is None:
                print(f"{url:44} {role:8} {'status ' + str(status):>26} {queries:8d}", flush=True)
                continue
            lines = ""
            if url == "/":
                lines = str(len(desk.lines_for(get_user_model().objects.get(pk=user.pk))))
            print(f"{url:44} {role:8} {statistics.median(times):8.0f} {percentile(times, 95):8.0f} "
                  f"{max(times):8.0f} {queries:8d} {lines:>6}", flush=True)
    if args.no_providers:
        return

    print(f"\n{'provider':44} {'role':8} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}  lines (count)")
    for role, user in who.items():
        for provider in desk.providers():
            name = f"{provider.__module__}.{provider.__qualname__}".replace("pingdingshan.", "")
            fresh = get_user_model().objects.get(pk=user.pk)
            list(provider(fresh))  # warm: the gate's roles cached on the user object
            with CaptureQueriesContext(connection) as ctx:
                lines = list(provider(fresh) or ())
            times = []
            for _ in range(max(3, args.runs // 3)):
                t = time.perf_counter()
                list(provider(fresh) or ())
                times.append((time.perf_counter() - t) * 1000)
            shown = ", ".join(f"{line.label}{'' if line.count is None else f' ({line.count})'}" for line in lines)
            print(f"{name:44} {role:8} {statistics.median(times):8.1f} {percentile(times, 95):8.1f} "
                  f"{len(ctx.captured_queries):8d}  {shown}", flush=True)


if __name__ == "__main__":
    main()
