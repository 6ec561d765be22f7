"""Warning card pages and API: the list with its filters and export, the form and its errors next to
the fields, the detail page's buttons and reason forms, a unit leader's appeal, the adjustment list
with its overdue filter and the record form, and the API's actions with the error shape."""
import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from rest_framework.test import APIClient

from assessment.models import Adjustment, CardReason, WarningCard
from assessment.services import cards as svc
from cadres import services as roster
from cadres.models import Appointment, Cadre, CadreStatus
from pingdingshan.core.dates import today
from tests.conftest import make_people, make_tree, rolled_back
from tests.factories import CadreFactory, PostFactory

U = get_user_model()


def _build():
    tree = make_tree()
    people = make_people(tree)
    org = people.org_staff
    reason = CardReason.objects.get(name="推诿扯皮")
    retired = CadreFactory(unit=tree.town_a, name="钱退", status=CadreStatus.RETIRED)
    post = PostFactory(unit=tree.town_a, name="副镇长", quota=2)
    roster.appointment_create(by=org, cadre=people.cadre_a, post=post, start_date=dt.date(2020, 1, 1))
    start = today() - dt.timedelta(days=60)

    def card(cadre, color="yellow", facts="推诿扯皮"):
        return svc.card_create(by=org, cadre=cadre, color=color, reason=reason, facts=facts, issuing_body="市委组织部",
                               start_date=start)

    issued = svc.card_issue(by=org, card=card(people.cadre_a), reason="经核实")
    proposed = card(people.cadre_a, facts="拟发中")
    red = svc.card_issue(by=org, card=card(people.cadre_a, "red", "重大任务落实不力"), reason="经核实")
    other = svc.card_issue(by=org, card=card(people.cadre_b), reason="经核实")
    return dict(org=org.pk, leader=people.leader.pk, auditor=people.auditor.pk, cadre_a=people.cadre_a.pk,
                cadre_b=people.cadre_b.pk, retired=retired.pk, reason=reason.pk, issued=issued.pk,
                proposed=proposed.pk, red=red.pk, other=other.pk, town_a=tree.town_a.pk)


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


# --------------------------------------------------------------------------- list and export
def test_list_filters_and_hides_proposed_from_leaders(client, w):
    _login(client, w, "org")
    r = client.get(reverse("assessment:card_list"))
    assert r.status_code == 200 and r.context["page_obj"].paginator.count == 4
    r = client.get(reverse("assessment:card_list"), {"color": "red"})
    assert [c.pk for c in r.context["cards"]] == [w["red"]]
    r = client.get(reverse("assessment:card_list"), {"status": "proposed"})
    assert [c.pk for c in r.context["cards"]] == [w["proposed"]]
    r = client.get(reverse("assessment:card_list"), {"date_from": "2999-01-01"})
    assert r.context["page_obj"].paginator.count == 0
    r = client.get(reverse("assessment:card_list"), {"ordering": "-color"})
    assert r.status_code == 200
    _login(client, w, "leader")
    r = client.get(reverse("assessment:card_list"))
    assert {c.pk for c in r.context["cards"]} == {w["issued"], w["red"]}


def test_export(client, w):
    _login(client, w, "auditor")
    r = client.get(reverse("assessment:card_export"), {"format": "csv", "color": "yellow"})
    assert r.status_code == 200
    body = b"".join(r.streaming_content if r.streaming else [r.content]).decode("utf-8-sig")
    assert "推诿扯皮" in body and "重大任务落实不力" not in body


# --------------------------------------------------------------------------- form
def test_create_form_errors_next_to_fields(client, w):
    _login(client, w, "org")
    url = reverse("assessment:card_create")
    assert client.get(url, {"cadre": w["cadre_a"]}).status_code == 200
    data = {"cadre": w["cadre_a"], "color": "yellow", "reason": w["reason"], "facts": "工作推进缓慢",
            "issuing_body": "市委组织部", "start_date": "2026-05-01", "end_date": "2026-04-01"}
    r = client.post(url, data)
    assert r.status_code == 200
    assert "期满日期不能早于发牌日期。" in r.context["form"].errors["end_date"]
    r = client.post(url, {**data, "cadre": w["retired"], "end_date": ""})
    assert "cadre" in r.context["form"].errors  # a retired cadre is not among the choices
    assert not WarningCard.objects.filter(facts="工作推进缓慢").exists()
    r = client.post(url, {**data, "end_date": ""})
    card = WarningCard.objects.get(facts="工作推进缓慢")
    assert r.status_code == 302 and card.end_date == dt.date(2026, 10, 31)


def test_edit_only_while_proposed(client, w):
    _login(client, w, "org")
    r = client.get(reverse("assessment:card_edit", args=[w["issued"]]))
    assert r.status_code == 302
    r = client.get(reverse("assessment:card_edit", args=[w["proposed"]]))
    assert r.status_code == 200


