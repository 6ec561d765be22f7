"""The statutory retirement age (法定退休年龄) of a cadre: the one rule the vacancy list (a post whose
holder retires within N months), its API and the benchmark ask; ``retirement_many`` is the rule,
set-based (numpy over any number of cadres), ``retirement`` the same for one cadre with its Chinese
explanation.

THE RULE (全国人民代表大会常务委员会关于实施渐进式延迟法定退休年龄的决定, 2024-09-13, in force from
2025-01-01, and its 办法; the ages before it: 男 60, 女干部 55, 县处级女干部 60 —
中组部、人社部 2015 年关于县处级女干部退休年龄的通知):

1. 男: 60 岁 for those born before January 1965. From January 1965 the age rises by one month for
   every four months of birth (born January–April 1965: 60 岁 1 个月; May–August 1965: 60 岁 2 个月 …),
   up to 63 岁 (born September 1976 or later).
2. 女, at section level (乡科级) or without a level: 55 岁 (原法定退休年龄为五十五周岁的女职工, which
   women cadres are) for those born before January 1970; from January 1970 one month more for every
   four months of birth, up to 58 岁 (born September 1981 or later).
3. 女, at county level (县处级副职) or above: 60 岁. The 2015 notice lets them work to 60; the reform's
   age for women cadres (at most 58 岁) never exceeds it, and no source found says the reform raises
   60 itself (RETIREMENT_COUNTY_WOMEN_AGE, to change if it does).
   The level is the higher of the level of the post the cadre holds (the vacancy's post), the
   cadre's current post and the equivalent level of the current rank (as the pool eligibility's
   rule 2 reads it).
4. The day: the cadre reaches the age on the same day of the month as the birth, that many years and
   months after it; a day the month lacks (born on 31 August, 29 February) is the first day of the
   next month (as ``cadres.models.on_birthday``: a year older on 1 March). The place frees that day.
   Flexible retirement (弹性退休: up to three years earlier or later by agreement) is a person's
   choice, not the statutory age: not modelled.

Cross-checked against the official examples (男 1965 年 1 月出生 → 2025 年 2 月; 1966 年 1 月 → 2026 年
5 月; 1975 年 6 月 → 2038 年 2 月; 女干部 1970 年 6 月 → 2025 年 8 月; 1971 年 6 月 → 2026 年 11 月):
tests/promotion/test_vacancies.py.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.db.models import F, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils.translation import gettext as _

from cadres.models import Gender, PostLevel

# (base age in months, first birth month of the reform as year * 12 + month - 1, months of birth per
# month of delay, most months of delay)
MEN = (60 * 12, 1965 * 12 + 0, 4, 36)
WOMEN_CADRES = (55 * 12, 1970 * 12 + 0, 4, 36)
RETIREMENT_COUNTY_WOMEN_AGE = 60
COUNTY_LEVEL = PostLevel.COUNTY_DEPUTY  # 县处级副职 and above: rule 3
GROUP_MEN, GROUP_WOMEN, GROUP_WOMEN_COUNTY = 0, 1, 2


def held_level():
    """Rule 3's level for an Appointment row, in SQL: the higher of the post's level, the cadre's
    current post's level and the current rank's equivalent level (the vacancy list and the team
    analysis annotate it)."""
    return Greatest(F("post__level"), Coalesce(F("cadre__current_post__level"), Value(0)),
                    Coalesce(F("cadre__current_rank__equivalent_level"), Value(0)))


@dataclass(frozen=True)
class Retirement:
    age_months: int  # the statutory age, in months
    on: dt.date  # the day the cadre reaches it
    group: int  # which rule: GROUP_MEN, GROUP_WOMEN, GROUP_WOMEN_COUNTY
    delay_months: int  # months added by the reform

    @property
    def age_text(self) -> str:
        return age_text(self.age_months)

    @property
    def sentence(self) -> str:
        return retirement_sentence(self)


def age_text(months: int) -> str:
    years, rest = divmod(int(months), 12)
    if rest:
        return _("%(y)d岁%(m)d个月") % {"y": years, "m": rest}
    return _("%(y)d岁") % {"y": years}


def _delay(ym: np.ndarray, rule) -> np.ndarray:
    _base, start, step, cap = rule
    delay = np.minimum((ym - start) // step + 1, cap)
    return np.where(ym < start, 0, delay)


def retirement_many(births, genders, levels) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The rule for many cadres at once: ``births`` (dates or datetime64[D]), ``genders`` ("M"/"F"),
    ``levels`` (PostLevel numbers, 0 or None for none) → (age in months, the day it is reached as
    datetime64[D], the group of the rule, the reform's months of delay), each an array aligned with
    the input. No Python loop over the cadres."""
    births = np.asarray(births, dtype="datetime64[D]")
    genders = np.asarray(genders, dtype=object)
    levels = np.asarray([lv or 0 for lv in levels] if not isinstance(levels, np.ndarray) else levels)
    levels = np.nan_to_num(levels.astype(float), nan=0).astype(np.int64)
    months_of = births.astype("datetime64[M]")
    ym = months_of.astype(np.int64) + 1970 * 12  # year * 12 + month - 1
    day = (births - months_of.astype("datetime64[D]")).astype(np.int64) + 1
    male = genders == Gender.MALE
    county = (levels >= COUNTY_LEVEL) & ~male
    men_delay, women_delay = _delay(ym, MEN), _delay(ym, WOMEN_CADRES)
    delay = np.where(male, men_delay, np.where(county, 0, women_delay))
    base = np.where(male, MEN[0], np.where(county, RETIREMENT_COUNTY_WOMEN_AGE * 12, WOMEN_CADRES[0]))
    age = base + delay
    target = months_of + age.astype("timedelta64[M]")  # the month the age is reached
    first = target.astype("datetime64[D]")
    length = ((target + 1).astype("datetime64[D]") - first).astype(np.int64)
    on = np.where(day <= length, first + (day - 1).astype("timedelta64[D]"),
                  (target + 1).astype("datetime64[D]"))
    group = np.where(male, GROUP_MEN, np.where(county, GROUP_WOMEN_COUNTY, GROUP_WOMEN))
    return age, on, group, delay


def retirement(birth: dt.date, gender: str, level: int | None) -> Retirement:
    """The rule for one cadre (``retirement_many`` on one row)."""
    age, on, group, delay = retirement_many([birth], [gender], [level or 0])
    return Retirement(int(age[0]), on[0].astype(dt.date), int(group[0]), int(delay[0]))


def retirement_sentence(r: Retirement) -> str:
    """The rule in words for one cadre: which age, why, and the day."""
    words = {"age": age_text(r.age_months), "day": r.on.isoformat(), "d": r.delay_months}
    if r.group == GROUP_MEN:
        why = _("男干部原法定退休年龄60岁，按渐进式延迟法定退休年龄的规定，1965年1月起出生的每4个月延迟1个月，最高63岁")
    elif r.group == GROUP_WOMEN:
        why = _("女干部原法定退休年龄55岁，按渐进式延迟法定退休年龄的规定，1970年1月起出生的每4个月延迟1个月，最高58岁")
    else:
        why = _("县处级及以上女干部退休年龄为60岁，高于女干部延迟后的法定退休年龄，不再延迟")
    if r.delay_months:
        return _("法定退休年龄%(age)s（%(why)s，延迟%(d)d个月），%(day)s到龄。") % {**words, "why": why}
    return _("法定退休年龄%(age)s（%(why)s），%(day)s到龄。") % {**words, "why": why}


__all__ = ["Retirement", "age_text", "retirement", "retirement_many", "retirement_sentence"]
