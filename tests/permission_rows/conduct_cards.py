"""Permission-matrix rows of warning cards, their reasons and the adjustments (pages and API); see
tests/test_permission_matrix.py. The world gets, for each variant's cadre: an issued yellow card
(``card``, with a PDF ``card_evidence``), a proposed one (``proposed_card``, with
``draft_card_evidence``: unit leaders never see it, 404) and an issued red card whose pending
``adjustment`` ends the cadre's ``appointment`` when recorded. Every step is org staff's
(``verify``-like kinds: everyone else 403) except the appeal, which the cadre's unit leader files
(``write_obj``: other units' leaders 404, auditors 403)."""
import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from assessment.models import Adjustment, CardReason, WarningCard

from . import Ok, exists, gone, now, pk

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
GLOBAL = ("card_reason",)


def world(variant, o, by):
    from assessment.services import cards as svc
    from pingdingshan.core.dates import today

    reason = CardReason.objects.get(name="推诿扯皮")
    start = today() - dt.timedelta(days=10)

    def card(color="yellow", facts="推诿扯皮，群众反映强烈。"):
        return svc.card_create(by=by, cadre=o["cadre"], color=color, reason=reason, facts=facts,
                               issuing_body="市委组织部", start_date=start)

    issued = svc.card_issue(by=by, card=card(), reason="经核实")
    proposed = card(facts="拟发的红黄牌")
    red = svc.card_issue(by=by, card=card("red", "重大任务落实不力"), reason="经核实")
    return {
        "card": issued, "proposed_card": proposed, "red_card": red, "card_reason": reason,
        "adjustment": Adjustment.objects.get(card=red),
        "card_evidence": svc.card_evidence_add(by=by, card=issued, upload=SimpleUploadedFile("谈话记录.pdf", PDF)),
        "draft_card_evidence": svc.card_evidence_add(by=by, card=proposed, upload=SimpleUploadedFile("材料.pdf", PDF)),
    }


def _appealed(o, user):
    WarningCard.objects.filter(pk=o["card"].pk).update(status="appealed")


def _today():
    from pingdingshan.core.dates import today

    return today().isoformat()


NEW_CARD = {"color": "yellow", "facts": "工作推进缓慢", "issuing_body": "市委组织部", "start_date": "2026-01-05"}
PAGES = [
    ("assessment:card_reason_list", None, "get", "view"),
    ("assessment:card_reason_create", None, "get", "verify"),
    ("assessment:card_reason_create", None, "post", "verify", Ok(
        data={"name": "敷衍塞责", "yellow_months": 4, "red_months": 8, "order": 9, "is_active": "on"},
        effect=exists(CardReason, name="敷衍塞责", red_months=8))),
    ("assessment:card_reason_edit", "card_reason", "get", "verify"),
    ("assessment:card_reason_edit", "card_reason", "post", "verify", Ok(
        form=True, data={"red_months": 9}, effect=now("card_reason", red_months=9))),
    ("assessment:card_list", None, "get", "view"),
    ("assessment:card_export", None, "get", "view"),
    ("assessment:card_create", None, "get", "verify"),
    ("assessment:card_create", None, "post", "verify", Ok(
        data=lambda o: {**NEW_CARD, "cadre": o["cadre"].pk, "reason": o["card_reason"].pk},
        effect=exists(WarningCard, cadre=pk("cadre"), facts="工作推进缓慢", status="proposed"))),
    ("assessment:card_detail", "card", "get", "view_obj"),
    ("assessment:card_detail", "proposed_card", "get", "staff_obj"),
    ("assessment:card_edit", "proposed_card", "get", "verify_obj"),
    ("assessment:card_edit", "proposed_card", "post", "verify_obj", Ok(
        form=True, data={"facts": "拟发（改）"}, effect=now("proposed_card", facts="拟发（改）"))),
    ("assessment:card_issue", "proposed_card", "post", "verify_obj", Ok(
        data={"issue-reason": "经核实"}, effect=now("proposed_card", status="issued"))),
    ("assessment:card_appeal", "card", "post", "write_obj", Ok(
        data={"appeal-grounds": "事出有因，已整改"}, effect=now("card", status="appealed"))),
    ("assessment:card_uphold", "card", "post", "verify_obj", Ok(
        prepare=_appealed, data={"uphold-reason": "申诉理由不成立"}, effect=now("card", status="upheld"))),
    ("assessment:card_revoke", "card", "post", "verify_obj", Ok(
        data={"revoke-reason": "经复查撤销"}, effect=now("card", status="revoked"))),
    ("assessment:card_lift", "card", "post", "verify_obj", Ok(
        data={"lift-reason": "整改到位"}, effect=now("card", status="lifted"))),
    ("assessment:card_evidence_upload", "card", "post", "verify_obj", Ok(
        data=lambda o: {"files": [SimpleUploadedFile("通报.pdf", PDF)]},
        effect=lambda o, r: o["card"].evidence.count() == 2)),
    ("assessment:card_evidence_download", "card_evidence", "get", "view_obj"),
    ("assessment:card_evidence_preview", "card_evidence", "get", "view_obj"),
    ("assessment:card_evidence_delete", "draft_card_evidence", "post", "verify_obj", Ok(
        effect=gone("draft_card_evidence"))),
    ("assessment:adjustment_list", None, "get", "view"),
    ("assessment:adjustment_export", None, "get", "view"),
    ("assessment:adjustment_detail", "adjustment", "get", "view_obj"),
    ("assessment:adjustment_record", "adjustment", "get", "verify_obj"),
    ("assessment:adjustment_record", "adjustment", "post", "verify_obj", Ok(
        data=lambda o: {"kind": "dismiss", "decided_on": _today(), "end_appointment": o["appointment"].pk,
                        "document_no": "平组干〔2026〕3号"},
        effect=now("adjustment", status="done"))),
]

