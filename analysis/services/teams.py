"""Leadership team analysis (班子研判, issue 14): each unit's leadership team, its structure against the
targets org staff set, and its warnings, each with its colour and its sentence.

INTERFACE:

    teams(user, *, units=None, on=None, rules=None) -> list[Team]
        the teams of ``units`` (a Unit queryset; default every unit the user sees,
        ``Unit.objects.restrict(user)``), in unit tree order; only units with at least one team post.
    team(user, unit, *, on=None, rules=None) -> Team
        one unit's team (a unit without team posts gets an empty team: the "no chief" rule fires).
    rules_get() -> TeamRules; rules_save(*, by, **values) -> TeamRules (org staff: gate ``assess``).

WHO IS THE TEAM (班子): the active cadres holding, on ``on``, an appointment in force to a post of the
unit whose kind is a leadership post (``PostKind`` other than 中层正职 / 中层副职: 党政正职, 副职, 党委常委,
政府班子成员, 专职副书记, 常务副职). A cadre on two posts counts once. The chief (一把手) is a holder of a
team post with ``Post.is_chief``.

THE RULES (``RULES``: each one function ``(team, rules) -> Verdict(fired, colour, sentence)``, switched
on or off and given its thresholds by the ``TeamRules`` row):

red (立即处置)
1. ``no_chief``: no holder of a chief post of the unit.
2. ``chief_retiring``: a chief's statutory retirement day (``promotion.services.retirement``) falls no
   later than ``chief_retiring_months`` months after ``on`` (the day exactly that many months before
   it fires; already past: fires).
3. ``bottom``: 实绩比拼. There is no unit-level 实绩比拼 ranking in assessment (its ranks are per
   cadre, inside a tier × category group), so the rule reads: in each of the latest
   ``bottom_periods`` published assessment periods (by end date), the mean composite score of the
   results whose 时任单位 is the unit ranks last among its sibling units (same parent in the unit
   tree; roots among roots) that have results in that period — at least one sibling scoring higher,
   none lower (tied at the bottom counts). Fewer published periods than asked: does not fire.
blue (关注)
4. ``young``: members under ``young_age`` (by age on ``on``) are fewer than ``young_share`` % of the
   team (exactly the share: met).
5. ``ageing``: members reaching the statutory retirement age within ``ageing_years`` years of ``on``
   are at least ``ageing_share`` % of the team (33.33 %: a third; exactly a third fires).
6. ``women``: fewer women than ``women_min``. 7. ``non_party``: fewer members outside the CPC
   (neither 中共党员 nor 预备党员) than ``non_party_min``. A minimum of 0: no target, never fires.
yellow: 8. ``cards``: members with a warning card in force on ``on`` (``assessment.services.standing``).
orange: 9. ``sanctions``: members with a sanction in force (``standing``) or an open tolerance case
   (``ToleranceRuling`` in ``protection.RULING_OPEN``).
Rules 4–9 need members: an empty team fires only rule 1.

A team's colour is its most severe warning's (red, orange, yellow, blue; none: green).

FIGURES: size, chiefs, women, non-Party, young (and their share), mean age and age bands, the team
posts' places (``cadres.selectors.post_limit`` via ``posts_with_usage``), holders and free places
(``promotion.services.vacancies``), members retiring within the rule-5 horizon.

QUERIES: the units (1), the team posts with their use (1), the holders (1), the free places
(``vacancies``: a few), the standings (5), the open rulings (1), the periods and the unit means (3),
whatever the number of units.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from analysis.models import DEFAULTS, TeamRules
from assessment.models import AssessmentPeriod, AssessmentResult, PeriodStatus, ToleranceRuling
from assessment.services.protection import RULING_OPEN
from assessment.services.standing import card_subject, sanction_subject, standing
from cadres.models import Appointment, CadreStatus, Gender, PoliticalStatus, Post, PostKind, Unit
from cadres.selectors import posts_with_usage
from pingdingshan.core import permissions as gate
from pingdingshan.core.dates import in_force_q, today
from pingdingshan.core.services import model_save
from promotion.services.retirement import held_level, retirement_many
from promotion.services.vacancies import REASON_FREE, vacancies

MIDDLE_KINDS = (PostKind.SECTION_CHIEF, PostKind.SECTION_DEPUTY)  # 中层: not the team
RED, ORANGE, YELLOW, BLUE, GREEN = "red", "orange", "yellow", "blue", "green"
SEVERITY = (RED, ORANGE, YELLOW, BLUE)
COLOURS = ((RED, gettext_lazy("红色：立即处置")), (ORANGE, gettext_lazy("橙色：处分或容错在办")),
           (YELLOW, gettext_lazy("黄色：红黄牌在期")), (BLUE, gettext_lazy("蓝色：关注")),
           (GREEN, gettext_lazy("无预警")))
COLOUR_LABELS = dict(COLOURS)
BADGE = {RED: "danger", ORANGE: "orange", YELLOW: "warning", BLUE: "primary", GREEN: "success"}
AGE_BANDS = ((0, 40, "<40"), (40, 50, "40-49"), (50, 55, "50-54"), (55, 200, "≥55"))
STEP = 4  # the unit tree's path characters per level (treebeard)


@dataclass
class Member:
    cadre_id: int
    name: str
    gender: str
    birth_date: dt.date
    political_status: str
    posts: list = field(default_factory=list)  # post names
    is_chief: bool = False
    level: int = 0  # rule 3 level of the retirement age
    age: int = 0
    retires_on: dt.date | None = None
    cards: list = field(default_factory=list)  # sentences
    sanctions: list = field(default_factory=list)
    open_rulings: list = field(default_factory=list)

    @property
    def is_woman(self) -> bool:
        return self.gender == Gender.FEMALE

    @property
    def non_party(self) -> bool:
        return self.political_status not in (PoliticalStatus.CPC, PoliticalStatus.CPC_PROBATIONARY)

    @property
    def post_names(self) -> str:
        return "、".join(self.posts)


@dataclass(frozen=True)
class Verdict:
    fired: bool
    colour: str
    sentence: str


@dataclass
class Warning:
    code: str
    colour: str
    sentence: str

    @property
    def badge(self) -> str:
        return BADGE[self.colour]

    @property
    def colour_label(self) -> str:
        return str(COLOUR_LABELS[self.colour])

    @property
    def label(self) -> str:
        """The rule's short name (年轻干部低于目标), for the city list."""
        return str(RULE_LABELS[self.code])


