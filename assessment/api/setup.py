"""Assessment API: setup."""


def register(router):
    pass
