"""Writes of the care records (关心关爱) and their reminders.

Every kind (``KINDS``: talks, leave years, health check-ups, overtime, away-from-home support) is
created, edited and deleted through ``care_create`` / ``care_update`` / ``care_delete``: atomic,
audited, through the gate (``change`` on the cadre: unit leaders in their scope, org staff
everywhere; auditors read only). A check-up's ``details`` (personal health details) are written and
read only with the gate action ``care_health`` (``may_see_health``: the one decision pages, the API
and exports use). ``care_validate`` returns every problem at once, in Chinese, by field.

The reminders (``no_talk_reminder``, ``leave_reminder``, ``no_checkup_reminder``) say which active
cadres in the user's scope need attention, with a sentence saying why.
"""
import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from pingdingshan.core import permissions as gate
from pingdingshan.core.services import assign, model_delete, model_save

from ..models import AwaySupport, Cadre, CadreStatus, HealthCheck, LeaveYear, OvertimeRecord, Talk

HEALTH_ACTION = "care_health"

# kind → (model, the fields a user may set)
KINDS = {
    "talk": (Talk, {"held_on", "talked_by", "kind", "topics", "follow_up", "follow_up_done"}),
    "leave": (LeaveYear, {"year", "entitled_days", "taken_days"}),
    "health": (HealthCheck, {"checked_on", "organiser", "conclusion", "details"}),
    "overtime": (OvertimeRecord, {"worked_on", "hours", "reason", "time_off_days_granted", "time_off_taken_on"}),
    "away": (AwaySupport, {"host", "start_date", "end_date", "housing", "travel_home_per_year", "note"}),
}
KIND_OF = {model: kind for kind, (model, _f) in KINDS.items()}
# the date that may not lie in the future, per model
_PAST_DATES = {Talk: "held_on", HealthCheck: "checked_on", OvertimeRecord: "worked_on", AwaySupport: "start_date"}


def may_see_health(user, obj=None) -> bool:
    """May ``user`` read and write personal health details (of ``obj``'s cadre)? Org staff only."""
    return gate.allows(user, HEALTH_ACTION, obj)


def care_validate(instance) -> dict[str, list[str]]:
    """Every problem of a care record as {field: [messages]} ("__all__" for the whole), empty when it
    may be saved: the rules below and the model's checks (required fields, lengths, bounds, the one
    leave year per cadre and year) together."""
    errors: dict[str, list[str]] = {}

    def add(key, message):
        errors.setdefault(key, []).append(str(message))

    today = timezone.localdate()
    date_field = _PAST_DATES.get(type(instance))
    if date_field and getattr(instance, date_field, None) and getattr(instance, date_field) > today:
        add(date_field, _("%(f)s不能晚于今天。") % {"f": type(instance)._meta.get_field(date_field).verbose_name})
    if isinstance(instance, LeaveYear):
        if instance.year is not None and not (2000 <= instance.year <= today.year + 1):
            add("year", _("年度须在2000年至%(y)d年之间。") % {"y": today.year + 1})
        if instance.entitled_days is not None and instance.entitled_days > 60:
            add("entitled_days", _("应休天数不能超过60天。"))
        if (instance.taken_days is not None and instance.entitled_days is not None
                and instance.taken_days > instance.entitled_days):
            add("taken_days", _("已休天数不能多于应休天数。"))
    if isinstance(instance, OvertimeRecord):
        if instance.hours is not None and not (0 < instance.hours <= 24):
            add("hours", _("加班时长须大于0且不超过24小时。"))
        if instance.time_off_days_granted is not None and not (0 <= instance.time_off_days_granted <= 10):
            add("time_off_days_granted", _("应补休天数须在0至10天之间。"))
        if instance.time_off_taken_on and instance.worked_on and instance.time_off_taken_on < instance.worked_on:
            add("time_off_taken_on", _("补休日期不能早于加班日期。"))
    if isinstance(instance, AwaySupport):
        if instance.end_date and instance.start_date and instance.end_date < instance.start_date:
            add("end_date", _("结束日期不能早于开始日期。"))
        if instance.travel_home_per_year is not None and instance.travel_home_per_year > 52:
            add("travel_home_per_year", _("每年探亲次数不能超过52次。"))
    said = {m for ms in errors.values() for m in ms}
    try:
        instance.full_clean(exclude=[f for f in errors if f != NON_FIELD_ERRORS])
    except ValidationError as e:
        for key, messages in e.message_dict.items():
            for m in messages:
                if m not in said:  # a constraint repeating a rule above: said once, by field
                    errors.setdefault(key, []).append(m)
    return errors


def _save(instance, *, by):
    errors = care_validate(instance)
    if errors:
        raise ValidationError(errors)
    return model_save(instance, by=by, validate=False)


def _check_health_details(by, kind: str, data: dict, instance) -> None:
    if kind == "health" and data.get("details") and not may_see_health(by, instance):
        raise ValidationError({"details": _("只有组织部可以填写健康详情。")})


