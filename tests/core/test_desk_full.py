"""The work desk of issue 14 in full: per role, each line with its exact count for a hand-built
world, the link landing on a list of exactly those rows (the same count), lines absent for roles
they do not concern, a unit leader's counts within their subtree, and the home page's queries
bounded whatever the world's size."""
import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment.models import Adjustment, AwardKind, Campaign
from cadres.models import PerformanceRecord, RecordStatus, Talk, TaskCategory
from pingdingshan.core import desk
from pingdingshan.core.dates import today
from pingdingshan.core.models import ExportLog
from promotion.models import Selection, SelectionCandidate, SelectionStatus
from promotion.services import selection as ssvc
from tests.assessment.conduct_helpers import card, proposal
from tests.conftest import make_people, make_tree, rolled_back
from tests.factories import CadreFactory, PostFactory

U = get_user_model()


def _selection(by, unit, post, cadre, status, **fields):
    sel = ssvc.selection_create(by=by, kind="individual", title=f"{unit.name}{status}", unit=unit, post=post,
                                candidates=[cadre])
    Selection.objects.filter(pk=sel.pk).update(status=status, **fields)
    return sel


def _campaign(kind, name, status, **dates):
    return Campaign.objects.create(kind=kind, year=2026, name=name, status=status, **dates)


def _record(cadre, status, by=None):
    return PerformanceRecord.objects.create(
        cadre=cadre, unit=cadre.unit, category=TaskCategory.objects.first(), title="招商引资", description="x",
        role="lead", start_date=dt.date(2026, 3, 1), status=status, created_by=by)


def build_world():
    tree = make_tree()
    p = make_people(tree)
    day = today()
    post_a = PostFactory(unit=tree.town_a, name="镇长", is_chief=True, quota=1, level=2, kind="party_gov_chief")
    post_b = PostFactory(unit=tree.town_b, name="镇长", is_chief=True, quota=1, level=2, kind="party_gov_chief")
    c_a2 = CadreFactory(unit=tree.town_a, name="王五")
    # selection records: at 民主推荐 in each county, one at 考察, one on probation ending soon, one
    # whose notice ended without its result, one done (not waiting)
    _selection(p.org_staff, tree.town_a, post_a, p.cadre_a, SelectionStatus.RECOMMEND)
    _selection(p.org_staff, tree.town_b, post_b, p.cadre_b, SelectionStatus.RECOMMEND)
    _selection(p.org_staff, tree.town_b, post_b, p.cadre_b, SelectionStatus.INSPECT)
    probation = _selection(p.org_staff, tree.town_a, post_a, c_a2, SelectionStatus.PROBATION)
    SelectionCandidate.objects.filter(selection=probation).update(probation_end=day + dt.timedelta(days=5))
    probation_later = _selection(p.org_staff, tree.town_a, post_a, p.cadre_a, SelectionStatus.PROBATION)
    SelectionCandidate.objects.filter(selection=probation_later).update(probation_end=day + dt.timedelta(days=200))
    _selection(p.org_staff, tree.town_a, post_a, p.cadre_a, SelectionStatus.APPOINT,
               notice_start=day - dt.timedelta(days=10), notice_end=day - dt.timedelta(days=2))
    _selection(p.org_staff, tree.town_a, post_a, p.cadre_a, SelectionStatus.DONE)
    # award campaigns: open for nomination, nominations closed, in notice, notice ended
    kind = AwardKind.objects.get_or_create(name="鹰城担当作为好干部", defaults={"target": "cadre", "level": "city"})[0]
    _campaign(kind, "推荐中", "nominating", nomination_deadline=day + dt.timedelta(days=3))
    _campaign(kind, "推荐已截止", "nominating", nomination_deadline=day - dt.timedelta(days=1))
    _campaign(kind, "公示中", "notice", notice_start=day, notice_end=day + dt.timedelta(days=5))
    _campaign(kind, "公示期满", "notice", notice_start=day - dt.timedelta(days=10), notice_end=day - dt.timedelta(days=3))
    # cards: a pending proposal, an appealed card, a red card's overdue adjustment
    proposal(p.cadre_a)
    card(p.cadre_a, status="appealed")
    red = card(p.cadre_b, color="red", start=dt.date(2026, 9, 1), months=12)
    Adjustment.objects.create(card=red, cadre=p.cadre_b, due_date=dt.date(2026, 10, 1))
    # records: submitted (2), returned in each county (the leader fixes theirs), drafts
    _record(p.cadre_a, RecordStatus.SUBMITTED)
    _record(p.cadre_b, RecordStatus.SUBMITTED)
    _record(p.cadre_a, RecordStatus.RETURNED, by=p.leader)
    _record(p.cadre_b, RecordStatus.RETURNED)
    _record(c_a2, RecordStatus.DRAFT, by=p.leader)
    # talks: follow-ups open in each county, one done, one without any
    for cadre, follow_up, done in ((p.cadre_a, "帮助解决子女入学", False), (c_a2, "跟进家属就业", False),
                                   (p.cadre_b, "协调住房", False), (p.cadre_a, "跟进体检", True), (c_a2, "", False)):
        Talk.objects.create(cadre=cadre, held_on=dt.date(2025, 6, 1), talked_by="部长", topics="谈心",
                            follow_up=follow_up, follow_up_done=done)
    # exports: two lately, one long ago (the auditor's desk)
    for what, days in (("干部花名册", 1), ("实绩记录", 3), ("旧导出", 30)):
        log = ExportLog.objects.create(user=p.org_staff, what=what, file_format="xlsx", row_count=10)
        ExportLog.objects.filter(pk=log.pk).update(created_at=log.created_at - dt.timedelta(days=days))
    return {"org": p.org_staff.pk, "auditor": p.auditor.pk, "leader": p.leader.pk, "post_a": post_a.pk,
            "town_a": tree.town_a.pk, "cadre_a": p.cadre_a.pk}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with rolled_back(django_db_blocker, build_world) as value:
        yield value


