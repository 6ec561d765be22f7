"""Eligibility against a target post (``promotion.services.post_eligibility``): each rule at its
boundary (the day a years rule passes and the day before), each fast-track path applying or not,
each 破格 limit refusing, readiness from the failing rules' dates, and the selection steps
enforcing it. One world per module, fixed dates."""
import datetime as dt

import pytest

from assessment.models import Sanction, SanctionKind
from cadres.models import Appointment, Cadre, CareerEntry, Post, PostKind, PostLevel, Training, UnitKind, UnitLevel
from promotion.models import SelectionCandidate, SelectionRules
from promotion.services import post_eligibility as pe
from tests.conftest import make_people, make_tree, rolled_back
from tests.factories import CadreFactory, PostFactory, make_unit

D = dt.date
L = PostLevel


def _appoint(cadre, post, start, end=None):
    Appointment.objects.create(cadre=cadre, post=post, start_date=start, end_date=end)
    if end is None:
        Cadre.objects.filter(pk=cadre.pk).update(current_post=post)


def _build():
    tree = make_tree()
    people = make_people(tree)
    city_dept = make_unit("市发展和改革委员会", parent=tree.city, level=UnitLevel.CITY, kind=UnitKind.GOV_DEPT)
    town_b2 = make_unit("杨庄镇", parent=tree.county_a, level=UnitLevel.TOWNSHIP, kind=UnitKind.TOWN)
    P = {}

    def post(key, unit, name, kind, level, chief=False):
        P[key] = PostFactory(unit=unit, name=name, kind=kind, level=level, is_chief=chief, quota=3)

    post("county_chief", tree.county_a, "县委书记", PostKind.PARTY_GOV_CHIEF, L.COUNTY_CHIEF, True)
    post("county_committee", tree.county_a, "县委常委", PostKind.STANDING_COMMITTEE, L.COUNTY_DEPUTY)
    post("county_gov", tree.county_a, "副县长", PostKind.GOV_MEMBER, L.COUNTY_DEPUTY)
    post("county_exec", tree.county_a, "常务副县长", PostKind.EXECUTIVE_DEPUTY, L.COUNTY_DEPUTY)
    post("county_b_gov", tree.county_b, "副县长", PostKind.GOV_MEMBER, L.COUNTY_DEPUTY)
    post("town_chief", tree.town_a, "镇党委书记", PostKind.PARTY_GOV_CHIEF, L.SECTION_CHIEF, True)
    post("town_b2_chief", town_b2, "镇长", PostKind.PARTY_GOV_CHIEF, L.SECTION_CHIEF, True)
    post("town_deputy", tree.town_a, "副镇长", PostKind.DEPUTY, L.SECTION_DEPUTY)
    post("town_b2_deputy", town_b2, "副镇长", PostKind.DEPUTY, L.SECTION_DEPUTY)
    post("dept_deputy", city_dept, "副主任", PostKind.DEPUTY, L.COUNTY_DEPUTY)
    post("dept_section", city_dept, "综合科科长", PostKind.SECTION_CHIEF, L.SECTION_CHIEF)
    C = {}

    def cadre(key, unit, work, **kw):
        C[key] = CadreFactory(unit=unit, name=key[:10], work_start_date=work, birth_date=D(1985, 3, 3), **kw)
        return C[key]

    # a township chief since 2020-06: two deputy posts before, 100 hours of training
    c = cadre("town_chief", tree.town_a, D(2008, 7, 1))
    _appoint(c, P["town_deputy"], D(2014, 3, 1), D(2017, 2, 28))
    _appoint(c, P["town_b2_deputy"], D(2017, 3, 1), D(2020, 5, 31))
    _appoint(c, P["town_chief"], D(2020, 6, 1))
    Training.objects.create(cadre=c, title="乡科级干部任职培训班", start_date=D(2024, 5, 6), hours=100)
    # a county standing-committee member since 2023-09 (an appointment above every earlier one)
    c = cadre("county_member", tree.county_a, D(2005, 7, 1))
    _appoint(c, P["town_chief"], D(2016, 1, 1), D(2023, 8, 31))
    _appoint(c, P["county_committee"], D(2023, 9, 1))
    Training.objects.create(cadre=c, title="县处级领导干部进修班", start_date=D(2024, 9, 1), hours=200)
    # a city-department deputy since 2022-04
    c = cadre("city_deputy", city_dept, D(2006, 7, 1))
    _appoint(c, P["dept_section"], D(2015, 1, 1), D(2022, 3, 31))
    _appoint(c, P["dept_deputy"], D(2022, 4, 1))
    CareerEntry.objects.create(cadre=c, start_date=D(2006, 7, 1), end_date=D(2009, 6, 30), description="某村党支部书记助理")
    Training.objects.create(cadre=c, title="中青年干部培训班", start_date=D(2025, 3, 1), hours=160)
    # a city middle-level chief since 2019 with no grassroots at all
    c = cadre("city_section", city_dept, D(2012, 7, 1))
    _appoint(c, P["dept_section"], D(2019, 1, 1))
    Training.objects.create(cadre=c, title="中青年干部培训班", start_date=D(2025, 3, 1), hours=160)
    # started work 2021-06-15; a deputy in the township since 2024-03-10 (grassroots open)
    c = cadre("young", tree.town_a, D(2021, 6, 15), fulltime_education=2)
    _appoint(c, P["town_deputy"], D(2024, 3, 10))
    # 撤职 on 2025-01-10 (six months' term)
    c = cadre("removed", tree.town_a, D(2008, 7, 1))
    _appoint(c, P["town_b2_chief"], D(2018, 1, 1))
    Training.objects.create(cadre=c, title="培训", start_date=D(2024, 5, 6), hours=100)
    Sanction.objects.create(cadre=c, kind=SanctionKind.REMOVAL, decided_on=D(2025, 1, 10), end_date=D(2025, 7, 9),
                            body="县纪委监委")
    retired = cadre("retired", tree.town_a, D(2000, 7, 1), status="retired")
    return dict(people=people, tree=tree, P={k: v.pk for k, v in P.items()}, C={k: v.pk for k, v in C.items()},
                retired=retired.pk)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with rolled_back(django_db_blocker, _build) as w:
        yield w


