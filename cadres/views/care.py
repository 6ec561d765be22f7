"""Pages of the care records (关心关爱): one list with a tab per kind (``/cadres/care/?kind=talk``)
and its export, the reminders' cadre lists (``?reminder=no_talk``), the add / edit / delete forms
reached from the cadre page's 关心关爱 tab (``care_tab_context``, registered in ``cadres/hooks.py``).

Personal health details (a check-up's ``details``) are shown, exported and edited only where
``services.may_see_health`` allows (org staff)."""
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pingdingshan.core import permissions as gate
from pingdingshan.core.exports import Column
from pingdingshan.core.forms import apply_errors
from pingdingshan.core.pages import ListPage, requires

from .. import selectors, services
from ..filters_care import care_filter
from ..forms import initial_from, model_form_base
from ._common import back_to

KIND_LABELS = {"talk": gettext_lazy("谈心谈话"), "leave": gettext_lazy("带薪休假"), "health": gettext_lazy("健康体检"),
               "overtime": gettext_lazy("加班补休"), "away": gettext_lazy("异地交流")}
# the fields each kind's table, export and form show, in order
FIELDS = {
    "talk": ["held_on", "kind", "talked_by", "topics", "follow_up", "follow_up_done"],
    "leave": ["year", "entitled_days", "taken_days"],
    "health": ["checked_on", "organiser", "conclusion", "details"],
    "overtime": ["worked_on", "hours", "reason", "time_off_days_granted", "time_off_taken_on"],
    "away": ["host", "start_date", "end_date", "housing", "travel_home_per_year", "note"],
}
REMINDER_LABELS = {"no_talk": gettext_lazy("今年未谈心谈话"), "leave": gettext_lazy("第四季度休假不足一半"),
                   "no_checkup": gettext_lazy("今年未体检")}
TAB = "care"
EXPORT_WHAT = "关心关爱"


def _kind(kind: str) -> str:
    if kind not in services.KINDS:
        raise Http404(_("没有这类关心关爱记录。"))
    return kind


def shown_fields(user, kind: str, obj=None) -> list[str]:
    """The fields of ``kind`` the user sees: the health details only with ``may_see_health``."""
    fields = FIELDS[kind]
    if kind == "health" and not services.may_see_health(user, obj):
        fields = [f for f in fields if f != "details"]
    return fields


def _model(kind):
    return services.KINDS[kind][0]


def _label(kind, name):
    return _model(kind)._meta.get_field(name).verbose_name


def cell(obj, name):
    """The value shown for ``obj.name``: choice labels, 是/否, dates as text."""
    field = obj._meta.get_field(name)
    value = getattr(obj, name)
    if field.choices:
        return getattr(obj, f"get_{name}_display")()
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral() else value  # 10, not 10.0 (nor 1E+1)
    return value


def _rows(user, kind, objects):
    fields = shown_fields(user, kind)
    return [{"obj": o, "kind": kind, "cells": [cell(o, f) for f in fields],
             "can_change": gate.allows(user, "change", o),
             "edit_url": reverse(f"cadres:care_{kind}_edit", args=[o.pk]),
             "delete_url": reverse(f"cadres:care_{kind}_delete", args=[o.pk])} for o in objects]


# --------------------------------------------------------------------------- the list
def _today():
    return timezone.localdate()


def care_page(request, kind: str) -> ListPage:
    model = _model(kind)
    qs = model.objects.restrict(request.user).select_related("cadre__unit")
    columns = [(gettext_lazy("干部"), None), (gettext_lazy("单位"), None)] + [
        (_label(kind, f), None) for f in shown_fields(request.user, kind)]
    return ListPage(request, care_filter(model), qs, columns=columns, not_filters=("page", "format", "kind"))


def reminder_page(request, key: str):
    reminder = services.REMINDERS[key](user=request.user, today=_today())
    cadres = reminder.cadres.select_related("unit", "current_post").order_by("unit__path", "name", "pk")
    columns = [(gettext_lazy("干部"), None), (gettext_lazy("单位"), None), (gettext_lazy("现任职务"), None)]
    return reminder, ListPage(request, care_filter(None), cadres, columns=columns,
                              not_filters=("page", "format", "kind", "reminder"))


def _tabs(request, kind, reminder_key):
    base = reverse("cadres:care_list")
    keep = {k: v for k, v in request.GET.items() if k in ("q", "unit", "year") and v}
    tabs = [{"key": k, "label": label, "active": k == kind and not reminder_key,
             "url": base + "?" + urlencode({"kind": k, **keep})} for k, label in KIND_LABELS.items()]
    reminders = [{"key": k, "label": label, "active": k == reminder_key,
                  "url": base + "?" + urlencode({"reminder": k, **{x: v for x, v in keep.items() if x != "year"}})}
                 for k, label in REMINDER_LABELS.items()]
    return tabs, reminders


