"""Exports of list pages and API lists to xlsx and csv.

One function serves every list: it applies the gate (``export`` action), escapes cells a
spreadsheet would run as formulas, writes the file and records an ExportLog entry.
"""
import csv
import datetime as dt
import io
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import xlsxwriter
from django.http import FileResponse, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import permissions as gate
from .middleware import current_request_id

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
FORMATS = ("xlsx", "csv")


def escape_cell(value: Any) -> Any:
    """Make a cell inert: text that a spreadsheet would evaluate gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Any]
    width: int = 14


def _plain(v):
    if isinstance(v, dt.datetime):
        return timezone.localtime(v).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(v) else v.strftime("%Y-%m-%d %H:%M")
    if isinstance(v, dt.date):
        return v.isoformat()
    return v


def write_xlsx(rows: Iterable, columns: list[Column], sheet_name: str, fileobj) -> int:
    wb = xlsxwriter.Workbook(fileobj, {"constant_memory": True, "strings_to_formulas": False,
                                       "strings_to_urls": False, "strings_to_numbers": False})
    ws = wb.add_worksheet(sheet_name[:31])
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    for c, col in enumerate(columns):
        ws.set_column(c, c, col.width)
        ws.write_string(0, c, col.header, head)
    n = 0
    for n, obj in enumerate(rows, start=1):
        for c, col in enumerate(columns):
            v = escape_cell(_plain(col.value(obj)))
            if isinstance(v, str):
                ws.write_string(n, c, v)
            else:
                ws.write(n, c, v)
    ws.freeze_panes(1, 0)
    wb.close()
    return n


def write_csv(rows: Iterable, columns: list[Column], fileobj) -> int:
    w = csv.writer(fileobj)
    w.writerow([c.header for c in columns])
    count = 0
    for obj in rows:
        w.writerow([escape_cell(_plain(c.value(obj))) for c in columns])
        count += 1
    return count


def export_response(*, user, rows: Iterable, columns: list[Column], what: str, file_format: str,
                    filters: dict | None = None, filename: str | None = None) -> HttpResponse:
    """Write ``rows`` as xlsx or csv, log the export, and return the download response."""
    from .models import ExportLog

    gate.require(user, "export")
    if file_format not in FORMATS:
        file_format = "xlsx"
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    filename = f"{filename or what}-{stamp}.{file_format}"
    if file_format == "csv":
        buf = io.StringIO()
        buf.write("\ufeff")  # BOM so that Excel opens UTF-8 Chinese correctly
        count = write_csv(rows, columns, buf)
        response = HttpResponse(buf.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = _content_disposition(filename)
    else:
        tmp = tempfile.TemporaryFile()
        count = write_xlsx(rows, columns, what, tmp)
        tmp.seek(0)
        response = FileResponse(
            tmp, as_attachment=True, filename=filename,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    ExportLog.objects.create(
        user=user, request_id=current_request_id(), what=what, file_format=file_format,
        filters={k: v for k, v in (filters or {}).items() if v not in ("", None, [])}, row_count=count,
    )
    return response


def _content_disposition(filename: str) -> str:
    from urllib.parse import quote

    return f"attachment; filename=\"export.{filename.rsplit('.', 1)[-1]}\"; filename*=UTF-8''{quote(filename)}"


__all__ = ["Column", "escape_cell", "export_response", "write_csv", "write_xlsx", "FORMATS", "_"]
