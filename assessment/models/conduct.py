"""Awards, red and yellow cards, and the protection of cadres who act (奖惩与容错).

The article's two sides of one mechanism:
- awards (``AwardKind``, ``Award``) and their selection (``Campaign`` with ``CampaignQuota`` per
  unit and ``Nomination``\\ s);
- warning cards (``WarningCard``, reasons in ``CardReason``), the proposals triggers make
  (``CardProposal``; nothing is issued automatically), the organisational adjustment a red card
  requires (``Adjustment``) and disciplinary sanctions (``Sanction``, e.g. 警告, which RULES.md
  says bars 优秀 in the year);
- protection: tolerance rulings (``ToleranceRuling``, 容错裁定), risk filings (``RiskFiling``,
  报备免责), clarifications (``Clarification``, 澄清正名) and reminders (``Reminder``, 担当提醒).

Every workflow moves through a transitions table in its service module
(``assessment/services/cards.py`` …); each step is kept, with its reason, as a ``ConductStep``.
What is in force for a cadre on a day (blocks, waivers, priorities) is computed from these rows
and dates by ``assessment.services.standing.standing`` and never stored as a flag.

Term dates are inclusive: a card from 2026-03-01 to 2026-08-31 is in force on both days and no
longer on 2026-09-01.
"""
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pingdingshan.core.audit import audit_history
from pingdingshan.core.permissions import RestrictedManager

TEXT_MAX = 5000


class Level(models.TextChoices):
    NATIONAL = "national", _("国家级")
    PROVINCIAL = "provincial", _("省级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")


class AwardTarget(models.TextChoices):
    CADRE = "cadre", _("干部")
    UNIT = "unit", _("单位")


