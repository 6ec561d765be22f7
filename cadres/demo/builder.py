"""Builds the demo city for ``manage.py seed_demo``.

Units are created one by one through treebeard; posts, rank quotas, cadres and everything hanging off
a cadre are bulk-inserted with their audit history (``bulk_create_audited``), in batches, so that
100,000 cadres load in a few minutes. The caller wraps the build in ``acting_as(user)`` and a
transaction.

Rules are kept by construction rather than by calling the per-row services (too slow for bulk):
- every post has ``quota`` seats; each seat holds a list of non-overlapping appointments, filled
  backwards in time (``Seat.free_before``), so no post ever has more people in office at once than
  its quota and a chief post (quota 1) never has two overlapping holders;
- part of the 乡科级 holders held another post at their level just before (交流任职, ``_lateral_stints``:
  in their unit or in a unit of the same county-level area built before, through the same seats), so
  the selection rules' 下一级职位任职经历 (two posts at the level below) is met by some; a cadre holds
  one post at a time, and the résumé (``CareerEntry``) has a line for each appointment of theirs;
- a unit's active cadres take a rank only while the unit's rank quota (``RankQuota``) has room;
- ``current_post`` / ``current_rank`` / ``name_initials`` / ``highest_education`` are filled with
  the same functions and meaning as ``cadres.services``;
- ID numbers are valid, match birth date and gender, and are unique (a set of used numbers).

Deterministic: every choice comes from ``random.Random`` seeded with ``data.SEED`` (one generator per
unit, seeded with the seed and the unit's code, so editing one unit's data does not reshuffle the
others) and dates are computed against the fixed ``data.AS_OF``.
"""
import calendar
import datetime as dt
import math
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import reset_queries
from django.utils.translation import gettext as _

from cadres import idcard
from cadres.models import (
    Appointment,
    Cadre,
    CadreStatus,
    CareerEntry,
    PoliticalStatus,
    Post,
    Rank,
    RankHistory,
    RankQuota,
    Tag,
    Training,
    Unit,
    UnitKind,
    UnitLevel,
)
from cadres.services import highest_education, name_initials
from pingdingshan.core import dates
from pingdingshan.core.audit import bulk_create_audited

from . import data as D

DAY = dt.timedelta(days=1)
FAR = dt.date.max
ACTIVE, RETIRED, TRANSFERRED = CadreStatus.ACTIVE, CadreStatus.RETIRED, CadreStatus.TRANSFERRED

# Age (at AS_OF) of the holder of a post of each level: (low, high, mode); None = staff without a post.
AGES = {6: (52, 58, 55), 5: (46, 57, 52), 4: (42, 56, 50), 3: (36, 55, 47), 2: (30, 54, 43), 1: (27, 50, 37),
        None: (23, 59, 38)}
FEMALE_SHARE = {6: 0.1, 5: 0.15, 4: 0.12, 3: 0.2, 2: 0.22, 1: 0.3, None: 0.42}
# Years of work before someone usually reaches a post of each level.
MIN_SERVICE = {1: 3, 2: 6, 3: 10, 4: 14, 5: 18, 6: 22}
# Staff rank by years of service (at least that many years → rank order).
STAFF_RANKS = [(27, 4), (22, 5), (17, 6), (13, 7), (9, 8), (6, 9), (3, 10), (1, 11), (0, 12)]
# Highest education (EducationLevel) → (age when the studies start, years of study).
STUDIES = {5: (18, 7), 4: (18, 4), 3: (18, 3), 2: (15, 3), 1: (15, 3)}


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def first_of_next_month(day: dt.date) -> dt.date:
    last = calendar.monthrange(day.year, day.month)[1]
    return day.replace(day=last) + DAY


def weighted(rng: random.Random, pairs):
    """Pick one value from ``pairs`` = ([values], [weights]) (as made by ``_split``)."""
    values, weights = pairs
    return rng.choices(values, weights)[0]


def _split(pairs):
    """[(value, weight), …] → ([values], [weights])."""
    return [v for v, _w in pairs], [w for _v, w in pairs]


@dataclass(eq=False)
class PostSpec:
    name: str
    kind: str
    level: int
    quota: int
    is_chief: bool
    order: int
    obj: Post | None = None


@dataclass(eq=False)
class Seat:
    """One of a post's ``quota`` places. Its appointments never overlap: each new one ends before
    ``free_before``, the start of the earliest appointment already placed in it."""

    post: PostSpec
    free_before: dt.date = FAR


@dataclass(eq=False)
class UnitSpec:
    code: str
    name: str
    short_name: str
    level: str
    kind: str
    base_establishment: int
    parent: "UnitSpec | None"
    display: str  # the name written in résumés: 宝丰县周庄镇, 平顶山市财政局
    appoint_doc: str  # prefix of the documents appointing its leaders: 平 (city-managed) or 宝 (county-managed)
    id_areas: tuple  # ([area codes], [weights])
    rank_scheme: str | None  # "city" / "grassroots" / None (no civil-service ranks)
    group: str  # the county-level area it belongs to ("city" for city-level units)
    posts: list
    ladder: str = "dept"
    headcount: int = 0
    establishment: int = 0
    rank_room: dict = field(default_factory=dict)
    obj: Unit | None = None

    def post_title(self, post_name: str) -> str:
        """宝丰县 + 县委书记 → 宝丰县委书记; 平顶山市教育局 + 局长 → 平顶山市教育局长."""
        if self.display and post_name and self.display[-1] == post_name[0]:
            return self.display + post_name[1:]
        return self.display + post_name


