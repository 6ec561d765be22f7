"""User management: the services (validation, audit rows) and the pages (gate, filters, query count)."""
import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from pingdingshan.core import permissions as gate
from pingdingshan.core import services
from pingdingshan.core.models import Role, RoleAssignment

from ..factories import UserFactory, make_unit, user_with_role

pytestmark = pytest.mark.django_db
User = get_user_model()
H = RoleAssignment.history.model


# --------------------------------------------------------------------------- services
def test_role_assign_validation(org_staff, tree):
    u = UserFactory(username="newbie")
    with pytest.raises(ValidationError) as e:
        services.role_assign(by=org_staff, user=u, role=Role.UNIT_LEADER)
    assert "单位领导必须指定所管理的单位" in str(e.value.message_dict["unit"])
    with pytest.raises(ValidationError) as e:
        services.role_assign(by=org_staff, user=u, role=Role.AUDITOR, unit=tree.county_a)
    assert "全市范围的角色，不能指定单位" in e.value.message_dict["unit"][0]
    with pytest.raises(ValidationError) as e:
        services.role_assign(by=org_staff, user=u, role="boss")
    assert "role" in e.value.message_dict
    assert not RoleAssignment.objects.filter(user=u).exists()
    assert not H.objects.filter(user_id=u.pk).exists()


def test_role_assign_refuses_duplicates(org_staff, tree):
    u = UserFactory()
    services.role_assign(by=org_staff, user=u, role=Role.UNIT_LEADER, unit=tree.county_a)
    services.role_assign(by=org_staff, user=u, role=Role.UNIT_LEADER, unit=tree.county_b)  # a second unit is fine
    with pytest.raises(ValidationError) as e:
        services.role_assign(by=org_staff, user=u, role=Role.UNIT_LEADER, unit=tree.county_a)
    assert "已是“宝丰县”的单位领导" in e.value.message_dict["unit"][0]
    services.role_assign(by=org_staff, user=u, role=Role.AUDITOR)
    with pytest.raises(ValidationError) as e:
        services.role_assign(by=org_staff, user=u, role=Role.AUDITOR)
    assert "已拥有“审计人员”角色" in e.value.message_dict["role"][0]
    assert RoleAssignment.objects.filter(user=u).count() == 3


def test_role_changes_are_audited_and_take_effect(org_staff, tree, cadre_a, cadre_b):
    from cadres.models import Cadre

    u = UserFactory()
    assert not Cadre.objects.restrict(u).exists()
    a = services.role_assign(by=org_staff, user=u, role=Role.UNIT_LEADER, unit=tree.county_a)
    assert list(Cadre.objects.restrict(u)) == [cadre_a]  # the gate's cache was dropped
    row = H.objects.get(id=a.pk, history_type="+")
    assert row.history_user == org_staff and row.unit_id == tree.county_a.pk and row.role == Role.UNIT_LEADER
    services.role_revoke(by=org_staff, assignment=a)
    assert not RoleAssignment.objects.filter(pk=a.pk).exists()
    gone = H.objects.get(id=a.pk, history_type="-")
    assert gone.history_user == org_staff
    assert not Cadre.objects.restrict(u).exists()


def test_only_managers_may_change_roles(auditor, leader, tree):
    u = UserFactory()
    for by in (auditor, leader):
        with pytest.raises(PermissionDenied):
            services.role_assign(by=by, user=u, role=Role.AUDITOR)
        with pytest.raises(PermissionDenied):
            services.user_create(by=by, username="someone", full_name="某人", password="Abcdefgh-12345")
        with pytest.raises(PermissionDenied):
            services.user_set_active(by=by, user=u, active=False)


def test_no_self_lockout_and_superusers_protected(org_staff, tree):
    own = RoleAssignment.objects.get(user=org_staff)
    with pytest.raises(ValidationError) as e:
        services.role_revoke(by=org_staff, assignment=own)
    assert "不能撤销您自己的组织部工作人员角色" in e.value.messages[0]
    with pytest.raises(ValidationError):
        services.user_set_active(by=org_staff, user=org_staff, active=False)
    root = User.objects.create_superuser("root", password="x-Root-Passw0rd")
    with pytest.raises(PermissionDenied):
        services.user_set_active(by=org_staff, user=root, active=False)


