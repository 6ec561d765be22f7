"""Who may enter a reserve pool, and why: the one function every page, the API and the nightly run
call (``PoolCriterion`` rows + ``assessment.services.standing``). To be written (issue 12).

INTERFACE:

    CRITERIA: dict[CriterionKind, Criterion]
        Criterion: label, the parameters (name, type, Chinese label, bounds) a form and the API
        show, ``validate(params) -> {param: [Chinese messages]}`` (every problem at once; an
        impossible range such as min age > max age is refused), and the set-based check.

    criteria_validate(kind, params) -> dict[str, list[str]]

    eligibility(pool, cadres=None, *, on=None, details=True) -> PoolEligibility
        - ``cadres``: ids, Cadre objects or a queryset; None: every active cadre (在职).
        - ``on``: the day (default ``core.dates.today()``).
        - set-based: a constant number of queries per criterion kind, never one per cadre
          (100,000 cadres for the candidates page); ``details=False`` skips the sentences when
          only the ids are wanted.
        - ``PoolEligibility``: {cadre id: CadreEligibility}; ``.eligible_ids`` (set).
        - ``CadreEligibility``: ``passed`` (bool) and ``checks`` [Check], one per criterion of the
          pool in its order, then ``standing`` (the "pool" block: one failed Check per blocking
          fact with its sentence, e.g. "黄牌 2026-03-01 至 2026-08-31（推诿扯皮）：不得进入储备库";
          waivers as passed checks with their sentence).
        - ``Check``: ``kind``, ``label``, ``value`` (the cadre's value, shown), ``passed``,
          ``sentence`` (Chinese, e.g. "年龄 41 岁 ≤ 45 岁 ✔").

    eligibility_many(pools, cadres=None, *, on=None, details=True) -> {pool id: PoolEligibility}
        the same for several pools, loading each kind of fact once (the nightly run, a cadre's
        储备库 tab).
"""
