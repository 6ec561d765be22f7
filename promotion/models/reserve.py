"""The talent reserve pool (鹰城担当干部储备库), kept by industry and by category (分行业分类别).

A ``ReservePool`` is one (industry, category) with its entry criteria (``PoolCriterion`` rows, one
per kind, the parameters checked by ``promotion.services.eligibility``) and its ranking weights
(checked to sum to 100). Org staff nominate cadres the eligibility function lets in, admit them
and remove them with a reason (``PoolEntry``); an entry whose cadre stops being eligible is
flagged, never dropped. Every night a ``RankingRun`` ranks every pool's admitted entries and
writes one ``RankingEntry`` per entry with its components, so a page explains a score line by line
and charts a cadre's rank over time. Exactly one run is current (a partial unique constraint); a
run is written whole in one transaction and only then made current.
"""
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cadres.models import PostLevel
from pingdingshan.core.audit import audit_history
from pingdingshan.core.permissions import RestrictedManager

TEXT_MAX = 5000


class Industry(models.Model):
    """行业, an editable list: 经济发展, 党建党务, 政法, 文教卫, 农业农村, 城建交通, 国企 …

    ``units``: the units whose posts belong to the industry, each with its whole subtree (a post's
    industry is that of its unit's nearest listed ancestor, ``promotion.services.vacancies``);
    ``task_categories``: the 中心工作 whose verified 实绩 records count as experience in the industry
    (``promotion.services.matching``). Both are edited on the industry's form and API, with history."""

    name = models.CharField(_("名称"), max_length=40, unique=True)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    units = models.ManyToManyField(
        "cadres.Unit", blank=True, related_name="industries", verbose_name=_("所属单位"),
        help_text=_("这些单位及其下级单位的职务岗位属于本行业。"))
    task_categories = models.ManyToManyField(
        "cadres.TaskCategory", blank=True, related_name="industries", verbose_name=_("对应中心工作"),
        help_text=_("这些中心工作类别的实绩记录计为本行业的工作经历。"))

    scope_path_field = None
    leader_writable = False
    objects = RestrictedManager()
    history = audit_history(m2m_fields=[units, task_categories])

    class Meta:
        verbose_name = _("行业")
        verbose_name_plural = _("行业")
        ordering = ["order", "id"]

    def __str__(self):
        return self.name


