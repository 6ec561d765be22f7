"""Demo family members (家庭成员及重要社会关系, the 任免审批表's table) for ``seed_demo``: 2–4 each
(spouse, children, parents: 称谓, name, birth date, 政治面貌, 工作单位及职务) for a few hundred demo
cadres spread over the city. A ``registry.demo_steps`` step (``cadres.hooks``): a city seeded before
this step existed gets them once (``present``). Deterministic (``data.SEED``); the rows are inserted
in bulk with their audit history."""
import datetime as dt
import random

from pingdingshan.core.audit import bulk_create_audited

from ..models import Cadre, CadreStatus, FamilyMember
from . import data as D

FAMILY_CADRES = 400  # at most

SPOUSE_JOBS = ["平顶山市第一人民医院护士", "宝丰县实验小学教师", "叶县人民医院医生", "平顶山学院教师",
               "国家税务总局平顶山市税务局干部", "中国银行平顶山分行职员", "平顶山天安煤业股份有限公司职工",
               "鲁山县财政局科员", "郏县第一高级中学教师", "舞钢市市场监督管理局干部", "汝州市妇幼保健院医生",
               "平顶山市新华区某商贸公司会计", "个体经营", "务农"]
ADULT_CHILD_JOBS = ["郑州市某科技公司工程师", "平顶山市某律师事务所律师", "宝丰县第一高级中学教师", "河南省人民医院医生",
                    "平顶山市湛河区某街道办事处科员", "中国建设银行郑州分行职员", "上海市某公司职员", "待业"]
STUDENT_SCHOOLS = ["郑州大学学生", "河南大学学生", "河南理工大学学生", "平顶山学院学生", "武汉大学学生"]
PUPIL_SCHOOLS = ["平顶山市第一中学学生", "平顶山市实验高中学生", "宝丰县实验小学学生", "叶县实验中学学生",
                 "平顶山市湛河区实验小学学生"]
PARENT_JOBS = ["退休", "务农", "平顶山市某机械厂退休职工", "宝丰县某小学退休教师", "叶县某乡镇卫生院退休医生"]


def present() -> bool:
    return FamilyMember.objects.exists()


def _given(rng, gender: str) -> str:
    chars = D.MALE_CHARS if gender == "M" else D.FEMALE_CHARS
    return rng.choice(chars) + (rng.choice(chars) if rng.random() < 0.7 else "")


def _surname(rng) -> str:
    return rng.choices([s for s, _w in D.SURNAMES], [w for _s, w in D.SURNAMES])[0]


def _born(rng, year: int) -> dt.date:
    return dt.date(year, rng.randint(1, 12), rng.randint(1, 28))


def _age(born: dt.date) -> int:
    return D.AS_OF.year - born.year - ((D.AS_OF.month, D.AS_OF.day) < (born.month, born.day))


def _status(rng, age: int, *, parent=False) -> str:
    if age < 14:
        return "13"
    if age <= 28 and not parent and rng.random() < 0.6:
        return "03"  # 共青团员
    return "01" if rng.random() < (0.45 if not parent else 0.35) else "13"


def _child_job(rng, age: int) -> str:
    if age < 6:
        return ""
    if age < 18:
        return rng.choice(PUPIL_SCHOOLS)
    if age < 23:
        return rng.choice(STUDENT_SCHOOLS)
    return rng.choice(ADULT_CHILD_JOBS)


def family_of(rng, cadre) -> list[FamilyMember]:
    """2–4 family members of ``cadre`` (unsaved), in the order the form lists them."""
    born, surname = cadre.birth_date, cadre.name[0]
    members = []
    if _age(born) >= 26:
        spouse_born = _born(rng, born.year + rng.randint(-2, 3))
        members.append(dict(relation="妻子" if cadre.gender == "M" else "丈夫",
                            name=_surname(rng) + _given(rng, "F" if cadre.gender == "M" else "M"),
                            birth_date=spouse_born, political_status=_status(rng, _age(spouse_born)),
                            work_unit_post=rng.choice(SPOUSE_JOBS) if _age(spouse_born) < 60 else "退休"))
    child_year = born.year + rng.randint(25, 32)
    for _n in range(rng.choice((1, 1, 2))):
        if child_year > D.AS_OF.year - 1:
            break
        child_born = _born(rng, child_year)
        son = rng.random() < 0.5
        members.append(dict(relation="儿子" if son else "女儿", name=surname + _given(rng, "M" if son else "F"),
                            birth_date=child_born, political_status=_status(rng, _age(child_born)),
                            work_unit_post=_child_job(rng, _age(child_born))))
        child_year += rng.randint(2, 6)
    for relation, gender in (("父亲", "M"), ("母亲", "F")):
        parent_born = _born(rng, born.year - rng.randint(23, 32))
        members.append(dict(relation=relation, name=(surname if gender == "M" else _surname(rng)) + _given(rng, gender),
                            birth_date=parent_born, political_status=_status(rng, _age(parent_born), parent=True),
                            work_unit_post="已去世" if _age(parent_born) > 86 else rng.choice(PARENT_JOBS)))
    members = members[:rng.randint(2, 4)]
    return [FamilyMember(cadre_id=cadre.pk, order=n, **m) for n, m in enumerate(members, start=1)]


def build(*, by) -> int:
    """Family members for up to ``FAMILY_CADRES`` cadres (not deceased), once; returns the rows written."""
    if present():
        return 0
    rng = random.Random(D.SEED + 13)
    cadres = list(Cadre.objects.exclude(status=CadreStatus.DECEASED).order_by("id_number")
                  .only("pk", "name", "gender", "birth_date"))
    chosen = sorted(rng.sample(range(len(cadres)), min(FAMILY_CADRES, len(cadres))))
    rows = [m for i in chosen for m in family_of(rng, cadres[i])]
    bulk_create_audited(FamilyMember, rows, by=by)
    return len(rows)
