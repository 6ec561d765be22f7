"""The notifications the archive sends (codes, and their sentences registered into core's
``registry.notification_kinds`` in ``CadresConfig.ready``). A notification stores the code and its
parameters; core puts it in words when it is shown, in the reader's language."""
from django.utils.translation import gettext_lazy as _

from pingdingshan.core import registry

RECORD_VERIFIED = "cadres.record_verified"  # params: title, cadre, points
RECORD_RETURNED = "cadres.record_returned"  # params: title, cadre, reason

KINDS = (
    registry.NotificationKind(RECORD_VERIFIED, _("您提交的实绩记录“%(title)s”（%(cadre)s）已核实，实绩分 %(points)s。")),
    registry.NotificationKind(RECORD_RETURNED, _("您提交的实绩记录“%(title)s”（%(cadre)s）被退回：%(reason)s")),
)


def register() -> None:
    for kind in KINDS:
        registry.notification_kinds.register(kind)
