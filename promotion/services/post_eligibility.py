"""Whether cadres may be appointed to a target post, rule by rule, and which fast-track path (直接
提任 / 破格提拔) applies: the one function the selection record, the vacancy candidates, the
readiness display, the check page and the API call.

INTERFACE:

    check(cadres, post, *, on=None, exceptional=False, records=None) -> PostEligibilities
        - ``cadres``: ids, Cadre objects or a queryset; ``post``: ``cadres.models.Post``; ``on``:
          the day (default ``core.dates.today()``).
        - ``exceptional``: True (every cadre judged as a 破格 promotion) or a collection of cadre ids
          (those of them); ``records``: {cadre id: object with ``exceptional_grounds``,
          ``consent_body``, ``consent_no``, ``consent_on``} — the selection record's candidates (the
          written grounds and the higher department's consent are judged from them; without one
          those two 破格 rules fail, saying they are not recorded).
        - ``PostEligibilities`` is a mapping {cadre id: PostEligibility}, each value built when
          asked; ``eligible_ids`` (set), ``readiness_of(id)``, ``ready_on_of(id)`` and the arrays
          ``ids`` / ``eligible`` / ``ready_on`` (ordinals, 0: never by time alone) answer without
          building the rules (100,000 cadres: the vacancy candidates).
        - ``PostEligibility``: ``rules`` [Rule] in the order below, ``path`` (a ``PATHS`` code or
          None), ``eligible`` (every non-favourable rule passed), ``failed``, ``ready_on`` (``on``
          when eligible; else the latest ``passes_on`` of the failing rules when every one has one;
          None otherwise), ``readiness`` ("now" | "1y" | "2y" | "later": ready within 1 / 2 years).
        - ``Rule``: ``code``, ``label``, ``passed``, ``value`` (shown), ``sentence`` (Chinese, ending
          ✔ / ✘), ``passes_on`` (a failing rule: the first day it passes if nothing else changes;
          None: not by time alone), ``favourable`` (a favourable fact, shown, never failing).

    check_one(cadre, post, *, on=None, exceptional=False) -> PostEligibility
        the check page and the API: under 破格 the grounds and consent come from the cadre's latest
        破格 candidacy for the post.
    rules_update(*, by, **values) -> SelectionRules      org staff change the thresholds (audited)
    parse_request(query, user) -> ((cadre, post, exceptional, on), {}) | (None, {field: [messages]})

THE RULES (RULES.md "Selection and appointment", "Leadership posts and rank grades"; the thresholds
are the one ``SelectionRules`` row, read once per call; "level" is the cadre's level of
``eligibility`` rule 2 — the higher of the current post's level and the current rank's equivalent;
the target is a promotion when its level is above the cadre's; years are whole 12-month periods
counted from the month of the first day, ``eligibility.whole_years``, and such a rule passes on the
first day of the month the count is reached):

1. 工作年限 ``work_years``: from ``Cadre.work_start_date``, at least ``work_years`` when the target's
   level is ``min_level`` (县处级副职) or above; below it the rule passes saying it does not apply.
2. 基层工作经历 ``grassroots_years``: the months of the union of (a) the appointments to posts of
   township-level units (``UnitLevel.TOWNSHIP``: 乡、镇、街道) and (b) the résumé lines
   (``CareerEntry``) whose text holds one of ``grassroots_words`` (村、社区 …: there are no village
   units), started by ``on`` and cut at ``on``; at least ``grassroots_years`` whole years, from
   ``min_level`` up like rule 1. It passes by time alone only while such a period is open on ``on``.
3. 下一级职位任职经历 ``lower_posts``: for a promotion, the distinct posts the cadre held (started by
   ``on``) at the level directly below the target's: at least ``lower_posts`` (0: not asked).
4. 逐级晋升 ``step``: a promotion raises the level by one (副职 → 正职, 下级正职 → 上级副职). Under 破格
   this is ``exceptional_skip``: at most one level skipped (不得越两级), i.e. two levels up at most.
5. 任职年限 for the one step: ``deputy_years`` (a chief target, the cadre at the deputy level below it:
   at least ``deputy_years`` at that level, 副职提任同级正职) or ``chief_years`` (a deputy target, the
   cadre at the chief level below it: at least ``chief_years``, 下级正职提任上级副职), counted as
   ``eligibility`` rule 3 counts the years at the current level (appointments and rank records).
   Not that step (a lateral move, or a skip under 破格): passes saying it does not apply.
6. 学历 ``education``: ``Cadre.highest_education`` at least ``min_education`` (大学专科).
7. 培训 ``training``: the hours of the cadre's ``Training`` rows started in the last
   ``training_years`` years up to ``on`` (after the same day that many years before) at least
   ``training_hours`` (0: not asked), from ``min_level`` up like rule 1.
8. 试用期 ``probation``: not in a probation period — an appointed selection candidacy (任职日期 by
   ``on``) without a probation outcome whose ``probation_end`` is ``on`` or later fails; it passes the
   day after ``probation_end``.
9. 提拔任职不满一年 ``recent_promotion``: for a promotion (and for every 破格), the latest promotion —
   an appointment to a post above every post the cadre held before, or an appointed candidacy marked
   ``is_promotion`` — at least ``recent_promotion_months`` months before, counted from its month.
10. 问责影响期 ``accountability``: a 撤职 or 撤销党内职务 sanction (``assessment`` Sanction; there is no
   separate record of 引咎辞职 / 责令辞职) not revoked by ``on``: within ``ban_any_months`` of its
   decision no post at all; within ``ban_higher_months`` no promotion; passes the day after the ban.
11. 担当状态 ``standing``: each fact of ``standing(cadres, on=on)`` blocking "promotion" (a card, a
   sanction) is a failed rule with its sentence, passing the day after the fact ends; each waiver a
   passed rule; nothing at all: one passed rule saying so.
12. 在职状态 ``active``: the cadre is 在职.
13. 表彰优先 ``award_priority`` (favourable): each award giving a promotion priority (``standing``'s
   priorities) is shown, never fails.
THE FAST-TRACK PATHS (``PATHS``; the seed article's 直接提任, recognised from the cadre's current
post (kind, level, unit kind) and the target's): a path that applies is ``path`` and a passed rule
``exceptional_path`` whose sentence names what it relaxes; the relaxed rules pass saying so.
Three of the four are for the 特别优秀 and apply only under 破格 (``exceptional``); the township /
city middle-level chief → county Party committee 班子副职 path applies without it.
Under 破格 (``exceptional``), without a path too, the step's years (rule 5) and the level step
(rule 4, one level may be skipped) are relaxed and THE LIMITS are rules:
14. ``exceptional_skip`` (rule 4): no more than one level skipped.
15. ``exceptional_repeat``: the cadre's previous promotion (the latest appointed ``is_promotion``
   candidacy) was not itself 破格 (不得连续破格).
16. ``exceptional_grounds``: the written grounds are recorded (``records``).
17. ``exceptional_consent``: the higher organisation department's consent is recorded (body,
   document number, date not after ``on``).
Probation and the one year since a promotion (rules 8 and 9) hold under 破格 as always; that the
public notice states the grounds is checked when the notice is recorded
(``selection.selection_notice``).

QUERIES: the rules row 1, the cadres 2, years at level 2, grassroots 2, lower posts 1, training 1,
promotions 1, candidacies 1, sanctions 1, standing 5 — whatever the number of cadres. The facts are
aligned with the cadres in numpy arrays; the sentences are built only for the cadres asked about.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from dateutil.relativedelta import relativedelta
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pingdingshan.core.dates import today
from pingdingshan.core.idlists import ids_arg

from .eligibility import (
    EPOCH,
    NO,
    OPEN_END,
    YES,
    ByCadre,
    FactsContext,
    check_mark,
    level_label,
    month_index,
    month_of,
    whole_years,
    years_load,
)

READINESS_LABELS = {"now": gettext_lazy("现在可用"), "1y": gettext_lazy("1年内可用"),
                    "2y": gettext_lazy("2年内可用"), "later": gettext_lazy("暂不具备")}


# --------------------------------------------------------------------------- results
@dataclass(frozen=True)
class Rule:
    code: str
    label: str
    passed: bool
    value: str
    sentence: str
    passes_on: dt.date | None = None
    favourable: bool = False


@dataclass
class PostEligibility:
    cadre_id: int
    post_id: int
    rules: list[Rule]
    path: str | None
    eligible: bool
    failed: list[Rule] = field(default_factory=list)
    ready_on: dt.date | None = None
    readiness: str = "later"
    exceptional: bool = False

    @property
    def readiness_label(self) -> str:
        return str(READINESS_LABELS[self.readiness])

    @property
    def sentences(self) -> list[str]:
        """The sentences of the failed rules."""
        return [r.sentence for r in self.failed]


def readiness(ready_on: dt.date | None, on: dt.date) -> str:
    """"now" / "1y" / "2y" / "later" for a cadre ready on ``ready_on`` (None: never by time)."""
    if ready_on is None:
        return "later"
    if ready_on <= on:
        return "now"
    if ready_on <= on + relativedelta(years=1):
        return "1y"
    if ready_on <= on + relativedelta(years=2):
        return "2y"
    return "later"


# --------------------------------------------------------------------------- the fast-track paths
COUNTY_KINDS = ("county", "county_city", "district")          # 县(市、区)
TOWNSHIP_KINDS = ("township", "town", "subdistrict")          # 乡(镇、街道)
CITY_DEPT_KINDS = ("party_dept", "gov_dept", "institution")    # 市直单位
COUNTY_TEAM_KINDS = ("standing_committee", "gov_member", "fulltime_deputy_secretary", "executive_deputy")


@dataclass(frozen=True)
class Path:
    code: str
    label: object
    exceptional: bool         # only for the 特别优秀: judged as 破格
    relaxes: tuple[str, ...]  # the rule codes it relaxes
    target: Callable          # target(post) -> bool
    holder: Callable          # holder(kind, level, unit_kind, unit_level, target level) -> bool


def _county_unit(post) -> bool:
    return post.unit.kind in COUNTY_KINDS


def _township_or_city_chief(kind, level, unit_kind, unit_level, target_level) -> bool:
    from cadres.models import PostLevel

    return level == PostLevel.SECTION_CHIEF and (
        (kind == "party_gov_chief" and unit_kind in TOWNSHIP_KINDS)
        or (kind == "section_chief" and unit_level == "city" and unit_kind in CITY_DEPT_KINDS))


PATHS: dict[str, Path] = {p.code: p for p in (
    Path("county_team_to_chief", gettext_lazy("县(市、区)党委常委、政府班子成员直接提任同级党政正职"), True,
         ("deputy_years", "lower_posts"),
         lambda post: post.kind == "party_gov_chief" and _county_unit(post),
         lambda kind, level, uk, ul, tl: kind in COUNTY_TEAM_KINDS and uk in COUNTY_KINDS and level == tl - 1),
    Path("city_deputy_to_county_chief", gettext_lazy("市直单位副职直接提任县(市、区)党政正职"), True,
         ("deputy_years", "lower_posts"),
         lambda post: post.kind == "party_gov_chief" and _county_unit(post),
         lambda kind, level, uk, ul, tl: kind == "deputy" and ul == "city" and uk in CITY_DEPT_KINDS
         and level == tl - 1),
    Path("chief_to_county_committee", gettext_lazy("乡(镇、街道)党政正职或市直单位中层正职直接提任县(市、区)党委班子副职"),
         False, ("lower_posts",),
         lambda post: post.kind == "standing_committee" and post.level == 3 and _county_unit(post),
         _township_or_city_chief),
    Path("chief_to_county_key_deputy",
         gettext_lazy("乡(镇、街道)党政正职或市直单位中层正职直接提任县(市、区)党委专职副书记、政府常务副职"), True,
         ("chief_years", "lower_posts"),
         lambda post: post.kind in ("fulltime_deputy_secretary", "executive_deputy") and post.level == 3
         and _county_unit(post),
         _township_or_city_chief),
)}
PATH_CHOICES = [(p.code, p.label) for p in PATHS.values()]


# --------------------------------------------------------------------------- the facts
def _ids_of(exceptional, ctx) -> np.ndarray:
    if exceptional is True:
        return np.ones(ctx.n, dtype=bool)
    if not exceptional:
        return np.zeros(ctx.n, dtype=bool)
    wanted = np.fromiter((int(getattr(c, "pk", c)) for c in exceptional), dtype=np.int64)
    return np.isin(ctx.ids, wanted)


def _scatter(ctx, rows, dtype=np.int64, fill=0):
    """{column j: array aligned with the cadres} from rows (cadre id, v1, v2 …)."""
    width = len(rows[0]) - 1 if rows else 0
    out = [np.full(ctx.n, fill, dtype=dtype) for _j in range(width)]
    if rows:
        arr = np.array(rows, dtype=np.int64)
        at, found = ctx.positions(arr[:, 0])
        for j in range(width):
            out[j][at[found]] = arr[found, j + 1]
    return out


def _ord(day) -> int:
    return day.toordinal() if day else 0


def _union_months(ctx, rows, on: dt.date) -> tuple[np.ndarray, np.ndarray]:
    """(months covered, open on ``on``) per cadre for periods (cadre id, start, end or None), each
    cut at ``on``: the months of [start month, end month) merged per cadre, so overlapping
    appointments and résumé lines count once."""
    months = np.zeros(ctx.n, dtype=np.int64)
    open_now = np.zeros(ctx.n, dtype=bool)
    if not rows:
        return months, open_now
    n = len(rows)
    on_o, on_m = on.toordinal(), month_of(on)
    cid = np.fromiter((r[0] for r in rows), dtype=np.int64, count=n)
    s = month_index(np.fromiter((r[1].toordinal() for r in rows), dtype=np.int64, count=n))
    e_o = np.fromiter((r[2].toordinal() if r[2] else OPEN_END for r in rows), dtype=np.int64, count=n)
    e = np.where(e_o >= on_o, on_m, month_index(np.minimum(e_o, on_o)))
    order = np.lexsort((s, cid))
    cid, s, e, e_o = cid[order], s[order], e[order], e_o[order]
    first = np.r_[True, cid[1:] != cid[:-1]]
    offset = (np.cumsum(first) - 1) * 1_000_000
    reach = np.maximum.accumulate(e + offset) - offset
    before = np.where(first, -1_000_000, np.r_[0, reach[:-1]])
    gain = np.maximum(0, e - np.maximum(s, before))
    at, found = ctx.positions(cid)
    np.add.at(months, at[found], gain[found])
    holding = found & (e_o >= on_o)
    open_now[at[holding]] = True
    return months, open_now


def _cadre_rows(ctx):
    from cadres.models import Cadre

    base = Cadre.objects.filter(pk__in=_pk_arg(ctx))
    return list(base.order_by("id").values_list(
        "id", "work_start_date", "highest_education", "current_post__kind", "current_post__level",
        "current_post__unit__kind", "current_post__unit__level", "current_post__unit__name", "current_post__name"))


def _pk_arg(ctx):
    """The cadres' ids as a query argument (one array parameter for a long list)."""
    return ids_arg(ctx.ids.tolist())


