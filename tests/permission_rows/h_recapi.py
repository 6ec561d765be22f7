"""Permission-matrix rows of the performance archive API (records, their workflow actions, evidence,
task categories, notifications); see tests/test_permission_matrix.py.

``record-withdraw`` runs on both records. On the fixture's submitted record (submitted by org staff)
``api_withdraw_obj``: org staff withdraw it, the unit leader of its unit is refused with 403 "only
the submitter may withdraw", other units' leaders get 404, auditors 403 (and the matrix checks that
only org staff's request changed it). On the draft every allowed role gets the illegal-transition
400, out-of-scope leaders 404 and auditors 403."""
from django.core.files.uploadedfile import SimpleUploadedFile

from cadres.models import PerformanceRecord
from pingdingshan.core.services import notify

from . import Ok, exists, gone, now, pk, unread_none
from .h_recpages import PDF, RECORD, _verified

API = [
    ("record-list", None, "get", "api_list"),
    ("record-list", None, "post", "api_create", Ok(
        data=lambda o: {**RECORD, "cadre": o["cadre"].pk, "category": o["category"].pk},
        effect=exists(PerformanceRecord, cadre=pk("cadre"), title=RECORD["title"], status="draft"))),
    ("record-detail", "record", "get", "api_obj"),
    ("record-detail", "draft_record", "get", "api_obj"),
    ("record-detail", "draft_record", "patch", "api_write_obj", Ok(data={"title": "草稿记录（改）"},
                                                                    effect=now("draft_record", title="草稿记录（改）"))),
    ("record-detail", "draft_record", "delete", "api_write_obj", Ok(effect=gone("draft_record"))),
    ("record-submit", "draft_record", "post", "api_write_obj", Ok(effect=now("draft_record", status="submitted"))),
    ("record-withdraw", "draft_record", "post", "api_write_obj", Ok(  # an illegal step, refused and nothing changed
        status=400, refusal="不能撤回", effect=now("draft_record", status="draft"))),
    ("record-withdraw", "record", "post", "api_withdraw_obj", Ok(effect=now("record", status="draft"))),
    ("record-amend", "record", "post", "api_write_obj", Ok(
        prepare=_verified, status=201, effect=exists(PerformanceRecord, amends=pk("record"), status="draft"))),
    ("record-verify", "record", "post", "api_verify_obj", Ok(effect=now("record", status="verified"))),
    ("record-return", "record", "post", "api_verify_obj", Ok(data={"reason": "缺少佐证材料"},
                                                             effect=now("record", status="returned"))),
    ("record-bulk-verify", None, "post", "api_verify_obj", Ok(data=lambda o: {"ids": [o["record"].pk]},
                                                              effect=now("record", status="verified"))),
    ("record-evidence", "draft_record", "get", "api_obj"),
    ("record-evidence", "draft_record", "post", "api_write_obj", Ok(
        multipart=True, data=lambda o: {"file": SimpleUploadedFile("通报.pdf", PDF)}, status=201,
        effect=lambda o, r: o["draft_record"].evidence.count() == 2)),
    ("evidence-detail", "evidence", "get", "api_obj"),
    ("evidence-detail", "evidence", "delete", "api_write_obj", Ok(effect=gone("evidence"))),
    ("evidence-download", "evidence", "get", "api_obj"),
    ("task-category-list", None, "get", "api_list"),
    ("task-category-detail", "category", "get", "api_ref"),
    ("notification-list", None, "get", "api_own"),
    ("notification-read-all", None, "post", "api_own", Ok(prepare=lambda o, u: u and notify(user=u, message="新通知"),
                                                          effect=unread_none)),
]