@pytest.fixture
def w(world, db):
    return world


def _user(w, role):
    return U.objects.get(pk=w[role])


def _counts(user):
    return {line.label: line.count for line in desk.lines_for(user)}


def test_org_staff_lines_and_counts(w):
    counts = _counts(_user(w, "org"))
    assert counts["待核实的实绩记录"] == 2
    assert "被退回的实绩记录" not in counts  # the returned of the city are not theirs to fix (mine=1)
    assert counts["待处理的红黄牌提示"] == 1 and counts["申诉中的红黄牌"] == 1 and counts["逾期未登记的组织调整"] == 1
    assert counts["推荐已截止待审核的评选活动"] == 1
    assert counts["公示中的评选活动"] == 1 and counts["公示期已满待决定的评选活动"] == 1
    assert counts["进行中的选任纪实"] == 6  # not the one done
    assert counts["试用期即将期满的选任纪实"] == 1  # not the one ending in 200 days
    assert counts["任前公示已期满待登记结果"] == 1
    assert counts["今年未谈心谈话"] == 3  # the city's cadres without a talk this year
    assert counts["谈心谈话待跟进事项"] == 3
    for absent in ("正在推荐的评选活动", "待民主推荐的选任纪实", "近 7 天的数据导出"):
        assert absent not in counts


def test_selection_line_tells_the_steps(w):
    line = next(x for x in desk.lines_for(_user(w, "org")) if x.label == "进行中的选任纪实")
    assert "民主推荐 2" in line.detail and "考察 1" in line.detail and "试用期 2" in line.detail


