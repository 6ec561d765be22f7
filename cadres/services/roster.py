"""Writes to the roster. Every function is keyword-only, transactional, checks the permission gate
inside its transaction, and is audited. Pages, the API, imports and commands all call these."""
import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from pypinyin import Style, lazy_pinyin

from pingdingshan.core import permissions as gate
from pingdingshan.core.dates import in_force_q, today
from pingdingshan.core.services import assign, model_delete, model_save

from ..models import (
    Appointment,
    Cadre,
    CareerEntry,
    FamilyMember,
    Post,
    Rank,
    RankHistory,
    RankQuota,
    Tag,
    Training,
    Unit,
)
from ..selectors import rank_usage


# --------------------------------------------------------------------------- helpers
def name_initials(name: str) -> str:
    """Pinyin initials for search: 张三 → "zs"."""
    return "".join(p[:1] for p in lazy_pinyin(name or "", style=Style.FIRST_LETTER, errors="ignore")).lower()


def highest_education(fulltime: int, inservice: int) -> int:
    return max(fulltime or 0, inservice or 0)


def derive_cadre_fields(cadre: Cadre) -> None:
    cadre.name = (cadre.name or "").strip()
    cadre.name_initials = name_initials(cadre.name)
    cadre.highest_education = highest_education(cadre.fulltime_education, cadre.inservice_education)
    if cadre.id_number:
        cadre.id_number = cadre.id_number.strip().upper()


def _overlaps(start: dt.date, end: dt.date | None) -> Q:
    q = Q(end_date__isnull=True) | Q(end_date__gte=start)
    if end is not None:
        q &= Q(start_date__lte=end)
    return q


def _max_concurrent(intervals: list[tuple[dt.date, dt.date | None]], start: dt.date, end: dt.date | None) -> int:
    """The largest number of ``intervals`` in force on one day within [start, end]."""
    far = dt.date.max
    events = []
    for s, e in intervals:
        s, e = max(s, start), min(e or far, end or far)
        if s <= e:
            events.append((s, 1))
            events.append((e + dt.timedelta(days=1) if e < far else far, -1))
    events.sort(key=lambda x: (x[0], x[1]))
    best = cur = 0
    for _day, delta in events:
        cur += delta
        best = max(best, cur)
    return best


def refresh_current(cadre: Cadre, *, by) -> None:
    """Keep ``current_post`` / ``current_rank`` equal to the open appointment / rank record."""
    in_force = in_force_q()
    post_id = (
        cadre.appointments.filter(in_force)
        .order_by("-post__level", "-start_date").values_list("post_id", flat=True).first()
    )
    rank_id = (
        cadre.rank_history.filter(in_force)
        .order_by("rank__order").values_list("rank_id", flat=True).first()
    )
    if (cadre.current_post_id, cadre.current_rank_id) != (post_id, rank_id):
        cadre.current_post_id, cadre.current_rank_id = post_id, rank_id
        model_save(cadre, by=by, validate=False)


# --------------------------------------------------------------------------- units, posts, quotas
UNIT_FIELDS = {"code", "name", "short_name", "level", "kind", "establishment", "is_active"}


@transaction.atomic
def unit_create(*, by, parent: Unit | None, **data) -> Unit:
    gate.require(by, "change")
    if parent is not None:
        gate.ensure(by, "change", parent)
    elif not gate.allows(by, "create_top_unit"):
        raise gate.PermissionDenied(_("只有组织部可以创建顶级单位。"))
    unit = assign(Unit(), data, UNIT_FIELDS)
    unit.full_clean(exclude=["path", "depth", "numchild"])
    unit._history_user = by
    unit = Unit.objects.add_child(parent, instance=unit) if parent is not None else Unit.objects.add_root(instance=unit)
    return unit


@transaction.atomic
def unit_update(*, by, unit: Unit, **data) -> Unit:
    gate.ensure(by, "change", unit)
    assign(unit, data, UNIT_FIELDS)
    return model_save(unit, by=by)


