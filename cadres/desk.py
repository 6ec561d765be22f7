"""The roster's and the archive's lines on the work desk (registered in ``CadresConfig.ready``)."""
import dataclasses
import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from pingdingshan.core import desk
from pingdingshan.core import permissions as gate
from pingdingshan.core.desk import DONE, WARNING, DeskLine

RECENT_IMPORT_DAYS = 3  # finished imports stay on the desk this long
RECENT_IMPORTS = 3  # and at most this many


def _review_page(request):
    from .views.review import review_page

    return review_page(request)


def _record_page(request):
    from .views.records import record_page

    return record_page(request)


@desk.provider
def record_lines(user):
    """Records to verify (for those who verify), returned records to fix and drafts not yet
    submitted (for those who may change records): the records this user has to fix, i.e. for those
    who verify (org staff) the ones they created or submitted themselves (the list's filter ``mine``:
    the returned and drafts of the whole city are not theirs to fix), for unit leaders the ones in
    their scope. Each counted by its list page at its URL (``core.desk.list_line``)."""
    from .models import RecordStatus

    if gate.can(user, "verify"):
        url = reverse("cadres:review_queue")
        # the whole queue: the header's bell shows this count without counting again (cadres.hooks)
        user.review_waiting_count = waiting = desk.list_count(_review_page, user, url)
        if waiting:
            yield DeskLine(_("待核实的实绩记录"), url, count=waiting, detail=_("已提交，等待您核实或退回。"),
                           icon="bi-clipboard-check")
    if not gate.can(user, "change"):
        return
    mine = {"mine": "1"} if gate.can(user, "verify") else {}
    url = reverse("cadres:record_list") + "?"
    yield desk.list_line(user, _record_page, url + urlencode({"status": RecordStatus.RETURNED, **mine}),
                         _("被退回的实绩记录"), detail=_("审核人已退回并写明原因，请修改后重新提交。"), kind=WARNING,
                         icon="bi-arrow-return-left")
    yield desk.list_line(user, _record_page, url + urlencode({"status": RecordStatus.DRAFT, **mine}),
                         _("未提交的草稿"), detail=_("填写完整并上传佐证材料后提交核实。"), icon="bi-pencil-square")


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
@desk.provider
def care_lines(user):
    """The reminders as work-desk lines for those who record care (unit leaders in their scope, org
    staff for the city), each a link to its cadre list and counted by that list."""
    from . import services
    from .views.care import REMINDER_LABELS, reminder_page

    if not gate.can(user, "change"):
        return
    today = timezone.localdate()
    url = reverse("cadres:care_list")
    icons = {"no_talk": "bi-chat-heart", "leave": "bi-calendar-x", "no_checkup": "bi-heart-pulse"}
    for key in services.REMINDERS:
        if key == "leave" and not services.care.leave_reminder_applies(today):
            continue
        shown = {}

        def page(request, key=key, shown=shown):
            shown["reminder"], lp = reminder_page(request, key)
            return lp

        line = desk.list_line(user, page, url + "?" + urlencode({"reminder": key}), str(REMINDER_LABELS[key]),
                              kind=WARNING, icon=icons[key])
        if line is not None:
            yield dataclasses.replace(line, detail=shown["reminder"].sentence)


@desk.provider
def follow_up_lines(user):
    """Talks whose follow-up (跟进事项) is not done yet, for those who record care, counted by the
    talk list at its URL (``?kind=talk&follow_up=on``)."""
    from .views.care import care_page

    if not gate.can(user, "change"):
        return
    url = reverse("cadres:care_list") + "?" + urlencode({"kind": "talk", "follow_up": "on"})
    yield desk.list_line(user, lambda request: care_page(request, "talk"), url, _("谈心谈话待跟进事项"),
                         detail=_("谈话时记下的跟进事项尚未完成，完成后请在谈话记录中勾选。"), icon="bi-chat-left-dots")
