from . import permissions as gate


def user_scope(request):
    """The header shows who is signed in, with their roles and units."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from .models import RoleAssignment

    assignments = list(RoleAssignment.objects.filter(user=user).select_related("unit"))
    return {
        "gate_assignments": assignments,
        "gate_can": {a: gate.can(user, a) for a in sorted(gate.ALL_ACTIONS)},
    }
