"""Permission-matrix rows of the assessment set-up API (tiers, categories, schemes, periods, their
actions and scores); see tests/test_permission_matrix.py. Writes need ``assess`` (org staff).
The open period and the draft scheme are out of a unit leader's sight (404)."""
from assessment.models import AssessmentPeriod, Category, IndicatorScheme, Score, Tier

from . import Ok, exists, gone, now, refetch
from .assessment_setup import PERIOD, draft_period, no_schemes, nobody_enrolled, not_computed

INDICATORS = [{"dimension": "political", "name": "政治品质", "weight": "40", "method": "rater", "is_veto": True},
              {"dimension": "business", "name": "履职成效", "weight": "60", "method": "rater"}]


def _two_indicators(kind):
    return lambda o, r: sorted(o[kind].indicators.values_list("name", flat=True)) == ["履职成效", "政治品质"]


PUBLISHED = "已发布"  # what changing a published scheme is refused with

API = [
    ("assessment-tier-list", None, "get", "api_list"),
    ("assessment-tier-list", None, "post", "api_assess", Ok(data={"name": "新设层级", "post_class": "deputy"},
                                                            effect=exists(Tier, name="新设层级"))),
    ("assessment-tier-detail", "tier", "get", "api_ref"),
    ("assessment-tier-detail", "tier", "patch", "api_assess", Ok(data={"order": 42}, effect=now("tier", order=42))),
    ("assessment-category-list", None, "get", "api_list"),
    ("assessment-category-list", None, "post", "api_assess", Ok(data={"name": "新设类别"},
                                                                effect=exists(Category, name="新设类别"))),
    ("assessment-category-detail", "assess_category", "get", "api_ref"),
    ("assessment-category-detail", "assess_category", "patch", "api_assess", Ok(
        data={"order": 42}, effect=now("assess_category", order=42))),
    ("indicator-scheme-list", None, "get", "api_list"),
    ("indicator-scheme-list", None, "post", "api_assess", Ok(
        data=lambda o: {"tier": o["tier"].pk, "category": o["assess_category"].pk, "year": 2028, "indicators": INDICATORS},
        effect=exists(IndicatorScheme, year=2028, status="draft"))),
    ("indicator-scheme-detail", "published_scheme", "get", "api_ref"),
    ("indicator-scheme-detail", "scheme", "get", "api_staff_obj"),
    ("indicator-scheme-detail", "scheme", "put", "api_assess", Ok(data={"indicators": INDICATORS},
                                                                  effect=_two_indicators("scheme"))),
    ("indicator-scheme-detail", "published_scheme", "put", "api_assess", Ok(  # frozen once published
        data={"indicators": INDICATORS}, status=400, refusal=PUBLISHED,
        effect=lambda o, r: list(o["published_scheme"].indicators.values_list("name", flat=True)) == ["政治品质"])),
    ("indicator-scheme-detail", "scheme", "delete", "api_assess", Ok(effect=gone("scheme"))),
    ("indicator-scheme-detail", "published_scheme", "delete", "api_assess", Ok(
        status=400, refusal=PUBLISHED, effect=lambda o, r: refetch(o, "published_scheme") is not None)),
    ("indicator-scheme-publish", "scheme", "post", "api_assess", Ok(effect=now("scheme", status="published"))),
    ("indicator-scheme-publish", "published_scheme", "post", "api_assess", Ok(
        status=400, refusal=PUBLISHED, effect=now("published_scheme", status="published"))),
    ("indicator-scheme-new-version", "published_scheme", "post", "api_assess", Ok(
        status=201, effect=exists(IndicatorScheme, year=2026, version=2, status="draft"))),
    ("indicator-scheme-copy", "published_scheme", "post", "api_assess", Ok(
        data={"year": 2028}, status=201, effect=exists(IndicatorScheme, year=2028, status="draft"))),
    ("assessment-period-list", None, "get", "api_list"),
    ("assessment-period-list", None, "post", "api_assess", Ok(data={**PERIOD, "name": "2027年度考核"},
                                                              effect=exists(AssessmentPeriod, name="2027年度考核"))),
    ("assessment-period-detail", "published_period", "get", "api_ref"),
    ("assessment-period-detail", "period", "get", "api_staff_obj"),
    ("assessment-period-detail", "period", "patch", "api_assess", Ok(data={"name": "2026年度考核（改）"},
                                                                     effect=now("period", name="2026年度考核（改）"))),
    ("assessment-period-schemes", "period", "post", "api_assess", Ok(
        prepare=no_schemes, data=lambda o: {"schemes": [o["published_scheme"].pk]},
        effect=lambda o, r: list(o["period"].schemes.values_list("pk", flat=True)) == [o["published_scheme"].pk])),
    ("assessment-period-rater-groups", "published_period", "get", "api_ref"),
    ("assessment-period-rater-groups", "period", "post", "api_assess", Ok(
        prepare=draft_period, data=lambda o: {"groups": [
            {"id": o["rater_group"].pk, "name": "上级领导", "order": 1, "weights": {str(o["tier"].pk): "60"}},
            {"name": "同级", "order": 2, "weights": {str(o["tier"].pk): "40"}}]},
        effect=lambda o, r: sorted(o["period"].rater_groups.values_list("name", flat=True)) == ["上级领导", "同级"])),
    ("assessment-period-enrol", "period", "post", "api_assess", Ok(
        prepare=nobody_enrolled, effect=lambda o, r: o["period"].results.filter(cadre=o["cadre"]).exists())),
    ("assessment-period-open", "period", "post", "api_assess", Ok(prepare=draft_period, effect=now("period", status="open"))),
    ("assessment-period-compute", "period", "post", "api_assess", Ok(
        status=202, prepare=not_computed, effect=lambda o, r: refetch(o, "period").computed_at is not None)),
    ("assessment-period-publish", "period", "post", "api_assess", Ok(data={"confirm": True},
                                                                     effect=now("period", status="published"))),
    ("assessment-period-scores", "published_period", "get", "api_ref"),
    ("assessment-period-scores", "period", "post", "api_assess", Ok(
        data=lambda o: {"rater_group": o["rater_group"].pk, "entries": [
            {"result": o["result"].pk, "indicator": o["published_scheme"].indicators.get().pk, "score": "90"}]},
        effect=lambda o, r: Score.objects.filter(rater_group=o["rater_group"], result=o["result"]).exists())),
]
