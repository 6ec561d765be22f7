"""The composite score (综合得分) of a whole period, set-based: the one function that computes it.

For each enrolled cadre:
- a rater-scored indicator's score is the weighted mean of the rater groups' scores, with the
  weights of the cadre's tier; a group that gave the cadre no score does not count as zero: its
  weight is shared out among the groups that did, in proportion to their weights (the
  explanation says so);
- an indicator of another method (e.g. 实绩档案积分折算) is derived by its method in
  ``assessment.scoring`` from data loaded once for the whole period;
- composite = Σ indicator score × indicator weight / 100, rounded to 2 decimals;
- the veto indicator below its line marks the cadre ``vetoed``;
- the explanation stores every indicator's score, weight and contribution, every rater
  group's nominal and effective weight and contribution, and notes; the contributions add up to
  the composite. Format (``v`` 1): ``indicators`` [[id, score, weight, contribution, by_group,
  detail], ...] with by_group null in storage (see below), ``groups`` [[id, nominal weight,
  effective weight, contribution], ...], ``notes`` [[code, params], ...], ``points``, ``total``.
Then grades (``grading.grade_group``) and ranks by composite and by 实绩 points within each
(tier, category) group. Queries do not grow with the number of cadres: the scores come in one
COPY, and the results go out in one COPY and one UPDATE (PostgreSQL).

A grade set by hand (override, with its reason) is kept when the period is recomputed; the
computed grade is stored beside it.
"""
import json
import time
from collections import defaultdict

import numpy as np
import orjson
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pingdingshan.core.frames import copy_rows, read_frame
from pingdingshan.core.services import model_save

from .. import scoring
from ..models import AssessmentResult, Dimension, Indicator, PeriodStatus, RaterGroup, RaterWeight, Score
from .grading import Candidate, grade_group
from .periods import _lock, _require, _require_status

EXPLANATION_VERSION = 1
CHUNK = 5000  # rows whose explanation arrays are turned into lists at once


def period_compute(*, by, period) -> dict:
    """Compute composites, explanations, grades and ranks of every cadre of ``period``."""
    _require(by)
    started = time.monotonic()
    with transaction.atomic():
        period = _lock(period)
        _require_status(period, PeriodStatus.OPEN, doing=_("计算综合得分"))
        summary = _compute(period)
        period.computed_at = timezone.now()
        model_save(period, by=by, validate=False)
    summary["seconds"] = round(time.monotonic() - started, 2)
    return summary


