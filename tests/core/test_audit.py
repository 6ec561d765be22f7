"""Audit history: the object_history tag, the audit log page (filters, query count, export) and
the export log."""
import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cadres import services as cadre_services
from cadres.models import Cadre, Tag
from pingdingshan.core import selectors
from pingdingshan.core.audit import acting_as
from pingdingshan.core.models import ExportLog, Role, RoleAssignment

from ..factories import CadreFactory, UserFactory

pytestmark = pytest.mark.django_db
HC = Cadre.history.model


def render_history(obj, **ctx):
    return Template("{% load audit %}{% object_history obj %}").render(Context({"obj": obj, **ctx}))


def changes_of(html):
    return html.replace('</span> → <span class="text-success-emphasis">', " → ")


# --------------------------------------------------------------------------- object_history tag
def test_object_history_shows_before_and_after(org_staff, tree, cadre_a):
    cadre_services.cadre_update(by=org_staff, cadre=cadre_a, phone="13800000000", unit=tree.county_a)
    cadre_services.cadre_update(by=org_staff, cadre=cadre_a, phone="13900000000", fulltime_education=5)
    html = changes_of(render_history(cadre_a))
    assert "联系电话" in html
    assert "13800000000 → 13900000000" in html
    assert "城关镇 → 宝丰县" in html  # a foreign key by its name
    assert "大学本科 → 研究生" in html  # a choice by its label
    assert html.count("<tr>") == 1 + 3  # header + create and two updates
    assert "orgstaff" in html and "修改" in html and "新增" in html


def test_object_history_many_to_many_and_query_count(org_staff, cadre_a, django_assert_max_num_queries):
    t1, t2 = Tag.objects.create(name="优秀年轻干部"), Tag.objects.create(name="援疆")
    cadre_services.cadre_update(by=org_staff, cadre=cadre_a, tags=[t1])
    cadre_services.cadre_update(by=org_staff, cadre=cadre_a, tags=[t1, t2])
    html = changes_of(render_history(cadre_a))
    assert "— → 优秀年轻干部" in html and "优秀年轻干部 → 优秀年轻干部、援疆" in html

    def count():
        with CaptureQueriesContext(connection) as q:
            render_history(Cadre.objects.get(pk=cadre_a.pk))
        return len(q.captured_queries)

    few = count()
    for i in range(20):
        cadre_services.cadre_update(by=org_staff, cadre=cadre_a, phone=f"1380000{i:04d}", tags=[t1] if i % 2 else [t2])
    assert count() == few


def test_object_history_for_any_model(org_staff, leader):
    a = RoleAssignment.objects.get(user=leader)
    html = render_history(a)
    assert "新增" in html and "暂无修改记录" not in html
    assert "暂无修改记录" in render_history(object())


# --------------------------------------------------------------------------- audit log: selector + filters
@pytest.fixture
def history(org_staff, tree, cadre_a, cadre_b):
    """Entries by two authors on two models, with request ids, on three days."""
    other = UserFactory(username="other")
    RoleAssignment.objects.create(user=other, role=Role.ORG_STAFF)
    u = UserFactory(username="fresh")
    tz = timezone.get_current_timezone()
    setup_day = dt.datetime(2025, 6, 1, 9, 0, tzinfo=tz)  # the fixtures' creations: before SINCE
    setup_count = 0
    for _label, _name, m in selectors.audit_models():
        setup_count += m.history.model.objects.update(history_date=setup_day, request_id="setup")
    with acting_as(org_staff, request_id="req-aaa"):
        cadre_services.cadre_update(by=org_staff, cadre=cadre_a, phone="13800000001")
    with acting_as(other, request_id="req-bbb"):
        cadre_services.cadre_update(by=other, cadre=cadre_b, phone="13800000002")
        from pingdingshan.core import services

        services.role_assign(by=other, user=u, role=Role.AUDITOR)
    HC.objects.filter(request_id="req-aaa").update(history_date=dt.datetime(2026, 1, 5, 10, 0, tzinfo=tz))
    HC.objects.filter(request_id="req-bbb").update(history_date=dt.datetime(2026, 2, 5, 23, 30, tzinfo=tz))
    RoleAssignment.history.model.objects.filter(request_id="req-bbb").update(
        history_date=dt.datetime(2026, 3, 1, 8, 0, tzinfo=tz))
    return type("H", (), {"other": other, "setup_count": setup_count})