@requires("view")
def care_list(request):
    reminder_key = request.GET.get("reminder")
    if reminder_key not in services.REMINDERS:
        reminder_key = None
    kind = request.GET.get("kind", "talk")
    if kind not in services.KINDS:
        kind = services.REMINDER_KIND.get(reminder_key, "talk")
    tabs, reminders = _tabs(request, kind, reminder_key)
    context = {"kind": kind, "kind_label": KIND_LABELS[kind], "care_tabs": tabs, "reminder_tabs": reminders,
               "reminder_key": reminder_key}
    if reminder_key:
        reminder, lp = reminder_page(request, reminder_key)
        page = lp.paginate()
        context.update(lp.context(page, cadres=page.object_list, reminder=reminder, can_export=False))
    else:
        lp = care_page(request, kind)
        page = lp.paginate()
        context.update(lp.context(page, rows=_rows(request.user, kind, page.object_list)))
    return render(request, "cadres/care/care_list.html", context)


def export_columns(user, kind: str) -> list[Column]:
    cols = [Column(_("干部"), lambda r: r.cadre.name, 10), Column(_("身份证号码"), lambda r: r.cadre.id_number, 20),
            Column(_("单位"), lambda r: r.cadre.unit.name, 24)]
    for name in shown_fields(user, kind):  # the health details only for those who may see them
        cols.append(Column(str(_label(kind, name)), lambda r, name=name: cell(r, name),
                           40 if name in ("topics", "follow_up", "details") else 14))
    return cols


@requires("export")
def care_export(request):
    kind = _kind(request.GET.get("kind", "talk"))
    return care_page(request, kind).export(
        columns=export_columns(request.user, kind), what=EXPORT_WHAT, filename=str(KIND_LABELS[kind]),
        list_url=reverse("cadres:care_list"), extra_filters=[("kind", _("类别"), str(KIND_LABELS[kind]))])


# --------------------------------------------------------------------------- the cadre page's tab
def care_tab_context(user, cadre) -> dict:
    """The 关心关爱 tab: every kind's records of the cadre, with add / edit / delete buttons."""
    sections = []
    for kind, (model, _fields) in services.KINDS.items():
        objects = model.objects.filter(cadre=cadre).select_related("cadre__unit")
        sections.append({"kind": kind, "label": KIND_LABELS[kind],
                         "create_url": reverse(f"cadres:care_{kind}_create", args=[cadre.pk]),
                         "headers": [_label(kind, f) for f in shown_fields(user, kind)],
                         "rows": _rows(user, kind, objects)})
    return {"care_sections": sections, "care_can_change": gate.allows(user, "change", cadre)}


# --------------------------------------------------------------------------- forms
_FORMS: dict = {}


def _form_class(kind: str, with_details: bool):
    key = (kind, with_details)
    if key not in _FORMS:
        fields = [f for f in FIELDS[kind] if with_details or f != "details"]
        _FORMS[key] = model_form_base(_model(kind), fields, f"{kind.title()}CareForm")
    return _FORMS[key]


def _form_page(request, kind, *, cadre, instance=None):
    with_details = services.may_see_health(request.user, instance or cadre)
    form_class = _form_class(kind, with_details)
    fields = list(form_class.base_fields)
    initial = initial_from(instance, fields)
    if instance is None and kind == "leave":
        initial.setdefault("year", _today().year)
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if instance is None:
                services.care_create(by=request.user, care_kind=kind, cadre=cadre, **form.cleaned_data)
            else:
                services.care_update(by=request.user, instance=instance, **form.cleaned_data)
        except ValidationError as e:
            apply_errors(form, e)
        except PermissionDenied as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, _("已保存%(what)s记录。") % {"what": KIND_LABELS[kind]})
            return back_to(cadre, TAB)
    title = (_("编辑%(what)s记录") if instance else _("新增%(what)s记录")) % {"what": KIND_LABELS[kind]}
    return render(request, "cadres/simple_form.html", {"form": form, "cadre": cadre, "title": title, "tab": TAB})


def _instance(request, kind, pk, action="view"):
    return gate.get_or_404(_model(_kind(kind)).objects.select_related("cadre__unit"), request.user, action, pk=pk)


@requires("change")
def care_create(request, pk, kind):
    kind = _kind(kind)
    cadre = selectors.cadre_get(user=request.user, pk=pk)
    gate.ensure(request.user, "change", cadre)
    return _form_page(request, kind, cadre=cadre)


@requires("change")
def care_edit(request, kind, pk):
    instance = _instance(request, kind, pk)
    gate.ensure(request.user, "change", instance)
    return _form_page(request, kind, cadre=instance.cadre, instance=instance)


@requires("change", post_only=True)
def care_delete(request, kind, pk):
    instance = _instance(request, kind, pk)
    services.care_delete(by=request.user, instance=instance)
    messages.success(request, _("已删除%(what)s记录。") % {"what": KIND_LABELS[kind]})
    return back_to(instance.cadre, TAB)
