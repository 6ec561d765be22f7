"""The proposals pages and API: the list with its filters and export, one proposal saying what
fired on which facts, the forms' errors next to the fields (nothing changed), the API's shapes and
refusals, the sentence in the reader's language."""
import datetime as dt

import pytest
from django.urls import reverse

from assessment.models import CardProposal
from assessment.services import triggers
from tests.conftest import rolled_back

from . import conduct_world as W

ON = dt.date(2026, 6, 1)


def _build():
    w = W.build()
    people = w["people"]
    W.result(w, w["periods"][2025], people.cadre_a, grade="3")
    W.result(w, w["periods"][2025], people.cadre_b, grade="4")
    triggers.triggers_run(on=ON)
    return w


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker):
    with rolled_back(django_db_blocker, _build) as w:
        yield w


@pytest.fixture
def w(db, _world):
    return _world


@pytest.fixture
def staff_client(client, w):
    client.force_login(w["people"].org_staff)
    return client


def _yellow(w):
    return CardProposal.objects.get(cadre=w["people"].cadre_a)


def test_the_list_shows_what_fired_and_filters(staff_client, w):
    url = reverse("assessment:proposal_list")
    page = staff_client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "2025年度考核（已发布）等次为基本称职" in html and "立即运行每日检查" in html
    assert len(page.context["proposals"]) == 2
    only_red = staff_client.get(url, {"suggestion": "red"})
    assert [p.cadre_id for p in only_red.context["proposals"]] == [w["people"].cadre_b.pk]
    by_trigger = staff_client.get(url, {"trigger": "grade_basic", "status": "pending", "ordering": "-name"})
    assert [p.cadre_id for p in by_trigger.context["proposals"]] == [w["people"].cadre_a.pk]
    bad = staff_client.get(url, {"date_from": "not-a-date"})
    assert bad.status_code == 200 and not bad.context["filters_valid"]
    export = staff_client.get(reverse("assessment:proposal_export"), {"format": "csv", "suggestion": "yellow"})
    assert export.status_code == 200
    body = b"".join(export.streaming_content if export.streaming else [export.content]).decode("utf-8-sig")
    assert "基本称职" in body and "不称职" not in body


def test_unit_leaders_are_refused_and_auditors_read(client, w):
    client.force_login(w["people"].leader)
    assert client.get(reverse("assessment:proposal_list")).status_code == 403
    assert client.get(reverse("assessment:proposal_detail", args=[_yellow(w).pk])).status_code == 404
    assert client.get("/api/v1/card-proposals/").status_code == 403
    client.force_login(w["people"].auditor)
    page = client.get(reverse("assessment:proposal_detail", args=[_yellow(w).pk]))
    assert page.status_code == 200 and b"proposal-dismiss" not in page.content and b"proposal-confirm" not in page.content


def test_the_detail_says_why_and_prefills_the_card(staff_client, w):
    p = _yellow(w)
    page = staff_client.get(reverse("assessment:proposal_detail", args=[p.pk]))
    html = page.content.decode()
    assert "考核等次为基本称职" in html and "2025年度考核（已发布）等次为基本称职" in html
    assert reverse("assessment:result_detail", args=[p.facts["result"]]) in html
    form = page.context["confirm_form"]
    assert form.initial["color"] == "yellow" and form.initial["card_reason"].name == "考核结果较差"


def test_dismiss_without_a_reason_shows_the_error_and_changes_nothing(staff_client, w):
    p = _yellow(w)
    page = staff_client.post(reverse("assessment:proposal_dismiss", args=[p.pk]), {"reason": " "})
    assert page.status_code == 400 and page.context["dismiss_form"].errors["reason"]
    assert CardProposal.objects.get(pk=p.pk).status == "pending"
    done = staff_client.post(reverse("assessment:proposal_dismiss", args=[p.pk]), {"reason": "事出有因"})
    assert done.status_code == 302 and CardProposal.objects.get(pk=p.pk).status == "dismissed"
    again = staff_client.post(reverse("assessment:proposal_dismiss", args=[p.pk]), {"reason": "再次"}, follow=True)
    assert "不能驳回" in again.content.decode()


