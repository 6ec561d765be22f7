"""What a person meets in the browser (headless chromium at 1280 px, see conftest.py): signing in
per role, a record created with evidence, submitted and verified, and a chart drawn."""
import datetime as dt

import pytest
from playwright.sync_api import expect

from cadres.models import PerformanceRecord, RecordStatus
from pingdingshan.core.models import Role
from tests.factories import PASSWORD, user_with_role

from .conftest import BROWSER, WIDTH

pytestmark = BROWSER

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _no_horizontal_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH


@pytest.mark.parametrize("role, sees_review", [(Role.ORG_STAFF, True), (Role.AUDITOR, False), (Role.UNIT_LEADER, False)])
def test_each_role_signs_in_to_the_desk_and_out_again(page, live_server, login, tree, role, sees_review):
    user_with_role(role, tree.county_a if role == Role.UNIT_LEADER else None, username="person")
    login(page, "person", PASSWORD)
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()
    nav = page.locator("#mainnav")
    expect(nav.get_by_role("link", name="干部花名册")).to_be_visible()
    expect(nav.get_by_role("link", name="审核队列")).to_have_count(1 if sees_review else 0)
    _no_horizontal_scroll(page)  # the header fits: the logout is one click away, not off-screen
    page.locator(".user-menu-button").click()
    logout = page.locator(".logout-button")
    expect(logout).to_be_visible()
    logout.click()
    page.wait_for_url(f"{live_server.url}/accounts/login/")
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/")


def test_a_record_with_evidence_is_submitted_and_verified(browser, page, live_server, login, tree, leader, org_staff,
                                                            cadre_a, tmp_path):
    evidence = tmp_path / "验收报告.pdf"
    evidence.write_bytes(PDF)
    login(page, "leader", PASSWORD)
    page.goto(f"{live_server.url}/cadres/records/new/?cadre={cadre_a.pk}")
    page.select_option("select[name=category]", label="乡村振兴")
    page.select_option("select[name=role]", label="牵头")
    page.fill("input[name=title]", "推进高标准农田建设")
    page.fill("textarea[name=description]", "完成高标准农田2万亩")
    page.fill("input[name=start_date]", "2025-03-01")
    page.fill("input[name=end_date]", "2025-10-01")
    page.fill("input[name=quantity]", "2.5")
    page.fill("input[name=quantity_unit]", "万亩")
    page.set_input_files("input[name=files]", str(evidence))
    page.get_by_role("button", name="保存并提交").click()
    expect(page.locator(".alert-success")).to_contain_text("已保存并提交")
    record = PerformanceRecord.objects.get(title="推进高标准农田建设")
    assert record.status == RecordStatus.SUBMITTED and record.evidence.get().original_name == "验收报告.pdf"

    staff = browser.new_context(viewport={"width": WIDTH, "height": 800}).new_page()
    login(staff, "orgstaff", PASSWORD)
    staff.goto(f"{live_server.url}/cadres/review/")
    row = staff.locator("tr", has_text="推进高标准农田建设")
    expect(row).to_be_visible()
    _no_horizontal_scroll(staff)
    # the evidence column and the review button are in view at 1280 px (the table does not scroll)
    for cell in (row.locator(".evidence-count"), row.get_by_role("link", name="审核", exact=True)):
        box = cell.bounding_box()
        assert box and box["x"] + box["width"] <= WIDTH, box
    assert staff.evaluate("(() => { const t = document.querySelector('.review-table').parentElement;"
                          " return t.scrollWidth <= t.clientWidth; })()")
    row.get_by_role("link", name="推进高标准农田建设").click()
    expect(staff.get_by_text("验收报告.pdf")).to_be_visible()
    staff.locator(".verify-form button[type=submit]").click()
    expect(staff.locator(".alert-success")).to_be_visible()
    record.refresh_from_db()
    assert record.status == RecordStatus.VERIFIED and record.reviewed_by == org_staff and record.points is not None


def test_the_contribution_chart_is_drawn(page, live_server, login, org_staff, period, deputies):
    from tests.assessment.results_world import score_and_compute

    result = score_and_compute(org_staff, period, deputies)["甲一"]
    login(page, "orgstaff", PASSWORD)
    page.goto(f"{live_server.url}/assessment/results/{result.pk}/")
    canvas = page.locator("#contribution-chart canvas")
    expect(canvas).to_be_visible()
    box = canvas.bounding_box()
    assert box["width"] > 200 and box["height"] > 100
    # something was drawn: the canvas is not blank
    assert page.evaluate("""() => {
        const c = document.querySelector('#contribution-chart canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        for (let i = 3; i < d.length; i += 4) { if (d[i] !== 0) return true; }
        return false; }""")


def test_submitting_without_evidence_asks_to_confirm(page, live_server, login, leader, cadre_a):
    login(page, "leader", PASSWORD)
    page.goto(f"{live_server.url}/cadres/records/new/?cadre={cadre_a.pk}")
    page.select_option("select[name=category]", label="乡村振兴")
    page.select_option("select[name=role]", label="牵头")
    page.fill("input[name=title]", "没有材料的记录")
    page.fill("textarea[name=description]", "完成高标准农田2万亩")
    page.fill("input[name=start_date]", "2025-03-01")
    asked = []
    page.once("dialog", lambda d: (asked.append(d.message), d.dismiss()))
    page.get_by_role("button", name="保存并提交").click()
    page.wait_for_timeout(200)
    assert asked and "还没有佐证材料" in asked[0]
    assert not PerformanceRecord.objects.exists()  # dismissed: nothing sent
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="保存并提交").click()
    expect(page.locator(".alert-success")).to_contain_text("已保存并提交")
    assert PerformanceRecord.objects.get().status == RecordStatus.SUBMITTED


def test_period_schemes_filter_by_year_and_select_all(page, live_server, login, org_staff, scheme, tier, category):
    from assessment import services as asvc
    from assessment.models import AssessmentPeriod, PeriodKind
    from tests.assessment.conftest import INDICATORS

    older = asvc.scheme_publish(by=org_staff, scheme=asvc.scheme_create(by=org_staff, tier=tier, category=category,
                                                                        year=2025, indicators=INDICATORS))
    period = asvc.period_save(by=org_staff, name="2026年度考核", kind=PeriodKind.ANNUAL, year=2026,
                              start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 12, 31))
    login(page, "orgstaff", PASSWORD)
    page.goto(f"{live_server.url}/assessment/periods/{period.pk}/schemes/")
    this_year = page.locator("fieldset.scheme-year[data-year='2026']")
    last_year = page.locator("fieldset.scheme-year[data-year='2025']")
    expect(this_year).to_be_visible()
    expect(last_year).to_be_hidden()  # the period's own year first, the others one click away
    page.locator(".scheme-year-filter button[data-year='2025']").click()
    expect(last_year).to_be_visible()
    expect(this_year).to_be_hidden()
    page.locator(".scheme-year-filter button[data-year='2026']").click()
    this_year.locator(".select-year").check()
    expect(this_year.locator("input[name=schemes]")).to_be_checked()
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".alert-success")).to_contain_text("已保存适用的指标体系")
    assert list(AssessmentPeriod.objects.get(pk=period.pk).schemes.all()) == [scheme]
    assert older not in period.schemes.all()
