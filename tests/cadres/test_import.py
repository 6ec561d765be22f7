"""Bulk import of performance records: the template, row-by-row validation with the services'
rules, all-or-nothing saving (audited), the error report, the upload checks, the progress page
and the Celery task on a real worker."""
import datetime as dt
import io
import threading
import time

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cadres import idcard
from cadres.imports import jobs
from cadres.imports import records as service
from cadres.imports.template import COLUMNS
from cadres.models import PerformanceRecord, RecordStatus, TaskCategory
from pingdingshan.core import permissions as gate
from tests.factories import CadreFactory

D = dt.date
S = RecordStatus
IMPORT = reverse("cadres:record_import")
TEMPLATE = reverse("cadres:record_import_template")
STATUS = reverse("cadres:record_import_status")
ERRORS = reverse("cadres:record_import_errors")
HEADERS = [c.header for c in COLUMNS]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def eager():
    """Run the import task in-process (the demo's mode) even when REDIS_URL is set for the suite."""
    from pingdingshan.celery import app

    old = app.conf.task_always_eager
    app.conf.CELERY_TASK_ALWAYS_EAGER = True  # the namespaced key (settings' CELERY_ prefix) is the one read
    assert app.conf.task_always_eager is True
    yield
    app.conf.CELERY_TASK_ALWAYS_EAGER = old


START = D(2025, 3, 1)


def row(cadre=None, *, number=None, name="", category="乡村振兴", title="推进高标准农田建设", description="完成高标准农田2万亩",
        role="牵头", start=START, end=None, quantity=None, unit=""):
    return [number if number is not None else cadre.id_number, name, category, title, description, role, start, end,
            quantity, unit]


def xlsx(rows, headers=HEADERS) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "实绩记录"
    ws.append(headers)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def run(by, content, fmt="xlsx"):
    return service.import_records(by=by, source=io.BytesIO(content), fmt=fmt)


def upload(client, content, name="实绩.xlsx"):
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, content)})


def job_of(response):
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response.url.startswith(STATUS + "?job=")
    return response.url.split("job=")[1]


def reasons_by_row(result):
    return {e.row: " ".join(e.reasons) for e in result.errors}


# --------------------------------------------------------------------------- template
def test_template_has_dropdowns_formats_and_instructions(client, leader):
    TaskCategory.objects.filter(name="疫情防控").update(is_active=False)
    client.force_login(leader)
    response = client.get(TEMPLATE)
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert wb.sheetnames[:2] == ["实绩记录", "说明"]
    data, lists = wb["实绩记录"], wb["lists"]
    assert lists.sheet_state == "hidden"
    assert [c.value for c in data[1]] == ["身份证号码*", "干部姓名（仅核对）", "中心工作类别*", "标题*", "主要做法和成效*",
                                          "本人角色*", "开始日期*", "结束日期", "量化成果", "计量单位"]
    active = list(TaskCategory.objects.filter(is_active=True).order_by("order", "id").values_list("name", flat=True))
    assert [c.value for c in lists["A"][1:]] == active and "疫情防控" not in active
    lists_by_col = {}
    for dv in data.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            lists_by_col[rng.coord.split(":")[0].rstrip("0123456789")] = dv
    category, role = lists_by_col["C"], lists_by_col["F"]
    assert category.type == "list" and category.formula1 == f"'lists'!$A$2:$A${len(active) + 1}"
    assert role.type == "list" and role.formula1 == '"牵头,主要参与,参与"'
    assert lists_by_col["G"].type == "date" and lists_by_col["A"].type == "textLength"
    assert data.column_dimensions["G"].number_format == "yyyy-mm-dd"
    assert data.column_dimensions["A"].number_format == "@"
    help_text = " ".join(str(c.value) for r in wb["说明"].iter_rows() for c in r if c.value)
    assert "实绩记录批量导入说明" in help_text and "全部不导入" in help_text and "乡村振兴" in help_text


