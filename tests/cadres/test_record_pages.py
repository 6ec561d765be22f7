"""The performance archive pages: record list (scope, status order, filters, counts, export), the
record form with evidence, the detail page's workflow buttons, gated evidence download/preview,
and the cadre detail's 实绩档案 tab."""
import csv
import datetime as dt
import io
import json
import re
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadres import services
from cadres.models import Evidence, PerformanceRecord, RecordStatus, TaskCategory
from pingdingshan.core.exports import HEADER_ROW
from tests.factories import CadreFactory

S = RecordStatus
D = dt.date
LIST = reverse("cadres:record_list")
CREATE = reverse("cadres:record_create")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c"
                    "6360000002000154a24f5d0000000049454e44ae426082")
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 100


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def category(db):
    return TaskCategory.objects.get(name="乡村振兴")


def login(client, user):
    client.force_login(user)
    return client


START = D(2025, 3, 1)


def make(by, cadre, category, *, title="推进高标准农田建设", start=START, **extra):
    data = dict(cadre=cadre, category=category, title=title, description="完成高标准农田2万亩", role="lead",
                start_date=start)
    data.update(extra)
    return services.record_create(by=by, **data)


def submitted(by, *args, **kw):
    return services.record_submit(by=by, record=make(by, *args, **kw))


def verified(by, staff, *args, **kw):
    return services.record_verify(by=staff, record=submitted(by, *args, **kw))


def returned(by, staff, *args, reason="缺少佐证材料", **kw):
    return services.record_return(by=staff, record=submitted(by, *args, **kw), reason=reason)


def form_data(cadre, category, **extra):
    data = {"cadre": cadre.pk, "category": category.pk, "title": "乡村道路硬化", "description": "硬化道路12公里",
            "role": "main", "start_date": "2025-04-01", "end_date": "2025-09-30", "quantity": "12",
            "quantity_unit": "公里"}
    data.update(extra)
    return data


