"""The scores and ranks of the reserve pools: set-based (SQL and pandas; never a query per cadre),
called by the nightly run (``runs.py``) and by nothing that restates it.

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
        ``TIE_RULE``; None when not ranked), components (what ``RankingEntry`` stores: ``STORED``;
        the pool's shared part is the frame's ``attrs["context"]``),
        flags (codes: not eligible any more, blocked by ``standing`` → not ranked).
        ``progress(done, total, phase)`` after each pool.

    TIE_RULE: the stated order of equal scores (a Chinese sentence shown on the ranking page).

    explain(ranking_entry) -> list[Line]
        the score line by line in the reader's language: component, the cadre's value, weight,
        contribution, and the sentence saying what it rests on.

The arithmetic, exact in integer hundredths (``assessment.hundredths``), each quotient rounded
half up (四舍五入) so that a person can check every figure by hand from the explanation:

- decay: with ``recency_percent`` r, the year k years back counts r^k / 100^k (100 %, 50 %, 25 % …);
- composite = Σ composite × year weight ÷ Σ year weight over the years the cadre has a published
  annual result for (a year without one does not count as 0). The years are the pool's
  ``composite_years`` calendar years ending with the latest year that has a published annual
  assessment (on or before ``on``'s year); for a cadre with two annual results in one year, the
  later period's;
- points: the verified, current 实绩 points (``assessment.scoring``'s ``points`` source: status
  verified, not superseded) of records started in each of the ``points_years`` 12-month windows
  ending on ``on``, total = Σ window × year weight (rounded), value = total × 100 ÷ the best total
  among the pool's ranked entries, between 0 and 100;
- awards: Σ ``POOL_AWARD_POINTS[level]`` over the cadre's awards (``standing``: not revoked)
  given in the ``POOL_AWARD_YEARS`` years up to ``on``, at most 100;
- frontline: ``POOL_FRONTLINE_POINTS`` of the best evaluation among the cadre's closed postings;
- cards: 100 − Σ ``card_deduction(colour)`` over ``standing(during=…).scored_cards`` from the first
  day of the composite years to ``on``, at least 0;
- contribution = weight % × value (rounded), score = Σ contributions — the lines add up to it.

Not ranked (rank and score None, the components kept for the explanation): an entry whose cadre
is blocked from the pool by ``standing`` on ``on`` (flag ``blocked``) or no longer meets the pool's
criteria (``eligibility.eligibility_many``; flag ``ineligible``). ``entries_flag`` records the
second on the entry itself (``flagged_on``, ``flag_reasons``).

Queries do not grow with the number of pools, entries or cadres: the entries, the annual
results, the points, the postings and ``standing`` (on ``on``, and once per distinct card window)
are each read once for all pools together.
"""
import datetime as dt
import gc
import time
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.db.models import BigIntegerField, Case, F, IntegerField, Sum, Value, When
from django.db.models.functions import Cast, Round
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessment.hundredths import div_half_up, from_h, to_h
from assessment.models import AssessmentPeriod, AssessmentResult, CardColor, Level, PeriodKind, PeriodStatus
from assessment.scoring import counted_records_q
from assessment.services import conduct
from assessment.services.standing import standing
from cadres.models import PerformanceRecord
from pingdingshan.core.audit import bulk_update_audited
from pingdingshan.core.dates import today
from pingdingshan.core.frames import read_arrays

from ..models import (
    CriterionKind,
    EntryStatus,
    Evaluation,
    FrontlinePosting,
    PoolEntry,
    PostingStatus,
    ReservePool,
)
from ..models.postings import EVALUATION_ORDER
from ..models.reserve import COMPONENTS

TIE_RULE = gettext_lazy(
    "按总分从高到低排名；总分相同的，考核综合得分项得分高者在前；仍相同的，实绩积分项得分高者在前；"
    "三项均相同的并列同一名次，其后的名次顺延（如 1、2、2、4）。")

FLAG_BLOCKED = "blocked"
FLAG_INELIGIBLE = "ineligible"
FLAG_LABELS = {
    FLAG_BLOCKED: gettext_lazy("受红黄牌或处分影响不得进入储备库，本次不参加排名"),
    FLAG_INELIGIBLE: gettext_lazy("不再符合入库条件，本次不参加排名"),
}

COMPONENT_LABELS = {
    "composite": gettext_lazy("考核综合得分"),
    "points": gettext_lazy("实绩积分"),
    "awards": gettext_lazy("表彰"),
    "frontline": gettext_lazy("一线历练"),
    "cards": gettext_lazy("红黄牌扣分"),
}