def test_the_template_itself_imports_once_filled(leader, cadre_a, client):
    """A row typed into the downloaded template (date cells, drop-down values) is accepted."""
    client.force_login(leader)
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(client.get(TEMPLATE).streaming_content)))
    ws = wb["实绩记录"]
    for col, value in enumerate(row(cadre_a, name="张三", quantity=2, unit="万亩"), start=1):
        ws.cell(row=2, column=col, value=value)
    buf = io.BytesIO()
    wb.save(buf)
    result = run(leader, buf.getvalue())
    assert result.ok and result.imported == 1


# --------------------------------------------------------------------------- validation
def test_mixed_file_saves_nothing_and_gives_each_bad_row_its_reason(leader, cadre_a, cadre_b):
    TaskCategory.objects.create(name="停用类别", is_active=False)
    stranger = idcard.make_id_number("410421", D(1990, 5, 5), 7, "M")  # valid, but nobody's
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    bad_check = cadre_a.id_number[:17] + ("0" if cadre_a.id_number[17] != "0" else "1")
    rows = [
        row(cadre_a, name="张三", quantity=2, unit="万亩"),  # 2 good
        row(number=stranger),  # 3 unknown ID number
        row(cadre_b),  # 4 another unit's cadre
        row(cadre_a, category="不存在的类别", title="t4"),  # 5
        row(cadre_a, start="2025-13-45", title="t5"),  # 6
        row(cadre_a, start=D(2025, 5, 1), end=D(2025, 4, 1), title="t6"),  # 7
        row(cadre_a, title="长" * 201),  # 8
        row(cadre_a),  # 9 duplicate of row 2
        row(cadre_a, name="王五", title="t8"),  # 10
        row(cadre_a, role="负责", title="t9"),  # 11
        row(cadre_a, start=tomorrow, title="t10"),  # 12
        row(cadre_a, quantity="abc", title="t11"),  # 13
        row(cadre_a, quantity=5, title="t12"),  # 14 quantity without unit
        row(cadre_a, category="停用类别", title="t13"),  # 15
        row(cadre_a, description="", title="t14"),  # 16
        row(number=bad_check, title="t15"),  # 17
        [],  # 18 blank: skipped, numbering kept
        row(cadre_a, title="另一条正确的记录", start="2025/4/1"),  # 19 good
    ]
    result = run(leader, xlsx(rows))
    assert PerformanceRecord.objects.count() == 0
    assert result.imported == 0 and result.total == 17
    got = reasons_by_row(result)
    assert set(got) == set(range(3, 18))
    not_found = "未找到身份证号码为“{}”的干部，或该干部不在您的管理范围内。"
    assert got[3] == "身份证号码：" + not_found.format(stranger)
    assert got[4] == "身份证号码：" + not_found.format(cadre_b.id_number)
    assert got[5] == "中心工作类别：没有名为“不存在的类别”的中心工作类别，请从下拉列表中选择。"
    assert got[6] == "开始日期：“2025-13-45”不是有效日期，请按 YYYY-MM-DD 填写（如 2025-03-01）。"
    assert got[7] == "结束日期不能早于开始日期。"
    assert got[8].startswith("标题：") and "200" in got[8] and "201" in got[8]
    assert got[9] == "与第2行重复（同一干部、中心工作类别、标题和开始日期）。"
    assert got[10] == "干部姓名：“王五”与该身份证号码对应的干部“张三”不一致。"
    assert got[11] == "本人角色：“负责”不是有效的角色，请填写牵头、主要参与或参与。"
    assert got[12] == "开始日期不能晚于今天：实绩须是已经做出的工作。"
    assert got[13] == "量化成果：“abc”不是数字。"
    assert got[14] == "计量单位：填写了量化成果时须填写计量单位（如 亿元、个、人次）。"
    assert got[15] == "中心工作类别“停用类别”已停用。"
    assert got[16] == "主要做法和成效：此项为必填项。"
    assert "校验位错误" in got[17]


def test_a_row_lists_every_problem_it_has(leader, cadre_a):
    result = run(leader, xlsx([row(cadre_a, title="长" * 201, start=D(2025, 5, 1), end=D(2025, 4, 1), role="x")]))
    reasons = result.errors[0].reasons
    assert len(reasons) == 3
    assert reasons[0].startswith("标题：") and reasons[1].startswith("本人角色：") and reasons[2] == "结束日期不能早于开始日期。"


