"""Days as the city counts them: "today" is the local date of ``TIME_ZONE`` (``timezone.localdate``),
everywhere. Records, appointments, ranks and quotas all ask ``in_force_q`` / ``in_force`` what is in
force on a day, so the pages, the API, the exports and the services never disagree around midnight
(``date.today()`` is the server's date, which differs from the local one for hours a day when the
server runs in UTC)."""
import datetime as dt

from django.db.models import Q
from django.utils import timezone


def today() -> dt.date:
    """The local date (Asia/Shanghai in production)."""
    return timezone.localdate()


def in_force_q(day: dt.date | None = None, *, prefix: str = "") -> Q:
    """Rows with ``start_date`` ≤ ``day`` ≤ ``end_date`` (an empty end: still open) on ``day``
    (today by default). ``prefix`` reaches the dates through a relation (``"appointments__"``)."""
    day = day or today()
    return Q(**{f"{prefix}start_date__lte": day}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": day}))


def in_force(obj, day: dt.date | None = None) -> bool:
    """The same question for one object with ``start_date`` / ``end_date``."""
    day = day or today()
    return obj.start_date <= day and (obj.end_date is None or obj.end_date >= day)


# --------------------------------------------------------------------------- working days
# China's official working days: the State Council's yearly holiday and make-up-day arrangement
# (国务院办公厅关于节假日安排的通知), from the maintained package ``chinesecalendar``. A make-up day
# (调休上班, e.g. Saturday 2025-10-11) is a working day; a holiday on a weekday is not. For a year the
# package does not know yet (the arrangement is published each November), weekdays count as working
# days and the explanation says so.
def _calendar_says(day: dt.date) -> bool | None:
    """Whether ``day`` is an official working day; None when the package has no data for its year."""
    import chinese_calendar

    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:  # a year outside the package's data
        return None


def is_working_day(day: dt.date) -> bool:
    """An official working day (weekdays only for a year the calendar does not know)."""
    known = _calendar_says(day)
    return day.weekday() < 5 if known is None else known


def calendar_known(day: dt.date) -> bool:
    """Whether the official arrangement of ``day``'s year is known (else: weekdays only)."""
    return _calendar_says(day) is not None


def working_days(start: dt.date, end: dt.date) -> int:
    """The official working days from ``start`` to ``end``, both days included (0 when end < start)."""
    return sum(is_working_day(start + dt.timedelta(days=i)) for i in range(max((end - start).days + 1, 0)))


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The day on which a period starting on ``start`` (counted when it is a working day) has
    ``n`` (≥ 1) working days: ``add_working_days(d, 5)`` is the earliest end of a 5-working-day period."""
    day, count = start, 0
    while True:
        count += is_working_day(day)
        if count >= n:
            return day
        day += dt.timedelta(days=1)


def unknown_calendar_years(start: dt.date, end: dt.date) -> list[int]:
    """The years between ``start`` and ``end`` whose official arrangement is not known (weekdays counted)."""
    return [y for y in range(start.year, end.year + 1) if not calendar_known(dt.date(y, 6, 1))]
