"""One cadre: the detail page with its tabs, the create/edit/delete forms, appointments, ranks,
résumé lines, training records and the gated photo."""
import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pingdingshan.core import permissions as gate
from pingdingshan.core import registry
from pingdingshan.core.files import serve_file
from pingdingshan.core.pages import requires

from .. import selectors, services
from ..forms import (
    CAREER_FIELDS,
    TRAINING_FIELDS,
    AppointmentEndForm,
    AppointmentForm,
    CadreForm,
    CareerForm,
    RankAssignForm,
    TrainingForm,
    apply_errors,
    initial_from,
)
from ..forms_lrmx import FAMILY_FIELDS, FamilyMemberForm
from ..models import Appointment, Cadre, CareerEntry, FamilyMember, Training
from ._common import back_to
from .history import history_context
from .lrmx import lrmx_tab_context
from .records import records_tab_context

# The roster's own tabs (key, label, icon, order); other apps add theirs to the "cadre" page of
# ``pingdingshan.core.registry.tabs`` (assessment: 考核, order 55) and this page includes their template.
TABS = [
    ("profile", gettext_lazy("基本信息"), "bi-person-vcard", 10),
    ("posts", gettext_lazy("职务职级"), "bi-diagram-3", 20),
    ("career", gettext_lazy("简历"), "bi-journal-text", 30),
    ("lrmx", gettext_lazy("任免审批表"), "bi-file-earmark-person", 35),
    ("training", gettext_lazy("培训"), "bi-mortarboard", 40),
    ("records", gettext_lazy("实绩档案"), "bi-journal-check", 50),
    ("history", gettext_lazy("变更历史"), "bi-clock-history", 90),
]


def _tabs():
    """[(key, label, icon)] of the roster's tabs and the registered ones, in order."""
    own = [(order, key, label, icon) for key, label, icon, order in TABS]
    registered = [(t.order, t.key, t.label, t.icon) for t in registry.tabs.for_page("cadre")]
    return [(key, label, icon) for _order, key, label, icon in sorted(own + registered, key=lambda t: t[0])]

PROFILE_FIELDS = [
    "name", "gender", "ethnicity", "birth_date", "native_place", "birth_place", "id_number", "political_status",
    "party_join_date", "work_start_date", "health", "professional_title", "expertise", "unit", "current_post",
    "current_rank", "highest_education", "fulltime_education",
    "fulltime_degree", "fulltime_school", "fulltime_major", "inservice_education", "inservice_degree",
    "inservice_school", "inservice_major", "phone", "status", "created_at", "updated_at",
]


def _profile_rows(cadre):
    """[(label, display text)] of every profile field."""
    rows = []
    for name in PROFILE_FIELDS:
        field = Cadre._meta.get_field(name)
        if field.choices:
            value = getattr(cadre, f"get_{name}_display")()
        else:
            value = getattr(cadre, name)
        if isinstance(value, dt.datetime):
            value = timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
        elif isinstance(value, dt.date):
            value = value.isoformat()
        elif hasattr(value, "name") and field.is_relation:  # unit, current post / rank: their own name
            value = value.name
        rows.append((field.verbose_name, value))
    return rows


def _career_context(user, cadre) -> dict:
    """The résumé entries and the lines other apps add (``registry.career_events``: frontline
    postings …), one timeline in date order (oldest first), with the buttons those apps offer."""
    career = list(cadre.career.all())
    timeline = [{"start": e.start_date, "end": e.end_date, "entry": e} for e in career]
    actions = []
    for source in registry.career_events:
        timeline += [{"start": ev.start, "end": ev.end, "event": ev} for ev in source.get_events(user, cadre)]
        actions += source.get_actions(user, cadre)
    timeline.sort(key=lambda line: (line["start"] or dt.date.min, line["end"] or dt.date.max))
    return {"career": career, "timeline": timeline, "career_actions": actions}


