"""Who may record what on a selection record, decided in the service's table: 民主推荐 by org staff and
by the unit leaders of the record's unit (gate action ``recommend``), every other step org staff's;
and deleting a step's document (org staff, while the record is open; logged, audited, the file
removed from storage once committed). Pages and API for both roles."""
import os

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.urls import reverse
from rest_framework.test import APIClient

from promotion.models import PromotionStep, Recommendation, SelectionDocument
from promotion.services import selection as svc
from tests.factories import PostFactory
from tests.promotion import test_selection as base
from tests.promotion.test_selection import PDF, candidates, day

world, w = base.world, base.w  # that module's world (built once for this module too) and its per-test view


def flow(w, upto):
    sel = base.flow(w, upto)
    sel.refresh_from_db()
    return sel


def _ballots(sel, votes=(20, 10, 5)):
    return {c.pk: {"votes": v} for c, v in zip(candidates(sel), votes, strict=False)}


def test_a_unit_leader_records_a_recommendation_on_their_units_record(w):
    sel = flow(w, "motion")
    assert svc.allowed_actions(sel, w.leader) == frozenset({"recommend"})
    assert "recommend" not in svc.allowed_actions(sel, w.auditor)
    rec = svc.selection_recommend(by=w.leader, selection=sel, method="talk", held_on=day(1), expected=30, actual=28,
                                  ballots=_ballots(sel))
    assert rec.recorded_by == w.leader and rec.ballots.count() == 3
    sel.refresh_from_db()
    assert sel.status == "shortlist"
    step = PromotionStep.objects.filter(subject="selection", subject_id=sel.pk, action="recommend").latest("id")
    assert step.by == w.leader
    # a second round (会议推荐) at 确定考察对象: still the leader's; the next step is not
    svc.selection_recommend(by=w.leader, selection=sel, method="meeting", held_on=day(2), expected=40, actual=40,
                            ballots=_ballots(sel))
    with pytest.raises(PermissionDenied):
        svc.selection_shortlist(by=w.leader, selection=sel, shortlist_how="x", shortlist_on=day(3),
                                choices={candidates(sel)[0].pk: {"shortlisted": True}})


def test_auditors_and_leaders_of_other_units_may_not_record_a_recommendation(w):
    sel = flow(w, "motion")
    with pytest.raises(PermissionDenied):
        svc.selection_recommend(by=w.auditor, selection=sel, method="talk", held_on=day(1), expected=3, actual=3,
                                ballots=_ballots(sel, (1, 1, 1)))
    other = svc.selection_create(by=w.org, kind="team", title="昆阳街道班子", unit=w.tree.town_b,
                                 post=PostFactory(unit=w.tree.town_b, name="副主任乙"), candidates=[w.filler])
    svc.selection_motion(by=w.org, selection=other, motion_how="会议", motion_on=day(0))
    with pytest.raises(Http404):
        svc.selection_recommend(by=w.leader, selection=other, method="talk", held_on=day(1), expected=3, actual=3,
                                ballots=_ballots(other, (1,)))
    assert not Recommendation.objects.filter(selection__in=[sel, other]).exists()


def test_the_page_and_the_api_let_the_leader_recommend_and_nothing_else(client, w):
    sel = flow(w, "motion")
    client.force_login(w.leader)
    url = reverse("promotion:selection_recommend", args=[sel.pk])
    assert client.get(url).status_code == 200
    assert client.get(reverse("promotion:selection_stop", args=[sel.pk])).status_code == 403
    page = client.get(reverse("promotion:selection_detail", args=[sel.pk])).content.decode()
    assert url in page and reverse("promotion:selection_stop", args=[sel.pk]) not in page
    api = APIClient()
    api.force_authenticate(w.leader)
    data = {"method": "talk", "held_on": day(1).isoformat(), "expected": 30, "actual": 30,
            "ballots": [{"candidate": c.pk, "votes": 10} for c in candidates(sel)]}
    r = api.post(reverse("selection-recommend", args=[sel.pk]), data, format="json")
    assert r.status_code == 200 and r.json()["status"] == "shortlist"
    assert "recommend" in r.json()["allowed_actions"] and "shortlist" not in r.json()["allowed_actions"]
    assert api.post(reverse("selection-stop", args=[sel.pk]), {"reason": "x"}, format="json").status_code == 403
    api.force_authenticate(w.auditor)
    assert api.post(reverse("selection-recommend", args=[sel.pk]), data, format="json").status_code == 403


