"""Set-up pages of an assessment period (考核周期): the list and its export, the detail with the
actions its state allows, the period form, the schemes in force, the rater groups and their
weights per tier, enrolment, opening for scoring, computing, and taking a cadre out.

Org staff write (gate action ``assess``); auditors read; unit leaders see published periods only
(the gate's restricted querysets answer 404 otherwise). Views parse input, call one service of
``assessment.services`` (which re-checks the gate and the period's state) or a selector, and
render; a service's Chinese refusal is shown next to the fields or as a message.
"""
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
from pingdingshan.core.pages import ListPage, paginate, query_without, requires

from .. import jobs as assessment_jobs
from .. import selectors, services
from ..forms import PeriodFilter, PeriodForm, PeriodSchemesForm, RaterGroupsForm
from ..models import AssessmentResult, PeriodStatus
from ..services.classify import skip_reason_text

EXPORT_WHAT = "考核周期"
PERIOD_COLUMNS = [
    (gettext_lazy("名称"), "name"),
    (gettext_lazy("考核类型"), None),
    (gettext_lazy("年度"), "year"),
    (gettext_lazy("考核期间"), "end"),
    (gettext_lazy("状态"), "status"),
    (gettext_lazy("指标体系"), None),
    (gettext_lazy("评价主体"), None),
    (gettext_lazy("考核对象"), "enrolled"),
]
STATUS_BADGES = {PeriodStatus.DRAFT: "secondary", PeriodStatus.OPEN: "primary", PeriodStatus.PUBLISHED: "success"}


def error_list(e) -> list[str]:
    return list(getattr(e, "messages", None) or [str(e)])


def _detail(period):
    return redirect("assessment:period_detail", pk=period.pk)


def _period(request, pk):
    return selectors.period_get(user=request.user, pk=pk)


# --------------------------------------------------------------------------- list and export
def period_page(request) -> ListPage:
    return ListPage(request, PeriodFilter, selectors.period_list(user=request.user), columns=PERIOD_COLUMNS,
                    placeholders={"q": _("周期名称或专项任务")})


@requires("view")
def period_list(request):
    lp = period_page(request)
    page = lp.paginate()
    return render(request, "assessment/setup/period_list.html", lp.context(
        page, periods=list(page.object_list), can_assess=gate.can(request.user, "assess"), badges=STATUS_BADGES))


def export_columns() -> list[Column]:
    return [
        Column(_("编号"), lambda p: p.pk, 8),
        Column(_("名称"), lambda p: p.name, 24),
        Column(_("考核类型"), lambda p: p.get_kind_display(), 10),
        Column(_("年度"), lambda p: p.year, 8),
        Column(_("专项任务"), lambda p: p.task_name, 20),
        Column(_("开始日期"), lambda p: p.start_date, 12),
        Column(_("结束日期"), lambda p: p.end_date, 12),
        Column(_("状态"), lambda p: p.get_status_display(), 10),
        Column(_("指标体系数"), lambda p: p.scheme_count, 10),
        Column(_("评价主体数"), lambda p: p.group_count, 10),
        Column(_("考核对象数"), lambda p: p.result_count, 10),
        Column(_("发布时间"), lambda p: p.published_at, 18),
    ]


@requires("export")
def period_export(request):
    return period_page(request).export(columns=export_columns(), what=EXPORT_WHAT, filename=_("考核周期"),
                                       list_url=reverse("assessment:period_list"))


# --------------------------------------------------------------------------- detail
@requires("view")
def period_detail(request, pk):
    period = _period(request, pk)
    allowed = services.period_allowed_actions(period, request.user)  # the services' table decides the buttons
    actions = {a: a in allowed for a in services.PERIOD_TRANSITIONS}
    problems = []
    if actions["open"]:  # what stands in the way of the next step
        problems = services.period_problems(period)
    elif actions["publish"]:
        problems = services.publish_problems(period)
    results = (AssessmentResult.objects.restrict(request.user).filter(period=period)
               .select_related("cadre", "unit", "tier", "category").order_by("unit__path", "cadre__name", "id"))
    q = (request.GET.get("q") or "").strip()
    if q:
        results = results.filter(cadre__name__contains=q)
    page = paginate(request, results, per_page=20)
    overview = selectors.period_overview(user=request.user, period=period)
    if actions["scores"]:
        scored = selectors.scored_counts(user=request.user, period=period)
        for row in overview["groups"]:
            row["scored"] = scored.get(row["group"].pk, 0)
    context = {
        "period": period,
        **overview,
        "actions": actions,
        "problems": problems,
        "page_obj": page,
        "results": list(page.object_list),
        "q": q,
        "page_query": query_without(request.GET, "page"),
        "badges": STATUS_BADGES,
        "query": request.GET.urlencode(),
    }
    return render(request, "assessment/setup/period_detail.html", context)


# --------------------------------------------------------------------------- the period's form
def _period_form_page(request, form, period=None):
    return render(request, "assessment/setup/period_form.html", {"form": form, "period": period})


def _save_period(request, form, period=None):
    try:
        return services.period_save(by=request.user, period=period, **form.service_data())
    except ValidationError as e:
        form.apply_errors(e)
    return None


@requires("assess")
def period_create(request):
    form = PeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        period = _save_period(request, form)
        if period is not None:
            messages.success(request, _("已创建考核周期“%(n)s”。下一步：选择适用的指标体系。") % {"n": period.name})
            return _detail(period)
    return _period_form_page(request, form)


@requires("assess")
def period_edit(request, pk):
    period = _period(request, pk)
    form = PeriodForm(request.POST or None, period=period)
    if request.method == "POST" and form.is_valid():
        saved = _save_period(request, form, period)
        if saved is not None:
            messages.success(request, _("已保存考核周期“%(n)s”。") % {"n": saved.name})
            return _detail(saved)
    return _period_form_page(request, form, period)