def test_inactive_user_gets_no_role(org_staff):
    u = UserFactory()
    services.user_set_active(by=org_staff, user=u, active=False)
    u.refresh_from_db()
    assert not u.is_active
    with pytest.raises(ValidationError) as e:
        services.role_assign(by=org_staff, user=u, role=Role.AUDITOR)
    assert "已停用" in e.value.messages[0]


def test_user_create_validates_password_in_chinese(org_staff):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as e:
        services.user_create(by=org_staff, username="wang", full_name="王五", password="12345678")
    msgs = e.value.message_dict["password"]
    assert any("密码长度太短" in m for m in msgs)
    assert any("密码只包含数字" in m for m in msgs)
    with pytest.raises(ValidationError) as e:
        services.user_create(by=org_staff, username="orgstaff", full_name="重名", password="Str0ng-Enough-pw")
    assert "已被使用" in e.value.message_dict["username"][0]
    u = services.user_create(by=org_staff, username="wang", full_name="王五", password="Str0ng-Enough-pw")
    assert u.check_password("Str0ng-Enough-pw") and u.get_full_name() == "王五" and u.is_active


# --------------------------------------------------------------------------- pages: the gate
def _user_pages(target):
    return [
        ("get", reverse("core:user_list")),
        ("get", reverse("core:user_create")),
        ("get", reverse("core:user_detail", args=[target.pk])),
        ("post", reverse("core:role_assign", args=[target.pk])),
        ("post", reverse("core:user_toggle_active", args=[target.pk])),
        ("post", reverse("core:user_unlock", args=[target.pk])),
        ("post", reverse("core:role_revoke", args=[RoleAssignment.objects.filter(user=target).first().pk])),
    ]


@pytest.mark.parametrize("who", ["auditor", "leader", "no_role_user"])
def test_user_pages_forbidden_for_non_managers(client, request, who, org_staff):
    client.force_login(request.getfixturevalue(who))
    for method, url in _user_pages(org_staff):
        r = getattr(client, method)(url, {"role": Role.AUDITOR} if method == "post" else None)
        assert r.status_code == 403, (who, url)
    assert RoleAssignment.objects.filter(user=org_staff).count() == 1


def test_user_pages_anonymous_redirect(client, org_staff):
    for method, url in _user_pages(org_staff):
        r = getattr(client, method)(url)
        assert r.status_code == 302 and r["Location"].startswith(reverse("login")), url


def test_superuser_manages_users(client, tree):
    root = User.objects.create_superuser("root", password="x-Root-Passw0rd")
    u = UserFactory()
    client.force_login(root)
    assert client.get(reverse("core:user_list")).status_code == 200
    r = client.post(reverse("core:role_assign", args=[u.pk]), {"role": Role.ORG_STAFF})
    assert r.status_code == 302
    assert gate.can(User.objects.get(pk=u.pk), "manage_users")


# --------------------------------------------------------------------------- pages: behaviour
def test_role_assign_page_shows_errors_next_to_field(client, org_staff, tree):
    u = UserFactory(username="someone")
    client.force_login(org_staff)
    url = reverse("core:role_assign", args=[u.pk])
    r = client.post(url, {"role": Role.UNIT_LEADER})
    assert r.status_code == 400
    html = r.content.decode()
    assert '<div class="field-error">单位领导必须指定所管理的单位。</div>' in html
    r = client.post(url, {"role": Role.UNIT_LEADER, "unit": tree.town_a.pk})
    assert r.status_code == 302 and r["Location"] == reverse("core:user_detail", args=[u.pk])
    a = RoleAssignment.objects.get(user=u)
    assert (a.role, a.unit) == (Role.UNIT_LEADER, tree.town_a)
    assert H.objects.get(id=a.pk).history_user == org_staff
    html = client.get(reverse("core:user_detail", args=[u.pk])).content.decode()
    assert "城关镇" in html and "授予" in html  # listed and in the role history
    r = client.post(reverse("core:role_revoke", args=[a.pk]))
    assert r.status_code == 302 and not RoleAssignment.objects.filter(user=u).exists()
    html = client.get(reverse("core:user_detail", args=[u.pk])).content.decode()
    assert "撤销" in html and H.objects.filter(id=a.pk).count() == 2


