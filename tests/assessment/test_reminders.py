"""担当提醒: the services (create, follow-up, update, the proposal confirmed), the signs (set-based,
in words, not suggested again once reminded), the pages and the API, and scope."""
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from assessment.models import CardProposal, ConductStep, Reminder
from assessment.services import reminders as rsvc
from pingdingshan.core.dates import today
from pingdingshan.core.models import Notification
from tests.factories import CadreFactory

from .conduct_helpers import proposal, published_periods

HELD = dt.date(2026, 11, 10)


def _create(by, cadre, **kw):
    data = dict(kind="talk", held_on=HELD, content="就推进迟缓问题谈话提醒", follow_up_on=dt.date(2026, 12, 10))
    data.update(kw)
    return rsvc.reminder_create(by=by, cadre=cadre, **data)


# --------------------------------------------------------------------------- services
def test_create_logs_a_step_and_tells_the_leader(org_staff, leader, cadre_a):
    r = _create(org_staff, cadre_a, signs_note="群众反映")
    assert r.recorded_by == org_staff and r.signs == [] and r.signs_note == "群众反映"
    step = ConductStep.objects.get(subject="reminder", subject_id=r.pk)
    assert (step.action, step.to_status, step.unit_id) == ("record", "open", cadre_a.unit_id)
    assert Notification.objects.filter(user=leader).count() == 1
    assert rsvc.allowed_actions(r, org_staff) == {"follow_up", "edit"}
    assert rsvc.allowed_actions(r, leader) == frozenset()


def test_follow_up_once(org_staff, cadre_a):
    r = _create(org_staff, cadre_a)
    r = rsvc.reminder_follow_up(by=org_staff, reminder=r, on=dt.date(2026, 11, 25), result="已整改到位")
    assert r.followed_up_on == dt.date(2026, 11, 25) and rsvc.state(r) == rsvc.DONE
    assert rsvc.allowed_actions(r, org_staff) == frozenset()
    with pytest.raises(ValidationError, match="已回访"):
        rsvc.reminder_follow_up(by=org_staff, reminder=r, on=dt.date(2026, 11, 26), result="再次")
    with pytest.raises(ValidationError, match="已回访"):
        rsvc.reminder_update(by=org_staff, reminder=r, content="改")
    assert list(ConductStep.objects.filter(subject="reminder", subject_id=r.pk).values_list("action", flat=True)) == [
        "record", "follow_up"]


def test_follow_up_bad_input_changes_nothing(org_staff, cadre_a):
    r = _create(org_staff, cadre_a)
    with pytest.raises(ValidationError) as e:
        rsvc.reminder_follow_up(by=org_staff, reminder=r, on=dt.date(2026, 11, 1), result="")
    assert set(e.value.message_dict) == {"on", "result"}
    assert "不能早于提醒日期" in e.value.message_dict["on"][0]
    with pytest.raises(ValidationError, match="不能晚于今天"):
        rsvc.reminder_follow_up(by=org_staff, reminder=r, on=today() + dt.timedelta(days=1), result="好")
    assert Reminder.objects.get(pk=r.pk).followed_up_on is None


def test_bad_input_names_every_field_and_saves_nothing(org_staff, cadre_a, tree):
    with pytest.raises(ValidationError) as e:
        _create(org_staff, cadre_a, kind="phone", held_on=today() + dt.timedelta(days=1),
                follow_up_on=today(), content=" ")
    assert set(e.value.message_dict) == {"kind", "held_on", "follow_up_on", "content"}
    with pytest.raises(ValidationError) as e:
        _create(org_staff, cadre_a, follow_up_on=HELD - dt.timedelta(days=1))
    assert e.value.message_dict["follow_up_on"] == ["回访日期不能早于提醒日期。"]
    retired = CadreFactory(unit=tree.town_a, status="retired")
    with pytest.raises(ValidationError) as e:
        _create(org_staff, retired)
    assert "退休" in e.value.message_dict["cadre"][0]
    with pytest.raises(ValidationError) as e:
        _create(org_staff, cadre_a, signs=[["made_up", {}]])
    assert "signs" in e.value.message_dict
    assert not Reminder.objects.exists()


def test_only_org_staff_record(leader, auditor, cadre_a):
    for user in (leader, auditor):
        with pytest.raises(PermissionDenied):
            _create(user, cadre_a)
    assert not Reminder.objects.exists()


def test_update_an_open_reminder(org_staff, cadre_a):
    r = _create(org_staff, cadre_a)
    r = rsvc.reminder_update(by=org_staff, reminder=r, kind="inquiry", content="改为函询")
    assert (r.kind, r.content) == ("inquiry", "改为函询")
    with pytest.raises(ValidationError) as e:
        rsvc.reminder_update(by=org_staff, reminder=r, follow_up_on=HELD - dt.timedelta(days=3))
    assert "follow_up_on" in e.value.message_dict
    assert Reminder.objects.get(pk=r.pk).follow_up_on == dt.date(2026, 12, 10)


