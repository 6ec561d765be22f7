"""The 担当状态 panels: the cadre page's tab (today's standing: cards, sanctions, awards, rulings,
every block with its sentence, waivers and priorities) and the unit page's count of its subtree's
cards in force by colour; unit leaders see them only within their scope."""
import datetime as dt

import pytest
from django.urls import reverse

from assessment.models import (
    Award,
    AwardKind,
    CardReason,
    CardStatus,
    Clarification,
    RulingDecision,
    Sanction,
    ToleranceRuling,
    WarningCard,
)
from assessment.services.standing import card_counts, standing
from cadres.models import Cadre
from pingdingshan.core.dates import today

pytestmark = pytest.mark.django_db


def card(cadre, color="yellow", status=CardStatus.ISSUED, days_ago=10, term=180):
    start = today() - dt.timedelta(days=days_ago)
    return WarningCard.objects.create(
        color=color, cadre=cadre, unit=cadre.unit, reason=CardReason.objects.get(name="不作为"), facts="事实",
        issuing_body="市委组织部", start_date=start, end_date=start + dt.timedelta(days=term), status=status)


def _tab(client, user, cadre):
    client.force_login(user)
    return client.get(reverse("cadres:cadre_detail", args=[cadre.pk]), {"tab": "standing"})


def test_the_cadre_tab_shows_cards_blocks_waivers_and_priorities(client, org_staff, cadre_a):
    red = card(cadre_a, color="red")
    yellow = card(cadre_a, days_ago=30)
    ToleranceRuling.objects.create(cadre=cadre_a, unit=cadre_a.unit, applicant="org", matter="抢险救灾中的失误",
                                   loss="损失", conduct="表现", card=yellow, status="decided",
                                   decision=RulingDecision.PARTIAL, decided_on=today(), waive_pool=True)
    Sanction.objects.create(cadre=cadre_a, kind="warning", decided_on=today() - dt.timedelta(days=5),
                            end_date=today() + dt.timedelta(days=170), body="县纪委监委")
    Award.objects.create(kind=AwardKind.objects.get(name="鹰城担当作为好干部"), cadre=cadre_a, unit=cadre_a.unit,
                         year=today().year - 1, awarded_on=today() - dt.timedelta(days=200), issuing_body="市委")
    r = _tab(client, org_staff, cadre_a)
    assert r.status_code == 200
    html = r.content.decode()
    assert "担当状态" in html and f'data-standing="{cadre_a.pk}"' in html
    assert f'data-card="{red.pk}"' in html and f'data-card="{yellow.pk}"' in html
    assert reverse("assessment:card_detail", args=[red.pk]) in html
    st = standing([cadre_a.pk])[cadre_a.pk]
    for fact in (*st.blocks["promotion"], *st.blocks["pool"], *st.waivers, *st.priorities):
        assert fact.sentence in html
    assert "不得提拔任用" in html and "抢险救灾中的失误" in html and "警告" in html and "鹰城担当作为好干部" in html
    assert "同等条件下优先考虑" in html


def test_a_clean_cadre_tab_says_nothing_is_blocked(client, org_staff, cadre_a):
    card(cadre_a, status=CardStatus.PROPOSED)  # a proposed card never counts
    html = _tab(client, org_staff, cadre_a).content.decode()
    assert "无限制" in html and "无有效的红黄牌。" in html and "data-card=" not in html


def test_a_unit_leader_sees_the_tab_of_cadres_in_scope_only(client, leader, auditor, cadre_a, cadre_b):
    card(cadre_a)
    card(cadre_b)
    assert _tab(client, leader, cadre_a).status_code == 200
    assert _tab(client, leader, cadre_b).status_code == 404
    assert _tab(client, auditor, cadre_b).status_code == 200


def _unit_page(client, user, unit):
    client.force_login(user)
    return client.get(reverse("cadres:unit_detail", args=[unit.pk]))


def _count(html, color):
    import re

    m = re.search(rf'data-color="{color}" data-count="(\d+)"', html)
    return int(m.group(1)) if m else None


def test_the_unit_page_counts_its_subtrees_cards_by_colour(client, org_staff, tree, cadre_a, cadre_b):
    card(cadre_a)
    card(cadre_a, color="red")
    card(cadre_b)
    card(cadre_a, status=CardStatus.REVOKED)
    card(cadre_a, days_ago=400)  # ended
    cleared = card(cadre_a)
    Clarification.objects.create(cadre=cadre_a, source="application", report="举报", finding="不实", method="public",
                                 venue="全县", cleared_on=today(), card=cleared)
    html = _unit_page(client, org_staff, tree.county_a).content.decode()
    assert (_count(html, "yellow"), _count(html, "red")) == (1, 1)
    html = _unit_page(client, org_staff, tree.city).content.decode()
    assert (_count(html, "yellow"), _count(html, "red")) == (2, 1)
    # Each count links to the card list filtered the same way.
    link = f"{reverse('assessment:card_list')}?unit={tree.city.pk}&color=yellow&in_force=true"
    assert link.replace("&", "&amp;") in html
    WarningCard.objects.filter(pk=cleared.pk).update(status=CardStatus.REVOKED)  # as clarifying it does (protection)
    listed = client.get(link)
    assert listed.status_code == 200 and listed.context["page_obj"].paginator.count == 2
    # The same count as standing's
    st = standing(Cadre.objects.all())
    assert sum(len(s.cards) for s in st.values()) == 3
    assert card_counts(Cadre.objects.all()) == {"yellow": 2, "red": 1}


def test_a_unit_leader_sees_the_count_of_units_in_scope_only(client, leader, tree, cadre_a, cadre_b):
    card(cadre_a)
    card(cadre_b)
    r = _unit_page(client, leader, tree.county_a)
    assert r.status_code == 200 and _count(r.content.decode(), "yellow") == 1
    assert _unit_page(client, leader, tree.county_b).status_code == 404


def _actions(client, user, cadre):
    import re

    html = _tab(client, user, cadre).content.decode()
    return {re.sub(r"<[^>]+>", "", m).strip()
            for m in re.findall(r'<a class="btn btn-sm btn-outline-secondary standing-action"[^>]*>(.*?)</a>', html)}


def test_the_tab_starts_what_the_user_may_do_about_the_cadre(client, org_staff, leader, auditor, cadre_a):
    assert _actions(client, org_staff, cadre_a) == {"拟发红黄牌", "登记担当提醒", "登记处分", "登记表彰", "澄清正名",
                                                    "申请容错"}
    assert _actions(client, leader, cadre_a) == {"申请容错"}  # the cadre's unit leader applies, never issues
    assert _actions(client, auditor, cadre_a) == set()
