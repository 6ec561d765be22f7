"""The 9-box (九宫格): the placing rule at its cut-offs (tests named after the rules of
``promotion/services/ninebox.py``), the grid per pool and per tier × category from the latest
published annual composite and the current run, scope (unit leaders their subtree, read-only),
the cut-offs' settings with their history, the export, the API, and the two actions from a box
(nominate: eligibility checked; put forward: a post with a free place, a selection record with the
cadre as candidate)."""
import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from assessment.models import Category, PeriodStatus, Tier
from cadres.models import Cadre
from cadres.services import roster
from pingdingshan.core.dates import today
from promotion.models import NineBoxSettings, PoolEntry, RankingEntry, RankingRun, RunStatus, SelectionCandidate
from promotion.services import ninebox as svc
from promotion.services.ninebox import HIGH, LOW, MIDDLE, Cutoffs, place
from tests.conftest import make_people, make_tree, rolled_back
from tests.factories import CadreFactory, PostFactory
from tests.promotion.ranking_world import admit, annual, pool, result

U = get_user_model()
CUTS = Cutoffs(performance_low=7000, performance_high=9000, potential_low=7000, potential_high=8500)


# --------------------------------------------------------------------------- the rule (no database)
def test_rule5_the_explanation_names_each_value_its_cutoffs_and_band():
    p = place(Decimal("91.20"), Decimal("78.40"), CUTS)
    assert p.explanation == "考核综合得分 91.20 ≥ 90（高）；储备库得分 78.40，介于 70 与 85 之间（中）"
    assert p.box == (HIGH, MIDDLE) and p.number == 6


@pytest.mark.parametrize("composite,band", [
    ("90.00", HIGH), ("89.99", MIDDLE), ("70.00", MIDDLE), ("69.99", LOW), ("100", HIGH), ("0", LOW)])
def test_rule2_a_composite_on_a_cutoff_belongs_to_the_upper_band(composite, band):
    assert place(composite, "80", CUTS).performance == band


@pytest.mark.parametrize("score,band", [("85.00", HIGH), ("84.99", MIDDLE), ("70.00", MIDDLE), ("69.99", LOW)])
def test_rule2_a_pool_score_on_a_cutoff_belongs_to_the_upper_band(score, band):
    assert place("80", score, CUTS).potential == band


def test_rule2_the_low_band_sentence_says_below_the_low_cutoff():
    assert place("69.99", "10", CUTS).explanation == "考核综合得分 69.99 < 70（低）；储备库得分 10.00 < 70（低）"


def test_rule3_compared_in_hundredths_with_cutoffs_written_as_set():
    cuts = Cutoffs(performance_low=7250, performance_high=9025, potential_low=7000, potential_high=8500)
    assert place(Decimal("90.25"), 80, cuts).performance == HIGH
    assert place(0.1 + 90.15, 80, cuts).performance == HIGH  # 90.25000000000001 as written: 90.25
    assert place("72.49", 80, cuts).performance == LOW
    assert "介于 72.5 与 90.25 之间" in place("80", 80, cuts).explanation


def test_rule4_a_missing_value_is_not_placed_and_says_what_is_missing():
    p = place(None, "80", CUTS)
    assert p.box is None and p.number is None and p.potential == MIDDLE
    assert p.explanation.startswith("无已发布的年度考核综合得分（未定位）")
    q = place("80", None, CUTS)
    assert q.box is None and q.explanation.endswith("不在储备库当前排名中（未定位）")


def test_rule5_box_numbers_run_from_1_low_low_to_9_high_high():
    assert place("50", "50", CUTS).number == 1
    assert place("95", "50", CUTS).number == 3
    assert place("50", "95", CUTS).number == 7
    assert place("95", "95", CUTS).number == 9


