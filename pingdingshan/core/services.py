"""Small write helpers every service uses: validate, attribute to the acting user, save (audited);
and the services of user management (accounts and roles)."""
import re

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from . import permissions as gate


def model_save(instance: models.Model, *, by, validate: bool = True, exclude=None) -> models.Model:
    """full_clean() then save(); the audit history records ``by`` as the author."""
    if validate:
        instance.full_clean(exclude=exclude)
    instance._history_user = by
    instance.save()
    return instance


def model_delete(instance: models.Model, *, by) -> None:
    """Delete ``instance`` (audited). When other rows still need it (``on_delete=PROTECT`` /
    ``RESTRICT``) nothing is deleted and the ValidationError says, in Chinese, what holds it."""
    instance._history_user = by
    try:
        instance.delete()
    except (models.ProtectedError, models.RestrictedError) as e:
        raise ValidationError(still_referenced_message(instance, e.protected_objects if isinstance(
            e, models.ProtectedError) else e.restricted_objects)) from None


def still_referenced_message(instance: models.Model, blockers) -> str:
    """“张三”还有考核结果 2 条、…，不能删除。 (what holds ``instance``, by kind, with counts)."""
    counts: dict[str, int] = {}
    for obj in blockers:
        name = str(obj._meta.verbose_name)
        counts[name] = counts.get(name, 0) + 1
    what = "、".join(_("%(what)s %(n)d 条") % {"what": w, "n": n} for w, n in sorted(counts.items()))
    return _("“%(obj)s”还有%(what)s引用它，不能删除。") % {"obj": instance, "what": what}


def assign(instance: models.Model, data: dict, allowed: set[str] | None = None) -> models.Model:
    """Copy ``data`` onto ``instance`` (only the ``allowed`` fields when given)."""
    for key, value in data.items():
        if allowed is not None and key not in allowed:
            raise TypeError(f"field {key!r} may not be set here")
        setattr(instance, key, value)
    return instance


# --------------------------------------------------------------------------- users and roles
# Who may give and take roles: org staff and superusers (gate action ``manage_users``). Role
# changes are audited through RoleAssignment's history (who, when, request id). The auth User
# model has no history table; see docs for that gap.
USERNAME_RE = re.compile(r"^[\w.@+-]{2,150}$")


def _check_target(by, user):
    """Only a superuser may change a superuser's account."""
    if user.is_superuser and not by.is_superuser:
        raise PermissionDenied(_("只有超级管理员可以修改超级管理员账户。"))


def password_error_messages(error: ValidationError) -> list[str]:
    """The password validators' messages. Django 5.2's zh_Hans catalog lacks the new msgid of the
    minimum-length message (it still has the ``%(min_length)d`` one), so that one is worded here."""
    out = []
    for e in error.error_list:
        if e.code == "password_too_short" and e.params and "min_length" in e.params:
            out.append(_("密码长度太短。密码必须包含至少 %(min_length)d 个字符。") % {"min_length": e.params["min_length"]})
        else:
            out.extend(e.messages)
    return out


def user_create(*, by, username: str, full_name: str, password: str):
    """Create a login account (without roles). The password must pass the configured validators."""
    gate.require(by, "manage_users")
    User = get_user_model()
    username = (username or "").strip()
    full_name = (full_name or "").strip()
    errors = {}
    if not USERNAME_RE.match(username):
        errors["username"] = [_("用户名须为2至150个字符，只能包含字母、数字和 @ . + - _。")]
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = [_("用户名“%(username)s”已被使用。") % {"username": username}]
    if not full_name:
        errors["full_name"] = [_("请填写姓名。")]
    elif len(full_name) > 150:
        errors["full_name"] = [_("姓名不能超过150个字符。")]
    candidate = User(username=username, first_name=full_name)
    try:
        validate_password(password or "", user=candidate)
    except ValidationError as e:
        errors["password"] = password_error_messages(e)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        user = User(username=username, first_name=full_name, is_active=True)
        user.set_password(password)
        model_save(user, by=by, validate=False)
    return user