FULL = 10000  # 100.00 points, in hundredths
PHASES = ("entries", "eligibility", "composites", "points", "postings", "standing", "score")


# --------------------------------------------------------------------------- the decay
def decay_weights(recency_percent: int, years: int) -> tuple[list[int], int]:
    """The integer weight of each year back (0: the latest) and their common denominator: the year
    k back counts ``weights[k] / denominator`` = (r / 100)^k exactly."""
    frac = Fraction(int(recency_percent), 100)
    a, b = frac.numerator, frac.denominator
    n = max(int(years), 1)
    return [a ** k * b ** (n - 1 - k) for k in range(n)], b ** (n - 1)


def decay_percent(recency_percent: int, k: int) -> str:
    """The percent the year k back counts, exactly, as written ("100", "50", "12.5")."""
    d = Decimal(100 * int(recency_percent) ** k) / Decimal(100 ** k)
    text = format(d.normalize(), "f")
    return text


def _exact(arr: np.ndarray, bound: int) -> np.ndarray:
    """``arr`` as int64, or as Python integers when ``bound`` could overflow int64."""
    return arr.astype(object) if bound >= 2 ** 62 else arr.astype(np.int64)


# --------------------------------------------------------------------------- eligibility
def pool_eligibility(pools, cadre_ids, *, on, cadres_by_pool=None, points=None) -> dict:
    """{pool id: {cadre id: CadreEligibility}} for ``cadre_ids`` (``eligibility.eligibility_many``;
    ``cadres_by_pool``: each pool only for its own cadres)."""
    from .eligibility import eligibility_many

    return eligibility_many(list(pools), list(cadre_ids), on=on, cadres_by_pool=cadres_by_pool, points=points)


def admitted(pools):
    """The admitted entries of ``pools`` (ranked and flagged every night)."""
    return PoolEntry.objects.filter(pool__in=[p.pk for p in pools], status=EntryStatus.ADMITTED)


def eligibility_for(pools, *, on) -> dict:
    """``pool_eligibility`` of the cadres of the pools' admitted entries (one call for all), each
    pool checked only for the cadres of its own entries."""
    pairs = read_arrays(admitted(pools).order_by().values_list("pool_id", "cadre_id"), ["pool_id", "cadre_id"])
    return _eligibility_of_pairs(pools, pairs["pool_id"], pairs["cadre_id"], on=on)


def _eligibility_of_pairs(pools, pool_id: np.ndarray, cadre_id: np.ndarray, *, on, points=None) -> dict:
    if not len(cadre_id):
        return {p.pk: {} for p in pools}
    by_pool = {int(pk): [] for pk in np.unique(pool_id).tolist()}
    for pk, cid in zip(pool_id.tolist(), cadre_id.tolist(), strict=True):
        by_pool[pk].append(cid)
    ids = np.unique(cadre_id).tolist()
    return pool_eligibility(pools, ids, on=on, cadres_by_pool={p.pk: by_pool.get(p.pk, []) for p in pools},
                            points=points)


def _failing(ce) -> list[str]:
    return [c.sentence for c in ce.checks if not c.passed]


def _criteria_fail(ce) -> bool:
    """Does the cadre fail one of the pool's criteria or no longer serve (在职), not only a
    ``standing`` block (flagged ``blocked`` on its own)?"""
    if ce is None or ce.passed:
        return False
    kinds = {*CriterionKind.values, "active"}
    failed = [c for c in ce.checks if not c.passed]
    return any(getattr(c, "kind", None) in kinds for c in failed) or not failed


def _ineligible(elig, cadre_id: np.ndarray) -> np.ndarray:
    """Per cadre: fails a criterion of the pool (``_criteria_fail``); only the cadres that are not
    eligible are looked at one by one."""
    failing = getattr(elig, "criteria_failed_ids", None)
    if failing is not None:  # a PoolEligibility: from its arrays
        return np.isin(cadre_id, np.fromiter(failing, np.int64, len(failing)))
    eligible = _eligible_set(elig)
    out = np.zeros(len(cadre_id), bool)
    for i, cid in enumerate(cadre_id.tolist()):
        if cid not in eligible and cid in elig:
            out[i] = _criteria_fail(elig[cid])
    return out


