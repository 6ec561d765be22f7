"""Pool pages and API: the list (grid and table) with its counts and export, the pool page's tabs and
the current rank, the form's errors at the field and at the criterion's row (nothing saved), the
candidates (eligible and not yet nominated) with nomination, the entry steps' reason dialogs, unit
leaders' scope (404 outside, 403 on actions), auditors read-only, the API's one error shape, and
the list pages and API lists keeping their query count as rows grow."""
import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from promotion.models import (
    EntryStatus,
    Industry,
    PoolCategory,
    PoolEntry,
    RankingEntry,
    RankingRun,
    ReservePool,
    RunStatus,
)
from promotion.services import entries, pools
from tests.conftest import make_people, make_tree, rolled_back
from tests.factories import CadreFactory

U = get_user_model()
YOUNG = dt.date(1990, 4, 1)


def _pool(org, name, industry="经济发展", category="乡科级后备", max_age=45):
    return pools.pool_save(by=org, fields={"name": name, "industry": Industry.objects.get(name=industry),
                                           "category": PoolCategory.objects.get(name=category)},
                           criteria=[{"kind": "age", "params": {"max": max_age}}])


def _build():
    tree = make_tree()
    people = make_people(tree)
    org = people.org_staff
    pool = _pool(org, "经济发展·乡科级后备")
    a1 = CadreFactory(unit=tree.town_a, name="甲一", birth_date=YOUNG)
    a2 = CadreFactory(unit=tree.town_a, name="甲二", birth_date=YOUNG)
    b1 = CadreFactory(unit=tree.town_b, name="乙一", birth_date=YOUNG)
    old = CadreFactory(unit=tree.town_a, name="老丙", birth_date=dt.date(1960, 1, 1))
    candidate = CadreFactory(unit=tree.town_a, name="候选", birth_date=YOUNG)
    [ea1, eb1] = entries.entry_nominate(by=org, pool=pool, cadres=[a1, b1])
    entries.entry_admit(by=org, entry=ea1)
    entries.entry_admit(by=org, entry=eb1)
    [ea2] = entries.entry_nominate(by=org, pool=pool, cadres=[a2])
    PoolEntry.objects.filter(pk=ea1.pk).update(flagged_on=dt.date(2026, 11, 1), flag_reasons=["年龄 46 岁 > 45 岁 ✘"])
    run = RankingRun.objects.create(run_date=dt.date(2026, 11, 30), status=RunStatus.DONE, is_current=True)
    RankingEntry.objects.create(run=run, pool=pool, entry=ea1, cadre=a1, rank=2, score=7812)
    RankingEntry.objects.create(run=run, pool=pool, entry=eb1, cadre=b1, rank=1, score=8120)
    return dict(org=org.pk, leader=people.leader.pk, auditor=people.auditor.pk, pool=pool.pk, a1=a1.pk, a2=a2.pk,
                b1=b1.pk, old=old.pk, candidate=candidate.pk, ea1=ea1.pk, ea2=ea2.pk, eb1=eb1.pk,
                town_a=tree.town_a.pk, town_b=tree.town_b.pk)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with rolled_back(django_db_blocker, _build) as w:
        yield w


@pytest.fixture
def w(world, db):
    return world


def _login(client, w, role):
    client.force_login(U.objects.get(pk=w[role]))
    return client


def _api(w, role):
    c = APIClient()
    c.force_authenticate(U.objects.get(pk=w[role]))
    return c


def _messages(response):
    from django.contrib.messages import get_messages

    return [str(m) for m in get_messages(response.wsgi_request)]


# --------------------------------------------------------------------------- list and export
def test_pool_list_grid_and_table_with_counts(client, w):
    _login(client, w, "org")
    r = client.get(reverse("promotion:pool_list"))
    assert r.status_code == 200
    [row] = r.context["matrix"]["rows"]
    [item] = [c for c in row["cells"] if c][0]
    assert item["counts"]["admitted"] == 2 and item["counts"]["nominated"] == 1
    assert item["counts"]["flagged"] == 1 and item["counts"]["ranked"] == 2
    r = client.get(reverse("promotion:pool_list"), {"view": "table", "q": "乡科级"})
    assert [p.pk for p in r.context["pools"]] == [w["pool"]]


def test_unit_leader_counts_only_their_units(client, w):
    _login(client, w, "leader")
    r = client.get(reverse("promotion:pool_list"), {"view": "table"})
    [pool] = r.context["pools"]
    assert pool.counts["admitted"] == 1 and pool.counts["nominated"] == 1 and pool.counts["ranked"] == 1


