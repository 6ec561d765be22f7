"""The analysis app's line on the work desk: for those who read everything and change nothing
(auditors), the auditors' reports — the generated ones they see (shown even at zero) and the
catalogue to generate more."""
from django.urls import reverse
from django.utils.translation import gettext as _

from pingdingshan.core import permissions as gate
from pingdingshan.core.desk import DONE, DeskLine

from .services.reports import visible_reports


def reports_lines(user):
    if not gate.can(user, "audit") or gate.can(user, "change"):
        return []
    return [DeskLine(_("审计报表"), reverse("analysis:report_list"), count=visible_reports(user).count(), kind=DONE,
                     icon="bi-file-earmark-bar-graph",
                     detail=_("已生成的报表（含每月定时生成的）；可按单位和期间生成新报表。"))]
