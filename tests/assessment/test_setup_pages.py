"""The assessment set-up and scoring pages: the main flows (happy path) and one bad input per form
that leaves the data unchanged."""
import datetime as dt

import pytest
from django.urls import reverse

from assessment import services as asvc
from assessment.models import (
    AssessmentPeriod,
    Category,
    IndicatorScheme,
    PeriodKind,
    PeriodStatus,
    RaterGroup,
    SchemeStatus,
    Score,
    Tier,
    UnitCategory,
)

from .conftest import INDICATORS, all_raters

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft_period(org_staff, scheme, deputies):
    return asvc.period_save(by=org_staff, name="2026年度考核", kind=PeriodKind.ANNUAL, year=2026,
                            start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 12, 31))


@pytest.fixture
def staff_client(client, org_staff):
    client.force_login(org_staff)
    return client


def _messages(response):
    return [str(m) for m in response.wsgi_request._messages]


# --------------------------------------------------------------------------- nav and lists
def test_nav_and_period_list_filters(staff_client, period, org_staff):
    asvc.period_save(by=org_staff, name="一季度平时考核", kind=PeriodKind.ROUTINE, year=2026,
                     start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 3, 31))
    r = staff_client.get(reverse("assessment:period_list"))
    html = r.content.decode()
    assert r.status_code == 200
    assert reverse("assessment:period_list") in html and "考核" in html
    assert "2026年度考核" in html and "一季度平时考核" in html
    r = staff_client.get(reverse("assessment:period_list"), {"status": "open"})
    rows = r.context["periods"]
    assert [p.pk for p in rows] == [period.pk]
    assert rows[0].result_count == 5 and rows[0].scheme_count == 1 and rows[0].group_count == 3


def test_leader_sees_published_periods_only(client, leader, period):
    client.force_login(leader)
    assert client.get(reverse("assessment:period_list")).context["periods"] == []
    assert client.get(reverse("assessment:period_detail", args=[period.pk])).status_code == 404
    AssessmentPeriod.objects.filter(pk=period.pk).update(status=PeriodStatus.PUBLISHED)
    assert [p.pk for p in client.get(reverse("assessment:period_list")).context["periods"]] == [period.pk]
    r = client.get(reverse("assessment:period_detail", args=[period.pk]))
    assert r.status_code == 200
    # Results only of cadres in the leader's units (宝丰县: the 甲 deputies of 城关镇).
    assert {x.cadre.name for x in r.context["results"]} == {"甲一", "甲二", "甲三"}
    assert b"btn-outline-danger" not in r.content  # no write buttons


def test_period_export(staff_client, period):
    r = staff_client.get(reverse("assessment:period_export"), {"format": "csv", "status": "open"})
    assert r.status_code == 200
    body = r.content.decode("utf-8-sig")
    assert "2026年度考核" in body


# --------------------------------------------------------------------------- period set-up
def test_period_create_and_bad_input(staff_client):
    url = reverse("assessment:period_create")
    data = {"name": "2026年专项考核", "kind": "special", "year": 2026, "task_name": "",
            "start_date": "2026-03-01", "end_date": "2026-06-30", "excellent_share": "20",
            "excellent_min": "90", "competent_min": "70", "basic_min": "60"}
    r = staff_client.post(url, data)
    assert r.status_code == 200
    assert "专项考核须填写专项任务名称。" in r.content.decode()
    assert not AssessmentPeriod.objects.exists()
    r = staff_client.post(url, {**data, "task_name": "防汛救灾"})
    period = AssessmentPeriod.objects.get()
    assert r.status_code == 302 and r.url == reverse("assessment:period_detail", args=[period.pk])
    assert period.task_name == "防汛救灾" and period.status == PeriodStatus.DRAFT


def test_period_edit_locks_fields_once_open(staff_client, period):
    r = staff_client.get(reverse("assessment:period_edit", args=[period.pk]))
    assert r.context["form"].fields["start_date"].disabled
    r = staff_client.post(reverse("assessment:period_edit", args=[period.pk]), {
        "name": "2026年度考核（改）", "excellent_share": "15", "excellent_min": "92", "competent_min": "75",
        "basic_min": "60", "start_date": "2020-01-01"})
    assert r.status_code == 302
    period.refresh_from_db()
    assert period.name == "2026年度考核（改）" and period.start_date == dt.date(2026, 1, 1)
    r = staff_client.post(reverse("assessment:period_edit", args=[period.pk]), {
        "name": "x", "excellent_share": "15", "excellent_min": "60", "competent_min": "75", "basic_min": "60"})
    assert r.status_code == 200 and "分数线须满足" in r.content.decode()
    period.refresh_from_db()
    assert period.name == "2026年度考核（改）"


