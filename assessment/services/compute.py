"""The composite score (综合得分) of a whole period, set-based: the one function that computes it.

Exact arithmetic: every score, weight and composite is an integer number of hundredths
(``assessment.hundredths``) and each quotient is rounded half up (四舍五入), as a person checking
by hand would. For each enrolled cadre:
- a rater-scored indicator's score is the weighted mean of the rater groups' scores, with the
  weights of the cadre's tier, rounded to 2 decimals; a group that gave the cadre no score does
  not count as zero: its weight is shared out among the groups that did, in proportion to their
  weights (the explanation says so);
- an indicator of another method (e.g. 实绩档案积分折算) is derived by its method in
  ``assessment.scoring`` from data loaded once for the whole period;
- composite = Σ indicator score × indicator weight / 100, rounded to 2 decimals;
- the veto indicator below its line marks the cadre ``vetoed``.
Then grades (``grading.grade_arrays``, with who is barred from 优秀 by ``standing`` during the
period, asked once in ``load`` with the card deduction) and ranks by composite and by 实绩 points within each
(tier, category) group, with array operations. Queries do not grow with the number of cadres:
the scores come in one binary COPY, and the results go out in one COPY and one UPDATE (PostgreSQL).

The computation runs in named phases, each a function of the one before, each tested on its own:
``load`` → ``aggregate`` → ``derive`` → ``grade`` (→ the write), and ``explain``: the explanation
of one result is built when it is shown, by the same phases run on that result alone, from the
period's frozen Score rows and the 实绩 points stored with the result — not written for every
cadre at compute time. It gives every indicator's score, weight and contribution (the
contributions add up to the composite), every rater group's score, nominal and effective weight
and contribution, and notes as codes. Format (``v`` 1): ``indicators`` [[id, score, weight,
contribution, by_group, detail], ...], ``groups`` [[id, nominal weight, effective weight,
contribution], ...], ``notes`` [[code, params], ...], ``points``, ``total``.

A grade set by hand (override, with its reason) is kept when the period is recomputed; the
computed grade is stored beside it.
"""
import io
import time
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import pandas as pd
from django.db import connection, transaction
from django.db.models import F, IntegerField
from django.db.models.functions import Cast, Round
from django.utils import timezone

from pingdingshan.core.frames import read_arrays
from pingdingshan.core.services import model_save

from .. import scoring
from ..hundredths import div_half_up, from_h, h_float, to_h
from ..models import AssessmentResult, Dimension, Indicator, RaterGroup, Score
from . import standing as standing_mod
from .grading import NOTE_BARRED, NOTE_CAP, NOTE_TIE, grade_arrays
from .periods import lock_period, require_action, require_assess

EXPLANATION_VERSION = 1
PHASES = ("load", "aggregate", "derive", "grade", "write")


def period_compute(*, by, period, progress=None) -> dict:
    """Compute composites, grades and ranks of every cadre of ``period``. ``progress``, if given,
    is called with (phases done, phases in all) after each phase."""
    require_assess(by)
    started = time.monotonic()
    with transaction.atomic():
        period = lock_period(period)
        require_action(period, "compute")  # PERIOD_TRANSITIONS: an open period
        summary = _compute(period, progress=progress)
        period.computed_at = timezone.now()
        model_save(period, by=by, validate=False)
    summary["seconds"] = round(time.monotonic() - started, 2)
    return summary


def _compute(period, progress=None) -> dict:
    clock = _Clock(progress)
    loaded = load(period)
    clock.lap("load")
    if loaded.n == 0:
        if progress is not None:
            progress(len(PHASES), len(PHASES))
        return {"results": 0, "graded": 0}
    agg = aggregate(loaded)
    clock.lap("aggregate")
    derived = derive(loaded, agg)
    clock.lap("derive")
    graded = grade(loaded, derived)
    clock.lap("grade")
    _write(loaded, derived, graded, timezone.now())
    clock.lap("write")
    return {"results": loaded.n, "graded": int((graded.computed != "").sum()), "incomplete": int(derived.incomplete.sum()),
            "vetoed": int(derived.vetoed.sum()), "barred": int((graded.note == NOTE_BARRED).sum()),
            "overridden": len(loaded.overrides), "phases": clock.laps}


