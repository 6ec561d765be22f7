"""What promotion adds to the pages of core, the roster and assessment (``pingdingshan.core.registry``),
registered in ``PromotionConfig.ready``: the cadre page's 储备库 tab, postings on the career timeline,
the work desk's lines, the demo's pools, postings and runs. Each feature adds its own entries in
``register`` below."""


def register() -> None:
    from . import hooks_selection

    hooks_selection.register()  # 选任纪实: notifications, desk lines, API enums
