"""Who may enter a reserve pool, and why: the one function every page, the API and the nightly run
call (``PoolCriterion`` rows + ``assessment.services.standing``).

INTERFACE:

    CRITERIA: dict[CriterionKind, Criterion]
        Criterion: ``kind``, ``label``, ``params`` (``Param``: name, label, type, required,
        min, max, choices, help, default — a form and the API are built from them),
        ``validate(params) -> {param: [Chinese messages]}`` (every problem at once; an
        impossible range such as min age > max age is refused), ``clean(params) -> (params,
        errors)`` (the same, with numbers given as text made numbers and defaults filled in: what
        to store), ``describe(params) -> str`` ("年龄不超过 45 岁"), and the set-based check.

    criteria_validate(kind, params) -> dict[str, list[str]]
    criteria_clean(kind, params) -> (dict, dict[str, list[str]])
    describe(criterion_row) -> str          the summary of one ``PoolCriterion`` row

    eligibility(pool, cadres=None, *, on=None, details=True) -> PoolEligibility
        - ``cadres``: ids, Cadre objects or a queryset; None: every active cadre (在职).
        - ``on``: the day (default ``core.dates.today()``).
        - set-based: a constant number of queries per criterion kind, never one per cadre
          (100,000 cadres for the candidates page); ``details=False`` skips the sentences when
          only the ids are wanted.
        - ``PoolEligibility``: {cadre id: CadreEligibility} (a mapping, each value built when
          asked); ``.eligible_ids`` (set).
        - ``CadreEligibility``: ``passed`` (bool) and ``checks`` [Check], one per criterion of the
          pool in its order, then "active" (在职) and then ``standing`` (the "pool" block: one
          failed Check per blocking fact with its sentence, e.g. "黄牌 2026-03-01 至 2026-08-31
          （推诿扯皮）：不得进入储备库"; waivers as passed checks with their sentence; a passed
          check saying so when nothing bars the cadre). ``failed`` [Check].
        - ``Check``: ``kind``, ``label``, ``value`` (the cadre's value, shown), ``passed``,
          ``sentence`` (Chinese, e.g. "年龄 41 岁 ≤ 45 岁 ✔"; "" when ``details=False``).

    eligibility_many(pools, cadres=None, *, on=None, details=True, cadres_by_pool=None)
            -> {pool id: PoolEligibility}
        the same for several pools, loading each kind of fact once (the nightly run, a cadre's
        储备库 tab); ``cadres_by_pool`` ({pool id: cadre ids}): each pool only for its own cadres
        (the nightly run: 40,000 entries, not every cadre of any pool × every pool), the same
        queries; ``points``: rule 5's sums per 12-month window as the caller has them (one query
        less).

THE RULES (``on`` is the day asked about; no criterion rewards seniority: each is a threshold a
cadre meets or not, and passing it by more counts for nothing):

1. 年龄 ``age`` {"min", "max"} (whole years, at least one given, min ≤ max): the cadre's age in
   whole years (周岁) on ``on`` is within [min, max]. A cadre is a year older on the birthday;
   someone born on 29 February becomes a year older on 1 March in a year without 29 February
   (on 29 February in a leap year).
2. 职务层次 ``level`` {"min_level": PostLevel}: the cadre's level is the higher of the current
   post's level (``Cadre.current_post``) and the current rank's ``equivalent_level``
   (``Cadre.current_rank``, RULES.md: 一/二级主任科员 ≈ 乡科级正职 …); it is at least
   ``min_level``. A cadre with neither has no level and fails.
3. 现职级任职年限 ``years_at_level`` {"years"}: the cadre reached the level of rule 2 on the
   earliest day of (a) the continuous run of appointments to posts of that level or above that
   holds on ``on`` and (b) the continuous run of rank records whose rank's equivalent level is
   that level or above that holds on ``on`` (a run: records started on or before ``on``, each
   starting no later than the day after the run so far ends). The years there are whole
   12-month periods counted from the month of that day (RULES.md): started in June 2020, a cadre
   has 6 years from June 2026 whatever the day. At least ``years``. No such run: fails.
4. 近年考核等次 ``grades`` {"years": N, "min_grade": Grade code, "missing_fails": bool}: the
   published (已发布) annual (年度考核) results of the N calendar years before ``on``'s year (on
   2026-12-01 with N = 3: 2023, 2024, 2025). None is below ``min_grade`` (several results in a
   year: the lowest counts). A year with no published annual result, or one without a grade, is
   missing: listed in the sentence, and failing only when ``missing_fails``.
5. 近年实绩积分 ``points`` {"years": N, "min"}: the sum of the points of the performance records
   that count (``assessment.scoring.counted_records_q``: verified and current, the assessment's
   ``points`` source) started in the last N years up to ``on`` (after the same day N years
   before ``on``, and not after ``on``) is at least ``min``.
6. 标签 ``tags`` {"tags": [Tag ids], "mode": "all" | "any"}: the cadre has every one (all) or at
   least one (any) of the tags.
7. 一线历练 ``frontline`` {"min_count" (default 1), "min_evaluation" (default 良好)}: the number
   of the cadre's closed (已结束) frontline postings, evaluated by ``on`` (``evaluated_on``, or
   ended by ``on`` when that is empty), whose evaluation is ``min_evaluation`` or better
   (``EVALUATION_ORDER``) is at least ``min_count``.
Always, not configurable:
8. 在职: the cadre's status is 在职 (``CadreStatus.ACTIVE``).
9. 担当状态: ``standing(cadres, on=on)`` does not block "pool": each blocking fact is a failed
   check with its sentence; each waiver of it (a ruling waiving "pool", a card that does not count)
   a passed check with its sentence.
A cadre is eligible when every check passes. A criterion row whose parameters are not valid any
more (they are validated when saved) fails for everyone, saying so.

QUERIES: the pools' criteria (1, none when prefetched), the cadres (1), the standing (5), and per
criterion kind present in the pools asked: age, level 0; years_at_level 2; grades 1; points 1; tags
1 (2 with details: the tags' names); frontline 1 — for one pool or many, 5 cadres or 100,000. The
facts are aligned with the cadres in numpy arrays; ``details=False`` builds no sentence and no
value until one is asked (``PoolEligibility[cadre id]``). ``bench/eligibility.py`` times it for
100,000 cadres and seven criteria (details=False: about 1 s of Python, the rest in PostgreSQL).
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from dateutil.relativedelta import relativedelta
from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import BigIntegerField, Count, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Cast, Coalesce, Greatest, Round
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pingdingshan.core.dates import today
from pingdingshan.core.idlists import ids_arg

from ..models import CriterionKind
from ..models.postings import EVALUATION_ORDER, Evaluation

YES, NO = "✔", "✘"


# --------------------------------------------------------------------------- results
@dataclass(frozen=True)
class Check:
    kind: str
    label: str
    value: object
    passed: bool
    sentence: str = ""


@dataclass
class CadreEligibility:
    cadre_id: int
    passed: bool
    checks: list = field(default_factory=list)

    @property
    def failed(self) -> list[Check]:
        return [c for c in self.checks if not c.passed]

    @property
    def reasons(self) -> list[str]:
        """The sentences of the failed checks (what ``PoolEntry.flag_reasons`` keeps)."""
        return [c.sentence for c in self.checks if not c.passed]


@dataclass
class _Column:
    """One criterion's outcome for every cadre, aligned with ``PoolEligibility.ids``."""

    kind: str
    label: str
    passed: np.ndarray
    value: Callable  # value(position) -> the cadre's value
    sentences: list | Callable | None  # a list aligned with the cadres, or sentence(position)


