"""The cadre roster: units (a tree), posts and their quotas, ranks and rank quotas, cadres,
appointments, rank history, careers (简历) and training.

Business rules (quotas, chief overlap, scope) live in ``cadres/services``; models hold data,
constraints and field-level validation only.
"""
import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from pingdingshan.core import dates
from pingdingshan.core.audit import audit_history
from pingdingshan.core.permissions import RestrictedManager, RestrictedQuerySet

from .. import idcard


# --------------------------------------------------------------------------- units
class UnitLevel(models.TextChoices):
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")
    TOWNSHIP = "township", _("乡级")


class UnitKind(models.TextChoices):
    CITY = "city", _("市委市政府")
    PARTY_DEPT = "party_dept", _("市委部门")
    GOV_DEPT = "gov_dept", _("市政府部门")
    COUNTY = "county", _("县")
    COUNTY_CITY = "county_city", _("县级市")
    DISTRICT = "district", _("市辖区")
    ZONE = "zone", _("功能区")
    COUNTY_DEPT = "county_dept", _("县直部门")
    TOWNSHIP = "township", _("乡")
    TOWN = "town", _("镇")
    SUBDISTRICT = "subdistrict", _("街道")
    INSTITUTION = "institution", _("事业单位")
    ENTERPRISE = "enterprise", _("国有企业")


class UnitQuerySet(MP_NodeQuerySet, RestrictedQuerySet):
    pass


class UnitManager(MP_NodeManager):
    def get_queryset(self):
        return UnitQuerySet(self.model, using=self._db).order_by("path")

    def restrict(self, user, action="view"):
        return self.get_queryset().restrict(user, action)