class _Clock:
    """Seconds spent in each phase (reported with the summary, for the benchmark)."""

    def __init__(self, progress=None):
        self.laps, self._t, self.progress = {}, time.monotonic(), progress

    def lap(self, name):
        now = time.monotonic()
        self.laps[name] = round(now - self._t, 2)
        self._t = now
        if self.progress is not None:
            self.progress(PHASES.index(name) + 1, len(PHASES))


# --------------------------------------------------------------------------- 1. load
@dataclass
class Loaded:
    """What the period holds, as arrays aligned with the result rows (``n``), the schemes'
    indicator positions (``I``) and the rater groups (``G``). Scores, weights and thresholds in
    hundredths."""
    period: object
    result_id: np.ndarray  # (n,) ascending
    cadre_id: np.ndarray
    tier_id: np.ndarray
    category_id: np.ndarray
    srow: np.ndarray  # (n,) the row's scheme, an index into the scheme matrices
    indicators: list  # per scheme, its Indicator objects in order
    weight: np.ndarray  # (S, I) indicator weights
    exists: np.ndarray  # (S, I)
    is_rater: np.ndarray  # (S, I)
    political: np.ndarray  # (S, I)
    veto_pos: np.ndarray  # (S,) position of the veto indicator, -1 for none
    veto_thr: np.ndarray  # (S,)
    groups: list  # [(id, name)] in order
    tier_weight: np.ndarray  # (n, G) the nominal weight of each group for the row's tier
    raw: np.ndarray  # (n, I, G) the score each group gave, -1 where it gave none
    sources: dict  # {name: (n,) hundredths} for the derived methods
    overrides: dict = field(default_factory=dict)  # {result id: grade set by hand}
    barred: np.ndarray | None = None  # (n,) barred from 优秀 during the period (``standing``)

    @property
    def n(self):
        return len(self.result_id)


