"""The review pages: the org staff's queue (order, filters, counts per unit, duplicates, bulk verify,
export, constant query count), one record's verify / return with their errors, and the task
categories with their points rules."""
import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cadres import services
from cadres.models import Evidence, PerformanceRecord, PointsRule, RecordStatus, TaskCategory
from cadres.views.review import unit_counts
from pingdingshan.core.models import ExportLog, Notification, Role
from tests.factories import CadreFactory, user_with_role

S = RecordStatus
D = dt.date
QUEUE = reverse("cadres:review_queue")
BULK = reverse("cadres:review_bulk_verify")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def category(db):
    return TaskCategory.objects.get(name="乡村振兴")


@pytest.fixture
def other_category(db):
    return TaskCategory.objects.get(name="项目建设")


def make(by, cadre, category, *, title="推进高标准农田建设", start=None, submit=True, **extra):
    data = dict(cadre=cadre, category=category, title=title, description="完成高标准农田2万亩", role="lead",
                start_date=start or D(2025, 3, 1))
    data.update(extra)
    return services.record_create(by=by, submit=submit, **data)


def submitted_at(record, when):
    PerformanceRecord.objects.filter(pk=record.pk).update(submitted_at=when)


def texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def row_ids(response):
    return [r.pk for r in response.context["records"]]


# --------------------------------------------------------------------------- access
@pytest.mark.parametrize("who", ["leader", "auditor", "no_role_user"])
def test_queue_and_review_only_for_verifiers(client, request, who, org_staff, cadre_a, category):
    record = make(org_staff, cadre_a, category)
    client.force_login(request.getfixturevalue(who))
    assert client.get(QUEUE).status_code == 403
    assert client.get(reverse("cadres:review_export")).status_code == 403
    assert client.get(reverse("cadres:record_review", args=[record.pk])).status_code == 403
    assert client.post(reverse("cadres:record_verify", args=[record.pk])).status_code == 403
    assert client.post(reverse("cadres:record_return", args=[record.pk]), {"reason": "x"}).status_code == 403
    assert client.post(BULK, {"ids": [record.pk]}).status_code == 403
    record.refresh_from_db()
    assert record.status == S.SUBMITTED
    client.force_login(org_staff)
    assert client.get(QUEUE).status_code == 200


# --------------------------------------------------------------------------- queue
def test_queue_lists_submitted_records_oldest_first(client, org_staff, leader, cadre_a, cadre_b, category):
    now = timezone.now()
    newest = make(org_staff, cadre_a, category, title="最新提交")
    oldest = make(leader, cadre_a, category, title="最早提交", start=D(2024, 1, 1))
    middle = make(org_staff, cadre_b, category, title="中间提交")
    make(org_staff, cadre_b, category, title="草稿不在队列", submit=False)
    verified = make(org_staff, cadre_b, category, title="已核实不在队列", start=D(2023, 1, 1))
    services.record_verify(by=org_staff, record=verified)
    submitted_at(newest, now)
    submitted_at(oldest, now - dt.timedelta(days=5))
    submitted_at(middle, now - dt.timedelta(days=2))
    client.force_login(org_staff)
    r = client.get(QUEUE)
    assert row_ids(r) == [oldest.pk, middle.pk, newest.pk]
    table = r.content.decode().split("review-table", 1)[1]
    assert "最早提交" in table and "草稿不在队列" not in table and "已核实不在队列" not in table
    assert row_ids(client.get(QUEUE, {"ordering": "-submitted"})) == [newest.pk, middle.pk, oldest.pk]


def test_queue_table_is_the_shared_list_table_with_its_own_cells(client, org_staff, cadre_a, category):
    """The queue renders partials/list_table.html with a select-all box before the sortable headers,
    a column for the review buttons after them and the bulk verify button in the card header; its
    empty line spans all of them."""
    import re

    client.force_login(org_staff)
    empty = client.get(QUEUE).content.decode()
    head = empty.split("review-table", 1)[1].split("</thead>", 1)[0]
    assert head.count("<th ") == 11 and 'id="select-all"' in head  # 9 columns + the box + the buttons
    assert re.search(r'<td colspan="11"[^>]*>没有待核实的实绩记录。</td>', empty)
    assert re.search(r'id="bulk-verify-button"[^>]*disabled', empty)
    record = make(org_staff, cadre_a, category)
    page = client.get(QUEUE).content.decode()
    row = page.split(f'data-record="{record.pk}"', 1)[1].split("</tr>", 1)[0]
    assert f'name="ids" value="{record.pk}"' in row and row.count("<td") == 11
    assert not re.search(r'id="bulk-verify-button"[^>]*disabled', page)