def test_pool_export(client, w):
    _login(client, w, "auditor")
    r = client.get(reverse("promotion:pool_export"), {"format": "csv"})
    body = b"".join(r.streaming_content if r.streaming else [r.content]).decode("utf-8-sig")
    assert r.status_code == 200 and "经济发展·乡科级后备" in body and "年龄" in body


# --------------------------------------------------------------------------- detail
def test_detail_tabs_rank_and_flag_reasons(client, w):
    _login(client, w, "org")
    url = reverse("promotion:pool_detail", args=[w["pool"]])
    r = client.get(url)
    assert [e.pk for e in r.context["entries"]] == [w["eb1"], w["ea1"]]  # by the current rank
    assert r.context["entries"][1].score_text == "78.12"
    assert "年龄不超过 45 岁" in r.content.decode() or r.context["criteria"]
    r = client.get(url, {"tab": "flagged"})
    assert [e.pk for e in r.context["entries"]] == [w["ea1"]]
    assert "年龄 46 岁 &gt; 45 岁 ✘" in r.content.decode()
    r = client.get(url, {"tab": "nominated"})
    assert [e.pk for e in r.context["entries"]] == [w["ea2"]]
    assert {b["action"] for b in r.context["entries"][0].buttons} == {"admit", "remove"}


def test_leader_sees_entries_of_their_units_only_and_no_buttons(client, w):
    _login(client, w, "leader")
    r = client.get(reverse("promotion:pool_detail", args=[w["pool"]]))
    assert [e.pk for e in r.context["entries"]] == [w["ea1"]]
    assert r.context["entries"][0].current_rank == 2  # the rank in the whole pool
    assert r.context["entries"][0].buttons == []


def test_leader_is_refused_the_steps_and_the_candidates(client, w):
    _login(client, w, "leader")
    assert client.post(reverse("promotion:entry_remove", args=[w["ea1"]]), {"remove-reason": "x"}).status_code == 403
    assert client.get(reverse("promotion:pool_candidates", args=[w["pool"]])).status_code == 403
    api = _api(w, "leader")
    assert api.get(reverse("pool-entry-detail", args=[w["eb1"]])).status_code == 404
    assert api.get(reverse("pool-entry-detail", args=[w["ea1"]])).status_code == 200
    assert api.post(reverse("pool-entry-remove", args=[w["ea1"]]), {"reason": "x"}, format="json").status_code == 403
    assert PoolEntry.objects.get(pk=w["ea1"]).status == EntryStatus.ADMITTED


def test_auditor_reads_candidates_but_changes_nothing(client, w):
    _login(client, w, "auditor")
    r = client.get(reverse("promotion:pool_candidates", args=[w["pool"]]))
    assert r.status_code == 200 and not r.context["can_nominate"]
    assert client.post(reverse("promotion:pool_nominate", args=[w["pool"]]), {"cadres": [w["candidate"]]}
                       ).status_code == 403
    api = _api(w, "auditor")
    assert api.patch(reverse("pool-detail", args=[w["pool"]]), {"weight_cards": 10}, format="json").status_code == 403
    assert api.post(reverse("pool-entry-admit", args=[w["ea2"]]), {}, format="json").status_code == 403


# --------------------------------------------------------------------------- form
def _form_data(**over):
    return {"name": "经济发展·乡科级后备", "industry": Industry.objects.get(name="经济发展").pk,
            "category": PoolCategory.objects.get(name="乡科级后备").pk, "order": 0, "is_active": "on",
            "weight_composite": 40, "weight_points": 30, "weight_awards": 10, "weight_frontline": 10,
            "weight_cards": 10, "composite_years": 3, "points_years": 3, "recency_percent": 50,
            "criteria-0-kind": "age", "criteria-0-age-max": "45", **over}


def test_edit_form_shows_the_sum_and_the_row_error_and_saves_nothing(client, w):
    _login(client, w, "org")
    url = reverse("promotion:pool_edit", args=[w["pool"]])
    assert client.get(url).status_code == 200
    before = ReservePool.objects.filter(pk=w["pool"]).values().get()
    r = client.post(url, _form_data(weight_cards=5, **{"criteria-3-kind": "age", "criteria-3-age-min": "50",
                                                       "criteria-3-age-max": "40"}))
    assert r.status_code == 200
    assert r.context["weights_errors"] == ["各项权重之和为 95，须为 100。"]
    rows = r.context["rows"]
    assert rows[1]["prefix"] == "criteria-3" and "每类条件只能设置一条" in rows[1]["errors"][0]
    age = next(k for k in rows[1]["kinds"] if k["kind"] == "age")
    assert any("不能小于最低年龄" in e for p in age["params"] for e in p["errors"])
    assert ReservePool.objects.filter(pk=w["pool"]).values().get() == before


