"""A small world for the triggers and the daily check: the unit tree and its people, a published
scheme, annual periods 2024 and 2025 (published) and 2026 (open); helpers that write results,
cards and returned records directly (the triggers read rows, whoever wrote them)."""
import datetime as dt

from django.utils import timezone

from assessment import services as asvc
from assessment.models import (
    AssessmentPeriod,
    AssessmentResult,
    CardReason,
    Category,
    PeriodStatus,
    Tier,
    WarningCard,
)
from cadres import services as csvc
from cadres.models import TaskCategory
from tests.conftest import make_people, make_tree

ROWS = [{"dimension": "political", "name": "政治品质", "weight": "100", "method": "rater", "is_veto": True}]


def build(*, with_people=True):
    tree = make_tree()
    people = make_people(tree)
    by = people.org_staff
    tier, category = Tier.objects.get(name="乡镇(街道)副职"), Category.objects.get(name="县(市、区)")
    scheme = asvc.scheme_publish(by=by, scheme=asvc.scheme_create(by=by, tier=tier, category=category, year=2025,
                                                                  indicators=ROWS))
    periods = {}
    for year, status in ((2024, PeriodStatus.PUBLISHED), (2025, PeriodStatus.PUBLISHED), (2026, PeriodStatus.OPEN)):
        periods[year] = AssessmentPeriod.objects.create(
            name=f"{year}年度考核", kind="annual", year=year, start_date=dt.date(year, 1, 1),
            end_date=dt.date(year, 12, 31), status=status,
            published_at=timezone.make_aware(dt.datetime(year + 1, 1, 20)) if status == PeriodStatus.PUBLISHED else None)
    return {"tree": tree, "people": people, "tier": tier, "category": category, "scheme": scheme, "periods": periods}


def result(w, period, cadre, *, grade="2", rank=None, size=None):
    return AssessmentResult.objects.create(period=period, cadre=cadre, unit=cadre.unit, tier=w["tier"],
                                           category=w["category"], scheme=w["scheme"], composite=80, grade=grade,
                                           computed_grade=grade, rank_points=rank, group_size=size)


def card(cadre, start, *, color="yellow", status="issued", months=6):
    from assessment.services.conduct import add_months

    return WarningCard.objects.create(color=color, cadre=cadre, unit=cadre.unit, reason=CardReason.objects.get(name="不作为"),
                                      facts="会议多次缺席", issuing_body="市委组织部", start_date=start,
                                      end_date=add_months(start, months), status=status)


def returned_record(by, cadre, title="道路建设"):
    category = TaskCategory.objects.get(name="乡村振兴")
    record = csvc.record_create(by=by, submit=True, cadre=cadre, category=category, title=title, description="完成",
                                role="lead", start_date=dt.date(2025, 3, 1))
    return csvc.record_return(by=by, record=record, reason="缺少佐证材料")