def test_org_staff_delete_a_document_while_the_record_is_open(w, django_capture_on_commit_callbacks):
    sel = flow(w, "motion")
    doc = svc.selection_document_add(by=w.org, selection=sel, step="motion",
                                     upload=SimpleUploadedFile("纪要.pdf", PDF), title="动议会议纪要")
    path, pk = doc.file.path, doc.pk
    assert os.path.exists(path)
    with pytest.raises(PermissionDenied):
        svc.selection_document_delete(by=w.leader, document=doc)
    with django_capture_on_commit_callbacks(execute=True):
        svc.selection_document_delete(by=w.org, document=doc)
    assert not SelectionDocument.objects.filter(pk=pk).exists() and not os.path.exists(path)
    assert SelectionDocument.history.filter(id=pk, history_type="-", history_user=w.org).exists()
    step = PromotionStep.objects.filter(subject="selection", subject_id=sel.pk, action="delete_document").get()
    assert "动议会议纪要" in step.reason and "分析研判和动议" in step.reason


def test_a_document_of_a_finished_or_stopped_record_stays(w, client):
    sel = flow(w, "motion")
    doc = svc.selection_document_add(by=w.org, selection=sel, step="motion", upload=SimpleUploadedFile("a.pdf", PDF))
    svc.selection_stop(by=w.org, selection=sel, reason="岗位撤并")
    with pytest.raises(ValidationError) as e:
        svc.selection_document_delete(by=w.org, document=doc)
    assert "删除材料" in " ".join(e.value.messages)
    client.force_login(w.org)
    r = client.post(reverse("promotion:selection_document_delete", args=[doc.pk]))
    assert r.status_code == 302 and SelectionDocument.objects.filter(pk=doc.pk).exists()
    assert reverse("promotion:selection_document_delete", args=[doc.pk]) not in client.get(
        reverse("promotion:selection_detail", args=[sel.pk])).content.decode()


# --------------------------------------------------------------------------- the cadre page's 选拔任用 menu
def test_the_cadre_page_offers_selection_and_the_appointment_form(client, w):
    from promotion.models import Selection

    sel = flow(w, "motion")
    cadre = w.cands[0]
    page = reverse("cadres:cadre_detail", args=[cadre.pk])
    create = reverse("promotion:selection_create") + f"?cadre={cadre.pk}"
    client.force_login(w.org)
    html = client.get(page).content.decode()
    assert "cadre-menu-selection" in html and create in html
    assert reverse("promotion:selection_detail", args=[sel.pk]) in html
    assert reverse("cadres:cadre_lrmx_pdf", args=[cadre.pk]) in html and "任免审批表" in html
    for role in (w.leader, w.auditor):  # they read the records, start none
        client.force_login(role)
        html = client.get(page).content.decode()
        assert reverse("promotion:selection_detail", args=[sel.pk]) in html and create not in html
    client.force_login(w.org)
    r = client.get(create)
    assert r.status_code == 200 and cadre.name in r.content.decode()
    r = client.post(create, {"title": "从干部页发起", "kind": "individual", "unit": w.tree.town_a.pk,
                             "post": w.lower.pk, "planned": 1, "cadre": cadre.pk})
    new = Selection.objects.get(title="从干部页发起")
    assert r.status_code == 302 and list(new.candidates.values_list("cadre_id", flat=True)) == [cadre.pk]
