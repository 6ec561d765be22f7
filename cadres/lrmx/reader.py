"""Read one .lrmx file (no database): its bytes → the roster values it holds, and every problem
named by its field in Chinese (``Parsed.errors``: the file is refused) or noted (``Parsed.notes``:
what the roster cannot keep as the file had it)."""
import base64
import binascii
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from .. import idcard
from ..models import PoliticalStatus
from . import codes
from .writer import ELEMENT_NAMES, FAMILY_ITEM_NAMES, MAX_FAMILY, ROOT, V4_ELEMENTS

MAX_PHOTO_BYTES = 2 * 1024 * 1024
_CAREER = re.compile(r"^(\d{4})\.(\d{1,2})\s*-{1,2}\s*(?:(\d{4})\.(\d{1,2}))?\s*(.*)$")


@dataclass
class Parsed:
    """What one file holds. ``data``: Cadre field → value; ``month_only``: date fields the file gives
    to the month (a stored date of the same month is kept); ``family`` / ``career``: lists of dicts
    of FamilyMember / CareerEntry fields; ``photo``: JPEG bytes or None; ``current_posts``: the
    file's 现任职务 (not imported: appointments are kept on their own)."""

    name: str
    errors: list[dict] = field(default_factory=list)
    notes: list[dict] = field(default_factory=list)
    data: dict = field(default_factory=dict)
    month_only: set = field(default_factory=set)
    family: list[dict] = field(default_factory=list)
    career: list[dict] = field(default_factory=list)
    photo: bytes | None = None
    current_posts: str = ""
    version: str = ""

    def error(self, label, message):
        self.errors.append({"field": str(label), "message": str(message)})

    def note(self, label, message):
        self.notes.append({"field": str(label), "message": str(message)})

    def errors_for(self, tag):
        return [e for e in self.errors if e["field"] == ELEMENT_NAMES.get(tag, tag)]


def _text(node) -> str:
    return (node.text or "").strip() if node is not None else ""


def parse_date(raw: str) -> tuple[dt.date | None, bool] | None:
    """yyyyMM or yyyyMMdd (dots or hyphens between allowed, as readers show them) → (date, month
    only); ("", …) → (None, False); None when it is not such a date."""
    digits = re.sub(r"[.\-/]", "", raw.strip())
    if not digits:
        return None, False
    if not digits.isdigit() or len(digits) not in (6, 8):
        return None
    try:
        if len(digits) == 6:
            return dt.date(int(digits[:4]), int(digits[4:6]), 1), True
        return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8])), False
    except ValueError:
        return None


def _bad_date(raw):
    return _("“%(v)s”不是有效的日期：应为年月（yyyyMM，如197503）或年月日（yyyyMMdd）。") % {"v": raw}


