"""The cross-links between cards, proposals, adjustments and protection: each shows for the users
who may use it and not for the others (org staff, the cadre's unit leader, an auditor), and the
presets they carry fill the forms they open. One world for the module; each test in a savepoint."""
import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from assessment.models import (
    CardProposal,
    CardReason,
    CardStatus,
    Clarification,
    RiskFiling,
    Sanction,
    ToleranceRuling,
    WarningCard,
)
from pingdingshan.core.dates import today
from tests.conftest import make_people, make_tree, rolled_back


def _card(cadre, *, status=CardStatus.ISSUED, color="yellow", proposal=None):
    start = today() - dt.timedelta(days=30)
    reason = CardReason.objects.first() or CardReason.objects.create(name="推诿扯皮")
    return WarningCard.objects.create(color=color, cadre=cadre, unit=cadre.unit, reason=reason, facts="推诿扯皮",
                                      issuing_body="市委组织部", start_date=start,
                                      end_date=start + dt.timedelta(days=180), status=status, proposal=proposal)


def _build():
    tree = make_tree()
    p = make_people(tree)
    a, b = p.cadre_a, p.cadre_b
    proposal = CardProposal.objects.create(trigger="grade_basic", cadre=a, suggestion="yellow", key="t:links:1",
                                           detected_on=today(), status="confirmed")
    free = _card(a)  # issued, nothing on it yet
    held = _card(a, color="red")  # issued, under a ruling
    cleared = _card(a, status=CardStatus.REVOKED)
    sanction = Sanction.objects.create(cadre=a, kind="warning", decided_on=today() - dt.timedelta(days=20),
                                       end_date=today() + dt.timedelta(days=200), body="县纪委")
    filing = RiskFiling.objects.create(unit=tree.town_a, cadre=a, matter="招商引资", risk="资金风险", measures="集体研究",
                                       filed_on=today() - dt.timedelta(days=60))
    filing_b = RiskFiling.objects.create(unit=tree.town_b, cadre=b, matter="产业园区", risk="融资风险", measures="第三方评估",
                                         filed_on=today() - dt.timedelta(days=60))
    ruling = ToleranceRuling.objects.create(cadre=a, unit=a.unit, applicant="unit", matter="项目前期投入", loss="50 万元",
                                            card=held, sanction=sanction, risk_filing=filing, applied_by=p.leader)
    clarification = Clarification.objects.create(cadre=a, source="report", report="被反映", finding="不实",
                                                 method="meeting", venue="干部大会", cleared_on=today(), card=cleared,
                                                 recorded_by=p.org_staff)
    return {"staff": p.org_staff, "auditor": p.auditor, "leader": p.leader, "a": a, "b": b,
            "free": free, "held": held, "cleared": cleared, "card_b": _card(b),
            "from_proposal": _card(a, proposal=proposal), "proposal": proposal,
            "sanction": sanction, "filing": filing, "filing_b": filing_b,
            "open_filing": RiskFiling.objects.create(unit=tree.town_a, matter="土地流转", risk="纠纷", measures="公示",
                                                     filed_on=today() - dt.timedelta(days=10)),
            "ruling": ruling, "clarification": clarification}


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker):
    with rolled_back(django_db_blocker, _build) as built:
        yield built


@pytest.fixture
def w(db, _world):
    return _world


def _page(w, who, name, pk):
    client = Client()
    client.force_login(w[who])
    r = client.get(reverse(f"assessment:{name}", args=[pk]))
    assert r.status_code == 200, (who, name, r.status_code)
    return r.content.decode()


def _apply_url(w, card):
    return f'{reverse("assessment:ruling_create")}?card={card.pk}&amp;cadre={card.cadre_id}'


def _clarify_url(w, card):
    return f'{reverse("assessment:clarification_create")}?card={card.pk}&amp;cadre={card.cadre_id}'


# --------------------------------------------------------------------------- card page
def test_card_page_apply_and_clarify_buttons_follow_the_gate(w):
    card = w["free"]
    staff = _page(w, "staff", "card_detail", card.pk)
    assert _apply_url(w, card) in staff and _clarify_url(w, card) in staff
    leader = _page(w, "leader", "card_detail", card.pk)
    assert _apply_url(w, card) in leader and "card-clarify" not in leader
    auditor = _page(w, "auditor", "card_detail", card.pk)
    assert "card-apply-ruling" not in auditor and "card-clarify" not in auditor


def test_card_under_a_ruling_links_it_and_offers_no_second_application(w):
    held = w["held"]
    for who in ("staff", "leader", "auditor"):
        html = _page(w, who, "card_detail", held.pk)
        assert reverse("assessment:ruling_detail", args=[w["ruling"].pk]) in html
        assert "card-apply-ruling" not in html