# --------------------------------------------------------------------------- detail and steps
def test_detail_buttons_follow_the_table(client, w):
    _login(client, w, "org")
    r = client.get(reverse("assessment:card_detail", args=[w["proposed"]]))
    assert [b["action"] for b in r.context["buttons"]] == ["issue", "revoke"]
    _login(client, w, "leader")
    r = client.get(reverse("assessment:card_detail", args=[w["issued"]]))
    assert [b["action"] for b in r.context["buttons"]] == ["appeal"]
    assert client.get(reverse("assessment:card_detail", args=[w["proposed"]])).status_code == 404
    _login(client, w, "auditor")
    r = client.get(reverse("assessment:card_detail", args=[w["issued"]]))
    assert r.context["buttons"] == []


def test_step_needs_a_reason_shown_next_to_the_field(client, w):
    _login(client, w, "org")
    url = reverse("assessment:card_issue", args=[w["proposed"]])
    r = client.post(url, {"issue-reason": ""})
    assert r.status_code == 200
    button = next(b for b in r.context["buttons"] if b["action"] == "issue")
    assert button["open"] and "reason" in button["form"].errors
    assert WarningCard.objects.get(pk=w["proposed"]).status == "proposed"
    r = client.post(url, {"issue-reason": "经核实"})
    assert r.status_code == 302 and WarningCard.objects.get(pk=w["proposed"]).status == "issued"


def test_illegal_step_is_a_message(client, w):
    _login(client, w, "org")
    r = client.post(reverse("assessment:card_uphold", args=[w["issued"]]), {"uphold-reason": "维持"}, follow=True)
    assert "不能维持" in r.content.decode()
    assert WarningCard.objects.get(pk=w["issued"]).status == "issued"


def test_leader_appeals_and_org_staff_upholds(client, w):
    _login(client, w, "leader")
    r = client.post(reverse("assessment:card_appeal", args=[w["issued"]]), {"appeal-grounds": "事出有因"})
    assert r.status_code == 302 and WarningCard.objects.get(pk=w["issued"]).status == "appealed"
    assert client.post(reverse("assessment:card_appeal", args=[w["other"]]), {"appeal-grounds": "x"}).status_code == 404
    _login(client, w, "org")
    client.post(reverse("assessment:card_uphold", args=[w["issued"]]), {"uphold-reason": "不成立"})
    assert WarningCard.objects.get(pk=w["issued"]).status == "upheld"
    r = client.get(reverse("assessment:card_detail", args=[w["issued"]]))
    assert [s.action for s in r.context["steps"]] == ["create", "issue", "appeal", "uphold"]
    assert "不成立" in r.content.decode()


def test_lift_date_out_of_term_next_to_the_field(client, w):
    _login(client, w, "org")
    r = client.post(reverse("assessment:card_lift", args=[w["issued"]]),
                    {"lift-reason": "整改", "lift-lifted_on": "2000-01-01"})
    assert r.status_code == 200
    button = next(b for b in r.context["buttons"] if b["action"] == "lift")
    assert "lifted_on" in button["form"].errors


# --------------------------------------------------------------------------- adjustments
def test_adjustment_list_overdue_and_record(client, w):
    _login(client, w, "org")
    r = client.get(reverse("assessment:adjustment_list"), {"overdue": "1"})  # the work desk's link
    adj = Adjustment.objects.get(card=w["red"])
    assert [a.pk for a in r.context["adjustments"]] == [adj.pk]  # due 30 days after a start 60 days ago
    assert r.context["overdue_count"] == 1
    url = reverse("assessment:adjustment_record", args=[adj.pk])
    r = client.post(url, {"kind": "reassign", "decided_on": today().isoformat()})
    assert "new_post" in r.context["form"].errors
    current = Appointment.objects.get(cadre=w["cadre_a"], end_date__isnull=True)
    r = client.post(url, {"kind": "dismiss", "decided_on": today().isoformat(), "end_appointment": current.pk})
    assert r.status_code == 302
    assert Adjustment.objects.get(pk=adj.pk).status == "done"
    assert Cadre.objects.get(pk=w["cadre_a"]).current_post_id is None
    r = client.get(reverse("assessment:adjustment_list"), {"overdue": "true"})
    assert r.context["page_obj"].paginator.count == 0


def test_reason_pages(client, w):
    _login(client, w, "org")
    assert client.get(reverse("assessment:card_reason_list")).status_code == 200
    r = client.post(reverse("assessment:card_reason_edit", args=[w["reason"]]),
                    {"name": "推诿扯皮", "yellow_months": 0, "red_months": 12, "order": 4, "is_active": "on"})
    assert r.status_code == 200 and "yellow_months" in r.context["form"].errors
    r = client.post(reverse("assessment:card_reason_create"),
                    {"name": "推诿扯皮", "yellow_months": 3, "red_months": 12, "order": 4})
    assert r.status_code == 200 and "name" in r.context["form"].errors  # a duplicate, in Chinese