# --------------------------------------------------------------------------- the world
def _build():
    tree = make_tree()
    people = make_people(tree)
    org = people.org_staff
    young = dt.date(1990, 1, 1)
    a = CadreFactory(unit=tree.town_a, name="九甲", birth_date=young)  # 宝丰县: the leader's
    b = CadreFactory(unit=tree.town_b, name="九乙", birth_date=young)  # 叶县
    c = CadreFactory(unit=tree.town_a, name="九丙", birth_date=young)  # in the pool, no published result
    d = CadreFactory(unit=tree.town_a, name="九丁", birth_date=dt.date(1960, 1, 1))  # too old for the pool
    p1 = pool("九宫格甲库", criteria=[("age", {"max": 45})])
    p2 = pool("九宫格乙库")
    entries = {x: admit(p1, x) for x in (a, b, c)}
    second = admit(p2, a)
    old, new = annual(2024), annual(2025)
    scoring = annual(2026, status=PeriodStatus.OPEN)
    result(old, a, "60.00")
    result(scoring, a, "40.00")  # not published: does not count
    result(new, a, "91.20")  # the latest published one counts
    result(new, b, "69.99")
    result(new, d, "80.00")
    run = RankingRun.objects.create(run_date=today(), status=RunStatus.DONE, is_current=True)
    RankingEntry.objects.create(run=run, pool=p1, entry=entries[a], cadre=a, rank=2, score=7840)
    RankingEntry.objects.create(run=run, pool=p1, entry=entries[b], cadre=b, rank=1, score=8500)
    RankingEntry.objects.create(run=run, pool=p1, entry=entries[c], cadre=c, rank=3, score=5000)
    RankingEntry.objects.create(run=run, pool=p2, entry=second, cadre=a, rank=1, score=9000)
    full = PostFactory(unit=tree.town_a, name="九宫格满岗", quota=1)
    roster.appointment_create(by=org, cadre=CadreFactory(unit=tree.town_a, name="在任者"), post=full,
                              start_date=today() - dt.timedelta(days=100))
    free = PostFactory(unit=tree.town_a, name="九宫格空岗", quota=2)
    return dict(org=org.pk, leader=people.leader.pk, auditor=people.auditor.pk, a=a.pk, b=b.pk, c=c.pk, d=d.pk,
                p1=p1.pk, p2=p2.pk, full=full.pk, free=free.pk, town_a=tree.town_a.pk)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with rolled_back(django_db_blocker, _build) as w:
        yield w


@pytest.fixture
def w(world, db):
    return world


def user(w, role):
    return U.objects.get(pk=w[role])


def boxes(g):
    return {r.cadre.pk: r.placement.box for r in g.rows}


# --------------------------------------------------------------------------- the grid
def test_grid_per_pool_uses_the_latest_published_annual_composite_and_the_pool_score(w):
    from promotion.models import ReservePool

    g = svc.grid(user(w, "org"), pool=ReservePool.objects.get(pk=w["p1"]))
    assert boxes(g) == {w["a"]: (HIGH, MIDDLE), w["b"]: (LOW, HIGH), w["c"]: None}
    row = next(r for r in g.rows if r.cadre.pk == w["a"])
    assert row.composite == Decimal("91.20") and row.period_name == "2025年度考核"
    assert row.placement.explanation == "考核综合得分 91.20 ≥ 90（高）；储备库得分 78.40，介于 70 与 85 之间（中）"
    assert [r.cadre.pk for r in g.unplaced] == [w["c"]]


def test_grid_per_tier_and_category_takes_the_best_pool_score(w):
    g = svc.grid(user(w, "org"), tier=Tier.objects.order_by("id").first(),
                 category=Category.objects.order_by("id").first())
    got = boxes(g)
    assert got[w["a"]] == (HIGH, HIGH)  # 90.00 in 乙库 beats 78.40 in 甲库
    assert next(r for r in g.rows if r.cadre.pk == w["a"]).pool.pk == w["p2"]
    assert got[w["d"]] is None  # a composite, but in no pool's ranking
    assert w["c"] not in got  # no published result: not of any tier × category


def test_unit_leaders_see_their_subtree_and_the_unit_filter_narrows(w):
    from cadres.models import Unit
    from promotion.models import ReservePool

    p1 = ReservePool.objects.get(pk=w["p1"])
    assert set(boxes(svc.grid(user(w, "leader"), pool=p1))) == {w["a"], w["c"]}
    assert set(boxes(svc.grid(user(w, "auditor"), pool=p1))) == {w["a"], w["b"], w["c"]}
    assert set(boxes(svc.grid(user(w, "org"), pool=p1, unit=Unit.objects.get(pk=w["town_a"])))) == {w["a"], w["c"]}


def test_without_a_current_run_nobody_is_placed(w):
    RankingRun.objects.update(is_current=False)
    g = svc.grid(user(w, "org"), tier=Tier.objects.order_by("id").first())
    assert g.run is None and g.rows and all(r.placement.box is None for r in g.rows)