def flash(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def files_in(path):
    return [p for p in path.rglob("*") if p.is_file()]


# --------------------------------------------------------------------------- pages per role
@pytest.mark.django_db
def test_pages_render_for_allowed_roles(client, org_staff, auditor, leader, no_role_user, cadre_a, category):
    r = verified(leader, org_staff, cadre_a, category)
    d = make(leader, cadre_a, category, title="草稿记录")
    pages = [LIST, reverse("cadres:record_detail", args=[r.pk]), reverse("cadres:record_detail", args=[d.pk]),
             reverse("cadres:cadre_detail", args=[cadre_a.pk]) + "?tab=records"]
    for user in (org_staff, auditor, leader):
        for url in pages:
            assert login(client, user).get(url).status_code == 200, (user, url)
    for user in (org_staff, leader):
        assert login(client, user).get(CREATE).status_code == 200
        assert login(client, user).get(reverse("cadres:record_edit", args=[d.pk])).status_code == 200
    assert login(client, auditor).get(CREATE).status_code == 403
    assert login(client, no_role_user).get(LIST).status_code == 403
    client.logout()
    assert client.get(LIST).status_code == 302


@pytest.mark.django_db
def test_leader_sees_only_own_scope(client, org_staff, leader, cadre_a, cadre_b, category):
    mine = make(leader, cadre_a, category, title="本县记录")
    other = make(org_staff, cadre_b, category, title="外县记录")
    ev = services.evidence_add(by=org_staff, record=other, upload=SimpleUploadedFile("a.pdf", PDF))
    login(client, leader)
    page = client.get(LIST)
    assert [x.pk for x in page.context["records"]] == [mine.pk]
    assert "外县记录" not in page.content.decode()
    for url in (reverse("cadres:record_detail", args=[other.pk]), reverse("cadres:record_edit", args=[other.pk]),
                reverse("cadres:evidence_download", args=[ev.pk]), reverse("cadres:evidence_preview", args=[ev.pk])):
        assert client.get(url).status_code == 404, url
    for name in ("record_submit", "record_delete"):
        assert client.post(reverse(f"cadres:{name}", args=[other.pk])).status_code == 404
    assert client.post(reverse("cadres:evidence_delete", args=[ev.pk])).status_code == 404
    other.refresh_from_db()
    assert other.status == S.DRAFT and Evidence.objects.filter(pk=ev.pk).exists()
    # the form's cadre chooser lists only cadres the leader may change
    choices = [c[0] for c in client.get(CREATE).context["form"].fields["cadre"].choices]
    assert cadre_a.pk in [getattr(v, "value", v) for v in choices]
    assert cadre_b.pk not in [getattr(v, "value", v) for v in choices]
    r = client.post(CREATE, form_data(cadre_b, category))
    assert r.status_code == 200 and "cadre" in r.context["form"].errors
    assert not PerformanceRecord.objects.filter(cadre=cadre_b, title="乡村道路硬化").exists()


# --------------------------------------------------------------------------- list
@pytest.mark.django_db
def test_returned_on_top_with_reason_and_status_counts(client, org_staff, leader, cadre_a, category):
    v = verified(leader, org_staff, cadre_a, category, title="已核实的", start=D(2025, 1, 1))
    s = submitted(leader, cadre_a, category, title="已提交的", start=D(2025, 2, 1))
    d = make(leader, cadre_a, category, title="草稿的", start=D(2025, 3, 1))
    r = returned(leader, org_staff, cadre_a, category, title="被退回的", start=D(2024, 1, 1), reason="佐证材料不清晰请补充")
    page = login(client, leader).get(LIST)
    assert [x.pk for x in page.context["records"]] == [r.pk, d.pk, s.pk, v.pk]
    html = page.content.decode()
    row = re.search(rf'<tr data-record="{r.pk}".*?</tr>', html, re.S).group(0)
    assert "佐证材料不清晰请补充" in row and "已退回" in row
    counts = {t["key"]: t["count"] for t in page.context["status_tabs"]}
    assert counts == {"": 4, "returned": 1, "draft": 1, "submitted": 1, "verified": 1}
    # a status tab keeps the other filters and counts stay per status
    page = client.get(LIST, {"status": "draft", "q": "草稿"})
    assert [x.pk for x in page.context["records"]] == [d.pk]
    counts = {t["key"]: t["count"] for t in page.context["status_tabs"]}
    assert counts[""] == 1 and counts["draft"] == 1 and counts["verified"] == 0


@pytest.mark.django_db
def test_list_table_is_the_shared_list_table(client, org_staff, cadre_a, category):
    """The record list renders partials/list_table.html: sortable headers, one cell per column, an
    empty line spanning them all."""
    import re

    client.force_login(org_staff)
    empty = client.get(LIST).content.decode()
    head = empty.split("record-table", 1)[1].split("</thead>", 1)[0]
    assert head.count("<th ") == 10 and 'class="sort-link"' in head
    assert re.search(r'<td colspan="10"[^>]*>没有符合条件的实绩记录。</td>', empty)


def test_list_filters_and_sort(client, org_staff, tree, cadre_a, cadre_b, category):
    other_cat = TaskCategory.objects.get(name="项目建设")
    a = make(org_staff, cadre_a, category, title="甲", start=D(2024, 5, 1))
    b = make(org_staff, cadre_b, other_cat, title="乙", start=D(2025, 5, 1), role="participant")
    login(client, org_staff)

    def pks(**params):
        return [x.pk for x in client.get(LIST, params).context["records"]]

    assert pks(unit=tree.county_a.pk) == [a.pk]
    assert pks(category=other_cat.pk) == [b.pk]
    assert pks(role="participant") == [b.pk]
    assert pks(q="ls") == [b.pk]  # 李四's pinyin initials
    assert pks(q="张三") == [a.pk]
    assert pks(q=cadre_b.id_number[:10]) == [b.pk]
    assert pks(date_from="2025-01-01") == [b.pk]
    assert pks(date_to="2024-12-31") == [a.pk]
    assert pks(cadre=cadre_a.pk) == [a.pk]
    assert pks(ordering="date") == [a.pk, b.pk]
    assert pks(ordering="-date") == [b.pk, a.pk]
    r = client.get(LIST, {"date_from": "not-a-date"})
    assert r.status_code == 200 and not r.context["filters_valid"]


@pytest.mark.django_db
def test_record_list_query_count_constant(client, org_staff, tree, category):
    login(client, org_staff)
    cadres = CadreFactory.create_batch(5, unit=tree.town_a) + CadreFactory.create_batch(5, unit=tree.town_b)
    for i, c in enumerate(cadres):
        returned(org_staff, org_staff, c, category, title=f"记录{i}") if i % 3 == 0 else make(org_staff, c, category)
    client.get(LIST)
    with CaptureQueriesContext(connection) as ten:
        r = client.get(LIST)
    assert r.status_code == 200 and len(r.context["records"]) == 10
    for i, c in enumerate(CadreFactory.create_batch(40, unit=tree.town_b)):
        verified(org_staff, org_staff, c, category) if i % 2 else make(org_staff, c, category)
    with CaptureQueriesContext(connection) as fifty:
        r = client.get(LIST)
    assert r.status_code == 200 and len(r.context["records"]) == 50
    assert len(fifty.captured_queries) == len(ten.captured_queries)


def _record_counts(captured) -> list[str]:
    return [q["sql"] for q in captured if q["sql"].startswith('SELECT COUNT(*) AS "__count" FROM "cadres_performancerecord"')]


@pytest.mark.django_db
def test_list_total_and_pages_come_from_the_status_tabs(client, leader, org_staff, tree, cadre_a, category,
                                                         settings):
    """The paginator takes the active tab's count (no COUNT of its own), which is exactly the
    number of listed rows, with and without a status, with other filters and with an invalid one."""
    settings.ROSTER_PAGE_SIZE = 2
    other = CadreFactory(unit=tree.county_a)
    for i in range(3):
        make(leader, cadre_a, category, title=f"草稿{i}", start=D(2025, 1, 1 + i))
    for i in range(2):
        submitted(leader, other, category, title=f"提交{i}", start=D(2024, 1, 1 + i))
    verified(leader, org_staff, cadre_a, category, title="核实", start=D(2023, 1, 1))
    login(client, leader)
    for params, expected in [
        ({}, 6), ({"status": "draft"}, 3), ({"status": "submitted"}, 2), ({"status": "returned"}, 0),
        ({"status": "nonsense"}, 6),  # an invalid status filters nothing: the whole list
        ({"status": "draft", "date_from": "not-a-date"}, 3),  # other fields invalid: the status still applies
        ({"unit": tree.town_a.pk}, 4), ({"unit": tree.town_a.pk, "status": "verified"}, 1),
        ({"q": "提交", "status": "submitted"}, 2),
    ]:
        with CaptureQueriesContext(connection) as ctx:
            r = client.get(LIST, params)
        assert r.status_code == 200, params
        paginator = r.context["page_obj"].paginator
        assert paginator.count == expected, params
        listed = sum(len(paginator.page(n).object_list) for n in paginator.page_range) if expected else 0
        assert listed == expected, params
        assert _record_counts(ctx.captured_queries) == [], params  # the tabs counted them
    r = client.get(LIST, {"page": 3})
    assert r.context["page_obj"].number == 3 and len(r.context["records"]) == 2


@pytest.mark.django_db
def test_whole_archive_counts_per_status_and_feeds_the_bell(client, org_staff, leader, cadre_a, cadre_b, category):
    """City-wide readers without a filter: one count per status (no grouping), the same numbers as
    grouping, and the header bell takes the submitted count instead of counting again."""
    from cadres.selectors import record_counts_by_status

    make(leader, cadre_a, category, title="草稿")
    for i in range(2):
        submitted(leader, cadre_a, category, title=f"提交{i}", start=D(2024, 1, 1 + i))
    verified(org_staff, org_staff, cadre_b, category, title="核实")
    returned(leader, org_staff, cadre_a, category, title="退回", start=D(2023, 1, 1))
    whole = record_counts_by_status(PerformanceRecord.objects.all())
    assert whole == record_counts_by_status(PerformanceRecord.objects.filter(pk__gt=0))  # the grouping path
    assert whole == {"draft": 1, "submitted": 2, "verified": 1, "returned": 1}
    login(client, org_staff)
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(LIST)
    assert r.status_code == 200 and r.context["bell"].waiting == 2 and r.context["page_obj"].paginator.count == 5
    assert 'bell-waiting-count">2<' in r.content.decode()
    assert _record_counts(ctx.captured_queries) == []  # neither the paginator nor the bell counted
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(LIST, {"category": category.pk})  # filtered: the bell counts the whole queue itself
    assert r.status_code == 200 and r.context["bell"].waiting == 2 and len(_record_counts(ctx.captured_queries)) == 1


# --------------------------------------------------------------------------- export
@pytest.mark.django_db
def test_export_contains_exactly_the_filtered_rows(client, org_staff, leader, cadre_a, cadre_b, category):
    other_cat = TaskCategory.objects.get(name="项目建设")
    want = [submitted(leader, cadre_a, category, title=f"=应导出{i}", start=D(2025, 1, 1 + i)) for i in range(3)]
    make(leader, cadre_a, category, title="草稿不导出")
    submitted(leader, cadre_a, other_cat, title="别的类别")
    submitted(org_staff, cadre_b, category, title="外县不导出")
    login(client, leader)
    r = client.get(reverse("cadres:record_export"), {"format": "csv", "status": "submitted",
                                                      "category": category.pk, "ordering": "date"})
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    title = header.index("标题")
    assert [row[title] for row in body] == [f"'=应导出{i}" for i in range(3)]  # formula escaped
    assert [int(row[header.index("编号")]) for row in body] == [x.pk for x in want]
    r = client.get(reverse("cadres:record_export"), {"format": "xlsx", "status": "submitted"})
    assert r.status_code == 200
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(b"".join(r.streaming_content))).active
    assert ws.max_row - (HEADER_ROW + 1) == 4  # 3 + 别的类别, not the draft nor the other county's


