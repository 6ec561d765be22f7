"""The ranking pages and API (issue 12): movement symbols, the entries that left, the diff of two
runs, a unit leader's scope (other units' entries absent, ranks unchanged), auditors read but
cannot start a run, a second run refused while one runs, the export's explanation columns, the
nightly schedule (saved, audited, a bad hour refused), the API's start (202) and busy (400), and
constant query counts. Rows are built directly (``ranking_rows``), not by running the ranking."""
import csv
import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_celery_beat.models import PeriodicTask
from rest_framework.test import APIClient

from pingdingshan.core import jobs
from pingdingshan.core.models import ExportLog, Job
from promotion.jobs import RANKING_RUN
from promotion.models import EntryStatus, PoolEntry, RankingRun, RunStatus
from promotion.tasks import NIGHTLY
from tests.conftest import make_people, make_tree, rolled_back
from tests.factories import CadreFactory

from .ranking_rows import admit, make_pool, make_run, rank_rows

U = get_user_model()
D1, D2 = dt.date(2026, 5, 1), dt.date(2026, 5, 2)


def _build():
    tree = make_tree()
    people = make_people(tree)
    pool = make_pool()
    a1, a2, a3, a5 = (CadreFactory(unit=u, name=n) for u, n in (
        (tree.town_a, "甲一"), (tree.town_a, "甲二"), (tree.county_a, "甲三"), (tree.town_a, "=甲五")))
    b1, b2 = CadreFactory(unit=tree.town_b, name="乙一"), CadreFactory(unit=tree.town_b, name="乙二")
    e = dict(zip(["a1", "a2", "a3", "a5", "b1", "b2"], admit(pool, [a1, a2, a3, a5, b1, b2]), strict=True))
    PoolEntry.objects.filter(pk=e["b2"].pk).update(status=EntryStatus.REMOVED, removal_reason="调离本市")
    run1 = make_run(D1, pools=[pool])
    rank_rows(run1, pool, [(e["a1"], 1, 9000, None, ()), (e["b1"], 2, 8500, None, ()), (e["a2"], 3, 8000, None, ()),
                           (e["b2"], 4, 7000, None, ()), (e["a3"], 5, 6000, None, ())])
    run2 = make_run(D2, current=True, pools=[pool])
    rows2 = rank_rows(run2, pool, [(e["a3"], 1, 9100, 5, ()), (e["a1"], 2, 8800, 1, ()), (e["b1"], 3, 8400, 2, ()),
                                   (e["a5"], 4, 7500, None, ()), (e["a2"], None, None, 3, ("blocked",))])
    failed = make_run(D2, status=RunStatus.FAILED, error="数据库连接中断")
    return dict(org=people.org_staff.pk, leader=people.leader.pk, auditor=people.auditor.pk, pool=pool.pk,
                run1=run1.pk, run2=run2.pk, failed=failed.pk, town_a=tree.town_a.pk,
                rows2={r.entry_id: r.pk for r in rows2}, entries={k: v.pk for k, v in e.items()})


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


def _ranking(client, w, **query):
    return client.get(reverse("promotion:pool_ranking", args=[w["pool"]]), query)


def _by_name(r):
    return {e.cadre.name: e for e in r.context["entries"]}


# --------------------------------------------------------------------------- movement and left entries
def test_movement_symbols_against_the_previous_run(client, w):
    r = _ranking(_login(client, w, "org"), w)
    assert r.status_code == 200 and r.context["run"].pk == w["run2"] and r.context["previous"].pk == w["run1"]
    rows = _by_name(r)
    assert [e.cadre.name for e in r.context["entries"]] == ["甲三", "甲一", "乙一", "=甲五", "甲二"]  # unranked last
    assert (rows["甲三"].movement_kind, rows["甲三"].movement_places) == ("up", 4)
    assert (rows["甲一"].movement_kind, rows["甲一"].movement_places) == ("down", 1)
    assert rows["=甲五"].movement_kind == "new" and rows["甲二"].movement_kind == "unranked"
    html = r.content.decode()
    assert "↑4" in html and "↓1" in html and "新进" in html and "91.00" in html


