"""Vacancy benchmark (issue 13): the vacancy list (``promotion.services.vacancies.vacancies``, the whole
list, and its first page) and the candidates of one vacancy (``promotion.services.matching.candidates``
and its page) at 100,000 cadres. It prints medians; it asserts nothing.

    .venv/bin/python bench/pool.py --seed-only --database-url postgres://postgres@127.0.0.1:5432/pingdingshan_bench_vacancy
    .venv/bin/python bench/vacancy.py [--runs 5] [--database-url URL]

It reuses bench/pool.py's database and seed (the city, 100,000 cadres, cards, awards, records,
assessments, postings, 28 pools with their entries: run bench/pool.py --seed-only against the same URL
first; never against pingdingshan_bench_pool, which times the ranking) and adds what that seed lacks,
once (kept on later runs): posts and appointments — per town 2 chief posts (乡科级正职), 6 deputy posts
and 60 section posts (乡科级副职, quota 2); per county 2 chiefs (县处级正职), 10 deputies, 30 department
chiefs (乡科级正职) and 30 department deputies (quota 2); the city 2 + 8 leaders and 40 + 40
department posts: about 14,400 posts; 92 % of the places filled by cadres of the unit (county posts by
the county's cadres), started 100–3,000 days before the day, plus 10,000 ended appointments; each
cadre's ``current_post``; the 7 industries mapped to units (industry i: county i; the first also the
city) and to two 中心工作 each; a user with the org staff role; and a current ranking run (``ranking_run``)
when there is none.

Targets: the vacancy list < 300 ms, the candidates of one vacancy < 1 s.
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
MONTHS = 6


def _timed(fn, runs):
    fn()  # warm-up
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000, min(times) * 1000, out


def seed_posts(rng):
    from django.db import connection

    from bench.pool import _copy
    from cadres.models import Cadre, Post, PostKind, PostLevel, TaskCategory, Unit, UnitLevel
    from promotion.models import Industry

    t = time.perf_counter()
    city = Unit.objects.get(depth=1)
    counties = list(Unit.objects.filter(level=UnitLevel.COUNTY).order_by("path"))
    towns = list(Unit.objects.filter(level=UnitLevel.TOWNSHIP).order_by("path"))
    posts = []

    def add(unit, name, kind, level, quota=1, chief=False):
        posts.append(Post(unit=unit, name=name, kind=kind, level=level, quota=quota, is_chief=chief, order=len(posts)))

    for town in towns:
        add(town, "党委书记", PostKind.PARTY_GOV_CHIEF, PostLevel.SECTION_CHIEF, chief=True)
        add(town, "镇长", PostKind.PARTY_GOV_CHIEF, PostLevel.SECTION_CHIEF, chief=True)
        for k in range(6):
            add(town, f"副镇长{k + 1}", PostKind.DEPUTY, PostLevel.SECTION_DEPUTY)
        for k in range(60):
            add(town, f"站所负责人{k + 1}", PostKind.SECTION_CHIEF, PostLevel.SECTION_DEPUTY, quota=2)
    for county in counties:
        add(county, "县委书记", PostKind.PARTY_GOV_CHIEF, PostLevel.COUNTY_CHIEF, chief=True)
        add(county, "县长", PostKind.PARTY_GOV_CHIEF, PostLevel.COUNTY_CHIEF, chief=True)
        for k in range(10):
            add(county, f"副县长{k + 1}", PostKind.GOV_MEMBER, PostLevel.COUNTY_DEPUTY)
        for k in range(30):
            add(county, f"部门{k + 1}局长", PostKind.SECTION_CHIEF, PostLevel.SECTION_CHIEF)
            add(county, f"部门{k + 1}副局长", PostKind.SECTION_DEPUTY, PostLevel.SECTION_DEPUTY, quota=2)
    add(city, "市委书记", PostKind.PARTY_GOV_CHIEF, PostLevel.BUREAU_CHIEF, chief=True)
    add(city, "市长", PostKind.PARTY_GOV_CHIEF, PostLevel.BUREAU_CHIEF, chief=True)
    for k in range(8):
        add(city, f"副市长{k + 1}", PostKind.GOV_MEMBER, PostLevel.BUREAU_DEPUTY)
    for k in range(40):
        add(city, f"市直部门{k + 1}主任", PostKind.SECTION_CHIEF, PostLevel.COUNTY_CHIEF)
        add(city, f"市直部门{k + 1}副主任", PostKind.SECTION_DEPUTY, PostLevel.COUNTY_DEPUTY)
    Post.objects.bulk_create(posts, batch_size=5000)
    posts = list(Post.objects.select_related("unit").order_by("id"))
    by_unit: dict[int, list] = {}
    for cid, uid in Cadre.objects.values_list("pk", "unit_id"):
        by_unit.setdefault(uid, []).append(cid)
    county_of = {}
    for town in towns:
        county_of[town.pk] = next(c.pk for c in counties if town.path.startswith(c.path))
    pool_county: dict[int, list] = {}
    for town in towns:
        pool_county.setdefault(county_of[town.pk], []).extend(by_unit.get(town.pk, []))
    every = [c for ids in by_unit.values() for c in ids]
    taken = set()
    rows, held = [], {}

    def pick(ids):
        for _ in range(20):
            c = rng.choice(ids)
            if c not in taken:
                taken.add(c)
                return c
        return None

    for p in posts:
        source = by_unit.get(p.unit_id) or pool_county.get(p.unit_id) or every
        for _k in range(p.quota):
            if rng.random() > 0.92:
                continue
            c = pick(source)
            if c is None:
                continue
            start = DAY - dt.timedelta(days=rng.randint(100, 3000))
            rows.append((c, p.pk, start.isoformat(), None, "", ""))
            held[c] = p.pk
    for _k in range(10_000):  # history: ended appointments
        p = rng.choice(posts)
        c = rng.choice(every)
        start = DAY - dt.timedelta(days=rng.randint(3000, 6000))
        rows.append((c, p.pk, start.isoformat(), (start + dt.timedelta(days=rng.randint(300, 2500))).isoformat(),
                     "", ""))
    _copy("cadres_appointment", ["cadre_id", "post_id", "start_date", "end_date", "document_no", "note"], rows)
    with connection.cursor() as cur:
        cur.execute("""UPDATE cadres_cadre c SET current_post_id = a.post_id FROM (
                         SELECT DISTINCT ON (cadre_id) cadre_id, post_id FROM cadres_appointment
                         WHERE start_date <= %s AND (end_date IS NULL OR end_date >= %s)
                         ORDER BY cadre_id, start_date DESC) a WHERE a.cadre_id = c.id""", [DAY, DAY])
    tasks = list(TaskCategory.objects.order_by("id").values_list("pk", flat=True))
    for i, industry in enumerate(Industry.objects.order_by("order", "pk")):
        units = [counties[i % len(counties)]] + ([city] if i == 0 else [])
        industry.units.set(units)
        industry.task_categories.set([tasks[i % len(tasks)], tasks[(i + 3) % len(tasks)]])
    with connection.cursor() as cur:
        cur.execute("ANALYZE cadres_post; ANALYZE cadres_appointment; ANALYZE cadres_cadre")
    print(f"  posts {len(posts):,}, appointments {len(rows):,} ({len(held):,} in force): {time.perf_counter() - t:.0f} s",
          flush=True)


def org_user():
    from django.contrib.auth import get_user_model

    from pingdingshan.core.models import Role, RoleAssignment

    user, created = get_user_model().objects.get_or_create(username="bench_vacancy_org")
    if created:
        RoleAssignment.objects.create(user=user, role=Role.ORG_STAFF)
    return user


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database-url", default=os.environ.get(
        "BENCH_VACANCY_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pingdingshan_bench_vacancy"))
    args = parser.parse_args()
    if args.database_url.rstrip("/").endswith("/pingdingshan_bench_pool"):
        sys.exit("not against pingdingshan_bench_pool (the ranking's timing database): use your own copy")
    from bench.pool import _setup

    _setup(args.database_url)
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from cadres.models import Appointment, Cadre, Post, PostLevel
    from promotion.models import PoolEntry, RankingRun
    from promotion.services import matching, vacancies

    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
    call_command("migrate", verbosity=0)
    print(f"database: {settings.DATABASES['default']['NAME']}")
    if not Cadre.objects.exists() or not PoolEntry.objects.exists():
        sys.exit("seed it first: bench/pool.py --seed-only --database-url " + args.database_url)
    if not Post.objects.exists():
        seed_posts(random.Random(13))
    if not RankingRun.objects.filter(is_current=True).exists():
        from promotion.services.runs import ranking_run

        t = time.perf_counter()
        ranking_run(on=DAY, trigger="command")
        print(f"  ranking run: {time.perf_counter() - t:.0f} s")
    user = org_user()
    print(f"cadres {Cadre.objects.count():,} · posts {Post.objects.count():,} · appointments in force "
          f"{Appointment.objects.filter(start_date__lte=DAY).exclude(end_date__lt=DAY).count():,} · admitted "
          f"entries {PoolEntry.objects.filter(status='admitted').count():,}")

    print(f"\n{'case':52} {'median ms':>10} {'best ms':>9} {'queries':>8}")

    def line(label, fn, extra=""):
        with CaptureQueriesContext(connection) as ctx:
            fn()
        median, best, out = _timed(fn, args.runs)
        print(f"{label:52} {median:10.0f} {best:9.0f} {len(ctx.captured_queries):8d} {extra}", flush=True)
        return out

    rows = line("vacancies(): the whole list (6 months)",
                lambda: vacancies.vacancies(user, on=DAY, months=MONTHS))
    free = sum(1 for v in rows if v.reason == "free")
    print(f"  {len(rows):,} vacancies ({free:,} with a free place, {len(rows) - free:,} retiring within {MONTHS} months)")
    line("vacancies(): 24 months", lambda: vacancies.vacancies(user, on=DAY, months=24))
    client = Client()
    client.force_login(user)
    url = reverse("promotion:vacancy_list")

    def page():
        r = client.get(url, {"months": MONTHS})
        assert r.status_code == 200, r.status_code

    line("vacancy list page (first page, 50 rows)", page)

    def pick(level):
        return next((v for v in rows if v.level == level and v.reason == "free"), None) or next(
            (v for v in rows if v.level == level), None)

    for level in (PostLevel.SECTION_CHIEF, PostLevel.SECTION_DEPUTY, PostLevel.COUNTY_DEPUTY):
        v = pick(level)
        if v is None:
            continue
        post = Post.objects.select_related("unit").get(pk=v.post_id)
        found = line(f"candidates(): {post.unit.name}{post.name} ({PostLevel(level).label})",
                     lambda post=post: matching.candidates(post, on=DAY, user=user))
        print(f"  {found.total:,} candidates: {found.counts}; shown {len(found.shown)}")
        cand_url = reverse("promotion:vacancy_candidates", args=[post.pk])

        def cand_page(u=cand_url):
            r = client.get(u)
            assert r.status_code == 200, r.status_code

        line("  its candidates page", cand_page)


if __name__ == "__main__":
    main()
