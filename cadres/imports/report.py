"""The error report of a rejected import: the uploaded rows, in their places (row N of the report is
row N of the upload), plus an 错误原因 column; bad rows are shaded. Fix the cells and upload the
report again: the import ignores the extra column."""
import io
import re

import xlsxwriter

from .records import RowError, Table
from .template import COLUMN_BY_KEY, DATA_SHEET, DATE_KEYS, ERROR_HEADER

_MIDNIGHT = re.compile(r"^(\d{4}-\d{2}-\d{2}) 00:00:00$")
SEPARATOR = "；"


def error_report(table: Table, errors: list[RowError]) -> bytes:
    """The report as xlsx bytes."""
    reasons = {e.row: SEPARATOR.join(e.reasons) for e in errors}
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                   "strings_to_numbers": False})
    ws = wb.add_worksheet(str(DATA_SHEET)[:31])
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    error_head = wb.add_format({"bold": True, "bg_color": "#F8CBAD", "border": 1, "font_color": "#9C0006"})
    # Text cells with Excel's quote prefix: "=1+1" shows (and uploads again) as typed, never a formula.
    text = wb.add_format({"quote_prefix": True})
    bad = wb.add_format({"bg_color": "#FFC7CE", "quote_prefix": True})
    reason_format = wb.add_format({"font_color": "#9C0006", "text_wrap": True})
    width = len(table.headers)
    date_cols = {i for i, k in enumerate(table.keys) if k in DATE_KEYS}
    for c, (header, key) in enumerate(zip(table.headers, table.keys, strict=True)):
        ws.set_column(c, c, COLUMN_BY_KEY[key].width if key else 14)
        ws.write_string(0, c, header, head)
    ws.set_column(width, width, 60)
    ws.write_string(0, width, str(ERROR_HEADER), error_head)
    ws.freeze_panes(1, 0)
    for number, cells in table.rows:  # in increasing row order, as constant_memory requires
        r = number - 1
        fmt = bad if number in reasons else text
        for c in range(width):
            value = cells[c] if c < len(cells) else ""
            if c in date_cols:
                value = _MIDNIGHT.sub(r"\1", value)
            ws.write_string(r, c, value, fmt)
        if number in reasons:
            ws.write_string(r, width, reasons[number], reason_format)
    wb.close()
    return buf.getvalue()
