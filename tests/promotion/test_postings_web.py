"""Frontline posting pages and API: the list with its filters, its export, its query count as rows
grow; the form (a leader picks only cadres of their units; errors next to the fields); the detail
page's buttons and reason forms; the API's actions with ``allowed_actions`` and the one error
shape; the programme pages; the cadre's career timeline; the work desk's lines."""
import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from cadres.models import CadreStatus
from pingdingshan.core import desk
from pingdingshan.core.dates import today
from promotion import desk_postings
from promotion.models import FrontlinePosting, Programme, PromotionStep
from promotion.services import postings as svc
from tests.conftest import make_people, make_tree, rolled_back
from tests.factories import CadreFactory

U = get_user_model()
DAY = today()


def _build():
    tree = make_tree()
    people = make_people(tree)
    org, leader = people.org_staff, people.leader
    programme = Programme.objects.get(name="乡村振兴驻村")
    project = Programme.objects.get(name="重大项目攻坚")
    retired = CadreFactory(unit=tree.town_a, name="钱退", status=CadreStatus.RETIRED)

    def post(cadre, host, start, days, programme=programme, by=leader):
        return svc.posting_propose(by=by, fields={"cadre": cadre, "programme": programme, "host": host, "tasks": "任务",
                                                  "start_date": start, "end_date": start + dt.timedelta(days=days)})

    proposed = post(people.cadre_a, "城关镇大营村", DAY + dt.timedelta(days=200), 90)
    running = svc.posting_approve(by=org, posting=post(people.cadre_a, "重点项目指挥部", DAY - dt.timedelta(days=100),
                                                       60, programme=project))  # past its end: to evaluate
    closed = post(people.cadre_a, "信访接待中心", DAY - dt.timedelta(days=400), 200)
    closed = svc.posting_close(by=org, posting=svc.posting_approve(by=org, posting=closed), evaluation="excellent",
                               remarks="成效明显")
    rejected = svc.posting_reject(by=org, posting=post(people.cadre_a, "应急指挥部", DAY + dt.timedelta(days=400), 30),
                                  reason="人选另行考虑")
    other = post(people.cadre_b, "昆阳街道", DAY - dt.timedelta(days=10), 100, by=org)
    return dict(org=org.pk, leader=leader.pk, auditor=people.auditor.pk, cadre_a=people.cadre_a.pk,
                cadre_b=people.cadre_b.pk, retired=retired.pk, programme=programme.pk, project=project.pk,
                proposed=proposed.pk, running=running.pk, closed=closed.pk, rejected=rejected.pk, other=other.pk,
                town_a=tree.town_a.pk, county_b=tree.county_b.pk)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with rolled_back(django_db_blocker, _build) as w:
        yield w


@pytest.fixture
def w(world, db):
    return world


def _login(client, w, role):
    client.force_login(U.objects.get(pk=w[role]))
    return client


def _api(w, role):
    c = APIClient()
    c.force_authenticate(U.objects.get(pk=w[role]))
    return c


def _ids(r):
    return sorted(p.pk for p in r.context["postings"])


# --------------------------------------------------------------------------- list, filters, export
def test_list_filters(client, w):
    _login(client, w, "org")
    url = reverse("promotion:posting_list")
    r = client.get(url)
    assert r.status_code == 200 and r.context["page_obj"].paginator.count == 5
    assert _ids(client.get(url, {"status": "proposed"})) == sorted([w["proposed"], w["other"]])
    assert _ids(client.get(url, {"evaluation": "excellent"})) == [w["closed"]]
    assert _ids(client.get(url, {"programme": w["project"]})) == [w["running"]]
    assert _ids(client.get(url, {"unit": w["county_b"]})) == [w["other"]]
    assert _ids(client.get(url, {"q": "张三"})) == sorted([w["proposed"], w["running"], w["closed"], w["rejected"]])
    assert _ids(client.get(url, {"to_evaluate": "1"})) == [w["running"]]
    on = (DAY - dt.timedelta(days=90)).isoformat()  # the running posting's days (the proposed other is not)
    assert _ids(client.get(url, {"on": on})) == [w["running"]]
    assert _ids(client.get(url, {"status": "rejected", "rejected_since": (DAY - dt.timedelta(days=1)).isoformat()})) \
        == [w["rejected"]]
    r = client.get(url, {"ordering": "-evaluation"})
    assert r.status_code == 200
    r = client.get(url, {"on": "not-a-date"})
    assert r.status_code == 200 and not r.context["filters_valid"]


