"""Protection (容错纠错): tolerance rulings through their whole lifecycle and every illegal step, one
ruling per matter, waivers revoking a card, risk filings shown as a favourable fact, clarifications
revoking a card and listing malicious reports, and the scope of unit leaders (pages and API).

The world (tree, people, cards, a sanction) is built once for the module; each test runs in a
savepoint of it."""
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.test import override_settings
from django.urls import reverse

from assessment.models import (
    CardReason,
    CardStatus,
    Clarification,
    ConductStep,
    FollowUp,
    RiskFiling,
    RulingEvidence,
    RulingStatus,
    Sanction,
    ToleranceRuling,
    WarningCard,
)
from assessment.services import protection as svc
from pingdingshan.core.dates import today
from pingdingshan.core.models import Notification
from tests.conftest import make_people, make_tree, rolled_back

S = RulingStatus
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CRITERIA = {"unforeseen": True, "unforeseen_facts": "改革探索中出现的失误", "public_gain": True,
            "public_gain_facts": "为推进项目建设", "inexperience": True, "inexperience_facts": "首次承担此类项目",
            "procedure_followed": True, "procedure_facts": "经党委会集体研究", "remedied": True,
            "remedied_facts": "及时追回资金"}


def _card(cadre, *, status=CardStatus.ISSUED, color="yellow"):
    start = today() - dt.timedelta(days=30)
    return WarningCard.objects.create(color=color, cadre=cadre, unit=cadre.unit, reason=CardReason.objects.first(),
                                      facts="推诿扯皮", issuing_body="市委组织部", start_date=start,
                                      end_date=start + dt.timedelta(days=180), status=status)


def _build():
    tree = make_tree()
    p = make_people(tree)
    return {
        "tree": tree, "staff": p.org_staff, "auditor": p.auditor, "leader": p.leader,
        "a": p.cadre_a, "b": p.cadre_b,
        "card_a": _card(p.cadre_a), "card_a2": _card(p.cadre_a, color="red"), "card_b": _card(p.cadre_b),
        "proposed_a": _card(p.cadre_a, status=CardStatus.PROPOSED),
        "sanction_a": Sanction.objects.create(cadre=p.cadre_a, kind="warning", decided_on=today() - dt.timedelta(days=20),
                                              end_date=today() + dt.timedelta(days=200), body="县纪委"),
    }


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker, tmp_path_factory):
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("protection-media")):
        with rolled_back(django_db_blocker, _build) as built:
            yield built


@pytest.fixture
def w(db, _world):
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.in_bulk([_world[k].pk for k in ("staff", "auditor", "leader")])
    return {**_world, **{k: users[_world[k].pk] for k in ("staff", "auditor", "leader")}}


def _apply(w, by=None, cadre=None, **extra):
    data = dict(applicant="unit", matter="招商引资项目前期投入", loss="前期投入资金 50 万元未能收回",
                conduct="积极主动、未谋私利")
    data.update(extra)
    return svc.ruling_apply(by=by or w["leader"], cadre=cadre or w["a"], **data)


def _to(w, state, **apply_extra):
    """A ruling of cadre A brought to ``state`` through the services."""
    staff = w["staff"]
    r = _apply(w, **apply_extra)
    if state == S.APPLIED:
        return r
    if state == S.REJECTED:
        return svc.ruling_reject(by=staff, ruling=r, reason="不属于容错范围")
    r = svc.ruling_accept(by=staff, ruling=r, reason="符合受理条件")
    if state == S.ACCEPTED:
        return r
    r = svc.ruling_verify(by=staff, ruling=r, reason="核实属实", **CRITERIA)
    if state == S.VERIFIED:
        return r
    r = svc.ruling_decide(by=staff, ruling=r, **_decision())
    if state == S.DECIDED:
        return r
    return svc.ruling_report(by=staff, ruling=r, reported_on=today(), reported_to="市纪委监委")


def _decision(**over):
    d = dict(review_date=today(), review_members="市纪委监委、市委组织部", decision="full",
             decision_reason="符合三个区分开来", waive_assessment=True, waive_pool=True, waive_promotion=True,
             waive_awards=True)
    d.update(over)
    return d


