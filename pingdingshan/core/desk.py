"""The work desk (工作台) on the home page: what needs this user now.

Core imports no app. Each app registers its line providers in its ``AppConfig.ready``::

    from pingdingshan.core import desk
    desk.register(my_lines, order=20)

A provider is ``provider(user) -> iterable of DeskLine`` (it returns nothing for a user the
lines do not concern). Providers read through the permission gate like any selector, and keep to a
few cheap queries: the home page runs all of them on every visit. Each line links to the filtered
list where the work is done, and its count is that list's count: ``list_line`` builds the line from
the list page's own ``ListPage`` (its view's ``…_page(request)`` function) at the line's URL, so the
number and the rows behind the link come from one definition (the list's selector and FilterSet,
through the gate) and cannot drift apart.
"""
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

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


def provider(fn: Callable) -> Provider:
    """Decorates a provider that may yield None (``list_line`` of an empty list): it returns its
    lines without them."""
    @functools.wraps(fn)
    def lines(user):
        return [line for line in fn(user) or () if line is not None]

    return lines


def list_page(page: Callable, user, url: str):
    """The list page ``page`` (the list view's ``request -> ListPage`` function) as ``user`` sees
    it at ``url`` (a GET request with ``url``'s query)."""
    from django.http import HttpRequest, QueryDict

    request = HttpRequest()
    request.method = "GET"
    request.user = user
    request.path = urlsplit(url).path
    request.GET = QueryDict(urlsplit(url).query)
    return page(request)


def list_count(page: Callable, user, url: str) -> int:
    """How many rows the list page shows at ``url`` for ``user``: one COUNT query (the page's
    selector and FilterSet, through the gate)."""
    return list_page(page, user, url).qs.count()


def list_line(user, page: Callable, url: str | None, label: str, **options) -> DeskLine | None:
    """A line counting what the list page ``page`` shows at ``url`` (None when the count is zero or
    the page is not installed, ``url`` None). ``options``: ``detail``, ``kind``, ``icon``."""
    if url is None:
        return None
    n = list_count(page, user, url)
    return DeskLine(label, url, count=n, **options) if n else None


# --------------------------------------------------------------------------- the auditor's desk
AUDIT_DAYS = 7  # an auditor's desk shows the exports of the last days


def audit_lines(user):
    """For those who read the audit history but change nothing (auditors): nothing to do, but what
    to look at: the exports of the last ``AUDIT_DAYS`` days (the export log filtered, counted by it,
    shown even at zero) and the audit log."""
    import datetime as dt

    from django.urls import reverse
    from django.utils.http import urlencode
    from django.utils.translation import gettext as _

    from . import permissions as gate
    from .dates import today

    if not gate.can(user, "audit") or gate.can(user, "change"):
        return

    def page(request):
        from .views import export_log_page

        return export_log_page(request)

    since = today() - dt.timedelta(days=AUDIT_DAYS)
    url = reverse("core:export_log") + "?" + urlencode({"date_from": since.isoformat()})
    yield DeskLine(_("近 %(n)s 天的数据导出") % {"n": AUDIT_DAYS}, url, count=list_count(page, user, url), kind=DONE,
                   icon="bi-download", detail=_("谁在何时导出了什么、按什么条件、多少行。"))
    yield DeskLine(_("操作记录"), reverse("core:audit_log"), kind=DONE, icon="bi-journal-text",
                   detail=_("谁在何时改了什么：可按操作人、对象类型和日期查看。"))