def test_unit_leader_counts_only_their_subtree(w):
    counts = _counts(_user(w, "leader"))
    assert counts["待民主推荐的选任纪实"] == 1  # 宝丰县's, not 叶县's
    assert counts["正在推荐的评选活动"] == 1  # open ones only, not the closed
    assert counts["被退回的实绩记录"] == 1 and counts["未提交的草稿"] == 1
    assert counts["今年未谈心谈话"] == 2  # 张三 and 王五 of 城关镇, not 李四 of 叶县
    assert counts["谈心谈话待跟进事项"] == 2
    for absent in ("待核实的实绩记录", "待处理的红黄牌提示", "逾期未登记的组织调整", "进行中的选任纪实",
                   "试用期即将期满的选任纪实", "推荐已截止待审核的评选活动", "公示期已满待决定的评选活动",
                   "近 7 天的数据导出"):
        assert absent not in counts


def test_auditor_desk_has_nothing_to_do(client, w):
    lines = desk.lines_for(_user(w, "auditor"))
    assert {line.label: line.count for line in lines} == {"近 7 天的数据导出": 2, "操作记录": None, "审计报表": 0}
    assert all(line.kind == desk.DONE for line in lines)
    client.force_login(_user(w, "auditor"))
    text = client.get("/").content.decode()
    assert "供您查阅" in text and "需要您处理的事项" not in text


@pytest.mark.parametrize("role", ["org", "leader", "auditor"])
def test_every_line_lands_on_its_rows(client, w, role):
    """Following a counted line shows a list of that many rows (each line is counted by its list)."""
    user = _user(w, role)
    client.force_login(user)
    counted = [line for line in desk.lines_for(user) if line.count is not None]
    assert counted
    for line in counted:
        page = client.get(line.url)
        assert page.status_code == 200, (line.label, line.url)
        assert page.context["page_obj"].paginator.count == line.count, (line.label, line.url)


def test_the_links_filter_the_lists(client, w):
    client.force_login(_user(w, "org"))
    url = reverse("promotion:selection_list")
    rows = client.get(url, {"waiting": "probation_due"}).context["selections"]
    assert [s.title for s in rows] == ["城关镇probation"] and len(rows) == 1
    rows = client.get(url, {"waiting": "notice_ended"}).context["selections"]
    assert [s.status for s in rows] == ["appoint"]
    names = [c.name for c in client.get(reverse("assessment:campaign_list"), {"stage": "closed"}).context["campaigns"]]
    assert names == ["推荐已截止"]
    assert client.get(url, {"waiting": "nonsense"}).status_code == 200  # an invalid choice is ignored on the page


def _home_queries(client, user):
    client.force_login(user)
    client.get("/")  # warm
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/").status_code == 200
    return len(ctx.captured_queries)


def test_home_queries_bounded_and_constant(client, w, django_assert_max_num_queries):
    org, leader, auditor = _user(w, "org"), _user(w, "leader"), _user(w, "auditor")
    client.force_login(org)
    with django_assert_max_num_queries(45):
        client.get("/")
    before = {role: _home_queries(client, u) for role, u in (("org", org), ("leader", leader), ("auditor", auditor))}
    # ten times more of everything on the desk
    post = PostFactory(unit_id=w["town_a"], name="副镇长", level=2, kind="deputy")
    cadre = CadreFactory(unit_id=w["town_a"], name="赵六")
    kind = AwardKind.objects.get(name="鹰城担当作为好干部")
    for i in range(10):
        _selection(org, post.unit, post, cadre, SelectionStatus.RECOMMEND)
        _campaign(kind, f"推荐中{i}", "nominating")
        _record(cadre, RecordStatus.SUBMITTED)
        _record(cadre, RecordStatus.RETURNED, by=leader)
        proposal(cadre, key=f"more{i}")
        ExportLog.objects.create(user=org, what=f"导出{i}", file_format="csv", row_count=1)
    after = {role: _home_queries(client, u) for role, u in (("org", org), ("leader", leader), ("auditor", auditor))}
    assert after == before
    assert _counts(leader)["待民主推荐的选任纪实"] == 11
