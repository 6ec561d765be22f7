"""``pool_save``: a pool's fields and its whole criteria list, all or nothing — weights each 0–100
summing to 100, years and decay in bounds, a criterion's impossible range, a kind twice — every
problem at once as one ValidationError keyed at the field or the criterion's row, and nothing
changed; the industry and category lists (names unique, deactivated instead of deleted when used)."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from promotion.models import Industry, PoolCategory, PoolCriterion, ReservePool
from promotion.services import pools as svc
from tests.conftest import make_people, make_tree, rolled_back


def _build():
    people = make_people(make_tree())
    org = people.org_staff
    pool = svc.pool_save(by=org, fields=fields(name="经济发展·乡科级后备"),
                         criteria=[{"kind": "age", "params": {"max": 45}}])
    return {"org": org.pk, "auditor": people.auditor.pk, "leader": people.leader.pk, "pool": pool.pk}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with rolled_back(django_db_blocker, _build) as w:
        yield w


@pytest.fixture
def w(world, db):
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.in_bulk([world["org"], world["auditor"], world["leader"]])
    return {**world, "org": users[world["org"]], "auditor": users[world["auditor"]],
            "leader": users[world["leader"]], "pool": ReservePool.objects.get(pk=world["pool"])}


def fields(**over):
    base = {"name": "党建党务·优秀年轻干部", "industry": Industry.objects.get(name="党建党务"),
            "category": PoolCategory.objects.get(name="优秀年轻干部"), "weight_composite": 40, "weight_points": 30,
            "weight_awards": 10, "weight_frontline": 10, "weight_cards": 10}
    return {**base, **over}


def snapshot():
    return (list(ReservePool.objects.order_by("pk").values()),
            list(PoolCriterion.objects.order_by("pk").values("pool_id", "kind", "params", "order")))


def refused(call) -> dict:
    before = snapshot()
    with pytest.raises(ValidationError) as e:
        call()
    assert snapshot() == before, "a refused save changed something"
    return e.value.message_dict


# --------------------------------------------------------------------------- weights
def test_weights_summing_to_100_are_saved(w):
    pool = svc.pool_save(by=w["org"], fields=fields(), criteria=[])
    assert pool.weights == {"composite": 40, "points": 30, "awards": 10, "frontline": 10, "cards": 10}


def test_weights_summing_to_99_are_refused_naming_the_sum(w):
    errors = refused(lambda: svc.pool_save(by=w["org"], fields=fields(weight_cards=9), criteria=[]))
    assert errors["weights"] == ["各项权重之和为 99，须为 100。"]


def test_weights_summing_to_101_are_refused_naming_the_sum(w):
    errors = refused(lambda: svc.pool_save(by=w["org"], pool=w["pool"], fields={"weight_cards": 11}, criteria=[]))
    assert errors["weights"] == ["各项权重之和为 101，须为 100。"]


def test_a_weight_above_100_or_below_0_is_refused_at_its_field(w):
    errors = refused(lambda: svc.pool_save(by=w["org"], fields=fields(weight_composite=140, weight_points=-40),
                                           criteria=[]))
    assert "0 到 100" in errors["weight_composite"][0] and "weight_points" in errors
    assert "weights" not in errors  # the sum is only checked once every weight is a percent


def test_years_and_decay_out_of_bounds_are_refused(w):
    errors = refused(lambda: svc.pool_save(by=w["org"], fields=fields(composite_years=0, points_years=11,
                                                                      recency_percent=0), criteria=[]))
    assert set(errors) >= {"composite_years", "points_years", "recency_percent"}
    assert "1 到 10" in errors["composite_years"][0]


# --------------------------------------------------------------------------- criteria
def test_an_impossible_age_range_is_refused_at_the_row(w):
    errors = refused(lambda: svc.pool_save(by=w["org"], pool=w["pool"], fields={}, criteria=[
        {"kind": "level", "params": {"min_level": 1}}, {"kind": "age", "params": {"min": 50, "max": 40}}]))
    keys = [k for k in errors if k.startswith("criteria-1")]
    assert keys and all("年龄" in m or "岁" in m for k in keys for m in errors[k]), errors


def test_a_kind_twice_is_refused(w):
    errors = refused(lambda: svc.pool_save(by=w["org"], pool=w["pool"], fields={}, criteria=[
        {"kind": "age", "params": {"max": 45}}, {"kind": "age", "params": {"max": 40}}]))
    assert errors["criteria-1-kind"] == ["“年龄”已在第 1 条设置，每类条件只能设置一条。"]


def test_a_parameter_out_of_its_bounds_is_keyed_at_the_row_and_parameter(w):
    errors = refused(lambda: svc.pool_save(by=w["org"], pool=w["pool"], fields={}, criteria=[
        {"kind": "age", "params": {"max": 45}}, {"kind": "points", "params": {"years": 3}},
        {"kind": "age", "params": {"max": 200}}]))
    assert "criteria-2-max" in errors and "criteria-1-min" in errors and "criteria-2-kind" in errors


def test_every_problem_at_once(w):
    errors = refused(lambda: svc.pool_save(by=w["org"], fields=fields(name="", weight_cards=0, points_years=0),
                                           criteria=[{"kind": "nonsense"}, {"kind": "age", "params": {"max": "x"}}]))
    assert {"name", "weights", "points_years", "criteria-0-kind", "criteria-1-max"} <= set(errors)


def test_the_criteria_list_is_replaced_whole_and_params_stored_clean(w):
    pool = svc.pool_save(by=w["org"], pool=w["pool"], fields={}, criteria=[
        {"kind": "points", "params": {"years": "3", "min": "20"}}, {"kind": "age", "params": {"max": 40}}])
    rows = list(pool.criteria.order_by("order").values_list("kind", "params"))
    assert rows == [("points", {"years": 3, "min": 20}), ("age", {"min": None, "max": 40})]


def test_a_duplicate_name_is_refused(w):
    errors = refused(lambda: svc.pool_save(by=w["org"], fields=fields(name=w["pool"].name), criteria=[]))
    assert "name" in errors


def test_an_inactive_industry_is_refused_for_a_new_pool(w):
    Industry.objects.filter(name="党建党务").update(is_active=False)
    errors = refused(lambda: svc.pool_save(by=w["org"], fields=fields(), criteria=[]))
    assert "已停用" in errors["industry"][0]


def test_only_org_staff_save_pools(w):
    for user in (w["auditor"], w["leader"]):
        with pytest.raises(PermissionDenied):
            svc.pool_save(by=user, fields=fields(), criteria=[])


# --------------------------------------------------------------------------- industries and categories
def test_industry_names_are_unique(w):
    with pytest.raises(ValidationError) as e:
        svc.industry_save(by=w["org"], name="政法")
    assert "name" in e.value.message_dict


def test_an_industry_in_use_is_deactivated_not_deleted(w):
    industry = w["pool"].industry
    assert svc.industry_delete(by=w["org"], industry=industry) is False
    assert Industry.objects.get(pk=industry.pk).is_active is False
    spare = svc.industry_save(by=w["org"], name="新兴产业")
    assert svc.industry_delete(by=w["org"], industry=spare) is True
    assert not Industry.objects.filter(pk=spare.pk).exists()


def test_a_category_in_use_is_deactivated_not_deleted(w):
    category = w["pool"].category
    assert svc.category_delete(by=w["org"], category=category) is False
    assert PoolCategory.objects.get(pk=category.pk).is_active is False
    spare = svc.category_save(by=w["org"], name="专业技术后备", target_level=2)
    assert svc.category_delete(by=w["org"], category=spare) is True