# --------------------------------------------------------------------------- settings
def test_settings_every_problem_at_once_nothing_saved_then_saved_with_history(w):
    org = user(w, "org")
    before = NineBoxSettings.history.count()
    with pytest.raises(ValidationError) as e:
        svc.settings_save(by=org, performance_low="90", performance_high="80", potential_low="abc",
                          potential_high="101")
    assert set(e.value.message_dict) == {"performance_high", "potential_low", "potential_high"}
    assert "高档起点须高于中档起点" in e.value.message_dict["performance_high"][0]
    assert NineBoxSettings.history.count() == before
    svc.settings_save(by=org, performance_low="75", performance_high="92.5", potential_low="60", potential_high="80")
    assert svc.cutoffs() == Cutoffs(7500, 9250, 6000, 8000)
    last = NineBoxSettings.history.order_by("-history_date").first()
    assert last.history_user_id == org.pk and last.performance_high == Decimal("92.50")
    for role in ("leader", "auditor"):
        with pytest.raises(PermissionDenied):
            svc.settings_save(by=user(w, role), **{f: "50" if f.endswith("low") else "60" for f in svc.FIELDS})


# --------------------------------------------------------------------------- pages, export, API
def test_page_org_staff_act_leaders_read_only(client, w):
    url = reverse("promotion:ninebox")
    client.force_login(user(w, "org"))
    r = client.get(url, {"pool": w["p1"]})
    assert r.status_code == 200 and r.context["can_act"]
    html = r.content.decode()
    assert reverse("promotion:ninebox_nominate", args=[w["a"]]) in html and "九甲" in html
    [high_middle] = [b for row in r.context["matrix"] for b in row["boxes"] if b["number"] == 6]
    assert high_middle["count"] == 1
    client.force_login(user(w, "leader"))
    r = client.get(url, {"pool": w["p1"]})
    html = r.content.decode()
    assert not r.context["can_act"] and "ninebox-actions" not in html and "九乙" not in html and "九甲" in html
    assert client.get(reverse("promotion:ninebox_nominate", args=[w["a"]])).status_code == 403


def test_export_lists_the_grids_cadres_with_their_box(client, w):
    client.force_login(user(w, "auditor"))
    r = client.get(reverse("promotion:ninebox_export"), {"pool": w["p1"], "format": "csv"})
    body = b"".join(r.streaming_content if r.streaming else [r.content]).decode("utf-8-sig")
    assert r.status_code == 200
    assert "绩效高·潜力中" in body and "九甲" in body and "未定位" in body and "九丙" in body


def test_api_grid_and_settings(w):
    api = APIClient()
    api.force_authenticate(user(w, "leader"))
    r = api.get(reverse("ninebox-list"), {"pool": w["p1"]})
    assert r.status_code == 200
    [box6] = [b for b in r.json()["boxes"] if b["number"] == 6]
    assert [c["name"] for c in box6["cadres"]] == ["九甲"] and box6["cadres"][0]["score"] == 78.4
    assert [c["name"] for c in r.json()["unplaced"]] == ["九丙"]
    assert api.put(reverse("ninebox-settings-list"), {}, format="json").status_code == 403
    api.force_authenticate(user(w, "org"))
    r = api.put(reverse("ninebox-settings-list"), {"performance_low": 80, "performance_high": 70,
                                                  "potential_low": 70, "potential_high": 85}, format="json")
    assert r.status_code == 400 and "performance_high" in r.json()["errors"]


# --------------------------------------------------------------------------- acting from a box
def test_nominate_from_a_box_checks_eligibility(w):
    from promotion.models import ReservePool

    org = user(w, "org")
    p1 = ReservePool.objects.get(pk=w["p1"])
    with pytest.raises(ValidationError) as e:
        svc.nominate(by=org, cadre=Cadre.objects.get(pk=w["d"]), pool=p1)
    assert "年龄" in " ".join(e.value.messages)
    assert not PoolEntry.objects.filter(cadre=w["d"], pool=p1).exists()


