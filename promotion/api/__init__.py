"""The promotion API under /api/v1/: every viewset registers on the one router here."""


def register(router):
    from . import pools, postings, ranking

    postings.register(router)
    pools.register(router)
    ranking.register(router)
    from . import selection  # 选任纪实 (issue 13)

    selection.register(router)
    from . import post_eligibility  # eligibility against a target post, its settings (issue 13)

    post_eligibility.register(router)
    from . import vacancies  # 空缺岗位与人选 (issue 13)

    vacancies.register(router)
    from . import ninebox  # 九宫格 (issue 13)

    ninebox.register(router)
