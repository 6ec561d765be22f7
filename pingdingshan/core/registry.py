"""Where apps plug into the pages core and lower apps own, so that imports run one way
(``analysis → promotion → assessment → cadres → pingdingshan.core``, checked by import-linter): a
higher app registers in its ``AppConfig.ready``, the page that shows the entries reads the registry,
and neither imports the other.

- ``tabs``: tabs of an object's detail page (``tabs.register("cadre", Tab(...))``: assessment adds
  its results and 担当状态 tabs to the cadre page of ``cadres``); on the unit page (``"unit"``)
  each entry is a panel shown below the unit's basic information (its template included with its
  context: assessment counts the subtree's cards in force);
- ``bell_counts``: numbers next to the header's notification bell (records waiting for
  verification);
- ``home_figures``: the numbers of the home page;
- ``demo_steps``: what ``seed_demo`` loads after the city (the demo assessments);
- ``health_checks``: what the ``core.health_check`` task reports besides the database;
- ``notification_kinds``: the sentences of the notifications an app sends (a notification stores
  its kind's code and parameters and is put in words when shown, in the reader's language);
- ``career_events``: dated lines a higher app adds to the cadre page's career timeline (简历 tab)
  beside the résumé entries, and the buttons it offers there (promotion: the frontline postings
  and "新增一线历练");
- ``action_menus``: dropdowns in the header of an object's detail page (``action_menus.register(
  "cadre", ActionMenu(...))``: promotion's 选拔任用 menu on the cadre page).

Callables may be given as dotted paths (``"assessment.views.results.assessment_tab_context"``),
imported when first used, so ``ready()`` imports no views.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.module_loading import import_string


def _resolve(fn):
    return import_string(fn) if isinstance(fn, str) else fn


class Registry:
    """Entries with a unique ``key``, in ``order`` (then registration order). Registering a key again
    replaces the entry (``ready()`` may run twice in tests)."""

    def __init__(self, name: str):
        self.name = name
        self._entries: dict[str, Any] = {}

    def register(self, entry):
        self._entries[entry.key] = entry
        return entry

    def unregister(self, key: str) -> None:
        self._entries.pop(key, None)

    def get(self, key: str):
        return self._entries.get(key)

    def __iter__(self):
        return iter(sorted(self._entries.values(), key=lambda e: getattr(e, "order", 0)))

    def __len__(self):
        return len(self._entries)

    def __repr__(self):
        return f"<Registry {self.name}: {', '.join(self._entries)}>"


# --------------------------------------------------------------------------- detail-page tabs
@dataclass(frozen=True)
class Tab:
    """One tab of a detail page: ``context(user, obj) -> dict`` fills the template (included inside
    the page, with the page's context)."""

    key: str
    label: Any
    icon: str
    template: str
    context: Callable | str
    order: int = 100

    def get_context(self, user, obj) -> dict:
        return _resolve(self.context)(user, obj)


class TabRegistry:
    """Tabs per page (``"cadre"``): ``register(page, tab)``, ``for_page(page)`` in order."""

    def __init__(self):
        self._pages: dict[str, Registry] = {}

    def register(self, page: str, tab: Tab) -> Tab:
        return self._pages.setdefault(page, Registry(f"tabs:{page}")).register(tab)

    def for_page(self, page: str) -> list[Tab]:
        return list(self._pages.get(page, ()))

    def get(self, page: str, key: str) -> Tab | None:
        reg = self._pages.get(page)
        return reg.get(key) if reg is not None else None


tabs = TabRegistry()


# --------------------------------------------------------------------------- header bell
@dataclass(frozen=True)
class BellCount:
    """A number by the bell, for users the gate allows ``action``: ``count(user, request) -> int``.
    The header reads it as ``bell.<key>`` (None for users without the action)."""

    key: str
    action: str
    count: Callable | str
    order: int = 100

    def value(self, user, request=None) -> int:
        return _resolve(self.count)(user, request)


bell_counts = Registry("bell_counts")


# --------------------------------------------------------------------------- home page
@dataclass(frozen=True)
class HomeFigure:
    """A number of the home page, as ``{{ key }}`` in its template: ``value(user) -> int``; shown
    above the work desk with its ``label`` and icon, linking to ``url`` (a callable giving the
    filtered list's URL, or a dotted path to one)."""

    key: str
    value: Callable | str
    order: int = 100
    label: Any = ""
    url: Callable | str | None = None
    icon: str = "bi-hash"

    def get(self, user):
        return _resolve(self.value)(user)

    def get_url(self) -> str:
        return _resolve(self.url)() if self.url else ""


home_figures = Registry("home_figures")


# --------------------------------------------------------------------------- demo data
@dataclass(frozen=True)
class DemoStep:
    """Demo data ``seed_demo`` loads after the city, inside its transaction, as the demo admin:
    ``build(by) -> int`` (rows written) when the city is new, or, for a city loaded before this step
    existed, when ``present() -> bool`` says it is missing (then ``fill_message`` % {"n": ...} is
    printed). ``key`` names the count in the command's summary; ``summary`` % {"n": ...}, when
    given, is printed after a new city's summary line when the step wrote anything."""

    key: str
    build: Callable | str
    present: Callable | str
    fill_message: Any
    order: int = 100
    summary: Any = None

    def run(self, *, by) -> int:
        return _resolve(self.build)(by=by)

    def is_present(self) -> bool:
        return _resolve(self.present)()


demo_steps = Registry("demo_steps")


# --------------------------------------------------------------------------- health check
@dataclass(frozen=True)
class HealthCheck:
    """A figure the ``core.health_check`` task reports: ``value() -> JSON-able``."""

    key: str
    value: Callable | str
    order: int = 100

    def get(self):
        return _resolve(self.value)()


health_checks = Registry("health_checks")


# --------------------------------------------------------------------------- notifications
@dataclass(frozen=True)
class NotificationKind:
    """A kind of notification: ``message`` (lazily translated, with ``%(name)s`` placeholders) is
    filled with the notification's stored ``params`` when it is shown, in the language then active."""

    key: str
    message: Any
    order: int = 100

    def render(self, params: dict) -> str:
        return str(self.message) % params


notification_kinds = Registry("notification_kinds")


# --------------------------------------------------------------------------- the cadre's career timeline
@dataclass(frozen=True)
class CareerEvent:
    """One dated line of a cadre's career timeline: ``start``–``end`` (None: ongoing), the text, a
    link, and a small badge (``badge_style`` a Bootstrap colour) and label of its kind."""

    start: Any
    end: Any
    text: str
    url: str = ""
    kind_label: Any = ""
    badge: Any = ""
    badge_style: str = "secondary"
    note: Any = ""


@dataclass(frozen=True)
class CareerSource:
    """Where lines of the timeline come from: ``events(user, cadre) -> [CareerEvent]`` (read through
    the gate; a few queries, never one per line) and ``actions(user, cadre) -> [(label, url, icon)]``,
    the buttons shown above the timeline to users who may use them."""

    key: str
    events: Callable | str
    actions: Callable | str | None = None
    order: int = 100

    def get_events(self, user, cadre) -> list:
        return list(_resolve(self.events)(user, cadre))

    def get_actions(self, user, cadre) -> list:
        return list(_resolve(self.actions)(user, cadre)) if self.actions else []


career_events = Registry("career_events")


# --------------------------------------------------------------------------- action menus of a detail page
@dataclass(frozen=True)
class MenuItem:
    """One line of an action menu: a link (``url``) or, without one, a heading; ``note`` in small
    print after the label (a record's step)."""

    label: Any
    url: str = ""
    icon: str = ""
    note: Any = ""


@dataclass(frozen=True)
class ActionMenu:
    """A dropdown a higher app adds to the header of an object's detail page (promotion: the cadre
    page's 选拔任用): ``items(user, obj) -> [MenuItem]`` (read through the gate; a few queries),
    shown only when it gives any."""

    key: str
    label: Any
    icon: str
    items: Callable | str
    order: int = 100

    def get_items(self, user, obj) -> list:
        return list(_resolve(self.items)(user, obj))


class MenuRegistry(TabRegistry):
    """Action menus per page (``"cadre"``): ``register(page, menu)``, ``for_page(page)`` in order,
    ``menus(page, user, obj)`` the menus with their items (empty ones left out)."""

    def menus(self, page: str, user, obj) -> list[dict]:
        out = []
        for menu in self.for_page(page):
            items = menu.get_items(user, obj)
            if items:
                out.append({"key": menu.key, "label": menu.label, "icon": menu.icon, "items": items})
        return out


action_menus = MenuRegistry()