@dataclass
class Team:
    unit_id: int
    unit_name: str
    unit_path: str
    on: dt.date
    members: list = field(default_factory=list)
    chief_posts: int = 0
    places: int = 0  # the team posts' places (职数; 1 for a chief post)
    used: int = 0  # holders in force
    free: int = 0  # free places (the vacancy list's rule 1)
    bottom: list = field(default_factory=list)  # [(period name, rank, siblings)] of the latest periods
    periods_asked: int = 0
    checks: list = field(default_factory=list)  # [(code, Verdict)] of every enabled rule
    rules: TeamRules | None = None

    @property
    def depth(self) -> int:
        return len(self.unit_path) // STEP

    @property
    def indent(self) -> int:
        return (self.depth - 1) * 1.25

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def chiefs(self) -> list:
        return [m for m in self.members if m.is_chief]

    @property
    def women(self) -> int:
        return sum(m.is_woman for m in self.members)

    @property
    def non_party(self) -> int:
        return sum(m.non_party for m in self.members)

    def young(self, age: int | None = None) -> int:
        age = age if age is not None else (self.rules.young_age if self.rules else DEFAULTS["young_age"])
        return sum(m.age < age for m in self.members)

    @property
    def young_count(self) -> int:
        return self.young()

    @property
    def young_share(self) -> Decimal | None:
        return share(self.young(), self.size)

    @property
    def mean_age(self) -> Decimal | None:
        if not self.members:
            return None
        return (Decimal(sum(m.age for m in self.members)) / self.size).quantize(Decimal("0.1"))

    @property
    def age_bands(self) -> list[tuple[str, int]]:
        return [(label, sum(lo <= m.age < hi for m in self.members)) for lo, hi, label in AGE_BANDS]

    def retiring_within(self, years: int) -> int:
        horizon = self.on + relativedelta(years=years)
        return sum(m.retires_on is not None and m.retires_on <= horizon for m in self.members)

    @property
    def retiring_count(self) -> int:
        return self.retiring_within(self.rules.ageing_years if self.rules else DEFAULTS["ageing_years"])

    @property
    def warnings(self) -> list[Warning]:
        out = [Warning(code, v.colour, v.sentence) for code, v in self.checks if v.fired]
        return sorted(out, key=lambda w: SEVERITY.index(w.colour))

    @property
    def colours(self) -> set[str]:
        return {w.colour for w in self.warnings}

    @property
    def colour(self) -> str:
        return next((c for c in SEVERITY if c in self.colours), GREEN)

    @property
    def colour_label(self) -> str:
        return str(COLOUR_LABELS[self.colour])

    @property
    def badge(self) -> str:
        return BADGE[self.colour]

    def count(self, colour: str) -> int:
        return sum(w.colour == colour for w in self.warnings)

    @property
    def badges(self) -> list[tuple[str, str, int]]:
        """(colour, bootstrap class, number of warnings) of the colours that fired."""
        return [(c, BADGE[c], self.count(c)) for c in SEVERITY if self.count(c)]

    @property
    def warning_text(self) -> str:
        return "；".join(w.sentence for w in self.warnings)


