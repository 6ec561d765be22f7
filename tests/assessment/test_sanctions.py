"""处分: recorded by org staff with the term of its kind, revoked with a reason (never deleted),
bad input refused naming the field; the pages, the API and scope."""
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from assessment.models import ConductStep, Sanction
from assessment.services import sanctions as ssvc
from pingdingshan.core.dates import today
from pingdingshan.core.models import Notification
from tests.factories import CadreFactory


def _create(by, cadre, **kw):
    data = dict(kind="warning", decided_on=dt.date(2026, 3, 1), body="市纪委监委", document_no="平纪〔2026〕3号",
                facts="履职不力")
    data.update(kw)
    return ssvc.sanction_create(by=by, cadre=cadre, **data)


def test_term_follows_the_kind(org_staff, leader, cadre_a, settings):
    s = _create(org_staff, cadre_a)
    assert (s.decided_on, s.end_date) == (dt.date(2026, 3, 1), dt.date(2026, 8, 31))  # 警告: 6 months, inclusive
    assert _create(org_staff, cadre_a, kind="demerit").end_date == dt.date(2027, 2, 28)
    settings.SANCTION_TERM_MONTHS = {"warning": 2}
    assert _create(org_staff, cadre_a).end_date == dt.date(2026, 4, 30)
    assert ConductStep.objects.filter(subject="sanction", subject_id=s.pk, action="record").exists()
    assert Notification.objects.filter(user=leader).count() == 3
    assert ssvc.state(s, dt.date(2026, 8, 31)) == ssvc.IN_FORCE
    assert ssvc.state(s, dt.date(2026, 9, 1)) == ssvc.EXPIRED


def test_bad_input_names_the_fields_and_saves_nothing(org_staff, cadre_a, tree):
    with pytest.raises(ValidationError) as e:
        _create(org_staff, cadre_a, kind="fine", decided_on=today() + dt.timedelta(days=1), body=" ")
    assert set(e.value.message_dict) == {"kind", "decided_on", "body"}
    retired = CadreFactory(unit=tree.town_a, status="retired")
    with pytest.raises(ValidationError) as e:
        _create(org_staff, retired)
    assert "退休" in e.value.message_dict["cadre"][0]
    assert not Sanction.objects.exists()


def test_only_org_staff_record_and_revoke(org_staff, leader, auditor, cadre_a):
    for user in (leader, auditor):
        with pytest.raises(PermissionDenied):
            _create(user, cadre_a)
    s = _create(org_staff, cadre_a)
    for user in (leader, auditor):
        with pytest.raises(PermissionDenied):
            ssvc.sanction_revoke(by=user, sanction=s, reason="复查撤销")
        assert ssvc.allowed_actions(s, user) == frozenset()
    assert ssvc.allowed_actions(s, org_staff) == {"revoke"}


def test_revoke_with_a_reason_once(org_staff, cadre_a):
    s = _create(org_staff, cadre_a)
    with pytest.raises(ValidationError) as e:
        ssvc.sanction_revoke(by=org_staff, sanction=s, reason=" ")
    assert "reason" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        ssvc.sanction_revoke(by=org_staff, sanction=s, reason="复查", on=dt.date(2026, 2, 1))
    assert "on" in e.value.message_dict
    assert Sanction.objects.get(pk=s.pk).revoked_on is None
    s = ssvc.sanction_revoke(by=org_staff, sanction=s, reason="经复查撤销", on=dt.date(2026, 5, 1))
    assert (s.revoked_on, s.revoke_reason, ssvc.state(s)) == (dt.date(2026, 5, 1), "经复查撤销", ssvc.REVOKED)
    with pytest.raises(ValidationError, match="已撤销"):
        ssvc.sanction_revoke(by=org_staff, sanction=s, reason="again")
    step = ConductStep.objects.get(subject="sanction", subject_id=s.pk, action="revoke")
    assert (step.from_status, step.to_status, step.reason) == ("in_force", "revoked", "经复查撤销")


