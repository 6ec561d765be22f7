from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PromotionConfig(AppConfig):
    name = "promotion"
    verbose_name = _("选拔储备")

    def ready(self):
        from pingdingshan.core.schema import register_choices

        from . import hooks, jobs
        from .models import CriterionKind, EntryStatus, Evaluation, PostingStatus, RunStatus, RunTrigger

        register_choices(CriterionKind, EntryStatus, Evaluation, PostingStatus, RunStatus, RunTrigger)
        hooks.register()
        jobs.register()  # the ranking run started from the page
