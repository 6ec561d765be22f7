"""One cadre's 任免审批表: the ordered values of the national 3.2 layout (``sheet``), shared by the
.lrmx file, the PDF and the Word document, and the .lrmx bytes (``lrmx_bytes``).

Element order, date forms (yyyyMM, yyyyMMdd), coded fields as labels, the career as one line per
period (``1993.09--1997.07  单位职务``, CRLF between lines) and the photo as Base64 JPEG follow
``../shared/LRMX.md``."""
import base64
import datetime as dt
import io
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET

from PIL import Image, UnidentifiedImageError

from pingdingshan.core.dates import in_force_q

from ..models import Cadre, PoliticalStatus
from . import codes

VERSION = "3.2.1.6"
ROOT = "Person"
CRLF = "\r\n"
OPEN_END = " " * 7  # where an end date would stand: the descriptions of open periods line up
JPEG_QUALITY = 90

# (element, Chinese name): the order of the file (LRMX.md, "Elements, in this order")
ELEMENTS = (
    ("XingMing", "姓名"), ("XingBie", "性别"), ("ChuShengNianYue", "出生年月"), ("MinZu", "民族"), ("JiGuan", "籍贯"),
    ("ChuShengDi", "出生地"), ("RuDangShiJian", "入党时间"), ("CanJiaGongZuoShiJian", "参加工作时间"),
    ("JianKangZhuangKuang", "健康状况"), ("ZhuanYeJiShuZhiWu", "专业技术职务"),
    ("ShuXiZhuanYeYouHeZhuanChang", "熟悉专业有何专长"),
    ("QuanRiZhiJiaoYu_XueLi", "全日制教育学历"), ("QuanRiZhiJiaoYu_XueWei", "全日制教育学位"),
    ("QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi", "全日制教育学历毕业院校系及专业"),
    ("QuanRiZhiJiaoYu_XueWei_BiYeYuanXiaoXi", "全日制教育学位毕业院校系及专业"),
    ("ZaiZhiJiaoYu_XueLi", "在职教育学历"), ("ZaiZhiJiaoYu_XueWei", "在职教育学位"),
    ("ZaiZhiJiaoYu_XueLi_BiYeYuanXiaoXi", "在职教育学历毕业院校系及专业"),
    ("ZaiZhiJiaoYu_XueWei_BiYeYuanXiaoXi", "在职教育学位毕业院校系及专业"),
    ("XianRenZhiWu", "现任职务"), ("NiRenZhiWu", "拟任职务"), ("NiMianZhiWu", "拟免职务"), ("JianLi", "简历"),
    ("JiangChengQingKuang", "奖惩情况"), ("NianDuKaoHeJieGuo", "年度考核结果"), ("RenMianLiYou", "任免理由"),
    ("JiaTingChengYuan", "家庭成员及重要社会关系"), ("ChengBaoDanWei", "呈报单位"),
    ("JiSuanNianLingShiJian", "计算年龄时间"), ("TianBiaoShiJian", "填表时间"), ("TianBiaoRen", "填表人"),
    ("ShenFenZheng", "身份证号"), ("ZhaoPian", "照片"), ("Version", "版本"),
)
ELEMENT_NAMES = dict(ELEMENTS)
# Version 4.0 adds these (after the 2025 retirement-age reform); read and ignored, never written
V4_ELEMENTS = {"DaoLingNianYue": "到龄年月", "GaiGeQianRenZhiNianLingJieXian": "改革前任职年龄界限"}
FAMILY_ITEM = (("ChengWei", "称谓"), ("XingMing", "姓名"), ("ChuShengRiQi", "出生日期"),
               ("ZhengZhiMianMao", "政治面貌"), ("GongZuoDanWeiJiZhiWu", "工作单位及职务"))
FAMILY_ITEM_NAMES = dict(FAMILY_ITEM)
MAX_FAMILY = 10


def ym(day: dt.date | None) -> str:
    return f"{day:%Y%m}" if day else ""


