"""Checks of an uploaded workbook BEFORE it is parsed (shared by every import).

An .xlsx file is a zip: 158 KB can unzip to a 150 MB sheet, or declare a cell in row 1,048,576
(the readers then fill every row in between), and parsing it kept an import busy for 35 minutes.
``check_xlsx`` reads only the zip's directory (each member's declared size: Python's zip reader,
never yields more than that, and a member that holds more fails its check and is refused: the
Rust reader need not be trusted with it) and then streams the worksheets' XML
counting rows and columns, without building any cell. It raises a ValidationError in Chinese that
says what is too big and what to do.
"""
import re
import zipfile
import zlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_COLUMNS = 200  # no import of ours has more; a stray cell in column XFD makes 16,384
ROW_SLACK = 1000  # blank but formatted rows a sheet may carry beyond the data rows (the reader skips them)
CHUNK = 1 << 20

_ROW = re.compile(rb"<(?:\w+:)?row\b[^>]*?\sr=\"(\d+)\"")
_ROW_TAG = re.compile(rb"<(?:\w+:)?row\b")
_CELL = re.compile(rb"<(?:\w+:)?c\b[^>]*?\sr=\"([A-Z]{1,3})\d+\"")
_SHEET = re.compile(rb"<(?:\w+:)?sheet\b[^>]*?\sname=\"([^\"]*)\"[^>]*?\s(?:\w+:)?id=\"([^\"]+)\"")
_REL = re.compile(rb"<Relationship\b[^>]*?\sId=\"([^\"]+)\"[^>]*?\sTarget=\"([^\"]+)\"")
_REL2 = re.compile(rb"<Relationship\b[^>]*?\sTarget=\"([^\"]+)\"[^>]*?\sId=\"([^\"]+)\"")


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _sheet_names(zf: zipfile.ZipFile) -> dict[str, str]:
    """{"xl/worksheets/sheet1.xml": "实绩记录", ...}, best effort (the names only serve messages)."""
    try:
        book = zf.read("xl/workbook.xml")
        rels = zf.read("xl/_rels/workbook.xml.rels")
    except (KeyError, zipfile.BadZipFile, OSError):
        return {}
    targets = {rid: target for rid, target in _REL.findall(rels)}
    targets.update({rid: target for target, rid in _REL2.findall(rels)})
    names = {}
    for name, rid in _SHEET.findall(book):
        target = targets.get(rid, b"").decode("utf-8", "replace").lstrip("/")
        if target and not target.startswith("xl/"):
            target = f"xl/{target}"
        names[target] = name.decode("utf-8", "replace")
    return names


def _scan(handle) -> tuple[int, int]:
    """(highest row, highest column) of a worksheet's XML, streamed."""
    rows = tags = columns = 0
    tail = b""
    while True:
        chunk = handle.read(CHUNK)
        buf = tail + chunk
        cut = buf.rfind(b"<") if chunk else len(buf)
        if cut <= 0 and chunk:
            tail = buf
            continue
        part, tail = buf[:cut], buf[cut:]
        tags += len(_ROW_TAG.findall(part))
        for r in _ROW.findall(part):
            rows = max(rows, int(r))
        for letters in _CELL.findall(part):
            columns = max(columns, _column_number(letters))
        if not chunk:
            return max(rows, tags), columns


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f}"


def check_xlsx(source, *, max_rows: int, max_columns: int = MAX_COLUMNS, max_unzipped: int | None = None) -> None:
    """Refuse a workbook that unzips to more than ``max_unzipped`` bytes (setting
    ``IMPORT_MAX_UNZIPPED_BYTES``), or whose worksheets reach past row ``max_rows`` + 1 (the header)
    + ``ROW_SLACK`` or column ``max_columns``. ``source`` is a path or a binary file object (left at position 0).
    A file that is not a zip at all is left to the reader (it says so in its own words)."""
    limit = settings.IMPORT_MAX_UNZIPPED_BYTES if max_unzipped is None else max_unzipped
    if hasattr(source, "seek"):
        source.seek(0)
    try:
        zf = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError):
        if hasattr(source, "seek"):
            source.seek(0)
        return
    try:
        total = sum(info.file_size for info in zf.infolist())
        if total > limit:
            raise ValidationError(_(
                "该工作簿解压后有 %(size)s MB，超过上限 %(max)s MB：文件中可能有大量空白或带格式的单元格。"
                "请只复制有数据的行和列到新的工作簿（或导入模板）中另存后再上传。") % {
                "size": _mb(total), "max": _mb(limit)})
        names = _sheet_names(zf)
        sheets = sorted(n for n in zf.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml"))
        for number, member in enumerate(sheets, start=1):
            with zf.open(member) as handle:
                rows, columns = _scan(handle)
            label = names.get(member) or _("第%(n)s个工作表") % {"n": number}
            if rows > max_rows + 1 + ROW_SLACK:
                raise ValidationError(_(
                    "工作表“%(sheet)s”有 %(n)s 行，超过上限 %(max)s 行（一个文件最多导入 %(max)s 行）：请删除多余的行"
                    "（含空白但带格式的行）或分批导入。") % {"sheet": label, "n": rows, "max": max_rows})
            if columns > max_columns:
                raise ValidationError(_(
                    "工作表“%(sheet)s”用到了第 %(n)s 列，超过上限 %(max)s 列：请删除表格右侧多余的列后再上传。") % {
                    "sheet": label, "n": columns, "max": max_columns})
    except (zipfile.BadZipFile, EOFError, zlib.error):  # e.g. a member that unzips to more than it declares
        raise ValidationError(_(
            "该文件已损坏（压缩数据与文件目录不符）：请用 Excel 打开后另存为 .xlsx 再上传。")) from None
    finally:
        zf.close()
        if hasattr(source, "seek"):
            source.seek(0)
