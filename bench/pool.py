"""Reserve pool ranking benchmark: the whole nightly run (``promotion.services.runs.ranking_run``)
against one hand-written SQL statement computing the same scores and ranks (the floor), on
PostgreSQL, with the run's peak memory.

    .venv/bin/python bench/pool.py [--cadres 100000] [--records N] [--runs 3] [--refill] [--database-url URL]
    .venv/bin/python bench/pool.py --cadres 1000000 --big-base 12.3   # the big size, once (20,000,000 records)

It seeds its own database (pingdingshan_bench_pool, or pingdingshan_bench_pool_<n> for another
size; created if missing, reused unless --refill or incomplete) with bulk inserts, no services:
the city, the cadres, 3,000 warning cards (about half in force, every state, rulings waiving some),
sanctions and 5,000 awards of every level with ``bench/standing.py``'s ``_fill`` (the cards and
awards scaled with --cadres), 2,000,000 performance records (20 × --cadres; mostly verified) with
``bench/archive.py``'s ``_fill``, then its own: 3 published annual assessment periods with a
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
- the floor, in this process: one SELECT computing every pool's eligibility (its criteria and the
  pool block of ``standing``), components, scores and ``rank() over (partition by pool ...)``,
  fetched whole; one warm-up, then --runs runs;
- whether both give the same order: per pool, the ranked cadres, their ranks and scores of the
  current run against the floor's (mismatches counted, a few shown).
With --big-base SECONDS (the 100,000 run's median) it prints the big run's ratio to it (target ≤ 12×).

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
CATEGORY_CRITERIA = [
    [("age", {"max": 50}), ("grades", {"years": 3, "min": "2"}), ("points", {"years": 3, "min": 12})],
    [("age", {"max": 47}), ("grades", {"years": 3, "min": "2"}), ("points", {"years": 3, "min": 6})],
    [("age", {"max": 45}), ("grades", {"years": 2, "min": "2"})],
    [("age", {"max": 40}), ("grades", {"years": 2, "min": "2"}), ("frontline", {"min": "good"})],
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
        start = DAY - dt.timedelta(days=rng.randint(200, 3 * 365))
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
    from promotion.models import Industry, PoolCategory, PoolCriterion, PoolEntry, ReservePool

    now = timezone.now()
    by_birth = list(Cadre.objects.order_by("birth_date", "pk").values_list("pk", "birth_date"))
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
                PoolCriterion.objects.create(pool=pool, kind=kind, params=params, order=order)
            max_age = dict(CATEGORY_CRITERIA[j])["age"]["max"]
            born_after = DAY.replace(year=DAY.year - max_age - 1)
            young = [pk for pk, born in by_birth if born > born_after]
            chosen = rng.sample(young, min(len(young), per_pool + per_pool // 10 + per_pool // 20))
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
    started = time.perf_counter()
    with connection.cursor() as cur:
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
        cur.execute("VACUUM ANALYZE cadres_performancerecord")


def seed(args):
    """Fill the database (it is empty: migrated, nothing else)."""
    import bench.archive as archive
    import bench.standing as standing_bench

    rng = random.Random(12)
    scale = args.cadres / 100_000
    for name in ("CARDS", "RULINGS", "AWARDS", "SANCTIONS", "CLARIFICATIONS"):
        setattr(standing_bench, name, int(getattr(standing_bench, name) * scale))
    t = time.perf_counter()
    standing_bench._fill(args.cadres, rng)
    print(f"  city, {args.cadres:,} cadres, {standing_bench.CARDS:,} cards, {standing_bench.AWARDS:,} awards: "
          f"{time.perf_counter() - t:.0f} s", flush=True)
    if args.records <= ARCHIVE_FILL_MAX:
        archive._fill(args.records)
    else:
        _fill_records_sql(args.records)
    _seed_assessment(rng)
    _seed_postings(args.cadres, rng)
    _seed_pools(args.cadres, rng)
    archive._analyze()
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")


def _seeded(args) -> bool:
    from assessment.models import AssessmentResult
    from cadres.models import Cadre, PerformanceRecord
    from promotion.models import PoolEntry

    return (Cadre.objects.count() == args.cadres and PerformanceRecord.objects.count() >= args.records
            and AssessmentResult.objects.count() == 3 * args.cadres and PoolEntry.objects.exists())


# --------------------------------------------------------------------------- the run (child)
def run_child(args):
    """Child process: one warm-up, --runs timed runs, the peak memory, then the queries of one run."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from promotion.services.runs import ranking_run

    base = _rss_mib()
    times = []
    for k in range(args.runs + 1):
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
    """Child process: one run under pyinstrument (if installed), the profile printed."""
    from pyinstrument import Profiler

    from promotion.services.runs import ranking_run

    ranking_run(on=DAY, trigger="command")
    profiler = Profiler()
    profiler.start()
    ranking_run(on=DAY, trigger="command")
    profiler.stop()
    print(profiler.output_text(unicode=True, color=False, show_all=False))