def test_put_forward_needs_a_free_place_and_starts_a_record_with_the_cadre(client, w):
    from cadres.models import Post

    org = user(w, "org")
    free = {v.post_id for v in svc.free_posts(org)}
    assert w["free"] in free and w["full"] not in free
    cadre = Cadre.objects.get(pk=w["b"])
    with pytest.raises(ValidationError) as e:
        svc.put_forward(by=org, cadre=cadre, post=Post.objects.get(pk=w["full"]))
    assert "post" in e.value.message_dict
    client.force_login(org)
    r = client.post(reverse("promotion:ninebox_put_forward", args=[w["a"]]), {"post": w["free"]})
    cand = SelectionCandidate.objects.select_related("selection").get(cadre=w["a"])
    assert r.status_code == 302 and r["Location"] == reverse("promotion:selection_detail", args=[cand.selection_id])
    assert cand.selection.status == "motion" and cand.target.post_id == w["free"]
    r = client.post(reverse("promotion:ninebox_put_forward", args=[w["a"]]), {"post": w["full"]})
    assert r.status_code == 400 and "请选择有空缺职数的职务" in r.content.decode()


# --------------------------------------------------------------------------- the default pool, the caps
def _more_unplaced(w, n):
    """``n`` more cadres ranked in 甲库 without a published composite (so not placed there)."""
    from promotion.models import ReservePool

    p1, run = ReservePool.objects.get(pk=w["p1"]), RankingRun.objects.get(is_current=True)
    for i in range(n):
        c = CadreFactory(unit=Cadre.objects.get(pk=w["a"]).unit, name=f"九未{i}", birth_date=dt.date(1990, 1, 1))
        RankingEntry.objects.create(run=run, pool=p1, entry=admit(p1, c), cadre=c, rank=10 + i, score=6000 - i)


def test_without_filters_the_page_shows_the_first_pool_with_a_current_run_named_in_the_filter(client, w):
    from promotion.models import ReservePool

    client.force_login(user(w, "org"))
    r = client.get(reverse("promotion:ninebox"))
    assert r.status_code == 200 and r.context["default_pool"].pk == w["p1"] and r.context["mode"] == "pool"
    html = r.content.decode()
    assert f'<option value="{w["p1"]}" selected>' in html and "默认显示储备库“九宫格甲库”" in html
    assert {x.cadre.pk for x in r.context["grid"].rows} == {w["a"], w["b"], w["c"]}  # 甲库's grid, not every cadre
    assert f"pool={w['p1']}" in r.context["query"]  # the export and the box links name the pool
    # the pools' order decides; a pool without a scored entry in the current run is passed over
    ReservePool.objects.filter(pk=w["p1"]).update(order=5)
    ReservePool.objects.filter(pk=w["p2"]).update(order=2)
    pool("九宫格空库", order=1)
    assert client.get(reverse("promotion:ninebox")).context["default_pool"].pk == w["p2"]
    # "pool=" (全部) asks for every tier × category; a tier alone too: no default then
    for query in ({"pool": ""}, {"tier": Tier.objects.order_by("id").first().pk}):
        r = client.get(reverse("promotion:ninebox"), query)
        assert r.context["default_pool"] is None and r.context["mode"] == "tier"
        assert w["d"] in {x.cadre.pk for x in r.context["grid"].rows}


def test_without_a_current_run_there_is_no_default_pool(client, w):
    RankingRun.objects.update(is_current=False)
    assert svc.default_pool(user(w, "org")) is None
    client.force_login(user(w, "org"))
    r = client.get(reverse("promotion:ninebox"))
    assert r.status_code == 200 and r.context["default_pool"] is None and r.context["mode"] == "tier"


def test_the_default_pool_is_one_where_the_reader_sees_a_ranked_cadre(w):
    from promotion.models import ReservePool

    ReservePool.objects.filter(pk=w["p2"]).update(order=0)
    ReservePool.objects.filter(pk=w["p1"]).update(order=1)
    RankingEntry.objects.filter(pool=w["p2"]).update(cadre=w["b"])  # 乙库: only 叶县's 九乙, out of the leader's sight
    assert svc.default_pool(user(w, "org")).pk == w["p2"]
    assert svc.default_pool(user(w, "leader")).pk == w["p1"]


