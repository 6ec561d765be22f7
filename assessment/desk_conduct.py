"""The work desk's lines and the bell's count for awards, cards and protection (担当作为),
registered in ``AssessmentConfig.ready``.

For org staff (gate action ``discipline``): card proposals to decide, appeals waiting, red cards'
adjustments overdue, reminders due for follow-up, campaigns in notice or deciding, tolerance
applications waiting. For unit leaders: their scope's cards issued lately, campaigns open for
nomination, their units' tolerance applications in progress.

Each line links to the list where the work is done, filtered; the list pages belong to the other
parts of the module, so a URL name not installed yet leaves its line out (``_url``). Constant
queries: one COUNT per line (conditional aggregates where one table serves several lines).
"""
import datetime as dt

from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from pingdingshan.core import permissions as gate
from pingdingshan.core.dates import today
from pingdingshan.core.desk import WARNING, DeskLine

RECENT_CARD_DAYS = 30  # a unit leader's desk shows cards issued in the last days


def _url(name: str, **params) -> str | None:
    """The list page's URL with its filters, or None while that page is not installed."""
    try:
        url = reverse(name)
    except NoReverseMatch:
        return None
    return url + ("?" + urlencode(params) if params else "")


def staff_counts(user, on: dt.date | None = None) -> dict[str, int]:
    """The numbers behind org staff's lines (six COUNT queries; campaigns by status in one)."""
    from .models import (
        Adjustment,
        AdjustmentStatus,
        Campaign,
        CampaignStatus,
        CardProposal,
        CardStatus,
        ProposalStatus,
        Reminder,
        ToleranceRuling,
        WarningCard,
    )
    from .services.protection import RULING_OPEN
    from .services.reminders import due_by

    on = on or today()
    campaigns = Campaign.objects.restrict(user).aggregate(
        notice=Count("pk", filter=Q(status=CampaignStatus.NOTICE)
                     & (Q(notice_end__isnull=True) | Q(notice_end__gte=on))),
        deciding=Count("pk", filter=Q(status=CampaignStatus.NOTICE, notice_end__lt=on)))
    return {
        "proposals": CardProposal.objects.restrict(user).filter(status=ProposalStatus.PENDING).count(),
        "appeals": WarningCard.objects.restrict(user).filter(status=CardStatus.APPEALED).count(),
        "adjustments": Adjustment.objects.restrict(user).filter(status=AdjustmentStatus.PENDING,
                                                               due_date__lt=on).count(),
        "follow_ups": Reminder.objects.restrict(user).filter(followed_up_on__isnull=True,
                                                             follow_up_on__lte=due_by(on)).count(),
        "campaigns_notice": campaigns["notice"] or 0,
        "campaigns_deciding": campaigns["deciding"] or 0,
        "rulings": ToleranceRuling.objects.restrict(user).filter(status__in=RULING_OPEN).count(),
    }


def staff_lines(user):
    """Org staff's lines (only the non-zero ones)."""
    if not gate.can(user, "discipline"):
        return
    n = staff_counts(user)
    specs = [
        ("proposals", _("待处理的红黄牌提示"), _url("assessment:proposal_list", status="pending"),
         _("触发规则提出的建议，请确认或驳回。"), "todo", "bi-lightbulb"),
        ("appeals", _("申诉中的红黄牌"), _url("assessment:card_list", status="appealed"),
         _("单位已为干部提出申诉，请维持或撤销。"), "todo", "bi-megaphone"),
        ("adjustments", _("逾期未登记的组织调整"), _url("assessment:adjustment_list", overdue="true"),
         _("红牌要求的组织调整已超过应调整日期。"), WARNING, "bi-exclamation-triangle"),
        ("follow_ups", _("到期待回访的担当提醒"), _url("assessment:reminder_list", due="on"),
         _("回访日期已到或将到，请回访后登记。"), "todo", "bi-calendar-check"),
        ("campaigns_notice", _("公示中的评选活动"), _url("assessment:campaign_list", status="notice"),
         _("公示期结束后方可决定。"), "todo", "bi-award"),
        ("campaigns_deciding", _("公示期已满待决定的评选活动"), _url("assessment:campaign_list", status="notice"),
         _("公示期已结束，请决定当选对象。"), "todo", "bi-award-fill"),
        ("rulings", _("待办理的容错申请"), _url("assessment:ruling_list", open="true"),
         _("申请、受理、核实中的容错裁定。"), "todo", "bi-shield-check"),
    ]
    for key, label, url, detail, kind, icon in specs:
        if n[key] and url:
            yield DeskLine(label, url, count=n[key], detail=detail, kind=kind, icon=icon)


def recent_since(on: dt.date | None = None) -> dt.date:
    return (on or today()) - dt.timedelta(days=RECENT_CARD_DAYS)


def leader_counts(user, on: dt.date | None = None) -> dict[str, int]:
    """The numbers behind a unit leader's lines (three COUNT queries)."""
    from .models import Campaign, CampaignStatus, CardStatus, ToleranceRuling, WarningCard
    from .services.protection import RULING_OPEN

    on = on or today()
    return {
        # what the card list shows them from that day (unit leaders never see a proposed card)
        "cards": WarningCard.objects.restrict(user).exclude(status=CardStatus.PROPOSED).filter(
            start_date__gte=recent_since(on)).count(),
        "campaigns": Campaign.objects.restrict(user).filter(status=CampaignStatus.NOMINATING).count(),
        "rulings": ToleranceRuling.objects.restrict(user).filter(status__in=RULING_OPEN).count(),
    }


def leader_lines(user):
    """A unit leader's lines: users who appeal but do not discipline."""
    if gate.can(user, "discipline") or not gate.can(user, "appeal"):
        return
    n = leader_counts(user)
    specs = [
        ("cards", _("近期发出的红黄牌"), _url("assessment:card_list", date_from=recent_since().isoformat()),
         _("本单位干部近 %(n)s 天被亮的红黄牌；如有异议，可为干部提出申诉。") % {"n": RECENT_CARD_DAYS}, WARNING,
         "bi-flag"),
        ("campaigns", _("正在推荐的评选活动"), _url("assessment:campaign_list", status="nominating"),
         _("请在推荐截止日期前推荐本单位的干部。"), "todo", "bi-award"),
        ("rulings", _("办理中的容错申请"), _url("assessment:ruling_list", open="true"),
         _("本单位提出的容错申请，组织部正在办理。"), "todo", "bi-shield-check"),
    ]
    for key, label, url, detail, kind, icon in specs:
        if n[key] and url:
            yield DeskLine(label, url, count=n[key], detail=detail, kind=kind, icon=icon)


def bell_conduct(user, request=None) -> int:
    """By the bell, for org staff: what waits for their decision (proposals, appeals, overdue
    adjustments). Three COUNTs."""
    from .models import Adjustment, AdjustmentStatus, CardProposal, CardStatus, ProposalStatus, WarningCard

    on = today()
    return (CardProposal.objects.restrict(user).filter(status=ProposalStatus.PENDING).count()
            + WarningCard.objects.restrict(user).filter(status=CardStatus.APPEALED).count()
            + Adjustment.objects.restrict(user).filter(status=AdjustmentStatus.PENDING, due_date__lt=on).count())


def register() -> None:
    from pingdingshan.core import desk, registry

    desk.register(staff_lines, order=30)
    desk.register(leader_lines, order=31)
    registry.bell_counts.register(registry.BellCount(key="conduct", action="discipline", count=bell_conduct))