def ymd(day: dt.date | None) -> str:
    return f"{day:%Y%m%d}" if day else ""


def dotted(value: str) -> str:
    """yyyyMM(dd) as the printed form shows it: 1975.03 (1975.03.08)."""
    if len(value) == 6:
        return f"{value[:4]}.{value[4:]}"
    if len(value) == 8:
        return f"{value[:4]}.{value[4:6]}.{value[6:]}"
    return value


# --------------------------------------------------------------------------- parts
def career_line(start: dt.date, end: dt.date | None, text: str) -> str:
    """``1993.09--1997.07  单位职务``; an open period leaves the end blank. A description of several
    lines continues on lines of its own (they start with no digit)."""
    period = f"{start:%Y.%m}--{f'{end:%Y.%m}' if end else OPEN_END}"
    lines = (text or "").splitlines() or [""]
    return CRLF.join([f"{period}  {lines[0]}", *lines[1:]])


def career_text(cadre: Cadre, career=None, appointments=None) -> str:
    """The 简历: the cadre's résumé lines, or, without any, one line per appointment."""
    career = list(cadre.career.all()) if career is None else career
    if career:
        return CRLF.join(career_line(e.start_date, e.end_date, e.description) for e in career)
    if appointments is None:
        appointments = cadre.appointments.select_related("post__unit").order_by("start_date", "id")
    return CRLF.join(career_line(a.start_date, a.end_date, f"{a.post.unit.name}{a.post.name}") for a in appointments)


def current_posts(cadre: Cadre) -> str:
    """现任职务: the appointments in force, the highest first, as 单位 + 职务 joined by "、"."""
    rows = (cadre.appointments.filter(in_force_q()).select_related("post__unit")
            .order_by("-post__level", "-start_date", "id"))
    return "、".join(f"{a.post.unit.name}{a.post.name}" for a in rows)


def party_text(cadre: Cadre) -> str:
    """入党时间: yyyyMM for CPC members; the party's name for other parties; empty for 群众."""
    if cadre.political_status in (PoliticalStatus.CPC, PoliticalStatus.CPC_PROBATIONARY):
        return ym(cadre.party_join_date)
    if cadre.political_status == PoliticalStatus.OTHER_PARTY:
        return str(PoliticalStatus.OTHER_PARTY.label)
    return ""


def photo_jpeg(cadre: Cadre) -> bytes | None:
    """The stored photo as JPEG bytes: a JPEG as stored, anything else converted by Pillow. None
    without a photo or when its file is gone or unreadable."""
    if not cadre.photo:
        return None
    try:
        with cadre.photo.open("rb") as f:
            data = f.read()
        with Image.open(io.BytesIO(data)) as img:
            if img.format == "JPEG":
                return data
            img = img.convert("RGB")
            out = io.BytesIO()
            img.save(out, format="JPEG", quality=JPEG_QUALITY)
            return out.getvalue()
    except (OSError, UnidentifiedImageError, ValueError):
        return None


def school_text(school: str, major: str) -> str:
    return f"{school}{major}"


# --------------------------------------------------------------------------- the sheet
@dataclass
class Sheet:
    """The form's values: ``values`` {element: text} (file forms: yyyyMM, labels), ``family`` one
    {item element: text} per member, ``photo`` the JPEG bytes."""

    values: dict[str, str]
    family: list[dict[str, str]] = field(default_factory=list)
    photo: bytes | None = None

    def get(self, element: str) -> str:
        return self.values.get(element, "")


