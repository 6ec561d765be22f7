"""The assessment API under /api/v1/: every viewset registers on the one router here."""


def register(router):
    from . import results, setup  # noqa: F401  (modules register themselves below)

    setup.register(router)
    results.register(router)
