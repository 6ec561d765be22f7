"""Pages of the leadership team analysis (班子研判, issue 14). Reading is everyone's with a role, in
scope (unit leaders: their subtree, a unit outside it 404; auditors and org staff: all); the rules
and targets are org staff's to change (gate action ``assess``), audited."""
from decimal import Decimal

from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from cadres.models import Unit
from pingdingshan.core import permissions as gate
from pingdingshan.core.exports import Column, export_response
from pingdingshan.core.pages import paginate, query_without, requires, settings_page

from .forms import TeamFilterForm, TeamRulesForm
from .services import teams as svc

WHAT = "班子研判"
TEAMS_PER_PAGE = 50
WHAT_FIGURES = "大数据研判"


def _filtered(request, *, unfiltered=False):
    """(form, teams) — the teams of the unit filter, then of the colour filter; with ``unfiltered``
    also the teams before the colour filter (the legend counts them)."""
    form = TeamFilterForm(request.GET or None, user=request.user)
    if form.is_bound and not form.is_valid():
        return (form, [], []) if unfiltered else (form, [])
    data = form.cleaned_data if form.is_bound else {}
    units = svc.subtree(data["unit"]) if data.get("unit") else None
    every = rows = svc.teams(request.user, units=units)
    colour = data.get("colour")
    if colour == svc.GREEN:
        rows = [t for t in rows if not t.warnings]
    elif colour:
        rows = [t for t in rows if colour in t.colours]
    return (form, rows, every) if unfiltered else (form, rows)


@requires("view")
def team_list(request):
    form, rows, every = _filtered(request, unfiltered=True)
    # a chip counts the rows its filter lists: the teams with a warning of that colour (a team with a
    # red and a blue warning counts in both), green the teams with none
    counts = {c: sum(c in t.colours for t in every) for c in svc.SEVERITY}
    counts[svc.GREEN] = sum(not t.warnings for t in every)
    # each colour's chip filters the list by it (the unit filter kept); the active one clears it
    chosen = form.cleaned_data.get("colour") if form.is_bound and form.is_valid() else ""
    base = request.GET.copy()
    base.pop("page", None)
    legend = []
    for c in (*svc.SEVERITY, svc.GREEN):
        q = base.copy()
        if c == chosen:
            q.pop("colour", None)
        else:
            q["colour"] = c
        legend.append((c, svc.BADGE[c], svc.COLOUR_LABELS[c], counts[c], "?" + q.urlencode(), c == chosen))
    # 50 teams a page in unit-tree order (a city has a few hundred; the legend counts them all)
    page = paginate(request, rows, count=len(rows), per_page=TEAMS_PER_PAGE)
    return render(request, "analysis/team_list.html", {
        "form": form, "teams": page.object_list, "page_obj": page, "total": len(rows), "legend": legend,
        "query": request.GET.urlencode(), "page_query": query_without(request.GET, "page")},
        status=400 if form.is_bound and not form.is_valid() else 200)


def export_columns() -> list[Column]:
    return [
        Column(_("单位"), lambda t: t.unit_name, 24),
        Column(_("预警颜色"), lambda t: t.colour_label, 14),
        Column(_("班子人数"), lambda t: t.size, 8, "number"),
        Column(_("正职"), lambda t: "、".join(m.name for m in t.chiefs), 12),
        Column(_("年轻干部"), lambda t: t.young_count, 8, "number"),
        Column(_("女干部"), lambda t: t.women, 8, "number"),
        Column(_("党外干部"), lambda t: t.non_party, 8, "number"),
        Column(_("平均年龄"), lambda t: t.mean_age, 8, "number"),
        Column(_("职数"), lambda t: t.places, 6, "number"),
        Column(_("在任"), lambda t: t.used, 6, "number"),
        Column(_("空缺"), lambda t: t.free, 6, "number"),
        Column(_("预警"), lambda t: t.warning_text, 60),
    ]


@requires("export")
def team_export(request):
    form, rows = _filtered(request)
    return export_response(user=request.user, rows=rows, columns=export_columns(), what=WHAT,
                           file_format=request.GET.get("format", "xlsx"),
                           filters=form if form.is_bound and form.is_valid() else None, filename=_("班子研判"))


