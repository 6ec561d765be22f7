"""Pages of the 干部任免审批表 (LRMX): the cadre page's 任免审批表 tab (family members and the form's
texts), the downloads (.lrmx, PDF, Word: gate action ``export``), and the import of .lrmx files
(upload → a check job whose page shows each file's errors or its diff → confirm → an apply job).
Importing is a write (``change``): auditors get 403."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from pingdingshan.core import jobs
from pingdingshan.core import permissions as gate
from pingdingshan.core.pages import requires

from .. import selectors, services
from ..forms import apply_errors, initial_from
from ..forms_lrmx import LRMX_TEXT_FIELDS, LrmxImportForm, LrmxTextForm
from ..jobs import LRMX_IMPORT
from ..lrmx import importer
from ..lrmx.export import sheet_download
from ._common import back_to


def lrmx_tab_context(user, cadre) -> dict:
    return {"family": list(cadre.family.all()),
            "lrmx_rows": [(cadre._meta.get_field(f).verbose_name, getattr(cadre, f)) for f in LRMX_TEXT_FIELDS],
            "can_export": gate.allows(user, "export", cadre)}


@requires("change")
def cadre_lrmx_edit(request, pk):
    cadre = selectors.cadre_get(user=request.user, pk=pk)
    if not gate.allows(request.user, "change", cadre):
        raise PermissionDenied(_("您没有修改该对象的权限。"))
    form = LrmxTextForm(request.POST or None, initial=initial_from(cadre, LRMX_TEXT_FIELDS))
    if request.method == "POST" and form.is_valid():
        try:
            services.cadre_update(by=request.user, cadre=cadre, **form.cleaned_data)
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("已保存。"))
            return back_to(cadre, "lrmx")
    return render(request, "cadres/simple_form.html", {
        "form": form, "cadre": cadre, "title": _("编辑任免审批表信息"), "tab": "lrmx"})


def _download(request, pk, file_format):
    cadre = selectors.cadre_get(user=request.user, pk=pk)
    return sheet_download(by=request.user, cadre=cadre, file_format=file_format)


@requires("export")
def cadre_lrmx(request, pk):
    """The .lrmx file (national 3.2 layout)."""
    return _download(request, pk, "lrmx")


@requires("export")
def cadre_lrmx_pdf(request, pk):
    return _download(request, pk, "pdf")


@requires("export")
def cadre_lrmx_docx(request, pk):
    return _download(request, pk, "docx")


# --------------------------------------------------------------------------- import
@requires("change")
def lrmx_import(request):
    """GET: the upload form and the user's latest .lrmx imports. POST: store the files and start
    the check; its page shows the report and asks to confirm."""
    form = LrmxImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            job = importer.check_start(by=request.user, files=form.cleaned_data["files"],
                                       unit=form.cleaned_data.get("unit"))
        except ValidationError as e:
            apply_errors(form, e)
        else:
            return redirect(jobs.url(job))
    return render(request, "cadres/lrmx/import.html", {
        "form": form, "recent": jobs.job_list(user=request.user, limit=10, kinds=[LRMX_IMPORT])})


@requires("change", post_only=True)
def lrmx_import_apply(request):
    """Confirm a checked import (``job``: the check job's id): the apply job checks again and writes
    all files or none."""
    check = jobs.job_get(user=request.user, pk=request.POST.get("job"), kind=LRMX_IMPORT)
    try:
        job = importer.apply_start(by=request.user, check=check)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return redirect(jobs.url(check))
    return redirect(jobs.url(job))
