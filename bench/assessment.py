"""Assessment benchmark: computes a year period for 100,000 cadres × 20 rater-scored indicators
× 3 rater groups (≈ 5,900,000 scores: 5% of the cadres lack the third group) plus one indicator
derived from 实绩 points, on PostgreSQL, and prints the time, the phases and the peak memory of the
computation, and its ratio to a floor.

    .venv/bin/python bench/assessment.py [--cadres 100000] [--database-url URL] [--refill]

It seeds the demo city with --cadres cadres into its own database (pingdingshan_bench_assess,
created if missing), publishes its own scheme per (tier, category) found — 20 rater-scored
indicators of weight 4 and 实绩积分 of weight 20, a new version of the demo's 2026 scheme where
there is one (the demo's schemes have 3–5 indicators) — a period with three rater groups
(上级 40 / 同级 30 / 下级和服务对象 30), enrols the cadres through the service (and, if fewer than
--cadres are placed in a tier and category, adds the rest to the largest group as synthetic load),
fills the scores with COPY (5% of the cadres lack the third group, so the redistribution path
runs) and checks that the period holds what is announced. Re-runs reuse the filled period unless
--refill.

Each run, in fresh processes, each after a VACUUM of the results table (the row versions of the
last UPDATE gone, as between two computations of a period): ``period_compute`` (wall time, its
phases, and the peak resident memory of that process — VmHWM, which starts afresh at exec, unlike
``ru_maxrss``, which a child inherits from the parent it was forked from); then the floor: the
same binary COPY of the scores into numpy, the same exact composites, grades (thresholds and the
优秀 cap) and ranks with numpy, written back with one COPY and one UPDATE, rolled back. It prints compute ÷ floor (target ≤ 1.5).

Targets: under 60 s and under 1 GiB (issue 5), ≤ 1.5 × the floor (issue 10). It prints figures; it
asserts nothing.
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
SCHEME_NAME = "基准测试指标体系"
INDICATORS = 20  # rater-scored, weight 4 each; plus 实绩积分, weight 20
GROUPS = 3


def _setup(url):
    from bench.roster import _ensure_database

    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pingdingshan.settings.local")
    os.environ["DEBUG"] = "false"
    _ensure_database(url)
    import django

    django.setup()


def _peak_mib() -> float:
    """This process's peak resident memory (VmHWM: since exec, not inherited from the parent)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def compute_only(period_id):
    """Child process: compute, then print wall time, phases and peak memory."""
    from django.contrib.auth import get_user_model

    from assessment.models import AssessmentPeriod
    from assessment.services import period_compute

    user = get_user_model().objects.get(username="orgstaff")
    period = AssessmentPeriod.objects.get(pk=period_id)
    base = _rss_mib()
    t0 = time.perf_counter()
    summary = period_compute(by=user, period=period)
    seconds = time.perf_counter() - t0
    print(f"RESULT seconds={seconds:.2f} peak_mib={_peak_mib():.0f} base_mib={base:.0f} summary={summary}")


