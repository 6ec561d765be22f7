from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalysisConfig(AppConfig):
    name = "analysis"
    verbose_name = _("大数据研判")

    def ready(self):
        from . import jobs

        jobs.register()  # the auditors' report job