class PoolCategory(models.Model):
    """类别, an editable list: 县处级正职后备, 县处级副职后备, 乡科级后备, 优秀年轻干部 …;
    ``target_level``: the post level the category prepares for (selection matches vacancies by it)."""

    name = models.CharField(_("名称"), max_length=40, unique=True)
    target_level = models.PositiveSmallIntegerField(
        _("拟任职务层次"), null=True, blank=True, choices=PostLevel.choices,
        help_text=_("该类别后备干部拟任的领导职务层次。"))
    description = models.CharField(_("说明"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    scope_path_field = None
    leader_writable = False
    objects = RestrictedManager()
    history = audit_history()

    class Meta:
        verbose_name = _("储备类别")
        verbose_name_plural = _("储备类别")
        ordering = ["order", "id"]

    def __str__(self):
        return self.name


# The ranking components, in the order a page explains them (the weights' field names end in them).
COMPONENTS = ("composite", "points", "awards", "frontline", "cards")


class ReservePool(models.Model):
    """储备库: one industry × category, its criteria and its ranking weights (percent, sum 100).

    ``composite_years`` and ``points_years``: how many recent years the assessment composites and
    the verified 实绩 points count; ``recency_percent``: each year further back counts this percent
    of the year after it (100: all years alike)."""

    name = models.CharField(_("名称"), max_length=60, unique=True)
    industry = models.ForeignKey(Industry, on_delete=models.PROTECT, related_name="pools", verbose_name=_("行业"))
    category = models.ForeignKey(PoolCategory, on_delete=models.PROTECT, related_name="pools",
                                 verbose_name=_("类别"))
    description = models.TextField(_("说明"), max_length=TEXT_MAX, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    weight_composite = models.PositiveSmallIntegerField(_("考核综合得分权重"), default=40)
    weight_points = models.PositiveSmallIntegerField(_("实绩积分权重"), default=30)
    weight_awards = models.PositiveSmallIntegerField(_("表彰权重"), default=10)
    weight_frontline = models.PositiveSmallIntegerField(_("一线历练权重"), default=10)
    weight_cards = models.PositiveSmallIntegerField(_("红黄牌扣分权重"), default=10)
    composite_years = models.PositiveSmallIntegerField(_("考核计入年数"), default=3)
    points_years = models.PositiveSmallIntegerField(_("实绩计入年数"), default=3)
    recency_percent = models.PositiveSmallIntegerField(
        _("逐年递减比例（%）"), default=50, help_text=_("每早一年，按后一年的此百分比计入（100 表示各年相同）。"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("创建人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    scope_path_field = None  # every reader sees the pools; entries are scoped by the cadre's unit
    leader_writable = False
    objects = RestrictedManager()
    history = audit_history()

    class Meta:
        verbose_name = _("储备库")
        verbose_name_plural = _("储备库")
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight_composite__lte=100) & Q(weight_points__lte=100) & Q(weight_awards__lte=100)
                & Q(weight_frontline__lte=100) & Q(weight_cards__lte=100),
                name="pool_weights_percent", violation_error_message=_("每项权重在 0 到 100 之间。")),
            models.CheckConstraint(
                condition=Q(weight_composite=100 - F("weight_points") - F("weight_awards") - F("weight_frontline")
                            - F("weight_cards")),
                name="pool_weights_sum", violation_error_message=_("各项权重之和须为 100。")),
            models.CheckConstraint(
                condition=Q(composite_years__gte=1, composite_years__lte=10, points_years__gte=1, points_years__lte=10,
                            recency_percent__gte=1, recency_percent__lte=100),
                name="pool_years_range", violation_error_message=_("计入年数在 1 到 10 之间，递减比例在 1% 到 100% 之间。")),
        ]

    def __str__(self):
        return self.name

    @property
    def weights(self) -> dict[str, int]:
        """{component: percent} in ``COMPONENTS`` order."""
        return {c: getattr(self, f"weight_{c}") for c in COMPONENTS}


class CriterionKind(models.TextChoices):
    """The kinds of entry criteria; the parameters and the check of each are
    ``promotion.services.eligibility.CRITERIA[kind]``. None rewards seniority."""

    AGE = "age", _("年龄")
    LEVEL = "level", _("现任职务层次或职级")
    YEARS_AT_LEVEL = "years_at_level", _("现职级任职年限")
    GRADES = "grades", _("近年考核等次")
    POINTS = "points", _("近年实绩积分")
    TAGS = "tags", _("标签")
    FRONTLINE = "frontline", _("一线历练")


class PoolCriterion(models.Model):
    """One entry criterion of a pool: its kind and parameters (e.g. age ``{"max": 45}``)."""

    pool = models.ForeignKey(ReservePool, on_delete=models.CASCADE, related_name="criteria",
                             verbose_name=_("储备库"))
    kind = models.CharField(_("条件"), max_length=16, choices=CriterionKind.choices)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    scope_path_field = None
    leader_writable = False
    objects = RestrictedManager()
    history = audit_history()

    class Meta:
        verbose_name = _("入库条件")
        verbose_name_plural = _("入库条件")
        ordering = ["pool", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["pool", "kind"], name="pool_criterion_once",
                                    violation_error_message=_("同一储备库的每类条件只能设置一条。")),
        ]

    def __str__(self):
        return f"{self.pool} · {self.get_kind_display()}"


class EntryStatus(models.TextChoices):
    NOMINATED = "nominated", _("已提名")
    ADMITTED = "admitted", _("已入库")
    REMOVED = "removed", _("已移出")


class PoolEntry(models.Model):
    """A cadre in a pool: nominated, admitted (ranked every night) or removed (kept, with the
    reason). ``flagged_on`` / ``flag_reasons``: since when and why the cadre no longer meets the
    pool's criteria (the sentences of the eligibility check); cleared when they meet them again."""

    pool = models.ForeignKey(ReservePool, on_delete=models.PROTECT, related_name="entries", verbose_name=_("储备库"))
    cadre = models.ForeignKey("cadres.Cadre", on_delete=models.CASCADE, related_name="pool_entries",
                              verbose_name=_("干部"))
    status = models.CharField(_("状态"), max_length=10, choices=EntryStatus.choices, default=EntryStatus.NOMINATED)
    note = models.TextField(_("提名理由"), max_length=TEXT_MAX, blank=True)
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("提名人"))
    nominated_at = models.DateTimeField(_("提名时间"), auto_now_add=True)
    admitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("入库审定人"))
    admitted_at = models.DateTimeField(_("入库时间"), null=True, blank=True)
    removed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("移出人"))
    removed_at = models.DateTimeField(_("移出时间"), null=True, blank=True)
    removal_reason = models.TextField(_("移出理由"), max_length=TEXT_MAX, blank=True)
    flagged_on = models.DateField(_("不再符合条件日期"), null=True, blank=True)
    flag_reasons = models.JSONField(_("不再符合的条件"), default=list, blank=True)

    scope_path_field = "cadre__unit__path"
    leader_writable = False
    objects = RestrictedManager()
    history = audit_history()

    class Meta:
        verbose_name = _("储备库人选")
        verbose_name_plural = _("储备库人选")
        ordering = ["pool", "-admitted_at", "id"]
        indexes = [models.Index(fields=["pool", "status"], name="pool_entry_pool_status"),
                   models.Index(fields=["cadre", "status"], name="pool_entry_cadre_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["pool", "cadre"], condition=~Q(status="removed"), name="pool_entry_once",
                violation_error_message=_("该干部已在此储备库中（已提名或已入库）。")),
            models.CheckConstraint(
                condition=~Q(status="removed") | ~Q(removal_reason=""), name="pool_entry_removed_reason",
                violation_error_message=_("移出储备库须填写理由。")),
        ]

    def __str__(self):
        return f"{self.pool} · {self.cadre}"


