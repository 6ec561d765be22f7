"""A small world for the ranking tests, figures chosen so that every component can be checked by
hand (on 2026-12-01; pool weights 40/30/10/10/10, 3 composite years, 3 points years, 50 % decay):

甲 (A): annual composites 2025 92.50, 2024 88.00 (none in 2023) → (92.50×4 + 88.00×2) ÷ 6 = 91.00;
    points 20.00 + 10.00 in the last 12 months, 20.00 in the 12 before → 30 + 20×50% = 40.00, the
    pool's best is 乙's 52.50 → 40.00 × 100 ÷ 52.50 = 76.190… → 76.19;
    awards: city 20 (2025-06-01) + county 10 (2023-12-02, the first day counted) = 30.00 (a revoked
    national one and one of 2023-12-01 do not count);
    frontline: the best of 良好 (80) and 一般 (60) = 80.00;
    cards: a yellow card 2026-03-01–2026-08-31 (in the window, over by the run day) → 90.00;
    score = 36.40 + 22.86 (76.19 × 30 % = 22.857) + 3.00 + 8.00 + 9.00 = 79.26.
乙 (B): composites 90.00, 95.00, 80.00 → (360 + 190 + 80) ÷ 7 = 90.00; points 50.00 now, 10.00 in
    the third window → 50 + 10×25% = 52.50 → 100.00; no award; 优秀 posting 100.00; a yellow card
    waived by a ruling (not scored, not blocking) → 100.00; score 36 + 30 + 0 + 10 + 10 = 86.00.
丙 (C): a yellow card in force on the run day → blocked ("pool"), not ranked.
丁 (D): 50 years old, the pool's criterion is at most 45 → ineligible, not ranked.
"""
import datetime as dt
from decimal import Decimal

from assessment.models import (
    AssessmentPeriod,
    AssessmentResult,
    Award,
    AwardKind,
    CardReason,
    CardStatus,
    Category,
    IndicatorScheme,
    PeriodKind,
    PeriodStatus,
    RulingDecision,
    RulingStatus,
    Tier,
    ToleranceRuling,
    WarningCard,
)
from cadres.models import PerformanceRecord, RecordStatus, TaskCategory
from promotion.models import (
    CriterionKind,
    EntryStatus,
    FrontlinePosting,
    Industry,
    PoolCategory,
    PoolCriterion,
    PoolEntry,
    PostingStatus,
    Programme,
    ReservePool,
)
from tests.factories import CadreFactory

D = dt.date
ON = D(2026, 12, 1)


def pool(name="经济发展·乡科级后备", *, criteria=(), **fields):
    p = ReservePool.objects.create(name=name, industry=Industry.objects.order_by("id").first(),
                                   category=PoolCategory.objects.order_by("id").first(), **fields)
    for i, (kind, params) in enumerate(criteria):
        PoolCriterion.objects.create(pool=p, kind=kind, params=params, order=i)
    return p


def admit(p, cadre, status=EntryStatus.ADMITTED):
    return PoolEntry.objects.create(pool=p, cadre=cadre, status=status)


_SCHEME = {}


def annual(year, status=PeriodStatus.PUBLISHED):
    tier, category = Tier.objects.order_by("id").first(), Category.objects.order_by("id").first()
    if "s" not in _SCHEME or not IndicatorScheme.objects.filter(pk=_SCHEME["s"]).exists():
        _SCHEME["s"] = IndicatorScheme.objects.create(tier=tier, category=category, year=2024, version=99).pk
    return AssessmentPeriod.objects.create(name=f"{year}年度考核", kind=PeriodKind.ANNUAL, year=year,
                                           start_date=D(year, 1, 1), end_date=D(year, 12, 31), status=status)


def result(period, cadre, composite):
    return AssessmentResult.objects.create(
        period=period, cadre=cadre, unit=cadre.unit, tier_id=Tier.objects.order_by("id").first().pk,
        category_id=Category.objects.order_by("id").first().pk, scheme_id=_SCHEME["s"],
        composite=Decimal(composite))


def record(cadre, points, start, status=RecordStatus.VERIFIED):
    return PerformanceRecord.objects.create(
        cadre=cadre, unit=cadre.unit, category=TaskCategory.objects.order_by("id").first(), title="实绩",
        description="做法", role="lead", start_date=start, status=status, points=Decimal(points),
        base_points=Decimal(points))


