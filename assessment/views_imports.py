"""Score import pages (org staff): the form with the template download, the upload with its
per-row report, and the error report download. Views parse input, call ``assessment.imports``
(which saves through ``scores_save``) and render."""
import io

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pingdingshan.core import jobs
from pingdingshan.core import permissions as gate
from pingdingshan.core.files import serve_file
from pingdingshan.core.pages import requires

from . import imports
from . import jobs as assessment_jobs
from .models import AssessmentPeriod, IndicatorScheme, PeriodStatus, RaterGroup

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ERRORS_SHOWN = 200


class ScoreImportForm(forms.Form):
    rater_group = forms.ModelChoiceField(queryset=RaterGroup.objects.none(), label=gettext_lazy("评价主体"))
    scheme = forms.ModelChoiceField(queryset=IndicatorScheme.objects.none(), label=gettext_lazy("指标体系"))
    file = forms.FileField(label=gettext_lazy("评分文件（.xlsx）"), required=False)

    def __init__(self, *args, period, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rater_group"].queryset = period.rater_groups.order_by("order", "id")
        self.fields["scheme"].queryset = period.schemes.select_related("tier", "category")
        for f in self.fields.values():
            f.widget.attrs["class"] = "form-select" if hasattr(f, "queryset") else "form-control"


def _period(request, pk):
    return gate.get_or_404(AssessmentPeriod, request.user, "view", pk=pk)


@requires("assess")
def score_import(request, pk):
    period = _period(request, pk)
    outcome = None
    if request.method == "POST":
        form = ScoreImportForm(request.POST, request.FILES, period=period)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if period.status != PeriodStatus.OPEN:
                form.add_error(None, _("考核周期当前状态为“%(s)s”，不能录入评分。") % {"s": period.get_status_display()})
            elif upload is None:
                form.add_error("file", _("请选择要上传的文件。"))
            else:  # a background job; in-process (no broker) it has run when start returns
                try:
                    job = jobs.start(by=request.user, kind=assessment_jobs.SCORE_IMPORT, upload=upload, params={
                        "period": period.pk, "rater_group": form.cleaned_data["rater_group"].pk,
                        "scheme": form.cleaned_data["scheme"].pk})
                except ValidationError as e:
                    form.add_error(None, e)
                else:
                    return redirect(f"{reverse('assessment:score_import', args=[period.pk])}?job={job.pk}")
    else:
        form = ScoreImportForm(request.GET if {"rater_group", "scheme"} & set(request.GET) else None, period=period)
    job = job_status = None
    if request.method == "GET" and request.GET.get("job"):  # the uploader's own job, else 404
        job, job_status, outcome = assessment_jobs.score_import_state(user=request.user, job_id=request.GET["job"])
    return render(request, "assessment/imports/score_import.html", {
        "period": period, "form": form, "outcome": outcome, "job": job, "job_status": job_status,
        "errors_shown": outcome.errors[:ERRORS_SHOWN] if outcome else [], "max_rows": imports.MAX_ROWS})


@requires("assess")
def score_import_template(request, pk):
    period = _period(request, pk)
    form = ScoreImportForm(request.GET, period=period)
    if not form.is_valid():  # nothing chosen yet: back to the form, which says what is missing
        return redirect(f"{reverse('assessment:score_import', args=[period.pk])}?{request.GET.urlencode()}")
    group, scheme = form.cleaned_data["rater_group"], form.cleaned_data["scheme"]
    data = imports.template(period=period, rater_group=group, scheme=scheme)
    filename = f"{period.name}-{group.name}-{scheme.tier.name}-{scheme.category.name}-{timezone.localdate():%Y%m%d}.xlsx"
    return serve_file(io.BytesIO(data), filename=filename, content_type=XLSX)


@requires("assess")
def score_import_errors(request, pk):
    period = _period(request, pk)
    if not request.GET.get("report"):
        return redirect("assessment:score_import", period.pk)
    handle = imports.open_report(request.user, request.GET["report"])
    if handle is None:
        raise Http404(_("未找到该错误报告。"))
    return serve_file(handle, filename=_("评分导入错误报告") + f"-{period.pk}.xlsx", content_type=XLSX)
