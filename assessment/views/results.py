"""Results pages of the assessment (考核结果): a period's results with filters, sorting, pagination
and export; one result with its explanation; the calibration of a (tier, category) group with
the grade override; the period's publication; the leaderboards (实绩比拼) and their export.

Views parse input, call one selector or service of ``assessment`` and render. Unit leaders see
published periods only and the cadres of their subtrees only (``assessment.selectors``);
calibration is for city-wide readers (org staff, auditors); overriding and publishing need the
gate action ``assess`` (org staff), and the services re-check it.
"""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pingdingshan.core import permissions as gate
from pingdingshan.core.exports import Column, export_response
from pingdingshan.core.forms import apply_errors
from pingdingshan.core.pages import ListPage, export_request, paginate, query_without, requires

from .. import selectors, services
from ..filters_results import ResultFilter
from ..forms_results import OverrideForm, PublishForm
from ..models import AssessmentResult, Category, Tier, grade_label
from ..services import TIE_RULE

NOT_FILTERS = ("page", "format")
RESULTS_WHAT = "考核结果"
BOARD_WHAT = "实绩比拼"

# (header, ordering parameter of ResultFilter or None)
RESULT_COLUMNS = [
    (gettext_lazy("干部"), "name"),
    (gettext_lazy("时任单位"), "unit"),
    (gettext_lazy("时任职务"), None),
    (gettext_lazy("考核层级 · 类别"), None),
    (gettext_lazy("综合得分"), "composite"),
    (gettext_lazy("实绩分"), "points"),
    (gettext_lazy("组内排名"), "rank"),
    (gettext_lazy("等次"), "grade"),
]
BY_CHOICES = [("composite", gettext_lazy("按综合得分")), ("points", gettext_lazy("按实绩分"))]


def _errors(e) -> list[str]:
    return list(getattr(e, "messages", None) or [str(e)])


def _city_wide(user) -> bool:
    return gate.city_wide(user, "view", AssessmentResult)


def _require_calibrate(user):
    if not gate.allows(user, "calibrate"):
        raise PermissionDenied(_("只有组织部和审计人员可以查看等次校准。"))


def _group_url(name, period, group, **extra):
    url = reverse(name, args=[period.pk])
    params = {"tier": group["tier"].pk, "category": group["category"].pk, **extra} if group else extra
    query = "&".join(f"{k}={v}" for k, v in params.items() if v not in (None, ""))
    return f"{url}?{query}" if query else url


# --------------------------------------------------------------------------- landing
LAST_PERIOD_KEY = "assessment_results_period"  # the period whose results the user opened last


@requires("view")
def results_index(request):
    """The menu's 考核结果: the period the user looked at or worked on last, else the newest
    published one (selectors.results_landing_period; the page switches to other periods)."""
    period = selectors.results_landing_period(user=request.user, last_seen=request.session.get(LAST_PERIOD_KEY))
    if period is None:
        return render(request, "assessment/results/none.html", {})
    return _result_list_page(request, period)


# --------------------------------------------------------------------------- a period's results
def result_page(request, period) -> ListPage:
    """The list's FilterSet over the results the user sees; choices limited to the period's."""
    return ListPage(  # the unit choices: the units the user sees (ResultFilter is gated)
        request, ResultFilter, selectors.result_list(user=request.user, period=period), columns=RESULT_COLUMNS,
        choices={"tier": Tier.objects.filter(pk__in=period.results.values("tier_id")),
                 "category": Category.objects.filter(pk__in=period.results.values("category_id"))},
        placeholders={"q": _("姓名、拼音首字母（如 zs）或身份证号")},
    )


def _result_list_page(request, period, *, publish_form=None, status=200):
    request.session[LAST_PERIOD_KEY] = period.pk
    lp = result_page(request, period)
    page = lp.paginate()
    can_publish = "publish" in services.period_allowed_actions(period, request.user)  # the period's table
    context = lp.context(
        page,
        period=period,
        periods=list(selectors.period_list(user=request.user).order_by("-end_date", "-id")[:50]),
        results=page.object_list,
        groups=selectors.period_groups(user=request.user, period=period),
        city_wide=_city_wide(request.user),
        can_publish=can_publish,
        publish_form=publish_form or PublishForm(),
        publish_problems=services.publish_problems(period) if can_publish else [],
    )
    return render(request, "assessment/results/result_list.html", context, status=status)


@requires("view")
def result_list(request, pk):
    period = selectors.period_get(user=request.user, pk=pk)
    return _result_list_page(request, period)


def result_export_columns() -> list[Column]:
    yes, no = _("是"), _("否")
    return [
        Column(_("干部"), lambda r: r.cadre.name, 10),
        Column(_("身份证号码"), lambda r: r.cadre.id_number, 20),
        Column(_("时任单位"), lambda r: r.unit.name, 24),
        Column(_("时任职务"), lambda r: r.post.name if r.post_id else "", 16),
        Column(_("考核层级"), lambda r: r.tier.name, 16),
        Column(_("考核类别"), lambda r: r.category.name, 14),
        Column(_("综合得分"), lambda r: r.composite, 10),
        Column(_("实绩分"), lambda r: r.points, 10),
        Column(_("综合得分排名"), lambda r: r.rank_composite, 10),
        Column(_("实绩分排名"), lambda r: r.rank_points, 10),
        Column(_("同组人数"), lambda r: r.group_size, 8),
        Column(_("测算等次"), lambda r: grade_label(r.computed_grade, r.unit.kind), 10),
        Column(_("等次"), lambda r: grade_label(r.grade, r.unit.kind), 10),
        Column(_("一票否决"), lambda r: yes if r.vetoed else no, 8),
        Column(_("调整理由"), lambda r: r.override_reason, 30),
    ]


