"""Permission-matrix rows of the reserve pools (pages and API); see tests/test_permission_matrix.py.
The world gets one pool (``pool``, unit-less: everyone with ``view`` reads it; criteria: age at
most 60), its industry and category (``pool_industry``, ``pool_category``), a spare industry and
category (nothing uses them: deletable), and for each variant's unit
a nominated entry (``entry``, of the variant's cadre) and an admitted one (``admitted_entry``) and a
cadre to nominate (``pool_candidate``). Every write is org staff's (gate action ``reserve``:
``discipline`` kinds, 403 for everyone else before any lookup); the candidates are org staff's and
auditors' (``staff_list``); unit leaders read the entries of their units only (404 outside)."""
import datetime as dt

from promotion.models import EntryStatus, Industry, PoolCategory, PoolEntry, ReservePool

from . import Ok, exists, gone, now, pk

GLOBAL = ("pool", "pool_industry", "pool_category", "spare_industry", "spare_category")
POOL_NAME = "经济发展·乡科级后备"


def world(variant, o, by):
    from promotion.services import entries, pools
    from tests.factories import CadreFactory

    pool = ReservePool.objects.filter(name=POOL_NAME).first()
    if pool is None:
        pool = pools.pool_save(by=by, fields={"name": POOL_NAME, "industry": Industry.objects.get(name="经济发展"),
                                              "category": PoolCategory.objects.get(name="乡科级后备")},
                               criteria=[{"kind": "age", "params": {"max": 60}}])
    spare_industry = Industry.objects.get_or_create(name="新兴产业")[0]
    spare_category = PoolCategory.objects.get_or_create(name="专业技术后备")[0]
    born = dt.date(1990, 1, 1)
    nominated = CadreFactory(unit=o["unit"], name=f"提名{variant}", birth_date=born)
    admitted = CadreFactory(unit=o["unit"], name=f"入库{variant}", birth_date=born)
    [entry] = entries.entry_nominate(by=by, pool=pool, cadres=[nominated])
    [second] = entries.entry_nominate(by=by, pool=pool, cadres=[admitted])
    entries.entry_admit(by=by, entry=second)
    return {"pool": pool, "pool_industry": pool.industry, "pool_category": pool.category,
            "spare_industry": spare_industry, "spare_category": spare_category, "entry": entry,
            "admitted_entry": PoolEntry.objects.get(pk=second.pk),
            "pool_candidate": CadreFactory(unit=o["unit"], name=f"人选{variant}", birth_date=born)}


def _pool_form(**over):
    def data(o):
        return {"name": "政法·乡科级后备", "industry": Industry.objects.get(name="政法").pk,
                "category": o["pool_category"].pk, "order": 0, "is_active": "on", "weight_composite": 40,
                "weight_points": 30, "weight_awards": 10, "weight_frontline": 10, "weight_cards": 10,
                "composite_years": 3, "points_years": 3, "recency_percent": 50, "criteria-0-kind": "age",
                "criteria-0-age-max": "45", **over}
    return data


def _entry_of(kind, **values):
    return lambda o, r: PoolEntry.objects.filter(pk=o[kind].pk, **values).exists()


NEW_POOL = {"name": "政法·乡科级后备", "weight_composite": 40, "weight_points": 30, "weight_awards": 10,
            "weight_frontline": 10, "weight_cards": 10, "criteria": [{"kind": "age", "params": {"max": 45}}]}

