"""The menu's 考核结果 opens the period the user looked at or worked on last, else the newest
published one — not a newer period just opened where nobody is graded."""
import datetime as dt

import pytest
from django.urls import reverse

from assessment import services as asvc
from assessment.models import PeriodKind
from assessment.selectors import results_landing_period
from pingdingshan.core.models import Role
from tests.factories import user_with_role

from .conftest import give
from .results_world import publish, score_and_compute

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_periods(org_staff, period, deputies, scheme, tier):
    """The fixture's period computed and published, then a newer one opened by org staff."""
    score_and_compute(org_staff, period, deputies)
    publish(org_staff, period)
    newer = asvc.period_save(by=org_staff, name="2026年专项考核", kind=PeriodKind.SPECIAL, year=2026, task_name="防汛",
                             start_date=dt.date(2026, 6, 1), end_date=dt.date(2027, 3, 31))
    asvc.period_set_schemes(by=org_staff, period=newer, schemes=[scheme])
    asvc.rater_groups_save(by=org_staff, period=newer, groups=[{"name": "上级", "weights": {tier.pk: 100}}])
    asvc.period_enrol(by=org_staff, period=newer)
    asvc.period_open(by=org_staff, period=newer)
    return period, newer


def _landing(client, user):
    client.force_login(user)
    r = client.get(reverse("assessment:results_index"))
    assert r.status_code == 200
    return r.context["period"]


def test_someone_who_never_touched_the_new_period_lands_on_the_newest_published(client, two_periods):
    published, newer = two_periods
    colleague = user_with_role(Role.ORG_STAFF, username="colleague")
    assert _landing(client, colleague) == published


def test_the_user_who_worked_on_the_new_period_lands_there(client, org_staff, two_periods, deputies):
    published, newer = two_periods
    assert results_landing_period(user=org_staff) == newer  # they opened it (its audit history)
    colleague = user_with_role(Role.ORG_STAFF, username="colleague")
    give(colleague, newer, "上级", deputies[0], {"政治品质": 90, "履职成效": 90, "担当作为": 90})
    assert _landing(client, colleague) == newer  # they scored in it


def test_the_period_looked_at_last_wins_within_the_session(client, org_staff, two_periods):
    published, newer = two_periods
    assert _landing(client, org_staff) == newer
    client.get(reverse("assessment:result_list", args=[published.pk]))
    assert client.get(reverse("assessment:results_index")).context["period"] == published


def test_a_leader_lands_on_the_published_period_of_their_scope(client, leader, two_periods):
    published, newer = two_periods
    assert _landing(client, leader) == published
