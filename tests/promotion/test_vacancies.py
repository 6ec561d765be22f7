"""Vacancies (空缺岗位): the retirement rule against the reform's official examples and at its edges, a
post at its quota against one with a free place (and a chief post, whose limit is 1), a holder
retiring exactly N months away (listed) against one a day later (not), the industry of the nearest
listed unit, the pool category by level, leader scope, and starting a selection record (bad input
names the field and saves nothing; only org staff)."""
import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cadres.models import Appointment, Cadre, Post, PostKind, PostLevel
from pingdingshan.core.dates import today
from promotion.models import Industry, PoolCategory, Selection
from promotion.services import vacancies as svc
from promotion.services.retirement import retirement
from tests.conftest import make_people, make_tree, rolled_back
from tests.factories import CadreFactory, PostFactory

ON = today()
MONTHS = 6
HORIZON = ON + relativedelta(months=MONTHS)


# --------------------------------------------------------------------------- the rule (no database)
@pytest.mark.parametrize(("birth", "gender", "level", "age", "month"), [
    ((1964, 12, 1), "M", 1, "60岁", (2024, 12)),         # before the reform
    ((1965, 1, 1), "M", 1, "60岁1个月", (2025, 2)),       # official table: 1965-01 → 2025-02
    ((1966, 1, 1), "M", 1, "60岁4个月", (2026, 5)),
    ((1975, 6, 1), "M", 4, "62岁8个月", (2038, 2)),
    ((1976, 9, 1), "M", 1, "63岁", (2039, 9)),           # the cap
    ((1970, 6, 1), "F", 1, "55岁2个月", (2025, 8)),       # 女干部
    ((1971, 6, 1), "F", 2, "55岁5个月", (2026, 11)),
    ((1981, 9, 1), "F", 1, "58岁", (2039, 9)),
    ((1975, 6, 1), "F", 3, "60岁", (2035, 6)),           # 县处级女干部
])
def test_retirement_age_by_the_reform_schedule(birth, gender, level, age, month):
    r = retirement(dt.date(*birth), gender, level)
    assert r.age_text == age
    assert (r.on.year, r.on.month) == month
    assert age in r.sentence and r.on.isoformat() in r.sentence


def test_retirement_day_the_month_lacks_is_the_first_of_the_next():
    assert retirement(dt.date(1965, 1, 31), "M", 1).on == dt.date(2025, 3, 1)  # 60岁1个月: 2025-02-31 → 03-01


# --------------------------------------------------------------------------- the world
def _retires_on(day, gender="M", level=PostLevel.SECTION_DEPUTY):
    """A birth date whose statutory retirement day is ``day``."""
    guess = day - relativedelta(years=60 if gender == "M" else 55)
    for back in range(0, 40 * 31):
        b = guess - dt.timedelta(days=back)
        if retirement(b, gender, level).on == day:
            return b
    raise AssertionError(day)


