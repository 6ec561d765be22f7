"""The assessment API under /api/v1/: every viewset registers on the one router here."""


def register(router):
    from . import awards, cards, proposals, protection, reminders, results, setup  # noqa: F401

    setup.register(router)
    results.register(router)
    cards.register(router)
    proposals.register(router)
    awards.register(router)
    protection.register(router)
    reminders.register(router)
