"""Demo performance records (实绩档案) for ``seed_demo``: a few records per active cadre under the
seed's central tasks, in every workflow state, with points from the configured rules.

Bulk-inserted with their audit history; deterministic (``data.SEED``). Verified records get their
points as ``services.record_verify`` would (``services.points_basis`` with the preloaded rules). The
rows obey the services' rules: dates in the past, end ≥ start, a unit of measure with every
quantity, the unit at the time = the current post's unit, else the cadre's own.
"""
import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from cadres.models import Cadre, CadreStatus, PerformanceRecord, RecordStatus, TaskCategory
from cadres.services import points_basis, points_explained, points_rules
from pingdingshan.core import dates
from pingdingshan.core.audit import bulk_create_audited

from . import data as D

# category → [(title template, description template, quantity range or None, unit of measure)]
WORK = {
    "产业发展": [("培育{x}产业集群", "牵头制定{x}产业发展规划，引进上下游企业", (3, 20), "家"),
              ("推动{x}产业链延链补链", "组织专班对接重点企业，协调要素保障", (1, 12), "亿元")],
    "项目建设": [("推进{x}重点项目建设", "建立项目台账，实行周调度、月通报", (2, 15), "个"),
              ("完成{x}项目征迁工作", "入户做群众工作，依法依规完成征迁", (50, 600), "户")],
    "乡村振兴": [("推进{x}高标准农田建设", "统筹资金，组织施工和验收", (1, 5), "万亩"),
              ("发展{x}特色种植", "引进龙头企业，带动农户增收", (100, 900), "户")],
    "疫情防控": [("落实{x}疫情防控措施", "组织核酸检测和重点人员排查", (1, 30), "万人次")],
    "万人助万企": [("帮扶{x}企业纾困解难", "走访企业，协调解决融资、用工问题", (5, 60), "个")],
    "防范化解重大风险": [("化解{x}信访积案", "包案化解，逐案落实责任", (3, 40), "件")],
    "应急处置": [("组织{x}防汛抢险", "连续值守，转移安置受威胁群众", (100, 3000), "人")],
    "优化营商环境": [("推行{x}“一网通办”", "梳理事项清单，压缩办理时限", (20, 200), "项")],
    "创文保卫": [("推进{x}背街小巷改造", "组织排查整改，建立长效机制", (5, 80), "条")],
    "转型发展": [("推动{x}传统企业技术改造", "争取专项资金，推动设备更新", (1, 10), "亿元")],
}
STATES = [(RecordStatus.VERIFIED, 60), (RecordStatus.SUBMITTED, 18), (RecordStatus.RETURNED, 7),
          (RecordStatus.DRAFT, 15)]
RETURN_REASONS = ["佐证材料不足，请补充会议纪要或验收文件", "量化成果与佐证材料不一致，请核对", "本人角色填写不准确，请据实修改"]
ROLES = [("lead", 30), ("main", 45), ("participant", 25)]


def _pick(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def build_demo_records(*, by, as_of: dt.date | None = None, per_cadre: tuple[int, int] = (0, 4), log=None,
                       batch_size: int = 5000) -> int:
    """Create demo records for every active cadre; returns how many."""
    rng = random.Random(f"{D.SEED}-records")
    as_of = as_of or min(dates.today(), D.AS_OF)
    categories = {c.name: c for c in TaskCategory.objects.filter(is_active=True)}
    rules = points_rules()
    usable = [name for name in WORK if name in categories]
    if not usable:
        return 0
    now = timezone.now()
    total, batch = 0, []
    cadres = (Cadre.objects.filter(status=CadreStatus.ACTIVE).order_by("id")
              .values_list("id", "unit_id", "current_post__unit_id", "unit__name"))
    for cadre_id, unit_id, post_unit_id, unit_name in cadres.iterator(chunk_size=5000):
        for _ in range(rng.randint(*per_cadre)):
            name = rng.choice(usable)
            category = categories[name]
            title, description, qty, measure = rng.choice(WORK[name])
            start = as_of - dt.timedelta(days=rng.randint(20, 3 * 365))
            end = min(as_of, start + dt.timedelta(days=rng.randint(0, 240))) if rng.random() < 0.7 else None
            role = _pick(rng, ROLES)
            status = _pick(rng, STATES)
            place = unit_name.replace("平顶山市", "")
            record = PerformanceRecord(
                cadre_id=cadre_id, unit_id=post_unit_id or unit_id, category=category,
                title=title.format(x=place)[:200], description=description.format(x=place), role=role,
                start_date=start, end_date=end,
                quantity=Decimal(rng.randint(*qty)) if qty else None, quantity_unit=measure if qty else "",
                status=status, created_by=by,
            )
            if status != RecordStatus.DRAFT:
                record.submitted_by, record.submitted_at = by, now
            if status == RecordStatus.RETURNED:
                record.return_reason = rng.choice(RETURN_REASONS)
                record.reviewed_by, record.reviewed_at = by, now
            if status == RecordStatus.VERIFIED:
                record.base_points, record.points_basis = points_basis(record, rules)
                record.points_explanation = points_explained(record.points_basis)
                record.points = record.base_points
                record.reviewed_by, record.reviewed_at = by, now
            batch.append(record)
        if len(batch) >= batch_size:
            total += len(bulk_create_audited(PerformanceRecord, batch, by=by, batch_size=batch_size))
            batch = []
            if log:
                log(f"实绩记录：{total:,} 条")
    if batch:
        total += len(bulk_create_audited(PerformanceRecord, batch, by=by, batch_size=batch_size))
    return total

