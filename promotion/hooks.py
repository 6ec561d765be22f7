"""What promotion adds to the pages of core, the roster and assessment (``pingdingshan.core.registry``),
registered in ``PromotionConfig.ready``: the cadre page's 储备库 tab, postings on the career timeline,
the work desk's lines, the demo's pools, postings and runs. Each feature adds its own entries in
``register`` below."""


def register() -> None:
    from django.utils.translation import gettext_lazy as _

    from pingdingshan.core import desk, registry

    from . import desk_postings

    # frontline postings: on the cadre's career timeline, and the work desk's lines
    registry.career_events.register(registry.CareerSource(
        key="postings", events="promotion.career_postings.posting_events",
        actions="promotion.career_postings.posting_actions", order=50))
    desk.register(desk_postings.staff_lines, order=40)
    desk.register(desk_postings.leader_lines, order=41)
    registry.demo_steps.register(registry.DemoStep(
        key="postings", build="promotion.demo_postings.build", present="promotion.demo_postings.present",
        fill_message=_("已为现有演示数据补充一线历练 %(n)s 条。"), order=120,
        summary=_("另有一线历练 %(n)s 条。")))
    registry.demo_steps.register(registry.DemoStep(
        key="reserve", build="promotion.demo_reserve.build", present="promotion.demo_reserve.present",
        fill_message=_("已为现有演示数据补充储备库、人选和两次排名 %(n)s 条。"), order=130,
        summary=_("另有储备库、人选和排名运行 %(n)s 条。")))
    registry.demo_steps.register(registry.DemoStep(
        key="ninebox", build="promotion.demo_ninebox.build", present="promotion.demo_ninebox.present",
        fill_message=_("已为现有演示数据按当前排名设置九宫格分档线。"), order=140))
    # The cadre page's 储备库 tab (views/reserve_tab.py).
    registry.tabs.register("cadre", registry.Tab(
        key="reserve", label=_("储备库"), icon="bi-people", template="promotion/_tab_reserve.html",
        context="promotion.views.reserve_tab.reserve_tab_context", order=65))

    from . import hooks_selection

    hooks_selection.register()  # 选任纪实: notifications, desk lines, API enums
