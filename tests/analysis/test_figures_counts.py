"""City analysis figures (大数据研判) against the hand-counted world of ``figures_world``: each page's
tables for org staff (the whole city), the unit leader of 宝丰县 (their subtree only), the auditor
(the same as org staff) and a user without a role (nothing); the unit filter narrows to a subtree."""
import datetime as dt
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta

from analysis.services.figures import PAGES, Params
from cadres.models import PerformanceRecord
from tests.conftest import rolled_back

from .figures_world import END, START, build


@pytest.fixture(scope="module")
def w(django_db_setup, django_db_blocker):
    with rolled_back(django_db_blocker, build) as value:
        yield value


def figs(user, slug, **kw):
    kw.setdefault("start", START)
    kw.setdefault("end", END)
    return PAGES[slug][1](user, Params(**kw))


def rows(fig, key):
    return {r[0]: r[1:] for r in fig.table(key).rows}


def test_every_page_is_registered_in_the_menu_order():
    assert list(PAGES) == ["structure", "archive", "grades", "conduct", "pool", "quota", "selection"]


# --------------------------------------------------------------------------- structure
def test_structure_counts_the_active_cadres_by_kind_and_county(w, db):
    f = figs(w["people"].org_staff, "structure")
    # columns: 干部数, <40, 40-49, 50-54, ≥55, 女, 少数民族, 研究生, 大学本科, 专科及以下, 党员, 优秀年轻干部, 占比
    kinds = rows(f, "by_kind")
    assert kinds["县"] == [2, 1, 1, 0, 0, 1, 0, 0, 1, 1, 2, 1, Decimal("50.0")]  # 丙 (exactly 40), 己 (a day short)
    assert kinds["镇"] == [1, 1, 0, 0, 0, 0, 0, 0, 1, 0, 1, 1, Decimal("100.0")]  # 甲; 戊 retired: out
    assert kinds["街道"] == [1, 0, 1, 0, 0, 1, 1, 1, 0, 0, 0, 0, Decimal("0.0")]
    assert kinds["市委部门"] == [1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0, Decimal("0.0")]
    assert kinds["合计"] == [5, 2, 2, 0, 1, 2, 1, 1, 3, 1, 4, 2, Decimal("40.0")]
    assert f.table("by_kind").total
    counties = rows(f, "by_county")
    assert {k: v[0] for k, v in counties.items()} == {"宝丰县": 2, "叶县": 2, "市直及其他": 1}
    assert rows(f, "ages") == {"<40": [2], "40-49": [2], "50-54": [0], "≥55": [1]}


def test_structure_for_the_unit_leader_counts_their_subtree_only(w, db):
    f = figs(w["people"].leader, "structure")
    assert rows(f, "by_kind")["合计"][:2] == [2, 1]  # 丙 and 甲
    assert list(rows(f, "by_county")) == ["宝丰县"]
    assert rows(figs(w["people"].auditor, "structure"), "by_kind") == rows(figs(w["people"].org_staff, "structure"),
                                                                          "by_kind")
    assert figs(w["people"].no_role_user, "structure").table("by_kind").rows == []


def test_the_unit_filter_narrows_to_a_subtree(w, db):
    f = figs(w["people"].org_staff, "structure", unit=w["tree"].county_b)
    assert rows(f, "by_kind")["合计"][0] == 2
    assert list(rows(f, "by_county")) == ["叶县"]


# --------------------------------------------------------------------------- archive
def test_archive_counts_records_by_task_unit_and_month(w, db):
    cat1, cat2 = w["cats"]
    f = figs(w["people"].org_staff, "archive")
    # columns: 记录数, 已核实, 已提交, 已退回, 草稿, 已核实实绩分 — the replaced record and December's left out
    cats = rows(f, "by_category")
    assert cats[cat1] == [2, 1, 1, 0, 0, Decimal("5")]
    assert cats[cat2] == [2, 1, 0, 1, 0, Decimal("3")]
    assert {k: v[0] for k, v in rows(f, "by_unit").items()} == {"宝丰县": 3, "叶县": 1}
    assert {k: v[0] for k, v in rows(f, "by_month").items()} == {"2026-02": 2, "2026-03": 2}
    mine = rows(figs(w["people"].leader, "archive"), "by_unit")
    assert {k: v[0] for k, v in mine.items()} == {"宝丰县": 1, "城关镇": 2}  # the root itself, then its children
    everything = figs(w["people"].org_staff, "archive", start=dt.date(2020, 1, 1), end=None)
    assert rows(everything, "by_unit")["市委组织部"][0] == 1


