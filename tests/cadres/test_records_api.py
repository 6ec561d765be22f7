"""The performance archive REST API (/api/v1/records/, evidence, task categories, notifications):
the workflow per role, scope (404), the verify gate (403), illegal transitions (400, nothing
changed), evidence upload sniffing and gated download, filters, constant query counts, history
with the API user and request id, and the OpenAPI schema."""
import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cadres import services
from cadres.models import Evidence, PerformanceRecord, RecordStatus, TaskCategory
from pingdingshan.core.models import Notification, Role
from pingdingshan.core.services import notify
from tests.factories import CadreFactory, user_with_role

S = RecordStatus
D = dt.date
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 100


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def category(db):
    return TaskCategory.objects.get(name="乡村振兴")


def client_for(user=None):
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


def url(name, obj=None):
    return reverse(name, args=[obj.pk]) if obj is not None else reverse(name)


def assert_error(response, code):
    assert response.status_code == code, response.content
    body = response.json()
    assert set(body) == {"message", "errors"} and body["message"]
    return body


def payload(cadre, category, **extra):
    data = {"cadre": cadre.pk, "category": category.pk, "title": "推进高标准农田建设", "description": "完成高标准农田2万亩",
            "role": "lead", "start_date": "2025-03-01", "end_date": "2025-10-01", "quantity": "2",
            "quantity_unit": "万亩"}
    data.update(extra)
    return data


def draft(by, cadre, category, **extra):
    data = dict(cadre=cadre, category=category, title="推进高标准农田建设", description="完成高标准农田2万亩",
                role="lead", start_date=D(2025, 3, 1))
    data.update(extra)
    return services.record_create(by=by, **data)


def submitted(by, cadre, category, **extra):
    return services.record_submit(by=by, record=draft(by, cadre, category, **extra))


def upload(name, content):
    return {"file": SimpleUploadedFile(name, content)}