class RunStatus(models.TextChoices):
    RUNNING = "running", _("运行中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")
    REPLACED = "replaced", _("已被重算替换")


class RunTrigger(models.TextChoices):
    BEAT = "beat", _("每日定时")
    PAGE = "page", _("页面启动")
    API = "api", _("接口启动")
    COMMAND = "command", _("命令行")


class RankingRun(models.Model):
    """One ranking of every active pool for ``run_date``. Written whole in one transaction (its
    ``RankingEntry`` rows) and then made current; a failed or killed run leaves the previous
    current. A re-run of a date replaces that date's done run (status ``replaced``, its entries
    deleted). ``counts``: {"pools": n, "entries": n, "ranked": n, "flagged": n, "per_pool":
    {pool id: {"ranked": n, "flagged": n}}}; ``weights``: {pool id: {component: percent, "composite_years": …}}
    as used; ``context``: {pool id: what every entry of the pool shares in its explanation (the
    years and windows with their percents, the pool's best points total, the dates awards and
    cards count from, the weights)}, stored once per pool instead of on each of its entries (see
    ``promotion.services.ranking.expand``)."""

    run_date = models.DateField(_("排名日期"))
    status = models.CharField(_("状态"), max_length=10, choices=RunStatus.choices, default=RunStatus.RUNNING)
    is_current = models.BooleanField(_("当前排名"), default=False)
    trigger = models.CharField(_("启动方式"), max_length=10, choices=RunTrigger.choices, default=RunTrigger.BEAT)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("启动人"))
    job = models.ForeignKey("core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                            verbose_name=_("后台任务"))
    started_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    counts = models.JSONField(_("统计"), default=dict, blank=True)
    weights = models.JSONField(_("所用权重"), default=dict, blank=True)
    context = models.JSONField(_("各库计分口径"), default=dict, blank=True)
    error = models.TextField(_("错误信息"), blank=True)

    scope_path_field = None
    leader_writable = False
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("排名运行")
        verbose_name_plural = _("排名运行")
        ordering = ["-run_date", "-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["is_current"], condition=Q(is_current=True), name="ranking_one_current",
                                    violation_error_message=_("同一时间只能有一次当前排名。")),
            models.UniqueConstraint(fields=["run_date"], condition=Q(status="done"), name="ranking_one_done_per_date",
                                    violation_error_message=_("同一日期只能有一次已完成的排名。")),
            models.CheckConstraint(condition=~Q(is_current=True) | Q(status="done"), name="ranking_current_done",
                                   violation_error_message=_("只有已完成的排名可以作为当前排名。")),
        ]

    def __str__(self):
        return f"{self.run_date} · {self.get_status_display()}"

    @property
    def duration(self):
        return (self.finished_at - self.started_at) if self.finished_at and self.started_at else None


