"""Notifications: the header bell (unread count, waiting records for verifiers, the latest five),
the user's own list with "mark all read", and opening one (marks it read, follows its link; another
user's notification is 404)."""
import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cadres import services
from cadres.models import TaskCategory
from pingdingshan.core.models import Notification
from pingdingshan.core.services import notify

LIST = reverse("core:notifications")
READ_ALL = reverse("core:notifications_read_all")


def note(user, message="测试通知", url="", read=False):
    n = notify(user=user, message=message, url=url)
    if read:
        Notification.objects.filter(pk=n.pk).update(read_at=timezone.now())
    return n


def submit_record(by, cadre, title="推进高标准农田建设"):
    return services.record_create(
        by=by, submit=True, cadre=cadre, category=TaskCategory.objects.get(name="乡村振兴"), title=title,
        description="完成高标准农田2万亩", role="lead", start_date=dt.date(2025, 3, 1))


def test_bell_shows_unread_count_and_latest_five(client, leader, org_staff):
    for i in range(7):
        note(leader, f"通知{i}")
    note(leader, "已读的通知", read=True)
    note(org_staff, "别人的通知")
    client.force_login(leader)
    r = client.get(reverse("home"))
    bell = r.context["bell"]
    assert bell.unread == 7
    assert [n.message for n in bell.latest] == ["已读的通知", "通知6", "通知5", "通知4", "通知3"]
    assert bell.waiting is None  # unit leaders do not verify
    html = r.content.decode()
    assert 'class="position-absolute top-0 start-100 translate-middle badge rounded-pill text-bg-warning bell-unread">7<' in html
    assert "别人的通知" not in html and "bell-waiting" not in html
    assert reverse("core:notification_open", args=[bell.latest[0].pk]) in html


def test_bell_shows_waiting_records_to_verifiers(client, org_staff, leader, auditor, cadre_a):
    submit_record(leader, cadre_a, "一")
    submit_record(leader, cadre_a, "二")
    client.force_login(org_staff)
    r = client.get(reverse("home"))
    assert r.context["bell"].waiting == 2 and r.context["bell"].unread == 0
    html = r.content.decode()
    assert "bell-waiting-count\">2<" in html and reverse("cadres:review_queue") in html
    assert "bell-unread" not in html
    client.force_login(auditor)
    assert client.get(reverse("home")).context["bell"].waiting is None


def test_bell_costs_a_constant_number_of_queries(client, leader, django_assert_num_queries):
    client.force_login(leader)
    for i in range(3):
        note(leader, f"通知{i}")
    with CaptureQueriesContext(connection) as few:
        r = client.get(reverse("home"))
    assert r.status_code == 200
    for i in range(40):
        note(leader, f"更多{i}")
    with django_assert_num_queries(len(few.captured_queries)):
        r = client.get(reverse("home"))
    assert r.status_code == 200


def test_list_shows_only_own_notifications_paginated(client, leader, org_staff):
    for i in range(25):
        note(leader, f"我的{i}", read=i < 5)
    note(org_staff, "别人的通知")
    client.force_login(leader)
    r = client.get(LIST)
    assert r.status_code == 200
    page = r.context["page"]
    assert page.paginator.count == 25 and len(page.object_list) == 20
    assert page.object_list[0].message == "我的24"
    assert "别人的通知" not in r.content.decode()
    assert len(client.get(LIST, {"page": 2}).context["page"].object_list) == 5
    assert client.get(LIST, {"show": "unread"}).context["page"].paginator.count == 20


def test_list_query_count_is_constant(client, leader, django_assert_num_queries):
    client.force_login(leader)
    for i in range(10):
        note(leader, f"通知{i}")
    with CaptureQueriesContext(connection) as ten:
        r = client.get(LIST)
    assert r.status_code == 200 and len(r.context["page"].object_list) == 10
    for i in range(40):
        note(leader, f"更多{i}")
    with django_assert_num_queries(len(ten.captured_queries)):
        r = client.get(LIST)
    assert r.status_code == 200 and r.context["page"].paginator.count == 50


