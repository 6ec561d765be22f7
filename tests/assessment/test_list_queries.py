"""The assessment lists (periods, schemes, results, leaderboard, calibration) answer 200 with a number
of queries that does not grow with their rows: the same count for the world of results_world.py and
after more rows are added (all on one page)."""
import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessment import services as asvc
from assessment.models import AssessmentResult, PeriodKind
from tests.factories import CadreFactory

from .conftest import INDICATORS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_computed_world")]  # built once (conftest.py)


@pytest.fixture
def staff(client, org_staff, settings):
    settings.ROSTER_PAGE_SIZE = 100  # every row on the one page
    client.force_login(org_staff)
    return client


def queries(client, url, params=None):
    """(queries, response) of a GET after a warm-up one (session, content types)."""
    client.get(url, params or {})
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url, params or {})
    assert r.status_code == 200, (url, r.status_code)
    return len(ctx.captured_queries), r


def more_periods(by, scheme, n):
    for i in range(n):
        p = asvc.period_save(by=by, name=f"{i + 1}季度平时考核", kind=PeriodKind.ROUTINE, year=2026,
                             start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 3, 31))
        asvc.period_set_schemes(by=by, period=p, schemes=[scheme])


def more_results(period, scheme, tree, n, start=6):
    """n more graded and ranked deputies in the world's tier and category group."""
    now = timezone.now()
    for i in range(n):
        c = CadreFactory(unit=tree.town_a if i % 2 else tree.town_b)
        AssessmentResult.objects.create(
            period=period, cadre=c, unit=c.unit, tier=scheme.tier, category=scheme.category, scheme=scheme,
            composite=70 + i % 20, grade="2", computed_grade="2", computed_at=now, rank_composite=start + i)


def test_period_list(staff, org_staff, scheme):
    url = reverse("assessment:period_list")
    few, r = queries(staff, url)
    assert len(r.context["periods"]) == 1
    more_periods(org_staff, scheme, 12)
    many, r = queries(staff, url)
    assert len(r.context["periods"]) == 13
    assert many == few


def test_scheme_list(staff, org_staff, tier, category):
    url = reverse("assessment:scheme_list")
    few, r = queries(staff, url)
    assert len(r.context["schemes"]) == 1
    for year in range(2010, 2022):
        asvc.scheme_create(by=org_staff, tier=tier, category=category, year=year, indicators=INDICATORS)
    many, r = queries(staff, url)
    assert len(r.context["schemes"]) == 13
    assert many == few


@pytest.mark.parametrize("name", ["assessment:result_list", "assessment:leaderboard"])
def test_results_and_leaderboard(staff, period, scheme, tree, name):
    url = reverse(name, args=[period.pk])
    params = {"tier": scheme.tier_id, "category": scheme.category_id} if name == "assessment:leaderboard" else {}
    few, r = queries(staff, url, params)
    assert r.content.decode().count('data-result="') == 5
    more_results(period, scheme, tree, 20)
    many, r = queries(staff, url, params)
    assert r.content.decode().count('data-result="') == 25
    assert many == few


def test_calibration(staff, period, scheme, tree):
    url = reverse("assessment:calibration", args=[period.pk])
    params = {"tier": scheme.tier_id, "category": scheme.category_id}
    few, r = queries(staff, url, params)
    assert r.context["cal"].size == 5
    more_results(period, scheme, tree, 20)
    many, r = queries(staff, url, params)
    assert r.context["cal"].size == 25
    assert many == few