class ByCadre(Mapping):
    """A mapping {cadre id: result} over the cadres ``self.ids`` (numpy, aligned with the result's
    arrays) whose values a subclass builds when asked (``__getitem__`` with ``self._pos``)."""

    ids: np.ndarray
    _index: dict | None = None

    def _pos(self, cadre_id) -> int:
        if self._index is None:
            self._index = {int(c): k for k, c in enumerate(self.ids.tolist())}
        return self._index[int(cadre_id)]

    def __iter__(self):
        return iter(self.ids.tolist())

    def __len__(self):
        return len(self.ids)

    def __contains__(self, cadre_id):
        try:
            self._pos(cadre_id)
        except (KeyError, TypeError, ValueError):
            return False
        return True


class PoolEligibility(ByCadre):
    """{cadre id: CadreEligibility} for one pool; each value is built when asked."""

    def __init__(self, pool, ids: np.ndarray, columns: list[_Column], standing_checks: dict, passed: np.ndarray):
        self.pool = pool
        self.ids = ids
        self.columns = columns
        self._standing = standing_checks  # {cadre id: [Check]} (only cadres with something)
        self.passed = passed
        self._index = None

    def __getitem__(self, cadre_id) -> CadreEligibility:
        k = self._pos(cadre_id)
        checks = [Check(c.kind, c.label, c.value(k), bool(c.passed[k]),
                        (c.sentences(k) if callable(c.sentences) else c.sentences[k]) if c.sentences else "")
                  for c in self.columns]
        checks += self._standing.get(int(cadre_id), [])
        return CadreEligibility(int(cadre_id), bool(self.passed[k]), checks)

    @property
    def eligible_ids(self) -> set[int]:
        return set(self.ids[self.passed].tolist())

    @property
    def criteria_failed_ids(self) -> set[int]:
        """The cadres failing one of the pool's criteria or 在职 — not only a ``standing`` block —
        from the columns' arrays (no ``CadreEligibility`` built)."""
        if not self.columns:
            return set()
        ok = np.logical_and.reduce([np.asarray(c.passed, dtype=bool) for c in self.columns])
        return set(self.ids[~ok].tolist())

    def failed_sentences(self, cadre_id) -> list[str]:
        """The sentences of the checks ``cadre_id`` fails, in the order of ``self[cadre_id].failed``,
        building only those (the nightly run's flag reasons)."""
        k = self._pos(cadre_id)
        out = [((c.sentences(k) if callable(c.sentences) else c.sentences[k]) if c.sentences else "")
               for c in self.columns if not c.passed[k]]
        return out + [ch.sentence for ch in self._standing.get(int(cadre_id), []) if not ch.passed]


# --------------------------------------------------------------------------- the registry
@dataclass(frozen=True)
class Param:
    name: str            # key in PoolCriterion.params
    label: object        # lazy Chinese label
    type: str            # "int" | "grade" | "level" | "evaluation" | "tags" | "choice" | "bool"
    required: bool = True
    min: int | None = None
    max: int | None = None
    choices: tuple = ()  # for "choice": ((value, label), ...)
    help: object = ""
    default: object = None


@dataclass(frozen=True)
class Criterion:
    kind: str
    label: object
    params: tuple[Param, ...]
    # cross(params) -> {param: [messages]}: the checks between parameters (ranges)
    cross: Callable | None = None
    # summary(params, names) -> str: ``describe`` (``names``: {tag id: name})
    summary: Callable | None = None
    # load(ctx, [params]) -> facts, once for every criterion of the kind in the pools asked
    load: Callable | None = None
    # test(ctx, facts, params) -> (passed bool array, value(position) -> value, sentences list | None)
    test: Callable | None = None

    def clean(self, params, *, lookup: bool = True) -> tuple[dict, dict[str, list[str]]]:
        """The parameters as stored (numbers as numbers, defaults filled in) and every problem.
        ``lookup=False``: tag ids are not looked up (the check, which queries them anyway)."""
        errors: dict[str, list[str]] = defaultdict(list)
        if not isinstance(params, dict):
            return {}, {NON_FIELD_ERRORS: [_("条件参数须为对象（键值对）。")]}
        known = {p.name for p in self.params}
        for name in params:
            if name not in known:
                errors[str(name)].append(_("“%(kind)s”条件没有参数“%(name)s”。") % {"kind": self.label, "name": name})
        out = {}
        for p in self.params:
            raw = params.get(p.name)
            if raw is None or raw == "" or raw == []:
                if p.default is not None:
                    out[p.name] = p.default
                elif p.required:
                    errors[p.name].append(_("请填写“%(label)s”。") % {"label": p.label})
                else:
                    out[p.name] = [] if p.type == "tags" else (False if p.type == "bool" else None)
                continue
            value, problem = _coerce(p, raw, lookup)
            if problem:
                errors[p.name].append(problem)
            else:
                out[p.name] = value
        if not errors and self.cross:
            for name, messages in self.cross(out).items():
                errors[name].extend(messages)
        return out, dict(errors)

    def validate(self, params) -> dict[str, list[str]]:
        return self.clean(params)[1]

    def describe(self, params, names: dict | None = None) -> str:
        clean, errors = self.clean(params)
        if errors:
            return _("%(kind)s（参数有误）") % {"kind": self.label}
        if self.kind == CriterionKind.TAGS and names is None:
            names = _tag_names(clean.get("tags") or [])
        return self.summary(clean, names or {})