# --------------------------------------------------------------------------- the floor
# The floor: every pool's ranking in one statement. The rules (``promotion/services/ranking.py``'s
# and ``eligibility.py``'s docstrings; the cards and sanctions as ``standing`` reads them on the day):
# - ranked: an admitted entry of an active pool whose cadre meets the pool's criteria (age on the
#   day ≤ max; no published annual grade worse than min in the last n years; verified current 实绩
#   points of the last n years ≥ min; a closed posting evaluated at least min) and is not blocked
#   for "pool" (a card in force — issued, in its term, not lifted, not cleared, not revoked by a
#   ruling — or a sanction in force, unless a decided ruling on it waives the pool);
# - composite: the published annual composites of the last composite_years years, the year before
#   the day's weighing 1 and each year further back recency % of the next (a weighted mean over
#   the years the cadre has);
# - points: the verified, current points of the last points_years calendar years with the same
#   decay, × 100 ÷ the pool's best;
# - awards: the points of each award's level (POOL_AWARD_POINTS) over POOL_AWARD_YEARS, at most 100;
# - frontline: the best closed posting's evaluation (POOL_FRONTLINE_POINTS);
# - cards: 100 − the deductions (CARD_DEDUCTION) of the cards in force not waived for the
#   assessment, at least 0;
# - score: Σ weight × value ÷ 100 in hundredths, rounded half up; rank() by score, then the
#   composite, then the points (equals share a rank).
FLOOR_SQL = """
WITH pool AS (
    SELECT id, weight_composite AS wc, weight_points AS wp, weight_awards AS wa, weight_frontline AS wf,
           weight_cards AS wk, composite_years AS cy, points_years AS py, recency_percent / 100.0 AS r
    FROM promotion_reservepool WHERE is_active
), entry AS (
    SELECT e.id AS entry_id, e.pool_id, e.cadre_id FROM promotion_poolentry e JOIN pool p ON p.id = e.pool_id
    WHERE e.status = 'admitted'
), who AS (
    SELECT DISTINCT cadre_id FROM entry
), crit AS (
    SELECT pool_id,
           max((params->>'max')::int) FILTER (WHERE kind = 'age') AS age_max,
           max((params->>'years')::int) FILTER (WHERE kind = 'grades') AS grades_years,
           max(params->>'min') FILTER (WHERE kind = 'grades') AS grades_min,
           max((params->>'years')::int) FILTER (WHERE kind = 'points') AS points_years,
           max((params->>'min')::numeric) FILTER (WHERE kind = 'points') AS points_min,
           max(params->>'min') FILTER (WHERE kind = 'frontline') AS frontline_min
    FROM promotion_poolcriterion GROUP BY pool_id
), results AS (
    SELECT r.cadre_id, p.year, r.composite, r.grade FROM assessment_assessmentresult r
    JOIN assessment_assessmentperiod p ON p.id = r.period_id AND p.kind = 'annual' AND p.status = 'published'
    WHERE r.cadre_id IN (SELECT cadre_id FROM who) AND p.year < %(year)s AND p.year >= %(year)s - 10
), yearly AS (
    SELECT cadre_id, extract(year FROM start_date)::int AS year, sum(points) AS points
    FROM cadres_performancerecord
    WHERE status = 'verified' AND superseded_by_id IS NULL AND start_date <= %(day)s
      AND start_date >= make_date(%(year)s - 10, 1, 1) AND cadre_id IN (SELECT cadre_id FROM who)
    GROUP BY 1, 2
), cards AS (
    SELECT c.cadre_id, bool_or(r.id IS NULL OR NOT r.waive_pool) AS blocks,
           sum(CASE WHEN r.id IS NULL OR NOT r.waive_assessment
                    THEN (%(deduction)s::jsonb->>c.color)::numeric ELSE 0 END) AS deduction
    FROM assessment_warningcard c
    LEFT JOIN assessment_toleranceruling r ON r.card_id = c.id AND r.status IN ('decided', 'reported')
         AND r.decision IN ('full', 'partial')
    WHERE c.status IN ('issued', 'appealed', 'upheld', 'expired', 'lifted') AND c.start_date <= %(day)s
      AND c.end_date >= %(day)s AND (c.lifted_on IS NULL OR c.lifted_on > %(day)s)
      AND NOT EXISTS (SELECT 1 FROM assessment_clarification k WHERE k.card_id = c.id)
      AND NOT coalesce(r.waive_card, false)
    GROUP BY c.cadre_id
), sanctions AS (
    SELECT DISTINCT s.cadre_id FROM assessment_sanction s
    LEFT JOIN assessment_toleranceruling r ON r.sanction_id = s.id AND r.status IN ('decided', 'reported')
         AND r.decision IN ('full', 'partial')
    WHERE %(sanction_blocks_pool)s AND s.revoked_on IS NULL AND s.decided_on <= %(day)s AND s.end_date >= %(day)s
      AND NOT coalesce(r.waive_pool, false)
), awards AS (
    SELECT a.cadre_id, least(100, sum((%(award_points)s::jsonb->>k.level)::numeric)) AS value
    FROM assessment_award a JOIN assessment_awardkind k ON k.id = a.kind_id
    WHERE a.awarded_on <= %(day)s AND a.awarded_on > %(day)s - make_interval(years => %(award_years)s)
      AND (a.revoked_on IS NULL OR a.revoked_on > %(day)s)
    GROUP BY a.cadre_id
), frontline AS (
    SELECT cadre_id, max((%(frontline_points)s::jsonb->>evaluation)::numeric) AS value,
           min(array_position(%(evaluation_order)s::text[], evaluation::text)) AS best
    FROM promotion_frontlineposting WHERE status = 'closed' AND evaluation <> '' GROUP BY cadre_id
 ), comp AS (
    SELECT e.entry_id,
           sum(power(p.r, %(year)s - 1 - x.year) * x.composite) FILTER (WHERE x.year >= %(year)s - p.cy)
           / nullif(sum(power(p.r, %(year)s - 1 - x.year))
                    FILTER (WHERE x.year >= %(year)s - p.cy AND x.composite IS NOT NULL), 0) AS composite,
           bool_or(x.grade > c.grades_min AND x.year >= %(year)s - c.grades_years) AS bad_grade
    FROM entry e JOIN pool p ON p.id = e.pool_id JOIN results x ON x.cadre_id = e.cadre_id
    LEFT JOIN crit c ON c.pool_id = e.pool_id
    WHERE x.composite IS NOT NULL OR x.grade <> ''
    GROUP BY e.entry_id
), pts AS (
    SELECT e.entry_id, sum(power(p.r, %(year)s - y.year) * y.points) FILTER (WHERE y.year > %(year)s - p.py) AS raw,
           sum(y.points) FILTER (WHERE y.year > %(year)s - c.points_years) AS plain
    FROM entry e JOIN pool p ON p.id = e.pool_id JOIN yearly y ON y.cadre_id = e.cadre_id
    LEFT JOIN crit c ON c.pool_id = e.pool_id
    GROUP BY e.entry_id
), scored AS (
    SELECT e.entry_id, e.pool_id, e.cadre_id, p.wc, p.wp, p.wa, p.wf, p.wk, m.composite,
        coalesce(t.raw, 0) AS points_raw, coalesce(a.value, 0) AS awards, coalesce(f.value, 0) AS frontline,
        greatest(0, 100 - coalesce(k.deduction, 0)) AS cards,
        coalesce(k.blocks, false) OR s.cadre_id IS NOT NULL AS blocked,
        (c.age_max IS NULL OR date_part('year', age(%(day)s, cd.birth_date)) <= c.age_max)
        AND NOT coalesce(m.bad_grade, false)
        AND (c.points_years IS NULL OR coalesce(t.plain, 0) >= c.points_min)
        AND (c.frontline_min IS NULL OR f.best <= array_position(%(evaluation_order)s::text[], c.frontline_min))
            AS eligible
    FROM entry e JOIN pool p ON p.id = e.pool_id JOIN cadres_cadre cd ON cd.id = e.cadre_id
    LEFT JOIN crit c ON c.pool_id = e.pool_id LEFT JOIN comp m ON m.entry_id = e.entry_id
    LEFT JOIN pts t ON t.entry_id = e.entry_id
    LEFT JOIN awards a ON a.cadre_id = e.cadre_id LEFT JOIN frontline f ON f.cadre_id = e.cadre_id
    LEFT JOIN cards k ON k.cadre_id = e.cadre_id LEFT JOIN sanctions s ON s.cadre_id = e.cadre_id
), ranked AS (
    SELECT *, 100 * points_raw / nullif(max(points_raw) OVER (PARTITION BY pool_id), 0) AS points
    FROM scored WHERE eligible AND NOT blocked
), total AS (
    SELECT *, round((wc * coalesce(composite, 0) + wp * coalesce(points, 0) + wa * awards + wf * frontline
                     + wk * cards)) AS score
    FROM ranked
)
SELECT pool_id, cadre_id, score::int,
       rank() OVER (PARTITION BY pool_id ORDER BY score DESC, round(coalesce(composite, 0) * 100) DESC,
                    round(coalesce(points, 0) * 100) DESC)
FROM total
"""


