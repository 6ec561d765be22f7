"""The city analysis pages (大数据研判): each renders for org staff, auditors and unit leaders (their
subtree only: another county's name never appears), bad filters give the form's Chinese error with
400 (never 500), the export writes one table as xlsx or csv and is logged with its filters, and each
page runs the same number of queries whatever the number of cadres, records and units."""
import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from analysis.services.figures import PAGES
from assessment.models import WarningCard
from cadres.models import PerformanceRecord
from pingdingshan.core.models import ExportLog
from tests.conftest import rolled_back
from tests.factories import CadreFactory, PostFactory, make_unit

from .figures_world import END, START, build

SLUGS = list(PAGES)
PERIOD = {"start": START.isoformat(), "end": END.isoformat()}


@pytest.fixture(scope="module")
def w(django_db_setup, django_db_blocker):
    with rolled_back(django_db_blocker, build) as value:
        yield value


@pytest.mark.parametrize("slug", SLUGS)
def test_each_page_renders_for_every_role_in_scope(w, db, client, slug):
    url = reverse(f"analysis:{slug}")
    for who in ("org_staff", "auditor"):
        client.force_login(getattr(w["people"], who))
        r = client.get(url, PERIOD)
        assert r.status_code == 200 and r.context["figures"].slug == slug
        assert 'id="figures-charts"' in r.content.decode()
    client.force_login(w["people"].leader)
    r = client.get(url, PERIOD)
    assert r.status_code == 200
    body = r.content.decode()
    assert "叶县" not in body.split('id="figures-charts"')[0].split("</form>")[-1]  # no figure of the other county
    client.force_login(w["people"].no_role_user)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("query,message", [
    ({"start": "2026-06-01", "end": "2026-01-01"}, "结束日期：不能早于开始日期。"),
    ({"start": "2026-13-45"}, "开始日期：请输入有效日期"),
    ({"end": "12345-01-01"}, "结束日期：请输入有效日期"),
    ({"unit": "abc"}, "单位：请选择您权限范围内的单位。"),
    ({"unit": "999999999999999999999"}, "单位：请选择您权限范围内的单位。"),
])
def test_bad_filters_give_the_error_with_400(w, db, client, query, message):
    client.force_login(w["people"].org_staff)
    for slug in ("structure", "grades"):
        r = client.get(reverse(f"analysis:{slug}"), query)
        assert r.status_code == 400 and message in r.content.decode()
        assert client.get(reverse(f"analysis:{slug}_export"), query).status_code == 400


def test_a_unit_outside_the_leaders_scope_is_refused_like_a_missing_one(w, db, client):
    client.force_login(w["people"].leader)
    out = client.get(reverse("analysis:structure"), {"unit": w["tree"].county_b.pk})
    assert out.status_code == 400 and "单位：请选择您权限范围内的单位。" in out.content.decode()
    assert client.get(reverse("analysis:structure"), {"unit": w["tree"].town_a.pk}).status_code == 200


def test_the_period_filter_lists_only_periods_with_results_and_refuses_others(w, db, client):
    client.force_login(w["people"].org_staff)
    ok = client.get(reverse("analysis:grades"), {"period": w["period"].pk})
    assert ok.status_code == 200 and "分析2026年度" in ok.content.decode()
    bad = client.get(reverse("analysis:grades"), {"period": "x"})
    assert bad.status_code == 400 and "考核周期：请选择列表中的考核周期。" in bad.content.decode()


