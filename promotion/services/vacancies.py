"""Vacancies (空缺岗位, 用到哪): the posts with a free place now and the posts whose holder reaches the
statutory retirement age within N months, each with its unit, level and kind, the industry and pool
categories it belongs to, the holder and the day the place frees. The vacancy list, its export, the
API and the candidates page (``matching.py``) call ``vacancies``; nothing restates it.

INTERFACE:

    vacancies(user, *, on=None, months=6, posts=None, unit=None, level=None, kind=None, reason=None,
              industry=None, category=None) -> list[Vacancy]
        ``user``: whose posts (``Post.objects.restrict(user)``: unit leaders their subtree, org staff
        and auditors all); ``posts``: a queryset of posts already filtered (the list's FilterSet)
        instead of ``unit`` (a Unit: its subtree) / ``level`` / ``kind``; ``reason``: "free" or
        "retiring" (None: both); ``industry`` / ``category``: ids (or objects) to keep only the
        posts that belong to them. Sorted by the day the place frees, then the unit tree, then the
        post's level (high first).

    post_industries(units) -> {unit id: [Industry]}, post_categories() -> {level: [PoolCategory]}
        how a post maps to industries and pool categories (the rules 3–4 below), for a few units or all.

THE RULES (``on``: the day asked about, today by default):

1. 有空缺 ``free``: a post's places are ``cadres.selectors.post_limit`` (its quota, 职数; 1 for a chief
   post) minus the appointments in force on ``on`` (``posts_with_usage``: the roster's one count);
   a post with at least one place left is listed once, with the number of places, freeing on ``on``.
2. 即将到龄 ``retiring``: each holder of a post (an appointment in force on ``on``) whose day of
   statutory retirement (``retirement.retirement_many``: 男 60 → 63, 女干部 55 → 58 by the 2025
   reform's schedule, 县处级及以上女干部 60) falls no later than ``months`` months after ``on`` is one
   row, freeing on that day (a holder already past it: freeing at once, marked 已到龄). Both rules
   may list one post (a quota of 3 with one place free and one holder retiring: two rows).
3. 行业 (industry): the industries listing the post's unit or its nearest ancestor listed in any
   industry (``Industry.units``, active industries only): a unit's own listing wins over an
   ancestor's. None listed: no industry.
4. 储备类别 (pool category): the active categories whose ``target_level`` is the post's level.

QUERIES: the posts with a free place (1), the holders near retirement (1), their units (1), the
industries (2) and the categories (1), the holder counts of the retiring rows' posts (1), whatever
the number of posts or cadres (``bench/vacancy.py``: 100,000 cadres, 14,400 posts; the figures are in
docs/architecture.md).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadres.models import Appointment, CadreStatus, Post, PostKind, PostLevel, Unit
from cadres.selectors import posts_with_usage
from pingdingshan.core import permissions as gate
from pingdingshan.core.dates import in_force_q, today

from ..models import Industry, PoolCategory, Selection, SelectionKind, SelectionPost
from . import selection as sel
from .retirement import MEN, WOMEN_CADRES, Retirement, held_level, retirement_many

REASON_FREE, REASON_RETIRING = "free", "retiring"
REASONS = ((REASON_FREE, gettext_lazy("有空缺")), (REASON_RETIRING, gettext_lazy("即将到龄退休")))
REASON_LABELS = dict(REASONS)
DEFAULT_MONTHS = 6
MAX_MONTHS = 60
STEP = 4  # the unit tree's path characters per level (treebeard, ``Unit.steplen``)
YOUNGEST_AGE_MONTHS = min(MEN[0], WOMEN_CADRES[0])  # nobody retires younger: the holders' SQL bound


@dataclass
class Vacancy:
    post_id: int
    post_name: str
    unit_id: int
    unit_name: str
    unit_path: str
    level: int
    kind: str
    is_chief: bool
    limit: int  # places (职数; 1 for a chief post)
    used: int  # holders in force on the day asked about
    reason: str  # REASON_FREE or REASON_RETIRING
    free_on: dt.date  # the day the place frees
    places: int = 1  # free places (rule 1) or 1 (rule 2)
    holder_id: int | None = None
    holder_name: str = ""
    retirement: Retirement | None = None
    overdue: bool = False  # the holder is past the retirement day already
    industries: list = field(default_factory=list)  # [Industry]
    categories: list = field(default_factory=list)  # [PoolCategory]

    @property
    def key(self) -> str:
        """One row's id in the list and the API: the post, the reason and the holder."""
        return f"{self.post_id}-{self.reason}-{self.holder_id or 0}"

    @property
    def reason_label(self) -> str:
        return str(REASON_LABELS[self.reason])

    @property
    def level_label(self) -> str:
        return str(PostLevel(self.level).label)

    @property
    def kind_label(self) -> str:
        try:
            return str(PostKind(self.kind).label)
        except ValueError:
            return self.kind

    @property
    def industry_names(self) -> str:
        return "、".join(i.name for i in self.industries)

    @property
    def category_names(self) -> str:
        return "、".join(c.name for c in self.categories)

    @property
    def sentence(self) -> str:
        """Why the place is (or will be) free, in words."""
        if self.reason == REASON_FREE:
            return _("“%(post)s”职数%(q)d名，%(day)s在任%(h)d名，空缺%(n)d名。") % {
                "post": self.post_name, "q": self.limit, "day": self.free_on.isoformat(), "h": self.used,
                "n": self.places}
        head = _("现任%(name)s：") % {"name": self.holder_name}
        if self.overdue:
            head += _("已到龄，")
        return head + (self.retirement.sentence if self.retirement else "")