def test_a_proposal_is_confirmed_by_its_reminder(org_staff, cadre_a):
    p = proposal(cadre_a)
    r = _create(org_staff, cadre_a, proposal=p)
    p.refresh_from_db()
    assert (p.status, p.decided_by) == ("confirmed", org_staff) and p.decided_at is not None
    assert "提醒谈话" in p.decide_reason and r.proposal == p
    assert r.signs == [["proposal", {"proposal": p.pk, "trigger": "records_lagging", "suggestion": "reminder",
                                     "since": "2026-11-01"}]]
    step = ConductStep.objects.get(subject="proposal", subject_id=p.pk)
    assert (step.action, step.from_status, step.to_status) == ("confirm", "pending", "confirmed")
    with pytest.raises(ValidationError) as e:  # decided already
        _create(org_staff, cadre_a, proposal=p)
    assert "已处理" in e.value.message_dict["proposal"][0]


def test_a_card_proposal_or_another_cadres_is_refused(org_staff, cadre_a, cadre_b):
    yellow = proposal(cadre_a, suggestion="yellow", trigger="grade_basic")
    with pytest.raises(ValidationError, match="不是担当提醒"):
        _create(org_staff, cadre_a, proposal=yellow)
    other = proposal(cadre_b)
    with pytest.raises(ValidationError, match="另一名干部"):
        _create(org_staff, cadre_a, proposal=other)
    assert not Reminder.objects.exists()
    assert set(CardProposal.objects.values_list("status", flat=True)) == {"pending"}


# --------------------------------------------------------------------------- signs
@pytest.fixture
def drops(org_staff, cadre_a, cadre_b):
    """cadre_a fell 85 → 78 (7 points), cadre_b 80 → 79 (1 point)."""
    return published_periods(org_staff, {cadre_a: (85, 78), cadre_b: (80, 79)})


def test_a_falling_composite_is_a_sign(org_staff, cadre_a, cadre_b, drops):
    signs = rsvc.reminder_signs(user=org_staff)
    assert list(signs) == [cadre_a.pk]
    code, params = signs[cadre_a.pk][0]
    assert code == "composite_drop"
    assert (params["before"], params["after"], params["drop"]) == ("85.00", "78.00", "7.00")
    assert rsvc.sign_sentence(code, params) == "综合得分下降：2024年度考核 85.00 分，2025年度考核 78.00 分，下降 7.00 分。"


def test_the_threshold_is_a_setting(org_staff, cadre_a, cadre_b, drops, settings):
    settings.REMINDER_SIGNS = {"composite_drop": 1}
    assert set(rsvc.reminder_signs(user=org_staff)) == {cadre_a.pk, cadre_b.pk}
    settings.REMINDER_SIGNS = {"composite_drop": 8}
    assert rsvc.reminder_signs(user=org_staff) == {}


def test_pending_proposals_are_signs_and_reminded_cadres_are_not_suggested_again(org_staff, cadre_a, cadre_b, drops):
    p = proposal(cadre_b, suggestion="yellow", trigger="grade_basic")
    signs = rsvc.reminder_signs(user=org_staff)
    assert [s[0] for s in signs[cadre_b.pk]] == ["proposal"]
    assert "考核等次为基本称职" in rsvc.sign_sentence(*signs[cadre_b.pk][0])
    # a reminder held after both signs appeared: neither cadre is suggested again
    _create(org_staff, cadre_a, held_on=dt.date(2026, 11, 5))
    _create(org_staff, cadre_b, held_on=dt.date(2026, 11, 5))
    assert rsvc.reminder_signs(user=org_staff) == {}
    # a reminder before the sign appeared does not hide it
    Reminder.objects.filter(cadre=cadre_b).update(held_on=dt.date(2026, 10, 1), follow_up_on=dt.date(2026, 10, 2))
    assert list(rsvc.reminder_signs(user=org_staff)) == [cadre_b.pk]
    assert p.pk == rsvc.reminder_signs(user=org_staff)[cadre_b.pk][0][1]["proposal"]


def test_signs_are_set_based(org_staff, tree, drops, django_assert_max_num_queries):
    from tests.assessment.conduct_helpers import proposal as make

    for i in range(15):
        make(CadreFactory(unit=tree.town_a), key=f"k{i}")
    with django_assert_max_num_queries(8):
        signs = rsvc.reminder_signs(user=org_staff)
    assert len(signs) == 16


