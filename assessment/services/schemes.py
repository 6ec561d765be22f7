"""Writes of the tier and category lists and of indicator schemes.

A draft scheme is saved as a whole (its fields and its full list of indicators) so that the rule
"weights sum to 100" is checked on every save; a published scheme is frozen and changed only by
``scheme_new_version``. ``scheme_copy`` starts another year's scheme from one.
"""
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from pingdingshan.core import permissions as gate
from pingdingshan.core.services import model_delete, model_save

from .. import scoring
from ..models import Category, Indicator, IndicatorScheme, SchemeStatus, Tier, UnitCategory

WEIGHT_TOTAL = Decimal("100")
INDICATOR_FIELDS = ("order", "dimension", "name", "description", "weight", "method", "params", "is_veto",
                    "veto_threshold")


def _require(by):
    gate.require(by, "assess")


def plain_number(value: Decimal) -> str:
    """90 → "90", 92.50 → "92.5" (never "9E+1")."""
    return f"{value.normalize():f}"


# --------------------------------------------------------------------------- tiers and categories
@transaction.atomic
def tier_save(*, by, tier: Tier | None = None, **data) -> Tier:
    _require(by)
    tier = tier or Tier()
    for k, v in data.items():
        setattr(tier, k, v)
    return model_save(tier, by=by)


@transaction.atomic
def category_save(*, by, category: Category | None = None, **data) -> Category:
    _require(by)
    category = category or Category()
    for k, v in data.items():
        setattr(category, k, v)
    return model_save(category, by=by)


@transaction.atomic
def unit_category_set(*, by, unit, category: Category | None) -> UnitCategory | None:
    """Place ``unit`` (and the units below it without their own) in ``category``; None removes
    the explicit placement so the unit's kind decides again."""
    _require(by)
    current = UnitCategory.objects.filter(unit=unit).first()
    if category is None:
        if current is not None:
            model_delete(current, by=by)
        return None
    current = current or UnitCategory(unit=unit)
    current.category = category
    return model_save(current, by=by)


# --------------------------------------------------------------------------- schemes
def _refuse_frozen(scheme: IndicatorScheme):
    if scheme.is_frozen:
        raise ValidationError(_("指标体系“%(s)s”已发布，不能修改；如需调整请新建版本。") % {"s": scheme})


def _decimal(value, row_errors, label):
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        row_errors.append(_("%(f)s须为数字。") % {"f": label})
        return None


def _clean_indicators(rows: list[dict]) -> tuple[list[Indicator], list[str]]:
    """Indicator objects (not saved) from plain rows, and every problem found, per row."""
    out, errors = [], []
    names = {}
    vetoes = []
    for n, row in enumerate(rows, start=1):
        row_errors = []
        ind = Indicator(**{k: row[k] for k in INDICATOR_FIELDS if k in row and k not in ("weight", "veto_threshold")})
        ind.pk = row.get("id") or None
        ind.order = row.get("order", n)
        ind.weight = _decimal(row.get("weight", ""), row_errors, _("权重"))
        ind.veto_threshold = _decimal(row.get("veto_threshold", "60"), row_errors, _("否决线"))
        method = scoring.get(ind.method or "")
        if method is None:
            row_errors.append(_("请选择有效的计分方式。"))
        else:
            ind.params, param_errors = method.clean_params(ind.params)
            row_errors.extend(param_errors)
        if not row_errors:
            try:
                ind.full_clean(exclude=["scheme"], validate_unique=False, validate_constraints=False)
            except ValidationError as e:
                for field, msgs in e.message_dict.items():
                    label = Indicator._meta.get_field(field).verbose_name if field != "__all__" else ""
                    row_errors.extend(f"{label}：{m}" if label else m for m in msgs)
        name = (ind.name or "").strip()
        if name in names:
            row_errors.append(_("指标名称“%(name)s”与第%(other)d行重复。") % {"name": name, "other": names[name]})
        names.setdefault(name, n)
        if ind.is_veto:
            vetoes.append(n)
        for m in row_errors:
            errors.append(_("第%(n)d行：%(m)s") % {"n": n, "m": m})
        out.append(ind)
    if len(vetoes) > 1:
        errors.append(_("一票否决指标只能有一个（第%(rows)s行都设为了一票否决）。") % {
            "rows": "、".join(map(str, vetoes))})
    return out, errors


def weight_errors(indicators) -> list[str]:
    if not indicators:
        return [_("至少需要一个考核指标。")]
    total = sum((i.weight or Decimal("0")) for i in indicators)
    if total != WEIGHT_TOTAL:
        return [_("各指标权重之和须为100，现为%(total)s。") % {"total": plain_number(total)}]
    return []


@transaction.atomic
def scheme_create(*, by, tier: Tier, category: Category, year: int, name: str = "", note: str = "",
                  indicators: list[dict] | None = None) -> IndicatorScheme:
    """A new draft scheme for (tier, category, year). If that year already has one, make a new
    version of it instead (refused here with a clear message)."""
    _require(by)
    existing = IndicatorScheme.objects.filter(tier=tier, category=category, year=year).first()
    if existing is not None:
        raise ValidationError({"year": [_("%(year)s年“%(tier)s · %(cat)s”已有指标体系，请在其基础上新建版本。") % {
            "year": year, "tier": tier.name, "cat": category.name}]})
    scheme = IndicatorScheme(tier=tier, category=category, year=year, version=1, name=name, note=note)
    model_save(scheme, by=by)
    if indicators is not None:
        scheme_save(by=by, scheme=scheme, indicators=indicators)
    return scheme