def award(cadre, level, on, revoked=False):
    kind, _ = AwardKind.objects.get_or_create(name=f"测试表彰-{level}", defaults={"target": "cadre", "level": level})
    return Award.objects.create(kind=kind, cadre=cadre, unit=cadre.unit, year=on.year, awarded_on=on,
                                issuing_body="市委", revoked_on=on + dt.timedelta(days=10) if revoked else None,
                                revoke_reason="撤销" if revoked else "")


def card(cadre, start, end, color="yellow"):
    return WarningCard.objects.create(
        color=color, cadre=cadre, unit=cadre.unit, reason=CardReason.objects.get(name="推诿扯皮"), facts="事实",
        issuing_body="市委组织部", start_date=start, end_date=end, status=CardStatus.ISSUED)


def waive(cadre, c, **flags):
    return ToleranceRuling.objects.create(
        cadre=cadre, unit=cadre.unit, applicant="org", matter=f"事项{c.pk}", loss="损失", conduct="表现", card=c,
        status=RulingStatus.DECIDED, decision=RulingDecision.FULL, decided_on=c.start_date, **flags)


def posting(cadre, evaluation, start=None, end=None, status=PostingStatus.CLOSED):
    start, end = start or D(2024, 3, 1), end or D(2025, 2, 28)
    return FrontlinePosting.objects.create(
        cadre=cadre, programme=Programme.objects.order_by("id").first(), host="马庄村", start_date=start,
        end_date=end, status=status, evaluation=evaluation if status == PostingStatus.CLOSED else "")


def build(tree):
    """The world of the module docstring: {"pool", "a", "b", "c", "d" (cadre pks), "entries"}."""
    young = D(1986, 5, 20)
    a = CadreFactory(unit=tree.town_a, name="甲", birth_date=young)
    b = CadreFactory(unit=tree.town_b, name="乙", birth_date=young)
    c = CadreFactory(unit=tree.town_a, name="丙", birth_date=young)
    d = CadreFactory(unit=tree.town_b, name="丁", birth_date=D(1976, 1, 1))
    p = pool(criteria=[(CriterionKind.AGE, {"max": 45})])
    entries = {k: admit(p, x).pk for k, x in {"a": a, "b": b, "c": c, "d": d}.items()}
    y25, y24, y23 = annual(2025), annual(2024), annual(2023)
    annual(2026, status=PeriodStatus.OPEN)  # not published: not counted, nor the anchor year
    result(y25, a, "92.50")
    result(y24, a, "88.00")
    for period, value in ((y25, "90.00"), (y24, "95.00"), (y23, "80.00")):
        result(period, b, value)
    for x in (c, d):
        result(y25, x, "99.00")
    record(a, "20.00", D(2026, 1, 15))
    record(a, "10.00", ON)  # the run day itself counts
    record(a, "20.00", D(2025, 12, 1))  # the last day of the second window
    record(a, "99.00", D(2026, 2, 1), status=RecordStatus.SUBMITTED)  # not verified: not counted
    record(b, "50.00", D(2025, 12, 2))  # the first day of the latest window
    record(b, "10.00", D(2024, 1, 1))
    record(b, "40.00", D(2023, 12, 1))  # before the third window
    award(a, "city", D(2025, 6, 1))
    award(a, "county", D(2023, 12, 2))
    award(a, "county", D(2023, 12, 1))  # one day too early
    award(a, "national", D(2025, 1, 1), revoked=True)
    posting(a, "good")
    posting(a, "fair", start=D(2025, 3, 1), end=D(2026, 2, 28))
    posting(a, "", status=PostingStatus.APPROVED)  # under way: not counted
    posting(b, "excellent")
    card(a, D(2026, 3, 1), D(2026, 8, 31))
    waive(b, card(b, D(2026, 2, 1), D(2026, 7, 31)), waive_assessment=True, waive_pool=True)
    card(c, D(2026, 11, 1), D(2027, 4, 30))
    return {"pool": p.pk, "a": a.pk, "b": b.pk, "c": c.pk, "d": d.pk, "entries": entries}