def test_draft_period_detail_shows_problems(staff_client, draft_period):
    r = staff_client.get(reverse("assessment:period_detail", args=[draft_period.pk]))
    html = r.content.decode()
    assert "尚未选择适用的指标体系。" in html and "尚未确定考核对象。" in html
    assert reverse("assessment:period_schemes", args=[draft_period.pk]) in html
    assert reverse("assessment:period_open", args=[draft_period.pk]) in html


def test_period_schemes(staff_client, draft_period, scheme, tier, category, org_staff):
    url = reverse("assessment:period_schemes", args=[draft_period.pk])
    draft = asvc.scheme_create(by=org_staff, tier=tier, category=category, year=2027, indicators=INDICATORS)
    r = staff_client.post(url, {"schemes": [draft.pk]})  # a draft is not offered
    assert r.status_code == 200 and r.context["form"].errors
    assert not draft_period.schemes.exists()
    r = staff_client.post(url, {"schemes": [scheme.pk]})
    assert r.status_code == 302
    assert list(draft_period.schemes.all()) == [scheme]


def test_rater_groups_form(staff_client, draft_period, scheme, tier, org_staff):
    asvc.period_set_schemes(by=org_staff, period=draft_period, schemes=[scheme])
    url = reverse("assessment:period_rater_groups", args=[draft_period.pk])
    r = staff_client.get(url)
    assert r.status_code == 200 and tier.name in r.content.decode()
    data = {"rows": 3, "g0_name": "上级", "g0_order": 1, f"g0_w{tier.pk}": "60",
            "g1_name": "同级", "g1_order": 2, f"g1_w{tier.pk}": "35", "g2_name": "", "g2_order": 3}
    r = staff_client.post(url, data)
    assert r.status_code == 200
    assert "各评价主体权重之和须为100，现为95" in r.content.decode()
    assert not RaterGroup.objects.filter(period=draft_period).exists()
    r = staff_client.post(url, {**data, f"g1_w{tier.pk}": "40"})
    assert r.status_code == 302
    groups = list(draft_period.rater_groups.order_by("order"))
    assert [g.name for g in groups] == ["上级", "同级"]
    assert [g.weights.get().weight for g in groups] == [60, 40]
    # Delete one and rename the other in the same form.
    r = staff_client.post(url, {"rows": 2, "g0_id": groups[0].pk, "g0_name": "上级领导", "g0_order": 1,
                                f"g0_w{tier.pk}": "100", "g1_id": groups[1].pk, "g1_name": "同级", "g1_order": 2,
                                f"g1_w{tier.pk}": "40", "g1_delete": "on"})
    assert r.status_code == 302
    assert [g.name for g in draft_period.rater_groups.all()] == ["上级领导"]


def test_enrol_open_flow(staff_client, draft_period, scheme, tier, org_staff, tree):
    from tests.factories import CadreFactory

    CadreFactory(unit=tree.town_a, name="无职务")
    asvc.period_set_schemes(by=org_staff, period=draft_period, schemes=[scheme])
    asvc.rater_groups_save(by=org_staff, period=draft_period, groups=[{"name": "上级", "weights": {tier.pk: 100}}])
    r = staff_client.post(reverse("assessment:period_open", args=[draft_period.pk]))
    assert r.status_code == 302 and "尚未确定考核对象。" in _messages(r)
    draft_period.refresh_from_db()
    assert draft_period.status == PeriodStatus.DRAFT
    r = staff_client.post(reverse("assessment:period_enrol", args=[draft_period.pk]))
    # back on the period page, where the next step (开始评分) is, told how many and why not the rest
    assert r.status_code == 302 and r["Location"] == reverse("assessment:period_detail", args=[draft_period.pk])
    said = _messages(r)
    assert any("新增考核对象 5 人，现共 5 人" in m for m in said), said
    assert any("1 名在职干部未纳入：无现任职务 1 人" in m for m in said), said
    assert draft_period.results.count() == 5
    html = staff_client.get(reverse("assessment:period_left_out", args=[draft_period.pk])).content.decode()
    assert "无职务" in html and "无现任职务" in html
    r = staff_client.post(reverse("assessment:period_open", args=[draft_period.pk]))
    assert r.status_code == 302
    draft_period.refresh_from_db()
    assert draft_period.status == PeriodStatus.OPEN


