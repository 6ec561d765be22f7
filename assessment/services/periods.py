"""Writes of assessment periods: set-up (schemes in force, rater groups and their weights per
tier), enrolment of the cadres, opening for scoring, score entry, grade overrides and
publication. Once published a period and everything in it is frozen.
"""
from collections import defaultdict
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadres.models import Cadre, CadreStatus
from pingdingshan.core import permissions as gate
from pingdingshan.core.audit import bulk_create_audited, bulk_update_audited
from pingdingshan.core.fields import parse_id
from pingdingshan.core.services import model_delete, model_save

from .. import scoring
from ..models import (
    AssessmentPeriod,
    AssessmentResult,
    Grade,
    Indicator,
    IndicatorScheme,
    PeriodKind,
    PeriodStatus,
    RaterGroup,
    RaterWeight,
    SchemeStatus,
    Score,
)
from .classify import SkipReason, classify_cadres
from .schemes import plain_number

PERIOD_FIELDS = ("name", "kind", "year", "task_name", "start_date", "end_date", "previous", "excellent_share",
                 "excellent_min", "competent_min", "basic_min")
# Fields that change grades but not scores: editable until publication (results become stale).
GRADING_FIELDS = ("excellent_share", "excellent_min", "competent_min", "basic_min")
HUNDRED = Decimal("100")


P = PeriodStatus
# The period's workflow, read by the services (which refuse what it does not allow) and by
# ``period_allowed_actions`` (the period page's buttons). Every row: (states it may start from,
# state it leads to or None when the status stays, the gate action it needs, what it does).
PERIOD_TRANSITIONS = {
    "open": ({P.DRAFT}, P.OPEN, "assess", gettext_lazy("开始评分")),
    "publish": ({P.OPEN}, P.PUBLISHED, "assess", gettext_lazy("发布")),
    "edit": ({P.DRAFT, P.OPEN}, None, "assess", gettext_lazy("编辑")),
    "schemes": ({P.DRAFT}, None, "assess", gettext_lazy("更改适用的指标体系")),
    "rater_groups": ({P.DRAFT}, None, "assess", gettext_lazy("更改评价主体")),
    "enrol": ({P.DRAFT, P.OPEN}, None, "assess", gettext_lazy("确定考核对象")),
    "enter_scores": ({P.OPEN}, None, "assess", gettext_lazy("录入评分")),
    "compute": ({P.OPEN}, None, "assess", gettext_lazy("计算综合得分")),
    "remove": ({P.DRAFT, P.OPEN}, None, "assess", gettext_lazy("移出")),
    "override": ({P.DRAFT, P.OPEN}, None, "assess", gettext_lazy("调整等次")),
    "scores": ({P.OPEN, P.PUBLISHED}, None, "view", gettext_lazy("查看评分")),
    "results": ({P.OPEN, P.PUBLISHED}, None, "view", gettext_lazy("考核结果")),
}


def period_allowed_actions(period: AssessmentPeriod, user) -> frozenset[str]:
    """What ``user`` may do with ``period`` now (its state, the gate), from PERIOD_TRANSITIONS."""
    return frozenset(action for action, (sources, _target, gate_action, _label) in PERIOD_TRANSITIONS.items()
                     if period.status in sources and gate.can(user, gate_action))


def require_action(period, action: str):
    """Refuse an ``action`` the table does not allow from the period's state (the period's other
    services, e.g. ``compute.period_compute``, ask the same table; so do the page and the API
    before they hand the computation to a background job, to answer at once)."""
    sources, _target, _gate_action, label = PERIOD_TRANSITIONS[action]
    require_status(period, *sources, doing=label)


def _move(period, action: str):
    """The state the table's ``action`` leads to."""
    period.status = PERIOD_TRANSITIONS[action][1]


def require_assess(by):
    """Every write of a period needs the gate's ``assess`` (org staff)."""
    gate.require(by, "assess")


def lock_period(period: AssessmentPeriod) -> AssessmentPeriod:
    """The period read again under a row lock (inside the caller's transaction)."""
    return AssessmentPeriod.objects.select_for_update().get(pk=period.pk)