def test_create_form_saves_pool_and_criteria(client, w):
    _login(client, w, "org")
    r = client.post(reverse("promotion:pool_create"), _form_data(
        name="政法·乡科级后备", industry=Industry.objects.get(name="政法").pk,
        **{"criteria-1-kind": "grades", "criteria-1-grades-years": "3", "criteria-1-grades-min_grade": "2"}))
    pool = ReservePool.objects.get(name="政法·乡科级后备")
    assert r.status_code == 302
    assert list(pool.criteria.values_list("kind", flat=True)) == ["age", "grades"]


# --------------------------------------------------------------------------- candidates and steps
def test_candidates_are_eligible_and_not_yet_nominated(client, w):
    _login(client, w, "org")
    r = client.get(reverse("promotion:pool_candidates", args=[w["pool"]]))
    names = {c.name for c in r.context["cadres"]}
    assert "候选" in names and not names & {"甲一", "甲二", "乙一", "老丙"}
    assert all(c.passed for row in r.context["cadres"] for c in row.checks)
    r = client.get(reverse("promotion:pool_candidates", args=[w["pool"]]), {"unit": w["town_b"]})
    assert "候选" not in {c.name for c in r.context["cadres"]}


def test_nominate_from_the_candidates_and_refusal_as_message(client, w):
    _login(client, w, "org")
    url = reverse("promotion:pool_nominate", args=[w["pool"]])
    r = client.post(url, {"cadres": [w["candidate"], w["old"]], "note": "实绩突出"})
    assert r.status_code == 302 and any("老丙不符合入库条件" in m for m in _messages(r))
    assert not PoolEntry.objects.filter(cadre=w["candidate"]).exists()
    r = client.post(url, {"cadres": [w["candidate"]], "note": "实绩突出"})
    assert PoolEntry.objects.get(cadre=w["candidate"]).note == "实绩突出"


def test_remove_without_reason_is_refused_on_the_page(client, w):
    _login(client, w, "org")
    r = client.post(reverse("promotion:entry_remove", args=[w["ea2"]]), {"remove-reason": ""})
    assert r.status_code == 302 and any("请填写理由" in m for m in _messages(r))
    assert PoolEntry.objects.get(pk=w["ea2"]).status == EntryStatus.NOMINATED
    client.post(reverse("promotion:entry_admit", args=[w["ea2"]]), {"admit-reason": "同意"})
    assert PoolEntry.objects.get(pk=w["ea2"]).status == EntryStatus.ADMITTED


# --------------------------------------------------------------------------- API
def test_api_bad_weights_and_criteria_one_error_shape(w):
    api = _api(w, "org")
    body = {"name": "x", "industry": Industry.objects.get(name="政法").pk,
            "category": PoolCategory.objects.get(name="乡科级后备").pk, "weight_composite": 40, "weight_points": 30,
            "weight_awards": 10, "weight_frontline": 10, "weight_cards": 11,
            "criteria": [{"kind": "age", "params": {"min": 50, "max": 40}}, {"kind": "age", "params": {"max": 30}}]}
    r = api.post(reverse("pool-list"), body, format="json")
    assert r.status_code == 400 and set(r.json()) == {"message", "errors"}
    errors = r.json()["errors"]
    assert errors["weights"] == ["各项权重之和为 101，须为 100。"]
    assert "criteria.0.max" in errors and "criteria.1.kind" in errors
    assert not ReservePool.objects.filter(name="x").exists()


def test_api_patch_keeps_criteria_unless_given(w):
    api = _api(w, "org")
    url = reverse("pool-detail", args=[w["pool"]])
    r = api.patch(url, {"weight_composite": 50, "weight_points": 20}, format="json")
    assert r.status_code == 200 and r.json()["weights"]["composite"] == 50
    assert [c["kind"] for c in r.json()["criteria"]] == ["age"]
    r = api.patch(url, {"criteria": []}, format="json")
    assert r.json()["criteria"] == []


