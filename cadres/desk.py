"""The roster's and the archive's lines on the work desk (registered in ``CadresConfig.ready``)."""
import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from pingdingshan.core import permissions as gate
from pingdingshan.core.desk import DONE, WARNING, DeskLine

RECENT_IMPORT_DAYS = 3  # finished imports stay on the desk this long
RECENT_IMPORTS = 3  # and at most this many


def record_lines(user):
    """Records to verify (for those who verify), returned records to fix and drafts not yet
    submitted (for those who may change records): the records this user has to fix, i.e. for those
    who verify (org staff) the ones they created or submitted themselves (``mine``: the returned and
    drafts of the whole city are not theirs to fix), for unit leaders the ones in their scope."""
    from .filters_records import made_by
    from .models import PerformanceRecord, RecordStatus
    from .selectors import waiting_count

    waiting = waiting_count(user=user)
    if waiting:
        yield DeskLine(_("待核实的实绩记录"), reverse("cadres:review_queue"), count=waiting,
                       detail=_("已提交，等待您核实或退回。"), icon="bi-clipboard-check")
    if not gate.can(user, "change"):
        return
    records = PerformanceRecord.objects.restrict(user, "change")
    mine = {}
    if gate.can(user, "verify"):  # the list's filter ``mine`` (cadres.filters_records.RecordFilter)
        records, mine = records.filter(made_by(user)), {"mine": "1"}
    url = reverse("cadres:record_list")
    returned = records.filter(status=RecordStatus.RETURNED).count()
    if returned:
        yield DeskLine(_("被退回的实绩记录"), url + "?" + urlencode({"status": RecordStatus.RETURNED, **mine}),
                       count=returned, detail=_("审核人已退回并写明原因，请修改后重新提交。"), kind=WARNING,
                       icon="bi-arrow-return-left")
    drafts = records.filter(status=RecordStatus.DRAFT).count()
    if drafts:
        yield DeskLine(_("未提交的草稿"), url + "?" + urlencode({"status": RecordStatus.DRAFT, **mine}), count=drafts,
                       detail=_("填写完整并上传佐证材料后提交核实。"), icon="bi-pencil-square")


def import_lines(user):
    """The user's record imports of the last days that finished or failed (newest first)."""
    from .imports import jobs

    if not gate.can(user, "change"):
        return
    cutoff = timezone.now() - dt.timedelta(days=RECENT_IMPORT_DAYS)
    url = reverse("cadres:record_import_status")
    shown = 0
    for entry in jobs.job_list(user=user, limit=RECENT_IMPORTS + 2):
        job = entry["job"]
        if shown >= RECENT_IMPORTS or job.created_at < cutoff:
            break
        if not entry.get("finished"):
            continue
        result = entry.get("result") or {}
        outcome = entry.get("outcome")
        if outcome == jobs.IMPORTED:
            detail, kind = _("已导入 %(n)s 条。") % {"n": result.get("imported", 0)}, DONE
        elif outcome == jobs.REJECTED:
            detail = _("%(n)s 行有错，未导入：请看错误报告，改正后重新上传。") % {"n": result.get("error_count", 0)}
            kind = WARNING
        elif outcome == jobs.INVALID:
            detail, kind = result.get("message") or _("文件无法导入。"), WARNING
        else:
            detail, kind = _("导入失败，请稍后重试或联系管理员。"), WARNING
        shown += 1
        yield DeskLine(_("实绩导入“%(name)s”") % {"name": job.filename}, url + "?" + urlencode({"job": job.id}),
                       detail=detail, kind=kind, icon="bi-file-earmark-arrow-up")


# --------------------------------------------------------------------------- care reminders
def care_lines(user):
    """The reminders as work-desk lines for those who record care (unit leaders in their scope, org
    staff for the city), each a link to its cadre list."""
    from . import services
    from .views.care import REMINDER_LABELS

    if not gate.can(user, "change"):
        return
    today = timezone.localdate()
    url = reverse("cadres:care_list")
    icons = {"no_talk": "bi-chat-heart", "leave": "bi-calendar-x", "no_checkup": "bi-heart-pulse"}
    for key, reminder_of in services.REMINDERS.items():
        if key == "leave" and not services.care.leave_reminder_applies(today):
            continue
        reminder = reminder_of(user=user, today=today, action="change")
        n = reminder.count()
        if n:
            yield DeskLine(str(REMINDER_LABELS[key]), url + "?" + urlencode({"reminder": key}), count=n,
                           detail=reminder.sentence, kind=WARNING, icon=icons[key])