@requires("assess")
def period_schemes(request, pk):
    period = _period(request, pk)
    form = PeriodSchemesForm(request.POST or None, period=period)
    if request.method == "POST" and form.is_valid():
        try:
            services.period_set_schemes(by=request.user, period=period, schemes=form.cleaned_data["schemes"])
        except ValidationError as e:
            form.apply_errors(e)
        else:
            messages.success(request, _("已保存适用的指标体系。"))
            return _detail(period)
    return render(request, "assessment/setup/period_schemes.html", {"form": form, "period": period})


@requires("assess")
def period_rater_groups(request, pk):
    period = _period(request, pk)
    overview = selectors.period_overview(user=request.user, period=period)
    form = RaterGroupsForm(request.POST or None, period=period, tiers=overview["tiers"])
    if request.method == "POST" and form.is_valid():
        try:
            services.rater_groups_save(by=request.user, period=period, groups=form.groups())
        except ValidationError as e:
            form.apply_errors(e)
        else:
            messages.success(request, _("已保存评价主体及其权重。"))
            return _detail(period)
    return render(request, "assessment/setup/period_rater_groups.html",
                  {"form": form, "period": period, "tiers": overview["tiers"]})


# --------------------------------------------------------------------------- state changes
@requires("assess", post_only=True)
def period_enrol(request, pk):
    """确定考核对象: enrol every active cadre with a scheme in force, then back on the period page
    (where the next step is), saying how many were added and why the others were left out."""
    period = _period(request, pk)
    try:
        summary = services.period_enrol(by=request.user, period=period)
    except ValidationError as e:
        for m in error_list(e):
            messages.error(request, m)
        return _detail(period)
    skipped = sorted(((skip_reason_text(code), n) for code, n in summary["skipped"].items()), key=lambda kv: -kv[1])
    messages.success(request, _("新增考核对象 %(added)s 人，现共 %(total)s 人。") % {
        "added": summary["added"], "total": summary["total"]})
    if skipped:  # information, not a failure: the enrolment succeeded
        reasons = "；".join(_("%(reason)s %(n)s 人") % {"reason": reason, "n": n} for reason, n in skipped)
        messages.info(request, _("%(n)s 名在职干部未纳入：%(reasons)s（名单见“未纳入的在职干部”）。") % {
            "n": sum(summary["skipped"].values()), "reasons": reasons})
    return _detail(period)


@requires("assess")
def period_left_out(request, pk):
    """The active cadres not enrolled in the period and why (no tier, no category, no scheme)."""
    period = _period(request, pk)
    left_out, left_out_total = selectors.enrol_left_out(user=request.user, period=period)
    return render(request, "assessment/setup/period_enrolled.html", {
        "period": period, "left_out": left_out, "left_out_total": left_out_total})


@requires("assess", post_only=True)
def period_open(request, pk):
    period = _period(request, pk)
    try:
        services.period_open(by=request.user, period=period)
    except ValidationError as e:
        messages.error(request, _("暂不能开始评分："))
        for m in error_list(e):
            messages.error(request, m)
    else:
        messages.success(request, _("考核周期“%(n)s”已开始评分。") % {"n": period.name})
    return _detail(period)


@requires("assess", post_only=True)
def period_compute(request, pk):
    """Compute the period as a background job and show its progress. In-process (no broker) the
    job has run when it starts: the period page then says how it went, as before."""
    period = _period(request, pk)
    running = jobs.job_under_way(user=request.user, kind=assessment_jobs.COMPUTE, period=period.pk)
    if running is not None:  # a second click while it computes: the same job's progress
        return redirect(jobs.url(running))
    try:
        services.require_action(period, "compute")
        job = jobs.start(by=request.user, kind=assessment_jobs.COMPUTE, params={"period": period.pk})
    except ValidationError as e:
        for m in error_list(e):
            messages.error(request, m)
        return _detail(period)
    if not job.finished:
        return redirect(jobs.url(job))
    if job.state == JobState.FAILED:
        messages.error(request, job.message)
    else:
        summary = job.result
        messages.success(request, _(
            "已计算 %(n)s 名考核对象的综合得分（用时 %(s)s 秒）：评定等次 %(graded)s 人，评分不全 %(incomplete)s 人，"
            "一票否决 %(vetoed)s 人，保留人工调整等次 %(overridden)s 人。") % {
            "n": summary.get("results", 0), "s": summary.get("seconds", 0), "graded": summary.get("graded", 0),
            "incomplete": summary.get("incomplete", 0), "vetoed": summary.get("vetoed", 0),
            "overridden": summary.get("overridden", 0)})
        if summary.get("barred"):
            messages.info(request, _("其中 %(n)s 人综合得分达到优秀分数线，但考核周期内受红黄牌或处分影响，评为称职。") % {
                "n": summary["barred"]})
    return _detail(period)


@requires("assess", post_only=True)
def result_remove(request, pk):
    """Take one cadre (with their scores) out of a period that is not published."""
    result = gate.get_or_404(AssessmentResult.objects.select_related("period", "cadre"), request.user, "view", pk=pk)
    try:
        services.result_remove(by=request.user, result=result)
    except (ValidationError, PermissionDenied) as e:
        for m in error_list(e):
            messages.error(request, m)
    else:
        messages.success(request, _("已将%(c)s移出“%(p)s”的考核对象。") % {"c": result.cadre.name, "p": result.period.name})
    url = reverse("assessment:period_detail", args=[result.period_id])
    query = request.POST.get("query", "")
    return redirect(f"{url}?{query}" if query else url)


def assessment_home(request):
    """/assessment/: the period list, where every assessment page starts."""
    return period_list(request)
