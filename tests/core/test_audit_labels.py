"""Audit entries name things as people do ("甲一 · 政治品质 · 上级", not "评分 #47825"), in the log
and in every row of its export, also after the object was deleted."""
import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadres import services as records
from cadres.models import TaskCategory
from pingdingshan.core import selectors
from tests.assessment.conftest import category, deputies, give, period, scheme, tier  # noqa: F401

pytestmark = pytest.mark.django_db
FULL = {"政治品质": 90, "履职成效": 88, "担当作为": 86}


def _entries(user, model_label=None):
    return selectors.audit_rows(selectors.audit_entries(user=user, model_label=model_label)[:200])


def test_a_score_is_named_by_cadre_indicator_and_rater_group(org_staff, period, deputies):  # noqa: F811
    give(org_staff, period, "上级", deputies[0], FULL)
    labels = {e.object_label: e for e in _entries(org_staff, "assessment.Score")}
    assert set(labels) == {"甲一 · 政治品质 · 上级", "甲一 · 履职成效 · 上级", "甲一 · 担当作为 · 上级"}
    entry = labels["甲一 · 政治品质 · 上级"]
    assert entry.model_name == "评分"
    result = [e for e in _entries(org_staff, "assessment.AssessmentResult") if e.object_id == entry.row.result_id]
    assert result[0].object_label == f"甲一 · {period.name}"


def test_a_deleted_record_keeps_its_name(org_staff, leader, cadre_a):
    record = records.record_create(by=leader, cadre=cadre_a, category=TaskCategory.objects.get(name="乡村振兴"),
                                   title="推进高标准农田建设", description="完成", role="lead",
                                   start_date=dt.date(2025, 3, 1))
    records.record_delete(by=leader, record=record)
    labels = {e.action: e.object_label for e in _entries(org_staff, "cadres.PerformanceRecord")}
    assert labels == {"+": "张三 · 推进高标准农田建设", "-": "张三 · 推进高标准农田建设"}


def test_labels_cost_a_query_per_model_and_path_not_per_row(org_staff, period, deputies):  # noqa: F811
    give(org_staff, period, "上级", deputies[0], FULL)
    entries = selectors.audit_entries(user=org_staff, model_label="assessment.Score")
    with CaptureQueriesContext(connection) as one:
        selectors.audit_rows(entries[:200])
    for cadre in deputies[1:]:
        give(org_staff, period, "同级", cadre, FULL)
    with CaptureQueriesContext(connection) as many:
        rows = selectors.audit_rows(entries[:200])
    assert len(rows) == 15 and len(many) == len(one)


def test_every_row_of_the_export_names_its_object(client, org_staff, period, deputies):  # noqa: F811
    give(org_staff, period, "上级", deputies[0], FULL)
    client.force_login(org_staff)
    r = client.get(reverse("core:audit_log"), {"format": "csv"})
    assert r.status_code == 200
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert len(rows) > 20
    unnamed = [(row["对象类型"], row["对象编号"]) for row in rows if not row["对象"].strip()]
    assert unnamed == []
    assert any(row["对象类型"] == "评分" and row["对象"] == "甲一 · 政治品质 · 上级" for row in rows)


def test_the_log_page_shows_the_name(client, org_staff, period, deputies):  # noqa: F811
    give(org_staff, period, "上级", deputies[0], FULL)
    client.force_login(org_staff)
    html = client.get(reverse("core:audit_log"), {"model": "assessment.Score"}).content.decode()
    assert "甲一 · 政治品质 · 上级" in html
