"""The 变更历史 tab: the audit history of a cadre and of its appointments, rank records, résumé
lines and training records (deleted ones included), newest first.

It renders through the shared audit table (``{% load audit %}{% history_table %}``,
``pingdingshan/core``)."""
from collections import defaultdict
from dataclasses import dataclass

from pingdingshan.core import permissions as gate
from pingdingshan.core.selectors import HistoryEntry, build_changes

from ..models import Appointment, Cadre, CareerEntry, Post, Rank, RankHistory, Training


@dataclass
class CadreHistoryEntry(HistoryEntry):
    """A shared HistoryEntry whose object label names the post / rank / résumé line."""

    label: str = ""

    @property
    def object_label(self):
        return self.label or super().object_label


HISTORY_LIMIT = 200
PER_MODEL_LIMIT = 500

# (model, lookup of the cadre's id on its history rows)
HISTORY_SOURCES = [
    (Cadre, "id"),
    (Appointment, "cadre_id"),
    (RankHistory, "cadre_id"),
    (CareerEntry, "cadre_id"),
    (Training, "cadre_id"),
]


def _raw_rows(cadre):
    """[(model, row, previous row or None)], newest first, at most HISTORY_LIMIT."""
    out = []
    for model, lookup in HISTORY_SOURCES:
        rows = list(model.history.model.objects.filter(**{lookup: cadre.pk}).select_related("history_user")
                    .order_by("-history_date", "-history_id")[:PER_MODEL_LIMIT])
        by_object = defaultdict(list)
        for r in rows:
            by_object[r.id].append(r)
        for object_rows in by_object.values():
            for i, r in enumerate(object_rows):
                out.append((model, r, object_rows[i + 1] if i + 1 < len(object_rows) else None))
    out.sort(key=lambda t: (t[1].history_date, t[1].history_id), reverse=True)
    return out[:HISTORY_LIMIT]


def _labels(raw):
    """A readable label per child row: the post or rank name (one query each), else its own text."""
    post_ids = {r.post_id for m, r, _p in raw if m is Appointment}
    rank_ids = {r.rank_id for m, r, _p in raw if m is RankHistory}
    posts = dict(Post.objects.filter(pk__in=post_ids).values_list("pk", "name")) if post_ids else {}
    ranks = dict(Rank.objects.filter(pk__in=rank_ids).values_list("pk", "name")) if rank_ids else {}

    def label(model, row):
        if model is Appointment:
            return posts.get(row.post_id, f"#{row.post_id}")
        if model is RankHistory:
            return ranks.get(row.rank_id, f"#{row.rank_id}")
        if model is CareerEntry:
            return row.description
        if model is Training:
            return row.title
        return row.name

    return label


def history_context(user, cadre) -> dict:
    if not gate.can(user, "audit"):
        return {"history_allowed": False}
    raw = _raw_rows(cadre)
    label = _labels(raw)
    entries = [CadreHistoryEntry(row=r, model=m, previous=p, label=label(m, r)) for m, r, p in raw]
    return {"history_allowed": True, "history_entries": build_changes(entries),
            "history_template": "cadres/_history_shared.html"}
