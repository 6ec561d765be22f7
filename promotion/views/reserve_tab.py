"""The cadre page's 储备库 tab (registered in ``promotion.hooks``): every active pool with the
cadre's entry (nominated, admitted or removed; flagged and why), whether the cadre meets each of
its criteria today (the sentences of ``services.eligibility``), the rank and score in the current
ranking, and the rank over the done runs as a line chart. The cadre page is already gated (unit
leaders reach only cadres of their units); the rows read here are restricted for the user too."""
from django.db.models import Count
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from pingdingshan.core.dates import today

from ..models import EntryStatus, PoolEntry, RankingEntry, RankingRun, ReservePool, RunStatus
from ..services.eligibility import describe, eligibility_many


def _url(name, *args) -> str:
    """The URL of a page another part of the module adds, or "" while it does not exist."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _score_text(hundredths) -> str:
    return "" if hundredths is None else f"{hundredths / 100:.2f}"


def reserve_tab_context(user, cadre) -> dict:
    day = today()
    pools = list(ReservePool.objects.restrict(user, "view").filter(is_active=True)
                 .select_related("industry", "category").prefetch_related("criteria").order_by("order", "id"))
    eligible = eligibility_many(pools, [cadre.pk], on=day) if pools else {}
    # The cadre's entry per pool: the one not removed, else the latest removed.
    entries = {}
    for e in (PoolEntry.objects.restrict(user, "view").filter(cadre=cadre, pool__in=pools)
              .order_by("pool_id", "-nominated_at", "-id")):
        have = entries.get(e.pool_id)
        if have is None or (have.status == EntryStatus.REMOVED and e.status != EntryStatus.REMOVED):
            entries[e.pool_id] = e
    run = RankingRun.objects.filter(is_current=True, status=RunStatus.DONE).first()
    ranked, sizes = {}, {}
    if run is not None and pools:
        for r in RankingEntry.objects.restrict(user, "view").filter(run=run, cadre=cadre):
            ranked[r.pool_id] = r
        sizes = dict(RankingEntry.objects.filter(run=run, pool__in=pools, rank__isnull=False).order_by()
                     .values("pool_id").annotate(n=Count("id")).values_list("pool_id", "n"))
    rows = []
    for p in pools:
        result = eligible[p.pk][cadre.pk]
        criteria = sorted(p.criteria.all(), key=lambda c: (c.order, c.pk))
        r = ranked.get(p.pk)
        rows.append({
            "pool": p, "url": _url("promotion:pool_detail", p.pk), "entry": entries.get(p.pk),
            "eligible": result.passed, "checks": result.checks, "criteria": [describe(c) for c in criteria],
            "ranking": r, "rank": r.rank if r else None, "score": _score_text(r.score) if r else "",
            "size": sizes.get(p.pk),
        })
        move = r.previous_rank - r.rank if r and r.rank and r.previous_rank else None  # None: new
        rows[-1].update(move=move, fall=-move if move else None)
    # The rank in each pool over the done runs (oldest first), one line per pool.
    history = list(RankingEntry.objects.restrict(user, "view")
                   .filter(cadre=cadre, run__status=RunStatus.DONE, pool__in=pools)
                   .order_by("run__run_date", "run_id").values_list("run_id", "run__run_date", "pool_id", "rank"))
    dates, runs = [], []
    for run_id, run_date, _pool, _rank in history:
        if run_id not in runs:
            runs.append(run_id)
            dates.append(run_date.isoformat())
    names = {p.pk: p.name for p in pools}
    series = {}
    for run_id, _d, pool_id, rank in history:
        series.setdefault(pool_id, [None] * len(runs))[runs.index(run_id)] = rank
    chart = {"dates": dates, "series": [{"name": names[pid], "data": data} for pid, data in series.items()],
             "label": _("名次"), "empty": _("尚无排名记录。")}
    return {"reserve_rows": rows, "reserve_day": day, "reserve_run": run, "reserve_chart": chart,
            "reserve_has_history": bool(history)}
