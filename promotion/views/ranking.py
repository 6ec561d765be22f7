"""Pages of the ranking runs (issue 12): a pool's ranking in a run (movement against the previous
run, the entries that left, each entry's explanation line by line and its chart, export with the
explanation columns), the run history with the "立即排名" button and the run's progress, one run's
page (per pool counts, weights, error), the difference between two runs of a pool, and the nightly
schedule's settings.

Views parse input, call one selector (``selectors_ranking``) or service and render. Unit leaders see
the entries of the cadres of their units (the ranks stay those in the whole pool); auditors read all;
starting a run and changing the schedule are org staff's (gate action ``reserve``).
"""
import dataclasses
import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pingdingshan.core import jobs
from pingdingshan.core import permissions as gate
from pingdingshan.core.exports import Column
from pingdingshan.core.models import JobState
from pingdingshan.core.pages import ListPage, requires, settings_page

from .. import selectors_ranking as sel
from ..filters_ranking import DiffForm, RankingEntryFilter, RunFilter
from ..forms_ranking import ScheduleForm
from ..jobs import RANKING_RUN
from ..models import RankingEntry, ReservePool, RunStatus, RunTrigger
from ..models.reserve import COMPONENTS
from ..services import ranking
from ..services import schedule as schedule_svc

RANKING_WHAT = "储备库排名"
COMPONENT_LABELS = {"composite": gettext_lazy("考核"), "points": gettext_lazy("实绩积分"),
                    "awards": gettext_lazy("表彰"), "frontline": gettext_lazy("一线历练"),
                    "cards": gettext_lazy("红黄牌")}
COMPONENT_COLORS = {"composite": "#b71c1c", "points": "#1565c0", "awards": "#f9a825", "frontline": "#2e7d32",
                    "cards": "#6d4c41"}
STATUS_BADGES = {RunStatus.RUNNING: "primary", RunStatus.DONE: "success", RunStatus.FAILED: "danger",
                 RunStatus.REPLACED: "secondary"}
ENTRY_COLUMNS = [
    (gettext_lazy("名次"), "rank"),
    (gettext_lazy("变化"), None),
    (gettext_lazy("干部"), "cadre"),
    (gettext_lazy("单位"), "unit"),
    (gettext_lazy("得分"), "score"),
    (gettext_lazy("得分构成"), None),
    (gettext_lazy("提示"), None),
    ("", None),
]
RUN_COLUMNS = [
    (gettext_lazy("排名日期"), "date"),
    (gettext_lazy("状态"), "status"),
    (gettext_lazy("启动方式"), None),
    (gettext_lazy("启动人"), None),
    (gettext_lazy("开始时间"), "started"),
    (gettext_lazy("结束时间"), None),
    (gettext_lazy("用时"), None),
    (gettext_lazy("储备库"), None),
    (gettext_lazy("排名人数"), None),
    (gettext_lazy("提示人数"), None),
]


# --------------------------------------------------------------------------- the ranking service
def tie_rule() -> str:
    return str(ranking.TIE_RULE)


def explanation(entry) -> list[dict]:
    """``ranking.explain(entry)`` as dicts the templates, the export and the API read: label,
    value, weight, contribution and the sentence."""
    return [_line(line) for line in ranking.explain(entry)]


def _line(line) -> dict:
    data = dataclasses.asdict(line)
    return {**data, "label": str(data["label"]), "sentence": str(data["sentence"])}


def line_text(line: dict) -> str:
    return f"{line['label']}：{line['sentence']}" if line["label"] and line["sentence"] else (
        line["sentence"] or line["label"])


def flag_text(code: str) -> str:
    return str(ranking.FLAG_LABELS.get(code, code))


def run_under_way():
    """The run under way (``runs.run_under_way``), or None."""
    from ..services import runs

    under_way = getattr(runs, "run_under_way", None)
    return under_way() if under_way is not None else None


def busy_message(since) -> str:
    """The refusal of a second run while one is under way."""
    from django.utils import timezone

    when = f"{timezone.localtime(since):%Y-%m-%d %H:%M}" if since else "—"
    return _("另一次排名正在运行（%(when)s 开始），请等它结束后再启动。") % {"when": when}


