"""The form of the nightly run's schedule (the settings page). It parses input only; the service
(``services.schedule.schedule_save``) checks the hour and minute again and saves."""
from django import forms
from django.utils.translation import gettext_lazy as _

from pingdingshan.core.forms import BootstrapMixin


class ScheduleForm(BootstrapMixin, forms.Form):
    enabled = forms.BooleanField(label=_("启用每日自动排名"), required=False)
    hour = forms.IntegerField(label=_("时"), min_value=0, max_value=23, error_messages={
        "required": _("请填写小时。"), "invalid": _("小时须为 0 到 23 的整数。"),
        "min_value": _("小时须为 0 到 23 的整数。"), "max_value": _("小时须为 0 到 23 的整数。")})
    minute = forms.IntegerField(label=_("分"), min_value=0, max_value=59, error_messages={
        "required": _("请填写分钟。"), "invalid": _("分钟须为 0 到 59 的整数。"),
        "min_value": _("分钟须为 0 到 59 的整数。"), "max_value": _("分钟须为 0 到 59 的整数。")})