# --------------------------------------------------------------------------- create / edit
@pytest.mark.django_db
def test_create_with_a_renamed_executable_saves_nothing(client, leader, cadre_a, category, media):
    login(client, leader)
    good = SimpleUploadedFile("会议纪要.pdf", PDF, content_type="application/pdf")
    bad = SimpleUploadedFile("照片.pdf", EXE, content_type="application/pdf")
    r = client.post(CREATE, {**form_data(cadre_a, category), "files": [good, bad], "submit": "1"})
    assert r.status_code == 200
    assert PerformanceRecord.objects.count() == 0 and Evidence.objects.count() == 0
    assert files_in(media) == []
    errors = r.context["form"].errors["files"]
    assert "照片.pdf" in errors[0] and "不是允许的类型" in errors[0]
    html = r.content.decode()
    field = re.search(r'<div class="col-12 evidence-field">.*?</div>\s*</div>', html, re.S).group(0)
    assert "不是允许的类型" in field  # the error stands next to the file field
    assert 'value="乡村道路硬化"' in html  # the rest of the form is kept


@pytest.mark.django_db
def test_form_errors_next_to_fields_in_chinese(client, leader, cadre_a, category):
    login(client, leader)
    r = client.post(CREATE, form_data(cadre_a, category, title="", end_date="2025-01-01", quantity_unit=""))
    form = r.context["form"]
    assert "title" in form.errors
    # service rules come back next to their fields
    r = client.post(CREATE, form_data(cadre_a, category, end_date="2025-01-01", quantity_unit=""))
    form = r.context["form"]
    assert "结束日期不能早于开始日期" in form.errors["end_date"][0]
    assert "计量单位" in form.errors["quantity_unit"][0]
    assert PerformanceRecord.objects.count() == 0


