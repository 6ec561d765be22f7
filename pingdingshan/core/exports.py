"""Exports of list pages and API lists to xlsx and csv.

One path serves every list: ``export_response`` applies the gate (``export`` action), writes the
file with ``write_export`` and records an ExportLog entry with the filters that were applied.

- xlsx is a printed report: a title, the filters applied, who exported and when at the top; the
  header row repeats on every printed page; landscape, fitted to the page width, A4, page numbers
  in the footer. Dates are date cells. Text is a text cell (never a formula): a text column carries
  Excel's quote prefix, so ``=1+1`` shows as ``=1+1`` (no visible apostrophe) and an ID number or a
  unit code stays text even after the cell is edited.
- csv is data only (the header row, then the rows: a program reading it finds nothing else), UTF-8
  with a BOM. Text a spreadsheet would evaluate gets a leading apostrophe (``escape_cell``); text a
  spreadsheet would turn into a number or a date (an 18-digit ID number, ``0012``, ``2024-01``) is
  written as ``="…"``, which Excel, WPS and LibreOffice all show as that text.

The xlsx writer is rustpy-xlsxwriter (Rust's rust_xlsxwriter, by XlsxWriter's author, behind a
Python binding). The same sheet of 100,000 rows × 27 columns, writer alone: rustpy-xlsxwriter
2.7 s, XlsxWriter 16.0 s (constant_memory) / 12.4 s (in memory, 380 MB), PyExcelerate 25.0 s,
openpyxl write_only 45.1 s. The whole roster export of 100,000 cadres (query, rows, file) takes
3.3–4.5 s and about 110 MB, where it took 12.6–16.3 s with XlsxWriter (``bench/roster.py``).

Background jobs call ``write_export(rows, columns, fileobj, file_format=..., report=...)``.
"""
import csv
import datetime as dt
import io
import re
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import chain, islice
from typing import Any

