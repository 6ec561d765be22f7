"""Ids of 2**63 or more (and ids that are not numbers) never reach a 500: out-of-range integers match
no row without asking the database (SQLite raised OverflowError for them), id fields refuse what is
not an id, and every endpoint named in the trial answers its ordinary refusal."""
import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from cadres import services
from cadres.models import Cadre, PerformanceRecord, TaskCategory
from pingdingshan.core.fields import ID_MAX, IdField, parse_id

BIG = 99999999999999999999999
pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_login(user)
    return client


def queries(fn):
    with CaptureQueriesContext(connection) as ctx:
        value = fn()
    return value, len(ctx.captured_queries)


@pytest.fixture
def record(leader, cadre_a):
    r = services.record_create(by=leader, cadre=cadre_a, category=TaskCategory.objects.get(name="乡村振兴"),
                               title="推进高标准农田建设", description="完成高标准农田2万亩", role="lead",
                               start_date=dt.date(2025, 3, 1))
    return services.record_submit(by=leader, record=r)


# --------------------------------------------------------------------------- the ORM, one place
def test_out_of_range_ids_match_nothing_without_a_query(record):
    assert queries(lambda: list(PerformanceRecord.objects.filter(submitted_by=BIG))) == ([], 0)
    assert queries(lambda: list(PerformanceRecord.objects.filter(cadre_id=-BIG))) == ([], 0)
    assert queries(lambda: list(PerformanceRecord.objects.filter(pk__in=[BIG]))) == ([], 0)
    assert queries(lambda: list(Cadre.objects.filter(unit__in=[BIG, -BIG]))) == ([], 0)
    assert queries(lambda: list(Cadre.objects.filter(tags__in=[BIG]))) == ([], 0)


def test_in_range_ids_in_the_same_lookup_still_match(record):
    assert list(PerformanceRecord.objects.filter(pk__in=[BIG, record.pk])) == [record]
    assert list(PerformanceRecord.objects.filter(cadre__in=[record.cadre_id, BIG])) == [record]
    assert list(PerformanceRecord.objects.filter(submitted_by=record.submitted_by_id)) == [record]


def test_comparisons_keep_their_meaning(record):
    assert list(PerformanceRecord.objects.filter(cadre__lt=BIG)) == [record]
    assert list(PerformanceRecord.objects.filter(cadre__gt=-BIG)) == [record]
    assert queries(lambda: list(PerformanceRecord.objects.filter(cadre__gt=BIG))) == ([], 0)


# --------------------------------------------------------------------------- id fields
@pytest.mark.parametrize("raw,expected", [
    ("12", 12), (" 7 ", 7), (12, 12), (str(ID_MAX), ID_MAX), (str(ID_MAX + 1), None), (str(BIG), None),
    ("0", None), ("-3", None), ("²", None), ("١٢", None), ("1e5", None), ("", None), (None, None), (True, None),
])
def test_parse_id(raw, expected):
    assert parse_id(raw) == expected


@pytest.mark.parametrize("raw", ["²", "1e100000000", "1.5", str(BIG), "0"])
def test_id_field_refuses_what_is_not_an_id(raw):
    field = IdField(required=False)
    with pytest.raises(Exception) as e:
        field.clean(raw)
    assert e.type.__name__ == "ValidationError"


# --------------------------------------------------------------------------- the endpoints of the trial
def test_records_api_submitter_filter(org_staff, record):
    client = api(org_staff)
    body = client.get(reverse("record-list"), {"submitter": str(BIG)}).json()
    assert "submitter" in body["errors"]
    ok = client.get(reverse("record-list"), {"submitter": record.submitted_by_id})
    assert ok.status_code == 200 and [r["id"] for r in ok.json()["results"]] == [record.pk]


def test_bulk_verify_with_a_huge_id_names_it(org_staff, record):
    r = api(org_staff).post(reverse("record-bulk-verify"), {"ids": [record.pk, BIG]}, format="json")
    assert r.status_code == 400, r.content
    assert str(BIG) in r.json()["errors"]["ids"][0]
    record.refresh_from_db()
    assert record.status == "submitted"


def test_pages_with_a_huge_or_odd_id(client, org_staff, record):
    client.force_login(org_staff)
    for path, params in [(reverse("cadres:record_list"), {"cadre": str(BIG)}),
                         (reverse("cadres:record_list"), {"cadre": "²"}),
                         (reverse("cadres:record_create"), {"cadre": "²"}),
                         (reverse("cadres:record_create"), {"cadre": str(BIG)}),
                         (reverse("cadres:cadre_list"), {"unit": str(BIG)}),
                         (reverse("cadres:review_queue"), {"unit": str(BIG)})]:
        assert client.get(path, params).status_code == 200, (path, params)
    r = client.post(reverse("cadres:review_bulk_verify"), {"ids": ["²", str(BIG)]}, follow=True)
    assert r.status_code == 200
    assert "不是有效的记录编号" in r.content.decode()  # named, nothing verified
    record.refresh_from_db()
    assert record.status == "submitted"
