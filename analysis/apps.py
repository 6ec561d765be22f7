from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalysisConfig(AppConfig):
    name = "analysis"
    verbose_name = _("大数据研判")

    def ready(self):
        from pingdingshan.core import registry

        # 班子研判 on the demo: one bureau whose director has just moved on (analysis/demo.py)
        registry.demo_steps.register(registry.DemoStep(
            key="team_warnings", build="analysis.demo.build", present="analysis.demo.present",
            fill_message=_("已为现有演示数据结束一名局长的任职（班子研判：无正职）。"), order=150))

        from . import jobs

        jobs.register()  # the auditors' report job

        from pingdingshan.core import desk

        from .desk import reports_lines

        desk.register(reports_lines, order=96)  # an auditor's desk: after the exports and the audit log
