"""Demo assessments for ``seed_demo``: explicit categories for a few city departments, one
published scheme per (tier, category) found among the cadres for 2025 and a copy for 2026, the
published 2025 annual assessment and the 2026 one open for scoring, both computed. Scores go
through ``scores_save`` (audited, validated); deterministic (``cadres.demo.data.SEED``).

Some cadres lack the third rater group's scores (their weight is shared out), a few fail the
political veto, and some have no scores at all in 2026 (not graded yet), so every path of the
pages shows in the demo.
"""
import datetime as dt
import random
from collections import defaultdict

from cadres.demo import data as D
from cadres.models import Cadre, CadreStatus, Unit

from . import services as asvc
from .models import AssessmentPeriod, Category, IndicatorScheme, Tier

EXPLICIT = {
    "政法部门": ["市委政法委", "市公安局", "市司法局"],
    "社会事业部门": ["市教育局", "市民政局", "市文化广电和旅游局", "市卫生健康委员会", "市医疗保障局",
               "市退役军人事务局"],
}
INDICATORS = [
    {"dimension": "political", "name": "政治品质", "weight": "15", "method": "rater", "is_veto": True,
     "veto_threshold": "60", "description": "对党忠诚，贯彻落实上级决策部署坚决有力"},
    {"dimension": "political", "name": "廉洁自律", "weight": "10", "method": "rater",
     "description": "严守纪律规矩，落实全面从严治党责任"},
    {"dimension": "business", "name": "履职能力", "weight": "20", "method": "rater",
     "description": "专业素养、统筹协调和改革创新能力"},
    {"dimension": "business", "name": "工作实绩", "weight": "25", "method": "rater",
     "description": "年度目标任务和中心工作完成情况"},
    {"dimension": "practice", "name": "担当作为", "weight": "20", "method": "rater",
     "description": "急难险重任务中敢于担当、善于作为"},
    # Weight 10: most demo cadres have few verified records in a year, and a heavier weight graded
    # a third of the city 基本称职 (each then a card proposal), which no city would believe.
    {"dimension": "practice", "name": "实绩档案积分", "weight": "10", "method": "archive_points",
     "params": {"full_points": "12"}, "description": "本周期已核实的实绩分折算（12分及以上得满分）"},
]
GROUPS = [("上级", 40, 50), ("同级", 30, 30), ("下级和服务对象", 30, 20)]  # (name, weight, weight for 中层干部)


def _place_units(by):
    for name, units in EXPLICIT.items():
        category = Category.objects.get(name=name)
        for unit in Unit.objects.filter(name__in=units, level="city"):
            asvc.unit_category_set(by=by, unit=unit, category=category)


def _schemes(by, year, pairs, source=None):
    out = []
    for tier_id, category_id in pairs:
        tier, category = Tier.objects.get(pk=tier_id), Category.objects.get(pk=category_id)
        scheme = IndicatorScheme.objects.filter(tier=tier, category=category, year=year).first()
        if scheme is None:
            prior = (source or {}).get((tier_id, category_id))
            if prior is not None:
                scheme = asvc.scheme_copy(by=by, scheme=prior, year=year)
            else:
                scheme = asvc.scheme_create(by=by, tier=tier, category=category, year=year, indicators=INDICATORS)
        if scheme.status != "published":
            scheme = asvc.scheme_publish(by=by, scheme=scheme)
        out.append(scheme)
    return out


def _period(by, year, schemes, rng, *, publish, coverage):
    period = asvc.period_save(by=by, name=f"{year}年度考核", kind="annual", year=year,
                              start_date=dt.date(year, 1, 1), end_date=dt.date(year, 12, 31))
    asvc.period_set_schemes(by=by, period=period, schemes=schemes)
    middle = Tier.objects.get(name="中层干部").pk
    tiers = {s.tier_id for s in schemes}
    asvc.rater_groups_save(by=by, period=period, groups=[
        {"name": name, "weights": {t: (mid if t == middle else w) for t in tiers}} for name, w, mid in GROUPS])
    asvc.period_enrol(by=by, period=period)
    asvc.period_open(by=by, period=period)
    groups = list(period.rater_groups.order_by("order", "id"))
    by_scheme = asvc.rater_indicators({s.pk for s in schemes})
    entries = defaultdict(list)
    for result in period.results.order_by("id"):
        if rng.random() > coverage:
            continue  # not scored yet
        quality = rng.gauss(86, 5)
        veto = rng.random() < 0.01
        for gi, group in enumerate(groups):
            if gi == 2 and rng.random() < 0.1:
                continue  # the lower-level raters gave no scores: their weight is shared out
            for ind in by_scheme[result.scheme_id]:
                score = rng.gauss(quality, 4)
                if veto and ind.is_veto:
                    score = rng.uniform(40, 58)
                entries[group].append((result.pk, ind.pk, f"{min(100.0, max(0.0, score)):.1f}"))
    for group, rows in entries.items():
        asvc.scores_save(by=by, period=period, rater_group=group, entries=rows)
    asvc.period_compute(by=by, period=period)
    if publish:
        period.refresh_from_db()
        asvc.period_publish(by=by, period=period, confirm=True)
    return period


def build_demo_assessment(*, by) -> int:
    """Load the demo assessments once (nothing when a period exists); returns the results made."""
    if AssessmentPeriod.objects.exists():
        return 0
    rng = random.Random(D.SEED)
    _place_units(by)
    placements = asvc.classify_cadres(Cadre.objects.filter(status=CadreStatus.ACTIVE))
    pairs = sorted({(p.tier_id, p.category_id) for p in placements.values() if not p.reason})
    if not pairs:
        return 0
    s2025 = _schemes(by, 2025, pairs)
    s2026 = _schemes(by, 2026, pairs, source={(s.tier_id, s.category_id): s for s in s2025})
    p2025 = _period(by, 2025, s2025, rng, publish=True, coverage=1.0)
    p2026 = _period(by, 2026, s2026, rng, publish=False, coverage=0.9)
    return p2025.results.count() + p2026.results.count()
