"""Care records (关心关爱) of one cadre: talks (谈心谈话), paid leave (带薪休假), health check-ups
(健康体检), overtime and time off in lieu (加班补休), and support for cadres posted away from home
(异地交流). Unit leaders record them for their scope, org staff for all (``leader_writable``);
a check-up's ``details`` (personal health details) are for org staff only (gate action
``care_health``). Writes go through ``cadres/services/care.py``."""
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from pingdingshan.core.audit import audit_history
from pingdingshan.core.permissions import RestrictedManager

MAX_LEAVE_DAYS = 60  # the legal maximum of paid leave is 15 days; 60 leaves room for local rules
MAX_OVERTIME_HOURS = 24


class CareRecord(models.Model):
    """What every kind of care record shares: the gate's scope through the cadre's unit."""

    scope_path_field = "cadre__unit__path"
    leader_writable = True
    objects = RestrictedManager()

    class Meta:
        abstract = True


class TalkKind(models.TextChoices):
    HEART = "heart", _("谈心谈话")
    APPOINTMENT = "appointment", _("任职谈话")
    OTHER = "other", _("其他谈话")


class Talk(CareRecord):
    """谈心谈话: who talked with the cadre, when, about what, and the follow-up."""

    cadre = models.ForeignKey("cadres.Cadre", on_delete=models.CASCADE, related_name="talks", verbose_name=_("干部"))
    held_on = models.DateField(_("谈话日期"))
    talked_by = models.CharField(_("谈话人"), max_length=60)
    kind = models.CharField(_("谈话类型"), max_length=20, choices=TalkKind.choices, default=TalkKind.HEART)
    topics = models.TextField(_("谈话内容"), max_length=2000)
    follow_up = models.TextField(_("跟进事项"), max_length=2000, blank=True)
    follow_up_done = models.BooleanField(_("跟进已完成"), default=False)

    audit_label_fields = ("cadre__name", "held_on")
    history = audit_history()

    class Meta:
        verbose_name = _("谈心谈话")
        verbose_name_plural = _("谈心谈话")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["cadre", "held_on"], name="talk_cadre_date")]

    def __str__(self):
        return f"{self.cadre} · {self.held_on}"


class LeaveYear(CareRecord):
    """带薪休假: one cadre's paid-leave entitlement and the days taken in one calendar year."""

    cadre = models.ForeignKey("cadres.Cadre", on_delete=models.CASCADE, related_name="leave_years",
                              verbose_name=_("干部"))
    year = models.PositiveSmallIntegerField(_("年度"))
    entitled_days = models.PositiveSmallIntegerField(_("应休天数"))
    taken_days = models.PositiveSmallIntegerField(_("已休天数"), default=0)

    audit_label_fields = ("cadre__name", "year")
    history = audit_history()

    class Meta:
        verbose_name = _("带薪休假")
        verbose_name_plural = _("带薪休假")
        ordering = ["-year", "cadre_id"]
        constraints = [
            models.UniqueConstraint(fields=["cadre", "year"], name="uniq_leave_year",
                                    violation_error_message=_("该干部这一年度已有休假记录。")),
            models.CheckConstraint(condition=Q(taken_days__lte=F("entitled_days")), name="leave_taken_within",
                                   violation_error_message=_("已休天数不能多于应休天数。")),
            models.CheckConstraint(condition=Q(entitled_days__lte=MAX_LEAVE_DAYS), name="leave_entitled_bound",
                                   violation_error_message=_("应休天数不能超过60天。")),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="leave_year_bound",
                                   violation_error_message=_("年度须在2000至2100之间。")),
        ]

    def __str__(self):
        return f"{self.cadre} · {self.year}"


class HealthCheck(CareRecord):
    """健康体检: a check-up; ``conclusion`` is shown to all who see care records, ``details`` (personal
    health details) only to org staff."""

    cadre = models.ForeignKey("cadres.Cadre", on_delete=models.CASCADE, related_name="health_checks",
                              verbose_name=_("干部"))
    checked_on = models.DateField(_("体检日期"))
    organiser = models.CharField(_("体检机构"), max_length=100, blank=True)
    conclusion = models.CharField(_("体检结论"), max_length=200, blank=True)
    details = models.TextField(_("健康详情"), max_length=4000, blank=True,
                               help_text=_("个人健康信息，仅组织部可见。"))

    audit_label_fields = ("cadre__name", "checked_on")
    history = audit_history()

    class Meta:
        verbose_name = _("健康体检")
        verbose_name_plural = _("健康体检")
        ordering = ["-checked_on", "-id"]
        indexes = [models.Index(fields=["cadre", "checked_on"], name="health_cadre_date")]

    def __str__(self):
        return f"{self.cadre} · {self.checked_on}"


class OvertimeRecord(CareRecord):
    """加班补休: a day of overtime and the time off in lieu granted and taken."""

    cadre = models.ForeignKey("cadres.Cadre", on_delete=models.CASCADE, related_name="overtime",
                              verbose_name=_("干部"))
    worked_on = models.DateField(_("加班日期"))
    hours = models.DecimalField(_("加班时长（小时）"), max_digits=4, decimal_places=1)
    reason = models.CharField(_("加班事由"), max_length=200)
    time_off_days_granted = models.DecimalField(_("应补休天数"), max_digits=3, decimal_places=1, default=0)
    time_off_taken_on = models.DateField(_("补休日期"), null=True, blank=True)

    audit_label_fields = ("cadre__name", "worked_on")
    history = audit_history()

    class Meta:
        verbose_name = _("加班补休")
        verbose_name_plural = _("加班补休")
        ordering = ["-worked_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0, hours__lte=MAX_OVERTIME_HOURS), name="overtime_hours_bound",
                                   violation_error_message=_("加班时长须大于0且不超过24小时。")),
            models.CheckConstraint(condition=Q(time_off_days_granted__gte=0, time_off_days_granted__lte=10),
                                   name="overtime_time_off_bound",
                                   violation_error_message=_("应补休天数须在0至10天之间。")),
            models.CheckConstraint(
                condition=Q(time_off_taken_on__isnull=True) | Q(time_off_taken_on__gte=F("worked_on")),
                name="overtime_time_off_after", violation_error_message=_("补休日期不能早于加班日期。")),
        ]

    def __str__(self):
        return f"{self.cadre} · {self.worked_on}"


class AwaySupport(CareRecord):
    """异地交流: support for a cadre posted away from home (housing, travel home)."""

    cadre = models.ForeignKey("cadres.Cadre", on_delete=models.CASCADE, related_name="away_support",
                              verbose_name=_("干部"))
    host = models.CharField(_("交流地及单位"), max_length=120)
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"), null=True, blank=True)
    housing = models.CharField(_("住房保障"), max_length=200, blank=True)
    travel_home_per_year = models.PositiveSmallIntegerField(_("每年探亲次数"), default=0)
    note = models.CharField(_("备注"), max_length=300, blank=True)

    audit_label_fields = ("cadre__name", "host")
    history = audit_history()

    class Meta:
        verbose_name = _("异地交流保障")
        verbose_name_plural = _("异地交流保障")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                                   name="away_dates_ordered", violation_error_message=_("结束日期不能早于开始日期。")),
            models.CheckConstraint(condition=Q(travel_home_per_year__lte=52), name="away_travel_bound",
                                   violation_error_message=_("每年探亲次数不能超过52次。")),
        ]

    def __str__(self):
        return f"{self.cadre} · {self.host}"
