"""Permission-matrix rows of the selection record (选任纪实), pages and API; see
tests/test_permission_matrix.py. Each variant's unit gets records at every step (driven by org staff
from a day long past, tests/promotion/selection_flow.py): ``sel_motion`` (with two posts, so one may
be removed), ``sel_recommend``, ``sel_shortlist``, ``sel_inspect``, ``sel_decide``, ``sel_notice``,
``sel_noticed`` (the notice period over, its result not recorded), ``sel_ready`` (result recorded),
``sel_probation`` (probation over, outcome not recorded), a candidate without ballots and a document.
Reading is everyone's in scope (unit leaders 404 outside their units); every action is org staff's
(gate action ``reserve``: the ``discipline`` kinds, 403 for everyone else before any lookup) except
民主推荐, which unit leaders record on their units' records too (gate action ``recommend``: the
``write_obj`` kinds, 404 outside their units, 403 for auditors). Deleting a document is org staff's
while the record is open."""
import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from promotion.models import Selection, SelectionCandidate, SelectionDocument

from . import Ok, exists, gone, now

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
STEPS = ("motion", "recommend", "shortlist", "inspect", "decide", "notice", "notice_result", "appoint")


def world(variant, o, by):
    from pingdingshan.core.dates import today
    from promotion.services import selection as svc
    from tests.factories import CadreFactory, PostFactory
    from tests.promotion.selection_flow import drive

    base = today() - dt.timedelta(days=800)
    out = {}
    for key, upto in (("sel_motion", "create"), ("sel_recommend", "motion"), ("sel_shortlist", "recommend"),
                      ("sel_inspect", "shortlist"), ("sel_decide", "inspect"), ("sel_notice", "decide"),
                      ("sel_noticed", "notice"), ("sel_ready", "notice_result"), ("sel_probation", "appoint")):
        post = PostFactory(unit=o["unit"], name=f"选任岗{variant}{key}", quota=2)
        cadres = [CadreFactory(unit=o["unit"], name=f"人选{variant}{key}{i}") for i in range(2)]
        out[key] = drive(by, unit=o["unit"], post=post, cadres=cadres, upto=upto, base=base,
                         title=f"{o['unit'].name}{key}")
    second = svc.selection_post_add(by=by, selection=out["sel_motion"],
                                    post=PostFactory(unit=o["unit"], name=f"第二岗{variant}", quota=1))
    out["sel_post"] = second
    out["sel_candidate"] = SelectionCandidate.objects.filter(selection=out["sel_motion"]).first()
    out["sel_spare_cadre"] = CadreFactory(unit=o["unit"], name=f"可加人选{variant}")
    out["sel_spare_post"] = PostFactory(unit=o["unit"], name=f"可加岗{variant}", quota=1)
    out["sel_document"] = svc.selection_document_add(by=by, selection=out["sel_motion"], step="motion",
                                                     upload=SimpleUploadedFile("纪要.pdf", PDF))
    return out


def _day(n=0):
    from pingdingshan.core.dates import today

    return (today() - dt.timedelta(days=800 - n)).isoformat()


def _first(o, key):
    return SelectionCandidate.objects.filter(selection=o[key]).order_by("order", "id").first()


def _step_data(o, action):
    """What a successful POST of ``action`` sends for the variant's record of that step (form fields)."""
    if action == "motion":
        return {"motion_how": "专题会议", "motion_on": _day(0)}
    if action == "recommend":
        cs = SelectionCandidate.objects.filter(selection=o["sel_recommend"]).order_by("order", "id")
        return {"method": "talk", "held_on": _day(1), "expected": 30, "actual": 30,
                **{f"c{c.pk}_votes": 20 - i for i, c in enumerate(cs)}}
    if action == "shortlist":
        return {"shortlist_how": "部务会", "shortlist_on": _day(2), f"c{_first(o, 'sel_shortlist').pk}_shortlisted": "on"}
    if action == "inspect":
        from promotion.models import FileItem

        c = _first(o, "sel_inspect").pk
        data = {"team": "考察组", "start": _day(3), "end": _day(8), "talks": 20, "report": "报告",
                f"c{c}_eval_excellent": 30, f"c{c}_eval_competent": 2, f"c{c}_eval_basic": 0,
                f"c{c}_eval_incompetent": 0, f"c{c}_letter_no": "函1", f"c{c}_letter_sent_on": _day(4),
                f"c{c}_letter_reply": "无", f"c{c}_letter_affects": "0", f"c{c}_matters": "truthful",
                f"c{c}_inspect_report": "材料"}
        for item in FileItem:
            data[f"c{c}_f_{item.value}_verified"] = data[f"c{c}_f_{item.value}_recorded"] = "同"
        return data
    if action in ("decide", "postpone"):
        data = {"meeting": "常委会", "held_on": _day(9), "expected": 9, "present": 9}
        if action == "postpone":
            return {**data, "reason": "待核实"}
        return {**data, f"c{_first(o, 'sel_decide').pk}_for": 7}
    if action == "notice":
        return {"start": _day(10), "end": _day(24)}
    if action == "notice_result":
        return {"reports": 0}
    if action == "appoint":
        c = _first(o, "sel_ready").pk
        return {f"c{c}_start_date": _day(25), f"c{c}_document_no": "宝组〔2024〕2号", f"c{c}_talk_on": _day(25),
                f"c{c}_talk_by": "部长"}
    if action == "probation":
        c = _first(o, "sel_probation")
        return {"candidate": c.pk, "outcome": "confirmed", "decided_on": (c.probation_end + dt.timedelta(days=1)).isoformat()}
    return {"reason": "岗位撤并"}  # stop