def test_queue_filters(client, org_staff, leader, tree, cadre_a, cadre_b, category, other_category):
    now = timezone.now()
    a1 = make(leader, cadre_a, category, title="城关镇农田")
    a2 = make(org_staff, cadre_a, other_category, title="城关镇项目", start=D(2024, 6, 1))
    b1 = make(org_staff, cadre_b, category, title="叶县农田", start=D(2024, 1, 1))
    submitted_at(a1, now - dt.timedelta(days=10))
    submitted_at(a2, now - dt.timedelta(days=3))
    submitted_at(b1, now)
    client.force_login(org_staff)

    def ids(**params):
        return set(row_ids(client.get(QUEUE, params)))

    assert ids(unit=tree.county_a.pk) == {a1.pk, a2.pk}  # the unit's whole subtree
    assert ids(unit=tree.town_b.pk) == {b1.pk}
    assert ids(category=other_category.pk) == {a2.pk}
    assert ids(submitter=leader.pk) == {a1.pk}
    today = timezone.localdate()
    assert ids(submitted_from=(today - dt.timedelta(days=4)).isoformat()) == {a2.pk, b1.pk}
    assert ids(submitted_to=(today - dt.timedelta(days=4)).isoformat()) == {a1.pk}
    assert ids(submitted_from=(today - dt.timedelta(days=4)).isoformat(),
               submitted_to=(today - dt.timedelta(days=1)).isoformat()) == {a2.pk}
    assert ids(q="叶县") == {b1.pk}
    assert ids(q="zs") == {a1.pk, a2.pk}  # pinyin initials of 张三
    r = client.get(QUEUE, {"submitted_from": "not-a-date"})
    assert r.status_code == 200 and not r.context["filters_valid"]


def test_counts_per_unit_roll_up_the_subtree_in_one_aggregate(client, org_staff, tree, category,
                                                          django_assert_num_queries):
    in_town_a = [CadreFactory(unit=tree.town_a) for _ in range(2)]
    in_county_a = CadreFactory(unit=tree.county_a)
    in_town_b = CadreFactory(unit=tree.town_b)
    for i, c in enumerate(in_town_a + [in_county_a, in_town_b]):
        make(org_staff, c, category, title=f"记录{i}")
    make(org_staff, in_town_b, category, title="草稿", submit=False)  # not waiting
    queue = PerformanceRecord.objects.filter(status=S.SUBMITTED)
    with django_assert_num_queries(2):  # the aggregate, and the names of the units found
        top = unit_counts(queue, None)
    assert {r["unit_name"]: r["count"] for r in top} == {"宝丰县": 3, "叶县": 1}
    assert {r["unit_id"] for r in top} == {tree.county_a.pk, tree.county_b.pk}
    below = unit_counts(queue.filter(unit__path__startswith=tree.county_a.path), tree.county_a)
    assert [(r["unit_name"], r["count"], r["own"]) for r in below] == [("宝丰县", 1, True), ("城关镇", 2, False)]
    client.force_login(org_staff)
    html = client.get(QUEUE, {"unit": tree.county_a.pk}).content.decode()
    assert "城关镇" in html and "（本级）" in html and f"?unit={tree.town_a.pk}" in html


