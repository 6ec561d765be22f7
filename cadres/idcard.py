"""Citizen ID numbers (GB 11643-1999): 6-digit area code, 8-digit birth date, 3-digit sequence
(odd = male, even = female) and a check character from the ISO 7064 MOD 11-2 checksum."""
import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
_SHAPE = re.compile(r"^\d{17}[\dX]$")


def check_char(first17: str) -> str:
    return CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def normalize(value: str) -> str:
    return (value or "").strip().upper()


def birth_date_of(number: str) -> dt.date | None:
    try:
        return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def gender_of(number: str) -> str:
    """"M" for an odd sequence digit, "F" for an even one."""
    return "M" if int(number[16]) % 2 == 1 else "F"


def validate_id_number(value: str) -> str:
    """Return the normalised number, or raise ValidationError saying what is wrong."""
    number = normalize(value)
    if not _SHAPE.match(number):
        raise ValidationError(_("身份证号码应为18位：前17位为数字，最后一位为数字或X。"), code="id_shape")
    if birth_date_of(number) is None:
        raise ValidationError(_("身份证号码中的出生日期“%(d)s”不是有效日期。") % {"d": number[6:14]}, code="id_birth")
    expected = check_char(number[:17])
    if number[17] != expected:
        raise ValidationError(
            _("身份证号码校验位错误：最后一位应为“%(e)s”。") % {"e": expected}, code="id_check"
        )
    return number


def consistency_errors(number: str, birth_date: dt.date | None, gender: str | None) -> dict[str, str]:
    """Field errors where the ID number disagrees with the stated birth date or gender."""
    errors = {}
    born = birth_date_of(number)
    if birth_date and born and born != birth_date:
        errors["birth_date"] = _("出生日期与身份证号码不一致（身份证号码为%(d)s）。") % {"d": born.isoformat()}
    if gender in ("M", "F") and gender_of(number) != gender:
        errors["gender"] = _("性别与身份证号码不一致（第17位奇数为男、偶数为女）。")
    return errors


def make_id_number(area: str, birth: dt.date, sequence: int, gender: str) -> str:
    """Build a valid number (for demo data and tests): ``sequence`` 0..499 picks the 3-digit sequence."""
    seq = (sequence % 500) * 2 + (1 if gender == "M" else 0)
    if seq == 0:
        seq = 2
    first17 = f"{area}{birth:%Y%m%d}{seq:03d}"
    return first17 + check_char(first17)
