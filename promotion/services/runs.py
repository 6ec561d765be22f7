"""The nightly ranking run (Celery ``promotion.rank_pools``; org staff start one from the page as a
job).

INTERFACE:

    ranking_run(*, by=None, on=None, trigger=RunTrigger.BEAT, job=None, progress=None) -> RankingRun
        - takes ``pingdingshan.core.locks.exclusive(LOCK_KEY)``; when another run holds it, raises
          ``RunBusy`` (a ValidationError saying so in Chinese) and changes nothing;
        - records the run (its own transaction: status running, who, when, the weights);
        - computes every active pool (``ranking.rank_pools``), updates the entries' flags, and
          writes all RankingEntry rows in ONE transaction that also replaces the date's earlier
          done run (status replaced, its entries deleted) and makes this run current — readers see
          the old ranking or the new one, never half;
        - on any error (or a soft time limit) the transaction rolls back and the run is marked
          failed with the error; a run left ``running`` by a killed worker is marked failed by the
          next run. The previous current run stays current.

    current_run() -> RankingRun | None
    run_under_way() -> RankingRun | None     (for the page: a running run whose lock is held)

Details:
- The lock is a session-level advisory lock: a worker killed with ``kill -9`` loses its connection
  and so the lock with it; its run row stays ``running`` until the next run (which holds the lock,
  so no other run can be alive) marks it failed ("运行中断（进程被终止）").
- ``previous_rank``: the rank of the same entry in the latest done run of an earlier date (the run
  that was current before, unless that is the same date's run being replaced: then the one it
  was compared with).
- The entries go in with COPY on PostgreSQL (one per pool), ``bulk_create`` in batches elsewhere.
- The entries keep their components compact (``ranking.STORED``); what a pool's entries share
  goes once on the run (``RankingRun.context``).
- ``counts`` also keeps ``phases`` (seconds per phase of the computation, for the benchmark) and
  ``flags_changed`` (entries whose flag ``entries_flag`` set or cleared).
- Sentences stored by the run (flag reasons, the error) are in the default language.
"""
import gc
import io
import logging
import time

import orjson
import pandas as pd
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pingdingshan.core import locks
from pingdingshan.core import permissions as gate
from pingdingshan.core.dates import today

from ..models import RankingEntry, RankingRun, ReservePool, RunStatus, RunTrigger
from . import ranking

log = logging.getLogger(__name__)

LOCK_KEY = 0x50445352_0012  # "PDSR", issue 12
STALE_ERROR = gettext_lazy("运行中断（进程被终止）")
BATCH = 5000


class RunBusy(ValidationError):
    """Another ranking run holds the lock: this one did nothing."""


def current_run() -> RankingRun | None:
    return RankingRun.objects.filter(is_current=True).first()


def run_under_way() -> RankingRun | None:
    """The running run whose process holds the lock now (None when no run is alive)."""
    if not locks.held_elsewhere(LOCK_KEY):
        return None
    return RankingRun.objects.filter(status=RunStatus.RUNNING).order_by("-started_at", "-id").first()


def _busy() -> RunBusy:
    running = RankingRun.objects.filter(status=RunStatus.RUNNING).order_by("-started_at", "-id").first()
    since = timezone.localtime(running.started_at).strftime("%Y-%m-%d %H:%M:%S") if running else _("刚才")
    return RunBusy(_("另一次排名正在运行（始于 %(since)s），本次未执行。") % {"since": since}, code="busy")


def _mark_stale() -> int:
    """Runs left ``running`` by a process that died (the caller holds the lock, so none is alive)."""
    return RankingRun.objects.filter(status=RunStatus.RUNNING).update(
        status=RunStatus.FAILED, error=str(STALE_ERROR), finished_at=timezone.now())