def _build():
    tree = make_tree()
    people = make_people(tree)
    start = ON - dt.timedelta(days=900)

    def post(unit, name, **kw):
        return PostFactory(unit=unit, name=name, **kw)

    def hold(p, cadre):
        Appointment.objects.create(cadre=cadre, post=p, start_date=start)
        return cadre

    young = dt.date(1990, 5, 5)
    full = post(tree.town_a, "满员副镇长", quota=2)
    for i in range(2):
        hold(full, CadreFactory(unit=tree.town_a, name=f"满员{i}", birth_date=young, gender="M"))
    free = post(tree.town_a, "空一名副镇长", quota=2)
    hold(free, CadreFactory(unit=tree.town_a, name="在任乙", birth_date=young, gender="M"))
    chief = post(tree.town_a, "镇长", quota=3, is_chief=True, kind=PostKind.PARTY_GOV_CHIEF,
                 level=PostLevel.SECTION_CHIEF)
    hold(chief, CadreFactory(unit=tree.town_a, name="在任镇长", birth_date=young, gender="F"))
    exact = post(tree.town_b, "到龄正好", quota=1)
    hold(exact, CadreFactory(unit=tree.town_b, name="正好到龄", birth_date=_retires_on(HORIZON), gender="M"))
    later = post(tree.town_b, "晚一天", quota=1)
    hold(later, CadreFactory(unit=tree.town_b, name="晚一天到龄",
                             birth_date=_retires_on(HORIZON + dt.timedelta(days=1)), gender="M"))
    county_woman = post(tree.county_a, "副县长", quota=1, level=PostLevel.COUNTY_DEPUTY, kind=PostKind.GOV_MEMBER)
    hold(county_woman, CadreFactory(unit=tree.county_a, name="县级女干部", gender="F",
                                    birth_date=HORIZON - relativedelta(years=60)))
    overdue = post(tree.town_b, "超龄", quota=1)
    hold(overdue, CadreFactory(unit=tree.town_b, name="已超龄", birth_date=dt.date(1960, 1, 1), gender="M"))

    econ = Industry.objects.create(name="经济发展测试", order=1)
    econ.units.set([tree.city])
    towns = Industry.objects.create(name="乡镇测试", order=2)
    towns.units.set([tree.town_a])
    deputy_cat = PoolCategory.objects.create(name="乡科级副职后备测试", target_level=PostLevel.SECTION_DEPUTY)
    return dict(tree=tree, people=people, full=full.pk, free=free.pk, chief=chief.pk, exact=exact.pk,
                later=later.pk, county_woman=county_woman.pk, overdue=overdue.pk, econ=econ.pk, towns=towns.pk,
                deputy_cat=deputy_cat.pk, spare=[CadreFactory(unit=tree.town_a, name=f"人选{i}").pk for i in range(2)])


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with rolled_back(django_db_blocker, _build) as w:
        yield w


@pytest.fixture
def w(world, db):
    from django.contrib.auth import get_user_model

    U, p = get_user_model(), world["people"]
    return type("W", (), dict(world, org=U.objects.get(pk=p.org_staff.pk), auditor=U.objects.get(pk=p.auditor.pk),
                              leader=U.objects.get(pk=p.leader.pk)))


def _rows(user, **kw):
    kw.setdefault("months", MONTHS)
    return svc.vacancies(user, on=ON, **kw)


def _by_post(rows):
    out = {}
    for v in rows:
        out.setdefault(v.post_id, []).append(v)
    return out


# --------------------------------------------------------------------------- rule 1: free places
def test_rule1_a_post_at_its_quota_is_not_free_one_with_a_place_is(w):
    rows = _by_post(_rows(w.org, reason="free"))
    assert w.full not in rows
    (v,) = rows[w.free]
    assert (v.reason, v.places, v.limit, v.used, v.free_on) == ("free", 1, 2, 1, ON)
    assert "空缺1名" in v.sentence


def test_rule1_a_chief_post_has_one_place_whatever_its_quota(w):
    assert w.chief not in _by_post(_rows(w.org, reason="free"))


# --------------------------------------------------------------------------- rule 2: retiring
def test_rule2_retirement_exactly_n_months_away_is_listed_a_day_later_is_not(w):
    rows = _by_post(_rows(w.org, reason="retiring"))
    (v,) = rows[w.exact]
    assert (v.reason, v.free_on, v.holder_name, v.overdue) == ("retiring", HORIZON, "正好到龄", False)
    assert "法定退休年龄" in v.sentence
    assert w.later not in rows
    assert w.later in _by_post(_rows(w.org, reason="retiring", months=MONTHS + 1))


def test_rule2_county_level_women_retire_at_60(w):
    (v,) = _by_post(_rows(w.org, reason="retiring"))[w.county_woman]
    assert v.free_on == HORIZON and v.retirement.age_text == "60岁"


def test_rule2_a_holder_past_the_age_frees_the_place_at_once(w):
    (v,) = _by_post(_rows(w.org, reason="retiring"))[w.overdue]
    assert v.overdue and v.free_on == ON and "已到龄" in v.sentence


# --------------------------------------------------------------------------- rules 3 and 4
def test_rule3_the_nearest_listed_unit_gives_the_industry(w):
    rows = _by_post(_rows(w.org))
    assert [i.pk for i in rows[w.free][0].industries] == [w.towns]  # 城关镇 itself beats the city
    assert [i.pk for i in rows[w.exact][0].industries] == [w.econ]  # 昆阳街道: the city's
    assert set(rows) - {w.free} >= set(_by_post(_rows(w.org, industry=w.econ)))
    assert set(_by_post(_rows(w.org, industry=w.towns))) == {w.free}


