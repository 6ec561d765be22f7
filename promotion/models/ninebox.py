"""The cut-offs of the 9-box (九宫格): one row (``pk`` 1, seeded by migration 0009_ninebox) org staff
edit on the 9-box settings page, its changes in the audit history. Two cut-offs per axis split it into
低 / 中 / 高: performance is the cadre's latest published annual assessment composite, potential the
cadre's score in the reserve pool's current ranking (``promotion.services.ninebox``)."""
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from pingdingshan.core.audit import audit_history
from pingdingshan.core.permissions import RestrictedManager

DEFAULTS = {"performance_low": Decimal("70"), "performance_high": Decimal("90"),
            "potential_low": Decimal("70"), "potential_high": Decimal("85")}


def _cut(label, help_text):
    return models.DecimalField(label, max_digits=5, decimal_places=2, help_text=help_text)


class NineBoxSettings(models.Model):
    """九宫格分档线: a score at or above the high cut-off is 高, at or above the low one 中, below it 低."""

    performance_low = _cut(_("考核综合得分·中档起点"), _("不低于此分为“中”，低于此分为“低”。"))
    performance_high = _cut(_("考核综合得分·高档起点"), _("不低于此分为“高”。"))
    potential_low = _cut(_("储备库得分·中档起点"), _("不低于此分为“中”，低于此分为“低”。"))
    potential_high = _cut(_("储备库得分·高档起点"), _("不低于此分为“高”。"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("修改人"))
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    scope_path_field = None
    leader_writable = False
    objects = RestrictedManager()
    history = audit_history(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("九宫格分档线")
        verbose_name_plural = _("九宫格分档线")
        constraints = [
            models.CheckConstraint(condition=Q(performance_low__lt=F("performance_high")),
                                   name="ninebox_performance_ordered",
                                   violation_error_message=_("考核综合得分的中档起点须低于高档起点。")),
            models.CheckConstraint(condition=Q(potential_low__lt=F("potential_high")),
                                   name="ninebox_potential_ordered",
                                   violation_error_message=_("储备库得分的中档起点须低于高档起点。")),
        ]

    def __str__(self):
        return str(_("九宫格分档线"))
