"""The 9-box (九宫格): performance × potential, per assessment tier × category or per reserve pool,
each box listing its cadres, and acted on from the grid (nominate to a pool, put forward for a post
with a free place).

The rule that places a cadre is ONE pure function, ``place(composite, potential, cutoffs)``, its
rules numbered (the tests are named after them):

1. Performance (考核综合得分) is the composite of the cadre's latest published annual assessment
   (``AssessmentResult`` of the published annual period of the latest year, the later period of a
   year with two); potential (储备库得分) the cadre's score in the current ranking run
   (``RankingEntry.score`` of the ``RankingRun`` with ``is_current``; per pool: that pool's entry;
   per tier × category: the best score among the cadre's pools, the pool named).
2. On each axis, a value at or above the high cut-off is 高, at or above the low cut-off (and below
   the high one) 中, below the low cut-off 低: a value exactly on a cut-off belongs to the upper band.
3. Compared exactly in hundredths (``assessment.hundredths``): no float rounding at the boundary.
4. A cadre without either value is not placed (box ``None``), the sentence saying what is missing:
   no published annual composite, or not ranked in the current run (not admitted, flagged as not
   ranked, or no current run).
5. The box is (performance band, potential band); box 9 is 高·高, box 1 低·低
   (``BOX_NUMBER``), the explanation one Chinese sentence per axis:
   “考核综合得分 91.20 ≥ 90（高）；储备库得分 78.40，介于 70 与 85 之间（中）”.

The cut-offs are the one ``NineBoxSettings`` row (``cutoffs()``), edited through
``settings_save`` (org staff, gate action ``reserve``; the change in the audit history).

``grid(user, ...)`` builds the grid for a reader: the cadres the gate lets them see (unit leaders:
their subtree; auditors and org staff: all), optionally within a unit's subtree, a constant number
of queries whatever the number of cadres. ``free_posts(user, unit=)`` lists the posts with a free
place today (helper B's ``vacancies.vacancies``, reason "free") for "put forward for a vacancy";
``put_forward`` starts a selection record with the cadre as its candidate (``vacancies.selection_start``:
``selection_create`` + ``candidate_add``), ``nominate`` calls ``entries.entry_nominate`` (which
checks eligibility).
"""
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessment.hundredths import from_h, to_h
from assessment.models import AssessmentResult, PeriodKind, PeriodStatus
from cadres.models import Cadre, CadreStatus, Post
from pingdingshan.core import permissions as gate
from pingdingshan.core.services import model_save

from ..models import NineBoxSettings, RankingEntry, RankingRun, ReservePool, Selection
from ..models.ninebox import DEFAULTS

LOW, MIDDLE, HIGH = "low", "middle", "high"
BANDS = (HIGH, MIDDLE, LOW)  # the grid's rows (potential) from the top, columns (performance) reversed
BAND_LABELS = {HIGH: gettext_lazy("高"), MIDDLE: gettext_lazy("中"), LOW: gettext_lazy("低")}
BOX_NUMBER = {(p, q): 1 + 3 * j + i for i, p in enumerate((LOW, MIDDLE, HIGH)) for j, q in enumerate((LOW, MIDDLE, HIGH))}
BOX_LABELS = {
    (HIGH, HIGH): gettext_lazy("绩效高·潜力高"), (MIDDLE, HIGH): gettext_lazy("绩效中·潜力高"),
    (LOW, HIGH): gettext_lazy("绩效低·潜力高"), (HIGH, MIDDLE): gettext_lazy("绩效高·潜力中"),
    (MIDDLE, MIDDLE): gettext_lazy("绩效中·潜力中"), (LOW, MIDDLE): gettext_lazy("绩效低·潜力中"),
    (HIGH, LOW): gettext_lazy("绩效高·潜力低"), (MIDDLE, LOW): gettext_lazy("绩效中·潜力低"),
    (LOW, LOW): gettext_lazy("绩效低·潜力低"),
}
FIELDS = ("performance_low", "performance_high", "potential_low", "potential_high")


@dataclass(frozen=True)
class Cutoffs:
    """The two cut-offs of each axis, in hundredths."""

    performance_low: int
    performance_high: int
    potential_low: int
    potential_high: int

    @classmethod
    def of(cls, row) -> "Cutoffs":
        return cls(**{f: to_h(getattr(row, f) if not isinstance(row, dict) else row[f]) for f in FIELDS})