@dataclass
class _Col:
    """One rule for every cadre, aligned with the cadres."""

    code: str
    label: str
    passed: np.ndarray
    passes_on: np.ndarray          # ordinals, 0: not by time alone (read for the failing ones)
    render: Callable               # render(k) -> (value, sentence)
    code_of: Callable | None = None  # code_of(k) -> (code, label) when a cadre's differ, else None


def _days(ordinal: int) -> dt.date | None:
    return dt.date.fromordinal(int(ordinal)) if ordinal > 0 else None


def _month_ordinals(months: np.ndarray) -> np.ndarray:
    """The first day (ordinal) of each month (``month_index``'s count)."""
    return months.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64) + EPOCH


def _month_pass(since: np.ndarray, need: int) -> np.ndarray:
    """The first day (ordinal) a count of ``need`` whole years from ``since`` is reached (0: none)."""
    return np.where(since > 0, _month_ordinals(month_index(since) + 12 * need), 0)


class PostEligibilities(ByCadre):
    """{cadre id: PostEligibility} for one target post; each value is built when asked."""

    def __init__(self, ctx, post, cols, extra, extra_block, extra_pass, paths, exceptional, eligible, ready):
        self.post, self.on = post, ctx.on
        self.ids = ctx.ids
        self._cols, self._extra = cols, extra
        self._paths, self._exceptional = paths, exceptional
        self.eligible = eligible
        self.ready_on = ready  # ordinals: on when eligible, 0 when not by time alone
        self._index = None

    def __getitem__(self, cadre_id) -> PostEligibility:
        k = self._pos(cadre_id)
        rules = []
        for c in self._cols:
            value, sentence = c.render(k)
            ok = bool(c.passed[k])
            code, label = (c.code_of(k) if c.code_of else None) or (c.code, c.label)
            rules.append(Rule(code, label, ok, value, sentence,
                              None if ok else _days(int(c.passes_on[k]))))
        rules += self._extra.get(int(cadre_id), [])
        failed = [r for r in rules if not r.passed and not r.favourable]
        ready_on = _days(int(self.ready_on[k]))
        return PostEligibility(int(cadre_id), self.post.pk, rules, self._paths[k], bool(self.eligible[k]), failed,
                               ready_on, readiness(ready_on, self.on), bool(self._exceptional[k]))

    @property
    def eligible_ids(self) -> set[int]:
        return set(self.ids[self.eligible].tolist())

    def ready_on_of(self, cadre_id) -> dt.date | None:
        return _days(int(self.ready_on[self._pos(cadre_id)]))

    def readiness_of(self, cadre_id) -> str:
        return readiness(self.ready_on_of(cadre_id), self.on)

    def path_of(self, cadre_id) -> str | None:
        return self._paths[self._pos(cadre_id)]


