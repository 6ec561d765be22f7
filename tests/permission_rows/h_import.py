"""Permission-matrix rows of the record import (template, upload, progress, error report); see
tests/test_permission_matrix.py. The progress and report pages are asked for a
job the user ran (``prepare``); a job of another user answers 404 (tests/cadres/test_import.py)."""
import io

import openpyxl
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from cadres.imports import jobs
from cadres.imports.template import COLUMNS
from cadres.models import PerformanceRecord
from pingdingshan.core import permissions as gate

from . import Ok, exists, pk


def _workbook(o, bad=False):
    """One good row for the variant's cadre (and, ``bad``, one with an unknown ID number: the import
    saves all rows or none, so that file imports nothing and has an error report)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([c.header for c in COLUMNS])
    ws.append([o["cadre"].id_number, "", "乡村振兴", "导入的实绩", "完成", "牵头", "2025-03-01", None, None, ""])
    if bad:
        ws.append(["110105194912310000", "", "乡村振兴", "查无此人", "完成", "牵头", "2025-03-01", None, None, ""])
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("实绩.xlsx", buf.getvalue())


def _job(o, user):
    """A finished import of the requesting user (org staff's for those who may not import)."""
    by = user if user is not None and gate.can(user, "change") else get_user_model().objects.get(username="orgstaff")
    return {"job": jobs.import_start(by=by, upload=_workbook(o, bad=True)).id}


PAGES = [
    ("cadres:record_import", None, "get", "create"),
    ("cadres:record_import", None, "post", "create", Ok(  # the task runs in-process in the matrix
        data=lambda o: {"file": _workbook(o)}, effect=exists(PerformanceRecord, cadre=pk("cadre"), title="导入的实绩"))),
    ("cadres:record_import_template", None, "get", "create"),
    ("cadres:record_import_status", None, "get", "create", Ok(prepare=_job, query=lambda o: {"job": o["job"]})),
    ("cadres:record_import_errors", None, "get", "create", Ok(prepare=_job, query=lambda o: {"job": o["job"]})),
]
