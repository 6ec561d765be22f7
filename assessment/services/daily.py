"""The daily check of cards and protection (Celery beat ``assessment.conduct_daily``, or started by
org staff from the proposals page as a job):

(a) cards whose term ended expire (``cards.cards_expire``);
(b) overdue organisational adjustments are reminded to the org staff who issued the red card
    (``notices.ADJUSTMENT_OVERDUE``), and due reminder follow-ups to whoever recorded the reminder
    (``notices.FOLLOW_UP_DUE``) — each at most once per object and day;
(c) the triggers run (``triggers.triggers_run``) and org staff hear of the new proposals
    (``notices.PROPOSALS_NEW``).

Idempotent: a second run on the same day finds nothing left to expire, has told everybody already
and proposes nothing new. Two runs never overlap: the run holds a PostgreSQL advisory lock for its
transaction, and a run that cannot take it does nothing (``{"skipped": True}``).
"""
import datetime as dt
import logging

from django.db import connection, transaction
from django.urls import NoReverseMatch, reverse

from pingdingshan.core.dates import today
from pingdingshan.core.services import notify

from .. import notices
from .triggers import triggers_run

log = logging.getLogger(__name__)

# pg_try_advisory_xact_lock key of the daily run (any constant the project uses for nothing else).
LOCK_KEY = 0x50445343_0011  # "PDSC", issue 11


def _try_lock() -> bool:
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [LOCK_KEY])
        return bool(cursor.fetchone()[0])


def _url(name: str, pk) -> str:
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:  # the page is not installed (yet)
        return ""


def _already(kind: str, refs) -> set[str]:
    from pingdingshan.core.models import Notification

    refs = list(refs)
    if not refs:
        return set()
    return set(Notification.objects.filter(kind=kind, params__ref__in=refs).values_list("params__ref", flat=True))


def org_staff():
    """The active users with the org staff role (who decide proposals)."""
    from django.contrib.auth import get_user_model

    from pingdingshan.core import permissions as gate
    from pingdingshan.core.models import RoleAssignment

    ids = RoleAssignment.objects.filter(role=gate.ORG_STAFF).values("user_id")
    return get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("pk")


def cards_expire(*, on) -> int:
    """Cards whose term ended before ``on`` become 已到期 (the cards service's own function)."""
    from . import cards

    return cards.cards_expire(on=on)


def adjustments_remind(*, on) -> int:
    """Tell the org staff who issued each red card whose organisational adjustment is overdue
    (due before ``on``, still pending), once per adjustment and day. Returns how many were told."""
    from ..models import Adjustment, AdjustmentStatus, ConductStep, Subject

    rows = list(Adjustment.objects.filter(status=AdjustmentStatus.PENDING, due_date__lt=on)
                .select_related("cadre", "card__created_by"))
    refs = {a.pk: f"adjustment:{a.pk}:{on.isoformat()}" for a in rows}
    done = _already(notices.ADJUSTMENT_OVERDUE, refs.values())
    issuers = {}
    for step in (ConductStep.objects.filter(subject=Subject.CARD, action="issue",
                                            subject_id__in=[a.card_id for a in rows])
                 .select_related("by").order_by("at", "id")):
        issuers.setdefault(step.subject_id, step.by)
    n = 0
    for a in rows:
        if refs[a.pk] in done:
            continue
        user = issuers.get(a.card_id) or a.card.created_by
        if user is None or not user.is_active:
            continue
        notify(user=user, kind=notices.ADJUSTMENT_OVERDUE, url=_url("assessment:adjustment_detail", a.pk),
               params={"cadre": a.cadre.name, "date": a.due_date.isoformat(), "ref": refs[a.pk]})
        n += 1
    return n


def follow_ups_remind(*, on) -> int:
    """Tell whoever recorded each reminder whose follow-up is due (on or before ``on``, not yet
    followed up), once per reminder and day. Returns how many were told."""
    from ..models import Reminder

    rows = list(Reminder.objects.filter(followed_up_on__isnull=True, follow_up_on__lte=on)
                .select_related("cadre", "recorded_by"))
    refs = {r.pk: f"reminder:{r.pk}:{on.isoformat()}" for r in rows}
    done = _already(notices.FOLLOW_UP_DUE, refs.values())
    n = 0
    for r in rows:
        if refs[r.pk] in done or r.recorded_by is None or not r.recorded_by.is_active:
            continue
        notify(user=r.recorded_by, kind=notices.FOLLOW_UP_DUE, url=_url("assessment:reminder_detail", r.pk),
               params={"cadre": r.cadre.name, "date": r.follow_up_on.isoformat(), "ref": refs[r.pk]})
        n += 1
    return n


def proposals_tell(*, on, n: int) -> int:
    """Tell org staff of ``n`` new proposals (nothing when there are none)."""
    if not n:
        return 0
    try:
        url = reverse("assessment:proposal_list") + "?status=pending"
    except NoReverseMatch:
        url = ""
    ref = f"proposals:{on.isoformat()}:{n}"
    told = 0
    for user in org_staff():
        notify(user=user, kind=notices.PROPOSALS_NEW, url=url, params={"n": n, "ref": ref})
        told += 1
    return told


PHASES = 4


@transaction.atomic
def conduct_daily(*, on: dt.date | None = None, progress=None) -> dict:
    """The daily check on ``on`` (today by default); see the module. Returns what it did:
    ``expired``, ``adjustments_overdue``, ``follow_ups_due`` (people told), ``proposals`` ({trigger:
    new}), ``proposals_new``, ``told``; ``skipped`` when another run holds the lock."""
    day = on or today()
    report = progress or (lambda *a, **k: None)
    if not _try_lock():
        log.info("conduct_daily %s: another run holds the lock", day)
        return {"date": day.isoformat(), "skipped": True}
    report(0, PHASES, "expire")
    expired = cards_expire(on=day)
    report(1, PHASES, "adjustments")
    overdue = adjustments_remind(on=day)
    report(2, PHASES, "follow_ups")
    follow = follow_ups_remind(on=day)
    report(3, PHASES, "triggers")
    counts = triggers_run(on=day)
    new = sum(counts.values())
    told = proposals_tell(on=day, n=new)
    report(PHASES, PHASES, "done")
    return {"date": day.isoformat(), "skipped": False, "expired": expired, "adjustments_overdue": overdue,
            "follow_ups_due": follow, "proposals": counts, "proposals_new": new, "told": told}