@pytest.mark.django_db
def test_create_submit_withdraw_edit_resubmit_through_the_pages(client, leader, cadre_a, category):
    login(client, leader)
    assert client.get(CREATE, {"cadre": cadre_a.pk}).context["form"].initial["cadre"] == cadre_a.pk
    files = [SimpleUploadedFile("纪要.pdf", PDF), SimpleUploadedFile("现场.png", PNG)]
    r = client.post(CREATE, {**form_data(cadre_a, category), "files": files, "submit": "1"})
    record = PerformanceRecord.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("cadres:record_detail", args=[record.pk])
    assert record.status == S.SUBMITTED and record.submitted_by == leader
    assert record.quantity == Decimal("12") and record.unit == cadre_a.unit
    assert sorted(e.original_name for e in record.evidence.all()) == ["现场.png", "纪要.pdf"]
    detail = client.get(r["Location"])
    html = detail.content.decode()
    assert detail.context["actions"]["withdraw"] and not detail.context["actions"]["edit"]
    assert reverse("cadres:record_withdraw", args=[record.pk]) in html
    assert reverse("cadres:record_submit", args=[record.pk]) not in html
    png = record.evidence.get(content_type="image/png")
    assert f'src="{reverse("cadres:evidence_preview", args=[png.pk])}"' in html and "<img" in html
    assert "<iframe" in html  # the PDF previews in a frame
    assert "record_verify" not in html  # verify/return are the review pages' job

    r = client.post(reverse("cadres:record_withdraw", args=[record.pk]))
    record.refresh_from_db()
    assert record.status == S.DRAFT
    r = client.post(reverse("cadres:record_edit", args=[record.pk]),
                    form_data(cadre_a, category, title="乡村道路硬化（修改）", draft="1"))
    record.refresh_from_db()
    assert r.status_code == 302 and record.title == "乡村道路硬化（修改）" and record.status == S.DRAFT
    r = client.post(reverse("cadres:record_submit", args=[record.pk]))
    record.refresh_from_db()
    assert record.status == S.SUBMITTED
    assert any("已提交" in m for m in flash(r))


