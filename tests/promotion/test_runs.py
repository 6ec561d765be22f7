"""The ranking run (promotion/services/runs.py) on PostgreSQL: one lock, the run recorded, all
entries written in one transaction and only then current, a re-run of a date replacing it, a run
failing midway leaving the previous one current, a run left running by a killed process marked
failed by the next. On a real Celery worker, and killed with SIGKILL: test_runs_worker.py."""
import datetime as dt

import psycopg2
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from pingdingshan.core import locks
from promotion import tasks
from promotion.models import PoolEntry, RankingEntry, RankingRun, ReservePool, RunStatus, RunTrigger
from promotion.services import ranking, runs
from promotion.services.runs import LOCK_KEY, RunBusy, current_run, ranking_run, run_under_way
from tests.conftest import make_tree, rolled_back

from . import ranking_world as w

ON = w.ON
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    def build():
        data = w.build(make_tree())
        w.pool("党建党务·乡科级后备", weight_composite=100, weight_points=0, weight_awards=0, weight_frontline=0,
               weight_cards=0)
        second = ReservePool.objects.get(name="党建党务·乡科级后备")
        for k in ("a", "b"):
            w.admit(second, PoolEntry.objects.get(pk=data["entries"][k]).cadre)
        data["second"] = second.pk
        return data

    with rolled_back(django_db_blocker, build) as pks:
        yield pks


@pytest.fixture
def other_session():
    """A second PostgreSQL session (another process, as far as the server can tell)."""
    conn = psycopg2.connect(dbname=connection.settings_dict["NAME"], user=connection.settings_dict["USER"],
                            host=connection.settings_dict["HOST"], port=connection.settings_dict["PORT"] or 5432)
    conn.autocommit = True
    yield conn
    conn.close()


def test_a_run_ranks_every_active_pool_and_becomes_current(world, org_staff):
    ReservePool.objects.create(name="停用", industry_id=ReservePool.objects.get(pk=world["pool"]).industry_id,
                               category_id=ReservePool.objects.get(pk=world["pool"]).category_id, is_active=False)
    seen = []
    run = ranking_run(by=org_staff, on=ON, trigger=RunTrigger.PAGE, progress=lambda d, t, phase="": seen.append(
        (d, t, phase)))
    assert run.status == RunStatus.DONE and run.is_current and current_run() == run
    assert run.started_by == org_staff and run.trigger == RunTrigger.PAGE and run.finished_at >= run.started_at
    assert run.counts["pools"] == 2 and run.counts["entries"] == 6
    assert run.counts["ranked"] == 4 and run.counts["flagged"] == 2
    assert run.counts["per_pool"][str(world["pool"])] == {"ranked": 2, "flagged": 2}
    assert run.weights[str(world["second"])]["composite"] == 100
    assert run.weights[str(world["pool"])] == {"composite": 40, "points": 30, "awards": 10, "frontline": 10,
                                               "cards": 10, "composite_years": 3, "points_years": 3,
                                               "recency_percent": 50}
    assert [s[:2] for s in seen[:2]] == [(1, 2), (2, 2)] and seen[0][2] == "经济发展·乡科级后备"
    rows = {(r.pool_id, r.cadre_id): r for r in RankingEntry.objects.filter(run=run)}
    a = rows[(world["pool"], world["a"])]
    assert (a.rank, a.score, a.previous_rank, a.flags) == (2, 7926, None, [])
    assert ranking.components(a)["points"]["value"] == 7619 and a.components["v"][1] == 7619  # compact
    assert run.context[str(world["pool"])]["best"] > 0 and "best" not in a.components  # shared: once per pool
    assert rows[(world["pool"], world["c"])].rank is None and rows[(world["pool"], world["c"])].flags == ["blocked"]
    assert rows[(world["second"], world["b"])].score == 9000  # composite only
    d = PoolEntry.objects.get(pk=world["entries"]["d"])
    assert d.flagged_on == ON and d.flag_reasons == ["年龄 50 岁 > 45 岁 ✘"]  # the run flags the entries


def test_the_components_are_stored_exactly_whatever_the_text(world):
    from promotion.models import FrontlinePosting

    host = '马庄村\\二组 "驻村"\t第一书记\n'
    FrontlinePosting.objects.filter(cadre_id=world["b"]).update(host=host)
    run = ranking_run(on=ON)
    row = RankingEntry.objects.get(run=run, pool_id=world["pool"], cadre_id=world["b"])
    assert ranking.components(row)["frontline"]["detail"]["posting"]["host"] == host


def test_a_rerun_of_the_same_date_replaces_it(world):
    first = ranking_run(on=ON)
    second = ranking_run(on=ON)
    first.refresh_from_db()
    assert first.status == RunStatus.REPLACED and not first.is_current
    assert not RankingEntry.objects.filter(run=first).exists()
    assert RankingRun.objects.filter(run_date=ON, status=RunStatus.DONE).get() == second == current_run()
    assert RankingEntry.objects.filter(run=second).count() == 6
    assert RankingEntry.objects.count() == 6