def sheet(cadre: Cadre) -> Sheet:
    """The 任免审批表 of ``cadre`` (a few queries: career, appointments, family)."""
    edu, deg = codes.EDUCATION_LABELS, codes.DEGREE_LABELS
    ft_school = school_text(cadre.fulltime_school, cadre.fulltime_major)
    is_school = school_text(cadre.inservice_school, cadre.inservice_major)
    values = {
        "XingMing": cadre.name,
        "XingBie": codes.GENDER_LABELS.get(cadre.gender, ""),
        "ChuShengNianYue": ym(cadre.birth_date),
        "MinZu": cadre.ethnicity,
        "JiGuan": cadre.native_place,
        "ChuShengDi": cadre.birth_place,
        "RuDangShiJian": party_text(cadre),
        "CanJiaGongZuoShiJian": ym(cadre.work_start_date),
        "JianKangZhuangKuang": codes.HEALTH_LABELS.get(cadre.health, ""),
        "ZhuanYeJiShuZhiWu": cadre.professional_title,
        "ShuXiZhuanYeYouHeZhuanChang": cadre.expertise,
        "QuanRiZhiJiaoYu_XueLi": edu.get(cadre.fulltime_education, ""),
        "QuanRiZhiJiaoYu_XueWei": deg.get(cadre.fulltime_degree, ""),
        "QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi": ft_school if cadre.fulltime_education else "",
        "QuanRiZhiJiaoYu_XueWei_BiYeYuanXiaoXi": ft_school if cadre.fulltime_degree else "",
        "ZaiZhiJiaoYu_XueLi": edu.get(cadre.inservice_education, ""),
        "ZaiZhiJiaoYu_XueWei": deg.get(cadre.inservice_degree, ""),
        "ZaiZhiJiaoYu_XueLi_BiYeYuanXiaoXi": is_school if cadre.inservice_education else "",
        "ZaiZhiJiaoYu_XueWei_BiYeYuanXiaoXi": is_school if cadre.inservice_degree else "",
        "XianRenZhiWu": current_posts(cadre),
        "NiRenZhiWu": cadre.proposed_post,
        "NiMianZhiWu": cadre.proposed_removal,
        "JianLi": career_text(cadre),
        "JiangChengQingKuang": cadre.rewards_sanctions,
        "NianDuKaoHeJieGuo": cadre.annual_assessment,
        "RenMianLiYou": cadre.appointment_reason,
        "ChengBaoDanWei": cadre.reporting_unit,
        "JiSuanNianLingShiJian": ymd(cadre.age_reference_date),
        "TianBiaoShiJian": ymd(cadre.form_date),
        "TianBiaoRen": cadre.form_filler,
        "ShenFenZheng": cadre.id_number,
        "Version": VERSION,
    }
    family = [{"ChengWei": m.relation, "XingMing": m.name, "ChuShengRiQi": ym(m.birth_date),
               "ZhengZhiMianMao": codes.FAMILY_POLITICAL_LABELS.get(m.political_status, ""),
               "GongZuoDanWeiJiZhiWu": m.work_unit_post} for m in cadre.family.all()[:MAX_FAMILY]]
    return Sheet(values=values, family=family, photo=photo_jpeg(cadre))


# --------------------------------------------------------------------------- the file
def lrmx_bytes(s: Sheet) -> bytes:
    """The .lrmx file (UTF-8 with a BOM, as the national tools write it) of a sheet."""
    root = ET.Element(ROOT)
    for element, _label in ELEMENTS:
        node = ET.SubElement(root, element)
        if element == "JiaTingChengYuan":
            for member in s.family:
                item = ET.SubElement(node, "Item")
                for key, _name in FAMILY_ITEM:
                    ET.SubElement(item, key).text = member.get(key, "")
        elif element == "ZhaoPian":
            node.text = base64.b64encode(s.photo).decode("ascii") if s.photo else ""
        else:
            node.text = s.get(element)
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode", short_empty_elements=False)
    # JianLi keeps its CRLF line ends: ElementTree writes "\r" as is, which an XML reader turns into
    # "\n" (end-of-line handling); the character reference keeps it.
    body = body.replace("\r", "&#13;")
    return ("\ufeff" + '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")


def filename(cadre: Cadre, ext: str = "lrmx") -> str:
    return f"{cadre.name}-任免审批表.{ext}"
