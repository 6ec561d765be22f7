"""The thresholds of the eligibility against a target post (``promotion.services.post_eligibility``):
one row (``SelectionRules.current()``), seeded from RULES.md ("Selection and appointment") by the
migration, editable by org staff, every change in the audit history."""
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from pingdingshan.core.audit import audit_history
from pingdingshan.core.permissions import RestrictedManager

# RULES.md, "Selection and appointment" (党政领导干部选拔任用工作条例 2019, arts. 8–11 and 38–39).
DEFAULTS = {
    "min_level": 3,             # the years of work and at the grassroots apply from 县处级副职 up
    "work_years": 5,
    "grassroots_years": 2,
    "lower_posts": 2,           # posts held at the level below (0: not asked)
    "deputy_years": 2,          # deputy → chief at the same level
    "chief_years": 3,           # chief at a lower level → deputy at the higher level
    "min_education": 3,         # EducationLevel.COLLEGE (大专)
    "training_years": 5,
    "training_hours": 80,
    "recent_promotion_months": 12,
    "ban_any_months": 12,       # after accountability: no post for 1 year
    "ban_higher_months": 24,    # no higher post for 2 years
    "grassroots_words": "乡,镇,街道,村,社区",
}


def _years(label, **kw):
    return models.PositiveSmallIntegerField(label, validators=[MaxValueValidator(30)], **kw)


class SelectionRules(models.Model):
    """The settings of the eligibility check (选拔任用资格条件); one row."""

    min_level = models.PositiveSmallIntegerField(
        _("工作年限和基层经历适用的最低职务层次"), default=DEFAULTS["min_level"],
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("拟任职务达到此层次的，须满足工作年限和基层工作经历年限（条例：提任县处级领导职务）。"))
    work_years = _years(_("工作年限（年）"), default=DEFAULTS["work_years"])
    grassroots_years = _years(_("基层工作经历（年）"), default=DEFAULTS["grassroots_years"])
    lower_posts = models.PositiveSmallIntegerField(
        _("下一级职位任职经历（个）"), default=DEFAULTS["lower_posts"], validators=[MaxValueValidator(10)],
        help_text=_("0 表示不要求。"))
    deputy_years = _years(_("副职提任同级正职的任职年限（年）"), default=DEFAULTS["deputy_years"])
    chief_years = _years(_("下级正职提任上级副职的任职年限（年）"), default=DEFAULTS["chief_years"])
    min_education = models.PositiveSmallIntegerField(
        _("最低学历"), default=DEFAULTS["min_education"],
        choices=[(3, _("大学专科")), (4, _("大学本科")), (5, _("研究生")), (0, _("不要求"))])
    training_years = models.PositiveSmallIntegerField(
        _("培训计算年数"), default=DEFAULTS["training_years"], validators=[MinValueValidator(1), MaxValueValidator(10)])
    training_hours = models.PositiveSmallIntegerField(
        _("培训学时（学时）"), default=DEFAULTS["training_hours"], validators=[MaxValueValidator(2000)],
        help_text=_("近若干年内参加培训累计学时不少于此数；0 表示不要求。"))
    recent_promotion_months = models.PositiveSmallIntegerField(
        _("提拔后不得再次提拔的期限（月）"), default=DEFAULTS["recent_promotion_months"],
        validators=[MaxValueValidator(60)])
    ban_any_months = models.PositiveSmallIntegerField(
        _("问责后不得安排职务的期限（月）"), default=DEFAULTS["ban_any_months"], validators=[MaxValueValidator(120)])
    ban_higher_months = models.PositiveSmallIntegerField(
        _("问责后不得提拔的期限（月）"), default=DEFAULTS["ban_higher_months"], validators=[MaxValueValidator(120)])
    grassroots_words = models.CharField(
        _("简历中视为基层经历的用语"), max_length=200, default=DEFAULTS["grassroots_words"], blank=True,
        help_text=_("用逗号分隔；简历条目含其一的计为基层工作经历（任职记录按单位层级“乡级”计算）。"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    scope_path_field = None
    leader_writable = False
    objects = RestrictedManager()
    history = audit_history(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("选拔任用资格条件")
        verbose_name_plural = _("选拔任用资格条件")

    def __str__(self):
        return str(_("选拔任用资格条件"))

    @classmethod
    def current(cls) -> "SelectionRules":
        """The one row (the defaults, unsaved, when the table is empty)."""
        row = cls.objects.order_by("pk").first()
        return row if row is not None else cls(**DEFAULTS)

    @property
    def words(self) -> list[str]:
        return [w.strip() for w in self.grassroots_words.replace("，", ",").split(",") if w.strip()]
