from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = _("精准考核")

    def ready(self):
        from pingdingshan.core import desk

        from . import desk as lines

        desk.register(lines.scoring_lines, order=20)