def test_unit_select_is_indented_by_depth(client, org_staff, tree):
    client.force_login(org_staff)
    html = client.get(reverse("core:user_detail", args=[org_staff.pk])).content.decode()
    assert f'<option value="{tree.city.pk}">平顶山市</option>' in html
    assert f'<option value="{tree.county_a.pk}">\u3000宝丰县</option>' in html
    assert f'<option value="{tree.town_a.pk}">\u3000\u3000城关镇</option>' in html
    assert html.index("宝丰县</option>") < html.index("城关镇</option>") < html.index("叶县</option>")


def test_user_create_page(client, org_staff):
    client.force_login(org_staff)
    url = reverse("core:user_create")
    r = client.post(url, {"username": "li", "full_name": "李雷", "password1": "Str0ng-Enough-pw",
                          "password2": "Str0ng-Enough-pw-x"})
    assert r.status_code == 200 and "两次输入的密码不一致" in r.content.decode()
    r = client.post(url, {"username": "li", "full_name": "李雷", "password1": "Str0ng-Enough-pw",
                          "password2": "Str0ng-Enough-pw"})
    u = User.objects.get(username="li")
    assert r.status_code == 302 and r["Location"] == reverse("core:user_detail", args=[u.pk])


def test_toggle_active_and_unlock(client, org_staff):
    u = UserFactory(username="locked")
    AccessAttempt.objects.create(username="locked", ip_address="127.0.0.1", user_agent="x", failures_since_start=5,
                                 attempt_time=timezone.now(), get_data="", post_data="", http_accept="", path_info="/")
    client.force_login(org_staff)
    html = client.get(reverse("core:user_list")).content.decode()
    assert "已锁定" in html
    client.post(reverse("core:user_unlock", args=[u.pk]))
    assert not AccessAttempt.objects.filter(username="locked").exists()
    client.post(reverse("core:user_toggle_active", args=[u.pk]))
    u.refresh_from_db()
    assert not u.is_active
    client.post(reverse("core:user_toggle_active", args=[u.pk]))
    u.refresh_from_db()
    assert u.is_active


def test_user_list_search_and_filters(client, org_staff, leader, auditor, tree):
    other_leader = user_with_role(Role.UNIT_LEADER, tree.county_b, username="yexian", first_name="叶县领导")
    client.force_login(org_staff)
    url = reverse("core:user_list")

    def usernames(params):
        r = client.get(url, params)
        assert r.status_code == 200
        return {u.username for u in r.context["page"].object_list}

    assert usernames({}) == {"orgstaff", "leader", "auditor", "yexian"}
    assert usernames({"q": "叶县领"}) == {"yexian"}
    assert usernames({"q": "AUD"}) == {"auditor"}
    assert usernames({"role": Role.UNIT_LEADER}) == {"leader", "yexian"}
    assert usernames({"unit": tree.county_a.pk}) == {"leader"}
    assert usernames({"role": Role.AUDITOR, "unit": tree.county_a.pk}) == set()
    other_leader.is_active = False
    other_leader.save()
    assert usernames({"active": "0"}) == {"yexian"}
    html = client.get(url).content.decode()
    assert "单位领导 · 宝丰县" in html and "审计人员" in html