STEP_OBJECT = {"motion": "sel_motion", "recommend": "sel_recommend", "shortlist": "sel_shortlist",
               "inspect": "sel_inspect", "decide": "sel_decide", "postpone": "sel_decide", "notice": "sel_notice",
               "notice_result": "sel_noticed", "appoint": "sel_ready", "probation": "sel_probation",
               "stop": "sel_motion"}
STEP_EFFECT = {
    "motion": now("sel_motion", status="recommend"), "recommend": now("sel_recommend", status="shortlist"),
    "shortlist": now("sel_shortlist", status="inspect"), "inspect": now("sel_inspect", status="decide"),
    "decide": now("sel_decide", status="notice"),
    "postpone": lambda o, r: o["sel_decide"].decisions.filter(outcome="postponed").exists(),
    "notice": now("sel_notice", status="appoint"),
    "notice_result": lambda o, r: Selection.objects.get(pk=o["sel_noticed"].pk).notice_result_at is not None,
    "appoint": lambda o, r: Selection.objects.get(pk=o["sel_ready"].pk).status in ("probation", "done"),
    "probation": now("sel_probation", status="done"), "stop": now("sel_motion", status="stopped"),
}

NEW = {"title": "新纪实", "kind": "individual", "planned": 1}
PAGES = [
    ("promotion:selection_list", None, "get", "view"),
    ("promotion:selection_export", None, "get", "view"),
    ("promotion:selection_create", None, "get", "discipline"),
    ("promotion:selection_create", None, "post", "discipline", Ok(
        data=lambda o: {**NEW, "unit": o["unit"].pk, "post": o["sel_spare_post"].pk},
        effect=exists(Selection, title="新纪实"))),
    ("promotion:selection_detail", "sel_motion", "get", "view_obj"),
    ("promotion:selection_detail", "sel_probation", "get", "view_obj"),
    ("promotion:selection_edit", "sel_motion", "get", "discipline"),
    ("promotion:selection_edit", "sel_motion", "post", "discipline", Ok(
        form=True, data={"title": "改名的纪实"}, effect=now("sel_motion", title="改名的纪实"))),
    ("promotion:selection_post_add", "sel_motion", "get", "discipline"),
    ("promotion:selection_post_add", "sel_motion", "post", "discipline", Ok(
        data=lambda o: {"post": o["sel_spare_post"].pk, "planned": 1},
        effect=lambda o, r: o["sel_motion"].posts.filter(post=o["sel_spare_post"]).exists())),
    ("promotion:selection_post_remove", "sel_post", "post", "discipline", Ok(effect=gone("sel_post"))),
    ("promotion:selection_candidate_add", "sel_motion", "get", "discipline"),
    ("promotion:selection_candidate_add", "sel_motion", "post", "discipline", Ok(
        data=lambda o: {"cadre": o["sel_spare_cadre"].pk, "target": o["sel_motion"].posts.order_by("id").first().pk},
        effect=lambda o, r: o["sel_motion"].candidates.filter(cadre=o["sel_spare_cadre"]).exists())),
    ("promotion:selection_candidate_remove", "sel_candidate", "post", "discipline", Ok(effect=gone("sel_candidate"))),
    ("promotion:selection_document_upload", "sel_motion", "post", "discipline", Ok(
        data=lambda o: {"step": "motion", "title": "分析研判材料", "files": [SimpleUploadedFile("研判.pdf", PDF)]},
        effect=exists(SelectionDocument, title="分析研判材料"))),
    ("promotion:selection_document_download", "sel_document", "get", "view_obj"),
    ("promotion:selection_document_delete", "sel_document", "post", "discipline", Ok(effect=gone("sel_document"))),
    ("promotion:selection_document_preview", "sel_document", "get", "view_obj"),
]
# The kind of each step's rows: the gate action the service table names (民主推荐: the unit's leaders too).
STEP_KIND = {a: ("write_obj" if a == "recommend" else "discipline") for a in STEP_OBJECT}
for _action, _obj in STEP_OBJECT.items():
    PAGES.append((f"promotion:selection_{_action}", _obj, "get", STEP_KIND[_action]))
    PAGES.append((f"promotion:selection_{_action}", _obj, "post", STEP_KIND[_action], Ok(
        data=lambda o, a=_action: _step_data(o, a), effect=STEP_EFFECT[_action])))


