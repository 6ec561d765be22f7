"""Demo care records (关心关爱) for ``seed_demo``: for a few hundred serving demo cadres spread over
the city, the talks (谈心谈话) of the year, the year's paid leave, health check-ups (some with
personal health details), overtime with time off in lieu, and support for the cadres posted away
from home (异地交流). Some cadres get no talk or no check-up, and some have taken little leave, so
the reminders have something to show. A ``registry.demo_steps`` step (``cadres.hooks``): a city
seeded before this step existed gets them once (``present``). Deterministic (``data.SEED``); the
rows are inserted in bulk with their audit history."""
import datetime as dt
import random
from decimal import Decimal

from pingdingshan.core.audit import bulk_create_audited

from ..models import AwaySupport, Cadre, CadreStatus, HealthCheck, LeaveYear, OvertimeRecord, Talk, TalkKind
from . import data as D

CARE_CADRES = 300  # at most

TALKERS = ["市委组织部干部一科科长", "市委组织部副部长", "县委组织部部长", "单位党组书记", "单位主要负责同志", "分管领导"]
TOPICS = ["思想状况和工作情况，近期承担的重点任务进展", "家庭生活情况，子女入学和老人照护的实际困难",
          "任职以来的履职情况，对今后工作的打算", "身体状况和工作压力，合理安排工作与休息",
          "干部作风建设和廉洁自律要求", "对本单位班子建设和干部队伍建设的意见建议"]
FOLLOW_UPS = ["", "", "协调解决子女入学问题", "安排带薪休假", "帮助联系专家会诊", "反馈给单位党组研究"]
HOSPITALS = ["平顶山市第一人民医院", "平顶山市第二人民医院", "平煤神马医疗集团总医院", "宝丰县人民医院", "叶县人民医院"]
CONCLUSIONS = ["未见明显异常", "基本正常，建议定期复查", "血脂偏高，建议调整饮食", "建议进一步检查"]
DETAILS = ["总胆固醇6.2mmol/L，甘油三酯2.1mmol/L", "血压145/95mmHg，建议内科随诊", "甲状腺结节（TI-RADS 3类），半年后复查",
           "空腹血糖6.5mmol/L，建议内分泌科就诊"]
OVERTIME_REASONS = ["防汛值守", "重点项目推进", "疫情防控应急值班", "信访维稳", "森林防火值班", "迎接省级督查准备材料"]
HOSTS = ["鲁山县（对口交流）", "叶县（挂职锻炼）", "郏县（异地任职）", "舞钢市（对口交流）", "汝州市（挂职锻炼）"]
HOUSING = ["县委周转房一套", "单位租赁公寓", "干部公寓（单人间）"]


def present() -> bool:
    return Talk.objects.exists()


def _day(rng, year: int, last: dt.date) -> dt.date:
    start = dt.date(year, 1, 1)
    return start + dt.timedelta(days=rng.randint(0, (last - start).days))


def _entitled(cadre) -> int:
    years = D.AS_OF.year - cadre.work_start_date.year if cadre.work_start_date else 10
    return 5 if years < 10 else 10 if years < 20 else 15


def build(*, by) -> int:
    """Care records for up to ``CARE_CADRES`` serving cadres, once; returns the rows written."""
    if present():
        return 0
    rng = random.Random(D.SEED + 17)
    year, last = D.AS_OF.year, D.AS_OF
    cadres = list(Cadre.objects.filter(status=CadreStatus.ACTIVE).order_by("id_number")
                  .only("pk", "work_start_date"))
    chosen = [cadres[i] for i in sorted(rng.sample(range(len(cadres)), min(CARE_CADRES, len(cadres))))]
    talks, leave, checks, overtime, away = [], [], [], [], []
    for c in chosen:
        for _n in range(rng.choice((0, 1, 1, 2))):
            follow_up = rng.choice(FOLLOW_UPS)
            talks.append(Talk(cadre_id=c.pk, held_on=_day(rng, year, last), talked_by=rng.choice(TALKERS),
                              kind=rng.choice((TalkKind.HEART, TalkKind.HEART, TalkKind.APPOINTMENT)),
                              topics=rng.choice(TOPICS), follow_up=follow_up,
                              follow_up_done=bool(follow_up) and rng.random() < 0.5))
        entitled = _entitled(c)
        leave.append(LeaveYear(cadre_id=c.pk, year=year, entitled_days=entitled,
                               taken_days=rng.randint(0, entitled)))
        if rng.random() < 0.7:
            conclusion = rng.choice(CONCLUSIONS)
            checks.append(HealthCheck(cadre_id=c.pk, checked_on=_day(rng, year, last), organiser=rng.choice(HOSPITALS),
                                      conclusion=conclusion,
                                      details="" if conclusion == CONCLUSIONS[0] else rng.choice(DETAILS)))
        for _n in range(rng.choice((0, 0, 1, 2))):
            hours = Decimal(rng.choice((3, 4, 6, 8, 10)))
            worked = _day(rng, year, last - dt.timedelta(days=14))
            taken = worked + dt.timedelta(days=rng.randint(3, 14)) if rng.random() < 0.6 else None
            overtime.append(OvertimeRecord(cadre_id=c.pk, worked_on=worked, hours=hours,
                                           reason=rng.choice(OVERTIME_REASONS),
                                           time_off_days_granted=Decimal("1") if hours >= 8 else Decimal("0.5"),
                                           time_off_taken_on=taken))
        if rng.random() < 0.08:
            start = last - dt.timedelta(days=rng.randint(30, 900))
            away.append(AwaySupport(cadre_id=c.pk, host=rng.choice(HOSTS), start_date=start,
                                    housing=rng.choice(HOUSING), travel_home_per_year=rng.choice((12, 24, 26)),
                                    note="每月报销往返交通费用"))
    n = 0
    for model, rows in ((Talk, talks), (LeaveYear, leave), (HealthCheck, checks), (OvertimeRecord, overtime),
                        (AwaySupport, away)):
        for row in rows:  # the rules the services check (a demo row is valid data)
            row.full_clean(exclude=["cadre"], validate_unique=False, validate_constraints=False)
        bulk_create_audited(model, rows, by=by)
        n += len(rows)
    return n
