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
- ``assess``: set up assessments, enter scores, compute, grade and publish (org staff only);
- ``delete_cadre``: delete a cadre's file (org staff only; unit leaders change the status instead);
- ``move_cadre``: move a cadre to another unit (within the user's scope, from and to);
- ``create_top_unit``: create a unit at the top of the tree (org staff only);
- ``calibrate``: read a whole assessment group's grades against the 优秀 cap, beyond one's own
  units (org staff and auditors);
- ``import_submitted``: the rows of one's record import arrive submitted, not as drafts (org staff:
  they verify them themselves).
- ``discipline``: issue, uphold, revoke and lift warning cards, decide card proposals, record
  adjustments, sanctions, clarifications and reminders, rule on tolerance and decide award
  campaigns (org staff only). Unit leaders nominate, apply for tolerance, file risks (``change`` on
  the models marked ``leader_writable``) and appeal cards (``appeal``) in their scope.
- ``appeal``: appeal a warning card for a cadre of one's units.
- ``reserve``: keep the reserve pool — pools, their criteria and weights, nominating, admitting and
  removing entries, starting ranking runs and changing their schedule — and approve, evaluate and
  close frontline postings (org staff only; unit leaders propose postings through ``change``).
- ``recommend``: record a round of 民主推荐 (谈话调研推荐 / 会议推荐 with its ballots) on a selection
  record at that step: org staff anywhere, unit leaders on the records of their units' subtree (the
  step asks the unit); every other step of the record stays ``reserve``.
- ``care_health``: read and write the personal health details of a cadre's check-ups (care records;
  org staff only). Pages, API and exports hide the field from everyone else.

Questions about one object go to ``allows(user, action, obj)``, the units a user may act in to
``units_for(user, action, model)``; both read the model's ``scope_path_field``. Choice lists of
forms and filters are restricted in one place (``restrict_choices`` / ``restrict_form_fields``,
used by ``core.filtersets.GatedFilterSet``), so an id out of scope answers exactly like a missing one.

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
    ORG_STAFF: frozenset({"view", "change", "export", "audit", "manage_users", "verify", "assess",
                          "delete_cadre", "move_cadre", "create_top_unit", "calibrate", "import_submitted",
                          "discipline", "appeal", "reserve", "recommend", "care_health"}),
    AUDITOR: frozenset({"view", "export", "audit", "calibrate"}),
    UNIT_LEADER: frozenset({"view", "change", "export", "move_cadre", "appeal", "recommend"}),
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


def city_wide(user, action: str = "view", model=None) -> bool:
    """Does the user's scope for ``action`` (on ``model``) cover the whole city?"""
    return scope(user, action, model).everything


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


def _paths_q(s: Scope, path_field: str | None) -> Q:
    """Rows whose ``path_field`` lies in one of the scope's subtrees (everything: no condition)."""
    q = Q()
    if s.everything or path_field is None:
        return q
    for p in s.unit_paths:
        q |= Q(**{f"{path_field}__startswith": p})
    return q


def scope_q(user, action: str, model, path_field: str | None) -> Q | None:
    """A Q restricting ``model`` to the user's scope; None means "no rows"."""
    s = scope(user, action, model)
    if s.empty:
        return None
    if s.everything:
        return Q()
    q = _paths_q(s, path_field)
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


def ensure_unit(user, unit, *, model, field: str = "unit", action: str = "change"):
    """Refuse a write that would place a ``model`` object into ``unit`` outside the user's scope
    for ``action`` (``move_cadre`` when a cadre changes unit)."""
    if unit is None:
        return
    if not scope(user, action, model).covers_path(unit.path):
        raise ValidationError({field: _("单位“%(unit)s”不在您的管理范围内。") % {"unit": unit.name}})


# --------------------------------------------------------------------------- questions about objects
def _path_of(obj, path_field: str):
    """The unit path of ``obj`` reached through ``path_field`` (``"cadre__unit__path"``), or None."""
    value = obj
    for part in path_field.split("__"):
        value = getattr(value, part, None)
        if value is None:
            return None
    return value