# --------------------------------------------------------------------------- the function
def check(cadres, post, *, on=None, exceptional=False, records=None) -> PostEligibilities:
    """The rules of the module's docstring for ``cadres`` against ``post`` on ``on``."""
    from ..models import SelectionRules

    on = on or today()
    cfg = SelectionRules.current()
    ctx = FactsContext(cadres, on, details=False)
    n = ctx.n
    records = records or {}
    exc = _ids_of(exceptional, ctx)
    rows = _cadre_rows(ctx)
    work_start = np.fromiter((_ord(r[1]) for r in rows), dtype=np.int64, count=n)
    education = np.fromiter((r[2] or 0 for r in rows), dtype=np.int64, count=n)
    cur = [(r[3] or "", r[4] or 0, r[5] or "", r[6] or "") for r in rows]
    target = int(post.level)
    level = ctx.level
    promotion = target > level
    gap = target - level
    on_o = on.toordinal()
    labels = {v: level_label(v) for v in range(1, 11)}
    target_label = labels.get(target, "")
    asks_years = target >= cfg.min_level
    applies_years = np.full(n, asks_years, dtype=bool)

    # the fast-track paths
    paths: list[str | None] = [None] * n
    candidates = [p for p in PATHS.values() if p.target(post)]
    if candidates:
        for k, (kind, lvl, uk, ul) in enumerate(cur):
            for p in candidates:
                if p.holder(kind, lvl, uk, ul, target) and (exc[k] or not p.exceptional):
                    paths[k] = p.code
                    break
    relaxed = {code: np.fromiter((bool(p) and code in PATHS[p].relaxes for p in paths), dtype=bool, count=n)
               for code in ("lower_posts", "deputy_years", "chief_years")}
    cols: list[_Col] = []
    zero = np.zeros(n, dtype=np.int64)

    def relaxed_text(k, code) -> str:
        if paths[k] and code in PATHS[paths[k]].relaxes:
            return _("按“%(path)s”路径直接提任，不受此项限制 %(mark)s") % {"path": PATHS[paths[k]].label, "mark": YES}
        return _("破格提拔，不受此项限制 %(mark)s") % {"mark": YES}

    # 1. work years
    wy = whole_years(work_start, on)
    need = cfg.work_years
    ok = ~applies_years | ((work_start > 0) & (wy >= need))

    def r_work(k):
        if not asks_years:
            return "", _("拟任%(level)s，不要求工作年限 %(mark)s") % {"level": target_label, "mark": YES}
        if not work_start[k]:
            return "", _("未填写参加工作时间，须满 %(need)s 年 %(mark)s") % {"need": need, "mark": NO}
        v = _("%(n)s 年") % {"n": int(wy[k])}
        cmp = "≥" if ok[k] else "<"
        return v, _("参加工作 %(n)s 年 %(cmp)s %(need)s 年 %(mark)s") % {
            "n": int(wy[k]), "cmp": cmp, "need": need, "mark": check_mark(bool(ok[k]))}
    cols.append(_Col("work_years", _("工作年限"), ok, _month_pass(work_start, need), r_work))

    # 2. grassroots
    gm, gopen = _grassroots(ctx, cfg)
    need_g = cfg.grassroots_years
    g_ok = ~applies_years | (gm >= 12 * need_g)
    g_pass = np.where(gopen & ~g_ok, _month_ordinals(month_of(on) + 12 * need_g - gm), 0)

    def r_grass(k):
        if not asks_years:
            return "", _("拟任%(level)s，不要求基层工作经历 %(mark)s") % {"level": target_label, "mark": YES}
        years, months = divmod(int(gm[k]), 12)
        v = _("%(y)s 年 %(m)s 个月") % {"y": years, "m": months}
        cmp = "≥" if g_ok[k] else "<"
        return v, _("基层工作经历 %(v)s %(cmp)s %(need)s 年 %(mark)s") % {
            "v": v, "cmp": cmp, "need": need_g, "mark": check_mark(bool(g_ok[k]))}
    cols.append(_Col("grassroots_years", _("基层工作经历"), g_ok, g_pass, r_grass))

    # 3. lower posts
    need_l = cfg.lower_posts
    lp = _lower_posts(ctx, target) if need_l and target > 1 else zero
    lp_applies = promotion & (need_l > 0) & (target > 1)
    lp_ok = ~lp_applies | relaxed["lower_posts"] | (lp >= need_l)
    below = labels.get(target - 1, "")

    def r_lower(k):
        v = _("%(n)s 个") % {"n": int(lp[k])}
        if not lp_applies[k]:
            return v, _("非提拔任职，不要求下一级职位任职经历 %(mark)s") % {"mark": YES}
        if relaxed["lower_posts"][k]:
            return v, relaxed_text(k, "lower_posts")
        cmp = "≥" if lp_ok[k] else "<"
        return v, _("曾任%(below)s职位 %(n)s 个 %(cmp)s %(need)s 个 %(mark)s") % {
            "below": below, "n": int(lp[k]), "cmp": cmp, "need": need_l, "mark": check_mark(bool(lp_ok[k]))}
    cols.append(_Col("lower_posts", _("下一级职位任职经历"), lp_ok, zero, r_lower))

    # 4. the level step
    step_ok = np.where(exc, gap <= 2, gap <= 1)

    def r_step(k):
        mine = labels.get(int(level[k]), "") or _("无职务层次")
        v = mine
        if gap[k] <= 0:
            return v, _("现为%(mine)s，拟任%(level)s，非提拔 %(mark)s") % {"mine": mine, "level": target_label,
                                                                     "mark": YES}
        if exc[k]:
            if step_ok[k]:
                return v, _("由%(mine)s破格提任%(level)s，未越两级 %(mark)s") % {
                    "mine": mine, "level": target_label, "mark": YES}
            return v, _("由%(mine)s提任%(level)s越两级以上，破格提拔不得越两级 %(mark)s") % {
                "mine": mine, "level": target_label, "mark": NO}
        if step_ok[k]:
            return v, _("由%(mine)s提任%(level)s，逐级晋升 %(mark)s") % {"mine": mine, "level": target_label,
                                                                   "mark": YES}
        return v, _("由%(mine)s提任%(level)s属越级提拔，须按破格提拔程序 %(mark)s") % {
            "mine": mine, "level": target_label, "mark": NO}
    # under 破格 the same rule is the limit ``exceptional_skip`` (rule 14)
    cols.append(_Col("step", _("逐级晋升"), step_ok, zero, r_step,
                     code_of=lambda k: ("exceptional_skip", _("不得越两级")) if exc[k] else None))

    # 5. the step's years
    chief_target = target % 2 == 0
    code = "deputy_years" if chief_target else "chief_years"
    need_y = cfg.deputy_years if chief_target else cfg.chief_years
    since = years_load(ctx, None) if n else zero
    yl = whole_years(since, on)
    y_applies = (gap == 1) & (target > 1)
    y_relaxed = relaxed[code] | exc
    y_ok = ~y_applies | y_relaxed | ((since > 0) & (yl >= need_y))
    y_label = _("副职任职年限") if chief_target else _("下级正职任职年限")

    def r_years(k):
        v = _("%(n)s 年") % {"n": int(yl[k])} if since[k] else ""
        if not y_applies[k]:
            what = _("非副职提任同级正职") if chief_target else _("非下级正职提任上级副职")
            return v, _("%(what)s，不适用 %(mark)s") % {"what": what, "mark": YES}
        if y_relaxed[k]:
            return v, relaxed_text(k, code)
        mine = labels.get(int(level[k]), "")
        if not since[k]:
            return v, _("无任%(mine)s的任职记录，须满 %(need)s 年 %(mark)s") % {"mine": mine, "need": need_y, "mark": NO}
        day = dt.date.fromordinal(int(since[k]))
        cmp = "≥" if y_ok[k] else "<"
        return v, _("自 %(month)s 起任%(mine)s，满 %(n)s 年 %(cmp)s %(need)s 年 %(mark)s") % {
            "month": f"{day.year}-{day.month:02d}", "mine": mine, "n": int(yl[k]), "cmp": cmp, "need": need_y,
            "mark": check_mark(bool(y_ok[k]))}
    cols.append(_Col(code, y_label, y_ok, _month_pass(since, need_y), r_years))

    # 6. education
    from cadres.models import EducationLevel

    need_e = cfg.min_education
    e_ok = education >= need_e
    e_names = dict(EducationLevel.choices)

    def r_edu(k):
        v = str(e_names.get(int(education[k]), ""))
        if not need_e:
            return v, _("不要求学历 %(mark)s") % {"mark": YES}
        return v, (_("%(v)s，须%(need)s及以上 %(mark)s") % {"v": v, "need": e_names.get(need_e, ""),
                                                        "mark": check_mark(bool(e_ok[k]))})
    cols.append(_Col("education", _("学历"), e_ok, zero, r_edu))

    # 7. training
    need_t, t_years = (cfg.training_hours if asks_years else 0), cfg.training_years
    hours = _training_hours(ctx, t_years) if need_t else zero
    t_ok = hours >= need_t

    def r_train(k):
        v = _("%(n)s 学时") % {"n": int(hours[k])} if need_t else ""
        if not need_t:
            return v, _("拟任%(level)s，不要求培训学时 %(mark)s") % {"level": target_label, "mark": YES}
        cmp = "≥" if t_ok[k] else "<"
        return v, _("近 %(y)s 年参加培训 %(n)s 学时 %(cmp)s %(need)s 学时 %(mark)s") % {
            "y": t_years, "n": int(hours[k]), "cmp": cmp, "need": need_t, "mark": check_mark(bool(t_ok[k]))}
    cols.append(_Col("training", _("培训"), t_ok, zero, r_train))

    # 8, 9, 15. probation, the latest promotion, whether it was 破格
    cand = _candidacies(ctx, on)
    p_end = cand["probation_end"]
    p_ok = p_end < on_o

    def r_prob(k):
        if p_ok[k]:
            return "", _("不在试用期 %(mark)s") % {"mark": YES}
        end = dt.date.fromordinal(int(p_end[k]))
        return end.isoformat(), _("试用期至 %(d)s，试用期内不得提拔 %(mark)s") % {"d": end.isoformat(), "mark": NO}
    cols.append(_Col("probation", _("试用期"), p_ok, np.where(p_end >= on_o, p_end + 1, 0), r_prob))

    promoted = np.maximum(_promotions(ctx, on), cand["promoted_on"])
    months = cfg.recent_promotion_months
    r_applies = promotion | exc
    pm = np.where(promoted > 0, month_index(promoted), 0)
    r_pass_m = pm + months
    r_ok = ~r_applies | (promoted == 0) | (month_of(on) >= r_pass_m)
    r_pass = np.where(~r_ok, _month_ordinals(r_pass_m), 0)

    def r_recent(k):
        day = _days(int(promoted[k]))
        v = day.isoformat() if day else ""
        if not r_applies[k]:
            return v, _("非提拔任职，不适用 %(mark)s") % {"mark": YES}
        if not day:
            return v, _("无提拔记录 %(mark)s") % {"mark": YES}
        if r_ok[k]:
            return v, _("上次提拔 %(d)s，已满 %(m)s 个月 %(mark)s") % {"d": v, "m": months, "mark": YES}
        return v, _("上次提拔 %(d)s，不满 %(m)s 个月（%(until)s 起满）%(mark)s") % {
            "d": v, "m": months, "until": _days(int(r_pass[k])).isoformat(), "mark": NO}
    cols.append(_Col("recent_promotion", _("提拔任职时间"), r_ok, r_pass, r_recent))

    # 10. accountability
    any_end, higher_end, which = _bans(ctx, on, cfg)
    a_fail_any = any_end >= on_o
    a_fail_higher = promotion & (higher_end >= on_o)
    a_ok = ~(a_fail_any | a_fail_higher)
    a_pass = np.where(a_fail_higher, np.maximum(higher_end, any_end) + 1, np.where(a_fail_any, any_end + 1, 0))

    def r_acc(k):
        if a_ok[k]:
            return "", _("无问责影响期 %(mark)s") % {"mark": YES}
        what = which.get(int(ctx.ids[k]), "")
        if a_fail_any[k]:
            return what, _("%(what)s，%(d)s 前不得安排领导职务 %(mark)s") % {
                "what": what, "d": _days(int(any_end[k]) + 1).isoformat(), "mark": NO}
        return what, _("%(what)s，%(d)s 前不得提拔 %(mark)s") % {
            "what": what, "d": _days(int(higher_end[k]) + 1).isoformat(), "mark": NO}
    cols.append(_Col("accountability", _("问责影响期"), a_ok, a_pass, r_acc))

    # 12. active
    from cadres.models import CadreStatus

    status_names = dict(CadreStatus.choices)

    def r_active(k):
        st = ctx.status[k]
        if ctx.active[k]:
            return str(status_names.get(st, st)), _("在职 %(mark)s") % {"mark": YES}
        return str(status_names.get(st, st)), _("干部状态：%(s)s，须在职 %(mark)s") % {
            "s": status_names.get(st, st), "mark": NO}
    cols.append(_Col("active", _("在职状态"), ctx.active.copy(), zero, r_active))

    # 14–17. the 破格 limits
    if exc.any():
        prev_exc = cand["previous_exceptional"]
        x_ok = ~exc | ~prev_exc

        def r_repeat(k):
            if not exc[k]:
                return "", _("非破格提拔 %(mark)s") % {"mark": YES}
            if prev_exc[k]:
                return _("是"), _("上次提拔为破格提拔，不得连续破格提拔 %(mark)s") % {"mark": NO}
            return _("否"), _("上次提拔非破格提拔 %(mark)s") % {"mark": YES}
        cols.append(_Col("exceptional_repeat", _("连续破格"), x_ok, zero, r_repeat))
        grounds = [((getattr(records.get(int(c)), "exceptional_grounds", "") or "").strip())
                   for c in ctx.ids.tolist()]
        g2_ok = ~exc | np.fromiter((bool(g) for g in grounds), dtype=bool, count=n)

        def r_grounds(k):
            if not exc[k]:
                return "", _("非破格提拔 %(mark)s") % {"mark": YES}
            if grounds[k]:
                return grounds[k][:40], _("已写明破格提拔理由 %(mark)s") % {"mark": YES}
            return "", _("未写明破格提拔理由 %(mark)s") % {"mark": NO}
        cols.append(_Col("exceptional_grounds", _("破格理由"), g2_ok, zero, r_grounds))
        consent = []
        for c in ctx.ids.tolist():
            rec = records.get(int(c))
            body, no, day = (getattr(rec, "consent_body", "") or "", getattr(rec, "consent_no", "") or "",
                             getattr(rec, "consent_on", None))
            consent.append((body.strip(), no.strip(), day))
        c_ok = ~exc | np.fromiter((bool(b and no and d and d <= on) for b, no, d in consent), dtype=bool, count=n)

        def r_consent(k):
            if not exc[k]:
                return "", _("非破格提拔 %(mark)s") % {"mark": YES}
            body, no, day = consent[k]
            if c_ok[k]:
                v = f"{body} {no} {day.isoformat()}"
                return v, _("上级组织部门已同意：%(v)s %(mark)s") % {"v": v, "mark": YES}
            if day and day > on and body and no:
                return "", _("上级组织部门同意日期 %(d)s 晚于 %(on)s %(mark)s") % {
                    "d": day.isoformat(), "on": on.isoformat(), "mark": NO}
            return "", _("未记录上级组织部门同意意见（机关、文号、日期）%(mark)s") % {"mark": NO}
        cols.append(_Col("exceptional_consent", _("上级组织部门同意"), c_ok, zero, r_consent))

    # 11, 13. standing
    extra, s_block, s_pass = _standing_rules(ctx)

    # the paths as passed rules
    for k, p in enumerate(paths):
        if p:
            names = "、".join(str(_RELAX_LABELS[c]) for c in PATHS[p].relaxes if c in ("lower_posts", code))
            extra.setdefault(int(ctx.ids[k]), []).insert(0, Rule(
                "exceptional_path", _("直接提任路径"), True, str(PATHS[p].label),
                _("符合“%(path)s”：不受%(what)s限制 %(mark)s") % {"path": PATHS[p].label, "what": names,
                                                             "mark": YES}))

    eligible = ~s_block
    ready = np.where(s_block, s_pass, 0)
    never = s_block & (s_pass == 0)
    for c in cols:
        eligible &= c.passed
        failing = ~c.passed
        never |= failing & (c.passes_on == 0)
        ready = np.where(failing, np.maximum(ready, c.passes_on), ready)
    ready = np.where(eligible, on_o, np.where(never, 0, ready))
    return PostEligibilities(ctx, post, cols, extra, s_block, s_pass, paths, exc, eligible, ready)


