"""REST API of the roster (filled in by the API work)."""


def register(router):
    return router