def entries_flag(*, pools=None, on=None, eligibility=None) -> int:
    """Flag the admitted entries of ``pools`` (every active pool) whose cadre no longer meets the
    pool's criteria on ``on`` (today): ``flagged_on`` the first day found not eligible (kept while
    still not eligible), ``flag_reasons`` the failing sentences; clear both when the cadre is
    eligible again. ``eligibility``: the result of ``eligibility_for`` when the caller has it.
    Set-based (one read, one audited bulk update). Returns the number of entries changed."""
    on = on or today()
    pools = list(ReservePool.objects.filter(is_active=True)) if pools is None else list(pools)
    if not pools:
        return 0
    if eligibility is None:
        eligibility = eligibility_for(pools, on=on)
    new, passing = {}, {pid: _eligible_set(e) for pid, e in eligibility.items()}
    for pk, pool_id, cadre_id, flagged_on, reasons in (
            admitted(pools).order_by("id").values_list("id", "pool_id", "cadre_id", "flagged_on", "flag_reasons")):
        elig = eligibility.get(pool_id, {})
        # a cadre the eligibility was not asked about counts as eligible
        if cadre_id in passing.get(pool_id, ()) or cadre_id not in elig:
            want = (None, [])
        else:
            sentences = getattr(elig, "failed_sentences", None)
            want = (flagged_on or on, sentences(cadre_id) if sentences else _failing(elig[cadre_id]))
        if want != (flagged_on, list(reasons or [])):
            new[pk] = want
    if not new:
        return 0
    with transaction.atomic():
        changed = list(PoolEntry.objects.filter(pk__in=list(new)).order_by("id"))
        for e in changed:
            e.flagged_on, e.flag_reasons = new[e.pk]
        bulk_update_audited(PoolEntry, changed, ["flagged_on", "flag_reasons"])
    return len(changed)


def _eligible_set(elig) -> set:
    """The cadres of one pool's eligibility that pass every check."""
    ids = getattr(elig, "eligible_ids", None)
    return ids if ids is not None else {cid for cid, ce in elig.items() if ce.passed}


# --------------------------------------------------------------------------- load
def latest_annual_year(on: dt.date) -> int:
    """The latest year with a published annual assessment on or before ``on``'s year (the year
    before ``on``'s when there is none)."""
    year = (AssessmentPeriod.objects.filter(kind=PeriodKind.ANNUAL, status=PeriodStatus.PUBLISHED,
                                            year__lte=on.year)
            .order_by("-year").values_list("year", flat=True).first())
    return int(year) if year is not None else on.year - 1


def points_windows(on: dt.date, years: int) -> list[tuple[dt.date, dt.date]]:
    """The 12-month windows (first day, last day) ending on ``on``, latest first."""
    ends = [on - relativedelta(years=k) for k in range(years + 1)]
    return [(ends[k + 1] + dt.timedelta(days=1), ends[k]) for k in range(years)]


def _by_cadre(cadre_ids: np.ndarray, keys: np.ndarray, n_cols: int, cols: np.ndarray, values: np.ndarray,
              fill: int) -> np.ndarray:
    """A (len(cadre_ids), n_cols) matrix of ``values`` at (row of ``keys``, ``cols``)."""
    out = np.full((len(cadre_ids), n_cols), fill, dtype=np.int64)
    if len(keys):
        at = np.searchsorted(cadre_ids, keys)
        ok = (at < len(cadre_ids)) & (cols >= 0) & (cols < n_cols)
        ok[ok] &= cadre_ids[at[ok]] == keys[ok]
        out[at[ok], cols[ok]] = values[ok]
    return out


@dataclass
class Loaded:
    on: dt.date
    entry_id: np.ndarray
    pool_id: np.ndarray
    cadre_id: np.ndarray  # per entry
    cadres: np.ndarray  # the distinct cadres, ascending
    anchor: int  # the latest composite year
    composite: np.ndarray  # (cadres, max years) hundredths, -1 where none; column k = anchor - k
    windows: list  # points windows, latest first
    points: np.ndarray  # (cadres, max years) hundredths per window
    postings: dict  # cadre id -> the best posting (dict)
    awards: dict  # cadre id -> (sum hundredths, [award dicts])
    cards: dict  # window start -> {cadre id: (deduction hundredths, [card dicts])}
    blocked: set  # cadre ids blocked from the pool on ``on``
    eligibility: dict
    award_since: dt.date