def load(period, *, results=None) -> Loaded:
    """Phase 1. Every enrolled result of ``period`` (or only ``results``, AssessmentResult objects,
    for an explanation: then the sources are the values stored with them at compute time)."""
    cols = ["id", "cadre_id", "tier_id", "category_id", "scheme_id"]
    if results is None:
        arr = read_arrays(period.results.order_by("id").values_list(*cols), cols)
    else:
        results = sorted(results, key=lambda r: r.pk)
        arr = {c: np.array([getattr(r, "pk" if c == "id" else c) for r in results], np.int64) for c in cols}
    n = len(arr["id"])
    scheme_ids = np.unique(arr["scheme_id"])
    tier_ids = np.unique(arr["tier_id"])

    # The schemes' indicators as padded matrices [scheme, position] (one query).
    per_scheme = {int(s): [] for s in scheme_ids}
    for ind in Indicator.objects.filter(scheme_id__in=per_scheme).order_by("order", "id"):
        per_scheme[ind.scheme_id].append(ind)
    indicators = [per_scheme[int(s)] for s in scheme_ids]
    S, width = len(scheme_ids), max((len(v) for v in indicators), default=0) or 1
    weight = np.zeros((S, width), np.int64)
    exists, is_rater, political = (np.zeros((S, width), bool) for _k in range(3))
    veto_pos, veto_thr = np.full(S, -1, np.int64), np.zeros(S, np.int64)
    ind_pos = {}
    for k, inds in enumerate(indicators):
        for p, ind in enumerate(inds):
            method = scoring.get(ind.method)
            weight[k, p] = to_h(ind.weight)
            exists[k, p] = True
            is_rater[k, p] = bool(method and method.uses_raters)
            political[k, p] = ind.dimension == Dimension.POLITICAL
            ind_pos[ind.pk] = p
            if ind.is_veto:
                veto_pos[k], veto_thr[k] = p, to_h(ind.veto_threshold)
    srow = np.searchsorted(scheme_ids, arr["scheme_id"])

    # Rater groups with their weights per tier (one query: the groups left-joined to the weights).
    groups, g_index, t_index = [], {}, {int(t): k for k, t in enumerate(tier_ids)}
    tier_w = {}
    for gid, name, tid, w in (RaterGroup.objects.filter(period=period).order_by("order", "id")
                              .values_list("id", "name", "weights__tier_id", "weights__weight")):
        if gid not in g_index:
            g_index[gid] = len(groups)
            groups.append((gid, name))
        if tid in t_index and w is not None:
            tier_w[(t_index[tid], g_index[gid])] = to_h(w)
    G = max(len(groups), 1)
    by_tier = np.zeros((len(tier_ids), G), np.int64)
    for (t, g), w in tier_w.items():
        by_tier[t, g] = w
    tier_weight = by_tier[np.searchsorted(tier_ids, arr["tier_id"])] if n else np.zeros((0, G), np.int64)

    # Every score, in hundredths, into raw[row, indicator position, group] (one COPY).
    raw = np.full((n, width, G), -1, dtype=np.int16)
    if groups and n:
        qs = Score.objects.filter(rater_group__period=period)
        if results is not None:
            qs = qs.filter(result_id__in=arr["id"].tolist())
        # Exact on PostgreSQL (numeric × 100); SQLite keeps decimals as floats: round, not truncate.
        h = F("score") * 100 if connection.vendor == "postgresql" else Round(F("score") * 100)
        cols = ["result_id", "indicator_id", "rater_group_id", "h"]
        sc = read_arrays(qs.order_by().values_list(*cols[:3], Cast(h, IntegerField())), cols)
        if len(sc["h"]):
            pos_map = np.full(max(max(ind_pos, default=0), int(sc["indicator_id"].max())) + 1, -1, np.int64)
            for pk, p in ind_pos.items():
                pos_map[pk] = p
            g_map = np.full(max(max(g_index), int(sc["rater_group_id"].max())) + 1, -1, np.int64)
            for gid, k in g_index.items():
                g_map[gid] = k
            p = pos_map[sc["indicator_id"]]
            g = g_map[sc["rater_group_id"]]
            flat = (np.searchsorted(arr["id"], sc["result_id"]) * width + p) * G + g
            values = sc.pop("h")
            del sc
            ok = (p >= 0) & (g >= 0)
            if not ok.all():  # a score of an indicator no longer in the scheme: not counted
                flat, values = flat[ok], values[ok]
            raw.reshape(-1)[flat] = values
            del flat, values, p, g, ok
    if results is None:
        sources = {}
        overrides = dict(period.results.exclude(override_reason="").values_list("id", "grade"))
    else:
        sources = {name: np.array([to_h(getattr(r, attr) or 0) for r in results], np.int64)
                   for name, attr in scoring.STORED.items()}
        overrides = {}
    loaded = Loaded(period=period, result_id=arr["id"], cadre_id=arr["cadre_id"], tier_id=arr["tier_id"],
                    category_id=arr["category_id"], srow=srow, indicators=indicators, weight=weight, exists=exists,
                    is_rater=is_rater, political=political, veto_pos=veto_pos, veto_thr=veto_thr, groups=groups,
                    tier_weight=tier_weight, raw=raw, sources=sources, overrides=overrides)
    if results is None:
        with standing_mod.kept_for(period):  # one standing for the bar and the card deduction
            st = standing_mod.for_period(period)
            barred_ids = np.array(sorted(cid for cid, s in st.items() if s.blocked("excellent")), np.int64)
            loaded.barred = np.isin(loaded.cadre_id, barred_ids)
            for name in _needed_sources(loaded):
                loaded.sources[name] = scoring.SOURCES[name](period, loaded.cadre_id)
    return loaded


def _needed_sources(loaded) -> list[str]:
    names = {"points", "cards"}  # every result keeps its 实绩 points and its card deduction
    for inds in loaded.indicators:
        for ind in inds:
            method = scoring.get(ind.method)
            if method is not None and not method.uses_raters:
                names.update(method.sources)
    return sorted(names)


# --------------------------------------------------------------------------- 2. aggregate
@dataclass
class Aggregated:
    """The rater-scored indicators' scores (hundredths, ``has`` where any group with weight
    scored) and which groups scored the cadre at all."""
    rater: np.ndarray  # (n, I)
    has: np.ndarray  # (n, I)
    present: np.ndarray  # (n, G)


