"""Login hardening: CSRF, lock-out after repeated failures (django-axes), logout by POST, session
expiry, anonymous redirects, password rules, the header, and the language switch."""
import datetime as dt

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ..factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
BAD_LOGIN_ZH = "请输入一个正确的用户名和密码。注意，两者都区分大小写。"
BAD_LOGIN_EN = "Please enter a correct username and password. Note that both fields may be case-sensitive."


def test_login_page_and_csrf(org_staff):
    c = Client(enforce_csrf_checks=True)
    r = c.get(LOGIN)
    assert r.status_code == 200 and "csrfmiddlewaretoken" in r.content.decode()
    assert c.post(LOGIN, {"username": "orgstaff", "password": PASSWORD}).status_code == 403  # no token
    token = c.cookies[settings.CSRF_COOKIE_NAME].value
    r = c.post(LOGIN, {"username": "orgstaff", "password": PASSWORD, "csrfmiddlewaretoken": token})
    assert r.status_code == 302 and r["Location"] == reverse("home")
    assert "干部实绩管理系统" in c.get("/").content.decode()


def test_wrong_password_five_times_locks_out(client, org_staff):
    for i in range(settings.AXES_FAILURE_LIMIT - 1):
        r = client.post(LOGIN, {"username": "orgstaff", "password": "wrong"})
        assert r.status_code == 200 and BAD_LOGIN_ZH in r.content.decode(), i
    r = client.post(LOGIN, {"username": "orgstaff", "password": "wrong"})
    assert r.status_code == 429 and "登录失败次数过多" in r.content.decode()
    r = client.post(LOGIN, {"username": "orgstaff", "password": PASSWORD})  # even the right password now
    assert r.status_code == 429 and "_auth_user_id" not in client.session
    # Another account from the same address is not locked (lock by username + address).
    UserFactory(username="colleague")
    r = client.post(LOGIN, {"username": "colleague", "password": PASSWORD})
    assert r.status_code == 302


def test_unlock_by_user_manager_lets_the_user_in(client, org_staff):
    victim = UserFactory(username="victim")
    for _i in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": "victim", "password": "wrong"})
    assert client.post(LOGIN, {"username": "victim", "password": PASSWORD}).status_code == 429
    staff = Client()
    staff.force_login(org_staff)
    assert staff.post(reverse("core:user_unlock", args=[victim.pk])).status_code == 302
    assert client.post(LOGIN, {"username": "victim", "password": PASSWORD}).status_code == 302


def test_logout_needs_post(client, org_staff):
    client.force_login(org_staff)
    assert client.get("/accounts/logout/").status_code == 405
    assert "_auth_user_id" in client.session
    r = client.post("/accounts/logout/")
    assert r.status_code == 302 and r["Location"] == reverse("login")
    assert client.get("/").status_code == 302


def test_session_expiry(client, org_staff):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    client.force_login(org_staff)
    r = client.get("/")
    assert r.status_code == 200 and settings.SESSION_COOKIE_NAME in r.cookies  # refreshed on each request
    key = client.session.session_key
    assert Session.objects.get(session_key=key).expire_date <= timezone.now() + dt.timedelta(minutes=31)
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    r = client.get("/")
    assert r.status_code == 302 and r["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("url", ["/", "/users/", "/audit/", "/audit/exports/", "/accounts/password/"])
def test_anonymous_redirected_to_login(client, url):
    r = client.get(url)
    assert r.status_code == 302 and r["Location"] == f"{reverse('login')}?next={url}"


def test_weak_password_refused_on_user_create(client, org_staff):
    client.force_login(org_staff)
    r = client.post(reverse("core:user_create"), {"username": "weak", "full_name": "弱密码", "password1": "12345678",
                                                  "password2": "12345678"})
    html = r.content.decode()
    assert r.status_code == 200
    assert '<div class="field-error">密码长度太短。密码必须包含至少 10 个字符。</div>' in html
    assert '<div class="field-error">密码只包含数字。</div>' in html
    assert '<div class="field-error">这个密码太常见了。</div>' in html
    assert not type(org_staff).objects.filter(username="weak").exists()


def test_header_shows_role_and_unit_of_a_leader(client, leader):
    client.force_login(leader)
    html = client.get("/").content.decode()
    assert "单位领导 · 宝丰县" in html
    assert reverse("password_change") in html


def test_chinese_by_default_and_english_switch(client, org_staff):
    client.force_login(org_staff)
    html = client.get("/").content.decode()
    assert '<html lang="zh-hans">' in html and "干部实绩管理系统" in html
    r = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert r.status_code == 302
    assert '<html lang="en">' in client.get("/").content.decode()


def test_django_strings_follow_the_language(client, org_staff):
    r = client.post(LOGIN, {"username": "orgstaff", "password": "wrong"})
    assert BAD_LOGIN_ZH in r.content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": LOGIN})
    r = client.post(LOGIN, {"username": "orgstaff", "password": "wrong"})
    html = r.content.decode()
    assert BAD_LOGIN_EN in html and '<html lang="en">' in html


def test_pages_stay_chinese_for_an_english_browser_until_the_user_switches(client, org_staff):
    client.force_login(org_staff)
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="zh-hans"' in html
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert 'lang="en"' in client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
