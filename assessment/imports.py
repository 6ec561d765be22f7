"""Score import: one rater group's scores for the cadres of one scheme (tier × category) of a
period, from an Excel file, validated row by row and saved all or nothing.

The template lists the enrolled cadres of the scheme (ID number, name, unit) with one column per
rater-scored indicator, pre-filled with the scores already stored. On upload every row is checked
(the ID number belongs to a cadre enrolled in the period under this scheme; the name, if given,
matches; each score is a number from 0 to 100 with at most two decimals; the row gives every
indicator or none; the cadre appears once) and then the whole file goes through
``scores_save`` (the same rules as the score-entry page and the API). When any row is bad nothing
is saved: the page lists each bad row with its reasons, and the same rows come back as an xlsx with
an 错误原因 column (kept in ``MEDIA_ROOT/imports/<user>/<id>/errors.xlsx``, reached only by the
uploader).
"""
import io
import re
import uuid
from dataclasses import dataclass, field

import xlsxwriter
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from cadres import idcard
from pingdingshan.core.uploads import check_xlsx

from .models import AssessmentResult
from .services.periods import parse_score, rater_indicators, scores_save

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
_REPORT_ID = re.compile(r"^[0-9a-f]{32}$")


def _fixed_headers():
    return [_("身份证号码"), _("姓名"), _("单位")]


def error_header():
    return _("错误原因")


@dataclass
class RowError:
    row: int
    reasons: list[str] = field(default_factory=list)


@dataclass
class Outcome:
    saved: dict | None = None
    errors: list[RowError] = field(default_factory=list)
    file_error: str = ""
    report_id: str = ""
    rows: int = 0


def _results(period, scheme):
    return (AssessmentResult.objects.filter(period=period, scheme=scheme)
            .select_related("cadre", "unit").order_by("unit__path", "cadre__name", "id"))


def template(*, period, rater_group, scheme) -> bytes:
    """The xlsx template, pre-filled with the cadres and the scores already stored."""
    from .models import Score

    indicators = rater_indicators([scheme.pk]).get(scheme.pk, [])
    stored = {}
    for rid, iid, score in Score.objects.filter(rater_group=rater_group, result__period=period,
                                                result__scheme=scheme).values_list("result_id", "indicator_id",
                                                                                   "score"):
        stored[(rid, iid)] = score
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"strings_to_formulas": False, "strings_to_urls": False,
                                   "strings_to_numbers": False})
    ws = wb.add_worksheet(_("评分"))
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    text = wb.add_format({"num_format": "@"})
    plain = wb.add_format({"quote_prefix": True})  # "=1+1" shows as typed, never a formula
    headers = _fixed_headers() + [i.name for i in indicators]
    for c, h in enumerate(headers):
        ws.write_string(0, c, h, head)
    ws.set_column(0, 0, 22, text)
    ws.set_column(1, 1, 12)
    ws.set_column(2, 2, 30)
    ws.set_column(3, 3 + len(indicators), 14)
    ws.freeze_panes(1, 3)
    last = 0
    for r, res in enumerate(_results(period, scheme), start=1):
        ws.write_string(r, 0, res.cadre.id_number, text)
        ws.write_string(r, 1, res.cadre.name, plain)
        ws.write_string(r, 2, res.unit.name, plain)
        for c, ind in enumerate(indicators, start=3):
            value = stored.get((res.pk, ind.pk))
            if value is not None:
                ws.write_number(r, c, float(value))
        last = r
    if indicators and last:
        ws.data_validation(1, 3, last, 2 + len(indicators), {
            "validate": "decimal", "criteria": "between", "minimum": 0, "maximum": 100,
            "error_message": _("分数须在0到100之间。")})
    notes = wb.add_worksheet(_("说明"))
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    notes.set_column(0, 0, 100, wrap)
    lines = [
        _("考核周期：%(p)s；评价主体：%(g)s；指标体系：%(s)s。") % {"p": period.name, "g": rater_group.name, "s": scheme},
        _("每行一名干部，按列填写各指标的得分（0–100，最多两位小数）。"),
        _("同一名干部须全部指标都填写，或全部留空（留空表示该评价主体未对其评分）。"),
        _("不要修改表头和身份证号码；姓名和单位仅供核对。"),
        _("上传后系统先逐行校验：只要有一行有错，全部不导入，并列出每一行的错误原因。"),
    ]
    for r, line in enumerate(lines):
        notes.write_string(r, 0, line)
    wb.close()
    return buf.getvalue()


def _read(upload) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The first sheet's header and non-empty rows, read with python-calamine (Rust; 20,000 rows in
    0.2 s where openpyxl takes 1.5 s), after the workbook's size is bounded (a zip bomb)."""
    from python_calamine import CalamineWorkbook

    if upload.size > MAX_BYTES:
        raise ValidationError(_("文件不能超过10MB。"))
    check_xlsx(upload, max_rows=MAX_ROWS)  # a zip bomb is refused before it is parsed
    try:
        wb = CalamineWorkbook.from_filelike(upload)
        grid = wb.get_sheet_by_index(0).to_python(skip_empty_area=False)  # row 1 of the sheet first
    except Exception:  # noqa: BLE001 - any unreadable file gets the same answer
        raise ValidationError(_("无法读取文件：请上传用模板填写的 .xlsx 文件。")) from None
    rows = iter(grid)
    try:
        headers = ["" if v is None else str(v).strip() for v in next(rows)]
    except StopIteration:
        raise ValidationError(_("文件是空的。")) from None

    def cell(v):
        if v is None or v == "":
            return ""
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return str(v).strip()

    data = []
    for n, values in enumerate(rows, start=2):
        cells = [cell(v) for v in values]
        if any(cells):
            data.append((n, cells))
        if len(data) > MAX_ROWS:
            raise ValidationError(_("一个文件最多%(n)d行。") % {"n": MAX_ROWS})
    return headers, data


