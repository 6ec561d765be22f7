"""The auditors' reports as files (issue 14), from any Figures: the PDF opens (pypdf), has its pages
numbered 第 N 页 共 M 页, and its Chinese title, parameters, who made it and a table's text extract
(drawn with our static Noto Serif SC, so a machine without CJK system fonts prints the same); the
charts are drawn; the workbook has one sheet per table with the title on top, and text that looks
like a formula stays text."""
import datetime as dt
import io
import zipfile
from decimal import Decimal

import openpyxl
import pypdf
import pytest

from analysis.services import report_files as rf
from analysis.services.figures.base import Chart, Figures, Table

AT = dt.datetime(2026, 12, 1, 8, 30)


def figures(rows=40):
    units = Table("units", "各单位干部人数", ["单位", "男", "女"],
                  [[f"宝丰县第{i}乡镇", i * 3, i] for i in range(1, rows + 1)], note="在职干部，按所在单位统计。")
    months = Table("months", "月度新增", ["月份", "新增"], [[f"2026-{m:02d}", m] for m in range(1, 13)])
    edu = Table("edu", "学历构成", ["学历", "人数", "占比"],
                [["研究生", 12, Decimal("19.35")], ["大学", 40, Decimal("64.52")], ["=1+1", 1, 1.5],
                 ["大专", 0, None]])
    return Figures("structure", "干部队伍结构分析", [units, months, edu],
                   [Chart("c1", "各单位人数（分性别）", "stacked", "units"), Chart("c2", "月度新增走势", "line", "months"),
                    Chart("c3", "学历构成图", "pie", "edu", series=[1]), Chart("c4", "各单位男女", "bar", "units")],
                   params=[("单位", "宝丰县"), ("期间", "2026-01-01 至 2026-11-30")])


@pytest.fixture(scope="module")
def pdf():
    return pypdf.PdfReader(io.BytesIO(rf.render_pdf(figures(), by="组织部 王审计", at=AT)))


def test_the_pdf_opens_with_numbered_pages(pdf):
    n = len(pdf.pages)
    assert n >= 2
    texts = [p.extract_text() for p in pdf.pages]
    for i, text in enumerate(texts, start=1):
        assert f"第 {i} 页" in text and f"共 {n} 页" in text, text[-80:]


def test_the_pdf_has_the_chinese_title_parameters_author_and_tables(pdf):
    first = pdf.pages[0].extract_text()
    assert "干部队伍结构分析" in first
    assert "宝丰县" in first and "2026-01-01 至 2026-11-30" in first
    assert "生成人" in first and "组织部 王审计" in first and "2026-12-01 08:30" in first
    text = "".join(p.extract_text() for p in pdf.pages)
    assert "各单位干部人数" in text and "宝丰县第40乡镇" in text and "在职干部，按所在单位统计。" in text
    assert "学历构成图" in text and "研究生" in text  # a chart's title and its legend, drawn as SVG text


def test_the_pdf_embeds_our_static_font_not_a_system_one(pdf):
    fonts = set()
    for page in pdf.pages:
        for f in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(f.get_object()["/BaseFont"]))
    # the @font-face family over our static Noto Serif SC (cadres.lrmx.printing): the page's text and the
    # charts' SVG text alike, no system font
    assert fonts and all(f.split("+")[-1].startswith("LRMX-Serif") for f in fonts), fonts


def test_a_report_without_tables_or_rows_still_prints():
    empty = Figures("audit", "操作与导出审计", [Table("t", "各用户的操作", ["用户", "合计"], [])],
                    [Chart("c", "图", "pie", "t"), Chart("d", "缺表的图", "bar", "nope")])
    reader = pypdf.PdfReader(io.BytesIO(rf.render_pdf(empty, by="", at=None)))
    text = reader.pages[0].extract_text()
    assert "操作与导出审计" in text and "无符合条件的记录" in text and "第 1 页" in text


def test_the_workbook_has_a_sheet_per_table_with_the_report_on_top():
    book = openpyxl.load_workbook(io.BytesIO(rf.render_xlsx(figures(), by="王审计", at=AT)))
    assert [ws.title for ws in book.worksheets] == ["各单位干部人数", "月度新增", "学历构成"]
    ws = book["各单位干部人数"]
    assert ws["A1"].value == "干部队伍结构分析 · 各单位干部人数"
    assert "宝丰县" in ws["A2"].value and "王审计" in ws["A3"].value and "2026-12-01 08:30" in ws["A3"].value
    assert [c.value for c in ws[5]][:4] == ["单位", "男", "女", None]
    assert [c.value for c in ws[6]][:3] == ["宝丰县第1乡镇", 3, 1]
    assert ws.max_row >= 45
    edu = book["学历构成"]
    formula_like = edu["A8"]
    assert formula_like.value == "=1+1" and formula_like.data_type == "s" and formula_like.quotePrefix
    assert edu["C6"].value == pytest.approx(19.35)
    with zipfile.ZipFile(io.BytesIO(rf.render_xlsx(figures()))) as z:  # the charts as Excel's own (openpyxl drops them)
        assert len([n for n in z.namelist() if n.startswith("xl/charts/chart")]) == 4


def test_sheet_names_stay_unique_and_legal():
    t = [Table(f"t{i}", "各单位/各类:对象[统计]*很长很长很长很长很长很长很长的名称", ["a"], [["x"]]) for i in range(3)]
    book = openpyxl.load_workbook(io.BytesIO(rf.render_xlsx(Figures("x", "标题", t))))
    names = [ws.title for ws in book.worksheets]
    assert len(set(names)) == 3 and all(len(n) <= 31 and "/" not in n and ":" not in n for n in names)


@pytest.mark.parametrize("kind", ["bar", "stacked", "line", "pie"])
def test_every_chart_kind_draws_its_labels_escaped(kind):
    t = Table("t", "表", ["名称", "数"], [["<甲&乙>", 3], ["丙", 0], ["丁", Decimal("2.5")]])
    svg = rf.chart_svg(Chart("c", "图", kind, "t"), t)
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "&lt;甲&amp;乙&gt;" in svg and "<甲" not in svg


def test_charts_leave_the_total_row_out_as_the_pages_do():
    table = Table("t", "按单位", ["单位", "人数"], [["甲镇", 3], ["乙镇", 5], ["合计", 8]], total=True)
    svg = rf.chart_svg(Chart("c", "人数", "bar", "t"), table)
    assert "甲镇" in svg and "乙镇" in svg and "合计" not in svg
    assert rf.charted(table).rows == [["甲镇", 3], ["乙镇", 5]] and table.rows[-1][0] == "合计"
    plain = Table("p", "按月", ["月份", "人数"], [["2026-01", 1]])
    assert rf.charted(plain) is plain
