"""A cadre's tier and category follow from the current post and its unit."""
import datetime as dt

import pytest

from assessment import services as asvc
from assessment.models import Category, Tier
from assessment.services.classify import SkipReason, skip_reason_text
from cadres import services as csvc
from tests.factories import CadreFactory, PostFactory

pytestmark = pytest.mark.django_db


def appoint(by, unit, **post):
    c = CadreFactory(unit=unit)
    p = PostFactory(unit=unit, **{"quota": 5, **post})
    csvc.appointment_create(by=by, cadre=c, post=p, start_date=dt.date(2024, 1, 1))
    return c


def names(p):
    return (Tier.objects.get(pk=p.tier_id).name if p.tier_id else None,
            Category.objects.get(pk=p.category_id).name if p.category_id else None)


def test_township_posts_take_the_county_category(org_staff, tree):
    chief = appoint(org_staff, tree.town_a, name="镇长", is_chief=True, quota=1, kind="party_gov_chief")
    deputy = appoint(org_staff, tree.town_b, name="副镇长", kind="deputy")
    county = appoint(org_staff, tree.county_a, name="副县长", kind="deputy", level=3)
    out = asvc.classify_cadres([chief.pk, deputy.pk, county.pk])
    assert names(out[chief.pk]) == ("乡镇(街道)党政正职", "县(市、区)")
    assert names(out[deputy.pk]) == ("乡镇(街道)副职", "县(市、区)")
    assert names(out[county.pk]) == ("县(市、区)副职", "县(市、区)")


def test_middle_level_and_explicit_category(org_staff, tree):
    middle = appoint(org_staff, tree.dept, name="科长", kind="section_chief")
    deputy = appoint(org_staff, tree.dept, name="副部长", kind="deputy", level=3)
    assert names(asvc.classify_cadre(middle)) == ("中层干部", "党群部门")
    assert names(asvc.classify_cadre(deputy)) == ("市直单位副职", "党群部门")
    asvc.unit_category_set(by=org_staff, unit=tree.dept, category=Category.objects.get(name="政法部门"))
    assert names(asvc.classify_cadre(deputy)) == ("市直单位副职", "政法部门")
    asvc.unit_category_set(by=org_staff, unit=tree.dept, category=None)
    assert names(asvc.classify_cadre(deputy)) == ("市直单位副职", "党群部门")


def test_no_post_no_tier(tree):
    c = CadreFactory(unit=tree.town_a)
    p = asvc.classify_cadre(c)
    assert p.tier_id is None and p.reason == SkipReason.NO_POST == "no_post"
    assert skip_reason_text(p.reason) == "无现任职务"