@requires("view")
def team_detail(request, pk):
    unit = gate.get_or_404(Unit, request.user, "view", pk=pk)
    t = svc.team(request.user, unit)
    labels = svc.RULE_LABELS
    checks = [(labels[code], v, svc.BADGE[v.colour] if v.fired else "success") for code, v in t.checks]
    return render(request, "analysis/team_detail.html", {"unit": unit, "team": t, "checks": checks,
                                                         "rules": t.rules})


@requires("view")
def team_rules(request):
    can_edit = gate.can(request.user, "assess")
    if request.method == "POST":
        gate.require(request.user, "assess")
    row = svc.rules_get()
    form = TeamRulesForm(request.POST or None, instance=row)
    if not can_edit:
        for f in form.fields.values():
            f.disabled = True
    return settings_page(request, form, save=svc.rules_save, saved=_("已保存班子研判规则。"),
                         then=reverse("analysis:team_rules"), template="analysis/team_rules.html",
                         context=lambda: {"changes": svc.rules_changes(limit=10), "can_edit": can_edit})


# --------------------------------------------------------------------------- city analysis (大数据研判)
def _figures(request, slug):
    """The page's builder, its bound filter form and its Figures (None when the filters are bad)."""
    from .forms import FiguresFilterForm
    from .services.figures import PAGES, Params

    if slug not in PAGES:
        raise Http404(_("没有这个分析页面。"))
    title, build = PAGES[slug]
    form = FiguresFilterForm(request.GET or None, user=request.user, with_period=slug == "grades")
    if form.is_bound and not form.is_valid():
        return title, form, None
    data = form.cleaned_data if form.is_bound else {}
    params = Params(unit=data.get("unit"), start=data.get("start"), end=data.get("end"), period=data.get("period"))
    return title, form, build(request.user, params)


def _chart_json(figures):
    """What static/js/figures.js draws: each chart with its table's columns and rows (plain values)."""
    def plain(v):
        if isinstance(v, Decimal):
            return float(v)
        return v if v is None or isinstance(v, (int, float, str)) else str(v)

    out = []
    for chart in figures.charts:
        t = figures.table(chart.table)
        rows = t.rows[:-1] if t.total else t.rows
        out.append({"key": chart.key, "title": str(chart.title), "kind": chart.kind,
                    "columns": [str(col) for col in t.columns],
                    "series": chart.series or list(range(1, len(t.columns))),
                    "rows": [[plain(v) for v in r] for r in rows]})
    return out


@requires("view")
def figures_page(request, slug):
    from .services.figures import PAGES

    title, form, figures = _figures(request, slug)
    pages = [(s, t, reverse(f"analysis:{s}")) for s, (t, _b) in PAGES.items()]
    bad = figures is None
    blocks = []
    if figures is not None:
        charts_of = {}
        for chart in figures.charts:
            charts_of.setdefault(chart.table, []).append(chart)
        blocks = [(t, charts_of.get(t.key, [])) for t in figures.tables]
    return render(request, "analysis/figures.html", {
        "slug": slug, "title": title, "form": form, "figures": figures, "blocks": blocks, "pages": pages,
        "charts": _chart_json(figures) if figures else [], "query": request.GET.urlencode(),
        "page_url": reverse(f"analysis:{slug}"), "export_url": reverse(f"analysis:{slug}_export")},
        status=400 if bad else 200)


@requires("export")
def figures_export(request, slug):
    """One table of the page (``?table=<key>``, default the first) as xlsx or csv, through the one
    export path (gated, logged with the filters)."""
    title, form, figures = _figures(request, slug)
    if figures is None:
        return render(request, "analysis/figures.html", {
            "slug": slug, "title": title, "form": form, "figures": None, "blocks": [], "pages": [], "charts": [],
            "query": "", "page_url": reverse(f"analysis:{slug}"), "export_url": ""}, status=400)
    keys = [t.key for t in figures.tables]
    key = request.GET.get("table") or keys[0]
    if key not in keys:
        return HttpResponseBadRequest(_("表格：没有“%(key)s”这张表，可选：%(keys)s。") % {"key": key, "keys": "、".join(keys)})
    table = figures.table(key)
    columns = [Column(str(h), (lambda r, i=i: r[i]), 24 if i == 0 else 12) for i, h in enumerate(table.columns)]
    name = f"{figures.title}-{table.title}"
    return export_response(user=request.user, rows=table.rows, columns=columns, what=f"{WHAT_FIGURES}:{slug}",
                           file_format=request.GET.get("format", "xlsx"),
                           filters=form if form.is_bound else None,
                           extra_filters=[("table", _("表格"), table.title)], filename=name, title=name)