# --------------------------------------------------------------------------- pages
def test_pages(client, org_staff, cadre_a, cadre_b):
    client.force_login(org_staff)
    made = client.post(reverse("assessment:sanction_create"), {
        "cadre": cadre_a.pk, "kind": "warning", "decided_on": "2026-03-01", "body": "市纪委监委"})
    assert made.status_code == 302
    s = Sanction.objects.get()
    assert s.end_date == dt.date(2026, 8, 31)
    other = _create(org_staff, cadre_b, kind="demerit", decided_on=dt.date(2025, 1, 10))
    url = reverse("assessment:sanction_list")
    assert {r.pk for r in client.get(url).context["sanctions"]} == {s.pk, other.pk}
    assert [r.pk for r in client.get(url, {"kind": "demerit"}).context["sanctions"]] == [other.pk]
    assert [r.pk for r in client.get(url, {"year": 2026}).context["sanctions"]] == [s.pk]
    assert {r.pk for r in client.get(url, {"state": "expired"}).context["sanctions"]} == {s.pk, other.pk}
    assert not client.get(url, {"state": "in_force"}).context["sanctions"]
    detail = client.get(reverse("assessment:sanction_detail", args=[s.pk]))
    assert detail.status_code == 200 and "2026-08-31" in detail.content.decode()
    bad = client.post(reverse("assessment:sanction_revoke", args=[s.pk]), {"reason": ""})
    assert bad.status_code == 200 and bad.context["revoke_form"].errors["reason"]
    ok = client.post(reverse("assessment:sanction_revoke", args=[s.pk]), {"reason": "复查撤销"})
    assert ok.status_code == 302 and Sanction.objects.get(pk=s.pk).revoked_on == today()
    assert [r.pk for r in client.get(url, {"state": "revoked"}).context["sanctions"]] == [s.pk]
    export = client.get(reverse("assessment:sanction_export"), {"format": "csv"})
    assert export.status_code == 200


def test_create_page_errors_next_to_the_fields(client, org_staff, cadre_a):
    client.force_login(org_staff)
    page = client.post(reverse("assessment:sanction_create"), {
        "cadre": cadre_a.pk, "kind": "warning", "decided_on": (today() + dt.timedelta(days=3)).isoformat(),
        "body": "市纪委"})
    assert page.status_code == 200 and "不能晚于今天" in str(page.context["form"].errors["decided_on"])
    assert not Sanction.objects.exists()


def test_leaders_read_their_scope(client, org_staff, leader, cadre_a, cadre_b):
    mine, other = _create(org_staff, cadre_a), _create(org_staff, cadre_b)
    client.force_login(leader)
    assert [r.pk for r in client.get(reverse("assessment:sanction_list")).context["sanctions"]] == [mine.pk]
    assert client.get(reverse("assessment:sanction_detail", args=[other.pk])).status_code == 404
    assert client.post(reverse("assessment:sanction_revoke", args=[mine.pk]), {"reason": "x"}).status_code == 403
    assert client.post(reverse("assessment:sanction_revoke", args=[other.pk]), {"reason": "x"}).status_code == 404
    assert client.get(reverse("assessment:sanction_create")).status_code == 403


# --------------------------------------------------------------------------- API
def test_api(client, org_staff, leader, cadre_a):
    client.force_login(org_staff)
    made = client.post("/api/v1/sanctions/", {"cadre": cadre_a.pk, "kind": "party_warning", "decided_on": "2026-02-01",
                                              "body": "县纪委"}, content_type="application/json")
    assert made.status_code == 201, made.json()
    body = made.json()
    assert (body["end_date"], body["state"], body["allowed_actions"]) == ("2027-01-31", "in_force", ["revoke"])
    bad = client.post("/api/v1/sanctions/", {"cadre": cadre_a.pk, "kind": "warning", "decided_on": "2030-01-01",
                                             "body": "县纪委"}, content_type="application/json")
    assert bad.status_code == 400 and "decided_on" in bad.json()["errors"]
    revoked = client.post(f"/api/v1/sanctions/{body['id']}/revoke/", {"reason": "撤销"}, content_type="application/json")
    assert revoked.status_code == 200 and revoked.json()["state"] == "revoked"
    again = client.post(f"/api/v1/sanctions/{body['id']}/revoke/", {"reason": "撤销"}, content_type="application/json")
    assert again.status_code == 400
    client.force_login(leader)
    assert [r["id"] for r in client.get("/api/v1/sanctions/").json()["results"]] == [body["id"]]
    refused = client.post(f"/api/v1/sanctions/{body['id']}/revoke/", {"reason": "x"}, content_type="application/json")
    assert refused.status_code == 403


# --------------------------------------------------------------------------- demo
def test_demo_parts(org_staff, tree):
    """The demo's sanctions and reminders: every state, deterministic, through the services."""
    import random

    from assessment.demo_conduct import Context, reminders, sanctions
    from assessment.models import Reminder

    for i in range(14):
        CadreFactory(unit=tree.town_a if i % 2 else tree.town_b)
    ctx = Context(by=org_staff, rng=random.Random(7), today=today())
    assert sanctions.build(ctx) == 4
    states = sorted(ssvc.state(s) for s in Sanction.objects.all())
    assert "revoked" in states and "expired" in states
    assert Sanction.objects.filter(kind="warning", decided_on__year=2026).exists()
    assert reminders.build(ctx) == 9
    assert set(Reminder.objects.values_list("kind", flat=True)) == {"talk", "inquiry", "admonish"}
    assert Reminder.objects.filter(followed_up_on__isnull=False).count() == 3
    assert Reminder.objects.filter(followed_up_on__isnull=True, follow_up_on__lte=today()).count() == 3
    assert not set(Reminder.objects.values_list("cadre_id", flat=True)) & set(
        Sanction.objects.values_list("cadre_id", flat=True))
