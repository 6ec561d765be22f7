from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "pingdingshan.core"
    label = "core"
    verbose_name = _("系统基础")

    def ready(self):
        from . import audit  # connects the history signal

        audit.install_login_hook()