# --------------------------------------------------------------------------- auditors' reports (审计报表)
REPORTS_PER_PAGE = 20


def _report_page(request, *, form=None, status=200):
    from pingdingshan.core.pages import paginate, query_without

    from .forms import ReportListFilter, ReportRequestForm, ReportScheduleForm
    from .services import reports

    entries = reports.catalogue(request.user)
    forms_ = []
    for entry in entries:
        r = entry["report"]
        bound = form if form is not None and form.data.get("kind") == r.kind else None
        forms_.append({**entry, "form": bound or ReportRequestForm(initial={"kind": r.kind}, user=request.user,
                                                                    prefix=None, auto_id=f"id_{r.kind}_%s")})
    stray = []  # the errors of a request for no report of the catalogue (an unknown kind)
    if form is not None and not any(e["form"] is form for e in forms_):
        stray = [e for errors in form.errors.values() for e in errors]
    filt = ReportListFilter(request.GET or None, kinds=[e["report"] for e in entries])
    qs = reports.visible_reports(request.user)
    if filt.is_bound and filt.is_valid() and filt.cleaned_data.get("kind"):
        qs = qs.filter(kind=filt.cleaned_data["kind"])
    elif filt.is_bound and not filt.is_valid():
        qs = qs.none()
        status = 400
    page = paginate(request, qs, per_page=REPORTS_PER_PAGE)
    titles = {r.kind: r.label for r in reports.CATALOGUE}
    rows = [{"report": row, "title": titles.get(row.kind, row.kind)} for row in page.object_list]
    schedule = reports.schedule_get()
    can_schedule = gate.can(request.user, "assess")
    schedule_form = ReportScheduleForm(initial={"enabled": schedule["enabled"], "day": schedule["day"] or 1,
                                                "hour": schedule["hour"] if schedule["hour"] is not None else 2})
    if not can_schedule:
        for f in schedule_form.fields.values():
            f.disabled = True
    return render(request, "analysis/reports/list.html", {
        "entries": forms_, "stray_errors": stray, "filter": filt, "page": page, "page_obj": page, "rows": rows,
        "schedule": schedule,
        "schedule_form": schedule_form, "can_schedule": can_schedule, "city_wide": gate.city_wide(request.user, "export"),
        "page_query": query_without(request.GET, "page")}, status=status)


@requires("export")
def report_list(request):
    """GET: the catalogue, the schedule and the generated reports; POST: generate one (a job)."""
    from django.core.exceptions import ValidationError
    from django.shortcuts import redirect

    from pingdingshan.core import jobs

    from .forms import ReportRequestForm
    from .services import reports

    if request.method != "POST":
        return _report_page(request)
    form = ReportRequestForm(request.POST, user=request.user, auto_id=f"id_{request.POST.get('kind', '')}_%s"[:60])
    if form.is_valid():
        d = form.cleaned_data
        try:
            row = reports.report_request(by=request.user, kind=d["kind"], unit=d.get("unit"), start=d.get("start"),
                                         end=d.get("end"))
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            return redirect(jobs.url(row.job) if row.job_id else reverse("analysis:report_list"))
    return _report_page(request, form=form, status=400)


@requires("export")
def report_download(request, pk, fmt="pdf"):
    from django.http import Http404

    from pingdingshan.core.files import serve_file

    from .services import reports

    if fmt not in reports.FORMATS:
        raise Http404(_("该报表没有这种格式的文件。"))
    f, name, content_type = reports.report_file(user=request.user, pk=pk, fmt=fmt)
    return serve_file(f, filename=name, content_type=content_type)


@requires("assess", post_only=True)
def report_schedule(request):
    """Org staff: the monthly run's day, hour and on/off."""
    from django.contrib import messages
    from django.core.exceptions import ValidationError
    from django.shortcuts import redirect

    from .forms import ReportScheduleForm
    from .services import reports

    form = ReportScheduleForm(request.POST)
    if form.is_valid():
        try:
            reports.schedule_save(by=request.user, **form.cleaned_data)
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            messages.success(request, _("已保存每月生成的时间。"))
            return redirect(reverse("analysis:report_list"))
    for errors in form.errors.values():
        for e in errors:
            messages.error(request, e)
    return redirect(reverse("analysis:report_list"))