def test_org_staff_reach_every_unit(org_staff, cadre_a, cadre_b):
    result = run(org_staff, xlsx([row(cadre_a), row(cadre_b)]))
    assert result.ok and result.imported == 2


def test_missing_column_or_empty_file_is_refused_as_a_whole(leader):
    with pytest.raises(service.ImportFileError, match="缺少必填的列：标题"):
        run(leader, xlsx([], headers=[h for h in HEADERS if h != "标题*"]))
    with pytest.raises(service.ImportFileError, match="没有数据行"):
        run(leader, xlsx([[], []]))
    with pytest.raises(service.ImportFileError, match="无法读取"):
        run(leader, b"PK\x03\x04 not really a zip")


def test_csv_in_gbk_imports(leader, cadre_a):
    lines = [",".join(HEADERS), f"{cadre_a.id_number},张三,乡村振兴,推进农田建设,完成2万亩,主要参与,2025-03-01,,1.5,万亩"]
    result = run(leader, "\r\n".join(lines).encode("gb18030"), fmt="csv")
    assert result.ok
    record = PerformanceRecord.objects.get()
    assert (record.role, str(record.quantity), record.quantity_unit) == ("main", "1.50", "万亩")


def test_validation_and_saving_take_a_constant_number_of_queries(leader, tree):
    counts = []
    for n in (5, 25):  # both within one insert batch on SQLite too (999 parameters)
        cadres = CadreFactory.create_batch(n, unit=tree.town_a)
        content = xlsx([row(c, title=f"记录{n}") for c in cadres])
        gate.forget(leader)
        with CaptureQueriesContext(connection) as ctx:
            result = run(leader, content)
        assert result.imported == n
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


# --------------------------------------------------------------------------- pages
def test_good_file_imports_drafts_for_a_leader_audited(client, eager, leader, cadre_a, tree, post_a):
    moved = CadreFactory(unit=tree.county_a, name="王五", current_post=post_a)  # serves in 城关镇 now
    client.force_login(leader)
    response = upload(client, xlsx([row(cadre_a, name="张三"), row(moved, title="招商引资", quantity=3.2, unit="亿元")]))
    job = job_of(response)
    page = client.get(f"{STATUS}?job={job}")
    assert "已导入 2 条实绩记录，状态为“草稿”" in page.content.decode()
    records = list(PerformanceRecord.objects.order_by("id"))
    assert [r.status for r in records] == [S.DRAFT, S.DRAFT]
    assert all(r.created_by == leader and r.submitted_by is None for r in records)
    assert records[1].unit == tree.town_a and records[0].unit == tree.town_a
    history = PerformanceRecord.history.filter(id__in=[r.pk for r in records])
    assert history.count() == 2
    assert {(h.history_type, h.history_user_id, h.request_id) for h in history} == {
        ("+", leader.pk, response["X-Request-ID"])}


def test_good_file_imports_submitted_records_for_org_staff(client, eager, org_staff, cadre_a, cadre_b):
    client.force_login(org_staff)
    job = job_of(upload(client, xlsx([row(cadre_a), row(cadre_b)])))
    assert "状态为“已提交”" in client.get(f"{STATUS}?job={job}").content.decode()
    records = PerformanceRecord.objects.all()
    assert {(r.status, r.submitted_by_id, r.created_by_id) for r in records} == {(S.SUBMITTED, org_staff.pk, org_staff.pk)}
    assert all(r.submitted_at for r in records)
    assert {h.history_user_id for h in PerformanceRecord.history.all()} == {org_staff.pk}


