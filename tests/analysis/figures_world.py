"""A small world for the city analysis pages (大数据研判), every figure counted by hand in the
tests: the tree of tests/conftest.py ``make_tree`` (平顶山市 ─ 市委组织部, 宝丰县 ─ 城关镇, 叶县 ─ 昆阳街道;
the unit leader's scope is 宝丰县), six cadres, records, one published period, cards, rulings, a
clarification, pool entries, posts and selections. The period asked about is START..END."""
import datetime as dt
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from assessment import services as asvc
from assessment.models import (
    AssessmentPeriod,
    AssessmentResult,
    CardReason,
    Category,
    Clarification,
    PeriodStatus,
    Tier,
    ToleranceRuling,
    WarningCard,
)
from cadres.models import (
    Appointment,
    Cadre,
    CadreStatus,
    PerformanceRecord,
    PoliticalStatus,
    PostKind,
    PostLevel,
    Tag,
    TaskCategory,
)
from promotion.models import Industry, PoolCategory, PoolEntry, PromotionStep, ReservePool, Selection, StepSubject
from tests.conftest import make_people, make_tree
from tests.factories import CadreFactory, PostFactory

START, END = dt.date(2026, 1, 1), dt.date(2026, 6, 30)


def aware(day: dt.date, hour=10):
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))


def cadre(unit, name, *, gender, age=None, born=None, ethnicity="汉族", education=4, political=PoliticalStatus.CPC,
          status=CadreStatus.ACTIVE, young=False, existing=None):
    born = born or END - relativedelta(years=age)
    if existing is None:
        existing = CadreFactory(unit=unit, name=name)
    Cadre.objects.filter(pk=existing.pk).update(unit=unit, name=name, gender=gender, birth_date=born,
                                                ethnicity=ethnicity, fulltime_education=education,
                                                inservice_education=0, highest_education=education,
                                                political_status=political, status=status)
    c = Cadre.objects.get(pk=existing.pk)
    if young:
        c.tags.add(Tag.objects.get_or_create(name="优秀年轻干部")[0])
    return c