@pytest.fixture
def w(world, db):
    return type("W", (), dict(P={k: Post.objects.select_related("unit").get(pk=v) for k, v in world["P"].items()},
                              C=world["C"], tree=world["tree"], people=world["people"]))


def rules_of(result) -> dict:
    return {r.code: r for r in result.rules}


def one(w, who, post, on, **kw):
    return pe.check([w.C[who]], w.P[post], on=on, **kw)[w.C[who]]


# --------------------------------------------------------------------------- the rules
def test_rules_are_seeded_from_rules_md(db):
    r = SelectionRules.current()
    assert (r.work_years, r.grassroots_years, r.lower_posts, r.deputy_years, r.chief_years, r.min_education) == (
        5, 2, 2, 2, 3, 3)
    assert (r.ban_any_months, r.ban_higher_months) == (12, 24)


def test_work_years_pass_on_the_first_day_of_the_month_five_whole_years_after(w):
    before = rules_of(one(w, "young", "county_gov", D(2026, 5, 31)))["work_years"]
    assert not before.passed and before.passes_on == D(2026, 6, 1)
    assert "4 年 < 5 年" in before.sentence
    after = rules_of(one(w, "young", "county_gov", D(2026, 6, 1)))["work_years"]
    assert after.passed and "5 年 ≥ 5 年" in after.sentence


def test_work_years_not_asked_below_the_county_level(w):
    assert rules_of(one(w, "young", "town_chief", D(2025, 1, 1)))["work_years"].passed


def test_grassroots_years_count_whole_months_while_the_period_is_open(w):
    before = rules_of(one(w, "young", "county_gov", D(2026, 2, 28)))["grassroots_years"]
    assert not before.passed and before.passes_on == D(2026, 3, 1) and before.value == "1 年 11 个月"
    assert rules_of(one(w, "young", "county_gov", D(2026, 3, 1)))["grassroots_years"].passed


def test_grassroots_years_from_a_village_line_of_the_resume_cannot_grow(w):
    r = rules_of(one(w, "city_deputy", "county_chief", D(2026, 6, 1)))["grassroots_years"]
    assert r.passed and r.value == "2 年 11 个月"
    none = rules_of(one(w, "city_section", "county_committee", D(2026, 6, 1)))["grassroots_years"]
    assert not none.passed and none.passes_on is None