@pytest.mark.django_db
def test_returned_record_edit_and_resubmit_with_more_evidence(client, org_staff, leader, tree, cadre_a, category):
    record = returned(leader, org_staff, cadre_a, category, reason="请补充验收报告")
    PerformanceRecord.objects.filter(pk=record.pk).update(unit=tree.county_a)  # served there at the time
    login(client, leader)
    edit = client.get(reverse("cadres:record_edit", args=[record.pk]))
    assert "请补充验收报告" in edit.content.decode()
    r = client.post(reverse("cadres:record_edit", args=[record.pk]),
                    {**form_data(cadre_a, category), "files": [SimpleUploadedFile("验收报告.pdf", PDF)],
                     "submit": "1"})
    assert r.status_code == 302
    record.refresh_from_db()
    assert record.status == S.SUBMITTED and record.evidence.count() == 1
    assert record.unit == tree.county_a  # editing keeps the unit of the time


@pytest.mark.django_db
def test_cadre_search_for_large_scopes(client, org_staff, leader, cadre_a, cadre_b, category, monkeypatch):
    from cadres import forms_records

    monkeypatch.setattr(forms_records, "CADRE_SELECT_LIMIT", 1)
    login(client, org_staff)
    form = client.get(CREATE).context["form"]
    assert form.search_mode and "cadre_q" in form.fields
    assert [c[0] for c in form.fields["cadre"].widget.choices] == [""]  # not the whole roster
    search = reverse("cadres:record_cadre_search")
    html = client.get(search, {"cadre_q": "ls"}).content.decode()
    assert f'value="{cadre_b.pk}"' in html and f'value="{cadre_a.pk}"' not in html
    # without JavaScript a whole ID number picks the cadre
    r = client.post(CREATE, {**form_data(cadre_a, category), "cadre": "", "cadre_q": cadre_b.id_number,
                             "draft": "1"})
    assert r.status_code == 302
    assert PerformanceRecord.objects.get().cadre == cadre_b
    # a leader's search never offers cadres outside their scope
    login(client, leader)
    assert f'value="{cadre_b.pk}"' not in client.get(search, {"cadre_q": "李"}).content.decode()
    assert f'value="{cadre_a.pk}"' in client.get(search, {"cadre_q": "张"}).content.decode()


# --------------------------------------------------------------------------- illegal actions
@pytest.mark.django_db
def test_illegal_transitions_posted_anyway_show_the_error_and_change_nothing(client, org_staff, leader, cadre_a,
                                                                           category):
    d = make(leader, cadre_a, category, title="草稿")
    s = submitted(leader, cadre_a, category, title="已提交")
    v = verified(leader, org_staff, cadre_a, category, title="已核实")
    before = {x.pk: (x.status, x.history.count()) for x in (d, s, v)}
    login(client, leader)
    cases = [
        ("record_withdraw", d, "不能撤回"),
        ("record_amend", d, "不能更正"),
        ("record_delete", s, "不能删除"),
        ("record_submit", v, "不能提交"),
        ("record_delete", v, "不能删除"),
    ]
    for name, record, text in cases:
        r = client.post(reverse(f"cadres:{name}", args=[record.pk]))
        assert r.status_code == 302 and r["Location"] == reverse("cadres:record_detail", args=[record.pk])
        assert any(text in m for m in flash(r)), (name, flash(r))
    r = client.post(reverse("cadres:evidence_upload", args=[v.pk]), {"files": [SimpleUploadedFile("x.pdf", PDF)]})
    assert r.status_code == 302 and any("不能上传佐证材料" in m for m in flash(r))
    r = client.get(reverse("cadres:record_edit", args=[v.pk]), follow=True)
    assert "不能修改" in r.content.decode()
    r = client.post(reverse("cadres:record_edit", args=[s.pk]), form_data(cadre_a, category, draft="1"))
    assert r.status_code == 302
    for x in (d, s, v):
        x.refresh_from_db()
        assert (x.status, x.history.count()) == before[x.pk]
    assert v.title == "已核实" and Evidence.objects.count() == 0
    # the buttons are not offered where they are illegal
    page = client.get(reverse("cadres:record_detail", args=[v.pk]))
    assert page.context["actions"] == {"edit": False, "upload": False, "submit": False, "withdraw": False,
                                       "delete": False, "amend": True, "review": False}


