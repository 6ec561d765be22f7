"""The selection record (选任纪实): the regulated procedure of 党政领导干部选拔任用工作条例 (2019), one
record per vacancy or batch (个人提拔 or 班子调整), moving through its steps in order
(``promotion.services.selection.TRANSITIONS``):

    分析研判和动议 → 民主推荐 → 确定考察对象 → 考察 → 讨论决定 → 任前公示 → 任职 → 试用期 → 已完成
    (已终止 from any step before the end, with the reason)

``Selection.status`` is the step the record is at (its data is what the next action records).
Data a step records once lives on the record with the step's prefix and who recorded it and when
(``motion_*``, ``shortlist_*``, ``inspect_*``, ``notice_*``); steps that may happen more than once
have rows of their own (``Recommendation`` with its ``Ballot``\\ s: a 谈话调研推荐 and a 会议推荐;
``Decision`` with its ``DecisionVote``\\ s: a 缓议 and the decision); what a step finds about one
person is on ``SelectionCandidate`` (and ``FileCheck``, the 档案审核 of 三龄两历一身份). The posts
(``SelectionPost``) carry the 职数预审 taken at the motion. Documents of every step are
``SelectionDocument`` files, served through the gate. Every step is kept as a ``PromotionStep``
(subject ``selection``) with its reason, beside the audit history of each row.
"""
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from assessment.models.conduct import EvidenceFile
from pingdingshan.core.audit import audit_history
from pingdingshan.core.permissions import RestrictedManager

TEXT_MAX = 5000


class SelectionKind(models.TextChoices):
    INDIVIDUAL = "individual", _("个人提拔")
    TEAM = "team", _("班子调整")


class SelectionStatus(models.TextChoices):
    """The step a record is at (what it waits for), then the two ends."""

    MOTION = "motion", _("分析研判和动议")
    RECOMMEND = "recommend", _("民主推荐")
    SHORTLIST = "shortlist", _("确定考察对象")
    INSPECT = "inspect", _("考察")
    DECIDE = "decide", _("讨论决定")
    NOTICE = "notice", _("任前公示")
    APPOINT = "appoint", _("任职")
    PROBATION = "probation", _("试用期")
    DONE = "done", _("已完成")
    STOPPED = "stopped", _("已终止")


def _by(label):
    return models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", verbose_name=label)