def test_bad_file_shows_each_row_and_offers_the_error_report(client, eager, leader, cadre_a, cadre_b):
    client.force_login(leader)
    job = job_of(upload(client, xlsx([row(cadre_a), row(cadre_b), [], row(cadre_a, start="昨天", title="x")])))
    assert PerformanceRecord.objects.count() == 0
    html = client.get(f"{STATUS}?job={job}").content.decode()
    assert "文件共 3 行，其中 2 行有错误，未导入任何记录" in html
    assert f"未找到身份证号码为“{cadre_b.id_number}”的干部" in html
    assert "“昨天”不是有效日期" in html
    report = client.get(f"{ERRORS}?job={job}")
    assert report.status_code == 200 and report["Content-Type"] == XLSX
    # served like every stored file (core.files.serve_file): never sniffed, not kept by a shared
    # cache, the Chinese name "错误报告-实绩.xlsx" encoded for every browser
    assert report["X-Content-Type-Options"] == "nosniff" and report["Cache-Control"] == "private, no-cache"
    assert report["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''%E9%94%99%E8%AF%AF%E6%8A%A5%E5%91%8A-%E5%AE%9E%E7%BB%A9.xlsx" in report["Content-Disposition"]
    ws = openpyxl.load_workbook(io.BytesIO(b"".join(report.streaming_content))).active
    assert [c.value for c in ws[1]] == HEADERS + ["错误原因"]
    assert ws["K2"].value is None and ws["A2"].value == cadre_a.id_number  # good row: kept, no reason
    assert ws["A3"].value == cadre_b.id_number and "未找到身份证号码" in ws["K3"].value
    assert ws["G5"].value == "昨天" and "不是有效日期" in ws["K5"].value  # row 5 stays row 5
    assert ws["G2"].value == "2025-03-01"


def test_the_fixed_error_report_can_be_uploaded_again(client, eager, leader, cadre_a):
    client.force_login(leader)
    job = job_of(upload(client, xlsx([row(cadre_a, start="2025-02-30")])))
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(client.get(f"{ERRORS}?job={job}").streaming_content)))
    wb.active["G2"] = "2025-02-28"
    buf = io.BytesIO()
    wb.save(buf)
    job = job_of(upload(client, buf.getvalue(), "错误报告.xlsx"))
    assert PerformanceRecord.objects.get().start_date == D(2025, 2, 28)


