"""The work desk's lines and the bell's count for awards, cards and protection (担当作为),
registered in ``AssessmentConfig.ready``.

For org staff (gate action ``discipline``): card proposals to decide, appeals waiting, red cards'
adjustments overdue, reminders due for follow-up, campaigns in notice or deciding, tolerance
applications waiting. For unit leaders: their scope's cards issued lately, campaigns open for
nomination, their units' tolerance applications in progress.

Each line links to the list where the work is done, filtered, and is counted by that list page at
that URL (``core.desk.list_line``: one definition); a URL name not installed leaves its line out
(``_url``). Constant queries: one COUNT per line.
"""
import datetime as dt

from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from pingdingshan.core import desk
from pingdingshan.core import permissions as gate
from pingdingshan.core.dates import today
from pingdingshan.core.desk import WARNING

RECENT_CARD_DAYS = 30  # a unit leader's desk shows cards issued in the last days


def _url(name: str, **params) -> str | None:
    """The list page's URL with its filters, or None while that page is not installed."""
    try:
        url = reverse(name)
    except NoReverseMatch:
        return None
    return url + ("?" + urlencode(params) if params else "")


def _pages():
    from .views import awards, cards, proposals, protection, reminders

    return {"proposals": proposals.proposal_page, "cards": cards.card_page, "adjustments": cards.adjustment_page,
            "reminders": reminders.reminder_page, "campaigns": awards.campaign_page, "rulings": protection.ruling_page}


@desk.provider
def staff_lines(user):
    """Org staff's lines (only the non-zero ones), each counted by its list page at its URL."""
    from .filters_awards import IN_NOTICE, NOMINATION_CLOSED, NOTICE_ENDED

    if not gate.can(user, "discipline"):
        return
    pages = _pages()
    specs = [
        ("proposals", _("待处理的红黄牌提示"), _url("assessment:proposal_list", status="pending"),
         _("触发规则提出的建议，请确认或驳回。"), "todo", "bi-lightbulb"),
        ("cards", _("申诉中的红黄牌"), _url("assessment:card_list", status="appealed"),
         _("单位已为干部提出申诉，请维持或撤销。"), "todo", "bi-megaphone"),
        ("adjustments", _("逾期未登记的组织调整"), _url("assessment:adjustment_list", overdue="true"),
         _("红牌要求的组织调整已超过应调整日期。"), WARNING, "bi-exclamation-triangle"),
        ("reminders", _("到期待回访的担当提醒"), _url("assessment:reminder_list", due="on"),
         _("回访日期已到或将到，请回访后登记。"), "todo", "bi-calendar-check"),
        ("campaigns", _("推荐已截止待审核的评选活动"), _url("assessment:campaign_list", stage=NOMINATION_CLOSED),
         _("推荐截止日期已过，请审核推荐对象、确定入围并公示。"), "todo", "bi-award"),
        ("campaigns", _("公示中的评选活动"), _url("assessment:campaign_list", stage=IN_NOTICE),
         _("公示期结束后方可决定。"), "todo", "bi-award"),
        ("campaigns", _("公示期已满待决定的评选活动"), _url("assessment:campaign_list", stage=NOTICE_ENDED),
         _("公示期已结束，请决定当选对象。"), "todo", "bi-award-fill"),
        ("rulings", _("待办理的容错申请"), _url("assessment:ruling_list", open="true"),
         _("申请、受理、核实中的容错裁定。"), "todo", "bi-shield-check"),
    ]
    for page, label, url, detail, kind, icon in specs:
        yield desk.list_line(user, pages[page], url, label, detail=detail, kind=kind, icon=icon)


def recent_since(on: dt.date | None = None) -> dt.date:
    return (on or today()) - dt.timedelta(days=RECENT_CARD_DAYS)


@desk.provider
def leader_lines(user):
    """A unit leader's lines: users who appeal but do not discipline. Their scope's cards of the
    last days (the card list never shows them a proposed card), campaigns open for nomination, their
    units' tolerance applications in progress."""
    from .filters_awards import OPEN_NOMINATION

    if gate.can(user, "discipline") or not gate.can(user, "appeal"):
        return
    pages = _pages()
    specs = [
        ("cards", _("近期发出的红黄牌"), _url("assessment:card_list", date_from=recent_since().isoformat()),
         _("本单位干部近 %(n)s 天被亮的红黄牌；如有异议，可为干部提出申诉。") % {"n": RECENT_CARD_DAYS}, WARNING,
         "bi-flag"),
        ("campaigns", _("正在推荐的评选活动"), _url("assessment:campaign_list", stage=OPEN_NOMINATION),
         _("请在推荐截止日期前推荐本单位的干部。"), "todo", "bi-award"),
        ("rulings", _("办理中的容错申请"), _url("assessment:ruling_list", open="true"),
         _("本单位提出的容错申请，组织部正在办理。"), "todo", "bi-shield-check"),
    ]
    for page, label, url, detail, kind, icon in specs:
        yield desk.list_line(user, pages[page], url, label, detail=detail, kind=kind, icon=icon)


def bell_conduct(user, request=None) -> int:
    """By the bell, for org staff: what waits for their decision (proposals, appeals, overdue
    adjustments). Three COUNTs."""
    from .models import Adjustment, AdjustmentStatus, CardProposal, CardStatus, ProposalStatus, WarningCard

    on = today()
    return (CardProposal.objects.restrict(user).filter(status=ProposalStatus.PENDING).count()
            + WarningCard.objects.restrict(user).filter(status=CardStatus.APPEALED).count()
            + Adjustment.objects.restrict(user).filter(status=AdjustmentStatus.PENDING, due_date__lt=on).count())


def register() -> None:
    from pingdingshan.core import registry

    desk.register(staff_lines, order=30)
    desk.register(leader_lines, order=31)
    registry.bell_counts.register(registry.BellCount(key="conduct", action="discipline", count=bell_conduct))
