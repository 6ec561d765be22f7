"""The work desk on the home page: lines registered by the apps, each linking to its filtered list."""
import datetime as dt

import pytest
from django.urls import reverse

from cadres import services as records
from cadres.models import RecordStatus, TaskCategory
from pingdingshan.core import desk
from tests.assessment.conftest import category, deputies, give, period, scheme, tier  # noqa: F401
from tests.cadres.test_import import eager  # noqa: F401


def _draft(by, cadre, title="推进高标准农田建设"):
    return records.record_create(by=by, cadre=cadre, category=TaskCategory.objects.get(name="乡村振兴"), title=title,
                                 description="完成高标准农田2万亩", role="lead", start_date=dt.date(2025, 3, 1))


def _lines(client, user):
    client.force_login(user)
    r = client.get(reverse("home"))
    assert r.status_code == 200
    return r, {line.label: line for line in r.context["lines"]}


def test_the_apps_register_their_lines_in_ready():
    names = {p.__module__ + "." + p.__name__ for p in desk.providers()}
    assert {"cadres.desk.record_lines", "cadres.desk.import_lines", "assessment.desk.scoring_lines"} <= names


def test_registering_twice_keeps_one_and_order_decides():
    def extra(user):
        yield desk.DeskLine("额外事项", "/x/", count=1)

    try:
        desk.register(extra, order=-1)
        desk.register(extra, order=-1)
        assert desk.providers().count(extra) == 1 and desk.providers()[0] is extra
        assert desk.lines_for(None)[0].label == "额外事项"
    finally:
        desk.unregister(extra)
    assert extra not in desk.providers()


def test_org_staff_sees_records_to_verify_linking_to_the_queue(client, org_staff, leader, cadre_a):
    records.record_submit(by=leader, record=_draft(leader, cadre_a))
    records.record_submit(by=leader, record=_draft(leader, cadre_a, "第二条"))
    r, lines = _lines(client, org_staff)
    line = lines["待核实的实绩记录"]
    assert line.count == 2 and line.url == reverse("cadres:review_queue")
    assert line.url in r.content.decode()
    figures = {str(f["label"]): f["count"] for f in r.context["figures"]}
    assert figures["在职干部"] == 1 and figures["单位"] == 6


def test_leader_sees_returned_records_and_drafts_of_their_scope(client, org_staff, leader, cadre_a, cadre_b):
    returned = records.record_submit(by=leader, record=_draft(leader, cadre_a))
    records.record_return(by=org_staff, record=returned, reason="缺少佐证材料")
    _draft(leader, cadre_a, "草稿一条")
    _draft(org_staff, cadre_b, "叶县的草稿")  # outside the leader's scope
    r, lines = _lines(client, leader)
    assert "待核实的实绩记录" not in lines  # leaders do not verify
    assert lines["被退回的实绩记录"].count == 1
    assert lines["被退回的实绩记录"].url == reverse("cadres:record_list") + f"?status={RecordStatus.RETURNED}"
    assert lines["未提交的草稿"].count == 1
    # the link opens the list filtered to exactly those records
    listed = client.get(lines["被退回的实绩记录"].url)
    assert listed.status_code == 200 and [x.pk for x in listed.context["page_obj"].object_list] == [returned.pk]