@transaction.atomic
def unit_delete(*, by, unit: Unit) -> None:
    gate.ensure(by, "change", unit)
    if Unit.objects.get_children_count(unit):
        raise ValidationError(_("该单位下还有下级单位，不能删除。"))
    if unit.cadres.exists() or unit.posts.exists():
        raise ValidationError(_("该单位下还有干部或职务岗位，不能删除。"))
    model_delete(unit, by=by)


POST_FIELDS = {"unit", "name", "kind", "level", "quota", "is_chief", "order"}


@transaction.atomic
def post_save(*, by, post: Post | None = None, **data) -> Post:
    post = post or Post()
    gate.ensure(by, "change", post)
    assign(post, data, POST_FIELDS)
    gate.ensure_unit(by, post.unit, model=Post)
    if post.pk:
        in_post = post.appointments.filter(_overlaps(today(), None))
        held = in_post.count()
        if post.quota is not None and held > post.quota:
            raise ValidationError({"quota": _("该岗位现有在任%(n)d人，职数不能少于在任人数。") % {"n": held}})
    return model_save(post, by=by)


@transaction.atomic
def post_delete(*, by, post: Post) -> None:
    gate.ensure(by, "change", post)
    if post.appointments.exists():
        raise ValidationError(_("该岗位已有任职记录，不能删除；可将职数调整或停用。"))
    model_delete(post, by=by)


@transaction.atomic
def rank_quota_set(*, by, unit: Unit, rank: Rank, quota: int) -> RankQuota:
    gate.ensure_unit(by, unit, model=RankQuota)
    obj = RankQuota.objects.filter(unit=unit, rank=rank).first() or RankQuota(unit=unit, rank=rank)
    obj.quota = quota
    held = rank_usage(unit=unit).get(rank.pk, 0)
    if quota < held:
        raise ValidationError({"quota": _("该单位现有%(rank)s%(n)d人，职数不能少于现有人数。") % {"rank": rank.name, "n": held}})
    return model_save(obj, by=by)


# --------------------------------------------------------------------------- cadres
CADRE_FIELDS = {
    "name", "gender", "ethnicity", "birth_date", "native_place", "id_number", "political_status",
    "party_join_date", "work_start_date", "fulltime_education", "fulltime_degree", "fulltime_school",
    "fulltime_major", "inservice_education", "inservice_degree", "inservice_school", "inservice_major",
    "phone", "status", "photo", "unit",
    # the 任免审批表 (LRMX)
    "birth_place", "health", "professional_title", "expertise", "rewards_sanctions", "annual_assessment",
    "proposed_post", "proposed_removal", "appointment_reason", "reporting_unit", "age_reference_date", "form_date",
    "form_filler",
}
MAX_FAMILY = 10  # the 任免审批表 lists up to 10 家庭成员及重要社会关系


@transaction.atomic
def cadre_create(*, by, tags: list[Tag] | None = None, **data) -> Cadre:
    gate.require(by, "change")
    cadre = assign(Cadre(), data, CADRE_FIELDS)
    gate.ensure_unit(by, getattr(cadre, "unit", None) if cadre.unit_id else None, model=Cadre)
    derive_cadre_fields(cadre)
    model_save(cadre, by=by)
    if tags is not None:
        cadre.tags.set(tags)
    return cadre


@transaction.atomic
def cadre_update(*, by, cadre: Cadre, tags: list[Tag] | None = None, **data) -> Cadre:
    gate.ensure(by, "change", cadre)
    cadre = Cadre.objects.select_for_update().get(pk=cadre.pk)
    moving = "unit" in data and data["unit"] is not None and data["unit"].pk != cadre.unit_id
    assign(cadre, data, CADRE_FIELDS)
    if moving:
        gate.ensure_unit(by, cadre.unit, model=Cadre, action="move_cadre")
    elif "unit" in data:
        gate.ensure_unit(by, cadre.unit, model=Cadre)
    derive_cadre_fields(cadre)
    model_save(cadre, by=by)
    if tags is not None:
        cadre._history_user = by
        cadre.tags.set(tags)
    return cadre


