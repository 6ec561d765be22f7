"""Permission-matrix rows of protection (容错裁定, 风险报备, 澄清正名), pages and API; see
tests/test_permission_matrix.py.

Objects per variant (``objects`` below, built by org staff): ``ruling`` (an application, 申请, for
the variant's cadre), ``ruling_evidence`` (a PDF on it), ``filing`` (a risk filing of the
variant's unit) and ``clarification`` (a malicious report, 待移交查处). The steps are org staff's
(``verify_obj`` / ``api_verify_obj``: everyone else 403); a step row's ``prepare`` first brings
the ruling to the state the step starts from. Unit leaders apply, file and upload (``create``,
``write_obj``); clarifications are recorded by org staff only."""
from django.core.files.uploadedfile import SimpleUploadedFile

from assessment.models import Clarification, RiskFiling, ToleranceRuling

from . import Ok, exists, gone, now, pk

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CRITERIA = {"unforeseen": "true", "unforeseen_facts": "探索中的失误", "public_gain": "true", "public_gain_facts": "为公",
            "inexperience": "true", "inexperience_facts": "经验不足", "procedure_followed": "true",
            "procedure_facts": "经集体研究", "remedied": "true", "remedied_facts": "已挽回"}
API_CRITERIA = {k: (v == "true" if v in ("true", "false") else v) for k, v in CRITERIA.items()}


def _today():
    from pingdingshan.core.dates import today

    return today()


def world(variant, o, by):
    cadre, unit = o["cadre"], o["unit"]
    from assessment.services import protection as svc

    ruling = svc.ruling_apply(by=by, cadre=cadre, applicant="unit", matter=f"矩阵事项{variant}", loss="损失",
                              conduct="表现")
    evidence = svc.ruling_evidence_add(by=by, ruling=ruling, upload=SimpleUploadedFile("说明.pdf", PDF))
    filing = svc.filing_create(by=by, unit=unit, cadre=cadre, matter=f"矩阵报备{variant}", risk="风险", measures="措施",
                               filed_on=_today())
    clarification = svc.clarification_create(by=by, cadre=cadre, source="investigator", report="反映问题",
                                             finding="经查不实", method="meeting", venue="干部大会",
                                             cleared_on=_today(), malicious=True)
    return {"ruling": ruling, "ruling_evidence": evidence, "filing": filing, "clarification": clarification,
            "conduct_staff": by}


def _advance(state):
    """prepare: the variant's ruling brought to ``state`` by org staff."""
    def prepare(o, user):
        from assessment.services import protection as svc

        staff, r = o["conduct_staff"], ToleranceRuling.objects.get(pk=o["ruling"].pk)
        order = ["accepted", "verified", "decided"]
        for step in order[:order.index(state) + 1]:
            if step == "accepted":
                r = svc.ruling_accept(by=staff, ruling=r, reason="受理")
            elif step == "verified":
                r = svc.ruling_verify(by=staff, ruling=r, reason="核实", **API_CRITERIA)
            else:
                r = svc.ruling_decide(by=staff, ruling=r, review_date=_today(), review_members="纪委、组织部",
                                      decision="full", decision_reason="符合容错情形", waive_assessment=True)
    return prepare


def _decide_data(o):
    return {"review_date": _today().isoformat(), "review_members": "纪委、组织部", "decision": "full",
            "decision_reason": "符合容错情形", "waive_pool": "on"}


APPLY = {"applicant": "unit", "matter": "矩阵申请", "loss": "损失", "conduct": "表现"}
FILE = {"matter": "矩阵新报备", "risk": "风险", "measures": "措施"}
CLARIFY = {"source": "application", "report": "反映问题", "finding": "经查不实", "method": "written", "venue": "书面",
           "malicious": "on"}