def test_left_entries_are_those_ranked_before_and_not_now(client, w):
    r = _ranking(_login(client, w, "org"), w)
    left = {e.cadre.name: e for e in r.context["left"]}
    assert set(left) == {"甲二", "乙二"}  # not ranked now; removed from the pool
    assert left["甲二"].now is not None and left["乙二"].now is None
    html = r.content.decode()
    assert "本次移出/未排名" in html and "已移出储备库" in html and "调离本市" in html


def test_an_older_run_is_shown_with_its_own_ranks(client, w):
    r = _ranking(_login(client, w, "org"), w, run=w["run1"])
    assert r.context["run"].pk == w["run1"] and r.context["previous"] is None
    assert [e.rank for e in r.context["entries"]] == [1, 2, 3, 4, 5]
    assert _ranking(client, w, run=w["failed"]).status_code == 404  # not a done run
    assert _ranking(client, w, run="x").status_code == 404


def test_filter_by_unit_subtree_and_ranked(client, w):
    _login(client, w, "org")
    r = _ranking(client, w, unit=w["town_a"])
    assert {e.cadre.name for e in r.context["entries"]} == {"甲一", "=甲五", "甲二"}
    r = _ranking(client, w, ranked="no")
    assert [e.cadre.name for e in r.context["entries"]] == ["甲二"]
    r = _ranking(client, w, ordering="-score")
    assert r.status_code == 200 and r.context["entries"][0].cadre.name == "甲三"


def test_diff_of_two_runs(client, w):
    _login(client, w, "org")
    r = client.get(reverse("promotion:run_diff"), {"pool": w["pool"], "a": w["run2"], "b": w["run1"]})
    diff = r.context["diff"]
    assert (diff.a.pk, diff.b.pk) == (w["run1"], w["run2"])  # the earlier run first, whatever the order asked
    assert [b.cadre.name for _a, b in diff.entered] == ["=甲五"]
    assert {a.cadre.name for a, _b in diff.left} == {"甲二", "乙二"}
    assert [(a.rank, b.rank, b.cadre.name) for a, b in diff.up] == [(5, 1, "甲三")]
    assert [(a.rank, b.rank) for a, b in diff.down] == [(1, 2), (2, 3)]
    html = r.content.decode()
    assert all(name in html for name in ("甲三", "=甲五", "甲二", "乙二", "↑4")), html
    r = client.get(reverse("promotion:run_diff"))  # by default: the current run against the one before
    assert (r.context["diff"].a.pk, r.context["diff"].b.pk) == (w["run1"], w["run2"])
    r = client.get(reverse("promotion:run_diff"), {"pool": w["pool"], "a": w["run1"], "b": w["run1"]})
    assert r.context["diff"] is None and "请选择两次不同的排名。" in r.content.decode()
    r = client.get(reverse("promotion:run_diff"), {"pool": w["pool"], "a": w["failed"], "b": w["run1"]})
    assert r.status_code == 200 and r.context["diff"] is None


# --------------------------------------------------------------------------- scope
def test_leader_sees_only_entries_of_their_units_with_the_pool_ranks(client, w):
    r = _ranking(_login(client, w, "leader"), w)
    rows = _by_name(r)
    assert set(rows) == {"甲三", "甲一", "=甲五", "甲二"}  # 乙一 (叶县) absent
    assert (rows["甲三"].rank, rows["甲一"].rank, rows["=甲五"].rank) == (1, 2, 4)  # ranks in the whole pool
    assert {e.cadre.name for e in r.context["left"]} == {"甲二"}
    assert "乙一" not in r.content.decode() and "乙二" not in r.content.decode()
    other = w["rows2"][w["entries"]["b1"]]
    assert client.get(reverse("promotion:ranking_entry_explain", args=[other])).status_code == 404
    diff = client.get(reverse("promotion:run_diff"), {"pool": w["pool"], "a": w["run1"], "b": w["run2"]}).context["diff"]
    assert all(b.cadre.name != "乙一" for _a, b in diff.down)
    data = _api(w, "leader").get("/api/v1/ranking-entries/", {"pool": w["pool"]}).json()
    assert {(e["cadre_name"], e["rank"]) for e in data["results"]} == {("甲三", 1), ("甲一", 2), ("=甲五", 4),
                                                                      ("甲二", None)}