_RELAX_LABELS = {"lower_posts": gettext_lazy("“下一级职位任职经历”"), "deputy_years": gettext_lazy("“副职任职年限”"),
                 "chief_years": gettext_lazy("“下级正职任职年限”")}


# --------------------------------------------------------------------------- the queries
def _grassroots(ctx, cfg):
    """Rule 2: (months, open on ``on``) per cadre (two queries)."""
    from cadres.models import Appointment, CareerEntry, UnitLevel

    on = ctx.on
    rows = list(Appointment.objects.filter(ctx.who_q("cadre"), start_date__lte=on,
                                           post__unit__level=UnitLevel.TOWNSHIP)
                .order_by().values_list("cadre_id", "start_date", "end_date"))
    words = cfg.words
    if words:
        pattern = "|".join(re.escape(w) for w in words)
        rows += list(CareerEntry.objects.filter(ctx.who_q("cadre"), start_date__lte=on, description__regex=pattern)
                     .order_by().values_list("cadre_id", "start_date", "end_date"))
    return _union_months(ctx, rows, on)


def _lower_posts(ctx, target: int) -> np.ndarray:
    """Rule 3: the distinct posts held at the level below ``target`` (one query)."""
    from cadres.models import Appointment

    rows = list(Appointment.objects.filter(ctx.who_q("cadre"), start_date__lte=ctx.on, post__level=target - 1)
                .order_by().values("cadre_id").annotate(n=Count("post_id", distinct=True))
                .values_list("cadre_id", "n"))
    return _scatter(ctx, rows)[0] if rows else np.zeros(ctx.n, dtype=np.int64)