PAGES = [
    ("assessment:ruling_list", None, "get", "view"),
    ("assessment:ruling_export", None, "get", "view"),
    ("assessment:ruling_create", None, "get", "create"),
    ("assessment:ruling_create", None, "post", "create", Ok(
        data=lambda o: {**APPLY, "cadre": o["cadre"].pk},
        effect=exists(ToleranceRuling, cadre=pk("cadre"), matter="矩阵申请"))),
    ("assessment:ruling_detail", "ruling", "get", "view_obj"),
    ("assessment:ruling_accept", "ruling", "post", "verify_obj", Ok(
        data={"accept-reason": "受理"}, effect=now("ruling", status="accepted"))),
    ("assessment:ruling_reject", "ruling", "post", "verify_obj", Ok(
        data={"reject-reason": "不属于容错情形"}, effect=now("ruling", status="rejected"))),
    ("assessment:ruling_verify", "ruling", "get", "verify_obj", Ok(prepare=_advance("accepted"))),
    ("assessment:ruling_verify", "ruling", "post", "verify_obj", Ok(
        prepare=_advance("accepted"), data={**CRITERIA, "reason": "核实属实"}, effect=now("ruling", status="verified"))),
    ("assessment:ruling_decide", "ruling", "get", "verify_obj", Ok(prepare=_advance("verified"))),
    ("assessment:ruling_decide", "ruling", "post", "verify_obj", Ok(
        prepare=_advance("verified"), data=_decide_data, effect=now("ruling", status="decided", waive_pool=True))),
    ("assessment:ruling_report", "ruling", "get", "verify_obj", Ok(prepare=_advance("decided"))),
    ("assessment:ruling_report", "ruling", "post", "verify_obj", Ok(
        prepare=_advance("decided"), data=lambda o: {"reported_on": _today().isoformat(), "reported_to": "市纪委"},
        effect=now("ruling", status="reported"))),
    ("assessment:ruling_evidence_upload", "ruling", "post", "write_obj", Ok(
        data=lambda o: {"files": SimpleUploadedFile("补充.pdf", PDF)},
        effect=lambda o, r: o["ruling"].evidence.count() == 2)),
    ("assessment:ruling_evidence_download", "ruling_evidence", "get", "view_obj"),
    ("assessment:ruling_evidence_preview", "ruling_evidence", "get", "view_obj"),
    ("assessment:ruling_evidence_delete", "ruling_evidence", "post", "write_obj", Ok(effect=gone("ruling_evidence"))),
    ("assessment:filing_list", None, "get", "view"),
    ("assessment:filing_export", None, "get", "view"),
    ("assessment:filing_create", None, "get", "create"),
    ("assessment:filing_create", None, "post", "create", Ok(
        data=lambda o: {**FILE, "unit": o["unit"].pk, "filed_on": _today().isoformat()},
        effect=exists(RiskFiling, unit=pk("unit"), matter="矩阵新报备"))),
    ("assessment:filing_detail", "filing", "get", "view_obj"),
    ("assessment:filing_acknowledge", "filing", "post", "verify_obj", Ok(
        data={"reason": "备案"}, effect=now("filing", status="acknowledged"))),
    ("assessment:clarification_list", None, "get", "view"),
    ("assessment:clarification_export", None, "get", "view"),
    ("assessment:clarification_create", None, "get", "verify"),
    ("assessment:clarification_create", None, "post", "verify", Ok(
        data=lambda o: {**CLARIFY, "cadre": o["cadre"].pk, "cleared_on": _today().isoformat()},
        effect=exists(Clarification, cadre=pk("cadre"), source="application"))),
    ("assessment:clarification_detail", "clarification", "get", "view_obj"),
    ("assessment:clarification_follow_up", "clarification", "post", "verify_obj", Ok(
        data={"note": "已移交县纪委"}, effect=now("clarification", follow_up="done"))),
]

