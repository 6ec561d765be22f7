"""Pages of the 干部任免审批表 (LRMX): the cadre page's 任免审批表 tab (family members and the form's
texts), the downloads (.lrmx, PDF, Word: gate action ``export``), and the import of .lrmx files
(upload → a check job whose page shows each file's errors or its diff → confirm → an apply job).
Importing is a write (``change``): auditors get 403."""
import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from pingdingshan.core import jobs
from pingdingshan.core import permissions as gate
from pingdingshan.core.files import serve_file
from pingdingshan.core.pages import requires

from .. import selectors, services
from ..forms import apply_errors, initial_from
from ..forms_lrmx import LRMX_TEXT_FIELDS, LrmxImportForm, LrmxTextForm
from ..jobs import LRMX_IMPORT
from ..lrmx import importer
from ..lrmx.export import sheet_export
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
    name, data, content_type = sheet_export(by=request.user, cadre=cadre, file_format=file_format)
    return serve_file(io.BytesIO(data), filename=name, content_type=content_type)


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
            bundle = importer.bundle(form.cleaned_data["files"])
            unit = form.cleaned_data.get("unit")
            job = jobs.start(by=request.user, kind=LRMX_IMPORT, upload=SimpleUploadedFile("lrmx.zip", bundle),
                             params={"mode": "check", "unit": unit.pk if unit else None,
                                     "source_name": "、".join(f.name for f in form.cleaned_data["files"])[:200]})
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
    result = check.result or {}
    if check.params.get("mode") != "check" or not result.get("ok"):
        messages.error(request, _("该导入未通过核对，不能确认。"))
        return redirect(jobs.url(check))
    try:
        job = jobs.start(by=request.user, kind=LRMX_IMPORT, params={
            "mode": "apply", "check": str(check.pk), "source": check.params.get("source"),
            "source_name": check.params.get("source_name", ""), "unit": check.params.get("unit"),
            "digest": result.get("digest")})
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return redirect(jobs.url(check))
    return redirect(jobs.url(job))
