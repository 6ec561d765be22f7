"""Reserve pool ranking benchmark: the whole nightly run (``promotion.services.runs.ranking_run``)
against one hand-written SQL statement computing the same scores and ranks (the floor), on
PostgreSQL, with the run's peak memory.

    .venv/bin/python bench/pool.py [--cadres 100000] [--records N] [--runs 3] [--refill] [--database-url URL]
    .venv/bin/python bench/pool.py --cadres 1000000 --once --big-base 45 --drop   # the big size (20,000,000 records)
    .venv/bin/python bench/pool.py --profile        # one run under cProfile
    .venv/bin/python bench/pool.py --seed-only      # seed (or resume a seed) and stop; --reseed-pools: the pools afresh

It seeds its own database (pingdingshan_bench_pool, or pingdingshan_bench_pool_<n> for another
size; created if missing, reused unless --refill or incomplete) with bulk inserts, no services:
the city, the cadres, 3,000 warning cards (about half in force, every state, rulings waiving some),
sanctions and 5,000 awards of every level with ``bench/standing.py``'s ``_fill`` (the cards and
awards scaled with --cadres), 2,000,000 performance records (20 × --cadres; mostly verified) with
``bench/archive.py``'s ``_fill`` (beyond 2,000,000 the same rows generated in SQL, the records'
indexes built after the load), then its own: 3 published annual assessment periods with a
result per cadre (composites in hundredths, grades from the thresholds), frontline postings (5,000
closed with an evaluation, some running or proposed: scaled), and 7 industries × 4 categories = 28
reserve pools with a few criteria each (age, grades, 实绩 points, frontline) and their weights,
≈ 40,000 admitted entries in all (0.4 × --cadres; some cadres in several pools, some no longer
eligible, some blocked by a card) plus nominated and removed ones. Then ANALYZE (as autovacuum
would on a live database; see ``bench/archive.py``).

Measured:
- the run, in a child process (fresh interpreter): one warm-up, then --runs runs of
  ``ranking_run(on=DAY, trigger="command")`` (best and median), its peak memory — the child's
  VmHWM (peak resident set since exec; ``ru_maxrss`` of a child would include the parent's
  resident memory at fork) and its resident memory before the first run — and the queries of one
  more run (counted after the peak is read: the query log would inflate it);
- the floor, in this process: one SELECT (``FLOOR_SQL``, with JIT off) computing every pool's
  eligibility (its criteria and the pool block of ``standing``), components, scores and
  ``rank() over (partition by pool ...)``, fetched whole; one warm-up, then --runs runs;
- whether both give the same order: per pool, the ranked cadres, their ranks and scores of the
  current run against the floor's (mismatches counted, a few shown).
With --once: one run and one floor, no warm-up and no query count (the big size, run once);
--big-base SECONDS (the 100,000 run's median) prints the run's ratio to it (target ≤ 12×); --drop
drops the database at the end (the big size's 10 GB).

Targets (issue 12): run ÷ floor ≤ 1.5, peak memory < 1 GiB, 1,000,000 cadres ≤ 12 × the 100,000
time. It prints figures; it asserts nothing.
"""
import argparse
import datetime as dt
import io
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DAY = dt.date(2026, 12, 1)  # the run's day: fixed, so reruns rank the same data the same way
POOLS_PER_INDUSTRY = 4
ARCHIVE_FILL_MAX = 2_000_000  # more records are generated in SQL (``_fill_records_sql``)
ENTRIES_SHARE = 0.4  # admitted entries ≈ 0.4 × cadres (40,000 for 100,000)
POSTINGS_CLOSED_SHARE = 0.05  # 5,000 closed postings for 100,000 cadres
# Per category (in the seeded order): the criteria of its pools. Ages are at DAY.
CATEGORY_CRITERIA = [  # the parameters of promotion/services/eligibility.py's CRITERIA
    [("age", {"max": 50}), ("grades", {"years": 3, "min_grade": "2"}), ("points", {"years": 3, "min": 42})],
    [("age", {"max": 47}), ("grades", {"years": 3, "min_grade": "2"}), ("points", {"years": 3, "min": 24})],
    [("age", {"max": 45}), ("grades", {"years": 2, "min_grade": "2"})],
    [("age", {"max": 40}), ("grades", {"years": 2, "min_grade": "2"}),
     ("frontline", {"min_count": 1, "min_evaluation": "good"})],
]
# Weights per industry (composite, points, awards, frontline, cards), each summing to 100.
INDUSTRY_WEIGHTS = [(40, 30, 10, 10, 10), (50, 20, 10, 10, 10), (30, 40, 10, 10, 10), (40, 25, 15, 10, 10),
                    (35, 35, 5, 15, 10), (45, 25, 10, 5, 15), (40, 30, 10, 10, 10)]


def _db_name(url):
    from urllib.parse import urlparse

    return urlparse(url).path.lstrip("/")