def load(pools, *, on, eligibility=None, phases=None) -> Loaded:
    """Everything the scores rest on, read once for all ``pools``."""
    clock = _Clock(phases)
    arrays = read_arrays(admitted(pools).order_by("pool_id", "id").values_list("id", "pool_id", "cadre_id"),
                         ["id", "pool_id", "cadre_id"])
    entry_id, pool_id, cadre_id = arrays["id"], arrays["pool_id"], arrays["cadre_id"]
    cadres = np.unique(cadre_id)
    clock.lap("entries")
    who = admitted(pools).order_by().values("cadre_id")
    max_c = max((p.composite_years for p in pools), default=1)
    max_p = max((p.points_years for p in pools), default=1)

    windows = points_windows(on, max_p)
    k = Case(*[When(start_date__gte=start, then=Value(i)) for i, (start, _end) in enumerate(windows)],
             default=Value(-1), output_field=IntegerField())
    rows = read_arrays(
        PerformanceRecord.objects.filter(counted_records_q(), cadre_id__in=who, start_date__gte=windows[-1][0],
                                         start_date__lte=on, points__isnull=False)
        .annotate(k=k).order_by().values("cadre_id", "k")
        .annotate(h=Cast(Round(Sum("points") * Value(Decimal(100))), BigIntegerField()))
        .values_list("cadre_id", "k", "h"),
        ["cadre_id", "k", "h"])
    points = _by_cadre(cadres, rows["cadre_id"], max_p, rows["k"], rows["h"], 0)
    clock.lap("points")
    if eligibility is None:
        # rule 5 of the eligibility sums the same records as the points windows: given, not re-read
        eligibility = _eligibility_of_pairs(pools, pool_id, cadre_id, on=on, points=(cadres, points)) \
            if len(cadres) else {}
    clock.lap("eligibility")

    anchor = latest_annual_year(on)
    rows = read_arrays(
        AssessmentResult.objects.filter(
            cadre_id__in=who, composite__isnull=False, period__kind=PeriodKind.ANNUAL,
            period__status=PeriodStatus.PUBLISHED, period__year__lte=anchor, period__year__gt=anchor - max_c)
        .order_by("cadre_id", "period__year", "period__end_date", "period_id")
        .values_list("cadre_id", "period__year", Cast(Round(F("composite") * Value(Decimal(100))), BigIntegerField())),
        ["cadre_id", "year", "h"])
    # two annual results in one year: the later period's (the last of the ordered rows) is kept
    composite = np.full((len(cadres), max_c), -1, dtype=np.int64)
    if len(rows["cadre_id"]):
        frame = pd.DataFrame(rows).drop_duplicates(["cadre_id", "year"], keep="last")
        composite = _by_cadre(cadres, frame["cadre_id"].to_numpy(), max_c, (anchor - frame["year"]).to_numpy(),
                              frame["h"].to_numpy(), -1)
    clock.lap("composites")


    rank = {e: i for i, e in enumerate(EVALUATION_ORDER)}
    postings = {}
    for p in (FrontlinePosting.objects.filter(cadre_id__in=who, status=PostingStatus.CLOSED)
              .exclude(evaluation="").order_by("cadre_id", "-end_date", "-id")
              .values("id", "cadre_id", "programme__name", "host", "start_date", "end_date", "evaluation")):
        best = postings.get(p["cadre_id"])
        if best is None or rank.get(p["evaluation"], 99) < rank.get(best["evaluation"], 99):
            postings[p["cadre_id"]] = p
    clock.lap("postings")

    award_points = getattr(settings, "POOL_AWARD_POINTS", {})
    award_since = on - relativedelta(years=int(getattr(settings, "POOL_AWARD_YEARS", 3))) + dt.timedelta(days=1)
    now = standing(who, on=on)
    blocked, awards = set(), {}
    for cid, st in now.items():
        if st.blocked("pool"):
            blocked.add(int(cid))
        got = [a for a in st.awards if a.awarded_on >= award_since]
        if got:
            items = [{"id": a.pk, "kind": a.kind.name, "level": a.kind.level, "year": a.year,
                      "on": a.awarded_on.isoformat(), "points": to_h(award_points.get(a.kind.level, 0))} for a in got]
            awards[int(cid)] = (sum(i["points"] for i in items), items)
    deduction = {}
    cards = {}
    for start in sorted({card_window_start(anchor, p.composite_years) for p in pools}):
        per = cards[start] = {}
        for cid, st in standing(who, during=(min(start, on), on)).items():
            if not st.scored_cards:
                continue
            items = []
            for c in st.scored_cards:
                if c.color not in deduction:
                    deduction[c.color] = to_h(conduct.card_deduction(c.color))
                items.append({"id": c.pk, "color": c.color, "start": c.start_date.isoformat(),
                              "end": c.end_date.isoformat(), "reason": c.reason.name, "deduction": deduction[c.color]})
            per[int(cid)] = (sum(i["deduction"] for i in items), items)
    clock.lap("standing")
    return Loaded(on=on, entry_id=entry_id, pool_id=pool_id, cadre_id=cadre_id, cadres=cadres, anchor=anchor,
                  composite=composite, windows=windows, points=points, postings=postings, awards=awards, cards=cards,
                  blocked=blocked, eligibility=eligibility, award_since=award_since)