def test_queue_total_is_the_sum_of_the_unit_counts(client, org_staff, leader, tree, category, other_category,
                                                  settings):
    """The queue's total (and its pages) come from the per-unit counts: exact for every filter,
    without a COUNT query of the paginator's own; the bell counts the whole queue only when the
    queue is filtered."""
    settings.ROSTER_PAGE_SIZE = 2
    in_town_a = CadreFactory(unit=tree.town_a)
    in_county_a = CadreFactory(unit=tree.county_a)
    in_town_b = CadreFactory(unit=tree.town_b)
    in_city = CadreFactory(unit=tree.city)
    for i, (c, cat) in enumerate([(in_town_a, category), (in_town_a, other_category), (in_county_a, category),
                                  (in_town_b, category), (in_town_b, other_category), (in_city, category)]):
        make(org_staff, c, cat, title=f"记录{i}", start=D(2024, 1, 1) + dt.timedelta(days=40 * i))
    make(org_staff, in_town_b, category, title="草稿", submit=False)
    client.force_login(org_staff)

    def record_counts(captured):
        return [q["sql"] for q in captured
                if q["sql"].startswith('SELECT COUNT(*) AS "__count" FROM "cadres_performancerecord"')]

    for params, expected in [
        ({}, 6), ({"category": category.pk}, 4), ({"unit": tree.county_a.pk}, 3),
        ({"unit": tree.county_a.pk, "category": other_category.pk}, 1), ({"unit": tree.town_b.pk}, 2),
        ({"unit": tree.dept.pk}, 0), ({"submitted_from": "not-a-date"}, 6),
    ]:
        with CaptureQueriesContext(connection) as ctx:
            r = client.get(QUEUE, params)
        assert r.status_code == 200, params
        paginator = r.context["page_obj"].paginator
        assert paginator.count == expected == sum(c["count"] for c in r.context["unit_counts"]), params
        listed = sum(len(paginator.page(n).object_list) for n in paginator.page_range) if expected else 0
        assert listed == expected, params
        assert r.context["bell"].waiting == 6
        assert len(record_counts(ctx.captured_queries)) == (1 if params else 0), params  # only the bell's


def test_possible_duplicates_are_flagged_with_links(client, org_staff, cadre_a, cadre_b, category):
    first = make(org_staff, cadre_a, category, title="推进高标准农田建设")
    second = make(org_staff, cadre_a, category, title="推进高标准农田建设工作", start=D(2025, 3, 10))
    alone = make(org_staff, cadre_b, category, title="完全不同的工作")
    client.force_login(org_staff)
    r = client.get(QUEUE)
    rows = {rec.pk: rec for rec in r.context["records"]}
    assert [d.pk for d in rows[first.pk].duplicates] == [second.pk]
    assert [d.pk for d in rows[second.pk].duplicates] == [first.pk]
    assert rows[alone.pk].duplicates == []
    html = r.content.decode()
    assert html.count("可能重复") >= 2
    assert reverse("cadres:record_review", args=[second.pk]) in html
    page = client.get(reverse("cadres:record_review", args=[first.pk])).content.decode()
    assert "可能重复" in page and "推进高标准农田建设工作" in page


def test_queue_rows_show_at_most_three_duplicates(client, org_staff, cadre_a, category):
    for i in range(5):
        make(org_staff, cadre_a, category, title="推进高标准农田建设", start=D(2025, 3, 1 + i))
    client.force_login(org_staff)
    r = client.get(QUEUE)
    row = r.context["records"][0]
    assert len(row.duplicates) == 3 and row.duplicate_count == 4
    assert "等 4 条" in r.content.decode()


def test_bulk_verify_is_all_or_nothing_and_shows_each_error(client, org_staff, leader, cadre_a, category):
    good = [make(leader, cadre_a, category, title=f"好记录{i}", start=D(2025, 1, 1 + i * 10)) for i in range(2)]
    draft = make(leader, cadre_a, category, title="还是草稿", start=D(2024, 1, 1), submit=False)
    client.force_login(org_staff)
    r = client.post(BULK, {"ids": [good[0].pk, good[1].pk, draft.pk], "query": f"category={category.pk}"})
    assert r.status_code == 302 and r.url == f"{QUEUE}?category={category.pk}"
    msgs = texts(r)
    assert any("没有任何记录被核实" in m for m in msgs)
    assert any("还是草稿" in m and "不能核实" in m for m in msgs)
    assert PerformanceRecord.objects.filter(status=S.VERIFIED).count() == 0
    assert not Notification.objects.exists()
    r = client.post(BULK, {"ids": [g.pk for g in good]})
    assert "已核实 2 条记录" in " ".join(texts(r))
    assert set(PerformanceRecord.objects.filter(status=S.VERIFIED).values_list("pk", flat=True)) == {g.pk for g in good}
    assert PerformanceRecord.objects.get(pk=good[0].pk).points == Decimal("10")
    assert Notification.objects.filter(user=leader).count() == 2


def test_bulk_verify_refuses_nothing_selected_and_unknown_ids(client, org_staff, cadre_a, category):
    record = make(org_staff, cadre_a, category)
    client.force_login(org_staff)
    assert "请先勾选" in " ".join(texts(client.post(BULK, {})))
    r = client.post(BULK, {"ids": [record.pk, 999999]})
    assert "不存在或不在您的权限范围内" in " ".join(texts(r))
    record.refresh_from_db()
    assert record.status == S.SUBMITTED