def share(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` in per cent (two decimals, rounded half up: 四舍五入), None for an empty whole."""
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _pct(d) -> str:
    return f"{Decimal(d).normalize():f}"


# --------------------------------------------------------------------------- the rules
def rule_no_chief(t: Team, r: TeamRules) -> Verdict:
    if t.chiefs:
        return Verdict(False, RED, _("正职：%(names)s。") % {"names": "、".join(m.name for m in t.chiefs)})
    if not t.chief_posts:
        return Verdict(True, RED, _("本单位班子未设正职岗位，无正职。"))
    return Verdict(True, RED, _("正职岗位%(n)d个，均无人在任（%(day)s）。") % {"n": t.chief_posts, "day": t.on.isoformat()})


def rule_chief_retiring(t: Team, r: TeamRules) -> Verdict:
    horizon = t.on + relativedelta(months=r.chief_retiring_months)
    due = [m for m in t.chiefs if m.retires_on is not None and m.retires_on <= horizon]
    if due:
        m = min(due, key=lambda x: x.retires_on)
        return Verdict(True, RED, _("正职%(name)s%(day)s达到法定退休年龄，在%(n)d个月内（截至%(h)s）。") % {
            "name": m.name, "day": m.retires_on.isoformat(), "n": r.chief_retiring_months, "h": horizon.isoformat()})
    return Verdict(False, RED, _("正职均不在%(n)d个月内到龄。") % {"n": r.chief_retiring_months})


def rule_bottom(t: Team, r: TeamRules) -> Verdict:
    n = r.bottom_periods
    last = [b for b in t.bottom if b[1] is not None and b[1] == b[2] and b[2] > 1]
    if t.periods_asked >= n and len(t.bottom) >= n and len(last) == n:
        names = "、".join(b[0] for b in t.bottom)
        return Verdict(True, RED, _(
            "实绩比拼连续%(n)d个周期垫底：最近%(n)d个已发布考核周期（%(names)s），"
            "本单位干部综合得分平均分均列同级单位末位。") % {"n": n, "names": names})
    return Verdict(False, RED, _("最近%(n)d个已发布考核周期中，本单位实绩比拼垫底%(k)d次。") % {"n": n, "k": len(last)})


def rule_young(t: Team, r: TeamRules) -> Verdict:
    young = t.young(r.young_age)
    words = {"k": young, "n": t.size, "age": r.young_age, "s": _pct(share(young, t.size) or 0),
             "target": _pct(r.young_share)}
    fired = young * 100 < r.young_share * t.size
    if fired:
        return Verdict(True, BLUE, _("%(age)s岁以下年轻干部%(k)d名，占班子%(n)d人的%(s)s%%，低于目标%(target)s%%。") % words)
    return Verdict(False, BLUE, _("%(age)s岁以下年轻干部%(k)d名，占班子%(n)d人的%(s)s%%，达到目标%(target)s%%。") % words)


def rule_ageing(t: Team, r: TeamRules) -> Verdict:
    k = t.retiring_within(r.ageing_years)
    words = {"k": k, "n": t.size, "y": r.ageing_years, "s": _pct(share(k, t.size) or 0), "limit": _pct(r.ageing_share)}
    if k * 100 >= r.ageing_share * t.size and k:
        return Verdict(True, BLUE, _("%(y)d年内到龄%(k)d名，占班子%(n)d人的%(s)s%%，达到%(limit)s%%。") % words)
    return Verdict(False, BLUE, _("%(y)d年内到龄%(k)d名，占班子%(n)d人的%(s)s%%。") % words)


def rule_women(t: Team, r: TeamRules) -> Verdict:
    words = {"k": t.women, "min": r.women_min}
    if t.women < r.women_min:
        return Verdict(True, BLUE, _("女干部%(k)d名，少于目标%(min)d名。") % words)
    return Verdict(False, BLUE, _("女干部%(k)d名，达到目标%(min)d名。") % words)


def rule_non_party(t: Team, r: TeamRules) -> Verdict:
    words = {"k": t.non_party, "min": r.non_party_min}
    if t.non_party < r.non_party_min:
        return Verdict(True, BLUE, _("党外干部%(k)d名，少于目标%(min)d名。") % words)
    return Verdict(False, BLUE, _("党外干部%(k)d名，达到目标%(min)d名。") % words)


def rule_cards(t: Team, r: TeamRules) -> Verdict:
    hit = [m for m in t.members if m.cards]
    if hit:
        return Verdict(True, YELLOW, _("%(k)d名成员有在期红黄牌：%(names)s。") % {
            "k": len(hit), "names": "、".join(m.name for m in hit)})
    return Verdict(False, YELLOW, _("无在期红黄牌。"))


def rule_sanctions(t: Team, r: TeamRules) -> Verdict:
    sanctioned = [m for m in t.members if m.sanctions]
    open_cases = [m for m in t.members if m.open_rulings]
    if sanctioned or open_cases:
        return Verdict(True, ORANGE, _("受处分%(s)d名（%(sn)s），容错申请在办%(o)d名（%(on)s）。") % {
            "s": len(sanctioned), "sn": "、".join(m.name for m in sanctioned) or "—",
            "o": len(open_cases), "on": "、".join(m.name for m in open_cases) or "—"})
    return Verdict(False, ORANGE, _("无在期处分，无在办容错申请。"))


@dataclass(frozen=True)
class Rule:
    code: str
    colour: str
    label: object
    check: object  # (Team, TeamRules) -> Verdict
    switch: str  # the TeamRules field that turns it on
    needs_members: bool = True


RULES = (
    Rule("no_chief", RED, gettext_lazy("无正职"), rule_no_chief, "no_chief_on", needs_members=False),
    Rule("chief_retiring", RED, gettext_lazy("正职即将到龄"), rule_chief_retiring, "chief_retiring_on"),
    Rule("bottom", RED, gettext_lazy("实绩比拼连续垫底"), rule_bottom, "bottom_on", needs_members=False),
    Rule("young", BLUE, gettext_lazy("年轻干部低于目标"), rule_young, "young_on"),
    Rule("ageing", BLUE, gettext_lazy("班子集中到龄"), rule_ageing, "ageing_on"),
    Rule("women", BLUE, gettext_lazy("女干部未达目标"), rule_women, "women_on"),
    Rule("non_party", BLUE, gettext_lazy("党外干部未达目标"), rule_non_party, "non_party_on"),
    Rule("cards", YELLOW, gettext_lazy("红黄牌在期"), rule_cards, "cards_on"),
    Rule("sanctions", ORANGE, gettext_lazy("处分或容错在办"), rule_sanctions, "sanctions_on"),
)
RULE_LABELS = {r.code: r.label for r in RULES}


def check(t: Team, r: TeamRules) -> list[tuple[str, Verdict]]:
    out = []
    for rule in RULES:
        if not getattr(r, rule.switch):
            continue
        if rule.needs_members and not t.members:
            continue
        out.append((rule.code, rule.check(t, r)))
    return out


# --------------------------------------------------------------------------- settings
FIELDS = tuple(DEFAULTS)


def rules_get() -> TeamRules:
    row = TeamRules.objects.filter(pk=1).first()
    return row if row is not None else TeamRules(pk=1, **DEFAULTS)


@transaction.atomic
def rules_save(*, by, **values) -> TeamRules:
    """Save the rules and targets (org staff, gate ``assess``): every problem at once, nothing saved
    on any; audited (simple-history)."""
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise TypeError(f"fields {sorted(unknown)!r} may not be set here")
    gate.require(by, "assess")
    row = TeamRules.objects.select_for_update().filter(pk=1).first() or TeamRules(pk=1, **DEFAULTS)
    for f, v in values.items():
        setattr(row, f, v)
    row.updated_by = by
    return model_save(row, by=by)


def rules_changes(limit: int = 10) -> list:
    return list(TeamRules.history.select_related("history_user").order_by("-history_date")[:limit])


# --------------------------------------------------------------------------- evaluation
def _bottom(teams: dict[int, Team], n: int) -> None:
    """Rule 3's facts: for each team, its rank among its siblings by the mean composite of the
    latest ``n`` published periods (two queries for the periods and means, one for the paths)."""
    periods = list(AssessmentPeriod.objects.filter(status=PeriodStatus.PUBLISHED)
                   .order_by("-end_date", "-id").values_list("id", "name")[:n])
    for t in teams.values():
        t.periods_asked = len(periods)
    if not periods or not teams:
        return
    rows = list(AssessmentResult.objects.filter(period_id__in=[p for p, _n in periods], composite__isnull=False)
                .order_by().values_list("period_id", "unit_id").annotate(mean=Avg("composite")))
    paths = dict(Unit.objects.filter(pk__in={u for _p, u, _m in rows}).values_list("pk", "path"))
    by_period: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for period_id, unit_id, mean in rows:
        path = paths[unit_id]
        by_period[period_id][path[:-STEP]].append((mean, unit_id))
    for period_id, name in periods:
        groups = by_period.get(period_id, {})
        for t in teams.values():
            sib = groups.get(t.unit_path[:-STEP], [])
            mine = next((m for m, u in sib if u == t.unit_id), None)
            if mine is None:
                t.bottom.append((name, None, len(sib)))
                continue
            lower = sum(m < mine for m, _u in sib)
            higher = sum(m > mine for m, _u in sib)
            rank = len(sib) if (lower == 0 and higher > 0) else 1 + higher
            t.bottom.append((name, rank, len(sib)))


def evaluate(user, units, *, on: dt.date | None = None, rules: TeamRules | None = None,
             keep_empty: bool = False) -> list[Team]:
    on = on or today()
    rules = rules or rules_get()
    unit_rows = list(units.order_by("path").values_list("pk", "name", "path"))
    posts = Post.objects.filter(unit__in=[u for u, _n, _p in unit_rows]).exclude(kind__in=MIDDLE_KINDS)
    usage = list(posts_with_usage(user=user, posts=posts, on=on).order_by()
                 .values_list("id", "unit_id", "is_chief", "limit", "used", "free"))
    with_posts = {u for _i, u, *_rest in usage}
    teams = {pk: Team(unit_id=pk, unit_name=name, unit_path=path, on=on, rules=rules)
             for pk, name, path in unit_rows if keep_empty or pk in with_posts}
    for _pid, unit_id, is_chief, limit, used, _free in usage:
        t = teams[unit_id]
        t.places += limit
        t.used += used
        t.chief_posts += bool(is_chief)
    for v in vacancies(user, on=on, posts=posts.filter(unit__in=list(teams)), reason=REASON_FREE):
        teams[v.unit_id].free += v.places
    holders = list(
        Appointment.objects.filter(in_force_q(on), post__in=posts.filter(unit__in=list(teams)),
                                   cadre__status=CadreStatus.ACTIVE)
        .annotate(held_level=held_level())
        .order_by("post__unit__path", "-post__is_chief", "-post__level", "post__order", "post_id")
        .values_list("post__unit_id", "post__name", "post__is_chief", "cadre_id", "cadre__name", "cadre__gender",
                     "cadre__birth_date", "cadre__political_status", "held_level"))
    members: dict[tuple[int, int], Member] = {}
    for unit_id, post_name, is_chief, cid, name, gender, birth, political, level in holders:
        m = members.get((unit_id, cid))
        if m is None:
            m = members[(unit_id, cid)] = Member(cid, name, gender, birth, political)
            teams[unit_id].members.append(m)
        m.posts.append(post_name)
        m.is_chief = m.is_chief or is_chief
        m.level = max(m.level, level or 0)
    everyone = list(members.values())
    if everyone:
        _age, when, _g, _d = retirement_many(np.array([m.birth_date for m in everyone], dtype="datetime64[D]"),
                                             [m.gender for m in everyone], [m.level for m in everyone])
        for m, day in zip(everyone, when.tolist(), strict=True):
            m.retires_on = day
            b = m.birth_date
            m.age = on.year - b.year - ((on.month, on.day) < (b.month, b.day))
        ids = sorted({m.cadre_id for m in everyone})
        standings = standing(ids, on=on)
        open_rulings = defaultdict(list)
        for cid, matter in ToleranceRuling.objects.filter(cadre_id__in=ids, status__in=RULING_OPEN).values_list(
                "cadre_id", "matter"):
            open_rulings[cid].append(matter)
        for m in everyone:
            s = standings[m.cadre_id]
            m.cards = [card_subject(c) for c in s.cards]
            m.sanctions = [sanction_subject(x) for x in s.sanctions]
            m.open_rulings = open_rulings.get(m.cadre_id, [])
    if rules.bottom_on:
        _bottom(teams, rules.bottom_periods)
    for t in teams.values():
        t.checks = check(t, rules)
    return list(teams.values())


def teams(user, *, units=None, on=None, rules=None) -> list[Team]:
    units = Unit.objects.restrict(user, "view") if units is None else units & Unit.objects.restrict(user, "view")
    return evaluate(user, units, on=on, rules=rules)


def team(user, unit, *, on=None, rules=None) -> Team:
    return evaluate(user, Unit.objects.restrict(user, "view").filter(pk=unit.pk), on=on, rules=rules,
                    keep_empty=True)[0]


def subtree(unit) -> object:
    return Unit.objects.filter(path__startswith=unit.path)


def validation_problems(values: dict) -> dict:
    """{field: [message]} of values the rules form or the API sends (via the model's validators)."""
    row = TeamRules(pk=1, **{**DEFAULTS, **values})
    try:
        row.full_clean(exclude=["updated_by"])
    except ValidationError as e:
        return e.message_dict
    return {}
