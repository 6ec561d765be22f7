"""The list pages and exports of awards, cards and protection: their query count does not grow
with their rows (each page and export with 2 rows of its kind, then with 8, as org staff)."""
import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment.models import (
    Adjustment,
    Award,
    AwardKind,
    Campaign,
    CampaignQuota,
    Clarification,
    Nomination,
    Reminder,
    RiskFiling,
    Sanction,
    ToleranceRuling,
)
from tests.factories import CadreFactory

from .conduct_helpers import card, proposal

_n = itertools.count()


def _rows(cadre, k):
    """``k`` more rows of every kind, for ``k`` more cadres of ``cadre``'s unit."""
    kind = AwardKind.objects.get(name="鹰城担当作为好干部")
    campaign = Campaign.objects.get_or_create(kind=kind, year=2026, name="查询数测试", defaults={"status": "nominating"})[0]
    CampaignQuota.objects.get_or_create(campaign=campaign, unit=cadre.unit, defaults={"quota": 50})
    day = dt.date(2026, 11, 1)
    for _i in range(k):
        i = next(_n)
        c = CadreFactory(unit=cadre.unit, name=f"查询{i}")
        red = card(c, color="red")
        card(c, status="proposed")
        Adjustment.objects.create(card=red, cadre=c, due_date=day)
        proposal(c, key=f"q:{i}")
        Sanction.objects.create(cadre=c, kind="warning", decided_on=day, end_date=day + dt.timedelta(days=180),
                                body="市纪委监委")
        Reminder.objects.create(cadre=c, kind="talk", held_on=day, content="谈话", follow_up_on=day)
        filing = RiskFiling.objects.create(unit=c.unit, cadre=c, matter=f"事项{i}", risk="风险", measures="措施",
                                           filed_on=day)
        ToleranceRuling.objects.create(cadre=c, unit=c.unit, applicant="unit", matter=f"事项{i}", loss="损失",
                                       conduct="表现", risk_filing=filing, card=red)
        Clarification.objects.create(cadre=c, source="investigator", report="反映", finding="不实", method="meeting",
                                     venue="干部大会", cleared_on=day)
        Award.objects.create(kind=kind, cadre=c, unit=c.unit, year=2026, awarded_on=day, issuing_body="市委")
        Nomination.objects.create(campaign=campaign, cadre=c, unit=c.unit, quota_unit=c.unit, deeds="事迹")
        Campaign.objects.create(kind=kind, year=2026, name=f"活动{i}")


PAGES = ["card_list", "adjustment_list", "proposal_list", "sanction_list", "reminder_list", "ruling_list",
         "filing_list", "clarification_list", "award_list", "campaign_list", "card_reason_list", "award_kind_list"]
EXPORTS = ["card_export", "adjustment_export", "proposal_export", "sanction_export", "reminder_export",
           "ruling_export", "filing_export", "clarification_export", "award_export"]


def _count(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url, params or {})
    assert r.status_code == 200, (url, r.status_code)
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", PAGES + EXPORTS)
def test_query_count_does_not_grow_with_the_rows(client, org_staff, cadre_a, name):
    client.force_login(org_staff)
    url = reverse(f"assessment:{name}")
    params = {"format": "csv"} if name.endswith("_export") else {}
    _rows(cadre_a, 2)
    few = _count(client, url, params)
    _rows(cadre_a, 6)
    assert _count(client, url, params) == few, name


API = ["cards", "card-reasons", "adjustments", "card-proposals", "sanctions", "reminders", "tolerance-rulings",
       "risk-filings", "clarifications", "awards", "award-kinds", "campaigns", "nominations"]


@pytest.mark.parametrize("path", API)
def test_api_list_query_count_does_not_grow_with_the_rows(org_staff, cadre_a, path):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(org_staff)
    _rows(cadre_a, 2)
    _count(api, f"/api/v1/{path}/")  # the gate caches the user's roles on the user object: warm it
    few = _count(api, f"/api/v1/{path}/")
    _rows(cadre_a, 6)
    assert _count(api, f"/api/v1/{path}/") == few, path
