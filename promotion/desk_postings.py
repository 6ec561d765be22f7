"""The work desk's lines of frontline postings, registered in ``promotion/hooks.py``.

For org staff (gate action ``reserve``): postings awaiting approval, and postings past their end
date still 进行中 (to evaluate and close). For unit leaders: their units' proposals awaiting
approval and those refused in the last days. Each line links to the posting list, filtered, and is
counted by that list page at that URL (``core.desk.list_line``); one COUNT per line.
"""
import datetime as dt

from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from pingdingshan.core import desk
from pingdingshan.core import permissions as gate
from pingdingshan.core.dates import today
from pingdingshan.core.desk import WARNING

RECENT_REJECTION_DAYS = 30


def _url(**params) -> str | None:
    try:
        url = reverse("promotion:posting_list")
    except NoReverseMatch:
        return None
    return url + ("?" + urlencode(params) if params else "")


def _page(request):
    from .views.postings import posting_page

    return posting_page(request)


@desk.provider
def staff_lines(user):
    if not gate.can(user, "reserve"):
        return
    specs = [
        (_("待审批的一线历练"), _url(status="proposed"), _("单位提出的一线历练，请批准或不予批准。"), "todo",
         "bi-signpost-split"),
        (_("期满待评价的一线历练"), _url(to_evaluate="1"), _("已过结束日期仍在进行中，请期满评价并结束。"),
         WARNING, "bi-clipboard-check"),
    ]
    for label, url, detail, kind, icon in specs:
        yield desk.list_line(user, _page, url, label, detail=detail, kind=kind, icon=icon)


def rejected_since(on: dt.date | None = None) -> dt.date:
    return (on or today()) - dt.timedelta(days=RECENT_REJECTION_DAYS)


@desk.provider
def leader_lines(user):
    """Users who propose postings (``change`` on them) but do not approve them."""
    from .models import FrontlinePosting

    if gate.can(user, "reserve") or not gate.allows(user, "change", FrontlinePosting):
        return
    since = rejected_since()
    specs = [
        (_("待组织部审批的一线历练"), _url(status="proposed"), _("本单位提出的一线历练，组织部正在审批。"),
         "todo", "bi-hourglass-split"),
        (_("近期未获批准的一线历练"), _url(status="rejected", rejected_since=since.isoformat()),
         _("近 %(n)s 天组织部不予批准的，请看理由。") % {"n": RECENT_REJECTION_DAYS}, WARNING, "bi-x-circle"),
    ]
    for label, url, detail, kind, icon in specs:
        yield desk.list_line(user, _page, url, label, detail=detail, kind=kind, icon=icon)
