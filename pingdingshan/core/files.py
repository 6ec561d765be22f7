"""One way to answer a stored file: evidence downloads and previews (page and API), photos, the
import templates and error reports (record and score import) and background jobs' result files all
go through ``serve_file``. The caller has fetched the object through the gate
(out of scope → 404 before this runs)."""
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _


def serve_file(source, *, filename=None, content_type=None, attachment: bool = True, missing=None,
               cache_control: str = "private, no-cache") -> FileResponse:
    """``source``: a stored file (a ``FieldFile``, opened here: a file gone from the storage answers
    404 with ``missing`` or "文件不存在。") or an open binary file. Attachments download under
    ``filename``; inline answers (previews) show in the page. The browser never guesses another type
    (``nosniff``: the type was sniffed at upload) and no shared cache keeps the file."""
    handle = source
    if hasattr(source, "storage"):  # a FieldFile
        try:
            handle = source.open("rb")
        except (FileNotFoundError, OSError):
            raise Http404(missing or _("文件不存在。")) from None
    kwargs = {"as_attachment": attachment}
    if filename:
        kwargs["filename"] = filename
    if content_type:
        kwargs["content_type"] = content_type
    response = FileResponse(handle, **kwargs)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = cache_control
    return response
