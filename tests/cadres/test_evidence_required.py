"""Categories that require evidence: a record of one is not submitted without evidence (one rule,
``services.submit_problems``, for pages, the API and the import); without evidence in any other
category the pages ask to confirm."""
import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cadres import services
from cadres.imports import records as importer
from cadres.imports.template import COLUMNS
from cadres.models import PerformanceRecord, RecordStatus, TaskCategory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def strict(db):
    category = TaskCategory.objects.get(name="乡村振兴")
    category.requires_evidence = True
    category.save()
    return category


def _draft(by, cadre, category):
    return services.record_create(by=by, cadre=cadre, category=category, title="推进高标准农田建设",
                                  description="完成高标准农田2万亩", role="lead", start_date=dt.date(2025, 3, 1))


def test_rule_1_a_category_that_requires_evidence_refuses_submission_without_it(leader, cadre_a, strict):
    record = _draft(leader, cadre_a, strict)
    with pytest.raises(ValidationError) as e:
        services.record_submit(by=leader, record=record)
    assert "“乡村振兴”类实绩须附佐证材料才能提交核实" in e.value.message_dict["file"][0]
    record.refresh_from_db()
    assert record.status == RecordStatus.DRAFT and record.submitted_at is None  # nothing changed
    services.evidence_add(by=leader, record=record, upload=SimpleUploadedFile("验收.pdf", PDF))
    assert services.record_submit(by=leader, record=record).status == RecordStatus.SUBMITTED


def test_other_categories_submit_without_evidence(leader, cadre_a):
    record = _draft(leader, cadre_a, TaskCategory.objects.get(name="乡村振兴"))
    assert services.submit_problems(record) == {}
    assert services.record_submit(by=leader, record=record).status == RecordStatus.SUBMITTED


def test_the_api_answers_the_rule_in_chinese(client, leader, cadre_a, strict):
    record = _draft(leader, cadre_a, strict)
    client.force_login(leader)
    r = client.post(f"/api/v1/records/{record.pk}/submit/")
    assert r.status_code == 400 and "须附佐证材料" in r.content.decode()
    record.refresh_from_db()
    assert record.status == RecordStatus.DRAFT


def test_org_staff_import_keeps_such_rows_as_drafts(org_staff, cadre_a, cadre_b, strict):
    headers = [c.header for c in COLUMNS]
    lines = [",".join(headers),
             f"{cadre_a.id_number},张三,乡村振兴,推进农田建设,完成2万亩,主要参与,2025-03-01,,,",
             f"{cadre_b.id_number},李四,项目建设,引进项目,签约3个,牵头,2025-03-01,,,"]
    result = importer.import_records(by=org_staff, source=io.BytesIO("\r\n".join(lines).encode("utf-8-sig")), fmt="csv")
    assert result.ok, result.errors
    status = dict(PerformanceRecord.objects.values_list("category__name", "status"))
    assert status == {"乡村振兴": RecordStatus.DRAFT, "项目建设": RecordStatus.SUBMITTED}


def test_record_page_explains_and_refuses(client, leader, cadre_a, strict):
    record = _draft(leader, cadre_a, strict)
    client.force_login(leader)
    html = client.get(reverse("cadres:record_detail", args=[record.pk])).content.decode()
    assert "须附佐证材料：请先上传材料再提交" in html and "evidence-required" in html
    r = client.post(reverse("cadres:record_submit", args=[record.pk]), follow=True)
    assert "须附佐证材料才能提交核实" in r.content.decode()
    record.refresh_from_db()
    assert record.status == RecordStatus.DRAFT


def test_record_page_asks_to_confirm_without_evidence_in_other_categories(client, leader, cadre_a):
    record = _draft(leader, cadre_a, TaskCategory.objects.get(name="乡村振兴"))
    client.force_login(leader)
    html = client.get(reverse("cadres:record_detail", args=[record.pk])).content.decode()
    assert 'data-confirm="这条记录还没有佐证材料。确定不附材料就提交核实吗？"' in html
    services.evidence_add(by=leader, record=record, upload=SimpleUploadedFile("验收.pdf", PDF))
    html = client.get(reverse("cadres:record_detail", args=[record.pk])).content.decode()
    assert "还没有佐证材料" not in html


def test_the_form_that_creates_with_submit_shows_the_refusal_on_the_files(client, leader, cadre_a, strict):
    client.force_login(leader)
    r = client.post(reverse("cadres:record_create") + f"?cadre={cadre_a.pk}", {
        "cadre": cadre_a.pk, "category": strict.pk, "role": "lead", "title": "推进高标准农田建设",
        "description": "完成高标准农田2万亩", "start_date": "2025-03-01", "submit": "1"})
    assert r.status_code == 200 and "须附佐证材料才能提交核实" in r.content.decode()
    assert not PerformanceRecord.objects.exists()  # nothing saved
    assert f'data-evidence-required="{strict.pk}"' in r.content.decode()


def test_org_staff_set_the_requirement_on_the_category_page(client, org_staff):
    category = TaskCategory.objects.get(name="项目建设")
    client.force_login(org_staff)
    data = {"name": category.name, "description": category.description, "is_active": "on", "requires_evidence": "on",
            "order": category.order, "points_lead": "10", "points_main": "6", "points_participant": "3"}
    r = client.post(reverse("cadres:category_edit", args=[category.pk]), data)
    assert r.status_code == 302, r.content.decode()[:2000]
    category.refresh_from_db()
    assert category.requires_evidence
    assert category.history.first().requires_evidence  # audited


def test_the_set_based_submit_applies_the_same_rule(org_staff, leader, cadre_a, strict):
    bare, proven = _draft(leader, cadre_a, strict), _draft(leader, cadre_a, strict)
    services.evidence_add(by=leader, record=proven, upload=SimpleUploadedFile("验收.pdf", PDF))
    with pytest.raises(ValidationError) as e:
        services.records_submit(by=org_staff, records=[proven, bare])
    assert "须附佐证材料才能提交核实" in e.value.message_dict["file"][0]
    assert set(PerformanceRecord.objects.values_list("status", flat=True)) == {RecordStatus.DRAFT}  # none submitted
    services.records_submit(by=org_staff, records=[proven])
    proven.refresh_from_db()
    assert proven.status == RecordStatus.SUBMITTED