def test_lower_posts_two_at_the_level_below(w):
    # the township chief held one 乡科级正职 post: a normal promotion to 副县长 fails
    r = one(w, "town_chief", "county_gov", D(2026, 6, 1))
    assert not rules_of(r)["lower_posts"].passed and r.path is None
    assert "1 个 < 2 个" in rules_of(r)["lower_posts"].sentence


def test_chief_years_three_as_chief_for_the_higher_deputy(w):
    before = rules_of(one(w, "town_chief", "county_committee", D(2023, 5, 31)))["chief_years"]
    assert not before.passed and before.passes_on == D(2023, 6, 1)
    assert rules_of(one(w, "town_chief", "county_committee", D(2023, 6, 1)))["chief_years"].passed


def test_deputy_years_two_as_deputy_for_the_chief(w):
    before = rules_of(one(w, "county_member", "county_chief", D(2025, 8, 31)))["deputy_years"]
    assert not before.passed and before.passes_on == D(2025, 9, 1)
    assert rules_of(one(w, "county_member", "county_chief", D(2025, 9, 1)))["deputy_years"].passed


def test_step_a_normal_promotion_skips_no_level(w):
    r = rules_of(one(w, "young", "county_gov", D(2026, 6, 1)))["step"]
    assert not r.passed and "越级" in r.sentence and r.passes_on is None


def test_education_college_or_above(w):
    r = rules_of(one(w, "young", "town_chief", D(2026, 6, 1)))["education"]
    assert not r.passed and "中专" in r.sentence
    assert rules_of(one(w, "town_chief", "county_committee", D(2026, 6, 1)))["education"].passed


def test_training_hours_in_the_last_five_years(w):
    assert rules_of(one(w, "town_chief", "county_committee", D(2026, 6, 1)))["training"].passed
    late = rules_of(one(w, "town_chief", "county_committee", D(2029, 5, 6)))["training"]
    assert not late.passed and "0 学时 < 80 学时" in late.sentence


def test_recent_promotion_one_year_from_the_month(w):
    before = rules_of(one(w, "county_member", "county_chief", D(2024, 8, 31)))["recent_promotion"]
    assert not before.passed and before.passes_on == D(2024, 9, 1)
    assert rules_of(one(w, "county_member", "county_chief", D(2024, 9, 1)))["recent_promotion"].passed


def test_accountability_no_post_for_a_year_no_promotion_for_two(w):
    lateral = rules_of(one(w, "removed", "town_chief", D(2026, 1, 9)))["accountability"]
    assert not lateral.passed and lateral.passes_on == D(2026, 1, 10) and "撤职" in lateral.sentence
    assert rules_of(one(w, "removed", "town_chief", D(2026, 1, 10)))["accountability"].passed
    up = rules_of(one(w, "removed", "county_committee", D(2027, 1, 9)))["accountability"]
    assert not up.passed and up.passes_on == D(2027, 1, 10)
    assert rules_of(one(w, "removed", "county_committee", D(2027, 1, 10)))["accountability"].passed


def test_standing_blocks_with_its_sentence_until_the_day_after_it_ends(w):
    r = one(w, "removed", "town_chief", D(2025, 3, 1))
    blocks = [x for x in r.rules if x.code == "standing" and not x.passed]
    assert blocks and blocks[0].passes_on == D(2025, 7, 10) and "不得提拔任用" in blocks[0].sentence
    assert r.ready_on == D(2026, 1, 10) and r.readiness == "1y"


def test_active_status(w):
    retired = Cadre.objects.get(name="retired").pk
    r = pe.check([retired], w.P["town_deputy"], on=D(2026, 6, 1))[retired]
    assert not rules_of(r)["active"].passed and not r.eligible and r.ready_on is None and r.readiness == "later"


def test_eligible_now_and_ready_on_for_time_gaps(w):
    r = one(w, "county_member", "county_gov", D(2026, 6, 1))  # lateral: a county deputy post
    assert r.eligible and r.readiness == "now" and r.ready_on == D(2026, 6, 1) and not r.failed
    edu = one(w, "young", "town_b2_deputy", D(2026, 6, 1))  # lateral, but 中专: not by time alone
    assert not edu.eligible and edu.ready_on is None and edu.readiness == "later"


# --------------------------------------------------------------------------- the fast-track paths
def test_path_township_chief_to_county_committee_relaxes_lower_posts(w):
    r = one(w, "town_chief", "county_committee", D(2026, 6, 1))
    assert r.path == "chief_to_county_committee" and r.eligible, r.failed
    assert "不受此项限制" in rules_of(r)["lower_posts"].sentence
    assert "下一级职位任职经历" in rules_of(r)["exceptional_path"].sentence