def test_the_next_days_run_keeps_the_previous_rank_and_replaces_the_current(world):
    yesterday = ranking_run(on=ON - dt.timedelta(days=1))
    today = ranking_run(on=ON)
    again = ranking_run(on=ON)  # a re-run compares with the day before, not with the replaced run
    yesterday.refresh_from_db()
    assert yesterday.status == RunStatus.DONE and not yesterday.is_current and again.is_current
    assert RankingRun.objects.filter(is_current=True).count() == 1
    rows = {r.cadre_id: r for r in RankingEntry.objects.filter(run=again, pool_id=world["pool"])}
    assert rows[world["a"]].previous_rank == 2 and rows[world["b"]].previous_rank == 1
    assert rows[world["c"]].previous_rank is None
    assert today.pk != again.pk


def test_a_run_failing_midway_changes_nothing_and_is_recorded_with_its_error(world, monkeypatch):
    before = ranking_run(on=ON - dt.timedelta(days=1))
    real, calls = runs._insert_pool, []

    def insert(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("磁盘已满")
        return real(*args, **kwargs)

    monkeypatch.setattr(runs, "_insert_pool", insert)
    PoolEntry.objects.update(flagged_on=None, flag_reasons=[])
    flagged_before = list(PoolEntry.objects.order_by("id").values_list("flagged_on", "flag_reasons"))
    with pytest.raises(RuntimeError):
        ranking_run(on=ON)
    failed = RankingRun.objects.exclude(pk=before.pk).get()
    assert failed.status == RunStatus.FAILED and failed.error == "RuntimeError: 磁盘已满" and failed.finished_at
    assert not failed.is_current and not RankingEntry.objects.filter(run=failed).exists()  # the first pool too
    assert current_run() == before and RankingEntry.objects.filter(run=before).count() == 6
    assert list(PoolEntry.objects.order_by("id").values_list("flagged_on", "flag_reasons")) == flagged_before
    monkeypatch.setattr(runs, "_insert_pool", real)
    assert ranking_run(on=ON).is_current  # the next run succeeds


def test_a_run_left_running_by_a_killed_process_is_marked_failed_by_the_next(world):
    stale = RankingRun.objects.create(run_date=ON, status=RunStatus.RUNNING)
    assert run_under_way() is None  # nobody holds the lock
    run = ranking_run(on=ON)
    stale.refresh_from_db()
    assert stale.status == RunStatus.FAILED and stale.error == "运行中断（进程被终止）" and stale.finished_at
    assert run.is_current


def test_a_second_run_while_one_holds_the_lock_says_so_and_changes_nothing(world, other_session):
    running = RankingRun.objects.create(run_date=ON, status=RunStatus.RUNNING)
    with other_session.cursor() as cur:
        cur.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])
    assert run_under_way() == running
    with pytest.raises(RunBusy) as e:
        ranking_run(on=ON)
    assert e.value.messages[0].startswith("另一次排名正在运行（始于 ") and e.value.messages[0].endswith("），本次未执行。")
    running.refresh_from_db()
    assert running.status == RunStatus.RUNNING  # not taken for a stale one
    assert RankingRun.objects.count() == 1 and not RankingEntry.objects.exists()
    assert not PoolEntry.objects.exclude(flagged_on=None).exists()
    with pytest.raises(CommandError, match="另一次排名正在运行"):
        call_command("rank_pools", "--date", "2026-12-01")
    with other_session.cursor() as cur:
        cur.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])
    with locks.exclusive(LOCK_KEY) as got:
        assert got  # released: free again


def test_the_command_ranks_for_a_date(world, capsys):
    call_command("rank_pools", "--date", "2026-11-30")
    run = current_run()
    assert run.run_date == dt.date(2026, 11, 30) and run.trigger == RunTrigger.COMMAND
    assert "2026-11-30 排名完成：2 个储备库，6 名人选，其中参加排名 4 名、未参加排名 2 名" in capsys.readouterr().out
    with pytest.raises(CommandError, match="日期格式应为"):
        call_command("rank_pools", "--date", "2026-13-01")


def test_a_user_without_the_reserve_action_cannot_start_a_run(world):
    from django.core.exceptions import PermissionDenied

    from cadres.models import Unit
    from pingdingshan.core.models import Role
    from tests.factories import user_with_role

    leader = user_with_role(Role.UNIT_LEADER, Unit.objects.get(name="宝丰县"), username="leader")
    with pytest.raises(PermissionDenied):
        ranking_run(by=leader, on=ON)
    assert not RankingRun.objects.exists()


def test_the_task_is_acknowledged_late_rejected_on_worker_loss_with_limits_under_the_visibility_timeout():
    task = tasks.rank_pools
    assert task.acks_late and task.reject_on_worker_lost
    assert task.soft_time_limit == settings.RANKING_SOFT_LIMIT < task.time_limit == settings.RANKING_HARD_LIMIT
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] > task.time_limit