def build():
    tree = make_tree()
    people = make_people(tree)
    by = people.org_staff
    # ------------------------------------------------------------------ cadres (structure)
    a = cadre(tree.town_a, "甲", gender="M", age=30, young=True, existing=people.cadre_a)
    b = cadre(tree.town_b, "乙", gender="F", age=45, ethnicity="回族", education=5, political=PoliticalStatus.NONE,
              existing=people.cadre_b)
    c = cadre(tree.county_a, "丙", gender="F", age=40, education=3, political=PoliticalStatus.CPC_PROBATIONARY)
    d = cadre(tree.dept, "丁", gender="M", age=55)
    e = cadre(tree.town_a, "戊", gender="M", age=61, status=CadreStatus.RETIRED)
    f = cadre(tree.county_b, "己", gender="M", born=END - relativedelta(years=40) + dt.timedelta(days=1), young=True)
    # ------------------------------------------------------------------ records (archive)
    cat1, cat2 = TaskCategory.objects.order_by("order", "id")[:2]

    def record(who, unit, cat, day, status, points=None, **kw):
        return PerformanceRecord.objects.create(cadre=who, unit=unit, category=cat, title=f"{who.name}{day}",
                                                description="做法和成效", role="lead", start_date=day, status=status,
                                                points=points, **kw)

    r1 = record(a, tree.town_a, cat1, dt.date(2026, 2, 10), "verified", Decimal("5"))
    record(a, tree.town_a, cat1, dt.date(2026, 2, 20), "submitted")
    record(b, tree.town_b, cat2, dt.date(2026, 3, 5), "verified", Decimal("3"))
    record(c, tree.county_a, cat2, dt.date(2026, 3, 15), "returned")
    record(d, tree.dept, cat1, dt.date(2025, 12, 1), "verified", Decimal("2"))  # before the period
    record(a, tree.town_a, cat1, dt.date(2026, 2, 10), "verified", Decimal("4"), superseded_by=r1)  # replaced
    # ------------------------------------------------------------------ one published period (grades)
    tier, tier2 = Tier.objects.get(name="乡镇(街道)副职"), Tier.objects.get(name="县(市、区)副职")
    category = Category.objects.get(name="县(市、区)")
    scheme = asvc.scheme_publish(by=by, scheme=asvc.scheme_create(
        by=by, tier=tier, category=category, year=2026,
        indicators=[{"dimension": "political", "name": "政治品质", "weight": "100", "method": "rater",
                     "is_veto": True}]))
    period = AssessmentPeriod.objects.create(
        name="分析2026年度", kind="annual", year=2026, start_date=START, end_date=END,
        status=PeriodStatus.PUBLISHED, excellent_share=Decimal("50"), published_at=aware(dt.date(2026, 7, 1)))
    for who, unit, t, grade, composite in ((a, tree.town_a, tier, "1", 95), (c, tree.county_a, tier2, "2", 80),
                                           (b, tree.town_b, tier, "1", 92), (f, tree.county_b, tier, "3", 65),
                                           (d, tree.dept, tier2, "", None)):
        AssessmentResult.objects.create(period=period, cadre=who, unit=unit, tier=t, category=category, scheme=scheme,
                                        grade=grade, composite=composite)
    # ------------------------------------------------------------------ cards, rulings, clarifications (conduct)
    reason = CardReason.objects.first()

    def card(color, who, unit, start, end, status):
        return WarningCard.objects.create(color=color, cadre=who, unit=unit, reason=reason, facts="事实",
                                          issuing_body="市委组织部", start_date=start, end_date=end, status=status)

    card("yellow", a, tree.town_a, dt.date(2026, 2, 1), dt.date(2026, 8, 1), "issued")  # in force on END
    k2 = card("red", b, tree.town_b, dt.date(2026, 3, 10), dt.date(2027, 3, 10), "issued")  # cleared: not in force
    card("yellow", c, tree.county_a, dt.date(2026, 1, 5), dt.date(2026, 3, 5), "expired")  # over by END
    card("red", d, tree.dept, dt.date(2026, 2, 1), dt.date(2027, 2, 1), "proposed")  # not issued
    card("yellow", f, tree.county_b, dt.date(2025, 11, 1), dt.date(2026, 12, 1), "issued")  # issued before START
    Clarification.objects.create(cadre=b, source="investigator", report="反映", finding="查明", method="meeting",
                                 venue="会议", cleared_on=dt.date(2026, 4, 1), card=k2)
    t1 = ToleranceRuling.objects.create(cadre=a, unit=tree.town_a, applicant="unit", matter="事项一", loss="损失",
                                        conduct="表现")
    t2 = ToleranceRuling.objects.create(cadre=b, unit=tree.town_b, applicant="unit", matter="事项二", loss="损失",
                                        conduct="表现", status="decided", decision="full",
                                        decided_on=dt.date(2026, 5, 20))
    ToleranceRuling.objects.filter(pk=t1.pk).update(applied_at=aware(dt.date(2026, 4, 10)))
    ToleranceRuling.objects.filter(pk=t2.pk).update(applied_at=aware(dt.date(2026, 5, 1)))
    # ------------------------------------------------------------------ pool entries (pool)
    pool = ReservePool.objects.create(name="分析测试库", industry=Industry.objects.order_by("id").first(),
                                      category=PoolCategory.objects.order_by("id").first())

    def entry(who, status, nominated, admitted=None, removed=None, flagged=None):
        en = PoolEntry.objects.create(pool=pool, cadre=who, status=status, flagged_on=flagged,
                                      admitted_at=aware(admitted) if admitted else None,
                                      removed_at=aware(removed) if removed else None,
                                      removal_reason="不再符合条件" if removed else "")
        PoolEntry.objects.filter(pk=en.pk).update(nominated_at=aware(nominated))

    entry(a, "admitted", dt.date(2026, 2, 1), dt.date(2026, 2, 15))
    entry(c, "nominated", dt.date(2026, 3, 1))
    entry(b, "removed", dt.date(2026, 1, 10), dt.date(2026, 1, 20), dt.date(2026, 5, 5))
    entry(f, "admitted", dt.date(2025, 10, 1), dt.date(2025, 10, 15), flagged=dt.date(2026, 6, 1))
    # ------------------------------------------------------------------ posts (quota)
    long_ago = dt.date(2020, 1, 1)

    def post(unit, name, level, quota, holders, chief=False):
        p = PostFactory(unit=unit, name=name, kind=PostKind.PARTY_GOV_CHIEF if chief else PostKind.DEPUTY,
                        level=level, quota=quota, is_chief=chief)
        for h in holders:
            Appointment.objects.create(cadre=h, post=p, start_date=long_ago)
        return p

    post(tree.town_a, "镇党委书记", PostLevel.SECTION_CHIEF, 1, [a], chief=True)  # full
    post(tree.town_a, "副镇长", PostLevel.SECTION_DEPUTY, 3, [c, f])  # one free
    post(tree.county_b, "副县长", PostLevel.COUNTY_DEPUTY, 1, [b, d])  # one over
    p4 = post(tree.dept, "副部长", PostLevel.SECTION_DEPUTY, 2, [])  # two free
    Appointment.objects.create(cadre=e, post=p4, start_date=long_ago, end_date=END - dt.timedelta(days=1))  # ended
    # ------------------------------------------------------------------ selections (selection)
    def selection(unit, status, created, steps=()):
        s = Selection.objects.create(title=f"{unit.name}选任", unit=unit, status=status)
        Selection.objects.filter(pk=s.pk).update(created_at=aware(created))
        for action, day in steps:
            st = PromotionStep.objects.create(subject=StepSubject.SELECTION, subject_id=s.pk, action=action,
                                              unit=unit, by=by)
            PromotionStep.objects.filter(pk=st.pk).update(at=aware(day))
        return s

    selection(tree.town_a, "motion", dt.date(2026, 2, 1), [("motion", dt.date(2026, 2, 5)),
                                                           ("edit", dt.date(2026, 2, 6))])
    selection(tree.county_a, "inspect", dt.date(2026, 3, 1), [("recommend", dt.date(2026, 3, 10))])
    selection(tree.county_b, "done", dt.date(2026, 4, 1), [("appoint", dt.date(2026, 4, 20))])
    selection(tree.dept, "stopped", dt.date(2025, 12, 1), [("stop", dt.date(2025, 12, 20))])
    return {"tree": tree, "people": people, "period": period, "cats": (cat1.name, cat2.name)}