def _coerce(p: Param, raw, lookup: bool = True):
    """(value, None) or (None, message) for one parameter."""
    from assessment.models import Grade
    from cadres.models import PostLevel

    if p.type in ("int", "level"):
        if isinstance(raw, bool):
            return None, _("“%(label)s”须为整数。") % {"label": p.label}
        if isinstance(raw, str):
            raw = raw.strip()
            if not raw.lstrip("-").isdigit():
                return None, _("“%(label)s”须为整数。") % {"label": p.label}
            raw = int(raw)
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        if not isinstance(raw, int):
            return None, _("“%(label)s”须为整数。") % {"label": p.label}
        if p.type == "level":
            if raw not in PostLevel.values:
                return None, _("“%(label)s”不是有效的职务层次。") % {"label": p.label}
            return raw, None
        if (p.min is not None and raw < p.min) or (p.max is not None and raw > p.max):
            return None, _("“%(label)s”须在 %(lo)s 到 %(hi)s 之间。") % {"label": p.label, "lo": p.min, "hi": p.max}
        return raw, None
    if p.type == "grade":
        raw = str(raw)
        if raw not in Grade.values:
            return None, _("“%(label)s”不是有效的考核等次。") % {"label": p.label}
        return raw, None
    if p.type == "evaluation":
        if raw not in Evaluation.values:
            return None, _("“%(label)s”不是有效的期满评价。") % {"label": p.label}
        return str(raw), None
    if p.type == "choice":
        if raw not in [v for v, _label in p.choices]:
            return None, _("“%(label)s”的取值无效。") % {"label": p.label}
        return raw, None
    if p.type == "bool":
        if isinstance(raw, bool):
            return raw, None
        if isinstance(raw, str) and raw.lower() in ("true", "1", "on", "yes", "false", "0", "off", "no"):
            return raw.lower() in ("true", "1", "on", "yes"), None
        if isinstance(raw, int) and raw in (0, 1):
            return bool(raw), None
        return None, _("“%(label)s”须为是或否。") % {"label": p.label}
    if p.type == "tags":
        if isinstance(raw, (str, int)):
            raw = [raw]
        if not isinstance(raw, (list, tuple)):
            return None, _("“%(label)s”须为标签列表。") % {"label": p.label}
        ids = []
        for t in raw:
            if isinstance(t, bool) or not (isinstance(t, int) or (isinstance(t, str) and t.strip().isdigit())):
                return None, _("“%(label)s”须为标签编号。") % {"label": p.label}
            if int(t) not in ids:
                ids.append(int(t))
        known = set(_tag_names(ids)) if lookup else set(ids)
        unknown = [str(t) for t in ids if t not in known]
        if unknown:
            return None, _("没有编号为 %(ids)s 的标签。") % {"ids": "、".join(unknown)}
        return ids, None
    return None, _("“%(label)s”的类型未知。") % {"label": p.label}


def _tag_names(ids) -> dict[int, str]:
    from cadres.models import Tag

    if not ids:
        return {}
    return dict(Tag.objects.filter(pk__in=list(ids)).values_list("id", "name"))