def test_confirm_with_bad_fields_shows_errors_next_to_them(staff_client, w):
    p = _yellow(w)
    page = staff_client.post(reverse("assessment:proposal_confirm", args=[p.pk]),
                             {"color": "blue", "start_date": "x", "reason": ""})
    assert page.status_code == 400
    errors = page.context["confirm_form"].errors
    assert {"color", "start_date", "reason", "card_reason", "facts", "issuing_body"} <= set(errors)
    assert CardProposal.objects.get(pk=p.pk).status == "pending"


def test_the_api_lists_and_refuses_with_messages(staff_client, w):
    rows = staff_client.get("/api/v1/card-proposals/", {"status": "pending"}).json()["results"]
    assert {r["suggestion"] for r in rows} == {"yellow", "red"}
    row = next(r for r in rows if r["suggestion"] == "yellow")
    assert row["sentence"] == "2025年度考核（已发布）等次为基本称职" and row["allowed_actions"] == ["confirm", "dismiss"]
    en = staff_client.get(f"/api/v1/card-proposals/{row['id']}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert "2025年度考核" in en["sentence"] and "基本称职" not in en["sentence"]
    bad = staff_client.post(f"/api/v1/card-proposals/{row['id']}/dismiss/", {"reason": ""},
                            content_type="application/json")
    assert bad.status_code == 400 and set(bad.json()) == {"message", "errors"} and "reason" in bad.json()["errors"]
    bad = staff_client.post(f"/api/v1/card-proposals/{row['id']}/confirm/", {"reason": "同意", "card_reason": 99999},
                            content_type="application/json")
    assert bad.status_code == 400 and "card_reason" in bad.json()["errors"]
    assert staff_client.get("/api/v1/card-proposals/", {"trigger": "nope"}).status_code == 400
    CardProposal.objects.filter(pk=row["id"]).update(suggestion="reminder", trigger="records_lagging")
    bad = staff_client.post(f"/api/v1/card-proposals/{row['id']}/confirm/", {"reason": "同意"},
                            content_type="application/json")
    assert bad.status_code == 400 and "担当提醒" in bad.json()["message"]


def test_run_now_as_org_staff(staff_client, w, eager, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    answer = staff_client.post("/api/v1/card-proposals/run/")
    assert answer.status_code == 202 and answer.json()["kind"] == "assessment.conduct_daily"
    job_page = staff_client.get(reverse("core:job_detail", args=[answer.json()["id"]]))
    assert job_page.status_code == 200 and "每日检查完成" in job_page.content.decode()
    page = staff_client.post(reverse("assessment:proposal_run"), follow=True)
    assert page.status_code == 200 and "每日检查完成" in page.content.decode()


def test_confirm_on_the_page_proposes_the_card(staff_client, w):
    from assessment.models import WarningCard

    p = _yellow(w)
    form = staff_client.get(reverse("assessment:proposal_detail", args=[p.pk])).context["confirm_form"]
    data = {name: (getattr(v, "pk", v) if v is not None else "") for name, v in form.initial.items()}
    data.update(reason="情况属实", start_date="2026-06-01", end_date="")
    answer = staff_client.post(reverse("assessment:proposal_confirm", args=[p.pk]), data)
    assert answer.status_code == 302
    card = WarningCard.objects.get(proposal=p)
    assert (card.status, card.color, str(card.end_date)) == ("proposed", "yellow", "2026-11-30")
    page = staff_client.get(reverse("assessment:proposal_detail", args=[p.pk]))
    assert page.context["card"] == card and b"proposal-confirm" not in page.content
    # the cadre retired meanwhile: the card service's refusal shows on the form, nothing changes
    red = CardProposal.objects.get(cadre=w["people"].cadre_b)
    from cadres.models import Cadre

    Cadre.objects.filter(pk=red.cadre_id).update(status="retired")
    data.update(color="red")
    refused = staff_client.post(reverse("assessment:proposal_confirm", args=[red.pk]), data)
    assert refused.status_code == 400 and "退休" in refused.content.decode()
    assert CardProposal.objects.get(pk=red.pk).status == "pending" and not WarningCard.objects.filter(proposal=red)