class Unit(MP_Node):
    """A unit (单位) in the tree: the city, its departments, counties/districts/zones, townships,
    public institutions and state enterprises."""

    code = models.CharField(_("单位代码"), max_length=32, unique=True)
    name = models.CharField(_("单位名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    level = models.CharField(_("层级"), max_length=10, choices=UnitLevel.choices)
    kind = models.CharField(_("类型"), max_length=20, choices=UnitKind.choices)
    establishment = models.PositiveIntegerField(_("编制数"), default=0)
    is_active = models.BooleanField(_("有效"), default=True)

    steplen = 4
    node_order_by = None
    scope_path_field = "path"
    leader_writable = False

    objects = UnitManager()
    history = audit_history(excluded_fields=["numchild"])

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        indexes = [models.Index(fields=["level", "kind"])]

    def __str__(self):
        return self.name


# --------------------------------------------------------------------------- posts and ranks
class PostLevel(models.IntegerChoices):
    """领导职务层次, high to low (a larger number is a higher level)."""

    NATIONAL_CHIEF = 10, _("国家级正职")
    NATIONAL_DEPUTY = 9, _("国家级副职")
    PROVINCIAL_CHIEF = 8, _("省部级正职")
    PROVINCIAL_DEPUTY = 7, _("省部级副职")
    BUREAU_CHIEF = 6, _("厅局级正职")
    BUREAU_DEPUTY = 5, _("厅局级副职")
    COUNTY_CHIEF = 4, _("县处级正职")
    COUNTY_DEPUTY = 3, _("县处级副职")
    SECTION_CHIEF = 2, _("乡科级正职")
    SECTION_DEPUTY = 1, _("乡科级副职")


class PostKind(models.TextChoices):
    PARTY_GOV_CHIEF = "party_gov_chief", _("党政正职")
    DEPUTY = "deputy", _("副职")
    STANDING_COMMITTEE = "standing_committee", _("党委常委")
    GOV_MEMBER = "gov_member", _("政府班子成员")
    FULLTIME_DEPUTY_SECRETARY = "fulltime_deputy_secretary", _("党委专职副书记")
    EXECUTIVE_DEPUTY = "executive_deputy", _("政府常务副职")
    SECTION_CHIEF = "section_chief", _("中层正职")
    SECTION_DEPUTY = "section_deputy", _("中层副职")


class Post(models.Model):
    """A leadership post (职务岗位) in a unit, with its quota (职数)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="posts", verbose_name=_("单位"))
    name = models.CharField(_("职务名称"), max_length=100)
    kind = models.CharField(_("职务类别"), max_length=30, choices=PostKind.choices)
    level = models.PositiveSmallIntegerField(_("职务层次"), choices=PostLevel.choices)
    quota = models.PositiveSmallIntegerField(_("职数"), default=1, validators=[MinValueValidator(1)])
    is_chief = models.BooleanField(_("正职（一把手）"), default=False)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    scope_path_field = "unit__path"
    leader_writable = False

    objects = RestrictedManager()
    audit_label_fields = ("unit__name", "name")  # how the audit log names one
    history = audit_history()

    class Meta:
        verbose_name = _("职务岗位")
        verbose_name_plural = _("职务岗位")
        ordering = ["unit__path", "-level", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="uniq_post_name_per_unit",
                                               violation_error_message=_("本单位已有同名的职务。"))]

    def __str__(self):
        return f"{self.unit.name}{self.name}"


class Rank(models.Model):
    """A rank grade (综合管理类职级); ``order`` 1 is the highest. Seeded from RULES.md."""

    name = models.CharField(_("职级名称"), max_length=20, unique=True)
    order = models.PositiveSmallIntegerField(_("序号"), unique=True)
    equivalent_level = models.PositiveSmallIntegerField(_("相当职务层次"), choices=PostLevel.choices, null=True, blank=True)
    min_years_from_below = models.PositiveSmallIntegerField(_("晋升最低任职年限"), default=2)

    scope_path_field = None
    leader_writable = False

    objects = RestrictedManager()
    history = audit_history()

    class Meta:
        verbose_name = _("职级")
        verbose_name_plural = _("职级")
        ordering = ["order"]

    def __str__(self):
        return self.name


class RankQuota(models.Model):
    """How many cadres of a unit may hold a rank (职级职数)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="rank_quotas", verbose_name=_("单位"))
    rank = models.ForeignKey(Rank, on_delete=models.PROTECT, related_name="quotas", verbose_name=_("职级"))
    quota = models.PositiveSmallIntegerField(_("职数"))

    scope_path_field = "unit__path"
    leader_writable = False

    objects = RestrictedManager()
    audit_label_fields = ("unit__name", "rank__name")  # how the audit log names one
    history = audit_history()

    class Meta:
        verbose_name = _("职级职数")
        verbose_name_plural = _("职级职数")
        ordering = ["unit__path", "rank__order"]
        constraints = [models.UniqueConstraint(fields=["unit", "rank"], name="uniq_rank_quota",
                                               violation_error_message=_("本单位已设置该职级的职数。"))]

    def __str__(self):
        return f"{self.unit.name} {self.rank.name} {self.quota}"


# --------------------------------------------------------------------------- cadres
class Gender(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class CadreStatus(models.TextChoices):
    ACTIVE = "active", _("在职")
    RETIRED = "retired", _("退休")
    TRANSFERRED = "transferred", _("调离")
    DECEASED = "deceased", _("去世")


class PoliticalStatus(models.TextChoices):
    CPC = "cpc", _("中共党员")
    CPC_PROBATIONARY = "cpc_probationary", _("中共预备党员")
    OTHER_PARTY = "other_party", _("民主党派")
    NONE = "masses", _("群众")


class EducationLevel(models.IntegerChoices):
    """学历, higher number = higher level, so 'at least' filters are a comparison."""

    NONE = 0, _("无")
    HIGH_SCHOOL = 1, _("高中及以下")
    SECONDARY = 2, _("中专")
    COLLEGE = 3, _("大学专科")
    BACHELOR = 4, _("大学本科")
    POSTGRADUATE = 5, _("研究生")


class Degree(models.IntegerChoices):
    NONE = 0, _("无")
    BACHELOR = 1, _("学士")
    MASTER = 2, _("硕士")
    DOCTOR = 3, _("博士")


class HealthStatus(models.TextChoices):
    """健康状况, GB/T 2261.3 codes with the labels the 任免审批表 prints."""

    GOOD = "1", _("健康")
    FAIR = "2", _("一般")
    CHRONIC = "3", _("有慢性病")
    DISABLED = "6", _("残疾")


class FamilyPoliticalStatus(models.TextChoices):
    """政治面貌 of a family member, GB/T 4762 codes and labels."""

    CPC = "01", _("中共党员")
    CPC_PROBATIONARY = "02", _("中共预备党员")
    CYL = "03", _("共青团员")
    RCCK = "04", _("民革党员")
    CDL = "05", _("民盟盟员")
    CNDCA = "06", _("民建会员")
    CAPD = "07", _("民进会员")
    CPWDP = "08", _("农工党党员")
    CZGP = "09", _("致公党党员")
    JS = "10", _("九三学社社员")
    TDSGL = "11", _("台盟盟员")
    NON_PARTY = "12", _("无党派人士")
    MASSES = "13", _("群众")


class Tag(models.Model):
    name = models.CharField(_("标签"), max_length=30, unique=True)

    scope_path_field = None
    leader_writable = False
    objects = RestrictedManager()
    history = audit_history()

    class Meta:
        verbose_name = _("标签")
        verbose_name_plural = _("标签")
        ordering = ["name"]

    def __str__(self):
        return self.name


phone_validator = RegexValidator(r"^[0-9+\-() ]{5,20}$", _("请输入有效的电话号码。"))


class Cadre(models.Model):
    """A cadre (干部). ``unit`` is the unit the cadre belongs to now; ``current_post`` and
    ``current_rank`` mirror the open appointment / rank record and are kept by the services
    (so that the roster filters and sorts on 100,000 rows without joins over history)."""

    name = models.CharField(_("姓名"), max_length=30, db_index=True)
    name_initials = models.CharField(_("姓名拼音首字母"), max_length=30, blank=True, db_index=True, editable=False)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices)
    ethnicity = models.CharField(_("民族"), max_length=20, default="汉族")
    birth_date = models.DateField(_("出生日期"), db_index=True)
    native_place = models.CharField(_("籍贯"), max_length=50, blank=True)
    id_number = models.CharField(_("身份证号码"), max_length=18, unique=True)
    political_status = models.CharField(
        _("政治面貌"), max_length=20, choices=PoliticalStatus.choices, default=PoliticalStatus.CPC
    )
    party_join_date = models.DateField(_("入党时间"), null=True, blank=True)
    work_start_date = models.DateField(_("参加工作时间"), null=True, blank=True)
    fulltime_education = models.PositiveSmallIntegerField(
        _("全日制学历"), choices=EducationLevel.choices, default=EducationLevel.BACHELOR
    )
    fulltime_degree = models.PositiveSmallIntegerField(_("全日制学位"), choices=Degree.choices, default=Degree.NONE)
    fulltime_school = models.CharField(_("全日制毕业院校"), max_length=60, blank=True)
    fulltime_major = models.CharField(_("全日制专业"), max_length=60, blank=True)
    inservice_education = models.PositiveSmallIntegerField(
        _("在职学历"), choices=EducationLevel.choices, default=EducationLevel.NONE
    )
    inservice_degree = models.PositiveSmallIntegerField(_("在职学位"), choices=Degree.choices, default=Degree.NONE)
    inservice_school = models.CharField(_("在职毕业院校"), max_length=60, blank=True)
    inservice_major = models.CharField(_("在职专业"), max_length=60, blank=True)
    highest_education = models.PositiveSmallIntegerField(
        _("最高学历"), choices=EducationLevel.choices, default=EducationLevel.BACHELOR, editable=False, db_index=True
    )
    phone = models.CharField(_("联系电话"), max_length=20, blank=True, validators=[phone_validator])
    status = models.CharField(_("状态"), max_length=20, choices=CadreStatus.choices, default=CadreStatus.ACTIVE)
    tags = models.ManyToManyField(Tag, blank=True, related_name="cadres", verbose_name=_("标签"))
    photo = models.ImageField(_("照片"), upload_to="photos/%Y/", blank=True)
    # What the 干部任免审批表 (LRMX) holds beyond the profile above (issue 13).
    birth_place = models.CharField(_("出生地"), max_length=50, blank=True)
    health = models.CharField(_("健康状况"), max_length=2, choices=HealthStatus.choices, default=HealthStatus.GOOD)
    professional_title = models.CharField(_("专业技术职务"), max_length=60, blank=True)
    expertise = models.CharField(_("熟悉专业有何专长"), max_length=200, blank=True)
    rewards_sanctions = models.TextField(_("奖惩情况"), blank=True)
    annual_assessment = models.TextField(_("年度考核结果"), blank=True,
                                         help_text=_("如：2023、2024年度考核均为称职，2025年度考核为优秀"))
    proposed_post = models.CharField(_("拟任职务"), max_length=200, blank=True)
    proposed_removal = models.CharField(_("拟免职务"), max_length=200, blank=True)
    appointment_reason = models.TextField(_("任免理由"), blank=True)
    reporting_unit = models.CharField(_("呈报单位"), max_length=100, blank=True)
    age_reference_date = models.DateField(_("计算年龄时间"), null=True, blank=True)
    form_date = models.DateField(_("填表时间"), null=True, blank=True)
    form_filler = models.CharField(_("填表人"), max_length=30, blank=True)

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="cadres", verbose_name=_("所在单位"))
    current_post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("现任职务"),
        editable=False,
    )
    current_rank = models.ForeignKey(
        Rank, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("现任职级"),
        editable=False,
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    scope_path_field = "unit__path"
    leader_writable = True

    objects = RestrictedManager()
    history = audit_history(m2m_fields=[tags], excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("干部")
        verbose_name_plural = _("干部")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["unit", "status"]), models.Index(fields=["status", "name"])]

    def __str__(self):
        return self.name

    @property
    def is_party_member(self):
        return self.political_status in (PoliticalStatus.CPC, PoliticalStatus.CPC_PROBATIONARY)

    def age_on(self, day: dt.date | None = None) -> int:
        day = day or dates.today()
        b = self.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))

    @property
    def age(self):
        return self.age_on()

    def clean(self):
        errors = {}
        if self.id_number:
            try:
                self.id_number = idcard.validate_id_number(self.id_number)
            except ValidationError as e:
                errors["id_number"] = e.messages
            else:
                errors.update(idcard.consistency_errors(self.id_number, self.birth_date, self.gender))
        if self.party_join_date and self.political_status not in (PoliticalStatus.CPC, PoliticalStatus.CPC_PROBATIONARY):
            errors["party_join_date"] = _("非中共党员不应填写入党时间。")
        errors.update(life_date_errors(self.birth_date, self.work_start_date, self.party_join_date))
        if errors:
            raise ValidationError(errors)