@pytest.mark.parametrize("name,content,message", [
    ("a.txt", b"hello", "只能上传 .xlsx 或 .csv 文件"),
    ("a.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "不支持旧版 Excel（.xls）文件"),
    ("a.xlsx", b"MZ\x90\x00" + b"\x00" * 100, "内容不是 Excel 工作簿"),
    ("a.csv", b"PK\x03\x04" + b"\x00" * 100, "内容不是文本"),
    ("a.xlsx", b"PK" + b"\x00" * (10 * 1024 * 1024), "文件超过10MB"),
], ids=["txt", "xls", "exe-as-xlsx", "zip-as-csv", "over-10mb"])  # ids: the 10 MB bytes would be the test id
def test_wrong_file_type_or_size_gets_a_clear_error(client, eager, leader, media, name, content, message):
    client.force_login(leader)
    response = upload(client, content, name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not (media / "imports").exists()


def test_unreadable_file_is_reported_on_the_status_page(client, eager, leader):
    client.force_login(leader)
    job = job_of(upload(client, xlsx([], headers=["姓名", "标题"])))
    html = client.get(f"{STATUS}?job={job}").content.decode()
    assert "文件无法导入" in html and "缺少必填的列" in html


def test_upload_is_stored_under_media_imports_for_its_uploader_only(client, eager, leader, org_staff, cadre_a, media):
    client.force_login(leader)
    job = job_of(upload(client, xlsx([row(cadre_a, start="bad")])))
    assert (media / "imports" / str(leader.pk) / job / "source.xlsx").exists()
    assert client.get(f"{STATUS}?job={job}").status_code == 200
    assert job in client.get(IMPORT).content.decode()  # listed under "my latest imports"
    assert client.get(f"{ERRORS}?job={job}").status_code == 200  # the uploader's own report
    client.force_login(org_staff)  # even org staff do not read another user's upload
    assert client.get(f"{STATUS}?job={job}").status_code == 404
    assert client.get(f"{ERRORS}?job={job}").status_code == 404
    assert job not in client.get(IMPORT).content.decode()
    for bad in ("../../etc", "0" * 32, "x"):
        assert client.get(f"{STATUS}?job={bad}").status_code == 404


def test_auditors_and_users_without_a_role_get_403(client, auditor, no_role_user):
    for user in (auditor, no_role_user):
        client.force_login(user)
        for url in (IMPORT, TEMPLATE, STATUS + "?job=" + "0" * 32, ERRORS + "?job=" + "0" * 32):
            assert client.get(url).status_code == 403, (user, url)
        assert upload(client, b"x", "a.csv").status_code == 403


def test_status_partial_polls_until_finished(client, leader, cadre_a):
    """A job whose task has not reported yet: the partial keeps polling; a finished one stops."""
    from dataclasses import asdict

    job = jobs.Job(id="a" * 32, user_id=leader.pk, filename="f.xlsx", fmt="xlsx", size=1,
                   created=timezone.now().isoformat(), task_id="00000000-0000-0000-0000-000000000000")
    jobs._put_json(f"{job.folder}/job.json", asdict(job))
    client.force_login(leader)
    partial = client.get(f"{STATUS}?job={job.id}", headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in partial and "<html" not in partial and "排队等待导入" in partial
    jobs._put_json(job.result_name, {"outcome": "imported", "total": 1, "imported": 1, "status": "draft"})
    partial = client.get(f"{STATUS}?job={job.id}", headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in partial and "已导入 1 条实绩记录" in partial


# --------------------------------------------------------------------------- Celery
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_import_runs_on_a_real_worker_and_reports_progress(celery_worker, client, leader, cadre_a, monkeypatch):
    from celery.result import AsyncResult

    from pingdingshan.celery import app

    assert app.conf.task_always_eager is False
    reached, release = threading.Event(), threading.Event()
    real_insert = service.bulk_create_audited

    def held_insert(*args, **kwargs):  # hold the worker in the save phase while the page is polled
        reached.set()
        release.wait(30)
        return real_insert(*args, **kwargs)

    monkeypatch.setattr(service, "bulk_create_audited", held_insert)
    client.force_login(leader)
    job_id = job_of(upload(client, xlsx([row(cadre_a, title=f"记录{i}") for i in range(3)])))
    job = jobs.job_get(user=leader, job_id=job_id)
    try:
        assert reached.wait(30), "the worker did not start the import"
        assert AsyncResult(job.task_id, app=app).info == {"done": 0, "total": 3, "phase": "保存"}
        partial = client.get(f"{STATUS}?job={job_id}", headers={"HX-Request": "true"}).content.decode()
        assert "正在保存：0 / 3 行" in partial and 'hx-trigger="every 1s"' in partial
    finally:
        release.set()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        partial = client.get(f"{STATUS}?job={job_id}", headers={"HX-Request": "true"}).content.decode()
        if "hx-trigger" not in partial:
            break
        time.sleep(0.2)
    assert "已导入 3 条实绩记录，状态为“草稿”" in partial
    assert AsyncResult(job.task_id, app=app).get(timeout=10)["imported"] == 3
    assert PerformanceRecord.objects.filter(status=S.DRAFT, created_by=leader).count() == 3
    assert set(PerformanceRecord.history.values_list("history_user_id", flat=True)) == {leader.pk}
    assert all(PerformanceRecord.history.values_list("request_id", flat=True))


def test_broker_down_is_reported_on_the_form_and_keeps_nothing(client, leader, cadre_a, media, monkeypatch):
    from kombu.exceptions import OperationalError

    from pingdingshan.core import tasks  # imports are jobs of the one runner

    def down(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(tasks.run_job, "apply_async", down)
    client.force_login(leader)
    response = upload(client, xlsx([row(cadre_a)]))
    assert response.status_code == 200
    assert "后台任务服务暂时不可用" in response.content.decode()
    assert not [p for p in (media / "imports").rglob("*") if p.is_file()]


def test_error_report_shows_formula_like_text_as_typed_and_imports_it_back(client, eager, leader, cadre_a):
    """The report's cells are text with Excel's quote prefix: "=1+1" shows as typed (no visible
    apostrophe), is never run, and comes back as "=1+1" when the fixed report is uploaded."""
    wb = openpyxl.load_workbook(io.BytesIO(xlsx([row(cadre_a, title="=1+1", start="2025-02-30")])))
    cell = wb.active["D2"]
    cell.value, cell.data_type = "=1+1", "s"  # typed as text in the upload
    buf = io.BytesIO()
    wb.save(buf)
    client.force_login(leader)
    job = job_of(upload(client, buf.getvalue()))
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(client.get(f"{ERRORS}?job={job}").streaming_content)))
    title = wb.active["D2"]
    assert (title.value, title.data_type, title.quotePrefix) == ("=1+1", "s", True)
    wb.active["G2"] = "2025-02-28"
    buf = io.BytesIO()
    wb.save(buf)
    job_of(upload(client, buf.getvalue(), "错误报告.xlsx"))
    assert PerformanceRecord.objects.get().title == "=1+1"


# --------------------------------------------------------------------------- zip bombs (issue 10, point 8)
def test_a_zip_bomb_is_refused_at_upload_before_it_is_parsed(client, eager, leader, media):
    from tests.core.test_uploads import far_row_book, zip_bomb

    client.force_login(leader)
    for content, message in ((zip_bomb(), "解压后有 150 MB，超过上限 64 MB"), (far_row_book(), "超过上限 20000 行")):
        started = time.monotonic()
        response = upload(client, content)
        assert time.monotonic() - started < 5
        assert response.status_code == 200 and message in response.content.decode()
    assert not (media / "imports").exists()


def test_the_service_bounds_the_file_too(leader):
    from tests.core.test_uploads import zip_bomb

    with pytest.raises(service.ImportFileError, match="解压后有 150 MB"):
        run(leader, zip_bomb())


def test_an_import_is_a_job_of_the_one_runner(client, eager, leader, org_staff, cadre_a, post_a):
    from pingdingshan.core import jobs as runner
    from pingdingshan.core.models import Job, JobState

    client.force_login(leader)
    job_id = job_of(upload(client, xlsx([row(cadre_a)])))
    job = Job.objects.get()
    assert (job.kind, job.user, job.state, job.pk.hex) == ("cadres.record_import", leader, JobState.DONE, job_id)
    assert job.result["outcome"] == "imported" and job.result["imported"] == 1
    assert "批量导入实绩" in client.get(reverse("core:job_list")).content.decode()
    page = client.get(runner.url(job)).content.decode()
    assert "已导入 1 条实绩记录" in page and f"{STATUS}?job={job_id}" in page
    client.force_login(org_staff)
    assert client.get(runner.url(job)).status_code == 404


def test_an_import_whose_job_ended_before_its_result_says_so(client, eager, leader, cadre_a):
    from pingdingshan.core.models import Job, JobState

    client.force_login(leader)
    job_id = job_of(upload(client, xlsx([row(cadre_a)])))
    job = jobs.job_get(user=leader, job_id=job_id)
    jobs.default_storage.delete(job.result_name)
    Job.objects.filter(pk=job.task_id).update(state=JobState.FAILED, message="您没有执行此操作的权限。")
    html = client.get(f"{STATUS}?job={job_id}").content.decode()
    assert "您没有执行此操作的权限。" in html and "hx-trigger" not in html


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_without_a_broker_the_demo_imports_in_a_thread_with_progress(client, eager, leader, cadre_a, post_a,
                                                                      settings, monkeypatch):
    settings.JOBS_IN_THREAD = True  # the demo's settings
    reached, release = threading.Event(), threading.Event()
    real_insert = service.bulk_create_audited

    def held_insert(*args, **kwargs):
        reached.set()
        release.wait(30)
        return real_insert(*args, **kwargs)

    monkeypatch.setattr(service, "bulk_create_audited", held_insert)
    client.force_login(leader)
    job_id = job_of(upload(client, xlsx([row(cadre_a, title=f"记录{i}") for i in range(3)])))  # answers at once
    try:
        assert reached.wait(30), "the thread did not start the import"
        partial = client.get(f"{STATUS}?job={job_id}", headers={"HX-Request": "true"}).content.decode()
        assert "正在保存：0 / 3 行" in partial and 'hx-trigger="every 1s"' in partial
    finally:
        release.set()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        partial = client.get(f"{STATUS}?job={job_id}", headers={"HX-Request": "true"}).content.decode()
        if "hx-trigger" not in partial:
            break
        time.sleep(0.1)
    assert "已导入 3 条实绩记录，状态为“草稿”" in partial
    assert PerformanceRecord.objects.filter(created_by=leader).count() == 3