def test_org_staff_see_only_the_returned_records_and_drafts_they_made(client, org_staff, leader, cadre_a, cadre_b):
    from tests.factories import user_with_role

    other_staff = user_with_role("org_staff", username="other_staff")
    mine_returned = records.record_submit(by=org_staff, record=_draft(org_staff, cadre_a, "我提交的"))
    records.record_return(by=other_staff, record=mine_returned, reason="缺少佐证材料")
    theirs = records.record_submit(by=leader, record=_draft(leader, cadre_a, "县里提交的"))
    records.record_return(by=org_staff, record=theirs, reason="缺少佐证材料")  # the leader's to fix
    mine_draft = _draft(org_staff, cadre_b, "我的草稿")
    _draft(leader, cadre_a, "县里的草稿")
    _draft(other_staff, cadre_b, "同事的草稿")
    r, lines = _lines(client, org_staff)
    returned, drafts = lines["被退回的实绩记录"], lines["未提交的草稿"]
    assert (returned.count, drafts.count) == (1, 1)
    list_url = reverse("cadres:record_list")
    assert returned.url == list_url + f"?status={RecordStatus.RETURNED}&mine=1"
    assert drafts.url == list_url + f"?status={RecordStatus.DRAFT}&mine=1"
    # each link opens the list filtered to exactly the records counted; the box shows it is on
    for line, record in ((returned, mine_returned), (drafts, mine_draft)):
        listed = client.get(line.url)
        assert listed.status_code == 200
        assert [x.pk for x in listed.context["page_obj"].object_list] == [record.pk]
        assert 'name="mine"' in listed.content.decode() and "checked" in listed.content.decode()
    # the same filter in the API (one FilterSet for page, export and API)
    api = client.get("/api/v1/records/", {"status": RecordStatus.DRAFT, "mine": "true"})
    assert api.status_code == 200 and [x["id"] for x in api.json()["results"]] == [mine_draft.pk]
    # without the filter the list still shows the whole city
    assert client.get(list_url, {"status": RecordStatus.DRAFT}).context["page_obj"].paginator.count == 3


def test_the_desk_answers_in_a_fixed_number_of_queries(client, org_staff, leader, cadre_a, cadre_b):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(user):
        client.force_login(user)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("home")).status_code == 200
        return len(ctx)

    for title in ("一", "二"):
        records.record_submit(by=org_staff, record=_draft(org_staff, cadre_a, title))
        _draft(org_staff, cadre_b, title)
        _draft(leader, cadre_a, title)
    before = {u.pk: queries(u) for u in (org_staff, leader)}
    for title in ("三", "四", "五"):
        returned = records.record_submit(by=org_staff, record=_draft(org_staff, cadre_a, title))
        records.record_return(by=org_staff, record=returned, reason="缺少佐证材料")
        _draft(org_staff, cadre_b, title)
        _draft(leader, cadre_a, title)
    assert {u.pk: queries(u) for u in (org_staff, leader)} == before


def test_nothing_to_do_says_so(client, leader):
    r, lines = _lines(client, leader)  # a county without cadres yet
    assert lines == {} and "目前没有需要您处理的事项" in r.content.decode()


def test_a_period_in_scoring_says_who_still_has_to_score(client, org_staff, period, deputies):  # noqa: F811
    give(org_staff, period, "上级", deputies[0], {"政治品质": 90, "履职成效": 90, "担当作为": 90})
    r, lines = _lines(client, org_staff)
    line = lines[f"考核周期“{period.name}”评分中"]
    assert line.url == reverse("assessment:period_detail", args=[period.pk])
    assert "上级 还有 4 人未评分" in line.detail and "同级 还有 5 人未评分" in line.detail
    assert "需要计算综合得分" in line.detail


def test_a_finished_import_is_on_the_uploaders_desk(client, leader, cadre_a, settings, tmp_path, eager):  # noqa: F811
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cadres.imports import jobs

    settings.MEDIA_ROOT = tmp_path
    csv = "干部身份证号,中心工作类别,标题,主要做法和成效,本人角色,开始日期\n".encode("utf-8-sig")
    job = jobs.import_start(by=leader, upload=SimpleUploadedFile("实绩.csv", csv, content_type="text/csv"))
    r, lines = _lines(client, leader)
    line = lines["实绩导入“实绩.csv”"]
    assert line.url == reverse("cadres:record_import_status") + f"?job={job.id}"
    assert line.kind in (desk.DONE, desk.WARNING) and line.detail


@pytest.mark.parametrize("who", ["org_staff", "leader", "auditor"])
def test_the_home_page_answers_for_every_role(client, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("home")).status_code == 200
