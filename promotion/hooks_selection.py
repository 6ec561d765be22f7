"""What the selection record (选任纪实) adds to core's pages, registered from ``promotion.hooks``:
the notification of a probation ending, the work desk's lines for org staff (probations ending
within ``SELECTION_PROBATION_REMIND_DAYS`` days, notices whose period ended and wait for their
result), the API's enums, and the cadre page's 选拔任用 menu. Two COUNT queries for the desk."""
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from pingdingshan.core import permissions as gate
from pingdingshan.core.dates import today
from pingdingshan.core.desk import TODO, WARNING, DeskLine


def _url(**params) -> str | None:
    try:
        url = reverse("promotion:selection_list")
    except NoReverseMatch:
        return None
    return url + ("?" + urlencode(params) if params else "")


def staff_lines(user):
    """Org staff's lines: probations ending soon (or over) without an outcome; notices ended."""
    if not gate.can(user, "reserve"):
        return
    from .models import Selection, SelectionStatus
    from .services.selection import probation_due, probation_remind_days

    due = probation_due(user=user).count()
    if due and (url := _url(status=SelectionStatus.PROBATION)):
        yield DeskLine(_("试用期即将期满的干部"), url, count=due, kind=WARNING, icon="bi-hourglass-bottom",
                       detail=_("%(d)s天内期满或已期满，请考核并登记转正或恢复原职级。") % {"d": probation_remind_days()})
    ended = (Selection.objects.restrict(user, "view")
             .filter(status=SelectionStatus.APPOINT, notice_end__lt=today(), notice_result_at__isnull=True).count())
    if ended and (url := _url(status=SelectionStatus.APPOINT)):
        yield DeskLine(_("任前公示已期满待登记结果"), url, count=ended, kind=TODO, icon="bi-megaphone")


def register() -> None:
    from django.utils.translation import gettext_lazy

    from pingdingshan.core import desk, registry
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
    # The cadre page's 选拔任用 menu (cadre_selection.py).
    registry.action_menus.register("cadre", registry.ActionMenu(
        key="selection", label=gettext_lazy("选拔任用"), icon="bi-person-check",
        items="promotion.cadre_selection.selection_menu", order=50))