# --------------------------------------------------------------------------- lifecycle
def test_lifecycle_with_full_tolerance_revoking_the_card(w):
    staff = w["staff"]
    r = _apply(w, card=w["card_a"])
    assert r.status == S.APPLIED and r.unit == w["a"].unit and r.applied_by == w["leader"]
    assert svc.ruling_allowed_actions(r, w["leader"]) == {"upload", "delete_evidence"}
    assert svc.ruling_allowed_actions(r, staff) >= {"accept", "reject", "upload"}
    assert svc.ruling_allowed_actions(r, w["auditor"]) == frozenset()
    r = svc.ruling_accept(by=staff, ruling=r, reason="符合受理条件")
    assert r.status == S.ACCEPTED
    r = svc.ruling_verify(by=staff, ruling=r, reason="核实属实", **CRITERIA)
    assert r.status == S.VERIFIED and r.public_gain is True and r.remedied_facts == "及时追回资金"
    r = svc.ruling_decide(by=staff, ruling=r, **_decision(waive_card=True))
    assert r.status == S.DECIDED and r.decision == "full" and r.waive_card and r.decided_on == today()
    card = WarningCard.objects.get(pk=w["card_a"].pk)
    assert card.status == CardStatus.REVOKED
    r = svc.ruling_report(by=staff, ruling=r, reported_on=today(), reported_to="市纪委监委")
    assert r.status == S.REPORTED and r.reported_to == "市纪委监委"
    steps = list(ConductStep.objects.filter(subject="ruling", subject_id=r.pk).order_by("id"))
    assert [s.action for s in steps] == ["apply", "accept", "verify", "decide", "report"]
    assert all(s.reason for s in steps)
    assert steps[1].from_status == S.APPLIED and steps[1].to_status == S.ACCEPTED
    # the unit leader over the cadre's unit is told of each step
    assert Notification.objects.filter(user=w["leader"], kind="assessment.conduct_step",
                                       params__subject="容错裁定").count() == 5


ALL_ACTIONS = {
    "accept": lambda by, r: svc.ruling_accept(by=by, ruling=r, reason="理由"),
    "reject": lambda by, r: svc.ruling_reject(by=by, ruling=r, reason="理由"),
    "verify": lambda by, r: svc.ruling_verify(by=by, ruling=r, reason="理由", **CRITERIA),
    "decide": lambda by, r: svc.ruling_decide(by=by, ruling=r, **_decision()),
    "report": lambda by, r: svc.ruling_report(by=by, ruling=r, reported_on=today(), reported_to="市纪委"),
}
LEGAL = {S.APPLIED: {"accept", "reject"}, S.ACCEPTED: {"verify"}, S.VERIFIED: {"decide"}, S.DECIDED: {"report"},
         S.REPORTED: set(), S.REJECTED: set()}


@pytest.mark.parametrize("state", list(LEGAL))
def test_every_illegal_transition_is_refused_and_changes_nothing(w, state):
    r = _to(w, state)
    assert svc.ruling_allowed_actions(r, w["staff"]) & set(ALL_ACTIONS) == LEGAL[state]
    for action, call in ALL_ACTIONS.items():
        if action in LEGAL[state]:
            continue
        before = ToleranceRuling.objects.filter(pk=r.pk).values().get()
        steps = ConductStep.objects.count()
        with pytest.raises(ValidationError) as e:
            call(w["staff"], r)
        assert "不能" in str(e.value), (state, action)
        assert ToleranceRuling.objects.filter(pk=r.pk).values().get() == before
        assert ConductStep.objects.count() == steps


def test_unit_leaders_and_auditors_never_rule(w):
    r = _apply(w)
    for user in (w["leader"], w["auditor"]):
        for call in ALL_ACTIONS.values():
            with pytest.raises(PermissionDenied):
                call(user, r)
    assert ToleranceRuling.objects.get(pk=r.pk).status == S.APPLIED


def test_reject_needs_a_reason_and_frees_the_matter(w):
    r = _apply(w, card=w["card_a"])
    with pytest.raises(ValidationError) as e:
        svc.ruling_reject(by=w["staff"], ruling=r, reason="  ")
    assert "reason" in e.value.message_dict
    r = svc.ruling_reject(by=w["staff"], ruling=r, reason="不属于容错范围")
    assert r.status == S.REJECTED and r.rejection_reason == "不属于容错范围"
    again = _apply(w, card=w["card_a"])  # a refused application does not hold the matter
    assert again.pk != r.pk