def test_signs_of_a_unit_leader_stay_in_scope(leader, cadre_a, cadre_b, org_staff, drops):
    proposal(cadre_a)
    signs = rsvc.reminder_signs(user=leader)
    assert list(signs) == [cadre_a.pk]
    assert [s[0] for s in signs[cadre_a.pk]] == ["composite_drop"]  # proposals are not a leader's to see


def test_retired_cadres_have_no_signs(org_staff, cadre_a, drops):
    cadre_a.status = "retired"
    cadre_a.save()
    assert rsvc.reminder_signs(user=org_staff) == {}


def test_records_lagging_from_the_triggers(org_staff, cadre_a, monkeypatch):
    import sys
    import types

    fake = types.ModuleType("assessment.services.triggers")
    fake.records_lagging = lambda on, cadre_ids: {cadre_a.pk: {
        "returned": 3, "threshold": 3, "within_days": 180, "records": [1, 2], "last": "2026-11-03",
        "last_record": 2, "overdue": [2], "overdue_days": 30}}
    monkeypatch.setitem(sys.modules, "assessment.services.triggers", fake)
    signs = rsvc.reminder_signs(user=org_staff)
    assert signs[cadre_a.pk][0][0] == "records_lagging"
    assert signs[cadre_a.pk][0][1]["since"] == "2026-11-03"
    assert rsvc.sign_sentence(*signs[cadre_a.pk][0]) == (
        "实绩记录退回或逾期：被退回的实绩记录 3 条，退回后逾期未重新提交 1 条。")
    _create(org_staff, cadre_a, held_on=dt.date(2026, 11, 3))  # reminded the day of the last return
    assert rsvc.reminder_signs(user=org_staff) == {}


def test_signs_in_english(org_staff, cadre_a, drops):
    code, params = rsvc.reminder_signs(user=org_staff)[cadre_a.pk][0]
    with translation.override("en"):
        text = rsvc.sign_sentence(code, params)
    assert "7.00" in text and not any("\u4e00" <= ch <= "\u9fff" for ch in text.replace("年度考核", ""))


# --------------------------------------------------------------------------- pages
def test_list_filters_and_follow_ups_due(client, org_staff, cadre_a, cadre_b):
    due = _create(org_staff, cadre_a, follow_up_on=today())
    later = _create(org_staff, cadre_b, kind="admonish", follow_up_on=today() + dt.timedelta(days=60))
    client.force_login(org_staff)
    url = reverse("assessment:reminder_list")
    page = client.get(url)
    assert page.status_code == 200 and {r.pk for r in page.context["reminders"]} == {due.pk, later.pk}
    assert [r.pk for r in client.get(url, {"due": "on"}).context["reminders"]] == [due.pk]
    assert [r.pk for r in client.get(url, {"kind": "admonish"}).context["reminders"]] == [later.pk]
    assert [r.pk for r in client.get(url, {"q": "李四"}).context["reminders"]] == [later.pk]
    assert [r.pk for r in client.get(url, {"ordering": "follow_up"}).context["reminders"]] == [due.pk, later.pk]
    export = client.get(reverse("assessment:reminder_export"), {"format": "csv", "kind": "admonish"})
    body = b"".join(export.streaming_content).decode("utf-8-sig") if export.streaming else export.content.decode()
    assert "李四" in body and "张三" not in body


def test_detail_shows_signs_and_follow_up_errors_next_to_the_field(client, org_staff, cadre_a, drops):
    signs = rsvc.reminder_signs(user=org_staff)[cadre_a.pk]
    r = _create(org_staff, cadre_a, signs=signs)
    client.force_login(org_staff)
    page = client.get(reverse("assessment:reminder_detail", args=[r.pk]))
    assert "综合得分下降" in page.content.decode()
    bad = client.post(reverse("assessment:reminder_follow_up", args=[r.pk]), {"on": "2026-11-01", "result": "好"})
    assert bad.status_code == 200 and "不能早于提醒日期" in str(bad.context["follow_up_form"].errors["on"])
    ok = client.post(reverse("assessment:reminder_follow_up", args=[r.pk]), {"on": "2026-11-20", "result": "已整改"})
    assert ok.status_code == 302 and Reminder.objects.get(pk=r.pk).follow_up_result == "已整改"


def test_create_page_prefilled_from_a_proposal(client, org_staff, cadre_a):
    p = proposal(cadre_a)
    client.force_login(org_staff)
    url = reverse("assessment:reminder_create")
    page = client.get(url, {"cadre": cadre_a.pk, "proposal": p.pk})
    assert page.status_code == 200
    assert page.context["form"].initial["cadre"] == cadre_a.pk and page.context["proposal"] == p
    assert "实绩记录多次退回或逾期未改" in page.content.decode()
    done = client.post(url, {"cadre": cadre_a.pk, "proposal": p.pk, "kind": "inquiry", "held_on": "2026-11-20",
                             "follow_up_on": "2026-12-20", "content": "函询记录退回问题"})
    assert done.status_code == 302
    r = Reminder.objects.get()
    assert r.proposal_id == p.pk and CardProposal.objects.get(pk=p.pk).status == "confirmed"