import rustpy_xlsxwriter as rx
from django.http import FileResponse, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import permissions as gate
from .middleware import current_request_id

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
FORMATS = ("xlsx", "csv")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Text a spreadsheet opening a csv would read as a number, a date or a time (and so lose leading
# zeros, turn 18 digits into 4.1040219800101E+17, or make 2024-01 a date): digits with number,
# date and time punctuation, at least one digit.
_LOOKS_NUMERIC = re.compile(r"^\s*[(+\-]?[\d\s.,:/%()eE+\-]*\d[\d\s.,:/%()eE+\-]*$")
DATE_FORMAT = "yyyy-mm-dd"
EXCEL_YEARS = (1900, 9999)  # what a date cell can hold; other dates are written as text
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
HEADER_ROW = 4  # 0-based: title, filters, exported by/at, a blank row, then the header row
SNIFF_ROWS = 2000  # rows read ahead to tell each column's kind (text, date, date and time)


def escape_cell(value: Any) -> Any:
    """Make a csv cell inert: text that a spreadsheet would evaluate gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_cell(value: Any) -> Any:
    """One csv cell: formulas made inert (``escape_cell``), and text that a spreadsheet would turn
    into a number or a date written as ``="…"`` so that it opens as that very text."""
    if isinstance(value, dt.datetime):
        return (timezone.localtime(value) if timezone.is_aware(value) else value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    value = escape_cell(value)
    if isinstance(value, str) and _LOOKS_NUMERIC.match(value):
        return '="' + value.replace('"', '""') + '"'
    return value


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Any]
    width: int = 14
    # "text", "date", "datetime", "number", or "" (told from the first rows' values)
    kind: str = ""


@dataclass(frozen=True)
class Report:
    """What the top of a printed export says."""

    title: str
    filters: list[tuple[str, str]] = field(default_factory=list)  # (label, value shown)
    exported_by: str = ""
    exported_at: dt.datetime | None = None

    def lines(self) -> list[str]:
        when = timezone.localtime(self.exported_at) if self.exported_at and timezone.is_aware(
            self.exported_at) else self.exported_at
        shown = "；".join(f"{label}：{value}" for label, value in self.filters) or _("无（全部）")
        return [
            _("筛选条件：%(filters)s") % {"filters": shown},
            _("导出人：%(user)s　导出时间：%(when)s") % {
                "user": self.exported_by or "—", "when": when.strftime("%Y-%m-%d %H:%M") if when else "—"},
        ]


def _plain(v):
    """A value as an xlsx cell holds it: local naive datetimes, floats for Decimals, text for the rest."""
    if v is None or isinstance(v, (str, int, float, dt.date)):
        if isinstance(v, dt.datetime) and timezone.is_aware(v):
            v = timezone.localtime(v).replace(tzinfo=None)
        if isinstance(v, dt.date) and not EXCEL_YEARS[0] <= v.year <= EXCEL_YEARS[1]:
            return v.isoformat(sep=" ", timespec="minutes") if isinstance(v, dt.datetime) else v.isoformat()
        return v
    if isinstance(v, Decimal):
        return float(v) if v.is_finite() else str(v)
    return str(v)


def _kinds(columns: list[Column], first_rows: list[list]) -> list[str]:
    """Each column's kind, from its declaration or else from the values of the first rows."""
    kinds = []
    for c, col in enumerate(columns):
        if col.kind:
            kinds.append(col.kind)
            continue
        values = [r[c] for r in first_rows if r[c] is not None and r[c] != ""]
        seen = {type(v) for v in values}
        if seen and seen <= {str}:
            kinds.append("text")
        elif seen == {dt.date}:
            kinds.append("date")
        elif dt.datetime in seen and seen <= {dt.datetime, dt.date}:
            kinds.append("datetime")
        elif seen == {Decimal} and {v.as_tuple().exponent for v in values} == {-2}:
            kinds.append("hundredths")  # scores and points: 94.40 stays 94.40
        else:
            kinds.append("")
    return kinds


def _headers(columns: list[Column]) -> list[str]:
    """Column headers, unique (the writer takes rows as dicts keyed by header): a repeated header
    gets zero-width spaces appended, invisible on screen and on paper."""
    out, seen = [], set()
    for col in columns:
        h = str(col.header)
        while h in seen:
            h += "\u200b"
        seen.add(h)
        out.append(h)
    return out


def write_xlsx(rows: Iterable, columns: list[Column], fileobj, *, report: Report, sheet_name: str = "") -> int:
    """Write ``rows`` (objects ``columns`` read) as a printed report to ``fileobj`` (a path or a
    binary file); returns the number of data rows. Streams: memory does not grow with the rows."""
    headers = _headers(columns)
    values = ([col.value(obj) for col in columns] for obj in rows)
    first = list(islice(values, SNIFF_ROWS))
    kinds = _kinds(columns, first)
    count = 0

    def records():
        nonlocal count
        for row in chain(first, values):
            count += 1
            yield {h: _plain(v) for h, v in zip(headers, row, strict=True)}
        if not count:  # the writer takes the header row from the first record: give it one
            yield {h: (_("无符合条件的记录。") if n == 0 else None) for n, h in enumerate(headers)}

    formats = {}
    for h, kind in zip(headers, kinds, strict=True):
        if kind == "text":
            formats[h] = rx.Format().set_quote_prefix()
        elif kind == "date":
            formats[h] = rx.Format().set_num_format(DATE_FORMAT)
        elif kind == "datetime":
            formats[h] = rx.Format().set_num_format(DATETIME_FORMAT)
        elif kind == "hundredths":
            formats[h] = rx.Format().set_num_format("0.00")
    last = max(len(columns) - 1, 1)  # a merge needs two cells, even over a one-column export
    title = rx.Format().set_bold().set_font_size(16).set_align("center").set_align("vcenter")
    note = rx.Format().set_text_wrap().set_align("vcenter")
    lines = report.lines()
    rx.write_worksheet(
        records(), fileobj, sheet_name=_sheet_name(sheet_name or report.title),
        header_row=HEADER_ROW,
        merge_ranges=[(0, 0, 0, last, report.title, title), (1, 0, 1, last, lines[0], note),
                      (2, 0, 2, last, lines[1], note)],
        row_heights={0: 28, 1: 18 * max(1, min(6, len(lines[0]) // 120 + 1)), 2: 18},
        header_format=rx.Format().set_bold().set_background_color("#DDEBF7").set_border("thin").set_text_wrap(),
        column_widths=[col.width for col in columns], column_formats=formats,
        datetime_format=DATETIME_FORMAT,  # a date or time in a column whose kind was not told
        freeze_row=HEADER_ROW + 1,
        page_setup={"landscape": True, "paper_size": 9, "fit_to_pages": (1, 0), "repeat_rows": HEADER_ROW,
                    "margins": {"left": 0.4, "right": 0.4, "top": 0.6, "bottom": 0.6},
                    "footer": "&C" + _("第 &P 页，共 &N 页")},
    )
    return count


def _sheet_name(name: str) -> str:
    name = re.sub(r"[\[\]:*?/\\]", " ", str(name)).strip() or "Sheet1"
    return name[:31]


def write_csv(rows: Iterable, columns: list[Column], fileobj) -> int:
    """Write the header row and ``rows`` as csv to the text file ``fileobj``; returns the row count."""
    w = csv.writer(fileobj)
    w.writerow([c.header for c in columns])
    count = 0
    for obj in rows:
        w.writerow([csv_cell(c.value(obj)) for c in columns])
        count += 1
    return count


def write_export(rows: Iterable, columns: list[Column], fileobj, *, file_format: str, report: Report) -> int:
    """Write an export to the binary file ``fileobj``: xlsx (the printed report) or csv (UTF-8 with
    a BOM, data only). Returns the number of rows. For jobs that write big exports to a file."""
    if file_format == "csv":
        text = io.TextIOWrapper(fileobj, encoding="utf-8", newline="", write_through=True)
        text.write("\ufeff")  # BOM so that Excel opens UTF-8 Chinese correctly
        try:
            return write_csv(rows, columns, text)
        finally:
            text.detach()
    return write_xlsx(rows, columns, fileobj, report=report)


# --------------------------------------------------------------------------- the filters applied
def _shown(field, value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "__iter__") and not isinstance(value, str):
        return "、".join(_shown(field, v) for v in value)
    choices = dict(getattr(field, "choices", None) or ()) if not hasattr(value, "_meta") else {}
    label = choices.get(value, choices.get(str(value)))
    return str(label if label is not None else value)


def applied_filters(source) -> tuple[dict, list[tuple[str, str]]]:
    """The filters of a bound, valid FilterSet or Form that were applied, i.e. that have a value:
    (for the export log: {name: the value submitted}, for the report: [(label, value shown)]).
    Sort order (``ordering``) and empty fields are not filters."""
    form = getattr(source, "form", source)
    declared = getattr(source, "filters", None)
    data = getattr(form, "cleaned_data", None) or {}
    log, shown = {}, []
    for name, value in data.items():
        if name not in form.fields or value in (None, "", [], (), set()):
            continue
        if declared is not None and (name not in declared or type(declared[name]).__name__ == "OrderingFilter"):
            continue
        if hasattr(value, "exists") and not value.exists():  # an empty queryset (multiple choice)
            continue
        raw = form.data.getlist(name) if hasattr(form.data, "getlist") else [form.data.get(name)]
        raw = [v for v in raw if v not in ("", None)]
        if not raw:
            continue
        log[name] = raw[0] if len(raw) == 1 else raw
        field_ = form.fields[name]
        shown.append((str(field_.label or name), _shown(field_, value)))
    return log, shown


def _filters(filters, extra) -> tuple[dict, list[tuple[str, str]]]:
    if filters is None:
        log, shown = {}, []
    elif isinstance(filters, dict):
        log = {k: v for k, v in filters.items() if v not in ("", None, [])}
        shown = [(str(k), _shown(None, v)) for k, v in log.items()]
    else:
        log, shown = applied_filters(filters)
    for key, label, value in extra or ():
        log[key] = value.pk if hasattr(value, "pk") else value
        shown.append((str(label), str(value)))
    return log, shown


def export_response(*, user, rows: Iterable, columns: list[Column], what: str, file_format: str,
                    filters=None, extra_filters: Iterable[tuple[str, str, Any]] = (),
                    filename: str | None = None, title: str | None = None) -> HttpResponse:
    """Write ``rows`` as xlsx or csv, log the export, and return the download response.

    ``filters``: the bound, valid FilterSet (or Form) of the list, or a dict of what was applied;
    ``extra_filters``: (key, label, value) that narrowed the rows too (the period of a result list)."""
    from .models import ExportLog

    gate.require(user, "export")
    if file_format not in FORMATS:
        file_format = "xlsx"
    now = timezone.localtime()
    log_filters, shown = _filters(filters, extra_filters)
    report = Report(title=str(title or filename or what), filters=shown,
                    exported_by=(user.get_full_name() or user.get_username()) if user else "", exported_at=now)
    filename = f"{filename or what}-{now.strftime('%Y%m%d-%H%M%S')}.{file_format}"
    tmp = tempfile.TemporaryFile()
    count = write_export(rows, columns, tmp, file_format=file_format, report=report)
    tmp.seek(0)
    if file_format == "csv":
        with tmp:
            response = HttpResponse(tmp.read(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = _content_disposition(filename)
    else:
        response = FileResponse(tmp, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)
    ExportLog.objects.create(user=user, request_id=current_request_id(), what=what, file_format=file_format,
                             filters=log_filters, row_count=count)
    return response


def _content_disposition(filename: str) -> str:
    from urllib.parse import quote

    return f"attachment; filename=\"export.{filename.rsplit('.', 1)[-1]}\"; filename*=UTF-8''{quote(filename)}"


__all__ = ["Column", "FORMATS", "Report", "applied_filters", "csv_cell", "escape_cell", "export_response",
           "write_csv", "write_export", "write_xlsx"]