# --------------------------------------------------------------------------- one ruling per matter
@pytest.mark.parametrize("field", ["card", "sanction", "risk_filing"])
def test_a_second_ruling_on_the_same_matter_is_refused_naming_the_field(w, field):
    filing = svc.filing_create(by=w["leader"], unit=w["a"].unit, cadre=w["a"], matter="土地流转", risk="资金风险",
                               measures="第三方评估", filed_on=today())
    matter = {"card": w["card_a"], "sanction": w["sanction_a"], "risk_filing": filing}[field]
    _apply(w, **{field: matter})
    count, steps = ToleranceRuling.objects.count(), ConductStep.objects.count()
    with pytest.raises(ValidationError) as e:
        _apply(w, by=w["staff"], **{field: matter})
    assert set(e.value.message_dict) == {field}
    assert "已有容错申请或裁定" in e.value.message_dict[field][0]
    assert ToleranceRuling.objects.count() == count and ConductStep.objects.count() == steps


def test_a_card_or_filing_not_of_this_cadre_is_refused(w):
    filing_b = svc.filing_create(by=w["staff"], unit=w["b"].unit, cadre=w["b"], matter="旧城改造", risk="r",
                                 measures="m", filed_on=today())
    unit_filing_b = svc.filing_create(by=w["staff"], unit=w["b"].unit, matter="旧城改造二期", risk="r", measures="m",
                                      filed_on=today())
    for extra, field in (({"card": w["card_b"]}, "card"), ({"card": w["proposed_a"]}, "card"),
                         ({"risk_filing": filing_b}, "risk_filing"), ({"risk_filing": unit_filing_b}, "risk_filing")):
        with pytest.raises(ValidationError) as e:
            _apply(w, by=w["staff"], **extra)
        assert field in e.value.message_dict, extra
    assert not ToleranceRuling.objects.exists()


def test_leader_applies_only_for_own_cadres_and_as_the_unit(w):
    with pytest.raises(ValidationError) as e:
        _apply(w, cadre=w["b"])
    assert "cadre" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        _apply(w, applicant="org")
    assert "applicant" in e.value.message_dict
    with pytest.raises(PermissionDenied):
        _apply(w, by=w["auditor"])
    assert _apply(w, by=w["staff"], applicant="org", cadre=w["b"]).applicant == "org"


def test_apply_reports_every_missing_field_at_once(w):
    with pytest.raises(ValidationError) as e:
        svc.ruling_apply(by=w["staff"], cadre=w["a"], applicant="unit", matter="", loss="", conduct="")
    assert {"matter", "loss", "conduct"} <= set(e.value.message_dict)


# --------------------------------------------------------------------------- verify, decide, report
def test_verify_needs_all_five_criteria_with_facts(w):
    r = _to(w, S.ACCEPTED)
    partial = {**CRITERIA, "remedied": None, "procedure_facts": ""}
    with pytest.raises(ValidationError) as e:
        svc.ruling_verify(by=w["staff"], ruling=r, reason="", **partial)
    assert {"remedied", "procedure_facts", "reason"} == set(e.value.message_dict)
    r = ToleranceRuling.objects.get(pk=r.pk)
    assert r.status == S.ACCEPTED and r.unforeseen is None
    # a False answer is an answer
    r = svc.ruling_verify(by=w["staff"], ruling=r, reason="核实", **{**CRITERIA, "remedied": False})
    assert r.status == S.VERIFIED and r.remedied is False


