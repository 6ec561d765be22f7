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

        from django.urls import reverse

        from . import jobs

        jobs.register("core.audit_export", run="pingdingshan.core.views.audit_export_job", label=_("导出审计日志"),
                      action="audit", time_limit=30 * 60,
                      back=lambda job: f"{reverse('core:audit_log')}?{jobs.list_query(job)}")
        from . import desk

        desk.register(jobs.desk_lines, order=45)  # the user's jobs that finished or failed recently
        desk.register(desk.audit_lines, order=90)  # an auditor's: the exports of the last days