def card_window_start(anchor: int, composite_years: int) -> dt.date:
    """The first day the cards count from: 1 January of the pool's first composite year."""
    return dt.date(anchor - int(composite_years) + 1, 1, 1)


class _Clock:
    def __init__(self, laps):
        self.laps, self._t = laps, time.monotonic()

    def lap(self, name):
        now = time.monotonic()
        if self.laps is not None:
            self.laps[name] = round(self.laps.get(name, 0) + now - self._t, 3)
        self._t = now


# --------------------------------------------------------------------------- score
def rank_pools(pools, *, on, progress=None, eligibility=None, phases=None, loaded=None) -> dict:
    """See the module's docstring. ``eligibility``: ``eligibility_for(pools, on=on)`` when the
    caller has it already; ``loaded``: ``load(pools, on=on)`` when the caller has it (the run: it
    shares ``loaded.eligibility`` with ``entries_flag``); ``phases``: a dict that gets the seconds
    spent in each phase (``PHASES``)."""
    pools = list(pools)
    if loaded is None:
        loaded = load(pools, on=on, eligibility=eligibility, phases=phases)
    clock = _Clock(phases)
    out = {}
    starts = np.searchsorted(loaded.pool_id, [p.pk for p in pools], side="left")
    ends = np.searchsorted(loaded.pool_id, [p.pk for p in pools], side="right")
    for n, pool in enumerate(pools, start=1):
        sl = slice(int(starts[n - 1]), int(ends[n - 1]))
        out[pool.pk] = score_pool(pool, loaded, sl)
        clock.lap("score")
        if progress is not None:
            progress(n, len(pools), pool.name)
    return out


COLUMNS = ["entry_id", "cadre_id", "score", "rank", "components", "flags"]


def score_pool(pool, loaded: Loaded, sl: slice) -> pd.DataFrame:
    """The entries of one pool (``sl`` of the loaded entries), scored and ranked."""
    entry_id, cadre_id = loaded.entry_id[sl], loaded.cadre_id[sl]
    n = len(entry_id)
    if n == 0:
        frame = pd.DataFrame({c: pd.Series(dtype="Int64" if c in ("score", "rank") else object) for c in COLUMNS})
        frame.attrs["context"] = pool_context(pool, loaded, 0, card_window_start(loaded.anchor, pool.composite_years))
        return frame
    row = np.searchsorted(loaded.cadres, cadre_id)
    blocked = np.isin(cadre_id, np.fromiter(loaded.blocked, np.int64, len(loaded.blocked)))
    ineligible = _ineligible(loaded.eligibility.get(pool.pk, {}), cadre_id)
    ranked = ~(blocked | ineligible)

    # composite: weighted mean over the years present
    yw, _den = decay_weights(pool.recency_percent, pool.composite_years)
    c = loaded.composite[row, :pool.composite_years]
    present = c >= 0
    w = _exact(np.array(yw, dtype=object), max(yw) * FULL * len(yw))
    cc = _exact(np.where(present, c, 0), max(yw) * FULL * len(yw))
    num = (cc * w).sum(axis=1)
    den = (present.astype(np.int64).astype(w.dtype) * w).sum(axis=1)
    composite = np.zeros(n, np.int64)
    has = den > 0
    if has.any():
        composite[has] = np.asarray(div_half_up(num[has], den[has]), dtype=np.int64)

    # points: decayed total per cadre, against the best of the ranked entries
    pw, pden = decay_weights(pool.recency_percent, pool.points_years)
    p = loaded.points[row, :pool.points_years]
    bound = max(pw) * (int(np.abs(p).max()) if p.size else 0) * len(pw)
    total = np.asarray(div_half_up(((_exact(p, bound) * _exact(np.array(pw, dtype=object), bound)).sum(axis=1)),
                                   pden), dtype=np.int64).reshape(n)
    best = int(np.maximum(total[ranked], 0).max()) if ranked.any() else 0
    if best > 0:
        points = np.minimum(FULL, np.asarray(div_half_up(np.maximum(total, 0).astype(object) * FULL, best),
                                              dtype=np.int64))
    else:
        points = np.zeros(n, np.int64)

    awards = np.array([min(FULL, loaded.awards.get(int(cid), (0, ()))[0]) for cid in cadre_id], np.int64)
    fl_points = getattr(settings, "POOL_FRONTLINE_POINTS", {})
    frontline = np.array([to_h(fl_points.get(loaded.postings[int(cid)]["evaluation"], 0))
                          if int(cid) in loaded.postings else 0 for cid in cadre_id], np.int64)
    card_start = card_window_start(loaded.anchor, pool.composite_years)
    card_rows = loaded.cards.get(card_start, {})
    cards = np.array([max(0, FULL - card_rows.get(int(cid), (0, ()))[0]) for cid in cadre_id], np.int64)

    values = {"composite": composite, "points": points, "awards": awards, "frontline": frontline, "cards": cards}
    weights = pool.weights
    contrib = {k: np.asarray(div_half_up(values[k] * int(weights[k]), 100), dtype=np.int64) for k in COMPONENTS}
    score = sum(contrib[k] for k in COMPONENTS)

    rank = competition_rank(score, composite, points, ranked)

    # the components kept with each entry (what ``explain`` puts in words): what differs per entry;
    # what the pool's entries share is the frame's ``attrs["context"]`` (``STORED``)
    comps = components_of(pool, loaded, c, p, total, values, contrib, cadre_id, card_rows)
    flags = [([FLAG_BLOCKED] if b else []) + ([FLAG_INELIGIBLE] if i else [])
             for b, i in zip(blocked.tolist(), ineligible.tolist(), strict=True)]
    frame = pd.DataFrame({
        "entry_id": entry_id, "cadre_id": cadre_id,
        "score": pd.array(np.where(ranked, score, 0), dtype="Int64"),
        "rank": pd.array(rank, dtype="Int64"),
        "components": comps, "flags": flags,
    })
    frame.loc[~ranked, ["score", "rank"]] = pd.NA
    frame.attrs["context"] = pool_context(pool, loaded, best, card_start)
    return frame


