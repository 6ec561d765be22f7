"""Pools with their criteria and weights, industries and categories (issue 12).

INTERFACE (keyword-only, ``by=`` the acting user, gate action ``reserve``, atomic):

    pool_save(*, by, pool=None, fields: dict, criteria: list[dict]) -> ReservePool
        the pool's fields and its whole criteria list, all or nothing; every problem at once as
        one ValidationError {field: [messages]}: weights that do not sum to 100, a criterion's
        parameters (``eligibility.criteria_validate``), a kind twice.

Error keys: a pool field's name (``weight_points``, ``composite_years`` …), ``weights`` for the sum,
and ``criteria-<i>-<param>`` / ``criteria-<i>-kind`` / ``criteria-<i>`` (the row as a whole) for
the criterion at index ``i`` of the list (from 0: the prefix of the form's row), ``criteria`` for
the list as a whole. Parameters are stored as ``eligibility.criteria_clean`` makes them. The lists of
industries (行业) and categories (类别) are edited with ``industry_save`` / ``category_save``; one
used by a pool is deactivated instead of deleted (``industry_delete`` / ``category_delete``).
"""
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pingdingshan.core import permissions as gate
from pingdingshan.core.services import model_delete, model_save

from ..models import CriterionKind, Industry, PoolCategory, PoolCriterion, ReservePool
from ..models.reserve import COMPONENTS

POOL_FIELDS = {"name", "industry", "category", "description", "is_active", "order", "composite_years",
               "points_years", "recency_percent", *(f"weight_{c}" for c in COMPONENTS)}
WEIGHT_FIELDS = tuple(f"weight_{c}" for c in COMPONENTS)
WEIGHT_TOTAL = 100
BOUNDS = {"composite_years": (1, 10), "points_years": (1, 10), "recency_percent": (1, 100)}
LIST_FIELDS = {"name", "description", "is_active", "order"}


