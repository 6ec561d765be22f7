"""Leadership team analysis (班子研判): each rule at its boundaries (exactly the young share, the chief's
retirement day exactly N months away, 2 against 3 periods at the bottom, exactly a third reaching the
age), the team's figures against a hand-counted world (who is the team: leadership posts only, a cadre
on two posts once, ended appointments out), scope (a unit leader sees only their subtree, 404 outside;
auditors read everything and change nothing), the rules' page and API (audited, bad input names the
field and saves nothing) and the city view's filter and export."""
import datetime as dt
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from analysis.models import DEFAULTS, TeamRules
from analysis.services import teams as svc
from assessment import services as asvc
from assessment.models import (
    AssessmentPeriod,
    AssessmentResult,
    CardReason,
    Category,
    PeriodStatus,
    Sanction,
    Tier,
    ToleranceRuling,
    WarningCard,
)
from cadres.models import Appointment, PoliticalStatus, PostKind, PostLevel
from pingdingshan.core.dates import today
from promotion.services.retirement import retirement
from tests.conftest import make_people, make_tree, rolled_back
from tests.factories import CadreFactory, PostFactory, make_unit

ON = today()


def rules(**kw) -> TeamRules:
    return TeamRules(pk=1, **{**DEFAULTS, **kw})


def member(name="甲", *, age=45, gender="M", chief=False, retires_on=None, political=PoliticalStatus.CPC):
    birth = ON - relativedelta(years=age)
    return svc.Member(cadre_id=hash(name) % 10**6, name=name, gender=gender, birth_date=birth,
                      political_status=political, is_chief=chief, age=age,
                      retires_on=retires_on or ON + relativedelta(years=10))


def team(*members, **kw) -> svc.Team:
    return svc.Team(unit_id=1, unit_name="测试单位", unit_path="00010001", on=ON, members=list(members),
                    chief_posts=kw.pop("chief_posts", 1), **kw)


# --------------------------------------------------------------------------- the rules, pure
def test_young_share_exactly_at_the_target_is_met_one_below_fires():
    r = rules(young_share=Decimal("15"), young_age=40)
    at = team(*[member(f"y{i}", age=39) for i in range(3)], *[member(f"o{i}", age=40) for i in range(17)])
    v = svc.rule_young(at, r)
    assert not v.fired and "3名" in v.sentence and "15%" in v.sentence
    below = team(*[member(f"y{i}", age=39) for i in range(2)], *[member(f"o{i}", age=45) for i in range(18)])
    v = svc.rule_young(below, r)
    assert v.fired and v.colour == svc.BLUE and "2名" in v.sentence and "20人" in v.sentence and "10%" in v.sentence


def test_a_cadre_turning_forty_today_is_not_young():
    r = rules(young_share=Decimal("100"))
    assert svc.rule_young(team(member(age=40)), r).fired
    assert not svc.rule_young(team(member(age=39)), r).fired


def test_chief_retiring_exactly_six_months_away_fires_a_day_later_does_not():
    r = rules(chief_retiring_months=6)
    day = ON + relativedelta(months=6)
    v = svc.rule_chief_retiring(team(member("书记", chief=True, retires_on=day)), r)
    assert v.fired and v.colour == svc.RED and day.isoformat() in v.sentence and "6个月" in v.sentence
    later = team(member("书记", chief=True, retires_on=day + dt.timedelta(days=1)))
    assert not svc.rule_chief_retiring(later, r).fired
    deputy = team(member("书记", chief=True), member("副职", retires_on=day))  # only chiefs count
    assert not svc.rule_chief_retiring(deputy, r).fired


def test_a_third_of_the_team_reaching_the_age_fires_less_does_not():
    r = rules(ageing_years=3, ageing_share=Decimal("33.33"))
    soon = ON + relativedelta(years=3)
    v = svc.rule_ageing(team(member("a", retires_on=soon), member("b"), member("c")), r)
    assert v.fired and "1名" in v.sentence and "3人" in v.sentence
    three_of_ten = team(*[member(f"s{i}", retires_on=soon) for i in range(3)], *[member(f"n{i}") for i in range(7)])
    assert not svc.rule_ageing(three_of_ten, r).fired
    past_horizon = team(member("a", retires_on=soon + dt.timedelta(days=1)), member("b"), member("c"))
    assert not svc.rule_ageing(past_horizon, r).fired