API = [
    ("tolerance-ruling-list", None, "get", "api_list"),
    ("tolerance-ruling-list", None, "post", "api_create", Ok(
        data=lambda o: {**APPLY, "cadre": o["cadre"].pk},
        effect=exists(ToleranceRuling, cadre=pk("cadre"), matter="矩阵申请"))),
    ("tolerance-ruling-detail", "ruling", "get", "api_obj"),
    ("tolerance-ruling-accept", "ruling", "post", "api_verify_obj", Ok(
        data={"reason": "受理"}, effect=now("ruling", status="accepted"))),
    ("tolerance-ruling-reject", "ruling", "post", "api_verify_obj", Ok(
        data={"reason": "不属于容错情形"}, effect=now("ruling", status="rejected"))),
    ("tolerance-ruling-verify", "ruling", "post", "api_verify_obj", Ok(
        prepare=_advance("accepted"), data={**API_CRITERIA, "reason": "核实"}, effect=now("ruling", status="verified"))),
    ("tolerance-ruling-decide", "ruling", "post", "api_verify_obj", Ok(
        prepare=_advance("verified"), data=lambda o: {"review_date": _today().isoformat(), "review_members": "纪委",
                                                      "decision": "partial", "decision_reason": "部分容错",
                                                      "waive_awards": True},
        effect=now("ruling", status="decided", decision="partial"))),
    ("tolerance-ruling-report", "ruling", "post", "api_verify_obj", Ok(
        prepare=_advance("decided"), data=lambda o: {"reported_on": _today().isoformat(), "reported_to": "市纪委"},
        effect=now("ruling", status="reported"))),
    ("tolerance-ruling-evidence", "ruling", "get", "api_obj"),
    ("tolerance-ruling-evidence", "ruling", "post", "api_write_obj", Ok(
        multipart=True, data=lambda o: {"file": SimpleUploadedFile("补充.pdf", PDF)}, status=201,
        effect=lambda o, r: o["ruling"].evidence.count() == 2)),
    ("ruling-evidence-detail", "ruling_evidence", "get", "api_obj"),
    ("ruling-evidence-detail", "ruling_evidence", "delete", "api_write_obj", Ok(effect=gone("ruling_evidence"))),
    ("ruling-evidence-download", "ruling_evidence", "get", "api_obj"),
    ("risk-filing-list", None, "get", "api_list"),
    ("risk-filing-list", None, "post", "api_create", Ok(
        data=lambda o: {**FILE, "unit": o["unit"].pk, "filed_on": _today().isoformat()},
        effect=exists(RiskFiling, unit=pk("unit"), matter="矩阵新报备"))),
    ("risk-filing-detail", "filing", "get", "api_obj"),
    ("risk-filing-acknowledge", "filing", "post", "api_verify_obj", Ok(
        data={"reason": "备案"}, effect=now("filing", status="acknowledged"))),
    ("clarification-list", None, "get", "api_list"),
    ("clarification-list", None, "post", "api_verify_obj", Ok(
        data=lambda o: {**CLARIFY, "malicious": True, "cadre": o["cadre"].pk, "cleared_on": _today().isoformat()},
        status=201, effect=exists(Clarification, cadre=pk("cadre"), source="application"))),
    ("clarification-detail", "clarification", "get", "api_obj"),
    ("clarification-follow-up", "clarification", "post", "api_verify_obj", Ok(
        data={"note": "已移交县纪委"}, effect=now("clarification", follow_up="done"))),
]

# Unit filters pointing at another unit answer like a missing id (test_filter_out_of_scope_answers_like_missing).
OWN_UNIT, OTHER_UNIT = ("own", "unit"), ("other", "unit")
FILTERS = [
    (name, None, "unit", OWN_UNIT, OTHER_UNIT)
    for name in ("assessment:ruling_list", "assessment:ruling_export", "assessment:filing_list",
                 "assessment:filing_export", "assessment:clarification_list", "assessment:clarification_export",
                 "tolerance-ruling-list", "risk-filing-list", "clarification-list")
]
