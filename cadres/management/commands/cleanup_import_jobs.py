"""``manage.py cleanup_import_jobs [--days N]``: remove the Excel import job folders
(``MEDIA_ROOT/imports/<user>/<job>/``) older than N days (default: the setting
IMPORT_JOB_RETENTION_DAYS, 7). A job whose import is under way is never removed. Celery beat runs
the same service every night (``cadres.cleanup_import_jobs``)."""
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cadres.imports.jobs import import_jobs_cleanup


class Command(BaseCommand):
    help = _("删除超过保留天数的导入任务文件夹（上传的文件、导入结果和错误报告）；正在导入的任务不会被删除。")

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None,
                            help=_("保留天数（默认取设置 IMPORT_JOB_RETENTION_DAYS，即 %(days)s 天）") % {
                                "days": settings.IMPORT_JOB_RETENTION_DAYS})

    def handle(self, *args, days, **options):
        days = settings.IMPORT_JOB_RETENTION_DAYS if days is None else days
        if days < 1:
            raise CommandError(_("保留天数至少为1天。"))
        removed = import_jobs_cleanup(by=None, days=days)
        if options.get("verbosity", 1) >= 2:
            for folder in removed:
                self.stdout.write(folder)
        self.stdout.write(_("已删除 %(n)s 个超过 %(days)s 天的导入任务文件夹。") % {"n": len(removed), "days": days})