def _refuse_published(period):
    if period.status == PeriodStatus.PUBLISHED:
        raise ValidationError(_("考核周期“%(p)s”已发布，结果已锁定，不能再修改。") % {"p": period.name})


def require_status(period, *statuses, doing):
    """Refuse, in Chinese, ``doing`` something to a period in none of ``statuses``."""
    if period.status not in statuses:
        raise ValidationError(_("考核周期当前状态为“%(s)s”，不能%(doing)s。") % {
            "s": period.get_status_display(), "doing": doing})


def _mark_stale(period):
    period.scores_changed_at = timezone.now()


# --------------------------------------------------------------------------- set-up
def _period_errors(period: AssessmentPeriod) -> dict:
    errors = {}
    if period.kind == PeriodKind.SPECIAL and not (period.task_name or "").strip():
        errors["task_name"] = [_("专项考核须填写专项任务名称。")]
    lo, mid, hi = period.basic_min, period.competent_min, period.excellent_min
    if None not in (lo, mid, hi) and not lo < mid < hi:
        errors["competent_min"] = [_("分数线须满足：基本称职 < 称职 < 优秀。")]
    if period.previous_id and period.pk and period.previous_id == period.pk:
        errors["previous"] = [_("不能以本周期作为对比的上一周期。")]
    return errors


def default_previous(period: AssessmentPeriod):
    """The latest published period of the same kind that ended before this one started."""
    return (AssessmentPeriod.objects.filter(kind=period.kind, status=PeriodStatus.PUBLISHED,
                                            end_date__lt=period.start_date)
            .exclude(pk=period.pk).order_by("-end_date").first())


@transaction.atomic
def period_save(*, by, period: AssessmentPeriod | None = None, **data) -> AssessmentPeriod:
    """Create a period or change its fields. Dates and kind change only while it is being prepared;
    thresholds and the 优秀 share until it is published (the results then need recomputing)."""
    require_assess(by)
    creating = period is None or period.pk is None
    period = AssessmentPeriod() if creating else lock_period(period)
    _refuse_published(period)
    unknown = set(data) - set(PERIOD_FIELDS)
    if unknown:
        raise TypeError(f"fields {unknown!r} may not be set here")
    if not creating and period.status != PeriodStatus.DRAFT:
        locked = [f for f in data if f not in GRADING_FIELDS and f != "name" and getattr(period, f) != data[f]]
        if locked:
            raise ValidationError({locked[0]: [_("考核周期已开始评分，只能修改名称、分数线和优秀比例。")]})
    changed_grading = any(f in data and getattr(period, f) != data[f] for f in GRADING_FIELDS)
    for k, v in data.items():
        setattr(period, k, v)
    errors = _period_errors(period)
    try:
        period.full_clean(exclude=list(errors))
    except ValidationError as e:
        for k, v in e.message_dict.items():
            errors.setdefault(k, []).extend(v)
    if errors:
        raise ValidationError(errors)
    if creating and period.previous_id is None:
        period.previous = default_previous(period)
    if changed_grading and not creating:
        _mark_stale(period)
    return model_save(period, by=by, validate=False)


@transaction.atomic
def period_set_schemes(*, by, period: AssessmentPeriod, schemes) -> AssessmentPeriod:
    """The schemes in force: published ones, at most one per (tier, category). Only while preparing."""
    require_assess(by)
    period = lock_period(period)
    require_action(period, "schemes")
    schemes = list(IndicatorScheme.objects.filter(pk__in=[s.pk for s in schemes]).select_related("tier", "category"))
    errors, seen = [], {}
    for s in schemes:
        if s.status != SchemeStatus.PUBLISHED:
            errors.append(_("指标体系“%(s)s”尚未发布。") % {"s": s})
        key = (s.tier_id, s.category_id)
        if key in seen:
            errors.append(_("“%(a)s”与“%(b)s”属于同一层级和类别，只能选一个。") % {"a": seen[key], "b": s})
        seen[key] = s
    if errors:
        raise ValidationError({"schemes": errors})
    period._history_user = by
    period.schemes.set(schemes)
    return period


