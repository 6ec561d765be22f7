"""Permission-matrix rows of the 干部任免审批表 (LRMX): family members (pages and API), the form's texts,
the downloads (.lrmx / PDF / Word: ``export``, which auditors and unit leaders in scope have; other
units' cadres 404) and the .lrmx import (a write: auditors 403), as pages and through the API. See
tests/test_permission_matrix.py. The world gets a ``family`` member of each variant's cadre."""
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from cadres.lrmx import writer
from cadres.models import Cadre, FamilyMember
from pingdingshan.core import permissions as gate
from pingdingshan.core.models import Job

from . import Ok, exists, gone, now, pk


def world(variant, o, by):
    from cadres import services

    return {"family": services.cadre_child_save(by=by, model=FamilyMember, cadre=o["cadre"], order=1, relation="妻子",
                                                name="李梅", political_status="01", work_unit_post="城关镇中学教师")}


def _file(o, **change):
    cadre = Cadre.objects.get(pk=o["cadre"].pk)
    for key, value in change.items():
        setattr(cadre, key, value)
    return SimpleUploadedFile(f"{cadre.name}.lrmx", writer.lrmx_bytes(writer.sheet(cadre)))


def _checked(o, user):
    """A finished check of an update of the variant's cadre, by the requesting user (org staff's for
    those who may not import: they are refused before the job is looked up)."""
    from cadres.jobs import LRMX_IMPORT
    from cadres.lrmx import importer
    from pingdingshan.core import jobs

    by = user if user is not None and gate.can(user, "change") else get_user_model().objects.get(username="orgstaff")
    bundle = importer.bundle([_file(o, appointment_reason="工作需要（导入）")])
    job = jobs.start(by=by, kind=LRMX_IMPORT, upload=SimpleUploadedFile("lrmx.zip", bundle),
                     params={"mode": "check", "unit": None})
    return {"check_job": str(job.pk)}


def _applied(o, response):
    return Cadre.objects.filter(pk=o["cadre"].pk, appointment_reason="工作需要（导入）").exists()


PAGES = [
    ("cadres:cadre_lrmx", "cadre", "get", "view_obj"),
    ("cadres:cadre_lrmx_pdf", "cadre", "get", "view_obj"),
    ("cadres:cadre_lrmx_docx", "cadre", "get", "view_obj"),
    ("cadres:cadre_lrmx_edit", "cadre", "get", "write_obj"),
    ("cadres:cadre_lrmx_edit", "cadre", "post", "write_obj", Ok(
        form=True, data={"appointment_reason": "工作需要"}, effect=now("cadre", appointment_reason="工作需要"))),
    ("cadres:family_create", "cadre", "get", "write_obj"),
    ("cadres:family_create", "cadre", "post", "write_obj", Ok(
        data={"order": 2, "relation": "儿子", "name": "张小明", "political_status": "03"},
        effect=exists(FamilyMember, cadre=pk("cadre"), name="张小明"))),
    ("cadres:family_edit", "family", "get", "write_obj"),
    ("cadres:family_edit", "family", "post", "write_obj", Ok(
        form=True, data={"work_unit_post": "城关镇中学校长"}, effect=now("family", work_unit_post="城关镇中学校长"))),
    ("cadres:family_delete", "family", "post", "write_obj", Ok(effect=gone("family"))),
    ("cadres:lrmx_import", None, "get", "create"),
    ("cadres:lrmx_import", None, "post", "create", Ok(  # the check runs in-process in the matrix; it writes nothing
        data=lambda o: {"files": [_file(o, rewards_sanctions="导入的奖惩")]},
        effect=lambda o, r: Job.objects.filter(kind="cadres.lrmx_import", params__mode="check").exists())),
    ("cadres:lrmx_import_apply", None, "post", "create", Ok(
        prepare=_checked, data=lambda o: {"job": o["check_job"]}, effect=_applied)),
]

API = [
    ("family-member-list", None, "get", "api_list"),
    ("family-member-list", None, "post", "api_create", Ok(
        data=lambda o: {"cadre": o["cadre"].pk, "order": 2, "relation": "儿子", "name": "张小明",
                        "political_status": "03"},
        effect=exists(FamilyMember, cadre=pk("cadre"), name="张小明"))),
    ("family-member-detail", "family", "get", "api_obj"),
    ("family-member-detail", "family", "patch", "api_write_obj", Ok(
        data={"work_unit_post": "城关镇中学校长"}, effect=now("family", work_unit_post="城关镇中学校长"))),
    ("family-member-detail", "family", "delete", "api_write_obj", Ok(effect=gone("family"))),
    # the downloads and the import through the API: the pages' export and jobs (202 with the job)
    ("cadre-lrmx", "cadre", "get", "api_obj"),
    ("cadre-lrmx-pdf", "cadre", "get", "api_obj"),
    ("cadre-lrmx-docx", "cadre", "get", "api_obj"),
    ("cadre-lrmx-import", None, "post", "api_create", Ok(
        multipart=True, status=202, data=lambda o: {"files": [_file(o, rewards_sanctions="接口导入的奖惩")]},
        effect=lambda o, r: Job.objects.filter(kind="cadres.lrmx_import", params__mode="check").exists())),
    ("cadre-lrmx-import-apply", None, "post", "api_create", Ok(
        prepare=_checked, status=202, data=lambda o: {"job": o["check_job"]}, effect=_applied)),
]