# --------------------------------------------------------------------------- the stored form
STORED = """What a run stores of an entry's components, compact: only what differs between the entries
of a pool, as integers (hundredths) and the few lists some cadres have:

    {"v": [value per component], "c": [contribution per component]   (``COMPONENTS`` order),
     "y": [composite per composite year, -1: no published result]     (the context's ``years``),
     "p": [verified points per window]                               (the context's ``windows``),
     "t": the decayed points total,
     "a": [award dicts], "s": their sum     (only when the cadre has awards in the window),
     "f": {the best closed posting}         (only when there is one),
     "k": [card dicts]                      (only when cards count)}

and once per pool on the run (``RankingRun.context[pool id]``) what all its entries share:

    {"weights": {component: percent}, "years": [composite years, latest first],
     "year_percent": [...], "windows": [[start, end], ...], "window_percent": [...],
     "best": the best points total of the pool's ranked entries,
     "award_since": date, "card_since": date}

``expand`` puts the two together in the whole form the explanation, the pages and the API read.
About 150 bytes an entry instead of 1.3 KB (bench/pool.py: the run's write)."""


def pool_context(pool, loaded: Loaded, best: int, card_start: dt.date) -> dict:
    """What every entry of ``pool`` shares in its explanation (``STORED``)."""
    return {
        "weights": {k: int(pool.weights[k]) for k in COMPONENTS},
        "years": [loaded.anchor - k for k in range(pool.composite_years)],
        "year_percent": [decay_percent(pool.recency_percent, k) for k in range(pool.composite_years)],
        "windows": [[s.isoformat(), e.isoformat()] for s, e in loaded.windows[:pool.points_years]],
        "window_percent": [decay_percent(pool.recency_percent, k) for k in range(pool.points_years)],
        "best": int(best), "award_since": loaded.award_since.isoformat(), "card_since": card_start.isoformat(),
    }


def components_of(pool, loaded: Loaded, c, p, total, values, contrib, cadre_id, card_rows) -> list[dict]:
    """The stored components (``STORED``) of each entry of one pool (``score_pool``'s arrays)."""
    paused = gc.isenabled()
    gc.disable()  # no cycle can arise: the collector would only walk every dict made so far again
    try:
        rows = zip(cadre_id.tolist(), c.tolist(), p.tolist(), total.tolist(),
                   zip(*(values[k].tolist() for k in COMPONENTS), strict=True),
                   zip(*(contrib[k].tolist() for k in COMPONENTS), strict=True),
                   strict=True)
        awards, postings = loaded.awards, loaded.postings
        out = []
        for cid, cv, pv, tot, v, ct in rows:
            item = {"v": list(v), "c": list(ct), "y": cv, "p": pv, "t": tot}
            got = awards.get(cid)
            if got is not None:
                item["a"], item["s"] = got[1], got[0]
            posting = postings.get(cid)
            if posting is not None:
                item["f"] = _posting_detail(posting)
            cards = card_rows.get(cid)
            if cards is not None:
                item["k"] = cards[1]
            out.append(item)
        return out
    finally:
        if paused:
            gc.enable()


