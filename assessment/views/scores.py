"""评分录入: one rater group's scores in a period, as a grid of the enrolled cadres of one scheme
(tier × category; rows, paged and filtered by unit and name) × that scheme's rater-scored
indicators (columns). Saved with ``scores_save`` all or nothing: on any error nothing is saved and
the grid comes back with what the user typed and the errors of each cadre.

Org staff enter scores while the period is open; auditors (and, once published, nobody else:
unit leaders do not see scores) read the grid.
"""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from pingdingshan.core import permissions as gate
from pingdingshan.core.fields import parse_id
from pingdingshan.core.pages import paginate, query_without, requires

from .. import selectors, services
from ..forms import ScoreFilterForm
from ..models import RaterGroup
from .setup import error_list

PER_PAGE = 30


def _field(rid, iid):
    return f"s-{rid}-{iid}"


@requires("view")
def score_entry(request, pk):
    if request.method == "POST":
        gate.require(request.user, "assess")
    group = gate.get_or_404(RaterGroup.objects.select_related("period"), request.user, "view", pk=pk)
    period = group.period
    schemes = selectors.score_schemes(user=request.user, period=period)
    fform = ScoreFilterForm(request.GET, schemes=schemes, units=gate.units_for(request.user).only("id", "path", "depth", "name"))
    fform.is_valid()
    chosen = fform.cleaned_data.get("scheme") if fform.is_valid() else None
    scheme = next((s for s in schemes if s.pk == chosen), schemes[0] if schemes else None)
    editable = "enter_scores" in services.period_allowed_actions(period, request.user)  # the period's table
    rows, page, top_errors, posted = [], None, [], None
    indicators = scheme.rater_indicators if scheme else []
    if scheme is not None:
        unit = fform.cleaned_data.get("unit") if fform.is_valid() else None
        q = fform.cleaned_data.get("q", "") if fform.is_valid() else ""
        rows_qs = selectors.score_rows(user=request.user, period=period, scheme=scheme, unit=unit, q=q)
        page = paginate(request, rows_qs, per_page=PER_PAGE)
        results = list(page.object_list)
        row_errors = {}
        if request.method == "POST":
            ids = [i for i in map(parse_id, request.POST.getlist("result")) if i]
            entries = [(rid, ind.pk, request.POST.get(_field(rid, ind.pk), "")) for rid in ids for ind in indicators]
            try:
                done = services.scores_save(by=request.user, period=period, rater_group=group, entries=entries)
            except ValidationError as e:
                posted = {_field(rid, iid): raw for rid, iid, raw in entries}
                _values, row_errors = services.scores_check(period=period, rater_group=group, entries=entries)
                hidden = set(row_errors) - {r.pk for r in results}
                top_errors = error_list(e) if not row_errors or hidden else []
            else:
                if any(done.values()):
                    messages.success(request, _("已保存“%(g)s”的评分：新增 %(c)s 项，修改 %(u)s 项，清除 %(d)s 项。") % {
                        "g": group.name, "c": done["created"], "u": done["updated"], "d": done["deleted"]})
                else:
                    messages.info(request, _("评分没有变化。"))
                return redirect(f"{request.path}?{request.GET.urlencode()}")
        stored = selectors.stored_scores(rater_group=group, result_ids=[r.pk for r in results])
        for r in results:
            cells = []
            for ind in indicators:
                name = _field(r.pk, ind.pk)
                value = posted.get(name, "") if posted is not None else stored.get((r.pk, ind.pk))
                cells.append({"name": name, "value": value, "indicator": ind})
            rows.append({"result": r, "cells": cells, "errors": row_errors.get(r.pk, [])})
    groups = list(period.rater_groups.order_by("order", "id"))
    counts = selectors.scored_counts(user=request.user, period=period)
    for g in groups:
        g.scored = counts.get(g.pk, 0)
    return render(request, "assessment/setup/score_entry.html", {
        "period": period, "group": group, "groups": groups, "schemes": schemes, "scheme": scheme,
        "indicators": indicators, "rows": rows, "page_obj": page, "form": fform, "editable": editable,
        "top_errors": top_errors, "has_errors": bool(top_errors or any(r["errors"] for r in rows)),
        "page_query": query_without(request.GET, "page"), "query": request.GET.urlencode(),
        "group_query": query_without(request.GET, "page"),
    }, status=200)