SINCE = dt.date(2026, 1, 1)


def _keys(qs):
    return [(e["model_label"], e["history_type"], e["request_id"]) for e in qs]


def test_audit_entries_union_and_filters(org_staff, history):
    assert selectors.audit_entries(user=org_staff).count() == 3 + history.setup_count
    allq = selectors.audit_entries(user=org_staff, date_from=SINCE)
    assert allq.count() == 3
    assert _keys(allq) == [("core.RoleAssignment", "+", "req-bbb"), ("cadres.Cadre", "~", "req-bbb"),
                           ("cadres.Cadre", "~", "req-aaa")]  # newest first
    assert _keys(selectors.audit_entries(user=org_staff, user_id=org_staff.pk)) == [("cadres.Cadre", "~", "req-aaa")]
    assert len(selectors.audit_entries(user=org_staff, user_id=history.other.pk)) == 2
    assert _keys(selectors.audit_entries(user=org_staff, model_label="core.RoleAssignment", date_from=SINCE)) == [
        ("core.RoleAssignment", "+", "req-bbb")]
    assert selectors.audit_entries(user=org_staff, model_label="cadres.Cadre").count() == 4
    assert selectors.audit_entries(user=org_staff, model_label="no.Such").count() == 0
    feb = selectors.audit_entries(user=org_staff, date_from=dt.date(2026, 2, 5), date_to=dt.date(2026, 2, 5))
    assert _keys(feb) == [("cadres.Cadre", "~", "req-bbb")]  # 23:30 local time is still 5 February
    assert selectors.audit_entries(user=org_staff, date_from=dt.date(2026, 2, 6)).count() == 1
    assert selectors.audit_entries(user=org_staff, date_from=SINCE, date_to=dt.date(2026, 1, 31)).count() == 1
    assert selectors.audit_entries(user=org_staff, q="req-b").count() == 2
    page2 = list(allq[1:3])
    assert [e["request_id"] for e in page2] == ["req-bbb", "req-aaa"]


def test_audit_log_page_filters(client, auditor, history):
    client.force_login(auditor)
    url = reverse("core:audit_log")

    def rows(params):
        r = client.get(url, params)
        assert r.status_code == 200
        return [(e.model_label, e.user_label, e.request_id) for e in r.context["rows"]]

    assert len(rows({})) == 3 + history.setup_count
    assert len(rows({"date_from": "2026-01-01"})) == 3
    assert rows({"user": history.other.pk, "model": "cadres.Cadre"}) == [("cadres.Cadre", "other", "req-bbb")]
    assert rows({"model": "core.RoleAssignment", "date_from": "2026-01-01"}) == [("core.RoleAssignment", "other", "req-bbb")]
    assert rows({"date_from": "2026-01-01", "date_to": "2026-01-31"}) == [("cadres.Cadre", "orgstaff", "req-aaa")]
    assert rows({"q": "req-aaa"}) == [("cadres.Cadre", "orgstaff", "req-aaa")]
    r = client.get(url, {"date_from": "2026-02-01", "date_to": "2026-01-01"})
    assert "结束日期不能早于开始日期" in r.content.decode()
    html = changes_of(client.get(url, {"q": "req-aaa"}).content.decode())
    assert "联系电话" in html and "— → 13800000001" in html and "干部" in html and "张三" in html


@pytest.mark.parametrize("who", ["leader", "no_role_user"])
def test_audit_pages_forbidden(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("core:audit_log")).status_code == 403
    assert client.get(reverse("core:audit_log"), {"format": "csv"}).status_code == 403
    assert client.get(reverse("core:export_log")).status_code == 403
    assert not ExportLog.objects.exists()


def test_audit_pages_anonymous_redirect(client):
    for name in ("core:audit_log", "core:export_log"):
        r = client.get(reverse(name))
        assert r.status_code == 302 and r["Location"].startswith(reverse("login"))


def test_nav_links_follow_roles(client, org_staff, auditor, leader):
    for user, audit, users in ((org_staff, True, True), (auditor, True, False), (leader, False, False)):
        client.force_login(user)
        html = client.get(reverse("home")).content.decode()
        assert (reverse("core:audit_log") in html) is audit
        assert (reverse("core:user_list") in html) is users
        assert reverse("password_change") in html and "/api/docs/" in html


