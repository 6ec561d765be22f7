"""The FilterSets of the core lists (users, the audit log, the export log): one FilterSet per list
for its page and its export, shown and restricted by ``pages.ListPage``."""
import datetime as dt

import django_filters as df
from django import forms
from django.db import models
from django.db.models import OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import selectors
from .filtersets import GatedFilterSet
from .models import ExportLog, Role, RoleAssignment

ACTIVE_CHOICES = [("1", _("启用")), ("0", _("停用"))]


def _day_start(day):
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


class DateRangeForm(forms.Form):
    """The filter form of a list with a 开始日期 – 结束日期 range: the end may not come before the start."""

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("结束日期不能早于开始日期。"))
        return data


class UserFilter(GatedFilterSet):
    """The users list (``/users/``): its order is the ``sort`` parameter, as it always was."""

    q = df.CharFilter(method="filter_q", label=_("搜索"))
    role = df.ChoiceFilter(choices=Role.choices, method="filter_assignment", label=_("角色"))
    unit = df.ModelChoiceFilter(queryset=selectors.unit_choices(), method="filter_assignment", label=_("单位"))
    active = df.ChoiceFilter(choices=ACTIVE_CHOICES, method="filter_active", label=_("状态"))
    sort = df.OrderingFilter(fields=(("username", "username"), ("date_joined", "joined"), ("last_login", "login")),
                             label=_("排序"))

    class Meta:
        model = RoleAssignment._meta.get_field("user").related_model
        fields = []

    def filter_q(self, qs, name, value):
        value = (value or "").strip()
        if not value:
            return qs
        return qs.filter(Q(username__icontains=value) | Q(first_name__icontains=value) | Q(last_name__icontains=value))

    def filter_assignment(self, qs, name, value):
        """Role and unit are one assignment's: "单位领导" of 宝丰县, not any role plus any unit."""
        if name == "unit" and self.form.cleaned_data.get("role"):
            return qs  # applied with the role
        role = self.form.cleaned_data.get("role")
        unit = self.form.cleaned_data.get("unit")
        ra = RoleAssignment.objects.filter(user=OuterRef("pk"))
        if role:
            ra = ra.filter(role=role)
        if unit:
            ra = ra.filter(unit=unit)
        return qs.filter(models.Exists(ra))

    def filter_active(self, qs, name, value):
        return qs.filter(is_active=value == "1") if value in ("1", "0") else qs

    def filter_queryset(self, queryset):
        qs = super().filter_queryset(queryset)
        if self.form.cleaned_data.get("sort"):
            return qs.order_by(*qs.query.order_by, "id")
        return qs


class AuditFilter(GatedFilterSet):
    """The audit log (``/audit/``): the filters are the arguments of ``selectors.audit_entries`` (one
    UNION over every audited model's history, which cannot be filtered after it is built)."""

    user = df.ModelChoiceFilter(queryset=selectors.audit_users(), method="keep", label=_("操作人"))
    model = df.ChoiceFilter(choices=lambda: [(label, name) for label, name, _m in selectors.audit_models()],
                            method="keep", label=_("对象类型"))
    date_from = df.DateFilter(method="keep", label=_("开始日期"))
    date_to = df.DateFilter(method="keep", label=_("结束日期"))
    q = df.CharFilter(method="keep", max_length=64, label=_("请求编号"))

    class Meta:
        form = DateRangeForm

    def keep(self, qs, name, value):
        return qs

    def entry_filters(self) -> dict:
        """Keyword arguments of ``selectors.audit_entries`` (the valid filters)."""
        self.is_valid()  # the fields with errors are left out of cleaned_data
        d = self.form.cleaned_data
        return {"model_label": d.get("model") or None, "user_id": d["user"].pk if d.get("user") else None,
                "date_from": d.get("date_from"), "date_to": d.get("date_to"), "q": d.get("q") or None}

    def filter_queryset(self, queryset):
        return selectors.audit_entries(user=self.user, **self.entry_filters())


class ExportLogFilter(GatedFilterSet):
    """The export log (``/audit/exports/``)."""

    user = df.ModelChoiceFilter(queryset=selectors.audit_users(), label=_("导出人"))
    what = df.CharFilter(method="filter_what", max_length=100, label=_("导出内容"))
    file_format = df.ChoiceFilter(choices=[("xlsx", "xlsx"), ("csv", "csv")], label=_("格式"))
    date_from = df.DateFilter(field_name="created_at", method="filter_from", label=_("开始日期"))
    date_to = df.DateFilter(field_name="created_at", method="filter_to", label=_("结束日期"))

    class Meta:
        model = ExportLog
        fields = []
        form = DateRangeForm

    def filter_what(self, qs, name, value):
        value = (value or "").strip()
        return qs.filter(what__icontains=value) if value else qs

    def filter_from(self, qs, name, value):
        return qs.filter(created_at__gte=_day_start(value))

    def filter_to(self, qs, name, value):
        return qs.filter(created_at__lt=_day_start(value + dt.timedelta(days=1)))
