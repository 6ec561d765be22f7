"""Assessment periods (考核周期), their rater groups, the scores entered and the results.

- ``AssessmentPeriod``: 平时 / 年度 / 专项 / 任期, with dates, the schemes in force, the grade
  thresholds and the 优秀 cap. 筹备 draft → 评分 open → 已发布 published (frozen).
- ``RaterGroup`` (评价主体, e.g. 上级 / 同级 / 下级和服务对象) with a weight per tier
  (``RaterWeight``; the weights of a tier sum to 100).
- ``AssessmentResult``: one cadre in one period. Created when the period's cadres are enrolled
  (with the tier, category and scheme that apply then), filled by the composite computation
  (``assessment.services.compute``) with the composite, its explanation, the ranks in the
  (tier, category) group and the grade; org staff may override the grade with a reason.
- ``Score``: the aggregated score one rater group gave one enrolled cadre on one indicator.
"""
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pingdingshan.core.audit import audit_history
from pingdingshan.core.permissions import RestrictedManager

from .schemes import Category, Indicator, IndicatorScheme, Tier

PERCENT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


class PeriodKind(models.TextChoices):
    ROUTINE = "routine", _("平时考核")
    ANNUAL = "annual", _("年度考核")
    SPECIAL = "special", _("专项考核")
    TERM = "term", _("任期考核")


class PeriodStatus(models.TextChoices):
    DRAFT = "draft", _("筹备中")
    OPEN = "open", _("评分中")
    PUBLISHED = "published", _("已发布")


class Grade(models.TextChoices):
    """The four grades, stored with the national system's codes (1 优秀 … 4 不称职)."""

    EXCELLENT = "1", _("优秀")
    COMPETENT = "2", _("称职")
    BASIC = "3", _("基本称职")
    INCOMPETENT = "4", _("不称职")


# Public institutions and state enterprises word the same four levels differently (合格 …).
INSTITUTION_GRADE_LABELS = {"1": _("优秀"), "2": _("合格"), "3": _("基本合格"), "4": _("不合格")}
INSTITUTION_UNIT_KINDS = frozenset({"institution", "enterprise"})


def grade_label(grade: str | None, unit_kind: str | None = None) -> str:
    """The wording of a grade for a cadre of a unit of ``unit_kind``."""
    if not grade:
        return ""
    if unit_kind in INSTITUTION_UNIT_KINDS:
        return str(INSTITUTION_GRADE_LABELS[grade])
    return str(Grade(grade).label)


class AssessmentPeriod(models.Model):
    name = models.CharField(_("名称"), max_length=100, unique=True)
    kind = models.CharField(_("考核类型"), max_length=10, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    task_name = models.CharField(_("专项任务"), max_length=100, blank=True)
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    status = models.CharField(_("状态"), max_length=10, choices=PeriodStatus.choices, default=PeriodStatus.DRAFT)
    schemes = models.ManyToManyField(IndicatorScheme, blank=True, related_name="periods",
                                     verbose_name=_("适用的指标体系"))
    previous = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                 verbose_name=_("对比的上一周期"))
    excellent_share = models.DecimalField(_("优秀比例上限（%）"), max_digits=5, decimal_places=2,
                                          default=Decimal("20"), validators=PERCENT)
    excellent_min = models.DecimalField(_("优秀分数线"), max_digits=5, decimal_places=2, default=Decimal("90"),
                                        validators=PERCENT)
    competent_min = models.DecimalField(_("称职分数线"), max_digits=5, decimal_places=2, default=Decimal("70"),
                                        validators=PERCENT)
    basic_min = models.DecimalField(_("基本称职分数线"), max_digits=5, decimal_places=2, default=Decimal("60"),
                                    validators=PERCENT)
    computed_at = models.DateTimeField(_("计算时间"), null=True, blank=True)
    scores_changed_at = models.DateTimeField(_("评分更新时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("发布人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    scope_path_field = None
    # Unit leaders see a period (and its results in their scope) once it is published.
    scoped_rows_q = Q(status=PeriodStatus.PUBLISHED)
    leader_writable = False
    objects = RestrictedManager()
    history = audit_history(m2m_fields=[schemes])

    class Meta:
        verbose_name = _("考核周期")
        verbose_name_plural = _("考核周期")
        ordering = ["-end_date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="period_dates_ordered",
                                   violation_error_message=_("考核周期的结束日期不能早于开始日期。")),
        ]

    def __str__(self):
        return self.name

    @property
    def is_frozen(self):
        return self.status == PeriodStatus.PUBLISHED

    @property
    def results_stale(self):
        """Scores changed after the last computation (or never computed)."""
        if self.computed_at is None:
            return True
        return bool(self.scores_changed_at and self.scores_changed_at > self.computed_at)


class RaterGroup(models.Model):
    """评价主体 of a period, e.g. 上级, 同级, 下级和服务对象."""

    period = models.ForeignKey(AssessmentPeriod, on_delete=models.CASCADE, related_name="rater_groups",
                               verbose_name=_("考核周期"))
    name = models.CharField(_("名称"), max_length=40)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    scope_path_field = None
    scoped_rows_q = Q(period__status=PeriodStatus.PUBLISHED)
    leader_writable = False
    objects = RestrictedManager()
    audit_label_fields = ("period__name", "name")  # how the audit log names one
    history = audit_history()

    class Meta:
        verbose_name = _("评价主体")
        verbose_name_plural = _("评价主体")
        ordering = ["period", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["period", "name"], name="uniq_rater_group_name",
                                               violation_error_message=_("本考核周期已有同名的评价主体。"))]

    def __str__(self):
        return self.name