def test_api_nominate_admit_remove(w):
    api = _api(w, "org")
    r = api.post(reverse("pool-entry-list"), {"pool": w["pool"], "cadres": [w["old"]]}, format="json")
    assert r.status_code == 400 and "老丙不符合入库条件" in r.json()["errors"]["cadres"][0]
    r = api.post(reverse("pool-entry-list"), {"pool": w["pool"], "cadres": [w["candidate"]], "note": "好"},
                 format="json")
    assert r.status_code == 201 and r.json()[0]["status"] == "nominated"
    pk = r.json()[0]["id"]
    r = api.post(reverse("pool-entry-remove", args=[pk]), {}, format="json")
    assert r.status_code == 400 and r.json()["errors"]["reason"] == ["请填写理由。"]
    r = api.post(reverse("pool-entry-admit", args=[pk]), {}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "admitted" and r.json()["allowed_actions"] == ["remove"]
    r = api.get(reverse("pool-entry-list"), {"pool": w["pool"], "flagged": "true"})
    assert [e["id"] for e in r.json()["results"]] == [w["ea1"]]


def test_api_candidates(w):
    r = _api(w, "auditor").get(reverse("pool-candidates", args=[w["pool"]]))
    assert r.status_code == 200 and "候选" in {c["name"] for c in r.json()["results"]}
    assert _api(w, "leader").get(reverse("pool-candidates", args=[w["pool"]])).status_code == 403


# --------------------------------------------------------------------------- query counts
def _count(call) -> int:
    with CaptureQueriesContext(connection) as ctx:
        call()
    return len(ctx.captured_queries)


def _grow(w, n):
    org = U.objects.get(pk=w["org"])
    from cadres.models import Unit

    unit = Unit.objects.get(pk=w["town_a"])
    for _i in range(n):
        pool = _pool(org, f"新增储备库{ReservePool.objects.count()}", industry="政法", max_age=60)
        cadre = CadreFactory(unit=unit, birth_date=YOUNG)
        [e] = entries.entry_nominate(by=org, pool=pool, cadres=[cadre])
        entries.entry_nominate(by=org, pool=ReservePool.objects.get(pk=w["pool"]),
                               cadres=[CadreFactory(unit=unit, birth_date=YOUNG)])
        entries.entry_admit(by=org, entry=e)


@pytest.mark.parametrize("role", ["org", "leader"])
def test_list_pages_and_api_lists_keep_their_query_count(client, w, role):
    _login(client, w, role)
    api = _api(w, role)
    pages = [lambda: client.get(reverse("promotion:pool_list")),
             lambda: client.get(reverse("promotion:pool_list"), {"view": "table"}),
             lambda: client.get(reverse("promotion:pool_detail", args=[w["pool"]]), {"tab": "nominated"}),
             lambda: client.get(reverse("promotion:pool_export"), {"format": "csv"}),
             lambda: api.get(reverse("pool-list")),
             lambda: api.get(reverse("pool-entry-list"))]
    if role == "org":
        pages.append(lambda: client.get(reverse("promotion:pool_candidates", args=[w["pool"]])))
    for p in pages:
        p()  # warm caches (content types, sessions)
    before = [_count(p) for p in pages]
    _grow(w, 3)
    after = [_count(p) for p in pages]
    assert after == before


@pytest.mark.parametrize("body", [
    {"weight_cards": 10 ** 12}, {"composite_years": -5, "recency_percent": 1000},
    {"criteria": [{"kind": "age", "params": {"max": [1], "min": {"a": 1}}}]},
    {"criteria": [{"kind": "tags", "params": {"tags": ["x", 999999], "mode": "some"}}]},
    {"criteria": [{"kind": "level", "params": {"min_level": 99, "extra": 1}}]},
    {"criteria": [{"kind": "grades", "params": {"years": "3", "min_grade": "9", "missing_fails": "maybe"}}]},
    {"criteria": "age"}, {"name": ""},
])
def test_api_bad_pool_input_is_a_400_and_changes_nothing(w, body):
    before = (list(ReservePool.objects.values()), list(ReservePool.objects.get(pk=w["pool"]).criteria.values()))
    r = _api(w, "org").patch(reverse("pool-detail", args=[w["pool"]]), body, format="json")
    assert r.status_code == 400 and set(r.json()) == {"message", "errors"} and r.json()["errors"], r.json()
    assert (list(ReservePool.objects.values()), list(ReservePool.objects.get(pk=w["pool"]).criteria.values())) == before


def test_bad_page_input_never_fails(client, w):
    _login(client, w, "org")
    url = reverse("promotion:pool_edit", args=[w["pool"]])
    r = client.post(url, _form_data(weight_cards="abc", **{"criteria-99999999999999-kind": "nope",
                                                          "criteria-x-kind": "age", "criteria-2-kind": "tags",
                                                          "criteria-2-tags-tags": ["abc"]}))
    assert r.status_code == 200 and r.context["form"].errors
    assert any(r["errors"] for r in r.context["rows"])
    r = client.post(reverse("promotion:pool_nominate", args=[w["pool"]]), {"cadres": ["abc", "99999999999999999999"]})
    assert r.status_code == 302 and _messages(r)
    assert client.get(reverse("promotion:pool_detail", args=[w["pool"]]), {"tab": "x", "ordering": "zz",
                                                                          "unit": "abc"}).status_code == 200
    assert client.get(reverse("promotion:pool_candidates", args=[w["pool"]]), {"unit": "999999"}).status_code == 200
