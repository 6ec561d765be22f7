"""Permission-matrix rows of the auditors' reports (审计报表, issue 14), pages and API; see
tests/test_permission_matrix.py. Every role has the gate action ``export``: each one lists the reports
it sees and asks for one (kinds ``export`` / ``api_export``: a job, the report stored); a generated
report is read by org staff and auditors everywhere, by a unit leader only when they asked for it
(the ``report`` of the variant "own" is the leader's, of "other" org staff's: 404 for the leader);
the monthly schedule is org staff's (``assess``: 403 for everyone else)."""
import datetime as dt

from . import Ok


def world(variant, o, by):
    """A generated report with both files: asked by the unit leader ("own") or org staff ("other")."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from analysis.models import GeneratedReport
    from pingdingshan.core.models import RoleAssignment

    asker = RoleAssignment.objects.filter(role="unit_leader").first().user if variant == "own" else by
    row = GeneratedReport.objects.create(kind="grades", requested_by=asker, state="done", row_count=1,
                                         start=dt.date(2026, 1, 1), params={"unit_name": "全市"})
    for fmt, content in (("xlsx", b"PK\x03\x04"), ("pdf", b"%PDF-1.7\n%%EOF\n")):
        setattr(row, f"{fmt}_file", default_storage.save(f"{row.folder}/report.{fmt}", ContentFile(content)))
    row.save()
    return {"report": row}


def _asked(o, r):
    from analysis.models import GeneratedReport

    return GeneratedReport.objects.filter(requested_by=r.wsgi_request.user, kind="structure", state="done").exists()


def _schedule_is(day, hour, enabled):
    def check(o, r):
        from analysis.services.reports import schedule_get

        s = schedule_get()
        return (s["day"], s["hour"], s["enabled"]) == (day, hour, enabled)
    return check


PAGES = [
    ("analysis:report_list", None, "get", "view"),
    ("analysis:report_list", None, "post", "export", Ok(data={"kind": "structure", "start": "2026-01-01"},
                                                        effect=_asked)),
    ("analysis:report_download", "report", "get", "view_obj"),
    ("analysis:report_schedule", None, "post", "assess", Ok(data={"day": "9", "hour": "4"},
                                                            effect=_schedule_is(9, 4, False))),
]

API = [
    ("report-list", None, "get", "api_list"),
    ("report-list", None, "post", "api_export", Ok(data={"kind": "structure"}, status=202, effect=_asked)),
    ("report-file", "report", "get", "api_obj", Ok(query={"format": "pdf"})),
]
