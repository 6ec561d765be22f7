"""Defects of the trial in the assessment API and set-up: ids of 2**63 or more and ids that are not
numbers answer 400 (not 500, not minutes of work), a tier key that is not a number in rater-group
weights is refused with a sentence, deleting a cadre who has assessment results is refused with the
reason, and ``grade`` is never ``""``."""
import datetime as dt
import json
import time

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from assessment import services as asvc
from assessment.models import AssessmentResult, PeriodKind
from cadres.models import Cadre
from tests.factories import CadreFactory

BIG = 99999999999999999999999
pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_login(user)
    return client


@pytest.mark.parametrize("value", [str(BIG), "1e100000000", "²"])
def test_assessment_results_cadre_filter(org_staff, period, value):
    started = time.monotonic()
    r = api(org_staff).get(reverse("assessment-result-list"), {"cadre": value})
    assert r.status_code == 400, r.content
    assert "cadre" in r.json()["errors"]
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("name", ["record-list", "cadre-list", "assessment-result-list"])
def test_unit_and_cadre_filters_answer_like_a_missing_id(org_staff, name, period):
    for param in ("unit", "cadre"):
        r = api(org_staff).get(reverse(name), {param: str(BIG)})
        if param == "cadre" and name == "cadre-list":
            continue
        assert r.status_code == 400, (name, param, r.content)
        assert param in r.json()["errors"]


def test_score_with_a_huge_result_id_is_refused(org_staff, period):
    group = period.rater_groups.first()
    result = AssessmentResult.objects.filter(period=period).first()
    indicator = result.scheme.indicators.first()
    r = api(org_staff).post(reverse("assessment-period-scores", args=[period.pk]), {
        "rater_group": group.pk, "entries": [{"result": BIG, "indicator": indicator.pk, "score": "80"}]},
        format="json")
    assert r.status_code == 400, r.content
    assert not result.scores.exists()


# --------------------------------------------------------------------------- rater-group weights
@pytest.fixture
def draft_period(org_staff, scheme, deputies):
    p = asvc.period_save(by=org_staff, name="2027年度考核", kind=PeriodKind.ANNUAL, year=2026,
                         start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 12, 31))
    asvc.period_set_schemes(by=org_staff, period=p, schemes=[scheme])
    return p


@pytest.mark.parametrize("key", ["abc", "1.5", "²", "-1", ""])
def test_a_tier_key_that_is_not_a_tier_id_is_refused(org_staff, draft_period, tier, key):
    r = api(org_staff).post(reverse("assessment-period-rater-groups", args=[draft_period.pk]), {
        "groups": [{"name": "上级", "weights": {key: "60", str(tier.pk): "100"}}]}, format="json")
    assert r.status_code == 400, r.content
    assert "不是考核层级的编号" in json.dumps(r.json(), ensure_ascii=False)
    assert not draft_period.rater_groups.exists()


def test_a_weight_that_is_not_finite_is_refused_by_the_service(org_staff, draft_period, tier):
    with pytest.raises(ValidationError) as e:
        asvc.rater_groups_save(by=org_staff, period=draft_period, groups=[
            {"name": "上级", "weights": {tier.pk: "NaN"}}])
    assert "须为数字" in " ".join(e.value.messages)


def test_tier_keys_as_numbers_or_digit_strings_are_taken(org_staff, draft_period, tier):
    r = api(org_staff).post(reverse("assessment-period-rater-groups", args=[draft_period.pk]), {
        "groups": [{"name": "上级", "weights": {str(tier.pk): "100"}}]}, format="json")
    assert r.status_code == 200, r.content
    assert draft_period.rater_groups.get().weights.get().weight == 100


# --------------------------------------------------------------------------- a cadre with assessment results
def test_deleting_a_cadre_with_assessment_results_is_refused_on_the_page(client, org_staff, period):
    cadre = AssessmentResult.objects.filter(period=period).first().cadre
    client.force_login(org_staff)
    r = client.post(reverse("cadres:cadre_delete", args=[cadre.pk]), follow=True)
    assert r.status_code == 200
    html = r.content.decode()
    assert f"“{cadre.name}”还有考核结果 1 条引用它，不能删除。" in html and "调离、退休" in html
    assert Cadre.objects.filter(pk=cadre.pk).exists()


def test_deleting_a_cadre_with_assessment_results_is_refused_by_the_api(org_staff, period):
    cadre = AssessmentResult.objects.filter(period=period).first().cadre
    r = api(org_staff).delete(reverse("cadre-detail", args=[cadre.pk]))
    assert r.status_code == 400, r.content
    assert "考核结果 1 条" in r.json()["message"]
    assert Cadre.objects.filter(pk=cadre.pk).exists()


def test_a_cadre_without_anything_attached_is_still_deleted(org_staff, tree):
    cadre = CadreFactory(unit=tree.town_a)
    r = api(org_staff).delete(reverse("cadre-detail", args=[cadre.pk]))
    assert r.status_code == 204, r.content
    assert not Cadre.objects.filter(pk=cadre.pk).exists()


# --------------------------------------------------------------------------- grade
def test_grade_is_null_not_blank_before_computing(org_staff, period):
    r = api(org_staff).get(reverse("assessment-result-list"), {"period": period.pk})
    assert r.status_code == 200, r.content
    rows = r.json()["results"]
    assert rows and all(row["grade"] is None and row["computed_grade"] is None for row in rows)
    assert all(row["grade_label"] == "" for row in rows)
    detail = api(org_staff).get(reverse("assessment-result-detail", args=[rows[0]["id"]])).json()
    assert detail["grade"] is None


def test_grade_in_the_schema_is_a_nullable_enum_without_blank(org_staff):
    schema = api(org_staff).get(reverse("api-schema"), {"format": "json"}).json()
    prop = schema["components"]["schemas"]["Result"]["properties"]["grade"]
    text = json.dumps(prop)
    assert '""' not in text and "BlankEnum" not in text
    assert prop.get("nullable") or "NullEnum" in text


# --------------------------------------------------------------------------- "²" passes str.isdigit(), not int()
def test_odd_digits_in_ids_are_not_a_500(client, org_staff, period):
    client.force_login(org_staff)
    assert client.get(reverse("assessment:unit_category"), {"unit": "²"}).status_code == 200
    r = api(org_staff).get(reverse("assessment-period-scores", args=[period.pk]), {"rater_group": "²"})
    assert r.status_code == 200, r.content
