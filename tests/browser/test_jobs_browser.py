"""Long work in the browser (the browser suite, see conftest.py): an import and a period's
computation run as background jobs on a real worker; the page shows their progress (htmx polls
the status partial) and then the result, without reloading."""
import threading

import pytest

browser_suite = pytest.importorskip("tests.browser.conftest", reason="the browser suite (tests/browser) is missing")
expect = pytest.importorskip("playwright.sync_api").expect

from tests.assessment.conftest import all_raters  # noqa: E402  (the fixtures come with the suite's conftest)
from tests.cadres.test_import import row, xlsx  # noqa: E402
from tests.factories import PASSWORD  # noqa: E402

pytestmark = browser_suite.BROWSER


@pytest.fixture
def held(monkeypatch):
    """hold(module, name): the worker waits inside that function until ``release`` is set."""
    reached, release = threading.Event(), threading.Event()

    def hold(module, name):
        real = getattr(module, name)

        def wrapper(*args, **kwargs):
            reached.set()
            release.wait(30)
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, wrapper)

    yield type("Held", (), {"reached": reached, "release": release, "hold": staticmethod(hold)})
    release.set()


def test_an_import_with_progress(page, live_server, login, celery_worker, leader, cadre_a, post_a, held, tmp_path):
    from cadres.imports import records as service
    from cadres.models import PerformanceRecord, RecordStatus

    held.hold(service, "bulk_create_audited")
    upload = tmp_path / "实绩.xlsx"
    upload.write_bytes(xlsx([row(cadre_a, title="推进高标准农田建设"), row(cadre_a, title="招商引资")]))
    login(page, "leader", PASSWORD)
    page.goto(f"{live_server.url}/cadres/records/import/")
    page.set_input_files("input[name=file]", str(upload))
    page.get_by_role("button", name="上传并导入").click()
    status = page.locator("#import-status")
    expect(status).to_contain_text("正在保存：0 / 2 行", timeout=30_000)  # the worker holds the save
    expect(status.get_by_role("progressbar")).to_be_visible()
    held.release.set()
    expect(status).to_contain_text("已导入 2 条实绩记录，状态为“草稿”", timeout=30_000)  # polled, no reload
    expect(status.get_by_role("progressbar")).to_have_count(0)
    assert PerformanceRecord.objects.filter(created_by=leader, status=RecordStatus.DRAFT).count() == 2


def test_a_period_computed_with_progress(page, live_server, login, celery_worker, org_staff, period, deputies, held):
    from assessment import services as asvc

    for c in deputies:
        all_raters(org_staff, period, c, 90, 85, 80)
    held.hold(asvc, "period_compute")
    login(page, "orgstaff", PASSWORD)
    page.goto(f"{live_server.url}/assessment/periods/{period.pk}/")
    page.get_by_role("button", name="计算综合得分").click()
    page.wait_for_url(f"{live_server.url}/jobs/**")  # the request does not compute: the job's page
    status = page.locator("#job-status")
    expect(status.get_by_role("progressbar")).to_be_visible()
    assert held.reached.wait(30)
    held.release.set()
    expect(status).to_contain_text("已计算 5 名考核对象的综合得分", timeout=30_000)
    status.get_by_role("link", name="返回").click()
    page.wait_for_url(f"{live_server.url}/assessment/periods/{period.pk}/")
    period.refresh_from_db()
    assert period.computed_at is not None and period.results.filter(composite__isnull=False).count() == 5