def role_assign(*, by, user, role: str, unit=None):
    """Give ``user`` a role: unit leaders per unit (required), org staff and auditors city-wide
    (no unit). A role the user already holds is refused. Audited (RoleAssignment history)."""
    from .models import Role, RoleAssignment

    gate.require(by, "manage_users")
    _check_target(by, user)
    errors = {}
    if role not in Role.values:
        errors["role"] = [_("请选择有效的角色。")]
    elif role == Role.UNIT_LEADER and unit is None:
        errors["unit"] = [_("单位领导必须指定所管理的单位。")]
    elif role != Role.UNIT_LEADER and unit is not None:
        errors["unit"] = [_("“%(role)s”是全市范围的角色，不能指定单位。") % {"role": Role(role).label}]
    elif unit is not None and not unit.is_active:
        errors["unit"] = [_("单位“%(unit)s”已撤销，不能授权。") % {"unit": unit.name}]
    if not user.is_active:
        errors.setdefault("role", []).append(_("该用户已停用，请先启用再授权。"))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        type(user).objects.select_for_update().filter(pk=user.pk).first()  # serialise role changes per user
        existing = RoleAssignment.objects.filter(user=user, role=role, unit=unit)
        if existing.exists():
            if unit is not None:
                msg = _("该用户已是“%(unit)s”的%(role)s。") % {"unit": unit.name, "role": Role(role).label}
            else:
                msg = _("该用户已拥有“%(role)s”角色。") % {"role": Role(role).label}
            raise ValidationError({"unit" if unit is not None else "role": [msg]})
        assignment = model_save(RoleAssignment(user=user, role=role, unit=unit), by=by)
    gate.forget(user)
    return assignment


def role_revoke(*, by, assignment) -> None:
    """Take a role away. Refuses to take the acting user's own org-staff role (which would lock
    them out of user management). Audited."""
    from .models import Role, RoleAssignment

    gate.require(by, "manage_users")
    _check_target(by, assignment.user)
    if assignment.user_id == by.pk and assignment.role == Role.ORG_STAFF and not by.is_superuser:
        raise ValidationError({"role": [_("不能撤销您自己的组织部工作人员角色。")]})
    with transaction.atomic():
        current = RoleAssignment.objects.select_for_update().filter(pk=assignment.pk).first()
        if current is None:
            raise ValidationError({"role": [_("该授权已被撤销。")]})
        model_delete(current, by=by)
    gate.forget(assignment.user)


def user_set_active(*, by, user, active: bool):
    """Enable or disable a login account. Nobody disables themselves."""
    gate.require(by, "manage_users")
    _check_target(by, user)
    if not active and user.pk == by.pk:
        raise ValidationError({"is_active": [_("不能停用您自己的账户。")]})
    with transaction.atomic():
        user.is_active = bool(active)
        model_save(user, by=by, validate=False)
    gate.forget(user)
    return user


def user_unlock(*, by, user) -> int:
    """Clear django-axes' failed-login lockouts of ``user``'s username (all addresses)."""
    from axes.utils import reset

    gate.require(by, "manage_users")
    _check_target(by, user)
    return reset(username=user.username) or 0


def _json_param(value):
    return value if value is None or isinstance(value, (bool, int, float, str)) else str(value)


def notify(*, user, kind: str = "", params: dict | None = None, message: str = "", url: str = ""):
    """Put a notification in ``user``'s bell: a registered ``kind`` with its ``params`` (put in words
    when shown, in the reader's language; the sentence in the default language is kept as
    ``message``), or a free-text ``message``."""
    from django.conf import settings
    from django.utils import translation

    from .models import Notification
    from .registry import notification_kinds

    if user is None:
        return None
    params = {str(k): _json_param(v) for k, v in (params or {}).items()}
    if kind:
        entry = notification_kinds.get(kind)
        if entry is None:
            raise ValueError(f"unregistered notification kind {kind!r}")
        with translation.override(settings.LANGUAGE_CODE):
            message = entry.render(params)
    return Notification.objects.create(user=user, kind=kind, params=params, message=str(message)[:300],
                                       url=url[:300])


def notifications_mark_read(*, user, ids=None) -> int:
    """Mark the user's notifications (all, or ``ids``) as read; returns how many changed."""
    from django.utils import timezone

    from .models import Notification

    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())