def test_the_left_out_and_score_scheme_selectors_read_through_the_gate(period, scheme, org_staff, leader,
                                                                      no_role_user, tree):
    from assessment import selectors
    from tests.factories import CadreFactory

    CadreFactory(unit=tree.town_a, name="无职务甲")  # in the leader's 宝丰县
    CadreFactory(unit=tree.town_b, name="无职务乙")  # outside it
    names = {u: {r["cadre"].name for r in selectors.enrol_left_out(user=u, period=period)[0]}
             for u in (org_staff, leader, no_role_user)}
    assert {"无职务甲", "无职务乙"} <= names[org_staff]
    assert "无职务甲" in names[leader] and "无职务乙" not in names[leader]
    assert names[no_role_user] == set() and selectors.enrol_left_out(user=no_role_user, period=period)[1] == 0
    assert [s.pk for s in selectors.score_schemes(user=org_staff, period=period)] == [scheme.pk]
    assert selectors.score_schemes(user=no_role_user, period=period) == []


def test_compute_and_remove(staff_client, eager, period, deputies, org_staff):
    """In-process (no broker) the computation job has run when the POST answers: the period page says how it went."""
    for c in deputies:
        all_raters(org_staff, period, c, 90, 85, 80)
    r = staff_client.post(reverse("assessment:period_compute", args=[period.pk]))
    assert r.status_code == 302
    (msg,) = _messages(r)
    assert "已计算 5 名考核对象" in msg and "秒" in msg
    result = period.results.get(cadre=deputies[0])
    assert result.composite is not None
    r = staff_client.post(reverse("assessment:result_remove", args=[result.pk]))
    assert r.status_code == 302
    assert not period.results.filter(cadre=deputies[0]).exists()
    assert not Score.objects.filter(result_id=result.pk).exists()


def test_auditor_reads_but_cannot_write(client, auditor, period):
    client.force_login(auditor)
    r = client.get(reverse("assessment:period_detail", args=[period.pk]))
    assert r.status_code == 200
    assert reverse("assessment:period_compute", args=[period.pk]).encode() not in r.content
    group = period.rater_groups.first()
    r = client.get(reverse("assessment:score_entry", args=[group.pk]))
    assert r.status_code == 200 and not r.context["editable"]
    assert b'name="result"' not in r.content
    assert client.post(reverse("assessment:score_entry", args=[group.pk])).status_code == 403


# --------------------------------------------------------------------------- score entry
def _grid_data(response, values):
    """POST data of the grid: ``values`` {(cadre name, indicator name): value}; other cells as shown."""
    data = {"result": []}
    for row in response.context["rows"]:
        data["result"].append(row["result"].pk)
        for c in row["cells"]:
            key = (row["result"].cadre.name, c["indicator"].name)
            data[c["name"]] = values.get(key, "" if c["value"] is None else str(c["value"]))
    return data


def test_score_entry_saves_all_or_nothing(staff_client, period, deputies):
    group = period.rater_groups.get(name="上级")
    url = reverse("assessment:score_entry", args=[group.pk])
    r = staff_client.get(url)
    assert r.status_code == 200
    assert [i.name for i in r.context["indicators"]] == ["政治品质", "履职成效", "担当作为"]  # not 实绩积分
    assert len(r.context["rows"]) == 5
    good = {("甲一", "政治品质"): "90", ("甲一", "履职成效"): "85", ("甲一", "担当作为"): "80.5"}
    bad = {("甲二", "政治品质"): "101", ("甲二", "履职成效"): "80", ("甲二", "担当作为"): "80",
           ("甲三", "政治品质"): "80"}  # 甲三: incomplete
    r = staff_client.post(url, _grid_data(r, {**good, **bad}))
    assert r.status_code == 200
    assert not Score.objects.exists()
    rows = {row["result"].cadre.name: row for row in r.context["rows"]}
    assert any("分数须在0到100之间" in e for e in rows["甲二"]["errors"])
    assert any("缺少指标" in e for e in rows["甲三"]["errors"])
    assert rows["甲一"]["errors"] == []
    assert [c["value"] for c in rows["甲一"]["cells"]] == ["90", "85", "80.5"]  # the input is kept
    assert "评分未保存" in r.content.decode()
    r = staff_client.post(url, _grid_data(staff_client.get(url), good))
    assert r.status_code == 302
    assert sorted(Score.objects.filter(rater_group=group).values_list("score", flat=True)) == [80.5, 85, 90]
    r = staff_client.get(url)
    row = next(x for x in r.context["rows"] if x["result"].cadre.name == "甲一")
    assert [float(c["value"]) for c in row["cells"]] == [90, 85, 80.5]