def test_the_unplaced_list_is_capped_counted_collapsed_and_links_to_its_whole_list(client, w, monkeypatch):
    from promotion.views import ninebox as pages

    monkeypatch.setattr(pages, "SHOWN", 2)
    _more_unplaced(w, 3)
    client.force_login(user(w, "org"))
    r = client.get(reverse("promotion:ninebox"), {"pool": w["p1"]})
    html = r.content.decode()
    assert len(r.context["unplaced"]) == 4
    unplaced = html[html.index('class="card ninebox-unplaced"'):]
    assert unplaced.count('class="list-group-item px-2 py-1 small ninebox-cadre"') == 2
    assert "共 4 人，列出前 2 人。" in unplaced and 'class="collapse" id="ninebox-unplaced"' in unplaced
    assert f"?pool={w['p1']}&amp;box=unplaced" in unplaced
    whole = client.get(reverse("promotion:ninebox"), {"pool": w["p1"], "box": "unplaced"})
    assert whole.status_code == 200 and whole.context["box_count"] == 4
    assert {x.cadre.pk for x in whole.context["rows"]} == {w["c"], *Cadre.objects.filter(
        name__startswith="九未").values_list("pk", flat=True)}


def test_a_box_is_capped_with_its_count_and_its_whole_list_is_one_link_away(client, w, monkeypatch):
    from promotion.views import ninebox as pages

    monkeypatch.setattr(pages, "SHOWN", 0)
    client.force_login(user(w, "org"))
    r = client.get(reverse("promotion:ninebox"), {"pool": w["p1"]})
    html = r.content.decode()
    assert "共 1 人，列出前 0 人。" in html and f"?pool={w['p1']}&amp;box=6" in html
    whole = client.get(reverse("promotion:ninebox"), {"pool": w["p1"], "box": "6"})
    assert [x.cadre.pk for x in whole.context["rows"]] == [w["a"]] and whole.context["box_label"] == "绩效高·潜力中"
    bad = client.get(reverse("promotion:ninebox"), {"pool": w["p1"], "box": "10"})
    assert bad.status_code == 200 and "格位（box）须为 1 到 9 的整数或 unplaced。" in bad.content.decode()


def test_the_export_without_filters_is_the_default_pools_whole_grid(client, w, monkeypatch):
    from promotion.views import ninebox as pages

    monkeypatch.setattr(pages, "SHOWN", 1)
    _more_unplaced(w, 2)
    client.force_login(user(w, "auditor"))
    r = client.get(reverse("promotion:ninebox_export"), {"format": "csv"})
    body = b"".join(r.streaming_content if r.streaming else [r.content]).decode("utf-8-sig")
    assert r.status_code == 200 and "九丙" in body and "九未0" in body and "九未1" in body  # whole, not capped
    assert "九丁" not in body  # every tier × category would list him (a composite, in no pool)


def test_api_caps_each_box_and_the_unplaced_to_limit_with_their_counts(w):
    _more_unplaced(w, 3)
    api = APIClient()
    api.force_authenticate(user(w, "org"))
    r = api.get(reverse("ninebox-list"), {"pool": w["p1"], "limit": 2})
    body = r.json()
    assert r.status_code == 200 and body["limit"] == 2 and body["pool"] == w["p1"]
    assert body["unplaced_count"] == 4 and len(body["unplaced"]) == 2
    assert all(len(b["cadres"]) == min(b["count"], 2) for b in body["boxes"])
    r = api.get(reverse("ninebox-list"))  # no filter: the default pool, 20 at the most
    assert r.status_code == 200 and r.json()["pool"] == w["p1"] and r.json()["pool_name"] == "九宫格甲库"
    assert r.json()["limit"] == 20 and r.json()["unplaced_count"] == 4 and len(r.json()["unplaced"]) == 4
    assert api.get(reverse("ninebox-list"), {"pool": "", "limit": 200}).json()["pool"] is None


@pytest.mark.parametrize("limit", ["0", "201", "abc", "-1", "1.5"])
def test_api_limit_must_be_1_to_200_said_in_chinese(w, limit):
    api = APIClient()
    api.force_authenticate(user(w, "org"))
    r = api.get(reverse("ninebox-list"), {"pool": w["p1"], "limit": limit})
    assert r.status_code == 400
    assert r.json()["errors"] == {"limit": ["每格人数（limit）须为 1 到 200 的整数。"]}


def test_api_reports_a_bad_limit_and_a_bad_filter_at_once(w):
    api = APIClient()
    api.force_authenticate(user(w, "org"))
    r = api.get(reverse("ninebox-list"), {"pool": 2_147_000_000, "limit": "x"})
    assert r.status_code == 400 and set(r.json()["errors"]) == {"pool", "limit"}