@transaction.atomic
def rater_groups_save(*, by, period: AssessmentPeriod, groups: list[dict]) -> list[RaterGroup]:
    """Replace the period's rater groups: ``[{"id"?, "name", "order"?, "weights": {tier id: weight}}]``.
    For each tier of the schemes in force the weights must sum to 100. Only while preparing."""
    require_assess(by)
    period = lock_period(period)
    require_action(period, "rater_groups")
    tiers = {s.tier_id: s.tier for s in period.schemes.select_related("tier")}
    errors, names = [], set()
    totals = defaultdict(Decimal)
    clean = []
    for n, g in enumerate(groups, start=1):
        name = (g.get("name") or "").strip()
        if not name:
            errors.append(_("第%(n)d个评价主体：请填写名称。") % {"n": n})
        elif len(name) > 40:
            errors.append(_("第%(n)d个评价主体：名称不能超过40个字符。") % {"n": n})
        elif name in names:
            errors.append(_("评价主体“%(name)s”重复。") % {"name": name})
        names.add(name)
        weights = {}
        for key, raw in (g.get("weights") or {}).items():
            tier_id = parse_id(key)
            if tier_id is None:
                errors.append(_("“%(g)s”的权重：“%(key)s”不是考核层级的编号。") % {"g": name, "key": key})
                continue
            if tier_id not in tiers:
                continue
            try:
                w = Decimal(str(raw if raw not in (None, "") else "0"))
                if not w.is_finite():
                    raise ValueError(raw)
            except (InvalidOperation, ValueError):
                errors.append(_("“%(g)s”对“%(t)s”的权重须为数字。") % {"g": name, "t": tiers[tier_id]})
                continue
            if not Decimal("0") <= w <= HUNDRED:
                errors.append(_("“%(g)s”对“%(t)s”的权重须在0到100之间。") % {"g": name, "t": tiers[tier_id]})
                continue
            weights[tier_id] = w
            totals[tier_id] += w
        clean.append((g.get("id"), name, g.get("order", n), weights))
    if groups:
        for tier_id, tier in tiers.items():
            if totals[tier_id] != HUNDRED:
                errors.append(_("“%(t)s”的各评价主体权重之和须为100，现为%(total)s。") % {
                    "t": tier.name, "total": plain_number(totals[tier_id])})
    if errors:
        raise ValidationError({"rater_groups": errors})
    existing = {g.pk: g for g in period.rater_groups.all()}
    kept = {gid for gid, *_rest in clean if gid}
    for pk, g in existing.items():
        if pk not in kept:
            model_delete(g, by=by)
    out = []
    for gid, name, order, weights in clean:
        g = existing.get(gid) or RaterGroup(period=period)
        if g.pk:  # avoid a clash on (period, name) while names swap
            g.name = f"~{g.pk}"
            model_save(g, by=by, validate=False)
        out.append((g, name, order, weights))
    result = []
    for g, name, order, weights in out:
        g.name, g.order = name, order
        model_save(g, by=by, validate=False)
        current = {w.tier_id: w for w in g.weights.all()}
        for tier_id, w in weights.items():
            rw = current.pop(tier_id, None) or RaterWeight(rater_group=g, tier_id=tier_id)
            if rw.weight != w:
                rw.weight = w
                model_save(rw, by=by, validate=False)
        for rw in current.values():
            model_delete(rw, by=by)
        result.append(g)
    return result


def _scheme_map(period) -> dict:
    return {(s.tier_id, s.category_id): s.pk for s in period.schemes.all()}