def expand(stored: dict, context: dict) -> dict:
    """The whole form of an entry's components: {component: {"value", "weight", "contribution",
    "detail"}} from what the run stored of it and of its pool (``STORED``)."""
    if not stored or "v" not in stored:
        return {}
    weights = context.get("weights") or {}
    out = {k: {"value": stored["v"][i], "weight": int(weights.get(k, 0)), "contribution": stored["c"][i]}
           for i, k in enumerate(COMPONENTS)}
    years, composite = context.get("years") or [], stored.get("y") or []
    year_percent = context.get("year_percent") or []
    out["composite"]["detail"] = {
        "years": [{"year": y, "value": x, "percent": q}
                  for y, x, q in zip(years, composite, year_percent, strict=False) if x >= 0],
        "missing": [y for y, x in zip(years, composite, strict=False) if x < 0]}
    out["points"]["detail"] = {
        "windows": [{"start": w[0], "end": w[1], "value": x, "percent": q} for w, x, q in
                    zip(context.get("windows") or [], stored.get("p") or [], context.get("window_percent") or [],
                        strict=False)],
        "total": stored.get("t", 0), "best": context.get("best", 0)}
    out["awards"]["detail"] = {"since": context.get("award_since", ""), "awards": stored.get("a", []),
                               "sum": stored.get("s", 0)}
    out["frontline"]["detail"] = {"posting": stored.get("f")}
    out["cards"]["detail"] = {"since": context.get("card_since", ""), "cards": stored.get("k", [])}
    return out


def context_of(ranking_entry) -> dict:
    """The pool's context in the run of ``ranking_entry`` (read from the run: select it with the entry)."""
    return (ranking_entry.run.context or {}).get(str(ranking_entry.pool_id)) or {}


def components(ranking_entry, context=None) -> dict:
    """The whole form of ``ranking_entry``'s components (``expand``), made once per instance."""
    got = getattr(ranking_entry, "_components_whole", None)
    if got is None:
        got = expand(ranking_entry.components or {}, context_of(ranking_entry) if context is None else context)
        ranking_entry._components_whole = got
    return got


def _posting_detail(posting) -> dict:
    detail = posting.get("_detail")
    if detail is None:
        detail = posting["_detail"] = {
            "id": posting["id"], "programme": posting["programme__name"], "host": posting["host"],
            "start": posting["start_date"].isoformat(), "end": posting["end_date"].isoformat(),
            "evaluation": posting["evaluation"]}
    return detail


def competition_rank(score, composite, points, mask) -> np.ndarray:
    """Ranks by ``TIE_RULE`` among the rows of ``mask`` (1, 2, 2, 4 …), 0 elsewhere."""
    out = np.zeros(len(score), np.int64)
    idx = np.nonzero(mask)[0]
    if not len(idx):
        return out
    order = idx[np.lexsort((-points[idx], -composite[idx], -score[idx]))]
    s, c, p = score[order], composite[order], points[order]
    new = np.ones(len(order), bool)
    new[1:] = (s[1:] != s[:-1]) | (c[1:] != c[:-1]) | (p[1:] != p[:-1])
    out[order] = np.maximum.accumulate(np.where(new, np.arange(len(order)), 0)) + 1
    return out


# --------------------------------------------------------------------------- explain
@dataclass(frozen=True)
class Line:
    component: str
    label: str
    value: Decimal  # the cadre's value of the component, 0–100
    weight: int  # percent
    contribution: Decimal  # weight × value, points of the score
    sentence: str


def _pts(h) -> str:
    return f"{from_h(h)}"