def test_path_to_a_county_gov_member_post_does_not_apply(w):
    assert one(w, "town_chief", "county_gov", D(2026, 6, 1)).path is None


def test_path_key_deputy_only_under_exceptional(w):
    assert one(w, "town_chief", "county_exec", D(2026, 6, 1)).path is None
    r = one(w, "town_chief", "county_exec", D(2026, 6, 1), exceptional=True)
    assert r.path == "chief_to_county_key_deputy"


def test_path_county_team_to_chief_relaxes_deputy_years(w):
    assert one(w, "county_member", "county_chief", D(2025, 6, 1)).path is None
    r = one(w, "county_member", "county_chief", D(2025, 6, 1), exceptional=True)
    assert r.path == "county_team_to_chief" and rules_of(r)["deputy_years"].passed


def test_path_city_deputy_to_county_chief(w):
    r = one(w, "city_deputy", "county_chief", D(2026, 6, 1), exceptional=True)
    assert r.path == "city_deputy_to_county_chief"
    assert one(w, "city_deputy", "county_committee", D(2026, 6, 1), exceptional=True).path is None


def test_path_city_section_chief_to_county_committee(w):
    assert one(w, "city_section", "county_committee", D(2026, 6, 1)).path == "chief_to_county_committee"


# --------------------------------------------------------------------------- the 破格 limits
def _record(**kw):
    base = dict(exceptional_grounds="", consent_body="", consent_no="", consent_on=None)
    base.update(kw)
    return type("R", (), base)


GOOD = dict(exceptional_grounds="攻坚任务中表现特别突出", consent_body="中共河南省委组织部", consent_no="豫组干〔2026〕3号",
            consent_on=D(2026, 5, 1))


def test_exceptional_grounds_and_consent_must_be_recorded(w):
    cid = w.C["town_chief"]
    bare = pe.check([cid], w.P["county_exec"], on=D(2026, 6, 1), exceptional=True)[cid]
    failed = {r.code for r in bare.failed}
    assert {"exceptional_grounds", "exceptional_consent"} <= failed
    good = pe.check([cid], w.P["county_exec"], on=D(2026, 6, 1), exceptional=True, records={cid: _record(**GOOD)})[cid]
    assert good.eligible, good.failed


def test_exceptional_skip_at_most_one_level(w):
    cid = w.C["young"]
    r = pe.check([cid], w.P["county_gov"], on=D(2026, 6, 1), exceptional=True)[cid]
    assert rules_of(r)["exceptional_skip"].passed  # 乡科级副职 → 县处级副职: one level skipped
    up = pe.check([cid], w.P["county_chief"], on=D(2026, 6, 1), exceptional=True)[cid]
    assert not rules_of(up)["exceptional_skip"].passed and "越两级" in rules_of(up)["exceptional_skip"].sentence


def test_exceptional_not_within_probation_nor_a_year_of_a_promotion(w):
    cid = w.C["county_member"]
    r = pe.check([cid], w.P["county_exec"], on=D(2024, 6, 1), exceptional=True, records={cid: _record(**GOOD)})[cid]
    assert not rules_of(r)["recent_promotion"].passed  # lateral, but 破格: 任职不满一年


def test_exceptional_not_twice_in_a_row_and_probation(w):
    from promotion.services import selection as svc

    cid = w.C["city_section"]
    org = w.people.org_staff
    sel = svc.selection_create(by=org, kind="individual", title="前次", unit=w.tree.city, post=w.P["dept_section"],
                               candidates=[Cadre.objects.get(pk=cid)])
    SelectionCandidate.objects.filter(selection=sel).update(appointed_on=D(2024, 1, 1), is_promotion=True,
                                                            exceptional=True, probation_end=D(2026, 8, 31))
    r = pe.check([cid], w.P["county_committee"], on=D(2026, 6, 1), exceptional=True,
                 records={cid: _record(**GOOD)})[cid]
    assert not rules_of(r)["exceptional_repeat"].passed
    p = rules_of(r)["probation"]
    assert not p.passed and p.passes_on == D(2026, 9, 1)


