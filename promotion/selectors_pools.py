"""Reads of the pools and their entries, shared by the pages and the API (always through the gate).

- ``pool_rows(user)``: the pools (everyone with ``view`` reads them);
- ``pool_counts(user, pool_ids)``: per pool, the entries the user sees by status, the flagged ones
  and those the current ranking run ranked — four grouped queries, whatever the number of pools;
- ``entry_rows(user)``: the entries the user sees (unit leaders: cadres of their units), with the
  current run's rank and score annotated (``current_rank``, ``current_score``);
- ``candidate_ids(user, pool, cadres)``: the cadres of ``cadres`` (a queryset the user sees) who
  meet the pool's criteria today and are neither nominated nor admitted, in the queryset's order
  (eligibility set-based, ``details=False``).
"""
from django.db.models import Count, OuterRef, Q, Subquery

from .models import EntryStatus, PoolEntry, RankingEntry, ReservePool


def pool_rows(user):
    return ReservePool.objects.restrict(user, "view").select_related("industry", "category")


def pool_counts(user, pool_ids) -> dict[int, dict[str, int]]:
    """{pool id: {"nominated", "admitted", "removed", "flagged", "ranked", "entries"}} for the
    entries ``user`` sees (zeros for a pool without any)."""
    pool_ids = list(pool_ids)
    out = {pk: {"nominated": 0, "admitted": 0, "removed": 0, "flagged": 0, "ranked": 0, "entries": 0}
           for pk in pool_ids}
    if not pool_ids:
        return out
    entries = PoolEntry.objects.restrict(user, "view").filter(pool_id__in=pool_ids)
    rows = (entries.order_by().values("pool_id", "status")
            .annotate(n=Count("id"), flagged=Count("id", filter=Q(flagged_on__isnull=False))))
    for row in rows:
        counts = out[row["pool_id"]]
        counts[row["status"]] = row["n"]
        if row["status"] != EntryStatus.REMOVED:
            counts["flagged"] += row["flagged"]
            counts["entries"] += row["n"]
    ranked = (RankingEntry.objects.restrict(user, "view")
              .filter(run__is_current=True, pool_id__in=pool_ids, rank__isnull=False)
              .order_by().values("pool_id").annotate(n=Count("id")))
    for row in ranked:
        out[row["pool_id"]]["ranked"] = row["n"]
    return out


def entry_rows(user):
    current = RankingEntry.objects.filter(run__is_current=True, entry=OuterRef("pk"))
    return (PoolEntry.objects.restrict(user, "view")
            .select_related("pool", "cadre", "cadre__unit", "cadre__current_post", "nominated_by", "admitted_by",
                            "removed_by")
            .annotate(current_rank=Subquery(current.values("rank")[:1]),
                      current_score=Subquery(current.values("score")[:1])))


def present_cadre_ids(pool) -> set[int]:
    """The cadres nominated to or admitted in ``pool`` (all of them: not a scoped read)."""
    return set(PoolEntry.objects.filter(pool=pool).exclude(status=EntryStatus.REMOVED)
               .values_list("cadre_id", flat=True))


def candidate_ids(pool, cadres) -> list[int]:
    """The ids of ``cadres`` (an ordered queryset) who meet ``pool``'s criteria today and are not
    nominated or admitted, in that order. Eligibility once, set-based, without the sentences."""
    from .services.eligibility import eligibility

    eligible = eligibility(pool, cadres, details=False).eligible_ids
    eligible = set(eligible) - present_cadre_ids(pool)
    if not eligible:
        return []
    return [pk for pk in cadres.values_list("pk", flat=True) if pk in eligible]