def test_leader_lists_only_their_units(client, w):
    _login(client, w, "leader")
    r = client.get(reverse("promotion:posting_list"))
    assert w["other"] not in _ids(r) and len(_ids(r)) == 4


def test_export_content_follows_the_filters(client, w):
    _login(client, w, "auditor")
    r = client.get(reverse("promotion:posting_export"), {"format": "csv", "evaluation": "excellent"})
    assert r.status_code == 200
    body = b"".join(r.streaming_content if r.streaming else [r.content]).decode("utf-8-sig")
    assert "信访接待中心" in body and "优秀" in body and "成效明显" in body and "城关镇大营村" not in body
    r = client.get(reverse("promotion:posting_export"), {"format": "xlsx"})
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")


def _count(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url, params or {})
    assert r.status_code == 200, (url, r.status_code)
    return len(ctx.captured_queries)


def _more(w, k):
    from cadres.models import Unit

    unit = Unit.objects.get(pk=w["town_a"])
    org = U.objects.get(pk=w["org"])
    programme = Programme.objects.get(pk=w["programme"])
    for _i in range(k):
        c = CadreFactory(unit=unit)
        svc.posting_approve(by=org, posting=svc.posting_propose(by=org, fields={
            "cadre": c, "programme": programme, "host": "村", "start_date": DAY, "end_date": DAY}))


@pytest.mark.parametrize("name,params", [
    ("promotion:posting_list", {}), ("promotion:posting_export", {"format": "csv"}),
    ("promotion:programme_list", {}), ("posting-list", {}),
])
def test_list_query_count_constant(client, w, name, params):
    _login(client, w, "org")
    url = reverse(name)
    _more(w, 2)
    few = _count(client, url, params)
    _more(w, 6)
    assert _count(client, url, params) == few


# --------------------------------------------------------------------------- form
def test_leader_form_offers_only_cadres_of_their_units(client, w):
    _login(client, w, "leader")
    r = client.get(reverse("promotion:posting_create"), {"cadre": w["cadre_a"]})
    form = r.context["form"]
    choices = set(form.fields["cadre"].queryset.values_list("pk", flat=True))
    assert w["cadre_a"] in choices and w["cadre_b"] not in choices and w["retired"] not in choices
    assert form.initial["cadre"] == w["cadre_a"]
    r = client.post(reverse("promotion:posting_create"), {
        "cadre": w["cadre_b"], "programme": w["programme"], "host": "x", "start_date": "2030-01-01",
        "end_date": "2030-02-01"})
    assert r.status_code == 200 and "cadre" in r.context["form"].errors
    assert not FrontlinePosting.objects.filter(cadre=w["cadre_b"], host="x").exists()


def test_form_errors_next_to_fields_in_chinese(client, w):
    _login(client, w, "org")
    url = reverse("promotion:posting_create")
    r = client.post(url, {"cadre": w["cadre_a"], "programme": w["programme"], "host": "",
                          "start_date": "2030-03-01", "end_date": "2030-02-01"})
    assert r.context["form"].errors["host"] == ["请填写派驻单位或任务。"]
    r = client.post(url, {"cadre": w["cadre_a"], "programme": w["programme"], "host": "村",
                          "start_date": "2030-03-01", "end_date": "2030-02-01"})
    assert r.context["form"].errors["end_date"] == ["结束日期不能早于开始日期。"]
    proposed = FrontlinePosting.objects.get(pk=w["proposed"])
    r = client.post(url, {"cadre": w["cadre_a"], "programme": w["programme"], "host": "村",
                          "start_date": proposed.end_date.isoformat(), "end_date": "2099-01-01"})
    assert "时间重叠" in r.context["form"].errors["start_date"][0]
    assert not FrontlinePosting.objects.filter(start_date=dt.date(2030, 3, 1)).exists()  # nothing saved


def test_edit_refused_once_approved(client, w):
    _login(client, w, "leader")
    r = client.get(reverse("promotion:posting_edit", args=[w["running"]]))
    assert r.status_code == 302
    r = client.get(reverse("promotion:posting_edit", args=[w["other"]]))
    assert r.status_code == 404


