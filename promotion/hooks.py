"""What promotion adds to the pages of core, the roster and assessment (``pingdingshan.core.registry``),
registered in ``PromotionConfig.ready``: the cadre page's 储备库 tab, postings on the career timeline,
the work desk's lines, the demo's pools, postings and runs. Each feature adds its own entries in
``register`` below."""


def register() -> None:
    from django.utils.translation import gettext_lazy as _

    from pingdingshan.core import registry

    # The cadre page's 储备库 tab (views/reserve_tab.py).
    registry.tabs.register("cadre", registry.Tab(
        key="reserve", label=_("储备库"), icon="bi-people", template="promotion/_tab_reserve.html",
        context="promotion.views.reserve_tab.reserve_tab_context", order=65))