@pytest.mark.django_db
def test_withdraw_only_by_the_submitter(client, org_staff, leader, cadre_a, category):
    s = submitted(org_staff, cadre_a, category)
    login(client, leader)
    assert not client.get(reverse("cadres:record_detail", args=[s.pk])).context["actions"]["withdraw"]
    r = client.post(reverse("cadres:record_withdraw", args=[s.pk]))
    assert any("只有提交人" in m for m in flash(r))
    s.refresh_from_db()
    assert s.status == S.SUBMITTED


@pytest.mark.django_db
def test_delete_draft_and_amend_verified(client, org_staff, leader, cadre_a, category, media):
    d = make(leader, cadre_a, category, title="要删的草稿")
    services.evidence_add(by=leader, record=d, upload=SimpleUploadedFile("a.pdf", PDF))
    login(client, leader)
    r = client.post(reverse("cadres:record_delete", args=[d.pk]))
    assert r.status_code == 302 and r["Location"] == LIST
    assert not PerformanceRecord.objects.filter(pk=d.pk).exists()

    v = verified(leader, org_staff, cadre_a, category, title="原记录")
    r = client.post(reverse("cadres:record_amend", args=[v.pk]))
    amendment = PerformanceRecord.objects.get(amends=v)
    assert r["Location"] == reverse("cadres:record_edit", args=[amendment.pk])
    edit = client.get(r["Location"])
    assert edit.context["form"].fields["cadre"].disabled
    r = client.post(r["Location"], {**form_data(cadre_a, category, title="原记录（更正）", submit="1"), "cadre": ""})
    amendment.refresh_from_db()
    assert amendment.status == S.SUBMITTED and amendment.cadre == cadre_a and amendment.title == "原记录（更正）"
    detail = client.get(reverse("cadres:record_detail", args=[v.pk]))
    assert [a.pk for a in detail.context["amendments"]] == [amendment.pk]
    assert not detail.context["actions"]["amend"]  # one amendment at a time
    services.record_verify(by=org_staff, record=amendment)
    html = client.get(reverse("cadres:record_detail", args=[v.pk])).content.decode()
    assert reverse("cadres:record_detail", args=[amendment.pk]) in html and "已被更正" in html


# --------------------------------------------------------------------------- evidence
@pytest.mark.django_db
def test_evidence_download_and_preview(client, org_staff, auditor, leader, cadre_a, category):
    record = make(leader, cadre_a, category)
    pdf = services.evidence_add(by=leader, record=record, upload=SimpleUploadedFile("../../etc/纪要.pdf", PDF))
    png = services.evidence_add(by=leader, record=record, upload=SimpleUploadedFile("现场.png", PNG))
    for user in (leader, auditor, org_staff):
        login(client, user)
        r = client.get(reverse("cadres:evidence_download", args=[pdf.pk]))
        assert r.status_code == 200
        assert b"".join(r.streaming_content) == PDF
        assert r["Content-Type"] == "application/pdf"
        assert r["Content-Disposition"].startswith("attachment;") and "%E7%BA%AA%E8%A6%81.pdf" in r["Content-Disposition"]
        assert r["X-Content-Type-Options"] == "nosniff"
    r = client.get(reverse("cadres:evidence_preview", args=[png.pk]))
    assert r.status_code == 200 and r["Content-Type"] == "image/png"
    assert r["Content-Disposition"].startswith("inline") and r["X-Content-Type-Options"] == "nosniff"
    assert r["X-Frame-Options"] == "SAMEORIGIN"
    assert b"".join(r.streaming_content) == PNG
    xlsx = Evidence.objects.create(record=record, file=pdf.file.name, original_name="表.xlsx", size=1, sha256="0",
                                   content_type="application/vnd.ms-excel")
    assert client.get(reverse("cadres:evidence_preview", args=[xlsx.pk])).status_code == 404


