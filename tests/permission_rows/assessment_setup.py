"""Permission-matrix rows of the assessment set-up and scoring pages (see tests/test_permission_matrix.py).

Reads: the lists (periods, schemes, tiers, categories) for every role (unit leaders see published
periods and schemes only); an open period, a draft scheme and the open period's score grid for
org staff and auditors (``staff_obj``: unit leaders 404); the published ones for everyone
(``view_obj``). Writes: org staff only (``assess``)."""
from assessment.models import AssessmentPeriod, Category, IndicatorScheme, Score, Tier, UnitCategory

from . import Ok, exists, gone, now, pk, refetch


def draft_period(o, user):
    """Set-up steps (schemes, rater groups, enrolment, opening) are for a period in preparation."""
    AssessmentPeriod.objects.filter(pk=o["period"].pk).update(status="draft")


def no_schemes(o, user):
    """A period in preparation without its scheme yet (setting it is then an effect)."""
    draft_period(o, user)
    o["period"].schemes.clear()


def nobody_enrolled(o, user):
    """A period in preparation nobody is enrolled in yet."""
    draft_period(o, user)
    o["period"].results.all().delete()


def not_computed(o, user):
    AssessmentPeriod.objects.filter(pk=o["period"].pk).update(computed_at=None)


def _grid(o):
    """The score grid of the open period's rater group: every cadre scored 90 on every indicator."""
    data = {"result": []}
    for result in o["period"].results.select_related("scheme"):
        data["result"].append(result.pk)
        for ind in result.scheme.indicators.filter(method="rater"):
            data[f"s-{result.pk}-{ind.pk}"] = "90"
    return data


PERIOD = {"kind": "annual", "year": 2027, "start_date": "2027-01-01", "end_date": "2027-12-31", "excellent_share": "20",
          "excellent_min": "90", "competent_min": "70", "basic_min": "60"}
INDICATORS = {"ind-TOTAL_FORMS": 2, "ind-INITIAL_FORMS": 0, "ind-MIN_NUM_FORMS": 0, "ind-MAX_NUM_FORMS": 1000,
              "name": "", "note": "",
              "ind-0-dimension": "political", "ind-0-name": "政治品质", "ind-0-weight": "40", "ind-0-method": "rater",
              "ind-0-is_veto": "on", "ind-0-veto_threshold": "60",
              "ind-1-dimension": "business", "ind-1-name": "履职成效", "ind-1-weight": "60", "ind-1-method": "rater"}

