from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CadresConfig(AppConfig):
    name = "cadres"
    verbose_name = _("干部队伍")

    def ready(self):
        from pingdingshan.core import desk
        from pingdingshan.core.schema import register_choices

        from . import desk as lines
        from . import hooks, jobs, notices
        from . import models as m

        # One named enum per choice set in the API schema: Post.level and Rank.equivalent_level share
        # PostLevelEnum, the three education fields EducationLevelEnum; record status and role are
        # their own (RecordStatusEnum, RecordRoleEnum), apart from CadreStatusEnum also on "status".
        register_choices(m.UnitLevel, m.UnitKind, m.PostLevel, m.PostKind, m.Gender, m.CadreStatus, m.PoliticalStatus,
                         m.EducationLevel, m.Degree, m.RecordStatus, m.RecordRole)
        hooks.register()
        notices.register()  # the notifications it sends, put in words when shown
        desk.register(lines.record_lines, order=10)
        desk.register(lines.import_lines, order=40)
        desk.register(lines.care_lines, order=45)
        desk.register(lines.follow_up_lines, order=46)
        jobs.register()  # its background jobs (the record import, big roster exports)
