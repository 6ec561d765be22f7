"""操作与导出审计 (the auditors' report of issue 14): the audit history and the export log over the
period and the unit subtree.

- Changes: every audited model's history rows (``core.audit``), counted per user (新增/修改/删除),
  per kind of object (the model) and per month; one aggregate query per audited model, never the
  rows themselves.
- Exports: the export log (``core.ExportLog``) per user and per content (what), with the rows
  exported; per month with the changes.
- The subtree (``params.unit``) narrows both to the accounts that hold a role in it (the unit
  leaders of those units): the history of a change does not say which unit it concerned for every
  model, while the account that made it is always known. Without a unit: every account, and
  changes made by the system (tasks, migrations) as 系统.

Only city-wide readers of the audit history (gate action ``audit``: auditors and org staff) build
it; anyone else is refused (PermissionDenied), as on the audit log page.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from pingdingshan.core import permissions as gate

from .base import Chart, Figures, Params, Table

SLUG = "audit"
TYPES = ("+", "~", "-")


def _require(user) -> None:
    gate.require(user, "audit")
    if not gate.city_wide(user, "audit"):
        raise PermissionDenied(_("只有全市范围的审计人员和组织部工作人员可以查看操作与导出审计。"))


def _bounds(params: Params):
    tz = timezone.get_current_timezone()
    lo = dt.datetime.combine(params.start, dt.time.min, tzinfo=tz) if params.start else None
    hi = dt.datetime.combine(params.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz) if params.end else None
    return lo, hi


def _period(qs, field: str, params: Params):
    lo, hi = _bounds(params)
    if lo:
        qs = qs.filter(**{f"{field}__gte": lo})
    if hi:
        qs = qs.filter(**{f"{field}__lt": hi})
    return qs


def subtree_users(unit) -> list[int] | None:
    """Ids of the accounts holding a role in ``unit``'s subtree; None without a unit (everyone)."""
    if unit is None:
        return None
    from pingdingshan.core.models import RoleAssignment

    return list(RoleAssignment.objects.filter(unit__path__startswith=unit.path)
                .values_list("user_id", flat=True).distinct())


def _month(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value.year}-{value.month:02d}"


def _name(users: dict, pk) -> str:
    if pk is None:
        return _("系统")
    u = users.get(pk)
    if u is None:
        return _("已删除的用户（%(pk)s）") % {"pk": pk}
    full = u.get_full_name()
    return f"{full}（{u.username}）" if full else u.username


def changes(params: Params, user_ids: list[int] | None):
    """(per user {pk: Counter(type)}, per model {verbose name: n}, per month {YYYY-MM: n})."""
    from pingdingshan.core.selectors import audit_models

    per_user: dict = defaultdict(Counter)
    per_model: Counter = Counter()
    per_month: Counter = Counter()
    tz = timezone.get_current_timezone()
    for _label, name, model in audit_models():
        qs = _period(model.history.model.objects.all(), "history_date", params)
        if user_ids is not None:
            qs = qs.filter(history_user_id__in=user_ids)
        rows = (qs.order_by().annotate(month=TruncMonth("history_date", tzinfo=tz))
                .values("history_user_id", "history_type", "month").annotate(n=Count("history_id")))
        for r in rows:
            per_user[r["history_user_id"]][r["history_type"]] += r["n"]
            per_model[name] += r["n"]
            per_month[_month(r["month"])] += r["n"]
    return per_user, per_model, per_month