# --------------------------------------------------------------------------- detail
@requires("view")
def cadre_detail(request, pk):
    cadre = selectors.cadre_get(user=request.user, pk=pk)
    tabs = _tabs()
    tab = request.GET.get("tab", "profile")
    if tab not in {t[0] for t in tabs}:
        tab = "profile"
    context = {"cadre": cadre, "tab": tab, "tabs": tabs, "can_change": gate.allows(request.user, "change", cadre),
               "can_delete": gate.allows(request.user, "delete_cadre", cadre),
               "can_export": gate.allows(request.user, "export", cadre),
               "action_menus": registry.action_menus.menus("cadre", request.user, cadre)}
    if tab == "profile":
        context["profile_rows"] = _profile_rows(cadre)
        context["tags"] = list(cadre.tags.all())
        context["age"] = cadre.age
    elif tab == "posts":
        context["appointments"] = list(cadre.appointments.select_related("post__unit"))
        context["rank_history"] = list(cadre.rank_history.select_related("rank"))
        context["end_form"] = AppointmentEndForm()
    elif tab == "career":
        context.update(_career_context(request.user, cadre))
    elif tab == "training":
        context["trainings"] = list(cadre.trainings.all())
        context["training_hours"] = sum(t.hours for t in context["trainings"])
    elif tab == "lrmx":
        context.update(lrmx_tab_context(request.user, cadre))
    elif tab == "records":
        context.update(records_tab_context(request.user, cadre))
    elif tab == "history":
        context.update(history_context(request.user, cadre))
    else:  # a registered tab: its context and its template
        registered = registry.tabs.get("cadre", tab)
        context.update(registered.get_context(request.user, cadre))
        context["tab_template"] = registered.template
    return render(request, "cadres/cadre_detail.html", context)


@requires("view")
def cadre_photo(request, pk):
    """The photo, only for users who see the cadre (404 otherwise, or when there is none)."""
    cadre = selectors.cadre_get(user=request.user, pk=pk)
    if not cadre.photo:
        raise Http404(_("该干部没有照片。"))
    return serve_file(cadre.photo, attachment=False, missing=_("照片文件不存在。"),
                      cache_control="private, max-age=300")


# --------------------------------------------------------------------------- create / edit / delete
@requires("change")
def cadre_create(request):
    form = CadreForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            cadre = services.cadre_create(by=request.user, **form.service_data())
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("已保存干部“%(name)s”。") % {"name": cadre.name})
            return redirect("cadres:cadre_detail", pk=cadre.pk)
    return render(request, "cadres/cadre_form.html", {"form": form, "cadre": None})


@requires("change")
def cadre_edit(request, pk):
    cadre = selectors.cadre_get(user=request.user, pk=pk)
    if not gate.allows(request.user, "change", cadre):
        raise PermissionDenied(_("您没有修改该对象的权限。"))
    form = CadreForm(request.POST or None, request.FILES or None, user=request.user, instance=cadre)
    if request.method == "POST" and form.is_valid():
        try:
            services.cadre_update(by=request.user, cadre=cadre, **form.service_data())
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("已保存。"))
            return redirect("cadres:cadre_detail", pk=cadre.pk)
    return render(request, "cadres/cadre_form.html", {"form": form, "cadre": cadre})


@requires("change", post_only=True)
def cadre_delete(request, pk):
    cadre = selectors.cadre_get(user=request.user, pk=pk)
    name = cadre.name
    try:
        services.cadre_delete(by=request.user, cadre=cadre)
    except ValidationError as e:
        messages.error(request, " ".join(getattr(e, "messages", None) or [str(e)]))
        return redirect("cadres:cadre_detail", pk=pk)
    messages.success(request, _("已删除干部“%(name)s”。") % {"name": name})
    return redirect("cadres:cadre_list")


# --------------------------------------------------------------------------- appointments and ranks
def _selected_unit(request, cadre):
    units = gate.units_for(request.user, "change", Appointment)
    raw = request.POST.get("unit") or request.GET.get("unit") or cadre.unit_id
    try:
        return units.filter(pk=int(raw)).first()
    except (TypeError, ValueError):
        return None


@requires("change")
def appointment_create(request, pk):
    cadre = selectors.cadre_get(user=request.user, pk=pk)
    unit = _selected_unit(request, cadre)
    form = AppointmentForm(request.POST or None, user=request.user, unit=unit)
    form.reload_posts_from(request.path)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "unit"}
        try:
            services.appointment_create(by=request.user, cadre=cadre, **data)
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("已保存任职。"))
            return back_to(cadre, "posts")
    return render(request, "cadres/appointment_form.html", {"form": form, "cadre": cadre})


def _appointment(request, pk):
    return gate.get_or_404(Appointment.objects.select_related("cadre__unit", "post__unit"), request.user, "view", pk=pk)