# --------------------------------------------------------------------------- audit log: query count
def test_audit_log_query_count_does_not_grow(client, org_staff, tree):
    t1, t2 = Tag.objects.create(name="甲"), Tag.objects.create(name="乙")
    client.force_login(org_staff)
    url = reverse("core:audit_log")

    def make(n):
        for i in range(n):
            c = CadreFactory(unit=tree.town_a if i % 2 else tree.town_b)
            cadre_services.cadre_update(by=org_staff, cadre=c, phone=f"1390000{i:04d}",
                                        unit=tree.county_a if i % 2 else tree.county_b, tags=[t1] if i % 2 else [t2])
            u = UserFactory()
            from pingdingshan.core import services

            services.role_assign(by=org_staff, user=u, role=Role.UNIT_LEADER, unit=tree.town_a)

    def count():
        with CaptureQueriesContext(connection) as q:
            r = client.get(url)
        assert r.status_code == 200
        return len(q.captured_queries), len(r.context["rows"])

    for _label, _name, m in selectors.audit_models():
        m.history.model.objects.all().delete()
    make(3)  # each: a cadre created, updated, its tags set, a user created (2 rows), a role given: 18 entries
    few, n_few = count()
    make(7)  # 60 entries, 50 on the first page
    many, n_many = count()
    assert (n_few, n_many) == (18, 50)
    assert many == few


# --------------------------------------------------------------------------- export
def test_audit_log_export_writes_export_log(client, auditor, history):
    client.force_login(auditor)
    r = client.get(reverse("core:audit_log"), {"format": "csv", "model": "cadres.Cadre", "user": history.other.pk})
    assert r.status_code == 200
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["时间", "操作人", "操作"]
    assert len(rows) == 2 and rows[1][1] == "other" and "联系电话" in rows[1][6] and rows[1][7] == "req-bbb"
    log = ExportLog.objects.get()
    assert (log.user, log.what, log.file_format, log.row_count) == (auditor, "审计日志", "csv", 1)
    assert log.filters == {"model": "cadres.Cadre", "user": "other"}
    r = client.get(reverse("core:audit_log"), {"format": "xlsx"})
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    assert ExportLog.objects.count() == 2 and ExportLog.objects.first().row_count == 3 + history.setup_count


def test_export_log_page(client, auditor, org_staff, django_assert_max_num_queries):
    for i in range(3):
        ExportLog.objects.create(user=org_staff, what="干部花名册", file_format="xlsx", row_count=10 + i,
                                 filters={"unit": "宝丰县"})
    ExportLog.objects.create(user=auditor, what="审计日志", file_format="csv", row_count=7)
    client.force_login(auditor)
    url = reverse("core:export_log")
    r = client.get(url)
    assert r.status_code == 200 and len(r.context["page"].object_list) == 4
    html = r.content.decode()
    assert "unit=宝丰县" in html and "干部花名册" in html
    assert len(client.get(url, {"user": auditor.pk}).context["page"].object_list) == 1
    assert len(client.get(url, {"what": "花名册", "file_format": "xlsx"}).context["page"].object_list) == 3
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    assert len(client.get(url, {"date_from": tomorrow}).context["page"].object_list) == 0
    with django_assert_max_num_queries(12):
        r = client.get(url)
    assert r.status_code == 200 and len(r.context["page"].object_list) == 4


def test_derived_fields_show_in_the_diff(org_staff, cadre_a, post_a):
    """current_post is not editable in forms, but its change is still shown before → after."""
    import datetime as _dt

    from pingdingshan.core.selectors import HistoryEntry, build_changes

    cadre_services.appointment_create(by=org_staff, cadre=cadre_a, post=post_a, start_date=_dt.date(2024, 1, 1))
    newest, older = list(cadre_a.history.all()[:2])
    [entry] = build_changes([HistoryEntry(row=newest, model=type(cadre_a), previous=older)])
    labels = [c[0] if isinstance(c, tuple) else getattr(c, "label", str(c)) for c in entry.changes]
    assert any("现任职务" in str(label) for label in labels), entry.changes
