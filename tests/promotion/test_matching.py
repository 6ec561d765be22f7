"""Candidates for a vacancy (matching.py): the eligible ranked by the score's rules (M1 pool score at
50 %, M2 the industry's pool, M4 the industry's 实绩 points against the best), a cadre failing a hard
rule never ranked among the eligible whatever their score (shown apart, with the failed rule), the
readiness filter, the post's holders left out, leader scope, and the pages and API."""
import datetime as dt

import pytest
from django.urls import reverse

from cadres.models import (
    Appointment,
    Cadre,
    PerformanceRecord,
    Post,
    PostLevel,
    RecordStatus,
    TaskCategory,
    Training,
)
from pingdingshan.core.dates import today
from promotion.models import (
    EntryStatus,
    Industry,
    PoolCategory,
    PoolEntry,
    RankingEntry,
    RankingRun,
    ReservePool,
    RunStatus,
    Selection,
)
from promotion.services import matching
from tests.conftest import make_people, make_tree, rolled_back
from tests.factories import CadreFactory, PostFactory

ON = today()


def _build():
    tree = make_tree()
    people = make_people(tree)
    start = ON - dt.timedelta(days=1500)
    target = PostFactory(unit=tree.town_a, name="副镇长（空缺）", quota=2, level=PostLevel.SECTION_DEPUTY)
    holder = CadreFactory(unit=tree.town_a, name="现任副镇长")
    Appointment.objects.create(cadre=holder, post=target, start_date=start)

    def cadre(name, unit, *, education=4):
        c = CadreFactory(unit=unit, name=name, fulltime_education=education, highest_education=education,
                         birth_date=dt.date(1985, 3, 3), work_start_date=dt.date(2007, 7, 1))
        post = PostFactory(unit=unit, name=f"{name}现职", quota=1, level=PostLevel.SECTION_DEPUTY)
        Appointment.objects.create(cadre=c, post=post, start_date=start)
        Cadre.objects.filter(pk=c.pk).update(current_post=post)
        Training.objects.create(cadre=c, title="任职培训", start_date=ON - dt.timedelta(days=200), hours=120)
        return c

    a = cadre("甲优秀", tree.town_a)
    b = cadre("乙学历低", tree.town_a, education=2)  # fails 学历 (a hard rule) with the best pool score
    c = cadre("丙名册", tree.county_a)
    d = cadre("丁叶县", tree.town_b)
    task = TaskCategory.objects.order_by("id").first()
    industry = Industry.objects.create(name="乡镇工作测试")
    industry.units.set([tree.county_a])
    industry.task_categories.set([task])
    category = PoolCategory.objects.create(name="乡科级副职后备（测试）", target_level=PostLevel.SECTION_DEPUTY)
    pool = ReservePool.objects.create(name="乡镇·乡科级副职（测试）", industry=industry, category=category)
    run = RankingRun.objects.create(run_date=ON, status=RunStatus.DONE, is_current=True)
    for cad, score, rank in ((a, 9000, 2), (b, 9900, 1)):
        entry = PoolEntry.objects.create(pool=pool, cadre=cad, status=EntryStatus.ADMITTED)
        RankingEntry.objects.create(run=run, pool=pool, entry=entry, cadre=cad, rank=rank, score=score)
    for cad, pts in ((c, 30), (b, 10)):
        PerformanceRecord.objects.create(cadre=cad, unit=cad.unit, category=task, title="实绩", description="成效",
                                         role="main", start_date=ON - dt.timedelta(days=100),
                                         status=RecordStatus.VERIFIED, points=pts)
    return dict(tree=tree, people=people, target=target.pk, holder=holder.pk, a=a.pk, b=b.pk, c=c.pk, d=d.pk)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with rolled_back(django_db_blocker, _build) as w:
        yield w


@pytest.fixture
def w(world, db):
    from django.contrib.auth import get_user_model

    U, p = get_user_model(), world["people"]
    return type("W", (), dict(world, org=U.objects.get(pk=p.org_staff.pk), leader=U.objects.get(pk=p.leader.pk),
                              post=Post.objects.select_related("unit").get(pk=world["target"])))


