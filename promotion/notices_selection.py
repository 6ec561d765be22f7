"""The notifications of the selection record (codes, and their sentences registered into core's
``registry.notification_kinds`` by ``promotion.hooks_selection``)."""
from django.utils.translation import gettext_lazy as _

from pingdingshan.core import registry

# A probation period ends soon. params: cadre, date, title (the record's)
PROBATION_DUE = "promotion.probation_due"

KINDS = (
    registry.NotificationKind(
        PROBATION_DUE, _("%(cadre)s的试用期将于 %(date)s 期满（%(title)s），请及时考核并登记转正或恢复原职级。")),
)


def register() -> None:
    for kind in KINDS:
        registry.notification_kinds.register(kind)