PAGES = [
    ("promotion:pool_list", None, "get", "view"),
    ("promotion:pool_export", None, "get", "view"),
    ("promotion:pool_create", None, "get", "discipline"),
    ("promotion:pool_create", None, "post", "discipline", Ok(
        data=_pool_form(), effect=exists(ReservePool, name="政法·乡科级后备"))),
    ("promotion:pool_detail", "pool", "get", "view_obj"),
    ("promotion:pool_edit", "pool", "get", "discipline"),
    ("promotion:pool_edit", "pool", "post", "discipline", Ok(
        data=lambda o: _pool_form(name=POOL_NAME, weight_composite=50, weight_points=20,
                                  industry=o["pool_industry"].pk, category=o["pool_category"].pk)(o),
        effect=now("pool", weight_points=20))),
    ("promotion:pool_candidates", "pool", "get", "staff_list"),
    ("promotion:pool_candidates_export", "pool", "get", "staff_list"),
    ("promotion:pool_nominate", "pool", "post", "discipline", Ok(
        data=lambda o: {"cadres": [o["pool_candidate"].pk], "note": "实绩突出"},
        effect=exists(PoolEntry, cadre=pk("pool_candidate"), status=EntryStatus.NOMINATED))),
    ("promotion:entry_admit", "entry", "post", "discipline", Ok(
        data={"admit-reason": "同意入库"}, effect=_entry_of("entry", status=EntryStatus.ADMITTED))),
    ("promotion:entry_remove", "admitted_entry", "post", "discipline", Ok(
        data={"remove-reason": "调离"}, effect=_entry_of("admitted_entry", status=EntryStatus.REMOVED))),
    ("promotion:industry_list", None, "get", "view"),
    ("promotion:industry_create", None, "get", "discipline"),
    ("promotion:industry_create", None, "post", "discipline", Ok(
        data={"name": "文旅", "order": 9, "is_active": "on"}, effect=exists(Industry, name="文旅"))),
    ("promotion:industry_edit", "pool_industry", "get", "discipline"),
    ("promotion:industry_edit", "pool_industry", "post", "discipline", Ok(
        form=True, data={"description": "改"}, effect=now("pool_industry", description="改"))),
    ("promotion:industry_delete", "spare_industry", "post", "discipline", Ok(effect=gone("spare_industry"))),
    ("promotion:category_list", None, "get", "view"),
    ("promotion:category_create", None, "get", "discipline"),
    ("promotion:category_create", None, "post", "discipline", Ok(
        data={"name": "国企中层后备", "order": 9, "is_active": "on", "target_level": 2},
        effect=exists(PoolCategory, name="国企中层后备", target_level=2))),
    ("promotion:category_edit", "pool_category", "get", "discipline"),
    ("promotion:category_edit", "pool_category", "post", "discipline", Ok(
        form=True, data={"description": "改"}, effect=now("pool_category", description="改"))),
    ("promotion:category_delete", "spare_category", "post", "discipline", Ok(effect=gone("spare_category"))),
]

API = [
    ("industry-list", None, "get", "api_list"),
    ("industry-list", None, "post", "api_discipline", Ok(data={"name": "文旅"}, effect=exists(Industry, name="文旅"))),
    ("industry-detail", "pool_industry", "get", "api_ref"),
    ("industry-detail", "pool_industry", "patch", "api_discipline", Ok(
        data={"description": "改"}, effect=now("pool_industry", description="改"))),
    ("pool-category-list", None, "get", "api_list"),
    ("pool-category-list", None, "post", "api_discipline", Ok(
        data={"name": "国企中层后备"}, effect=exists(PoolCategory, name="国企中层后备"))),
    ("pool-category-detail", "pool_category", "get", "api_ref"),
    ("pool-category-detail", "pool_category", "patch", "api_discipline", Ok(
        data={"description": "改"}, effect=now("pool_category", description="改"))),
    ("pool-list", None, "get", "api_list"),
    ("pool-list", None, "post", "api_discipline", Ok(
        data=lambda o: {**NEW_POOL, "industry": Industry.objects.get(name="政法").pk,
                        "category": o["pool_category"].pk},
        effect=exists(ReservePool, name="政法·乡科级后备"))),
    ("pool-detail", "pool", "get", "api_ref"),
    ("pool-detail", "pool", "patch", "api_discipline", Ok(
        data={"weight_composite": 50, "weight_points": 20}, effect=now("pool", weight_points=20))),
    ("pool-candidates", "pool", "get", "api_staff_list"),
    ("pool-entry-list", None, "get", "api_list"),
    ("pool-entry-list", None, "post", "api_discipline", Ok(
        data=lambda o: {"pool": o["pool"].pk, "cadres": [o["pool_candidate"].pk]},
        effect=exists(PoolEntry, cadre=pk("pool_candidate"), status=EntryStatus.NOMINATED))),
    ("pool-entry-detail", "entry", "get", "api_obj"),
    ("pool-entry-admit", "entry", "post", "api_discipline", Ok(
        data={"reason": "同意"}, effect=_entry_of("entry", status=EntryStatus.ADMITTED))),
    ("pool-entry-remove", "admitted_entry", "post", "api_discipline", Ok(
        data={"reason": "调离"}, effect=_entry_of("admitted_entry", status=EntryStatus.REMOVED))),
]

OWN, OTHER = ("own", "unit"), ("other", "unit")
FILTERS = [
    ("promotion:pool_detail", "pool", "unit", OWN, OTHER),
    ("pool-entry-list", None, "unit", OWN, OTHER),
    ("pool-entry-list", None, "cadre", ("own", "cadre"), ("other", "cadre")),
]
