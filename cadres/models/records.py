"""The performance archive (实绩档案): task categories, points rules, performance records and
their evidence.

A record moves only through explicit actions (``cadres/services/records.py``):
草稿 draft → 已提交 submitted → 已核实 verified, or → 已退回 returned → edited and resubmitted;
a submitter may withdraw a submitted record back to draft. A verified record is never edited: an
amendment (``amends``) goes through verification and, once verified, supersedes it
(``superseded_by``); both are kept.
"""
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pingdingshan.core.audit import audit_history
from pingdingshan.core.permissions import RestrictedManager

DESCRIPTION_MAX = 5000


class TaskCategory(models.Model):
    """中心工作/重大任务: the central tasks records are filed under (editable by org staff)."""

    name = models.CharField(_("名称"), max_length=40, unique=True)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    requires_evidence = models.BooleanField(
        _("提交时须附佐证材料"), default=False,
        help_text=_("勾选后，该类实绩没有佐证材料时不能提交核实。"))
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    scope_path_field = None
    leader_writable = False
    objects = RestrictedManager()
    history = audit_history()

    class Meta:
        verbose_name = _("中心工作类别")
        verbose_name_plural = _("中心工作类别")
        ordering = ["order", "id"]

    def __str__(self):
        return self.name


class RecordRole(models.TextChoices):
    LEAD = "lead", _("牵头")
    MAIN = "main", _("主要参与")
    PARTICIPANT = "participant", _("参与")


def points_sentence(basis: dict) -> str:
    """What a verified record's points rest on, in words in the active language, from its
    ``points_basis`` (codes and figures: ``rule`` whether a points rule was configured, the
    ``category`` name and ``role`` code at verification, the rule's ``points``, and a manual
    ``adjustment`` with its ``reason`` when there was one)."""
    role = RecordRole(basis["role"]).label if basis["role"] in RecordRole.values else basis["role"]
    if basis.get("rule"):
        why = gettext("按计分规则：“%(cat)s”·%(role)s = %(p)s 分。") % {
            "cat": basis["category"], "role": role, "p": basis["points"]}
    else:
        why = gettext("“%(cat)s”未配置“%(role)s”的计分规则，规则分为0。") % {"cat": basis["category"], "role": role}
    if basis.get("adjustment"):
        why += gettext("人工调整 %(a)s 分：%(r)s") % {"a": basis["adjustment"], "r": basis.get("reason", "")}
    return why


class RecordStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    VERIFIED = "verified", _("已核实")
    RETURNED = "returned", _("已退回")


class PointsRule(models.Model):
    """实绩分 given at verification for a category and the cadre's role in the work."""

    category = models.ForeignKey(TaskCategory, on_delete=models.CASCADE, related_name="points_rules",
                                 verbose_name=_("中心工作类别"))
    role = models.CharField(_("角色"), max_length=20, choices=RecordRole.choices)
    points = models.DecimalField(_("实绩分"), max_digits=6, decimal_places=2)

    scope_path_field = None
    leader_writable = False
    objects = RestrictedManager()
    audit_label_fields = ("category__name", "role")  # how the audit log names one
    history = audit_history()

    class Meta:
        verbose_name = _("计分规则")
        verbose_name_plural = _("计分规则")
        ordering = ["category__order", "category_id", "role"]
        constraints = [models.UniqueConstraint(fields=["category", "role"], name="uniq_points_rule",
                                               violation_error_message=_("该中心工作类别已有这一角色的积分规则。"))]

    def __str__(self):
        return f"{self.category} · {self.get_role_display()} · {self.points}"