def aggregate(loaded: Loaded) -> Aggregated:
    """Phase 2. Per row and indicator: Σ score × weight ÷ Σ weight over the groups that scored,
    rounded half up to hundredths, exactly."""
    n, width, G = loaded.raw.shape
    num = np.zeros((n, width), np.int64)
    den = np.zeros((n, width), np.int64)
    present = np.zeros((n, G), bool)
    for g in range(G):
        s = loaded.raw[:, :, g]
        gave = s >= 0
        w = loaded.tier_weight[:, g][:, None] * gave
        num += s.astype(np.int64) * w
        den += w
        present[:, g] = gave.any(axis=1)
    has = den > 0
    rater = np.where(has, div_half_up(num, np.maximum(den, 1)), 0)
    return Aggregated(rater=rater, has=has, present=present)


# --------------------------------------------------------------------------- 3. derive
@dataclass
class Derived:
    """Every indicator's score (hundredths), the composite and what grading needs."""
    score: np.ndarray  # (n, I)
    has: np.ndarray  # (n, I)
    incomplete: np.ndarray  # (n,) an indicator of the scheme has no score
    composite: np.ndarray  # (n,) hundredths (0 where incomplete)
    political: np.ndarray  # (n,) the 政治担当 indicators' contribution, hundredths
    vetoed: np.ndarray  # (n,)
    points: np.ndarray  # (n,) verified 实绩 points, hundredths


def derive(loaded: Loaded, agg: Aggregated) -> Derived:
    """Phase 3. The other methods' scores from their sources; the composite Σ score × weight ÷
    100 rounded half up; the 政治担当 contribution; the veto."""
    srow = loaded.srow
    ex = loaded.exists[srow]
    rater = loaded.is_rater[srow]
    score = np.where(rater, agg.rater, 0)
    has = rater & agg.has
    for k, inds in enumerate(loaded.indicators):
        rows = np.nonzero(srow == k)[0]
        if not len(rows):
            continue
        for p, ind in enumerate(inds):
            method = scoring.get(ind.method)
            if method is None or method.uses_raters:
                continue
            score[rows, p] = method.derive({name: v[rows] for name, v in loaded.sources.items()}, ind.params)
            has[rows, p] = True
    has &= ex
    w = loaded.weight[srow]
    part = np.where(has, score * w, 0)  # score × weight in millionths of a point
    incomplete = (ex & ~has).any(axis=1)
    composite = np.where(incomplete, 0, div_half_up(part.sum(axis=1), 10000))
    political = div_half_up(np.where(loaded.political[srow], part, 0).sum(axis=1), 10000)
    vpos = loaded.veto_pos[srow]
    at = np.arange(len(srow))
    vscore, vhas = score[at, np.maximum(vpos, 0)], has[at, np.maximum(vpos, 0)]
    vetoed = (vpos >= 0) & vhas & (vscore < loaded.veto_thr[srow])
    points = loaded.sources.get("points", np.zeros(len(srow), np.int64))
    return Derived(score=score, has=has, incomplete=incomplete, composite=composite, political=political,
                   vetoed=vetoed, points=points)


# --------------------------------------------------------------------------- 4. grade
@dataclass
class Ranked:
    computed: np.ndarray  # (n,) the grade by the rules
    final: np.ndarray  # (n,) the grade stored: the computed one, or the one set by hand
    note: np.ndarray  # (n,) grading note code
    cap: np.ndarray  # (n,) the group's 优秀 cap
    rank_composite: np.ndarray  # (n,) 0: unranked
    rank_points: np.ndarray
    group_size: np.ndarray


def grade(loaded: Loaded, derived: Derived) -> Ranked:
    """Phase 4. Grades by ``grading.grade_arrays`` and competition ranks (1, 2, 2, 4) by composite
    and by 实绩 points within each (tier, category) group, with array operations."""
    period = loaded.period
    _pairs, group = np.unique(np.stack([loaded.tier_id, loaded.category_id], axis=1), axis=0, return_inverse=True)
    group = group.reshape(-1)
    composite = np.ma.masked_array(derived.composite, mask=derived.incomplete)
    g = grade_arrays(group, composite, derived.points, derived.political, derived.vetoed,
                     excellent_min=period.excellent_min, competent_min=period.competent_min,
                     basic_min=period.basic_min, share=period.excellent_share, barred=loaded.barred)
    final = g.grade.copy()
    if loaded.overrides:
        ids = np.fromiter(loaded.overrides, np.int64)
        final[np.searchsorted(loaded.result_id, ids)] = [loaded.overrides[int(i)] for i in ids]
    return Ranked(computed=g.grade, final=final, note=g.note, cap=g.cap,
                  rank_composite=competition_rank(group, derived.composite, ~derived.incomplete),
                  rank_points=competition_rank(group, derived.points),
                  group_size=np.bincount(group)[group])