# --------------------------------------------------------------------------- API
def test_api_lifecycle_and_allowed_actions(w):
    org, leader = _api(w, "org"), _api(w, "leader")
    r = org.post("/api/v1/cards/", {"cadre": w["cadre_a"], "color": "red", "reason": w["reason"], "facts": "乱作为",
                                    "issuing_body": "市委组织部", "start_date": today().isoformat()}, format="json")
    assert r.status_code == 201, r.json()
    card = r.json()
    assert card["status"] == "proposed" and card["allowed_actions"] == ["edit", "issue", "revoke", "upload"]
    pk = card["id"]
    assert leader.get(f"/api/v1/cards/{pk}/").status_code == 404
    r = org.post(f"/api/v1/cards/{pk}/issue/", {"reason": ""}, format="json")
    assert r.status_code == 400 and "reason" in r.json()["errors"]
    r = org.post(f"/api/v1/cards/{pk}/issue/", {"reason": "经核实"}, format="json")
    assert r.status_code == 200 and r.json()["adjustment"]
    assert leader.get(f"/api/v1/cards/{pk}/").json()["allowed_actions"] == ["appeal"]
    assert leader.post(f"/api/v1/cards/{pk}/revoke/", {"reason": "x"}, format="json").status_code == 403
    r = leader.post(f"/api/v1/cards/{pk}/appeal/", {"grounds": "事出有因"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "appealed"
    r = org.post(f"/api/v1/cards/{pk}/lift/", {"reason": "整改"}, format="json")
    assert r.status_code == 400 and set(r.json()) == {"message", "errors"}
    r = org.post(f"/api/v1/cards/{pk}/revoke/", {"reason": "经复查撤销"}, format="json")
    assert r.json()["status"] == "revoked"
    adj = r.json()["adjustment"]
    assert org.get(f"/api/v1/adjustments/{adj}/").json()["status"] == "cancelled"
    assert [s["action"] for s in org.get(f"/api/v1/cards/{pk}/").json()["steps"]] == [
        "create", "issue", "appeal", "revoke"]


def test_api_bad_input(w):
    org = _api(w, "org")
    base = {"cadre": w["retired"], "color": "yellow", "reason": w["reason"], "facts": "x", "issuing_body": "y",
            "start_date": "2026-05-01", "end_date": "2026-04-01"}
    r = org.post("/api/v1/cards/", base, format="json")
    assert r.status_code == 400
    errors = r.json()["errors"]
    assert errors["cadre"] == ["该干部已退休，不能发放红黄牌。"] and "end_date" in errors
    WarningCard.objects.filter(pk=w["issued"]).update(end_date=today() - dt.timedelta(days=1))
    r = _api(w, "leader").post(f"/api/v1/cards/{w['issued']}/appeal/", {"grounds": "g"}, format="json")
    assert r.status_code == 400 and r.json()["message"] == "该红黄牌已到期，不能申诉。"
    r = org.patch(f"/api/v1/cards/{w['issued']}/", {"facts": "改"}, format="json")
    assert r.status_code == 400


def test_api_lists_and_adjustment_record(w):
    org = _api(w, "org")
    r = org.get("/api/v1/cards/", {"color": "red"})
    assert [c["id"] for c in r.json()["results"]] == [w["red"]]
    assert org.get("/api/v1/cards/", {"status": "nope"}).status_code == 400
    leader = _api(w, "leader")
    assert {c["id"] for c in leader.get("/api/v1/cards/").json()["results"]} == {w["issued"], w["red"]}
    adj = Adjustment.objects.get(card=w["red"])
    assert [a["id"] for a in org.get("/api/v1/adjustments/", {"overdue": "true"}).json()["results"]] == [adj.pk]
    r = org.post(f"/api/v1/adjustments/{adj.pk}/record/", {"kind": "dismiss", "decided_on": today().isoformat()},
                 format="json")
    assert r.status_code == 400 and "end_appointment" in r.json()["errors"]
    current = Appointment.objects.get(cadre=w["cadre_a"], end_date__isnull=True)
    r = org.post(f"/api/v1/adjustments/{adj.pk}/record/",
                 {"kind": "dismiss", "decided_on": today().isoformat(), "end_appointment": current.pk}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "done" and r.json()["ended_appointment"]["id"] == current.pk
    assert org.get("/api/v1/card-reasons/").status_code == 200


def test_pages_in_english(client, w):
    _login(client, w, "org")
    client.cookies["django_language"] = "en"
    adj = Adjustment.objects.get(card=w["red"])
    for url in (reverse("assessment:card_list"), reverse("assessment:card_detail", args=[w["red"]]),
                reverse("assessment:card_create"), reverse("assessment:card_reason_list"),
                reverse("assessment:adjustment_list"), reverse("assessment:adjustment_detail", args=[adj.pk])):
        r = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert r.status_code == 200, url
        assert "拟发红黄牌" not in r.content.decode(), url
