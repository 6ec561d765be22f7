"""What the roster adds to core's registries (``pingdingshan.core.registry``), registered in
``CadresConfig.ready``: the records waiting for verification by the bell, the home page's figures,
the number of ranks in the health check, the cadre page's 关心关爱 tab, and the demo family members
and care records (``seed_demo``)."""
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from pingdingshan.core import registry


def bell_waiting(user, request=None) -> int | None:
    """Records waiting for this user's verification. A page that counted the unfiltered review queue
    already (the review queue, the record list) leaves the number on the request, the work desk on
    the user (the request's user object): no second COUNT."""
    known = getattr(request, "review_waiting_count", None)
    if known is None:
        known = getattr(user, "review_waiting_count", None)
    if known is not None:
        return known
    from .selectors import waiting_count

    return waiting_count(user=user)


def active_cadre_count(user) -> int:
    from .models import Cadre, CadreStatus

    return Cadre.objects.restrict(user).filter(status=CadreStatus.ACTIVE).count()


def unit_count(user) -> int:
    from .models import Unit

    return Unit.objects.restrict(user).count()


def active_cadres_url() -> str:
    from .models import CadreStatus

    return reverse("cadres:cadre_list") + "?" + urlencode({"status": CadreStatus.ACTIVE})


def units_url() -> str:
    return reverse("cadres:unit_tree")


def rank_count() -> int:
    from .models import Rank

    return Rank.objects.count()


def register() -> None:
    registry.bell_counts.register(registry.BellCount(key="waiting", action="verify", count=bell_waiting))
    registry.home_figures.register(registry.HomeFigure(key="cadre_count", value=active_cadre_count, order=10,
                                                       label=_("在职干部"), url=active_cadres_url, icon="bi-people"))
    registry.home_figures.register(registry.HomeFigure(key="unit_count", value=unit_count, order=20,
                                                       label=_("单位"), url=units_url, icon="bi-diagram-3"))
    registry.health_checks.register(registry.HealthCheck(key="ranks", value=rank_count))
    registry.tabs.register("cadre", registry.Tab(
        key="care", label=_("关心关爱"), icon="bi-heart", template="cadres/care/_tab_care.html",
        context="cadres.views.care.care_tab_context", order=45))
    registry.demo_steps.register(registry.DemoStep(
        key="family", build="cadres.demo.family.build", present="cadres.demo.family.present", order=50,
        fill_message=_("已为现有演示数据补充家庭成员 %(n)s 人。"), summary=_("另有家庭成员 %(n)s 人。")))
    registry.demo_steps.register(registry.DemoStep(
        key="care", build="cadres.demo.care.build", present="cadres.demo.care.present", order=55,
        fill_message=_("已为现有演示数据补充关心关爱记录 %(n)s 条。"), summary=_("另有关心关爱记录 %(n)s 条。")))
