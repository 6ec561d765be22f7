"""Reads of the ranking runs for pages, exports and the API (issue 12): the runs, a pool's entries
in a run with their movement against the previous run, the entries of the previous run not ranked
now, and the difference between any two runs of a pool. Every read goes through the gate:
``RankingEntry.objects.restrict(user, "view")`` (unit leaders: the cadres of their units; the ranks
stay those in the whole pool, as the run wrote them)."""
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import F, Q
from django.http import Http404
from django.utils.translation import gettext as _

from pingdingshan.core import permissions as gate

from .models import RankingEntry, RankingRun, ReservePool, RunStatus
from .models.reserve import COMPONENTS
from .services import ranking

# Movement kinds (``movement(entry)``): up / down / same / new (ranked now, not before) / unranked.
UP, DOWN, SAME, NEW, UNRANKED = "up", "down", "same", "new", "unranked"


def run_rows(user):
    """Every run, newest first (runs lie in no unit: every reader sees them)."""
    return RankingRun.objects.restrict(user, "view").select_related("started_by", "job")


def run_get(user, pk) -> RankingRun:
    return gate.get_or_404(RankingRun.objects.select_related("started_by", "job"), user, "view", pk=pk)


def current_run() -> RankingRun | None:
    return RankingRun.objects.filter(is_current=True).first()


def done_runs(user):
    return run_rows(user).filter(status=RunStatus.DONE)


def chosen_run(user, value) -> RankingRun | None:
    """The run ``?run=`` names (a done run), else the current one; 404 for an id that is no done run."""
    if value in (None, ""):
        return current_run()
    from pingdingshan.core.fields import parse_id

    pk = parse_id(value)
    run = done_runs(user).filter(pk=pk).first() if pk else None
    if run is None:
        raise Http404(_("未找到该次排名。"))
    return run


def previous_run(run: RankingRun | None) -> RankingRun | None:
    """The done run before ``run`` (by ranking date, then start): what its movement is against."""
    if run is None:
        return None
    return (RankingRun.objects.filter(status=RunStatus.DONE)
            .filter(Q(run_date__lt=run.run_date) | Q(run_date=run.run_date, started_at__lt=run.started_at))
            .exclude(pk=run.pk).order_by("-run_date", "-started_at", "-id").first())


def pool_get(user, pk) -> ReservePool:
    return gate.get_or_404(ReservePool.objects.select_related("industry", "category"), user, "view", pk=pk)


def entry_rows(user, *, run=None, pool=None):
    """The ranking entries the user sees (of ``run`` and ``pool`` when given), ranked first, in
    rank order, with what lists show."""
    qs = (RankingEntry.objects.restrict(user, "view")
          .select_related("cadre", "cadre__unit", "cadre__current_post", "pool", "run", "entry"))
    if run is not None:
        qs = qs.filter(run=run)
    if pool is not None:
        qs = qs.filter(pool=pool)
    return qs.order_by(F("rank").asc(nulls_last=True), "-score", "cadre__name_initials", "id")


def movement(entry) -> tuple[str, int]:
    """(kind, places): ``up`` 3 (rank 5 → 2), ``down``, ``same``, ``new`` (ranked now, not in the
    previous run), ``unranked`` (not ranked in this run)."""
    if entry.rank is None:
        return UNRANKED, 0
    if entry.previous_rank is None:
        return NEW, 0
    delta = entry.previous_rank - entry.rank
    return (UP, delta) if delta > 0 else (DOWN, -delta) if delta < 0 else (SAME, 0)


def movement_text(entry) -> str:
    kind, n = movement(entry)
    return {UP: f"↑{n}", DOWN: f"↓{n}", SAME: "—", NEW: _("新进"), UNRANKED: _("未排名")}[kind]


def left_entries(user, *, run, pool):
    """The entries ranked in the previous run of ``pool`` that are not ranked in ``run`` (removed
    from the pool, or not ranked now): RankingEntry rows of the previous run, each with ``now`` (its
    row in ``run``, or None)."""
    before = previous_run(run)
    if run is None or before is None:
        return []
    ranked_now = RankingEntry.objects.filter(run=run, pool=pool, rank__isnull=False).values("entry_id")
    rows = list(entry_rows(user, run=before, pool=pool).filter(rank__isnull=False).exclude(entry_id__in=ranked_now))
    now = {e.entry_id: e for e in RankingEntry.objects.filter(run=run, pool=pool, entry_id__in=[r.entry_id for r in rows])}
    for r in rows:
        r.now = now.get(r.entry_id)
    return rows


def contributions(entry) -> list[dict]:
    """[{"component", "contribution" (hundredths), "value", "weight", "percent" (of 100 points)}]
    in ``COMPONENTS`` order, from the components the run stored."""
    out = []
    whole = ranking.components(entry)
    for c in COMPONENTS:
        data = whole.get(c) or {}
        contribution = data.get("contribution")
        if not isinstance(contribution, int | float):
            continue
        out.append({"component": c, "contribution": int(contribution), "value": data.get("value"),
                    "weight": data.get("weight"), "percent": max(0.0, min(100.0, contribution / 100))})
    return out


class Pair(NamedTuple):
    """One entry in two runs: its row in ``a`` and in ``b`` (None where it has no rank)."""

    a: RankingEntry | None
    b: RankingEntry | None

    @property
    def row(self) -> RankingEntry:
        return self.b if self.b is not None else self.a


@dataclass
class Diff:
    """Between two done runs ``a`` and ``b`` of a pool (what the user sees of it): entered (ranked in
    b, not in a), left (ranked in a, not in b), up and down (ranked in both), unchanged (how many)."""

    a: RankingRun
    b: RankingRun
    entered: list
    left: list
    up: list
    down: list
    unchanged: int


def run_diff(user, *, pool, a: RankingRun, b: RankingRun) -> Diff:
    """Pairs (row in a or None, row in b or None); ``up``/``down`` by how many places, most first."""
    rows_a = {e.entry_id: e for e in entry_rows(user, run=a, pool=pool).filter(rank__isnull=False)}
    rows_b = {e.entry_id: e for e in entry_rows(user, run=b, pool=pool).filter(rank__isnull=False)}
    entered = [Pair(None, e) for k, e in rows_b.items() if k not in rows_a]
    left = [Pair(e, None) for k, e in rows_a.items() if k not in rows_b]
    both = [Pair(rows_a[k], e) for k, e in rows_b.items() if k in rows_a]
    up = sorted([p for p in both if p[1].rank < p[0].rank], key=lambda p: (p[1].rank - p[0].rank, p[1].rank))
    down = sorted([p for p in both if p[1].rank > p[0].rank], key=lambda p: (p[0].rank - p[1].rank, p[1].rank))
    for p in up + down:
        p[1].places = abs(p[0].rank - p[1].rank)
    return Diff(a=a, b=b, entered=sorted(entered, key=lambda p: p[1].rank),
                left=sorted(left, key=lambda p: p[0].rank), up=up, down=down,
                unchanged=sum(1 for p in both if p[0].rank == p[1].rank))


def rank_history(user, entry, *, limit=30) -> list[RankingEntry]:
    """The same pool entry's rows in the done runs (oldest first, the last ``limit``): its rank over time."""
    rows = list(RankingEntry.objects.restrict(user, "view")
                .filter(entry_id=entry.entry_id, run__status=RunStatus.DONE)
                .select_related("run").order_by("-run__run_date", "-run__started_at")[:limit])
    return rows[::-1]