def test_queue_row_shows_what_the_verifier_needs(client, org_staff, leader, cadre_a, category):
    record = make(leader, cadre_a, category, title="带佐证的记录", submit=False, quantity=Decimal("3.2"),
                  quantity_unit="亿元", role="main")
    services.evidence_add(by=leader, record=record, upload=SimpleUploadedFile("a.pdf", PDF))
    services.evidence_add(by=leader, record=record, upload=SimpleUploadedFile("b.pdf", PDF))
    services.record_submit(by=leader, record=record)
    client.force_login(org_staff)
    r = client.get(QUEUE)
    row = r.context["records"][0]
    assert row.evidence_count == 2
    html = r.content.decode()
    for text in ("张三", "城关镇", "乡村振兴", "带佐证的记录", "主要参与", "2025-03-01", "3.20 亿元", "leader"):
        assert text in html, text


def test_queue_query_count_is_constant(client, org_staff, tree, category, other_category,
                                       django_assert_num_queries):
    submitters = [user_with_role(Role.UNIT_LEADER, unit, username=f"sub{i}")
                  for i, unit in enumerate([tree.county_a, tree.county_b])]

    def add(n, offset):
        for i in range(n):
            k = offset + i
            unit = tree.town_a if k % 2 == 0 else tree.town_b
            by = submitters[k % 2]
            cadre = CadreFactory(unit=unit)
            rec = make(by, cadre, category if k % 3 else other_category, title=f"记录{k}",
                       start=D(2024, 1, 1) + dt.timedelta(days=k))
            Evidence.objects.create(record=rec, file=f"evidence/{rec.pk}/x.pdf", original_name="x.pdf",
                                    content_type="application/pdf", size=10, sha256="0" * 64)
        # a duplicate pair so that the duplicates lookup has hits
        dup_cadre = CadreFactory(unit=tree.town_a)
        make(org_staff, dup_cadre, category, title=f"重复{offset}", start=D(2025, 1, 1))
        make(org_staff, dup_cadre, category, title=f"重复{offset}", start=D(2025, 1, 2))

    add(8, 0)
    client.force_login(org_staff)
    with CaptureQueriesContext(connection) as ten:
        r = client.get(QUEUE)
    assert r.status_code == 200 and len(r.context["records"]) == 10
    add(40, 100)
    with django_assert_num_queries(len(ten.captured_queries)):
        r = client.get(QUEUE)
    assert r.status_code == 200 and len(r.context["records"]) == 50


def test_header_bell_counts_the_whole_queue_even_when_filtered(client, org_staff, cadre_a, cadre_b, category,
                                                               other_category):
    make(org_staff, cadre_a, category, title="一")
    make(org_staff, cadre_b, category, title="二")
    make(org_staff, cadre_b, other_category, title="三")
    client.force_login(org_staff)
    r = client.get(QUEUE)
    assert r.context["bell"].waiting == 3 and r.context["page_obj"].paginator.count == 3
    r = client.get(QUEUE, {"category": other_category.pk})
    assert r.context["bell"].waiting == 3 and r.context["page_obj"].paginator.count == 1
    assert 'bell-waiting-count">3<' in r.content.decode()


def test_queue_export_has_the_filtered_rows(client, org_staff, cadre_a, cadre_b, category, other_category):
    make(org_staff, cadre_a, category, title="=HYPERLINK(1)")
    make(org_staff, cadre_b, other_category, title="叶县项目")
    client.force_login(org_staff)
    r = client.get(reverse("cadres:review_export"), {"format": "csv", "category": category.pk})
    assert r.status_code == 200
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert len(rows) == 2 and rows[1][5] == "'=HYPERLINK(1)" and rows[1][1] == "张三"
    log = ExportLog.objects.get()
    assert log.row_count == 1 and log.filters == {"category": str(category.pk)}
    r = client.get(reverse("cadres:review_export"), {"format": "xlsx"})
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")