def _training_hours(ctx, years: int) -> np.ndarray:
    """Rule 7: the training hours started in the last ``years`` years (one query)."""
    from cadres.models import Training

    since = ctx.on - relativedelta(years=years)
    rows = list(Training.objects.filter(ctx.who_q("cadre"), start_date__gt=since, start_date__lte=ctx.on)
                .order_by().values("cadre_id").annotate(h=Sum("hours")).values_list("cadre_id", "h"))
    return _scatter(ctx, rows)[0] if rows else np.zeros(ctx.n, dtype=np.int64)


def _promotions(ctx, on) -> np.ndarray:
    """Rule 9 from the roster: the start (ordinal) of the latest appointment to a post above every
    post the cadre held before it (one query; only the last years can matter)."""
    from cadres.models import Appointment

    since = on - relativedelta(years=6)
    higher_before = Appointment.objects.filter(cadre_id=OuterRef("cadre_id"), start_date__lt=OuterRef("start_date"),
                                               post__level__gte=OuterRef("post__level"))
    any_before = Appointment.objects.filter(cadre_id=OuterRef("cadre_id"), start_date__lt=OuterRef("start_date"))
    rows = list(Appointment.objects.filter(ctx.who_q("cadre"), start_date__lte=on, start_date__gt=since)
                .filter(Exists(any_before), ~Exists(higher_before))
                .order_by().values_list("cadre_id", "start_date"))
    out = np.zeros(ctx.n, dtype=np.int64)
    if rows:
        cid = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        day = np.fromiter((r[1].toordinal() for r in rows), dtype=np.int64, count=len(rows))
        at, found = ctx.positions(cid)
        np.maximum.at(out, at[found], day[found])
    return out