def _compute(period) -> dict:
    clock = _Clock()
    res = read_frame(
        period.results.order_by("id").values_list("id", "cadre_id", "tier_id", "category_id", "scheme_id"),
        ["id", "cadre_id", "tier_id", "category_id", "scheme_id"],
        {"id": "int64", "cadre_id": "int64", "tier_id": "int64", "category_id": "int64", "scheme_id": "int64"})
    n = len(res)
    if n == 0:
        return {"results": 0, "graded": 0}
    res_ids = res["id"].to_numpy()
    overrides = dict(period.results.exclude(override_reason="").values_list("id", "grade"))

    # Schemes and their indicators as padded matrices [scheme, position].
    scheme_ids = sorted(res["scheme_id"].unique().tolist())
    s_index = {sid: k for k, sid in enumerate(scheme_ids)}
    per_scheme = defaultdict(list)
    for ind in Indicator.objects.filter(scheme_id__in=scheme_ids).order_by("order", "id"):
        per_scheme[ind.scheme_id].append(ind)
    n_schemes, width = len(scheme_ids), max((len(v) for v in per_scheme.values()), default=0) or 1
    weight = np.zeros((n_schemes, width))
    exists = np.zeros((n_schemes, width), bool)
    is_rater = np.zeros((n_schemes, width), bool)
    political = np.zeros((n_schemes, width), bool)
    veto_pos = np.full(n_schemes, -1)
    veto_thr = np.zeros(n_schemes)
    max_ind = max((i.pk for v in per_scheme.values() for i in v), default=0)
    ind_pos = np.full(max_ind + 1, -1)
    indicators = {}
    for sid, inds in per_scheme.items():
        k = s_index[sid]
        for p, ind in enumerate(inds):
            method = scoring.get(ind.method)
            weight[k, p] = float(ind.weight)
            exists[k, p] = True
            is_rater[k, p] = bool(method and method.uses_raters)
            political[k, p] = ind.dimension == Dimension.POLITICAL
            ind_pos[ind.pk] = p
            indicators[ind.pk] = ind
            if ind.is_veto:
                veto_pos[k], veto_thr[k] = p, float(ind.veto_threshold)
    srow = np.searchsorted(np.array(scheme_ids), res["scheme_id"].to_numpy())

    # Rater groups and their weights [tier, group].
    groups = list(RaterGroup.objects.filter(period=period).order_by("order", "id").values_list("id", flat=True))
    G = max(len(groups), 1)
    g_index = {gid: k for k, gid in enumerate(groups)}
    tier_ids = sorted(res["tier_id"].unique().tolist())
    t_index = {tid: k for k, tid in enumerate(tier_ids)}
    tier_w = np.zeros((len(tier_ids), G))
    for gid, tid, w in RaterWeight.objects.filter(rater_group__period=period).values_list(
            "rater_group_id", "tier_id", "weight"):
        if tid in t_index:
            tier_w[t_index[tid], g_index[gid]] = float(w)
    wt = tier_w[np.searchsorted(np.array(tier_ids), res["tier_id"].to_numpy())]  # (n, G)

    # Every score of the period in one read, into raw[cadre row, indicator position, group].
    raw = np.full((n, width, G), np.nan, dtype=np.float32)
    if groups:
        sc = read_frame(
            Score.objects.filter(rater_group__period=period).order_by().values_list(
                "result_id", "indicator_id", "rater_group_id", "score"),
            ["result_id", "indicator_id", "rater_group_id", "score"],
            {"result_id": "int64", "indicator_id": "int64", "rater_group_id": "int64", "score": "float32"})
        if len(sc):
            r = np.searchsorted(res_ids, sc["result_id"].to_numpy())
            p = ind_pos[sc["indicator_id"].to_numpy()]
            gmap = np.full(max(groups) + 1, -1)
            for gid, k in g_index.items():
                gmap[gid] = k
            g = gmap[sc["rater_group_id"].to_numpy()]
            ok = (p >= 0) & (g >= 0)
            raw[r[ok], p[ok], g[ok]] = sc["score"].to_numpy()[ok]
            del sc, r, p, g, ok
    clock.lap("read")
    mask = ~np.isnan(raw)
    wmask = mask * wt[:, None, :].astype(np.float32)  # weight of each group where it scored
    denom = wmask.sum(axis=2)  # (n, I)
    filled = np.nan_to_num(raw)
    with np.errstate(invalid="ignore", divide="ignore"):
        rater_score = np.where(denom > 0, (filled * wmask).sum(axis=2) / denom, np.nan)
        share = np.where(denom[..., None] > 0, wmask / denom[..., None], 0)  # (n, I, G) effective share
    present = mask.any(axis=1)  # (n, G)
    wp = wt * present
    wp_sum = wp.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        effective = np.where(wp_sum > 0, wp / wp_sum * 100, np.nan)

    # Indicator scores [n, I]: raters, then every other method from its sources.
    ex = exists[srow]
    w = weight[srow]
    score = np.where(is_rater[srow], rater_score.astype(np.float64), np.nan)
    sources = {"points": scoring.SOURCES["points"](period, res["cadre_id"].to_numpy())}
    detail = {}
    for sid, inds in per_scheme.items():
        rows = np.nonzero(srow == s_index[sid])[0]
        for p, ind in enumerate(inds):
            method = scoring.get(ind.method)
            if method is None or method.uses_raters:
                continue
            for name in method.sources:
                if name not in sources:
                    sources[name] = scoring.SOURCES[name](period, res["cadre_id"].to_numpy())
            score[rows, p] = method.derive({k: v[rows] for k, v in sources.items()}, ind.params)
            detail[ind.pk] = method.describe(ind.params) if method.describe else ""
    score = np.where(ex, np.round(score, 2), np.nan)
    contrib = score * w / 100
    incomplete = (ex & np.isnan(score)).any(axis=1)
    composite = np.round(np.nansum(contrib, axis=1), 2)
    group_contrib = (filled * share * (w / 100)[..., None] * is_rater[srow][..., None]).sum(axis=1)  # (n, G)
    pol = np.nansum(np.where(political[srow], contrib, 0), axis=1)
    vpos = veto_pos[srow]
    vscore = np.where(vpos >= 0, score[np.arange(n), np.maximum(vpos, 0)], np.nan)
    vetoed = (vpos >= 0) & ~np.isnan(vscore) & (vscore < veto_thr[srow])
    points = np.round(sources["points"], 2)

    clock.lap("scores")
    # Grades and ranks per (tier, category) group.
    grade = [""] * n
    note = [("", {})] * n
    rank_c = [None] * n
    rank_p = [None] * n
    size = [0] * n
    keys = list(zip(res["tier_id"].tolist(), res["category_id"].tolist(), strict=True))
    members = defaultdict(list)
    for row, k in enumerate(keys):
        members[k].append(row)
    row_of = {int(rid): row for row, rid in enumerate(res_ids)}
    for rows in members.values():
        cands = [Candidate(int(res_ids[r]), None if incomplete[r] else float(composite[r]), float(points[r]),
                           float(pol[r]), bool(vetoed[r])) for r in rows]
        decided = grade_group(cands, excellent_min=period.excellent_min, competent_min=period.competent_min,
                              basic_min=period.basic_min, share=period.excellent_share)
        for rid, (g_, code, params) in decided.items():
            r = row_of[rid]
            grade[r], note[r] = g_, (code, params)
        _competition_rank([r for r in rows if not incomplete[r]], composite, rank_c)
        _competition_rank(rows, points, rank_p)
        for r in rows:
            size[r] = len(rows)

    clock.lap("grades")
    t_of_row = np.searchsorted(np.array(tier_ids), res["tier_id"].to_numpy())
    now = timezone.now()

    # The explanations, a chunk of rows at a time: the arrays become Python lists in one C call
    # per chunk (no numpy scalar per value); orjson writes them (NaN as null), several times
    # faster than the json module. The scores each rater group
    # gave (slot 4 of an indicator row) are not copied into every explanation: they are the
    # period's Score rows, frozen with it, and ``selectors`` fill the slot when a result is shown.
    scheme_meta = []
    for sid in scheme_ids:
        inds = per_scheme[sid]
        scheme_meta.append(([i.pk for i in inds], [detail.get(i.pk, "") for i in inds]))
    weight_r = np.round(weight, 2).tolist()
    nominal_r = np.round(tier_w, 2).tolist()
    thr_r = np.round(veto_thr, 2).tolist()

    def rows():
        for lo in range(0, n, CHUNK):
            hi = min(n, lo + CHUNK)
            sc_l = np.round(score[lo:hi], 2).tolist()
            co_l = np.round(contrib[lo:hi], 2).tolist()
            eff_l = np.round(effective[lo:hi], 2).tolist()
            gc_l = np.round(group_contrib[lo:hi], 2).tolist()
            comp_l = composite[lo:hi].tolist()
            pts_l = points[lo:hi].tolist()
            for i, r in enumerate(range(lo, hi)):
                k = srow[r]
                ids, details = scheme_meta[k]
                m = len(ids)
                sr, cr, wr = sc_l[i], co_l[i], weight_r[k]
                ind_rows = [[ids[p], sr[p], wr[p], cr[p], None, details[p]] for p in range(m)]
                nom = nominal_r[t_of_row[r]]
                grp = [[gid, nom[j], eff_l[i][j], gc_l[i][j]] for j, gid in enumerate(groups)]
                notes = []
                if groups and not present[r].all():
                    missing = [gid for j, gid in enumerate(groups) if nom[j] > 0 and not present[r, j]]
                    if missing and present[r].any():
                        notes.append(["redistributed", {"groups": missing}])
                if incomplete[r]:
                    notes.append(["incomplete", {"indicators": [ids[p] for p in range(m) if sr[p] != sr[p]]}])
                if vetoed[r]:
                    notes.append(["veto", {"indicator": ids[vpos[r]], "score": sr[vpos[r]], "threshold": thr_r[k]}])
                code, params = note[r]
                if code in ("cap", "tie"):
                    notes.append([code, params])
                text = orjson.dumps({"v": EXPLANATION_VERSION, "indicators": ind_rows, "groups": grp, "notes": notes,
                                     "points": pts_l[i], "total": None if incomplete[r] else comp_l[i]}).decode()
                rid = int(res_ids[r])
                yield (rid, None if incomplete[r] else f"{comp_l[i]:.2f}", f"{pts_l[i]:.2f}", bool(vetoed[r]),
                       grade[r], overrides.get(rid, grade[r]), rank_c[r], rank_p[r], size[r], text)

    _write(rows(), now, clock)
    graded = sum(1 for g_ in grade if g_)
    return {"results": n, "graded": graded, "incomplete": int(incomplete.sum()), "vetoed": int(vetoed.sum()),
            "overridden": len(overrides), "phases": clock.laps}


