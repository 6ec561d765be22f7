"""Helpers shared by the roster pages: the gate as decorators, query strings, pagination."""
import functools
from functools import cached_property

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from pingdingshan.core import permissions as gate


def requires(action: str, *, post_only: bool = False):
    """login_required + the gate's 403 for users who may not perform ``action`` anywhere
    (+ POST only). Scope (404) is checked by the selector / gate.get_or_404 inside the view,
    and again by the service."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            gate.require(request.user, action)
            return view(request, *args, **kwargs)

        wrapped = login_required(wrapped)
        if post_only:
            wrapped = require_POST(wrapped)
        return wrapped

    return decorator


def query_without(params: QueryDict, *names) -> str:
    """The query string without ``names`` (for page and sort links that keep the filters)."""
    q = params.copy()
    for n in names:
        q.pop(n, None)
    return q.urlencode()


class CountedPaginator(Paginator):
    """A paginator told how many rows there are. A list page that already counts its filtered rows
    exactly (the status tabs of the record list, the per-unit counts of the review queue) passes
    that number, so the paginator does not run a second COUNT over the same rows."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._known_count = count

    @cached_property
    def count(self):
        return self._known_count


def paginate(request, queryset, *, param="page", per_page=None, count=None):
    """The requested page of ``queryset``; ``count``, when given, must be exactly the number of its
    rows (then no COUNT query runs)."""
    per_page = per_page or getattr(settings, "ROSTER_PAGE_SIZE", 50)
    if count is None:
        paginator = Paginator(queryset, per_page)
    else:
        paginator = CountedPaginator(queryset, per_page, count=count)
    page = paginator.get_page(request.GET.get(param))
    page.elided_range = list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    page.ellipsis = paginator.ELLIPSIS
    return page


def back_to(cadre, tab: str):
    return redirect(f"{cadre_url(cadre)}?tab={tab}")


def cadre_url(cadre):
    from django.urls import reverse

    return reverse("cadres:cadre_detail", args=[cadre.pk])


def can_change(user, model=None) -> bool:
    """Show write buttons? (The services decide for real.)"""
    return gate.allows(user, "change", model)


def sort_headers(request, columns):
    """Column headers of a sortable list: [(label, ordering parameter or None)] → label, the link
    that sorts by it (toggling asc/desc, keeping the filters) and the current arrow."""
    current = request.GET.get("ordering", "")
    keep = query_without(request.GET, "ordering", "page")
    headers = []
    for label, param in columns:
        if param is None:
            headers.append({"label": label})
            continue
        if current == param:
            nxt, arrow = f"-{param}", "up"
        elif current == f"-{param}":
            nxt, arrow = param, "down"
        else:
            nxt, arrow = param, None
        qs = f"ordering={nxt}" + (f"&{keep}" if keep else "")
        headers.append({"label": label, "url": f"?{qs}", "arrow": arrow})
    return headers


def export_request(request, skip=("page", "format")):
    """(file format, filters) of a list's export link: the format asked for (xlsx by default) and
    the non-empty query parameters, recorded with the export in the ExportLog."""
    from pingdingshan.core.exports import FORMATS

    file_format = request.GET.get("format", "xlsx")
    if file_format not in FORMATS:
        file_format = "xlsx"
    filters = {}
    for key in request.GET:
        if key in skip:
            continue
        values = [v for v in request.GET.getlist(key) if v != ""]
        if values:
            filters[key] = values[0] if len(values) == 1 else values
    return file_format, filters
