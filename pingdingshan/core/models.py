"""Shared models: role assignments (who may do what where), the export log, notifications and
background jobs."""
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .audit import audit_history, audit_register


class Role(models.TextChoices):
    ORG_STAFF = "org_staff", _("组织部工作人员")
    UNIT_LEADER = "unit_leader", _("单位领导")
    AUDITOR = "auditor", _("审计人员")


class RoleAssignment(models.Model):
    """A role given to a user. Unit leaders hold it per unit (and see that unit's subtree);
    org staff and auditors hold it for the whole city (unit empty)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("用户")
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        "cadres.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="role_assignments",
        verbose_name=_("单位"),
    )
    created_at = models.DateTimeField(_("授权时间"), auto_now_add=True)

    audit_label_fields = ("user__username", "role", "unit__name")  # how the audit log names one
    history = audit_history()

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "unit"], name="uniq_role_assignment",
                                    violation_error_message=_("该用户在这个单位已有此角色。")),
            models.UniqueConstraint(
                fields=["user", "role"], condition=models.Q(unit__isnull=True), name="uniq_global_role",
                    violation_error_message=_("该用户已有此角色。")
            ),
            models.CheckConstraint(
                condition=(models.Q(role="unit_leader", unit__isnull=False) | ~models.Q(role="unit_leader")),
                name="unit_leader_has_unit", violation_error_message=_("单位领导须指定所在单位。"),
            ),
        ]

    def __str__(self):
        if self.unit_id:
            return f"{self.user} · {self.get_role_display()} · {self.unit}"
        return f"{self.user} · {self.get_role_display()}"


class ExportLog(models.Model):
    """One row per export: who exported what, with which filters, how many rows. Append-only."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("用户")
    )
    created_at = models.DateTimeField(_("导出时间"), auto_now_add=True, db_index=True)
    request_id = models.CharField(_("请求编号"), max_length=64, blank=True)
    what = models.CharField(_("导出内容"), max_length=100)
    file_format = models.CharField(_("格式"), max_length=10)
    filters = models.JSONField(_("筛选条件"), default=dict, blank=True)
    row_count = models.PositiveIntegerField(_("行数"))

    class Meta:
        verbose_name = _("导出记录")
        verbose_name_plural = _("导出记录")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.user} {self.what} {self.row_count}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("ExportLog entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("ExportLog entries are append-only")


# Accounts are audited too (created, renamed, enabled/disabled, password changed); the password
# hash itself is never copied into the history.
def _register_user_history():
    from django.contrib.auth import get_user_model

    audit_register(get_user_model(), app="pingdingshan.core", excluded_fields=["password"])


_register_user_history()


class Notification(models.Model):
    """An in-app message to one user (e.g. "your record was returned"). System-written; the
    change that caused it is in the audit history.

    A notification stores what happened as a code (``kind``, registered by the sending app in
    ``registry.notification_kinds``) and its ``params``, and is put in words when shown (``text``), in
    the reader's language. ``message`` is the sentence in the default language, written when it was
    sent: what ``text`` falls back to for free-text notifications, rows from before codes, and kinds
    no longer registered."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications",
                             verbose_name=_("接收人"))
    kind = models.CharField(_("通知类型"), max_length=64, blank=True)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    message = models.CharField(_("内容"), max_length=300)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self):
        return self.text

    @property
    def text(self) -> str:
        """The sentence in the active language (the stored ``message`` when the kind is unknown or
        its parameters do not fit the sentence)."""
        from .registry import notification_kinds

        entry = notification_kinds.get(self.kind) if self.kind else None
        if entry is not None and isinstance(self.params, dict):
            try:
                return entry.render(self.params)[:300]
            except (KeyError, TypeError, ValueError):
                pass
        return self.message


class JobState(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("进行中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class Job(models.Model):
    """A piece of long work run in the background (``pingdingshan.core.jobs``): an import, a
    period's computation, a big export. Seen only by the user who started it. The work itself is
    audited by the services it calls (acting as this user, with the request id of the start);
    this row is the runner's bookkeeping."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("任务类型"), max_length=64)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs",
                             verbose_name=_("发起人"))
    state = models.CharField(_("状态"), max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    done = models.PositiveIntegerField(_("已完成"), default=0)
    total = models.PositiveIntegerField(_("总数"), default=0)
    phase = models.CharField(_("阶段"), max_length=40, blank=True)
    message = models.TextField(_("说明"), blank=True)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    result = models.JSONField(_("结果"), default=dict, blank=True)
    file = models.CharField(_("结果文件"), max_length=300, blank=True)
    file_name = models.CharField(_("文件名"), max_length=200, blank=True)
    request_id = models.CharField(_("请求编号"), max_length=64, blank=True)
    language = models.CharField(_("语言"), max_length=10, blank=True)
    created_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"], name="job_user_recent")]

    def __str__(self):
        return f"{self.kind} {self.id}"

    @property
    def folder(self) -> str:
        """Where the job's files live (uploads, results) under MEDIA_ROOT, never served directly."""
        return f"jobs/{self.user_id}/{self.id.hex}"

    @property
    def finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)
