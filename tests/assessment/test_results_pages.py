"""Results pages: the list with filters and export, the detail with its explanation, calibration
with the override (audited, the 优秀 cap enforced), publication, leaderboards, the cadre's 考核 tab;
unit leaders' scope; query counts that do not grow with the rows."""
import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment.models import AssessmentResult, Grade, PeriodStatus
from pingdingshan.core.models import ExportLog

from .results_world import publish

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_computed_world")]  # built once (conftest.py)




def _html(response):
    return response.content.decode()


def test_result_list_filters_sort_and_grade_wording(client, org_staff, period, computed):
    client.force_login(org_staff)
    url = reverse("assessment:result_list", args=[period.pk])
    html = _html(client.get(url))
    assert html.count('data-result="') == 5
    assert "优秀" in html and "称职" in html
    html = _html(client.get(url, {"grade": Grade.EXCELLENT}))
    assert html.count('data-result="') == 1 and "乙一" in html
    html = _html(client.get(url, {"q": "甲", "ordering": "-composite"}))
    assert html.index("甲一") < html.index("甲二") < html.index("甲三") and "乙一" not in html.split("<tbody>")[1]
    assert client.get(url, {"overridden": "true"}).content.decode().count('data-result="') == 0


def test_result_export_csv_content(client, org_staff, period, computed):
    client.force_login(org_staff)
    r = client.get(reverse("assessment:result_export", args=[period.pk]), {"format": "csv", "q": "甲"})
    assert r.status_code == 200
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["干部", "身份证号码", "时任单位"]
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {"甲一", "甲二", "甲三"}
    head = rows[0]
    assert by_name["甲一"][head.index("综合得分")] == "94.40"
    assert by_name["甲一"][head.index("等次")] == "称职"
    assert by_name["甲一"][head.index("综合得分排名")] == "2"
    log = ExportLog.objects.get()
    assert (log.what, log.row_count, log.filters["q"]) == ("考核结果", 3, "甲")


def test_result_detail_explanation_and_chart(client, org_staff, period, computed):
    client.force_login(org_staff)
    html = _html(client.get(reverse("assessment:result_detail", args=[computed["甲三"].pk])))
    assert "下级和服务对象未评分，其权重按比例分配给其他评价主体。" in html
    assert 'class="text-end fw-bold explanation-total">84.00<' in html
    assert "contribution-chart-data" in html and "vendor/echarts/echarts.min.js" in html
    assert "不一致" not in html


def test_override_from_calibration_is_audited(client, org_staff, period, computed):
    client.force_login(org_staff)
    result = computed["乙二"]
    r = client.post(reverse("assessment:result_override", args=[result.pk]),
                    {"from": "calibration", f"r{result.pk}-grade": Grade.BASIC, f"r{result.pk}-reason": "年度内受到诫勉"})
    assert r.status_code == 302
    result.refresh_from_db()
    assert (result.grade, result.computed_grade, result.override_reason) == (Grade.BASIC, Grade.COMPETENT, "年度内受到诫勉")
    h = result.history.order_by("-history_date").first()
    assert h.override_reason == "年度内受到诫勉" and h.grade == Grade.BASIC and h.history_user == org_staff
    html = _html(client.get(r.url))
    assert "年度内受到诫勉" in html


def test_override_beyond_the_cap_refused_next_to_the_field(client, org_staff, period, computed):
    client.force_login(org_staff)
    result = computed["甲一"]
    r = client.post(reverse("assessment:result_override", args=[result.pk]),
                    {"from": "calibration", f"r{result.pk}-grade": Grade.EXCELLENT, f"r{result.pk}-reason": "表现突出"})
    assert r.status_code == 400
    assert "本组优秀名额为1人，已用完" in _html(r)
    result.refresh_from_db()
    assert result.grade == Grade.COMPETENT
    r = client.post(reverse("assessment:result_override", args=[result.pk]),
                    {"from": "detail", f"r{result.pk}-grade": Grade.BASIC, f"r{result.pk}-reason": ""})
    assert r.status_code == 400 and "调整等次须填写理由。" in _html(r)


