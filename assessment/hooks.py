"""What assessment adds to the pages of core and of the roster (``pingdingshan.core.registry``),
registered in ``AssessmentConfig.ready``: the 考核 and 担当状态 tabs of a cadre's page, the panel of
a unit's page counting its subtree's cards, and the demo assessments that ``seed_demo`` loads after
the city."""
from django.utils.translation import gettext_lazy as _

from pingdingshan.core import registry


def demo_present() -> bool:
    from .models import AssessmentPeriod

    return AssessmentPeriod.objects.exists()


def register() -> None:
    from pingdingshan.core.schema import register_choices

    from .models import AwardTarget, CampaignStatus, Level, NominationStatus

    register_choices(AwardTarget, CampaignStatus, Level, NominationStatus)
    registry.tabs.register("cadre", registry.Tab(
        key="assessment", label=_("考核"), icon="bi-clipboard-data", template="assessment/results/_tab_assessment.html",
        context="assessment.views.results.assessment_tab_context", order=55))
    registry.tabs.register("cadre", registry.Tab(
        key="standing", label=_("担当状态"), icon="bi-shield-check", template="assessment/standing/_tab_standing.html",
        context="assessment.views.standing.standing_tab_context", order=57))
    # A panel of the unit page (its subtree's cards in force by colour).
    registry.tabs.register("unit", registry.Tab(
        key="cards", label=_("有效的红黄牌"), icon="bi-flag", template="assessment/standing/_unit_cards.html",
        context="assessment.views.standing.unit_cards_context", order=20))
    registry.tabs.register("cadre", registry.Tab(
        key="awards", label=_("表彰"), icon="bi-award", template="assessment/awards/_tab_awards.html",
        context="assessment.views.awards.cadre_awards_context", order=60))
    registry.tabs.register("unit", registry.Tab(  # a panel of the unit page: the unit's own awards
        key="awards", label=_("单位表彰"), icon="bi-award", template="assessment/awards/_unit_awards.html",
        context="assessment.views.awards.unit_awards_context", order=60))
    registry.demo_steps.register(registry.DemoStep(
        key="results", build="assessment.demo.build_demo_assessment", present=demo_present,
        fill_message=_("已为现有演示数据补充考核结果 %(n)s 条。")))
    registry.demo_steps.register(registry.DemoStep(
        key="conduct", build="assessment.demo_conduct.build", present="assessment.demo_conduct.present",
        fill_message=_("已为现有演示数据补充表彰、红黄牌和容错纠错记录 %(n)s 条。"), order=110,
        summary=_("另有表彰、红黄牌和容错纠错等记录 %(n)s 条。")))
    registry.demo_steps.register(registry.DemoStep(  # the 任免审批表's 奖惩情况 of the cadres above
        key="rewards_text", build="assessment.demo_conduct.rewards_text.build",
        present="assessment.demo_conduct.rewards_text.present", order=115,
        fill_message=_("已为现有演示数据中有表彰或处分的干部补充奖惩情况 %(n)s 人。")))