def import_scores(*, by, period, rater_group, scheme, upload) -> Outcome:
    """Validate every row, then save all rows through ``scores_save`` or none."""
    try:
        headers, rows = _read(upload)
    except ValidationError as e:
        return Outcome(file_error=" ".join(e.messages))
    indicators = rater_indicators([scheme.pk]).get(scheme.pk, [])
    fixed = _fixed_headers()
    if headers[:1] != fixed[:1]:
        return Outcome(file_error=_("第一列须为“身份证号码”：请使用本页下载的模板。"))
    by_name = {i.name: i for i in indicators}
    columns = {}
    for c, h in enumerate(headers):
        if h in by_name:
            columns[c] = by_name[h]
    missing = [i.name for i in indicators if i not in columns.values()]
    if missing:
        return Outcome(file_error=_("缺少指标列：%(names)s（请使用本页下载的模板）。") % {"names": "、".join(missing)})
    if not rows:
        return Outcome(file_error=_("文件中没有数据行。"))
    enrolled = {r.cadre.id_number: r for r in _results(period, scheme)}
    errors, entries, seen = [], [], {}
    for number, cells in rows:
        reasons = []
        raw_id = cells[0] if cells else ""
        try:
            id_number = idcard.validate_id_number(raw_id)
        except ValidationError as e:
            reasons.extend(e.messages)
            id_number = None
        result = enrolled.get(id_number) if id_number else None
        if id_number and result is None:
            reasons.append(_("身份证号码%(id)s不是本周期该指标体系的考核对象") % {"id": id_number})
        if id_number in seen:
            reasons.append(_("与第%(n)d行是同一名干部") % {"n": seen[id_number]})
        elif id_number:
            seen[id_number] = number
        name = cells[1] if len(cells) > 1 else ""
        if result is not None and name and name != result.cadre.name:
            reasons.append(_("姓名“%(given)s”与身份证号码对应的干部“%(name)s”不一致") % {
                "given": name, "name": result.cadre.name})
        values = {}
        for c, ind in columns.items():
            raw = cells[c] if c < len(cells) else ""
            value, err = parse_score(raw)
            if err:
                reasons.append(f"{ind.name}：{err}")
            values[ind] = value
        given = [i for i, v in values.items() if v is not None]
        if given and len(given) < len(values):
            reasons.append(_("缺少指标：%(names)s（须全部填写或全部留空）") % {
                "names": "、".join(i.name for i, v in values.items() if v is None)})
        if reasons:
            errors.append(RowError(number, reasons))
        elif result is not None:
            entries.extend((result.pk, ind.pk, v) for ind, v in values.items())
    outcome = Outcome(errors=errors, rows=len(rows))
    if not errors:
        try:
            outcome.saved = scores_save(by=by, period=period, rater_group=rater_group, entries=entries)
        except ValidationError as e:
            outcome.file_error = " ".join(e.messages)
    if errors:
        outcome.report_id = _store_report(by, headers, rows, errors)
    return outcome


ERRORS_KEPT = 500  # bad rows kept in a job's payload for the page (the xlsx report has them all)


def outcome_payload(outcome: Outcome) -> dict:
    """The outcome as the JSON a background job stores."""
    return {"saved": outcome.saved, "file_error": outcome.file_error, "report_id": outcome.report_id,
            "rows": outcome.rows, "error_count": len(outcome.errors),
            "errors": [{"row": e.row, "reasons": e.reasons} for e in outcome.errors[:ERRORS_KEPT]]}


def outcome_from_payload(payload: dict) -> Outcome:
    return Outcome(saved=payload.get("saved"), file_error=payload.get("file_error") or "",
                   report_id=payload.get("report_id") or "", rows=payload.get("rows") or 0,
                   errors=[RowError(e["row"], list(e["reasons"])) for e in payload.get("errors") or []])


def _report_name(user, report_id):
    return f"imports/{user.pk}/{report_id}/errors.xlsx"


def _store_report(user, headers, rows, errors) -> str:
    reasons = {e.row: "；".join(e.reasons) for e in errors}
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"strings_to_formulas": False, "strings_to_urls": False,
                                   "strings_to_numbers": False})
    ws = wb.add_worksheet(_("评分"))
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    plain = wb.add_format({"quote_prefix": True})  # "=1+1" shows (and uploads again) as typed
    bad = wb.add_format({"bg_color": "#FFC7CE", "quote_prefix": True})
    for c, h in enumerate(headers):
        ws.write_string(0, c, h, head)
    ws.write_string(0, len(headers), error_header(), head)
    ws.set_column(len(headers), len(headers), 60)
    for number, cells in rows:
        fmt = bad if number in reasons else plain
        for c in range(len(headers)):
            ws.write_string(number - 1, c, cells[c] if c < len(cells) else "", fmt)
        if number in reasons:
            ws.write_string(number - 1, len(headers), reasons[number])
    wb.close()
    report_id = uuid.uuid4().hex
    default_storage.save(_report_name(user, report_id), ContentFile(buf.getvalue()))
    return report_id


def open_report(user, report_id):
    """The uploader's error report, or None."""
    if not _REPORT_ID.match(report_id or ""):
        return None
    name = _report_name(user, report_id)
    return default_storage.open(name, "rb") if default_storage.exists(name) else None