@dataclass(eq=False)
class Person:
    cadre: Cadre
    level: int | None
    status: str
    leave: dt.date | None
    work_start: dt.date
    school: tuple | None  # (start, end, description)
    army: tuple | None
    veteran: bool = False
    current: tuple | None = None  # (PostSpec, start)
    previous: tuple | None = None  # (PostSpec, start, end) an earlier post in the same unit
    lateral: tuple | None = None  # (UnitSpec, PostSpec, start, end) an earlier post at the same level (交流任职)
    appointments: list = field(default_factory=list)
    ranks: list = field(default_factory=list)
    career: list = field(default_factory=list)
    trainings: list = field(default_factory=list)
    tags: list = field(default_factory=list)


def _posts(rows):
    return [PostSpec(name, kind, level, quota, chief, i) for i, (name, kind, level, quota, chief) in enumerate(rows)]


def _township_kind(name: str) -> str:
    if name.endswith("街道"):
        return UnitKind.SUBDISTRICT
    if name.endswith("镇"):
        return UnitKind.TOWN
    if name.endswith("乡"):
        return UnitKind.TOWNSHIP
    return UnitKind.ZONE


def plan_units() -> list[UnitSpec]:
    """The unit tree as specs, parents before children (the order they are created in)."""
    city_areas = _split(D.CITY_ID_AREAS)
    root = UnitSpec(
        code=D.ROOT_CODE, name="平顶山市", short_name="平顶山", level=UnitLevel.CITY, kind=UnitKind.CITY,
        base_establishment=20, parent=None, display="平顶山市", appoint_doc="平", id_areas=city_areas,
        rank_scheme="city", group="city", posts=_posts(D.CITY_POSTS))
    specs = [root]
    for i, (name, short, kind, est, chief, deputy, deputies, sections) in enumerate(D.CITY_DEPARTMENTS, 1):
        posts = D.department_posts(chief, deputy, deputies, sections, level=4,
                                   executive=name in D.EXECUTIVE_DEPUTY_DEPARTMENTS)
        specs.append(UnitSpec(
            code=f"{D.ROOT_CODE}D{i:02d}", name=name, short_name=short, level=UnitLevel.CITY, kind=kind,
            base_establishment=est, parent=root, display="平顶山" + name, appoint_doc="平", id_areas=city_areas,
            rank_scheme="city", group="city", posts=_posts(posts)))
    letters = {"institution": "S", "enterprise": "Q"}
    counters = defaultdict(int)
    for name, short, kind, est, posts in D.CITY_INSTITUTIONS:
        counters[kind] += 1
        specs.append(UnitSpec(
            code=f"{D.ROOT_CODE}{letters[kind]}{counters[kind]:02d}", name=name, short_name=short,
            level=UnitLevel.CITY, kind=kind, base_establishment=est, parent=root, display=name, appoint_doc="平",
            id_areas=city_areas, rank_scheme=None, group="city", posts=_posts(posts)))

    by_code = {}
    for c in D.COUNTIES:
        county = UnitSpec(
            code=c["code"], name=c["name"], short_name=c["short"], level=UnitLevel.COUNTY, kind=c["kind"],
            base_establishment=D.COUNTY_ESTABLISHMENT, parent=root, display=c["name"], appoint_doc="平",
            id_areas=([c["code"]], [1]), rank_scheme="city", group=c["code"], posts=_posts(D.county_posts(c["p"])))
        specs.append(county)
        by_code[c["code"]] = county
        for i, (suffix, short, chief, deputy, deputies, est) in enumerate(D.COUNTY_DEPARTMENTS, 1):
            specs.append(UnitSpec(
                code=f"{c['code']}D{i:02d}", name=c["name"] + suffix, short_name=short, level=UnitLevel.COUNTY,
                kind=UnitKind.COUNTY_DEPT, base_establishment=est, parent=county, display=c["name"] + suffix,
                appoint_doc=c["doc"], id_areas=county.id_areas, rank_scheme="grassroots", group=c["code"],
                posts=_posts(D.department_posts(chief, deputy, deputies, 0, level=2))))
    for z in D.ZONES:
        zone = UnitSpec(
            code=z["code"], name=z["name"], short_name=z["short"], level=UnitLevel.COUNTY, kind=UnitKind.ZONE,
            base_establishment=D.COUNTY_ESTABLISHMENT, parent=root, display=z["name"], appoint_doc="平",
            id_areas=(list(z["id_areas"]), [1] * len(z["id_areas"])), rank_scheme="city", group=z["code"],
            posts=_posts(D.ZONE_POSTS))
        specs.append(zone)
        by_code[z["code"]] = zone
        for i, (suffix, chief, deputy, deputies, est) in enumerate(D.ZONE_DEPARTMENTS, 1):
            specs.append(UnitSpec(
                code=f"{z['code']}D{i:02d}", name=z["short"] + suffix, short_name=suffix, level=UnitLevel.COUNTY,
                kind=UnitKind.COUNTY_DEPT, base_establishment=est, parent=zone, display=z["short"] + suffix,
                appoint_doc=z["doc"], id_areas=zone.id_areas, rank_scheme="grassroots", group=z["code"],
                posts=_posts(D.department_posts(chief, deputy, deputies, 0, level=2))))
    zone_docs = {z["code"]: z["doc"] for z in D.ZONES}
    first_code = {UnitKind.SUBDISTRICT: 1, UnitKind.TOWN: 100, UnitKind.TOWNSHIP: 200, UnitKind.ZONE: 400}
    for c in D.COUNTIES:
        county = by_code[c["code"]]
        counters = defaultdict(int)
        for name in c["townships"]:
            kind = _township_kind(name)
            code = f"{c['code']}{first_code[kind] + counters[kind]:03d}"
            counters[kind] += 1
            parent = by_code[D.ZONE_MANAGED[(c["code"], name)]] if (c["code"], name) in D.ZONE_MANAGED else county
            short = name.removesuffix("街道").removesuffix("镇").removesuffix("乡") if kind != UnitKind.ZONE else name[:3]
            specs.append(UnitSpec(
                code=code, name=name, short_name=short, level=UnitLevel.TOWNSHIP, kind=kind,
                base_establishment=D.TOWNSHIP_ESTABLISHMENT[kind], parent=parent, display=c["name"] + name,
                appoint_doc=zone_docs.get(parent.code, c["doc"]),
                id_areas=([c["code"]], [1]), rank_scheme="grassroots", group=parent.code,
                posts=_posts(D.township_posts(kind)), ladder=kind if kind != UnitKind.ZONE else "dept"))
    return specs