@transaction.atomic
def period_enrol(*, by, period: AssessmentPeriod, cadres=None) -> dict:
    """Enrol the cadres (default: every active cadre) whose tier and category have a scheme in
    force. Already enrolled cadres keep their placement. Returns counts and, per reason (a
    ``SkipReason`` code, shown with ``skip_reason_text``), how many cadres were left out."""
    require_assess(by)
    period = lock_period(period)
    require_action(period, "enrol")
    schemes = _scheme_map(period)
    if not schemes:
        raise ValidationError(_("请先选择适用的指标体系。"))
    qs = cadres if cadres is not None else Cadre.objects.filter(status=CadreStatus.ACTIVE)
    qs = qs.exclude(pk__in=period.results.values("cadre_id"))
    placements = classify_cadres(qs)
    new, skipped = [], defaultdict(int)
    for cadre_id, p in placements.items():
        if p.reason:
            skipped[p.reason] += 1
            continue
        scheme = schemes.get((p.tier_id, p.category_id))
        if scheme is None:
            skipped[SkipReason.NO_SCHEME] += 1
            continue
        new.append(AssessmentResult(period=period, cadre_id=cadre_id, unit_id=p.unit_id, post_id=p.post_id,
                                    tier_id=p.tier_id, category_id=p.category_id, scheme_id=scheme))
    bulk_create_audited(AssessmentResult, new, by=by)
    if new:
        _mark_stale(period)
        model_save(period, by=by, validate=False)
    return {"added": len(new), "skipped": {str(k): n for k, n in skipped.items()}, "total": period.results.count()}


@transaction.atomic
def result_remove(*, by, result: AssessmentResult) -> None:
    """Take a cadre out of a period that is not published (with their scores)."""
    require_assess(by)
    period = lock_period(result.period)
    _refuse_published(period)
    scores = list(result.scores.all())
    for s in scores:
        model_delete(s, by=by)
    model_delete(result, by=by)
    _mark_stale(period)
    model_save(period, by=by, validate=False)


def period_problems(period: AssessmentPeriod) -> list[str]:
    """What keeps a period from opening for scoring (empty when it may open)."""
    problems = []
    schemes = list(period.schemes.select_related("tier"))
    if not schemes:
        problems.append(_("尚未选择适用的指标体系。"))
    if any(s.status != SchemeStatus.PUBLISHED for s in schemes):
        problems.append(_("适用的指标体系须均已发布。"))
    uses_raters = Indicator.objects.filter(scheme__in=schemes, method__in=[
        k for k, m in scoring.METHODS.items() if m.uses_raters]).exists()
    groups = list(period.rater_groups.prefetch_related("weights"))
    if uses_raters and not groups:
        problems.append(_("指标体系含评价主体打分的指标，请先设置评价主体及其权重。"))
    if groups:
        for s in {s.tier_id: s for s in schemes}.values():
            total = sum((w.weight for g in groups for w in g.weights.all() if w.tier_id == s.tier_id), Decimal("0"))
            if total != HUNDRED:
                problems.append(_("“%(t)s”的各评价主体权重之和须为100，现为%(total)s。") % {
                    "t": s.tier.name, "total": plain_number(total)})
    if not period.results.exists():
        problems.append(_("尚未确定考核对象。"))
    return problems


@transaction.atomic
def period_open(*, by, period: AssessmentPeriod) -> AssessmentPeriod:
    require_assess(by)
    period = lock_period(period)
    require_action(period, "open")
    problems = period_problems(period)
    if problems:
        raise ValidationError(problems)
    _move(period, "open")
    return model_save(period, by=by, validate=False)


# --------------------------------------------------------------------------- scores
def parse_score(raw):
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, None
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        return None, _("“%(v)s”不是有效的分数") % {"v": raw}
    if not value.is_finite() or not Decimal("0") <= value <= HUNDRED:
        return None, _("分数须在0到100之间（填写了%(v)s）") % {"v": raw}
    if value != value.quantize(Decimal("0.01")):
        return None, _("分数最多保留两位小数（填写了%(v)s）") % {"v": raw}
    return value, None


def rater_indicators(scheme_ids) -> dict[int, list[Indicator]]:
    """{scheme id: its indicators scored by rater groups, in order}."""
    keys = [k for k, m in scoring.METHODS.items() if m.uses_raters]
    out = defaultdict(list)
    for ind in Indicator.objects.filter(scheme_id__in=set(scheme_ids), method__in=keys).order_by("order", "id"):
        out[ind.scheme_id].append(ind)
    return out


