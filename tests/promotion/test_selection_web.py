"""Selection record pages and API: the list with its filters, export and constant query count, the
create form, the record page (timeline, what is missing, documents), every step's form with its
errors next to the fields, and the API's step actions with the one error shape."""
import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from cadres.models import Appointment, Cadre, Post
from cadres.services import roster
from pingdingshan.core.dates import today
from promotion.models import FileItem, Selection, SelectionCandidate
from promotion.services import selection as svc
from tests.conftest import make_people, make_tree, rolled_back
from tests.factories import CadreFactory, PostFactory

U = get_user_model()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
BASE = today() - dt.timedelta(days=300)


def day(n):
    return (BASE + dt.timedelta(days=n)).isoformat()


def _build():
    tree = make_tree()
    people = make_people(tree)
    post = PostFactory(unit=tree.town_a, name="副镇长", quota=2)
    other_post = PostFactory(unit=tree.town_b, name="副主任", quota=2)
    holder = CadreFactory(unit=tree.town_a, name="在任甲")
    roster.appointment_create(by=people.org_staff, cadre=holder, post=post, start_date=dt.date(2019, 1, 1))
    cands = [CadreFactory(unit=tree.town_a, name=n) for n in ("候选甲", "候选乙")]
    return dict(org=people.org_staff.pk, leader=people.leader.pk, auditor=people.auditor.pk, post=post.pk,
                other_post=other_post.pk, cands=[c.pk for c in cands], town_a=tree.town_a.pk, town_b=tree.town_b.pk)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with rolled_back(django_db_blocker, _build) as w:
        yield w