# --------------------------------------------------------------------------- the cadres
class FactsContext:
    """The cadres asked about (one query) and the filter every fact query uses."""

    def __init__(self, cadres, on: dt.date, details: bool):
        from cadres.models import Cadre, CadreStatus

        self.on = on
        self.details = details
        if cadres is None:
            self.cadres = Cadre.objects.filter(status=CadreStatus.ACTIVE)
            self.who_q = lambda f: Q(**{f"{f}__status": CadreStatus.ACTIVE})
            base = self.cadres
        elif isinstance(cadres, QuerySet):
            if cadres.query.values_select:
                sub = cadres  # a values("pk") queryset
            else:
                sub = (cadres if cadres.query.is_sliced else cadres.order_by()).values("pk")
            self.cadres = cadres
            self.who_q = lambda f: Q(**{f"{f}_id__in": sub})
            base = Cadre.objects.filter(pk__in=sub)
        else:
            ids = sorted({int(getattr(c, "pk", c)) for c in cadres})
            self.cadres = ids
            arg = ids_arg(ids)
            self.who_q = lambda f: Q(**{f"{f}_id__in": arg})
            base = Cadre.objects.filter(pk__in=arg)
        rows = list(base.order_by("id").values_list(
            "id", "status", "birth_date", "current_post__level", "current_rank__equivalent_level",
            "current_rank__name", "unit__kind"))
        n = len(rows)
        self.n = n
        self.ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=n)
        self.status = [r[1] for r in rows]
        self.active = np.fromiter((r[1] == CadreStatus.ACTIVE for r in rows), dtype=bool, count=n)
        self.birth = [r[2] for r in rows]
        self.post_level = np.fromiter((r[3] or 0 for r in rows), dtype=np.int64, count=n)
        self.rank_level = np.fromiter((r[4] or 0 for r in rows), dtype=np.int64, count=n)
        self.rank_name = [r[5] for r in rows]
        self.unit_kind = [r[6] for r in rows]
        self.level = np.maximum(self.post_level, self.rank_level)

    def subset(self, at: np.ndarray) -> FactsContext:
        """The same context for the cadres at the (ascending, distinct) positions ``at``: the
        facts loaded for every cadre are cut down with ``_facts_subset``."""
        sub = object.__new__(FactsContext)
        sub.on, sub.details, sub.cadres, sub.who_q = self.on, self.details, self.cadres, self.who_q
        sub.points = getattr(self, "points", None)
        sub.n = len(at)
        take = at.tolist()
        for name in ("ids", "active", "post_level", "rank_level", "level"):
            setattr(sub, name, getattr(self, name)[at])
        for name in ("status", "birth", "rank_name", "unit_kind"):
            values = getattr(self, name)
            setattr(sub, name, [values[k] for k in take])
        return sub

    def positions(self, cadre_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(positions in ``ids``, found mask) for ``cadre_ids`` (``ids`` is sorted)."""
        if not self.n:
            return np.zeros(len(cadre_ids), dtype=np.int64), np.zeros(len(cadre_ids), dtype=bool)
        at = np.clip(np.searchsorted(self.ids, cadre_ids), 0, self.n - 1)
        return at, self.ids[at] == cadre_ids


def check_mark(ok: bool) -> str:
    return YES if ok else NO


def level_label(level: int) -> str:
    from cadres.models import PostLevel

    return str(PostLevel(level).label) if level in PostLevel.values else ""


# --------------------------------------------------------------------------- 1. age
def _age_cross(p):
    if p.get("min") is None and p.get("max") is None:
        return {NON_FIELD_ERRORS: [_("最低年龄和最高年龄至少填写一项。")]}
    if p.get("min") is not None and p.get("max") is not None and p["min"] > p["max"]:
        return {"max": [_("最高年龄（%(max)s 岁）不能小于最低年龄（%(min)s 岁）。") % p]}
    return {}


def _age_summary(p, names):
    if p.get("min") is not None and p.get("max") is not None:
        return _("年龄 %(min)s 至 %(max)s 岁") % p
    if p.get("max") is not None:
        return _("年龄不超过 %(max)s 岁") % p
    return _("年龄不低于 %(min)s 岁") % p


def ages_on(births, on: dt.date) -> np.ndarray:
    """Whole years (周岁) on ``on`` of people born on ``births`` (rule 1: a year older on the
    birthday; 29 February: on 1 March in other years, which comparing (month, day) gives)."""
    n = len(births)
    years = np.fromiter((b.year for b in births), dtype=np.int64, count=n)
    md = np.fromiter((b.month * 100 + b.day for b in births), dtype=np.int64, count=n)
    return on.year - years - (on.month * 100 + on.day < md)


def _age_test(ctx, facts, p):
    ages = ages_on(ctx.birth, ctx.on)
    lo, hi = p.get("min"), p.get("max")
    passed = np.ones(ctx.n, dtype=bool)
    if lo is not None:
        passed &= ages >= lo
    if hi is not None:
        passed &= ages <= hi
    def value(k):
        return int(ages[k])

    if not ctx.details:
        return passed, value, None
    values = ages.tolist()
    t_le, t_gt = _("年龄 %(age)s 岁 ≤ %(max)s 岁 %(mark)s"), _("年龄 %(age)s 岁 > %(max)s 岁 %(mark)s")
    t_ge, t_lt = _("年龄 %(age)s 岁 ≥ %(min)s 岁 %(mark)s"), _("年龄 %(age)s 岁 < %(min)s 岁 %(mark)s")
    t_in = _("年龄 %(age)s 岁，在 %(min)s 至 %(max)s 岁之间 %(mark)s")
    out = []
    for age, ok in zip(values, passed.tolist(), strict=True):
        d = {"age": age, "min": lo, "max": hi, "mark": check_mark(ok)}
        if lo is not None and hi is not None:
            out.append((t_in if ok else (t_lt if age < lo else t_gt)) % d)
        elif hi is not None:
            out.append((t_le if ok else t_gt) % d)
        else:
            out.append((t_ge if ok else t_lt) % d)
    return passed, value, out


# --------------------------------------------------------------------------- 2. level
def _level_summary(p, names):
    return _("现任职务层次或职级不低于 %(level)s") % {"level": level_label(p["min_level"])}


def _level_subject(ctx, k, labels) -> str:
    """"乡科级正职" or "一级主任科员（相当乡科级正职）": what gives the cadre's level."""
    post, rank = int(ctx.post_level[k]), int(ctx.rank_level[k])
    if post and post >= rank:
        return labels[post]
    return _("%(rank)s（相当%(level)s）") % {"rank": ctx.rank_name[k], "level": labels[rank]}


def _level_test(ctx, facts, p):
    need = p["min_level"]
    passed = ctx.level >= need

    def value(k):
        return int(ctx.level[k])

    if not ctx.details:
        return passed, value, None
    values = ctx.level.tolist()
    labels = {v: level_label(v) for v in range(1, 11)}
    t_ge, t_lt, t_none = _("现任 %(subject)s ≥ %(need)s %(mark)s"), _("现任 %(subject)s < %(need)s %(mark)s"), \
        _("无现任职务或职级，须不低于 %(need)s %(mark)s")
    out = []
    for k, ok in enumerate(passed.tolist()):
        d = {"need": labels[need], "mark": check_mark(ok)}
        if not values[k]:
            out.append(t_none % d)
        else:
            d["subject"] = _level_subject(ctx, k, labels)
            out.append((t_ge if ok else t_lt) % d)
    return passed, value, out


# --------------------------------------------------------------------------- 3. years at level
def _years_summary(p, names):
    return _("现职务层次或职级任职满 %(years)s 年") % p


OPEN_END = 4_000_000  # an ordinal after every date (date.max is 3,652,059)
EPOCH = dt.date(1970, 1, 1).toordinal()


def _cadre_level():
    """The cadre's level of rule 2 as an expression on a row with a ``cadre``."""
    return Greatest(Coalesce("cadre__current_post__level", Value(0)),
                    Coalesce("cadre__current_rank__equivalent_level", Value(0)))


def years_load(ctx, params_list):
    """The ordinal of the day each cadre reached the current level (rule 3; 0: never), aligned
    with the cadres: two queries (the appointments and the rank records at the cadre's level or
    above), the runs found with numpy."""
    from cadres.models import Appointment, RankHistory

    on = ctx.on
    apps = list(Appointment.objects.filter(ctx.who_q("cadre"), start_date__lte=on).alias(need=_cadre_level())
                .filter(need__gt=0, post__level__gte=F("need"))
                .order_by().values_list("cadre_id", "start_date", "end_date"))
    ranks = list(RankHistory.objects.filter(ctx.who_q("cadre"), start_date__lte=on).alias(need=_cadre_level())
                 .filter(need__gt=0, rank__equivalent_level__gte=F("need"))
                 .order_by().values_list("cadre_id", "start_date", "end_date"))
    a, r = run_starts(ctx, apps, on), run_starts(ctx, ranks, on)
    return np.where((a > 0) & ((r == 0) | (a <= r)), a, r)


def run_starts(ctx, rows, on: dt.date) -> np.ndarray:
    """For each cadre (aligned with ``ctx.ids``) the first day (ordinal; 0: none) of the
    continuous run of its ``rows`` [(cadre id, start, end or None)], every start ≤ ``on``, that
    holds on ``on``: a row continues the run when it starts no later than the day after the run
    so far ends. Vectorised: rows sorted by cadre and start, a running maximum of the ends per
    cadre (offset per cadre so one accumulate serves all), a new run where a start passes it."""
    out = np.zeros(ctx.n, dtype=np.int64)
    if not rows:
        return out
    n = len(rows)
    cid = np.fromiter((x[0] for x in rows), dtype=np.int64, count=n)
    s = np.fromiter((x[1].toordinal() for x in rows), dtype=np.int64, count=n)
    e = np.fromiter((x[2].toordinal() if x[2] else OPEN_END for x in rows), dtype=np.int64, count=n)
    order = np.lexsort((s, cid))
    cid, s, e = cid[order], s[order], e[order]
    first = np.r_[True, cid[1:] != cid[:-1]]
    offset = (np.cumsum(first) - 1) * 10_000_000
    reach = np.maximum.accumulate(e + offset) - offset  # the run's end so far, per cadre
    new = first | (s > np.r_[0, reach[:-1]] + 1)
    began = np.maximum.accumulate(np.where(new, np.arange(n), 0))  # the row that began each row's run
    last = np.r_[cid[1:] != cid[:-1], True]
    # Every start is ≤ on, so only a cadre's last run can hold on ``on``.
    holds = last & (reach >= on.toordinal())
    at, found = ctx.positions(cid[holds])
    out[at[found]] = s[began[holds]][found]
    return out


def month_index(ordinals: np.ndarray) -> np.ndarray:
    """The month (months since January 1970) of each day given as an ordinal (0 counts as 1970-01)."""
    days = np.where(ordinals > 0, ordinals, EPOCH) - EPOCH
    return days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)


def month_of(day: dt.date) -> int:
    """``month_index`` of one date."""
    return (day.year - 1970) * 12 + day.month - 1


