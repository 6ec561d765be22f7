"""The assessment set-up API: schemes saved as a whole (weights validated), frozen after
publishing, periods through their steps, scores all or nothing, compute and publish; the OpenAPI
schema stays free of warnings."""
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from assessment.models import AssessmentPeriod, IndicatorScheme, Score

from .conftest import INDICATORS

pytestmark = pytest.mark.django_db


def api(user):
    c = APIClient()
    c.force_authenticate(user)
    return c


def test_scheme_weights_must_sum_to_100_and_nothing_is_saved(org_staff, tier, category):
    rows = [dict(r) for r in INDICATORS]
    rows[1]["weight"] = "45"
    r = api(org_staff).post(reverse("indicator-scheme-list"), {"tier": tier.pk, "category": category.pk,
                                                               "year": 2026, "indicators": rows}, format="json")
    assert r.status_code == 400, r.content
    assert "权重之和须为100，现为105" in str(r.json()["errors"]["indicators"])
    assert not IndicatorScheme.objects.exists()


def test_scheme_create_save_publish_then_frozen(org_staff, tier, category):
    c = api(org_staff)
    r = c.post(reverse("indicator-scheme-list"), {"tier": tier.pk, "category": category.pk, "year": 2026,
                                                  "indicators": INDICATORS}, format="json")
    assert r.status_code == 201, r.content
    sid = r.json()["id"]
    inds = r.json()["indicators"]
    assert [i["name"] for i in inds] == [i["name"] for i in INDICATORS]
    # Save as a whole: rename one, drop the derived one and give its weight to another.
    rows = [dict(i) for i in inds if i["method"] == "rater"]
    rows[0]["name"] = "政治品质与廉洁"
    rows[1]["weight"] = "60"
    r = c.put(reverse("indicator-scheme-detail", args=[sid]), {"indicators": rows}, format="json")
    assert r.status_code == 200, r.content
    assert [i["name"] for i in r.json()["indicators"]] == ["政治品质与廉洁", "履职成效", "担当作为"]
    assert r.json()["indicators"][0]["id"] == inds[0]["id"]  # kept, not re-created
    assert c.post(reverse("indicator-scheme-publish", args=[sid])).status_code == 200
    r = c.put(reverse("indicator-scheme-detail", args=[sid]), {"indicators": rows}, format="json")
    assert r.status_code == 400 and "已发布" in r.json()["message"] + str(r.json()["errors"])
    r = c.post(reverse("indicator-scheme-new-version", args=[sid]))
    assert r.status_code == 201 and r.json()["version"] == 2 and r.json()["status"] == "draft"
    r = c.post(reverse("indicator-scheme-copy", args=[sid]), {"year": 2027}, format="json")
    assert r.status_code == 201 and r.json()["year"] == 2027


def test_two_vetoes_refused(org_staff, tier, category):
    rows = [dict(r) for r in INDICATORS]
    rows[1]["is_veto"] = True
    r = api(org_staff).post(reverse("indicator-scheme-list"), {"tier": tier.pk, "category": category.pk,
                                                               "year": 2026, "indicators": rows}, format="json")
    assert r.status_code == 400 and "一票否决指标只能有一个" in str(r.json()["errors"])


def test_period_flow_scores_compute_publish(eager, org_staff, period, deputies):
    c = api(org_staff)
    group = period.rater_groups.get(name="上级")
    result = period.results.get(cadre=deputies[0])
    inds = list(result.scheme.indicators.filter(method="rater"))
    url = reverse("assessment-period-scores", args=[period.pk])
    # One bad score: nothing saved, the cadre and the problem named.
    entries = [{"result": result.pk, "indicator": i.pk, "score": "88"} for i in inds]
    entries[1]["score"] = None
    r = c.post(url, {"rater_group": group.pk, "entries": entries}, format="json")
    assert r.status_code == 400
    assert "甲一" in str(r.json()["errors"]) and "缺少指标" in str(r.json()["errors"])
    assert not Score.objects.exists()
    entries[1]["score"] = "91.5"
    r = c.post(url, {"rater_group": group.pk, "entries": entries}, format="json")
    assert r.status_code == 200 and r.json()["created"] == 3
    assert c.get(url, {"rater_group": group.pk}).json()["count"] == 3
    r = c.post(reverse("assessment-period-compute", args=[period.pk]))
    assert r.status_code == 202 and r.json()["state"] == "done" and r.json()["result"]["results"] == 5
    r = c.post(reverse("assessment-period-publish", args=[period.pk]), {"confirm": True}, format="json")
    assert r.status_code == 400  # four cadres have no scores: no grade
    assert "没有等次" in str(r.json())


def test_compute_of_a_period_not_in_scoring_is_refused_before_any_job(org_staff, period):
    from pingdingshan.core.models import Job

    AssessmentPeriod.objects.filter(pk=period.pk).update(status="draft")
    r = api(org_staff).post(reverse("assessment-period-compute", args=[period.pk]))
    assert r.status_code == 400 and "不能计算综合得分" in r.json()["message"] + str(r.json()["errors"])
    assert not Job.objects.exists()


def test_leaders_and_auditors_cannot_write(leader, auditor, period):
    for user in (leader, auditor):
        r = api(user).post(reverse("assessment-period-compute", args=[period.pk]))
        assert r.status_code in (403, 404)
    # A unit leader does not see the open period at all.
    assert api(leader).get(reverse("assessment-period-detail", args=[period.pk])).status_code == 404
    assert api(leader).get(reverse("assessment-period-list")).json()["count"] == 0
    assert api(auditor).get(reverse("assessment-period-list")).json()["count"] == 1
    AssessmentPeriod.objects.filter(pk=period.pk).update(status="published")
    assert api(leader).get(reverse("assessment-period-detail", args=[period.pk])).status_code == 200


def test_openapi_schema_has_no_warnings():
    out = io.StringIO()
    call_command("spectacular", "--fail-on-warn", "--validate", stdout=out)
    assert "/api/v1/assessment-periods/{id}/scores/" in out.getvalue()