def test_explanation_partial_lists_the_components(client, w):
    mine = w["rows2"][w["entries"]["a3"]]
    r = _login(client, w, "leader").get(reverse("promotion:ranking_entry_explain", args=[mine]))
    assert r.status_code == 200
    chart = r.context["chart"]
    assert chart["contributions"] and abs(sum(chart["contributions"]) - 91.0) < 1e-9
    assert chart["ranks"] == [5, 1]  # the rank over the runs


# --------------------------------------------------------------------------- runs
def test_run_list_and_detail(client, w):
    r = _login(client, w, "auditor").get(reverse("promotion:run_list"))
    assert r.status_code == 200 and {x.pk for x in r.context["runs"]} == {w["run1"], w["run2"], w["failed"]}
    assert not r.context["can_start"] and "立即排名" not in r.content.decode()
    r = client.get(reverse("promotion:run_detail", args=[w["failed"]]))
    assert "数据库连接中断" in r.content.decode()
    r = client.get(reverse("promotion:run_detail", args=[w["run2"]]))
    row = r.context["rows"][0]
    assert row["pool"].pk == w["pool"] and row["counts"]["ranked"] == 4 and ("考核", 40) in row["weights"]


def test_auditors_read_but_cannot_start_a_run(client, w):
    _login(client, w, "auditor")
    assert client.post(reverse("promotion:run_start")).status_code == 403
    assert _api(w, "auditor").post("/api/v1/ranking-runs/start/").status_code == 403
    assert not Job.objects.filter(kind=RANKING_RUN).exists()


def _fake_run(monkeypatch, calls=None):
    """The job's run function replaced (the ranking itself is helper D's, tested there)."""
    def run(job, progress):
        if calls is not None:
            calls.append(job)
        progress(1, 1, "经济发展·县处级副职后备")
        return {"run": 0, "status": "done", "counts": {"pools": 1, "ranked": 4, "flagged": 1}}
    kind = jobs.KINDS[RANKING_RUN]
    monkeypatch.setitem(jobs.KINDS, RANKING_RUN, jobs.Kind(**{**kind.__dict__, "run": run}))


def test_starting_a_run_from_the_page(client, w, eager, monkeypatch):
    calls = []
    _fake_run(monkeypatch, calls)
    r = _login(client, w, "org").post(reverse("promotion:run_start"), follow=True)
    assert r.status_code == 200 and len(calls) == 1 and calls[0].params == {"trigger": "page"}
    assert "排名完成：1 个储备库，排名 4 人，提示 1 人。" in r.content.decode()


def test_starting_while_one_runs_is_refused_with_the_message(client, w, monkeypatch):
    from promotion.views import ranking as pages

    running = RankingRun.objects.create(run_date=dt.date(2026, 5, 3), status=RunStatus.RUNNING)
    monkeypatch.setattr(pages, "run_under_way", lambda: running)
    r = _login(client, w, "org").post(reverse("promotion:run_start"), follow=True)
    assert "另一次排名正在运行" in r.content.decode() and "请等它结束后再启动" in r.content.decode()
    assert not Job.objects.filter(kind=RANKING_RUN).exists()
    r = client.get(reverse("promotion:run_list"))
    assert r.context["under_way"] == running and "排名正在运行" in r.content.decode()
    r = _api(w, "org").post("/api/v1/ranking-runs/start/")
    assert r.status_code == 400 and "另一次排名正在运行" in r.json()["message"] and r.json()["errors"]
    assert not Job.objects.filter(kind=RANKING_RUN).exists()


def test_api_start_answers_202_with_the_job_then_400_while_it_runs(w, monkeypatch):
    _fake_run(monkeypatch)
    api = _api(w, "org")
    with monkeypatch.context() as m:  # queued, not run (no worker): the job stays under way
        m.setattr(jobs, "_in_thread", lambda: False)
        from pingdingshan.core import tasks

        m.setattr(tasks.run_job, "apply_async", lambda *a, **k: None)
        r = api.post("/api/v1/ranking-runs/start/")
        assert r.status_code == 202, r.content
        body = r.json()
        assert body["url"] == f"/api/v1/jobs/{body['id']}/" and body["state"] == "queued"
        assert Job.objects.get(pk=body["id"]).params == {"trigger": "api"}
        r = api.post("/api/v1/ranking-runs/start/")
        assert r.status_code == 400 and set(r.json()) == {"message", "errors"}
        assert Job.objects.filter(kind=RANKING_RUN).count() == 1


