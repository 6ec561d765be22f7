"""Assessment benchmark: computes a year period for 100,000 cadres × 20 rater-scored indicators
× 3 rater groups (6,000,000 scores) plus one indicator derived from 实绩 points, on PostgreSQL,
and prints the time and the peak memory of the computation.

    .venv/bin/python bench/assessment.py [--cadres 100000] [--database-url URL] [--refill]

It seeds the demo city with --cadres cadres into its own database (pingdingshan_bench_assess,
created if missing), makes one published scheme per (tier, category) found, a period with three
rater groups (上级 40 / 同级 30 / 下级和服务对象 30), enrols the cadres through the service (and,
if fewer than --cadres are placed in a tier and category, adds the rest to the largest group as
synthetic load), fills the scores with COPY (5% of the cadres lack the third group, so the
redistribution path runs), then runs ``period_compute`` in a fresh process and reports its wall
time and peak resident memory. Re-runs reuse the filled period unless --refill.

Target (issue #5): under 60 s and under 1 GiB. It prints figures; it asserts nothing.
"""
import argparse
import io
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PERIOD_NAME = "基准测试 2026年度考核"
INDICATORS = 20


def _setup(url):
    from bench.roster import _ensure_database

    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pingdingshan.settings.local")
    os.environ["DEBUG"] = "false"
    _ensure_database(url)
    import django

    django.setup()


def compute_only(period_id):
    """Child process: compute, then print wall time and peak RSS."""
    from django.contrib.auth import get_user_model

    from assessment.models import AssessmentPeriod
    from assessment.services import period_compute

    user = get_user_model().objects.get(username="orgstaff")
    period = AssessmentPeriod.objects.get(pk=period_id)
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    summary = period_compute(by=user, period=period)
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"RESULT seconds={seconds:.1f} peak_mib={peak / 1024:.0f} base_mib={base / 1024:.0f} summary={summary}")


