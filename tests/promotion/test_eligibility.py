"""``eligibility``: which cadres meet a reserve pool's entry criteria and why
(promotion/services/eligibility.py, its rules 1–9), at the boundaries."""
import datetime as dt

import pytest

from promotion.models import CriterionKind, Industry, PoolCategory, PoolCriterion, ReservePool
from promotion.services.eligibility import eligibility

D = dt.date


def pool(*criteria, name="经济发展·乡科级后备"):
    p = ReservePool.objects.create(name=name, industry=Industry.objects.order_by("id").first(),
                                   category=PoolCategory.objects.order_by("id").first())
    for i, (kind, params) in enumerate(criteria):
        PoolCriterion.objects.create(pool=p, kind=kind, params=params, order=i)
    return p


def check(result, kind):
    return next(c for c in result.checks if c.kind == kind)


def test_age_is_a_year_more_on_the_birthday(cadre_a):
    cadre_a.birth_date = D(1981, 6, 15)
    cadre_a.save()
    p = pool((CriterionKind.AGE, {"max": 44}))
    before = eligibility(p, [cadre_a], on=D(2026, 6, 14))[cadre_a.pk]
    assert before.passed and check(before, "age").value == 44
    assert check(before, "age").sentence == "年龄 44 岁 ≤ 44 岁 ✔"
    on = eligibility(p, [cadre_a], on=D(2026, 6, 15))[cadre_a.pk]
    assert not on.passed and check(on, "age").sentence == "年龄 45 岁 > 44 岁 ✘"