# --------------------------------------------------------------------------- export
def test_export_has_the_explanation_columns_formula_safe_and_logged(client, w):
    r = _login(client, w, "org").get(reverse("promotion:pool_ranking_export", args=[w["pool"]]), {"format": "csv"})
    assert r.status_code == 200
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    header = rows[0]
    for column in ("名次", "上次名次", "变化", "干部", "得分", "考核得分", "考核权重（%）", "考核贡献", "实绩积分贡献",
                   "红黄牌贡献", "得分说明", "提示", "排名日期"):
        assert column in header, column
    by_name = {row[header.index("干部")]: row for row in rows[1:]}
    assert "'=甲五" in by_name and by_name["'=甲五"][header.index("变化")] == "新进"  # formula made inert
    assert by_name["甲三"][header.index("得分")] == "91.00" and by_name["甲三"][header.index("变化")] == "↑4"
    explained = by_name["甲三"][header.index("得分说明")].splitlines()
    assert len(explained) == 5 and explained[0].startswith("考核综合得分：")  # ranking.explain, line by line
    assert "不得进入储备库" in by_name["甲二"][header.index("提示")]  # the flag in words
    log = ExportLog.objects.get(what="储备库排名")
    assert log.row_count == 5 and log.filters["pool"] == w["pool"]
    r = client.get(reverse("promotion:pool_ranking_export", args=[w["pool"]]), {"format": "xlsx", "run": w["run1"]})
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxml")


def test_leader_export_holds_only_their_units(client, w):
    r = _login(client, w, "leader").get(reverse("promotion:pool_ranking_export", args=[w["pool"]]), {"format": "csv"})
    names = {row[3] for row in list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))[1:]}
    assert names == {"甲三", "甲一", "'=甲五", "甲二"}


# --------------------------------------------------------------------------- the schedule
def test_schedule_change_is_saved_audited_and_a_bad_hour_refused(client, w):
    task = PeriodicTask.objects.select_related("crontab").get(name=NIGHTLY)
    old_crontab = task.crontab
    _login(client, w, "org")
    r = client.get(reverse("promotion:settings"))
    assert r.status_code == 200 and r.context["schedule"].time == "02:00" and r.context["schedule"].next_run
    r = client.post(reverse("promotion:settings"), {"enabled": "on", "hour": "3", "minute": "30"})
    assert r.status_code == 302
    task.refresh_from_db()
    assert (task.crontab.hour, task.crontab.minute, task.enabled) == ("3", "30", True)
    assert task.crontab_id != old_crontab.pk
    old_crontab.refresh_from_db()
    assert (old_crontab.hour, old_crontab.minute) == ("2", "0")  # the shared row is never changed
    change = PeriodicTask.history.filter(name=NIGHTLY).latest()
    assert change.history_user_id == w["org"] and change.crontab_id == task.crontab_id
    r = client.get(reverse("promotion:settings"))
    assert r.context["schedule"].time == "03:30" and r.context["changes"][0]["time"] == "03:30"
    r = client.get(reverse("core:audit_log"), {"model": "django_celery_beat.PeriodicTask"})  # the audit log lists it
    assert r.status_code == 200 and r.context["page_obj"].paginator.count >= 1
    r = client.post(reverse("promotion:settings"), {"enabled": "on", "hour": "24", "minute": "0"})
    assert r.status_code == 400 and "小时须为 0 到 23 的整数。" in r.content.decode()
    task.refresh_from_db()
    assert task.crontab.hour == "3"
    client.post(reverse("promotion:settings"), {"hour": "3", "minute": "30"})  # off
    task.refresh_from_db()
    assert task.enabled is False and client.get(reverse("promotion:settings")).context["schedule"].next_run is None