def fill(args):
    import numpy as np
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from assessment import services as asvc
    from assessment.models import AssessmentPeriod, AssessmentResult, Score, Tier
    from cadres.models import Cadre, CadreStatus

    user = get_user_model().objects.get(username="orgstaff")
    old = AssessmentPeriod.objects.filter(name=PERIOD_NAME).first()
    if old is not None and not args.refill and old.results.count() >= args.cadres:
        print(f"reusing period {old.pk} ({old.results.count():,} cadres)")
        return old
    if old is not None:
        with connection.cursor() as cur:
            cur.execute("DELETE FROM assessment_score WHERE rater_group_id IN "
                        "(SELECT id FROM assessment_ratergroup WHERE period_id = %s)", [old.pk])
        old.results.all().delete()
        old.delete()

    t0 = time.perf_counter()
    placements = asvc.classify_cadres(Cadre.objects.filter(status=CadreStatus.ACTIVE))
    pairs = sorted({(p.tier_id, p.category_id) for p in placements.values() if not p.reason})
    schemes = []
    for tier_id, category_id in pairs:
        from assessment.models import Category, IndicatorScheme

        s = IndicatorScheme.objects.filter(tier_id=tier_id, category_id=category_id, year=2026,
                                           status="published").first()
        if s is None:
            rows = [{"dimension": ("political", "business", "practice")[i % 3], "name": f"指标{i + 1:02d}",
                     "weight": "4", "method": "rater", "is_veto": i == 0} for i in range(INDICATORS)]
            rows.append({"dimension": "practice", "name": "实绩积分", "weight": "20", "method": "archive_points",
                         "params": {"full_points": "30"}})
            s = asvc.scheme_create(by=user, tier=Tier.objects.get(pk=tier_id),
                                   category=Category.objects.get(pk=category_id), year=2026, indicators=rows)
            s = asvc.scheme_publish(by=user, scheme=s)
        schemes.append(s)
    import datetime as dt

    period = asvc.period_save(by=user, name=PERIOD_NAME, kind="annual", year=2026,
                              start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 12, 31))
    asvc.period_set_schemes(by=user, period=period, schemes=schemes)
    tiers = {s.tier_id for s in schemes}
    asvc.rater_groups_save(by=user, period=period, groups=[
        {"name": "上级", "weights": {t: 40 for t in tiers}},
        {"name": "同级", "weights": {t: 30 for t in tiers}},
        {"name": "下级和服务对象", "weights": {t: 30 for t in tiers}},
    ])
    print(f"schemes and period: {time.perf_counter() - t0:.1f} s ({len(schemes)} schemes)")
    t0 = time.perf_counter()
    out = asvc.period_enrol(by=user, period=period)
    print(f"period_enrol (service, {out['added']:,} placed): {time.perf_counter() - t0:.1f} s; left out: {out['skipped']}")
    missing = args.cadres - out["added"]
    if missing > 0:
        from collections import Counter

        top = Counter((r.tier_id, r.category_id, r.scheme_id) for r in period.results.all()).most_common(1)[0][0]
        extra = Cadre.objects.exclude(pk__in=period.results.values("cadre_id")).values_list("id", "unit_id")[:missing]
        AssessmentResult.objects.bulk_create(
            [AssessmentResult(period=period, cadre_id=c, unit_id=u, tier_id=top[0], category_id=top[1],
                              scheme_id=top[2]) for c, u in extra], batch_size=5000)
        print(f"synthetic enrolment: {len(extra):,} more cadres in the largest group")

    t0 = time.perf_counter()
    groups = list(period.rater_groups.order_by("order", "id").values_list("id", flat=True))
    rng = np.random.default_rng(7)
    res = list(period.results.values_list("id", "scheme_id"))
    by_scheme = asvc.rater_indicators({s for _r, s in res})
    with transaction.atomic(), connection.cursor() as cur:
        raw = cur.cursor
        chunk = []
        total = 0

        def flush(rows):
            buf = io.StringIO()
            buf.write("".join(rows))
            buf.seek(0)
            raw.copy_expert(f"COPY {Score._meta.db_table} (result_id, indicator_id, rater_group_id, score) "
                            "FROM STDIN WITH (FORMAT csv)", buf)

        for n, (rid, sid) in enumerate(res):
            base = rng.normal(82, 7)
            inds = by_scheme[sid]
            for gi, gid in enumerate(groups):
                if gi == 2 and n % 20 == 0:
                    continue  # 5%: the third group gave no scores
                vals = np.clip(rng.normal(base, 4, len(inds)), 0, 100).round(2)
                chunk.extend(f"{rid},{ind.pk},{gid},{v:.2f}\n" for ind, v in zip(inds, vals, strict=True))
            if len(chunk) > 500_000:
                flush(chunk)
                total += len(chunk)
                chunk = []
        flush(chunk)
        total += len(chunk)
    with connection.cursor() as cur:
        cur.execute(f"ANALYZE {Score._meta.db_table}")
    print(f"scores filled with COPY: {total:,} in {time.perf_counter() - t0:.1f} s")
    asvc.period_open(by=user, period=period)
    return period


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cadres", type=int, default=100_000)
    parser.add_argument("--database-url", default=os.environ.get(
        "BENCH_ASSESS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pingdingshan_bench_assess"))
    parser.add_argument("--refill", action="store_true")
    parser.add_argument("--compute", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    _setup(args.database_url)
    if args.compute:
        compute_only(args.compute)
        return
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    call_command("seed_demo", cadres=args.cadres, verbosity=0)
    print(f"seed_demo: {time.perf_counter() - t0:.1f} s (0 if already seeded)")
    period = fill(args)
    from assessment.models import Score

    print(f"cadres in period: {period.results.count():,}; scores: "
          f"{Score.objects.filter(rater_group__period=period).count():,}")
    for run in range(1, args.runs + 1):
        out = subprocess.run([sys.executable, __file__, "--database-url", args.database_url, "--compute",
                              str(period.pk)], capture_output=True, text=True, check=False)
        line = next((x for x in out.stdout.splitlines() if x.startswith("RESULT")), out.stdout + out.stderr[-3000:])
        print(f"period_compute run {run}: {line}")


if __name__ == "__main__":
    main()