class PerformanceRecord(models.Model):
    """One achievement of one cadre (实绩记录)."""

    cadre = models.ForeignKey("cadres.Cadre", on_delete=models.PROTECT, related_name="performance_records",
                              verbose_name=_("干部"))
    unit = models.ForeignKey("cadres.Unit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("时任单位"))
    category = models.ForeignKey(TaskCategory, on_delete=models.PROTECT, related_name="records",
                                 verbose_name=_("中心工作类别"))
    title = models.CharField(_("标题"), max_length=200)
    description = models.TextField(_("主要做法和成效"), validators=[MaxLengthValidator(DESCRIPTION_MAX)])
    role = models.CharField(_("本人角色"), max_length=20, choices=RecordRole.choices)
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"), null=True, blank=True)
    quantity = models.DecimalField(_("量化成果"), max_digits=16, decimal_places=2, null=True, blank=True)
    quantity_unit = models.CharField(_("计量单位"), max_length=20, blank=True)

    status = models.CharField(_("状态"), max_length=20, choices=RecordStatus.choices, default=RecordStatus.DRAFT)
    return_reason = models.TextField(_("退回原因"), blank=True)
    base_points = models.DecimalField(_("规则分"), max_digits=6, decimal_places=2, null=True, blank=True)
    adjustment = models.DecimalField(_("调整分"), max_digits=6, decimal_places=2, default=0)
    adjustment_reason = models.CharField(_("调整理由"), max_length=200, blank=True)
    points = models.DecimalField(_("实绩分"), max_digits=6, decimal_places=2, null=True, blank=True)
    points_basis = models.JSONField(_("计分依据"), default=dict, blank=True)  # put in words by points_text
    points_explanation = models.CharField(_("计分说明"), max_length=300, blank=True)  # in the default language

    amends = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="amendments",
                               verbose_name=_("更正的记录"))
    superseded_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                      verbose_name=_("被更正为"))

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("填报人"))
    created_at = models.DateTimeField(_("填报时间"), auto_now_add=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("提交人"))
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("审核人"))
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    scope_path_field = "cadre__unit__path"
    leader_writable = True
    objects = RestrictedManager()
    audit_label_fields = ("cadre__name", "title")  # how the audit log names one
    history = audit_history(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("实绩记录")
        verbose_name_plural = _("实绩记录")
        ordering = ["-start_date", "-id"]
        indexes = [
            models.Index(fields=["-start_date", "-id"], name="record_newest_first"),
            # The review queue reads only the submitted records (about 1 in 8): partial indexes
            # hold just those, for its order and for its counts per unit (index-only). See
            # docs/architecture.md, "Performance archive at scale".
            models.Index(fields=["submitted_at", "id"], condition=models.Q(status="submitted"),
                         name="record_waiting_order"),
            models.Index(fields=["unit", "category"], condition=models.Q(status="submitted"),
                         name="record_waiting_unit"),
            # The record list's status tabs count by status (index-only).
            models.Index(fields=["status"], name="record_status"),
            models.Index(fields=["cadre", "status"]),
            models.Index(fields=["category", "start_date"]),
            # The points that count (assessment.scoring.counted_records_q) per 中心工作 and period,
            # index-only: the vacancy candidates' 行业实绩 (promotion/services/matching.py rule M4)
            # sums them for the whole city (100,000 cadres / 2,000,000 records: 730 → 135 ms).
            models.Index(fields=["category", "start_date"], include=["cadre", "points"],
                         condition=models.Q(status="verified", superseded_by__isnull=True),
                         name="record_counted_by_category"),
            # possible_duplicates: the same cadre, category and start dates nearby (an index range
            # per queue row, whatever the other filters).
            models.Index(fields=["cadre", "category", "start_date"], name="record_duplicate_lookup"),
            # The city analysis's 实绩档案 page (analysis.services.figures.archive): the current records
            # of a period by unit × category × status and by month, read from this index alone
            # (index-only; one year of 2,000,000 records: ~360,000 entries).
            models.Index(fields=["start_date"], include=["unit", "category", "status", "points", "cadre"],
                         condition=models.Q(superseded_by__isnull=True), name="record_activity"),
            # The same page for a unit leader: the gate keeps the records of the cadres of their
            # subtree (the cadre's unit), so the planner probes the records cadre by cadre (a nested
            # loop over ~10,000 cadres of a county); this index answers each probe alone (index-only)
            # instead of ~20 heap pages per cadre (a county, 12 months: 1.3 s → see docs/architecture.md).
            models.Index(fields=["cadre", "start_date"], include=["unit", "category", "status", "points"],
                         condition=models.Q(superseded_by__isnull=True), name="record_activity_by_cadre"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="record_dates_ordered", violation_error_message=_("结束日期不能早于开始日期。"),
            )
        ]

    def __str__(self):
        return f"{self.cadre} · {self.title}"

    @property
    def is_current(self):
        """A verified record that no verified amendment has replaced."""
        return self.status == RecordStatus.VERIFIED and self.superseded_by_id is None

    @property
    def points_text(self) -> str:
        """The explanation of the points in the active language (``points_sentence``); the stored
        ``points_explanation`` for records verified before the basis was kept."""
        if self.points_basis and isinstance(self.points_basis, dict):
            try:
                return points_sentence(self.points_basis)
            except (KeyError, TypeError, ValueError):
                pass
        return self.points_explanation


def evidence_path(instance, filename):
    return f"evidence/{instance.record_id}/{filename}"


class Evidence(models.Model):
    """A file supporting a record. Stored under MEDIA_ROOT (outside the static root) and served
    only through a view that applies the permission gate."""

    record = models.ForeignKey(PerformanceRecord, on_delete=models.CASCADE, related_name="evidence",
                               verbose_name=_("实绩记录"))
    file = models.FileField(_("文件"), upload_to=evidence_path, max_length=300)
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("上传人"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    scope_path_field = "record__cadre__unit__path"
    leader_writable = True
    objects = RestrictedManager()
    audit_label_fields = ("record__cadre__name", "original_name")  # how the audit log names one
    history = audit_history()

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name

    @property
    def previewable(self):
        return self.content_type in ("application/pdf", "image/jpeg", "image/png")
