from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CadresConfig(AppConfig):
    name = "cadres"
    verbose_name = _("干部队伍")

    def ready(self):
        from . import jobs

        jobs.register()  # its background jobs (big roster exports)