def floor_only(period_id):
    """Child process: the floor — COPY the scores into numpy, the same exact composites, grades and
    ranks with plain numpy, one COPY and one UPDATE back; rolled back."""
    import numpy as np
    import pandas as pd
    from django.db import connection, transaction
    from django.db.models import F, IntegerField
    from django.db.models.functions import Cast

    from assessment.models import AssessmentPeriod, Score
    from pingdingshan.core.frames import read_arrays

    period = AssessmentPeriod.objects.get(pk=period_id)
    base = _rss_mib()
    t0 = time.perf_counter()

    def frame(sql, names, params=(period_id,)):
        with connection.cursor() as cur:
            buf = io.BytesIO()
            cur.cursor.copy_expert(f"COPY ({cur.cursor.mogrify(sql, params).decode()}) TO STDOUT (FORMAT csv)", buf)
        buf.seek(0)
        return pd.read_csv(buf, header=None, names=names)

    with transaction.atomic():
        res = frame("SELECT id, cadre_id, tier_id, category_id, scheme_id FROM assessment_assessmentresult "
                    "WHERE period_id = %s ORDER BY id", ["id", "cadre", "tier", "cat", "scheme"])
        ind = frame("SELECT i.id, i.scheme_id, (i.weight * 100)::int, i.method, i.is_veto::int, "
                    "(i.veto_threshold * 100)::int, coalesce(i.params->>'full_points', '30') FROM assessment_indicator i "
                    "WHERE i.scheme_id IN (SELECT scheme_id FROM assessment_assessmentresult WHERE period_id = %s) "
                    "ORDER BY i.scheme_id, i.\"order\", i.id", ["id", "scheme", "w", "method", "veto", "thr", "full"])
        wts = frame("SELECT g.id, w.tier_id, (w.weight * 100)::int FROM assessment_ratergroup g "
                    "JOIN assessment_raterweight w ON w.rater_group_id = g.id WHERE g.period_id = %s",
                    ["group", "tier", "w"])
        sc = read_arrays(Score.objects.filter(rater_group__period_id=period_id).order_by().values_list(
            "result_id", "indicator_id", "rater_group_id", Cast(F("score") * 100, IntegerField())),
            ["result", "ind", "group", "h"])  # the binary COPY, as period_compute reads them
        pts = frame("SELECT cadre_id, (sum(points) * 100)::bigint FROM cadres_performancerecord WHERE status = "
                    "'verified' AND superseded_by_id IS NULL AND start_date BETWEEN "
                    "%s AND %s GROUP BY cadre_id", ["cadre", "h"], (period.start_date, period.end_date))
        read = time.perf_counter() - t0
        n = len(res)
        ids = res["id"].to_numpy()
        ind["pos"] = ind.groupby("scheme").cumcount()
        width = int(ind["pos"].max()) + 1
        groups = sorted(wts["group"].unique())
        gpos = {g: k for k, g in enumerate(groups)}
        row = np.searchsorted(ids, sc["result"])
        pos_of = np.zeros(int(ind["id"].max()) + 1, np.int64)
        pos_of[ind["id"].to_numpy()] = ind["pos"].to_numpy()
        grp = np.searchsorted(groups, sc["group"])
        raw = np.full((n, width, len(groups)), -1, np.int16)
        raw[row, pos_of[sc["ind"]], grp] = sc["h"]
        tiers = sorted(res["tier"].unique())
        tw = np.zeros((len(tiers), len(groups)), np.int64)
        tw[np.searchsorted(tiers, wts["tier"].to_numpy()), [gpos[g] for g in wts["group"]]] = wts["w"].to_numpy()
        w = tw[np.searchsorted(tiers, res["tier"].to_numpy())][:, None, :] * (raw >= 0)
        num, den = (raw.astype(np.int64) * w).sum(axis=2), w.sum(axis=2)
        score = (2 * num + den) // np.maximum(2 * den, 1)  # half up
        schemes = sorted(ind["scheme"].unique())
        srow = np.searchsorted(schemes, res["scheme"].to_numpy())
        wmat = np.zeros((len(schemes), width), np.int64)
        wmat[np.searchsorted(schemes, ind["scheme"].to_numpy()), ind["pos"].to_numpy()] = ind["w"].to_numpy()
        p_h = pd.Series(pts["h"].to_numpy(), index=pts["cadre"].to_numpy()).reindex(res["cadre"].to_numpy()).fillna(0)
        p_h = p_h.to_numpy(np.int64)
        derived = ind[ind["method"] == "archive_points"]
        for _i, d in derived.iterrows():
            rows = np.nonzero(srow == np.searchsorted(schemes, d["scheme"]))[0]
            full_h = int(round(float(d["full"]) * 100))
            score[rows, d["pos"]] = np.minimum(10000, (2 * p_h[rows] * 10000 + full_h) // (2 * full_h))
        rated = (den > 0) | (wmat[srow] == 0)
        for _i, d in derived.iterrows():
            rated[srow == np.searchsorted(schemes, d["scheme"]), d["pos"]] = True
        complete = rated.all(axis=1)
        part = score * wmat[srow]
        composite = (2 * part.sum(axis=1) + 10000) // 20000
        veto = ind[ind["veto"] == 1]
        vpos = np.full(len(schemes), -1)
        vthr = np.zeros(len(schemes), np.int64)
        vpos[np.searchsorted(schemes, veto["scheme"].to_numpy())] = veto["pos"].to_numpy()
        vthr[np.searchsorted(schemes, veto["scheme"].to_numpy())] = veto["thr"].to_numpy()
        vetoed = (vpos[srow] >= 0) & (score[np.arange(n), np.maximum(vpos[srow], 0)] < vthr[srow])
        group = res["tier"].to_numpy() * 1_000_000 + res["cat"].to_numpy()
        ex, co, ba = (int(x * 100) for x in (period.excellent_min, period.competent_min, period.basic_min))
        grade = np.select([~complete, vetoed, composite >= ex, composite >= co, composite >= ba],
                          ["", "4", "1", "2", "3"], "4")
        order = np.lexsort((-p_h, -composite, group))
        _u, inv, counts = np.unique(group, return_inverse=True, return_counts=True)
        graded = np.bincount(inv.reshape(-1), weights=complete).astype(np.int64)
        cap = graded * int(period.excellent_share * 100) // 10000
        cand = grade == "1"
        cand_rank = np.zeros(n, np.int64)
        co_order = order[cand[order]]
        cand_rank[co_order] = np.arange(len(co_order)) - np.searchsorted(group[co_order], group[co_order])
        grade[cand & (cand_rank >= cap[inv.reshape(-1)])] = "2"

        def ranks(value, mask):
            o = np.lexsort((-value, group))
            o = o[mask[o]]
            g, v = group[o], value[o]
            new = np.r_[True, (g[1:] != g[:-1]) | (v[1:] != v[:-1])]
            out = np.zeros(n, np.int64)
            out[o] = np.maximum.accumulate(np.where(new, np.arange(len(o)), 0)) - np.searchsorted(g, g) + 1
            return out

        rank_c, rank_p = ranks(composite, complete), ranks(p_h, np.ones(n, bool))
        computed = time.perf_counter() - t0 - read
        out = pd.DataFrame({"id": ids, "composite": pd.Series(composite).astype("Int64").where(complete),
                            "points": p_h, "grade": grade, "rank_c": pd.Series(rank_c).astype("Int64").where(complete),
                            "rank_p": rank_p, "size": counts[inv.reshape(-1)]})
        buf = io.StringIO()
        out.to_csv(buf, header=False, index=False, na_rep="\\N")
        buf.seek(0)
        with connection.cursor() as cur:
            cur.execute("CREATE TEMPORARY TABLE floor_results (id bigint, composite bigint, points bigint, "
                        "grade varchar(1), rank_c integer, rank_p integer, size integer) ON COMMIT DROP")
            cur.cursor.copy_expert("COPY floor_results FROM STDIN WITH (FORMAT csv, NULL '\\N', FORCE_NOT_NULL (grade))",
                                   buf)
            cur.execute("UPDATE assessment_assessmentresult r SET composite = t.composite / 100.0, points = "
                        "t.points / 100.0, computed_grade = t.grade, grade = t.grade, rank_composite = t.rank_c, "
                        "rank_points = t.rank_p, group_size = t.size FROM floor_results t WHERE r.id = t.id")
        seconds = time.perf_counter() - t0
        transaction.set_rollback(True)
    stored = frame("SELECT (composite * 100)::bigint FROM assessment_assessmentresult WHERE period_id = %s "
                   "ORDER BY id", ["h"])["h"].to_numpy()
    same = int(((stored == composite) | (np.isnan(stored) & ~complete)).sum())
    print(f"FLOOR seconds={seconds:.2f} read={read:.2f} numpy={computed:.2f} "
          f"write={seconds - read - computed:.2f} peak_mib={_peak_mib():.0f} base_mib={base:.0f} "
          f"graded={int(complete.sum()):,} composites_as_period_compute={same:,}/{n:,}")


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
    from assessment.models import Category, IndicatorScheme

    rows = [{"dimension": ("political", "business", "practice")[i % 3], "name": f"指标{i + 1:02d}",
             "weight": "4", "method": "rater", "is_veto": i == 0} for i in range(INDICATORS)]
    rows.append({"dimension": "practice", "name": "实绩积分", "weight": "20", "method": "archive_points",
                 "params": {"full_points": "30"}})
    schemes = []
    for tier_id, category_id in pairs:
        s = IndicatorScheme.objects.filter(tier_id=tier_id, category_id=category_id, year=2026, name=SCHEME_NAME,
                                           status="published").first()
        if s is None:
            latest = IndicatorScheme.objects.filter(tier_id=tier_id, category_id=category_id, year=2026,
                                                    status="published").order_by("-version").first()
            if latest is None:
                s = asvc.scheme_create(by=user, tier=Tier.objects.get(pk=tier_id),
                                       category=Category.objects.get(pk=category_id), year=2026)
            else:
                s = asvc.scheme_new_version(by=user, scheme=latest)
            s = asvc.scheme_save(by=user, scheme=s, indicators=rows, name=SCHEME_NAME)
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
    parser.add_argument("--floor", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    _setup(args.database_url)
    if args.compute:
        compute_only(args.compute)
        return
    if args.floor:
        floor_only(args.floor)
        return
    from django.core.management import call_command
    from django.db import models

    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    call_command("seed_demo", cadres=args.cadres, verbosity=0)
    print(f"seed_demo: {time.perf_counter() - t0:.1f} s (0 if already seeded)")
    period = fill(args)
    from assessment.models import Indicator, Score

    cadres = period.results.count()
    scores = Score.objects.filter(rater_group__period=period).count()
    rater = set(Indicator.objects.filter(scheme__in=period.schemes.all(), method="rater")
                .values_list("scheme_id").annotate(n=models.Count("id")).values_list("n", flat=True))
    print(f"cadres in period: {cadres:,}; schemes: {period.schemes.count()} with {sorted(rater)} rater-scored "
          f"indicators; rater groups: {period.rater_groups.count()}; scores: {scores:,} "
          f"(announced: {cadres:,} × {INDICATORS} × {GROUPS} less 5% of the third group = "
          f"{int(cadres * INDICATORS * (GROUPS - 0.05)):,})")

    from django.db import connection

    def child(flag, tag):
        # Each measurement starts from the same table: the row versions the last UPDATE left
        # (committed or rolled back) vacuumed away, as between two computations of a period.
        with connection.cursor() as cur:
            cur.execute("VACUUM assessment_assessmentresult")
        out = subprocess.run([sys.executable, __file__, "--database-url", args.database_url, flag, str(period.pk)],
                             capture_output=True, text=True, check=False)
        line = next((x for x in out.stdout.splitlines() if x.startswith(tag)), out.stdout + out.stderr[-3000:])
        return line

    for run in range(1, args.runs + 1):
        c = child("--compute", "RESULT")
        f = child("--floor", "FLOOR")
        print(f"run {run}: period_compute: {c}")
        print(f"run {run}: floor: {f}")
        try:
            ratio = float(c.split("seconds=")[1].split()[0]) / float(f.split("seconds=")[1].split()[0])
            print(f"run {run}: period_compute ÷ floor = {ratio:.2f} (target ≤ 1.5)")
        except (IndexError, ValueError, ZeroDivisionError):
            pass


if __name__ == "__main__":
    main()
