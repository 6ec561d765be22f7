"""The work desk (工作台) on the home page: what needs this user now.

Core imports no app. Each app registers its line providers in its ``AppConfig.ready``::

    from pingdingshan.core import desk
    desk.register(my_lines, order=20)

A provider is ``provider(user) -> iterable of DeskLine`` (it returns nothing for a user the
lines do not concern). Providers read through the permission gate like any selector, and keep to a
few cheap queries: the home page runs all of them on every visit. Each line links to the filtered
list where the work is done.
"""
from collections.abc import Callable, Iterable
from dataclasses import dataclass

# How a line looks: "todo" (something to do), "warning" (something went wrong), "done" (finished,
# for information). The numbers above the lines (the scope's size) are ``registry.home_figures``.
TODO, WARNING, DONE = "todo", "warning", "done"


@dataclass(frozen=True)
class DeskLine:
    label: str  # what it is, translated ("待核实的实绩记录")
    url: str  # the filtered list where the work is done
    count: int | None = None  # how many, when it is a number
    detail: str = ""  # what is missing, in a sentence
    kind: str = TODO
    icon: str = "bi-check2-square"  # a Bootstrap Icons name


Provider = Callable[[object], Iterable[DeskLine]]
_providers: list[tuple[int, str, Provider]] = []


def register(provider: Provider, *, order: int = 100) -> Provider:
    """Add a line provider (apps call it in ``AppConfig.ready``); lower ``order`` comes first.
    Registering the same function twice keeps one."""
    key = f"{provider.__module__}.{provider.__qualname__}"
    if not any(k == key for _, k, _ in _providers):
        _providers.append((order, key, provider))
        _providers.sort(key=lambda p: (p[0], p[1]))
    return provider


def unregister(provider: Provider) -> None:
    key = f"{provider.__module__}.{provider.__qualname__}"
    _providers[:] = [p for p in _providers if p[1] != key]


def providers() -> list[Provider]:
    return [p for _, _, p in _providers]


def lines_for(user) -> list[DeskLine]:
    """Every registered provider's lines for ``user``, in registration order."""
    out: list[DeskLine] = []
    for provider in providers():
        out.extend(line for line in provider(user) or () if line is not None)
    return out