def allocate(specs: list[UnitSpec], total: int) -> None:
    """Share ``total`` cadres among the units in proportion to their establishment (largest remainder),
    then size each unit's establishment and rank quotas to fit its headcount."""
    weights = [s.base_establishment for s in specs]
    whole = sum(weights)
    shares = [total * w / whole for w in weights]
    counts = [int(x) for x in shares]
    left = total - sum(counts)
    by_remainder = sorted(range(len(specs)), key=lambda i: (-(shares[i] - counts[i]), i))
    for i in by_remainder[:left]:
        counts[i] += 1
    for spec, n in zip(specs, counts, strict=True):
        spec.headcount = n
        spec.establishment = max(spec.base_establishment, math.ceil(n * 1.15))
        room = {}
        if spec.rank_scheme:
            for order, share in D.RANK_SHARES[spec.rank_scheme].items():
                q = int(spec.establishment * share + 0.5)
                if q:
                    room[order] = q
            if spec.parent is None:
                room.update(D.ROOT_RANK_QUOTAS)
        spec.rank_room = room


class DemoBuilder:
    def __init__(self, *, cadres: int, by, log=None, batch_size: int = 5000, as_of: dt.date | None = None):
        self.total = cadres
        self.by = by
        self.log = log or (lambda msg: None)
        self.batch_size = batch_size
        self.as_of = as_of or min(dates.today(), D.AS_OF)
        self.used_ids: set[str] = set()
        self.initials: dict[str, str] = {}
        self.doc_numbers: dict[tuple, int] = defaultdict(int)
        self.buffer: list[Person] = []
        # the seats of the units generated so far, by (group, level): where lateral moves come from
        self.lateral_seats: dict[tuple, list] = defaultdict(list)
        self.counts = defaultdict(int)
        self.surnames = _split(D.SURNAMES)
        self.tables = {name: _split(getattr(D, name)) for name in (
            "UNIVERSITIES", "COLLEGES", "SECONDARY_SCHOOLS", "HIGH_SCHOOLS", "INSERVICE_SCHOOLS", "MAJORS",
            "INSERVICE_MAJORS", "OTHER_ETHNICITIES")}
        self.started = time.perf_counter()

    # ------------------------------------------------------------------ the whole run
    def build(self) -> dict:
        specs = plan_units()
        allocate(specs, self.total)
        self.prepare(specs, Rank.objects.all())
        if Cadre.objects.exists():
            self.used_ids.update(n[:17] for n in Cadre.objects.values_list("id_number", flat=True))
        self._create_units(specs)
        self._create_posts(specs)
        self._create_rank_quotas(specs)
        self.tag_ids = self._ensure_tags()
        for spec in specs:
            self._generate_unit(spec)
            if len(self.buffer) >= self.batch_size:
                self._flush()
        self._flush()
        return dict(self.counts)

    def prepare(self, specs: list[UnitSpec], ranks) -> None:
        """Reference data the generator needs: the twelve ranks and the places for earlier résumé lines."""
        ranks = {r.order: r for r in ranks}
        missing = set(range(1, 13)) - set(ranks)
        if missing:
            raise RuntimeError(f"rank grades missing (orders {sorted(missing)}): run the migrations first")
        self.ranks = ranks
        self.min_years = {order: r.min_years_from_below for order, r in ranks.items()}
        self.displays = defaultdict(list)
        leadership_kinds = {UnitKind.CITY, UnitKind.COUNTY, UnitKind.DISTRICT, UnitKind.COUNTY_CITY}
        for s in specs:  # earlier résumé lines are set in departments and townships, not leadership bodies
            if s.rank_scheme and s.kind not in leadership_kinds and not (
                    s.kind == UnitKind.ZONE and s.level == UnitLevel.COUNTY):
                self.displays[s.group].append((s.display, s.ladder))
        self.all_groups = sorted(self.displays)

    def _elapsed(self) -> str:
        return f"{time.perf_counter() - self.started:.1f}"

    def _create_units(self, specs):
        for spec in specs:
            unit = Unit(code=spec.code, name=spec.name, short_name=spec.short_name, level=spec.level, kind=spec.kind,
                        establishment=spec.establishment)
            if spec.parent is None:
                spec.obj = Unit.objects.add_root(instance=unit)
            else:
                spec.obj = Unit.objects.add_child(spec.parent.obj, instance=unit)
        self.counts["units"] = len(specs)
        self.log(_("单位：%(n)s 个（%(s)s 秒）") % {"n": len(specs), "s": self._elapsed()})

    def _create_posts(self, specs):
        posts = []
        for spec in specs:
            for p in spec.posts:
                p.obj = Post(unit=spec.obj, name=p.name, kind=p.kind, level=p.level, quota=p.quota,
                             is_chief=p.is_chief, order=p.order)
                posts.append(p.obj)
        bulk_create_audited(Post, posts, by=self.by)
        self.counts["posts"] = len(posts)
        self.log(_("职务岗位：%(n)s 个（%(s)s 秒）") % {"n": len(posts), "s": self._elapsed()})

    def _create_rank_quotas(self, specs):
        quotas = [RankQuota(unit=spec.obj, rank=self.ranks[order], quota=q)
                  for spec in specs for order, q in sorted(spec.rank_room.items())]
        bulk_create_audited(RankQuota, quotas, by=self.by)
        self.counts["rank_quotas"] = len(quotas)
        self.log(_("职级职数：%(n)s 条（%(s)s 秒）") % {"n": len(quotas), "s": self._elapsed()})

    def _ensure_tags(self) -> dict[str, int]:
        existing = {t.name: t.pk for t in Tag.objects.filter(name__in=D.TAG_NAMES)}
        new = [Tag(name=n) for n in D.TAG_NAMES if n not in existing]
        if new:
            bulk_create_audited(Tag, new, by=self.by)
            existing.update({t.name: t.pk for t in Tag.objects.filter(name__in=[t.name for t in new])})
        return existing

    def _flush(self):
        if not self.buffer:
            return
        people, self.buffer = self.buffer, []
        bulk_create_audited(Cadre, [p.cadre for p in people], by=self.by)
        for model, attr in ((Appointment, "appointments"), (RankHistory, "ranks"), (CareerEntry, "career"),
                            (Training, "trainings")):
            objs = [o for p in people for o in getattr(p, attr)]
            if objs:
                bulk_create_audited(model, objs, by=self.by)
            self.counts[attr] += len(objs)
        through = Cadre.tags.through
        links = [through(cadre_id=p.cadre.pk, tag_id=t) for p in people for t in p.tags]
        through.objects.bulk_create(links, batch_size=2000)
        self.counts["tag_links"] += len(links)
        self.counts["cadres"] += len(people)
        reset_queries()  # with DEBUG on, Django keeps every (huge) INSERT statement in memory otherwise
        self.log(_("干部：%(done)s / %(total)s 人（%(s)s 秒）") % {
            "done": f"{self.counts['cadres']:,}", "total": f"{self.total:,}", "s": self._elapsed()})

    # ------------------------------------------------------------------ one unit
    def _generate_unit(self, u: UnitSpec):
        if not u.headcount:
            return
        rng = random.Random(f"{D.SEED}:{u.code}")
        statuses = [self._status(rng) for _ in range(u.headcount)]
        seats = [Seat(p) for p in u.posts for _ in range(p.quota)]
        remaining = statuses.count(ACTIVE)
        people, leaders = [], []
        for seat in seats:
            if not remaining:
                break
            if seat.post.is_chief or rng.random() < 0.85:  # chief posts are always filled, others mostly
                p = self._person(rng, u, seat.post.level, ACTIVE, chief=seat.post.is_chief)
                start = self._current_start(rng, p, seat.post.level)
                seat.free_before = start
                p.current = (seat.post, start)
                p.appointments.append(self._appointment(rng, u, p, seat.post, start, None))
                leaders.append(p)
                remaining -= 1
        people.extend(leaders)
        people.extend(self._person(rng, u, None, ACTIVE) for _ in range(remaining))
        for p in leaders:  # some were promoted from a lower post of the same unit
            if rng.random() < 0.35:
                self._previous_stint(rng, u, p, seats)
        for status in statuses:
            if status == ACTIVE:
                continue
            seat = rng.choice(seats) if seats and rng.random() < 0.6 else None
            p = self._person(rng, u, seat.post.level if seat else None, status)
            if seat:
                self._past_stint(rng, u, p, seats)
            people.append(p)
        self._lateral_stints(u, leaders, seats)

        if u.rank_scheme:
            room = dict(u.rank_room)
            ordered = sorted((p for p in people if p.status == ACTIVE),
                             key=lambda p: (-(p.level or 0), p.work_start))
            for p in ordered:
                self._active_rank(rng, u, p, room)
            for p in people:
                if p.status != ACTIVE:
                    self._inactive_rank(rng, u, p)
        for p in people:
            self._finish(rng, u, p)
            if p.lateral:
                self._career_lateral(p)
        self.buffer.extend(people)

    def _status(self, rng):
        r = rng.random()
        return RETIRED if r < 0.07 else TRANSFERRED if r < 0.11 else ACTIVE

    # ------------------------------------------------------------------ a person
    def _person(self, rng: random.Random, u: UnitSpec, level: int | None, status: str, chief: bool = False) -> Person:
        as_of = self.as_of
        gender = "F" if rng.random() < FEMALE_SHARE[level] else "M"
        leave = None
        if status == RETIRED:
            retire_age = 55 if gender == "F" and (level is None or level <= 2) else 60
            age = rng.uniform(retire_age + 0.15, retire_age + 9)
        elif status == TRANSFERRED:
            low, high, _mode = AGES[level]
            age = rng.uniform(max(low, 28), min(high, 52))
        else:
            age = rng.triangular(*AGES[level])
        birth = as_of - dt.timedelta(days=int(age * 365.25))
        if status == RETIRED:
            leave = first_of_next_month(add_years(birth, retire_age))

        # education
        y = birth.year
        if y >= 1985:
            dist = ((5, 4, 3, 2), (22, 62, 13, 3))
        elif y >= 1975:
            dist = ((5, 4, 3, 2, 1), (10, 55, 25, 8, 2))
        elif y >= 1965:
            dist = ((5, 4, 3, 2, 1), (3, 35, 35, 17, 10))
        else:
            dist = ((4, 3, 2, 1), (25, 35, 25, 15))
        fulltime = rng.choices(*dist)[0]
        if fulltime == 5 and age < 27:
            fulltime = 4
        entry_age, years = STUDIES[fulltime]
        school_start = dt.date(birth.year + entry_age + (1 if birth.month >= 9 else 0), 9, 1)
        graduated = dt.date(school_start.year + years, 7, 1)
        school = self._school(rng, fulltime)
        major = weighted(rng, self.tables["MAJORS"]) if fulltime >= 3 else ""
        degree = 0
        if fulltime == 5:
            degree = 3 if rng.random() < 0.06 else 2
        elif fulltime == 4:
            degree = 1 if rng.random() < 0.92 else 0
        inservice, inservice_degree, inservice_school, inservice_major = 0, 0, "", ""
        boost = 0.6 if level else 0.3
        if fulltime <= 3 and rng.random() < boost:
            inservice = rng.choice((4, 4, 5)) if fulltime == 3 else rng.choice((3, 4))
            inservice_degree = 2 if inservice == 5 and rng.random() < 0.4 else 0
        elif fulltime == 4 and level and level >= 2 and rng.random() < 0.2:
            inservice, inservice_degree = 5, (2 if rng.random() < 0.7 else 0)
        if inservice:
            inservice_school = weighted(rng, self.tables["INSERVICE_SCHOOLS"])
            inservice_major = "公共管理" if inservice == 5 and inservice_degree else weighted(
                rng, self.tables["INSERVICE_MAJORS"])

        veteran = fulltime <= 4 and rng.random() < (0.07 if gender == "M" else 0.01)
        work_start = graduated + dt.timedelta(days=rng.randint(0, 120))
        army = None
        if veteran:
            army_end = add_years(work_start, rng.randint(2, 3))
            army = (work_start, army_end - DAY, rng.choice(D.ARMY_LINES))
        work_start = min(work_start, as_of - dt.timedelta(days=40))
        if status == TRANSFERRED:
            earliest = add_years(work_start, 3)
            leave = as_of - dt.timedelta(days=rng.randint(60, 6 * 365))
            if leave <= earliest:
                leave = min(as_of - dt.timedelta(days=30), earliest + dt.timedelta(days=rng.randint(30, 400)))
        if army and army[1] >= (leave or as_of):
            army, veteran = None, False

        political = PoliticalStatus.CPC
        party_join = None
        r = rng.random()
        if level:
            if r >= 0.97 and not chief:  # a few deputies come from the democratic parties
                political = PoliticalStatus.OTHER_PARTY
        elif r >= 0.86:
            political = (PoliticalStatus.CPC_PROBATIONARY if r < 0.88 else PoliticalStatus.OTHER_PARTY if r < 0.92
                         else PoliticalStatus.NONE)
        if political == PoliticalStatus.CPC:
            low = max(add_years(birth, 18), school_start + dt.timedelta(days=365))
            join = work_start + dt.timedelta(days=rng.randint(-700, 6 * 365))
            party_join = min(max(join, low), as_of - dt.timedelta(days=400))
        elif political == PoliticalStatus.CPC_PROBATIONARY:
            party_join = as_of - dt.timedelta(days=rng.randint(30, 330))

        area = weighted(rng, u.id_areas)
        id_number, birth = self._id_number(rng, area, birth, gender)
        if rng.random() < 0.75:
            native = D.NATIVE_PLACE_OF_AREA.get(area, "河南平顶山")
        else:
            native = rng.choice(D.OTHER_NATIVE_PLACES)
        if "回族" in u.name and rng.random() < 0.35:
            ethnicity = "回族"
        elif rng.random() < 0.015:
            ethnicity = weighted(rng, self.tables["OTHER_ETHNICITIES"])
        else:
            ethnicity = "汉族"
        name = self._name(rng, gender, birth.year)
        cadre = Cadre(
            name=name, name_initials=self._initials(name), gender=gender, ethnicity=ethnicity, birth_date=birth,
            native_place=native, id_number=id_number, political_status=political, party_join_date=party_join,
            work_start_date=work_start, fulltime_education=fulltime, fulltime_degree=degree,
            fulltime_school=school, fulltime_major=major, inservice_education=inservice,
            inservice_degree=inservice_degree, inservice_school=inservice_school, inservice_major=inservice_major,
            highest_education=highest_education(fulltime, inservice),
            phone=rng.choice(D.MOBILE_PREFIXES) + f"{rng.randrange(10 ** 8):08d}",
            status=status, unit=u.obj,
        )
        study = (school_start, graduated - DAY, f"{school}{major}专业学习" if major else f"{school}学习")
        return Person(cadre=cadre, level=level, status=status, leave=leave, work_start=work_start, school=study,
                      army=army, veteran=veteran)

    def _school(self, rng, education: int) -> str:
        table = {5: "UNIVERSITIES", 4: "UNIVERSITIES", 3: "COLLEGES", 2: "SECONDARY_SCHOOLS", 1: "HIGH_SCHOOLS"}
        return weighted(rng, self.tables[table[education]])

    def _name(self, rng, gender: str, born: int) -> str:
        surname = rng.choices(*self.surnames)[0]
        old, young = (D.MALE_NAMES if gender == "M" else D.FEMALE_NAMES)
        chars = D.MALE_CHARS if gender == "M" else D.FEMALE_CHARS
        r = rng.random()
        if born <= 1975 and r < 0.3:
            given = rng.choice(old)
        elif born >= 1988 and r < 0.3:
            given = rng.choice(young)
        elif r < 0.5:
            given = rng.choice(chars)
        else:
            given = rng.choice(chars) + rng.choice(chars)
            if given[0] == given[1] and rng.random() < 0.7:
                given = given[0]
        return surname + given

    def _initials(self, name: str) -> str:
        value = self.initials.get(name)
        if value is None:
            value = self.initials[name] = name_initials(name)
        return value

    def _id_number(self, rng, area: str, birth: dt.date, gender: str) -> tuple[str, dt.date]:
        """A valid, unused number for the area, birth date and gender (the birth date moves on by a day
        in the unlikely case that all 500 sequence numbers of that day are taken)."""
        day = birth
        while True:
            start = rng.randrange(500)
            for k in range(500):
                seq = (start + k) % 500
                if gender == "F" and seq == 0:  # make_id_number maps it to 002, the same as sequence 1
                    continue
                number = idcard.make_id_number(area, day, seq, gender)
                if number[:17] not in self.used_ids:
                    self.used_ids.add(number[:17])
                    return number, day
            day += DAY

    # ------------------------------------------------------------------ posts and appointments
    def _current_start(self, rng, p: Person, level: int) -> dt.date:
        high = self.as_of - dt.timedelta(days=15)
        low = max(add_years(p.work_start, MIN_SERVICE[level]), add_years(self.as_of, -10))
        low = min(low, high)
        low = max(low, min(p.work_start + dt.timedelta(days=365), high))
        return low + dt.timedelta(days=rng.randint(0, (high - low).days))

    def _doc(self, rng, prefix: str, word: str, year: int) -> str:
        key = (prefix, word, year)
        self.doc_numbers[key] += rng.randint(1, 3)
        return f"{prefix}{word}〔{year}〕{self.doc_numbers[key]}号"

    def _appointment(self, rng, u, p: Person, post: PostSpec, start, end) -> Appointment:
        return Appointment(cadre=p.cadre, post=post.obj, start_date=start, end_date=end,
                           document_no=self._doc(rng, u.appoint_doc, "组干", start.year))

    def _previous_stint(self, rng, u: UnitSpec, p: Person, seats: list[Seat]):
        """An earlier post one level lower in the same unit, ending the day before the current one."""
        post, start = p.current
        end = start - DAY
        below = post.level - 1
        candidates = [s for s in seats if s.post.level == below and s.free_before > end]
        if not below or not candidates:
            return
        seat = rng.choice(candidates)
        begin = add_years(start, -rng.randint(2, 5)) - dt.timedelta(days=rng.randint(0, 200))
        begin = max(begin, add_years(p.work_start, MIN_SERVICE[below]))
        if begin >= end:
            return
        seat.free_before = begin
        p.previous = (seat.post, begin, end)
        p.appointments.append(self._appointment(rng, u, p, seat.post, begin, end))

    def _past_stint(self, rng, u: UnitSpec, p: Person, seats: list[Seat]):
        """The post a retired or transferred cadre left on ``p.leave`` (only where a seat was free)."""
        end = p.leave
        candidates = [s for s in seats if s.post.level == p.level and s.free_before > end]
        if not candidates:
            return
        seat = rng.choice(candidates)
        begin = add_years(end, -rng.randint(2, 8)) - dt.timedelta(days=rng.randint(0, 300))
        begin = max(begin, add_years(p.work_start, MIN_SERVICE[p.level]))
        if begin >= end:
            return
        seat.free_before = begin
        p.previous = (seat.post, begin, end)
        p.appointments.append(self._appointment(rng, u, p, seat.post, begin, end))

    # Lateral moves (交流任职) before the current post, by the current post's level: the share of the
    # holders without an earlier stint in the unit who are offered one (1 乡科级副职, 2 乡科级正职).
    LATERAL_SHARE = {1: 0.45, 2: 0.6}

    def _lateral_stints(self, u: UnitSpec, leaders: list[Person], seats: list[Seat]):
        """An earlier post at the SAME level as the current one (交流任职: 镇长 of another town, or 局长
        of a county department, before becoming 党委书记 here; a deputy post elsewhere before this
        one), ending the day before the current post, for part of the 乡科级 holders without an
        earlier stint in the unit, so that some have held two posts at their level (the selection
        rules' 下一级职位任职经历 for a promotion).

        The seat is another post of this unit or a post of a unit of the same county-level area
        generated before (its seats are final, so ``free_before`` keeps every quota); between units
        of one level only from a post listed after the current one or level with it (镇长 → 党委书记,
        党委书记 → 党委书记, never 党委书记 → 镇长). Each stint lasts at least 2 years (任职年限) and
        starts after the years of work the level needs (``MIN_SERVICE``). Its own random numbers
        (seeded with the seed and the unit's code), so everyone else's data stays as it was (only
        the document numbers issued after a stint's move on: they share the counters); the unit's
        own seats join the pool for the units after it."""
        rng = random.Random(f"{D.SEED}:lateral:{u.code}")
        own = [(u, s) for s in seats]
        for p in leaders:
            level = p.level
            share = self.LATERAL_SHARE.get(level)
            if p.previous or not share or p.status != ACTIVE or rng.random() >= share:
                continue
            post, start = p.current
            end = start - DAY
            begin = add_years(start, -rng.randint(2, 5)) - dt.timedelta(days=rng.randint(0, 200))
            begin = max(begin, add_years(p.work_start, MIN_SERVICE[level]))
            if add_years(begin, 2) > start:
                continue
            candidates = [(v, s) for v, s in self.lateral_seats[(u.group, level)] + own
                          if s.post.level == level and s.free_before > end and s.post is not post
                          and (v.level != u.level or s.post.order >= post.order)]  # 书记 → 镇长: never
            if not candidates:
                continue
            unit, seat = rng.choice(candidates)
            seat.free_before = begin
            p.lateral = (unit, seat.post, begin, end)
            p.appointments.append(Appointment(cadre=p.cadre, post=seat.post.obj, start_date=begin, end_date=end,
                                              document_no=self._doc(rng, unit.appoint_doc, "组干", begin.year)))
        for seat in seats:
            self.lateral_seats[(u.group, seat.post.level)].append((u, seat))

    def _career_lateral(self, p: Person):
        """Fit the lateral stint into the résumé ``_career`` wrote: the lines between the first job
        (after school and the army) and the current post are squeezed, in order, into the time
        before the stint (at most 5 lines in all: one of them goes when there are 5), then the stint."""
        unit, post, begin, end = p.lateral
        start = p.current[1]
        work_from = p.army[1] + DAY if p.army else p.work_start
        lines = p.career
        middle = [c for c in lines if work_from <= c.start_date < start]
        if not middle:
            return
        first, last = middle[0].start_date, end
        if len(lines) >= 5 and len(middle) >= 2:
            middle.pop(-2)  # the line before it (or the last one, from the first job on) takes its time
        room = (begin - DAY - first).days
        span = max(1, (last - first).days)
        starts = [first + dt.timedelta(days=(c.start_date - first).days * room // span) for c in middle]
        starts[0] = first
        kept = []
        for i, c in enumerate(middle):
            c.start_date = starts[i]
            c.end_date = starts[i + 1] - DAY if i + 1 < len(middle) else begin - DAY
            if c.end_date >= c.start_date:
                kept.append(c)
        line = CareerEntry(cadre=p.cadre, start_date=begin, end_date=end, description=unit.post_title(post.name)[:200])
        before = [c for c in lines if c.start_date < work_from]
        after = [c for c in lines if c.start_date >= start]
        p.career = before + kept + [line] + after

    # ------------------------------------------------------------------ ranks
    def _reachable(self, p: Person, limit: dt.date) -> int:
        """The highest rank (smallest order) ``p`` can hold by ``limit``: anything for those converted in
        2019; for those hired later, 二级科员 first and then one step after each minimum period."""
        if p.work_start <= D.RANK_REFORM:
            return 1
        order, day, latest = 12, p.work_start, limit - dt.timedelta(days=30)
        while order > 1 and add_years(day, self.min_years[order - 1]) <= latest:
            day = add_years(day, self.min_years[order - 1])
            order -= 1
        return order

    def _active_rank(self, rng, u: UnitSpec, p: Person, room: dict):
        best = self._reachable(p, self.as_of)
        if p.level is not None:
            if rng.random() > 0.75:
                return
            order = max(rng.choice(D.LEVEL_RANKS[p.level]), best)
            for candidate in (order, order + 1):
                if candidate <= 12 and (candidate > 10 or room.get(candidate, 0) > 0):
                    if candidate <= 10:
                        room[candidate] -= 1
                    self._rank_chain(rng, u, p, candidate, self.as_of, closed=False)
                    return
            return
        years = (self.as_of - p.work_start).days / 365.25
        order = next(o for threshold, o in STAFF_RANKS if years >= threshold)
        order = min(12, max(3, order + rng.choice((-1, 0, 0, 0, 1)), best))
        if u.rank_scheme == "grassroots":
            order = max(order, 5)
        if order == 12 and years >= 1 and best <= 11:
            order = 11
        while order <= 10 and room.get(order, 0) <= 0:
            order += 1
        if order <= 10:
            room[order] -= 1
        self._rank_chain(rng, u, p, order, self.as_of, closed=False)

    def _inactive_rank(self, rng, u: UnitSpec, p: Person):
        if p.leave < D.RANK_REFORM + dt.timedelta(days=60):
            return  # left before ranks existed
        if p.level is not None:
            order = rng.choice(D.LEVEL_RANKS[p.level])
        else:
            years = (p.leave - p.work_start).days / 365.25
            order = next(o for threshold, o in STAFF_RANKS if years >= threshold)
            if u.rank_scheme == "grassroots":
                order = max(order, 5)
        order = max(order, self._reachable(p, p.leave))
        self._rank_chain(rng, u, p, order, p.leave, closed=True)

    def _rank_chain(self, rng, u: UnitSpec, p: Person, target: int, limit: dt.date, *, closed: bool):
        """Rank records from the 2019 conversion (or 二级科员 on the first job after it) up to ``target``,
        one step at a time, each after the minimum years (RULES.md); the last one open (or closed on
        ``limit``). ``target`` must be reachable (``_reachable``)."""
        floor = max(D.RANK_REFORM, p.work_start)
        latest = limit - dt.timedelta(days=30)
        if floor > latest:
            if closed:
                return
            floor = min(floor, limit)

        def needed(k):
            return sum(self.min_years[target + i] for i in range(k))

        if p.work_start > D.RANK_REFORM:
            steps = 12 - target  # hired after the reform: starts as 二级科员
        else:
            steps = min(rng.choice((0, 1, 1, 2, 2, 3)), 12 - target)
            while steps and add_years(floor, needed(steps)) > latest:
                steps -= 1
        orders = [target + steps - i for i in range(steps + 1)]  # lowest first
        slack = max(0, (latest - add_years(floor, needed(steps))).days)
        starts = [floor]
        for order in orders[1:]:
            extra = rng.randint(0, slack // steps) if steps else 0
            starts.append(add_years(starts[-1], self.min_years[order]) + dt.timedelta(days=extra))
        prefix = u.appoint_doc
        for i, (order, start) in enumerate(zip(orders, starts, strict=True)):
            end = starts[i + 1] - DAY if i + 1 < len(starts) else (limit if closed else None)
            p.ranks.append(RankHistory(cadre=p.cadre, rank=self.ranks[order], start_date=start, end_date=end,
                                       document_no=self._doc(rng, prefix, "组", start.year)))

    # ------------------------------------------------------------------ résumé, training, tags, roster columns
    def _finish(self, rng, u: UnitSpec, p: Person):
        cadre = p.cadre
        if p.status == ACTIVE:
            cadre.current_post = p.current[0].obj if p.current else None
            cadre.current_rank = p.ranks[-1].rank if p.ranks else None
        self._career(rng, u, p)
        if p.status == ACTIVE and rng.random() < (0.7 if p.level else 0.35):
            self._training(rng, p)
        self._tags(rng, u, p)

    def _career(self, rng, u: UnitSpec, p: Person):
        tail = []  # the fixed last lines: (start, end, text)
        if p.previous:
            post, begin, end = p.previous
            tail.append((begin, end, u.post_title(post.name)))
        if p.current:
            post, start = p.current
            tail.append((start, None, u.post_title(post.name)))
        elif p.status == ACTIVE:
            span = (self.as_of - p.work_start).days
            arrival = p.work_start + dt.timedelta(days=int(span * rng.uniform(0.2, 0.9))) if span > 730 else p.work_start
            tail.append((arrival, None, u.display + self._staff_title(u, p)))
        if p.status != ACTIVE:
            if not p.previous:
                span = (p.leave - p.work_start).days
                arrival = p.work_start + dt.timedelta(days=int(span * rng.uniform(0.3, 0.8)))
                tail.append((arrival, p.leave, u.display + self._staff_title(u, p)))
            after = p.leave + DAY
            tail.append((after, None, "退休" if p.status == RETIRED else f"调往{rng.choice(D.OTHER_CITIES)}工作"))
        head = []
        if p.school and rng.random() < 0.7:
            head.append(p.school)
        work_from = p.work_start
        if p.army:
            head.append(p.army)
            work_from = p.army[1] + DAY
        lines = rng.randint(2, 5)
        gap_end = tail[0][0] - DAY
        span_years = (gap_end - work_from).days / 365.25
        middle = []
        if span_years >= 0.5:
            whole = int(span_years)
            count = max(1, min(lines - len(tail) - len(head), whole))
            cut_years = sorted(rng.sample(range(1, whole), count - 1)) if count > 1 else []
            starts = [work_from] + [add_years(work_from, y) + dt.timedelta(days=rng.randint(0, 180)) for y in cut_years]
            top = {None: 2, 1: 3}.get(p.level, 4)
            for i, start in enumerate(starts):
                group = u.group if rng.random() < 0.7 else rng.choice(self.all_groups)
                display, kind = rng.choice(self.displays[group])
                titles = D.TITLE_LADDERS.get(kind, D.TITLE_LADDERS["dept"])
                step = min(top, len(titles) - 1, (i * (top + 1)) // len(starts))
                end = starts[i + 1] - DAY if i + 1 < len(starts) else gap_end
                middle.append((start, end, display + titles[step]))
        elif tail[0][0] > work_from and not p.current and p.status == ACTIVE:
            tail[0] = (work_from, tail[0][1], tail[0][2])
        if len(head) + len(middle) + len(tail) < 2 and p.school not in head:
            head.insert(0, p.school)
        for start, end, text in head + middle + tail:
            if end is not None and end < start:
                continue
            p.career.append(CareerEntry(cadre=p.cadre, start_date=start, end_date=end, description=text[:200]))

    def _staff_title(self, u: UnitSpec, p: Person) -> str:
        if p.ranks:
            return p.ranks[-1].rank.name
        return "科员" if u.rank_scheme else "干部"

    def _training(self, rng, p: Person):
        courses = [c for c in D.TRAINING_COURSES
                   if not ((c[0] == "县处级领导干部进修班" and (p.level or 0) < 3)
                           or (c[0] == "乡科级干部任职培训班" and p.level not in (1, 2)))]
        first = max(p.work_start, dt.date(2016, 1, 1))
        last = self.as_of - dt.timedelta(days=20)
        if first >= last:
            return
        for title, organiser, hours in rng.sample(courses, rng.choice((1, 1, 2))):
            days = max(2, hours // 8 * 7 // 5)
            start = first + dt.timedelta(days=rng.randint(0, (last - first).days))
            end = min(start + dt.timedelta(days=days - 1), last)
            p.trainings.append(Training(cadre=p.cadre, title=title, organiser=organiser, start_date=start,
                                        end_date=end, hours=hours, result=rng.choice(D.TRAINING_RESULTS)))
        self._yearly_training(p, first, last)

    def _yearly_training(self, p: Person, first: dt.date, last: dt.date):
        """The short courses most cadres attend every year or two (专题培训, 24–48 学时), so that the
        selection rules' training hours (``SelectionRules.training_hours``, 80 in 5 years) are met by
        most cadres and missed by some, as in a real roster. Its own random numbers (from the ID
        number), so the rest of the demo stays as it was."""
        rng = random.Random(f"training:{p.cadre.id_number}")
        short = [c for c in D.TRAINING_COURSES if c[2] <= 48]
        chance = 0.75 if p.level else 0.5
        for year in range(max(first.year, last.year - 5), last.year + 1):
            if rng.random() >= chance:
                continue
            title, organiser, hours = rng.choice(short)
            lo, hi = max(first, dt.date(year, 1, 1)), min(last, dt.date(year, 12, 31))
            if lo >= hi:
                continue
            start = lo + dt.timedelta(days=rng.randint(0, (hi - lo).days))
            end = min(start + dt.timedelta(days=max(2, hours // 8) - 1), last)
            p.trainings.append(Training(cadre=p.cadre, title=title, organiser=organiser, start_date=start,
                                        end_date=end, hours=hours, result=rng.choice(D.TRAINING_RESULTS)))

    def _tags(self, rng, u: UnitSpec, p: Person):
        age = p.cadre.age_on(self.as_of)
        active = p.status == ACTIVE
        education = p.cadre.highest_education
        chosen = []
        if active and age < 40 and education >= 4 and rng.random() < (0.3 if p.level else 0.08):
            chosen.append("优秀年轻干部")
        if active and 30 <= age <= 50 and rng.random() < (0.25 if p.level else 0.1):
            chosen.append("后备干部")
        if rng.random() < 0.01:
            chosen.append("援疆援藏")
        grassroots = u.level == UnitLevel.TOWNSHIP or u.kind == UnitKind.COUNTY_DEPT
        if active and age < 50 and rng.random() < (0.06 if grassroots else 0.02):
            chosen.append("驻村第一书记")
        if p.veteran:
            chosen.append("退役军人")
        if active and age < 40 and p.cadre.fulltime_education >= 4 and rng.random() < 0.07:
            chosen.append("选调生")
        p.tags = [self.tag_ids[name] for name in chosen]
