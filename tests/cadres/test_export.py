"""The roster export: exactly the filtered rows (every page), formula cells escaped, the gate,
and the ExportLog audit row."""
import csv
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadres.models import Tag, Unit
from pingdingshan.core.exports import HEADER_ROW
from pingdingshan.core.models import ExportLog
from tests.factories import CadreFactory

EXPORT = reverse("cadres:cadre_export")


def content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def xlsx_rows(response):
    """(header, data rows) of an xlsx export: the header row follows the report's title block."""
    wb = openpyxl.load_workbook(io.BytesIO(content(response)), read_only=True)
    ws = wb.worksheets[0]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    return rows[HEADER_ROW], rows[HEADER_ROW + 1:]


def as_shown(cell: str) -> str:
    """What a spreadsheet shows for a csv cell: ``="0012"`` is the text 0012."""
    return cell[2:-1].replace('""', '"') if cell.startswith('="') and cell.endswith('"') else cell


def csv_rows(response, *, raw=False):
    text = content(response).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    if not raw:
        rows = [[as_shown(c) for c in row] for row in rows]
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
    body = content(client.get(EXPORT, {"format": "xlsx"}))
    ws = openpyxl.load_workbook(io.BytesIO(body)).worksheets[0]
    header, rows = [list(r) for r in ws.iter_rows(values_only=True)][HEADER_ROW], [
        list(r) for r in ws.iter_rows(min_row=HEADER_ROW + 2, values_only=True)]
    names = [row[header.index("姓名")] for row in rows]
    # xlsx: a text cell showing exactly what was typed (no visible apostrophe), never a formula
    assert "=1+2" in names and "'=1+2" not in names
    assert "@SUM(A1)" in [row[header.index("籍贯")] for row in rows]
    cell = next(c for c in ws.iter_rows(min_row=HEADER_ROW + 2) for c in c if c.value == "=1+2")
    assert cell.data_type == "s" and cell.quotePrefix
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


# --------------------------------------------------------------------------- codes stay text, printed reports
@pytest.mark.django_db
def test_csv_keeps_id_numbers_and_codes_as_text(client, org_staff, tree):
    """Spreadsheets turn 18 digits into 4.1040219800101E+17 and drop leading zeros: such cells are
    written ="…", which Excel, WPS and LibreOffice show as the very text."""
    cadre = CadreFactory(unit=tree.town_a, phone="13800000000")
    Unit.objects.filter(pk=tree.town_a.pk).update(code="041000")  # a leading zero
    client.force_login(org_staff)
    header, rows = csv_rows(client.get(EXPORT, {"format": "csv"}), raw=True)
    row = rows[0]
    assert row[header.index("身份证号码")] == f'="{cadre.id_number}"' or cadre.id_number.endswith("X")
    assert row[header.index("联系电话")] == '="13800000000"'
    assert row[header.index("单位代码")] == '="041000"'
    assert row[header.index("姓名")] == cadre.name  # ordinary text as it is
    assert row[header.index("出生日期")] == cadre.birth_date.isoformat()  # a date stays a date


@pytest.mark.django_db
def test_xlsx_is_a_printed_report(client, org_staff, tree, roster):
    client.force_login(org_staff)
    org_staff.first_name = "组织部小王"
    org_staff.save()
    body = content(client.get(EXPORT, {"format": "xlsx", "unit": tree.county_a.pk, "ordering": "name",
                                       "gender": "", "foo": "bar"}))
    ws = openpyxl.load_workbook(io.BytesIO(body)).worksheets[0]
    assert ws["A1"].value == "干部花名册"
    assert ws["A2"].value == "筛选条件：所在单位（含下级）：宝丰县" or ws["A2"].value.startswith("筛选条件：")
    assert "宝丰县" in ws["A2"].value and "bar" not in ws["A2"].value and "name" not in ws["A2"].value
    assert ws["A3"].value.startswith("导出人：组织部小王") and "导出时间：20" in ws["A3"].value
    assert ws.print_title_rows == f"${HEADER_ROW + 1}:${HEADER_ROW + 1}"  # the header row repeats on every page
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize in (9, "9")
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight in (0, "0")
    assert ws.freeze_panes == f"A{HEADER_ROW + 2}"
    header = [c.value for c in ws[HEADER_ROW + 1]]
    first = ws[HEADER_ROW + 2]
    birth = first[header.index("出生日期")]
    assert birth.is_date and birth.number_format == "yyyy-mm-dd"
    id_cell = first[header.index("身份证号码")]
    assert id_cell.data_type == "s" and id_cell.quotePrefix  # stays text even when edited
    log = ExportLog.objects.get()
    assert log.filters == {"unit": str(tree.county_a.pk)}  # only what was applied: no ordering, no foo


