from functools import cached_property

from . import permissions as gate
from .registry import bell_counts


class Bell:
    """The header's notification bell, computed only when a template reads it (exports, JSON and
    redirects pay nothing): the unread count (one COUNT query), the latest notifications (one
    query) and the counts apps register (``registry.bell_counts``: for users who verify records,
    how many records wait, one COUNT query)."""

    def __init__(self, user, request=None):
        self.user = user
        self.request = request

    @cached_property
    def unread(self) -> int:
        from .views_notifications import notification_list

        return notification_list(user=self.user, unread_only=True).count()

    @cached_property
    def latest(self) -> list:
        from .views_notifications import BELL_LATEST, notification_list

        return list(notification_list(user=self.user)[:BELL_LATEST])

    def __getattr__(self, key):
        """``bell.<key>``: a registered bell count (``registry.bell_counts``, e.g. ``waiting``, the
        records waiting for verification), computed once; None for users the gate does not allow
        its action."""
        entry = bell_counts.get(key)
        if entry is None:
            raise AttributeError(key)
        value = entry.value(self.user, self.request) if gate.can(self.user, entry.action) else None
        self.__dict__[key] = value
        return value


def user_scope(request):
    """The header shows who is signed in, with their roles and units, and the notification bell."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from .models import RoleAssignment

    assignments = list(RoleAssignment.objects.filter(user=user).select_related("unit"))
    return {
        "gate_assignments": assignments,
        "gate_can": {a: gate.can(user, a) for a in sorted(gate.ALL_ACTIONS)},
        "bell": Bell(user, request),
    }
