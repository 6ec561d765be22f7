"""Every database constraint explains itself in a sentence (not "约束 “period_dates_ordered” 是无效的"),
and the sentence reaches the page and the API."""
import datetime as dt

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import CheckConstraint, UniqueConstraint
from django.urls import reverse
from rest_framework.test import APIClient

from assessment import services as asvc
from assessment.models import PeriodKind

OUR_APPS = ("cadres", "assessment", "core")


def test_every_constraint_has_its_own_chinese_message():
    missing = []
    for model in apps.get_models():
        if model._meta.app_label not in OUR_APPS or model.__name__.startswith("Historical"):
            continue
        for c in model._meta.constraints:
            if isinstance(c, (CheckConstraint, UniqueConstraint)) and (
                    c.violation_error_message == c.default_violation_error_message
                    or not any("\u4e00" <= ch <= "\u9fff" for ch in str(c.violation_error_message))):
                missing.append(f"{model.__name__}.{c.name}")
    assert not missing


@pytest.mark.django_db
def test_period_dates_in_the_wrong_order_get_a_sentence(org_staff):
    with pytest.raises(ValidationError) as e:
        asvc.period_save(by=org_staff, name="2026年度考核", kind=PeriodKind.ANNUAL, year=2026,
                         start_date=dt.date(2026, 12, 31), end_date=dt.date(2026, 1, 1))
    text = " ".join(e.value.messages)
    assert "考核周期的结束日期不能早于开始日期。" in text and "period_dates_ordered" not in text


@pytest.mark.django_db
def test_the_sentence_reaches_the_api(org_staff):
    client = APIClient()
    client.force_login(org_staff)
    r = client.post(reverse("assessment-period-list"), {
        "name": "2026年度考核", "kind": "annual", "year": 2026, "start_date": "2026-12-31",
        "end_date": "2026-01-01"}, format="json")
    assert r.status_code == 400, r.content
    assert "结束日期不能早于开始日期" in str(r.json()) and "period_dates_ordered" not in str(r.json())


@pytest.mark.django_db
def test_the_sentence_reaches_the_page(client, org_staff):
    client.force_login(org_staff)
    r = client.post(reverse("assessment:period_create"), {
        "name": "2026年度考核", "kind": "annual", "year": 2026, "start_date": "2026-12-31",
        "end_date": "2026-01-01", "excellent_share": "0.2", "excellent_min": "90", "competent_min": "70",
        "basic_min": "60"})
    assert r.status_code == 200
    html = r.content.decode()
    assert "结束日期不能早于开始日期" in html and "period_dates_ordered" not in html
