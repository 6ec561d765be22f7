"""The demo's 班子研判 for ``seed_demo`` (a ``registry.demo_steps`` step, registered in
``analysis/apps.py``). The demo city fills every chief post, so no team showed red (立即处置). As in
any real city, one bureau's director has just moved on: the step ends, once, the appointment of the
chief of the last city department with a single chief post (by the unit tree), 30 days before the
day, through ``cadres.services.appointment_end`` (audited). That team then shows "无正职" (red) and
its post is on the vacancy list."""
import datetime as dt

DAYS_AGO = 30


def _target():
    from cadres.models import Appointment, Post, Unit, UnitLevel
    from pingdingshan.core.dates import in_force_q, today

    city = Unit.objects.filter(depth=1).order_by("path").first()
    if city is None:
        return None, None
    on = today()
    departments = Unit.objects.filter(path__startswith=city.path, depth=2).exclude(level=UnitLevel.COUNTY)
    for unit in departments.order_by("-path"):
        chiefs = list(Post.objects.filter(unit=unit, is_chief=True))
        if len(chiefs) != 1:
            continue
        holder = (Appointment.objects.filter(in_force_q(on), post=chiefs[0]).select_related("cadre")
                  .order_by("start_date", "pk").first())
        return unit, holder
    return None, None


def present() -> bool:
    """Done before: the department chosen has no chief in force (or the city has none to choose)."""
    unit, holder = _target()
    return unit is None or holder is None


def build(*, by) -> int:
    from cadres import services
    from pingdingshan.core.dates import today

    unit, holder = _target()
    if unit is None or holder is None:
        return 0
    end = max(today() - dt.timedelta(days=DAYS_AGO), holder.start_date)
    services.appointment_end(by=by, appointment=holder, end_date=end)
    return 1