def test_create_page_errors_next_to_the_fields(client, org_staff, cadre_a):
    client.force_login(org_staff)
    page = client.post(reverse("assessment:reminder_create"), {
        "cadre": cadre_a.pk, "kind": "talk", "held_on": "2026-11-20", "follow_up_on": "2026-11-01", "content": "x"})
    assert page.status_code == 200 and "回访日期不能早于提醒日期" in str(page.context["form"].errors["follow_up_on"])
    assert not Reminder.objects.exists()


def test_suggestions_page(client, org_staff, leader, auditor, cadre_a, drops):
    p = proposal(cadre_a)
    client.force_login(org_staff)
    page = client.get(reverse("assessment:reminder_suggestions"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "综合得分下降" in text and f"proposal={p.pk}" in text
    client.force_login(auditor)
    assert client.get(reverse("assessment:reminder_suggestions")).status_code == 200
    client.force_login(leader)
    assert client.get(reverse("assessment:reminder_suggestions")).status_code == 403


def test_leaders_read_their_scope_only(client, org_staff, leader, cadre_a, cadre_b):
    mine, other = _create(org_staff, cadre_a), _create(org_staff, cadre_b)
    client.force_login(leader)
    page = client.get(reverse("assessment:reminder_list"))
    assert [r.pk for r in page.context["reminders"]] == [mine.pk]
    assert client.get(reverse("assessment:reminder_detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("assessment:reminder_detail", args=[other.pk])).status_code == 404
    assert client.post(reverse("assessment:reminder_follow_up", args=[mine.pk]),
                       {"on": "2026-11-20", "result": "x"}).status_code == 403
    assert client.get(reverse("assessment:reminder_create")).status_code == 403


# --------------------------------------------------------------------------- API
def test_api_create_list_follow_up(client, org_staff, leader, cadre_a, drops):
    client.force_login(org_staff)
    made = client.post("/api/v1/reminders/", {"cadre": cadre_a.pk, "kind": "admonish", "held_on": "2026-11-20",
                                              "follow_up_on": "2026-12-20", "content": "诫勉谈话"},
                       content_type="application/json")
    assert made.status_code == 201, made.json()
    body = made.json()
    assert body["signs"][0]["code"] == "composite_drop" and "综合得分下降" in body["signs"][0]["text"]
    assert body["allowed_actions"] == ["edit", "follow_up"]
    bad = client.post(f"/api/v1/reminders/{body['id']}/follow-up/", {"on": "2026-11-01", "result": "x"},
                      content_type="application/json")
    assert bad.status_code == 400 and "on" in bad.json()["errors"]
    ok = client.post(f"/api/v1/reminders/{body['id']}/follow-up/", {"on": "2026-11-25", "result": "已改正"},
                     content_type="application/json")
    assert ok.status_code == 200 and ok.json()["state"] == "done"
    listed = client.get("/api/v1/reminders/", {"state": "done"}).json()
    assert [r["id"] for r in listed["results"]] == [body["id"]]
    wrong = client.post("/api/v1/reminders/", {"cadre": cadre_a.pk, "kind": "talk", "held_on": "2026-11-20",
                                               "follow_up_on": "2026-11-01", "content": "x"},
                        content_type="application/json")
    assert wrong.status_code == 400 and "follow_up_on" in wrong.json()["errors"]


def test_api_suggestions(client, org_staff, leader, cadre_a, drops):
    client.force_login(org_staff)
    rows = client.get("/api/v1/reminder-suggestions/").json()["results"]
    assert [r["cadre"] for r in rows] == [cadre_a.pk] and rows[0]["signs"][0]["code"] == "composite_drop"
    client.force_login(leader)
    refused = client.get("/api/v1/reminder-suggestions/")
    assert refused.status_code == 403 and set(refused.json()) == {"message", "errors"}


def test_leaders_never_read_proposal_signs(client, org_staff, leader, cadre_a):
    p = proposal(cadre_a)
    r = _create(org_staff, cadre_a, proposal=p)
    client.force_login(leader)
    page = client.get(reverse("assessment:reminder_detail", args=[r.pk])).content.decode()
    assert "红黄牌提示" not in page
    body = client.get(f"/api/v1/reminders/{r.pk}/").json()
    assert body["signs"] == [] and body["proposal"] is None
    client.force_login(org_staff)
    assert "红黄牌提示" in client.get(reverse("assessment:reminder_detail", args=[r.pk])).content.decode()