@pytest.mark.django_db
def test_evidence_upload_and_delete_on_the_detail_page(client, leader, cadre_a, category, media):
    record = make(leader, cadre_a, category)
    url = reverse("cadres:evidence_upload", args=[record.pk])
    login(client, leader)
    r = client.post(url, {"files": [SimpleUploadedFile("a.pdf", PDF), SimpleUploadedFile("b.pdf", EXE)]})
    assert r.status_code == 200 and "b.pdf" in r.context["upload_form"].errors["files"][0]
    assert record.evidence.count() == 0 and files_in(media) == []
    r = client.post(url, {})
    assert "请选择要上传的文件" in r.context["upload_form"].errors["files"][0]
    r = client.post(url, {"files": [SimpleUploadedFile("a.pdf", PDF), SimpleUploadedFile("b.png", PNG)]})
    assert r.status_code == 302 and record.evidence.count() == 2
    ev = record.evidence.first()
    r = client.post(reverse("cadres:evidence_delete", args=[ev.pk]))
    assert r.status_code == 302 and record.evidence.count() == 1
    assert client.get(reverse("cadres:evidence_delete", args=[ev.pk])).status_code == 405


# --------------------------------------------------------------------------- 实绩档案 tab
@pytest.mark.django_db
def test_records_tab_timeline_summary_and_chart(client, org_staff, auditor, leader, cadre_a, category):
    other_cat = TaskCategory.objects.get(name="项目建设")
    old = verified(leader, org_staff, cadre_a, category, title="2024年的", start=D(2024, 6, 1))
    new = verified(leader, org_staff, cadre_a, other_cat, title="2025年的", start=D(2025, 6, 1), role="main")
    verified(leader, org_staff, cadre_a, category, title="2025年另一条", start=D(2025, 2, 1))
    make(leader, cadre_a, category, title="草稿不上时间轴")
    url = reverse("cadres:cadre_detail", args=[cadre_a.pk]) + "?tab=records"
    r = login(client, leader).get(url)
    assert [x.title for x in r.context["record_timeline"]] == ["2025年的", "2025年另一条", "2024年的"]
    assert "草稿不上时间轴" not in r.content.decode()
    totals = r.context["summary_totals"]
    assert totals["count"] == 3 and totals["points"] == old.points * 2 + new.points
    years = [row["year"] for row in r.context["summary_table"]]
    assert years == [2025, 2024]
    html = r.content.decode()
    data = json.loads(re.search(r'<script id="records-chart-data" type="application/json">(.*?)</script>',
                                html, re.S).group(1))
    assert data["years"] == ["2024", "2025"] and data["points"] == [float(old.points), float(new.points + old.points)]
    tab = html.split('<div class="records-tab">')[1]
    assert "vendor/echarts/echarts.min.js" in tab and "http://" not in tab and "https://" not in tab
    add = reverse("cadres:record_create") + f"?cadre={cadre_a.pk}"
    assert add in html
    assert add not in login(client, auditor).get(url).content.decode()


@pytest.mark.django_db
def test_records_tab_query_count_constant(client, org_staff, tree, cadre_a, category):
    login(client, org_staff)
    cats = list(TaskCategory.objects.all()[:5])
    for i in range(10):
        verified(org_staff, org_staff, cadre_a, cats[i % 5], title=f"记录{i}", start=D(2020 + i % 5, 1, 1))
    url = reverse("cadres:cadre_detail", args=[cadre_a.pk]) + "?tab=records"
    client.get(url)
    with CaptureQueriesContext(connection) as ten:
        r = client.get(url)
    assert r.status_code == 200 and len(r.context["record_timeline"]) == 10
    for i in range(40):
        verified(org_staff, org_staff, cadre_a, cats[i % 5], title=f"更多{i}", start=D(2018 + i % 7, 3, 1))
    with CaptureQueriesContext(connection) as fifty:
        r = client.get(url)
    assert r.status_code == 200 and len(r.context["record_timeline"]) == 50
    assert len(fifty.captured_queries) == len(ten.captured_queries)


@pytest.mark.django_db
def test_city_wide_readers_see_the_newest_first(client, org_staff, leader, cadre_a, category):
    older = returned(leader, org_staff, cadre_a, category, title="被退回的", start=D(2024, 1, 1), reason="请补充材料")
    newer = make(leader, cadre_a, category, title="草稿的", start=D(2025, 3, 1))
    assert [x.pk for x in login(client, org_staff).get(LIST).context["records"]] == [newer.pk, older.pk]