@requires("view")
def result_export(request, pk):
    """Exactly the list's filtered rows (every page, the list's order), as xlsx or csv."""
    period = selectors.period_get(user=request.user, pk=pk)
    return result_page(request, period).export(
        columns=result_export_columns(), what=RESULTS_WHAT, filename=f"{period.name}-{_('考核结果')}",
        list_url=reverse("assessment:result_list", args=[pk]), extra_filters=[("period", _("考核周期"), period)])


# --------------------------------------------------------------------------- one result
def _detail_page(request, result, *, override_form=None, status=200):
    can_override = "override" in services.period_allowed_actions(result.period, request.user)
    context = {
        "result": result,
        "period": result.period,
        "explanation": selectors.explanation(result),
        "grade_text": grade_label(result.grade, result.unit.kind),
        "computed_grade_text": grade_label(result.computed_grade, result.unit.kind),
        "city_wide": _city_wide(request.user),
        "can_override": can_override,
        "override_form": override_form or (OverrideForm(result=result) if can_override else None),
    }
    return render(request, "assessment/results/result_detail.html", context, status=status)


@requires("view")
def result_detail(request, pk):
    return _detail_page(request, selectors.result_get(user=request.user, pk=pk))


@requires("assess", post_only=True)
def result_override(request, pk):
    """调整等次: the service decides (reason required, 优秀 within the cap, a vetoed result stays
    不称职); its errors are shown next to the form's fields on the page the form was posted from."""
    result = selectors.result_get(user=request.user, pk=pk)
    form = OverrideForm(request.POST, result=result)
    from_detail = request.POST.get("from") == "detail"
    if form.is_valid():
        try:
            services.result_override(by=request.user, result=result, grade=form.cleaned_data["grade"],
                                     reason=form.cleaned_data["reason"])
        except ValidationError as e:
            apply_errors(form, e)
        else:
            result.refresh_from_db()
            messages.success(request, _("已调整%(name)s的等次为“%(grade)s”。") % {
                "name": result.cadre.name, "grade": grade_label(result.grade, result.unit.kind)})
            if from_detail:
                return redirect("assessment:result_detail", pk=result.pk)
            return redirect(_group_url("assessment:calibration", result.period,
                                       {"tier": result.tier, "category": result.category}))
    if from_detail:
        return _detail_page(request, result, override_form=form, status=400)
    return _calibration_page(request, result.period, tier_id=result.tier_id, category_id=result.category_id,
                             posted=(result, form), status=400)


# --------------------------------------------------------------------------- calibration and publication
def _calibration_page(request, period, *, tier_id, category_id, posted=None, status=200):
    """``posted``: (result, bound form) of an override that was refused, shown above the lists."""
    groups = selectors.period_groups(user=request.user, period=period)
    group = selectors.pick_group(groups, tier_id, category_id)
    cal = (selectors.calibration(user=request.user, period=period, tier=group["tier"], category=group["category"])
           if group else None)
    can_override = "override" in services.period_allowed_actions(period, request.user)
    posted_pk = posted[0].pk if posted else None
    if cal is not None:
        seen = set()
        for lst in ([cal.excellent_inside, cal.excellent_outside, cal.overridden, cal.ties]
                    + [t["above"] + t["below"] for t in cal.thresholds]):
            for r in lst:
                if r.pk in seen:
                    continue
                seen.add(r.pk)
                r.grade_text = grade_label(r.grade, r.unit.kind)
                r.computed_grade_text = grade_label(r.computed_grade, r.unit.kind)
                r.override_form = OverrideForm(result=r) if can_override and r.pk != posted_pk else None
    context = {
        "period": period,
        "groups": groups,
        "group": group,
        "cal": cal,
        "tie_rule": TIE_RULE,
        "can_override": can_override,
        "can_publish": "publish" in services.period_allowed_actions(period, request.user),
        "posted_result": posted[0] if posted else None,
        "posted_form": posted[1] if posted else None,
    }
    if posted:
        posted[0].grade_text = grade_label(posted[0].grade, posted[0].unit.kind)
    return render(request, "assessment/results/calibration.html", context, status=status)


@requires("view")
def calibration(request, pk):
    _require_calibrate(request.user)
    period = selectors.period_get(user=request.user, pk=pk)
    return _calibration_page(request, period, tier_id=request.GET.get("tier"), category_id=request.GET.get("category"))


