from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "pingdingshan.core"
    label = "core"
    verbose_name = _("系统基础")

    def ready(self):
        from . import (
            audit,  # connects the history signal
            lookups,
        )

        lookups.install()  # ids of 2**63 or more match nothing instead of crashing SQLite

        audit.install_login_hook()