MIN_WORKING_AGE = 16  # 《劳动法》第十五条: no employment before 16 周岁


def on_birthday(birth: dt.date, years: int) -> dt.date:
    """The day someone born on ``birth`` reaches ``years`` 周岁 (29 February → 1 March)."""
    try:
        return birth.replace(year=birth.year + years)
    except ValueError:
        return dt.date(birth.year + years, 3, 1)


def life_date_errors(birth: dt.date | None, work_start: dt.date | None, party_join: dt.date | None,
                     *, today: dt.date | None = None) -> dict[str, str]:
    """The rule for a cadre's dates, by field (form, API and import alike, through ``Cadre.clean``):
    born no later than today; joined the party and started work not before birth; started work
    at 16 周岁 or later."""
    errors = {}
    if not birth:
        return errors
    today = today or timezone.localdate()
    if birth > today:
        errors["birth_date"] = _("出生日期不能晚于今天（%(today)s）。") % {"today": today.isoformat()}
        return errors
    if party_join and party_join < birth:
        errors["party_join_date"] = _("不能早于出生日期。")
    if work_start and work_start < birth:
        errors["work_start_date"] = _("不能早于出生日期。")
    elif work_start and work_start < on_birthday(birth, MIN_WORKING_AGE):
        errors["work_start_date"] = _("参加工作时不满%(age)d周岁：按出生日期，最早为%(day)s。") % {
            "age": MIN_WORKING_AGE, "day": on_birthday(birth, MIN_WORKING_AGE).isoformat()}
    return errors


