"""API of the results: list with filters and scope, detail with explanation, override (audited,
cap enforced, error shape), leaderboards with whole-group ranks."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessment.models import Grade

from .results_world import publish

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_computed_world")]  # built once (conftest.py)

RESULTS = "/api/v1/assessment-results/"
BOARDS = "/api/v1/leaderboards/"




def test_list_filters_and_detail(client, org_staff, period, computed):
    client.force_login(org_staff)
    body = client.get(RESULTS, {"period": period.pk, "ordering": "-composite"}).json()
    assert [r["cadre_name"] for r in body["results"]] == ["乙一", "甲一", "甲二", "甲三", "乙二"]
    assert body["results"][0]["grade_label"] == "优秀"
    assert client.get(RESULTS, {"grade": "1"}).json()["count"] == 1
    assert client.get(RESULTS, {"q": "乙"}).json()["count"] == 2
    detail = client.get(f"{RESULTS}{computed['甲三'].pk}/").json()
    assert detail["explanation"]["total"] == 84.0
    assert "下级和服务对象未评分，其权重按比例分配给其他评价主体。" in detail["notes"]


def test_leader_scope(client, org_staff, leader, period, computed):
    client.force_login(leader)
    assert client.get(RESULTS).json()["count"] == 0
    assert client.get(f"{RESULTS}{computed['甲一'].pk}/").status_code == 404
    publish(org_staff, period)
    assert client.get(RESULTS).json()["count"] == 3
    assert client.get(f"{RESULTS}{computed['甲一'].pk}/").status_code == 200
    r = client.get(f"{RESULTS}{computed['乙一'].pk}/")
    assert r.status_code == 404 and set(r.json()) == {"message", "errors"}
    board = client.get(BOARDS, {"period": period.pk}).json()
    assert [(row["cadre_name"], row["rank"], row["group_size"]) for row in board["results"]] == [
        ("甲一", 2, 5), ("甲二", 3, 5), ("甲三", 4, 5)]


def test_override_audited_and_cap(client, org_staff, auditor, period, computed):
    client.force_login(org_staff)
    pk = computed["甲一"].pk
    r = client.post(f"{RESULTS}{pk}/override/", {"grade": Grade.EXCELLENT, "reason": "表现突出"},
                    content_type="application/json")
    assert r.status_code == 400
    assert r.json()["errors"]["grade"] == ["本组优秀名额为1人，已用完；请先调整其他人的等次。"]
    r = client.post(f"{RESULTS}{pk}/override/", {"grade": Grade.BASIC, "reason": "受到诫勉"},
                    content_type="application/json")
    assert r.status_code == 200 and r.json()["grade"] == "3" and r.json()["overridden"]
    h = computed["甲一"].history.order_by("-history_date").first()
    assert (h.grade, h.override_reason, h.history_user) == ("3", "受到诫勉", org_staff)
    client.force_login(auditor)
    assert client.post(f"{RESULTS}{pk}/override/", {"grade": "", "reason": "x"},
                       content_type="application/json").status_code == 403


def test_leaderboard_by_points_and_bad_group(client, org_staff, period, tier, category, computed):
    client.force_login(org_staff)
    body = client.get(BOARDS, {"period": period.pk, "tier": tier.pk, "category": category.pk, "by": "points"}).json()
    assert {row["rank"] for row in body["results"]} == {1} and body["count"] == 5
    r = client.get(BOARDS, {"period": period.pk, "tier": tier.pk, "category": category.pk + 999})
    assert r.status_code == 400 and "tier" in r.json()["errors"]
    assert client.get(BOARDS, {"by": "nonsense"}).status_code == 400


def test_api_queries_constant(client, org_staff, period, computed):
    client.force_login(org_staff)

    def count(url, size):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, {"page_size": size, "period": period.pk}).status_code == 200
        return len(ctx.captured_queries)

    assert count(RESULTS, 1) == count(RESULTS, 5)
    assert count(BOARDS, 1) == count(BOARDS, 5)
