"""The auditors' reports (审计报表, issue 14): the catalogue (a report whose builder is missing is
listed as unavailable, never a 500), generating one (a job: the report kept with both files, who asked
and when, the generation and every download in the export log), bad parameters (Chinese errors by
field, 400, nothing stored), scope (a unit leader generates for their subtree and reads only their own
reports: anyone else's is 404; the 操作与导出审计 report is for city-wide auditors and org staff), the
monthly schedule (seeded, changed by org staff only, its task makes every available report for the
city over the previous month) and the API. The builders of E's analysis pages are replaced here by a
tiny one (``fake_build``) so these tests do not depend on them."""
import datetime as dt
import io

import openpyxl
import pypdf
import pytest
from django.urls import reverse

from analysis import tasks
from analysis.models import GeneratedReport
from analysis.services import reports
from analysis.services.figures import audit as audit_figures
from analysis.services.figures.base import Chart, Figures, Params, Table
from cadres import services as cadre_services
from cadres.models import Cadre, Unit
from pingdingshan.core.models import ExportLog
from tests.conftest import make_people, make_tree, rolled_back

REAL_BUILDER_FOR = reports.builder_for
LIST = "/analysis/reports/"


def fake_build(user, params: Params) -> Figures:
    """Cadres per unit over the user's ``view`` scope (the gate decides, as the real builders do)."""
    units = Unit.objects.restrict(user, "view")
    if params.unit is not None:
        units = units.filter(path__startswith=params.unit.path)
    rows = [[u.name, Cadre.objects.restrict(user, "view").filter(unit=u).count()] for u in units.order_by("path")]
    return Figures("structure", "干部队伍结构分析", [Table("units", "各单位干部人数", ["单位", "人数"], rows)],
                   [Chart("c", "各单位人数", "bar", "units")])


def builders(missing=()):
    def builder_for(report):
        if report.kind in missing:
            return None
        return REAL_BUILDER_FOR(report) if report.kind == "audit" else fake_build
    return builder_for


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    def build():
        tree = make_tree()
        people = make_people(tree)
        cadre_services.cadre_update(by=people.org_staff, cadre=people.cadre_a, name="张三丰")
        ExportLog.objects.create(user=people.auditor, what="干部花名册", file_format="xlsx", row_count=7)
        return tree, people
    with rolled_back(django_db_blocker, build) as built:
        yield built