def explain(ranking_entry, context=None) -> list[Line]:
    """The score of ``ranking_entry`` line by line, in the reader's language, from its stored
    components and its pool's ``context`` in the run (``STORED``; by default the run's, which the
    caller selects with the entry: then no query)."""
    comps = components(ranking_entry, context)
    lines = []
    for key in COMPONENTS:
        c = comps.get(key)
        if not c:
            continue
        d = c.get("detail") or {}
        if key == "composite":
            first, then = _("%(year)s 年度 综合得分 %(value)s ×%(percent)s%%"), _("%(year)s 年度 %(value)s ×%(percent)s%%")
            parts = [(then if i else first) % {"year": y["year"], "value": _pts(y["value"]), "percent": y["percent"]}
                     for i, y in enumerate(d.get("years", []))]
            if parts:
                text = "，".join(parts)
                if len(parts) > 1:
                    text += _("，加权平均 %(value)s") % {"value": _pts(c["value"])}
                if d.get("missing"):
                    text += _("（%(years)s 年度无考核结果，不计）") % {"years": "、".join(map(str, d["missing"]))}
            else:
                text = _("%(years)s 年度均无已发布的年度考核综合得分，计 0 分") % {
                    "years": "、".join(map(str, d.get("missing", [])))}
        elif key == "points":
            first = _("%(start)s 至 %(end)s 已核实实绩 %(value)s 分 ×%(percent)s%%")
            then = _("%(start)s 至 %(end)s %(value)s 分 ×%(percent)s%%")
            parts = [(then if i else first) % {"start": w["start"], "end": w["end"], "value": _pts(w["value"]),
                                               "percent": w["percent"]} for i, w in enumerate(d.get("windows", []))]
            text = "，".join(parts) + _("，计 %(total)s 分") % {"total": _pts(d.get("total", 0))}
            if d.get("best", 0) > 0:
                text += _("；本库最高 %(best)s 分，折合 %(value)s") % {"best": _pts(d["best"]), "value": _pts(c["value"])}
            else:
                text += _("；本库参加排名的人选均无实绩积分，计 0 分")
        elif key == "awards":
            levels = dict(Level.choices)
            parts = [_("%(kind)s（%(level)s，%(on)s）%(points)s 分") % {
                "kind": a["kind"], "level": levels.get(a["level"], a["level"]), "on": a["on"],
                "points": _pts(a["points"])} for a in d.get("awards", [])]
            if parts:
                text = _("%(since)s 以来：") % {"since": d.get("since", "")} + "，".join(parts)
                text += _("，合计 %(sum)s 分") % {"sum": _pts(d.get("sum", 0))}
                if d.get("sum", 0) > FULL:
                    text += _("，以 100 分计")
            else:
                text = _("%(since)s 以来无表彰，计 0 分") % {"since": d.get("since", "")}
        elif key == "frontline":
            p = d.get("posting")
            if p:
                text = _("%(programme)s · %(host)s（%(start)s 至 %(end)s）期满评价%(evaluation)s，计 %(value)s 分") % {
                    "programme": p["programme"], "host": p["host"], "start": p["start"], "end": p["end"],
                    "evaluation": dict(Evaluation.choices).get(p["evaluation"], p["evaluation"]),
                    "value": _pts(c["value"])}
            else:
                text = _("无已结束并评价的一线历练，计 0 分")
        else:
            colors = dict(CardColor.choices)
            parts = [_("%(color)s %(start)s 至 %(end)s（%(reason)s）扣 %(points)s 分") % {
                "color": colors.get(x["color"], x["color"]), "start": x["start"], "end": x["end"],
                "reason": x["reason"], "points": _pts(x["deduction"])} for x in d.get("cards", [])]
            if parts:
                text = _("100 分减去 %(since)s 以来计入的红黄牌扣分：") % {"since": d.get("since", "")}
                text += "，".join(parts) + _("，计 %(value)s 分") % {"value": _pts(c["value"])}
            else:
                text = _("%(since)s 以来无计入的红黄牌，计 100 分") % {"since": d.get("since", "")}
        lines.append(Line(component=key, label=str(COMPONENT_LABELS[key]), value=from_h(c["value"]),
                          weight=int(c["weight"]), contribution=from_h(c["contribution"]), sentence=text))
    return lines


def flag_labels(flags) -> list[str]:
    """The flags of a ranking entry in the reader's language."""
    return [str(FLAG_LABELS.get(f, f)) for f in flags or ()]


def weights_used(pool) -> dict:
    """What a run records of a pool's settings (``RankingRun.weights``)."""
    return {**pool.weights, "composite_years": pool.composite_years, "points_years": pool.points_years,
            "recency_percent": pool.recency_percent}


def by_pool(frames: dict) -> dict:
    """{pool id: (ranked, flagged)} of ``rank_pools``' result."""
    out = defaultdict(dict)
    for pid, f in frames.items():
        ranked = int(f["rank"].notna().sum()) if len(f) else 0
        out[pid] = {"ranked": ranked, "flagged": len(f) - ranked}
    return dict(out)