# --------------------------------------------------------------------------- detail and steps
def test_detail_shows_buttons_of_the_allowed_actions(client, w):
    _login(client, w, "org")
    r = client.get(reverse("promotion:posting_detail", args=[w["proposed"]]))
    assert [b["action"] for b in r.context["buttons"]] == ["approve", "reject", "withdraw"]
    body = r.content.decode()
    assert "城关镇大营村" in body and "办理经过" in body and "操作历史" in body
    _login(client, w, "leader")
    r = client.get(reverse("promotion:posting_detail", args=[w["proposed"]]))
    assert [b["action"] for b in r.context["buttons"]] == ["withdraw"] and r.context["can_edit"]
    r = client.get(reverse("promotion:posting_detail", args=[w["rejected"]]))
    assert "人选另行考虑" in r.content.decode()  # the step's reason
    assert client.get(reverse("promotion:posting_detail", args=[w["other"]])).status_code == 404


def test_reject_without_reason_reopens_its_form(client, w):
    _login(client, w, "org")
    r = client.post(reverse("promotion:posting_reject", args=[w["proposed"]]), {"reject-reason": ""})
    assert r.status_code == 200
    button = next(b for b in r.context["buttons"] if b["action"] == "reject")
    assert button["open"] and "reason" in button["form"].errors
    assert FrontlinePosting.objects.get(pk=w["proposed"]).status == "proposed"


def test_close_without_evaluation_reopens_its_form(client, w):
    _login(client, w, "org")
    r = client.post(reverse("promotion:posting_close", args=[w["running"]]), {"close-remarks": "好"})
    button = next(b for b in r.context["buttons"] if b["action"] == "close")
    assert "evaluation" in button["form"].errors
    r = client.post(reverse("promotion:posting_close", args=[w["running"]]), {"close-evaluation": "good"})
    assert r.status_code == 302 and FrontlinePosting.objects.get(pk=w["running"]).status == "closed"


def test_illegal_step_is_a_message(client, w):
    _login(client, w, "org")
    r = client.post(reverse("promotion:posting_approve", args=[w["closed"]]), {}, follow=True)
    assert "当前状态为“已结束”，不能批准。" in r.content.decode()


def test_leader_steps_403_and_404(client, w):
    _login(client, w, "leader")
    assert client.post(reverse("promotion:posting_approve", args=[w["proposed"]])).status_code == 403
    assert client.post(reverse("promotion:posting_withdraw", args=[w["other"]])).status_code == 404
    r = client.post(reverse("promotion:posting_withdraw", args=[w["proposed"]]), {"withdraw-reason": "另有安排"})
    assert r.status_code == 302 and FrontlinePosting.objects.get(pk=w["proposed"]).status == "cancelled"


