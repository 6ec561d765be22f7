"""``manage.py rank_pools [--date YYYY-MM-DD]``: rank every active reserve pool now (the nightly
run, ``promotion.services.runs.ranking_run``), for today or the given date. A run of the same date
is replaced; while another run holds the lock, nothing is done and the command says so."""
import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from promotion.models import RunTrigger
from promotion.services.runs import RunBusy, ranking_run


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(_("日期格式应为 YYYY-MM-DD，例如 2026-12-01。")) from None


class Command(BaseCommand):
    help = _("计算所有启用的储备库的排名（与每日定时排名相同）；同一日期的排名将被重算替换。")

    def add_arguments(self, parser):
        parser.add_argument("--date", default=None, help=_("排名日期（YYYY-MM-DD，默认今天）"))

    def handle(self, *args, date=None, **options):
        on = _date(date) if date else None
        try:
            run = ranking_run(on=on, trigger=RunTrigger.COMMAND)
        except RunBusy as e:
            raise CommandError("；".join(e.messages)) from None
        c = run.counts
        self.stdout.write(_("%(date)s 排名完成：%(pools)s 个储备库，%(entries)s 名人选，其中参加排名 %(ranked)s 名、"
                            "未参加排名 %(flagged)s 名；用时 %(seconds)s 秒。") % {
            "date": run.run_date.isoformat(), "pools": c.get("pools", 0), "entries": c.get("entries", 0),
            "ranked": c.get("ranked", 0), "flagged": c.get("flagged", 0),
            "seconds": round(run.duration.total_seconds(), 1) if run.duration else 0})