def test_women_and_non_party_targets():
    r = rules(women_min=1, non_party_min=1)
    men = team(member("a"), member("b"))
    assert svc.rule_women(men, r).fired and svc.rule_non_party(men, r).fired
    mixed = team(member("a", gender="F"), member("b", political=PoliticalStatus.OTHER_PARTY))
    assert not svc.rule_women(mixed, r).fired and not svc.rule_non_party(mixed, r).fired
    assert not svc.rule_women(men, rules(women_min=0)).fired  # no target


def test_no_chief_fires_on_an_empty_chief_post_and_on_no_chief_post():
    assert svc.rule_no_chief(team(member("a")), rules()).fired
    assert "未设正职" in svc.rule_no_chief(team(member("a"), chief_posts=0), rules()).sentence
    assert not svc.rule_no_chief(team(member("a", chief=True)), rules()).fired


def test_a_rule_switched_off_is_not_checked_and_colour_is_the_most_severe():
    t = team(member("a", gender="M"))
    t.checks = svc.check(t, rules())
    assert t.colour == svc.RED and {w.code for w in t.warnings} >= {"no_chief", "women"}
    t.checks = svc.check(t, rules(no_chief_on=False))
    assert t.colour == svc.BLUE and "no_chief" not in {c for c, _v in t.checks}


# --------------------------------------------------------------------------- the world
def _build():
    tree = make_tree()
    people = make_people(tree)
    by = people.org_staff
    start = ON - dt.timedelta(days=900)
    town_c = make_unit("杨庄镇", parent=tree.county_a, level="township", kind="town")
    town_d = make_unit("石桥镇", parent=tree.county_a, level="township", kind="town")

    def hold(post, cadre, **kw):
        Appointment.objects.create(cadre=cadre, post=post, start_date=kw.get("start", start), end_date=kw.get("end"))
        return cadre

    # 城关镇 (town_a): a chief, two deputies (one also 党委委员), a middle-level holder, an ended appointment
    chief_post = PostFactory(unit=tree.town_a, name="镇党委书记", kind=PostKind.PARTY_GOV_CHIEF,
                             level=PostLevel.SECTION_CHIEF, is_chief=True, quota=1)
    deputy_post = PostFactory(unit=tree.town_a, name="副镇长", kind=PostKind.DEPUTY, quota=4)
    committee = PostFactory(unit=tree.town_a, name="党委委员", kind=PostKind.STANDING_COMMITTEE, quota=3)
    middle = PostFactory(unit=tree.town_a, name="党政办主任", kind=PostKind.SECTION_CHIEF, quota=1)
    chief = hold(chief_post, CadreFactory(unit=tree.town_a, name="书记甲", gender="M",
                                          birth_date=ON - relativedelta(years=38)))
    woman = hold(deputy_post, CadreFactory(unit=tree.town_a, name="副镇长乙", gender="F",
                                           birth_date=ON - relativedelta(years=45),
                                           political_status=PoliticalStatus.NONE))
    old = hold(deputy_post, CadreFactory(unit=tree.town_a, name="副镇长丙", gender="M",
                                         birth_date=ON - relativedelta(years=59)))
    hold(committee, old)  # on two team posts: counted once
    hold(middle, CadreFactory(unit=tree.town_a, name="主任丁", gender="M", birth_date=ON - relativedelta(years=30)))
    hold(deputy_post, CadreFactory(unit=tree.town_a, name="已免戊", gender="M"), end=ON - dt.timedelta(days=1))
    reason = CardReason.objects.first()
    WarningCard.objects.create(color="yellow", cadre=woman, unit=woman.unit, reason=reason, facts="事实",
                               issuing_body="市委组织部", start_date=ON - dt.timedelta(days=10),
                               end_date=ON + dt.timedelta(days=100), status="issued")
    Sanction.objects.create(cadre=old, kind="warning", decided_on=ON - dt.timedelta(days=10),
                            end_date=ON + dt.timedelta(days=170), body="县纪委监委")
    ToleranceRuling.objects.create(cadre=chief, unit=chief.unit, applicant="unit", matter="在办事项", loss="损失",
                                   conduct="表现")
    # 叶县 (county_b): the chief post is free
    PostFactory(unit=tree.county_b, name="县委书记", kind=PostKind.PARTY_GOV_CHIEF, level=PostLevel.COUNTY_CHIEF,
                is_chief=True, quota=1)
    hold(PostFactory(unit=tree.county_b, name="副县长", level=PostLevel.COUNTY_DEPUTY, quota=5),
         CadreFactory(unit=tree.county_b, name="副县长己", gender="F", birth_date=ON - relativedelta(years=36)))
    # the towns under 宝丰县 each have a chief, and results in three published periods
    for town in (town_c, town_d):
        hold(PostFactory(unit=town, name="镇长", kind=PostKind.PARTY_GOV_CHIEF, level=PostLevel.SECTION_CHIEF,
                         is_chief=True, quota=1), CadreFactory(unit=town, name=f"{town.name}镇长", gender="F"))
    tier, category = Tier.objects.get(name="乡镇(街道)副职"), Category.objects.get(name="县(市、区)")
    scheme = asvc.scheme_publish(by=by, scheme=asvc.scheme_create(
        by=by, tier=tier, category=category, year=2025,
        indicators=[{"dimension": "political", "name": "政治品质", "weight": "100", "method": "rater",
                     "is_veto": True}]))
    scored = {tree.town_a: CadreFactory(unit=tree.town_a, name="参评甲"),
              town_c: CadreFactory(unit=town_c, name="参评乙"), town_d: CadreFactory(unit=town_d, name="参评丙")}
    # composites per period (oldest first): 城关镇 last in all three; 石桥镇 last in the latest two only
    means = [{tree.town_a: 60, town_c: 80, town_d: 90},
             {tree.town_a: 60, town_c: 80, town_d: 60},
             {tree.town_a: 60, town_c: 80, town_d: 60}]
    for i, year in enumerate((2022, 2023, 2024)):
        period = AssessmentPeriod.objects.create(
            name=f"研判{year}年度", kind="annual", year=year, start_date=dt.date(year, 1, 1),
            end_date=dt.date(year, 12, 31), status=PeriodStatus.PUBLISHED,
            published_at=timezone.make_aware(dt.datetime(year + 1, 1, 20)))
        for unit, cadre in scored.items():
            AssessmentResult.objects.create(period=period, cadre=cadre, unit=unit, tier=tier, category=category,
                                            scheme=scheme, composite=means[i][unit])
    return {"tree": tree, "people": people, "town_c": town_c, "town_d": town_d}


