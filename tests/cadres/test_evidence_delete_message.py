"""Deleting the evidence of a record that can no longer change is refused with a sentence about
deleting (it said "不能上传佐证材料"), on the page and in the API; the file stays."""
import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from cadres import services
from cadres.models import Evidence, TaskCategory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def verified_evidence(leader, org_staff, cadre_a):
    record = services.record_create(by=leader, cadre=cadre_a, category=TaskCategory.objects.get(name="乡村振兴"),
                                    title="推进高标准农田建设", description="完成高标准农田2万亩", role="lead",
                                    start_date=dt.date(2025, 3, 1))
    ev = services.evidence_add(by=leader, record=record, upload=SimpleUploadedFile("纪要.pdf", PDF))
    services.record_submit(by=leader, record=record)
    services.record_verify(by=org_staff, record=record)
    return ev


def test_page_says_delete(client, org_staff, verified_evidence):
    client.force_login(org_staff)
    r = client.post(reverse("cadres:evidence_delete", args=[verified_evidence.pk]))
    texts = [str(m) for m in get_messages(r.wsgi_request)]
    assert any("不能删除佐证材料" in t for t in texts), texts
    assert not any("上传" in t for t in texts)
    assert Evidence.objects.filter(pk=verified_evidence.pk).exists()


def test_api_says_delete(org_staff, verified_evidence):
    client = APIClient()
    client.force_login(org_staff)
    r = client.delete(reverse("evidence-detail", args=[verified_evidence.pk]))
    assert r.status_code == 400, r.content
    assert "不能删除佐证材料" in r.json()["message"] and "上传" not in r.json()["message"]
    assert Evidence.objects.filter(pk=verified_evidence.pk).exists()