def _drop_database(url):
    """Drop the benchmark database (--refill, an incomplete seed, or --drop after the big size)."""
    from urllib.parse import urlparse

    import psycopg2

    parts = urlparse(url)
    conn = psycopg2.connect(host=parts.hostname, port=parts.port or 5432, user=parts.username or "postgres",
                            password=parts.password, dbname="postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{_db_name(url)}" WITH (FORCE)')
    conn.close()


def _setup(url):
    from bench.roster import _ensure_database

    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pingdingshan.settings.local")
    os.environ["DEBUG"] = "false"
    os.environ.pop("REDIS_URL", None)  # the run in-process, no broker
    _ensure_database(url)
    import django

    django.setup()


def _peak_mib() -> float:
    """This process's peak resident memory (VmHWM: since exec, not inherited from the parent)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


# --------------------------------------------------------------------------- seeding
def _copy(table, columns, rows):
    """COPY ``rows`` (tuples; None → NULL) into ``table``."""
    from django.db import connection

    buf = io.StringIO()
    for row in rows:
        buf.write("\t".join("\\N" if v is None else str(v) for v in row))
        buf.write("\n")
    buf.seek(0)
    with connection.cursor() as cur:
        cur.cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buf)


def _seed_assessment(rng):
    """3 published annual periods (the 3 years before DAY's), a result per cadre: composite ~
    N(82, 7) in hundredths, the grade from the default thresholds (90 / 70 / 60)."""
    import numpy as np
    from django.utils import timezone

    from assessment.models import AssessmentPeriod, AssessmentResult, Category, IndicatorScheme, Tier
    from cadres.models import Cadre

    tier, category = Tier.objects.order_by("order").first(), Category.objects.order_by("order").first()
    cadres = np.array(list(Cadre.objects.order_by("pk").values_list("pk", "unit_id")), dtype=np.int64)
    gen = np.random.default_rng(rng.randint(0, 2 ** 31))
    ability = gen.normal(82, 6, len(cadres))  # a cadre's level, about the same each year
    now = timezone.now().isoformat()
    table = AssessmentResult._meta.db_table
    for year in (DAY.year - 3, DAY.year - 2, DAY.year - 1):
        scheme = IndicatorScheme.objects.create(tier=tier, category=category, year=year, name=f"基准测试 {year}",
                                                status="published", published_at=timezone.now())
        period = AssessmentPeriod.objects.create(
            name=f"基准测试 {year}年度考核", kind="annual", year=year, start_date=dt.date(year, 1, 1),
            end_date=dt.date(year, 12, 31), status="published", computed_at=timezone.now(),
            published_at=timezone.now())
        period.schemes.add(scheme)
        composite = np.clip(np.round(ability + gen.normal(0, 3, len(cadres)), 2), 0, 100)
        grade = np.select([composite >= 90, composite >= 70, composite >= 60], ["1", "2", "3"], "4")
        rows = ((period.pk, c, u, tier.pk, category.pk, scheme.pk, f"{x:.2f}", "0", "f", g, g, "", "", "", now)
                for (c, u), x, g in zip(cadres.tolist(), composite.tolist(), grade.tolist(), strict=True))
        _copy(table, ["period_id", "cadre_id", "unit_id", "tier_id", "category_id", "scheme_id", "composite",
                      "card_deduction", "vetoed", "computed_grade", "grade", "override_reason", "grade_note",
                      "political", "computed_at"],
              ((*r[:13], None, r[14]) for r in rows))
        print(f"  assessment {year}: {len(cadres):,} results", flush=True)


def _seed_postings(n_cadres, rng):
    """Closed postings with an evaluation (5 % of the cadres), running and proposed ones."""
    from cadres.models import Cadre
    from promotion.models import FrontlinePosting, Programme

    programmes = list(Programme.objects.values_list("pk", flat=True))
    ids = list(Cadre.objects.values_list("pk", flat=True))
    evaluations = ["excellent"] * 3 + ["good"] * 4 + ["fair"] * 2 + ["poor"]
    closed = int(n_cadres * POSTINGS_CLOSED_SHARE)
    rows = []
    for k in range(closed + closed // 5 + closed // 10):
        start = DAY - dt.timedelta(days=rng.randint(370, 3 * 365))
        status = "closed" if k < closed else ("approved" if k < closed + closed // 5 else "proposed")
        end = start + dt.timedelta(days=rng.choice([180, 365])) if status == "closed" else DAY + dt.timedelta(days=90)
        rows.append(FrontlinePosting(
            cadre_id=rng.choice(ids), programme_id=rng.choice(programmes), host=f"基准测试驻点{k % 500}",
            start_date=start, end_date=end, tasks="基准测试任务", status=status,
            evaluation=rng.choice(evaluations) if status == "closed" else "",
            evaluated_on=end if status == "closed" else None))
    FrontlinePosting.objects.bulk_create(rows, batch_size=10_000)
    print(f"  postings: {len(rows):,} ({closed:,} closed)", flush=True)


def _seed_pools(n_cadres, rng):
    """28 pools (7 industries × 4 categories), their criteria and weights, and the entries: about
    0.4 × cadres admitted, drawn from the cadres young enough for the pool (so most are eligible;
    some fail a grade or points criterion, some are blocked), plus nominated and removed ones."""
    from django.utils import timezone

    from cadres.models import Cadre
    from promotion.models import FrontlinePosting, Industry, PoolCategory, PoolCriterion, PoolEntry, ReservePool

    now = timezone.now()
    by_birth = list(Cadre.objects.order_by("birth_date", "pk").values_list("pk", "birth_date"))
    posted = set(FrontlinePosting.objects.filter(status="closed", evaluation__in=["excellent", "good"])
                 .values_list("cadre_id", flat=True))
    industries = list(Industry.objects.order_by("order", "pk"))
    categories = list(PoolCategory.objects.order_by("order", "pk"))[:POOLS_PER_INDUSTRY]
    n_pools = len(industries) * len(categories)
    per_pool = int(n_cadres * ENTRIES_SHARE / n_pools)
    entries, total = [], 0
    for i, industry in enumerate(industries):
        wc, wp, wa, wf, wk = INDUSTRY_WEIGHTS[i % len(INDUSTRY_WEIGHTS)]
        for j, category in enumerate(categories):
            pool = ReservePool.objects.create(
                name=f"{industry.name}·{category.name}", industry=industry, category=category, order=i * 10 + j,
                weight_composite=wc, weight_points=wp, weight_awards=wa, weight_frontline=wf, weight_cards=wk,
                composite_years=3 if j < 2 else 2, points_years=3, recency_percent=(50, 70, 80, 100)[(i + j) % 4])
            for order, (kind, params) in enumerate(CATEGORY_CRITERIA[j]):
                PoolCriterion.objects.create(pool=pool, kind=kind, params=_clean(kind, params), order=order)
            criteria = dict(CATEGORY_CRITERIA[j])
            born_after = DAY.replace(year=DAY.year - criteria["age"]["max"] - 1)
            young = [pk for pk, born in by_birth if born > born_after]
            want = min(len(young), per_pool + per_pool // 10 + per_pool // 20)
            if "frontline" in criteria:  # mostly cadres back from a well evaluated posting, as admitted
                back = [pk for pk in young if pk in posted]
                chosen = rng.sample(back, min(len(back), want * 9 // 10))
                rest = set(chosen)
                chosen += rng.sample([pk for pk in young if pk not in rest], want - len(chosen))
                rng.shuffle(chosen)
            else:
                chosen = rng.sample(young, want)
            for k, cadre_id in enumerate(chosen):
                status = "admitted" if k < per_pool else ("nominated" if k < per_pool + per_pool // 10 else "removed")
                entries.append(PoolEntry(
                    pool=pool, cadre_id=cadre_id, status=status, note="基准测试",
                    admitted_at=now if status != "nominated" else None,
                    removed_at=now if status == "removed" else None,
                    removal_reason="基准测试移出" if status == "removed" else ""))
            total += per_pool
    PoolEntry.objects.bulk_create(entries, batch_size=10_000)
    print(f"  pools: {n_pools}, entries: {len(entries):,} ({total:,} admitted)", flush=True)


def _fill_records_sql(target):
    """``bench/archive.py``'s ``_fill`` (the same rows: a random cadre and category, 6 in 8
    verified with 6 points, 1 draft, 1 submitted, started 10 to 2,000 days ago), generated in
    PostgreSQL 2,000,000 rows a statement: 20,000,000 rows built in Python would take an hour."""
    from django.db import connection

    from cadres.models import PerformanceRecord

    have = PerformanceRecord.objects.count()
    if have >= target:
        return
    started = time.perf_counter()
    table = PerformanceRecord._meta.db_table
    with connection.cursor() as cur:
        # A bulk load: the indexes but the primary key dropped, and built again at the end (one
        # sorted build each instead of 20,000,000 random insertions into a dozen of them).
        # Their definitions are kept in a table of their own, so an interrupted fill resumed builds them.
        cur.execute("CREATE TABLE IF NOT EXISTS bench_dropped_indexes (name text PRIMARY KEY, definition text)")
        cur.execute("INSERT INTO bench_dropped_indexes SELECT i.indexname, i.indexdef FROM pg_indexes i "
                    "WHERE i.tablename = %s AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = "
                    "i.indexname) ON CONFLICT DO NOTHING", [table])
        cur.execute("SELECT name, definition FROM bench_dropped_indexes ORDER BY name")
        indexes = cur.fetchall()
        for name, _definition in indexes:
            cur.execute(f'DROP INDEX IF EXISTS "{name}"')
        cur.execute("CREATE TEMPORARY TABLE bench_cadres AS SELECT row_number() OVER (ORDER BY id) AS n, id, unit_id "
                    "FROM cadres_cadre")
        cur.execute("CREATE UNIQUE INDEX ON bench_cadres (n)")
        cur.execute("SELECT count(*) FROM bench_cadres")
        n_cadres = cur.fetchone()[0]
        cur.execute("SELECT array_agg(id ORDER BY id) FROM cadres_taskcategory")
        categories = cur.fetchone()[0]
        cur.execute("SELECT setseed(0.2022)")
        while have < target:
            upto = min(target, have + 2_000_000)
            cur.execute("""
                INSERT INTO cadres_performancerecord (cadre_id, unit_id, category_id, title, description, role,
                    start_date, quantity_unit, status, return_reason, adjustment, adjustment_reason, points,
                    points_explanation, created_at, submitted_at, updated_at, points_basis)
                SELECT c.id, c.unit_id, (%(cats)s::bigint[])[1 + floor(r.k * %(ncats)s)::int], '基准测试实绩 ' || g,
                    '基准测试数据', 'main', current_date - (10 + floor(r.d * 1991))::int, '', r.status, '', 0, '',
                    CASE WHEN r.status = 'verified' THEN 6 END, '', now(),
                    CASE WHEN r.status <> 'draft' THEN now() - floor(r.m * 500001)::int * interval '1 minute' END,
                    now(), '{}'
                FROM generate_series(%(lo)s, %(hi)s) g
                CROSS JOIN LATERAL (SELECT g AS g2, 1 + floor(random() * %(n)s)::bigint AS cn, random() AS k,
                    random() AS d, random() AS m,
                    CASE WHEN random() < 0.75 THEN 'verified' WHEN random() < 0.5 THEN 'draft' ELSE 'submitted' END
                    AS status) r
                JOIN bench_cadres c ON c.n = r.cn
            """, {"cats": categories, "ncats": len(categories), "lo": have, "hi": upto - 1, "n": n_cadres})
            have = upto
            print(f"  records: {have:,} ({time.perf_counter() - started:.0f} s)", flush=True)
        cur.execute("DROP TABLE bench_cadres")
        for name, definition in indexes:
            cur.execute(definition)
            print(f"  index {name} ({time.perf_counter() - started:.0f} s)", flush=True)
        cur.execute("DROP TABLE bench_dropped_indexes")
        cur.execute("VACUUM ANALYZE cadres_performancerecord")


def _clean(kind, params):
    """The parameters as the criteria form stores them (defaults filled in), when eligibility has them."""
    try:
        from promotion.services.eligibility import criteria_clean
    except ImportError:
        return params
    clean, errors = criteria_clean(kind, params)
    assert not errors, (kind, params, errors)
    return clean


def reseed_pools(args):
    """Postings, pools, criteria and entries afresh (and no runs), on the seeded cadres."""
    from promotion.models import FrontlinePosting, PoolCriterion, PoolEntry, RankingEntry, RankingRun, ReservePool

    for model in (RankingEntry, RankingRun, PoolEntry, PoolCriterion, ReservePool, FrontlinePosting):
        model.objects.all().delete()
    rng = random.Random(1212)
    _seed_postings(args.cadres, rng)
    _seed_pools(args.cadres, rng)
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")


def seed(args):
    """Fill the database, stage by stage (a stage already done is kept: a big seed interrupted
    resumes where it stopped)."""
    import bench.archive as archive
    import bench.standing as standing_bench
    from assessment.models import AssessmentPeriod, AssessmentResult
    from cadres.models import Cadre
    from promotion.models import PoolEntry

    rng = random.Random(12)
    scale = args.cadres / 100_000
    for name in ("CARDS", "RULINGS", "AWARDS", "SANCTIONS", "CLARIFICATIONS"):
        setattr(standing_bench, name, int(getattr(standing_bench, name) * scale))
    t = time.perf_counter()
    if Cadre.objects.count() != args.cadres:
        standing_bench._fill(args.cadres, rng)
        print(f"  city, {args.cadres:,} cadres, {standing_bench.CARDS:,} cards, {standing_bench.AWARDS:,} awards: "
              f"{time.perf_counter() - t:.0f} s", flush=True)
    if args.records <= ARCHIVE_FILL_MAX:
        archive._fill(args.records)
    else:
        _fill_records_sql(args.records)
    if AssessmentResult.objects.count() != 3 * args.cadres:
        AssessmentResult.objects.all().delete()
        AssessmentPeriod.objects.all().delete()
        _seed_assessment(rng)
    if not PoolEntry.objects.exists():
        reseed_pools(args)  # ends with VACUUM ANALYZE of every table
    else:
        archive._analyze()


def _seeded(args) -> bool:
    from assessment.models import AssessmentResult
    from cadres.models import Cadre, PerformanceRecord
    from promotion.models import PoolEntry

    return (Cadre.objects.count() == args.cadres and PerformanceRecord.objects.count() >= args.records
            and AssessmentResult.objects.count() == 3 * args.cadres and PoolEntry.objects.exists())


# --------------------------------------------------------------------------- the run (child)
def _vacuum_rankings():
    """Each timed run re-ranks the same day, so it deletes the previous run's 40,000 rows. A live
    database's autovacuum reclaims them between nights; this machine runs PostgreSQL with autovacuum
    off, and without this every run wrote into a table and indexes swollen by all earlier runs' dead
    rows (2,200,000 of them, 3.5 GB, after a few dozen runs). Not timed."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE promotion_rankingentry")