class RaterWeight(models.Model):
    """The weight of a rater group for the cadres of one tier (a tier's weights sum to 100)."""

    rater_group = models.ForeignKey(RaterGroup, on_delete=models.CASCADE, related_name="weights",
                                    verbose_name=_("评价主体"))
    tier = models.ForeignKey(Tier, on_delete=models.PROTECT, related_name="+", verbose_name=_("考核层级"))
    weight = models.DecimalField(_("权重（%）"), max_digits=5, decimal_places=2, validators=PERCENT)

    scope_path_field = None
    scoped_rows_q = Q(rater_group__period__status=PeriodStatus.PUBLISHED)
    leader_writable = False
    objects = RestrictedManager()
    audit_label_fields = ("rater_group__period__name", "rater_group__name", "tier__name")  # how the audit log names one
    history = audit_history()

    class Meta:
        verbose_name = _("评价主体权重")
        verbose_name_plural = _("评价主体权重")
        ordering = ["rater_group__order", "tier__order"]
        constraints = [models.UniqueConstraint(fields=["rater_group", "tier"], name="uniq_rater_weight",
                                               violation_error_message=_("该评价主体对这一考核层级已设置权重。"))]

    def __str__(self):
        return f"{self.rater_group} · {self.tier} · {self.weight}%"


