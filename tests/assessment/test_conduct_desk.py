"""The work desk's lines and the bell's count for cards, awards and protection: what each role is
shown, linked to the filtered list, in a constant number of queries."""
import datetime as dt

import pytest
from django.urls import reverse

from assessment import desk_conduct
from assessment.models import Adjustment, AwardKind, Campaign, ToleranceRuling
from assessment.services import reminders as rsvc
from pingdingshan.core import desk
from pingdingshan.core.dates import today

from .conduct_helpers import card, proposal


@pytest.fixture
def every_url(monkeypatch):
    """Every list page installed (the other parts of the module may not be yet)."""
    monkeypatch.setattr(desk_conduct, "_url", lambda name, **params: f"/{name}?" + "&".join(
        f"{k}={v}" for k, v in params.items()))


@pytest.fixture
def work(org_staff, cadre_a, cadre_b):
    """One of each: a pending proposal, an appealed card, an overdue adjustment, a follow-up due,
    a campaign in notice and one past its notice, a tolerance application, a campaign nominating."""
    proposal(cadre_a)
    card(cadre_a, status="appealed")
    red = card(cadre_b, color="red", start=dt.date(2026, 9, 1), months=12)
    Adjustment.objects.create(card=red, cadre=cadre_b, due_date=dt.date(2026, 10, 1))
    rsvc.reminder_create(by=org_staff, cadre=cadre_a, kind="talk", held_on=dt.date(2026, 11, 1), content="谈话",
                         follow_up_on=today())
    kind = AwardKind.objects.get_or_create(name="鹰城担当作为好干部", defaults={"target": "cadre", "level": "city"})[0]
    day = today()
    Campaign.objects.create(kind=kind, year=2026, name="公示中", status="notice", notice_start=day,
                            notice_end=day + dt.timedelta(days=5))
    Campaign.objects.create(kind=kind, year=2026, name="公示期满", status="notice",
                            notice_start=day - dt.timedelta(days=10), notice_end=day - dt.timedelta(days=3))
    Campaign.objects.create(kind=kind, year=2026, name="推荐中", status="nominating")
    ToleranceRuling.objects.create(cadre=cadre_a, unit=cadre_a.unit, applicant="unit", matter="项目超支",
                                   loss="超支20万元", conduct="主动整改")


def _lines(provider, user):
    return {line.label: line for line in provider(user)}


def test_org_staff_lines(org_staff, work, every_url, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        lines = _lines(desk_conduct.staff_lines, org_staff)
    counts = {label: line.count for label, line in lines.items()}
    assert counts == {"待处理的红黄牌提示": 1, "申诉中的红黄牌": 1, "逾期未登记的组织调整": 1, "到期待回访的担当提醒": 1,
                      "公示中的评选活动": 1, "公示期已满待决定的评选活动": 1, "待办理的容错申请": 1}
    assert lines["申诉中的红黄牌"].url == "/assessment:card_list?status=appealed"
    assert lines["逾期未登记的组织调整"].url == "/assessment:adjustment_list?overdue=true"
    assert lines["逾期未登记的组织调整"].kind == "warning"
    assert lines["待办理的容错申请"].url == "/assessment:ruling_list?open=true"


def test_queries_stay_constant(org_staff, work, every_url, tree, django_assert_num_queries):
    from tests.factories import CadreFactory

    with django_assert_num_queries(8):  # one COUNT per line, on its list page at its URL
        list(desk_conduct.staff_lines(org_staff))
    for i in range(5):
        proposal(CadreFactory(unit=tree.town_a), key=f"more{i}")
    with django_assert_num_queries(8):
        lines = _lines(desk_conduct.staff_lines, org_staff)
    assert lines["待处理的红黄牌提示"].count == 6


def test_lines_without_their_page_are_left_out(org_staff, work):
    """Before the other parts land, only the lines whose list page exists are shown (the reminders')."""
    labels = set(_lines(desk_conduct.staff_lines, org_staff))
    assert "到期待回访的担当提醒" in labels
    line = _lines(desk_conduct.staff_lines, org_staff)["到期待回访的担当提醒"]
    assert line.url == reverse("assessment:reminder_list") + "?due=on"


def test_nothing_to_do_no_lines(org_staff, every_url):
    assert list(desk_conduct.staff_lines(org_staff)) == []


def test_unit_leader_lines(leader, cadre_a, cadre_b, org_staff, work, every_url, django_assert_max_num_queries):
    card(cadre_a, status="issued", start=today() - dt.timedelta(days=3))
    card(cadre_b, status="issued", start=today() - dt.timedelta(days=3))  # another unit's
    card(cadre_a, status="proposed", start=today() - dt.timedelta(days=3))  # not shown to leaders
    with django_assert_max_num_queries(4):
        lines = _lines(desk_conduct.leader_lines, leader)
    assert {label: line.count for label, line in lines.items()} == {
        "近期发出的红黄牌": 2, "正在推荐的评选活动": 1, "办理中的容错申请": 1}  # the new card and the appealed one
    assert lines["正在推荐的评选活动"].url == "/assessment:campaign_list?stage=open"
    assert list(desk_conduct.staff_lines(leader)) == []
    assert list(desk_conduct.leader_lines(org_staff)) == []


def test_auditors_get_no_lines(auditor, work, every_url):
    assert list(desk_conduct.staff_lines(auditor)) == [] and list(desk_conduct.leader_lines(auditor)) == []


def test_registered_and_on_the_home_page(client, org_staff, leader, work):
    assert desk_conduct.staff_lines in desk.providers() and desk_conduct.leader_lines in desk.providers()
    client.force_login(org_staff)
    page = client.get(reverse("home"))
    text = page.content.decode()
    assert "到期待回访的担当提醒" in text and "bell-conduct" in text
    assert page.context["bell"].conduct == 3  # a proposal, an appeal, an overdue adjustment
    client.force_login(leader)
    page = client.get(reverse("home"))
    assert page.context["bell"].conduct is None and "bell-conduct" not in page.content.decode()


def test_lines_lead_to_lists_of_the_same_rows(client, org_staff, leader, cadre_a, work):
    """Following a line shows the rows it counted (for the list pages installed)."""
    card(cadre_a, status="issued", start=today() - dt.timedelta(days=3))
    for user, provider, labels in (
            (org_staff, desk_conduct.staff_lines, ("待处理的红黄牌提示", "申诉中的红黄牌", "逾期未登记的组织调整",
                                                   "到期待回访的担当提醒", "待办理的容错申请")),
            (leader, desk_conduct.leader_lines, ("近期发出的红黄牌", "办理中的容错申请"))):
        client.force_login(user)
        lines = _lines(provider, user)
        for label in labels:
            if label not in lines:  # that list page is not installed
                continue
            page = client.get(lines[label].url)
            assert page.status_code == 200, (label, lines[label].url)
            assert page.context["page_obj"].paginator.count == lines[label].count, (label, lines[label].url)
