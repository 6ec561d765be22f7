"""Permission-matrix rows of the score import (org staff only); see tests/test_permission_matrix.py.
The downloads are asked for the open period's rater group and scheme, and for an error report org
staff made (``prepare``); tests/assessment/test_score_import.py covers the files themselves."""
import io

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from assessment import imports
from assessment.models import Score

from . import Ok


def scores_file(o, score=90):
    """The variant's cadre scored on the scheme's one indicator (a score over 100 makes a bad row)."""
    wb = Workbook()
    ws = wb.active
    ws.append(["身份证号码", "姓名", "单位", "政治品质"])
    ws.append([o["cadre"].id_number, o["cadre"].name, "", score])
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("scores.xlsx", buf.getvalue())


def _which(o):
    return {"rater_group": o["rater_group"].pk, "scheme": o["published_scheme"].pk}


def _report(o, user):
    """An error report of the requesting user (org staff's for the others)."""
    by = user if user is not None and user.username == "orgstaff" else get_user_model().objects.get(username="orgstaff")
    outcome = imports.import_scores(by=by, period=o["period"], rater_group=o["rater_group"],
                                    scheme=o["published_scheme"], upload=scores_file(o, score=101))
    assert outcome.report_id
    return {"report": outcome.report_id}


PAGES = [
    ("assessment:score_import", "period", "get", "assess"),
    ("assessment:score_import", "period", "post", "assess", Ok(  # a job (in-process here): to the page with its outcome
        data=lambda o: {**_which(o), "file": scores_file(o)},
        effect=lambda o, r: Score.objects.filter(result=o["result"], rater_group=o["rater_group"]).exists())),
    ("assessment:score_import_template", "period", "get", "assess", Ok(query=_which)),
    ("assessment:score_import_errors", "period", "get", "assess", Ok(prepare=_report,
                                                                      query=lambda o: {"report": o["report"]})),
]
