"""Candidates for a vacancy (该用谁 / 何时用): the cadres of the reserve pools and of the roster who
could take a post, ranked by their pool score and their fit with the post's industry, each with the
explanation of the rank and the post eligibility (``post_eligibility.check``: the hard requirements
of 党政领导干部选拔任用工作条例 and the readiness). The candidates page, its API and the benchmark call
``candidates``; nothing restates it.

INTERFACE:

    candidates(post, *, on=None, limit=50, include_roster=True, user=None, readiness=None) -> Matches
        ``user``: whose cadres (``Cadre.objects.restrict(user)``: unit leaders their subtree);
        ``readiness``: "now" | "1y" | "2y" | "later" to keep one group (None: all).
        ``Matches``: ``eligible`` [Candidate] (ranked, at most ``limit``), ``waiting`` [Candidate]
        (failing a hard rule, grouped by readiness then by the day they are ready, at most ``limit``),
        ``counts`` ({readiness: n} over the whole candidate set), ``total``, ``industries``,
        ``categories`` (the post's, ``vacancies`` rules 3–4), ``best_points`` (rule M4's best).
        ``Candidate``: ``cadre``, ``source`` ("pool" | "roster"), ``score`` (hundredths, 0–10000),
        ``rank`` (among the eligible; None for the others), ``components`` [Component],
        ``explanation`` [Chinese sentences], ``eligibility`` (PostEligibility: ``rules``, ``failed``,
        ``ready_on``, ``readiness``), ``readiness``, ``ready_on``, ``pool`` (the best pool's name).

WHO IS A CANDIDATE:
- C1 储备库: the cadres admitted (已入库) to an active pool whose category prepares for the post's level
  (``PoolCategory.target_level`` = ``Post.level``);
- C2 干部名册 (``include_roster``): the active cadres whose level (the higher of the current post's
  level and the current rank's equivalent, as the pool eligibility's rule 2) is the post's level or
  the one below it (a lateral move or a promotion by one step);
- never the post's current holders; only cadres the user sees.

HARD REQUIREMENTS ARE NEVER RANKED AWAY: a candidate is shown only after ``post_eligibility.check``;
only those passing every hard rule (readiness "now") are ranked; the others are shown apart with the
rules they fail and when they will pass (1 年内 / 2 年内 / 暂不具备), whatever their score.
- C3: the candidates are checked in batches in the order of their score (``CHECK_BATCH`` = 200 or
  4 × ``limit`` first, each next batch four times larger or, when larger, as many as the share found
  so far says it takes to fill the group, with a quarter to spare — all the rest when none was found:
  a check costs a fixed ~17 queries besides its cadres) until the group asked for (``readiness``;
  without it the eligible) holds ``limit`` cadres or everyone is checked: a post with 30,000
  possible candidates does not check them all to show the best 50. ``counts`` are over the checked
  candidates, ``unchecked`` says how many were not (all below the last checked score, so never one
  that would rank above those shown). The ranks are among the eligible checked; an eligible cadre
  below the batches would rank below every one shown.

THE SCORE (匹配分, 0–100 points, integer hundredths, each contribution rounded half up; no term
rewards age, years of service or seniority — every fact is an achievement or a fit):
- M1 储备库得分 (``WEIGHTS["pool"]`` = 50 %): the best score of the current ranking run
  (``RankingRun.is_current``; ``RankingEntry.score``) among the cadre's ranked entries in the pools of
  C1 (the post's level); no such ranked entry: 0.
- M2 行业储备 (``WEIGHTS["industry"]`` = 15 points): admitted to any active pool of one of the post's
  industries (any category).
- M3 一线历练 (``WEIGHTS["frontline"]`` = 10 points): 5 for a closed frontline posting evaluated
  良好 or better, 5 more when such a posting's host unit is within one of the post's industries'
  units or within the post's unit (subtrees included).
- M4 行业实绩 (``WEIGHTS["archive"]`` = 25 points): the verified, current 实绩 points
  (``assessment.scoring.counted_records_q``) of the cadre's records filed under the 中心工作 of the
  post's industries (``Industry.task_categories``), started in the last ``POINTS_YEARS`` (3) years up
  to ``on``, as a share of the best total among the candidates (the best gets all 25).
- The score is M1 + M2 + M3 + M4; competition ranks among the eligible (``TIE_RULE``: the score,
  then M1, then M4; still equal: the same rank).

QUERIES: the pools' candidates (1), the roster's (1), the holders (1), the current run's scores (1),
industry pools (1), postings (1), points (1), the eligibility (``check``'s own, set-based), the cadres
shown (1) — whatever the number of cadres. ``bench/vacancy.py``: under 1 s at 100,000 cadres.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
from dateutil.relativedelta import relativedelta
from django.db.models import F, Sum, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessment.hundredths import div_half_up
from assessment.scoring import counted_records_q
from cadres.models import Appointment, Cadre, CadreStatus, PerformanceRecord, Unit
from pingdingshan.core.dates import in_force_q, today
from pingdingshan.core.idlists import ids_arg

from ..models import EntryStatus, Evaluation, FrontlinePosting, PoolEntry, PostingStatus, RankingEntry
from ..models.postings import EVALUATION_ORDER
from .post_eligibility import READINESS_LABELS, check
from .vacancies import IndustryMap, post_categories

WEIGHTS = {"pool": 50, "industry": 15, "frontline": 10, "archive": 25}  # M1 percent, M2–M4 points
FRONTLINE_GOOD, FRONTLINE_HERE = 5, 5  # M3's two halves
POINTS_YEARS = 3
CHECK_BATCH = 200  # C3: the first batch of candidates checked against the hard rules, by score
FULL = 10000
READINESS_ORDER = ("now", "1y", "2y", "later")
SOURCE_LABELS = {"pool": gettext_lazy("储备库"), "roster": gettext_lazy("干部名册")}
COMPONENT_LABELS = {"pool": gettext_lazy("储备库得分"), "industry": gettext_lazy("行业储备"),
                    "frontline": gettext_lazy("一线历练"), "archive": gettext_lazy("行业实绩")}
TIE_RULE = gettext_lazy("按匹配分从高到低排名；匹配分相同的，储备库得分项高者在前；仍相同的，行业实绩项高者在前；"
                        "均相同的并列同一名次。不符合任职资格硬性条件的人选不参与排名，另行列出。")


@dataclass
class Component:
    code: str
    contribution: int  # hundredths
    sentence: str

    @property
    def label(self) -> str:
        return str(COMPONENT_LABELS[self.code])

    @property
    def points(self) -> str:
        return _pts(self.contribution)


@dataclass
class Candidate:
    cadre_id: int
    source: str
    score: int
    components: list = field(default_factory=list)
    rank: int | None = None
    cadre: Cadre | None = None
    eligibility: object = None
    readiness: str = "later"
    ready_on: dt.date | None = None
    pool: str = ""
    explanation: list = field(default_factory=list)

    @property
    def readiness_label(self) -> str:
        return str(READINESS_LABELS[self.readiness])

    @property
    def source_label(self) -> str:
        return str(SOURCE_LABELS[self.source])

    @property
    def score_text(self) -> str:
        return _pts(self.score)

    @property
    def eligible(self) -> bool:
        return self.readiness == "now"


@dataclass
class Matches:
    post: object
    on: dt.date
    eligible: list
    waiting: list
    counts: dict
    industries: list
    categories: list
    best_points: int = 0
    unchecked: int = 0  # candidates below the last batch checked (C3): not shown, not counted in ``counts``

    @property
    def total(self) -> int:
        return sum(self.counts.values()) + self.unchecked

    @property
    def shown(self) -> list:
        return self.eligible + self.waiting


def _pts(h) -> str:
    return f"{int(h) / 100:.2f}"


def _level_q():
    return Greatest(Coalesce(F("current_post__level"), Value(0)), Coalesce(F("current_rank__equivalent_level"), Value(0)))


def _within(path: str, roots: list[str]) -> bool:
    return any(path.startswith(r) for r in roots)


def candidates(post, *, on: dt.date | None = None, limit: int = 50, include_roster: bool = True, user=None,
               readiness: str | None = None) -> Matches:
    on = on or today()
    unit = post.unit
    industries = IndustryMap().of(unit.path)
    categories = post_categories().get(post.level, [])
    category_ids = [c.pk for c in categories]
    industry_ids = [i.pk for i in industries]
    seen = Cadre.objects.restrict(user, "view") if user is not None else Cadre.objects.all()
    active = seen.filter(status=CadreStatus.ACTIVE)
    holders = set(Appointment.objects.filter(in_force_q(on), post=post).values_list("cadre_id", flat=True))

    # C1 and C2
    pool_ids = set(PoolEntry.objects.restrict(user, "view").filter(
        status=EntryStatus.ADMITTED, pool__is_active=True, pool__category_id__in=category_ids,
        cadre__status=CadreStatus.ACTIVE).values_list("cadre_id", flat=True)) if category_ids else set()
    roster_ids = set()
    if include_roster:
        levels = [lv for lv in (post.level, post.level - 1) if lv >= 1]  # never the cadres without a level
        roster_ids = set(active.order_by().annotate(lv=_level_q())
                         .filter(lv__in=levels).values_list("pk", flat=True))
    ids = np.array(sorted((pool_ids | roster_ids) - holders), dtype=np.int64)
    empty = Matches(post, on, [], [], dict.fromkeys(READINESS_ORDER, 0), industries, categories)
    if not len(ids):
        return empty
    pos = {int(c): k for k, c in enumerate(ids.tolist())}
    n = len(ids)
    id_arg = ids_arg(ids.tolist())

    # M1: the best current score in the pools of the post's level
    best = np.zeros(n, dtype=np.int64)
    best_pool: dict[int, tuple] = {}
    if category_ids:
        # every ranked entry of those pools (a few thousand), kept for the candidates: cheaper than an
        # id list of 30,000 in the query
        rows = (RankingEntry.objects.filter(run__is_current=True, pool__category_id__in=category_ids,
                                            pool__is_active=True, score__isnull=False,
                                            entry__status=EntryStatus.ADMITTED)
                .values_list("cadre_id", "score", "rank", "pool__name"))
        for cid, score, rank, pool_name in rows:
            k = pos.get(cid)
            if k is None:
                continue
            if k not in best_pool or score > best[k]:
                best[k] = score
                best_pool[k] = (pool_name, rank, score)
    m1 = div_half_up(best * WEIGHTS["pool"], 100).astype(np.int64)

    # M2: admitted to a pool of the post's industry
    in_industry = np.zeros(n, dtype=bool)
    industry_pool: dict[int, str] = {}
    if industry_ids:
        for cid, name in (PoolEntry.objects.filter(status=EntryStatus.ADMITTED, pool__is_active=True,
                                                   pool__industry_id__in=industry_ids)
                          .values_list("cadre_id", "pool__name")):
            k = pos.get(cid)
            if k is not None:
                in_industry[k] = True
                industry_pool.setdefault(k, name)
    m2 = np.where(in_industry, WEIGHTS["industry"] * 100, 0)

    # M3: frontline postings
    good = EVALUATION_ORDER[: EVALUATION_ORDER.index(Evaluation.GOOD) + 1]  # 良好 or better
    roots = [unit.path] + [u.path for i in industries for u in _industry_units(i)]
    posted = np.zeros(n, dtype=bool)
    here = np.zeros(n, dtype=bool)
    posting_host: dict[int, str] = {}
    for cid, path, host in (FrontlinePosting.objects.filter(cadre_id__in=id_arg, status=PostingStatus.CLOSED,
                                                           evaluation__in=list(good))
                            .values_list("cadre_id", "host_unit__path", "host")):
        k = pos[cid]
        posted[k] = True
        if path and _within(path, roots):
            here[k] = True
            posting_host[k] = host
        posting_host.setdefault(k, host)
    m3 = np.where(posted, FRONTLINE_GOOD * 100, 0) + np.where(here, FRONTLINE_HERE * 100, 0)

    # M4: verified points under the industries' 中心工作
    task_ids = sorted({t for i in industries for t in _industry_tasks(i)})
    points = np.zeros(n, dtype=np.int64)
    since = on - relativedelta(years=POINTS_YEARS)
    if task_ids:
        # summed for every cadre with such records, kept for the candidates (an id list of 30,000 in
        # the query made PostgreSQL probe the records per cadre: 4 × slower)
        for cid, total in (PerformanceRecord.objects.filter(counted_records_q(), category_id__in=task_ids,
                                                           start_date__gt=since, start_date__lte=on)
                           .values("cadre_id").annotate(t=Sum("points")).values_list("cadre_id", "t")):
            k = pos.get(cid)
            if k is not None:
                points[k] = int(round((total or 0) * 100))
    best_points = int(points.max()) if n else 0
    m4 = (div_half_up(points * (WEIGHTS["archive"] * 100), best_points).astype(np.int64) if best_points > 0
          else np.zeros(n, dtype=np.int64))
    score = m1 + m2 + m3 + m4

    # hard requirements, in batches by score (C3): enough to fill the groups asked for
    keep = READINESS_ORDER.index(readiness) if readiness in READINESS_ORDER else None
    by_score = np.lexsort((ids, -m4, -m1, -score))
    ready = np.zeros(n, dtype=np.int64)
    eligible = np.zeros(n, dtype=bool)
    checked = np.zeros(n, dtype=bool)
    results = []
    one, two = (on + relativedelta(years=1)).toordinal(), (on + relativedelta(years=2)).toordinal()
    done, size = 0, max(CHECK_BATCH, 4 * limit)
    while done < n:
        batch = by_score[done:done + size]
        result = check(ids[batch].tolist(), post, on=on)
        results.append(result)
        theirs = np.asarray(result.ids, dtype=np.int64)
        order = np.argsort(theirs)
        at = order[np.searchsorted(theirs, ids[batch], sorter=order)]
        ready[batch] = np.asarray(result.ready_on, dtype=np.int64)[at]
        eligible[batch] = np.asarray(result.eligible, dtype=bool)[at]
        checked[batch] = True
        done += len(batch)
        size *= 4
        timed_b = ready > 0
        group_b = np.where(eligible, 0, np.where(timed_b & (ready <= one), 1,
                                                 np.where(timed_b & (ready <= two), 2, 3)))
        have = int((checked & (group_b == (0 if keep is None else keep))).sum())
        if have >= limit:  # without ``readiness``: the ranked list full (the others shown as far as checked)
            break
        # the next batch: four times larger, or as large as the hit rate so far says it takes to
        # fill the group (with a quarter to spare); none found so far: all the rest at once
        size = n - done if have == 0 else max(size, -(-(limit - have) * done * 5 // (have * 4)))
    timed = ready > 0
    group = np.where(~checked, -1, np.where(eligible, 0, np.where(timed & (ready <= one), 1,
                                                                  np.where(timed & (ready <= two), 2, 3))))
    counts = {r: int((group == g).sum()) for g, r in enumerate(READINESS_ORDER)}

    # ranks among the eligible (competition ranking by score, M1, M4)
    rank = np.zeros(n, dtype=np.int64)
    el = np.flatnonzero(group == 0)
    if len(el):
        key = np.lexsort((-m4[el], -m1[el], -score[el]))
        ordered = el[key]
        prev, r = None, 0
        for i, k in enumerate(ordered.tolist()):
            cur = (int(score[k]), int(m1[k]), int(m4[k]))
            if cur != prev:
                r, prev = i + 1, cur
            rank[k] = r
    else:
        ordered = el
    chosen_el = ordered[:limit].tolist() if keep in (None, 0) else []
    if keep is None:
        rest = np.flatnonzero(group > 0)
    else:
        rest = np.flatnonzero(group == keep) if keep else np.array([], dtype=np.int64)
    if len(rest):  # by readiness, then the day they are ready, then the score
        rest = rest[np.lexsort((-score[rest], np.where(ready[rest] > 0, ready[rest], 10 ** 8), group[rest]))]
    chosen_rest = rest[:limit].tolist()

    shown = chosen_el + chosen_rest
    cadres = Cadre.objects.select_related("unit", "current_post", "current_rank").in_bulk([int(ids[k]) for k in shown])
    n_el = int(len(el))
    out_el, out_rest = [], []
    for k in shown:
        cid = int(ids[k])
        c = Candidate(cadre_id=cid, source="pool" if cid in pool_ids else "roster", score=int(score[k]),
                      rank=int(rank[k]) or None, cadre=cadres.get(cid))
        c.eligibility = next(r[cid] for r in results if cid in r)
        c.readiness = READINESS_ORDER[int(group[k])]
        c.ready_on = dt.date.fromordinal(int(ready[k])) if ready[k] > 0 else None
        if k in best_pool:
            c.pool = best_pool[k][0]
        c.components = _components(k, best_pool, m1, industries, industry_pool, posted, here, posting_host, m3,
                                   points, best_points, m4, task_ids)
        c.explanation = _explain(c, n_el)
        (out_el if c.readiness == "now" else out_rest).append(c)
    return Matches(post, on, out_el, out_rest, counts, industries, categories, best_points, unchecked=int(n - checked.sum()))


def _industry_units(industry):
    cache = getattr(industry, "_unit_roots", None)
    if cache is None:
        cache = list(Unit.objects.filter(industries=industry).only("path"))
        industry._unit_roots = cache
    return cache


def _industry_tasks(industry):
    cache = getattr(industry, "_task_ids", None)
    if cache is None:
        cache = list(industry.task_categories.values_list("pk", flat=True))
        industry._task_ids = cache
    return cache


def _components(k, best_pool, m1, industries, industry_pool, posted, here, posting_host, m3, points, best_points,
                m4, task_ids) -> list[Component]:
    out = []
    if k in best_pool:
        name, rank, s = best_pool[k]
        out.append(Component("pool", int(m1[k]), _(
            "在“%(pool)s”本次排名第%(rank)s名，得分%(s)s分，按%(w)d%%计%(c)s分。") % {
            "pool": name, "rank": rank if rank is not None else "—", "s": _pts(s), "w": WEIGHTS["pool"],
            "c": _pts(m1[k])}))
    else:
        out.append(Component("pool", 0, _("未在拟任职务层次的储备库参加当前排名，计0分。")))
    if not industries:
        out.append(Component("industry", 0, _("本岗位未归入任何行业，此项计0分。")))
    elif k in industry_pool:
        out.append(Component("industry", WEIGHTS["industry"] * 100, _(
            "已入本岗位所属行业的储备库“%(pool)s”，计%(c)d分。") % {"pool": industry_pool[k], "c": WEIGHTS["industry"]}))
    else:
        out.append(Component("industry", 0, _("未入本岗位所属行业（%(i)s）的储备库，计0分。") % {
            "i": "、".join(i.name for i in industries)}))
    if posted[k]:
        words = {"host": posting_host.get(k, ""), "c": _pts(m3[k])}
        out.append(Component("frontline", int(m3[k]), (_(
            "一线历练（%(host)s）期满评价良好以上，且在本岗位所在单位或所属行业，计%(c)s分。") if here[k] else _(
            "一线历练（%(host)s）期满评价良好以上，计%(c)s分（不在本岗位所在单位或所属行业）。")) % words))
    else:
        out.append(Component("frontline", 0, _("没有期满评价良好以上的一线历练，计0分。")))
    if not task_ids:
        out.append(Component("archive", 0, _("本岗位所属行业未对应中心工作，此项计0分。")))
    else:
        out.append(Component("archive", int(m4[k]), _(
            "近%(y)d年本行业对应中心工作的已核实实绩积分%(p)s分（人选中最高%(b)s分），计%(c)s分。") % {
            "y": POINTS_YEARS, "p": _pts(points[k]), "b": _pts(best_points), "c": _pts(m4[k])}))
    return out


def _explain(c: Candidate, n_eligible: int) -> list[str]:
    lines = []
    if c.readiness == "now":
        lines.append(_("符合任职资格，在%(n)d名符合资格的人选中排第%(r)d名，匹配分%(s)s分。") % {
            "n": n_eligible, "r": c.rank or 0, "s": c.score_text})
    else:
        failed = "；".join(r.label for r in getattr(c.eligibility, "failed", []) or [])
        when = (_("预计%(d)s具备") % {"d": c.ready_on.isoformat()}) if c.ready_on else _("无法按时间推算何时具备")
        lines.append(_("暂不符合任职资格（%(f)s），%(when)s，不参与排名；匹配分%(s)s分。") % {
            "f": failed or "—", "when": when, "s": c.score_text})
    lines.append(_("来源：%(s)s。") % {"s": c.source_label})
    lines += [f"{comp.label}：{comp.sentence}" for comp in c.components]
    return lines


__all__ = ["COMPONENT_LABELS", "POINTS_YEARS", "READINESS_ORDER", "TIE_RULE", "WEIGHTS", "Candidate", "Component",
           "Matches", "candidates"]
