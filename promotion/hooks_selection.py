"""What the selection record (选任纪实) adds to core's pages, registered from ``promotion.hooks``:
the notification of a probation ending, the work desk's lines (org staff: the records in progress per
step, probations ending within ``SELECTION_PROBATION_REMIND_DAYS`` days, notices whose period ended
and wait for their result; unit leaders: their records at 民主推荐), the API's enums, and the cadre
page's 选拔任用 menu. Three COUNT queries for the desk, each on the selection list at the line's URL."""
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from pingdingshan.core import desk
from pingdingshan.core import permissions as gate
from pingdingshan.core.desk import TODO, WARNING, DeskLine


def _url(**params) -> str | None:
    try:
        url = reverse("promotion:selection_list")
    except NoReverseMatch:
        return None
    return url + ("?" + urlencode(params) if params else "")


def _page(request):
    from .views.selection import list_page

    return list_page(request)


@desk.provider
def staff_lines(user):
    """Org staff's lines: the records in progress (per step, in one query), probations ending soon
    (or over) without an outcome, notices ended without their result; each counted by the selection
    list at its URL."""
    from django.db.models import Count

    from .filters_selection import NOTICE_ENDED, OPEN, PROBATION_DUE
    from .models import SelectionStatus
    from .services.selection import probation_remind_days

    if not gate.can(user, "reserve"):
        return
    url = _url(waiting=OPEN)
    if url is not None:
        rows = (desk.list_page(_page, user, url).qs.order_by().values("status")
                .annotate(n=Count("pk")).values_list("status", "n"))
        by_step = dict(rows)
        total = sum(by_step.values())
        if total:
            steps = "、".join(f"{label} {by_step[value]}" for value, label in SelectionStatus.choices
                             if by_step.get(value))
            yield DeskLine(_("进行中的选任纪实"), url, count=total, kind=TODO, icon="bi-person-check",
                           detail=_("所处环节：%(steps)s。") % {"steps": steps})
    yield desk.list_line(user, _page, _url(waiting=PROBATION_DUE), _("试用期即将期满的选任纪实"), kind=WARNING,
                         icon="bi-hourglass-bottom",
                         detail=_("%(d)s天内期满或已期满，请考核并登记转正或恢复原职级。") % {"d": probation_remind_days()})
    yield desk.list_line(user, _page, _url(waiting=NOTICE_ENDED), _("任前公示已期满待登记结果"), kind=TODO,
                         icon="bi-megaphone", detail=_("公示期已结束，请登记公示结果。"))


@desk.provider
def leader_lines(user):
    """A unit leader's line: their units' records at 民主推荐, where they record the rounds."""
    from .models import SelectionStatus

    if gate.can(user, "reserve") or not gate.can(user, "recommend"):
        return
    yield desk.list_line(user, _page, _url(status=SelectionStatus.RECOMMEND), _("待民主推荐的选任纪实"),
                         kind=TODO, icon="bi-people",
                         detail=_("本单位的选任纪实处于民主推荐环节，请组织推荐并登记结果。"))


def register() -> None:
    from django.utils.translation import gettext_lazy

    from pingdingshan.core import registry
    from pingdingshan.core.schema import register_choices

    from . import notices_selection
    from .models import (
        DecisionOutcome,
        FileItem,
        Matters,
        ProbationOutcome,
        RecommendationMethod,
        SelectionKind,
        SelectionStatus,
    )

    notices_selection.register()
    registry.demo_steps.register(registry.DemoStep(
        key="selections", build="promotion.demo_selection.build", present="promotion.demo_selection.present",
        fill_message=gettext_lazy("已为现有演示数据补充选任纪实 %(n)s 件。"), order=130))
    register_choices(DecisionOutcome, FileItem, Matters, ProbationOutcome, RecommendationMethod, SelectionKind,
                     SelectionStatus)
    desk.register(staff_lines, order=45)
    desk.register(leader_lines, order=46)
    # The cadre page's 选拔任用 menu (cadre_selection.py).
    registry.action_menus.register("cadre", registry.ActionMenu(
        key="selection", label=gettext_lazy("选拔任用"), icon="bi-person-check",
        items="promotion.cadre_selection.selection_menu", order=50))
