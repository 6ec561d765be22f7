"""Ranking rows built directly (bulk), for the ranking pages' tests and the permission matrix: a
pool, its admitted entries and two done runs, so movement, left entries and the diff show without
running the ranking itself."""
import datetime as dt

from django.utils import timezone

from promotion.models import (
    EntryStatus,
    Industry,
    PoolCategory,
    PoolEntry,
    RankingEntry,
    RankingRun,
    ReservePool,
    RunStatus,
)
from promotion.models.reserve import COMPONENTS

WEIGHTS = {"composite": 40, "points": 30, "awards": 10, "frontline": 10, "cards": 10}


def make_pool(name="经济发展·县处级副职后备"):
    return ReservePool.objects.create(name=name, industry=Industry.objects.order_by("pk").first(),
                                      category=PoolCategory.objects.order_by("pk").first())


def make_run(day: dt.date, *, current=False, status=RunStatus.DONE, by=None, pools=(), **extra):
    now = timezone.now()
    run = RankingRun.objects.create(run_date=day, status=status, trigger="beat", started_by=by,
                                    finished_at=now if status != RunStatus.RUNNING else None, **extra)
    counts = {"pools": len(pools), "entries": 0, "ranked": 0, "flagged": 0, "per_pool": {}}
    run.counts = counts
    run.weights = {str(p.pk): {**p.weights, "composite_years": 3, "points_years": 3, "recency_percent": 50}
                   for p in pools}
    run.context = {str(p.pk): context() for p in pools}
    run.save(update_fields=["counts", "weights", "context"])
    if current:
        RankingRun.objects.filter(is_current=True).update(is_current=False)
        RankingRun.objects.filter(pk=run.pk).update(is_current=True)
        run.is_current = True
    return run


def context() -> dict:
    """A pool's context in a run (``ranking.STORED``): the weights, one composite year, one window."""
    return {"weights": dict(WEIGHTS), "years": [2025], "year_percent": ["100"], "windows": [["2025-12-01", "2026-11-30"]],
            "window_percent": ["100"], "best": 10000, "award_since": "2023-12-01", "card_since": "2025-01-01"}


def components(score: int) -> dict:
    """Stored components (``ranking.STORED``) summing (in contributions) to ``score`` hundredths,
    the value equal for every component."""
    contribution = [score * w // 100 for w in WEIGHTS.values()]
    contribution[0] += score - sum(contribution)
    return {"v": [score] * len(WEIGHTS), "c": contribution, "y": [score], "p": [score], "t": score}


def admit(pool, cadres):
    entries = [PoolEntry(pool=pool, cadre=c, status=EntryStatus.ADMITTED, admitted_at=timezone.now()) for c in cadres]
    return PoolEntry.objects.bulk_create(entries)


def rank_rows(run, pool, rows):
    """``rows``: [(pool entry, rank or None, score or None, previous rank or None, flags)]."""
    objs = [RankingEntry(run=run, pool=pool, entry=e, cadre_id=e.cadre_id, rank=rank, score=score,
                         components=components(score) if score is not None else {}, flags=list(flags),
                         previous_rank=prev)
            for e, rank, score, prev, flags in rows]
    made = RankingEntry.objects.bulk_create(objs)
    if str(pool.pk) not in run.context:
        run.context[str(pool.pk)] = context()
        RankingRun.objects.filter(pk=run.pk).update(context=run.context)
    per_pool = run.counts.setdefault("per_pool", {})
    ranked = sum(1 for r in rows if r[1] is not None)
    per_pool[str(pool.pk)] = {"ranked": ranked, "flagged": sum(1 for r in rows if r[4])}
    run.counts.update(entries=run.counts.get("entries", 0) + len(rows), ranked=run.counts.get("ranked", 0) + ranked,
                      flagged=run.counts.get("flagged", 0) + sum(1 for r in rows if r[4]))
    RankingRun.objects.filter(pk=run.pk).update(counts=run.counts)
    return made


__all__ = ["COMPONENTS", "admit", "components", "context", "make_pool", "make_run", "rank_rows"]