def _int(value):
    """An integer from a form or JSON value (bool and fractions are not), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def _label(field: str) -> str:
    return str(ReservePool._meta.get_field(field).verbose_name)


def weight_errors(values: dict) -> dict[str, list[str]]:
    """{field: [messages]} for the weights ``values`` ({``weight_<component>``: value}): each an
    integer from 0 to 100, and together 100 (key ``weights``, naming the sum)."""
    errors: dict[str, list[str]] = {}
    total, whole = 0, True
    for field in WEIGHT_FIELDS:
        n = _int(values.get(field))
        if n is None or not 0 <= n <= 100:
            errors.setdefault(field, []).append(_("“%(f)s”须为 0 到 100 的整数。") % {"f": _label(field)})
            whole = False
        else:
            total += n
    if whole and total != WEIGHT_TOTAL:
        errors["weights"] = [_("各项权重之和为 %(sum)s，须为 100。") % {"sum": total}]
    return errors


def criteria_problems(criteria) -> tuple[list[PoolCriterion], dict[str, list[str]]]:
    """Unsaved ``PoolCriterion`` rows from the plain list and every problem, keyed at the row."""
    from . import eligibility

    errors: dict[str, list[str]] = {}
    rows, seen = [], {}
    if not isinstance(criteria, list | tuple):
        return [], {"criteria": [_("入库条件须为列表。")]}
    for i, row in enumerate(criteria):
        key = f"criteria-{i}"
        if not isinstance(row, dict):
            errors.setdefault(key, []).append(_("第 %(n)s 条条件格式不正确。") % {"n": i + 1})
            continue
        kind, params = row.get("kind"), row.get("params") or {}
        if kind not in CriterionKind.values:
            errors.setdefault(f"{key}-kind", []).append(_("请选择有效的条件类型。"))
            continue
        if kind in seen:
            errors.setdefault(f"{key}-kind", []).append(
                _("“%(k)s”已在第 %(n)s 条设置，每类条件只能设置一条。") % {
                    "k": CriterionKind(kind).label, "n": seen[kind] + 1})
        else:
            seen[kind] = i
        if not isinstance(params, dict):
            errors.setdefault(f"{key}-params", []).append(_("条件参数格式不正确。"))
            continue
        clean, problems = eligibility.criteria_clean(kind, params)
        for param, messages in (problems or {}).items():
            at = key if param in (NON_FIELD_ERRORS, "kind") else f"{key}-{param}"
            errors.setdefault(at, []).extend(str(m) for m in messages)
        rows.append(PoolCriterion(kind=kind, params=clean, order=i))
    return rows, errors


def pool_problems(pool: ReservePool, criteria) -> tuple[list[PoolCriterion], dict[str, list[str]]]:
    """The criteria rows and every problem of ``pool`` (unsaved, its fields set) with them."""
    errors = weight_errors({f: getattr(pool, f) for f in WEIGHT_FIELDS})
    for field, (low, high) in BOUNDS.items():
        n = _int(getattr(pool, field))
        if n is None or not low <= n <= high:
            errors.setdefault(field, []).append(_("“%(f)s”须为 %(low)s 到 %(high)s 的整数。") % {
                "f": _label(field), "low": low, "high": high})
    for field, model in (("industry", Industry), ("category", PoolCategory)):
        value = getattr(pool, f"{field}_id")
        if value is None:
            continue
        obj = getattr(pool, field)
        old = ReservePool.objects.filter(pk=pool.pk).values_list(f"{field}_id", flat=True).first() if pool.pk else None
        if not obj.is_active and old != obj.pk:
            errors.setdefault(field, []).append(_("“%(n)s”已停用，请选择其他%(what)s。") % {
                "n": obj.name, "what": model._meta.verbose_name})
    if isinstance(pool.name, str):
        pool.name = pool.name.strip()
    if isinstance(pool.description, str):
        pool.description = pool.description.strip()
    rows, criteria_errors = criteria_problems(criteria)
    errors.update(criteria_errors)
    skip = {f for f in errors if f in POOL_FIELDS} | set(WEIGHT_FIELDS)
    try:
        pool.full_clean(exclude=skip - {"name", "industry", "category"}, validate_constraints=False)
    except ValidationError as e:
        for key, messages in e.message_dict.items():
            errors.setdefault(key, []).extend(m for m in messages if m not in errors.get(key, ()))
    return rows, errors


@transaction.atomic
def pool_save(*, by, pool: ReservePool | None = None, fields: dict, criteria: list[dict]) -> ReservePool:
    """Create or edit a pool with its whole criteria list (all or nothing). ``fields``: some of
    ``POOL_FIELDS`` (a new pool takes the model's defaults for the rest); ``criteria``:
    [{"kind": CriterionKind, "params": {...}}] in the order shown, replacing the pool's list."""
    gate.require(by, "reserve")
    unknown = set(fields) - POOL_FIELDS
    if unknown:
        raise TypeError(f"fields {sorted(unknown)!r} may not be set here")
    if pool is not None and pool.pk:
        gate.ensure(by, "view", pool)
        pool = ReservePool.objects.select_for_update().get(pk=pool.pk)
    else:
        pool = ReservePool(created_by=by)
    for key, value in fields.items():
        setattr(pool, key, value)
    rows, errors = pool_problems(pool, criteria)
    if errors:
        raise ValidationError(errors)
    for field in (*WEIGHT_FIELDS, *BOUNDS):
        setattr(pool, field, _int(getattr(pool, field)))
    model_save(pool, by=by)
    existing = {c.kind: c for c in PoolCriterion.objects.select_for_update().filter(pool=pool)}
    wanted = {r.kind for r in rows}
    for kind, old in existing.items():
        if kind not in wanted:
            model_delete(old, by=by)
    for row in rows:
        old = existing.get(row.kind)
        if old is not None:
            if old.params == row.params and old.order == row.order:
                continue
            old.params, old.order = row.params, row.order
            model_save(old, by=by, validate=False)
        else:
            row.pool = pool
            model_save(row, by=by, validate=False)
    return pool


def pool_criteria(pool: ReservePool) -> list[dict]:
    """The pool's criteria as the plain list ``pool_save`` takes (the form's and the API's initial)."""
    return [{"kind": c.kind, "params": dict(c.params or {})} for c in pool.criteria.all()]


# --------------------------------------------------------------------------- industries and categories
def _list_save(model, obj, by, data):
    gate.require(by, "reserve")
    related = {k: data.pop(k) for k in INDUSTRY_RELATED if k in data} if model is Industry else {}
    unknown = set(data) - LIST_FIELDS - ({"target_level"} if model is PoolCategory else set())
    if unknown:
        raise TypeError(f"fields {sorted(unknown)!r} may not be set here")
    if obj is not None and obj.pk:
        obj = model.objects.select_for_update().get(pk=obj.pk)
    else:
        obj = model()
    for key, value in data.items():
        setattr(obj, key, value.strip() if isinstance(value, str) else value)
    obj = model_save(obj, by=by)
    for key, values in related.items():
        if key == "units":  # a unit the user does not see is refused like one that does not exist
            for unit in values:
                gate.ensure(by, "view", unit)
        obj._history_user = by
        getattr(obj, key).set(list(values))
    return obj


INDUSTRY_RELATED = ("units", "task_categories")


@transaction.atomic
def industry_save(*, by, industry: Industry | None = None, **data) -> Industry:
    """Create or edit an industry (行业): name (unique), description, order, active, and (when given)
    ``units`` (the units whose posts, subtree included, belong to it) and ``task_categories`` (the
    中心工作 whose records count as experience in it); both recorded in the history."""
    return _list_save(Industry, industry, by, data)


@transaction.atomic
def category_save(*, by, category: PoolCategory | None = None, **data) -> PoolCategory:
    """Create or edit a category (类别): name (unique), target post level, description, order, active."""
    return _list_save(PoolCategory, category, by, data)


def _list_delete(model, obj, by) -> bool:
    gate.require(by, "reserve")
    obj = model.objects.select_for_update().get(pk=obj.pk)
    if obj.pools.exists():
        if obj.is_active:
            obj.is_active = False
            model_save(obj, by=by, validate=False)
        return False
    model_delete(obj, by=by)
    return True


@transaction.atomic
def industry_delete(*, by, industry: Industry) -> bool:
    """Delete an industry no pool uses (True); one in use is deactivated instead (False)."""
    return _list_delete(Industry, industry, by)


@transaction.atomic
def category_delete(*, by, category: PoolCategory) -> bool:
    """Delete a category no pool uses (True); one in use is deactivated instead (False)."""
    return _list_delete(PoolCategory, category, by)


__all__ = ["POOL_FIELDS", "WEIGHT_FIELDS", "category_delete", "category_save", "criteria_problems",
           "industry_delete", "industry_save", "pool_criteria", "pool_problems", "pool_save", "weight_errors"]