class EvidenceFile(models.Model):
    """A file supporting an award, a card or a ruling: stored under MEDIA_ROOT and served only
    through a view that applies the permission gate (like the archive's ``Evidence``)."""

    file = models.FileField(_("文件"), max_length=300)
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("上传人"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name

    @property
    def previewable(self):
        return self.content_type in ("application/pdf", "image/jpeg", "image/png")


# =========================================================================== awards
class AwardKind(models.Model):
    """An editable list: 鹰城担当作为好干部, 人民满意担当作为先进单位, 记功, 嘉奖 …"""

    name = models.CharField(_("名称"), max_length=60, unique=True)
    target = models.CharField(_("表彰对象"), max_length=10, choices=AwardTarget.choices)
    level = models.CharField(_("级别"), max_length=12, choices=Level.choices)
    promotion_priority = models.BooleanField(
        _("提拔任用时优先考虑"), default=False,
        help_text=_("干部获此表彰后，在有效期内选拔任用时同等条件下优先考虑。"))
    quota_tilt = models.BooleanField(
        _("职级职数适当倾斜"), default=False, help_text=_("单位获此表彰后，职级职数分配时适当倾斜。"))
    description = models.CharField(_("说明"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    scope_path_field = None
    leader_writable = False
    objects = RestrictedManager()
    history = audit_history()

    class Meta:
        verbose_name = _("表彰类别")
        verbose_name_plural = _("表彰类别")
        ordering = ["order", "id"]

    def __str__(self):
        return self.name


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("筹备中")
    NOMINATING = "nominating", _("推荐中")
    REVIEWING = "reviewing", _("审核中")
    NOTICE = "notice", _("公示中")
    DECIDED = "decided", _("已决定")
    CANCELLED = "cancelled", _("已取消")


class Campaign(models.Model):
    """评选活动: one kind of award in one year; units nominate within their quota, org staff
    review, shortlist, publish a notice period (公示) and decide; winners become awards."""

    kind = models.ForeignKey(AwardKind, on_delete=models.PROTECT, related_name="campaigns",
                             verbose_name=_("表彰类别"))
    year = models.PositiveSmallIntegerField(_("年度"))
    name = models.CharField(_("名称"), max_length=100, unique=True)
    status = models.CharField(_("状态"), max_length=12, choices=CampaignStatus.choices,
                              default=CampaignStatus.DRAFT)
    nomination_deadline = models.DateField(_("推荐截止日期"), null=True, blank=True)
    notice_start = models.DateField(_("公示开始日期"), null=True, blank=True)
    notice_end = models.DateField(_("公示结束日期"), null=True, blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    issuing_body = models.CharField(_("表彰机关"), max_length=100, blank=True)
    document_no = models.CharField(_("表彰文号"), max_length=60, blank=True)
    note = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("创建人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    scope_path_field = None  # every user with "view" sees the campaigns (leaders nominate in them)
    leader_writable = False
    objects = RestrictedManager()
    history = audit_history()

    class Meta:
        verbose_name = _("评选活动")
        verbose_name_plural = _("评选活动")
        ordering = ["-year", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(notice_start__isnull=True) | Q(notice_end__isnull=True) | Q(notice_end__gte=F("notice_start")),
                name="campaign_notice_ordered", violation_error_message=_("公示结束日期不能早于公示开始日期。")),
        ]

    def __str__(self):
        return self.name


class CampaignQuota(models.Model):
    """How many cadres (or units) one unit may nominate in a campaign (推荐名额); the quota covers
    the unit's subtree."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="quotas",
                                 verbose_name=_("评选活动"))
    unit = models.ForeignKey("cadres.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("单位"))
    quota = models.PositiveSmallIntegerField(_("推荐名额"))

    scope_path_field = "unit__path"
    leader_writable = False
    objects = RestrictedManager()
    audit_label_fields = ("campaign__name", "unit__name")
    history = audit_history()

    class Meta:
        verbose_name = _("推荐名额")
        verbose_name_plural = _("推荐名额")
        ordering = ["campaign", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="uniq_campaign_quota",
                                               violation_error_message=_("该单位在本评选活动中已设置推荐名额。"))]

    def __str__(self):
        return f"{self.campaign} · {self.unit} · {self.quota}"


class NominationStatus(models.TextChoices):
    NOMINATED = "nominated", _("已推荐")
    WITHDRAWN = "withdrawn", _("已撤回")
    SHORTLISTED = "shortlisted", _("已入围")
    REJECTED = "rejected", _("未入围")
    WON = "won", _("当选")
    NOT_CHOSEN = "not_chosen", _("未当选")


class Nomination(models.Model):
    """A unit's nomination of a cadre (or, for a unit award, of a unit) with the deeds, linking
    verified archive records."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="nominations",
                                 verbose_name=_("评选活动"))
    cadre = models.ForeignKey("cadres.Cadre", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="nominations", verbose_name=_("被推荐干部"))
    unit = models.ForeignKey("cadres.Unit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("推荐单位"),
                             help_text=_("干部表彰：干部所在单位；单位表彰：被推荐单位。"))
    quota_unit = models.ForeignKey("cadres.Unit", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("占用名额的单位"))
    deeds = models.TextField(_("主要事迹"))
    records = models.ManyToManyField("cadres.PerformanceRecord", blank=True, related_name="nominations",
                                     verbose_name=_("关联的实绩记录"))
    status = models.CharField(_("状态"), max_length=12, choices=NominationStatus.choices,
                              default=NominationStatus.NOMINATED)
    review_reason = models.CharField(_("审核意见"), max_length=300, blank=True)
    award = models.OneToOneField("Award", null=True, blank=True, on_delete=models.SET_NULL, related_name="nomination",
                                 verbose_name=_("表彰"))
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("推荐人"))
    nominated_at = models.DateTimeField(_("推荐时间"), auto_now_add=True)

    scope_path_field = "unit__path"
    leader_writable = True
    objects = RestrictedManager()
    audit_label_fields = ("campaign__name", "cadre__name", "unit__name")
    history = audit_history(m2m_fields=[records])

    class Meta:
        verbose_name = _("推荐对象")
        verbose_name_plural = _("推荐对象")
        ordering = ["campaign", "-nominated_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "cadre"], condition=Q(cadre__isnull=False),
                                    name="uniq_nomination_cadre",
                                    violation_error_message=_("该干部已被推荐参加本评选活动。")),
            models.UniqueConstraint(fields=["campaign", "unit"], condition=Q(cadre__isnull=True),
                                    name="uniq_nomination_unit",
                                    violation_error_message=_("该单位已被推荐参加本评选活动。")),
        ]

    def __str__(self):
        return f"{self.campaign} · {self.cadre or self.unit}"


class Award(models.Model):
    """One award to a cadre or to a unit. Revoked with a reason, never deleted."""

    kind = models.ForeignKey(AwardKind, on_delete=models.PROTECT, related_name="awards", verbose_name=_("表彰类别"))
    cadre = models.ForeignKey("cadres.Cadre", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="awards", verbose_name=_("受表彰干部"))
    unit = models.ForeignKey("cadres.Unit", on_delete=models.PROTECT, related_name="awards",
                             verbose_name=_("单位"),
                             help_text=_("单位表彰：受表彰单位；干部表彰：干部受表彰时所在单位。"))
    year = models.PositiveSmallIntegerField(_("年度"))
    awarded_on = models.DateField(_("表彰日期"))
    issuing_body = models.CharField(_("表彰机关"), max_length=100)
    document_no = models.CharField(_("文号"), max_length=60, blank=True)
    citation = models.TextField(_("表彰事由"), blank=True)
    campaign = models.ForeignKey(Campaign, null=True, blank=True, on_delete=models.PROTECT, related_name="awards",
                                 verbose_name=_("评选活动"))
    revoked_on = models.DateField(_("撤销日期"), null=True, blank=True)
    revoke_reason = models.CharField(_("撤销理由"), max_length=300, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("撤销人"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    scope_path_field = "unit__path"
    leader_writable = False
    objects = RestrictedManager()
    audit_label_fields = ("kind__name", "cadre__name", "unit__name", "year")
    history = audit_history()

    class Meta:
        verbose_name = _("表彰")
        verbose_name_plural = _("表彰")
        ordering = ["-awarded_on", "-id"]
        indexes = [models.Index(fields=["cadre", "awarded_on"], name="award_cadre_date")]
        constraints = [
            models.CheckConstraint(condition=Q(revoked_on__isnull=True) | ~Q(revoke_reason=""),
                                   name="award_revoke_reason",
                                   violation_error_message=_("撤销表彰须填写撤销理由。")),
        ]

    def __str__(self):
        return f"{self.kind} · {self.cadre or self.unit} · {self.year}"

    @property
    def is_revoked(self):
        return self.revoked_on is not None


class AwardEvidence(EvidenceFile):
    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("表彰"))

    scope_path_field = "award__unit__path"
    leader_writable = False
    objects = RestrictedManager()
    audit_label_fields = ("award__kind__name", "original_name")
    history = audit_history()

    class Meta(EvidenceFile.Meta):
        verbose_name = _("表彰材料")
        verbose_name_plural = _("表彰材料")


# =========================================================================== cards
class CardColor(models.TextChoices):
    YELLOW = "yellow", _("黄牌")
    RED = "red", _("红牌")


class CardReason(models.Model):
    """An editable list of reason categories: 不作为, 慢作为, 乱作为, 推诿扯皮 … with the term each
    colour has for it (defaults from ``settings.CARD_TERM_MONTHS``)."""

    name = models.CharField(_("名称"), max_length=40, unique=True)
    yellow_months = models.PositiveSmallIntegerField(_("黄牌期限（月）"), default=6)
    red_months = models.PositiveSmallIntegerField(_("红牌期限（月）"), default=12)
    is_active = models.BooleanField(_("启用"), default=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    scope_path_field = None
    leader_writable = False
    objects = RestrictedManager()
    history = audit_history()

    class Meta:
        verbose_name = _("红黄牌事由")
        verbose_name_plural = _("红黄牌事由")
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(yellow_months__gte=1) & Q(red_months__gte=1),
                                   name="card_reason_months_positive",
                                   violation_error_message=_("红黄牌期限至少为1个月。")),
        ]

    def __str__(self):
        return self.name

    def months_for(self, color: str) -> int:
        return self.red_months if color == CardColor.RED else self.yellow_months


class CardStatus(models.TextChoices):
    PROPOSED = "proposed", _("拟发")
    ISSUED = "issued", _("已发")
    APPEALED = "appealed", _("申诉中")
    UPHELD = "upheld", _("申诉维持")
    REVOKED = "revoked", _("已撤销")
    EXPIRED = "expired", _("已到期")
    LIFTED = "lifted", _("提前解除")


# Statuses of a card that has been issued and not revoked: in force on a day of its term
# (before ``lifted_on`` when lifted). ``standing`` reads the dates, not the status alone.
CARD_ISSUED_STATUSES = (CardStatus.ISSUED, CardStatus.APPEALED, CardStatus.UPHELD, CardStatus.EXPIRED,
                        CardStatus.LIFTED)


class WarningCard(models.Model):
    """警示牌 (黄牌 / 红牌) to a cadre who does not act. 拟发 → 已发 → 申诉中 → 申诉维持 / 已撤销;
    已到期 when the term ends; 提前解除 when lifted early. The term runs from ``start_date`` to
    ``end_date``, both days included."""

    color = models.CharField(_("颜色"), max_length=10, choices=CardColor.choices)
    cadre = models.ForeignKey("cadres.Cadre", on_delete=models.PROTECT, related_name="warning_cards",
                              verbose_name=_("干部"))
    unit = models.ForeignKey("cadres.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("时任单位"))
    reason = models.ForeignKey(CardReason, on_delete=models.PROTECT, related_name="cards", verbose_name=_("事由类别"))
    facts = models.TextField(_("主要事实"))
    basis = models.TextField(_("依据"), blank=True)
    issuing_body = models.CharField(_("发牌机关"), max_length=100)
    start_date = models.DateField(_("发牌日期"))
    end_date = models.DateField(_("期满日期"))
    status = models.CharField(_("状态"), max_length=10, choices=CardStatus.choices, default=CardStatus.PROPOSED)
    lifted_on = models.DateField(_("解除日期"), null=True, blank=True)
    appeal_text = models.TextField(_("申诉理由"), blank=True)
    appealed_at = models.DateTimeField(_("申诉时间"), null=True, blank=True)
    proposal = models.OneToOneField("CardProposal", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="card", verbose_name=_("来源提示"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("拟稿人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    scope_path_field = "cadre__unit__path"
    # Unit leaders see a card once it is issued, never a proposed one.
    scoped_rows_q = ~Q(status=CardStatus.PROPOSED)
    leader_writable = False
    objects = RestrictedManager()
    audit_label_fields = ("cadre__name", "color", "start_date")
    history = audit_history(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("红黄牌")
        verbose_name_plural = _("红黄牌")
        ordering = ["-start_date", "-id"]
        indexes = [
            models.Index(fields=["cadre", "start_date"], name="card_cadre_term"),
            models.Index(fields=["status", "end_date"], name="card_status_end"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="card_term_ordered",
                                   violation_error_message=_("期满日期不能早于发牌日期。")),
            models.CheckConstraint(
                condition=Q(lifted_on__isnull=True) | (Q(lifted_on__gte=F("start_date")) & Q(lifted_on__lte=F("end_date"))),
                name="card_lifted_within_term", violation_error_message=_("解除日期须在红黄牌期限内。")),
        ]

    def __str__(self):
        return f"{self.cadre} · {self.get_color_display()} · {self.start_date}"


class CardEvidence(EvidenceFile):
    card = models.ForeignKey(WarningCard, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("红黄牌"))

    scope_path_field = "card__cadre__unit__path"
    scoped_rows_q = ~Q(card__status=CardStatus.PROPOSED)
    leader_writable = False
    objects = RestrictedManager()
    audit_label_fields = ("card__cadre__name", "original_name")
    history = audit_history()

    class Meta(EvidenceFile.Meta):
        verbose_name = _("红黄牌材料")
        verbose_name_plural = _("红黄牌材料")


class Suggestion(models.TextChoices):
    YELLOW = "yellow", _("黄牌")
    RED = "red", _("红牌")
    REMINDER = "reminder", _("担当提醒")


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("待处理")
    CONFIRMED = "confirmed", _("已确认")
    DISMISSED = "dismissed", _("已驳回")


class CardProposal(models.Model):
    """What a trigger proposes (a card or a reminder) on which facts; org staff confirm it (a
    proposed card or a reminder follows) or dismiss it. ``key`` names the trigger and the facts
    (``grade_basic:result:123``) so the daily run proposes each only once."""

    trigger = models.CharField(_("触发规则"), max_length=30)
    cadre = models.ForeignKey("cadres.Cadre", on_delete=models.CASCADE, related_name="card_proposals",
                              verbose_name=_("干部"))
    suggestion = models.CharField(_("建议"), max_length=10, choices=Suggestion.choices)
    facts = models.JSONField(_("触发事实"), default=dict, blank=True)  # codes and figures, put in words when shown
    key = models.CharField(_("去重键"), max_length=120, unique=True)
    detected_on = models.DateField(_("发现日期"))
    status = models.CharField(_("状态"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("处理人"))
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decide_reason = models.CharField(_("处理意见"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    scope_path_field = "cadre__unit__path"
    scoped_rows_q = Q(pk__in=[])  # org staff and auditors only
    leader_writable = False
    objects = RestrictedManager()
    audit_label_fields = ("cadre__name", "trigger")
    history = audit_history()

    class Meta:
        verbose_name = _("红黄牌提示")
        verbose_name_plural = _("红黄牌提示")
        ordering = ["-detected_on", "-id"]
        indexes = [models.Index(fields=["status", "detected_on"], name="proposal_status_date")]

    def __str__(self):
        return f"{self.cadre} · {self.get_suggestion_display()} · {self.trigger}"


class AdjustmentKind(models.TextChoices):
    REASSIGN = "reassign", _("调整岗位")
    NON_LEADING = "non_leading", _("改任非领导职务")
    DISMISS = "dismiss", _("免职")
    DEMOTE = "demote", _("降职")


class AdjustmentStatus(models.TextChoices):
    PENDING = "pending", _("待调整")
    DONE = "done", _("已调整")
    CANCELLED = "cancelled", _("已取消")


class Adjustment(models.Model):
    """组织调整 a red card requires, due within ``settings.ADJUSTMENT_DUE_DAYS`` of its issue.
    Recording it ends (and, for a new post, starts) the cadre's appointment through the roster's
    appointment services."""

    card = models.OneToOneField(WarningCard, on_delete=models.PROTECT, related_name="adjustment",
                                verbose_name=_("红牌"))
    cadre = models.ForeignKey("cadres.Cadre", on_delete=models.PROTECT, related_name="adjustments",
                              verbose_name=_("干部"))
    due_date = models.DateField(_("应调整日期"))
    status = models.CharField(_("状态"), max_length=10, choices=AdjustmentStatus.choices,
                              default=AdjustmentStatus.PENDING)
    kind = models.CharField(_("调整方式"), max_length=12, choices=AdjustmentKind.choices, blank=True)
    decided_on = models.DateField(_("调整日期"), null=True, blank=True)
    document_no = models.CharField(_("文号"), max_length=60, blank=True)
    note = models.TextField(_("说明"), blank=True)
    ended_appointment = models.ForeignKey("cadres.Appointment", null=True, blank=True, on_delete=models.SET_NULL,
                                          related_name="+", verbose_name=_("免去的职务"))
    new_appointment = models.ForeignKey("cadres.Appointment", null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+", verbose_name=_("新任职务"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("登记人"))
    recorded_at = models.DateTimeField(_("登记时间"), null=True, blank=True)

    scope_path_field = "cadre__unit__path"
    leader_writable = False
    objects = RestrictedManager()
    audit_label_fields = ("cadre__name", "due_date")
    history = audit_history()

    class Meta:
        verbose_name = _("组织调整")
        verbose_name_plural = _("组织调整")
        ordering = ["due_date", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(status=AdjustmentStatus.DONE) | (~Q(kind="") & Q(decided_on__isnull=False)),
                                   name="adjustment_done_complete",
                                   violation_error_message=_("登记组织调整须填写调整方式和调整日期。")),
        ]

    def __str__(self):
        return f"{self.cadre} · {self.get_status_display()}"


class SanctionKind(models.TextChoices):
    """政务处分 (公职人员政务处分法 art. 7) and 党纪处分 that bar 优秀 in the year."""

    WARNING = "warning", _("警告")
    DEMERIT = "demerit", _("记过")
    MAJOR_DEMERIT = "major_demerit", _("记大过")
    DEMOTION = "demotion", _("降级")
    REMOVAL = "removal", _("撤职")
    PARTY_WARNING = "party_warning", _("党内警告")
    PARTY_SERIOUS_WARNING = "party_serious", _("党内严重警告")
    PARTY_REMOVAL = "party_removal", _("撤销党内职务")


class Sanction(models.Model):
    """A disciplinary sanction (处分) recorded against a cadre: in force from ``decided_on`` to
    ``end_date`` (the term of its kind, ``settings.SANCTION_TERM_MONTHS``); it bars 优秀 in the
    year it was given (RULES.md) and promotion during its term."""

    cadre = models.ForeignKey("cadres.Cadre", on_delete=models.PROTECT, related_name="sanctions",
                              verbose_name=_("干部"))
    kind = models.CharField(_("处分种类"), max_length=16, choices=SanctionKind.choices)
    decided_on = models.DateField(_("处分决定日期"))
    end_date = models.DateField(_("处分期满日期"))
    body = models.CharField(_("决定机关"), max_length=100)
    document_no = models.CharField(_("文号"), max_length=60, blank=True)
    facts = models.TextField(_("主要事实"), blank=True)
    revoked_on = models.DateField(_("撤销日期"), null=True, blank=True)
    revoke_reason = models.CharField(_("撤销理由"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    scope_path_field = "cadre__unit__path"
    leader_writable = False
    objects = RestrictedManager()
    audit_label_fields = ("cadre__name", "kind", "decided_on")
    history = audit_history()

    class Meta:
        verbose_name = _("处分")
        verbose_name_plural = _("处分")
        ordering = ["-decided_on", "-id"]
        indexes = [models.Index(fields=["cadre", "decided_on"], name="sanction_cadre_date")]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("decided_on")), name="sanction_term_ordered",
                                   violation_error_message=_("处分期满日期不能早于处分决定日期。")),
        ]

    def __str__(self):
        return f"{self.cadre} · {self.get_kind_display()} · {self.decided_on}"


# =========================================================================== protection
class RiskFilingStatus(models.TextChoices):
    FILED = "filed", _("已报备")
    ACKNOWLEDGED = "acknowledged", _("已备案")


class RiskFiling(models.Model):
    """报备免责: before a risky decision a unit files the matter, the risk and its measures."""

    unit = models.ForeignKey("cadres.Unit", on_delete=models.PROTECT, related_name="risk_filings",
                             verbose_name=_("报备单位"))
    cadre = models.ForeignKey("cadres.Cadre", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="risk_filings", verbose_name=_("责任干部"))
    matter = models.CharField(_("事项"), max_length=200)
    risk = models.TextField(_("可能的风险"))
    measures = models.TextField(_("防控措施"))
    decision_date = models.DateField(_("拟决策日期"), null=True, blank=True)
    filed_on = models.DateField(_("报备日期"))
    status = models.CharField(_("状态"), max_length=14, choices=RiskFilingStatus.choices,
                              default=RiskFilingStatus.FILED)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                 verbose_name=_("报备人"))
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+", verbose_name=_("备案人"))
    acknowledged_at = models.DateTimeField(_("备案时间"), null=True, blank=True)

    scope_path_field = "unit__path"
    leader_writable = True
    objects = RestrictedManager()
    audit_label_fields = ("unit__name", "matter")
    history = audit_history()

    class Meta:
        verbose_name = _("风险报备")
        verbose_name_plural = _("风险报备")
        ordering = ["-filed_on", "-id"]

    def __str__(self):
        return self.matter


class RulingStatus(models.TextChoices):
    # The statuses share their Chinese with the steps' buttons (核实 …): a context of their own
    # lets English say "Verified" for the one and "Verify" for the other.
    APPLIED = "applied", pgettext_lazy("ruling status", "申请")
    ACCEPTED = "accepted", pgettext_lazy("ruling status", "受理")
    VERIFIED = "verified", pgettext_lazy("ruling status", "核实")
    DECIDED = "decided", pgettext_lazy("ruling status", "认定")
    REPORTED = "reported", pgettext_lazy("ruling status", "报备")
    REJECTED = "rejected", _("不予受理")


class RulingDecision(models.TextChoices):
    FULL = "full", _("予以容错")
    PARTIAL = "partial", _("部分容错")
    NONE = "none", _("不予容错")


class ApplicantKind(models.TextChoices):
    UNIT = "unit", _("干部所在单位")
    ORG = "org", _("组织部门")


class ToleranceRuling(models.Model):
    """容错裁定: 申请 → 受理 → 核实 → 认定 (after a joint review, 问责会审) → 报备. The 三个区分开来
    criteria are answered one by one with facts; the decision says which consequences it waives."""

    cadre = models.ForeignKey("cadres.Cadre", on_delete=models.PROTECT, related_name="tolerance_rulings",
                              verbose_name=_("干部"))
    unit = models.ForeignKey("cadres.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("申请单位"))
    applicant = models.CharField(_("申请方"), max_length=6, choices=ApplicantKind.choices)
    matter = models.CharField(_("事项"), max_length=200)
    loss = models.TextField(_("造成的损失或影响"))
    conduct = models.TextField(_("干部的表现"))
    risk_filing = models.ForeignKey(RiskFiling, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="rulings", verbose_name=_("事前报备"))
    card = models.ForeignKey(WarningCard, null=True, blank=True, on_delete=models.PROTECT, related_name="rulings",
                             verbose_name=_("涉及的红黄牌"))
    sanction = models.ForeignKey(Sanction, null=True, blank=True, on_delete=models.PROTECT, related_name="rulings",
                                 verbose_name=_("涉及的处分"))
    status = models.CharField(_("状态"), max_length=10, choices=RulingStatus.choices, default=RulingStatus.APPLIED)
    # 三个区分开来, answered one by one (True: the side that favours tolerance), with the facts.
    # Criteria answered True favour tolerance: unforeseen in exploring (not knowingly breaking
    # rules), for public (not private) gain, lack of experience (not deliberate wrongdoing),
    # decision procedures followed, losses actively remedied.
    unforeseen = models.BooleanField(_("属于探索中的失误（而非明知故犯）"), null=True, blank=True)
    unforeseen_facts = models.TextField(_("事实（探索失误）"), blank=True)
    public_gain = models.BooleanField(_("为公（而非为私）"), null=True, blank=True)
    public_gain_facts = models.TextField(_("事实（为公为私）"), blank=True)
    inexperience = models.BooleanField(_("缺乏经验（而非故意违纪违法）"), null=True, blank=True)
    inexperience_facts = models.TextField(_("事实（经验不足）"), blank=True)
    procedure_followed = models.BooleanField(_("履行了决策程序"), null=True, blank=True)
    procedure_facts = models.TextField(_("事实（决策程序）"), blank=True)
    remedied = models.BooleanField(_("积极挽回损失"), null=True, blank=True)
    remedied_facts = models.TextField(_("事实（挽回损失）"), blank=True)
    # 问责会审 and the decision
    review_date = models.DateField(_("会审日期"), null=True, blank=True)
    review_members = models.CharField(_("会审单位和人员"), max_length=300, blank=True)
    decision = models.CharField(_("认定结论"), max_length=8, choices=RulingDecision.choices, blank=True)
    decision_reason = models.TextField(_("认定理由"), blank=True)
    decided_on = models.DateField(_("认定日期"), null=True, blank=True)
    waive_card = models.BooleanField(_("撤销涉及的红黄牌"), default=False)
    waive_assessment = models.BooleanField(_("不影响考核"), default=False)
    waive_pool = models.BooleanField(_("不影响进入储备库"), default=False)
    waive_promotion = models.BooleanField(_("不影响提拔任用和职级晋升"), default=False)
    waive_awards = models.BooleanField(_("不影响评先评优"), default=False)
    reported_on = models.DateField(_("报备日期"), null=True, blank=True)
    reported_to = models.CharField(_("报备机关"), max_length=100, blank=True)
    rejection_reason = models.CharField(_("不予受理理由"), max_length=300, blank=True)
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("申请人"))
    applied_at = models.DateTimeField(_("申请时间"), auto_now_add=True)

    scope_path_field = "cadre__unit__path"
    leader_writable = True  # a unit applies for its cadre; every later step is org staff's
    objects = RestrictedManager()
    audit_label_fields = ("cadre__name", "matter")
    history = audit_history()

    class Meta:
        verbose_name = _("容错裁定")
        verbose_name_plural = _("容错裁定")
        ordering = ["-applied_at", "-id"]
        constraints = [
            # One ruling per matter: per card, per sanction, per risk filing of the cadre (a
            # refused application does not hold the matter).
            models.UniqueConstraint(fields=["card"], condition=Q(card__isnull=False) & ~Q(status="rejected"),
                                    name="uniq_ruling_card",
                                    violation_error_message=_("该红黄牌已有容错申请或裁定。")),
            models.UniqueConstraint(fields=["sanction"], condition=Q(sanction__isnull=False) & ~Q(status="rejected"),
                                    name="uniq_ruling_sanction",
                                    violation_error_message=_("该处分已有容错申请或裁定。")),
            models.UniqueConstraint(fields=["cadre", "risk_filing"],
                                    condition=Q(risk_filing__isnull=False) & ~Q(status="rejected"),
                                    name="uniq_ruling_filing",
                                    violation_error_message=_("该干部就这一报备事项已有容错申请或裁定。")),
        ]

    def __str__(self):
        return f"{self.cadre} · {self.matter}"


class RulingEvidence(EvidenceFile):
    ruling = models.ForeignKey(ToleranceRuling, on_delete=models.CASCADE, related_name="evidence",
                               verbose_name=_("容错裁定"))

    scope_path_field = "ruling__cadre__unit__path"
    leader_writable = True
    objects = RestrictedManager()
    audit_label_fields = ("ruling__cadre__name", "original_name")
    history = audit_history()

    class Meta(EvidenceFile.Meta):
        verbose_name = _("容错材料")
        verbose_name_plural = _("容错材料")


class ClarificationSource(models.TextChoices):
    INVESTIGATOR = "investigator", _("调查机关建议")
    APPLICATION = "application", _("本人书面申请")


class ClarificationMethod(models.TextChoices):
    MEETING = "meeting", _("会议")
    WRITTEN = "written", _("书面")
    PUBLIC = "public", _("公开通报")


class FollowUp(models.TextChoices):
    NONE = "none", _("无需处理")
    PENDING = "pending", _("待移交查处")
    DONE = "done", _("已移交查处")


class Clarification(models.Model):
    """澄清正名: a report against a cadre proved false; how and where the name was cleared, and
    whether the report was malicious (诬告陷害, listed for follow-up). A clarified matter (and a
    card it names) never counts against the cadre."""

    cadre = models.ForeignKey("cadres.Cadre", on_delete=models.PROTECT, related_name="clarifications",
                              verbose_name=_("干部"))
    source = models.CharField(_("启动方式"), max_length=12, choices=ClarificationSource.choices)
    report = models.TextField(_("被反映的问题"))
    finding = models.TextField(_("查明情况"))
    method = models.CharField(_("澄清方式"), max_length=10, choices=ClarificationMethod.choices)
    venue = models.CharField(_("澄清范围或场合"), max_length=200)
    cleared_on = models.DateField(_("澄清日期"))
    malicious = models.BooleanField(_("属于诬告陷害"), default=False)
    follow_up = models.CharField(_("诬告查处"), max_length=10, choices=FollowUp.choices, default=FollowUp.NONE)
    follow_up_note = models.TextField(_("查处情况"), blank=True)
    card = models.ForeignKey(WarningCard, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="clarifications", verbose_name=_("据此撤销的红黄牌"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("登记人"))
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    scope_path_field = "cadre__unit__path"
    leader_writable = False
    objects = RestrictedManager()
    audit_label_fields = ("cadre__name", "cleared_on")
    history = audit_history()

    class Meta:
        verbose_name = _("澄清正名")
        verbose_name_plural = _("澄清正名")
        ordering = ["-cleared_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(malicious=True) | Q(follow_up="none"),
                                   name="clarification_follow_up_malicious",
                                   violation_error_message=_("只有诬告陷害的情形才需移交查处。")),
        ]

    def __str__(self):
        return f"{self.cadre} · {self.cleared_on}"


class ReminderKind(models.TextChoices):
    TALK = "talk", _("提醒谈话")
    INQUIRY = "inquiry", _("函询")
    ADMONISH = "admonish", _("诫勉")


class Reminder(models.Model):
    """担当提醒 before any card: the kind, the signs that prompted it and a follow-up date."""

    cadre = models.ForeignKey("cadres.Cadre", on_delete=models.PROTECT, related_name="reminders",
                              verbose_name=_("干部"))
    kind = models.CharField(_("提醒方式"), max_length=10, choices=ReminderKind.choices)
    signs = models.JSONField(_("提醒缘由"), default=list, blank=True)  # [[code, params], ...], in words when shown
    signs_note = models.TextField(_("缘由说明"), blank=True)
    held_on = models.DateField(_("提醒日期"))
    content = models.TextField(_("提醒内容"))
    follow_up_on = models.DateField(_("回访日期"))
    followed_up_on = models.DateField(_("已回访日期"), null=True, blank=True)
    follow_up_result = models.TextField(_("回访情况"), blank=True)
    proposal = models.OneToOneField(CardProposal, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="reminder", verbose_name=_("来源提示"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("登记人"))
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    scope_path_field = "cadre__unit__path"
    leader_writable = False
    objects = RestrictedManager()
    audit_label_fields = ("cadre__name", "held_on")
    history = audit_history()

    class Meta:
        verbose_name = _("担当提醒")
        verbose_name_plural = _("担当提醒")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["followed_up_on", "follow_up_on"], name="reminder_follow_up")]
        constraints = [
            models.CheckConstraint(condition=Q(follow_up_on__gte=F("held_on")), name="reminder_follow_up_after",
                                   violation_error_message=_("回访日期不能早于提醒日期。")),
        ]

    def __str__(self):
        return f"{self.cadre} · {self.get_kind_display()} · {self.held_on}"


# =========================================================================== steps
class Subject(models.TextChoices):
    CARD = "card", _("红黄牌")
    PROPOSAL = "proposal", _("红黄牌提示")
    ADJUSTMENT = "adjustment", _("组织调整")
    AWARD = "award", _("表彰")
    CAMPAIGN = "campaign", _("评选活动")
    NOMINATION = "nomination", _("推荐对象")
    RULING = "ruling", _("容错裁定")
    FILING = "filing", _("风险报备")
    CLARIFICATION = "clarification", _("澄清正名")
    REMINDER = "reminder", _("担当提醒")
    SANCTION = "sanction", _("处分")


class ConductStep(models.Model):
    """One step of one workflow of this module (issue a card, accept a ruling …): who, when,
    from which status to which, and the reason given. The detail pages list them; the audit
    history keeps the field changes as everywhere."""

    subject = models.CharField(_("对象类型"), max_length=14, choices=Subject.choices)
    subject_id = models.BigIntegerField(_("对象编号"))
    action = models.CharField(_("操作"), max_length=20)
    from_status = models.CharField(_("原状态"), max_length=14, blank=True)
    to_status = models.CharField(_("新状态"), max_length=14, blank=True)
    reason = models.TextField(_("理由"), blank=True)
    unit = models.ForeignKey("cadres.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name=_("单位"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                           verbose_name=_("操作人"))
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    scope_path_field = "unit__path"
    leader_writable = False
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("办理步骤")
        verbose_name_plural = _("办理步骤")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["subject", "subject_id", "at"], name="conduct_step_subject")]

    def __str__(self):
        return f"{self.get_subject_display()} {self.subject_id} · {self.action}"