def _id(value):
    return getattr(value, "pk", value)


def post_categories() -> dict[int, list]:
    """{post level: [active PoolCategory targeting it]} (rule 4)."""
    out: dict[int, list] = {}
    for c in PoolCategory.objects.filter(is_active=True, target_level__isnull=False).order_by("order", "id"):
        out.setdefault(c.target_level, []).append(c)
    return out


class IndustryMap:
    """Rule 3: the industries of a unit by its path (the nearest listed unit wins); one query."""

    def __init__(self):
        self.by_path: dict[str, list] = {}
        industries = {i.pk: i for i in Industry.objects.filter(is_active=True)}
        rows = Industry.units.through.objects.filter(industry__is_active=True).values_list(
            "industry_id", "unit__path").order_by("industry__order", "industry_id")
        for industry_id, path in rows:
            self.by_path.setdefault(path, []).append(industries[industry_id])
        self._cache: dict[str, list] = {}

    def of(self, path: str) -> list:
        if not self.by_path:
            return []
        hit = self._cache.get(path)
        if hit is None:
            hit = []
            for end in range(len(path), 0, -STEP):
                found = self.by_path.get(path[:end])
                if found:
                    hit = found
                    break
            self._cache[path] = hit
        return hit


def post_industries(units) -> dict[int, list]:
    """{unit id: [Industry]} for ``units`` (Unit objects or a queryset) by rule 3."""
    mapping = IndustryMap()
    return {u.pk: mapping.of(u.path) for u in units}


def posts_for(user, *, unit=None, level=None, kind=None):
    """The posts the user sees, narrowed by unit subtree, level and kind (the API's and tests' path;
    the list page passes its FilterSet's queryset instead)."""
    qs = Post.objects.restrict(user, "view")
    if unit is not None:
        unit = unit if isinstance(unit, Unit) else Unit.objects.get(pk=unit)
        qs = qs.filter(unit__path__startswith=unit.path)
    if level:
        qs = qs.filter(level=int(level))
    if kind:
        qs = qs.filter(kind=kind)
    return qs


POST_VALUES = ("id", "name", "unit_id", "level", "kind", "is_chief", "order")  # the units' names and paths:
# one small query after (joining them into the grouped query cost more than the query itself)


def vacancies(user, *, on: dt.date | None = None, months: int = DEFAULT_MONTHS, posts=None, unit=None, level=None,
              kind=None, reason: str | None = None, industry=None, category=None) -> list[Vacancy]:
    on = on or today()
    months = max(0, min(int(months if months is not None else DEFAULT_MONTHS), MAX_MONTHS))
    horizon = on + relativedelta(months=months)
    if posts is None:
        posts = posts_for(user, unit=unit, level=level, kind=kind)
    else:
        posts = posts & Post.objects.restrict(user, "view")
    industries, categories = IndustryMap(), post_categories()
    industry_id, category_id = _id(industry), _id(category)
    if category_id:
        wanted = {lv for lv, cats in categories.items() if any(c.pk == int(category_id) for c in cats)}
        posts = posts.filter(level__in=wanted)
    out: list[Vacancy] = []
    if reason in (None, "", REASON_FREE):
        rows = (posts_with_usage(user=user, posts=posts.order_by(), on=on).filter(free__gt=0)
                .values(*POST_VALUES, "limit", "used", "free"))
        for r in rows:
            out.append(_row(r, REASON_FREE, on, places=r["free"]))
    if reason in (None, "", REASON_RETIRING):
        born_by = horizon - relativedelta(months=YOUNGEST_AGE_MONTHS)
        holders = list(
            Appointment.objects.filter(in_force_q(on), post__in=posts.order_by().values("pk"),
                                       cadre__birth_date__lte=born_by, cadre__status=CadreStatus.ACTIVE)
            .annotate(held_level=held_level())
            .values_list("post_id", "post__name", "post__unit_id", "post__level", "post__kind", "post__is_chief",
                         "post__quota", "post__order", "cadre_id", "cadre__name", "cadre__birth_date",
                         "cadre__gender", "held_level"))
        if holders:
            births = np.array([h[10] for h in holders], dtype="datetime64[D]")
            levels = np.array([h[12] if h[12] is not None else h[3] for h in holders], dtype=np.int64)
            age, when, group, delay = retirement_many(births, [h[11] for h in holders], levels)
            due = when <= np.datetime64(horizon)
            for i in np.flatnonzero(due).tolist():
                h = holders[i]
                day = when[i].astype(dt.date)
                r = {"id": h[0], "name": h[1], "unit_id": h[2], "level": h[3], "kind": h[4], "is_chief": h[5],
                     "order": h[7], "limit": None, "used": None}
                v = _row(r, REASON_RETIRING, max(day, on), holder=(h[8], h[9]),
                         retirement=Retirement(int(age[i]), day, int(group[i]), int(delay[i])))
                v.overdue = day < on
                out.append(v)
    units = {pk: (name, path) for pk, name, path in
             Unit.objects.filter(pk__in={v.unit_id for v in out}).values_list("pk", "name", "path")} if out else {}
    for v in out:
        v.unit_name, v.unit_path = units[v.unit_id]
        v.industries = industries.of(v.unit_path)
        v.categories = categories.get(v.level, [])
    if industry_id:
        out = [v for v in out if any(i.pk == int(industry_id) for i in v.industries)]
    out.sort(key=lambda v: (v.free_on, v.unit_path, -v.level, v.reason != REASON_FREE, v.post_id, v.holder_id or 0))
    if any(v.used is None for v in out):  # the retiring rows' places and holders (rule 1's count; one query)
        ids = {v.post_id for v in out if v.used is None}
        usage = {pk: (limit, used) for pk, limit, used in
                 posts_with_usage(user=user, posts=Post.objects.filter(pk__in=ids).order_by(), on=on)
                 .values_list("id", "limit", "used")}
        for v in out:
            if v.used is None:
                v.limit, v.used = usage.get(v.post_id, (0, 0))
    return out