def competition_rank(group, value, mask=None) -> np.ndarray:
    """Per row, its rank by ``value`` (highest first) within its ``group``: 1, 2, 2, 4 …; 0 for
    rows outside ``mask``."""
    group, value = np.asarray(group), np.asarray(value)
    out = np.zeros(len(group), np.int64)
    idx = np.arange(len(group)) if mask is None else np.nonzero(mask)[0]
    if not len(idx):
        return out
    order = idx[np.lexsort((-value[idx], group[idx]))]
    g, v = group[order], value[order]
    new = np.ones(len(order), bool)
    new[1:] = (g[1:] != g[:-1]) | (v[1:] != v[:-1])
    run_start = np.maximum.accumulate(np.where(new, np.arange(len(order)), 0))
    out[order] = run_start - np.searchsorted(g, g, side="left") + 1
    return out


# --------------------------------------------------------------------------- the write
COLUMNS = [("id", "bigint"), ("graded", "boolean"), ("composite", "bigint"), ("points", "bigint"),
           ("political", "bigint"), ("card_deduction", "bigint"), ("vetoed", "boolean"),
           ("computed_grade", "varchar(1)"), ("grade", "varchar(1)"),
           ("grade_note", "varchar(10)"), ("excellent_cap", "integer"), ("rank_composite", "integer"),
           ("rank_points", "integer"), ("group_size", "integer")]


def _write(loaded: Loaded, d: Derived, r: Ranked, now):
    """One COPY into a temporary table and one UPDATE (PostgreSQL); hundredths become numeric
    in SQL, exactly. Plain integer columns (no composite where not ``graded``, no rank 0)."""
    frame = pd.DataFrame({
        "id": loaded.result_id, "graded": ~d.incomplete, "composite": d.composite, "points": d.points,
        "political": d.political, "card_deduction": loaded.sources.get("cards", np.zeros(loaded.n, np.int64)),
        "vetoed": d.vetoed, "computed_grade": r.computed, "grade": r.final,
        "grade_note": r.note, "excellent_cap": r.cap, "rank_composite": r.rank_composite,
        "rank_points": r.rank_points, "group_size": r.group_size})
    table = AssessmentResult._meta.db_table
    if connection.vendor == "postgresql":
        buf = io.StringIO()
        frame.to_csv(buf, header=False, index=False)
        buf.seek(0)
        names = ", ".join(c for c, _t in COLUMNS)
        with connection.cursor() as cur:
            cur.execute("DROP TABLE IF EXISTS tmp_results")
            cur.execute(f"CREATE TEMPORARY TABLE tmp_results ({', '.join(f'{c} {t}' for c, t in COLUMNS)}) "
                        "ON COMMIT DROP")
            raw = cur.cursor if hasattr(cur, "cursor") else cur
            raw.copy_expert(f"COPY tmp_results ({names}) FROM STDIN WITH (FORMAT csv, "
                            "FORCE_NOT_NULL (computed_grade, grade, grade_note))", buf)
            cur.execute(
                f"UPDATE {table} r SET composite = CASE WHEN t.graded THEN t.composite / 100.0 END, "
                "points = t.points / 100.0, political = CASE WHEN t.graded THEN t.political / 100.0 END, "
                "card_deduction = t.card_deduction / 100.0, "
                "vetoed = t.vetoed, computed_grade = t.computed_grade, grade = t.grade, grade_note = t.grade_note, "
                "excellent_cap = t.excellent_cap, rank_composite = NULLIF(t.rank_composite, 0), "
                "rank_points = t.rank_points, group_size = t.group_size, computed_at = %s "
                "FROM tmp_results t WHERE r.id = t.id", [now])
        return
    batch = []
    for row in frame.itertuples(index=False):
        batch.append(AssessmentResult(
            pk=int(row.id), composite=from_h(row.composite) if row.graded else None, points=from_h(row.points),
            political=from_h(row.political) if row.graded else None, card_deduction=from_h(row.card_deduction),
            vetoed=bool(row.vetoed),
            computed_grade=row.computed_grade, grade=row.grade, grade_note=row.grade_note,
            excellent_cap=int(row.excellent_cap), rank_composite=int(row.rank_composite) or None,
            rank_points=int(row.rank_points), group_size=int(row.group_size), computed_at=now))
    AssessmentResult.objects.bulk_update(batch, FIELDS, batch_size=1000)