@pytest.fixture(scope="module")
def w(django_db_setup, django_db_blocker):
    with rolled_back(django_db_blocker, _build) as value:
        yield value


def _by_unit(user, **kw):
    return {t.unit_name: t for t in svc.teams(user, **kw)}


def test_the_team_is_the_holders_of_leadership_posts_hand_counted(w, db):
    t = _by_unit(w["people"].org_staff)["城关镇"]
    assert sorted(m.name for m in t.members) == ["书记甲", "副镇长丙", "副镇长乙"]  # no 中层, no ended post
    assert [m.name for m in t.chiefs] == ["书记甲"]
    assert (t.size, t.women, t.non_party, t.young_count) == (3, 1, 1, 1)
    assert t.mean_age == Decimal("47.3")  # (38 + 45 + 59) / 3
    assert dict(t.age_bands) == {"<40": 1, "40-49": 1, "50-54": 0, "≥55": 1}
    assert (t.places, t.used, t.free) == (8, 4, 4)  # 1 + 4 + 3 places; 1 + 2 + 1 held
    old = next(m for m in t.members if m.name == "副镇长丙")
    assert old.posts == ["副镇长", "党委委员"]
    assert old.retires_on == retirement(old.birth_date, "M", PostLevel.SECTION_DEPUTY).on
    assert t.retiring_count == 1


def test_the_world_fires_the_colours_it_should(w, db):
    teams = _by_unit(w["people"].org_staff)
    town_a = teams["城关镇"]
    codes = {x.code for x in town_a.warnings}
    assert {"cards", "sanctions", "bottom", "ageing"} <= codes and "no_chief" not in codes
    assert town_a.colour == svc.RED
    assert "副镇长乙" in next(x.sentence for x in town_a.warnings if x.code == "cards")
    sanction = next(x.sentence for x in town_a.warnings if x.code == "sanctions")
    assert "副镇长丙" in sanction and "书记甲" in sanction  # the sanction and the open tolerance case
    county_b = teams["叶县"]
    assert "no_chief" in {x.code for x in county_b.warnings}
    assert "宝丰县" not in teams and "昆阳街道" not in teams  # no team posts: no team


