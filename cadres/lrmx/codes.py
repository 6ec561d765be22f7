"""Coded fields of the .lrmx file. The file carries labels, not codes (LRMX.md, "Values"); we map
them to and from our own choices by label, accepting the usual variants of the national tools.
``None`` from a ``*_from_label`` function means an unknown label (refused by the import)."""
from ..models import Degree, EducationLevel, FamilyPoliticalStatus, Gender, HealthStatus

# GB 3304-91 民族 (the 56 names)
ETHNICITIES = (
    "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族", "满族", "侗族", "瑶族",
    "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族", "佤族", "畲族", "高山族", "拉祜族", "水族",
    "东乡族", "纳西族", "景颇族", "柯尔克孜族", "土族", "达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族", "毛南族",
    "仡佬族", "锡伯族", "阿昌族", "普米族", "塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族",
    "保安族", "裕固族", "京族", "塔塔尔族", "独龙族", "鄂伦春族", "赫哲族", "门巴族", "珞巴族", "基诺族",
)

GENDER_LABELS = {Gender.MALE: "男", Gender.FEMALE: "女"}
_GENDER = {"男": Gender.MALE, "女": Gender.FEMALE, "男性": Gender.MALE, "女性": Gender.FEMALE}

# GB/T 2261.3 健康状况: the label we write, and what we read
HEALTH_LABELS = {HealthStatus.GOOD: "健康", HealthStatus.FAIR: "一般", HealthStatus.CHRONIC: "有慢性病",
                 HealthStatus.DISABLED: "残疾"}
_HEALTH = {"健康": HealthStatus.GOOD, "良好": HealthStatus.GOOD, "健康或良好": HealthStatus.GOOD,
           "一般": HealthStatus.FAIR, "较弱": HealthStatus.FAIR, "一般或较弱": HealthStatus.FAIR,
           "有慢性病": HealthStatus.CHRONIC, "慢性病": HealthStatus.CHRONIC, "残疾": HealthStatus.DISABLED}

# 学历 as the 任免审批表 prints it (大学 for 大学本科, 大专 for 大学专科, …)
EDUCATION_LABELS = {EducationLevel.NONE: "", EducationLevel.HIGH_SCHOOL: "高中", EducationLevel.SECONDARY: "中专",
                    EducationLevel.COLLEGE: "大专", EducationLevel.BACHELOR: "大学",
                    EducationLevel.POSTGRADUATE: "研究生"}
_EDUCATION = {
    "": EducationLevel.NONE, "无": EducationLevel.NONE,
    "高中": EducationLevel.HIGH_SCHOOL, "高中及以下": EducationLevel.HIGH_SCHOOL, "初中": EducationLevel.HIGH_SCHOOL,
    "小学": EducationLevel.HIGH_SCHOOL, "职业高中": EducationLevel.HIGH_SCHOOL,
    "中专": EducationLevel.SECONDARY, "中等专科": EducationLevel.SECONDARY, "中技": EducationLevel.SECONDARY,
    "中等专业学校": EducationLevel.SECONDARY, "技工学校": EducationLevel.SECONDARY,
    "大专": EducationLevel.COLLEGE, "大学专科": EducationLevel.COLLEGE, "专科": EducationLevel.COLLEGE,
    "大学": EducationLevel.BACHELOR, "大学本科": EducationLevel.BACHELOR, "本科": EducationLevel.BACHELOR,
    "研究生": EducationLevel.POSTGRADUATE, "硕士研究生": EducationLevel.POSTGRADUATE,
    "博士研究生": EducationLevel.POSTGRADUATE, "研究生（硕士）": EducationLevel.POSTGRADUATE,
    "研究生（博士）": EducationLevel.POSTGRADUATE,
}

DEGREE_LABELS = {Degree.NONE: "", Degree.BACHELOR: "学士", Degree.MASTER: "硕士", Degree.DOCTOR: "博士"}
_DEGREE_SUFFIX = (("学士", Degree.BACHELOR), ("硕士", Degree.MASTER), ("博士", Degree.DOCTOR))

FAMILY_POLITICAL_LABELS = {c.value: str(c.label) for c in FamilyPoliticalStatus}
_FAMILY_POLITICAL = {
    **{"中共党员": "01", "中共预备党员": "02", "共青团员": "03", "民革党员": "04", "民盟盟员": "05", "民建会员": "06",
       "民进会员": "07", "农工党党员": "08", "致公党党员": "09", "九三学社社员": "10", "台盟盟员": "11",
       "无党派人士": "12", "群众": "13"},
    "党员": "01", "预备党员": "02", "团员": "03", "无党派": "12", "": "",
}


def gender_from_label(label: str):
    return _GENDER.get(label)


def health_from_label(label: str):
    return _HEALTH.get(label)


def education_from_label(label: str):
    return _EDUCATION.get(label)


def degree_from_label(label: str):
    """学士 / 硕士 / 博士, also with the discipline in front (工学学士, 法学硕士)."""
    if label in ("", "无"):
        return Degree.NONE
    for suffix, value in _DEGREE_SUFFIX:
        if label.endswith(suffix):
            return value
    return None


def family_political_from_label(label: str):
    return _FAMILY_POLITICAL.get(label)


def is_ethnicity(label: str) -> bool:
    return label in ETHNICITIES


# A school name ends at the first of these; what follows is the department and major.
SCHOOL_ENDS = ("大学", "学院", "党校", "学校", "研究院", "研究所", "科学院")


def split_school(text: str) -> tuple[str, str]:
    """"郑州大学法学" → ("郑州大学", "法学"): the file holds one 毕业院校系及专业 text, the roster a school
    and a major. Without a recognisable school name the whole text is the school."""
    text = (text or "").strip()
    best = None
    for end in SCHOOL_ENDS:
        i = text.find(end)
        if i > 0 and (best is None or i + len(end) < best):
            best = i + len(end)
    if best is None:
        return text, ""
    return text[:best], text[best:].strip()
