"""Reads of the roster, always restricted by the permission gate."""
from django.db.models import Count, Q

from .models import Appointment, Cadre, Post, Unit


def cadre_list(*, user, action="view"):
    return (Cadre.objects.restrict(user, action)
            .select_related("unit", "current_post", "current_rank")
            .prefetch_related("tags"))


def cadre_get(*, user, pk, action="view"):
    from pingdingshan.core.permissions import get_or_404

    return get_or_404(Cadre.objects.select_related("unit", "current_post", "current_rank"), user, action, pk=pk)


def unit_list(*, user, action="view"):
    return Unit.objects.restrict(user, action)


def post_list(*, user, action="view"):
    return Post.objects.restrict(user, action).select_related("unit")


def posts_with_usage(*, user, unit: Unit):
    """The unit's posts with how many holders they have today (quota used / free)."""
    import datetime as dt

    today = dt.date.today()
    current = Q(appointments__start_date__lte=today) & (
        Q(appointments__end_date__isnull=True) | Q(appointments__end_date__gte=today))
    return (post_list(user=user).filter(unit=unit)
            .annotate(used=Count("appointments", filter=current)))


def appointment_list(*, user, action="view"):
    return Appointment.objects.restrict(user, action).select_related("cadre", "post", "post__unit")