def test_export_writes_one_table_and_is_logged(w, db, client):
    client.force_login(w["people"].org_staff)
    url = reverse("analysis:quota_export")
    xlsx = client.get(url, {"table": "by_level", "format": "xlsx", **PERIOD})
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    csv = client.get(url, {"table": "by_unit", "format": "csv", "unit": w["tree"].county_a.pk})
    text = csv.content.decode("utf-8-sig")
    assert csv.status_code == 200 and text.splitlines()[0].startswith("单位,职务数,职数,在任,空缺")
    assert "城关镇" in text and "叶县" not in text
    logs = list(ExportLog.objects.filter(what="大数据研判:quota").order_by("id"))
    assert [(x.file_format, x.row_count) for x in logs] == [("xlsx", 4), ("csv", 1)]  # 3 levels + 合计; 1 unit
    assert logs[0].filters["table"] == "按职务层次" and logs[0].filters["start"] == START.isoformat()
    assert logs[1].filters["unit"] == str(w["tree"].county_a.pk)
    assert client.get(url, {"table": "nope"}).status_code == 400
    first = client.get(reverse("analysis:structure_export"), {"format": "csv"})  # no table: the first one
    assert first.content.decode("utf-8-sig").startswith("单位类型,")


def test_the_unit_leader_exports_their_subtree_only(w, db, client):
    client.force_login(w["people"].leader)
    text = client.get(reverse("analysis:structure_export"), {"table": "by_county", "format": "csv"}).content.decode(
        "utf-8-sig")
    assert "宝丰县" in text and "叶县" not in text


def _queries(client, slug):
    with CaptureQueriesContext(connection) as q:
        assert client.get(reverse(f"analysis:{slug}"), PERIOD).status_code == 200
    return len(q)


def test_each_page_runs_a_fixed_number_of_queries(w, db, client):
    client.force_login(w["people"].org_staff)
    before = {slug: _queries(client, slug) for slug in SLUGS}
    assert max(before.values()) <= 30, before
    # more of everything: three new counties with towns, cadres, records, cards and posts
    tree = w["tree"]
    record = PerformanceRecord.objects.filter(status="verified").first()
    card = WarningCard.objects.filter(status="issued").first()
    for i in range(3):
        county = make_unit(f"新县{i}", parent=tree.city)
        town = make_unit(f"新镇{i}", parent=county, level="township", kind="town")
        for unit in (county, town):
            for _n in range(3):
                c = CadreFactory(unit=unit)
                PerformanceRecord.objects.create(cadre=c, unit=unit, category=record.category, title="新",
                                                 description="新", role="lead", start_date=dt.date(2026, 4, 1),
                                                 status="verified", points=1)
                WarningCard.objects.create(color="red", cadre=c, unit=unit, reason=card.reason, facts="事实",
                                           issuing_body="县委", start_date=dt.date(2026, 4, 1),
                                           end_date=dt.date(2027, 4, 1), status="issued")
            PostFactory(unit=unit)
    after = {slug: _queries(client, slug) for slug in SLUGS}
    assert after == before


# --------------------------------------------------------------------------- the API
@pytest.mark.parametrize("slug", SLUGS)
def test_the_api_returns_the_pages_figures(w, db, client, slug):
    client.force_login(w["people"].leader)
    body = client.get(f"/api/v1/analysis/{slug}/", PERIOD).json()
    page = client.get(reverse(f"analysis:{slug}"), PERIOD).context["figures"]
    assert body["slug"] == slug and [t["key"] for t in body["tables"]] == [t.key for t in page.tables]
    assert [t["rows"][0][0] for t in body["tables"] if t["rows"]] == [t.rows[0][0] for t in page.tables if t.rows]
    assert {c["table"] for c in body["charts"]} <= {t["key"] for t in body["tables"]}


def test_the_api_refuses_bad_filters_in_chinese(w, db, client):
    client.force_login(w["people"].leader)
    r = client.get("/api/v1/analysis/structure/", {"start": "x", "unit": w["tree"].county_b.pk})
    assert r.status_code == 400
    text = str(r.json())
    assert "开始日期：请输入有效日期" in text and "单位：请选择您权限范围内的单位。" in text
    counts = client.get("/api/v1/analysis/quota/").json()
    assert [r[0] for r in counts["tables"][0]["rows"]] == ["城关镇"]
    assert client.get("/api/v1/analysis/nope/").status_code == 404
