from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CadresConfig(AppConfig):
    name = "cadres"
    verbose_name = _("干部队伍")

    def ready(self):
        from pingdingshan.core import desk

        from . import desk as lines

        desk.register(lines.figures, order=0)
        desk.register(lines.record_lines, order=10)
        desk.register(lines.import_lines, order=40)