@dataclass(frozen=True)
class Placement:
    performance: str | None  # LOW / MIDDLE / HIGH, None when the value is missing
    potential: str | None
    box: tuple | None  # (performance band, potential band), None when not placed
    explanation: str

    @property
    def number(self) -> int | None:
        return BOX_NUMBER.get(self.box) if self.box else None


def _num(h: int) -> str:
    """A cut-off as written: 90, 72.5, 72.25 (no trailing zeros)."""
    d = from_h(h)
    text = f"{d:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _band(h: int, low: int, high: int) -> str:
    if h >= high:
        return HIGH
    if h >= low:
        return MIDDLE
    return LOW


def _axis(label: str, h: int | None, low: int, high: int, missing: str) -> tuple[str | None, str]:
    if h is None:
        return None, missing
    band = _band(h, low, high)
    value = f"{from_h(h):.2f}"
    words = {"l": label, "v": value, "lo": _num(low), "hi": _num(high), "b": BAND_LABELS[band]}
    if band == HIGH:
        return band, _("%(l)s %(v)s ≥ %(hi)s（%(b)s）") % words
    if band == MIDDLE:
        return band, _("%(l)s %(v)s，介于 %(lo)s 与 %(hi)s 之间（%(b)s）") % words
    return band, _("%(l)s %(v)s < %(lo)s（%(b)s）") % words


def place(composite, potential, cutoffs: Cutoffs) -> Placement:
    """The box of one cadre (rules 2–5 of the module): ``composite`` and ``potential`` as Decimal,
    number or str (or None when missing), compared in hundredths; with the sentence explaining it."""
    perf_h = None if composite is None else to_h(composite)
    pot_h = None if potential is None else to_h(potential)
    p_band, p_text = _axis(_("考核综合得分"), perf_h, cutoffs.performance_low, cutoffs.performance_high,
                           _("无已发布的年度考核综合得分（未定位）"))
    q_band, q_text = _axis(_("储备库得分"), pot_h, cutoffs.potential_low, cutoffs.potential_high,
                           _("不在储备库当前排名中（未定位）"))
    box = (p_band, q_band) if p_band and q_band else None
    return Placement(performance=p_band, potential=q_band, box=box, explanation=f"{p_text}；{q_text}")


# --------------------------------------------------------------------------- settings
def settings_get() -> NineBoxSettings:
    """The one row of cut-offs (created with the defaults if a database lost it)."""
    row = NineBoxSettings.objects.filter(pk=1).first()
    return row if row is not None else NineBoxSettings(pk=1, **DEFAULTS)


def cutoffs() -> Cutoffs:
    return Cutoffs.of(settings_get())


def settings_validate(values: dict) -> dict:
    """{field: [messages]} of the cut-offs (each 0–100 with at most two decimals; low below high)."""
    labels = {f: NineBoxSettings._meta.get_field(f).verbose_name for f in FIELDS}
    problems: dict[str, list[str]] = {}
    clean = {}
    for f in FIELDS:
        raw = values.get(f)
        try:
            d = Decimal(str(raw).strip()) if raw is not None and str(raw).strip() != "" else None
        except InvalidOperation:
            d = None
        if d is None or not d.is_finite():
            problems.setdefault(f, []).append(_("请填写%(l)s（0 到 100 的数）。") % {"l": labels[f]})
        elif d < 0 or d > 100 or d != d.quantize(Decimal("0.01")):
            problems.setdefault(f, []).append(_("%(l)s须在 0 到 100 之间，最多两位小数。") % {"l": labels[f]})
        else:
            clean[f] = d
    for axis, label in (("performance", _("考核综合得分")), ("potential", _("储备库得分"))):
        lo, hi = clean.get(f"{axis}_low"), clean.get(f"{axis}_high")
        if lo is not None and hi is not None and lo >= hi:
            problems.setdefault(f"{axis}_high", []).append(
                _("%(l)s的高档起点须高于中档起点（%(lo)s）。") % {"l": label, "lo": _num(to_h(lo))})
    return problems