def test_schedule_is_org_staffs_page_and_api(client, w):
    for role in ("auditor", "leader"):
        assert _login(client, w, role).get(reverse("promotion:settings")).status_code == 403
        assert _api(w, role).get("/api/v1/ranking-schedule/").status_code == 403
    api = _api(w, "org")
    assert api.get("/api/v1/ranking-schedule/").json()["hour"] == 2
    assert api.options("/api/v1/ranking-schedule/").status_code == 200
    assert api.post("/api/v1/ranking-schedule/", {}, format="json").status_code == 405
    r = api.put("/api/v1/ranking-schedule/", {"enabled": True, "hour": 25, "minute": 0}, format="json")
    assert r.status_code == 400 and "hour" in r.json()["errors"]
    r = api.put("/api/v1/ranking-schedule/", {"enabled": True, "hour": 4, "minute": 5}, format="json")
    assert r.status_code == 200 and (r.json()["hour"], r.json()["minute"]) == (4, 5) and r.json()["next_run"]


# --------------------------------------------------------------------------- API
def test_api_entries_default_to_the_current_run_with_movement_and_explanation(w):
    api = _api(w, "org")
    data = api.get("/api/v1/ranking-entries/", {"pool": w["pool"]}).json()
    by_name = {e["cadre_name"]: e for e in data["results"]}
    assert set(by_name) == {"甲三", "甲一", "乙一", "=甲五", "甲二"}
    assert by_name["甲三"]["movement"] == {"kind": "up", "places": 4, "text": "↑4"} and by_name["甲三"]["score"] == 91.0
    lines = by_name["甲三"]["explanation"]
    assert [x["component"] for x in lines] == ["composite", "points", "awards", "frontline", "cards"]
    assert lines[0]["weight"] == 40 and lines[0]["value"] == 91.0 and lines[0]["sentence"]
    old = api.get("/api/v1/ranking-entries/", {"run": w["run1"]}).json()
    assert old["count"] == 5
    assert api.get("/api/v1/ranking-entries/", {"run": w["failed"]}).status_code == 400
    one = api.get(f"/api/v1/ranking-entries/{old['results'][0]['id']}/")
    assert one.status_code == 200  # an entry of an older run
    runs = api.get("/api/v1/ranking-runs/").json()
    assert [r["run_date"] for r in runs["results"]][:1] == ["2026-05-02"] and runs["count"] == 3


# --------------------------------------------------------------------------- query counts
def _grow(w, n):
    from promotion.models import RankingEntry, ReservePool

    pool, run = ReservePool.objects.get(pk=w["pool"]), RankingRun.objects.get(pk=w["run2"])
    from cadres.models import Unit

    unit = Unit.objects.get(pk=w["town_a"])
    entries = admit(pool, [CadreFactory(unit=unit, name=f"增{i}") for i in range(n)])
    start = RankingEntry.objects.filter(run=run).count() + 10
    rank_rows(run, pool, [(e, start + i, 5000 - i, start + i + 1, ()) for i, e in enumerate(entries)])
    rank_rows(RankingRun.objects.get(pk=w["run1"]), pool, [(e, start + i + 1, 5000, None, ()) for i, e in enumerate(entries)])


def _count(client, url, query=None):
    with CaptureQueriesContext(connection) as q:
        r = client.get(url, query or {})
    assert r.status_code == 200, url
    return len(q)


def test_list_query_counts_do_not_grow_with_the_rows(client, w):
    _login(client, w, "org")
    api = _api(w, "org")
    urls = [reverse("promotion:pool_ranking", args=[w["pool"]]), reverse("promotion:run_list"),
            reverse("promotion:pool_ranking_export", args=[w["pool"]]) + "?format=csv",
            reverse("promotion:run_diff") + f"?pool={w['pool']}&a={w['run1']}&b={w['run2']}"]
    api.get("/api/v1/ranking-runs/")  # the user's roles, read once and kept on the authenticated user
    before = [_count(client, u) for u in urls]
    api_before = [_count(api, u) for u in ("/api/v1/ranking-entries/", "/api/v1/ranking-runs/")]
    _grow(w, 6)
    for _i in range(3):
        make_run(dt.date(2026, 4, 1) + dt.timedelta(days=_i), status=RunStatus.FAILED)
    assert [_count(client, u) for u in urls] == before
    assert [_count(api, u) for u in ("/api/v1/ranking-entries/", "/api/v1/ranking-runs/")] == api_before