API = [
    ("card-reason-list", None, "get", "api_list"),
    ("card-reason-list", None, "post", "api_assess", Ok(
        data={"name": "敷衍塞责", "yellow_months": 4, "red_months": 8}, effect=exists(CardReason, name="敷衍塞责"))),
    ("card-reason-detail", "card_reason", "get", "api_ref"),
    ("card-reason-detail", "card_reason", "patch", "api_assess", Ok(
        data={"red_months": 9}, effect=now("card_reason", red_months=9))),
    ("card-list", None, "get", "api_list"),
    ("card-list", None, "post", "api_assess", Ok(
        data=lambda o: {**NEW_CARD, "cadre": o["cadre"].pk, "reason": o["card_reason"].pk},
        effect=exists(WarningCard, cadre=pk("cadre"), facts="工作推进缓慢"))),
    ("card-detail", "card", "get", "api_obj"),
    ("card-detail", "proposed_card", "get", "api_staff_obj"),
    ("card-detail", "proposed_card", "patch", "api_verify_obj", Ok(
        data={"facts": "拟发（改）"}, effect=now("proposed_card", facts="拟发（改）"))),
    ("card-issue", "proposed_card", "post", "api_verify_obj", Ok(
        data={"reason": "经核实"}, effect=now("proposed_card", status="issued"))),
    ("card-appeal", "card", "post", "api_write_obj", Ok(
        data={"grounds": "事出有因"}, effect=now("card", status="appealed"))),
    ("card-uphold", "card", "post", "api_verify_obj", Ok(
        prepare=_appealed, data={"reason": "申诉理由不成立"}, effect=now("card", status="upheld"))),
    ("card-revoke", "card", "post", "api_verify_obj", Ok(
        data={"reason": "经复查撤销"}, effect=now("card", status="revoked"))),
    ("card-lift", "card", "post", "api_verify_obj", Ok(
        data={"reason": "整改到位"}, effect=now("card", status="lifted"))),
    ("card-evidence", "card", "get", "api_obj"),
    ("card-evidence", "card", "post", "api_verify_obj", Ok(
        multipart=True, data=lambda o: {"file": SimpleUploadedFile("通报.pdf", PDF)}, status=201,
        effect=lambda o, r: o["card"].evidence.count() == 2)),
    ("card-evidence-detail", "card_evidence", "get", "api_obj"),
    ("card-evidence-detail", "draft_card_evidence", "delete", "api_verify_obj", Ok(effect=gone("draft_card_evidence"))),
    ("card-evidence-download", "card_evidence", "get", "api_obj"),
    ("adjustment-list", None, "get", "api_list"),
    ("adjustment-detail", "adjustment", "get", "api_obj"),
    ("adjustment-record", "adjustment", "post", "api_verify_obj", Ok(
        data=lambda o: {"kind": "dismiss", "decided_on": _today(), "end_appointment": o["appointment"].pk},
        effect=now("adjustment", status="done"))),
]

OWN, OTHER = ("own", "unit"), ("other", "unit")
FILTERS = [
    ("assessment:card_list", None, "unit", OWN, OTHER),
    ("assessment:card_list", None, "cadre", ("own", "cadre"), ("other", "cadre")),
    ("assessment:card_export", None, "unit", OWN, OTHER),
    ("assessment:adjustment_list", None, "unit", OWN, OTHER),
    ("card-list", None, "unit", OWN, OTHER),
    ("card-list", None, "cadre", ("own", "cadre"), ("other", "cadre")),
    ("adjustment-list", None, "unit", OWN, OTHER),
]