def run_child(args):
    """Child process: one warm-up, --runs timed runs, the peak memory, then the queries of one run."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from promotion.services.runs import ranking_run

    base = _rss_mib()
    times = []
    if args.once:  # the big size: one run, nothing else (the query log of a run would inflate the peak)
        t = time.perf_counter()
        run = ranking_run(on=DAY, trigger="command")
        seconds = time.perf_counter() - t
        print(f"RUN once: {seconds:.2f} s, {run.status}, counts "
              f"{ {k: v for k, v in run.counts.items() if k != 'per_pool'} }", flush=True)
        print(f"RESULT best={seconds:.3f} median={seconds:.3f} peak_mib={_peak_mib():.0f} base_mib={base:.0f} "
              f"queries=not-counted", flush=True)
        return
    for k in range(args.runs + 1):
        _vacuum_rankings()
        t = time.perf_counter()
        run = ranking_run(on=DAY, trigger="command")
        seconds = time.perf_counter() - t
        if k:
            times.append(seconds)
        print(f"RUN {k or 'warm-up'}: {seconds:.2f} s, {run.status}, counts "
              f"{ {k: v for k, v in run.counts.items() if k != 'per_pool'} }", flush=True)
    peak = _peak_mib()
    with CaptureQueriesContext(connection) as ctx:
        ranking_run(on=DAY, trigger="command")
    print(f"RESULT best={min(times):.3f} median={statistics.median(times):.3f} peak_mib={peak:.0f} "
          f"base_mib={base:.0f} queries={len(ctx.captured_queries)}", flush=True)


def profile_child(args):
    """Child process: one run under cProfile (the standard library's), the functions taking most
    time (cumulative, then own time) printed."""
    import cProfile
    import pstats

    from promotion.services.runs import ranking_run

    profiler = cProfile.Profile()
    profiler.enable()
    ranking_run(on=DAY, trigger="command")
    profiler.disable()
    stats = pstats.Stats(profiler, stream=sys.stdout).strip_dirs()
    stats.sort_stats("cumulative").print_stats(30)
    stats.sort_stats("tottime").print_stats(20)


# --------------------------------------------------------------------------- the floor
# The floor: every pool's ranking in one statement, by the rules of ``promotion/services/ranking.py``
# and ``eligibility.py`` (their docstrings), the cards, sanctions and awards as ``standing`` reads them:
# - ranked: an admitted entry of an active pool whose cadre serves (在职), meets the pool's criteria
#   (age in whole years; no published annual grade below the minimum in the N calendar years before
#   the day's year; verified current points of records started in the last N years; closed postings
#   evaluated by the day at least as well as asked) and is not blocked from the pool on the day (a
#   card in force — issued, in its term, not lifted, not cleared, not revoked by a ruling — or a
#   sanction in force, unless a decided ruling on it waives the pool);
# - composite: the published annual composites of the pool's composite_years years ending with the
#   latest published year, year k back weighing (recency %)^k, a mean over the years the cadre has;
# - points: the points of the 12-month windows ending on the day, window k back weighing
#   (recency %)^k, × 100 ÷ the best total among the pool's ranked entries;
# - awards: the points of each award's level over POOL_AWARD_YEARS up to the day, at most 100;
# - frontline: the points of the best evaluation among the cadre's closed postings;
# - cards: 100 − the deductions of the cards in force on some day from 1 January of the first
#   composite year to the day, neither cleared, revoked nor waived for the assessment, at least 0;
# - each component's contribution weight × value ÷ 100, the score their sum (hundredths, each
#   quotient rounded half up); rank() by score, then the composite, then the points values.
# (The cadres of the entries are filtered with a subquery on the table, not on a CTE: PostgreSQL
# estimates a CTE's distinct values as 200 and then probes the records' index 27,000 times.)
FLOOR_SQL = """
WITH pool AS (
    SELECT id, weight_composite AS wc, weight_points AS wp, weight_awards AS wa, weight_frontline AS wf,
           weight_cards AS wk, composite_years AS cy, points_years AS py,
           (recency_percent / gcd(recency_percent, 100))::numeric AS a, (100 / gcd(recency_percent, 100))::numeric AS b
    FROM promotion_reservepool WHERE is_active
), entry AS (
    SELECT e.id AS entry_id, e.pool_id, e.cadre_id FROM promotion_poolentry e JOIN pool p ON p.id = e.pool_id
    WHERE e.status = 'admitted'
), anchor AS (
    SELECT coalesce(max(year), %(year)s - 1) AS y FROM assessment_assessmentperiod
    WHERE kind = 'annual' AND status = 'published' AND year <= %(year)s
), crit AS (
    SELECT pool_id,
           max((params->>'min')::int) FILTER (WHERE kind = 'age') AS age_min,
           max((params->>'max')::int) FILTER (WHERE kind = 'age') AS age_max,
           max((params->>'years')::int) FILTER (WHERE kind = 'grades') AS grades_years,
           max((params->>'min_grade')::int) FILTER (WHERE kind = 'grades') AS grades_min,
           bool_or((params->>'missing_fails')::boolean) FILTER (WHERE kind = 'grades') AS grades_missing_fails,
           max((params->>'years')::int) FILTER (WHERE kind = 'points') AS points_years,
           max((params->>'min')::numeric) FILTER (WHERE kind = 'points') AS points_min,
           max((params->>'min_count')::int) FILTER (WHERE kind = 'frontline') AS frontline_count,
           max(array_position(%(evaluation_order)s::text[], params->>'min_evaluation'))
               FILTER (WHERE kind = 'frontline') AS frontline_min
    FROM promotion_poolcriterion GROUP BY pool_id
), annual AS (  -- a cadre's composite per year (two annual results in a year: the later period's)
    SELECT DISTINCT ON (r.cadre_id, p.year) r.cadre_id, p.year, round(r.composite * 100) AS h
    FROM assessment_assessmentresult r
    JOIN assessment_assessmentperiod p ON p.id = r.period_id AND p.kind = 'annual' AND p.status = 'published'
    WHERE r.cadre_id IN (SELECT cadre_id FROM promotion_poolentry WHERE status = 'admitted') AND r.composite IS NOT NULL
      AND p.year <= (SELECT y FROM anchor) AND p.year > (SELECT y FROM anchor) - 10
    ORDER BY r.cadre_id, p.year, p.end_date DESC, p.id DESC
), grades AS (  -- a cadre's lowest grade per year before the day's year
    SELECT r.cadre_id, p.year, max(r.grade::int) AS worst FROM assessment_assessmentresult r
    JOIN assessment_assessmentperiod p ON p.id = r.period_id AND p.kind = 'annual' AND p.status = 'published'
    WHERE r.cadre_id IN (SELECT cadre_id FROM promotion_poolentry WHERE status = 'admitted') AND r.grade <> ''
      AND p.year < %(year)s AND p.year >= %(year)s - 10
    GROUP BY 1, 2
), windows AS (  -- 12-month windows ending on the day, latest (k = 0) first; their first days ascending
    SELECT array_agg((%(day)s::date - make_interval(years => k + 1))::date + 1 ORDER BY k DESC) AS starts
    FROM generate_series(0, 9) k
), points AS (  -- a cadre's verified current points per window, hundredths
    SELECT cadre_id, 10 - width_bucket(start_date, (SELECT starts FROM windows)) AS k, round(sum(points) * 100) AS h
    FROM cadres_performancerecord
    WHERE status = 'verified' AND superseded_by_id IS NULL AND points IS NOT NULL AND start_date <= %(day)s
      AND start_date >= (SELECT starts[1] FROM windows)
      AND cadre_id IN (SELECT cadre_id FROM promotion_poolentry WHERE status = 'admitted')
    GROUP BY 1, 2
), clarified AS (
    SELECT DISTINCT card_id FROM assessment_clarification WHERE card_id IS NOT NULL
), cards AS (  -- the cards standing lists (issued, not cleared, not revoked by a ruling) and their ruling
    SELECT c.cadre_id, c.color, c.start_date, c.end_date, c.lifted_on, r.waive_pool, r.waive_assessment,
           (%(card_blocks_pool)s::jsonb ? c.color) AS blocks_pool,
           round(100 * coalesce((%(deduction)s::jsonb->>c.color)::numeric, 0)) AS deduction
    FROM assessment_warningcard c
    LEFT JOIN assessment_toleranceruling r ON r.card_id = c.id AND r.status IN ('decided', 'reported')
         AND r.decision IN ('full', 'partial')
    WHERE c.status IN ('issued', 'appealed', 'upheld', 'expired', 'lifted') AND c.start_date <= %(day)s
      AND c.cadre_id IN (SELECT cadre_id FROM promotion_poolentry WHERE status = 'admitted')
      AND c.id NOT IN (SELECT card_id FROM clarified)
      AND NOT coalesce(r.waive_card, false)
), blocked AS (
    SELECT cadre_id FROM cards
    WHERE blocks_pool AND end_date >= %(day)s AND (lifted_on IS NULL OR lifted_on > %(day)s)
      AND NOT coalesce(waive_pool, false)
    UNION
    SELECT s.cadre_id FROM assessment_sanction s
    LEFT JOIN assessment_toleranceruling r ON r.sanction_id = s.id AND r.status IN ('decided', 'reported')
         AND r.decision IN ('full', 'partial')
    WHERE %(sanction_blocks_pool)s AND s.revoked_on IS NULL AND s.decided_on <= %(day)s AND s.end_date >= %(day)s
      AND NOT coalesce(r.waive_pool, false)
), awards AS (
    SELECT a.cadre_id, least(10000, sum(round(100 * coalesce((%(award_points)s::jsonb->>k.level)::numeric, 0))))
               AS value
    FROM assessment_award a JOIN assessment_awardkind k ON k.id = a.kind_id
    WHERE a.awarded_on <= %(day)s AND a.awarded_on > (%(day)s::date - make_interval(years => %(award_years)s))::date
      AND (a.revoked_on IS NULL OR a.revoked_on > %(day)s)
      AND a.cadre_id IN (SELECT cadre_id FROM promotion_poolentry WHERE status = 'admitted')
    GROUP BY a.cadre_id
), postings AS (
    SELECT cadre_id, min(array_position(%(evaluation_order)s::text[], evaluation::text)) AS best,
           array_agg(array_position(%(evaluation_order)s::text[], evaluation::text))
               FILTER (WHERE evaluated_on <= %(day)s OR (evaluated_on IS NULL AND end_date <= %(day)s)) AS by_day
    FROM promotion_frontlineposting
    WHERE status = 'closed' AND evaluation <> ''
      AND cadre_id IN (SELECT cadre_id FROM promotion_poolentry WHERE status = 'admitted')
    GROUP BY cadre_id
), per_entry AS (
    SELECT e.entry_id,
           sum(x.h * power(p.a, (SELECT y FROM anchor) - x.year) * power(p.b, p.cy - 1 - ((SELECT y FROM anchor) - x.year)))
               FILTER (WHERE x.year > (SELECT y FROM anchor) - p.cy) AS num,
           sum(power(p.a, (SELECT y FROM anchor) - x.year) * power(p.b, p.cy - 1 - ((SELECT y FROM anchor) - x.year)))
               FILTER (WHERE x.year > (SELECT y FROM anchor) - p.cy) AS den
    FROM entry e JOIN pool p ON p.id = e.pool_id JOIN annual x ON x.cadre_id = e.cadre_id
    GROUP BY e.entry_id
), per_entry_points AS (
    SELECT e.entry_id,
           round(sum(w.h * power(p.a, w.k) * power(p.b, p.py - 1 - w.k)) FILTER (WHERE w.k < p.py)
                 / power(p.b, p.py - 1)) AS total,
           sum(w.h) FILTER (WHERE w.k < c.points_years) AS plain
    FROM entry e JOIN pool p ON p.id = e.pool_id JOIN points w ON w.cadre_id = e.cadre_id
    LEFT JOIN crit c ON c.pool_id = e.pool_id
    GROUP BY e.entry_id, p.b, p.py
), per_entry_grades AS (
    SELECT e.entry_id, bool_or(g.worst > c.grades_min) AS low, count(*) AS years
    FROM entry e JOIN crit c ON c.pool_id = e.pool_id
    JOIN grades g ON g.cadre_id = e.cadre_id AND g.year >= %(year)s - c.grades_years
    GROUP BY e.entry_id
), per_entry_cards AS (
    SELECT e.entry_id, sum(k.deduction) AS deduction
    FROM entry e JOIN pool p ON p.id = e.pool_id JOIN cards k ON k.cadre_id = e.cadre_id
    CROSS JOIN LATERAL (SELECT least(make_date((SELECT y FROM anchor) - p.cy + 1, 1, 1), %(day)s::date) AS since) w
    WHERE NOT coalesce(k.waive_assessment, false) AND k.end_date >= w.since
      AND (k.lifted_on IS NULL OR (k.lifted_on > w.since AND k.lifted_on > k.start_date))
    GROUP BY e.entry_id
), scored AS MATERIALIZED (  -- materialized: the filter on "ranked" pushed into the joins made the planner guess 1 row
    SELECT e.entry_id, e.pool_id, e.cadre_id, p.wc, p.wp, p.wa, p.wf, p.wk,
        coalesce(round(m.num / nullif(m.den, 0)), 0) AS composite, coalesce(t.total, 0) AS total,
        coalesce(a.value, 0) AS awards,
        coalesce(round(100 * (%(frontline_points)s::jsonb->>((%(evaluation_order)s::text[])[f.best]))::numeric), 0)
            AS frontline,
        greatest(0, 10000 - coalesce(k.deduction, 0)) AS cards,
        cd.status = 'active'
        AND (c.age_min IS NULL OR date_part('year', age(%(day)s, cd.birth_date)) >= c.age_min)
        AND (c.age_max IS NULL OR date_part('year', age(%(day)s, cd.birth_date)) <= c.age_max)
        AND (c.grades_years IS NULL OR (NOT coalesce(g.low, false)
             AND NOT (coalesce(c.grades_missing_fails, false) AND coalesce(g.years, 0) < c.grades_years)))
        AND (c.points_years IS NULL OR coalesce(t.plain, 0) >= 100 * c.points_min)
        AND (c.frontline_min IS NULL OR (SELECT count(*) FROM unnest(f.by_day) v WHERE v <= c.frontline_min)
                                        >= c.frontline_count)
        AND e.cadre_id NOT IN (SELECT cadre_id FROM blocked) AS ranked
    FROM entry e JOIN pool p ON p.id = e.pool_id JOIN cadres_cadre cd ON cd.id = e.cadre_id
    LEFT JOIN crit c ON c.pool_id = e.pool_id LEFT JOIN per_entry m ON m.entry_id = e.entry_id
    LEFT JOIN per_entry_points t ON t.entry_id = e.entry_id LEFT JOIN per_entry_grades g ON g.entry_id = e.entry_id
    LEFT JOIN per_entry_cards k ON k.entry_id = e.entry_id
    LEFT JOIN awards a ON a.cadre_id = e.cadre_id LEFT JOIN postings f ON f.cadre_id = e.cadre_id
), valued AS (
    SELECT *, CASE WHEN best > 0 THEN least(10000, round(greatest(total, 0) * 10000 / best)) ELSE 0 END AS points
    FROM (SELECT *, max(greatest(total, 0)) OVER (PARTITION BY pool_id) AS best FROM scored WHERE ranked) s
), total AS (
    SELECT pool_id, cadre_id, composite, points,
           round(wc * composite / 100) + round(wp * points / 100) + round(wa * awards / 100)
           + round(wf * frontline / 100) + round(wk * cards / 100) AS score
    FROM valued
)
SELECT pool_id, cadre_id, score::int, rank() OVER (PARTITION BY pool_id ORDER BY score DESC, composite DESC, points DESC)
FROM total
"""


def floor_params(day):
    import json

    from django.conf import settings

    from assessment.services import conduct
    from promotion.models.postings import EVALUATION_ORDER

    return {"day": day, "year": day.year, "deduction": json.dumps(dict(getattr(settings, "CARD_DEDUCTION", {}))),
            "card_blocks_pool": json.dumps([c for c in ("yellow", "red") if "pool" in conduct.card_blocks(c)]),
            "sanction_blocks_pool": "pool" in conduct.sanction_blocks(),
            "award_points": json.dumps(settings.POOL_AWARD_POINTS), "award_years": settings.POOL_AWARD_YEARS,
            "frontline_points": json.dumps(settings.POOL_FRONTLINE_POINTS),
            "evaluation_order": [str(e) for e in EVALUATION_ORDER]}


def floor(day):
    """The floor: one statement, fetched whole. {pool id: {cadre id: (rank, score)}} of the ranked."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cur:
        # Without JIT: through the CTEs PostgreSQL guesses millions of rows (the real ones: 40,000)
        # and spent 11 s compiling the statement, which then ran in 3 s.
        cur.execute("SET LOCAL jit = off")
        cur.execute(FLOOR_SQL, floor_params(day))
        rows = cur.fetchall()
    out = {}
    for pool_id, cadre_id, score, rank in rows:
        out.setdefault(pool_id, {})[cadre_id] = (rank, score)
    return out