def test_bottom_of_the_ranking_needs_every_one_of_the_periods(w, db):
    org = w["people"].org_staff
    three = _by_unit(org, rules=rules(bottom_periods=3))
    assert "bottom" in {x.code for x in three["城关镇"].warnings}
    assert "bottom" not in {x.code for x in three["石桥镇"].warnings}  # last in two of three
    two = _by_unit(org, rules=rules(bottom_periods=2))
    assert "bottom" in {x.code for x in two["石桥镇"].warnings}  # tied last counts
    four = _by_unit(org, rules=rules(bottom_periods=4))
    assert "bottom" not in {x.code for x in four["城关镇"].warnings}  # only three periods published


def test_the_evaluation_runs_in_a_bounded_number_of_queries(w, db, django_assert_max_num_queries):
    """A fixed number, whatever the units, members, cards and sanctions (the bench's city: 17 with the rules given)."""
    tree = w["tree"]
    for name in ("副镇长丙", "书记甲", "副县长己"):  # more cards: no query more per card
        c = Appointment.objects.filter(cadre__name=name).first().cadre
        WarningCard.objects.create(color="red", cadre=c, unit=c.unit, reason=CardReason.objects.first(), facts="事实",
                                   issuing_body="市委组织部", start_date=ON - dt.timedelta(days=1),
                                   end_date=ON + dt.timedelta(days=30), status="issued")
    with django_assert_max_num_queries(18):  # 17 + the rules row
        rows = svc.teams(w["people"].org_staff)
    assert {t.unit_id for t in rows if "cards" in {x.code for x in t.warnings}} >= {tree.town_a.pk, tree.county_b.pk}


# --------------------------------------------------------------------------- scope
def test_a_unit_leader_sees_only_their_subtree(w, db, client):
    leader = w["people"].leader  # 宝丰县
    assert set(_by_unit(leader)) == {"城关镇", "杨庄镇", "石桥镇"}
    client.force_login(leader)
    page = client.get(reverse("analysis:team_list"))
    assert page.status_code == 200 and "城关镇" in page.content.decode() and "叶县" not in page.content.decode()
    assert reverse("analysis:team_detail", args=[w["tree"].county_b.pk]) not in page.content.decode()
    assert client.get(reverse("analysis:team_detail", args=[w["tree"].county_b.pk])).status_code == 404
    assert client.get(f"/api/v1/teams/{w['tree'].county_b.pk}/").status_code == 404
    names = {t["unit_name"] for t in client.get("/api/v1/teams/").json()["results"]}
    assert names == {"城关镇", "杨庄镇", "石桥镇"}
    assert client.get(reverse("analysis:team_list"), {"unit": w["tree"].county_b.pk}).status_code == 400


def test_the_team_page_shows_members_and_every_sentence(w, db, client):
    client.force_login(w["people"].auditor)
    body = client.get(reverse("analysis:team_detail", args=[w["tree"].town_a.pk])).content.decode()
    assert "副镇长丙" in body and "主任丁" not in body and "实绩比拼连续3个周期垫底" in body
    data = client.get(f"/api/v1/teams/{w['tree'].town_a.pk}/").json()
    assert data["size"] == 3 and {c["code"] for c in data["checks"] if c["fired"]} >= {"cards", "bottom"}


