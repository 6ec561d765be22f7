"""The notifications of awards, cards and protection (codes, and their sentences registered into
core's ``registry.notification_kinds`` in ``AssessmentConfig.ready``). A notification stores the code
and its parameters; core puts it in words when it is shown, in the reader's language."""
from django.utils.translation import gettext_lazy as _

from pingdingshan.core import registry

# A step of a workflow about a cadre of the reader's units (a card issued, an appeal upheld …).
# params: subject (e.g. "红黄牌", in the default language), cadre, action, reason
CONDUCT_STEP = "assessment.conduct_step"
# A reminder's follow-up is due. params: cadre, date
FOLLOW_UP_DUE = "assessment.follow_up_due"
# A red card's adjustment is overdue. params: cadre, date
ADJUSTMENT_OVERDUE = "assessment.adjustment_overdue"
# New card proposals from the daily triggers. params: n
PROPOSALS_NEW = "assessment.proposals_new"

KINDS = (
    registry.NotificationKind(CONDUCT_STEP, _("%(subject)s（%(cadre)s）：%(action)s。%(reason)s")),
    registry.NotificationKind(FOLLOW_UP_DUE, _("对%(cadre)s的担当提醒应于 %(date)s 回访。")),
    registry.NotificationKind(ADJUSTMENT_OVERDUE, _("%(cadre)s的红牌组织调整已逾期（应于 %(date)s 前完成）。")),
    registry.NotificationKind(PROPOSALS_NEW, _("每日检查新增红黄牌或担当提醒提示 %(n)s 条，请确认或驳回。")),
)


def register() -> None:
    for kind in KINDS:
        registry.notification_kinds.register(kind)