def test_decide_refusals(w):
    r = _to(w, S.VERIFIED)
    cases = [
        (dict(review_date=None, review_members=""), {"review_date", "review_members"}),
        (dict(decision="none", waive_pool=True), {"waive_assessment", "waive_pool", "waive_promotion", "waive_awards"}),
        (dict(waive_card=True), {"waive_card"}),  # no card linked
        (dict(decision="", decision_reason=""), {"decision", "decision_reason"}),
        (dict(review_date=today() + dt.timedelta(days=1)), {"review_date"}),
    ]
    for over, fields in cases:
        with pytest.raises(ValidationError) as e:
            svc.ruling_decide(by=w["staff"], ruling=r, **_decision(**over))
        assert set(e.value.message_dict) == fields, over
        assert ToleranceRuling.objects.get(pk=r.pk).status == S.VERIFIED
    r = svc.ruling_decide(by=w["staff"], ruling=r, **_decision(decision="none", waive_assessment=False, waive_pool=False,
                                                                waive_promotion=False, waive_awards=False))
    assert r.decision == "none" and r.status == S.DECIDED


def test_partial_tolerance_keeps_the_card_unless_waived(w):
    r = _to(w, S.VERIFIED, card=w["card_a"])
    svc.ruling_decide(by=w["staff"], ruling=r, **_decision(decision="partial", waive_pool=False))
    assert WarningCard.objects.get(pk=w["card_a"].pk).status == CardStatus.ISSUED


def test_report_refusals(w):
    r = _to(w, S.DECIDED)
    with pytest.raises(ValidationError) as e:
        svc.ruling_report(by=w["staff"], ruling=r, reported_on=today() - dt.timedelta(days=1), reported_to="")
    assert set(e.value.message_dict) == {"reported_on", "reported_to"}


# --------------------------------------------------------------------------- evidence
def test_leaders_upload_evidence_while_applied_only(w):
    r = _apply(w)
    ev = svc.ruling_evidence_add(by=w["leader"], ruling=r, upload=SimpleUploadedFile("说明.pdf", PDF))
    assert ev.content_type == "application/pdf" and RulingEvidence.objects.filter(ruling=r).count() == 1
    with pytest.raises(ValidationError):
        svc.ruling_evidence_add(by=w["leader"], ruling=r, upload=SimpleUploadedFile("x.pdf", b"not a pdf"))
    r = svc.ruling_accept(by=w["staff"], ruling=r, reason="受理")
    with pytest.raises(ValidationError):
        svc.ruling_evidence_add(by=w["leader"], ruling=r, upload=SimpleUploadedFile("说明.pdf", PDF))
    svc.ruling_evidence_add(by=w["staff"], ruling=r, upload=SimpleUploadedFile("核查.pdf", PDF))
    assert RulingEvidence.objects.filter(ruling=r).count() == 2


# --------------------------------------------------------------------------- risk filings
def test_filings_by_leaders_in_scope_and_acknowledged_by_staff(w):
    f = svc.filing_create(by=w["leader"], unit=w["a"].unit, cadre=w["a"], matter="招商引资", risk="前期投入可能损失",
                          measures="分期拨付、第三方评估", filed_on=today(), decision_date=today())
    assert f.status == "filed" and f.filed_by == w["leader"]
    for kwargs, field in (({"unit": w["b"].unit}, "unit"), ({"cadre": w["b"]}, "cadre"),
                          ({"decision_date": today() - dt.timedelta(days=1)}, "decision_date"),
                          ({"filed_on": today() + dt.timedelta(days=1)}, "filed_on")):
        data = dict(unit=w["a"].unit, matter="m", risk="r", measures="m", filed_on=today()) | kwargs
        with pytest.raises(ValidationError) as e:
            svc.filing_create(by=w["leader"], **data)
        assert field in e.value.message_dict, kwargs
    with pytest.raises(PermissionDenied):
        svc.filing_acknowledge(by=w["leader"], filing=f)
    f = svc.filing_acknowledge(by=w["staff"], filing=f, reason="已备案")
    assert f.status == "acknowledged" and f.acknowledged_by == w["staff"]
    with pytest.raises(ValidationError):
        svc.filing_acknowledge(by=w["staff"], filing=f)
    assert RiskFiling.objects.count() == 1


