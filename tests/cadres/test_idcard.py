import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from cadres import idcard


def test_standard_example_is_valid_and_lowercase_x_is_normalised():
    assert idcard.validate_id_number("11010519491231002x") == "11010519491231002X"


@pytest.mark.parametrize("value,code", [
    ("1101051949123100", "id_shape"),
    ("11010519491331002X", "id_birth"),
    ("110105194912310021", "id_check"),
])
def test_invalid_numbers_say_what_is_wrong(value, code):
    with pytest.raises(ValidationError) as exc:
        idcard.validate_id_number(value)
    assert exc.value.code == code
    assert "身份证" in exc.value.messages[0]


def test_consistency_with_birth_date_and_gender():
    number = "11010519491231002X"  # 1949-12-31, sequence 002 → female
    assert idcard.consistency_errors(number, dt.date(1949, 12, 31), "F") == {}
    errors = idcard.consistency_errors(number, dt.date(1950, 1, 1), "M")
    assert set(errors) == {"birth_date", "gender"}


def test_make_id_number_round_trips():
    n = idcard.make_id_number("410402", dt.date(1985, 6, 15), 37, "M")
    assert idcard.validate_id_number(n) == n
    assert idcard.gender_of(n) == "M" and idcard.birth_date_of(n) == dt.date(1985, 6, 15)