# --------------------------------------------------------------------------- helpers
def h2(value) -> str:
    """Hundredths shown with two decimals (8512 → "85.12")."""
    if value is None:
        return ""
    value = int(value)
    sign = "-" if value < 0 else ""
    return f"{sign}{abs(value) // 100}.{abs(value) % 100:02d}"


def _decorate(rows):
    for e in rows:
        e.movement_kind, e.movement_places = sel.movement(e)
        e.segments = [{**c, "label": COMPONENT_LABELS.get(c["component"], c["component"]),
                       "color": COMPONENT_COLORS.get(c["component"], "#999"), "shown": h2(c["contribution"])}
                      for c in sel.contributions(e)]
        e.score_text = h2(e.score)
        e.flag_texts = [flag_text(f) for f in (e.flags or [])]
    return rows


def _duration(run) -> str:
    d = run.duration
    if d is None:
        return ""
    seconds = int(d.total_seconds())
    if seconds < 60:
        return _("%(s)s 秒") % {"s": seconds}
    return _("%(m)s 分 %(s)s 秒") % {"m": seconds // 60, "s": seconds % 60}


def _who(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def _runs(rows):
    for r in rows:
        r.duration_text = _duration(r)
        counts = r.counts or {}
        r.pools_count, r.ranked_count, r.flagged_count = counts.get("pools"), counts.get("ranked"), counts.get("flagged")
        r.who = _who(r.started_by)
    return rows


# --------------------------------------------------------------------------- a pool's ranking
def ranking_page(request, pool, run) -> ListPage:
    rows = sel.entry_rows(request.user, run=run, pool=pool) if run else RankingEntry.objects.none()
    return ListPage(request, RankingEntryFilter, rows, columns=ENTRY_COLUMNS, not_filters=("page", "format", "run"),
                    placeholders={"q": _("姓名、拼音首字母（如 zs）或身份证号")})


@requires("view")
def pool_ranking(request, pk):
    pool = sel.pool_get(request.user, pk)
    run = sel.chosen_run(request.user, request.GET.get("run"))
    lp = ranking_page(request, pool, run)
    page = lp.paginate()
    previous = sel.previous_run(run)
    left = _decorate(sel.left_entries(request.user, run=run, pool=pool)) if run else []
    for e in left:
        if e.now is not None:
            e.now.flag_texts = [flag_text(f) for f in (e.now.flags or [])]
    counts = ((run.counts or {}).get("per_pool") or {}).get(str(pool.pk)) or {} if run else {}
    context = lp.context(
        page, pool=pool, run=run, previous=previous, entries=_decorate(list(page.object_list)), left=left,
        runs=list(sel.done_runs(request.user).order_by("-run_date", "-started_at")[:30]), tie_rule=tie_rule(),
        legend=[{"label": COMPONENT_LABELS[c], "color": COMPONENT_COLORS[c], "weight": pool.weights[c]}
                for c in COMPONENTS],
        run_weights=((run.weights or {}).get(str(pool.pk)) if run else None), pool_counts=counts,
        run_query=f"run={run.pk}" if run and request.GET.get("run") else "",
        has_filters=any(v for k, v in request.GET.items() if k not in ("page", "ordering", "run")))
    return render(request, "promotion/ranking/pool_ranking.html", context)


def export_columns() -> list[Column]:
    cols = [
        Column(_("名次"), lambda e: e.rank, 6, "number"),
        Column(_("上次名次"), lambda e: e.previous_rank, 8, "number"),
        Column(_("变化"), sel.movement_text, 8, "text"),
        Column(_("干部"), lambda e: e.cadre.name, 10),
        Column(_("身份证号码"), lambda e: e.cadre.id_number, 20),
        Column(_("单位"), lambda e: e.cadre.unit.name if e.cadre.unit_id else "", 24),
        Column(_("得分"), lambda e: _decimal(e.score), 8, "hundredths"),
    ]
    for c in COMPONENTS:
        label = COMPONENT_LABELS[c]
        cols += [
            Column(_("%(c)s得分") % {"c": label}, lambda e, c=c: _decimal(_part(e, c, "value")), 9, "hundredths"),
            Column(_("%(c)s权重（%%）") % {"c": label}, lambda e, c=c: _part(e, c, "weight"), 8, "number"),
            Column(_("%(c)s贡献") % {"c": label}, lambda e, c=c: _decimal(_part(e, c, "contribution")), 9,
                   "hundredths"),
        ]
    cols += [
        Column(_("得分说明"), lambda e: "\n".join(line_text(line) for line in explanation(e)), 60, "text"),
        Column(_("提示"), lambda e: "；".join(flag_text(f) for f in (e.flags or [])), 24, "text"),
        Column(_("排名日期"), lambda e: e.run.run_date, 12, "date"),
    ]
    return cols


def _part(entry, component, key):
    value = (ranking.components(entry).get(component) or {}).get(key)
    return value if isinstance(value, int | float) else None


def _decimal(h):
    from decimal import Decimal

    return None if h is None else (Decimal(int(h)) / 100).quantize(Decimal("0.01"))


@requires("export")
def pool_ranking_export(request, pk):
    pool = sel.pool_get(request.user, pk)
    run = sel.chosen_run(request.user, request.GET.get("run"))
    lp = ranking_page(request, pool, run)
    return lp.export(columns=export_columns(), what=RANKING_WHAT, filename=_("储备库排名-%(p)s") % {"p": pool.name},
                     list_url=reverse("promotion:pool_ranking", args=[pool.pk]),
                     extra_filters=[("pool", _("储备库"), pool)] + (
                         [("run", _("排名日期"), run.run_date.isoformat())] if run else []))


@requires("view")
def ranking_entry_explain(request, pk):
    """One entry's explanation (the row's expansion, htmx): the lines, its components' chart, its
    rank over the runs."""
    entry = gate.get_or_404(RankingEntry.objects.select_related("cadre", "cadre__unit", "pool", "run", "entry"),
                            request.user, "view", pk=pk)
    lines = explanation(entry)
    parts = sel.contributions(entry)
    history = sel.rank_history(request.user, entry)
    chart = {
        "names": [str(COMPONENT_LABELS.get(p["component"], p["component"])) for p in parts],
        "values": [(p["value"] or 0) / 100 if isinstance(p["value"], int | float) else 0 for p in parts],
        "contributions": [p["contribution"] / 100 for p in parts],
        "colors": [COMPONENT_COLORS.get(p["component"], "#999") for p in parts],
        "value_label": _("分项得分"), "contribution_label": _("贡献（分）"),
        "dates": [h.run.run_date.isoformat() for h in history], "ranks": [h.rank for h in history],
        "rank_label": _("名次"),
    }
    template = "promotion/ranking/_explain.html"
    return render(request, template, {"entry": _decorate([entry])[0], "lines": lines, "chart": chart,
                                      "chart_json": json.dumps(chart, ensure_ascii=False), "tie_rule": tie_rule(),
                                      "history": history})


# --------------------------------------------------------------------------- runs
def _job_context(job) -> dict:
    if job is None:
        return {}
    return {"job": job, "status": jobs.status(job), "label": jobs.label(job), "back_url": "",
            "result_template": getattr(jobs.KINDS.get(job.kind), "result_template", ""), "result": job.result}


@requires("view")
def run_list(request):
    lp = ListPage(request, RunFilter, sel.run_rows(request.user), columns=RUN_COLUMNS)
    page = lp.paginate()
    can_start = gate.can(request.user, "reserve")
    job = jobs.job_under_way(user=request.user, kind=RANKING_RUN) if can_start else None
    return render(request, "promotion/ranking/run_list.html", lp.context(
        page, runs=_runs(list(page.object_list)), badges=STATUS_BADGES, can_start=can_start,
        under_way=run_under_way(), current=sel.current_run(), job_status=_job_context(job)))


@requires("reserve", post_only=True)
def run_start(request):
    """Start a ranking run now, as a background job (in-process without a broker: done when it
    returns, and the list says how it went). Refused while a run is under way."""
    mine = jobs.job_under_way(user=request.user, kind=RANKING_RUN)
    if mine is not None:
        messages.info(request, _("您启动的排名正在运行，进度见下方。"))
        return redirect("promotion:run_list")
    running = run_under_way()
    if running is not None:
        messages.error(request, busy_message(running.started_at))
        return redirect("promotion:run_list")
    try:
        job = jobs.start(by=request.user, kind=RANKING_RUN, params={"trigger": RunTrigger.PAGE})
    except (ValidationError, PermissionDenied) as e:
        messages.error(request, " ".join(getattr(e, "messages", None) or [str(e)]))
        return redirect("promotion:run_list")
    if job.finished:
        if job.state == JobState.FAILED:
            messages.error(request, job.message)
        else:
            counts = (job.result or {}).get("counts") or {}
            messages.success(request, _("排名完成：%(p)s 个储备库，排名 %(n)s 人，提示 %(f)s 人。") % {
                "p": counts.get("pools", 0), "n": counts.get("ranked", 0), "f": counts.get("flagged", 0)})
    return redirect("promotion:run_list")


@requires("view")
def run_detail(request, pk):
    run = sel.run_get(request.user, pk)
    _runs([run])
    per_pool = (run.counts or {}).get("per_pool") or {}
    weights = run.weights or {}
    ids = {int(k) for k in list(per_pool) + list(weights) if str(k).isdigit()}
    pools = ReservePool.objects.restrict(request.user, "view").in_bulk(ids)
    rows = []
    for pool_id in sorted(ids, key=lambda i: (getattr(pools.get(i), "order", 0), i)):
        w = weights.get(str(pool_id)) or {}
        rows.append({"pool": pools.get(pool_id), "pool_id": pool_id, "counts": per_pool.get(str(pool_id)) or {},
                     "weights": [(COMPONENT_LABELS[c], w.get(c)) for c in COMPONENTS],
                     "years": {k: w.get(k) for k in ("composite_years", "points_years", "recency_percent")}})
    job = run.job if run.job_id and run.job.user_id == request.user.pk else None
    return render(request, "promotion/ranking/run_detail.html", {
        "run": run, "rows": rows, "badges": STATUS_BADGES, "components": [COMPONENT_LABELS[c] for c in COMPONENTS],
        "job": job, "previous": sel.previous_run(run) if run.status == RunStatus.DONE else None})


@requires("view")
def run_diff(request):
    """Between two done runs of a pool: who entered, who left, who moved up or down."""
    user = request.user
    data = request.GET if any(request.GET.get(k) for k in ("pool", "a", "b")) else None
    initial = {}
    if data is None:
        pool = ReservePool.objects.restrict(user, "view").filter(is_active=True).first()
        b = sel.current_run()
        a = sel.previous_run(b)
        initial = {"pool": pool, "a": a, "b": b}
        if pool and a and b:
            data = {"pool": pool.pk, "a": a.pk, "b": b.pk}
    form = DiffForm(data, user=user, initial=initial)
    diff = None
    if data is not None and form.is_valid():
        a, b = form.cleaned_data["a"], form.cleaned_data["b"]
        if (a.run_date, a.started_at) > (b.run_date, b.started_at):
            a, b = b, a
        diff = sel.run_diff(user, pool=form.cleaned_data["pool"], a=a, b=b)
    return render(request, "promotion/ranking/run_diff.html", {
        "form": form, "diff": diff, "pool": form.cleaned_data.get("pool") if diff else None})


# --------------------------------------------------------------------------- settings
@requires("reserve")
def ranking_settings(request):
    schedule = schedule_svc.schedule_get()
    initial = {"hour": schedule.hour, "minute": schedule.minute, "enabled": schedule.enabled}
    return settings_page(request, ScheduleForm(request.POST or None, initial=initial), save=schedule_svc.schedule_save,
                         saved=_("已保存每日排名时间。"), then="promotion:settings",
                         template="promotion/ranking/settings.html", context=lambda: {
                             "schedule": schedule, "badges": STATUS_BADGES,
                             "runs": _runs(list(sel.run_rows(request.user)[:10])),
                             "changes": schedule_svc.schedule_changes(limit=10)})
