"""The 干部任免审批表 printed: a PDF in the official table layout (WeasyPrint from the template
``cadres/lrmx/sheet_print.html``; Noto Serif SC from our own static files, so it renders on an
offline intranet) and the same table as a Word document (python-docx)."""
import atexit
import base64
import datetime as dt
import io

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from pingdingshan.core import dates

from ..models import Cadre
from .writer import Sheet, dotted

FONT_FILES = {  # weight → our static copies of @fontsource/noto-serif-sc (npm)
    400: ("vendor/noto-serif-sc/noto-serif-sc-chinese-simplified-400-normal.woff",
          "vendor/noto-serif-sc/noto-serif-sc-latin-400-normal.woff"),
    700: ("vendor/noto-serif-sc/noto-serif-sc-chinese-simplified-700-normal.woff",
          "vendor/noto-serif-sc/noto-serif-sc-latin-700-normal.woff"),
}
WORD_FONT = "宋体"


def _age(cadre: Cadre, on: dt.date) -> int:
    return cadre.age_on(on)


def context(cadre: Cadre, s: Sheet) -> dict:
    """What both print forms show, in the form's words."""
    v = s.get
    on = cadre.age_reference_date or dates.today()
    born = dotted(v("ChuShengNianYue"))
    family = []
    for m in s.family:
        age = ""
        if m["ChuShengRiQi"]:
            y, mo = int(m["ChuShengRiQi"][:4]), int(m["ChuShengRiQi"][4:6])
            age = str(on.year - y - (1 if on.month < mo else 0))
        family.append({**m, "age": age})
    return {
        "cadre": cadre, "v": s.values, "family": family,
        "born": _("%(born)s\n（%(age)d岁）") % {"born": born, "age": _age(cadre, on)} if born else "",
        "party": dotted(v("RuDangShiJian")), "work_start": dotted(v("CanJiaGongZuoShiJian")),
        "fulltime": "\n".join(x for x in (v("QuanRiZhiJiaoYu_XueLi"), v("QuanRiZhiJiaoYu_XueWei")) if x),
        "fulltime_school": v("QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi") or v("QuanRiZhiJiaoYu_XueWei_BiYeYuanXiaoXi"),
        "inservice": "\n".join(x for x in (v("ZaiZhiJiaoYu_XueLi"), v("ZaiZhiJiaoYu_XueWei")) if x),
        "inservice_school": v("ZaiZhiJiaoYu_XueLi_BiYeYuanXiaoXi") or v("ZaiZhiJiaoYu_XueWei_BiYeYuanXiaoXi"),
        "career_lines": v("JianLi").replace("\r\n", "\n").split("\n") if v("JianLi") else [],
        "photo_uri": "data:image/jpeg;base64," + base64.b64encode(s.photo).decode("ascii") if s.photo else "",
        "form_date": dotted(v("TianBiaoShiJian")), "age_on": dotted(v("JiSuanNianLingShiJian")),
        "family_rows": max(0, 7 - len(family)),
    }


def font_faces() -> list[dict]:
    """@font-face rules over the static font files (file:// URIs: WeasyPrint reads them from disk)."""
    faces = []
    for weight, (cjk, latin) in FONT_FILES.items():
        for name, latin_range in ((cjk, ""), (latin, "U+0000-00FF")):
            path = finders.find(name)
            if path:
                faces.append({"weight": weight, "uri": "file://" + str(path), "range": latin_range})
    return faces


_FONTS = {}  # one font configuration and @font-face sheet per process: reading the CJK font takes seconds
atexit.register(_FONTS.clear)  # let WeasyPrint free its fonts before the interpreter tears its modules down


def font_sheet():
    """(FontConfiguration, CSS) of the static fonts (family "LRMX Serif"), built on first use and
    kept; the auditors' reports (analysis.services.report_files) print with the same pair."""
    if not _FONTS:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        config = FontConfiguration()
        rules = "".join(
            f'@font-face {{ font-family: "LRMX Serif"; font-weight: {f["weight"]}; src: url("{f["uri"]}") format("woff");'
            + (f" unicode-range: {f['range']};" if f["range"] else "") + " }" for f in font_faces())
        _FONTS["sheet"] = (config, CSS(string=rules, font_config=config))
    return _FONTS["sheet"]


