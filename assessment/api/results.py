"""Assessment API: results."""


def register(router):
    pass