@transaction.atomic
def scheme_save(*, by, scheme: IndicatorScheme, indicators: list[dict], **data) -> IndicatorScheme:
    """Save a draft scheme's fields and its whole list of indicators, all or nothing. Rows with an
    ``id`` update that indicator; indicators missing from the list are deleted."""
    _require(by)
    scheme = IndicatorScheme.objects.select_for_update().get(pk=scheme.pk)
    _refuse_frozen(scheme)
    for k in ("name", "note"):
        if k in data:
            setattr(scheme, k, data[k])
    objs, errors = _clean_indicators(indicators)
    errors.extend(weight_errors(objs))
    existing = {i.pk: i for i in scheme.indicators.all()}
    for obj in objs:
        if obj.pk and obj.pk not in existing:
            errors.append(_("指标（编号%(id)s）不属于该指标体系。") % {"id": obj.pk})
    if errors:
        raise ValidationError({"indicators": errors})
    model_save(scheme, by=by)
    kept = {o.pk for o in objs if o.pk}
    for pk, old in existing.items():
        if pk not in kept:
            model_delete(old, by=by)
    # Two passes so renamed indicators never collide on the (scheme, name) constraint midway.
    for obj in objs:
        if obj.pk:
            old = existing[obj.pk]
            if old.name != obj.name:
                old.name = f"~{old.pk}~{old.name}"[:60]
                model_save(old, by=by, validate=False)
    for obj in objs:
        obj.scheme = scheme
        model_save(obj, by=by, validate=False)
    return scheme


def scheme_problems(scheme: IndicatorScheme) -> list[str]:
    """What keeps a scheme from being published (empty when it may be)."""
    indicators = list(scheme.indicators.all())
    problems = weight_errors(indicators)
    for ind in indicators:
        method = scoring.get(ind.method)
        if method is None:
            problems.append(_("指标“%(n)s”的计分方式无效。") % {"n": ind.name})
    return problems


@transaction.atomic
def scheme_publish(*, by, scheme: IndicatorScheme) -> IndicatorScheme:
    _require(by)
    scheme = IndicatorScheme.objects.select_for_update().get(pk=scheme.pk)
    _refuse_frozen(scheme)
    problems = scheme_problems(scheme)
    if problems:
        raise ValidationError(problems)
    scheme.status = SchemeStatus.PUBLISHED
    scheme.published_at = timezone.now()
    scheme.published_by = by
    return model_save(scheme, by=by)


def _copy(*, by, source: IndicatorScheme, year: int, version: int, name: str) -> IndicatorScheme:
    scheme = IndicatorScheme(tier=source.tier, category=source.category, year=year, version=version, name=name,
                             note=source.note, based_on=source)
    model_save(scheme, by=by)
    for ind in source.indicators.all():
        copy = Indicator(scheme=scheme, **{f: getattr(ind, f) for f in INDICATOR_FIELDS})
        model_save(copy, by=by, validate=False)
    return scheme


@transaction.atomic
def scheme_new_version(*, by, scheme: IndicatorScheme) -> IndicatorScheme:
    """A draft copy of a scheme as the next version of its (tier, category, year)."""
    _require(by)
    last = IndicatorScheme.objects.filter(tier=scheme.tier, category=scheme.category, year=scheme.year
                                          ).aggregate(v=Max("version"))["v"] or 0
    drafts = IndicatorScheme.objects.filter(tier=scheme.tier, category=scheme.category, year=scheme.year,
                                            status=SchemeStatus.DRAFT)
    if drafts.exists():
        raise ValidationError(_("该层级和类别%(year)s年已有未发布的版本（v%(v)s），请先编辑或发布它。") % {
            "year": scheme.year, "v": drafts.first().version})
    return _copy(by=by, source=scheme, year=scheme.year, version=last + 1, name="")


@transaction.atomic
def scheme_copy(*, by, scheme: IndicatorScheme, year: int) -> IndicatorScheme:
    """Start ``year``'s scheme for the same tier and category from this one (a draft, version 1)."""
    _require(by)
    if IndicatorScheme.objects.filter(tier=scheme.tier, category=scheme.category, year=year).exists():
        raise ValidationError({"year": [_("%(year)s年“%(tier)s · %(cat)s”已有指标体系。") % {
            "year": year, "tier": scheme.tier.name, "cat": scheme.category.name}]})
    if not 2000 <= int(year) <= 2100:
        raise ValidationError({"year": [_("请输入有效的年度。")]})
    return _copy(by=by, source=scheme, year=year, version=1, name="")


@transaction.atomic
def scheme_delete(*, by, scheme: IndicatorScheme) -> None:
    _require(by)
    _refuse_frozen(scheme)
    if scheme.periods.exists():
        raise ValidationError(_("指标体系已被考核周期使用，不能删除。"))
    for ind in scheme.indicators.all():
        model_delete(ind, by=by)
    model_delete(scheme, by=by)
