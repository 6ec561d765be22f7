"""The pools API under /api/v1/."""


def register(router):
    pass