def test_score_entry_unit_filter_and_closed_period(staff_client, period, tree, org_staff):
    group = period.rater_groups.get(name="同级")
    url = reverse("assessment:score_entry", args=[group.pk])
    r = staff_client.get(url, {"unit": tree.town_b.pk})
    assert {row["result"].cadre.name for row in r.context["rows"]} == {"乙一", "乙二"}
    AssessmentPeriod.objects.filter(pk=period.pk).update(status=PeriodStatus.DRAFT)
    r = staff_client.get(url)
    assert not r.context["editable"]
    r = staff_client.post(url, {"result": [r.context["rows"][0]["result"].pk]})
    assert r.status_code == 200 and "不能录入评分" in r.content.decode()


# --------------------------------------------------------------------------- schemes
def _formset(rows, initial=0, extra=0):
    data = {"ind-TOTAL_FORMS": len(rows) + extra, "ind-INITIAL_FORMS": initial, "ind-MIN_NUM_FORMS": 0,
            "ind-MAX_NUM_FORMS": 1000, "name": "", "note": ""}
    for n, row in enumerate(rows):
        for k, v in row.items():
            data[f"ind-{n}-{k}"] = v
    return data


def test_scheme_create_edit_publish(staff_client, tier, category):
    r = staff_client.post(reverse("assessment:scheme_create"), {"tier": tier.pk, "category": category.pk,
                                                                 "year": 2028})
    scheme = IndicatorScheme.objects.get(year=2028)
    assert r.status_code == 302 and r.url == reverse("assessment:scheme_edit", args=[scheme.pk])
    url = reverse("assessment:scheme_edit", args=[scheme.pk])
    assert staff_client.get(url).status_code == 200
    rows = [
        {"order": 1, "dimension": "political", "name": "政治品质", "weight": "30", "method": "rater",
         "is_veto": "on", "veto_threshold": "60"},
        {"order": 2, "dimension": "business", "name": "履职成效", "weight": "50", "method": "rater"},
        {"order": 3, "dimension": "practice", "name": "实绩积分", "weight": "15", "method": "archive_points",
         "p_full_points": "40"},  # total 95
    ]
    r = staff_client.post(url, _formset(rows))
    assert r.status_code == 200
    assert "各指标权重之和须为100，现为95。" in r.content.decode()
    assert not scheme.indicators.exists()
    rows[2]["weight"] = "20"
    r = staff_client.post(url, _formset(rows))
    assert r.status_code == 302
    inds = {i.name: i for i in scheme.indicators.all()}
    assert inds["实绩积分"].params == {"full_points": "40"} and inds["政治品质"].is_veto
    r = staff_client.get(reverse("assessment:scheme_detail", args=[scheme.pk]))
    html = r.content.decode()
    assert "政治担当" in html and "实绩档案积分折算" in html and "满分所需实绩分" in html
    r = staff_client.post(reverse("assessment:scheme_publish", args=[scheme.pk]))
    scheme.refresh_from_db()
    assert r.status_code == 302 and scheme.status == SchemeStatus.PUBLISHED
    r = staff_client.get(reverse("assessment:scheme_edit", args=[scheme.pk]))
    assert r.status_code == 302  # frozen


def test_scheme_row_errors_shown_per_row(staff_client, tier, category, org_staff):
    scheme = asvc.scheme_create(by=org_staff, tier=tier, category=category, year=2028, indicators=INDICATORS)
    url = reverse("assessment:scheme_edit", args=[scheme.pk])
    rows = [
        {"dimension": "political", "name": "甲", "weight": "50", "method": "rater", "is_veto": "on"},
        {"dimension": "business", "name": "甲", "weight": "50", "method": "rater", "is_veto": "on"},
    ]
    r = staff_client.post(url, _formset(rows))
    assert r.status_code == 200
    html = r.content.decode()
    assert "指标名称“甲”与第1行重复。" in html
    assert "一票否决指标只能有一个" in html
    assert sorted(scheme.indicators.values_list("name", flat=True)) == sorted(i["name"] for i in INDICATORS)


