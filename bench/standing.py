"""Standing benchmark: ``standing`` (assessment/services/standing.py) for 100,000 cadres with 3,000
warning cards, 500 tolerance rulings and 5,000 awards (plus 500 sanctions and 100 clarifications)
on PostgreSQL, and prints the seconds and the number of queries.

    .venv/bin/python bench/standing.py [--cadres 100000] [--database-url URL] [--refill] [--runs 5]

It builds its own database (pingdingshan_bench_standing, created if missing): a city of 10 counties
of 20 townships, the cadres spread over them (bulk inserts, no roster services: only the rows
``standing`` reads), and the conduct rows with dates around today — about half of the cards in
force today, every state of a card, rulings waiving some blocks, awards of kinds with and without
priority over the last five years. Re-runs reuse the data unless --refill.

Cases, each timed over --runs runs after one warm-up (best and median), with the queries of one run:
``standing(Cadre.objects.all())`` today; the same over a year (``during``, as grading asks);
a list of every id (one array parameter); one county's subtree (a queryset, as a subquery).

Target (issue 11): under 1 s for every cadre, a constant number of queries. It prints figures; it
asserts nothing.
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
CARDS, RULINGS, AWARDS, SANCTIONS, CLARIFICATIONS = 3000, 500, 5000, 500, 100


def _setup(url):
    from bench.roster import _ensure_database

    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pingdingshan.settings.local")
    os.environ["DEBUG"] = "false"
    _ensure_database(url)
    import django

    django.setup()


def _fill(n_cadres, rng):
    from django.db import connection, transaction

    from assessment.models import (
        Award,
        AwardKind,
        CardReason,
        CardStatus,
        Clarification,
        Sanction,
        SanctionKind,
        ToleranceRuling,
        WarningCard,
    )
    from cadres.models import Cadre, Unit, UnitKind, UnitLevel
    from pingdingshan.core.dates import today

    day = today()
    with transaction.atomic():
        for model in (ToleranceRuling, Clarification, WarningCard, Sanction, Award):
            model.objects.all().delete()
        Cadre.objects.all().delete()
        Unit.objects.all().delete()
        city = Unit.add_root(code="BCITY", name="平顶山市", level=UnitLevel.CITY, kind=UnitKind.CITY)
        towns = []
        for i in range(10):
            county = city.add_child(code=f"B41{i:02d}", name=f"县{i}", level=UnitLevel.COUNTY, kind=UnitKind.COUNTY)
            for j in range(20):
                towns.append(county.add_child(code=f"B41{i:02d}{j:02d}", name=f"镇{i}-{j}", level=UnitLevel.TOWNSHIP,
                                              kind=UnitKind.TOWN))
        cadres = [Cadre(name=f"干部{k}", gender="MF"[k % 2], birth_date=dt.date(1970 + k % 25, 1 + k % 12, 1 + k % 28),
                        id_number=f"B{k:017d}", unit=towns[k % len(towns)]) for k in range(n_cadres)]
        Cadre.objects.bulk_create(cadres, batch_size=5000)
        ids = list(Cadre.objects.values_list("pk", flat=True))
        unit_of = dict(Cadre.objects.values_list("pk", "unit_id"))
        reasons = list(CardReason.objects.all())
        statuses = [CardStatus.ISSUED] * 6 + [CardStatus.APPEALED, CardStatus.UPHELD, CardStatus.EXPIRED,
                                              CardStatus.LIFTED, CardStatus.REVOKED, CardStatus.PROPOSED]
        cards = []
        for _k in range(CARDS):
            start = day - dt.timedelta(days=rng.randint(0, 540))
            end = start + dt.timedelta(days=rng.choice([182, 365]))
            status = rng.choice(statuses)
            lifted = start + (end - start) / 2 if status == CardStatus.LIFTED else None
            cid = rng.choice(ids)
            cards.append(WarningCard(color=rng.choice(["yellow", "red"]), cadre_id=cid, unit_id=unit_of[cid],
                                     reason=rng.choice(reasons), facts="事实", issuing_body="市委组织部",
                                     start_date=start, end_date=end, status=status, lifted_on=lifted))
        cards = WarningCard.objects.bulk_create(cards)
        issued = [c for c in cards if c.status not in (CardStatus.PROPOSED, CardStatus.REVOKED)]
        rng.shuffle(issued)
        ToleranceRuling.objects.bulk_create([
            ToleranceRuling(cadre_id=c.cadre_id, unit_id=c.unit_id, applicant="org", matter=f"事项{c.pk}", loss="损失",
                            conduct="表现", card=c, status=rng.choice(["decided", "reported", "accepted"]),
                            decision=rng.choice(["full", "partial", "none"]), decided_on=c.start_date + dt.timedelta(30),
                            waive_assessment=rng.random() < .5, waive_pool=rng.random() < .5,
                            waive_promotion=rng.random() < .5, waive_awards=rng.random() < .5)
            for c in issued[:RULINGS]])
        Clarification.objects.bulk_create([
            Clarification(cadre_id=c.cadre_id, source="application", report="举报", finding="不实", method="written",
                          venue="全县", cleared_on=c.start_date + dt.timedelta(20), card=c)
            for c in issued[RULINGS:RULINGS + CLARIFICATIONS]])
        Sanction.objects.bulk_create([
            Sanction(cadre_id=cid, kind=rng.choice(SanctionKind.values),
                     decided_on=(d := day - dt.timedelta(rng.randint(0, 700))), end_date=d + dt.timedelta(days=365),
                     body="县纪委监委")
            for cid in rng.sample(ids, SANCTIONS)])
        kinds = list(AwardKind.objects.filter(target="cadre"))
        awards = []
        for _k in range(AWARDS):
            cid = rng.choice(ids)
            on = day - dt.timedelta(days=rng.randint(0, 5 * 365))
            revoked = rng.random() < .02
            awards.append(Award(kind=rng.choice(kinds), cadre_id=cid, unit_id=unit_of[cid], year=on.year, awarded_on=on,
                                issuing_body="市委", revoked_on=day if revoked else None,
                                revoke_reason="撤销" if revoked else ""))
        Award.objects.bulk_create(awards)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")


def _time(label, fn, runs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fn()  # warm-up
    with CaptureQueriesContext(connection) as ctx:
        out = fn()
    queries = len(ctx.captured_queries)
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    with_something = len(out)
    blocked = sum(1 for s in out.values() if s.blocks)
    print(f"{label:44} {min(times):8.3f} {statistics.median(times):8.3f} {queries:8d} {with_something:10,d} "
          f"{blocked:8,d}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cadres", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--refill", action="store_true")
    parser.add_argument("--database-url", default=os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pingdingshan_bench_standing"))
    args = parser.parse_args()
    _setup(args.database_url)

    from django.conf import settings
    from django.core.management import call_command

    from assessment.models import Award, WarningCard
    from assessment.services.standing import standing
    from cadres.models import Cadre, Unit
    from pingdingshan.core.dates import today

    print(f"database: {settings.DATABASES['default']['NAME']}")
    call_command("migrate", verbosity=0)
    if args.refill or Cadre.objects.count() != args.cadres or WarningCard.objects.count() != CARDS:
        t = time.perf_counter()
        _fill(args.cadres, random.Random(11))
        print(f"filled in {time.perf_counter() - t:.1f} s")
    print(f"cadres {Cadre.objects.count():,} · cards {WarningCard.objects.count():,} · rulings "
          f"{WarningCard.objects.filter(rulings__isnull=False).count():,} · awards {Award.objects.count():,}")

    day = today()
    county = Unit.objects.filter(depth=2).order_by("path").first()
    all_ids = list(Cadre.objects.values_list("pk", flat=True))
    print(f"\n{'case':44} {'best s':>8} {'median s':>8} {'queries':>8} {'cadres hit':>10} {'blocked':>8}")
    _time("standing(Cadre.objects.all()) today", lambda: standing(Cadre.objects.all(), on=day), args.runs)
    _time("standing(all cadres, during the last year)",
          lambda: standing(Cadre.objects.all(), during=(day - dt.timedelta(days=365), day)), args.runs)
    _time(f"standing(list of {len(all_ids):,} ids) today", lambda: standing(all_ids, on=day), args.runs)
    _time("standing(one county's subtree, a queryset)",
          lambda: standing(Cadre.objects.filter(unit__path__startswith=county.path), on=day), args.runs)


if __name__ == "__main__":
    main()
