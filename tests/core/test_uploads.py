"""A workbook is bounded before it is parsed (defect: 158 KB that unzips to a 150 MB sheet kept an
import busy for 35 minutes): the unzipped size, the rows and the columns of its worksheets."""
import io
import time
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError

from pingdingshan.core.uploads import check_xlsx

SHEET = "xl/worksheets/sheet1.xml"


def small_book(rows=3) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "实绩记录"
    for i in range(rows):
        ws.append([f"a{i}", i])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def with_sheet(book: bytes, sheet_xml_parts) -> bytes:
    """The same workbook with its first sheet's XML replaced (streamed: it may be huge)."""
    src = zipfile.ZipFile(io.BytesIO(book))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename == SHEET:
                member = zipfile.ZipInfo(SHEET)
                member.compress_type = zipfile.ZIP_DEFLATED
                with dst.open(member, "w", force_zip64=True) as f:
                    for part in sheet_xml_parts:
                        f.write(part)
            else:
                dst.writestr(info, src.read(info.filename))
    return out.getvalue()


def zip_bomb(unzipped_mb=150) -> bytes:
    """A few hundred KB whose sheet unzips to ``unzipped_mb`` MB (one row, then blank padding)."""
    head = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>')
    pad = b" " * (1 << 20)
    return with_sheet(small_book(), [head, *([pad] * unzipped_mb), b"</sheetData></worksheet>"])


def far_row_book(row=1_048_576) -> bytes:
    """A tiny file with one cell in the last row of the sheet: the readers fill every row before it."""
    xml = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
           b'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1"><v>1</v></c></row>'
           b'<row r="%d"><c r="A%d"><v>1</v></c></row></sheetData></worksheet>' % (row, row))
    return with_sheet(small_book(), [xml])


def wide_book() -> bytes:
    xml = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
           b'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1"><v>1</v></c><c r="XFD1"><v>1</v></c></row>'
           b'</sheetData></worksheet>')
    return with_sheet(small_book(), [xml])


def test_the_bomb_is_small_and_unzips_to_150_mb():
    bomb = zip_bomb()
    assert len(bomb) < 400 * 1024
    assert zipfile.ZipFile(io.BytesIO(bomb)).getinfo(SHEET).file_size > 150 * 1024 * 1024


def test_a_zip_bomb_is_refused_at_once_by_its_unzipped_size():
    started = time.monotonic()
    with pytest.raises(ValidationError) as e:
        check_xlsx(io.BytesIO(zip_bomb()), max_rows=20_000)
    assert time.monotonic() - started < 2
    assert "解压后有 150 MB，超过上限 64 MB" in e.value.messages[0]


def test_rows_and_columns_are_bounded_before_parsing():
    with pytest.raises(ValidationError) as e:
        check_xlsx(io.BytesIO(far_row_book()), max_rows=20_000)
    assert "工作表“实绩记录”有 1048576 行，超过上限 20000 行" in e.value.messages[0]
    with pytest.raises(ValidationError) as e:
        check_xlsx(io.BytesIO(wide_book()), max_rows=20_000)
    assert "工作表“实绩记录”用到了第 16384 列，超过上限 200 列" in e.value.messages[0]


def test_rows_are_counted_when_they_carry_no_row_number(monkeypatch):
    from pingdingshan.core import uploads

    rows = [b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'] * 30
    book = with_sheet(small_book(), [b"<worksheet><sheetData>", *rows, b"</sheetData></worksheet>"])
    monkeypatch.setattr(uploads, "ROW_SLACK", 0)
    check_xlsx(io.BytesIO(book), max_rows=29)  # the header + 29 data rows
    with pytest.raises(ValidationError, match="有 30 行，超过上限 28 行"):
        check_xlsx(io.BytesIO(book), max_rows=28)


def test_an_ordinary_workbook_passes_and_the_file_is_rewound():
    f = io.BytesIO(small_book(rows=500))
    f.read(10)
    check_xlsx(f, max_rows=500)
    assert f.tell() == 0
    check_xlsx(io.BytesIO(b"not a zip"), max_rows=1)  # left to the reader, which says so in its words


def test_the_limit_is_a_setting(settings):
    settings.IMPORT_MAX_UNZIPPED_BYTES = 1024
    with pytest.raises(ValidationError, match="超过上限 0 MB"):
        check_xlsx(io.BytesIO(small_book()), max_rows=10)


def test_a_member_that_unzips_to_more_than_it_declares_is_refused():
    """The zip directory says 1 KB; the data inflates to 8 MB (a reader trusting the data would read it all)."""
    import struct

    book = bytearray(with_sheet(small_book(), [b"<worksheet><sheetData>", b" " * (8 << 20), b"</sheetData></worksheet>"]))
    name = SHEET.encode()
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):  # local header, central directory
        at = 0
        while (at := book.find(signature, at)) != -1:
            name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            if book[name_at:name_at + len(name)] == name:
                struct.pack_into("<I", book, at + offset, 1024)
            at += 4
    info = zipfile.ZipFile(io.BytesIO(bytes(book))).getinfo(SHEET)
    assert info.file_size == 1024
    with pytest.raises(ValidationError, match="该文件已损坏"):
        check_xlsx(io.BytesIO(bytes(book)), max_rows=20_000)