def _candidacies(ctx, on) -> dict:
    """Rules 8, 9, 15 from the selection records: the appointed candidacies by ``on`` (one query)."""
    from ..models import SelectionCandidate

    rows = list(SelectionCandidate.objects.filter(ctx.who_q("cadre"), appointed_on__isnull=False,
                                                  appointed_on__lte=on)
                .order_by("cadre_id", "appointed_on", "id")
                .values_list("cadre_id", "appointed_on", "probation_end", "probation_outcome", "is_promotion",
                             "exceptional"))
    n = ctx.n
    probation_end = np.zeros(n, dtype=np.int64)
    promoted_on = np.zeros(n, dtype=np.int64)
    previous_exceptional = np.zeros(n, dtype=bool)
    if rows:
        at, found = ctx.positions(np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows)))
        for (_cid, appointed, p_end, outcome, is_promotion, exceptional), k, ok in zip(
                rows, at.tolist(), found.tolist(), strict=True):
            if not ok:
                continue
            if p_end and not outcome:
                probation_end[k] = max(probation_end[k], p_end.toordinal())
            if is_promotion:  # ordered by date: the last one wins
                promoted_on[k] = appointed.toordinal()
                previous_exceptional[k] = bool(exceptional)
    return {"probation_end": probation_end, "promoted_on": promoted_on,
            "previous_exceptional": previous_exceptional}