def month_start(index: int) -> dt.date:
    """The first day of the month ``index`` (``month_index``'s count)."""
    return dt.date(1970 + index // 12, index % 12 + 1, 1)


def whole_years(since: np.ndarray, on: dt.date) -> np.ndarray:
    """Rule 3's count: the whole 12-month periods from the month of each day ``since`` (ordinals;
    0: none, counted 0) to ``on``'s month (RULES.md: from June 2020, 6 years from June 2026 whatever
    the day). The first day a count of N is reached is ``month_start(month_index(since) + 12 N)``."""
    return np.where(since > 0, np.maximum(0, (month_of(on) - month_index(since)) // 12), 0)


def _years_test(ctx, since, p):
    need = p["years"]
    has = since > 0
    years = whole_years(since, ctx.on)
    passed = has & (years >= need)

    def value(k):
        return int(years[k]) if has[k] else None

    if not ctx.details:
        return passed, value, None
    labels = {v: level_label(v) for v in range(1, 11)}
    t_ok = _("自 %(month)s 起任 %(level)s（或以上），满 %(years)s 年 ≥ %(need)s 年 %(mark)s")
    t_no = _("自 %(month)s 起任 %(level)s（或以上），满 %(years)s 年 < %(need)s 年 %(mark)s")
    t_none = _("无现任职务层次或职级的任职记录，须满 %(need)s 年 %(mark)s")
    out = []
    for k in range(ctx.n):
        ok = bool(passed[k])
        if not has[k]:
            out.append(t_none % {"need": need, "mark": check_mark(ok)})
        else:
            day = dt.date.fromordinal(int(since[k]))
            out.append((t_ok if ok else t_no) % {"month": f"{day.year}-{day.month:02d}",
                                                 "level": labels[int(ctx.level[k])], "years": int(years[k]),
                                                 "need": need, "mark": check_mark(ok)})
    return passed, value, out


# --------------------------------------------------------------------------- 4. grades
def _grade_label(code) -> str:
    from assessment.models import grade_label

    return grade_label(code)


def _grades_summary(p, names):
    text = _("近 %(years)s 年年度考核等次均不低于%(grade)s") % {"years": p["years"], "grade": _grade_label(p["min_grade"])}
    if p.get("missing_fails"):
        text += _("（缺少年度结果视为不符合）")
    return text


class _Grades:
    """The published annual grades of the years any criterion asks: arrays of (position of the
    cadre, year, lowest grade code of the year) — one query, grouped by cadre and year in SQL."""

    def __init__(self, ctx, rows):
        n = len(rows)
        cid = np.fromiter((r[0] for r in rows), dtype=np.int64, count=n)
        self.year = np.fromiter((r[1] for r in rows), dtype=np.int64, count=n)
        self.grade = np.fromiter((int(r[2]) for r in rows), dtype=np.int64, count=n)
        self.pos, found = ctx.positions(cid)
        self.pos, self.year, self.grade = self.pos[found], self.year[found], self.grade[found]
        self._by_cadre = None

    def subset(self, remap: np.ndarray) -> _Grades:
        """The rows of the cadres kept by ``remap`` (old position -> new position, -1: dropped)."""
        sub = object.__new__(_Grades)
        new = remap[self.pos] if len(self.pos) else self.pos
        keep = new >= 0
        sub.pos, sub.year, sub.grade = new[keep], self.year[keep], self.grade[keep]
        sub._by_cadre = None
        return sub

    def of(self, k) -> dict[int, str]:
        """{year: grade code} of the cadre at position ``k``."""
        if self._by_cadre is None:
            self._by_cadre = defaultdict(dict)
            for pos, year, grade in zip(self.pos.tolist(), self.year.tolist(), self.grade.tolist(), strict=True):
                self._by_cadre[pos][year] = str(grade)
        return self._by_cadre.get(k, {})


def _grades_load(ctx, params_list):
    from django.db.models import Max

    from assessment.models import AssessmentResult, PeriodKind, PeriodStatus

    most = max(p["years"] for p in params_list)
    rows = list(AssessmentResult.objects.filter(
        ctx.who_q("cadre"), period__kind=PeriodKind.ANNUAL, period__status=PeriodStatus.PUBLISHED,
        period__year__gte=ctx.on.year - most, period__year__lt=ctx.on.year)
        .exclude(grade="").order_by().values("cadre_id", "period__year").annotate(worst=Max("grade"))
        .values_list("cadre_id", "period__year", "worst"))
    return _Grades(ctx, rows)


def _grades_test(ctx, grades: _Grades, p):
    from assessment.models import grade_label

    n_years, worst_ok, missing_fails = p["years"], int(p["min_grade"]), bool(p.get("missing_fails"))
    first = ctx.on.year - n_years
    years = list(range(first, ctx.on.year))
    inside = grades.year >= first
    pos, g = grades.pos[inside], grades.grade[inside]
    worst = np.zeros(ctx.n, dtype=np.int64)
    np.maximum.at(worst, pos, g)
    present = np.bincount(pos, minlength=ctx.n)
    passed = worst <= worst_ok
    if missing_fails:
        passed &= present >= n_years

    def value(k):
        return {y: c for y, c in sorted(grades.of(k).items()) if y >= first}

    if not ctx.details:
        return passed, value, None
    t_head = _("近 %(n)s 年年度考核：%(list)s")
    t_year, t_missing = _("%(year)s %(grade)s"), _("%(year)s 无结果")
    t_ok, t_low = _("均不低于%(grade)s"), _("%(years)s 低于%(grade)s")
    t_miss_fail, t_miss_note = _("缺少 %(years)s 的结果"), _("缺少 %(years)s 的结果（不影响）")
    sep, semi = _("、"), _("；")
    # the words of every grade for every unit kind present, translated now (the sentences are
    # built when asked, perhaps after the caller's language is no longer active)
    from assessment.models import Grade

    words = {(code, kind): grade_label(code, kind) for kind in set(ctx.unit_kind) for code in Grade.values}

    def sentence(k) -> str:
        mine, kind = grades.of(k), ctx.unit_kind[k]
        parts, lows, missing = [], [], []
        for y in years:
            if y in mine:
                parts.append(t_year % {"year": y, "grade": words.get((mine[y], kind)) or grade_label(mine[y], kind)})
                if int(mine[y]) > worst_ok:
                    lows.append(str(y))
            else:
                parts.append(t_missing % {"year": y})
                missing.append(str(y))
        need = words.get((p["min_grade"], kind)) or grade_label(p["min_grade"], kind)
        verdict = [t_low % {"years": sep.join(lows), "grade": need} if lows else t_ok % {"grade": need}]
        if missing:
            verdict.append((t_miss_fail if missing_fails else t_miss_note) % {"years": sep.join(missing)})
        text = t_head % {"n": n_years, "list": sep.join(parts)} + semi + semi.join(verdict)
        return f"{text} {check_mark(bool(passed[k]))}"

    return passed, value, sentence


# --------------------------------------------------------------------------- 5. points
def _points_summary(p, names):
    return _("近 %(years)s 年已核实实绩积分不少于 %(min)s 分") % p


def _points_load(ctx, params_list):
    """{years: hundredths array aligned with the cadres} for every N asked (one query: one sum per
    N, of the records that count, ``assessment.scoring.counted_records_q``)."""
    from assessment.scoring import counted_records_q
    from cadres.models import PerformanceRecord

    spans = sorted({p["years"] for p in params_list})
    given = getattr(ctx, "points", None)
    if given is not None and all(n <= given[1].shape[1] for n in spans):
        return _points_given(ctx, spans, *given)
    on = ctx.on
    after = {n: on - relativedelta(years=n) for n in spans}

    def h(q):
        return Cast(Round(Coalesce(Sum("points", filter=q), Value(Decimal(0))) * Value(Decimal(100))),
                    BigIntegerField())

    rows = list(PerformanceRecord.objects.filter(
        counted_records_q(), ctx.who_q("cadre"), start_date__gt=after[spans[-1]], start_date__lte=on)
        .order_by().values("cadre_id")
        .annotate(**{f"p{n}": h(Q(start_date__gt=after[n])) for n in spans})
        .values_list("cadre_id", *[f"p{n}" for n in spans]))
    out = {n: np.zeros(ctx.n, dtype=np.int64) for n in spans}
    if rows:
        arr = np.array(rows, dtype=np.int64)
        at, found = ctx.positions(arr[:, 0])
        for j, n in enumerate(spans):
            out[n][at[found]] = arr[found, j + 1]
    return out


def _points_given(ctx, spans, cadre_ids: np.ndarray, windows: np.ndarray) -> dict:
    """``_points_load`` from what the caller summed already: ``windows`` (len(cadre_ids), W) the
    hundredths of the records that count started in each 12-month window ending on ``on`` (latest
    first: the window k holds the starts after ``on`` − (k + 1) years up to ``on`` − k years), so
    the last N years are the first N windows. No query."""
    out = {n: np.zeros(ctx.n, dtype=np.int64) for n in spans}
    if len(cadre_ids):
        at, found = ctx.positions(np.asarray(cadre_ids, dtype=np.int64))
        for n in spans:
            out[n][at[found]] = windows[found, :n].sum(axis=1)
    return out


def _hundredths_text(h: int) -> str:
    sign = "-" if h < 0 else ""
    h = abs(int(h))
    whole, cents = divmod(h, 100)
    return f"{sign}{whole}" if not cents else f"{sign}{whole}.{cents:02d}".rstrip("0")


def _points_test(ctx, facts, p):
    sums = facts[p["years"]]
    passed = sums >= p["min"] * 100
    def value(k):
        return Decimal(int(sums[k])) / 100

    if not ctx.details:
        return passed, value, None
    t_ge, t_lt = _("近 %(years)s 年已核实实绩积分 %(points)s 分 ≥ %(min)s 分 %(mark)s"), \
        _("近 %(years)s 年已核实实绩积分 %(points)s 分 < %(min)s 分 %(mark)s")
    out = [(t_ge if ok else t_lt) % {"years": p["years"], "points": _hundredths_text(v), "min": p["min"],
                                     "mark": check_mark(ok)}
           for v, ok in zip(sums.tolist(), passed.tolist(), strict=True)]
    return passed, value, out


# --------------------------------------------------------------------------- 6. tags
TAG_MODES = (("all", gettext_lazy("全部具有")), ("any", gettext_lazy("具有其一")))


def _tags_summary(p, names):
    listed = _("、").join(names.get(t, f"#{t}") for t in p["tags"])
    if p["mode"] == "any":
        return _("具有以下标签之一：%(tags)s") % {"tags": listed}
    return _("具有以下全部标签：%(tags)s") % {"tags": listed}


def _tags_load(ctx, params_list):
    """(positions of the cadres, tag ids) of the cadres' tags among those asked, and {tag id:
    name} with details: one query (two with details)."""
    from cadres.models import Cadre

    wanted = sorted({t for p in params_list for t in p["tags"]})
    rows = list(Cadre.tags.through.objects.filter(ctx.who_q("cadre"), tag_id__in=wanted)
                .order_by().values_list("cadre_id", "tag_id")) if wanted else []
    arr = np.array(rows, dtype=np.int64).reshape(-1, 2)
    pos, found = ctx.positions(arr[:, 0])
    names = _tag_names(wanted) if ctx.details else {}
    return pos[found], arr[found, 1], names


def _tags_test(ctx, facts, p):
    pos, tag, names = facts
    need = list(p["tags"])
    mode_all = p["mode"] != "any"
    mine_mask = np.isin(tag, need)
    count = np.bincount(pos[mine_mask], minlength=ctx.n)  # a cadre holds a tag once
    passed = count >= (len(need) if mode_all else 1)
    held = None

    def value(k):
        nonlocal held
        if held is None:
            held = defaultdict(set)
            for q, t in zip(pos[mine_mask].tolist(), tag[mine_mask].tolist(), strict=True):
                held[q].add(t)
        return [t for t in need if t in held.get(k, ())]

    if not ctx.details:
        return passed, value, None
    sep, semi = _("、"), _("；")
    t_has, t_none = _("具有标签 %(tags)s"), _("不具有所列标签")
    t_lack_all, t_need_any = _("缺少 %(tags)s"), _("须具有其一：%(tags)s")
    out = []
    for k in range(ctx.n):
        mine, ok = value(k), bool(passed[k])
        text = t_has % {"tags": sep.join(names.get(t, f"#{t}") for t in mine)} if mine else t_none
        if mode_all and not ok:
            text += semi + t_lack_all % {"tags": sep.join(names.get(t, f"#{t}") for t in need if t not in mine)}
        elif not mode_all and not ok:
            text += semi + t_need_any % {"tags": sep.join(names.get(t, f"#{t}") for t in need)}
        out.append(f"{text} {check_mark(ok)}")
    return passed, value, out


# --------------------------------------------------------------------------- 7. frontline
def _at_least(evaluation) -> list[str]:
    """The evaluations ``evaluation`` or better (``EVALUATION_ORDER``, best first)."""
    order = [str(e) for e in EVALUATION_ORDER]
    return order[: order.index(str(evaluation)) + 1]


def _frontline_summary(p, names):
    return _("一线历练期满评价%(evaluation)s及以上不少于 %(n)s 次") % {
        "evaluation": Evaluation(p["min_evaluation"]).label, "n": p["min_count"]}


def _frontline_load(ctx, params_list):
    """{evaluation: count array aligned with the cadres} for each lowest evaluation asked: the
    closed postings evaluated by ``on`` (one query, one count per evaluation)."""
    from ..models.postings import FrontlinePosting, PostingStatus

    bars = sorted({p["min_evaluation"] for p in params_list})
    on = ctx.on
    rows = list(FrontlinePosting.objects.filter(
        ctx.who_q("cadre"), status=PostingStatus.CLOSED)
        .filter(Q(evaluated_on__lte=on) | Q(evaluated_on__isnull=True, end_date__lte=on))
        .order_by().values("cadre_id")
        .annotate(**{f"n_{b}": Count("id", filter=Q(evaluation__in=_at_least(b))) for b in bars})
        .values_list("cadre_id", *[f"n_{b}" for b in bars]))
    out = {b: np.zeros(ctx.n, dtype=np.int64) for b in bars}
    if rows:
        arr = np.array(rows, dtype=np.int64)
        at, found = ctx.positions(arr[:, 0])
        for j, b in enumerate(bars):
            out[b][at[found]] = arr[found, j + 1]
    return out


def _frontline_test(ctx, facts, p):
    counts = facts[p["min_evaluation"]]
    passed = counts >= p["min_count"]
    def value(k):
        return int(counts[k])

    if not ctx.details:
        return passed, value, None
    values = counts.tolist()
    label = str(Evaluation(p["min_evaluation"]).label)
    t_ge = _("期满评价%(evaluation)s及以上的一线历练 %(n)s 次 ≥ %(need)s 次 %(mark)s")
    t_lt = _("期满评价%(evaluation)s及以上的一线历练 %(n)s 次 < %(need)s 次 %(mark)s")
    out = [(t_ge if ok else t_lt) % {"evaluation": label, "n": v, "need": p["min_count"], "mark": check_mark(ok)}
           for v, ok in zip(values, passed.tolist(), strict=True)]
    return passed, value, out


# --------------------------------------------------------------------------- the registry
CRITERIA: dict[str, Criterion] = {
    CriterionKind.AGE: Criterion(
        kind=CriterionKind.AGE, label=CriterionKind.AGE.label,
        params=(Param("min", gettext_lazy("最低年龄（周岁）"), "int", required=False, min=18, max=70),
                Param("max", gettext_lazy("最高年龄（周岁）"), "int", required=False, min=18, max=70,
                      help=gettext_lazy("按周岁计算：生日当天增加一岁。"))),
        cross=_age_cross, summary=_age_summary, test=_age_test),
    CriterionKind.LEVEL: Criterion(
        kind=CriterionKind.LEVEL, label=CriterionKind.LEVEL.label,
        params=(Param("min_level", gettext_lazy("最低职务层次"), "level",
                      help=gettext_lazy("现任职务层次与现任职级相当层次中较高者，不低于此层次。")),),
        summary=_level_summary, test=_level_test),
    CriterionKind.YEARS_AT_LEVEL: Criterion(
        kind=CriterionKind.YEARS_AT_LEVEL, label=CriterionKind.YEARS_AT_LEVEL.label,
        params=(Param("years", gettext_lazy("最低任职年限（年）"), "int", min=0, max=20,
                      help=gettext_lazy("自任现职务层次（或相当职级）的当月起，按满 12 个月计一年。")),),
        summary=_years_summary, load=years_load, test=_years_test),
    CriterionKind.GRADES: Criterion(
        kind=CriterionKind.GRADES, label=CriterionKind.GRADES.label,
        params=(Param("years", gettext_lazy("考核年数"), "int", min=1, max=10,
                      help=gettext_lazy("当年之前的若干个年度的年度考核结果（已发布）。")),
                Param("min_grade", gettext_lazy("最低等次"), "grade"),
                Param("missing_fails", gettext_lazy("缺少年度结果视为不符合"), "bool", required=False,
                      default=False)),
        summary=_grades_summary, load=_grades_load, test=_grades_test),
    CriterionKind.POINTS: Criterion(
        kind=CriterionKind.POINTS, label=CriterionKind.POINTS.label,
        params=(Param("years", gettext_lazy("计入年数"), "int", min=1, max=10,
                      help=gettext_lazy("开始日期在截至当日的最近若干年内的已核实实绩记录。")),
                Param("min", gettext_lazy("最低实绩积分"), "int", min=0, max=100000)),
        summary=_points_summary, load=_points_load, test=_points_test),
    CriterionKind.TAGS: Criterion(
        kind=CriterionKind.TAGS, label=CriterionKind.TAGS.label,
        params=(Param("tags", gettext_lazy("标签"), "tags"),
                Param("mode", gettext_lazy("要求"), "choice", choices=TAG_MODES, default="all")),
        summary=_tags_summary, load=_tags_load, test=_tags_test),
    CriterionKind.FRONTLINE: Criterion(
        kind=CriterionKind.FRONTLINE, label=CriterionKind.FRONTLINE.label,
        params=(Param("min_count", gettext_lazy("最少次数"), "int", min=1, max=20, default=1),
                Param("min_evaluation", gettext_lazy("最低期满评价"), "evaluation", default=Evaluation.GOOD.value,
                      help=gettext_lazy("已结束的一线历练，期满评价不低于此项。"))),
        summary=_frontline_summary, load=_frontline_load, test=_frontline_test),
}


def criteria_clean(kind, params) -> tuple[dict, dict[str, list[str]]]:
    """The parameters to store for a criterion of ``kind`` and every problem ({param: [messages]},
    "kind" for an unknown kind, ``NON_FIELD_ERRORS`` for what concerns no one parameter)."""
    criterion = CRITERIA.get(kind)
    if criterion is None:
        return {}, {"kind": [_("未知的条件类型“%(kind)s”。") % {"kind": kind}]}
    return criterion.clean(params)


def criteria_validate(kind, params) -> dict[str, list[str]]:
    return criteria_clean(kind, params)[1]


def describe(criterion_row) -> str:
    """The summary of one ``PoolCriterion`` row ("年龄不超过 45 岁")."""
    criterion = CRITERIA.get(criterion_row.kind)
    if criterion is None:
        return _("未知的条件类型“%(kind)s”。") % {"kind": criterion_row.kind}
    return criterion.describe(criterion_row.params)


# --------------------------------------------------------------------------- the function
def _standing_checks(ctx) -> tuple[np.ndarray, dict]:
    """Rule 9: (blocked array, {cadre id: [Check]}) from ``standing(..., on=on)``; without details
    only the blocked cadres get checks (with no sentence)."""
    from assessment.services.standing import standing

    blocked = np.zeros(ctx.n, dtype=bool)
    checks: dict[int, list] = {}
    if not ctx.n:
        return blocked, checks
    st = standing(ctx.cadres, on=ctx.on)
    label = _("担当状态")
    ok_sentence = _("无不得进入储备库的情形 %(mark)s") % {"mark": YES}
    index = {cid: k for k, cid in enumerate(ctx.ids.tolist())} if len(st) else {}
    for cid, s in st.items():
        k = index.get(int(cid))
        if k is None:
            continue
        facts = s.blocks.get("pool", [])
        if facts:
            blocked[k] = True
        elif not ctx.details:
            continue
        mine = [Check("standing", label, f.kind, False, f"{f.sentence} {NO}" if ctx.details else "") for f in facts]
        if ctx.details:
            mine += [Check("standing", label, f.kind, True, f"{f.sentence} {YES}")
                     for f in s.waivers if f.block in ("pool", "")]
        checks[int(cid)] = mine or [Check("standing", label, None, True, ok_sentence)]
    if ctx.details:
        nothing = [Check("standing", label, None, True, ok_sentence)]
        checks = _Default(checks, nothing)
    return blocked, checks


class _Default(dict):
    """{cadre id: [Check]} giving ``default`` for the cadres standing says nothing about."""

    def __init__(self, data, default):
        super().__init__(data)
        self.default = default

    def get(self, key, default=None):
        return super().get(key, self.default)


def _active_column(ctx) -> _Column:
    """Rule 8: the cadre is 在职."""
    from cadres.models import CadreStatus

    sentences = None
    if ctx.details:
        names = dict(CadreStatus.choices)
        t_ok, t_no = _("在职 %(mark)s") % {"mark": YES}, _("干部状态：%(status)s，须在职 %(mark)s")
        sentences = [t_ok if ok else t_no % {"status": names.get(s, s), "mark": NO}
                     for s, ok in zip(ctx.status, ctx.active.tolist(), strict=True)]
    return _Column("active", _("在职状态"), ctx.active, lambda k: ctx.status[k], sentences)


def _criteria_of(pools) -> dict[int, list]:
    """{pool id: [PoolCriterion]} in order, using prefetched rows when there are (one query)."""
    from ..models import PoolCriterion

    pools = list(pools)
    out = {}
    missing = []
    for p in pools:
        cache = getattr(p, "_prefetched_objects_cache", {})
        if "criteria" in cache:
            out[p.pk] = sorted(cache["criteria"], key=lambda c: (c.order, c.pk))
        else:
            missing.append(p.pk)
            out[p.pk] = []
    if missing:
        for c in PoolCriterion.objects.filter(pool_id__in=missing).order_by("pool_id", "order", "id"):
            out[c.pool_id].append(c)
    return out


def _facts_subset(facts, at: np.ndarray, remap: np.ndarray):
    """The facts of one criterion kind (as its ``load`` gives them, aligned with every cadre)
    for the cadres at the positions ``at`` (``remap``: old position -> new, -1 when dropped)."""
    if facts is None:
        return None
    if isinstance(facts, np.ndarray):  # years at level: one value per cadre
        return facts[at]
    if isinstance(facts, dict):  # points, frontline: {parameter: array per cadre}
        return {key: arr[at] for key, arr in facts.items()}
    if isinstance(facts, _Grades):
        return facts.subset(remap)
    if isinstance(facts, tuple):  # tags: (positions, tag ids, names)
        pos, tag, names = facts
        new = remap[pos] if len(pos) else pos
        keep = new >= 0
        return new[keep], tag[keep], names
    raise TypeError(f"facts of an unknown shape: {type(facts).__name__}")


def eligibility_many(pools, cadres=None, *, on=None, details=True, cadres_by_pool=None,
                     points=None) -> dict[int, PoolEligibility]:
    """The rules of the module's docstring for every pool of ``pools`` and ``cadres`` (None: every
    active cadre) on ``on``, each kind of fact loaded once.

    ``cadres_by_pool`` ({pool id: cadre ids}, optional): each pool is checked only for its own
    cadres (the nightly run: a pool's admitted entries), the facts still loaded once for all of
    them (``cadres`` None: the cadres of the mapping); a pool not in the mapping gets every cadre.
    The same queries as without it.

    ``points`` (optional): (cadre ids, (cadres, W) array) the hundredths of rule 5's records per
    12-month window ending on ``on``, latest first, as the caller has them already (the nightly
    run: the ranking's points windows, the same records); rule 5 then sums the first N windows
    instead of querying (when N ≤ W; one query less)."""
    pools = list(pools)
    on = on or today()
    if cadres_by_pool is not None:
        cadres_by_pool = {pk: {int(getattr(c, "pk", c)) for c in ids} for pk, ids in cadres_by_pool.items()}
        if cadres is None:
            cadres = sorted(set().union(*cadres_by_pool.values())) if cadres_by_pool else []
    ctx = FactsContext(cadres, on, details)
    ctx.points = points
    criteria = _criteria_of(pools)
    cleaned: dict[int, list] = {}
    by_kind: dict[str, list] = defaultdict(list)
    for p in pools:
        rows = []
        for row in criteria[p.pk]:
            criterion = CRITERIA.get(row.kind)
            params, errors = (criterion.clean(row.params, lookup=False) if criterion else ({}, {"kind": ["?"]}))
            rows.append((row, criterion, params, errors))
            if criterion and not errors:
                by_kind[row.kind].append(params)
        cleaned[p.pk] = rows
    facts = {kind: CRITERIA[kind].load(ctx, plist) if CRITERIA[kind].load else None
             for kind, plist in by_kind.items()}
    blocked, standing_checks = _standing_checks(ctx)
    active_all = None
    out = {}
    for p in pools:
        mine = None if cadres_by_pool is None else cadres_by_pool.get(p.pk)
        if mine is None:
            sub, sub_facts, sub_blocked = ctx, facts, blocked
            if active_all is None:
                active_all = _active_column(ctx)
            active = active_all
        else:
            wanted = np.fromiter(sorted(mine), dtype=np.int64, count=len(mine))
            at, found = ctx.positions(wanted)
            at = at[found]
            remap = np.full(ctx.n, -1, dtype=np.int64)
            remap[at] = np.arange(len(at))
            sub = ctx.subset(at)
            sub_facts = {kind: _facts_subset(f, at, remap) for kind, f in facts.items()}
            sub_blocked = blocked[at]
            active = _active_column(sub)
        columns = []
        passed = sub.active & ~sub_blocked
        for row, criterion, params, errors in cleaned[p.pk]:
            label = str(criterion.label) if criterion else row.kind
            if criterion is None or errors:
                bad = _("条件参数有误，请重新设置 %(mark)s") % {"mark": NO}
                col = _Column(row.kind, label, np.zeros(sub.n, dtype=bool), lambda k: None,
                              [bad] * sub.n if details else None)
            else:
                ok, value, sentences = criterion.test(sub, sub_facts[row.kind], params)
                col = _Column(row.kind, label, ok, value, sentences)
            columns.append(col)
            passed = passed & col.passed
        columns.append(active)
        out[p.pk] = PoolEligibility(p, sub.ids, columns, standing_checks, passed)
    return out


def eligibility(pool, cadres=None, *, on=None, details=True) -> PoolEligibility:
    """The rules of the module's docstring for one pool."""
    return eligibility_many([pool], cadres, on=on, details=details)[pool.pk]