def _api_step(o, action):
    """The API body of ``action`` (nested lists instead of the form's per-candidate fields)."""
    if action == "motion":
        return {"motion_how": "专题会议", "motion_on": _day(0)}
    if action == "recommend":
        cs = SelectionCandidate.objects.filter(selection=o["sel_recommend"]).order_by("order", "id")
        return {"method": "talk", "held_on": _day(1), "expected": 30, "actual": 30,
                "ballots": [{"candidate": c.pk, "votes": 20 - i} for i, c in enumerate(cs)]}
    if action == "shortlist":
        return {"shortlist_how": "部务会", "shortlist_on": _day(2),
                "choices": [{"candidate": _first(o, "sel_shortlist").pk, "shortlisted": True}]}
    if action == "inspect":
        from promotion.models import FileItem

        return {"team": "考察组", "start": _day(3), "end": _day(8), "talks": 20, "report": "报告", "candidates": [{
            "candidate": _first(o, "sel_inspect").pk, "eval_excellent": 30, "eval_competent": 2, "eval_basic": 0,
            "eval_incompetent": 0, "letter_no": "函1", "letter_sent_on": _day(4), "letter_reply": "无",
            "letter_affects": False, "matters": "truthful", "inspect_report": "材料",
            "files": [{"item": i.value, "recorded": "同", "verified": "同"} for i in FileItem]}]}
    if action == "decide":
        return {"meeting": "常委会", "held_on": _day(9), "expected": 9, "present": 9,
                "votes": [{"candidate": _first(o, "sel_decide").pk, "votes_for": 7}]}
    if action == "notice_result":
        return {"reports": 0}
    if action == "appoint":
        return {"appointments": [{"candidate": _first(o, "sel_ready").pk, "start_date": _day(25),
                                  "document_no": "宝组〔2024〕2号", "talk_on": _day(25), "talk_by": "部长"}]}
    return _step_data(o, action)


API = [
    ("selection-list", None, "get", "api_list"),
    ("selection-list", None, "post", "api_discipline", Ok(
        data=lambda o: {**NEW, "unit": o["unit"].pk, "post": o["sel_spare_post"].pk},
        effect=exists(Selection, title="新纪实"))),
    ("selection-detail", "sel_inspect", "get", "api_obj"),
    ("selection-candidates", "sel_motion", "post", "api_discipline", Ok(
        data=lambda o: {"cadre": o["sel_spare_cadre"].pk, "target": o["sel_motion"].posts.order_by("id").first().pk},
        effect=lambda o, r: o["sel_motion"].candidates.filter(cadre=o["sel_spare_cadre"]).exists())),
    ("selection-documents", "sel_motion", "get", "api_obj"),
    ("selection-documents", "sel_motion", "post", "api_discipline", Ok(
        multipart=True, status=201,
        data=lambda o: {"step": "motion", "title": "分析研判材料", "file": SimpleUploadedFile("研判.pdf", PDF)},
        effect=exists(SelectionDocument, title="分析研判材料"))),
    ("selection-document-detail", "sel_document", "get", "api_obj"),
    ("selection-document-download", "sel_document", "get", "api_obj"),
    ("selection-document-detail", "sel_document", "delete", "api_discipline", Ok(effect=gone("sel_document"))),
]
for _action, _obj in STEP_OBJECT.items():
    API.append((f"selection-{_action.replace('_', '-')}", _obj, "post", f"api_{STEP_KIND[_action]}", Ok(
        data=lambda o, a=_action: _api_step(o, a), effect=STEP_EFFECT[_action])))

OWN, OTHER = ("own", "unit"), ("other", "unit")
FILTERS = [
    ("promotion:selection_list", None, "unit", OWN, OTHER),
    ("promotion:selection_export", None, "unit", OWN, OTHER),
    ("selection-list", None, "unit", OWN, OTHER),
]