@transaction.atomic
def care_create(*, by, care_kind: str, cadre: Cadre, **data):
    """Record a care record of ``care_kind`` (a key of ``KINDS``) for a cadre in the user's scope
    (``care_kind``, not ``kind``: a talk has a field ``kind``)."""
    model, fields = KINDS[care_kind]
    gate.require(by, "change")
    gate.ensure(by, "change", cadre)
    instance = model(cadre=cadre)
    _check_health_details(by, care_kind, data, instance)
    assign(instance, data, fields)
    return _save(instance, by=by)


@transaction.atomic
def care_update(*, by, instance, **data):
    """Edit a care record (of a cadre in the user's scope)."""
    kind = KIND_OF[type(instance)]
    gate.require(by, "change")
    gate.ensure(by, "change", instance)
    instance = type(instance).objects.select_for_update().select_related("cadre__unit").get(pk=instance.pk)
    if kind == "health" and "details" in data and data["details"] != instance.details:
        if not may_see_health(by, instance):
            raise ValidationError({"details": _("只有组织部可以填写健康详情。")})
    assign(instance, data, KINDS[kind][1])
    return _save(instance, by=by)


@transaction.atomic
def care_delete(*, by, instance) -> None:
    gate.require(by, "change")
    gate.ensure(by, "change", instance)
    model_delete(instance, by=by)


# --------------------------------------------------------------------------- reminders
LEAVE_REMINDER_FROM = (10, 1)  # the leave reminder starts on 1 October (the fourth quarter)


@dataclass
class Reminder:
    """Which cadres need attention (``cadres``: a lazy queryset of them, restricted by the gate;
    ``cadre_ids`` their ids) and why (``sentence``)."""

    key: str
    cadres: QuerySet
    sentence: str

    @property
    def cadre_ids(self) -> QuerySet:
        return self.cadres.values_list("pk", flat=True)

    def count(self) -> int:
        return self.cadres.count()


def _active(user, action: str):
    return Cadre.objects.restrict(user, action).filter(status=CadreStatus.ACTIVE)


def no_talk_cadres(cadres, today: dt.date):
    """``cadres`` without a talk in ``today``'s calendar year (up to today)."""
    talks = Talk.objects.filter(cadre=OuterRef("pk"), held_on__gte=dt.date(today.year, 1, 1), held_on__lte=today)
    return cadres.filter(~Exists(talks))


def no_checkup_cadres(cadres, today: dt.date):
    """``cadres`` without a health check-up in ``today``'s calendar year (up to today)."""
    checks = HealthCheck.objects.filter(cadre=OuterRef("pk"), checked_on__gte=dt.date(today.year, 1, 1),
                                        checked_on__lte=today)
    return cadres.filter(~Exists(checks))


def leave_reminder_applies(today: dt.date) -> bool:
    return (today.month, today.day) >= LEAVE_REMINDER_FROM


def leave_behind_cadres(cadres, today: dt.date):
    """From 1 October: ``cadres`` whose leave year of ``today``'s year has less than half of the
    entitlement taken (taken × 2 < entitled). Before 1 October, and for a cadre without a leave
    year recorded, nobody."""
    if not leave_reminder_applies(today):
        return cadres.none()
    behind = LeaveYear.objects.filter(cadre=OuterRef("pk"), year=today.year,
                                      entitled_days__gt=F("taken_days") * 2)
    return cadres.filter(Exists(behind))


def no_talk_reminder(*, user, today: dt.date | None = None, action: str = "view") -> Reminder:
    today = today or timezone.localdate()
    ids = no_talk_cadres(_active(user, action), today)
    return Reminder("no_talk", ids, _("%(y)d年以来还没有谈心谈话记录的在职干部。") % {"y": today.year})


def leave_reminder(*, user, today: dt.date | None = None, action: str = "view") -> Reminder:
    today = today or timezone.localdate()
    ids = leave_behind_cadres(_active(user, action), today)
    return Reminder("leave", ids, _("已到第四季度，%(y)d年带薪休假已休不足应休天数一半的在职干部。") % {"y": today.year})


def no_checkup_reminder(*, user, today: dt.date | None = None, action: str = "view") -> Reminder:
    today = today or timezone.localdate()
    ids = no_checkup_cadres(_active(user, action), today)
    return Reminder("no_checkup", ids, _("%(y)d年还没有健康体检记录的在职干部。") % {"y": today.year})


REMINDERS = {"no_talk": no_talk_reminder, "leave": leave_reminder, "no_checkup": no_checkup_reminder}
REMINDER_KIND = {"no_talk": "talk", "leave": "leave", "no_checkup": "health"}  # the care list's tab of each

__all__ = [
    "HEALTH_ACTION", "KINDS", "REMINDERS", "Reminder", "care_create", "care_delete", "care_update",
    "care_validate", "leave_reminder", "may_see_health", "no_checkup_reminder", "no_talk_reminder",
]