def allows(user, action: str, obj=None) -> bool:
    """May ``user`` perform ``action`` on ``obj``?

    - ``obj`` None: anywhere (``can``);
    - ``obj`` a model class: on some object of that model (a non-empty scope);
    - ``obj`` an instance (saved or not, e.g. ``Post(unit=unit)`` for "may create a post there"):
      its unit path, read through the model's ``scope_path_field``, lies in the user's scope for
      the action, and a row the model shows only to city-wide readers (``scoped_rows_q``) holds it.
    """
    if obj is None:
        return can(user, action)
    model = obj if isinstance(obj, type) else type(obj)
    s = scope(user, action, model)
    if s.empty:
        return False
    if isinstance(obj, type) or s.everything:
        return True
    path_field = getattr(model, "scope_path_field", None)
    if path_field is not None:
        path = _path_of(obj, path_field)
        if path is None or not s.covers_path(path):
            return False
    extra = getattr(model, "scoped_rows_q", None)
    if extra is not None:
        return obj.pk is not None and model._default_manager.filter(extra, pk=obj.pk).exists()
    return True


def unit_model():
    """The model of the unit tree the roles are given in (RoleAssignment.unit's target)."""
    from .models import RoleAssignment

    return RoleAssignment._meta.get_field("unit").related_model


def units_for(user, action: str = "view", model=None):
    """The units where ``user`` may perform ``action`` on ``model`` objects (the units themselves
    when None): e.g. the units a unit leader may place cadres in. Tree order."""
    units = unit_model()
    return _in_scope_of(units._default_manager.all(), user, action, model or units)


def _in_scope_of(queryset, user, action, model):
    """``queryset``'s rows inside the user's scope for ``action`` on ``model`` (by the queryset's
    own ``scope_path_field``)."""
    s = scope(user, action, model)
    if s.empty:
        return queryset.none()
    return queryset.filter(_paths_q(s, queryset.model.scope_path_field)) if not s.everything else queryset


def restrict_choices(queryset, user, action: str = "view", model=None):
    """A choice list restricted to what ``user`` may see (or act on): a model with the gate's
    ``restrict`` through it. With ``model``: the choices lying where ``action`` is allowed on
    ``model`` objects, by the choices' own ``scope_path_field`` (the units, or the posts, a unit
    leader may appoint cadres in). Models outside the gate stay as they are."""
    if model is not None and getattr(queryset.model, "scope_path_field", None):
        return _in_scope_of(queryset, user, action, model)
    if hasattr(queryset, "restrict"):
        return queryset.restrict(user, action)
    return queryset


def restrict_form_fields(form, user, action: str = "view", **per_field):
    """Restrict every model-choice field of ``form`` in one place (NetBox's restrict_form_fields):
    ``per_field`` maps a field name to ``action`` or ``(action, model)`` where it differs, e.g.
    ``unit=("change", Cadre)``. An id out of scope is then refused as "not one of the choices",
    exactly like a missing one."""
    for name, field in form.fields.items():
        qs = getattr(field, "queryset", None)
        if qs is None:
            continue
        spec = per_field.get(name, action)
        field_action, model = spec if isinstance(spec, tuple) else (spec, None)
        field.queryset = restrict_choices(qs, user, field_action, model)


class GatedFormMixin:
    """The gated form base: a form built with ``user=`` gets every model-choice field restricted
    (``restrict_form_fields``) once its fields exist. ``gate_action`` is the action for the
    choices (``view``), ``gate_fields`` maps a field to ``action`` or ``(action, model)`` where it
    differs. Declare the choice querysets on the class (or in ``base_fields``), not after
    ``super().__init__``, so the restriction applies to them."""

    gate_action = "view"
    gate_fields: dict = {}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        restrict_form_fields(self, user, self.gate_action, **self.gate_fields)


def leaders_over(path: str, steplen: int = 4):
    """The active users who lead the unit at ``path`` or a unit above it (whose unit-bound scope
    covers it): the people a workflow step about a cadre of that unit is told about."""
    from django.contrib.auth import get_user_model

    from .models import RoleAssignment

    prefixes = [path[:i] for i in range(steplen, len(path) + 1, steplen)] or [path]
    ids = RoleAssignment.objects.filter(role=UNIT_LEADER, unit__path__in=prefixes).values("user_id")
    return get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("pk")