def _row(r, reason, free_on, *, places=1, holder=None, retirement=None) -> Vacancy:
    return Vacancy(post_id=r["id"], post_name=r["name"], unit_id=r["unit_id"], unit_name="",
                   unit_path="", level=r["level"], kind=r["kind"], is_chief=r["is_chief"],
                   limit=r["limit"], used=r["used"], reason=reason, free_on=free_on, places=places,
                   holder_id=holder[0] if holder else None, holder_name=holder[1] if holder else "",
                   retirement=retirement)


def post_vacancies(user, post, *, on=None, months=DEFAULT_MONTHS) -> list[Vacancy]:
    """The vacancy rows of one post (the candidates page's header)."""
    return vacancies(user, on=on, months=months, posts=Post.objects.filter(pk=post.pk))


def vacancy_reason_text(rows: list[Vacancy]) -> str:
    """What the selection record's 空缺情况 says of a post's vacancy rows."""
    return "；".join(v.sentence for v in rows)


MAX_TICKED = 50  # candidates ticked at once
REASON_MAX = SelectionPost._meta.get_field("vacancy_reason").max_length


@transaction.atomic
def selection_start(*, by, post: Post, cadres, title: str = "", kind: str = "", on: dt.date | None = None,
                    months: int = DEFAULT_MONTHS) -> Selection:
    """Start a selection record (分析研判和动议) for ``post`` with the ticked ``cadres`` as its first
    candidates (推荐人选), in one transaction: ``selection.selection_create`` then
    ``selection.candidate_add`` for each. Org staff only (gate action ``reserve``). Refused with a
    Chinese message naming the field, nothing saved, when no cadre is ticked, too many are, a cadre is
    not 在职, out of sight or ticked twice."""
    gate.require(by, "reserve")
    gate.ensure(by, "view", post)
    cadres = list(cadres or [])
    problems = {}
    if not cadres:
        problems["cadres"] = [_("请至少勾选一名人选。")]
    elif len(cadres) > MAX_TICKED:
        problems["cadres"] = [_("一次最多勾选%(n)d名人选。") % {"n": MAX_TICKED}]
    elif len({c.pk for c in cadres}) != len(cadres):
        problems["cadres"] = [_("同一人选勾选了两次。")]
    if kind and kind not in SelectionKind.values:
        problems["kind"] = [_("请选择类型。")]
    if problems:
        raise ValidationError(problems)
    for c in cadres:
        gate.ensure(by, "view", c)
    rows = post_vacancies(by, post, on=on, months=months)
    title = (title or "").strip() or _("%(unit)s%(post)s选拔任用") % {"unit": post.unit.name, "post": post.name}
    selection = sel.selection_create(by=by, kind=kind or SelectionKind.INDIVIDUAL, title=title, unit=post.unit,
                                     post=post, vacancy_reason=vacancy_reason_text(rows)[:REASON_MAX])
    target = selection.posts.get()
    for cadre in cadres:
        try:
            sel.candidate_add(by=by, selection=selection, cadre=cadre, target=target)
        except ValidationError as e:
            raise ValidationError({"cadres": [_("%(name)s：%(why)s") % {"name": cadre.name, "why": m}
                                              for m in e.messages]}) from None
    return selection


__all__ = ["DEFAULT_MONTHS", "MAX_MONTHS", "REASONS", "REASON_FREE", "REASON_LABELS", "REASON_RETIRING",
           "IndustryMap", "Vacancy", "post_categories", "post_industries", "post_vacancies", "posts_for",
           "selection_start", "vacancies", "vacancy_reason_text"]