@transaction.atomic
def settings_save(*, by, **values) -> NineBoxSettings:
    """Save the cut-offs (org staff): every problem at once, nothing saved on any; audited."""
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise TypeError(f"fields {sorted(unknown)!r} may not be set here")
    gate.require(by, "reserve")
    problems = settings_validate(values)
    if problems:
        raise ValidationError(problems)
    row = NineBoxSettings.objects.select_for_update().filter(pk=1).first() or NineBoxSettings(pk=1)
    for f in FIELDS:
        setattr(row, f, Decimal(str(values[f]).strip()))
    row.updated_by = by
    return model_save(row, by=by)


def settings_changes(limit: int = 10) -> list:
    """The latest changes of the cut-offs (history rows, newest first)."""
    return list(NineBoxSettings.history.select_related("history_user").order_by("-history_date")[:limit])


# --------------------------------------------------------------------------- the grid
@dataclass
class Row:
    cadre: Cadre
    composite: Decimal | None
    score: Decimal | None
    pool: ReservePool | None
    placement: Placement
    period_name: str = ""

    @property
    def box_label(self) -> str:
        return str(BOX_LABELS[self.placement.box]) if self.placement.box else _("未定位")


@dataclass
class Grid:
    cutoffs: Cutoffs
    run: RankingRun | None
    rows: list = field(default_factory=list)

    def box(self, performance: str, potential: str) -> list:
        return [r for r in self.rows if r.placement.box == (performance, potential)]

    @property
    def unplaced(self) -> list:
        return [r for r in self.rows if r.placement.box is None]

    def numbered(self, number: int | None) -> list:
        """The rows of box ``number`` (1–9), or the cadres not placed (``None``)."""
        return [r for r in self.rows if r.placement.number == number]

    def matrix(self) -> list[dict]:
        """The grid's rows from high potential down, each with its boxes from low performance up."""
        out = []
        for q in BANDS:
            boxes = []
            for p in reversed(BANDS):
                rows = self.box(p, q)
                boxes.append({"performance": p, "potential": q, "number": BOX_NUMBER[(p, q)],
                              "label": BOX_LABELS[(p, q)], "rows": rows, "count": len(rows)})
            out.append({"potential": q, "label": BAND_LABELS[q], "boxes": boxes})
        return out


def current_run() -> RankingRun | None:
    return RankingRun.objects.filter(is_current=True).first()


def default_pool(user) -> ReservePool | None:
    """The pool the grid shows when no filter is given: the first active pool, in the pools' order,
    with a scored entry in the current run of an active cadre ``user`` sees; None without one (no
    current run, or nobody of theirs ranked). One query (two without a current run)."""
    run = current_run()
    if run is None:
        return None
    seen = Cadre.objects.restrict(user, "view").filter(status=CadreStatus.ACTIVE)
    ranked = RankingEntry.objects.filter(run=run, pool=OuterRef("pk"), score__isnull=False,
                                         cadre__in=seen.values("pk"))
    return ReservePool.objects.filter(is_active=True).filter(Exists(ranked)).order_by("order", "id").first()


def _latest_results(cadre_ids=None, *, tier=None, category=None):
    """{cadre id: (composite, period name, tier id, category id)} of each cadre's latest published
    annual result with a composite (rule 1). One query."""
    latest = (AssessmentResult.objects.filter(cadre=OuterRef("cadre"), period__kind=PeriodKind.ANNUAL,
                                              period__status=PeriodStatus.PUBLISHED, composite__isnull=False)
              .order_by("-period__year", "-period__end_date", "-period_id").values("pk")[:1])
    qs = AssessmentResult.objects.filter(period__kind=PeriodKind.ANNUAL, period__status=PeriodStatus.PUBLISHED,
                                         composite__isnull=False, pk=Subquery(latest))
    if cadre_ids is not None:
        qs = qs.filter(cadre_id__in=cadre_ids)
    if tier is not None:
        qs = qs.filter(tier=tier)
    if category is not None:
        qs = qs.filter(category=category)
    return {c: (comp, name) for c, comp, name in qs.values_list("cadre_id", "composite", "period__name")}