def test_scheme_new_version_copy_delete(staff_client, scheme):
    r = staff_client.post(reverse("assessment:scheme_new_version", args=[scheme.pk]))
    v2 = IndicatorScheme.objects.get(tier=scheme.tier, category=scheme.category, year=2026, version=2)
    assert r.status_code == 302 and v2.status == SchemeStatus.DRAFT and v2.indicators.count() == 4
    url = reverse("assessment:scheme_copy", args=[scheme.pk])
    r = staff_client.post(url, {"year": 2026})
    assert r.status_code == 200 and "已有指标体系" in r.content.decode()
    r = staff_client.post(url, {"year": 2027})
    assert r.status_code == 302
    assert IndicatorScheme.objects.filter(year=2027, based_on=scheme).exists()
    r = staff_client.post(reverse("assessment:scheme_delete", args=[v2.pk]))
    assert r.status_code == 302 and not IndicatorScheme.objects.filter(pk=v2.pk).exists()
    r = staff_client.post(reverse("assessment:scheme_delete", args=[scheme.pk]))  # published: refused
    assert IndicatorScheme.objects.filter(pk=scheme.pk).exists()


def test_scheme_list_filters_and_leader(client, leader, scheme, org_staff, tier, category):
    asvc.scheme_create(by=org_staff, tier=tier, category=category, year=2027, indicators=INDICATORS)
    client.force_login(org_staff)
    r = client.get(reverse("assessment:scheme_list"), {"status": "draft"})
    assert [s.year for s in r.context["schemes"]] == [2027]
    assert r.context["schemes"][0].weight_total == 100
    client.force_login(leader)
    r = client.get(reverse("assessment:scheme_list"))
    assert [s.pk for s in r.context["schemes"]] == [scheme.pk]
    assert reverse("assessment:scheme_create").encode() not in r.content


# --------------------------------------------------------------------------- tiers, categories, units
def test_tier_create_edit(staff_client):
    url = reverse("assessment:tier_create")
    r = staff_client.post(url, {"name": "", "post_class": "chief", "order": 1})
    assert r.status_code == 200 and r.context["form"].errors["name"]
    count = Tier.objects.count()
    r = staff_client.post(url, {"name": "市直单位一把手", "post_class": "chief", "unit_kinds": ["party_dept", "gov_dept"],
                                "order": 1, "is_active": "on"})
    assert r.status_code == 302 and Tier.objects.count() == count + 1
    tier = Tier.objects.get(name="市直单位一把手")
    assert tier.unit_kinds == ["party_dept", "gov_dept"]
    r = staff_client.get(reverse("assessment:tier_list"))
    assert "市委部门" in r.content.decode()
    r = staff_client.post(reverse("assessment:tier_edit", args=[tier.pk]),
                          {"name": "市直单位一把手", "post_class": "chief", "unit_kinds": ["party_dept"], "order": 2})
    tier.refresh_from_db()
    assert r.status_code == 302 and tier.unit_kinds == ["party_dept"] and not tier.is_active


def test_category_and_unit_placement(staff_client, tree):
    r = staff_client.post(reverse("assessment:category_create"), {"name": "", "order": 1})
    assert r.status_code == 200
    r = staff_client.post(reverse("assessment:category_create"),
                          {"name": "科技创新部门", "unit_kinds": ["party_dept"], "order": 9, "is_active": "on"})
    assert r.status_code == 302
    category = Category.objects.get(name="科技创新部门")
    url = reverse("assessment:unit_category")
    r = staff_client.post(url, {"unit": "", "category": category.pk})
    assert r.status_code == 200 and not UnitCategory.objects.exists()
    r = staff_client.post(url, {"unit": tree.town_a.pk, "category": category.pk})
    assert r.status_code == 302
    assert UnitCategory.objects.get().category == category
    r = staff_client.get(reverse("assessment:category_list"))
    assert tree.town_a.name in r.content.decode()
    r = staff_client.get(url, {"unit": tree.town_a.pk})
    assert r.context["form"].initial["category"] == category.pk
    r = staff_client.post(url, {"unit": tree.town_a.pk, "category": ""})
    assert r.status_code == 302 and not UnitCategory.objects.exists()