@pytest.fixture
def w(world, db, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return world


def _login(client, w, role):
    client.force_login(U.objects.get(pk=w[role]))
    return client


def _api(w, role):
    c = APIClient()
    c.force_authenticate(U.objects.get(pk=w[role]))
    return c


def _new(w, unit="town_a", post="post", title="城关镇副镇长人选"):
    from cadres.models import Unit

    return svc.selection_create(by=U.objects.get(pk=w["org"]), kind="individual", title=title,
                                unit=Unit.objects.get(pk=w[unit]), post=Post.objects.get(pk=w[post]),
                                candidates=list(Cadre.objects.filter(pk__in=w["cands"]).order_by("pk")))


def _cands(sel):
    return list(SelectionCandidate.objects.filter(selection=sel).order_by("order", "id"))


# --------------------------------------------------------------------------- list, export, create
def test_list_filters_export_and_hides_other_units_from_leaders(client, w):
    mine, theirs = _new(w), _new(w, "town_b", "other_post", "昆阳街道副主任人选")
    _login(client, w, "org")
    r = client.get(reverse("promotion:selection_list"))
    assert r.status_code == 200 and r.context["page_obj"].paginator.count == 2
    assert client.get(reverse("promotion:selection_list"), {"q": "候选甲"}).context["page_obj"].paginator.count == 2
    assert [s.pk for s in client.get(reverse("promotion:selection_list"), {"q": "昆阳"}).context["selections"]] == [
        theirs.pk]
    assert client.get(reverse("promotion:selection_list"), {"status": "done"}).context["page_obj"].paginator.count == 0
    assert client.get(reverse("promotion:selection_list"), {"year": today().year}).context[
        "page_obj"].paginator.count == 2
    r = client.get(reverse("promotion:selection_export"), {"format": "csv"})
    assert r.status_code == 200 and "城关镇副镇长人选" in r.content.decode("utf-8-sig")
    _login(client, w, "leader")
    assert [s.pk for s in client.get(reverse("promotion:selection_list")).context["selections"]] == [mine.pk]
    assert client.get(reverse("promotion:selection_detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("promotion:selection_motion", args=[mine.pk])).status_code == 403


def test_list_query_count_is_constant(client, w):
    _login(client, w, "org")
    _new(w)
    url = reverse("promotion:selection_list")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    api = _api(w, "org")

    def api_count():
        with CaptureQueriesContext(connection) as ctx:
            assert api.get("/api/v1/selections/").status_code == 200
        return len(ctx.captured_queries)

    def export_count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("promotion:selection_export"), {"format": "csv"}).status_code == 200
        return len(ctx.captured_queries)

    count(), api_count(), export_count()  # warm the caches (content types, session)
    few, few_api, few_export = count(), api_count(), export_count()
    for i in range(5):
        _new(w, title=f"人选{i}")
    assert (count(), api_count(), export_count()) == (few, few_api, few_export)


def test_create_form_errors_at_the_field_and_success(client, w):
    _login(client, w, "org")
    url = reverse("promotion:selection_create")
    assert client.get(url).status_code == 200
    r = client.post(url, {"title": "错位", "kind": "individual", "unit": w["town_b"], "post": w["post"], "planned": 1})
    assert r.status_code == 200 and "不在" in r.context["form"].errors["post"][0]
    r = client.post(url, {"title": "城关镇副镇长", "kind": "individual", "unit": w["town_a"], "post": w["post"],
                          "planned": 1, "direction": "年轻干部"})
    sel = Selection.objects.get(title="城关镇副镇长")
    assert r.status_code == 302 and r["Location"] == reverse("promotion:selection_detail", args=[sel.pk])


# --------------------------------------------------------------------------- the steps through the pages
def _post(client, sel, action, data):
    return client.post(reverse(f"promotion:selection_{action}", args=[sel.pk]), data)


def test_every_step_through_its_form(client, w):
    _login(client, w, "org")
    sel = _new(w)
    row = sel.posts.get()
    c1, c2 = _cands(sel)
    detail = client.get(reverse("promotion:selection_detail", args=[sel.pk]))
    assert detail.status_code == 200 and "请登记动议方式和动议日期" in detail.content.decode()
    # an over-quota motion: the sentence at the post's field
    r = _post(client, sel, "motion", {"motion_how": "专题会议", "motion_on": day(0), f"p{row.pk}_planned": 3})
    assert r.status_code == 200 and "超出职数" in r.context["form"].errors[f"p{row.pk}_planned"][0]
    assert client.get(reverse("promotion:selection_motion", args=[sel.pk])).status_code == 200
    r = _post(client, sel, "motion", {"motion_how": "专题会议", "motion_on": day(0), f"p{row.pk}_planned": 1})
    assert r.status_code == 302
    # out of order through the page: refused with a message, nothing recorded
    r = _post(client, sel, "decide", {"meeting": "常委会"})
    assert r.status_code == 302 and Selection.objects.get(pk=sel.pk).status == "recommend"
    assert client.get(reverse("promotion:selection_recommend", args=[sel.pk])).status_code == 200
    r = _post(client, sel, "recommend", {"method": "meeting", "held_on": day(1), "expected": 50, "actual": 60,
                                         f"c{c1.pk}_votes": 70})
    form = r.context["form"]
    assert "actual" in form.errors and f"c{c2.pk}_votes" in form.errors
    r = _post(client, sel, "recommend", {"method": "meeting", "held_on": day(1), "expected": 50, "actual": 48,
                                         f"c{c1.pk}_votes": 40, f"c{c2.pk}_votes": 5})
    assert r.status_code == 302
    r = _post(client, sel, "shortlist", {"shortlist_how": "部务会", "shortlist_on": day(2), f"c{c2.pk}_shortlisted": "on"})
    assert "须写明" in r.context["form"].errors[f"c{c2.pk}_reason"][0]
    assert _post(client, sel, "shortlist", {"shortlist_how": "部务会", "shortlist_on": day(2),
                                            f"c{c1.pk}_shortlisted": "on"}).status_code == 302
    page = client.get(reverse("promotion:selection_inspect", args=[sel.pk]))
    assert page.status_code == 200 and f"c{c1.pk}_f_age_recorded" in page.context["form"].fields
    data = {"team": "考察组", "start": day(3), "end": day(8), "talks": 20, "report": "报告",
            f"c{c1.pk}_eval_excellent": 30, f"c{c1.pk}_eval_competent": 4, f"c{c1.pk}_eval_basic": 0,
            f"c{c1.pk}_eval_incompetent": 0, f"c{c1.pk}_letter_no": "函1", f"c{c1.pk}_letter_sent_on": day(4),
            f"c{c1.pk}_letter_reply": "无问题", f"c{c1.pk}_letter_affects": "0", f"c{c1.pk}_matters": "truthful",
            f"c{c1.pk}_inspect_report": "材料"}
    for item in FileItem:
        data[f"c{c1.pk}_f_{item.value}_recorded"] = "同"
        data[f"c{c1.pk}_f_{item.value}_verified"] = "同"
    assert _post(client, sel, "inspect", data).status_code == 302
    assert client.get(reverse("promotion:selection_decide", args=[sel.pk])).status_code == 200
    r = _post(client, sel, "decide", {"meeting": "常委会", "held_on": day(9), "expected": 10, "present": 9,
                                      f"c{c1.pk}_for": 5})
    assert r.status_code == 302 and Selection.objects.get(pk=sel.pk).status == "decide"  # exactly half: not passed
    assert _post(client, sel, "decide", {"meeting": "常委会", "held_on": day(10), "expected": 10, "present": 9,
                                         f"c{c1.pk}_for": 6}).status_code == 302
    r = _post(client, sel, "notice", {"start": day(11), "end": day(12)})
    assert "不少于5个工作日" in r.context["form"].errors["end"][0]
    assert _post(client, sel, "notice", {"start": day(11), "end": day(25)}).status_code == 302
    assert _post(client, sel, "notice_result", {"reports": 0}).status_code == 302
    page = client.get(reverse("promotion:selection_appoint", args=[sel.pk]))
    assert page.status_code == 200
    r = _post(client, sel, "appoint", {f"c{c1.pk}_start_date": day(26), f"c{c1.pk}_talk_on": day(26),
                                       f"c{c1.pk}_talk_by": "部长", f"c{c1.pk}_end_current": "on"})
    assert "document_no" in next(iter(k for k in r.context["form"].errors if k.endswith("document_no")))
    r = _post(client, sel, "appoint", {f"c{c1.pk}_start_date": day(26), f"c{c1.pk}_talk_on": day(26),
                                       f"c{c1.pk}_talk_by": "部长", f"c{c1.pk}_document_no": "宝组〔2026〕1号"})
    assert r.status_code == 302
    assert Appointment.objects.filter(cadre=c1.cadre, post=w["post"], document_no="宝组〔2026〕1号").exists()
    detail = client.get(reverse("promotion:selection_detail", args=[sel.pk]))
    body = detail.content.decode()
    assert detail.status_code == 200 and "试用期至" in body and "宝组〔2026〕1号" in body
    r = client.post(reverse("promotion:selection_document_upload", args=[sel.pk]),
                    {"step": "appoint", "title": "任职通知", "files": [SimpleUploadedFile("通知.pdf", PDF)]})
    assert r.status_code == 302
    doc = sel.documents.get()
    assert client.get(reverse("promotion:selection_document_download", args=[doc.pk])).status_code == 200
    _login(client, w, "auditor")
    assert client.get(reverse("promotion:selection_detail", args=[sel.pk])).status_code == 200
    assert client.get(reverse("promotion:selection_document_preview", args=[doc.pk])).status_code == 200


def test_candidate_and_post_pages(client, w):
    _login(client, w, "org")
    sel = _new(w)
    assert client.get(reverse("promotion:selection_candidate_add", args=[sel.pk])).status_code == 200
    extra = CadreFactory(unit=Cadre.objects.get(pk=w["cands"][0]).unit, name="新增人选")
    r = client.post(reverse("promotion:selection_candidate_add", args=[sel.pk]),
                    {"cadre": extra.pk, "target": sel.posts.get().pk})
    assert r.status_code == 302 and sel.candidates.filter(cadre=extra).exists()
    c = sel.candidates.get(cadre=extra)
    assert client.post(reverse("promotion:selection_candidate_remove", args=[c.pk])).status_code == 302
    assert not sel.candidates.filter(cadre=extra).exists()
    assert client.get(reverse("promotion:selection_post_add", args=[sel.pk])).status_code == 200
    r = client.post(reverse("promotion:selection_edit", args=[sel.pk]), {"title": "", "kind": "team"})
    assert r.status_code == 200 and "title" in r.context["form"].errors
    r = client.post(reverse("promotion:selection_edit", args=[sel.pk]), {"title": "改名", "kind": "team"})
    assert r.status_code == 302 and Selection.objects.get(pk=sel.pk).title == "改名"


# --------------------------------------------------------------------------- the API
def test_api_create_steps_and_the_error_shape(w):
    api = _api(w, "org")
    r = api.post("/api/v1/selections/", {"title": "API人选", "kind": "team", "unit": w["town_a"], "post": w["post"],
                                         "candidates": w["cands"]}, format="json")
    assert r.status_code == 201, r.content
    sid = r.json()["id"]
    body = api.get(f"/api/v1/selections/{sid}/").json()
    assert body["status"] == "motion" and "motion" in body["allowed_actions"] and body["missing"]
    row = body["posts"][0]["id"]
    r = api.post(f"/api/v1/selections/{sid}/motion/", {"motion_how": "专题会议", "motion_on": day(0),
                                                       "posts": [{"id": row, "planned": 5}]}, format="json")
    assert r.status_code == 400 and r.json()["message"] and f"p{row}_planned" in r.json()["errors"]
    r = api.post(f"/api/v1/selections/{sid}/decide/", {"meeting": "x", "held_on": day(1), "expected": 9, "present": 9,
                                                       "votes": []}, format="json")
    assert r.status_code == 400 and "分析研判和动议" in r.json()["message"]
    r = api.post(f"/api/v1/selections/{sid}/motion/", {"motion_how": "专题会议", "motion_on": day(0),
                                                       "posts": [{"id": row, "planned": 1}]}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "recommend"
    cands = [c["id"] for c in r.json()["candidates"]]
    r = api.post(f"/api/v1/selections/{sid}/recommend/", {
        "method": "talk", "held_on": day(1), "expected": 30, "actual": 28,
        "ballots": [{"candidate": cands[0], "votes": 20}, {"candidate": cands[1], "votes": 6, "abstain": 1}]},
        format="json")
    assert r.status_code == 200 and r.json()["status"] == "shortlist"
    assert r.json()["recommendations"][0]["ballots"][0]["votes"] == 20
    leader = _api(w, "leader")
    assert leader.get(f"/api/v1/selections/{sid}/").status_code == 200
    assert leader.post(f"/api/v1/selections/{sid}/stop/", {"reason": "x"}, format="json").status_code == 403
    other = _new(w, "town_b", "other_post", "叶县")
    assert leader.get(f"/api/v1/selections/{other.pk}/").status_code == 404
    assert _api(w, "auditor").post(f"/api/v1/selections/{sid}/stop/", {"reason": "x"}, format="json").status_code == 403
    r = api.post(f"/api/v1/selections/{sid}/stop/", {"reason": "岗位调整"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "stopped"
    schema = api.get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200 and "/api/v1/selections/{id}/appoint/" in schema.json()["paths"]