# --------------------------------------------------------------------------- one record
def test_review_page_shows_evidence_duplicates_and_rule_points(client, org_staff, leader, cadre_a, category):
    record = make(leader, cadre_a, category, submit=False, role="main")
    ev = services.evidence_add(by=leader, record=record, upload=SimpleUploadedFile("纪要.pdf", PDF))
    services.record_submit(by=leader, record=record)
    client.force_login(org_staff)
    r = client.get(reverse("cadres:record_review", args=[record.pk]))
    assert r.status_code == 200
    assert r.context["rule_points"] == Decimal("6")
    html = r.content.decode()
    assert "纪要.pdf" in html and "主要参与" in html
    assert reverse("cadres:evidence_download", args=[ev.pk]) in html
    assert reverse("cadres:record_verify", args=[record.pk]) in html
    assert reverse("cadres:record_return", args=[record.pk]) in html


def test_verify_with_adjustment_needs_a_reason(client, org_staff, leader, cadre_a, category):
    record = make(leader, cadre_a, category)
    url = reverse("cadres:record_verify", args=[record.pk])
    client.force_login(org_staff)
    r = client.post(url, {"adjustment": "2", "adjustment_reason": ""})
    assert r.status_code == 200
    assert "调整实绩分须填写理由" in r.content.decode()
    assert r.context["verify_form"].errors["adjustment_reason"]
    record.refresh_from_db()
    assert record.status == S.SUBMITTED and record.points is None and not Notification.objects.exists()
    r = client.post(url, {"adjustment": "abc"})
    assert r.status_code == 200 and r.context["verify_form"].errors["adjustment"]
    r = client.post(url, {"adjustment": "-1.5", "adjustment_reason": "佐证不够充分"})
    assert r.status_code == 302 and r.url == QUEUE
    record.refresh_from_db()
    assert record.status == S.VERIFIED and record.points == Decimal("8.5") and record.reviewed_by == org_staff
    assert record.adjustment_reason == "佐证不够充分"
    assert "已核实" in Notification.objects.get(user=leader).message


def test_verify_without_adjustment_uses_the_rule(client, org_staff, leader, cadre_a, category):
    record = make(leader, cadre_a, category, role="participant")
    client.force_login(org_staff)
    r = client.post(reverse("cadres:record_verify", args=[record.pk]), {"adjustment": "", "adjustment_reason": ""})
    assert r.status_code == 302
    record.refresh_from_db()
    assert record.status == S.VERIFIED and record.points == Decimal("3")


def test_return_needs_a_reason(client, org_staff, leader, cadre_a, category):
    record = make(leader, cadre_a, category)
    url = reverse("cadres:record_return", args=[record.pk])
    client.force_login(org_staff)
    r = client.post(url, {"reason": "   "})
    assert r.status_code == 200
    assert "退回时须填写退回原因" in r.content.decode()
    record.refresh_from_db()
    assert record.status == S.SUBMITTED
    r = client.post(url, {"reason": "缺少佐证材料"})
    assert r.status_code == 302
    record.refresh_from_db()
    assert record.status == S.RETURNED and record.return_reason == "缺少佐证材料"
    assert "缺少佐证材料" in Notification.objects.get(user=leader).message


def test_verifying_or_returning_a_draft_is_refused_and_changes_nothing(client, org_staff, cadre_a, category):
    draft = make(org_staff, cadre_a, category, submit=False)
    client.force_login(org_staff)
    page = client.get(reverse("cadres:record_review", args=[draft.pk]))
    assert page.status_code == 200 and "不在待核实队列中" in page.content.decode()
    r = client.post(reverse("cadres:record_verify", args=[draft.pk]), {"adjustment": "0"})
    assert r.status_code == 200 and "记录当前状态为“草稿”，不能核实" in r.content.decode()
    r = client.post(reverse("cadres:record_return", args=[draft.pk]), {"reason": "x"})
    assert r.status_code == 200 and "不能退回" in r.content.decode()
    draft.refresh_from_db()
    assert draft.status == S.DRAFT and draft.history.count() == 1


def test_unknown_record_is_404(client, org_staff):
    client.force_login(org_staff)
    assert client.get(reverse("cadres:record_review", args=[999999])).status_code == 404
    assert client.post(reverse("cadres:record_verify", args=[999999])).status_code == 404


