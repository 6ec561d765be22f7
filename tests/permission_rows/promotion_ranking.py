"""Permission-matrix rows of the ranking runs (issue 12): a pool's ranking, its export and each
entry's explanation, the runs, the diff, the settings page, and the API's runs, entries and schedule.
Everybody with a role reads the rankings (unit leaders the entries of their units: another unit's
entry is 404); starting a run and the schedule are org staff's (``reserve``: 403 before any lookup).
Each variant's cadre is in one pool with an entry in two done runs."""
import datetime as dt

from . import Ok, both, exists

GLOBAL = ("ranking_pool", "ranking_run")
RUN_JOB = exists("core.Job", kind="promotion.ranking_run")


def world(variant, o, by):
    from promotion.models import RankingRun, ReservePool
    from tests.promotion.ranking_rows import admit, make_pool, make_run, rank_rows

    pool = ReservePool.objects.filter(name="矩阵·排名储备库").first() or make_pool("矩阵·排名储备库")
    before = RankingRun.objects.filter(run_date=dt.date(2026, 3, 1)).first() or make_run(dt.date(2026, 3, 1),
                                                                                         pools=[pool])
    current = RankingRun.objects.filter(run_date=dt.date(2026, 3, 2)).first() or make_run(
        dt.date(2026, 3, 2), current=True, pools=[pool])
    (entry,) = admit(pool, [o["cadre"]])
    rank = 1 if variant == "own" else 2
    rank_rows(before, pool, [(entry, rank, 8000, None, ())])
    (row,) = rank_rows(current, pool, [(entry, rank, 8100, rank, ())])
    return {"ranking_pool": pool, "ranking_run": current, "ranking_before": before, "ranking_entry": row}


def _schedule_is(hour, minute, enabled):
    def check(o, r):
        from django_celery_beat.models import PeriodicTask

        task = PeriodicTask.objects.select_related("crontab").get(name="ranking-nightly")
        return (task.crontab.hour, task.crontab.minute, task.enabled) == (str(hour), str(minute), enabled)
    return check


def _audited(o, r):
    from django_celery_beat.models import PeriodicTask

    return PeriodicTask.history.filter(name="ranking-nightly", history_user__isnull=False).exists()


PAGES = [
    ("promotion:pool_ranking", "ranking_pool", "get", "view"),
    ("promotion:pool_ranking_export", "ranking_pool", "get", "view", Ok(query={"format": "csv"})),
    ("promotion:ranking_entry_explain", "ranking_entry", "get", "view_obj"),
    ("promotion:run_list", None, "get", "view"),
    ("promotion:run_detail", "ranking_run", "get", "view_obj"),
    ("promotion:run_diff", None, "get", "view", Ok(
        query=lambda o: {"pool": o["ranking_pool"].pk, "a": o["ranking_before"].pk, "b": o["ranking_run"].pk})),
    ("promotion:run_start", None, "post", "discipline", Ok(effect=RUN_JOB)),
    ("promotion:settings", None, "get", "discipline"),
    ("promotion:settings", None, "post", "discipline", Ok(
        data={"enabled": "on", "hour": "3", "minute": "45"}, effect=both(_schedule_is(3, 45, True), _audited))),
]

API = [
    ("ranking-run-list", None, "get", "api_list"),
    ("ranking-run-detail", "ranking_run", "get", "api_obj"),
    ("ranking-run-start", None, "post", "api_discipline", Ok(status=202, effect=RUN_JOB)),
    ("ranking-entry-list", None, "get", "api_list"),
    ("ranking-entry-detail", "ranking_entry", "get", "api_obj"),
    ("ranking-schedule-list", None, "get", "api_discipline"),
    ("ranking-schedule-list", None, "put", "api_discipline", Ok(
        data={"enabled": True, "hour": 4, "minute": 15}, effect=both(_schedule_is(4, 15, True), _audited))),
]
