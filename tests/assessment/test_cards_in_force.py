"""The card list's 今天在期限内 filter and the card page say what ``standing`` says: a card named by
a clarification, revoked by a ruling, lifted, or outside its term does not count (one rule,
``standing.cards_counting_q``)."""
import datetime as dt

import pytest
from django.urls import reverse

from assessment.models import CardReason, Clarification
from assessment.services import cards as svc
from assessment.services.standing import standing
from pingdingshan.core.dates import today
from tests.conftest import make_people, make_tree


@pytest.fixture
def cards(db):
    tree = make_tree()
    people = make_people(tree)
    org = people.org_staff
    reason = CardReason.objects.get(name="不作为")

    def issued(**kw):
        card = svc.card_create(by=org, cadre=people.cadre_a, color="yellow", reason=reason, facts="事实",
                               issuing_body="市委组织部", **kw)
        return svc.card_issue(by=org, card=card, reason="经核实")

    live = issued(start_date=today() - dt.timedelta(days=10))
    clarified = issued(start_date=today() - dt.timedelta(days=5))
    Clarification.objects.create(cadre=people.cadre_a, source="investigator", report="反映", finding="不实",
                                 method="meeting", venue="干部大会", cleared_on=today(), card=clarified)
    ended = issued(start_date=today() - dt.timedelta(days=400))
    return org, live, clarified, ended


def test_in_force_filter_counts_what_standing_counts(client, cards):
    org, live, clarified, ended = cards
    client.force_login(org)
    r = client.get(reverse("assessment:card_list"), {"in_force": "true"})
    shown = {c.pk for c in r.context["cards"]}
    assert shown == {c.pk for c in standing([live.cadre_id])[live.cadre_id].cards} == {live.pk}
    r = client.get(reverse("assessment:card_list"), {"in_force": "false"})
    assert {c.pk for c in r.context["cards"]} == {clarified.pk, ended.pk}


def test_card_page_of_a_clarified_card_is_not_in_force(client, cards):
    org, live, clarified, _ended = cards
    client.force_login(org)
    assert client.get(reverse("assessment:card_detail", args=[live.pk])).context["in_force"] is True
    assert client.get(reverse("assessment:card_detail", args=[clarified.pk])).context["in_force"] is False