def test_filing_shows_as_a_favourable_fact_on_the_ruling(w, client):
    f = svc.filing_create(by=w["leader"], unit=w["a"].unit, cadre=w["a"], matter="招商引资", risk="前期投入可能损失",
                          measures="分期拨付、第三方评估", filed_on=today() - dt.timedelta(days=40))
    r = _apply(w, risk_filing=f)
    client.force_login(w["staff"])
    page = client.get(reverse("assessment:ruling_detail", args=[r.pk])).content.decode()
    assert "事前已报备" in page and "分期拨付、第三方评估" in page
    assert (today() - dt.timedelta(days=40)).strftime("%Y-%m-%d") in page
    listing = client.get(reverse("assessment:ruling_list")).content.decode()
    assert "事前已报备" in listing
    body = client.get(reverse("tolerance-ruling-detail", args=[r.pk])).json()
    assert body["filed_beforehand"] is True and body["risk_filing_detail"]["measures"] == "分期拨付、第三方评估"


# --------------------------------------------------------------------------- clarifications
def _clarify(w, **extra):
    data = dict(cadre=w["a"], source="investigator", report="反映其推诿扯皮", finding="经查不属实", method="meeting",
                venue="全镇干部大会", cleared_on=today())
    data.update(extra)
    return svc.clarification_create(by=w["staff"], **data)


def test_clarification_revokes_the_card_and_lists_malicious_reports(w):
    c = _clarify(w, card=w["card_a"], malicious=True)
    assert WarningCard.objects.get(pk=w["card_a"].pk).status == CardStatus.REVOKED
    assert c.follow_up == FollowUp.PENDING
    step = ConductStep.objects.get(subject="clarification", subject_id=c.pk)
    assert step.reason.startswith("澄清正名：")
    with pytest.raises(ValidationError) as e:
        svc.clarification_follow_up(by=w["staff"], clarification=c, note="")
    assert "note" in e.value.message_dict
    with pytest.raises(PermissionDenied):
        svc.clarification_follow_up(by=w["leader"], clarification=c, note="移交")
    c = svc.clarification_follow_up(by=w["staff"], clarification=c, note="已移交县纪委")
    assert c.follow_up == FollowUp.DONE
    plain = _clarify(w)
    assert plain.follow_up == FollowUp.NONE
    with pytest.raises(ValidationError):
        svc.clarification_follow_up(by=w["staff"], clarification=plain, note="移交")


def test_clarification_refusals(w):
    with pytest.raises(PermissionDenied):
        svc.clarification_create(by=w["leader"], cadre=w["a"], source="application", report="r", finding="f",
                                 method="written", venue="v", cleared_on=today())
    for extra, field in (({"card": w["card_b"]}, "card"), ({"cleared_on": today() + dt.timedelta(days=1)}, "cleared_on"),
                         ({"method": "x"}, "method"), ({"finding": ""}, "finding")):
        with pytest.raises(ValidationError) as e:
            _clarify(w, **extra)
        assert field in e.value.message_dict, extra
    assert not Clarification.objects.exists()
    assert WarningCard.objects.get(pk=w["card_b"].pk).status == CardStatus.ISSUED


# --------------------------------------------------------------------------- pages and API, scope
def test_leader_sees_only_own_scope(w, client):
    own = _apply(w, by=w["staff"])
    other = _apply(w, by=w["staff"], cadre=w["b"])
    own_c, other_c = _clarify(w, malicious=True), _clarify(w, cadre=w["b"])
    own_f = svc.filing_create(by=w["staff"], unit=w["a"].unit, matter="本单位事项", risk="r", measures="m",
                              filed_on=today())
    other_f = svc.filing_create(by=w["staff"], unit=w["b"].unit, matter="外单位事项", risk="r", measures="m",
                                filed_on=today())
    client.force_login(w["leader"])
    for name, mine, theirs in (("ruling", own, other), ("clarification", own_c, other_c), ("filing", own_f, other_f)):
        assert client.get(reverse(f"assessment:{name}_detail", args=[mine.pk])).status_code == 200
        assert client.get(reverse(f"assessment:{name}_detail", args=[theirs.pk])).status_code == 404
        listing = client.get(reverse(f"assessment:{name}_list"))
        rows = listing.context["page_obj"].object_list
        assert [o.pk for o in rows] == [mine.pk], name
    api = {"tolerance-ruling": own, "clarification": own_c, "risk-filing": own_f}
    for basename, mine in api.items():
        body = client.get(reverse(f"{basename}-list")).json()
        assert [row["id"] for row in body["results"]] == [mine.pk], basename
    with pytest.raises(Http404):
        from pingdingshan.core import permissions as gate

        gate.get_or_404(ToleranceRuling, w["leader"], pk=other.pk)


