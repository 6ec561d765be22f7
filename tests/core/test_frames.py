"""Bulk reads into numpy: the binary COPY path gives the same integers as the rows, and any answer
that is not fixed-width integers takes the CSV path."""
import numpy as np
import pytest
from django.contrib.auth import get_user_model
from django.db.models import BigIntegerField, DecimalField, F, IntegerField, SmallIntegerField
from django.db.models.functions import Cast

from pingdingshan.core.frames import read_arrays

pytestmark = pytest.mark.django_db


def _users(n=4):
    User = get_user_model()
    for i in range(n):
        User.objects.create(username=f"frames{i}")
    return User.objects.filter(username__startswith="frames").order_by("id")


def test_integers_of_every_width_come_back_as_they_are():
    qs = _users()
    ids = list(qs.values_list("id", flat=True))
    out = read_arrays(qs.values_list("id", Cast(F("id") * -3, IntegerField()), Cast(F("id"), SmallIntegerField()),
                                     Cast(F("id") * 2**33, BigIntegerField())), ["id", "neg", "small", "big"])
    assert out["id"].tolist() == ids
    assert out["neg"].tolist() == [-3 * i for i in ids]
    assert out["small"].tolist() == ids
    assert out["big"].tolist() == [i * 2**33 for i in ids]
    assert out["id"].dtype == np.int64


def test_a_variable_width_field_takes_the_csv_path():
    qs = _users()
    out = read_arrays(qs.values_list("id", Cast(F("id"), DecimalField(max_digits=10, decimal_places=0))), ["id", "d"])
    assert out["d"].tolist() == out["id"].tolist() == list(qs.values_list("id", flat=True))


def test_no_rows_no_values():
    out = read_arrays(get_user_model().objects.none().values_list("id"), ["id"])
    assert out["id"].tolist() == []
    out = read_arrays(get_user_model().objects.filter(username="nobody").values_list("id"), ["id"])
    assert len(out["id"]) == 0