def test_rule4_the_pool_category_is_by_the_post_level(w):
    rows = _by_post(_rows(w.org))
    assert [c.pk for c in rows[w.free][0].categories] == [w.deputy_cat]
    assert all(c.target_level == PostLevel.COUNTY_DEPUTY for c in rows[w.county_woman][0].categories)
    assert w.county_woman not in _by_post(_rows(w.org, category=w.deputy_cat))


# --------------------------------------------------------------------------- scope and pages
def test_leader_sees_only_the_posts_of_the_subtree(w):
    mine = set(_by_post(_rows(w.leader)))
    assert w.free in mine and w.county_woman in mine
    assert not mine & {w.exact, w.later, w.overdue}
    assert set(_by_post(_rows(w.auditor))) == set(_by_post(_rows(w.org)))


def test_pages_and_api(w, client):
    client.force_login(w.leader)
    r = client.get(reverse("promotion:vacancy_list"), {"reason": "free"})
    assert r.status_code == 200 and "空一名副镇长" in r.content.decode() and "到龄正好" not in r.content.decode()
    r = client.get("/api/v1/vacancies/", {"months": 6})
    assert r.status_code == 200
    assert {row["post"] for row in r.json()["results"]} >= {w.free, w.county_woman}
    assert client.get("/api/v1/vacancies/", {"months": 99}).status_code == 400
    client.force_login(w.org)
    r = client.get(reverse("promotion:vacancy_export"), {"format": "xlsx"})
    assert r.status_code == 200


# --------------------------------------------------------------------------- starting a selection
def test_start_selection_creates_the_record_with_the_ticked_cadres(w):
    post = Post.objects.get(pk=w.free)
    cadres = list(Cadre.objects.filter(pk__in=w.spare).order_by("pk"))
    sel = svc.selection_start(by=w.org, post=post, cadres=cadres, on=ON)
    assert sel.status == "motion" and sel.unit_id == post.unit_id
    assert list(sel.candidates.order_by("order").values_list("cadre_id", flat=True)) == [c.pk for c in cadres]
    assert "空缺1名" in sel.posts.get().vacancy_reason


def test_start_selection_bad_input_names_the_field_and_saves_nothing(w):
    post = Post.objects.get(pk=w.free)
    before = Selection.objects.count()
    with pytest.raises(ValidationError) as e:
        svc.selection_start(by=w.org, post=post, cadres=[])
    assert "cadres" in e.value.message_dict
    gone = Cadre.objects.get(pk=w.spare[0])
    gone.status = "retired"
    gone.save()
    with pytest.raises(ValidationError) as e:
        svc.selection_start(by=w.org, post=post, cadres=[gone])
    assert "cadres" in e.value.message_dict and "人选0" in e.value.message_dict["cadres"][0]
    with pytest.raises(PermissionDenied):
        svc.selection_start(by=w.leader, post=post, cadres=[Cadre.objects.get(pk=w.spare[1])])
    assert Selection.objects.count() == before


# --------------------------------------------------------------------------- the industry's units
def test_industry_units_are_edited_by_org_staff_with_history(w, client):
    from promotion.services.pools import industry_save

    industry = Industry.objects.get(pk=w.towns)
    industry_save(by=w.org, industry=industry, units=[w.tree.town_b])
    assert list(industry.units.values_list("pk", flat=True)) == [w.tree.town_b.pk]
    last = industry.history.order_by("-history_id").first()
    assert last.history_user_id == w.org.pk and [u.unit_id for u in last.units.all()] == [w.tree.town_b.pk]
    with pytest.raises(PermissionDenied):
        industry_save(by=w.leader, industry=industry, units=[])
    client.force_login(w.org)
    r = client.post(reverse("promotion:industry_edit", args=[industry.pk]),
                    {"name": industry.name, "order": 0, "is_active": "on", "units": [w.tree.town_a.pk]})
    assert r.status_code == 302 and list(industry.units.values_list("pk", flat=True)) == [w.tree.town_a.pk]
