"""serve_file: the one way a stored file is answered (evidence download / preview, page and API;
photos)."""
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db.models.fields.files import FieldFile
from django.http import Http404

from pingdingshan.core.files import serve_file


class _Field:
    def __init__(self, storage):
        self.storage = storage


def _stored(tmp_path, name="a.pdf", content=b"%PDF-1.4 x"):
    storage = FileSystemStorage(location=tmp_path)
    storage.save(name, ContentFile(content))
    return FieldFile(instance=None, field=_Field(storage), name=name)


def test_a_stored_file_downloads_as_an_attachment_never_sniffed(tmp_path):
    response = serve_file(_stored(tmp_path), filename="佐证.pdf", content_type="application/pdf")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 x"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "%E4%BD%90%E8%AF%81.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-cache"


def test_a_preview_is_inline(tmp_path):
    response = serve_file(_stored(tmp_path), filename="a.pdf", content_type="application/pdf", attachment=False,
                          cache_control="private, max-age=300")
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Cache-Control"] == "private, max-age=300"


def test_a_file_gone_from_the_storage_answers_404_in_chinese(tmp_path):
    field_file = _stored(tmp_path)
    field_file.storage.delete(field_file.name)
    with pytest.raises(Http404, match="文件不存在"):
        serve_file(field_file)
    with pytest.raises(Http404, match="照片文件不存在"):
        serve_file(field_file, missing="照片文件不存在。")


def test_an_open_file_is_served_as_it_is():
    response = serve_file(io.BytesIO(b"xlsx"), filename="report.xlsx")
    assert b"".join(response.streaming_content) == b"xlsx"
    assert response["Content-Disposition"].startswith("attachment;")