def _bans(ctx, on, cfg):
    """Rule 10: (last day of the no-post ban, last day of the no-promotion ban, {cadre id: what})
    per cadre from the 撤职 / 撤销党内职务 sanctions (one query)."""
    from assessment.models import Sanction, SanctionKind
    from assessment.services.conduct import add_months

    longest = max(cfg.ban_any_months, cfg.ban_higher_months)
    since = on - relativedelta(months=longest) - dt.timedelta(days=1)
    rows = list(Sanction.objects.filter(ctx.who_q("cadre"), kind__in=(SanctionKind.REMOVAL, SanctionKind.PARTY_REMOVAL),
                                        decided_on__lte=on, decided_on__gte=since)
                .filter(Q(revoked_on__isnull=True) | Q(revoked_on__gt=on))
                .order_by("decided_on").values_list("cadre_id", "kind", "decided_on"))
    any_end = np.zeros(ctx.n, dtype=np.int64)
    higher_end = np.zeros(ctx.n, dtype=np.int64)
    which = {}
    names = dict(SanctionKind.choices)
    if rows:
        at, found = ctx.positions(np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows)))
        for (cid, kind, decided), k, ok in zip(rows, at.tolist(), found.tolist(), strict=True):
            if not ok:
                continue
            a = add_months(decided, cfg.ban_any_months).toordinal() if cfg.ban_any_months else 0
            h = add_months(decided, cfg.ban_higher_months).toordinal() if cfg.ban_higher_months else 0
            any_end[k], higher_end[k] = max(any_end[k], a), max(higher_end[k], h)
            which[int(cid)] = _("%(d)s 受%(kind)s") % {"d": decided.isoformat(), "kind": names.get(kind, kind)}
    return any_end, higher_end, which


