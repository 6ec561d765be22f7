"""One "in force on a day" condition on the local date (``timezone.localdate``): around midnight the
server's date (UTC) and the city's (Asia/Shanghai) differ, and every part of the product must agree."""
import datetime as dt
from unittest import mock

import pytest
from django.utils import timezone

from cadres.filters import AppointmentFilter
from cadres.models import Appointment
from cadres.serializers import AppointmentSerializer
from pingdingshan.core import dates
from tests.factories import PostFactory

# 2026-03-01 17:30 UTC is 2026-03-02 01:30 in Asia/Shanghai
LATE_EVENING_UTC = dt.datetime(2026, 3, 1, 17, 30, tzinfo=dt.UTC)


def test_today_is_the_local_date():
    with mock.patch.object(timezone, "now", return_value=LATE_EVENING_UTC):
        assert dates.today() == dt.date(2026, 3, 2)


@pytest.mark.django_db
def test_an_appointment_starting_today_is_in_force_everywhere(tree, cadre_a):
    post = PostFactory(unit=tree.town_a, quota=3)
    starts_today = Appointment.objects.create(cadre=cadre_a, post=post, start_date=dt.date(2026, 3, 2))
    ended_yesterday = Appointment.objects.create(cadre=cadre_a, post=PostFactory(unit=tree.town_a, quota=3),
                                                 start_date=dt.date(2020, 1, 1), end_date=dt.date(2026, 3, 1))
    with mock.patch.object(timezone, "now", return_value=LATE_EVENING_UTC):
        in_force = set(Appointment.objects.filter(dates.in_force_q()))
        assert in_force == {starts_today}
        assert dates.in_force(starts_today) and not dates.in_force(ended_yesterday)
        assert AppointmentSerializer(starts_today).data["is_current"] is True
        assert AppointmentSerializer(ended_yesterday).data["is_current"] is False
        current = AppointmentFilter({"current": "true"}, queryset=Appointment.objects.all()).qs
        assert set(current) == {starts_today}