class Selection(models.Model):
    """选任纪实: one vacancy or batch, the step it is at, and what each single step recorded."""

    kind = models.CharField(_("类型"), max_length=12, choices=SelectionKind.choices, default=SelectionKind.INDIVIDUAL)
    title = models.CharField(_("名称"), max_length=100)
    unit = models.ForeignKey("cadres.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("单位"),
                             help_text=_("拟任职务所在单位（或班子所在单位）；单位领导可查看本单位及下级单位的选任纪实。"))
    status = models.CharField(_("所处环节"), max_length=12, choices=SelectionStatus.choices,
                              default=SelectionStatus.MOTION)
    # 1. 分析研判和动议
    analysis = models.TextField(_("分析研判情况"), max_length=TEXT_MAX, blank=True)
    motion_how = models.CharField(_("动议方式"), max_length=100, blank=True,
                                  help_text=_("如：市委书记专题会议、部务会议。"))
    motion_on = models.DateField(_("动议日期"), null=True, blank=True)
    motion_by = _by(_("动议登记人"))
    motion_at = models.DateTimeField(_("动议登记时间"), null=True, blank=True)
    # 3. 确定考察对象
    shortlist_how = models.CharField(_("研究确定方式"), max_length=100, blank=True)
    shortlist_on = models.DateField(_("确定考察对象日期"), null=True, blank=True)
    shortlist_by = _by(_("确定考察对象登记人"))
    shortlist_at = models.DateTimeField(_("确定考察对象登记时间"), null=True, blank=True)
    # 4. 考察
    inspect_team = models.CharField(_("考察组"), max_length=200, blank=True)
    inspect_start = models.DateField(_("考察开始日期"), null=True, blank=True)
    inspect_end = models.DateField(_("考察结束日期"), null=True, blank=True)
    inspect_talks = models.PositiveIntegerField(_("个别谈话人数"), null=True, blank=True)
    inspect_report = models.TextField(_("考察情况报告"), max_length=TEXT_MAX, blank=True)
    inspect_by = _by(_("考察登记人"))
    inspect_at = models.DateTimeField(_("考察登记时间"), null=True, blank=True)
    # 6. 任前公示
    notice_start = models.DateField(_("公示开始日期"), null=True, blank=True)
    notice_end = models.DateField(_("公示结束日期"), null=True, blank=True)
    notice_channel = models.CharField(_("公示方式和范围"), max_length=200, blank=True)
    notice_text = models.TextField(_("公示内容"), max_length=TEXT_MAX, blank=True,
                                   help_text=_("破格提拔的，公示内容须写明破格理由。"))
    notice_by = _by(_("公示登记人"))
    notice_at = models.DateTimeField(_("公示登记时间"), null=True, blank=True)
    notice_reports = models.PositiveIntegerField(_("收到反映（件）"), null=True, blank=True)
    notice_findings = models.TextField(_("反映问题核查情况"), max_length=TEXT_MAX, blank=True)
    notice_result_by = _by(_("公示结果登记人"))
    notice_result_at = models.DateTimeField(_("公示结果登记时间"), null=True, blank=True)
    # 已终止
    stop_reason = models.TextField(_("终止理由"), max_length=TEXT_MAX, blank=True)
    created_by = _by(_("创建人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    scope_path_field = "unit__path"
    leader_writable = False
    objects = RestrictedManager()
    audit_label_fields = ("title",)
    history = audit_history(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("选任纪实")
        verbose_name_plural = _("选任纪实")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"], name="selection_status_created")]
        constraints = [
            models.CheckConstraint(
                condition=Q(inspect_end__isnull=True) | Q(inspect_start__isnull=True)
                | Q(inspect_end__gte=F("inspect_start")),
                name="selection_inspect_ordered", violation_error_message=_("考察结束日期不能早于开始日期。")),
            models.CheckConstraint(
                condition=Q(notice_end__isnull=True) | Q(notice_start__isnull=True) | Q(notice_end__gte=F("notice_start")),
                name="selection_notice_ordered", violation_error_message=_("公示结束日期不能早于开始日期。")),
        ]

    def __str__(self):
        return self.title


class SelectionPost(models.Model):
    """A post the record fills: why it is vacant, what it asks, the 配备方向, how many it appoints
    (拟配), the appointments the record ends (拟免), and the 职数预审 taken at the motion
    (``review``: {"on", "approved" 核定, "held" 现配, "ending" 拟免, "planned" 拟配})."""

    selection = models.ForeignKey(Selection, on_delete=models.CASCADE, related_name="posts", verbose_name=_("选任纪实"))
    post = models.ForeignKey("cadres.Post", on_delete=models.PROTECT, related_name="+", verbose_name=_("拟任职务"))
    vacancy_reason = models.CharField(_("空缺原因"), max_length=200, blank=True)
    requirements = models.TextField(_("任职条件和岗位要求"), max_length=TEXT_MAX, blank=True)
    direction = models.CharField(_("配备方向"), max_length=200, blank=True)
    planned = models.PositiveSmallIntegerField(_("拟配人数"), default=1)
    elected = models.BooleanField(_("选任制职务"), default=False,
                                  help_text=_("经选举产生的职务不实行试用期。"))
    ends = models.ManyToManyField("cadres.Appointment", blank=True, related_name="+", verbose_name=_("拟免任职"))
    review = models.JSONField(_("职数预审"), default=dict, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    scope_path_field = "selection__unit__path"
    leader_writable = False
    objects = RestrictedManager()
    audit_label_fields = ("selection__title", "post__name")
    history = audit_history()

    class Meta:
        verbose_name = _("拟任职务")
        verbose_name_plural = _("拟任职务")
        ordering = ["selection", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["selection", "post"], name="selection_post_once",
                                    violation_error_message=_("该职务已在本选任纪实中。")),
            models.CheckConstraint(condition=Q(planned__gte=1), name="selection_post_planned",
                                   violation_error_message=_("拟配人数至少为1。")),
        ]

    def __str__(self):
        return f"{self.selection} · {self.post}"


class Matters(models.TextChoices):
    """个人有关事项报告 as checked at the inspection."""

    TRUTHFUL = "truthful", _("如实填报")
    OMITTED = "omitted", _("漏报")
    CONCEALED = "concealed", _("瞒报")


class ProbationOutcome(models.TextChoices):
    CONFIRMED = "confirmed", _("转正")
    RETURNED = "returned", _("恢复原职级")


class SelectionCandidate(models.Model):
    """One person of a record: the post meant for them, and what each step found about them."""

    selection = models.ForeignKey(Selection, on_delete=models.CASCADE, related_name="candidates",
                                  verbose_name=_("选任纪实"))
    cadre = models.ForeignKey("cadres.Cadre", on_delete=models.PROTECT, related_name="selection_candidacies",
                              verbose_name=_("干部"))
    target = models.ForeignKey(SelectionPost, on_delete=models.CASCADE, related_name="candidates",
                               verbose_name=_("拟任职务"))
    # 3. 确定考察对象
    shortlisted = models.BooleanField(_("确定为考察对象"), default=False)
    shortlist_reason = models.TextField(_("确定理由"), max_length=TEXT_MAX, blank=True)
    # 破格提拔 (RULES.md "Exceptional promotion") and the seed's direct paths: recorded at 确定考察对象,
    # the consent completed by 讨论决定 (``promotion.services.post_eligibility``)
    exceptional = models.BooleanField(_("破格提拔"), default=False)
    exceptional_path = models.CharField(_("直接提任路径"), max_length=40, blank=True)
    exceptional_grounds = models.TextField(_("破格提拔理由"), max_length=TEXT_MAX, blank=True)
    consent_body = models.CharField(_("同意的上级组织部门"), max_length=100, blank=True)
    consent_no = models.CharField(_("上级组织部门同意文号"), max_length=60, blank=True)
    consent_on = models.DateField(_("上级组织部门同意日期"), null=True, blank=True)
    # 4. 考察
    eval_excellent = models.PositiveIntegerField(_("测评优秀"), null=True, blank=True)
    eval_competent = models.PositiveIntegerField(_("测评称职"), null=True, blank=True)
    eval_basic = models.PositiveIntegerField(_("测评基本称职"), null=True, blank=True)
    eval_incompetent = models.PositiveIntegerField(_("测评不称职"), null=True, blank=True)
    letter_no = models.CharField(_("纪委函询函号"), max_length=60, blank=True)
    letter_sent_on = models.DateField(_("函询日期"), null=True, blank=True)
    letter_reply = models.TextField(_("纪委回复意见"), max_length=TEXT_MAX, blank=True)
    letter_affects = models.BooleanField(_("回复意见影响使用"), null=True, blank=True)
    matters = models.CharField(_("个人有关事项"), max_length=10, choices=Matters.choices, blank=True)
    matters_handling = models.TextField(_("个人有关事项处理情况"), max_length=TEXT_MAX, blank=True)
    inspect_report = models.TextField(_("考察材料"), max_length=TEXT_MAX, blank=True)
    # 5. 讨论决定: the result of the last decision that voted on them (None: not voted yet)
    passed = models.BooleanField(_("讨论决定通过"), null=True, blank=True)
    # 6. 任前公示
    notice_blocked = models.BooleanField(_("公示反映问题影响任职"), default=False)
    notice_note = models.TextField(_("公示反映问题说明"), max_length=TEXT_MAX, blank=True)
    # 7. 任职
    appointed_on = models.DateField(_("任职日期"), null=True, blank=True)
    document_no = models.CharField(_("任职通知文号"), max_length=60, blank=True)
    talk_on = models.DateField(_("任职谈话日期"), null=True, blank=True)
    talk_by = models.CharField(_("谈话人"), max_length=100, blank=True)
    appointment = models.ForeignKey("cadres.Appointment", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("任职记录"))
    previous_rank = models.ForeignKey("cadres.Rank", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+", verbose_name=_("原职级"))
    new_rank = models.ForeignKey("cadres.Rank", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("新任职级"))
    is_promotion = models.BooleanField(_("提拔任职"), null=True, blank=True)
    appointed_by = _by(_("任职登记人"))
    # 8. 试用期
    probation_end = models.DateField(_("试用期满日期"), null=True, blank=True)
    reminded_on = models.DateField(_("试用期满提醒日期"), null=True, blank=True)
    probation_outcome = models.CharField(_("试用期满结果"), max_length=10, choices=ProbationOutcome.choices, blank=True)
    probation_decided_on = models.DateField(_("转正或恢复日期"), null=True, blank=True)
    probation_note = models.TextField(_("试用期考核情况"), max_length=TEXT_MAX, blank=True)
    return_post = models.ForeignKey("cadres.Post", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("恢复后任职"))
    probation_by = _by(_("试用期结果登记人"))
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    scope_path_field = "selection__unit__path"
    leader_writable = False
    objects = RestrictedManager()
    audit_label_fields = ("selection__title", "cadre__name")
    history = audit_history()

    class Meta:
        verbose_name = _("人选")
        verbose_name_plural = _("人选")
        ordering = ["selection", "order", "id"]
        indexes = [models.Index(fields=["probation_end"], name="selection_cand_probation",
                                condition=Q(probation_outcome=""))]
        constraints = [
            models.UniqueConstraint(fields=["selection", "cadre"], name="selection_candidate_once",
                                    violation_error_message=_("该干部已是本选任纪实的人选。")),
        ]

    def __str__(self):
        return f"{self.selection} · {self.cadre}"

    @property
    def eval_total(self) -> int:
        return sum(v or 0 for v in (self.eval_excellent, self.eval_competent, self.eval_basic, self.eval_incompetent))


class FileItem(models.TextChoices):
    """档案审核: 三龄两历一身份."""

    AGE = "age", _("出生日期（年龄）")
    WORK_START = "work_start", _("参加工作时间（工龄）")
    PARTY = "party", _("入党时间（党龄）")
    EDUCATION = "education", _("学历学位")
    CAREER = "career", _("工作经历")
    IDENTITY = "identity", _("干部身份")


class FileCheck(models.Model):
    """One item of a candidate's 档案审核: what the file and roster said and what was verified."""

    candidate = models.ForeignKey(SelectionCandidate, on_delete=models.CASCADE, related_name="file_checks",
                                  verbose_name=_("人选"))
    item = models.CharField(_("审核项目"), max_length=12, choices=FileItem.choices)
    recorded = models.CharField(_("原记载"), max_length=200, blank=True)
    verified = models.CharField(_("审核认定"), max_length=200)
    note = models.CharField(_("说明"), max_length=500, blank=True)

    scope_path_field = "candidate__selection__unit__path"
    leader_writable = False
    objects = RestrictedManager()
    audit_label_fields = ("candidate__cadre__name", "item")
    history = audit_history()

    class Meta:
        verbose_name = _("档案审核")
        verbose_name_plural = _("档案审核")
        ordering = ["candidate", "id"]
        constraints = [models.UniqueConstraint(fields=["candidate", "item"], name="file_check_once")]

    def __str__(self):
        return f"{self.candidate} · {self.get_item_display()}"

    @property
    def differs(self) -> bool:
        return (self.recorded or "").strip() != (self.verified or "").strip()


class RecommendationMethod(models.TextChoices):
    TALK = "talk", _("谈话调研推荐")
    MEETING = "meeting", _("会议推荐")


class Recommendation(models.Model):
    """民主推荐: one round (谈话调研推荐 or 会议推荐), who should and who did take part, and the
    ballots per candidate. Valid for one year: usable up to 365 days after ``held_on``."""

    selection = models.ForeignKey(Selection, on_delete=models.CASCADE, related_name="recommendations",
                                  verbose_name=_("选任纪实"))
    method = models.CharField(_("推荐方式"), max_length=10, choices=RecommendationMethod.choices)
    held_on = models.DateField(_("推荐日期"))
    participants = models.CharField(_("参加范围"), max_length=200, blank=True)
    expected = models.PositiveIntegerField(_("应参加人数"))
    actual = models.PositiveIntegerField(_("实参加人数"))
    note = models.TextField(_("说明"), max_length=TEXT_MAX, blank=True)
    recorded_by = _by(_("登记人"))
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    scope_path_field = "selection__unit__path"
    leader_writable = False
    objects = RestrictedManager()
    audit_label_fields = ("selection__title", "method", "held_on")
    history = audit_history()

    class Meta:
        verbose_name = _("民主推荐")
        verbose_name_plural = _("民主推荐")
        ordering = ["selection", "held_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(expected__gte=1), name="recommendation_expected",
                                   violation_error_message=_("应参加人数至少为1。")),
            models.CheckConstraint(condition=Q(actual__lte=F("expected")), name="recommendation_actual",
                                   violation_error_message=_("实参加人数不能多于应参加人数。")),
        ]

    def __str__(self):
        return f"{self.selection} · {self.get_method_display()} · {self.held_on}"

    @property
    def turnout(self) -> float:
        """Share of those who should take part who did, in percent (one decimal)."""
        return round(100 * self.actual / self.expected, 1) if self.expected else 0.0


class Ballot(models.Model):
    """A candidate's votes in one recommendation round: for, abstentions, invalid."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="ballots",
                                       verbose_name=_("民主推荐"))
    candidate = models.ForeignKey(SelectionCandidate, on_delete=models.CASCADE, related_name="ballots",
                                  verbose_name=_("人选"))
    votes = models.PositiveIntegerField(_("推荐票"))
    abstain = models.PositiveIntegerField(_("弃权票"), default=0)
    invalid = models.PositiveIntegerField(_("无效票"), default=0)

    scope_path_field = "recommendation__selection__unit__path"
    leader_writable = False
    objects = RestrictedManager()
    history = audit_history()

    class Meta:
        verbose_name = _("推荐票")
        verbose_name_plural = _("推荐票")
        ordering = ["recommendation", "-votes", "id"]
        constraints = [models.UniqueConstraint(fields=["recommendation", "candidate"], name="ballot_once")]

    def __str__(self):
        return f"{self.recommendation} · {self.candidate.cadre} · {self.votes}"


class DecisionOutcome(models.TextChoices):
    VOTED = "voted", _("表决")
    POSTPONED = "postponed", _("缓议")


class Decision(models.Model):
    """讨论决定: a meeting of the Party committee (常委会): who should attend, who attended, and
    the votes per candidate; or 缓议 (postponed, with the reason). A candidate passes only with
    more than half of the members who should attend."""

    selection = models.ForeignKey(Selection, on_delete=models.CASCADE, related_name="decisions",
                                  verbose_name=_("选任纪实"))
    meeting = models.CharField(_("会议"), max_length=100)
    held_on = models.DateField(_("会议日期"))
    expected = models.PositiveIntegerField(_("应到会成员"))
    present = models.PositiveIntegerField(_("实到会成员"))
    outcome = models.CharField(_("结果"), max_length=10, choices=DecisionOutcome.choices, default=DecisionOutcome.VOTED)
    note = models.TextField(_("说明"), max_length=TEXT_MAX, blank=True)
    recorded_by = _by(_("登记人"))
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    scope_path_field = "selection__unit__path"
    leader_writable = False
    objects = RestrictedManager()
    audit_label_fields = ("selection__title", "meeting", "held_on")
    history = audit_history()

    class Meta:
        verbose_name = _("讨论决定")
        verbose_name_plural = _("讨论决定")
        ordering = ["selection", "held_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(expected__gte=1), name="decision_expected",
                                   violation_error_message=_("应到会成员至少为1。")),
            models.CheckConstraint(condition=Q(present__lte=F("expected")), name="decision_present",
                                   violation_error_message=_("实到会成员不能多于应到会成员。")),
        ]

    def __str__(self):
        return f"{self.selection} · {self.meeting} · {self.held_on}"


class DecisionVote(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="votes", verbose_name=_("讨论决定"))
    candidate = models.ForeignKey(SelectionCandidate, on_delete=models.CASCADE, related_name="decision_votes",
                                  verbose_name=_("人选"))
    votes_for = models.PositiveIntegerField(_("同意"))
    votes_against = models.PositiveIntegerField(_("不同意"), default=0)
    votes_abstain = models.PositiveIntegerField(_("弃权"), default=0)
    passed = models.BooleanField(_("通过"))

    scope_path_field = "decision__selection__unit__path"
    leader_writable = False
    objects = RestrictedManager()
    history = audit_history()

    class Meta:
        verbose_name = _("表决票")
        verbose_name_plural = _("表决票")
        ordering = ["decision", "id"]
        constraints = [models.UniqueConstraint(fields=["decision", "candidate"], name="decision_vote_once")]

    def __str__(self):
        return f"{self.decision} · {self.candidate.cadre} · {self.votes_for}"


class SelectionDocument(EvidenceFile):
    """A document of one step (会议纪要, 推荐票统计表, 考察材料, 函询回复, 公示, 任职通知 …)."""

    selection = models.ForeignKey(Selection, on_delete=models.CASCADE, related_name="documents",
                                  verbose_name=_("选任纪实"))
    step = models.CharField(_("环节"), max_length=12, choices=SelectionStatus.choices)
    title = models.CharField(_("材料名称"), max_length=100, blank=True)

    scope_path_field = "selection__unit__path"
    leader_writable = False
    objects = RestrictedManager()
    audit_label_fields = ("selection__title", "original_name")
    history = audit_history()

    class Meta(EvidenceFile.Meta):
        verbose_name = _("选任材料")
        verbose_name_plural = _("选任材料")
