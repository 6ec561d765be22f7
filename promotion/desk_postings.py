"""The work desk's lines of frontline postings, registered in ``promotion/hooks.py``.

For org staff (gate action ``reserve``): postings awaiting approval, and postings past their end
date still 进行中 (to evaluate and close). For unit leaders: their units' proposals awaiting
approval and those refused in the last days. Each line links to the posting list, filtered; one
COUNT query per user (conditional aggregates).
"""
import datetime as dt

from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from pingdingshan.core import permissions as gate
from pingdingshan.core.dates import today
from pingdingshan.core.desk import WARNING, DeskLine

RECENT_REJECTION_DAYS = 30


def _url(**params) -> str | None:
    try:
        url = reverse("promotion:posting_list")
    except NoReverseMatch:
        return None
    return url + ("?" + urlencode(params) if params else "")


def staff_counts(user, on: dt.date | None = None) -> dict[str, int]:
    """Awaiting approval and to evaluate, in one query."""
    from .models import FrontlinePosting, PostingStatus

    on = on or today()
    n = FrontlinePosting.objects.restrict(user).aggregate(
        proposed=Count("pk", filter=Q(status=PostingStatus.PROPOSED)),
        to_evaluate=Count("pk", filter=Q(status=PostingStatus.APPROVED, end_date__lt=on)))
    return {k: v or 0 for k, v in n.items()}


def staff_lines(user):
    if not gate.can(user, "reserve"):
        return
    n = staff_counts(user)
    specs = [
        ("proposed", _("待审批的一线历练"), _url(status="proposed"), _("单位提出的一线历练，请批准或不予批准。"), "todo",
         "bi-signpost-split"),
        ("to_evaluate", _("期满待评价的一线历练"), _url(to_evaluate="1"), _("已过结束日期仍在进行中，请期满评价并结束。"),
         WARNING, "bi-clipboard-check"),
    ]
    for key, label, url, detail, kind, icon in specs:
        if n[key] and url:
            yield DeskLine(label, url, count=n[key], detail=detail, kind=kind, icon=icon)


def rejected_since(on: dt.date | None = None) -> dt.date:
    return (on or today()) - dt.timedelta(days=RECENT_REJECTION_DAYS)


def leader_counts(user, on: dt.date | None = None) -> dict[str, int]:
    """Their units' proposals awaiting approval and those refused lately, in one query."""
    from .filters_postings import rejected_since_q
    from .models import FrontlinePosting, PostingStatus

    n = FrontlinePosting.objects.restrict(user).aggregate(
        proposed=Count("pk", filter=Q(status=PostingStatus.PROPOSED)),
        rejected=Count("pk", filter=Q(rejected_since_q(rejected_since(on)), status=PostingStatus.REJECTED)))
    return {k: v or 0 for k, v in n.items()}


def leader_lines(user):
    """Users who propose postings (``change`` on them) but do not approve them."""
    from .models import FrontlinePosting

    if gate.can(user, "reserve") or not gate.allows(user, "change", FrontlinePosting):
        return
    n = leader_counts(user)
    since = rejected_since()
    specs = [
        ("proposed", _("待组织部审批的一线历练"), _url(status="proposed"), _("本单位提出的一线历练，组织部正在审批。"),
         "todo", "bi-hourglass-split"),
        ("rejected", _("近期未获批准的一线历练"), _url(status="rejected", rejected_since=since.isoformat()),
         _("近 %(n)s 天组织部不予批准的，请看理由。") % {"n": RECENT_REJECTION_DAYS}, WARNING, "bi-x-circle"),
    ]
    for key, label, url, detail, kind, icon in specs:
        if n[key] and url:
            yield DeskLine(label, url, count=n[key], detail=detail, kind=kind, icon=icon)
