"""The demo's frontline postings: written through the services in several states, the local
county's proposed by its unit leader, and loaded once."""
import pytest

from promotion import demo_postings
from promotion.models import FrontlinePosting, PromotionStep
from tests.conftest import make_people, make_tree
from tests.factories import CadreFactory, user_with_role


@pytest.mark.django_db
def test_demo_postings_in_every_state_once():
    from pingdingshan.core.models import Role

    tree = make_tree()
    people = make_people(tree)
    leader = user_with_role(Role.UNIT_LEADER, tree.county_a, username="baofeng_leader")
    for i in range(14):
        CadreFactory(unit=tree.town_a if i % 2 else tree.town_b, name=f"演示{i}")
    n = demo_postings.build(by=people.org_staff)
    assert n == FrontlinePosting.objects.count() > 10
    states = set(FrontlinePosting.objects.values_list("status", flat=True))
    assert states == {"proposed", "approved", "closed", "rejected", "cancelled"}
    local = FrontlinePosting.objects.filter(cadre__unit__path__startswith=tree.county_a.path)
    assert local.exists() and set(local.values_list("proposed_by", flat=True)) == {leader.pk}
    assert PromotionStep.objects.filter(subject="posting").count() >= n
    assert demo_postings.present() and demo_postings.build(by=people.org_staff) == 0