def _error_text(exc: BaseException) -> str:
    from celery.exceptions import SoftTimeLimitExceeded

    if isinstance(exc, SoftTimeLimitExceeded):
        return _("超过时限（%(m)s 分钟）被终止，未保存任何结果。") % {"m": max(1, settings.RANKING_SOFT_LIMIT // 60)}
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return f"{type(exc).__name__}: {exc}"[:2000]


def ranking_run(*, by=None, on=None, trigger=RunTrigger.BEAT, job=None, progress=None) -> RankingRun:
    """See the module's docstring."""
    if by is not None:
        gate.require(by, "reserve")
    on = on or today()
    with translation.override(settings.LANGUAGE_CODE), locks.exclusive(LOCK_KEY) as got:
        if not got:
            raise _busy()
        stale = _mark_stale()
        if stale:
            log.warning("ranking: %s run(s) left running by a killed process marked failed", stale)
        pools = list(ReservePool.objects.filter(is_active=True).order_by("order", "id"))
        with transaction.atomic():
            run = RankingRun.objects.create(
                run_date=on, status=RunStatus.RUNNING, trigger=trigger, started_by=by, job=job,
                weights={str(p.pk): ranking.weights_used(p) for p in pools})
        try:
            _compute_and_write(run, pools, on, progress)
        except BaseException as exc:
            RankingRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED, error=_error_text(exc),
                                                        finished_at=timezone.now())
            log.exception("ranking run %s failed", run.pk)
            raise
    run.refresh_from_db()
    return run


def _compute_and_write(run, pools, on, progress) -> None:
    """The computation and the write, the cyclic garbage collector paused: the run makes millions
    of small objects (the eligibility, the components of 40,000 entries) and hardly any cycle, and
    each collection would walk all of them again (a fifth of the run's time at 40,000 entries)."""
    paused = gc.isenabled()
    gc.disable()
    try:
        _compute_and_write_now(run, pools, on, progress)
    finally:
        if paused:
            gc.enable()


def _compute_and_write_now(run, pools, on, progress) -> None:
    phases = {}
    loaded = ranking.load(pools, on=on, phases=phases)  # the eligibility too, shared with entries_flag
    eligibility = loaded.eligibility
    frames = ranking.rank_pools(pools, on=on, progress=progress, loaded=loaded, phases=phases)
    t = time.monotonic()
    base = (RankingRun.objects.filter(status=RunStatus.DONE, run_date__lt=on).exclude(pk=run.pk)
            .order_by("-run_date", "-id").first())
    previous = dict(RankingEntry.objects.filter(run=base, rank__isnull=False).values_list("entry_id", "rank")
                    .order_by()) if base else {}
    if progress is not None:
        progress(len(pools), len(pools), _("写入排名"))
    with transaction.atomic():
        changed = ranking.entries_flag(pools=pools, on=on, eligibility=eligibility)
        same = list(RankingRun.objects.select_for_update().filter(run_date=on, status=RunStatus.DONE)
                    .exclude(pk=run.pk).values_list("pk", flat=True))
        if same:
            RankingEntry.objects.filter(run_id__in=same).delete()
            RankingRun.objects.filter(pk__in=same).update(status=RunStatus.REPLACED, is_current=False)
        for pool in pools:
            _insert_pool(run, pool, frames[pool.pk], previous)
        per = ranking.by_pool(frames)
        phases["write"] = round(time.monotonic() - t, 3)
        counts = {"pools": len(pools), "entries": sum(len(f) for f in frames.values()),
                  "ranked": sum(v["ranked"] for v in per.values()), "flagged": sum(v["flagged"] for v in per.values()),
                  "per_pool": {str(k): v for k, v in per.items()}, "flags_changed": changed, "phases": phases}
        RankingRun.objects.filter(is_current=True).exclude(pk=run.pk).update(is_current=False)
        context = {str(pid): f.attrs.get("context", {}) for pid, f in frames.items()}
        RankingRun.objects.filter(pk=run.pk).update(status=RunStatus.DONE, is_current=True, counts=counts,
                                                    context=context, finished_at=timezone.now())


COPY_COLUMNS = ["run_id", "pool_id", "entry_id", "cadre_id", "rank", "score", "components", "flags", "previous_rank"]


def _rows(run, pool, frame, previous):
    for entry_id, cadre_id, score, rank, components, flags in frame[
            ["entry_id", "cadre_id", "score", "rank", "components", "flags"]].itertuples(index=False, name=None):
        yield (run.pk, pool.pk, int(entry_id), int(cadre_id), None if pd.isna(rank) else int(rank),
               None if pd.isna(score) else int(score), components, flags, previous.get(int(entry_id)))


def _copy_lines(run, pool, frame, previous):
    """The COPY text lines of one pool's entries (the columns of ``COPY_COLUMNS``): what ``_rows``
    and ``_text`` give, with the integer columns read once as Python values and each line formatted
    in one step (no per-field call)."""
    head = f"{run.pk}\t{pool.pk}\t".encode()
    null = b"\\N"
    ranks = [null if pd.isna(r) else str(int(r)).encode() for r in frame["rank"].tolist()]
    scores = [null if pd.isna(v) else str(int(v)).encode() for v in frame["score"].tolist()]
    dumps = orjson.dumps
    for entry_id, cadre_id, score, rank, components, flags in zip(
            frame["entry_id"].tolist(), frame["cadre_id"].tolist(), scores, ranks, frame["components"].tolist(),
            frame["flags"].tolist(), strict=True):
        before = previous.get(entry_id)
        yield b"".join((head, b"%d\t%d\t" % (entry_id, cadre_id), rank, b"\t", score, b"\t",
                        dumps(components).replace(b"\\", b"\\\\"), b"\t", dumps(flags).replace(b"\\", b"\\\\"),
                        b"\t", null if before is None else b"%d" % before, b"\n"))


def _insert_pool(run, pool, frame, previous) -> int:
    """Write one pool's RankingEntry rows of ``run`` (inside the run's transaction): one COPY on
    PostgreSQL, ``bulk_create`` in batches elsewhere."""
    if not len(frame):
        return 0
    if connection.vendor == "postgresql":
        buf = io.BytesIO()
        buf.write(b"".join(_copy_lines(run, pool, frame, previous)))
        buf.seek(0)
        with connection.cursor() as cur:
            raw = cur.cursor if hasattr(cur, "cursor") else cur
            raw.copy_expert(f"COPY {RankingEntry._meta.db_table} ({', '.join(COPY_COLUMNS)}) FROM STDIN", buf)
        return len(frame)
    rows = _rows(run, pool, frame, previous)
    batch = [RankingEntry(run_id=r[0], pool_id=r[1], entry_id=r[2], cadre_id=r[3], rank=r[4], score=r[5],
                          components=r[6], flags=r[7], previous_rank=r[8]) for r in rows]
    RankingEntry.objects.bulk_create(batch, batch_size=BATCH)
    return len(batch)
