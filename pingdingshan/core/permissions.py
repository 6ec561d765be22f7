"""The permission gate: the one place that decides what a user may see and do.

Every page, API endpoint, export and selector asks it, through
``Model.objects.restrict(user, action)`` (a restricted queryset) or the helpers below.

Actions:
- ``view``: read objects;
- ``change``: create, edit, delete objects (unit leaders only on models marked ``leader_writable``);
- ``export``: download lists;
- ``audit``: read the audit history;
- ``manage_users``: give and take roles;
- ``verify``: verify or return performance records (org staff only);
- ``assess``: set up assessments, enter scores, compute, grade and publish (org staff only).

An object outside the user's scope is reported as 404 (``Http404``) so its existence does not leak.
"""
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

ORG_STAFF = "org_staff"
UNIT_LEADER = "unit_leader"
AUDITOR = "auditor"

ROLE_ACTIONS = {
    ORG_STAFF: frozenset({"view", "change", "export", "audit", "manage_users", "verify", "assess"}),
    AUDITOR: frozenset({"view", "export", "audit"}),
    UNIT_LEADER: frozenset({"view", "change", "export"}),
}
ALL_ACTIONS = frozenset().union(*ROLE_ACTIONS.values())


@dataclass(frozen=True)
class Scope:
    """What part of the unit tree a user reaches for one action."""

    everything: bool = False
    unit_paths: tuple[str, ...] = ()

    @property
    def empty(self):
        return not self.everything and not self.unit_paths

    def covers_path(self, path: str) -> bool:
        return self.everything or any(path.startswith(p) for p in self.unit_paths)


NOTHING = Scope()
EVERYTHING = Scope(everything=True)


def _assignments(user):
    """[(role, unit_path or None)] for the user, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ()
    cached = getattr(user, "_gate_assignments", None)
    if cached is None:
        from .models import RoleAssignment

        cached = tuple(RoleAssignment.objects.filter(user=user).values_list("role", "unit__path"))
        user._gate_assignments = cached
    return cached


def forget(user):
    """Drop the cached roles (after roles change)."""
    if hasattr(user, "_gate_assignments"):
        del user._gate_assignments


def user_roles(user) -> frozenset[str]:
    return frozenset(role for role, _path in _assignments(user))


def can(user, action: str) -> bool:
    """May the user perform ``action`` somewhere?"""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return any(action in ROLE_ACTIONS.get(role, ()) for role in user_roles(user))


def scope(user, action: str = "view", model=None) -> Scope:
    """The part of the unit tree where ``user`` may perform ``action`` (on ``model``)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOTHING
    if user.is_superuser:
        return EVERYTHING
    paths = []
    for role, path in _assignments(user):
        if action not in ROLE_ACTIONS.get(role, ()):
            continue
        if role == UNIT_LEADER:
            if action == "change" and model is not None and not getattr(model, "leader_writable", False):
                continue
            if path:
                paths.append(path)
        else:
            return EVERYTHING
    # Drop paths inside another path of the list: the subtree is already covered.
    paths = sorted(set(paths))
    kept = [p for p in paths if not any(p != q and p.startswith(q) for q in paths)]
    return Scope(unit_paths=tuple(kept)) if kept else NOTHING


def scope_q(user, action: str, model, path_field: str | None) -> Q | None:
    """A Q restricting ``model`` to the user's scope; None means "no rows"."""
    s = scope(user, action, model)
    if s.empty:
        return None
    if s.everything:
        return Q()
    q = Q()
    if path_field is not None:
        for p in s.unit_paths:
            q |= Q(**{f"{path_field}__startswith": p})
    # Rows a model shows only to city-wide readers until some condition holds (e.g. assessment
    # periods and their results until the period is published).
    extra = getattr(model, "scoped_rows_q", None)
    return q & extra if extra is not None else q


class RestrictedQuerySet(models.QuerySet):
    """QuerySet with ``restrict(user, action)``.

    Models say where their unit is with ``scope_path_field`` (the lookup path to a unit's tree
    path, e.g. ``"unit__path"``); None means reference data visible to everyone with the action.
    ``scoped_rows_q`` (optional) further limits what users with a unit-bound scope see.
    """

    def restrict(self, user, action: str = "view"):
        q = scope_q(user, action, self.model, getattr(self.model, "scope_path_field", None))
        if q is None:
            return self.none()
        return self.filter(q) if q else self


RestrictedManager = models.Manager.from_queryset(RestrictedQuerySet)


def require(user, action: str):
    """Refuse (403) a user who may not perform ``action`` anywhere."""
    if not can(user, action):
        raise PermissionDenied(_("您没有执行此操作的权限。"))


def get_or_404(queryset_or_model, user, action: str = "view", **lookup):
    """Fetch an object inside the user's scope, or 404."""
    qs = queryset_or_model
    if isinstance(qs, type) and issubclass(qs, models.Model):
        qs = qs._default_manager.all()
    try:
        return qs.restrict(user, action).get(**lookup)
    except (qs.model.DoesNotExist, ValueError, ValidationError):
        raise Http404(_("未找到该对象，或不在您的权限范围内。")) from None


def ensure(user, action: str, obj):
    """Re-check inside a write's transaction that ``obj`` is in scope (404 otherwise)."""
    model = type(obj)
    if obj.pk is None:
        return
    if not model._default_manager.restrict(user, action).filter(pk=obj.pk).exists():
        if model._default_manager.restrict(user, "view").filter(pk=obj.pk).exists():
            raise PermissionDenied(_("您没有修改该对象的权限。"))
        raise Http404(_("未找到该对象，或不在您的权限范围内。"))


def ensure_unit(user, unit, *, model, field: str = "unit"):
    """Refuse a write that would place a ``model`` object into ``unit`` outside the user's scope."""
    if unit is None:
        return
    if not scope(user, "change", model).covers_path(unit.path):
        raise ValidationError({field: _("单位“%(unit)s”不在您的管理范围内。") % {"unit": unit.name}})