def test_calibration_page(client, org_staff, auditor, period, computed):
    from assessment.services import TIE_RULE

    client.force_login(org_staff)
    html = _html(client.get(reverse("assessment:calibration", args=[period.pk])))
    assert str(TIE_RULE) in html
    assert "已评优秀 1 / 1" in html
    assert 'class="override-form"' in html
    client.force_login(auditor)
    html = _html(client.get(reverse("assessment:calibration", args=[period.pk])))
    assert str(TIE_RULE) in html and 'class="override-form"' not in html


def test_publish_needs_the_confirmation(client, org_staff, period, computed):
    client.force_login(org_staff)
    url = reverse("assessment:period_publish", args=[period.pk])
    r = client.post(url, {})
    assert r.status_code == 400 and "请确认结果无误后再发布" in _html(r)
    period.refresh_from_db()
    assert period.status == PeriodStatus.OPEN
    assert client.post(url, {"confirm": "on"}).status_code == 302
    period.refresh_from_db()
    assert period.status == PeriodStatus.PUBLISHED and period.published_by == org_staff


def test_leader_scope_pages(client, org_staff, leader, period, computed):
    client.force_login(leader)
    own, other = computed["甲一"], computed["乙一"]
    assert client.get(reverse("assessment:result_list", args=[period.pk])).status_code == 404
    assert client.get(reverse("assessment:result_detail", args=[own.pk])).status_code == 404
    assert client.get(reverse("assessment:leaderboard", args=[period.pk])).status_code == 404
    publish(org_staff, period)
    assert client.get(reverse("assessment:result_detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("assessment:result_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("assessment:calibration", args=[period.pk])).status_code == 403
    html = _html(client.get(reverse("assessment:leaderboard", args=[period.pk])))
    assert html.count('data-result="') == 3 and "乙一" not in html
    # 甲一 is second in the whole group of five, though the leader sees three.
    assert f'data-result="{own.pk}"' in html
    row = html.split(f'data-result="{own.pk}"')[1]
    assert '"fw-semibold text-nowrap board-rank">2 <span class="small text-muted fw-normal">/ 5</span>' in row
    html = _html(client.get(reverse("assessment:results_index")))
    assert html.count('data-result="') == 3


def test_leaderboard_export(client, org_staff, period, tier, category, computed):
    client.force_login(org_staff)
    r = client.get(reverse("assessment:leaderboard_export", args=[period.pk]),
                   {"format": "csv", "tier": tier.pk, "category": category.pk, "by": "composite"})
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == ["1", "2", "3", "4", "5"]
    assert [row[4] for row in rows[1:]] == ["乙一", "甲一", "甲二", "甲三", "乙二"]


def test_cadre_assessment_tab(client, org_staff, leader, period, deputies, computed):
    jia = deputies[0]
    url = reverse("cadres:cadre_detail", args=[jia.pk]) + "?tab=assessment"
    client.force_login(org_staff)
    html = _html(client.get(url))
    assert reverse("assessment:result_detail", args=[computed["甲一"].pk]) in html
    assert "assessment-chart-data" in html
    client.force_login(leader)
    assert reverse("assessment:result_detail", args=[computed["甲一"].pk]) not in _html(client.get(url))
    publish(org_staff, period)
    assert reverse("assessment:result_detail", args=[computed["甲一"].pk]) in _html(client.get(url))


@pytest.mark.parametrize("name", ["assessment:result_list", "assessment:leaderboard"])
def test_list_queries_do_not_grow_with_rows(client, org_staff, period, computed, settings, name):
    client.force_login(org_staff)
    url = reverse(name, args=[period.pk])

    def count(per_page):
        settings.ROSTER_PAGE_SIZE = per_page
        client.get(url)  # warm the session and the caches
        with CaptureQueriesContext(connection) as ctx:
            r = client.get(url)
        assert r.status_code == 200
        return len(ctx.captured_queries), _html(r).count('data-result="')

    few, shown_few = count(1)
    many, shown_many = count(50)
    assert (shown_few, shown_many) == (1, 5)
    assert many <= few + 1  # a single page has no second COUNT-free shortcut; never one per row
    assert AssessmentResult.objects.count() == 5