@pytest.mark.django_db
def test_write_export_to_a_file(tmp_path):
    """The function jobs call: rows, columns, a file and the report's top lines."""
    import datetime as dt

    from pingdingshan.core.exports import Column, Report, write_export

    columns = [Column("编号", lambda r: r[0]), Column("名称", lambda r: r[1]), Column("时间", lambda r: r[2])]
    rows = [(i, f"=名称{i}", dt.datetime(2026, 1, 2, 3, 4)) for i in range(5000)]
    report = Report(title="测试导出", filters=[("状态", "已提交")], exported_by="张三",
                    exported_at=dt.datetime(2026, 1, 1, 9, 30))
    with open(tmp_path / "a.xlsx", "wb") as f:
        assert write_export(iter(rows), columns, f, file_format="xlsx", report=report) == 5000
    ws = openpyxl.load_workbook(tmp_path / "a.xlsx").worksheets[0]
    assert ws["A2"].value == "筛选条件：状态：已提交"
    assert ws["A3"].value == "导出人：张三\u3000导出时间：2026-01-01 09:30"
    assert ws.max_row == HEADER_ROW + 1 + 5000
    last = ws[ws.max_row]
    assert [last[0].value, last[1].value] == [4999, "=名称4999"]
    assert last[2].is_date and last[2].number_format == "yyyy-mm-dd hh:mm"
    with open(tmp_path / "a.csv", "wb") as f:
        assert write_export(iter(rows), columns, f, file_format="csv", report=report) == 5000
    text = (tmp_path / "a.csv").read_bytes().decode("utf-8")
    assert text.startswith("\ufeff编号,名称,时间\r\n0,'=名称0,2026-01-02 03:04\r\n")


def test_dates_a_spreadsheet_cannot_hold_are_written_as_text(tmp_path):
    """Excel's dates run from 1900 to 9999; a period saved with the year 991 made the export a 500."""
    import datetime as dt

    from pingdingshan.core.exports import Column, Report, write_export

    rows = [(dt.date(991, 1, 1),), (dt.date(2026, 1, 1),), (dt.datetime(1899, 12, 31, 8, 0),)]
    with open(tmp_path / "a.xlsx", "wb") as f:
        assert write_export(iter(rows), [Column("日期", lambda r: r[0])], f, file_format="xlsx",
                            report=Report(title="t")) == 3
    ws = openpyxl.load_workbook(tmp_path / "a.xlsx").worksheets[0]
    cells = [ws.cell(row=HEADER_ROW + 2 + i, column=1) for i in range(3)]
    assert cells[0].value == "0991-01-01" and cells[0].data_type == "s"
    assert cells[1].is_date
    assert cells[2].value == "1899-12-31 08:00"


def test_an_export_without_rows_still_has_its_header_row(tmp_path):
    from pingdingshan.core.exports import Column, Report, write_export

    columns = [Column("姓名", lambda r: r), Column("年龄", lambda r: r)]
    with open(tmp_path / "a.xlsx", "wb") as f:
        assert write_export(iter([]), columns, f, file_format="xlsx", report=Report(title="空")) == 0
    ws = openpyxl.load_workbook(tmp_path / "a.xlsx").worksheets[0]
    assert [c.value for c in ws[HEADER_ROW + 1]] == ["姓名", "年龄"]
    assert ws.cell(row=HEADER_ROW + 2, column=1).value == "无符合条件的记录。"
