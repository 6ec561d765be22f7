"""Building blocks of the server-rendered pages, shared by every app: the gate as a view decorator,
query strings that keep the filters, pagination, sortable column headers and the export link's
format and filters."""
import functools
from functools import cached_property

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from . import permissions as gate


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


def settings_page(request, form, *, save, saved: str, then: str, template: str, context=None):
    """A settings page of one form: on a valid POST ``save(by=request.user, **form.cleaned_data)``
    (the service); its ValidationError goes next to the fields, else the ``saved`` message and a
    redirect to ``then``. Otherwise the page with ``form`` and ``context`` (a dict, or a callable
    giving it, so a successful POST does not build it), 400 after a rejected POST."""
    if request.method == "POST" and form.is_valid():
        try:
            save(by=request.user, **form.cleaned_data)
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            messages.success(request, saved)
            return redirect(then)
    extra = context() if callable(context) else (context or {})
    return render(request, template, {"form": form, **extra}, status=400 if request.method == "POST" else 200)


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


def sort_headers(request, columns, *, param_name="ordering"):
    """Column headers of a sortable list: [(label, ordering parameter or None)] → label, the link
    that sorts by it (toggling asc/desc, keeping the filters) and the current arrow. ``param_name``:
    the query parameter that holds the order (``ordering``; the users list keeps its ``sort``)."""
    current = request.GET.get(param_name, "")
    keep = query_without(request.GET, param_name, "page")
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
        qs = f"{param_name}={nxt}" + (f"&{keep}" if keep else "")
        headers.append({"label": label, "url": f"?{qs}", "arrow": arrow})
    return headers


def export_request(request, skip=("page", "format")):
    """(file format, filters) of a list's export link: the format asked for (xlsx by default) and
    the non-empty query parameters, recorded with the export in the ExportLog."""
    from .exports import FORMATS

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


# --------------------------------------------------------------------------- one list page
NOT_FILTERS = ("page", "format")


def style_filter_form(form, *, skip=("ordering",), choices=None, labels=None, placeholders=None) -> None:
    """The filter bar's look, the same on every list: choice fields limited to ``choices``
    ({name: queryset}, e.g. the units the user sees: the gate decides, never ``objects.all()``),
    their options labelled by ``labels`` ({name: function}); a first "全部" choice; yes/no filters as
    全部/是/否; small Bootstrap controls; date inputs; ``placeholders`` ({name: text})."""
    from django import forms
    from django.utils.translation import gettext as _

    for name, queryset in (choices or {}).items():
        form.fields[name].queryset = queryset
    for name, label in (labels or {}).items():
        form.fields[name].label_from_instance = label
    for name, field in form.fields.items():
        if name in skip:
            continue
        if isinstance(field.widget, forms.CheckboxInput):  # a yes-or-nothing filter (e.g. "mine")
            field.widget.attrs["class"] = "form-check-input"
            continue
        if isinstance(field, forms.NullBooleanField):
            field.widget.choices = [("", _("全部")), ("true", _("是")), ("false", _("否"))]
        elif hasattr(field, "empty_label"):  # model choices and django-filter's ChoiceField
            field.empty_label = _("全部")
            field.widget.choices = field.choices  # the widget's copy still points at the class's field
        elif hasattr(field, "choices"):
            field.choices = [("", _("全部"))] + [c for c in field.choices if c[0] != ""]
        if isinstance(field.widget, forms.DateInput):
            field.widget.input_type = "date"
        select = isinstance(field.widget, forms.Select) or hasattr(field, "choices")
        field.widget.attrs["class"] = "form-select form-select-sm" if select else "form-control form-control-sm"
    for name, text in (placeholders or {}).items():
        form.fields[name].widget.attrs["placeholder"] = text