def test_user_list_export(client, org_staff, leader):
    from pingdingshan.core.models import ExportLog

    client.force_login(org_staff)
    r = client.get(reverse("core:user_list"), {"format": "csv", "role": Role.UNIT_LEADER})
    body = r.content.decode("utf-8-sig")
    assert "leader" in body and "orgstaff" not in body
    log = ExportLog.objects.get()
    assert log.what == "用户列表" and log.row_count == 1 and log.filters == {"role": Role.UNIT_LEADER}


def test_user_list_query_count_is_constant(client, org_staff, tree, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    units = [tree.county_a, tree.county_b, tree.town_a]
    client.force_login(org_staff)

    def make(n):
        for i in range(n):
            u = UserFactory()
            RoleAssignment.objects.create(user=u, role=Role.UNIT_LEADER, unit=units[i % 3])

    make(10)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("core:user_list")).status_code == 200
    make(40)
    with CaptureQueriesContext(connection) as many:
        r = client.get(reverse("core:user_list"))
    assert r.status_code == 200 and len(r.context["page"].object_list) == 50
    assert len(many.captured_queries) == len(few.captured_queries)


def test_new_unit_appears_in_role_form(client, org_staff, tree):
    make_unit("新华区", parent=tree.city)
    client.force_login(org_staff)
    assert "新华区" in client.get(reverse("core:user_detail", args=[org_staff.pk])).content.decode()


# --------------------------------------------------------------------------- Django admin
def test_admin_superuser_only_and_read_only_logs(client, org_staff, tree, cadre_a, leader):
    from pingdingshan.core.models import ExportLog

    ExportLog.objects.create(user=org_staff, what="干部花名册", file_format="xlsx", row_count=1)
    client.force_login(org_staff)
    assert client.get("/admin/").status_code == 302  # org staff are not superusers: sent to the admin login
    root = User.objects.create_superuser("root", password="x-Root-Passw0rd")
    client.force_login(root)
    for url in ("/admin/cadres/unit/", "/admin/cadres/post/", "/admin/cadres/rank/", "/admin/cadres/rankquota/",
                "/admin/cadres/cadre/", "/admin/cadres/appointment/", "/admin/core/roleassignment/",
                "/admin/core/exportlog/", f"/admin/cadres/cadre/{cadre_a.pk}/history/"):
        assert client.get(url).status_code == 200, url
    assert client.get("/admin/core/roleassignment/add/").status_code == 403
    assert client.get("/admin/core/exportlog/add/").status_code == 403
    a = RoleAssignment.objects.get(user=leader)
    r = client.post(f"/admin/core/roleassignment/{a.pk}/delete/", {"post": "yes"})
    assert r.status_code == 403 and RoleAssignment.objects.filter(pk=a.pk).exists()


def test_account_changes_are_audited_but_logins_are_not(client, org_staff):
    from django.contrib.auth import get_user_model

    from pingdingshan.core import services
    from tests.factories import PASSWORD

    User = get_user_model()
    user = services.user_create(by=org_staff, username="newbie", full_name="新 用户", password="Strong-Pass-2026x")
    rows = list(User.history.filter(id=user.pk))
    assert rows and rows[-1].history_user == org_staff
    assert not hasattr(rows[-1], "password")  # the hash is never copied into the history
    services.user_set_active(by=org_staff, user=user, active=False)
    assert User.history.filter(id=user.pk, is_active=False, history_user=org_staff).exists()
    before = User.history.filter(id=org_staff.pk).count()
    assert client.post("/accounts/login/", {"username": "orgstaff", "password": PASSWORD}).status_code == 302
    assert User.history.filter(id=org_staff.pk).count() == before


def test_user_page_shows_the_account_history(client, org_staff):
    from django.urls import reverse

    from pingdingshan.core import services

    user = services.user_create(by=org_staff, username="hist", full_name="历史 用户", password="Strong-Pass-2026x")
    services.user_set_active(by=org_staff, user=user, active=False)
    client.force_login(org_staff)
    html = client.get(reverse("core:user_detail", args=[user.pk])).content.decode()
    assert "账户变更历史" in html and "orgstaff" in html