FIELDS = ["composite", "points", "political", "card_deduction", "vetoed", "computed_grade", "grade", "grade_note",
          "excellent_cap", "rank_composite", "rank_points", "group_size", "computed_at"]


# --------------------------------------------------------------------------- 5. explain
@dataclass
class Explained:
    data: dict  # the explanation (format v1, see the module's docstring)
    indicators: dict  # {indicator id: Indicator} of the result's scheme
    groups: list  # [(rater group id, name)] of the period


def explain(result) -> Explained:
    """Phase 5, when a result is shown: its explanation, by ``load`` → ``aggregate`` → ``derive``
    on this result alone (the period's frozen Score rows; the 实绩 points stored with it). The
    total is the stored composite, so that a result computed before its scores changed shows
    contributions that no longer add up to it. Three queries (and the five of ``standing`` when the
    grade was barred from 优秀, to say why)."""
    loaded = load(result.period, results=[result])
    agg = aggregate(loaded)
    d = derive(loaded, agg)
    inds = loaded.indicators[loaded.srow[0]]
    wt = loaded.tier_weight[0]
    raw = loaded.raw[0]
    group_ids = [gid for gid, _n in loaded.groups]
    rows = []
    group_part = [Fraction(0)] * len(group_ids)
    for p, ind in enumerate(inds):
        method = scoring.get(ind.method) or scoring.RATER
        has = bool(d.has[0, p])
        score, weight = int(d.score[0, p]), to_h(ind.weight)
        by_group = None
        if method.uses_raters:
            by_group = [h_float(raw[p, j]) if raw[p, j] >= 0 else None for j in range(len(group_ids))]
            given = [(j, int(raw[p, j]) * int(wt[j])) for j in range(len(group_ids)) if raw[p, j] >= 0]
            den = sum(int(wt[j]) for j in range(len(group_ids)) if raw[p, j] >= 0)
            if den:  # each group's share of the indicator's contribution, exactly
                for j, sw in given:
                    group_part[j] += Fraction(sw * weight, den * 1_000_000)
        rows.append([ind.pk, h_float(score) if has else None, h_float(weight),
                     h_float(div_half_up(score * weight, 10000)) if has else None, by_group,
                     method.describe(ind.params) if method.describe else ""])
    present = agg.present[0]
    wp = [int(wt[j]) if present[j] else 0 for j in range(len(group_ids))]
    total_w = sum(wp)
    groups = [[gid, h_float(wt[j]), h_float(div_half_up(wp[j] * 10000, total_w)) if total_w else None,
               h_float(div_half_up(group_part[j].numerator * 100, group_part[j].denominator))]
              for j, gid in enumerate(group_ids)]
    notes = []
    missing = [gid for j, gid in enumerate(group_ids) if wt[j] > 0 and not present[j]]
    if missing and present.any():
        notes.append(["redistributed", {"groups": missing}])
    if d.incomplete[0]:
        notes.append(["incomplete", {"indicators": [ind.pk for p, ind in enumerate(inds) if not d.has[0, p]]}])
    if d.vetoed[0]:
        vp = int(loaded.veto_pos[loaded.srow[0]])
        notes.append(["veto", {"indicator": inds[vp].pk, "score": h_float(d.score[0, vp]),
                               "threshold": h_float(loaded.veto_thr[loaded.srow[0]])}])
    if result.grade_note in (NOTE_CAP, NOTE_TIE):
        notes.append([result.grade_note, {"cap": result.excellent_cap}])
    if result.grade_note == NOTE_BARRED:  # grading rule 4: why, from the standing during the period
        period = result.period
        st = standing_mod.standing([result.cadre_id], during=(period.start_date, period.end_date))[result.cadre_id]
        notes.append([NOTE_BARRED, {"reasons": st.reasons("excellent")}])
    data = {"v": EXPLANATION_VERSION, "indicators": rows, "groups": groups, "notes": notes,
            "points": h_float(d.points[0]), "total": None if result.composite is None else float(result.composite)}
    return Explained(data=data, indicators={i.pk: i for i in inds}, groups=loaded.groups)
