"""Demo reserve pools for ``seed_demo`` (a ``registry.demo_steps`` step after the postings,
registered in ``promotion/hooks.py``): pools of the demo city by industry and category with their
criteria and weights, written through ``promotion/services/pools.py``; cadres nominated from each
pool's eligible candidates (``eligibility``, as the candidates page lists them) and most of them
admitted, a few left nominated, one removed with its reason (``entries.py``); then two ranking
runs (``runs.ranking_run``): yesterday's, and today's after a few more admissions, a removal and
an evaluated posting — so the pages show movement (↑, ↓, 新进, 移出). Deterministic
(``cadres.demo.data.SEED``)."""
import datetime as dt
import random

from cadres.demo import data as D
from cadres.models import PostLevel
from pingdingshan.core.dates import today

# (name, industry, category, weights (composite, points, awards, frontline, cards), criteria)
POOLS = [
    ("经济发展·县处级副职后备", "经济发展", "县处级副职后备", (40, 30, 10, 10, 10), [
        {"kind": "age", "params": {"max": 50}},
        {"kind": "level", "params": {"min_level": PostLevel.SECTION_CHIEF}},
        {"kind": "grades", "params": {"years": 2, "min_grade": 2}},
    ]),
    ("农业农村·乡科级后备", "农业农村", "乡科级后备", (35, 35, 10, 15, 5), [
        {"kind": "age", "params": {"max": 45}},
        {"kind": "level", "params": {"min_level": PostLevel.SECTION_DEPUTY}},
    ]),
    ("党建党务·优秀年轻干部", "党建党务", "优秀年轻干部", (30, 30, 10, 20, 10), [
        {"kind": "age", "params": {"max": 40}},
    ]),
    ("政法·县处级正职后备", "政法", "县处级正职后备", (45, 25, 15, 5, 10), [
        {"kind": "age", "params": {"max": 55}},
        {"kind": "level", "params": {"min_level": PostLevel.COUNTY_DEPUTY}},
        {"kind": "years_at_level", "params": {"years": 2}},
    ]),
    ("城建交通·乡科级后备", "城建交通", "乡科级后备", (40, 30, 10, 10, 10), [
        {"kind": "age", "params": {"max": 45}},
        {"kind": "points", "params": {"years": 3, "min": 1}},
    ]),
]
PER_POOL = 24  # nominated from each pool's candidates
LATER = 3  # of them admitted only between the two runs (新进 in today's)


def present() -> bool:
    from .models import ReservePool

    return ReservePool.objects.exists()


def build(*, by) -> int:
    from .models import EntryStatus, FrontlinePosting, Industry, PoolCategory, PoolEntry, PostingStatus, RankingEntry, RunTrigger
    from .services import entries as entry_svc
    from .services import pools as pool_svc
    from .services import postings as posting_svc
    from .services.eligibility import eligibility
    from .services.runs import ranking_run

    if present():
        return 0
    rng = random.Random(D.SEED + 13)
    day = today()
    industries = {i.name: i for i in Industry.objects.all()}
    categories = {c.name: c for c in PoolCategory.objects.all()}
    n = 0
    later = []
    for order, (name, industry, category, weights, criteria) in enumerate(POOLS):
        if industry not in industries or category not in categories:
            continue
        fields = dict(zip(("weight_composite", "weight_points", "weight_awards", "weight_frontline", "weight_cards"),
                          weights, strict=True))
        pool = pool_svc.pool_save(by=by, fields={
            "name": name, "industry": industries[industry], "category": categories[category], "order": order,
            "description": f"{industry}领域{category}，按实绩择优排序，每晚更新排名。", **fields}, criteria=criteria)
        n += 1
        eligible = sorted(eligibility(pool, details=False).eligible_ids)
        rng.shuffle(eligible)
        chosen = eligible[:PER_POOL]
        if not chosen:
            continue
        made = entry_svc.entry_nominate(by=by, pool=pool, cadres=chosen, note="组织部综合研判推荐，实绩突出。")
        n += len(made)
        # the last two stay nominated; in every other pool the LATER before them wait for today
        waiting = LATER if order % 2 == 0 else 0
        for i, entry in enumerate(made[:-2]):
            if i < len(made) - 2 - waiting:
                entry_svc.entry_admit(by=by, entry=entry, reason="经部务会研究，同意入库。")
            else:
                later.append(entry)
        if order == 0:  # one removed at once, with its reason (kept on the pool's 已移出 tab)
            first = PoolEntry.objects.filter(pool=pool, status=EntryStatus.ADMITTED).order_by("pk").first()
            entry_svc.entry_remove(by=by, entry=first, reason="已提拔任用，调出储备库。")

    if not n:
        return 0
    first = ranking_run(by=by, on=day - dt.timedelta(days=1), trigger=RunTrigger.COMMAND)
    # Between the runs: more admitted in every other pool (新进, the others ↓), yesterday's first of
    # the other pools promoted and removed (移出, the others ↑), a posting evaluated 优秀.
    for entry in later:
        entry_svc.entry_admit(by=by, entry=entry, reason="经部务会研究，同意入库。")
    for ranked in (RankingEntry.objects.filter(run=first, rank=1).select_related("entry").order_by("pool_id")):
        if ranked.pool_id not in {e.pool_id for e in later} and ranked.entry.status == EntryStatus.ADMITTED:
            entry_svc.entry_remove(by=by, entry=ranked.entry, reason="已提拔任用，调出储备库。")
    _yellow_card(by, day, later)
    cadres = set(PoolEntry.objects.filter(status=EntryStatus.ADMITTED).values_list("cadre_id", flat=True))
    running = (FrontlinePosting.objects.filter(status=PostingStatus.APPROVED, cadre_id__in=cadres,
                                               start_date__lt=day).order_by("pk")[:2])
    for posting in running:
        posting_svc.posting_close(by=by, posting=posting, evaluation="excellent",
                                  remarks="驻村期间带领群众发展特色产业，成效明显。", evaluated_on=day)
    ranking_run(by=by, on=day, trigger=RunTrigger.COMMAND)
    return n + 2


def _yellow_card(by, day, later) -> None:
    """A yellow card issued today to an admitted cadre of a pool that had admissions: ``standing``
    blocks "pool", so today's run flags the entry and leaves it unranked."""
    from assessment.models import CardReason
    from assessment.services import cards

    from .models import EntryStatus, PoolEntry

    reason = CardReason.objects.filter(is_active=True).order_by("order", "pk").first()
    pools = sorted({e.pool_id for e in later})
    entry = (PoolEntry.objects.filter(pool_id__in=pools[1:2], status=EntryStatus.ADMITTED).select_related("cadre")
             .order_by("-pk").first())
    if reason is None or entry is None:
        return
    card = cards.card_create(by=by, cadre=entry.cadre, color="yellow", reason=reason,
                             facts="承担的重点项目推进迟缓，多次督办仍未按期完成。", issuing_body="中共平顶山市委组织部",
                             start_date=day)
    cards.card_issue(by=by, card=card, reason="经核实，事实清楚。")