def scores_check(*, period: AssessmentPeriod, rater_group: RaterGroup, entries) -> tuple[dict, dict]:
    """Validate ``entries`` [(result id, indicator id, score or None), ...] for one rater group.
    Returns ({(result id, indicator id): Decimal or None}, {result id: [errors]}); no writes.
    Rules: the cadre is enrolled in the period; the indicator is a rater-scored indicator of the
    cadre's scheme; 0 ≤ score ≤ 100 with at most two decimals; a cadre's scores from a group are
    either all given or all empty (every required indicator present)."""
    values, errors = {}, defaultdict(list)
    result_ids = {int(r) for r, _i, _s in entries}
    results = {r.pk: r for r in period.results.filter(pk__in=result_ids).select_related("cadre")}
    by_scheme = rater_indicators({r.scheme_id for r in results.values()})
    for rid, iid, raw in entries:
        rid, iid = int(rid), int(iid)
        result = results.get(rid)
        if result is None:
            errors[rid].append(_("该干部不在本考核周期的考核对象中"))
            continue
        allowed = {i.pk: i for i in by_scheme.get(result.scheme_id, ())}
        if iid not in allowed:
            errors[rid].append(_("指标（编号%(i)s）不是该干部适用的评价主体打分指标") % {"i": iid})
            continue
        value, err = parse_score(raw)
        if err:
            errors[rid].append(f"{allowed[iid].name}：{err}")
            continue
        values[(rid, iid)] = value
    # Completeness, against what is stored plus what is being saved.
    stored = defaultdict(dict)
    for rid, iid, score in Score.objects.filter(rater_group=rater_group, result_id__in=results).values_list(
            "result_id", "indicator_id", "score"):
        stored[rid][iid] = score
    for rid, result in results.items():
        if rid in errors:
            continue
        after = dict(stored[rid])
        for (r, i), v in values.items():
            if r == rid:
                after[i] = v
        given = [i for i in by_scheme.get(result.scheme_id, ()) if after.get(i.pk) is not None]
        missing = [i for i in by_scheme.get(result.scheme_id, ()) if after.get(i.pk) is None]
        if given and missing:
            errors[rid].append(_("缺少指标：%(names)s（同一评价主体须对全部指标评分，或全部留空）") % {
                "names": "、".join(i.name for i in missing)})
    return values, dict(errors)


@transaction.atomic
def scores_save(*, by, period: AssessmentPeriod, rater_group: RaterGroup, entries) -> dict:
    """Save one rater group's scores all or nothing (None clears a score). Audited."""
    require_assess(by)
    period = lock_period(period)
    require_action(period, "enter_scores")
    if rater_group.period_id != period.pk:
        raise ValidationError({"rater_group": [_("评价主体不属于该考核周期。")]})
    entries = list(entries)
    values, errors = scores_check(period=period, rater_group=rater_group, entries=entries)
    if errors:
        names = dict(period.results.filter(pk__in=errors).values_list("pk", "cadre__name"))
        raise ValidationError({"scores": [
            _("%(name)s：%(errors)s") % {"name": names.get(rid, rid), "errors": "；".join(errs)}
            for rid, errs in errors.items()]})
    existing = {(s.result_id, s.indicator_id): s for s in Score.objects.filter(
        rater_group=rater_group, result_id__in={r for r, _i in values})}
    create, update, delete = [], [], []
    for key, value in values.items():
        old = existing.get(key)
        if value is None:
            if old is not None:
                delete.append(old)
        elif old is None:
            create.append(Score(result_id=key[0], indicator_id=key[1], rater_group=rater_group, score=value))
        elif old.score != value:
            old.score = value
            update.append(old)
    bulk_create_audited(Score, create, by=by)
    if update:
        bulk_update_audited(Score, update, ["score"], by=by)
    for s in delete:
        model_delete(s, by=by)
    if create or update or delete:
        _mark_stale(period)
        model_save(period, by=by, validate=False)
    return {"created": len(create), "updated": len(update), "deleted": len(delete)}