def grid(user, *, pool: ReservePool | None = None, tier=None, category=None, unit=None, cadres=None) -> Grid:
    """The 9-box of ``pool`` (its ranked entries in the current run), or of an assessment ``tier``
    × ``category`` (the cadres whose latest published annual result has them; either may be None:
    all), for the cadres ``user`` sees (``cadres``: a queryset already narrowed by the page's
    FilterSet, else every cadre in the user's sight), optionally within ``unit``'s subtree.
    Constant queries."""
    cuts = cutoffs()
    run = current_run()
    base = Cadre.objects.restrict(user, "view")
    cadres = base.filter(status=CadreStatus.ACTIVE, pk__in=cadres.values("pk")) if cadres is not None else \
        base.filter(status=CadreStatus.ACTIVE)
    if unit is not None:
        cadres = cadres.filter(unit__path__startswith=unit.path)
    scores: dict[int, tuple[Decimal, ReservePool]] = {}
    if pool is not None:
        ranked = RankingEntry.objects.none() if run is None else RankingEntry.objects.filter(
            run=run, pool=pool, score__isnull=False, cadre__in=cadres.values("pk"))
        for cadre_id, score in ranked.values_list("cadre_id", "score"):
            scores[cadre_id] = (from_h(score), pool)
        ids = list(scores)
        results = _latest_results(ids)
    else:
        results = _latest_results(cadres.values("pk"), tier=tier, category=category)
        ids = list(results)
        if run is not None and ids:
            pools = {}
            best = (RankingEntry.objects.filter(run=run, cadre__in=ids, score__isnull=False)
                    .order_by("cadre_id", "-score", "pool_id").values_list("cadre_id", "score", "pool_id"))
            for cadre_id, score, pool_id in best:
                if cadre_id not in scores:
                    scores[cadre_id] = (from_h(score), pool_id)
                    pools[pool_id] = None
            found = ReservePool.objects.in_bulk(list(pools))
            scores = {c: (s, found.get(p)) for c, (s, p) in scores.items()}
    by_id = Cadre.objects.select_related("unit", "current_post").in_bulk(ids)
    rows = []
    for pk in ids:
        cadre = by_id.get(pk)
        if cadre is None:
            continue
        comp, period_name = results.get(pk, (None, ""))
        score, in_pool = scores.get(pk, (None, None))
        rows.append(Row(cadre=cadre, composite=comp, score=score, pool=in_pool, period_name=period_name,
                        placement=place(comp, score, cuts)))
    rows.sort(key=lambda r: (-(r.placement.number or 0), -(r.score or 0), -(r.composite or 0), r.cadre.pk))
    return Grid(cutoffs=cuts, run=run, rows=rows)


# --------------------------------------------------------------------------- acting from the grid
def free_posts(user, *, unit=None, on: dt.date | None = None) -> list:
    """The posts with a free place on ``on`` (today) that ``user`` sees, as helper B's vacancy rows
    (``vacancies.vacancies(reason="free")``: the roster's one quota count — a chief post holds one,
    others up to ``Post.quota`` — minus the appointments in force): ``post_id``, ``post_name``,
    ``unit_name``, ``places``."""
    from .vacancies import REASON_FREE, vacancies

    return vacancies(user, on=on, unit=unit, reason=REASON_FREE)


def put_forward(*, by, cadre: Cadre, post: Post, title: str = "") -> Selection:
    """Start a selection record (分析研判和动议) for ``post`` with ``cadre`` as its candidate
    (``vacancies.selection_start``: ``selection_create`` then ``candidate_add``, the gate, the post
    and the cadre checked there). A post without a free place is refused on the field ``post``."""
    from .vacancies import selection_start

    if post is None or post.pk not in {v.post_id for v in free_posts(by, unit=post.unit)}:
        raise ValidationError({"post": _("“%(p)s”没有空缺职数。") % {"p": str(post or "")}})
    return selection_start(by=by, post=post, cadres=[cadre], title=title)


def nominate(*, by, cadre: Cadre, pool: ReservePool, note: str = ""):
    """Nominate ``cadre`` to ``pool`` (``entries.entry_nominate``: eligibility checked there)."""
    from .entries import entry_nominate

    return entry_nominate(by=by, pool=pool, cadres=[cadre], note=note)[0]


def can_act(user) -> bool:
    """Whether the grid shows its action buttons to ``user`` (org staff: gate action ``reserve``)."""
    return gate.can(user, "reserve")


__all__ = ["BANDS", "BOX_LABELS", "BOX_NUMBER", "Cutoffs", "Grid", "Placement", "can_act", "cutoffs",
           "default_pool", "free_posts", "grid", "nominate", "place", "put_forward", "settings_get", "settings_save",
           "settings_validate"]