class _Clock:
    """Seconds spent in each phase (reported with the summary, for the benchmark)."""

    def __init__(self):
        self.laps, self._t = {}, time.monotonic()

    def lap(self, name):
        now = time.monotonic()
        self.laps[name] = round(now - self._t, 2)
        self._t = now


def _competition_rank(rows, values, out):
    """1, 2, 2, 4 … by value, highest first."""
    ordered = sorted(rows, key=lambda r: -values[r])
    prev, rank = None, 0
    for i, r in enumerate(ordered, start=1):
        if values[r] != prev:
            rank, prev = i, values[r]
        out[r] = rank


FIELDS = ["composite", "points", "vetoed", "computed_grade", "grade", "rank_composite", "rank_points",
          "group_size", "explanation"]


def _write(rows, now, clock):
    table = AssessmentResult._meta.db_table
    if connection.vendor == "postgresql":
        copy_rows("tmp_results", [("id", "bigint"), ("composite", "numeric"), ("points", "numeric"),
                                  ("vetoed", "boolean"), ("computed_grade", "varchar(1)"), ("grade", "varchar(1)"),
                                  ("rank_composite", "integer"), ("rank_points", "integer"),
                                  ("group_size", "integer"), ("explanation", "jsonb")],
                  rows, force_not_null=("computed_grade", "grade"))
        clock.lap("explain_copy")
        with connection.cursor() as cur:
            cur.execute(
                f"UPDATE {table} r SET composite = t.composite, points = t.points, vetoed = t.vetoed, "
                "computed_grade = t.computed_grade, grade = t.grade, rank_composite = t.rank_composite, "
                "rank_points = t.rank_points, group_size = t.group_size, explanation = t.explanation, "
                "computed_at = %s FROM tmp_results t WHERE r.id = t.id", [now])
        clock.lap("update")
        return
    batch = []
    for rid, comp, pts, veto, cgrade, final, rc, rp, gs, expl in rows:
        batch.append(AssessmentResult(pk=rid, composite=comp, points=pts, vetoed=veto, computed_grade=cgrade,
                                      grade=final, rank_composite=rc, rank_points=rp, group_size=gs,
                                      explanation=json.loads(expl), computed_at=now))
        if len(batch) >= 1000:
            AssessmentResult.objects.bulk_update(batch, FIELDS + ["computed_at"])
            batch = []
    if batch:
        AssessmentResult.objects.bulk_update(batch, FIELDS + ["computed_at"])
    clock.lap("write")