# --------------------------------------------------------------------------- unit leader
def test_leader_drafts_edits_submits_withdraws_and_deletes_in_scope(leader, cadre_a, category):
    client = client_for(leader)
    response = client.post(url("record-list"), payload(cadre_a, category), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    record = PerformanceRecord.objects.get(pk=body["id"])
    assert body["status"] == "draft" and body["unit"]["name"] == "城关镇" and body["created_by"]["id"] == leader.pk
    assert record.created_by == leader and record.unit == cadre_a.unit

    response = client.patch(url("record-detail", record), {"title": "高标准农田建设（补充）"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "高标准农田建设（补充）"

    response = client.post(url("record-submit", record))
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "submitted" and response.json()["submitted_by"]["id"] == leader.pk
    response = client.post(url("record-withdraw", record))
    assert response.status_code == 200 and response.json()["status"] == "draft"

    assert client.delete(url("record-detail", record)).status_code == 204
    assert not PerformanceRecord.objects.filter(pk=record.pk).exists()


def test_create_with_submit_true_submits_at_once(leader, cadre_a, category):
    response = client_for(leader).post(url("record-list"), payload(cadre_a, category, submit=True), format="json")
    assert response.status_code == 201, response.content
    record = PerformanceRecord.objects.get(pk=response.json()["id"])
    assert record.status == S.SUBMITTED and record.submitted_by == leader and response.json()["status"] == "submitted"


def test_create_validation_errors_come_back_by_field(leader, cadre_a, category):
    client = client_for(leader)
    body = assert_error(client.post(url("record-list"), {}, format="json"), 400)
    assert {"cadre", "category", "title", "description", "role", "start_date"} <= set(body["errors"])
    future = (dt.date.today() + dt.timedelta(days=5)).isoformat()
    body = assert_error(client.post(url("record-list"), payload(cadre_a, category, start_date=future, end_date=None),
                                    format="json"), 400)
    assert "start_date" in body["errors"] and "晚于今天" in body["errors"]["start_date"][0]
    body = assert_error(client.post(url("record-list"), payload(cadre_a, category, quantity_unit=""), format="json"), 400)
    assert "quantity_unit" in body["errors"]
    assert not PerformanceRecord.objects.exists()


def test_leader_gets_404_outside_scope(leader, org_staff, cadre_a, cadre_b, category):
    other = draft(org_staff, cadre_b, category)
    services.evidence_add(by=org_staff, record=other, upload=SimpleUploadedFile("a.pdf", PDF))
    client = client_for(leader)
    assert client.get(url("record-list")).json()["count"] == 0
    for response in (client.get(url("record-detail", other)),
                     client.patch(url("record-detail", other), {"title": "x"}, format="json"),
                     client.delete(url("record-detail", other)),
                     client.post(url("record-submit", other)),
                     client.post(url("record-amend", other)),
                     client.get(url("record-evidence", other)),
                     client.post(url("record-evidence", other), upload("b.pdf", PDF), format="multipart")):
        assert "权限范围" in assert_error(response, 404)["message"]
    # A cadre outside the scope cannot be named in a new record.
    body = assert_error(client.post(url("record-list"), payload(cadre_b, category), format="json"), 400)
    assert "cadre" in body["errors"]
    other.refresh_from_db()
    assert other.status == S.DRAFT and other.title == "推进高标准农田建设" and other.evidence.count() == 1


def test_leader_cannot_verify_return_or_bulk_verify(leader, cadre_a, cadre_b, org_staff, category):
    own = submitted(leader, cadre_a, category)
    other = submitted(org_staff, cadre_b, category)
    client = client_for(leader)
    for record in (own, other):  # 403 before any lookup: not even out-of-scope ids answer 404
        assert_error(client.post(url("record-verify", record)), 403)
        assert_error(client.post(url("record-return", record), {"reason": "x"}, format="json"), 403)
    assert_error(client.post(url("record-bulk-verify"), {"ids": [own.pk]}, format="json"), 403)
    own.refresh_from_db()
    assert own.status == S.SUBMITTED and own.history.count() == 2


def test_withdraw_by_someone_other_than_the_submitter_is_refused(leader, org_staff, cadre_a, category, tree):
    record = submitted(leader, cadre_a, category)
    colleague = user_with_role(Role.UNIT_LEADER, tree.county_a, username="colleague")
    assert "提交人" in assert_error(client_for(colleague).post(url("record-withdraw", record)), 403)["message"]
    record.refresh_from_db()
    assert record.status == S.SUBMITTED
    # Org staff may take it back.
    assert client_for(org_staff).post(url("record-withdraw", record)).json()["status"] == "draft"


# --------------------------------------------------------------------------- auditor
def test_auditor_reads_everything_and_changes_nothing(auditor, org_staff, cadre_a, cadre_b, category):
    a = draft(org_staff, cadre_a, category)
    b = submitted(org_staff, cadre_b, category)
    ev = services.evidence_add(by=org_staff, record=a, upload=SimpleUploadedFile("a.pdf", PDF))
    client = client_for(auditor)
    assert {r["id"] for r in client.get(url("record-list")).json()["results"]} == {a.pk, b.pk}
    assert client.get(url("record-detail", b)).status_code == 200
    assert client.get(url("evidence-download", ev)).status_code == 200
    for response in (client.post(url("record-list"), payload(cadre_a, category), format="json"),
                     client.patch(url("record-detail", a), {"title": "x"}, format="json"),
                     client.delete(url("record-detail", a)),
                     client.post(url("record-submit", a)),
                     client.post(url("record-withdraw", b)),
                     client.post(url("record-verify", b)),
                     client.post(url("record-return", b), {"reason": "x"}, format="json"),
                     client.post(url("record-amend", b)),
                     client.post(url("record-bulk-verify"), {"ids": [b.pk]}, format="json"),
                     client.post(url("record-evidence", a), upload("b.pdf", PDF), format="multipart"),
                     client.delete(url("evidence-detail", ev))):
        assert_error(response, 403)
    assert PerformanceRecord.objects.count() == 2 and Evidence.objects.count() == 1
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, a.title, b.status) == (S.DRAFT, "推进高标准农田建设", S.SUBMITTED)


# --------------------------------------------------------------------------- org staff
def test_org_staff_verifies_with_rule_points_and_adjustment(org_staff, leader, cadre_a, category):
    record = submitted(leader, cadre_a, category, role="main")
    client = client_for(org_staff)
    body = assert_error(client.post(url("record-verify", record), {"adjustment": "2"}, format="json"), 400)
    assert "理由" in body["errors"]["adjustment_reason"][0]
    record.refresh_from_db()
    assert record.status == S.SUBMITTED

    response = client.post(url("record-verify", record), {"adjustment": "2", "adjustment_reason": "成效特别突出"},
                           format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "verified" and body["base_points"] == "6.00" and body["points"] == "8.00"
    assert "计分规则" in body["points_explanation"] and body["reviewed_by"]["id"] == org_staff.pk
    assert body["is_current"] is True
    assert "已核实" in Notification.objects.get(user=leader).message


def test_org_staff_returns_with_reason_then_leader_resubmits(org_staff, leader, cadre_a, category):
    record = submitted(leader, cadre_a, category)
    staff = client_for(org_staff)
    body = assert_error(staff.post(url("record-return", record), {}, format="json"), 400)
    assert "退回原因" in body["errors"]["reason"][0]
    response = staff.post(url("record-return", record), {"reason": "缺少佐证材料"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "returned" and response.json()["return_reason"] == "缺少佐证材料"
    assert "缺少佐证材料" in Notification.objects.get(user=leader).message

    client = client_for(leader)
    assert client.post(url("record-evidence", record), upload("纪要.pdf", PDF), format="multipart").status_code == 201
    assert client.patch(url("record-detail", record), {"title": "补充后"}, format="json").status_code == 200
    assert client.post(url("record-submit", record)).json()["status"] == "submitted"


def test_bulk_verify_is_all_or_nothing(org_staff, leader, cadre_a, category):
    good = [submitted(leader, cadre_a, category, title=f"记录{i}") for i in range(2)]
    bad = draft(leader, cadre_a, category, title="尚未提交")
    client = client_for(org_staff)
    body = assert_error(client.post(url("record-bulk-verify"), {"ids": [good[0].pk, bad.pk, good[1].pk]},
                                    format="json"), 400)
    assert "尚未提交" in body["message"] and "草稿" in body["message"]
    assert set(PerformanceRecord.objects.values_list("status", flat=True)) == {S.SUBMITTED, S.DRAFT}
    assert not Notification.objects.exists()

    body = assert_error(client.post(url("record-bulk-verify"), {"ids": [good[0].pk, 999999]}, format="json"), 400)
    assert "999999" in body["errors"]["ids"][0]
    assert_error(client.post(url("record-bulk-verify"), {"ids": []}, format="json"), 400)

    response = client.post(url("record-bulk-verify"), {"ids": [g.pk for g in good]}, format="json")
    assert response.status_code == 200, response.content
    assert response.json() == {"count": 2, "ids": sorted(g.pk for g in good)}
    assert PerformanceRecord.objects.filter(status=S.VERIFIED).count() == 2


@pytest.mark.parametrize("state,call", [
    ("draft", lambda c, r: c.post(url("record-verify", r))),
    ("draft", lambda c, r: c.post(url("record-return", r), {"reason": "x"}, format="json")),
    ("draft", lambda c, r: c.post(url("record-withdraw", r))),
    ("draft", lambda c, r: c.post(url("record-amend", r))),
    ("submitted", lambda c, r: c.post(url("record-submit", r))),
    ("submitted", lambda c, r: c.patch(url("record-detail", r), {"title": "改"}, format="json")),
    ("submitted", lambda c, r: c.delete(url("record-detail", r))),
    ("submitted", lambda c, r: c.post(url("record-evidence", r), upload("a.pdf", PDF), format="multipart")),
    ("verified", lambda c, r: c.patch(url("record-detail", r), {"title": "改"}, format="json")),
    ("verified", lambda c, r: c.post(url("record-verify", r))),
    ("verified", lambda c, r: c.post(url("record-withdraw", r))),
    ("verified", lambda c, r: c.delete(url("record-detail", r))),
])
def test_illegal_transitions_answer_400_and_change_nothing(org_staff, cadre_a, category, state, call):
    record = draft(org_staff, cadre_a, category)
    if state != "draft":
        record = services.record_submit(by=org_staff, record=record)
    if state == "verified":
        record = services.record_verify(by=org_staff, record=record)
    before = (record.status, record.title, record.history.count(), Evidence.objects.count())
    body = assert_error(call(client_for(org_staff), record), 400)
    label = RecordStatus(state).label
    assert f"记录当前状态为“{label}”" in body["message"], body
    assert body["errors"] == {"non_field_errors": [body["message"]]}
    record.refresh_from_db()
    assert (record.status, record.title, record.history.count(), Evidence.objects.count()) == before
    assert PerformanceRecord.objects.count() == 1


def test_amend_creates_a_draft_that_supersedes_once_verified(org_staff, leader, cadre_a, category):
    original = services.record_verify(by=org_staff, record=submitted(leader, cadre_a, category))
    client = client_for(leader)
    response = client.post(url("record-amend", original), {"quantity": "2.5", "quantity_unit": "万亩"}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["amends"] == original.pk and body["status"] == "draft" and body["quantity"] == "2.50"
    assert body["title"] == original.title and body["id"] != original.pk
    amendment = PerformanceRecord.objects.get(pk=body["id"])
    assert_error(client.post(url("record-amend", original)), 400)  # one correction at a time

    client.post(url("record-submit", amendment))
    assert client_for(org_staff).post(url("record-verify", amendment)).status_code == 200
    original.refresh_from_db()
    assert original.superseded_by == amendment and original.status == S.VERIFIED
    current = client.get(url("record-list"), {"is_current": "true"}).json()["results"]
    assert [r["id"] for r in current] == [amendment.pk]
    assert client.get(url("record-detail", original)).json()["superseded_by"] == amendment.pk


# --------------------------------------------------------------------------- evidence
def test_evidence_upload_list_download_and_delete(leader, cadre_a, category):
    record = draft(leader, cadre_a, category)
    client = client_for(leader)
    response = client.post(url("record-evidence", record), upload("../会议纪要.pdf", PDF), format="multipart")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["original_name"] == "会议纪要.pdf" and body["content_type"] == "application/pdf"
    assert body["size"] == len(PDF) and body["previewable"] is True and body["uploaded_by"]["id"] == leader.pk
    ev = Evidence.objects.get(pk=body["id"])
    assert body["download_url"] == url("evidence-download", ev)

    listed = client.get(url("record-evidence", record)).json()
    assert [e["id"] for e in listed] == [ev.pk]
    assert client.get(url("record-detail", record)).json()["evidence"][0]["id"] == ev.pk
    assert client.get(url("record-list")).json()["results"][0]["evidence_count"] == 1
    assert client.get(url("evidence-detail", ev)).json()["sha256"] == ev.sha256

    response = client.get(url("evidence-download", ev))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"

    assert client.delete(url("evidence-detail", ev)).status_code == 204
    assert not Evidence.objects.exists()


def test_spoofed_or_missing_upload_is_refused(leader, cadre_a, category):
    record = draft(leader, cadre_a, category)
    client = client_for(leader)
    body = assert_error(client.post(url("record-evidence", record), upload("报告.pdf", EXE), format="multipart"), 400)
    assert "不是允许的类型" in body["errors"]["file"][0]
    body = assert_error(client.post(url("record-evidence", record), {}, format="multipart"), 400)
    assert "file" in body["errors"]
    assert not Evidence.objects.exists()


def test_download_is_gated(leader, org_staff, cadre_a, cadre_b, category):
    own = services.evidence_add(by=leader, record=draft(leader, cadre_a, category),
                                upload=SimpleUploadedFile("a.pdf", PDF))
    other = services.evidence_add(by=org_staff, record=draft(org_staff, cadre_b, category),
                                  upload=SimpleUploadedFile("b.pdf", PDF))
    client = client_for(leader)
    assert client.get(url("evidence-download", own)).status_code == 200
    assert_error(client.get(url("evidence-download", other)), 404)
    assert_error(client.get(url("evidence-detail", other)), 404)
    assert_error(client.delete(url("evidence-detail", other)), 404)
    assert_error(client_for().get(url("evidence-download", own)), 401)
    assert Evidence.objects.count() == 2


# --------------------------------------------------------------------------- list: filters, pages, query counts
def test_filters_and_ordering(org_staff, leader, tree, cadre_a, cadre_b, category):
    other_category = TaskCategory.objects.get(name="项目建设")
    a1 = submitted(leader, cadre_a, category, title="农田建设", start_date=D(2024, 5, 1))
    a2 = draft(org_staff, cadre_a, other_category, title="园区项目", start_date=D(2025, 1, 1))
    b1 = submitted(org_staff, cadre_b, category, title="防汛", start_date=D(2025, 6, 1))
    client = client_for(org_staff)

    def ids(**params):
        body = client.get(url("record-list"), params)
        assert body.status_code == 200, body.content
        return [r["id"] for r in body.json()["results"]]

    assert ids() == [b1.pk, a2.pk, a1.pk]  # newest first
    assert ids(status="submitted") == [b1.pk, a1.pk]
    assert ids(category=other_category.pk) == [a2.pk]
    assert ids(cadre=cadre_a.pk, ordering="date") == [a1.pk, a2.pk]
    assert ids(unit=tree.county_b.pk) == [b1.pk]
    assert sorted(ids(unit=tree.city.pk)) == sorted([a1.pk, a2.pk, b1.pk])
    assert ids(date_from="2025-01-01", date_to="2025-03-31") == [a2.pk]
    assert ids(q="zs") == [a2.pk, a1.pk]  # 张三 by pinyin initials
    assert ids(q="李") == [b1.pk]
    assert ids(q="园区") == [a2.pk]
    assert ids(submitter=leader.pk) == [a1.pk]
    assert ids(ordering="cadre") == [b1.pk, a1.pk, a2.pk]  # ls, zs, zs (ties by id)
    assert_error(client.get(url("record-list"), {"status": "nonsense"}), 400)
    assert_error(client.get(url("record-list"), {"submitter": "x"}), 400)


def test_list_pagination_and_row_shape(org_staff, cadre_a, category):
    for i in range(3):
        draft(org_staff, cadre_a, category, title=f"记录{i}")
    body = client_for(org_staff).get(url("record-list"), {"page_size": 2}).json()
    assert set(body) == {"count", "next", "previous", "results"} and body["count"] == 3 and len(body["results"]) == 2
    row = body["results"][0]
    assert row["cadre"] == {"id": cadre_a.pk, "name": "张三"} and row["category"]["name"] == "乡村振兴"
    assert row["evidence_count"] == 0 and row["status"] == "draft" and "description" not in row


def _records(cadre, category, by, n):
    for i in range(n):
        record = PerformanceRecord.objects.create(
            cadre=cadre, unit=cadre.unit, category=category, title=f"实绩{i}", description="做法", role="lead",
            start_date=D(2025, 1, 1), status=S.SUBMITTED, submitted_by=by, created_by=by)
        Evidence.objects.create(record=record, file=f"evidence/{record.pk}/a.pdf", original_name="a.pdf",
                                content_type="application/pdf", size=1, sha256="0" * 64, uploaded_by=by)


def test_list_query_count_is_constant(leader, tree, category, django_assert_num_queries):
    cadres = CadreFactory.create_batch(5, unit=tree.town_a)
    client = client_for(leader)
    for c in cadres[:2]:
        _records(c, category, leader, 5)
    with CaptureQueriesContext(connection) as ten:
        r = client.get(url("record-list"), {"page_size": 100})
    assert r.status_code == 200 and len(r.json()["results"]) == 10
    for c in cadres:
        _records(c, category, leader, 8)
    with django_assert_num_queries(len(ten.captured_queries)):
        r = client.get(url("record-list"), {"page_size": 100})
    assert r.status_code == 200
    body = r.json()
    assert len(body["results"]) == 50 and all(r["evidence_count"] == 1 for r in body["results"])


# --------------------------------------------------------------------------- audit
def test_history_rows_carry_the_api_user_and_request_id(leader, org_staff, cadre_a, category):
    token = Token.objects.create(user=leader)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.post(url("record-list"), payload(cadre_a, category), format="json", HTTP_X_REQUEST_ID="req-rec-1")
    assert response.status_code == 201, response.content
    record = PerformanceRecord.objects.get(pk=response.json()["id"])
    response = client.post(url("record-submit", record), HTTP_X_REQUEST_ID="req-rec-2")
    assert response.status_code == 200
    rows = list(record.history.order_by("history_id"))
    assert [(r.history_type, r.status, r.history_user, r.request_id) for r in rows] == [
        ("+", "draft", leader, "req-rec-1"), ("~", "submitted", leader, "req-rec-2")]

    response = client_for(org_staff).post(url("record-verify", record))
    row = record.history.latest()
    assert row.status == "verified" and row.history_user == org_staff
    assert row.request_id and row.request_id == response["X-Request-ID"]


# --------------------------------------------------------------------------- categories and notifications
def test_task_categories_with_points_per_role(leader, org_staff, category):
    client = client_for(leader)
    body = client.get(url("task-category-list"), {"page_size": 100}).json()
    row = next(r for r in body["results"] if r["name"] == "乡村振兴")
    assert row["points"] == {"lead": "10.00", "main": "6.00", "participant": "3.00"}
    assert client.get(url("task-category-detail", category)).json()["id"] == category.pk
    assert_error(client_for(org_staff).post(url("task-category-list"), {"name": "新类别"}, format="json"), 405)


def test_notifications_are_own_only_and_read_all(leader, org_staff, auditor):
    mine = [notify(user=leader, message=f"通知{i}") for i in range(2)]
    notify(user=org_staff, message="别人的通知")
    client = client_for(leader)
    body = client.get(url("notification-list")).json()
    assert [n["id"] for n in body["results"]] == [mine[1].pk, mine[0].pk]
    assert body["results"][0]["is_read"] is False

    response = client.post(url("notification-read-all"), {"ids": [mine[0].pk]}, format="json")
    assert response.json() == {"marked": 1, "unread": 1}
    assert [n["id"] for n in client.get(url("notification-list"), {"unread": "true"}).json()["results"]] == [mine[1].pk]
    assert client.post(url("notification-read-all"), {}, format="json").json() == {"marked": 1, "unread": 0}
    assert Notification.objects.get(user=org_staff).read_at is None  # someone else's stays unread
    # Auditors read (and mark) their own too.
    assert client_for(auditor).post(url("notification-read-all"), {}, format="json").status_code == 200


def test_users_without_a_role_reach_their_own_notifications_only(no_role_user, leader):
    """As on the /notifications/ pages: a notification is its user's own, role or not."""
    mine = notify(user=no_role_user, message="您的角色已被收回")
    theirs = notify(user=leader, message="别人的通知")
    client = client_for(no_role_user)
    body = client.get(url("notification-list")).json()
    assert [n["id"] for n in body["results"]] == [mine.pk] and body["results"][0]["message"] == "您的角色已被收回"
    response = client.post(url("notification-read-all"), {"ids": [theirs.pk, mine.pk]}, format="json")
    assert response.status_code == 200 and response.json() == {"marked": 1, "unread": 0}
    theirs.refresh_from_db()
    assert theirs.read_at is None
    # with a token too; a deactivated account gets nothing
    token = Token.objects.create(user=no_role_user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get(url("notification-list")).status_code == 200
    no_role_user.is_active = False
    no_role_user.save()
    assert_error(client.get(url("notification-list")), 401)
    assert_error(client.post(url("notification-read-all"), {}, format="json"), 401)
    assert_error(client_for().get(url("notification-list")), 401)


# --------------------------------------------------------------------------- schema
def test_schema_documents_the_archive_endpoints(client, org_staff):
    client.force_login(org_staff)
    schema = json.loads(client.get(reverse("api-schema"), {"format": "json"}).content)
    paths = schema["paths"]
    for action in ("submit", "withdraw", "verify", "return", "amend", "evidence"):
        assert "post" in paths[f"/api/v1/records/{{id}}/{action}/"], action
    for path in ("/api/v1/records/", "/api/v1/records/{id}/", "/api/v1/records/bulk-verify/",
                 "/api/v1/evidence/{id}/", "/api/v1/evidence/{id}/download/", "/api/v1/task-categories/",
                 "/api/v1/notifications/", "/api/v1/notifications/read-all/"):
        assert path in paths, path
    assert "multipart/form-data" in paths["/api/v1/records/{id}/evidence/"]["post"]["requestBody"]["content"]
    assert "403" in paths["/api/v1/records/{id}/verify/"]["post"]["responses"]
    params = {p["name"] for p in paths["/api/v1/records/"]["get"]["parameters"]}
    assert {"status", "category", "cadre", "unit", "date_from", "date_to", "q", "submitter", "page"} <= params
    components = schema["components"]["schemas"]
    assert components["RecordStatusEnum"]["enum"] == [s.value for s in RecordStatus]
    assert "adjustment_reason" in components["RecordVerifyRequest"]["properties"]
