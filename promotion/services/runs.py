"""The nightly ranking run (Celery ``promotion.rank_pools``; org staff start one from the page as a
job). To be written (issue 12).

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
"""
LOCK_KEY = 0x50445352_0012  # "PDSR", issue 12
