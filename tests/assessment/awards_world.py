"""A small world for the awards and campaigns tests: the tree of tests/conftest.py, its users, a
few cadres in both counties with a verified record each, and the seeded award kinds."""
import datetime as dt

from assessment.models import AwardKind, CardReason, WarningCard
from cadres import services as csvc
from cadres.models import TaskCategory
from pingdingshan.core.models import Role
from tests.conftest import make_people, make_tree
from tests.factories import CadreFactory, user_with_role


def build():
    tree = make_tree()
    people = make_people(tree)
    by = people.org_staff
    leader_b = user_with_role(Role.UNIT_LEADER, tree.county_b, username="leader_b")
    cadres_a = [people.cadre_a] + [CadreFactory(unit=tree.town_a, name=n) for n in ("王五", "赵六", "孙七")]
    cadre_county = CadreFactory(unit=tree.county_a, name="周八")
    category = TaskCategory.objects.get(name="乡村振兴")
    records = {}
    for c in cadres_a + [people.cadre_b]:
        r = csvc.record_create(by=by, submit=True, cadre=c, category=category, title=f"{c.name}的实绩",
                               description="完成", role="lead", start_date=dt.date(2025, 3, 1))
        records[c.pk] = csvc.record_verify(by=by, record=r)
    draft = csvc.record_create(by=by, cadre=people.cadre_a, category=category, title="草稿实绩", description="x",
                               role="lead", start_date=dt.date(2025, 3, 1))
    return type("World", (), dict(
        tree=tree, people=people, by=by, leader=people.leader, leader_b=leader_b, auditor=people.auditor,
        cadres_a=cadres_a, cadre_b=people.cadre_b, cadre_county=cadre_county, records=records, draft=draft,
        good=AwardKind.objects.get(name="鹰城担当作为好干部"), unit_kind=AwardKind.objects.get(name="人民满意担当作为先进单位"),
        merit=AwardKind.objects.get(name="记功"), commend=AwardKind.objects.get(name="嘉奖"),
    ))


def red_card(cadre, by, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31)):
    """An issued red card written directly (the card services are another part's)."""
    return WarningCard.objects.create(color="red", cadre=cadre, unit=cadre.unit, reason=CardReason.objects.first(),
                                      facts="推诿扯皮", issuing_body="市委组织部", start_date=start, end_date=end,
                                      status="issued", created_by=by)