@transaction.atomic
def cadre_delete(*, by, cadre: Cadre) -> None:
    gate.ensure(by, "change", cadre)
    if not gate.allows(by, "delete_cadre", cadre):
        raise gate.PermissionDenied(_("只有组织部可以删除干部档案；单位领导可将状态改为调离、退休等。"))
    if cadre.performance_records.exists():
        raise ValidationError(_("该干部已有实绩记录，档案不能删除；可将状态改为调离、退休等。"))
    try:
        model_delete(cadre, by=by)
    except ValidationError as e:  # e.g. assessment results (考核结果) keep the cadre
        raise ValidationError(_("%(why)s 可将状态改为调离、退休等。") % {"why": " ".join(e.messages)}) from None


# --------------------------------------------------------------------------- appointments
@transaction.atomic
def appointment_create(*, by, cadre: Cadre, post: Post, start_date: dt.date, end_date: dt.date | None = None,
                       document_no: str = "", note: str = "") -> Appointment:
    """Appoint ``cadre`` to ``post``. The one place that enforces post quotas (职数) and that a
    chief post is never held by two people at once."""
    gate.ensure(by, "change", cadre)
    post = Post.objects.select_for_update().select_related("unit").get(pk=post.pk)
    gate.ensure_unit(by, post.unit, model=Appointment, field="post")
    appointment = Appointment(cadre=cadre, post=post, start_date=start_date, end_date=end_date,
                              document_no=document_no, note=note)
    appointment.full_clean()
    check_post_capacity(appointment)
    model_save(appointment, by=by, validate=False)
    refresh_current(cadre, by=by)
    return appointment


@transaction.atomic
def appointment_update(*, by, appointment: Appointment, **data) -> Appointment:
    gate.ensure(by, "change", appointment)
    appointment = Appointment.objects.select_related("post__unit", "cadre").get(pk=appointment.pk)
    Post.objects.select_for_update().filter(pk=appointment.post_id).first()
    assign(appointment, data, {"start_date", "end_date", "document_no", "note"})
    appointment.full_clean()
    check_post_capacity(appointment)
    model_save(appointment, by=by, validate=False)
    refresh_current(appointment.cadre, by=by)
    return appointment


def appointment_end(*, by, appointment: Appointment, end_date: dt.date) -> Appointment:
    return appointment_update(by=by, appointment=appointment, end_date=end_date)


@transaction.atomic
def appointment_delete(*, by, appointment: Appointment) -> None:
    gate.ensure(by, "change", appointment)
    cadre = appointment.cadre
    model_delete(appointment, by=by)
    refresh_current(cadre, by=by)


def check_post_capacity(appointment: Appointment) -> None:
    post = appointment.post
    others = (
        Appointment.objects.filter(post=post)
        .filter(_overlaps(appointment.start_date, appointment.end_date))
        .exclude(pk=appointment.pk)
        .select_related("cadre")
    )
    others = list(others)
    same = [a for a in others if a.cadre_id == appointment.cadre_id]
    if same:
        raise ValidationError({"start_date": _("该干部在此期间已担任该职务（%(s)s 起），任职时间不能重叠。")
                               % {"s": same[0].start_date.isoformat()}})
    if post.is_chief and others:
        a = others[0]
        raise ValidationError({"post": _("“%(post)s”是正职岗位，%(name)s 自 %(s)s 起在任%(e)s，任职时间不能重叠。") % {
            "post": post.name, "name": a.cadre.name, "s": a.start_date.isoformat(),
            "e": _("至 %s") % a.end_date.isoformat() if a.end_date else "",
        }})
    busiest = _max_concurrent([(a.start_date, a.end_date) for a in others], appointment.start_date, appointment.end_date)
    if busiest + 1 > post.quota:
        raise ValidationError({"post": _("超出职数：“%(post)s”职数为%(quota)d，该期间已有%(n)d人在任。") % {
            "post": post.name, "quota": post.quota, "n": busiest}})