def parse(data: bytes, name: str = "") -> Parsed:
    """Parse the bytes of one .lrmx file (UTF-8, with or without a BOM)."""
    out = Parsed(name=name)
    file_label = _("文件")
    try:
        root = fromstring(data.removeprefix(b"\xef\xbb\xbf") if isinstance(data, bytes) else data)
    except (ParseError, DefusedXmlException, ValueError) as e:
        out.error(file_label, _("不是有效的XML文件（%(why)s）。") % {"why": e})
        return out
    if root.tag != ROOT:
        out.error(file_label, _("根元素应为 Person，文件中为 %(tag)s：不是干部任免审批表文件。") % {"tag": root.tag})
        return out
    nodes = {}
    for child in root:
        if child.tag in nodes:
            out.note(ELEMENT_NAMES.get(child.tag, child.tag), _("元素 %(tag)s 出现多次，只读取第一个。") % {"tag": child.tag})
            continue
        nodes[child.tag] = child
        if child.tag not in ELEMENT_NAMES and child.tag not in V4_ELEMENTS:
            out.note(child.tag, _("未知元素 %(tag)s，已忽略。") % {"tag": child.tag})
    for tag, label in V4_ELEMENTS.items():
        if _text(nodes.get(tag)):
            out.note(label, _("4.0 版的%(what)s由出生日期计算，不单独保存。") % {"what": label})

    def text(tag):
        return _text(nodes.get(tag))

    def label(tag):
        return ELEMENT_NAMES[tag]

    d = out.data
    out.version = text("Version")
    # 姓名, 性别, 身份证号 (required)
    d["name"] = text("XingMing")
    if not d["name"]:
        out.error(label("XingMing"), _("不能为空。"))
    gender = text("XingBie")
    d["gender"] = codes.gender_from_label(gender)
    if d["gender"] is None:
        out.error(label("XingBie"), _("未知的性别“%(v)s”：应为“男”或“女”。") % {"v": gender})
    number = text("ShenFenZheng")
    try:
        d["id_number"] = idcard.validate_id_number(number)
    except ValidationError as e:
        out.error(label("ShenFenZheng"), (_("不能为空。") if not number else " ".join(e.messages)))
        d["id_number"] = idcard.normalize(number)
    # dates
    for tag, key in (("ChuShengNianYue", "birth_date"), ("CanJiaGongZuoShiJian", "work_start_date"),
                     ("JiSuanNianLingShiJian", "age_reference_date"), ("TianBiaoShiJian", "form_date")):
        raw = text(tag)
        parsed = parse_date(raw)
        if parsed is None:
            out.error(label(tag), _bad_date(raw))
            continue
        d[key], month = parsed
        if month:
            out.month_only.add(key)
    if d.get("birth_date") is None and "birth_date" in d:
        out.error(label("ChuShengNianYue"), _("不能为空。"))
    elif d.get("birth_date") and "birth_date" in out.month_only and not out.errors_for("ShenFenZheng"):
        born = idcard.birth_date_of(d["id_number"])  # the day of the month comes from the ID number
        if born and (born.year, born.month) == (d["birth_date"].year, d["birth_date"].month):
            d["birth_date"] = born
            out.month_only.discard("birth_date")
    # 入党时间: a date for CPC members, the party's name for others, empty for 群众
    raw = text("RuDangShiJian")
    parsed = parse_date(raw) if raw[:1].isdigit() else None
    if raw[:1].isdigit() and parsed is None:
        out.error(label("RuDangShiJian"), _bad_date(raw))
    elif parsed and parsed[0]:
        d["political_status"], d["party_join_date"] = PoliticalStatus.CPC, parsed[0]
        if parsed[1]:
            out.month_only.add("party_join_date")
    elif raw:
        d["political_status"], d["party_join_date"] = PoliticalStatus.OTHER_PARTY, None
        if raw != str(PoliticalStatus.OTHER_PARTY.label):
            out.note(label("RuDangShiJian"), _("“%(v)s”按“民主党派”保存（名册不记党派名称）。") % {"v": raw})
    else:
        d["political_status"], d["party_join_date"] = PoliticalStatus.NONE, None
    # coded labels
    ethnicity = text("MinZu")
    if ethnicity and not codes.is_ethnicity(ethnicity):
        out.error(label("MinZu"), _("未知的民族“%(v)s”（GB 3304）。") % {"v": ethnicity})
    d["ethnicity"] = ethnicity or "汉族"
    health = text("JianKangZhuangKuang")
    value = codes.health_from_label(health) if health else codes.HealthStatus.GOOD
    if value is None:
        out.error(label("JianKangZhuangKuang"), _("未知的健康状况“%(v)s”（GB/T 2261.3）。") % {"v": health})
    elif health and health != codes.HEALTH_LABELS[value]:
        out.note(label("JianKangZhuangKuang"), _("“%(v)s”按“%(s)s”保存。") % {"v": health, "s": codes.HEALTH_LABELS[value]})
    d["health"] = value
    for prefix, key in (("QuanRiZhiJiaoYu", "fulltime"), ("ZaiZhiJiaoYu", "inservice")):
        raw = text(f"{prefix}_XueLi")
        value = codes.education_from_label(raw)
        if value is None:
            out.error(label(f"{prefix}_XueLi"), _("未知的学历“%(v)s”。") % {"v": raw})
        d[f"{key}_education"] = value
        raw = text(f"{prefix}_XueWei")
        value = codes.degree_from_label(raw)
        if value is None:
            out.error(label(f"{prefix}_XueWei"), _("未知的学位“%(v)s”：应为学士、硕士或博士。") % {"v": raw})
        elif raw and raw != codes.DEGREE_LABELS[value]:
            out.note(label(f"{prefix}_XueWei"), _("“%(v)s”按“%(s)s”保存。") % {"v": raw, "s": codes.DEGREE_LABELS[value]})
        d[f"{key}_degree"] = value
        school = text(f"{prefix}_XueLi_BiYeYuanXiaoXi")
        degree_school = text(f"{prefix}_XueWei_BiYeYuanXiaoXi")
        d[f"{key}_school"], d[f"{key}_major"] = codes.split_school(school or degree_school)
        if school and degree_school and degree_school != school:
            out.note(label(f"{prefix}_XueWei_BiYeYuanXiaoXi"), _(
                "与学历的毕业院校系及专业不同，名册只记一处，保存了学历的“%(s)s”。") % {"s": school})
    # plain texts
    for tag, key in (("JiGuan", "native_place"), ("ChuShengDi", "birth_place"),
                     ("ZhuanYeJiShuZhiWu", "professional_title"), ("ShuXiZhuanYeYouHeZhuanChang", "expertise"),
                     ("NiRenZhiWu", "proposed_post"), ("NiMianZhiWu", "proposed_removal"),
                     ("JiangChengQingKuang", "rewards_sanctions"), ("NianDuKaoHeJieGuo", "annual_assessment"),
                     ("RenMianLiYou", "appointment_reason"), ("ChengBaoDanWei", "reporting_unit"),
                     ("TianBiaoRen", "form_filler")):
        d[key] = _multiline(nodes.get(tag))
    out.current_posts = text("XianRenZhiWu")
    _career(out, _multiline(nodes.get("JianLi")))
    _family(out, nodes.get("JiaTingChengYuan"))
    _photo(out, text("ZhaoPian"))
    return out


