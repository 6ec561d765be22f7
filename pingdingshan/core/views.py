"""Core pages: home, health, user management (accounts and roles), the audit log and the export
log. Views parse input, call one service or selector, and render."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import desk, jobs, selectors, services
from . import permissions as gate
from .exports import FORMATS, Column
from .forms import RoleAssignForm, UserCreateForm, unit_label
from .list_filters import AuditFilter, ExportLogFilter, UserFilter
from .models import RoleAssignment
from .pages import ListPage, requires
from .registry import home_figures

PAGE_SIZE = 50


@login_required
def home(request):
    """The work desk: the figures of the user's scope (``registry.home_figures``) and what needs
    them now, from the lines the apps register (``core.desk``), each a link to its filtered list."""
    figures = [(figure, figure.get(request.user)) for figure in home_figures]
    return render(request, "home.html", {
        **{figure.key: value for figure, value in figures},
        "figures": [{"label": f.label, "count": value, "url": f.get_url(), "icon": f.icon} for f, value in figures
                    if f.label],
        "lines": desk.lines_for(request.user),
        "read_only": not gate.can(request.user, "change"),  # an auditor's desk: what to look at, nothing to do
    })


def health(request):
    with connection.cursor() as cur:
        cur.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _export_format(request):
    fmt = request.GET.get("format")
    return fmt if fmt in FORMATS else None


def _json_filters(data: dict) -> dict:
    """Filters as JSON-safe text for the export log."""
    out = {}
    for k, v in data.items():
        if v in (None, "", []):
            continue
        out[k] = v.isoformat() if hasattr(v, "isoformat") else (v.username if hasattr(v, "username") else str(v))
    return out


# --------------------------------------------------------------------------- users and roles
USER_COLUMNS = [
    (gettext_lazy("用户名"), "username"),
    (gettext_lazy("姓名"), None),
    (gettext_lazy("角色与单位"), None),
    (gettext_lazy("状态"), None),
    (gettext_lazy("最近登录"), "login"),
    (gettext_lazy("创建时间"), "joined"),
]


def user_export_columns() -> list[Column]:
    return [
        Column(_("用户名"), lambda u: u.username, 16),
        Column(_("姓名"), lambda u: u.get_full_name(), 12),
        Column(_("状态"), lambda u: _("启用") if u.is_active else _("停用"), 8),
        Column(_("角色与单位"), lambda u: "；".join(
            f"{a.get_role_display()}{' · ' + a.unit.name if a.unit_id else ''}" for a in u.role_assignments.all()), 40),
        Column(_("最近登录"), lambda u: u.last_login, 18),
        Column(_("创建时间"), lambda u: u.date_joined, 18),
    ]


@requires("manage_users")
def user_list(request):
    """The users with their roles; ``?format=xlsx|csv`` exports the filtered users (same address)."""
    lp = ListPage(request, UserFilter, selectors.user_list(user=request.user), columns=USER_COLUMNS,
                  ordering_param="sort", labels={"unit": unit_label}, placeholders={"q": _("用户名或姓名")})
    if _export_format(request):
        return lp.export(columns=user_export_columns(), what=_("用户列表"), filename=_("用户列表"),
                         list_url=reverse("core:user_list"), rows=lp.qs.iterator(chunk_size=500))
    page = lp.paginate(per_page=PAGE_SIZE)
    users = list(page.object_list)
    context = lp.context(page, users=users, locked=selectors.locked_usernames(u.username for u in users))
    return render(request, "core/user_list.html", {**context, "page": page})


@login_required
def user_create(request):
    gate.require(request.user, "manage_users")
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            user = services.user_create(by=request.user, username=d["username"], full_name=d["full_name"],
                                        password=d["password1"])
        except ValidationError as e:
            form.add_service_errors(e, UserCreateForm.SERVICE_FIELDS)
        else:
            messages.success(request, _("已创建用户“%(username)s”，请为其授权。") % {"username": user.username})
            return redirect("core:user_detail", pk=user.pk)
    return render(request, "core/user_form.html", {"form": form})


def _user_detail_context(request, subject, role_form=None):
    return {
        "subject": subject,
        "assignments": list(subject.role_assignments.all()),
        "role_form": role_form or RoleAssignForm(),
        "locked": subject.username in selectors.locked_usernames([subject.username]),
        "role_history": selectors.role_history(user=request.user, subject=subject),
    }


@login_required
def user_detail(request, pk):
    subject = selectors.user_get(user=request.user, pk=pk)
    return render(request, "core/user_detail.html", _user_detail_context(request, subject))


@login_required
@require_POST
def role_assign(request, pk):
    subject = selectors.user_get(user=request.user, pk=pk)
    form = RoleAssignForm(request.POST)
    if form.is_valid():
        try:
            a = services.role_assign(by=request.user, user=subject, role=form.cleaned_data["role"],
                                     unit=form.cleaned_data.get("unit"))
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            messages.success(request, _("已授权：%(a)s") % {"a": a})
            return redirect("core:user_detail", pk=subject.pk)
    return render(request, "core/user_detail.html", _user_detail_context(request, subject, form), status=400)


@login_required
@require_POST
def role_revoke(request, pk):
    gate.require(request.user, "manage_users")
    assignment = RoleAssignment.objects.select_related("user", "unit").filter(pk=pk).first()
    if assignment is None:
        raise Http404(_("该授权不存在。"))
    try:
        services.role_revoke(by=request.user, assignment=assignment)
    except ValidationError as e:
        messages.error(request, "；".join(e.messages))
    else:
        messages.success(request, _("已撤销授权：%(a)s") % {"a": assignment})
    return redirect("core:user_detail", pk=assignment.user_id)


@login_required
@require_POST
def user_toggle_active(request, pk):
    subject = selectors.user_get(user=request.user, pk=pk)
    try:
        services.user_set_active(by=request.user, user=subject, active=not subject.is_active)
    except ValidationError as e:
        messages.error(request, "；".join(e.messages))
    else:
        messages.success(request, _("已启用该账户。") if subject.is_active else _("已停用该账户。"))
    return redirect("core:user_detail", pk=subject.pk)


@login_required
@require_POST
def user_unlock(request, pk):
    subject = selectors.user_get(user=request.user, pk=pk)
    services.user_unlock(by=request.user, user=subject)
    messages.success(request, _("已解除“%(username)s”的登录锁定。") % {"username": subject.username})
    return redirect("core:user_detail", pk=subject.pk)


# --------------------------------------------------------------------------- audit
AUDIT_COLUMNS = [
    Column(_("时间"), lambda e: e.date, 18),
    Column(_("操作人"), lambda e: str(e.user_label), 14),
    Column(_("操作"), lambda e: str(e.action_label), 8),
    Column(_("对象类型"), lambda e: e.model_name, 12),
    Column(_("对象编号"), lambda e: e.object_id, 10),
    Column(_("对象"), lambda e: e.object_label, 20),
    Column(_("变更内容"), lambda e: e.changes_text(), 60),
    Column(_("请求编号"), lambda e: e.request_id, 34),
]


AUDIT_LIST_COLUMNS = [
    (gettext_lazy("时间"), None), (gettext_lazy("操作人"), None), (gettext_lazy("操作"), None),
    (gettext_lazy("对象类型"), None), (gettext_lazy("对象"), None), (gettext_lazy("变更内容"), None),
    (gettext_lazy("请求编号"), None),
]
AUDIT_EXPORT = "core.audit_export"


def audit_page(request) -> ListPage:
    return ListPage(request, AuditFilter, selectors.audit_entries(user=request.user), columns=AUDIT_LIST_COLUMNS,
                    labels={"user": lambda u: f"{u.username}（{u.get_full_name()}）" if u.get_full_name() else u.username})


@requires("audit")
def audit_log(request):
    lp = audit_page(request)
    if _export_format(request):  # more rows than EXPORT_JOB_THRESHOLD: a background job with progress (core.audit_export)
        if lp.valid:
            background = jobs.export_in_background(request, kind=AUDIT_EXPORT, total=lp.qs.count())
            if background:
                return background
        return audit_export_response(lp)
    page = lp.paginate(per_page=PAGE_SIZE)
    rows = selectors.audit_rows(page.object_list)
    return render(request, "core/audit_log.html", {**lp.context(page, rows=rows, tab="history"), "page": page})


def audit_export_response(lp: ListPage, *, progress=None, total: int = 0):
    """The audit log file of the filtered entries (the page's answer, and the export job's file)."""
    rows = selectors.iter_audit_rows(lp.qs) if lp.valid else ()
    if progress is not None:
        rows = jobs.counting(rows, progress, total)
    return lp.export(columns=AUDIT_COLUMNS, what=_("审计日志"), filename=_("审计日志"), rows=rows,
                     list_url=reverse("core:audit_log"), logged=_json_filters(lp.form.cleaned_data))


def audit_export_job(job, progress) -> dict:
    """The audit log export as a background job: replays the export request as the job's user."""
    request = jobs.replay_request(job)
    gate.require(request.user, "audit")
    response = audit_export_response(audit_page(request), progress=progress, total=job.params.get("total", 0))
    return jobs.attach_response(job, response, default_name="audit.xlsx")


EXPORT_LOG_COLUMNS = [
    (gettext_lazy("导出时间"), None), (gettext_lazy("导出人"), None), (gettext_lazy("导出内容"), None),
    (gettext_lazy("格式"), None), (gettext_lazy("筛选条件"), None), (gettext_lazy("行数"), None),
    (gettext_lazy("请求编号"), None),
]


def export_log_page(request) -> ListPage:
    return ListPage(request, ExportLogFilter, selectors.export_log_list(user=request.user), columns=EXPORT_LOG_COLUMNS,
                    labels={"user": lambda u: u.username})


@requires("audit")
def export_log(request):
    lp = export_log_page(request)
    page = lp.paginate(per_page=PAGE_SIZE)
    context = lp.context(page, logs=list(page.object_list), tab="exports")
    return render(request, "core/export_log.html", {**context, "page": page})
