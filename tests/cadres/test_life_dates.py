"""A cadre's dates make sense: not born in the future, not at work before 16 周岁. One rule
(``life_date_errors`` through ``Cadre.clean``) for the service, the page form and the API."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from cadres import idcard, services
from cadres.models import Cadre
from cadres.models.roster import life_date_errors, on_birthday

pytestmark = pytest.mark.django_db
D = dt.date


def data(tree, birth, **over):
    d = {"name": "王小明", "gender": "M", "birth_date": birth,
         "id_number": idcard.make_id_number("410402", birth, 7, "M"), "unit": tree.town_a}
    d.update(over)
    return d


# --------------------------------------------------------------------------- the rule
def test_birth_in_the_future_is_refused():
    today = D(2026, 5, 1)
    assert "不能晚于今天" in life_date_errors(D(2026, 5, 2), None, None, today=today)["birth_date"]
    assert life_date_errors(today, None, None, today=today) == {}


@pytest.mark.parametrize("work_start,ok", [
    (D(2001, 6, 14), False), (D(2001, 6, 15), True), (D(1990, 1, 1), False), (D(2010, 1, 1), True)])
def test_work_starts_at_sixteen_at_the_earliest(work_start, ok):
    errors = life_date_errors(D(1985, 6, 15), work_start, None, today=D(2026, 1, 1))
    assert ("work_start_date" not in errors) is ok
    if not ok and work_start >= D(1985, 6, 15):
        assert errors["work_start_date"] == "参加工作时不满16周岁：按出生日期，最早为2001-06-15。"


def test_born_on_29_february_is_sixteen_on_1_march():
    assert on_birthday(D(2004, 2, 29), 16) == D(2020, 2, 29)
    assert on_birthday(D(2000, 2, 29), 17) == D(2017, 3, 1)
    assert "work_start_date" in life_date_errors(D(2000, 2, 29), D(2016, 2, 28), None, today=D(2026, 1, 1))


# --------------------------------------------------------------------------- every way in
def test_service_refuses_both_and_saves_nothing(org_staff, tree):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as e:
        services.cadre_create(by=org_staff, **data(tree, tomorrow))
    assert "不能晚于今天" in e.value.message_dict["birth_date"][0]
    with pytest.raises(ValidationError) as e:
        services.cadre_create(by=org_staff, **data(tree, D(1985, 6, 15), work_start_date=D(1999, 9, 1)))
    assert "不满16周岁" in e.value.message_dict["work_start_date"][0]
    assert not Cadre.objects.exists()
    services.cadre_create(by=org_staff, **data(tree, D(1985, 6, 15), work_start_date=D(2001, 6, 15)))
    assert Cadre.objects.count() == 1


def test_page_form_shows_the_error_next_to_the_field(client, org_staff, tree):
    client.force_login(org_staff)
    birth = D(1985, 5, 5)
    r = client.post(reverse("cadres:cadre_create"), {
        "name": "王小明", "gender": "M", "ethnicity": "汉族", "birth_date": birth.isoformat(),
        "id_number": idcard.make_id_number("410402", birth, 7, "M"), "unit": tree.town_a.pk,
        "political_status": "masses", "work_start_date": "2000-07-01", "fulltime_education": 4,
        "inservice_education": 0, "fulltime_degree": 1, "inservice_degree": 0, "status": "active"})
    assert r.status_code == 200
    assert "不满16周岁" in r.context["form"].errors.get("work_start_date", [""])[0], r.context["form"].errors
    assert not Cadre.objects.exists()


def test_api_answers_a_field_error(org_staff, tree):
    client = APIClient()
    client.force_login(org_staff)
    future = timezone.localdate() + dt.timedelta(days=30)
    payload = {"name": "王小明", "gender": "M", "birth_date": future.isoformat(),
               "id_number": idcard.make_id_number("410402", future, 7, "M"), "unit": tree.town_a.pk}
    r = client.post(reverse("cadre-list"), payload, format="json")
    assert r.status_code == 400, r.content
    assert "不能晚于今天" in r.json()["errors"]["birth_date"][0]
    assert not Cadre.objects.exists()