# --------------------------------------------------------------------------- grades and publication
@transaction.atomic
def result_override(*, by, result: AssessmentResult, grade: str, reason: str) -> AssessmentResult:
    """Org staff set a result's grade by hand, with a reason (audited). An empty ``grade`` goes
    back to the computed one. A vetoed result stays 不称职; 优秀 stays within the group's cap."""
    require_assess(by)
    period = lock_period(result.period)
    _refuse_published(period)
    result = AssessmentResult.objects.select_for_update().get(pk=result.pk)
    reason = (reason or "").strip()
    errors = {}
    if result.computed_at is None:
        errors["grade"] = [_("请先计算综合得分，再调整等次。")]
    elif grade and grade not in Grade.values:
        errors["grade"] = [_("请选择有效的等次。")]
    elif result.vetoed and grade and grade != Grade.INCOMPETENT:
        errors["grade"] = [_("该干部政治担当被一票否决，等次只能为不称职。")]
    elif grade == Grade.EXCELLENT and (barred := _barred_reasons(period, [result.cadre_id]).get(result.cadre_id)):
        errors["grade"] = [_("该干部考核周期内不得评为优秀：%(reasons)s。") % {"reasons": "；".join(barred)}]
    elif grade == Grade.EXCELLENT and result.grade != Grade.EXCELLENT:
        from .grading import excellent_cap

        peers = period.results.filter(tier=result.tier_id, category=result.category_id, composite__isnull=False)
        cap = excellent_cap(peers.count(), period.excellent_share)
        if peers.filter(grade=Grade.EXCELLENT).count() + 1 > cap:
            errors["grade"] = [_("本组优秀名额为%(cap)d人，已用完；请先调整其他人的等次。") % {"cap": cap}]
    if not reason:
        errors["reason"] = [_("调整等次须填写理由。")]
    elif len(reason) > 300:
        errors["reason"] = [_("理由不能超过300个字符。")]
    if errors:
        raise ValidationError(errors)
    if grade:
        result.grade = grade
        result.override_reason = reason
        result.overridden_by = by
        result.overridden_at = timezone.now()
    else:
        result.grade = result.computed_grade
        result.override_reason = ""
        result.overridden_by = by
        result.overridden_at = timezone.now()
    return model_save(result, by=by, validate=False)


def _barred_reasons(period: AssessmentPeriod, cadres) -> dict[int, list[str]]:
    """{cadre id: sentences} of ``cadres`` barred from 优秀 during ``period`` (grading rule 4)."""
    from .standing import standing

    st = standing(cadres, during=(period.start_date, period.end_date))
    return {cid: s.reasons("excellent") for cid, s in st.items() if s.blocked("excellent")}


def publish_problems(period: AssessmentPeriod) -> list[str]:
    problems = []
    if period.results_stale:
        problems.append(_("评分或分数线在上次计算后有变化（或尚未计算），请先重新计算综合得分。"))
    # A card or sanction recorded since the computation may bar an 优秀 (grading rule 4).
    barred = _barred_reasons(period, period.results.filter(grade=Grade.EXCELLENT).values("cadre_id"))
    if barred:
        problems.append(_("有%(n)d名评为优秀的考核对象在考核周期内受红黄牌或处分影响，不得评为优秀：请重新计算综合得分"
                          "或调整其等次。") % {"n": len(barred)})
    ungraded = period.results.filter(grade="").count()
    if ungraded:
        problems.append(_("有%(n)d名考核对象没有等次（通常是没有任何评分）：请补录评分或将其移出考核对象。") % {
            "n": ungraded})
    return problems


@transaction.atomic
def period_publish(*, by, period: AssessmentPeriod, confirm: bool = False) -> AssessmentPeriod:
    """Confirm and publish: the results are frozen and become visible to unit leaders."""
    require_assess(by)
    period = lock_period(period)
    require_action(period, "publish")
    if not confirm:
        raise ValidationError({"confirm": [_("请确认结果无误后再发布：发布后结果锁定，不能再修改。")]})
    problems = publish_problems(period)
    if problems:
        raise ValidationError(problems)
    _move(period, "publish")
    period.published_at = timezone.now()
    period.published_by = by
    return model_save(period, by=by, validate=False)