def test_read_all_marks_only_own(client, leader, org_staff):
    mine = [note(leader, f"我的{i}") for i in range(3)]
    theirs = note(org_staff)
    client.force_login(leader)
    assert client.get(READ_ALL).status_code == 405
    r = client.post(READ_ALL)
    assert r.status_code == 302 and r.url == LIST
    assert not Notification.objects.filter(pk__in=[n.pk for n in mine], read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None
    r = client.post(READ_ALL, {"next": "https://evil.example/"})
    assert r.url == LIST
    r = client.post(READ_ALL, {"next": reverse("home")})
    assert r.url == reverse("home")


def test_open_marks_read_and_follows_the_link(client, leader, org_staff, cadre_a):
    record = submit_record(leader, cadre_a)
    services.record_return(by=org_staff, record=record, reason="缺少佐证材料")
    n = Notification.objects.get(user=leader)
    assert n.url  # the record's page
    client.force_login(leader)
    r = client.get(reverse("core:notification_open", args=[n.pk]))
    assert r.status_code == 302 and r.url == n.url
    n.refresh_from_db()
    assert n.read_at is not None
    first_read = n.read_at
    client.get(reverse("core:notification_open", args=[n.pk]))
    n.refresh_from_db()
    assert n.read_at == first_read  # opening again keeps the first read time


@pytest.mark.parametrize("url", ["", "https://evil.example/x", "//evil.example/x"])
def test_open_without_a_safe_link_goes_to_the_list(client, leader, url):
    n = note(leader, url=url)
    client.force_login(leader)
    r = client.get(reverse("core:notification_open", args=[n.pk]))
    assert r.status_code == 302 and r.url == LIST


def test_another_users_notification_is_404_and_stays_unread(client, leader, org_staff):
    theirs = note(org_staff, "组织部的通知", url="/cadres/")
    client.force_login(leader)
    assert client.get(reverse("core:notification_open", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert client.get(reverse("core:notification_open", args=[999999])).status_code == 404


def test_anonymous_is_sent_to_login(client):
    for url in (LIST, reverse("core:notification_open", args=[1])):
        r = client.get(url)
        assert r.status_code == 302 and r.url.startswith(reverse("login"))
    assert client.post(READ_ALL).url.startswith(reverse("login"))


def test_user_without_role_still_reads_own_notifications(client, no_role_user):
    note(no_role_user, "您的角色已变更")
    client.force_login(no_role_user)
    r = client.get(LIST)
    assert r.status_code == 200 and "您的角色已变更" in r.content.decode()


def test_a_deactivated_account_reads_no_notifications(client, no_role_user):
    note(no_role_user, "停用前的通知")
    client.force_login(no_role_user)
    no_role_user.is_active = False
    no_role_user.save()
    r = client.get(LIST)
    assert r.status_code == 302 and r.url.startswith(reverse("login"))


# --------------------------------------------------------------------------- codes, put in words when shown
def verified_and_returned(leader, org_staff, cadre_a):
    """A record verified and one returned, both while Chinese is active (as a verifier's page is)."""
    services.record_verify(by=org_staff, record=submit_record(leader, cadre_a, "一号工程"))
    services.record_return(by=org_staff, record=submit_record(leader, cadre_a, "二号工程"), reason="缺少佐证材料")
    return (Notification.objects.get(user=leader, kind="cadres.record_verified"),
            Notification.objects.get(user=leader, kind="cadres.record_returned"))


def test_a_notification_is_stored_as_a_code_with_parameters(leader, org_staff, cadre_a):
    verified, returned = verified_and_returned(leader, org_staff, cadre_a)
    assert verified.params == {"title": "一号工程", "cadre": cadre_a.name, "points": "10.00"}
    assert returned.params == {"title": "二号工程", "cadre": cadre_a.name, "reason": "缺少佐证材料"}
    # The sentence in the default language is kept as the fallback.
    assert verified.message == f"您提交的实绩记录“一号工程”（{cadre_a.name}）已核实，实绩分 10.00。"
    assert returned.message == f"您提交的实绩记录“二号工程”（{cadre_a.name}）被退回：缺少佐证材料"


def test_notification_page_and_bell_in_chinese_by_default_and_english_after_switching(
        client, leader, org_staff, cadre_a):
    verified_and_returned(leader, org_staff, cadre_a)
    old = note(leader, "旧通知：您的角色已变更")  # a row from before codes: its text only
    client.force_login(leader)
    zh_verified = f"您提交的实绩记录“一号工程”（{cadre_a.name}）已核实，实绩分 10.00。"
    zh_returned = f"您提交的实绩记录“二号工程”（{cadre_a.name}）被退回：缺少佐证材料"
    for page in (LIST, reverse("home")):  # the list, and the bell on every page
        html = client.get(page, HTTP_ACCEPT_LANGUAGE="en").content.decode()  # pages ignore the browser's language
        assert zh_verified in html and zh_returned in html and "旧通知：您的角色已变更" in html
        assert "Your performance record" not in html
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    en_verified = f"Your performance record “一号工程” ({cadre_a.name}) was verified: 10.00 points."
    en_returned = f"Your performance record “二号工程” ({cadre_a.name}) was returned: 缺少佐证材料"
    for page in (LIST, reverse("home")):
        html = client.get(page).content.decode()
        assert en_verified in html and en_returned in html, page
        assert zh_verified not in html and zh_returned not in html
        assert "旧通知：您的角色已变更" in html  # old rows still show (in the words they were stored in)
    assert str(old) == "旧通知：您的角色已变更"


def test_notification_api_answers_in_the_requested_language(leader, org_staff, cadre_a):
    from rest_framework.test import APIClient

    verified, returned = verified_and_returned(leader, org_staff, cadre_a)
    note(leader, "旧通知")
    api = APIClient()
    api.force_authenticate(leader)
    rows = api.get(reverse("notification-list")).json()["results"]
    assert [r["message"] for r in rows] == [
        "旧通知", returned.message, verified.message]
    assert rows[1]["kind"] == "cadres.record_returned" and rows[1]["params"]["reason"] == "缺少佐证材料"
    assert rows[0]["kind"] == "" and rows[0]["params"] == {}
    rows = api.get(reverse("notification-list"), HTTP_ACCEPT_LANGUAGE="en").json()["results"]
    assert [r["message"] for r in rows] == [
        "旧通知",
        f"Your performance record “二号工程” ({cadre_a.name}) was returned: 缺少佐证材料",
        f"Your performance record “一号工程” ({cadre_a.name}) was verified: 10.00 points."]


def test_unknown_kind_or_parameters_that_do_not_fit_fall_back_to_the_stored_text(leader):
    a = Notification.objects.create(user=leader, kind="gone.app_kind", params={"x": 1}, message="已停用的应用的通知")
    b = Notification.objects.create(user=leader, kind="cadres.record_verified", params={"title": "缺参数"},
                                    message="参数不全的通知")
    c = Notification.objects.create(user=leader, kind="cadres.record_verified", params=["不是字典"],
                                    message="参数不是字典的通知")
    assert (a.text, b.text, c.text) == ("已停用的应用的通知", "参数不全的通知", "参数不是字典的通知")
    with pytest.raises(ValueError):
        notify(user=leader, kind="no.such_kind", params={})
    assert not Notification.objects.filter(kind="no.such_kind").exists()


def test_migration_gives_old_archive_sentences_their_codes(leader, cadre_a):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("cadres.migrations.0009_notification_codes")
    rows = [
        note(leader, "您提交的实绩记录“老工程”（张三）已核实，实绩分 12.50。"),
        note(leader, "您提交的实绩记录“老工程”（张三）被退回：材料不全，请补充"),
        note(leader, "您提交的实绩记录被系统处理"),  # looks alike, made from no known sentence: left as text
        note(leader, "您的角色已变更"),
    ]
    migration.codes_for_old_rows(apps, None)
    for n in rows:
        n.refresh_from_db()
    assert [(n.kind, n.params) for n in rows] == [
        ("cadres.record_verified", {"title": "老工程", "cadre": "张三", "points": "12.50"}),
        ("cadres.record_returned", {"title": "老工程", "cadre": "张三", "reason": "材料不全，请补充"}),
        ("", {}), ("", {})]
    assert [n.text for n in rows][:2] == [n.message for n in rows][:2]  # the same words in Chinese
    from django.utils import translation

    with translation.override("en"):
        assert rows[0].text == "Your performance record “老工程” (张三) was verified: 12.50 points."
        assert rows[3].text == "您的角色已变更"