def _ids(rows):
    return [c.cadre_id for c in rows]


def test_eligible_ranked_by_the_score_rules(w):
    found = matching.candidates(w.post, on=ON, user=w.org)
    el = {c.cadre_id: c for c in found.eligible}
    assert _ids(found.eligible)[:2] == [w.a, w.c]
    a, c = el[w.a], el[w.c]
    # M1 9000 × 50 % = 4500, M2 1500, no posting, no points under the industry's 中心工作
    assert [(x.code, x.contribution) for x in a.components] == [
        ("pool", 4500), ("industry", 1500), ("frontline", 0), ("archive", 0)]
    assert a.score == 6000 and a.rank == 1 and a.source == "pool"
    assert c.score == 2500 and c.rank == 2 and c.source == "roster"  # M4: the best points get all 25
    assert any("按50%计45.00分" in line for line in a.explanation)
    assert "排第1名" in a.explanation[0]


def test_a_cadre_failing_a_hard_rule_is_never_ranked_among_the_eligible(w):
    found = matching.candidates(w.post, on=ON, user=w.org)
    assert w.b not in _ids(found.eligible)
    (b,) = [c for c in found.waiting if c.cadre_id == w.b]
    assert b.rank is None and b.readiness != "now"
    # M1 9900 × 50 % = 4950, M2 1500, M4 10 of the best 30 points → 25 × 1/3 = 833 (rounded half up)
    assert [(x.code, x.contribution) for x in b.components] == [
        ("pool", 4950), ("industry", 1500), ("frontline", 0), ("archive", 833)]
    assert b.score == 7283 > max(c.score for c in found.eligible)  # the best score, still not ranked
    assert b.eligibility.failed and "不参与排名" in b.explanation[0]


def test_readiness_filter_and_the_holders_left_out(w):
    found = matching.candidates(w.post, on=ON, user=w.org, readiness="later")
    assert found.eligible == [] and w.b in _ids(found.waiting)
    everyone = matching.candidates(w.post, on=ON, user=w.org)
    assert w.holder not in _ids(everyone.shown)
    assert everyone.counts["now"] == len(everyone.eligible)
    pools_only = matching.candidates(w.post, on=ON, user=w.org, include_roster=False)
    assert set(_ids(pools_only.shown)) == {w.a, w.b}


def test_leader_sees_only_the_cadres_of_the_subtree(w):
    assert w.d in _ids(matching.candidates(w.post, on=ON, user=w.org).shown)
    assert w.d not in _ids(matching.candidates(w.post, on=ON, user=w.leader).shown)


def test_pages_api_and_starting_a_selection(w, client):
    url = reverse("promotion:vacancy_candidates", args=[w.post.pk])
    client.force_login(w.leader)
    body = client.get(url).content.decode()
    assert "甲优秀" in body and "丁叶县" not in body and 'name="cadres"' not in body
    client.force_login(w.org)
    body = client.get(url).content.decode()
    assert 'name="cadres"' in body and "排名说明与任职资格" in body
    r = client.get(f"/api/v1/vacancies/{w.post.pk}/candidates/", {"readiness": "now"})
    assert r.status_code == 200 and [c["cadre"] for c in r.json()["eligible"]][:2] == [w.a, w.c]
    assert client.get(f"/api/v1/vacancies/{w.post.pk}/candidates/", {"readiness": "soon"}).status_code == 400
    r = client.post(reverse("promotion:vacancy_start_selection", args=[w.post.pk]), {"cadres": [w.a, w.c]})
    sel = Selection.objects.get(title__contains="副镇长（空缺）")
    assert r.status_code == 302 and r["Location"] == reverse("promotion:selection_detail", args=[sel.pk])
    assert set(sel.candidates.values_list("cadre_id", flat=True)) == {w.a, w.c}
    r = client.post(reverse("promotion:vacancy_start_selection", args=[w.post.pk]), {"cadres": []}, follow=True)
    assert "请至少勾选一名人选" in r.content.decode()