@pytest.fixture(autouse=True)
def _setup(db, world, eager, monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(reports, "builder_for", builders(missing=("pool",)))


@pytest.fixture
def tree(world):
    return world[0]


@pytest.fixture
def people(world):
    return world[1]


def signed_in(client, user):
    client.force_login(user)
    return client


def generate(client, **data):
    return client.post(LIST, {"kind": "structure", **data})


# --------------------------------------------------------------------------- the catalogue
def test_the_catalogue_lists_every_report_and_a_missing_builder_as_unavailable(client, people):
    r = signed_in(client, people.auditor).get(LIST)
    assert r.status_code == 200
    page = r.content.decode()
    for title in ("干部队伍结构分析", "实绩档案统计", "考核结果统计", "奖惩与容错统计", "储备库变动", "选拔任用纪实",
                  "操作与导出审计"):
        assert title in page
    pool = next(e for e in r.context["entries"] if e["report"].kind == "pool")
    assert not pool["available"] and "暂不可用" in page


def test_a_builder_module_that_is_not_there_makes_the_report_unavailable_not_an_error(monkeypatch):
    monkeypatch.setattr(reports, "builder_for", REAL_BUILDER_FOR)
    ghost = reports.Report("ghost", "不存在的报表", "no_such_module")
    assert reports.builder_for(ghost) is None and not reports.available(ghost)
    assert reports.available(reports.BY_KIND["audit"])


def test_asking_for_an_unavailable_report_is_refused_in_chinese_and_stores_nothing(client, people):
    r = signed_in(client, people.org_staff).post(LIST, {"kind": "pool"})
    assert r.status_code == 400
    assert "暂不可用" in r.content.decode()
    assert not GeneratedReport.objects.exists()


# --------------------------------------------------------------------------- generating and downloading
def test_a_report_is_generated_kept_listed_and_downloaded_with_the_export_log(client, people, tree):
    c = signed_in(client, people.org_staff)
    r = generate(c, unit=tree.county_a.pk, start="2026-01-01", end="2026-11-30")
    row = GeneratedReport.objects.get()
    assert r.status_code == 302 and r.url == reverse("core:job_detail", args=[row.job_id])
    assert (row.state, row.requested_by, row.unit, row.start, row.end) == (
        "done", people.org_staff, tree.county_a, dt.date(2026, 1, 1), dt.date(2026, 11, 30))
    job_page = c.get(r.url).content.decode()
    assert reverse("analysis:report_download", args=[row.pk, "pdf"]) in job_page
    listed = c.get(LIST).content.decode()
    assert "干部队伍结构分析" in listed and reverse("analysis:report_download", args=[row.pk, "xlsx"]) in listed
    generated = ExportLog.objects.get(what="审计报表：干部队伍结构分析", file_format="xlsx+pdf")
    assert generated.user == people.org_staff and generated.filters["unit_name"] == "宝丰县"

    pdf = c.get(reverse("analysis:report_download", args=[row.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(b"".join(pdf.streaming_content)))
    text = reader.pages[0].extract_text()
    assert "干部队伍结构分析" in text and "城关镇" in text and "昆阳街道" not in text and "第 1 页" in text
    xlsx = c.get(reverse("analysis:report_download", args=[row.pk, "xlsx"]))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    assert book.worksheets[0]["A5"].value == "单位"
    downloads = ExportLog.objects.filter(what="审计报表：干部队伍结构分析").exclude(file_format="xlsx+pdf")
    assert sorted(downloads.values_list("file_format", flat=True)) == ["pdf", "xlsx"]
    assert {d.user for d in downloads} == {people.org_staff} and all(d.filters["report"] == row.pk for d in downloads)


def test_the_list_filters_by_kind_and_pages(client, people):
    for _ in range(2):
        reports.report_request(by=people.auditor, kind="structure")
    reports.report_request(by=people.auditor, kind="audit")
    c = signed_in(client, people.auditor)
    assert len(c.get(LIST, {"kind": "audit"}).context["rows"]) == 1
    assert len(c.get(LIST).context["rows"]) == 3
    bad = c.get(LIST, {"kind": "nope"})
    assert bad.status_code == 400 and "请选择列表中的报表" in bad.content.decode()


@pytest.mark.parametrize("data,field,message", [
    ({"start": "2026-12-01", "end": "2026-01-01"}, "end", "结束日期不能早于开始日期"),
    ({"start": "2026-13-01"}, "start", "日期格式应为 YYYY-MM-DD"),
    ({"unit": "999999"}, "unit", "单位"),
    ({"kind": "nope"}, "kind", "请选择报表"),
])
def test_bad_parameters_are_refused_in_chinese_by_field_and_nothing_is_stored(client, people, data, field, message):
    r = generate(signed_in(client, people.org_staff), **data)
    assert r.status_code == 400
    assert message in r.content.decode()
    assert not GeneratedReport.objects.exists() and not ExportLog.objects.filter(what__startswith="审计报表").exists()


def test_the_service_names_every_problem_at_once(people, tree):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as e:
        reports.report_request(by=people.leader, kind="structure", unit=tree.county_b.pk,
                               start=dt.date(2026, 5, 1), end=dt.date(2026, 4, 1))
    assert set(e.value.message_dict) == {"unit", "end"}
    assert not GeneratedReport.objects.exists()


# --------------------------------------------------------------------------- scope
def test_a_unit_leader_generates_for_their_subtree_and_reads_only_their_own_reports(client, people, tree):
    theirs = reports.report_request(by=people.leader, kind="structure", unit=tree.county_a.pk)
    staff = reports.report_request(by=people.org_staff, kind="structure")
    c = signed_in(client, people.leader)
    assert [r["report"].pk for r in c.get(LIST).context["rows"]] == [theirs.pk]
    assert c.get(reverse("analysis:report_download", args=[theirs.pk, "pdf"])).status_code == 200
    assert c.get(reverse("analysis:report_download", args=[staff.pk, "pdf"])).status_code == 404
    assert c.get(reverse("report-file", args=[staff.pk]), {"format": "pdf"}).status_code == 404
    out = generate(c, unit=tree.county_b.pk)  # a unit outside their subtree answers like a missing one
    assert out.status_code == 400 and "单位" in out.content.decode()
    # the city-wide readers see both
    auditor = signed_in(client, people.auditor)
    assert {r["report"].pk for r in auditor.get(LIST).context["rows"]} == {theirs.pk, staff.pk}


def test_the_audit_report_is_for_city_wide_auditors_only(client, people):
    assert "操作与导出审计" not in [e["report"].label for e in reports.catalogue(people.leader)]
    r = signed_in(client, people.leader).post(LIST, {"kind": "audit"})
    assert r.status_code == 403
    assert not GeneratedReport.objects.exists()
    row = reports.report_request(by=people.auditor, kind="audit")
    assert row.state == "done"


def test_no_role_no_reports(client, people):
    assert signed_in(client, people.no_role_user).get(LIST).status_code == 403


# --------------------------------------------------------------------------- 操作与导出审计
def test_the_audit_figures_count_changes_and_exports_per_user(people, tree):
    from pingdingshan.core.audit import acting_as

    with acting_as(people.org_staff):
        Cadre.objects.get(pk=people.cadre_a.pk).save()  # one more change by org staff
    f = audit_figures.build(people.auditor, Params(start=dt.date(2000, 1, 1)))
    users = {row[0]: row for row in f.table("changes_by_user").rows}
    staff = next(row for name, row in users.items() if "orgstaff" in name)
    assert staff[2] >= 1 and staff[4] >= 1  # 修改, 合计
    exports = {row[0]: row for row in f.table("exports_by_what").rows}
    assert exports["干部花名册"][1:] == [1, 7]
    # a subtree: only the accounts holding a role in it (the unit leader of 宝丰县)
    sub = audit_figures.build(people.auditor, Params(unit=tree.county_a))
    assert all("leader" in row[0] for row in sub.table("changes_by_user").rows)
    assert sub.table("exports_by_what").rows == []
    with pytest.raises(Exception) as e:
        audit_figures.build(people.leader, Params())
    assert type(e.value).__name__ == "PermissionDenied"


# --------------------------------------------------------------------------- the schedule
def test_the_monthly_task_makes_every_available_report_for_the_city_over_the_last_month(client, people):
    out = tasks.monthly_reports(on="2026-12-05")
    made = GeneratedReport.objects.filter(pk__in=out["reports"])
    assert {r.kind for r in made} == {r.kind for r in reports.CATALOGUE} - {"pool"}
    assert all((r.scheduled, r.requested_by, r.unit, r.start, r.end, r.state) ==
               (True, None, None, dt.date(2026, 11, 1), dt.date(2026, 11, 30), "done") for r in made)
    listed = signed_in(client, people.auditor).get(LIST).content.decode()
    assert "定时任务" in listed
    assert not signed_in(client, people.leader).get(LIST).context["rows"]
    log = ExportLog.objects.filter(what="审计报表：操作与导出审计", file_format="xlsx+pdf").get()
    assert log.user is None
    pdf = reports.report_file(user=people.auditor, pk=made.get(kind="audit").pk, fmt="pdf")[0].read()
    assert "定时任务" in pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_the_schedule_is_seeded_and_org_staff_change_it(client, people):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(name=reports.SCHEDULE_NAME)
    assert (task.task, task.enabled, task.crontab.day_of_month, task.crontab.hour) == (
        "analysis.monthly_reports", True, "1", "2")
    refused = signed_in(client, people.auditor).post(reverse("analysis:report_schedule"),
                                                     {"enabled": "on", "day": "15", "hour": "3"})
    assert refused.status_code == 403
    r = signed_in(client, people.org_staff).post(reverse("analysis:report_schedule"), {"day": "15", "hour": "3"})
    assert r.status_code == 302
    assert reports.schedule_get() | {"last_run_at": None} == {
        "exists": True, "enabled": False, "day": 15, "hour": 3, "minute": 0, "last_run_at": None}
    bad = signed_in(client, people.org_staff).post(reverse("analysis:report_schedule"), {"day": "31", "hour": "3"},
                                                   follow=True)
    assert "日期须为 1 到 28 的整数" in bad.content.decode()
    assert reports.schedule_get()["day"] == 15


# --------------------------------------------------------------------------- API
def test_the_api_asks_for_a_report_lists_it_and_serves_its_files(client, people, tree):
    c = signed_in(client, people.leader)
    r = c.post("/api/v1/reports/", {"kind": "structure", "unit": tree.town_a.pk, "start": "2026-01-01"},
               content_type="application/json")
    assert r.status_code == 202, r.content
    body = r.json()
    assert body["report"]["state"] == "done" and body["job"]["state"] == "done"
    listed = c.get("/api/v1/reports/").json()
    assert [x["id"] for x in listed["results"]] == [body["report"]["id"]]
    pdf = c.get(f"/api/v1/reports/{body['report']['id']}/file/", {"format": "pdf"})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert ExportLog.objects.filter(user=people.leader, file_format="pdf").exists()
    bad = c.get(f"/api/v1/reports/{body['report']['id']}/file/", {"format": "doc"})
    assert bad.status_code == 400 and "xlsx 或 pdf" in str(bad.json())


def test_the_api_refuses_bad_input_in_chinese(client, people):
    c = signed_in(client, people.org_staff)
    r = c.post("/api/v1/reports/", {"kind": "structure", "start": "2026-05-01", "end": "2026-01-01",
                                    "unit": 999999}, content_type="application/json")
    assert r.status_code == 400
    errors = r.json()["errors"]
    assert "end" in errors and "unit" in errors
    assert c.post("/api/v1/reports/", {"kind": "x"}, content_type="application/json").status_code == 400
    assert not GeneratedReport.objects.exists()