def test_set_based_a_constant_number_of_queries(w, django_assert_max_num_queries):
    ids = list(w.C.values())
    with django_assert_max_num_queries(25):
        out = pe.check(ids, w.P["county_committee"], on=D(2026, 6, 1), exceptional=True)
        [out[i].rules for i in ids]
    assert set(out) == set(ids)


# --------------------------------------------------------------------------- the selection steps
def _errors(excinfo) -> dict:
    return excinfo.value.message_dict


def _to_shortlist(w, who, post):
    from promotion.services import selection as svc
    from tests.promotion.test_selection import day

    org = w.people.org_staff
    sel = svc.selection_create(by=org, kind="individual", title="选任", unit=w.tree.county_a, post=w.P[post],
                               candidates=[Cadre.objects.get(pk=w.C[who])])
    svc.selection_motion(by=org, selection=sel, motion_how="县委书记专题会议", motion_on=day(0))
    c = SelectionCandidate.objects.get(selection=sel)
    svc.selection_recommend(by=org, selection=sel, method="meeting", held_on=day(2), expected=60, actual=55,
                            ballots={c.pk: {"votes": 40}})
    return sel, c


def test_shortlist_refuses_a_failing_candidate_with_the_sentences(w):
    from django.core.exceptions import ValidationError

    from promotion.services import selection as svc
    from tests.promotion.test_selection import day

    sel, c = _to_shortlist(w, "town_chief", "county_gov")
    with pytest.raises(ValidationError) as e:
        svc.selection_shortlist(by=w.people.org_staff, selection=sel, shortlist_how="部务会", shortlist_on=day(5),
                                choices={c.pk: {"shortlisted": True}})
    assert any("下一级" in m or "乡科级正职职位" in m for m in _errors(e)[f"c{c.pk}_shortlisted"])


def test_exceptional_path_through_shortlist_decision_and_notice(w):
    from django.core.exceptions import ValidationError

    from pingdingshan.core.dates import add_working_days
    from promotion.services import selection as svc
    from tests.promotion.test_selection import day, inspection_rows

    org = w.people.org_staff
    sel, c = _to_shortlist(w, "town_chief", "county_exec")
    # without 破格 the key-deputy path does not apply: 下一级职位 fails
    with pytest.raises(ValidationError):
        svc.selection_shortlist(by=org, selection=sel, shortlist_how="部务会", shortlist_on=day(5),
                                choices={c.pk: {"shortlisted": True}})
    with pytest.raises(ValidationError) as e:  # 破格 needs the written grounds
        svc.selection_shortlist(by=org, selection=sel, shortlist_how="部务会", shortlist_on=day(5),
                                choices={c.pk: {"shortlisted": True, "exceptional": True}})
    assert f"c{c.pk}_exceptional_grounds" in _errors(e)
    grounds = "在重大项目攻坚中表现特别突出"
    svc.selection_shortlist(by=org, selection=sel, shortlist_how="部务会", shortlist_on=day(5),
                            choices={c.pk: {"shortlisted": True, "exceptional": True, "exceptional_grounds": grounds}})
    c.refresh_from_db()
    assert c.exceptional and c.exceptional_path == "chief_to_county_key_deputy"
    svc.selection_inspect(by=org, selection=sel, team="考察组", start=day(10), end=day(20), talks=25, report="好",
                          candidates=inspection_rows(sel))
    with pytest.raises(ValidationError) as e:  # the higher department's consent by the decision
        svc.selection_decide(by=org, selection=sel, meeting="县委常委会", held_on=day(25), expected=9, present=8,
                             votes={c.pk: {"for": 7}})
    assert f"c{c.pk}_consent_no" in _errors(e)
    svc.selection_decide(by=org, selection=sel, meeting="县委常委会", held_on=day(25), expected=9, present=8,
                         votes={c.pk: {"for": 7, "consent_body": "市委组织部", "consent_no": "平组干〔2025〕8号",
                                       "consent_on": day(24)}})
    start = day(26)
    with pytest.raises(ValidationError) as e:  # the notice must state the grounds
        svc.selection_notice(by=org, selection=sel, start=start, end=add_working_days(start, 5),
                             text="town_chief 拟任常务副县长")
    assert "破格" in _errors(e)["text"][0]
    svc.selection_notice(by=org, selection=sel, start=start, end=add_working_days(start, 5),
                         text=f"town_chief 拟破格提任常务副县长。破格理由：{grounds}。")
