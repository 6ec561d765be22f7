"""The scores and ranks of the reserve pools: set-based (SQL and pandas; never a query per cadre),
called by the nightly run (``runs.py``) and by nothing that restates it. To be written (issue 12).

INTERFACE:

    rank_pools(pools, *, on, progress=None) -> dict[pool id, pandas.DataFrame]
        every admitted entry of each pool, scored with the pool's weights
        (``ReservePool.weights``, percent, sum 100) over the components ``models.reserve.COMPONENTS``:
        - composite: the cadre's published annual assessment composites of the last
          ``composite_years`` years, each year back counting ``recency_percent`` % of the next;
        - points: verified, current 实绩 points over ``points_years`` with the same decay, scaled to
          0–100 against the pool's best;
        - awards: ``settings.POOL_AWARD_POINTS`` by level over ``POOL_AWARD_YEARS`` (at most 100);
        - frontline: the best closed posting's evaluation (``settings.POOL_FRONTLINE_POINTS``);
        - cards: 100 − the deductions (``assessment.services.conduct.card_deduction``) of the cards
          ``standing`` counts (``scored_cards``: not waived by a ruling), at least 0.
        Columns: entry_id, cadre_id, score (hundredths, 0–10000), rank (competition ranking by
        ``TIE_RULE``; None when not ranked), components (the JSON stored on ``RankingEntry``),
        flags (codes: not eligible any more, blocked by ``standing`` → not ranked).
        ``progress(done, total, phase)`` after each pool.

    TIE_RULE: the stated order of equal scores (a Chinese sentence shown on the ranking page).

    explain(ranking_entry) -> list[Line]
        the score line by line in the reader's language: component, the cadre's value, weight,
        contribution, and the sentence saying what it rests on.
"""