# --------------------------------------------------------------------------- API
def test_api_actions_answer_the_posting_with_allowed_actions(w):
    api = _api(w, "org")
    r = api.post(f"/api/v1/postings/{w['proposed']}/approve/", {"reason": "同意"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "approved" and r.json()["allowed_actions"] == ["close"]
    assert [s["action"] for s in r.json()["steps"]] == ["propose", "approve"]
    r = api.post(f"/api/v1/postings/{w['proposed']}/close/", {"evaluation": ""}, format="json")
    assert r.status_code == 400 and set(r.json()) == {"message", "errors"} and "evaluation" in r.json()["errors"]
    r = api.post(f"/api/v1/postings/{w['proposed']}/close/", {"evaluation": "good"}, format="json")
    assert r.status_code == 400 and "evaluated_on" in r.json()["errors"]  # it has not started yet
    r = api.post(f"/api/v1/postings/{w['running']}/close/", {"evaluation": "good", "remarks": "好"}, format="json")
    assert r.status_code == 200 and r.json()["evaluation"] == "good" and r.json()["allowed_actions"] == []
    r = api.post(f"/api/v1/postings/{w['running']}/reject/", {"reason": "x"}, format="json")
    assert r.status_code == 400 and "当前状态为" in r.json()["message"]


def test_api_create_update_and_errors(w):
    api = _api(w, "leader")
    body = {"cadre": w["cadre_a"], "programme": w["programme"], "host": "村", "start_date": "2031-01-01",
            "end_date": "2030-01-01"}
    r = api.post("/api/v1/postings/", body, format="json")
    assert r.status_code == 400 and "end_date" in r.json()["errors"]
    r = api.post("/api/v1/postings/", {**body, "end_date": "2031-06-30"}, format="json")
    assert r.status_code == 201 and r.json()["status"] == "proposed"
    assert r.json()["allowed_actions"] == ["edit", "withdraw"]
    pk = r.json()["id"]
    r = api.patch(f"/api/v1/postings/{pk}/", {"host": "另一村"}, format="json")
    assert r.status_code == 200 and r.json()["host"] == "另一村"
    r = api.post("/api/v1/postings/", {**body, "cadre": w["cadre_b"], "end_date": "2031-06-30"}, format="json")
    assert r.status_code == 400 and "cadre" in r.json()["errors"]
    assert api.post(f"/api/v1/postings/{pk}/approve/", {}, format="json").status_code == 403
    assert api.get(f"/api/v1/postings/{w['other']}/").status_code == 404
    r = api.patch(f"/api/v1/postings/{w['running']}/", {"host": "改"}, format="json")
    assert r.status_code == 400


def test_api_list_uses_the_page_filters(w):
    r = _api(w, "auditor").get("/api/v1/postings/", {"status": "proposed"})
    assert r.status_code == 200 and sorted(p["id"] for p in r.json()["results"]) == sorted([w["proposed"], w["other"]])
    r = _api(w, "auditor").get("/api/v1/postings/", {"on": "x"})
    assert r.status_code == 400 and "on" in r.json()["errors"]


def test_api_schema_documents_the_posting_actions(w):
    r = _api(w, "org").get(reverse("api-schema"), {"format": "json"})
    paths = r.json()["paths"]
    for action in ("approve", "reject", "withdraw", "close"):
        assert f"/api/v1/postings/{{id}}/{action}/" in paths
    assert "/api/v1/programmes/" in paths


# --------------------------------------------------------------------------- programmes
def test_programme_pages(client, w):
    _login(client, w, "org")
    r = client.get(reverse("promotion:programme_list"))
    assert r.status_code == 200 and "乡村振兴驻村" in r.content.decode()
    r = client.post(reverse("promotion:programme_create"), {"name": "乡村振兴驻村", "order": 1, "is_active": "on"})
    assert r.status_code == 200 and "name" in r.context["form"].errors
    r = client.post(reverse("promotion:programme_edit", args=[w["project"]]),
                    {"name": "重大项目攻坚", "order": 4, "description": ""})
    assert r.status_code == 302 and not Programme.objects.get(pk=w["project"]).is_active
    _login(client, w, "leader")
    r = client.get(reverse("promotion:posting_create"))
    assert w["project"] not in set(r.context["form"].fields["programme"].queryset.values_list("pk", flat=True))


# --------------------------------------------------------------------------- the cadre's career timeline
def test_career_timeline_lists_postings_in_date_order_with_links(client, w):
    _login(client, w, "leader")
    r = client.get(reverse("cadres:cadre_detail", args=[w["cadre_a"]]), {"tab": "career"})
    assert r.status_code == 200
    events = [line["event"] for line in r.context["timeline"] if "event" in line]
    starts = [e.start for e in events]
    assert starts == sorted(starts) and len(events) == 4
    closed = next(e for e in events if "信访接待中心" in e.text)
    assert closed.url == reverse("promotion:posting_detail", args=[w["closed"]]) and "优秀" in str(closed.badge)
    body = r.content.decode()
    assert "新增一线历练" in body and f"?cadre={w['cadre_a']}" in body
    _login(client, w, "auditor")
    r = client.get(reverse("cadres:cadre_detail", args=[w["cadre_a"]]), {"tab": "career"})
    assert "新增一线历练" not in r.content.decode() and "信访接待中心" in r.content.decode()


# --------------------------------------------------------------------------- work desk
def _lines(user):
    return {line.label: line for line in desk.lines_for(user)}


def test_desk_lines_for_org_staff(w, django_assert_num_queries):
    org = U.objects.get(pk=w["org"])
    lines = _lines(org)
    assert lines["待审批的一线历练"].count == 2 and lines["待审批的一线历练"].url.endswith("?status=proposed")
    assert lines["期满待评价的一线历练"].count == 1 and "to_evaluate=1" in lines["期满待评价的一线历练"].url
    with django_assert_num_queries(2):  # one COUNT per line, on the posting list at its URL
        list(desk_postings.staff_lines(org))


def test_desk_lines_for_unit_leaders(w, django_assert_num_queries):
    leader = U.objects.get(pk=w["leader"])
    lines = _lines(leader)
    assert lines["待组织部审批的一线历练"].count == 1
    assert lines["近期未获批准的一线历练"].count == 1
    assert "rejected_since=" in lines["近期未获批准的一线历练"].url
    leader = U.objects.get(pk=w["leader"])
    with django_assert_num_queries(3):  # the roles, then one COUNT per line
        list(desk_postings.leader_lines(leader))
    PromotionStep.objects.filter(action="reject").update(at=timezone.now() - dt.timedelta(days=60))
    assert "近期未获批准的一线历练" not in _lines(U.objects.get(pk=w["leader"]))
