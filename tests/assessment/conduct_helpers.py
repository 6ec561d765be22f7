"""Small builders shared by the tests of reminders, sanctions and the conduct work desk."""
import datetime as dt
from decimal import Decimal

from django.utils import timezone

from assessment.models import (
    AssessmentPeriod,
    AssessmentResult,
    CardProposal,
    CardReason,
    Category,
    PeriodStatus,
    Tier,
    WarningCard,
)


def published_periods(by, scores: dict, *, kind="annual", years=(2024, 2025)):
    """Two published periods of ``kind`` with the cadres' composites: ``scores`` = {cadre: (before,
    after)}. Returns (previous, latest)."""
    from assessment import services as asvc

    tier, category = Tier.objects.get(name="乡镇(街道)副职"), Category.objects.get(name="县(市、区)")
    rows = [{"dimension": "political", "name": "政治品质", "weight": "100", "method": "rater", "is_veto": True}]
    scheme = asvc.scheme_publish(by=by, scheme=asvc.scheme_create(by=by, tier=tier, category=category, year=years[0],
                                                                  indicators=rows))
    periods = []
    for i, year in enumerate(years):
        p = asvc.period_save(by=by, name=f"{year}年度考核", kind=kind, year=year, start_date=dt.date(year, 1, 1),
                             end_date=dt.date(year, 12, 31))
        AssessmentPeriod.objects.filter(pk=p.pk).update(
            status=PeriodStatus.PUBLISHED, published_at=timezone.make_aware(dt.datetime(year + 1, 1, 20)))
        for cadre, pair in scores.items():
            AssessmentResult.objects.create(period=p, cadre=cadre, unit=cadre.unit, tier=tier, category=category,
                                            scheme=scheme, composite=Decimal(str(pair[i])), grade="2")
        periods.append(p)
    return periods[0], periods[1]


def proposal(cadre, *, suggestion="reminder", trigger="records_lagging", status="pending", key=None,
             detected_on=None):
    return CardProposal.objects.create(trigger=trigger, cadre=cadre, suggestion=suggestion, status=status,
                                       key=key or f"{trigger}:{cadre.pk}:{suggestion}:{status}",
                                       detected_on=detected_on or dt.date(2026, 11, 1),
                                       facts={"returned": 3})


def card(cadre, *, color="yellow", status="issued", start=None, months=6):
    from assessment.services.conduct import add_months

    start = start or dt.date(2026, 11, 20)
    reason = CardReason.objects.get_or_create(name="推诿扯皮")[0]
    return WarningCard.objects.create(color=color, cadre=cadre, unit=cadre.unit, reason=reason,
                                      facts="推诿扯皮", issuing_body="市委组织部", start_date=start,
                                      end_date=add_months(start, months), status=status)
