"""Frontline postings (墩苗育苗 / 千名优秀年轻干部实践练兵计划): a cadre sent for a time to a
programme's host unit or task, evaluated at the end. Unit leaders propose postings for cadres of
their units; org staff approve (or refuse), evaluate and close them
(``promotion/services/postings.py``, a transitions table). Closed, evaluated postings are the pool
criterion "一线历练" and the ranking component of the same name."""
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from pingdingshan.core.audit import audit_history
from pingdingshan.core.permissions import RestrictedManager

TEXT_MAX = 5000


class Programme(models.Model):
    """An editable list: 千名优秀年轻干部实践练兵计划, 乡村振兴驻村, 万人助万企 …"""

    name = models.CharField(_("名称"), max_length=60, unique=True)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    scope_path_field = None
    leader_writable = False
    objects = RestrictedManager()
    history = audit_history()

    class Meta:
        verbose_name = _("实践练兵项目")
        verbose_name_plural = _("实践练兵项目")
        ordering = ["order", "id"]

    def __str__(self):
        return self.name


class PostingStatus(models.TextChoices):
    PROPOSED = "proposed", _("待审批")
    APPROVED = "approved", _("进行中")
    REJECTED = "rejected", _("未批准")
    CLOSED = "closed", _("已结束")
    CANCELLED = "cancelled", _("已撤回")


class Evaluation(models.TextChoices):
    """The evaluation at the end of a posting, best first."""

    EXCELLENT = "excellent", _("优秀")
    GOOD = "good", _("良好")
    FAIR = "fair", _("一般")
    POOR = "poor", _("较差")


# Best first: a posting "at least 良好" has one of the first two.
EVALUATION_ORDER = [Evaluation.EXCELLENT, Evaluation.GOOD, Evaluation.FAIR, Evaluation.POOR]


class FrontlinePosting(models.Model):
    """墩苗育苗: a cadre posted to the front line (a host unit or a task) from ``start_date`` to
    ``end_date`` (both inclusive), the tasks taken on, and the evaluation when it closes."""

    cadre = models.ForeignKey("cadres.Cadre", on_delete=models.CASCADE, related_name="postings",
                              verbose_name=_("干部"))
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="postings",
                                  verbose_name=_("项目"))
    host_unit = models.ForeignKey("cadres.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("派驻单位"))
    host = models.CharField(_("派驻单位或任务"), max_length=100,
                            help_text=_("派驻的单位、村（社区）、企业或承担的任务。"))
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    tasks = models.TextField(_("承担任务"), max_length=TEXT_MAX, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=PostingStatus.choices,
                              default=PostingStatus.PROPOSED)
    evaluation = models.CharField(_("期满评价"), max_length=10, choices=Evaluation.choices, blank=True)
    evaluation_remarks = models.TextField(_("评价意见"), max_length=TEXT_MAX, blank=True)
    evaluated_on = models.DateField(_("评价日期"), null=True, blank=True)
    evaluated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("评价人"))
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("提出人"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("审批人"))
    approved_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    scope_path_field = "cadre__unit__path"
    leader_writable = True  # unit leaders propose (and withdraw) postings for cadres of their units
    objects = RestrictedManager()
    history = audit_history()

    class Meta:
        verbose_name = _("一线历练")
        verbose_name_plural = _("一线历练")
        ordering = ["-start_date", "-id"]
        indexes = [models.Index(fields=["cadre", "status"], name="posting_cadre_status")]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="posting_dates_order",
                                   violation_error_message=_("结束日期不能早于开始日期。")),
            models.CheckConstraint(
                condition=~Q(status="closed") | ~Q(evaluation=""), name="posting_closed_evaluated",
                violation_error_message=_("结束一线历练须填写期满评价。")),
        ]

    def __str__(self):
        return f"{self.cadre} · {self.programme} · {self.host}"