@requires("change")
def appointment_end(request, pk):
    appointment = _appointment(request, pk)
    cadre = appointment.cadre
    form = AppointmentEndForm(request.POST or None, initial={"end_date": appointment.end_date})
    if request.method == "POST" and form.is_valid():
        try:
            services.appointment_end(by=request.user, appointment=appointment, end_date=form.cleaned_data["end_date"])
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("已免职：%(post)s。") % {"post": appointment.post.name})
            return back_to(cadre, "posts")
    return render(request, "cadres/appointment_end.html", {"form": form, "cadre": cadre, "appointment": appointment})


@requires("change", post_only=True)
def appointment_delete(request, pk):
    appointment = _appointment(request, pk)
    try:
        services.appointment_delete(by=request.user, appointment=appointment)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("已删除任职记录。"))
    return back_to(appointment.cadre, "posts")


@requires("change")
def rank_assign(request, pk):
    cadre = selectors.cadre_get(user=request.user, pk=pk)
    form = RankAssignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.rank_assign(by=request.user, cadre=cadre, **form.cleaned_data)
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("已保存职级。"))
            return back_to(cadre, "posts")
    return render(request, "cadres/simple_form.html", {
        "form": form, "cadre": cadre, "title": _("任定职级"), "tab": "posts"})


# --------------------------------------------------------------------------- career and training
CHILDREN = {
    "career": (CareerEntry, CareerForm, CAREER_FIELDS, gettext_lazy("简历")),
    "training": (Training, TrainingForm, TRAINING_FIELDS, gettext_lazy("培训记录")),
    "family": (FamilyMember, FamilyMemberForm, FAMILY_FIELDS, gettext_lazy("家庭成员")),
}
CHILD_TABS = {"family": "lrmx"}  # the tab a kind is shown on, when it is not its own


def _child_form(request, kind, *, cadre, instance=None):
    model, form_class, fields, label = CHILDREN[kind]
    form = form_class(request.POST or None, initial=initial_from(instance, fields))
    if request.method == "POST" and form.is_valid():
        try:
            services.cadre_child_save(by=request.user, model=model, cadre=cadre if instance is None else None,
                                      instance=instance, **form.cleaned_data)
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("已保存%(what)s。") % {"what": label})
            return back_to(cadre, CHILD_TABS.get(kind, kind))
    title = (_("编辑%(what)s") if instance else _("新增%(what)s")) % {"what": label}
    return render(request, "cadres/simple_form.html", {"form": form, "cadre": cadre, "title": title,
                                                       "tab": CHILD_TABS.get(kind, kind)})


def _child(request, kind, pk):
    model = CHILDREN[kind][0]
    return gate.get_or_404(model.objects.select_related("cadre__unit"), request.user, "view", pk=pk)


def _child_delete(request, kind, pk):
    instance = _child(request, kind, pk)
    services.cadre_child_delete(by=request.user, instance=instance)
    messages.success(request, _("已删除%(what)s。") % {"what": CHILDREN[kind][3]})
    return back_to(instance.cadre, CHILD_TABS.get(kind, kind))


@requires("change")
def career_create(request, pk):
    return _child_form(request, "career", cadre=selectors.cadre_get(user=request.user, pk=pk))


@requires("change")
def career_edit(request, pk):
    entry = _child(request, "career", pk)
    return _child_form(request, "career", cadre=entry.cadre, instance=entry)


@requires("change", post_only=True)
def career_delete(request, pk):
    return _child_delete(request, "career", pk)


@requires("change")
def training_create(request, pk):
    return _child_form(request, "training", cadre=selectors.cadre_get(user=request.user, pk=pk))


@requires("change")
def training_edit(request, pk):
    entry = _child(request, "training", pk)
    return _child_form(request, "training", cadre=entry.cadre, instance=entry)


@requires("change", post_only=True)
def training_delete(request, pk):
    return _child_delete(request, "training", pk)


@requires("change")
def family_create(request, pk):
    return _child_form(request, "family", cadre=selectors.cadre_get(user=request.user, pk=pk))


@requires("change")
def family_edit(request, pk):
    member = _child(request, "family", pk)
    return _child_form(request, "family", cadre=member.cadre, instance=member)


@requires("change", post_only=True)
def family_delete(request, pk):
    return _child_delete(request, "family", pk)
