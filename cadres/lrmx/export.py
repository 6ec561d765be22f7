"""A cadre's 任免审批表 as a download: .lrmx, PDF or Word, gated by ``export`` and written to the
export log (``core.models.ExportLog``, as every export is). ``sheet_download`` is the answer of the
download pages and of the API (``GET /api/v1/cadres/{id}/lrmx/`` …) alike."""
import io

from django.conf import settings
from django.utils import translation

from pingdingshan.core import permissions as gate
from pingdingshan.core.files import serve_file
from pingdingshan.core.middleware import current_request_id

from . import writer

EXPORT_WHAT = "干部任免审批表"
FORMATS = {
    "lrmx": "application/xml",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def sheet_export(*, by, cadre, file_format: str) -> tuple[str, bytes, str]:
    """(download name, bytes, content type) of ``cadre``'s form in ``file_format``; logged."""
    from pingdingshan.core.models import ExportLog

    from . import printing

    gate.require(by, "export")
    gate.ensure(by, "export", cadre)
    if file_format not in FORMATS:
        raise ValueError(file_format)
    s = writer.sheet(cadre)
    if file_format == "lrmx":
        data = writer.lrmx_bytes(s)
    else:  # the official form is in Chinese, whatever the reader's language
        with translation.override(settings.LANGUAGE_CODE):
            data = printing.pdf_bytes(cadre, s) if file_format == "pdf" else printing.docx_bytes(cadre, s)
    ExportLog.objects.create(user=by, request_id=current_request_id(), what=EXPORT_WHAT, file_format=file_format,
                             filters={"cadre": cadre.pk}, row_count=1)
    return writer.filename(cadre, file_format), data, FORMATS[file_format]


def sheet_download(*, by, cadre, file_format: str):
    """``sheet_export`` as an attachment response (FileResponse)."""
    name, data, content_type = sheet_export(by=by, cadre=cadre, file_format=file_format)
    return serve_file(io.BytesIO(data), filename=name, content_type=content_type)


__all__ = ["EXPORT_WHAT", "FORMATS", "sheet_download", "sheet_export"]