def _multiline(node) -> str:
    """A text element with its line ends as "\\n" (the file's CRLF), trailing blanks removed."""
    raw = (node.text or "") if node is not None else ""
    return "\n".join(line.rstrip() for line in raw.replace("\r\n", "\n").replace("\r", "\n").strip().split("\n"))


def _career(out: Parsed, text: str) -> None:
    """One period a line (``1993.09--1997.07  单位职务``); a line that does not start with a digit
    continues the one above."""
    label = ELEMENT_NAMES["JianLi"]
    for n, line in enumerate(text.split("\n") if text else [], start=1):
        if not line.strip():
            continue
        if not line[:1].isdigit():
            if not out.career:
                out.error(label, _("第%(n)d行：应以起止年月开头（如 1993.09--1997.07）。") % {"n": n})
                continue
            out.career[-1]["description"] += "\n" + line.strip()
            continue
        m = _CAREER.match(line)
        try:
            start = dt.date(int(m.group(1)), int(m.group(2)), 1) if m else None
            end = dt.date(int(m.group(3)), int(m.group(4)), 1) if m and m.group(3) else None
        except ValueError:
            start = None
        if start is None:
            out.error(label, _("第%(n)d行“%(line)s”：起止年月应写作 1993.09--1997.07。") % {"n": n, "line": line[:40]})
            continue
        if end and end < start:
            out.error(label, _("第%(n)d行：终止年月早于起始年月。") % {"n": n})
            continue
        out.career.append({"start_date": start, "end_date": end, "description": m.group(5).strip()})
    for n, entry in enumerate(out.career, start=1):
        if len(entry["description"]) > 200:
            out.error(label, _("第%(n)d段经历超过200字。") % {"n": n})


def _family(out: Parsed, node) -> None:
    label = ELEMENT_NAMES["JiaTingChengYuan"]
    items = list(node.findall("Item")) if node is not None else []
    if len(items) > MAX_FAMILY:
        out.error(label, _("最多%(n)d人，文件中有%(m)d人。") % {"n": MAX_FAMILY, "m": len(items)})
        return
    for n, item in enumerate(items, start=1):
        def value(tag, item=item):
            return _text(item.find(tag))

        where = _("第%(n)d人") % {"n": n}
        member = {"order": n, "relation": value("ChengWei"), "name": value("XingMing"),
                  "work_unit_post": value("GongZuoDanWeiJiZhiWu"), "birth_date": None, "political_status": ""}
        if not member["relation"] or not member["name"]:
            out.error(label, _("%(where)s：称谓和姓名不能为空。") % {"where": where})
        raw = value("ChuShengRiQi")
        parsed = parse_date(raw)
        if parsed is None:
            out.error(f"{label}·{FAMILY_ITEM_NAMES['ChuShengRiQi']}", f"{where}：{_bad_date(raw)}")
        else:
            member["birth_date"] = parsed[0]
        raw = value("ZhengZhiMianMao")
        code = codes.family_political_from_label(raw)
        if code is None:
            out.error(f"{label}·{FAMILY_ITEM_NAMES['ZhengZhiMianMao']}",
                      _("%(where)s：未知的政治面貌“%(v)s”（GB/T 4762）。") % {"where": where, "v": raw})
        else:
            member["political_status"] = code
        for key, size in (("relation", 20), ("name", 30), ("work_unit_post", 200)):
            if len(member[key]) > size:
                out.error(label, _("%(where)s：%(what)s超过%(n)d字。") % {
                    "where": where, "what": {"relation": _("称谓"), "name": _("姓名"),
                                             "work_unit_post": _("工作单位及职务")}[key], "n": size})
        out.family.append(member)


def _photo(out: Parsed, text: str) -> None:
    """Base64 of a JPEG, line breaks and blanks stripped; another image type is converted to JPEG."""
    label = ELEMENT_NAMES["ZhaoPian"]
    compact = re.sub(r"\s+", "", text)
    if not compact:
        return
    try:
        raw = base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        out.error(label, _("不是有效的Base64编码。"))
        return
    if len(raw) > MAX_PHOTO_BYTES:
        out.error(label, _("照片超过2MB。"))
        return
    try:
        with Image.open(io.BytesIO(raw)) as img:
            img.verify()
        with Image.open(io.BytesIO(raw)) as img:
            if img.format != "JPEG":
                converted = io.BytesIO()
                img.convert("RGB").save(converted, format="JPEG", quality=90)
                out.note(label, _("照片不是JPEG格式（%(f)s），已转换为JPEG。") % {"f": img.format})
                raw = converted.getvalue()
    except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError):
        out.error(label, _("不是有效的图片。"))
        return
    out.photo = raw
