"""The rules and targets of the leadership team analysis (班子研判): one row (``pk`` 1, seeded by
migration 0001 with the issue's defaults), edited by org staff on /analysis/team-rules/ and
``PUT /api/v1/team-rules/``, every change in its audit history. Each rule has its on/off switch
and its thresholds here; the rules themselves are the functions of ``analysis.services.teams``."""
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from pingdingshan.core.audit import audit_history
from pingdingshan.core.permissions import RestrictedManager

PERCENT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]
DEFAULTS = {
    "no_chief_on": True,
    "chief_retiring_on": True, "chief_retiring_months": 6,
    "bottom_on": True, "bottom_periods": 3,
    "young_on": True, "young_age": 40, "young_share": Decimal("15"),
    "ageing_on": True, "ageing_years": 3, "ageing_share": Decimal("33.33"),
    "women_on": True, "women_min": 1,
    "non_party_on": True, "non_party_min": 1,
    "cards_on": True,
    "sanctions_on": True,
}


class TeamRules(models.Model):
    """班子研判的规则与配备目标 (one row)."""

    no_chief_on = models.BooleanField(_("启用：无正职"), default=True)
    chief_retiring_on = models.BooleanField(_("启用：正职即将到龄"), default=True)
    chief_retiring_months = models.PositiveSmallIntegerField(
        _("正职到龄提前月数"), default=6, validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("正职在此月数内达到法定退休年龄即为红色预警。"))
    bottom_on = models.BooleanField(_("启用：实绩比拼连续垫底"), default=True)
    bottom_periods = models.PositiveSmallIntegerField(
        _("连续垫底周期数"), default=3, validators=[MinValueValidator(1), MaxValueValidator(12)])
    young_on = models.BooleanField(_("启用：年轻干部比例"), default=True)
    young_age = models.PositiveSmallIntegerField(_("年轻干部年龄上限（不含）"), default=40,
                                                 validators=[MinValueValidator(20), MaxValueValidator(60)])
    young_share = models.DecimalField(_("年轻干部比例目标（%）"), max_digits=5, decimal_places=2,
                                      default=Decimal("15"), validators=PERCENT)
    ageing_on = models.BooleanField(_("启用：班子集中到龄"), default=True)
    ageing_years = models.PositiveSmallIntegerField(_("到龄年限"), default=3,
                                                    validators=[MinValueValidator(1), MaxValueValidator(10)])
    ageing_share = models.DecimalField(_("到龄人数比例（%）"), max_digits=5, decimal_places=2,
                                       default=Decimal("33.33"), validators=PERCENT,
                                       help_text=_("到龄年限内达到法定退休年龄的成员不低于此比例即为蓝色预警。"))
    women_on = models.BooleanField(_("启用：女干部配备"), default=True)
    women_min = models.PositiveSmallIntegerField(_("女干部至少人数"), default=1, validators=[MaxValueValidator(20)])
    non_party_on = models.BooleanField(_("启用：党外干部配备"), default=True)
    non_party_min = models.PositiveSmallIntegerField(_("党外干部至少人数"), default=1,
                                                     validators=[MaxValueValidator(20)])
    cards_on = models.BooleanField(_("启用：红黄牌在期"), default=True)
    sanctions_on = models.BooleanField(_("启用：处分与容错在办"), default=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("修改人"))
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    scope_path_field = None
    leader_writable = False
    objects = RestrictedManager()
    history = audit_history(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("班子研判规则")
        verbose_name_plural = _("班子研判规则")

    def __str__(self):
        return str(_("班子研判规则"))


class ReportState(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("生成中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class GeneratedReport(models.Model):
    """One generated auditors' report (审计报表, issue 14): which report (``kind``, a key of
    ``analysis.services.reports.CATALOGUE``), its parameters, its two files (xlsx and PDF, under
    ``MEDIA_ROOT/reports/<id>/``, never served directly), who asked (None: the monthly schedule) and
    the background job that made it. Kept until removed by hand: the list of generated reports."""

    kind = models.CharField(_("报表"), max_length=40, db_index=True)
    unit = models.ForeignKey("cadres.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name=_("单位"))
    start = models.DateField(_("开始日期"), null=True, blank=True)
    end = models.DateField(_("结束日期"), null=True, blank=True)
    params = models.JSONField(_("参数"), default=dict, blank=True)  # what was asked, as shown: {"unit_name": …}
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("发起人"))
    scheduled = models.BooleanField(_("定时生成"), default=False)
    created_at = models.DateTimeField(_("发起时间"), auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=ReportState.choices, default=ReportState.QUEUED)
    message = models.TextField(_("说明"), blank=True)
    job = models.ForeignKey("core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                            verbose_name=_("后台任务"))
    xlsx_file = models.CharField(_("Excel 文件"), max_length=300, blank=True)
    pdf_file = models.CharField(_("PDF 文件"), max_length=300, blank=True)
    row_count = models.PositiveIntegerField(_("行数"), default=0)

    scope_path_field = None  # who sees a report is the service's (reports.visible_reports), not a unit scope
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("审计报表")
        verbose_name_plural = _("审计报表")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["requested_by", "-created_at"], name="report_user_recent")]

    def __str__(self):
        return f"{self.kind} {self.created_at:%Y-%m-%d}" if self.created_at else self.kind

    @property
    def folder(self) -> str:
        return f"reports/{self.pk}"