def _standing_rules(ctx):
    """Rules 11 and 13: ({cadre id: [Rule]}, blocked array, passes-on array) from ``standing``."""
    from assessment.services.standing import standing

    n = ctx.n
    blocked = np.zeros(n, dtype=bool)
    passes = np.zeros(n, dtype=np.int64)
    out: dict[int, list] = {}
    label, fav = _("担当状态"), _("表彰优先")
    nothing = Rule("standing", label, True, "", _("无不得提拔任用的情形 %(mark)s") % {"mark": YES})
    if not n:
        return _Default(out, [nothing]), blocked, passes
    st = standing(ctx.ids.tolist(), on=ctx.on)
    index = {int(c): k for k, c in enumerate(ctx.ids.tolist())}
    for cid, s in st.items():
        k = index.get(int(cid))
        if k is None:
            continue
        ends = {("card", c.pk): c.end_date for c in s.cards}
        ends.update({("sanction", x.pk): x.end_date for x in s.sanctions})
        mine = []
        facts = s.blocks.get("promotion", [])
        never = False
        for f in facts:
            end = ends.get((f.kind, f.id))
            after = end + dt.timedelta(days=1) if end else None
            never |= after is None
            if after:
                passes[k] = max(passes[k], after.toordinal())
            mine.append(Rule("standing", label, False, f.kind, f"{f.sentence} {NO}", after))
        if facts:
            blocked[k] = True
            if never:
                passes[k] = 0
        mine += [Rule("standing", label, True, f.kind, f"{f.sentence} {YES}")
                 for f in s.waivers if f.block in ("promotion", "")]
        if not facts:
            mine.insert(0, nothing)
        mine += [Rule("award_priority", fav, True, f.kind, f.sentence, None, True) for f in s.priorities
                 if f.block == "promotion"]
        out[int(cid)] = mine
    # a blocked cadre with a fact that never ends by time: 0 (never) — kept apart from "no fact"
    passes = np.where(blocked, np.where(passes > 0, passes, 0), 0)
    return _Default(out, [nothing]), blocked, passes


class _Default(dict):
    def __init__(self, data, default):
        super().__init__(data)
        self.default = default

    def get(self, key, default=None):
        return list(super().get(key, self.default))

    def setdefault(self, key, default=None):
        if key not in self:
            self[key] = list(self.default)
        return self[key]


# --------------------------------------------------------------------------- the settings
RULE_FIELDS = ("min_level", "work_years", "grassroots_years", "lower_posts", "deputy_years", "chief_years",
               "min_education", "training_years", "training_hours", "recent_promotion_months", "ban_any_months",
               "ban_higher_months", "grassroots_words")


def rules_update(*, by, **values):
    """Change the thresholds (org staff: gate action ``reserve``): every problem at once as
    ``{field: [messages]}`` (the model's validators), nothing saved then; audited."""
    from django.core.exceptions import ValidationError
    from django.db import transaction

    from pingdingshan.core import permissions as gate
    from pingdingshan.core.services import model_save

    from ..models import SelectionRules

    gate.require(by, "reserve")
    unknown = sorted(set(values) - set(RULE_FIELDS))
    if unknown:
        raise ValidationError({name: [_("没有此项设置。")] for name in unknown})
    with transaction.atomic():
        row = SelectionRules.objects.select_for_update().order_by("pk").first() or SelectionRules.current()
        for name, value in values.items():
            setattr(row, name, value)
        return model_save(row, by=by)


def parse_request(data, user):
    """(cadre, post, exceptional, on) from a query (``cadre``, ``post``, ``exceptional``, ``on``) or
    ({field: [messages]}) — the page and the API read it alike; the cadre must be in the user's
    scope (404 otherwise)."""
    from cadres.models import Cadre, Post
    from pingdingshan.core import permissions as gate

    errors: dict[str, list[str]] = {}
    ids = {}
    for name, label in (("cadre", _("干部")), ("post", _("拟任职务"))):
        raw = str(data.get(name) or "").strip()
        if not raw:
            errors[name] = [_("请选择%(label)s。") % {"label": label}]
        elif not raw.isdigit() or len(raw) > 12:
            errors[name] = [_("%(label)s编号须为正整数。") % {"label": label}]
        else:
            ids[name] = int(raw)
    on = None
    raw_on = str(data.get("on") or "").strip()
    if raw_on:
        try:
            on = dt.date.fromisoformat(raw_on)
        except ValueError:
            errors["on"] = [_("日期格式应为 YYYY-MM-DD。")]
        else:
            if not dt.date(1950, 1, 1) <= on <= dt.date(2100, 12, 31):
                errors["on"] = [_("审查日期须在 1950 年至 2100 年之间。")]
    exceptional = str(data.get("exceptional") or "").lower() in ("1", "true", "on", "yes")
    post = None
    if "post" in ids:
        post = Post.objects.select_related("unit").filter(pk=ids["post"]).first()
        if post is None:
            errors["post"] = [_("没有编号为 %(id)s 的职务。") % {"id": ids["post"]}]
    if errors:
        return None, errors
    cadre = gate.get_or_404(Cadre, user, "view", pk=ids["cadre"])
    return (cadre, post, exceptional, on), {}


def check_one(cadre, post, *, on=None, exceptional=False) -> PostEligibility:
    """One cadre against one post (the check page and the API): under 破格 the grounds and the consent
    are read from the cadre's latest 破格 candidacy for the post in a selection record, if any."""
    from ..models import SelectionCandidate

    records = {}
    if exceptional:
        record = (SelectionCandidate.objects.filter(cadre_id=cadre.pk, target__post_id=post.pk, exceptional=True)
                  .order_by("-id").first())
        if record is not None:
            records[cadre.pk] = record
    return check([cadre.pk], post, on=on, exceptional=exceptional, records=records)[cadre.pk]