class Appointment(models.Model):
    """任职: a cadre holds a post from ``start_date`` until ``end_date`` (open when empty)."""

    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="appointments", verbose_name=_("干部"))
    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="appointments", verbose_name=_("职务"))
    start_date = models.DateField(_("任职时间"))
    end_date = models.DateField(_("免职时间"), null=True, blank=True)
    document_no = models.CharField(_("任免文号"), max_length=60, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    scope_path_field = "cadre__unit__path"
    leader_writable = True

    objects = RestrictedManager()
    audit_label_fields = ("cadre__name", "post__unit__name", "post__name")  # how the audit log names one
    history = audit_history()

    class Meta:
        verbose_name = _("任职")
        verbose_name_plural = _("任职")
        ordering = ["-start_date", "-id"]
        indexes = [models.Index(fields=["post", "end_date"]), models.Index(fields=["cadre", "end_date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="appointment_dates_ordered", violation_error_message=_("任职的结束日期不能早于任职时间。"),
            )
        ]

    def __str__(self):
        return f"{self.cadre} · {self.post}"

    def clean(self):
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("免职时间不能早于任职时间。")})


class RankHistory(models.Model):
    """A cadre's rank over a period (职级任职)."""

    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="rank_history", verbose_name=_("干部"))
    rank = models.ForeignKey(Rank, on_delete=models.PROTECT, related_name="+", verbose_name=_("职级"))
    start_date = models.DateField(_("起始时间"))
    end_date = models.DateField(_("终止时间"), null=True, blank=True)
    document_no = models.CharField(_("文号"), max_length=60, blank=True)

    scope_path_field = "cadre__unit__path"
    leader_writable = True

    objects = RestrictedManager()
    audit_label_fields = ("cadre__name", "rank__name")  # how the audit log names one
    history = audit_history()

    class Meta:
        verbose_name = _("职级记录")
        verbose_name_plural = _("职级记录")
        ordering = ["-start_date", "-id"]

    def __str__(self):
        return f"{self.cadre} · {self.rank}"