def pdf_bytes(cadre: Cadre, s: Sheet) -> bytes:
    from weasyprint import HTML

    config, fonts = font_sheet()
    html = render_to_string("cadres/lrmx/sheet_print.html", context(cadre, s))
    return HTML(string=html, base_url=None).write_pdf(stylesheets=[fonts], font_config=config)


# --------------------------------------------------------------------------- Word
def docx_bytes(cadre: Cadre, s: Sheet) -> bytes:
    """The same table as a Word document: one table of seven columns, merged cells as on paper."""
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    c = context(cadre, s)
    v = s.get
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.0)
    section.top_margin = section.bottom_margin = Cm(2.0)
    style = doc.styles["Normal"]
    style.font.name, style.font.size = WORD_FONT, Pt(11)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), WORD_FONT)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(_("干部任免审批表"))
    run.bold, run.font.size = True, Pt(20)

    table = doc.add_table(rows=0, cols=7)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER

    def row(*cells):
        """cells: (text, span) pairs; returns the row's cells."""
        r = table.add_row()
        col = 0
        for text, span in cells:
            cell = r.cells[col]
            if span > 1:
                cell = cell.merge(r.cells[col + span - 1])
            cell.text = text or ""
            col += span
        return r

    r1 = row((_("姓名"), 1), (v("XingMing"), 1), (_("性别"), 1), (v("XingBie"), 1), (_("出生年月（岁）"), 1),
             (c["born"].replace("\n", ""), 1), ("", 1))
    row((_("民族"), 1), (v("MinZu"), 1), (_("籍贯"), 1), (v("JiGuan"), 1), (_("出生地"), 1),
             (v("ChuShengDi"), 1), ("", 1))
    row((_("入党时间"), 1), (c["party"], 1), (_("参加工作时间"), 1), (c["work_start"], 1), (_("健康状况"), 1),
             (v("JianKangZhuangKuang"), 1), ("", 1))
    r4 = row((_("专业技术职务"), 1), (v("ZhuanYeJiShuZhiWu"), 2), (_("熟悉专业有何专长"), 1),
             (v("ShuXiZhuanYeYouHeZhuanChang"), 2), ("", 1))
    photo = r1.cells[6].merge(r4.cells[6])  # the photo spans the first four rows
    photo.text = ""
    if s.photo:
        photo.paragraphs[0].add_run().add_picture(io.BytesIO(s.photo), width=Cm(2.5))
    row((_("学历学位：全日制教育"), 2), (c["fulltime"].replace("\n", " "), 1), (_("毕业院校系及专业"), 1),
        (c["fulltime_school"], 3))
    row((_("学历学位：在职教育"), 2), (c["inservice"].replace("\n", " "), 1), (_("毕业院校系及专业"), 1),
        (c["inservice_school"], 3))
    for label, element in ((_("现任职务"), "XianRenZhiWu"), (_("拟任职务"), "NiRenZhiWu"),
                           (_("拟免职务"), "NiMianZhiWu")):
        row((label, 2), (v(element), 5))
    row((_("简历"), 1), ("\n".join(c["career_lines"]), 6))
    for label, element in ((_("奖惩情况"), "JiangChengQingKuang"), (_("年度考核结果"), "NianDuKaoHeJieGuo"),
                           (_("任免理由"), "RenMianLiYou")):
        row((label, 1), (v(element), 6))
    head = row((_("家庭成员及重要社会关系"), 1), (_("称谓"), 1), (_("姓名"), 1), (_("年龄"), 1), (_("政治面貌"), 1),
               (_("工作单位及职务"), 2))
    first = head
    last = head
    for m in c["family"]:
        last = row(("", 1), (m["ChengWei"], 1), (m["XingMing"], 1), (m["age"], 1), (m["ZhengZhiMianMao"], 1),
                   (m["GongZuoDanWeiJiZhiWu"], 2))
    if last is not first:
        merged = first.cells[0].merge(last.cells[0])
        merged.text = _("家庭成员及重要社会关系")
    row((_("呈报单位"), 1), (v("ChengBaoDanWei"), 6))
    row((_("审批机关意见"), 1), ("", 2), (_("行政机关任免意见"), 1), ("", 3))
    foot = doc.add_paragraph()
    foot.add_run(_("填表人：%(who)s　　填表时间：%(when)s　　计算年龄时间：%(on)s") % {
        "who": v("TianBiaoRen"), "when": c["form_date"], "on": c["age_on"]})
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