class AssessmentResult(models.Model):
    """One cadre in one period: enrolment (tier, category, scheme at the time), then the computed
    composite, ranks in the (tier, category) group and the grade (its explanation is built when shown)."""

    period = models.ForeignKey(AssessmentPeriod, on_delete=models.CASCADE, related_name="results",
                               verbose_name=_("考核周期"))
    cadre = models.ForeignKey("cadres.Cadre", on_delete=models.PROTECT, related_name="assessment_results",
                              verbose_name=_("干部"))
    unit = models.ForeignKey("cadres.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("时任单位"))
    post = models.ForeignKey("cadres.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name=_("时任职务"))
    tier = models.ForeignKey(Tier, on_delete=models.PROTECT, related_name="+", verbose_name=_("考核层级"))
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+", verbose_name=_("考核类别"))
    scheme = models.ForeignKey(IndicatorScheme, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("考核指标体系"))

    composite = models.DecimalField(_("综合得分"), max_digits=6, decimal_places=2, null=True, blank=True)
    points = models.DecimalField(_("实绩分"), max_digits=8, decimal_places=2, null=True, blank=True)
    # Points taken off for warning cards in force during the period (the ``cards`` scoring
    # source), kept as they were at compute time for the explanation.
    card_deduction = models.DecimalField(_("红黄牌扣分"), max_digits=6, decimal_places=2, default=0)
    vetoed = models.BooleanField(_("一票否决"), default=False)
    computed_grade = models.CharField(_("测算等次"), max_length=1, choices=Grade.choices, blank=True)
    grade = models.CharField(_("等次"), max_length=1, choices=Grade.choices, blank=True)
    override_reason = models.CharField(_("调整理由"), max_length=300, blank=True)
    overridden_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+", verbose_name=_("调整人"))
    overridden_at = models.DateTimeField(_("调整时间"), null=True, blank=True)
    rank_composite = models.PositiveIntegerField(_("综合得分排名"), null=True, blank=True)
    rank_points = models.PositiveIntegerField(_("实绩分排名"), null=True, blank=True)
    group_size = models.PositiveIntegerField(_("同组人数"), null=True, blank=True)
    # The grading's tie-break after composite and points, and its note (a code: cap / tie) with
    # the group's 优秀 cap; the explanation itself is built when the result is shown
    # (``services.compute.explain``), from the frozen scores.
    political = models.DecimalField(_("政治担当得分"), max_digits=6, decimal_places=2, null=True, blank=True)
    grade_note = models.CharField(_("等次说明"), max_length=10, blank=True)
    excellent_cap = models.PositiveIntegerField(_("本组优秀名额"), null=True, blank=True)
    computed_at = models.DateTimeField(_("计算时间"), null=True, blank=True)

    scope_path_field = "cadre__unit__path"
    # Unit leaders see results only once the period is published.
    scoped_rows_q = Q(period__status=PeriodStatus.PUBLISHED)
    leader_writable = False
    objects = RestrictedManager()
    audit_label_fields = ("cadre__name", "period__name")  # how the audit log names one
    history = audit_history()

    class Meta:
        verbose_name = _("考核结果")
        verbose_name_plural = _("考核结果")
        ordering = ["period", "tier__order", "category__order", "rank_composite", "id"]
        constraints = [models.UniqueConstraint(fields=["period", "cadre"], name="uniq_result_per_period",
                                               violation_error_message=_("该干部已是本考核周期的考核对象。"))]
        indexes = [
            # No computed column in any index: recomputing a period then updates its rows in place
            # (PostgreSQL HOT updates, with the table's fillfactor leaving room), without touching
            # the table's dozen indexes.
            models.Index(fields=["period", "tier", "category"], name="result_group"),
            models.Index(fields=["cadre", "period"], name="result_cadre_history"),
        ]

    def __str__(self):
        return f"{self.period} · {self.cadre}"

    @property
    def is_overridden(self):
        return bool(self.override_reason)

    def grade_display(self):
        return grade_label(self.grade, self.unit.kind if self.unit_id else None)


class Score(models.Model):
    """The aggregated score (0–100) one rater group gave one enrolled cadre on one indicator."""

    result = models.ForeignKey(AssessmentResult, on_delete=models.CASCADE, related_name="scores",
                               verbose_name=_("考核对象"))
    rater_group = models.ForeignKey(RaterGroup, on_delete=models.CASCADE, related_name="scores",
                                    verbose_name=_("评价主体"))
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="scores",
                                  verbose_name=_("考核指标"))
    score = models.DecimalField(_("得分"), max_digits=5, decimal_places=2, validators=PERCENT)

    scope_path_field = "result__cadre__unit__path"
    scoped_rows_q = Q(result__period__status=PeriodStatus.PUBLISHED)
    leader_writable = False
    objects = RestrictedManager()
    audit_label_fields = ("result__cadre__name", "indicator__name", "rater_group__name")  # how the audit log names one
    history = audit_history()

    class Meta:
        verbose_name = _("评分")
        verbose_name_plural = _("评分")
        constraints = [
            models.UniqueConstraint(fields=["result", "rater_group", "indicator"], name="uniq_score",
                                    violation_error_message=_("该评价主体已对这一考核对象的这项指标评分。")),
        ]
        indexes = [models.Index(fields=["rater_group", "indicator"], name="score_by_group")]

    def __str__(self):
        return f"{self.result} · {self.rater_group} · {self.indicator} = {self.score}"