class ListPage:
    """One list page and its export, the same way everywhere: a FilterSet over the rows the user may
    see (``queryset`` comes from a selector, through the gate), its choices restricted
    (``style_filter_form``), sortable column headers, pagination, and an export of exactly the
    filtered rows. The list view renders ``context(page, ...)``; the export view returns
    ``export(...)``::

        lp = ListPage(request, SchemeFilter, selectors.scheme_list(user=request.user), columns=COLUMNS)
        page = lp.paginate()
        return render(request, "…/scheme_list.html", lp.context(page, schemes=list(page.object_list)))

    A selector that builds the FilterSet itself passes it as ``filterset=`` (from
    ``ListPage.filter_params(request)``). ``choices`` restricts choice fields the FilterSet does not
    restrict through the gate itself. ``page``/``format`` are not filters; invalid filters are
    ignored on the page (the fields show their errors) and refuse the export with a message.
    ``ordering_param``: the FilterSet's OrderingFilter's name (``ordering``)."""

    def __init__(self, request, filterset_class=None, queryset=None, *, filterset=None, columns=(),
                 not_filters=NOT_FILTERS, ordering_param="ordering", **style_options):
        self.request = request
        self.columns = columns
        self.not_filters = not_filters
        self.ordering_param = ordering_param
        style_options.setdefault("skip", (ordering_param,))
        if filterset is None:  # else a FilterSet a selector built (from ``filter_params(request)``)
            filterset = filterset_class(self.filter_params(request, not_filters), queryset=queryset, request=request)
        self.filter = filterset
        style_filter_form(self.filter.form, **style_options)

    @staticmethod
    def filter_params(request, not_filters=NOT_FILTERS):
        """The query parameters that are filters (not the page number or the export format)."""
        params = request.GET.copy()
        for n in not_filters:
            params.pop(n, None)
        return params

    @cached_property
    def valid(self) -> bool:
        """Whether every filter is valid (the fields with errors get ``is-invalid``)."""
        valid = self.filter.is_valid()
        form = self.filter.form
        for name in form.errors:
            if name in form.fields and "is-invalid" not in form.fields[name].widget.attrs.get("class", ""):
                form.fields[name].widget.attrs["class"] = (form.fields[name].widget.attrs.get("class", "")
                                                           + " is-invalid").strip()
        return valid

    @property
    def form(self):
        return self.filter.form

    @property
    def qs(self):
        self.valid  # noqa: B018 - validate (and mark the fields) before filtering
        return self.filter.qs

    @property
    def has_filters(self) -> bool:
        return any(k not in ("page", self.ordering_param) and v for k, v in self.request.GET.items())

    def cleaned(self, name, default=None):
        """A filter's cleaned value (``default`` when the filters are invalid)."""
        return self.filter.form.cleaned_data.get(name, default) if self.valid else default

    def paginate(self, rows=None, *, count=None, per_page=None):
        """The requested page of ``rows`` (the filtered rows by default); ``count``: see ``paginate``."""
        return paginate(self.request, self.qs if rows is None else rows, count=count, per_page=per_page)

    def context(self, page, **extra) -> dict:
        """What every list template reads (form, filters_valid, page_obj, headers, ordering, page_query,
        export_query, has_filters, can_export), plus ``extra``."""
        context = {
            "filter": self.filter,
            "form": self.filter.form,
            "filters_valid": self.valid,
            "page_obj": page,
            "headers": sort_headers(self.request, self.columns, param_name=self.ordering_param),
            "ordering": self.request.GET.get(self.ordering_param, ""),
            "ordering_param": self.ordering_param,
            "page_query": query_without(self.request.GET, "page"),
            "export_query": query_without(self.request.GET, "page", "format"),
            "has_filters": self.has_filters,
            "can_export": gate.can(self.request.user, "export"),
        }
        context.update(extra)
        return context

    def export(self, *, columns, what, filename, list_url, rows=None, filters=None, extra_filters=(), logged=None):
        """The filtered rows (every page, the list's order) as xlsx or csv through the one gated,
        logged export path; invalid filters go back to the list with a message. The log and the
        printed report name the FilterSet's filters that were applied, plus ``extra_filters``
        [(key, label, value)] (e.g. the period of a period's results); ``filters`` ({key: value})
        is the older form of the same, labelled by its keys. ``logged`` ({key: text}), when given,
        is what the log and the report name instead of the FilterSet's submitted values (the audit
        log names its author filter by username)."""
        from django.contrib import messages
        from django.shortcuts import redirect
        from django.utils.translation import gettext as _

        from .exports import export_response

        if not self.valid:
            messages.error(self.request, _("筛选条件有误，请修改后再导出。"))
            return redirect(f"{list_url}?{query_without(self.request.GET, 'format')}")
        file_format = export_request(self.request, self.not_filters)[0]
        extra = [*extra_filters, *((k, k, v) for k, v in (filters or {}).items())]
        return export_response(user=self.request.user, rows=self.qs.iterator(chunk_size=2000) if rows is None else rows,
                               columns=columns, what=what, file_format=file_format,
                               filters=self.filter if logged is None else logged,
                               extra_filters=extra, filename=filename)