def test_archive_without_a_period_counts_the_last_twelve_months_and_says_so(w, db):
    from analysis.services.figures.archive import DEFAULT_MONTHS
    from pingdingshan.core.dates import today

    day = today()
    start = day - relativedelta(months=DEFAULT_MONTHS) + dt.timedelta(days=1)
    f = figs(w["people"].org_staff, "archive", start=None, end=None)
    assert dict(f.params) == {"开始日期": start.isoformat(), "结束日期": day.isoformat()}
    counted = sum(v[0] for v in rows(f, "by_month").values())
    assert counted == sum(1 for r in PerformanceRecord.objects.filter(superseded_by__isnull=True)
                          if start <= r.start_date <= day)


# --------------------------------------------------------------------------- grades
def test_grades_by_unit_tier_and_category_and_the_cap(w, db):
    f = figs(w["people"].org_staff, "grades", period=w["period"])
    # columns: 人数, 优秀, 称职, 基本称职, 不称职, 未定等次, 优秀率
    tiers = rows(f, "by_tier")
    assert tiers["乡镇(街道)副职"] == [3, 2, 0, 1, 0, 0, Decimal("66.7")]
    assert tiers["县(市、区)副职"] == [2, 0, 1, 0, 0, 1, Decimal("0.0")]
    units = rows(f, "by_unit")
    assert units["宝丰县"][:3] == [2, 1, 1] and units["叶县"][:4] == [2, 1, 0, 1] and units["市委组织部"][5] == 1
    assert rows(f, "by_category")["县(市、区)"][:2] == [5, 2]
    cap = rows(f, "cap")  # 参评人数, 优秀名额 (floor of 50 %), 优秀, 剩余
    assert cap["乡镇(街道)副职 · 县(市、区)"] == [3, 1, 2, -1]
    assert cap["县(市、区)副职 · 县(市、区)"] == [1, 0, 0, 0]
    assert figs(w["people"].org_staff, "grades").params[-1][1] == "分析2026年度"  # the default: the newest


def test_grades_with_a_unit_chosen_the_tables_narrow_and_the_cap_stays_the_citys(w, db):
    whole = figs(w["people"].org_staff, "grades", period=w["period"])
    f = figs(w["people"].org_staff, "grades", period=w["period"], unit=w["tree"].county_b)
    assert sum(v[0] for k, v in rows(f, "by_tier").items() if k != "合计") == rows(whole, "by_unit")["叶县"][0]
    assert rows(f, "cap") == rows(whole, "cap")  # 不受所选单位限制
    assert rows(figs(w["people"].auditor, "grades", period=w["period"]), "cap") == rows(whole, "cap")


def test_grades_for_the_unit_leader_their_results_and_no_cap(w, db):
    f = figs(w["people"].leader, "grades")
    assert {k: v[:2] for k, v in rows(f, "by_tier").items()} == {
        "乡镇(街道)副职": [1, 1], "县(市、区)副职": [1, 0], "合计": [2, 1]}
    assert "cap" not in [t.key for t in f.tables]
    assert "cap" in [t.key for t in figs(w["people"].auditor, "grades").tables]


# --------------------------------------------------------------------------- conduct
def test_conduct_by_month_and_unit(w, db):
    f = figs(w["people"].org_staff, "conduct")
    # by_month: 黄牌, 红牌, 容错申请, 予以容错, 部分容错, 不予容错, 澄清正名
    assert rows(f, "by_month") == {"2026-01": [1, 0, 0, 0, 0, 0, 0], "2026-02": [1, 0, 0, 0, 0, 0, 0],
                                   "2026-03": [0, 1, 0, 0, 0, 0, 0], "2026-04": [0, 0, 1, 0, 0, 0, 1],
                                   "2026-05": [0, 0, 1, 1, 0, 0, 0]}
    # by_unit: 发黄牌, 发红牌, 在期黄牌, 在期红牌, 容错申请, 予以, 部分, 不予, 在办, 澄清正名
    units = rows(f, "by_unit")
    assert units["宝丰县"] == [2, 0, 1, 0, 1, 0, 0, 0, 1, 0]
    assert units["叶县"] == [0, 1, 1, 0, 1, 1, 0, 0, 0, 1]  # the red card is cleared: not in force
    assert "市委组织部" not in units  # its card is only proposed
    assert list(rows(figs(w["people"].leader, "conduct"), "by_unit")) == ["宝丰县", "城关镇", "合计"]


