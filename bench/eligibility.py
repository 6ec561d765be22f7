"""Eligibility benchmark: ``eligibility`` (promotion/services/eligibility.py) of one pool with every
kind of criterion for every active cadre, as the pool's candidates page asks it (``details=False``)
and with the sentences, on PostgreSQL; prints the seconds and the number of queries.

    .venv/bin/python bench/eligibility.py [--cadres 100000] [--database-url URL] [--refill] [--runs 3]

The data: ``bench/standing.py``'s city, cadres and conduct rows (3,000 cards, rulings, sanctions,
awards), plus for each cadre a post (乡科级正职 or 副职) held since a year 2012–2025 and half of
them a rank, 3 verified performance records, annual results for 2023–2025 (一 in 20 基本称职), a
tag for one in three, a closed posting for one in ten. Re-runs reuse the data unless --refill.
It prints figures; it asserts nothing.
"""
import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _fill_more(rng):
    from django.db import connection, transaction

    from assessment.models import (
        AssessmentPeriod,
        AssessmentResult,
        Category,
        IndicatorScheme,
        PeriodStatus,
        Tier,
    )
    from cadres.models import (
        Appointment,
        Cadre,
        PerformanceRecord,
        Post,
        Rank,
        RankHistory,
        Tag,
        TaskCategory,
        Unit,
    )
    from promotion.models import FrontlinePosting, Programme

    with transaction.atomic():
        towns = list(Unit.objects.filter(depth=3))
        posts = {}
        for t in towns:
            posts[t.pk] = (Post.objects.create(unit=t, name="镇长", kind="party_gov_chief", level=2, quota=50),
                           Post.objects.create(unit=t, name="副镇长", kind="deputy", level=1, quota=500))
        cadres = list(Cadre.objects.values_list("pk", "unit_id"))
        ranks = list(Rank.objects.filter(equivalent_level__in=(1, 2)))
        apps, rh, recs = [], [], []
        cat = TaskCategory.objects.order_by("id").first()
        tier, category = Tier.objects.order_by("id").first(), Category.objects.order_by("id").first()
        scheme = IndicatorScheme.objects.create(tier=tier, category=category, year=2023, name="bench", status="published")
        periods = [AssessmentPeriod.objects.create(name=f"bench {y}", kind="annual", year=y, start_date=dt.date(y, 1, 1),
                                                   end_date=dt.date(y, 12, 31), status=PeriodStatus.PUBLISHED)
                   for y in (2023, 2024, 2025)]
        results = []
        tag = Tag.objects.get_or_create(name="优秀年轻干部")[0]
        tags = []
        programme = Programme.objects.order_by("id").first()
        postings = []
        current = []
        for k, (cid, unit_id) in enumerate(cadres):
            post = posts[unit_id][k % 2]
            apps.append(Appointment(cadre_id=cid, post=post, start_date=dt.date(2012 + k % 14, 1 + k % 12, 1)))
            current.append((cid, post.pk))
            if k % 2:
                rh.append(RankHistory(cadre_id=cid, rank=ranks[k % len(ranks)], start_date=dt.date(2015 + k % 10, 1, 1)))
            for j in range(3):
                recs.append(PerformanceRecord(
                    cadre_id=cid, unit_id=unit_id, category=cat, title="项目", description="做法", role="lead",
                    start_date=dt.date(2022 + j, 1 + k % 12, 1), status="verified", points=Decimal(rng.randint(1, 15))))
            for p in periods:
                results.append(AssessmentResult(period=p, cadre_id=cid, unit_id=unit_id, tier=tier, category=category,
                                                scheme=scheme, grade="3" if rng.random() < .05 else "2"))
            if k % 3 == 0:
                tags.append(Cadre.tags.through(cadre_id=cid, tag_id=tag.pk))
            if k % 10 == 0:
                postings.append(FrontlinePosting(cadre_id=cid, programme=programme, host="驻村", status="closed",
                                                 start_date=dt.date(2024, 1, 1), end_date=dt.date(2024, 12, 31),
                                                 evaluation=rng.choice(["excellent", "good", "fair"]),
                                                 evaluated_on=dt.date(2024, 12, 31)))
        Appointment.objects.bulk_create(apps, batch_size=5000)
        RankHistory.objects.bulk_create(rh, batch_size=5000)
        PerformanceRecord.objects.bulk_create(recs, batch_size=5000)
        AssessmentResult.objects.bulk_create(results, batch_size=5000)
        Cadre.tags.through.objects.bulk_create(tags, batch_size=5000)
        FrontlinePosting.objects.bulk_create(postings, batch_size=5000)
        with connection.cursor() as cur:
            cur.execute("UPDATE cadres_cadre c SET current_post_id = a.post_id FROM cadres_appointment a "
                        "WHERE a.cadre_id = c.id AND a.end_date IS NULL")
            cur.execute("UPDATE cadres_cadre c SET current_rank_id = r.rank_id FROM cadres_rankhistory r "
                        "WHERE r.cadre_id = c.id AND r.end_date IS NULL")
    with connection.cursor() as cur:
        cur.execute("ANALYZE")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cadres", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--refill", action="store_true")
    parser.add_argument("--database-url", default=os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pingdingshan_bench_standing"))
    args = parser.parse_args()
    from bench.standing import _fill, _setup

    _setup(args.database_url)
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cadres.models import Appointment, Cadre, Tag
    from pingdingshan.core.dates import today
    from promotion.models import CriterionKind, Industry, PoolCategory, PoolCriterion, ReservePool
    from promotion.services.eligibility import eligibility

    print(f"database: {settings.DATABASES['default']['NAME']}")
    call_command("migrate", verbosity=0)
    if args.refill or Cadre.objects.count() != args.cadres or not Appointment.objects.exists():
        t = time.perf_counter()
        _fill(args.cadres, random.Random(11))
        _fill_more(random.Random(12))
        print(f"filled in {time.perf_counter() - t:.1f} s")
    pool, _ = ReservePool.objects.get_or_create(name="bench pool", defaults={
        "industry": Industry.objects.order_by("id").first(), "category": PoolCategory.objects.order_by("id").first()})
    pool.criteria.all().delete()
    tag = Tag.objects.get(name="优秀年轻干部")
    for i, (kind, params) in enumerate([
            (CriterionKind.AGE, {"max": 50}), (CriterionKind.LEVEL, {"min_level": 1}),
            (CriterionKind.YEARS_AT_LEVEL, {"years": 2}), (CriterionKind.GRADES, {"years": 3, "min_grade": "2"}),
            (CriterionKind.POINTS, {"years": 3, "min": 15}), (CriterionKind.TAGS, {"tags": [tag.pk], "mode": "any"}),
            (CriterionKind.FRONTLINE, {"min_count": 1, "min_evaluation": "good"})]):
        PoolCriterion.objects.create(pool=pool, kind=kind, params=params, order=i)
    day = today()
    n = Cadre.objects.filter(status="active").count()
    print(f"active cadres {n:,}; one pool, seven criteria\n")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; cpu s: this process's CPU time of the best run\n")
    print(f"{'case':52} {'best s':>8} {'median s':>8} {'cpu s':>7} {'queries':>8} {'eligible':>9}")
    for label, kw in (("eligibility(pool) every active cadre, details=False", {"details": False}),
                      ("eligibility(pool) every active cadre, details=True", {"details": True}),
                      ("the same, age and level only (no tag, no years)", None)):
        if kw is None:
            pool.criteria.exclude(kind__in=("age", "level")).delete()
            kw = {"details": False}
        eligibility(pool, on=day, **kw)
        with CaptureQueriesContext(connection) as ctx:
            out = eligibility(pool, on=day, **kw)
        times, cpu = [], []
        for _ in range(args.runs):
            t, c = time.perf_counter(), time.process_time()
            out = eligibility(pool, on=day, **kw)
            times.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
        print(f"{label:52} {min(times):8.3f} {statistics.median(times):8.3f} {cpu[times.index(min(times))]:7.2f} "
              f"{len(ctx.captured_queries):8d} "
              f"{len(out.eligible_ids):9,d}")


if __name__ == "__main__":
    main()