@requires("assess", post_only=True)
def period_publish(request, pk):
    """发布: only with the confirmation ticked; what keeps the period from publishing is shown."""
    period = selectors.period_get(user=request.user, pk=pk)
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            services.period_publish(by=request.user, period=period, confirm=form.cleaned_data["confirm"])
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("已发布“%(p)s”：结果已锁定，各单位负责人可以查看本单位干部的结果。") % {
                "p": period.name})
            return redirect("assessment:result_list", pk=period.pk)
    period.refresh_from_db()
    return _result_list_page(request, period, publish_form=form, status=400)


# --------------------------------------------------------------------------- leaderboards
def _board(request, period):
    """The group, the order (by) and the ranked rows the user sees (a queryset)."""
    groups = selectors.period_groups(user=request.user, period=period)
    group = selectors.pick_group(groups, request.GET.get("tier"), request.GET.get("category"))
    by = request.GET.get("by") if request.GET.get("by") in selectors.BY_FIELDS else "composite"
    previous = selectors.previous_period(user=request.user, period=period)
    rows = None
    if group is not None:
        rows = selectors.leaderboard(user=request.user, period=period, tier=group["tier"],
                                     category=group["category"], by=by, previous=previous)
    return groups, group, by, previous, rows


@requires("view")
def leaderboard(request, pk):
    period = selectors.period_get(user=request.user, pk=pk)
    groups, group, by, previous, rows = _board(request, period)
    page = paginate(request, rows if rows is not None else AssessmentResult.objects.none())
    board = selectors.with_movement(page.object_list, by=by, has_previous=previous is not None)
    for r in board:
        r.grade_text = grade_label(r.grade, r.unit.kind)
    histogram = None
    if group is not None:
        histogram = selectors.composite_histogram(user=request.user, period=period, tier=group["tier"],
                                                  category=group["category"])
        histogram.update(group_label=_("全组人数"), scope_label=_("本范围人数"), x_label=_("综合得分"))
    context = {
        "period": period,
        "periods": list(selectors.period_list(user=request.user).order_by("-end_date", "-id")[:50]),
        "groups": groups,
        "group": group,
        "by": by,
        "by_choices": [(k, str(v), _group_url("assessment:leaderboard", period, group, by=k)) for k, v in BY_CHOICES],
        "previous": previous,
        "page_obj": page,
        "board": board,
        "histogram": histogram,
        "city_wide": _city_wide(request.user),
        "page_query": query_without(request.GET, "page"),
        "export_query": query_without(request.GET, "page", "format"),
        "can_export": gate.can(request.user, "export"),
    }
    return render(request, "assessment/results/leaderboard.html", context)


def board_export_columns(by) -> list[Column]:
    movement = {"up": _("上升"), "down": _("下降"), "same": _("持平"), "new": _("新进"), "": ""}
    return [
        Column(_("排名"), lambda r: r.rank, 6),
        Column(_("同组人数"), lambda r: r.group_size, 8),
        Column(_("上期排名"), lambda r: r.previous_rank, 8),
        Column(_("变化"), lambda r: movement[r.movement] + (f" {abs(r.change)}" if r.change else ""), 8),
        Column(_("干部"), lambda r: r.cadre.name, 10),
        Column(_("时任单位"), lambda r: r.unit.name, 24),
        Column(_("时任职务"), lambda r: r.post.name if r.post_id else "", 16),
        Column(_("综合得分"), lambda r: r.composite, 10),
        Column(_("实绩分"), lambda r: r.points, 10),
        Column(_("等次"), lambda r: grade_label(r.grade, r.unit.kind), 10),
    ]


@requires("view")
def leaderboard_export(request, pk):
    period = selectors.period_get(user=request.user, pk=pk)
    groups, group, by, previous, rows = _board(request, period)
    if rows is None:
        rows = AssessmentResult.objects.none()
    file_format = export_request(request, NOT_FILTERS)[0]
    applied = [("period", _("考核周期"), period)]
    if group is not None:
        applied += [("tier", _("考核层级"), group["tier"]), ("category", _("考核类别"), group["category"])]
    has_previous = previous is not None

    def each():
        for chunk in _chunks(rows.iterator(chunk_size=2000), 2000):
            yield from selectors.with_movement(chunk, by=by, has_previous=has_previous)

    label = group["label"] if group else ""
    return export_response(user=request.user, rows=each(), columns=board_export_columns(by), what=BOARD_WHAT,
                           file_format=file_format, extra_filters=applied,
                           filename=f"{period.name}-{label}-{_('实绩比拼')}")


def _chunks(iterable, size):
    chunk = []
    for x in iterable:
        chunk.append(x)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# --------------------------------------------------------------------------- the cadre's 考核 tab
def assessment_tab_context(user, cadre) -> dict:
    """The cadre's results over the periods the user sees (unit leaders: published ones), with the
    grade wording and the composites for the line chart."""
    history = selectors.cadre_history(user=user, cadre=cadre)
    for r in history:
        r.grade_text = grade_label(r.grade, r.unit.kind)
    chart = {"periods": [r.period.name for r in history],
             "composites": [float(r.composite) if r.composite is not None else None for r in history],
             "grades": [r.grade_text for r in history],
             "label": _("综合得分")}
    return {"assessment_history": list(reversed(history)), "assessment_chart": chart}
