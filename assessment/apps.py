from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = _("精准考核")

    def ready(self):
        from pingdingshan.core import desk
        from pingdingshan.core.schema import register_choices

        from . import desk as lines
        from . import desk_conduct, hooks, jobs, notices
        from .models import AdjustmentKind, AdjustmentStatus, CardColor, CardStatus, Grade, ReminderKind, SanctionKind

        register_choices(Grade, ReminderKind, SanctionKind, CardColor, CardStatus, AdjustmentStatus, AdjustmentKind)
        hooks.register()
        desk.register(lines.scoring_lines, order=20)
        jobs.register()  # its background jobs (period computation, score import)
        notices.register()  # the notifications of cards, awards and protection
        desk_conduct.register()  # the desk's lines and the bell's count of cards, awards and protection