def floor_params(day):
    import json

    from django.conf import settings

    from assessment.services import conduct
    from promotion.models.postings import EVALUATION_ORDER

    return {"day": day, "year": day.year, "deduction": json.dumps(dict(getattr(settings, "CARD_DEDUCTION", {}))),
            "sanction_blocks_pool": "pool" in conduct.sanction_blocks(),
            "award_points": json.dumps(settings.POOL_AWARD_POINTS), "award_years": settings.POOL_AWARD_YEARS,
            "frontline_points": json.dumps(settings.POOL_FRONTLINE_POINTS),
            "evaluation_order": [str(e) for e in EVALUATION_ORDER]}


def floor(day):
    """The floor: one statement, fetched whole. {pool id: {cadre id: (rank, score)}} of the ranked."""
    from django.db import connection

    with connection.cursor() as cur:
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
    parser.add_argument("--seed-only", action="store_true", help="seed (if needed) and stop")
    parser.add_argument("--profile", action="store_true", help="profile one run with pyinstrument")
    parser.add_argument("--big-base", type=float, help="the 100,000 run's median, for the big size's ratio")
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
    from django.db import connections

    print(f"database: {settings.DATABASES['default']['NAME']}")
    call_command("migrate", verbosity=0)
    if not _seeded(args):
        from cadres.models import Cadre

        if Cadre.objects.exists():  # a seed left half done: start again from an empty database
            connections.close_all()
            _drop_database(args.database_url)
            _setup(args.database_url)
            call_command("migrate", verbosity=0)
        t = time.perf_counter()
        seed(args)
        print(f"seeded in {time.perf_counter() - t:.0f} s")
    _describe()
    if args.seed_only:
        return
    child = [sys.executable, __file__, "--child", "--cadres", str(args.cadres), "--runs", str(args.runs),
             "--database-url", args.database_url] + (["--profile"] if args.profile else [])
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

    flo = floor(DAY)  # warm-up
    times = []
    for _ in range(args.runs):
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
    main()