def test_pages_lists_filters_exports_and_forms(w, client):
    f = svc.filing_create(by=w["staff"], unit=w["a"].unit, cadre=w["a"], matter="土地流转", risk="r", measures="m",
                          filed_on=today())
    decided = _to(w, S.DECIDED, card=w["card_a"])
    _clarify(w, malicious=True)
    client.force_login(w["staff"])
    for name, query in (("ruling_list", {"status": "decided", "decision": "full", "q": "张", "ordering": "-applied"}),
                        ("ruling_list", {"date_from": "bad"}), ("filing_list", {"status": "filed"}),
                        ("clarification_list", {"pending": "true"}), ("ruling_export", {"format": "csv"}),
                        ("filing_export", {}), ("clarification_export", {"format": "csv"}),
                        ("ruling_create", {"cadre": w["a"].pk}), ("filing_create", {"cadre": w["a"].pk}),
                        ("clarification_create", {"card": w["card_a2"].pk})):
        response = client.get(reverse(f"assessment:{name}"), query)
        assert response.status_code == 200, (name, query)
    assert client.get(reverse("assessment:ruling_list"), {"status": "decided"}).context["page_obj"].object_list[0] == decided
    pending = client.get(reverse("assessment:clarification_list"), {"pending": "true"})
    assert len(pending.context["page_obj"].object_list) == 1
    for step in ("verify", "decide", "report"):
        assert client.get(reverse(f"assessment:ruling_{step}", args=[decided.pk])).status_code in (200, 302)
    # the apply form, refused on the field (the filing's matter already taken? no: a new one) then accepted
    response = client.post(reverse("assessment:ruling_create"), {
        "cadre": w["a"].pk, "applicant": "unit", "matter": "", "loss": "l", "conduct": "c", "risk_filing": f.pk})
    assert response.status_code == 200 and "matter" in response.context["form"].errors
    response = client.post(reverse("assessment:ruling_create"), {
        "cadre": w["a"].pk, "applicant": "unit", "matter": "土地流转", "loss": "l", "conduct": "c",
        "risk_filing": f.pk, "card": w["card_a"].pk})
    assert response.status_code == 200 and "card" in response.context["form"].errors  # card already under a ruling
    r = ToleranceRuling.objects.get(pk=decided.pk)
    response = client.post(reverse("assessment:ruling_report", args=[r.pk]),
                           {"reported_on": today().isoformat(), "reported_to": "市纪委监委"})
    assert response.status_code == 302 and ToleranceRuling.objects.get(pk=r.pk).status == S.REPORTED


