"""The roster export: exactly the filtered rows (every page), formula cells escaped, the gate,
and the ExportLog audit row."""
import csv
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadres.models import Tag
from pingdingshan.core.models import ExportLog
from tests.factories import CadreFactory

EXPORT = reverse("cadres:cadre_export")


def content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def xlsx_rows(response):
    wb = openpyxl.load_workbook(io.BytesIO(content(response)), read_only=True)
    ws = wb.worksheets[0]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    return rows[0], rows[1:]


def csv_rows(response):
    text = content(response).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    return rows[0], rows[1:]


@pytest.fixture
def roster(tree):
    """12 cadres in 宝丰县's subtree (more than one page at size 5), 3 in 叶县."""
    a = CadreFactory.create_batch(8, unit=tree.town_a)
    a += CadreFactory.create_batch(4, unit=tree.county_a)
    b = CadreFactory.create_batch(3, unit=tree.town_b)
    return a, b


@pytest.mark.django_db
def test_xlsx_contains_exactly_the_filtered_rows(client, org_staff, tree, roster, settings):
    settings.ROSTER_PAGE_SIZE = 5
    in_a, _in_b = roster
    client.force_login(org_staff)
    r = client.get(EXPORT, {"format": "xlsx", "unit": tree.county_a.pk, "page": 2})
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    header, rows = xlsx_rows(r)
    for col in ("姓名", "身份证号码", "所在单位", "现任职务", "现任职级", "出生日期", "政治面貌", "全日制学历", "标签"):
        assert col in header
    id_col = header.index("身份证号码")
    assert sorted(row[id_col] for row in rows) == sorted(c.id_number for c in in_a)  # all pages, page ignored
    unit_col = header.index("所在单位")
    assert {row[unit_col] for row in rows} == {"城关镇", "宝丰县"}


@pytest.mark.django_db
def test_csv_contains_exactly_the_filtered_rows(client, auditor, tree, roster):
    _in_a, in_b = roster
    tag = Tag.objects.create(name="优秀年轻干部")
    in_b[0].tags.add(tag)
    client.force_login(auditor)
    r = client.get(EXPORT, {"format": "csv", "unit": tree.county_b.pk, "ordering": "-birth_date"})
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    header, rows = csv_rows(r)
    id_col, tag_col, birth_col = header.index("身份证号码"), header.index("标签"), header.index("出生日期")
    assert sorted(row[id_col] for row in rows) == sorted(c.id_number for c in in_b)
    assert [row[birth_col] for row in rows] == sorted((c.birth_date.isoformat() for c in in_b), reverse=True)
    assert {row[id_col]: row[tag_col] for row in rows}[in_b[0].id_number] == "优秀年轻干部"


@pytest.mark.django_db
def test_search_filter_applies_to_export(client, org_staff, tree):
    CadreFactory(unit=tree.town_a, name="张三")
    CadreFactory(unit=tree.town_a, name="李四")
    client.force_login(org_staff)
    header, rows = csv_rows(client.get(EXPORT, {"format": "csv", "q": "zs"}))
    assert [row[header.index("姓名")] for row in rows] == ["张三"]


@pytest.mark.django_db
def test_formula_cells_are_escaped(client, org_staff, tree):
    CadreFactory(unit=tree.town_a, name="=1+2")
    CadreFactory(unit=tree.town_a, name="张三", native_place="@SUM(A1)")
    client.force_login(org_staff)
    header, rows = xlsx_rows(client.get(EXPORT, {"format": "xlsx"}))
    names = [row[header.index("姓名")] for row in rows]
    assert "'=1+2" in names and "=1+2" not in names
    assert "'@SUM(A1)" in [row[header.index("籍贯")] for row in rows]
    header, rows = csv_rows(client.get(EXPORT, {"format": "csv"}))
    assert "'=1+2" in [row[header.index("姓名")] for row in rows]


@pytest.mark.django_db
def test_export_writes_export_log(client, org_staff, tree, roster):
    client.force_login(org_staff)
    client.get(EXPORT, {"format": "csv", "unit": tree.county_a.pk, "gender": "", "page": 3})
    log = ExportLog.objects.get()
    assert log.user == org_staff and log.file_format == "csv" and log.row_count == 12
    assert log.filters == {"unit": str(tree.county_a.pk)}
    assert log.what == "干部花名册"


@pytest.mark.django_db
def test_leader_exports_only_own_subtree(client, leader, tree, roster):
    in_a, _in_b = roster
    client.force_login(leader)
    header, rows = csv_rows(client.get(EXPORT, {"format": "csv"}))
    assert sorted(row[header.index("身份证号码")] for row in rows) == sorted(c.id_number for c in in_a)
    # a unit outside the leader's scope is not a valid filter: nothing is exported
    r = client.get(EXPORT, {"format": "csv", "unit": tree.county_b.pk})
    assert r.status_code == 302 and r["Location"].startswith(reverse("cadres:cadre_list"))
    assert ExportLog.objects.count() == 1


@pytest.mark.django_db
def test_export_refused_without_role_and_with_bad_filters(client, no_role_user, org_staff, roster):
    client.force_login(no_role_user)
    assert client.get(EXPORT, {"format": "xlsx"}).status_code == 403
    client.force_login(org_staff)
    r = client.get(EXPORT, {"format": "xlsx", "age_min": "abc"})
    assert r.status_code == 302
    assert not ExportLog.objects.exists()
    r = client.get(r["Location"])
    assert "筛选条件有误" in r.content.decode()


@pytest.mark.django_db
def test_export_query_count_does_not_grow_with_rows(client, org_staff, tree):
    tags = [Tag.objects.create(name=f"标签{i}") for i in range(2)]
    for c in CadreFactory.create_batch(10, unit=tree.town_a):
        c.tags.set(tags)
    client.force_login(org_staff)
    client.get(EXPORT, {"format": "xlsx"})
    with CaptureQueriesContext(connection) as ten:
        r = client.get(EXPORT, {"format": "xlsx"})
        assert r.status_code == 200 and len(xlsx_rows(r)[1]) == 10
    for c in CadreFactory.create_batch(40, unit=tree.town_b):
        c.tags.set(tags)
    with CaptureQueriesContext(connection) as fifty:
        r = client.get(EXPORT, {"format": "xlsx"})
        assert r.status_code == 200 and len(xlsx_rows(r)[1]) == 50
    assert len(fifty.captured_queries) == len(ten.captured_queries)