class CareerEntry(models.Model):
    """One line of a cadre's résumé (简历)."""

    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="career", verbose_name=_("干部"))
    start_date = models.DateField(_("起始时间"))
    end_date = models.DateField(_("终止时间"), null=True, blank=True)
    description = models.CharField(_("工作单位及职务"), max_length=200)

    scope_path_field = "cadre__unit__path"
    leader_writable = True

    objects = RestrictedManager()
    audit_label_fields = ("cadre__name", "description")  # how the audit log names one
    history = audit_history()

    class Meta:
        verbose_name = _("简历")
        verbose_name_plural = _("简历")
        ordering = ["start_date", "id"]

    def __str__(self):
        return f"{self.start_date:%Y.%m}— {self.description}"


class FamilyMember(models.Model):
    """家庭成员及重要社会关系 of a cadre, in the order the 任免审批表 lists them."""

    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="family", verbose_name=_("干部"))
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    relation = models.CharField(_("称谓"), max_length=20)
    name = models.CharField(_("姓名"), max_length=30)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True, help_text=_("任免审批表只记年月。"))
    political_status = models.CharField(_("政治面貌"), max_length=2, choices=FamilyPoliticalStatus.choices,
                                        blank=True)
    work_unit_post = models.CharField(_("工作单位及职务"), max_length=200, blank=True)

    scope_path_field = "cadre__unit__path"
    leader_writable = True

    objects = RestrictedManager()
    audit_label_fields = ("cadre__name", "relation", "name")  # how the audit log names one
    history = audit_history()

    class Meta:
        verbose_name = _("家庭成员")
        verbose_name_plural = _("家庭成员")
        ordering = ["order", "id"]

    def __str__(self):
        return f"{self.relation} {self.name}"


class Training(models.Model):
    """A training course a cadre attended."""

    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="trainings", verbose_name=_("干部"))
    title = models.CharField(_("培训名称"), max_length=120)
    organiser = models.CharField(_("主办单位"), max_length=100, blank=True)
    start_date = models.DateField(_("开始时间"))
    end_date = models.DateField(_("结束时间"), null=True, blank=True)
    hours = models.PositiveSmallIntegerField(_("学时"), default=0)
    result = models.CharField(_("考核结果"), max_length=40, blank=True)

    scope_path_field = "cadre__unit__path"
    leader_writable = True

    objects = RestrictedManager()
    audit_label_fields = ("cadre__name", "title")  # how the audit log names one
    history = audit_history()

    class Meta:
        verbose_name = _("培训记录")
        verbose_name_plural = _("培训记录")
        ordering = ["-start_date", "-id"]

    def __str__(self):
        return self.title