class RankingEntry(models.Model):
    """What one run wrote for one pool entry: the rank in the whole pool (competition ranking:
    equals share a rank; ``None``: not ranked, see ``flags``), the score in hundredths of a point
    (0–10000) and its components in the compact form of ``promotion.services.ranking.STORED`` (what
    differs between the pool's entries; the rest is on the run's ``context``), which
    ``ranking.components`` expands to ``{component: {"value": hundredths 0–10000, "weight": percent,
    "contribution": hundredths, "detail": {...codes and numbers...}}}`` and
    ``promotion.services.ranking.explain`` puts in words; ``flags``: codes of why the entry is flagged or not
    ranked; ``previous_rank``: the rank in the run that was current before (``None``: new)."""

    # No single-column indexes on run, pool and cadre: the composite indexes below lead with run and
    # with cadre, and a pool with ranking rows cannot be deleted (its entries protect it); each index
    # less is one less to fill for the 40,000 rows a run writes (bench/pool.py).
    # Pool, entry and cadre without a database constraint (``db_constraint=False``): the rows are a
    # snapshot the run writes from the pool entries it has just read, in one transaction; Django still
    # cascades a deletion of any of them (the ORM collects these rows), and the database no longer
    # checks three keys per row at commit (120,000 look-ups a run: bench/pool.py). The run keeps its key.
    run = models.ForeignKey(RankingRun, on_delete=models.CASCADE, related_name="entries", verbose_name=_("排名运行"),
                            db_index=False)
    pool = models.ForeignKey(ReservePool, on_delete=models.CASCADE, related_name="+", verbose_name=_("储备库"),
                             db_index=False, db_constraint=False)
    entry = models.ForeignKey(PoolEntry, on_delete=models.CASCADE, related_name="rankings", verbose_name=_("人选"),
                              db_constraint=False)
    cadre = models.ForeignKey("cadres.Cadre", on_delete=models.CASCADE, related_name="+", verbose_name=_("干部"),
                              db_index=False, db_constraint=False)
    rank = models.PositiveIntegerField(_("名次"), null=True, blank=True)
    score = models.IntegerField(_("得分（百分之一分）"), null=True, blank=True)
    components = models.JSONField(_("得分构成"), default=dict, blank=True)
    flags = models.JSONField(_("提示"), default=list, blank=True)
    previous_rank = models.PositiveIntegerField(_("上次名次"), null=True, blank=True)

    scope_path_field = "cadre__unit__path"
    leader_writable = False
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("储备库排名")
        verbose_name_plural = _("储备库排名")
        ordering = ["run", "pool", "rank", "id"]
        indexes = [models.Index(fields=["run", "pool", "rank"], name="ranking_entry_order"),
                   models.Index(fields=["cadre", "run"], name="ranking_entry_cadre")]
        constraints = [models.UniqueConstraint(fields=["run", "entry"], name="ranking_entry_once")]

    def __str__(self):
        return f"{self.run} · {self.pool} · {self.cadre} · {self.rank}"


class StepSubject(models.TextChoices):
    POSTING = "posting", _("一线历练")
    ENTRY = "entry", _("储备库人选")
    POOL = "pool", _("储备库")
    SELECTION = "selection", _("选任纪实")


class PromotionStep(models.Model):
    """One step of a workflow of this app (approve a posting, admit or remove an entry …): who,
    when, from which status to which, and the reason given (like ``assessment.ConductStep``)."""

    subject = models.CharField(_("对象类型"), max_length=14, choices=StepSubject.choices)
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
        indexes = [models.Index(fields=["subject", "subject_id", "at"], name="promotion_step_subject")]

    def __str__(self):
        return f"{self.get_subject_display()} {self.subject_id} · {self.action}"