PAGES = [
    ("assessment:home", None, "get", "view"),  # the period list
    ("assessment:period_list", None, "get", "view"),
    ("assessment:period_export", None, "get", "view"),
    ("assessment:period_create", None, "get", "assess"),
    ("assessment:period_create", None, "post", "assess", Ok(data={**PERIOD, "name": "2027年度考核"},
                                                            effect=exists(AssessmentPeriod, name="2027年度考核"))),
    ("assessment:period_detail", "period", "get", "staff_obj"),
    ("assessment:period_detail", "published_period", "get", "view_obj"),
    ("assessment:period_edit", "period", "get", "assess"),
    ("assessment:period_edit", "period", "post", "assess", Ok(form=True, data={"name": "2026年度考核（改）"},
                                                              effect=now("period", name="2026年度考核（改）"))),
    ("assessment:period_schemes", "period", "get", "assess"),
    ("assessment:period_schemes", "period", "post", "assess", Ok(
        prepare=no_schemes, data=lambda o: {"schemes": [o["published_scheme"].pk]},
        effect=lambda o, r: list(o["period"].schemes.values_list("pk", flat=True)) == [o["published_scheme"].pk])),
    ("assessment:period_rater_groups", "period", "get", "assess"),
    ("assessment:period_rater_groups", "period", "post", "assess", Ok(
        prepare=draft_period, data=lambda o: {
            "rows": 2, "g0_id": o["rater_group"].pk, "g0_name": "上级领导", "g0_order": 1, f"g0_w{o['tier'].pk}": "60",
            "g1_name": "同级", "g1_order": 2, f"g1_w{o['tier'].pk}": "40"},
        effect=lambda o, r: sorted(o["period"].rater_groups.values_list("name", flat=True)) == ["上级领导", "同级"])),
    ("assessment:period_enrol", "period", "post", "assess", Ok(  # back to the period page, with the counts
        prepare=nobody_enrolled, effect=lambda o, r: o["period"].results.filter(cadre=o["cadre"]).exists())),
    ("assessment:period_left_out", "period", "get", "assess"),
    ("assessment:period_open", "period", "post", "assess", Ok(prepare=draft_period, effect=now("period", status="open"))),
    ("assessment:period_compute", "period", "post", "assess", Ok(
        prepare=not_computed, effect=lambda o, r: refetch(o, "period").computed_at is not None)),
    ("assessment:result_remove", "result", "post", "assess", Ok(effect=gone("result"))),
    ("assessment:score_entry", "rater_group", "get", "staff_obj"),
    ("assessment:score_entry", "rater_group", "post", "assess", Ok(
        data=_grid, effect=lambda o, r: Score.objects.filter(rater_group=o["rater_group"], result=o["result"]).exists())),
    ("assessment:scheme_list", None, "get", "view"),
    ("assessment:scheme_export", None, "get", "view"),
    ("assessment:scheme_create", None, "get", "assess"),
    ("assessment:scheme_create", None, "post", "assess", Ok(
        data=lambda o: {"tier": o["tier"].pk, "category": o["assess_category"].pk, "year": 2028},
        effect=exists(IndicatorScheme, year=2028, status="draft"))),
    ("assessment:scheme_detail", "scheme", "get", "staff_obj"),
    ("assessment:scheme_detail", "published_scheme", "get", "view_obj"),
    ("assessment:scheme_edit", "scheme", "get", "assess"),
    ("assessment:scheme_edit", "scheme", "post", "assess", Ok(
        data=INDICATORS, effect=lambda o, r: sorted(o["scheme"].indicators.values_list("name", flat=True)) == [
            "履职成效", "政治品质"])),
    ("assessment:scheme_publish", "scheme", "post", "assess", Ok(effect=now("scheme", status="published"))),
    ("assessment:scheme_new_version", "published_scheme", "post", "assess", Ok(
        effect=exists(IndicatorScheme, year=2026, version=2, status="draft"))),
    ("assessment:scheme_copy", "published_scheme", "get", "assess"),
    ("assessment:scheme_copy", "published_scheme", "post", "assess", Ok(
        data={"year": 2028}, effect=exists(IndicatorScheme, year=2028, status="draft"))),
    ("assessment:scheme_delete", "scheme", "post", "assess", Ok(effect=gone("scheme"))),
    ("assessment:tier_list", None, "get", "view"),
    ("assessment:tier_create", None, "get", "assess"),
    ("assessment:tier_create", None, "post", "assess", Ok(form=True, data={"name": "新设层级", "post_class": "deputy"},
                                                          effect=exists(Tier, name="新设层级"))),
    ("assessment:tier_edit", "tier", "get", "assess"),
    ("assessment:tier_edit", "tier", "post", "assess", Ok(form=True, data={"order": 42}, effect=now("tier", order=42))),
    ("assessment:category_list", None, "get", "view"),
    ("assessment:category_create", None, "get", "assess"),
    ("assessment:category_create", None, "post", "assess", Ok(form=True, data={"name": "新设类别"},
                                                              effect=exists(Category, name="新设类别"))),
    ("assessment:category_edit", "assess_category", "get", "assess"),
    ("assessment:category_edit", "assess_category", "post", "assess", Ok(
        form=True, data={"order": 42}, effect=now("assess_category", order=42))),
    ("assessment:unit_category", None, "get", "assess"),
    ("assessment:unit_category", None, "post", "assess", Ok(
        form=True, data=lambda o: {"unit": o["tree"].county_b.pk, "category": o["assess_category"].pk},
        effect=exists(UnitCategory, unit=lambda o: o["tree"].county_b.pk, category=pk("assess_category")))),
]