# --------------------------------------------------------------------------- pool
def test_pool_sizes_and_movement(w, db):
    f = figs(w["people"].org_staff, "pool")
    assert rows(f, "by_pool")["分析测试库"][1:] == [2, 1, 1]  # 已入库, 已提名, 不再符合条件
    assert rows(f, "by_month") == {"2026-01": [1, 1, 0, 1], "2026-02": [1, 1, 0, 1], "2026-03": [1, 0, 0, 0],
                                   "2026-05": [0, 0, 1, -1]}
    units = rows(f, "by_unit")  # 已入库, 已提名, 不再符合条件, 期间提名, 期间入库, 期间移出
    assert units["宝丰县"] == [1, 1, 0, 2, 1, 0] and units["叶县"] == [1, 0, 1, 1, 1, 1]
    assert rows(figs(w["people"].leader, "pool"), "by_pool")["分析测试库"][1:] == [1, 1, 0]


# --------------------------------------------------------------------------- quota
def test_quota_places_holders_vacancies_and_over(w, db):
    f = figs(w["people"].org_staff, "quota")
    # columns: 职务数, 职数, 在任, 空缺, 超职数, 使用率
    units = rows(f, "by_unit")
    assert units["宝丰县"] == [2, 4, 3, 1, 0, Decimal("75.0")]
    assert units["叶县"] == [1, 1, 2, 0, 1, Decimal("100.0")]
    assert units["市委组织部"] == [1, 2, 0, 2, 0, Decimal("0.0")]  # the ended appointment does not count
    levels = rows(f, "by_level")
    assert levels["乡科级副职"][:4] == [2, 5, 2, 3] and levels["合计"][:5] == [4, 7, 5, 3, 1]
    assert list(rows(figs(w["people"].leader, "quota"), "by_unit")) == ["城关镇"]


def test_quota_rank_quotas_used_by_the_active_holders_of_each_unit(w, db):
    from cadres.models import Cadre, Rank, RankQuota
    from cadres.selectors import rank_usage, rank_usage_by_unit

    t = w["tree"]
    r1, r2 = Rank.objects.order_by("order")[:2]
    Cadre.objects.filter(name__in=["甲", "戊", "丙"]).update(current_rank=r1)  # 戊 is retired: not counted
    RankQuota.objects.create(unit=t.town_a, rank=r1, quota=2)  # 城关镇: 甲 → 1 used, 1 free
    RankQuota.objects.create(unit=t.county_a, rank=r1, quota=0)  # 宝丰县: 丙 → 1 over
    RankQuota.objects.create(unit=t.town_b, rank=r2, quota=1)  # 昆阳街道: 乙 holds no rank → 1 free
    # columns: 单位数, 职数, 在用, 空余, 超职数, 使用率 ((在用 − 超职数) / 职数)
    ranks = rows(figs(w["people"].org_staff, "quota"), "by_rank")
    assert ranks == {r1.name: [2, 2, 2, 1, 1, Decimal("50.0")], r2.name: [1, 1, 0, 1, 0, Decimal("0.0")],
                     "合计": [3, 3, 2, 2, 1, Decimal("33.3")]}
    assert rows(figs(w["people"].leader, "quota"), "by_rank") == {
        r1.name: [2, 2, 2, 1, 1, Decimal("50.0")], "合计": [2, 2, 2, 1, 1, Decimal("50.0")]}
    assert rows(figs(w["people"].org_staff, "quota", unit=t.county_b), "by_rank") == {  # 叶县 ─ 昆阳街道
        r2.name: [1, 1, 0, 1, 0, Decimal("0.0")], "合计": [1, 1, 0, 1, 0, Decimal("0.0")]}
    # the one definition: the single unit's count is the set-based one's
    many = rank_usage_by_unit(units=[t.town_a.pk, t.county_a.pk, t.town_b.pk])
    assert many[t.town_a.pk] == rank_usage(unit=t.town_a) and many[t.town_a.pk][r1.pk] == 1
    assert many[t.town_b.pk] == {None: 1} == rank_usage(unit=t.town_b)


# --------------------------------------------------------------------------- selection
def test_selection_by_step_unit_and_month(w, db):
    f = figs(w["people"].org_staff, "selection")
    status = rows(f, "by_status")
    assert (status["分析研判和动议"], status["考察"], status["已完成"], status["已终止"]) == ([1], [1], [1], [0])
    month = f.table("by_month")
    got = {r[0]: {month.columns[i]: v for i, v in enumerate(r) if i and v} for r in month.rows}
    assert got == {"2026-02": {"登记动议": 1}, "2026-03": {"登记民主推荐": 1}, "2026-04": {"登记任职": 1}}
    mine = rows(figs(w["people"].leader, "selection"), "by_unit")
    assert {k: v[0] for k, v in mine.items()} == {"宝丰县": 1, "城关镇": 1, "合计": 2}
