"""City analysis figures (大数据研判, issue 14): one module per analysis page, each a function

    build(user, params: Params) -> Figures

that reads through the existing selectors and one-rule functions (the gate decides what the user
counts; never a second copy of a rule). The same ``Figures`` feed the ECharts page, its export and
the auditors' reports (xlsx and PDF), so a figure is computed in one place only.

``PAGES`` maps a page's slug to its builder; modules add themselves with ``@page(slug, title)``;
the registry is then put in the menu's order (``ORDER``).
"""
from . import archive, conduct, grades, pool, quota, selection, structure  # noqa: F401  (register the pages)
from .base import PAGES, Chart, Figures, Params, Table, page  # noqa: F401

ORDER = ("structure", "archive", "grades", "conduct", "pool", "quota", "selection")
_registered = dict(PAGES)
PAGES.clear()
PAGES.update({slug: _registered.pop(slug) for slug in ORDER if slug in _registered})
PAGES.update(_registered)  # a page registered elsewhere: after the seven
