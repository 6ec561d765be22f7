"""The cadre page's 储备库 tab: every active pool with the cadre's entry (and its flag), whether the
cadre meets each criterion today (the eligibility sentences), the rank and score in the current
ranking and the rank over the done runs; unit leaders see it only for cadres of their units,
auditors read it."""
import datetime as dt

import pytest
from django.urls import reverse

from cadres.models import Cadre
from pingdingshan.core.dates import today
from promotion.models import (
    CriterionKind,
    Industry,
    PoolCategory,
    PoolCriterion,
    PoolEntry,
    RankingEntry,
    RankingRun,
    ReservePool,
)

pytestmark = pytest.mark.django_db


def _pool(name, *criteria, active=True):
    p = ReservePool.objects.create(name=name, industry=Industry.objects.order_by("id").first(),
                                   category=PoolCategory.objects.order_by("id").first(), is_active=active)
    for i, (kind, params) in enumerate(criteria):
        PoolCriterion.objects.create(pool=p, kind=kind, params=params, order=i)
    return p


def _tab(client, user, cadre):
    client.force_login(user)
    return client.get(reverse("cadres:cadre_detail", args=[cadre.pk]), {"tab": "reserve"})


@pytest.fixture
def world(cadre_a, cadre_b):
    Cadre.objects.filter(pk=cadre_a.pk).update(birth_date=today().replace(year=today().year - 40) - dt.timedelta(days=1))
    young = _pool("优秀年轻干部库", (CriterionKind.AGE, {"max": 35}))
    economy = _pool("经济发展·乡科级后备", (CriterionKind.AGE, {"max": 45}))
    _pool("停用的库", active=False)
    entry = PoolEntry.objects.create(pool=economy, cadre=cadre_a, status="admitted", flagged_on=today(),
                                     flag_reasons=["黄牌 2026-03-01 至 2026-08-31（推诿扯皮）：不得进入储备库 ✘"])
    old = RankingRun.objects.create(run_date=today() - dt.timedelta(days=1), status="done")
    RankingEntry.objects.create(run=old, pool=economy, entry=entry, cadre=cadre_a, rank=5, score=7000)
    run = RankingRun.objects.create(run_date=today(), status="done", is_current=True)
    RankingEntry.objects.create(run=run, pool=economy, entry=entry, cadre=cadre_a, rank=2, score=8650, previous_rank=5)
    other = PoolEntry.objects.create(pool=economy, cadre=cadre_b, status="admitted")
    RankingEntry.objects.create(run=run, pool=economy, entry=other, cadre=cadre_b, rank=1, score=9000)
    return young, economy


def test_the_tab_shows_every_active_pool_with_entry_checks_rank_and_chart(client, org_staff, cadre_a, world):
    young, economy = world
    r = _tab(client, org_staff, cadre_a)
    assert r.status_code == 200
    html = r.content.decode()
    assert "停用的库" not in html
    assert f'data-pool="{young.pk}" data-eligible="0"' in html and f'data-pool="{economy.pk}" data-eligible="1"' in html
    assert "年龄 40 岁 &gt; 35 岁 ✘" in html and "年龄 40 岁 ≤ 45 岁 ✔" in html
    assert "无不得进入储备库的情形 ✔" in html and "在职 ✔" in html
    assert "未提名" in html and "已入库" in html
    assert "不再符合条件" in html and "黄牌 2026-03-01 至 2026-08-31（推诿扯皮）：不得进入储备库 ✘" in html
    assert "第 2 名" in html and "/ 2" in html and "86.50 分" in html and "↑3" in html
    assert 'id="reserve-chart"' in html and "vendor/echarts/echarts.min.js" in html
    chart = r.context["reserve_chart"]
    assert chart["dates"] == [(today() - dt.timedelta(days=1)).isoformat(), today().isoformat()]
    assert chart["series"] == [{"name": "经济发展·乡科级后备", "data": [5, 2]}]


def test_the_tab_without_any_run_renders(client, org_staff, cadre_a):
    _pool("优秀年轻干部库", (CriterionKind.AGE, {"max": 35}))
    html = _tab(client, org_staff, cadre_a).content.decode()
    assert "尚无排名。" in html and "尚无排名记录。" in html and 'id="reserve-chart"' not in html


def test_unit_leaders_see_the_tab_for_cadres_of_their_units_only_and_auditors_read(
        client, leader, auditor, cadre_a, cadre_b, world):
    assert _tab(client, leader, cadre_a).status_code == 200
    assert _tab(client, leader, cadre_b).status_code == 404
    html = _tab(client, auditor, cadre_b).content.decode()
    assert "第 1 名" in html and "90.00 分" in html


def test_the_tab_in_english(client, org_staff, cadre_a, world):
    client.force_login(org_staff)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    r = client.get(reverse("cadres:cadre_detail", args=[cadre_a.pk]), {"tab": "reserve"})
    html = r.content.decode()
    assert "Age 40 ≤ 45 ✔" in html and "Rank 2" in html
