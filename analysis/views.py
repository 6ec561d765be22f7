"""Pages of the leadership team analysis (班子研判, issue 14). Reading is everyone's with a role, in
scope (unit leaders: their subtree, a unit outside it 404; auditors and org staff: all); the rules
and targets are org staff's to change (gate action ``assess``), audited."""
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from cadres.models import Unit
from pingdingshan.core import permissions as gate
from pingdingshan.core.exports import Column, export_response
from pingdingshan.core.pages import requires, settings_page

from .forms import TeamFilterForm, TeamRulesForm
from .services import teams as svc

WHAT = "班子研判"


def _filtered(request):
    form = TeamFilterForm(request.GET or None, user=request.user)
    if form.is_bound and not form.is_valid():
        return form, []
    data = form.cleaned_data if form.is_bound else {}
    units = svc.subtree(data["unit"]) if data.get("unit") else None
    rows = svc.teams(request.user, units=units)
    colour = data.get("colour")
    if colour == svc.GREEN:
        rows = [t for t in rows if not t.warnings]
    elif colour:
        rows = [t for t in rows if colour in t.colours]
    return form, rows


@requires("view")
def team_list(request):
    form, rows = _filtered(request)
    counts = {c: sum(t.colour == c for t in rows) for c in (*svc.SEVERITY, svc.GREEN)}
    legend = [(c, svc.BADGE[c], svc.COLOUR_LABELS[c], counts[c]) for c in (*svc.SEVERITY, svc.GREEN)]
    return render(request, "analysis/team_list.html", {
        "form": form, "teams": rows, "legend": legend, "query": request.GET.urlencode()},
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
        "entries": forms_, "stray_errors": stray, "filter": filt, "page": page, "rows": rows, "schedule": schedule,
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