def test_the_city_view_filters_by_colour_and_subtree_and_exports(w, db, client):
    client.force_login(w["people"].org_staff)
    tree = w["tree"]

    def link(unit):
        return reverse("analysis:team_detail", args=[unit.pk])

    red = client.get(reverse("analysis:team_list"), {"colour": "red"}).content.decode()
    assert link(tree.county_b) in red and link(tree.town_a) in red and link(w["town_c"]) not in red
    sub = client.get(reverse("analysis:team_list"), {"unit": tree.county_b.pk}).content.decode()
    assert link(tree.county_b) in sub and link(tree.town_a) not in sub
    api = client.get("/api/v1/teams/", {"colour": "orange"}).json()["results"]
    assert [t["unit_name"] for t in api] == ["城关镇"]
    xlsx = client.get(reverse("analysis:team_export"), {"format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_each_legend_chip_counts_the_rows_its_link_lists_and_the_active_one_clears(w, db, client):
    import re

    client.force_login(w["people"].org_staff)
    url = reverse("analysis:team_list")
    page = client.get(url).content.decode()
    chips = re.findall(r'<a class="badge text-bg-\w+ text-decoration-none[^"]*" href="\?([^"]*)"[^>]*>[^<]*?(\d+)</a>', page)
    assert len(chips) == 5
    for query, n in chips:
        listed = client.get(url + "?" + query).content.decode()
        assert listed.count('class="team-row"') == int(n), query
        # once chosen, its chip links back to the list without the colour
        active = re.search(r'href="\?([^"]*)" aria-current="true"', listed)
        assert active and "colour" not in active.group(1)
    # the warnings are named by their rule, their sentence on hover
    assert "实绩比拼连续垫底" in page and "红黄牌在期" in page


def test_the_city_view_pages_its_teams_in_tree_order_and_the_legend_counts_them_all(w, db, client, monkeypatch):
    import re

    from analysis import views

    client.force_login(w["people"].org_staff)
    url = reverse("analysis:team_list")
    everything = client.get(url).content.decode()
    order = re.findall(r'class="team-row"[^>]*>\s*<td[^>]*><a href="([^"]+)"', everything)
    assert len(order) >= 3
    monkeypatch.setattr(views, "TEAMS_PER_PAGE", 2)
    first, second = client.get(url).content.decode(), client.get(url, {"page": 2}).content.decode()
    assert re.findall(r'class="team-row"[^>]*>\s*<td[^>]*><a href="([^"]+)"', first) == order[:2]
    assert re.findall(r'class="team-row"[^>]*>\s*<td[^>]*><a href="([^"]+)"', second) == order[2:4]
    legend = re.compile(r'<div class="d-flex flex-wrap gap-2 mb-2 team-legend">.*?</div>', re.S)
    assert legend.search(first).group(0) == legend.search(everything).group(0)
    assert f"共 {len(order)} 个领导班子" in first and 'aria-label="分页"' in first


# --------------------------------------------------------------------------- the rules and targets
def test_org_staff_change_the_rules_audited_auditors_read_only(w, db, client):
    client.force_login(w["people"].auditor)
    assert client.get(reverse("analysis:team_rules")).status_code == 200
    assert client.get("/api/v1/team-rules/").json()["young_share"] == "15.00"
    assert client.post(reverse("analysis:team_rules"), {"young_share": "20"}).status_code == 403
    assert client.put("/api/v1/team-rules/", {**DEFAULTS, "young_share": "20"},
                      content_type="application/json").status_code == 403
    client.force_login(w["people"].org_staff)
    before = TeamRules.history.count()
    r = client.put("/api/v1/team-rules/", {**{k: str(v) for k, v in DEFAULTS.items()}, "young_share": "20",
                                           "cards_on": False}, content_type="application/json")
    assert r.status_code == 200, r.content
    row = TeamRules.objects.get(pk=1)
    assert row.young_share == Decimal("20") and not row.cards_on
    assert TeamRules.history.count() == before + 1 and TeamRules.history.first().history_user == w["people"].org_staff


def test_bad_rules_name_the_field_and_save_nothing(w, db, client):
    client.force_login(w["people"].org_staff)
    r = client.put("/api/v1/team-rules/", {**{k: str(v) for k, v in DEFAULTS.items()}, "young_share": "150"},
                   content_type="application/json")
    assert r.status_code == 400 and "young_share" in r.content.decode()
    page = client.post(reverse("analysis:team_rules"), {**{k: v for k, v in DEFAULTS.items() if v is not False},
                                                         "chief_retiring_months": "0"})
    assert page.status_code == 400
    assert TeamRules.objects.get(pk=1).chief_retiring_months == 6


def test_the_seeded_rules_are_the_issues_defaults(db):
    row = TeamRules.objects.get(pk=1)
    assert (row.young_age, row.young_share, row.chief_retiring_months, row.bottom_periods, row.ageing_years,
            row.ageing_share) == (40, Decimal("15.00"), 6, 3, 3, Decimal("33.33"))


def test_a_share_is_rounded_half_up_as_a_person_would():
    from analysis.services.teams import share

    assert share(1, 32) == Decimal("3.13")  # 3.125: half up, not to the even 3.12
    assert share(1, 3) == Decimal("33.33") and share(2, 3) == Decimal("66.67") and share(0, 0) is None
