"""Tiered and categorised indicator schemes (分层分类考核指标体系).

- ``Tier`` (层级) and ``Category`` (类别) are editable lists. A cadre's tier follows from their
  current post (chief / deputy / middle-level) and the kind of the post's unit; their category
  from the unit (an explicit ``UnitCategory`` on the unit or its nearest ancestor, else the first
  category listing the unit's kind, walking up the tree). ``assessment.services.classify`` is the
  one function that decides both.
- ``IndicatorScheme``: the indicators for one (tier, category, year), versioned. A draft is
  edited as a whole (weights must sum to 100 when it is saved); a published scheme is frozen and
  changed only by making a new version.
- ``Indicator``: a weighted indicator of a scheme, grouped by dimension (政治担当 / 业务担当 /
  实践担当), scored by one of the methods of ``assessment.scoring`` (rater score 0–100, or derived
  from the cadre's verified 实绩 points). One indicator may be the veto (一票否决).
"""
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cadres.models import PostKind, UnitKind
from pingdingshan.core.audit import audit_history
from pingdingshan.core.permissions import RestrictedManager


class PostClass(models.TextChoices):
    """Which posts a tier takes (decided from ``Post.is_chief`` and ``Post.kind``)."""

    CHIEF = "chief", _("正职")
    DEPUTY = "deputy", _("副职")
    MIDDLE = "middle", _("中层干部")
    ANY = "any", _("不限")


MIDDLE_POST_KINDS = frozenset({PostKind.SECTION_CHIEF, PostKind.SECTION_DEPUTY})


def _check_kinds(values, field):
    if not isinstance(values, list) or any(v not in UnitKind.values for v in values):
        raise ValidationError({field: _("请选择有效的单位类型。")})


class Tier(models.Model):
    """层级: e.g. 县(市、区)党政正职. Takes the cadres whose current post is of ``post_class`` in a
    unit of one of ``unit_kinds`` (empty: any unit); the first active tier by ``order`` wins."""

    name = models.CharField(_("名称"), max_length=40, unique=True)
    post_class = models.CharField(_("职务类别"), max_length=10, choices=PostClass.choices, default=PostClass.ANY)
    unit_kinds = models.JSONField(_("单位类型"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    scope_path_field = None
    leader_writable = False
    objects = RestrictedManager()
    history = audit_history()

    class Meta:
        verbose_name = _("考核层级")
        verbose_name_plural = _("考核层级")
        ordering = ["order", "id"]

    def __str__(self):
        return self.name

    def clean(self):
        _check_kinds(self.unit_kinds, "unit_kinds")


class Category(models.Model):
    """类别 of unit: e.g. 综合经济部门, 县(市、区), 国有企业. ``unit_kinds`` are the kinds of unit it
    takes by default; a unit may be placed explicitly with ``UnitCategory``."""

    name = models.CharField(_("名称"), max_length=40, unique=True)
    unit_kinds = models.JSONField(_("默认单位类型"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    scope_path_field = None
    leader_writable = False
    objects = RestrictedManager()
    history = audit_history()

    class Meta:
        verbose_name = _("考核类别")
        verbose_name_plural = _("考核类别")
        ordering = ["order", "id"]

    def __str__(self):
        return self.name

    def clean(self):
        _check_kinds(self.unit_kinds, "unit_kinds")


class UnitCategory(models.Model):
    """An explicit category for a unit and the units below it (nearest assignment wins)."""

    unit = models.OneToOneField("cadres.Unit", on_delete=models.CASCADE, related_name="assessment_category",
                                verbose_name=_("单位"))
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="units", verbose_name=_("考核类别"))

    scope_path_field = "unit__path"
    leader_writable = False
    objects = RestrictedManager()
    audit_label_fields = ("unit__name", "category__name")  # how the audit log names one
    history = audit_history()

    class Meta:
        verbose_name = _("单位考核类别")
        verbose_name_plural = _("单位考核类别")
        ordering = ["unit__path"]

    def __str__(self):
        return f"{self.unit} → {self.category}"


class SchemeStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")


class IndicatorScheme(models.Model):
    """The indicators for one (tier, category, year); ``version`` counts the changes of a year."""

    tier = models.ForeignKey(Tier, on_delete=models.PROTECT, related_name="schemes", verbose_name=_("考核层级"))
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="schemes",
                                 verbose_name=_("考核类别"))
    year = models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    name = models.CharField(_("名称"), max_length=120, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=SchemeStatus.choices, default=SchemeStatus.DRAFT)
    based_on = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                 verbose_name=_("复制自"))
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("发布人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    scope_path_field = None
    scoped_rows_q = models.Q(status="published")  # unit leaders see published schemes only
    leader_writable = False
    objects = RestrictedManager()
    audit_label_fields = ("year", "tier__name", "category__name")  # how the audit log names one
    history = audit_history()

    class Meta:
        verbose_name = _("考核指标体系")
        verbose_name_plural = _("考核指标体系")
        ordering = ["-year", "tier__order", "category__order", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["tier", "category", "year", "version"], name="uniq_scheme_version",
                                    violation_error_message=_("该考核层级、考核类别和年度已有这一版本的指标体系。")),
        ]

    def __str__(self):
        return self.name or self.default_name()

    def default_name(self):
        return f"{self.year} {self.tier.name} · {self.category.name} v{self.version}"

    @property
    def is_frozen(self):
        return self.status == SchemeStatus.PUBLISHED


class Dimension(models.TextChoices):
    """The three capacities the seed names."""

    POLITICAL = "political", _("政治担当")
    BUSINESS = "business", _("业务担当")
    PRACTICE = "practice", _("实践担当")


class Indicator(models.Model):
    """One weighted indicator of a scheme. ``method`` names a scoring method of
    ``assessment.scoring`` (its ``params`` say how, e.g. the points that earn full marks)."""

    scheme = models.ForeignKey(IndicatorScheme, on_delete=models.CASCADE, related_name="indicators",
                               verbose_name=_("考核指标体系"))
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    dimension = models.CharField(_("维度"), max_length=20, choices=Dimension.choices)
    name = models.CharField(_("指标名称"), max_length=60)
    description = models.CharField(_("评价要点"), max_length=500, blank=True)
    weight = models.DecimalField(_("权重（%）"), max_digits=5, decimal_places=2,
                                 validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))])
    method = models.CharField(_("计分方式"), max_length=30)
    params = models.JSONField(_("计分参数"), default=dict, blank=True)
    is_veto = models.BooleanField(_("一票否决"), default=False)
    veto_threshold = models.DecimalField(_("否决线"), max_digits=5, decimal_places=2, default=Decimal("60"),
                                         validators=[MinValueValidator(Decimal("0")),
                                                     MaxValueValidator(Decimal("100"))])

    scope_path_field = None
    scoped_rows_q = models.Q(scheme__status="published")
    leader_writable = False
    objects = RestrictedManager()
    audit_label_fields = ("scheme__tier__name", "scheme__category__name", "name")  # how the audit log names one
    history = audit_history()

    class Meta:
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        ordering = ["scheme", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "name"], name="uniq_indicator_name",
                                    violation_error_message=_("同一指标体系中的指标名称不能重复。")),
            models.UniqueConstraint(fields=["scheme"], condition=models.Q(is_veto=True), name="one_veto_per_scheme",
                                    violation_error_message=_("一个指标体系只能有一个一票否决指标。")),
        ]

    def __str__(self):
        return self.name
