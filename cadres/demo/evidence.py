"""Demo evidence files (佐证材料) for ``seed_demo``: a small generated PDF (meeting minutes or an
acceptance report) on some demo records, and a PNG "site photo" on every other one of them.

The files are made in memory (the PNG with Pillow, the PDF written by hand: one page, Helvetica,
a correct cross-reference table) and go through ``services.evidence_prepare``, so the type is
sniffed from the content and the file is stored where uploaded evidence lives
(``MEDIA_ROOT/evidence/<record id>/``); the rows are then inserted in bulk with their audit
history. Deterministic (``data.SEED``) and idempotent: nothing is added once demo evidence exists.
"""
import functools
import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile

from cadres.models import Evidence, PerformanceRecord
from cadres.services import evidence_prepare
from pingdingshan.core import dates
from pingdingshan.core.audit import bulk_create_audited

from . import data as D

RECORDS_WITH_EVIDENCE = 200  # at most; spread evenly over all records (and so over the units)
PDF_NAMES = [("演示-会议纪要.pdf", "Meeting minutes"), ("演示-验收报告.pdf", "Acceptance report")]
PNG_NAME = "演示-现场照片.png"
DEMO_NAMES = [name for name, _title in PDF_NAMES] + [PNG_NAME]

SKIES = [(135, 180, 220), (170, 200, 230), (200, 215, 225), (120, 160, 200)]
GROUNDS = [(110, 150, 80), (150, 130, 90), (90, 130, 70), (160, 160, 150)]


def _pdf_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def demo_pdf(lines: list[str]) -> bytes:
    """A minimal valid one-page PDF showing ``lines`` (ASCII) in Helvetica."""
    ops = ["BT", "/F1 16 Tf", "72 770 Td", "22 TL"]
    for i, line in enumerate(lines):
        ops.append(f"({_pdf_text(line)}) {'Tj' if i == 0 else chr(39)}")  # ' : next line, then show
    ops.append("ET")
    stream = "\n".join(ops).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n".encode() + b"0000000000 65535 f \n"
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


@functools.cache
def _font():
    from PIL import ImageFont

    return ImageFont.load_default()


def demo_png(rng: random.Random, caption: str) -> bytes:
    """A small "site photo": sky, fields, a few buildings and a caption (ASCII)."""
    from PIL import Image, ImageDraw

    width, height = 360, 240
    image = Image.new("RGB", (width, height), rng.choice(SKIES))
    draw = ImageDraw.Draw(image)
    horizon = rng.randint(130, 170)
    draw.rectangle([0, horizon, width, height], fill=rng.choice(GROUNDS))
    x = rng.randint(5, 40)
    while x < width - 30:
        w, h = rng.randint(25, 60), rng.randint(30, 110)
        shade = rng.randint(150, 230)
        draw.rectangle([x, horizon - h, x + w, horizon], fill=(shade, shade - 10, shade - 25), outline=(90, 90, 90))
        x += w + rng.randint(8, 40)
    draw.rectangle([0, 0, width, 22], fill=(40, 40, 40))
    draw.text((8, 5), caption, fill=(255, 255, 255), font=_font())
    buf = io.BytesIO()
    image.save(buf, format="PNG", compress_level=1)  # fast; the picture is tiny anyway
    return buf.getvalue()


def attach_demo_evidence(*, by, limit: int = RECORDS_WITH_EVIDENCE) -> int:
    """Attach demo evidence to up to ``limit`` records spread evenly over all records (a PDF each,
    and a PNG on every other one); returns how many files. Adds nothing when demo evidence exists."""
    if Evidence.objects.filter(original_name__in=DEMO_NAMES).exists():
        return 0
    ids = list(PerformanceRecord.objects.order_by("id").values_list("id", flat=True))
    if not ids or limit <= 0:
        return 0
    step = max(1, len(ids) // limit)
    chosen = PerformanceRecord.objects.filter(id__in=ids[::step][:limit]).select_related("category").order_by("id")
    rng = random.Random(f"{D.SEED}-evidence")
    evidence = []
    for i, record in enumerate(chosen):
        name, title = PDF_NAMES[i % len(PDF_NAMES)]
        day = record.end_date or record.start_date or dates.today()
        pdf = demo_pdf(["Pingdingshan cadre performance archive", f"{title} (demo evidence)",
                        f"Record No. {record.pk}", f"Date: {day.isoformat()}",
                        "Generated by seed_demo for demonstration only."])
        uploads = [SimpleUploadedFile(name, pdf)]
        if i % 2 == 0:
            uploads.append(SimpleUploadedFile(PNG_NAME, demo_png(rng, f"DEMO  site photo  record No. {record.pk}")))
        for upload in uploads:
            evidence.append(evidence_prepare(by=by, record=record, upload=upload))
    bulk_create_audited(Evidence, evidence, by=by)
    return len(evidence)