# --------------------------------------------------------------------------- categories and points rules
def category_post(category, **changes):
    rules = {r.role: r.points for r in category.points_rules.all()}
    data = {"name": category.name, "description": category.description, "order": category.order,
            "points_lead": rules.get("lead", ""), "points_main": rules.get("main", ""),
            "points_participant": rules.get("participant", "")}
    if category.is_active:
        data["is_active"] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_category_list_for_org_staff_and_auditors_only(client, org_staff, auditor, leader, category):
    url = reverse("cadres:category_list")
    client.force_login(org_staff)
    r = client.get(url)
    assert r.status_code == 200 and r.context["editable"]
    html = r.content.decode()
    assert "乡村振兴" in html and reverse("cadres:category_edit", args=[category.pk]) in html
    client.force_login(auditor)
    r = client.get(url)
    assert r.status_code == 200 and not r.context["editable"]
    html = r.content.decode()
    assert "乡村振兴" in html and 'name="points_lead"' not in html
    row = next(x for x in r.context["rows"] if x["category"] == category)
    assert row["points"] == [Decimal("10"), Decimal("6"), Decimal("3")]
    client.force_login(leader)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("who", ["leader", "auditor"])
def test_category_writes_are_refused_for_leaders_and_auditors(client, request, who, category):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("cadres:category_create")).status_code == 403
    assert client.post(reverse("cadres:category_create"), category_post(category, name="新类别")).status_code == 403
    r = client.post(reverse("cadres:category_edit", args=[category.pk]), category_post(category, points_lead="99"))
    assert r.status_code == 403
    assert not TaskCategory.objects.filter(name="新类别").exists()
    assert PointsRule.objects.get(category=category, role="lead").points == Decimal("10")


def test_edit_category_and_points_in_one_audited_form(client, org_staff, category):
    before_rules = {r.role: r.history.count() for r in category.points_rules.all()}
    before_category = category.history.count()
    client.force_login(org_staff)
    url = reverse("cadres:category_edit", args=[category.pk])
    assert client.get(url).status_code == 200
    r = client.post(url, category_post(category, points_lead="12.5", order=3, description="含农村人居环境整治"))
    assert r.status_code == 302 and r.url == reverse("cadres:category_list")
    category.refresh_from_db()
    assert category.order == 3 and category.description == "含农村人居环境整治"
    rules = {r.role: r for r in category.points_rules.all()}
    assert rules["lead"].points == Decimal("12.5")
    assert category.history.count() == before_category + 1
    assert category.history.first().history_user == org_staff
    assert rules["lead"].history.count() == before_rules["lead"] + 1
    assert rules["lead"].history.first().history_user == org_staff
    assert rules["main"].history.count() == before_rules["main"]  # unchanged rules are not rewritten
    # the new rule scores the next verification
    record = PerformanceRecord(category=category, role="lead")
    assert services.points_for(record)[0] == Decimal("12.5")


def test_category_edit_errors_change_nothing(client, org_staff, category, other_category):
    client.force_login(org_staff)
    url = reverse("cadres:category_edit", args=[category.pk])
    r = client.post(url, category_post(category, name=other_category.name, points_lead="20"))
    assert r.status_code == 200 and r.context["form"].errors["name"]
    r = client.post(url, category_post(category, points_main="-1"))
    assert r.status_code == 200 and r.context["form"].errors["points_main"]
    category.refresh_from_db()
    assert category.name == "乡村振兴"
    assert PointsRule.objects.get(category=category, role="lead").points == Decimal("10")


def test_deactivate_category_from_the_list_row(client, org_staff, category):
    client.force_login(org_staff)
    data = category_post(category)
    data.pop("is_active")
    r = client.post(reverse("cadres:category_edit", args=[category.pk]), data)
    assert r.status_code == 302
    category.refresh_from_db()
    assert not category.is_active
    r = client.post(reverse("cadres:category_edit", args=[category.pk]), category_post(category))
    assert "没有修改" in " ".join(texts(r))


def test_create_category_with_its_rules(client, org_staff):
    client.force_login(org_staff)
    r = client.post(reverse("cadres:category_create"), {
        "name": "招商引资", "description": "", "order": 20, "is_active": "on",
        "points_lead": "15", "points_main": "8", "points_participant": "4"})
    assert r.status_code == 302
    category = TaskCategory.objects.get(name="招商引资")
    assert {r.role: r.points for r in category.points_rules.all()} == {
        "lead": Decimal("15"), "main": Decimal("8"), "participant": Decimal("4")}
    assert category.history.count() == 1 and PointsRule.history.filter(category_id=category.pk).count() == 3
    r = client.post(reverse("cadres:category_create"), {"name": "", "order": 1})
    assert r.status_code == 200 and r.context["form"].errors["name"] and r.context["form"].errors["points_lead"]