# --------------------------------------------------------------------------- ranks
@transaction.atomic
def rank_assign(*, by, cadre: Cadre, rank: Rank, start_date: dt.date, document_no: str = "") -> RankHistory:
    """Give ``cadre`` ``rank`` from ``start_date``: closes the open rank record and checks the unit's
    rank quota (职级职数) when one is set."""
    gate.ensure(by, "change", cadre)
    cadre = Cadre.objects.select_for_update().select_related("unit").get(pk=cadre.pk)
    quota = RankQuota.objects.select_for_update().filter(unit=cadre.unit, rank=rank).first()
    if quota is not None:
        held = rank_usage(unit=cadre.unit, exclude=cadre).get(rank.pk, 0)
        if held + 1 > quota.quota:
            raise ValidationError({"rank": _("超出职级职数：%(unit)s的%(rank)s职数为%(q)d，现有%(n)d人。") % {
                "unit": cadre.unit.name, "rank": rank.name, "q": quota.quota, "n": held}})
    open_records = list(cadre.rank_history.filter(end_date__isnull=True))
    for rec in open_records:
        if rec.start_date >= start_date:
            raise ValidationError({"start_date": _("起始时间须晚于现任职级（%(r)s，%(s)s 起）。") % {
                "r": rec.rank.name, "s": rec.start_date.isoformat()}})
        rec.end_date = start_date - dt.timedelta(days=1)
        model_save(rec, by=by)
    record = model_save(RankHistory(cadre=cadre, rank=rank, start_date=start_date, document_no=document_no), by=by)
    refresh_current(cadre, by=by)
    return record


# --------------------------------------------------------------------------- career and training
CHILD_FIELDS = {
    CareerEntry: {"start_date", "end_date", "description"},
    FamilyMember: {"order", "relation", "name", "birth_date", "political_status", "work_unit_post"},
    Training: {"title", "organiser", "start_date", "end_date", "hours", "result"},
}


@transaction.atomic
def cadre_child_save(*, by, model, cadre: Cadre | None = None, instance=None, **data):
    """Create or edit a résumé line, a training record or a family member of a cadre in the user's
    scope."""
    if instance is None:
        gate.ensure(by, "change", cadre)
        if model is FamilyMember:
            Cadre.objects.select_for_update().filter(pk=cadre.pk).first()
            if cadre.family.count() >= MAX_FAMILY:
                raise ValidationError({"name": _("家庭成员最多%(n)d人（任免审批表的行数）。") % {"n": MAX_FAMILY}})
        instance = model(cadre=cadre)
    else:
        gate.ensure(by, "change", instance)
    assign(instance, data, CHILD_FIELDS[model])
    if getattr(instance, "end_date", None) and instance.end_date < instance.start_date:
        raise ValidationError({"end_date": _("终止时间不能早于起始时间。")})
    return model_save(instance, by=by)


@transaction.atomic
def cadre_child_delete(*, by, instance) -> None:
    gate.ensure(by, "change", instance)
    model_delete(instance, by=by)


__all__ = [
    "CADRE_FIELDS", "CHILD_FIELDS", "MAX_FAMILY", "POST_FIELDS", "UNIT_FIELDS",
    "appointment_create", "appointment_delete", "appointment_end", "appointment_update",
    "cadre_child_delete", "cadre_child_save", "cadre_create", "cadre_delete", "cadre_update",
    "highest_education", "name_initials", "post_delete", "post_save", "rank_assign", "rank_quota_set",
    "unit_create", "unit_delete", "unit_update",
]