def test_step_pages_put_refusals_next_to_the_fields(w, client):
    r = _to(w, S.ACCEPTED)
    client.force_login(w["staff"])
    url = reverse("assessment:ruling_verify", args=[r.pk])
    response = client.post(url, {"unforeseen": "true", "unforeseen_facts": "", "reason": "核实"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"unforeseen_facts", "public_gain", "remedied"} <= set(errors)
    data = {k: ("true" if v is True else v) for k, v in CRITERIA.items()} | {"reason": "核实属实"}
    assert client.post(url, data).status_code == 302
    r = ToleranceRuling.objects.get(pk=r.pk)
    assert r.status == S.VERIFIED
    response = client.post(reverse("assessment:ruling_decide", args=[r.pk]), {"decision": "full", "decision_reason": "x"})
    assert "review_date" in response.context["form"].errors
    client.force_login(w["leader"])
    assert client.post(reverse("assessment:ruling_accept", args=[r.pk]), {"accept-reason": "x"}).status_code == 403


def test_api_apply_and_steps(w, client):
    client.force_login(w["leader"])
    url = reverse("tolerance-ruling-list")
    body = {"cadre": w["a"].pk, "matter": "项目", "loss": "损失", "conduct": "表现", "card": w["card_a"].pk}
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 201, response.content
    rid = response.json()["id"]
    assert response.json()["allowed_actions"] == ["delete_evidence", "upload"]
    again = client.post(url, body, content_type="application/json")
    assert again.status_code == 400 and "card" in again.json()["errors"]
    assert client.post(reverse("tolerance-ruling-accept", args=[rid]), {"reason": "x"},
                       content_type="application/json").status_code == 403
    client.force_login(w["staff"])
    ok = client.post(reverse("tolerance-ruling-accept", args=[rid]), {"reason": "受理"}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["status"] == "accepted" and "verify" in ok.json()["allowed_actions"]
    bad = client.post(reverse("tolerance-ruling-decide", args=[rid]), {"decision": "full", "decision_reason": "x"},
                      content_type="application/json")
    assert bad.status_code == 400 and set(bad.json()) == {"message", "errors"}
    ok = client.post(reverse("tolerance-ruling-verify", args=[rid]), {**CRITERIA, "reason": "核实"},
                     content_type="application/json")
    assert ok.status_code == 200 and ok.json()["status"] == "verified"


# --------------------------------------------------------------------------- demo
def test_demo_part_covers_every_state(w):
    import random

    from assessment.demo_conduct import Context
    from assessment.demo_conduct import protection as demo
    from tests.factories import CadreFactory

    for i in range(12):
        CadreFactory(unit=w["tree"].town_a if i % 2 else w["tree"].town_b)
    ctx = Context(by=w["staff"], rng=random.Random(1), today=today(), made={"cards": [w["card_a"], w["card_b"]]})
    assert demo.build(ctx) > 0
    assert set(ToleranceRuling.objects.values_list("status", flat=True)) == set(S.values)
    full = ToleranceRuling.objects.get(decision="full")
    assert full.waive_card and WarningCard.objects.get(pk=full.card_id).status == CardStatus.REVOKED
    assert ToleranceRuling.objects.filter(risk_filing__isnull=False).count() >= 3
    assert set(RiskFiling.objects.values_list("status", flat=True)) == {"filed", "acknowledged"}
    assert set(Clarification.objects.values_list("follow_up", flat=True)) == set(FollowUp.values)
    assert Clarification.objects.filter(card__isnull=False).count() == 1


@pytest.mark.parametrize("state", list(LEGAL))
def test_detail_and_step_pages_render_in_every_state(w, client, state):
    r = _to(w, state, card=w["card_a"])
    if state not in (S.REPORTED, S.REJECTED):
        svc.ruling_evidence_add(by=w["staff"], ruling=r, upload=SimpleUploadedFile("说明.pdf", PDF))
    for user in ("staff", "leader", "auditor"):
        client.force_login(w[user])
        page = client.get(reverse("assessment:ruling_detail", args=[r.pk]))
        assert page.status_code == 200, (state, user)
        html = page.content.decode()
        assert page.context["allowed"] == svc.ruling_allowed_actions(r, w[user])
        assert (reverse("assessment:ruling_accept", args=[r.pk]) in html) == (user == "staff" and state == S.APPLIED)
    client.force_login(w["staff"])
    for step, legal_from in (("verify", S.ACCEPTED), ("decide", S.VERIFIED), ("report", S.DECIDED)):
        response = client.get(reverse(f"assessment:ruling_{step}", args=[r.pk]))
        assert response.status_code == (200 if state == legal_from else 302), (state, step)


def test_api_evidence_leaders_while_applied(w, client):
    r = _apply(w)
    client.force_login(w["leader"])
    url = reverse("tolerance-ruling-evidence", args=[r.pk])
    response = client.post(url, {"file": SimpleUploadedFile("说明.pdf", PDF)})
    assert response.status_code == 201, response.content
    eid = response.json()["id"]
    assert client.get(response.json()["download_url"]).status_code == 200
    bad = client.post(url, {"file": SimpleUploadedFile("x.pdf", b"plain text")})
    assert bad.status_code == 400 and "file" in bad.json()["errors"]
    svc.ruling_accept(by=w["staff"], ruling=r, reason="受理")
    late = client.post(url, {"file": SimpleUploadedFile("说明.pdf", PDF)})
    assert late.status_code == 400
    assert client.delete(reverse("ruling-evidence-detail", args=[eid])).status_code == 400
    assert [e["id"] for e in client.get(url).json()] == [eid]