def test_revoked_card_links_its_clarification_and_offers_neither_button(w):
    cleared = w["cleared"]
    html = _page(w, "staff", "card_detail", cleared.pk)
    assert reverse("assessment:clarification_detail", args=[w["clarification"].pk]) in html
    assert "card-apply-ruling" not in html and "card-clarify" not in html


def test_card_links_its_proposal_for_city_wide_readers_only(w):
    card, url = w["from_proposal"], reverse("assessment:proposal_detail", args=[w["proposal"].pk])
    assert url in _page(w, "staff", "card_detail", card.pk)
    assert url in _page(w, "auditor", "card_detail", card.pk)
    assert url not in _page(w, "leader", "card_detail", card.pk)


def test_proposed_card_offers_no_protection_and_leader_of_other_unit_sees_nothing(w):
    proposed = _card(w["a"], status=CardStatus.PROPOSED)
    html = _page(w, "staff", "card_detail", proposed.pk)
    assert "card-apply-ruling" not in html and "card-clarify" not in html
    client = Client()
    client.force_login(w["leader"])
    assert client.get(reverse("assessment:card_detail", args=[w["card_b"].pk])).status_code == 404


# --------------------------------------------------------------------------- protection pages
def test_ruling_page_links_card_sanction_filing_and_cadre(w):
    r = w["ruling"]
    for who in ("staff", "leader", "auditor"):
        html = _page(w, who, "ruling_detail", r.pk)
        assert reverse("assessment:card_detail", args=[w["held"].pk]) in html
        assert reverse("assessment:sanction_detail", args=[w["sanction"].pk]) in html
        assert reverse("assessment:filing_detail", args=[w["filing"].pk]) in html
        assert reverse("cadres:cadre_detail", args=[w["a"].pk]) in html


def test_clarification_page_links_the_card(w):
    c = w["clarification"]
    for who in ("staff", "leader", "auditor"):
        assert reverse("assessment:card_detail", args=[w["cleared"].pk]) in _page(w, who, "clarification_detail", c.pk)


def test_filing_page_offers_apply_to_who_may_apply(w):
    filing = w["filing_b"]  # no ruling yet; cadre B is outside the leader's unit
    url = f'{reverse("assessment:ruling_create")}?risk_filing={filing.pk}&amp;cadre={filing.cadre_id}'
    assert url in _page(w, "staff", "filing_detail", filing.pk)
    assert "filing-apply-ruling" not in _page(w, "auditor", "filing_detail", filing.pk)
    held = _page(w, "staff", "filing_detail", w["filing"].pk)  # under a ruling for its cadre already
    assert "filing-apply-ruling" not in held
    own = w["open_filing"]  # no cadre: anyone who may apply in the unit
    assert f'?risk_filing={own.pk}"' in _page(w, "leader", "filing_detail", own.pk)
    assert "filing-apply-ruling" not in _page(w, "auditor", "filing_detail", own.pk)


# --------------------------------------------------------------------------- presets fill the forms
def _selected(html, name, pk):
    import re

    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, name
    return re.search(rf'<option value="{pk}"[^>]*selected', select.group(1)) is not None


def test_presets_fill_the_forms(w):
    client = Client()
    client.force_login(w["staff"])
    card = w["free"]
    html = client.get(f'{reverse("assessment:ruling_create")}?card={card.pk}&cadre={card.cadre_id}').content.decode()
    assert _selected(html, "cadre", card.cadre_id) and _selected(html, "card", card.pk)
    html = client.get(f'{reverse("assessment:clarification_create")}?card={card.pk}&cadre={card.cadre_id}').content.decode()
    assert _selected(html, "cadre", card.cadre_id) and _selected(html, "card", card.pk)
    filing = w["filing_b"]
    html = client.get(f'{reverse("assessment:ruling_create")}?risk_filing={filing.pk}').content.decode()
    assert _selected(html, "cadre", filing.cadre_id) and _selected(html, "risk_filing", filing.pk)


def test_adjustment_and_proposal_link_back_to_the_card(w):
    from assessment.models import Adjustment

    red = w["held"]
    adj = Adjustment.objects.create(card=red, cadre=red.cadre, due_date=today() + dt.timedelta(days=30))
    assert reverse("assessment:card_detail", args=[red.pk]) in _page(w, "staff", "adjustment_detail", adj.pk)
    assert reverse("assessment:adjustment_detail", args=[adj.pk]) in _page(w, "staff", "card_detail", red.pk)
    assert reverse("assessment:card_detail", args=[w["from_proposal"].pk]) in _page(
        w, "staff", "proposal_detail", w["proposal"].pk)
