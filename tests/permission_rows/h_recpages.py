"""Permission-matrix rows of the performance archive pages (record list, form, detail, workflow
buttons, evidence); see tests/test_permission_matrix.py. ``withdraw_obj``: the record org staff
submitted goes back to draft for them only; its unit's leader (not the submitter) is sent back to the
record's page with the refusal (302, the record unchanged), other units' leaders get 404."""
from django.core.files.uploadedfile import SimpleUploadedFile

from cadres.models import PerformanceRecord

from . import Ok, exists, gone, now, pk

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _verified(o, user):
    PerformanceRecord.objects.filter(pk=o["record"].pk).update(status="verified")


RECORD = {"title": "农村人居环境整治", "description": "完成改厕500户", "role": "lead", "start_date": "2025-04-01"}

PAGES = [
    ("cadres:record_list", None, "get", "view"),
    ("cadres:record_export", None, "get", "view"),
    ("cadres:record_create", None, "get", "create"),
    ("cadres:record_create", None, "post", "create", Ok(
        data=lambda o: {**RECORD, "cadre": o["cadre"].pk, "category": o["category"].pk},
        effect=exists(PerformanceRecord, cadre=pk("cadre"), title=RECORD["title"], status="draft"))),
    ("cadres:record_cadre_search", None, "get", "create"),
    ("cadres:record_detail", "record", "get", "view_obj"),
    ("cadres:record_detail", "draft_record", "get", "view_obj"),
    ("cadres:record_edit", "draft_record", "get", "write_obj"),
    ("cadres:record_edit", "draft_record", "post", "write_obj", Ok(form=True, data={"title": "草稿记录（改）"},
                                                                    effect=now("draft_record", title="草稿记录（改）"))),
    ("cadres:record_submit", "draft_record", "post", "write_obj", Ok(effect=now("draft_record", status="submitted"))),
    ("cadres:record_withdraw", "record", "post", "withdraw_obj", Ok(effect=now("record", status="draft"))),
    ("cadres:record_delete", "draft_record", "post", "write_obj", Ok(effect=gone("draft_record"))),
    ("cadres:record_amend", "record", "post", "write_obj", Ok(  # a verified record is amended
        prepare=_verified, effect=exists(PerformanceRecord, amends=pk("record"), status="draft"))),
    ("cadres:evidence_upload", "draft_record", "post", "write_obj", Ok(
        data=lambda o: {"files": [SimpleUploadedFile("通报.pdf", PDF)]},
        effect=lambda o, r: o["draft_record"].evidence.count() == 2)),
    ("cadres:evidence_download", "evidence", "get", "view_obj"),
    ("cadres:evidence_preview", "evidence", "get", "view_obj"),
    ("cadres:evidence_delete", "evidence", "post", "write_obj", Ok(effect=gone("evidence"))),
]