def exports(params: Params, user_ids: list[int] | None):
    """(per user {pk: (n, rows)}, per what {what: (n, rows)}, per month {YYYY-MM: n})."""
    from pingdingshan.core.models import ExportLog

    qs = _period(ExportLog.objects.all(), "created_at", params)
    if user_ids is not None:
        qs = qs.filter(user_id__in=user_ids)
    tz = timezone.get_current_timezone()
    per_user, per_what, per_month = {}, {}, Counter()
    for r in (qs.order_by().annotate(month=TruncMonth("created_at", tzinfo=tz))
              .values("user_id", "what", "month").annotate(n=Count("id"), rows=Sum("row_count"))):
        n, rows = r["n"], r["rows"] or 0
        a = per_user.get(r["user_id"], (0, 0))
        per_user[r["user_id"]] = (a[0] + n, a[1] + rows)
        b = per_what.get(r["what"], (0, 0))
        per_what[r["what"]] = (b[0] + n, b[1] + rows)
        per_month[_month(r["month"])] += n
    return per_user, per_what, per_month


def _period_shown(params: Params) -> str:
    if params.start and params.end:
        return _("%(a)s 至 %(b)s") % {"a": params.start.isoformat(), "b": params.end.isoformat()}
    if params.start:
        return _("%(a)s 起") % {"a": params.start.isoformat()}
    if params.end:
        return _("截至 %(b)s") % {"b": params.end.isoformat()}
    return _("全部")


# not a page of the city analysis (/analysis/<slug>/): only the report 操作与导出审计 (services.reports)
def build(user, params: Params) -> Figures:
    _require(user)
    user_ids = subtree_users(params.unit)
    c_user, c_model, c_month = changes(params, user_ids)
    e_user, e_what, e_month = exports(params, user_ids)
    users = get_user_model().objects.in_bulk([pk for pk in {*c_user, *e_user} if pk is not None])

    by_user = sorted(c_user.items(), key=lambda kv: (-sum(kv[1].values()), _name(users, kv[0])))
    t_users = Table("changes_by_user", _("各用户的操作"), [_("用户"), _("新增"), _("修改"), _("删除"), _("合计")],
                    [[_name(users, pk), c["+"], c["~"], c["-"], sum(c[t] for t in TYPES)] for pk, c in by_user],
                    note=_("审计历史中的每一次写入（新增、修改、删除）计一次；系统：定时任务与数据迁移的写入。"))
    t_models = Table("changes_by_kind", _("各类对象的操作"), [_("对象类型"), _("操作次数")],
                     [[name, n] for name, n in sorted(c_model.items(), key=lambda kv: (-kv[1], kv[0]))])
    months = sorted({*c_month, *e_month})
    t_months = Table("by_month", _("各月操作与导出"), [_("月份"), _("操作次数"), _("导出次数")],
                     [[m, c_month.get(m, 0), e_month.get(m, 0)] for m in months])
    t_export_users = Table("exports_by_user", _("各用户的导出"), [_("用户"), _("导出次数"), _("导出行数")],
                           [[_name(users, pk), n, rows] for pk, (n, rows) in
                            sorted(e_user.items(), key=lambda kv: (-kv[1][0], _name(users, kv[0])))],
                           note=_("导出记录中的每一次下载计一次（列表导出、报表下载）。"))
    t_export_what = Table("exports_by_what", _("各类内容的导出"), [_("导出内容"), _("导出次数"), _("导出行数")],
                          [[what, n, rows] for what, (n, rows) in sorted(e_what.items(), key=lambda kv: (-kv[1][0], kv[0]))])
    params_shown = [(_("单位"), params.unit.name if params.unit is not None else _("全市")),
                    (_("期间"), _period_shown(params))]
    if params.unit is not None:
        params_shown.append((_("统计对象"), _("在该单位及下级单位有角色的账户（%(n)s 个）") % {"n": len(user_ids or [])}))
    return Figures(
        slug=SLUG, title=_("操作与导出审计"),
        tables=[t_months, t_users, t_models, t_export_users, t_export_what],
        charts=[Chart("months", _("各月操作与导出次数"), "line", "by_month"),
                Chart("users", _("各用户的操作（按类型）"), "stacked", "changes_by_user", series=[1, 2, 3]),
                Chart("kinds", _("各类对象的操作次数"), "bar", "changes_by_kind"),
                Chart("what", _("导出内容构成"), "pie", "exports_by_what", series=[1])],
        params=params_shown)