def current_ranking():
    """{pool id: {cadre id: (rank, score)}} of the ranked entries of the current run."""
    from promotion.models import RankingEntry

    out = {}
    rows = (RankingEntry.objects.filter(run__is_current=True, rank__isnull=False).order_by()
            .values_list("pool_id", "cadre_id", "rank", "score"))
    for pool_id, cadre_id, rank, score in rows.iterator(chunk_size=20_000):
        out.setdefault(pool_id, {})[cadre_id] = (rank, score)
    return out


def compare(run, flo):
    """Mismatches between the run's and the floor's rankings, with a few examples."""
    pools = sorted(set(run) | set(flo))
    bad, examples, same = 0, [], 0
    for p in pools:
        a, b = run.get(p, {}), flo.get(p, {})
        for cid in sorted(set(a) | set(b)):
            if a.get(cid) == b.get(cid):
                same += 1
                continue
            bad += 1
            if len(examples) < 8:
                examples.append(f"pool {p} cadre {cid}: run (rank, score) {a.get(cid)} · floor {b.get(cid)}")
    return same, bad, examples


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cadres", type=int, default=100_000)
    parser.add_argument("--records", type=int, help="default 20 × --cadres")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--refill", action="store_true")
    parser.add_argument("--once", action="store_true", help="one run and one floor, no warm-up (the big size)")
    parser.add_argument("--seed-only", action="store_true", help="seed (if needed) and stop")
    parser.add_argument("--reseed-pools", action="store_true", help="postings, pools and entries afresh")
    parser.add_argument("--profile", action="store_true", help="profile one run (cProfile)")
    parser.add_argument("--big-base", type=float, help="the 100,000 run's median, for the big size's ratio")
    parser.add_argument("--drop", action="store_true", help="drop the database at the end (the big size's disk)")
    parser.add_argument("--database-url")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.records = args.records or 20 * args.cadres
    suffix = "" if args.cadres == 100_000 else f"_{args.cadres}"
    args.database_url = args.database_url or os.environ.get(
        "BENCH_POOL_DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/pingdingshan_bench_pool{suffix}")
    if args.refill and not args.child:
        _drop_database(args.database_url)
    _setup(args.database_url)
    if args.child:
        (profile_child if args.profile else run_child)(args)
        return

    from django.conf import settings
    from django.core.management import call_command

    print(f"database: {settings.DATABASES['default']['NAME']}")
    call_command("migrate", verbosity=0)
    if not _seeded(args):
        t = time.perf_counter()
        seed(args)
        print(f"seeded in {time.perf_counter() - t:.0f} s")
    elif args.reseed_pools:
        reseed_pools(args)
    _describe()
    if args.seed_only:
        return
    child = [sys.executable, __file__, "--child", "--cadres", str(args.cadres), "--runs", str(args.runs),
             "--database-url", args.database_url] + (["--profile"] if args.profile else []) + \
        (["--once"] if args.once else [])
    out = subprocess.run(child, capture_output=True, text=True, check=False)
    if args.profile:
        print(out.stdout[-20000:], out.stderr[-3000:])
        return
    for line in out.stdout.splitlines():
        print(line)
    result = next((x for x in out.stdout.splitlines() if x.startswith("RESULT")), None)
    if result is None:  # no run to time (not written yet, or it failed): the floor alone
        print("the run did not complete:", out.stderr.strip().splitlines()[-1:] or out.stdout[-2000:])
        figures = None
    else:
        figures = dict(kv.split("=") for kv in result.split()[1:])

    flo = None if args.once else floor(DAY)  # warm-up
    times = []
    for _ in range(1 if args.once else args.runs):
        t = time.perf_counter()
        flo = floor(DAY)
        times.append(time.perf_counter() - t)
    fbest, fmedian = min(times), statistics.median(times)
    print(f"\n{'':28} {'best s':>8} {'median s':>9}")
    if figures:
        best, median = float(figures["best"]), float(figures["median"])
        print(f"{'ranking_run (whole run)':28} {best:8.2f} {median:9.2f}")
    print(f"{'floor (one SQL statement)':28} {fbest:8.2f} {fmedian:9.2f}   "
          f"({sum(len(v) for v in flo.values()):,} ranked in {len(flo)} pools)")
    if not figures:
        return
    print(f"run ÷ floor (medians): {median / fmedian:.2f} (target ≤ 1.5)")
    print(f"peak memory of the run (VmHWM of the child): {figures['peak_mib']} MiB "
          f"(before the first run {figures['base_mib']} MiB; target < 1024)")
    print(f"queries of one run: {figures['queries']}")
    same, bad, examples = compare(current_ranking(), flo)
    print(f"same order: {same:,} ranked entries alike, {bad:,} mismatches")
    for line in examples:
        print(f"  {line}")
    if args.big_base:
        print(f"{args.cadres:,} cadres: {median:.1f} s = {median / args.big_base:.1f} × the 100,000 time "
              f"{args.big_base:.1f} s (target ≤ 12×)")


def _describe():
    from assessment.models import AssessmentResult, Award, WarningCard
    from cadres.models import Cadre, PerformanceRecord
    from promotion.models import FrontlinePosting, PoolEntry, ReservePool

    print(f"cadres {Cadre.objects.count():,} · records {PerformanceRecord.objects.count():,} · results "
          f"{AssessmentResult.objects.count():,} · cards {WarningCard.objects.count():,} · awards "
          f"{Award.objects.count():,} · postings {FrontlinePosting.objects.count():,} · pools "
          f"{ReservePool.objects.count()} · admitted entries {PoolEntry.objects.filter(status='admitted').count():,}")


if __name__ == "__main__":
    try:
        main()
    finally:
        if "--drop" in sys.argv and "--child" not in sys.argv:
            from django.db import connections

            connections.close_all()
            _drop_database(os.environ["DATABASE_URL"])  # set by _setup from --database-url or the default
            print(f"dropped {_db_name(os.environ['DATABASE_URL'])}")
