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
