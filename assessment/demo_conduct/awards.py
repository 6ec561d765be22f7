"""Demo awards and selection campaigns, through the services (audited, validated), deterministic
(``ctx.rng``):

- 2025年度鹰城担当作为好干部评选, decided in January 2026: nominations by the counties within their
  quotas (宝丰县's by its unit leader), some left out with a reason, the winners awarded in one step,
  the others 未当选;
- 2026年度鹰城担当作为好干部评选, 推荐中: quotas per county, nominations with their verified records,
  one withdrawn;
- 2026 campaigns in the other states: 优秀共产党员 in its notice period, 优秀党务工作者 under review,
  人民满意担当作为先进单位 in preparation, and a cancelled 2025 one;
- direct awards (记功, 嘉奖, a unit's 人民满意担当作为先进单位), one of them revoked.

A cadre whom ``standing`` blocks from awards (a card the cards part issued) is skipped, as the
services would refuse them."""
import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from cadres.models import Cadre, CadreStatus, PerformanceRecord, RecordStatus, Unit

from ..models import AwardKind
from ..services import awards as svc

DEEDS = [
    "牵头推进高标准农田建设，带领群众完成土地整治{n}万亩，项目提前两个月通过验收。",
    "在防汛救灾中连续奋战{n}个昼夜，组织转移群众，辖区无一人伤亡。",
    "主动化解信访积案{n}件，推动建立矛盾纠纷多元化解机制，群众满意度明显提升。",
    "抓招商引资和项目建设，引进亿元以上项目{n}个，带动就业上千人。",
    "推进城乡人居环境整治，完成老旧小区改造{n}个，群众反映良好。",
    "在疫情防控和重大活动保障中敢于担当、冲锋在前，圆满完成{n}项急难险重任务。",
]
CITATIONS = {
    "记功": "在重大任务攻坚中成绩突出，经研究决定给予记功奖励。",
    "嘉奖": "工作成绩显著，经研究决定给予嘉奖。",
    "人民满意担当作为先进单位": "整体工作争先进位，群众满意度位居全市前列，授予“人民满意担当作为先进单位”称号。",
}
BODY = "中共平顶山市委 平顶山市人民政府"


def _day(ctx, d):
    """A fixed date, or the demo's today when that is earlier (a run before the date)."""
    return min(d, ctx.today)


def _counties():
    return list(Unit.objects.filter(depth=2, is_active=True, kind__in=("county", "district", "city", "zone"))
                .order_by("path"))


def _pool(ctx, county, taken, k):
    """Up to ``k`` active cadres of the county with verified records, not blocked from awards and not
    already picked, chosen by the demo's random generator."""
    ids = list(Cadre.objects.filter(status=CadreStatus.ACTIVE, unit__path__startswith=county.path,
                                    performance_records__status=RecordStatus.VERIFIED)
               .exclude(pk__in=taken).order_by("pk").values_list("pk", flat=True).distinct()[:300])
    ctx.rng.shuffle(ids)
    out = []
    for cadre in Cadre.objects.filter(pk__in=ids[:k * 3]).select_related("unit").order_by("pk"):
        if len(out) >= k:
            break
        if svc.award_block_reasons(cadre, ctx.today):
            continue
        out.append(cadre)
    taken.update(c.pk for c in out)
    return out


def _records(cadre, rng):
    rs = list(PerformanceRecord.objects.filter(cadre=cadre, status=RecordStatus.VERIFIED, superseded_by__isnull=True)
              .order_by("-start_date", "pk")[:3])
    return rs[:rng.randint(1, len(rs))] if rs else []


def _leader(county):
    """The demo's unit leader of the county (宝丰县: baofeng_leader), if any."""
    from pingdingshan.core.models import Role, RoleAssignment

    ra = RoleAssignment.objects.filter(role=Role.UNIT_LEADER, unit=county).select_related("user").first()
    return ra.user if ra is not None else None


def _nominate(ctx, campaign, county, cadres, n_rows):
    by = _leader(county) or ctx.by
    made = []
    for cadre in cadres:
        try:
            made.append(svc.nomination_create(by=by, campaign=campaign, cadre=cadre,
                                              deeds=ctx.rng.choice(DEEDS).format(n=ctx.rng.randint(2, 30)),
                                              records=_records(cadre, ctx.rng)))
        except ValidationError:
            continue
    n_rows[0] += len(made)
    return made


def _campaign(ctx, kind, year, name, quotas, **extra):
    c = svc.campaign_save(by=ctx.by, kind=kind, year=year, name=name, issuing_body=BODY, **extra)
    svc.campaign_set_quotas(by=ctx.by, campaign=c, quotas=quotas)
    return c


def build(ctx) -> int:
    kinds = {k.name: k for k in AwardKind.objects.all()}
    good = kinds.get("鹰城担当作为好干部")
    counties = _counties()
    if good is None or not counties:
        return 0
    rng, n = ctx.rng, [0]
    ctx.by = ctx.by or get_user_model().objects.filter(is_superuser=True).first()
    taken: set[int] = set()
    quotas = {c: 2 + (i % 2) for i, c in enumerate(counties)}

    # ---- 2025: decided in January 2026
    c25 = _campaign(ctx, good, 2025, "2025年度鹰城担当作为好干部评选", quotas,
                    note="按照市委关于激励干部担当作为的要求，在全市范围内评选表彰一批鹰城担当作为好干部。")
    svc.campaign_open(by=ctx.by, campaign=c25)
    nominations = []
    for county in counties[:8]:
        nominations += _nominate(ctx, c25, county, _pool(ctx, county, taken, quotas[county]), n)
    svc.campaign_close(by=ctx.by, campaign=c25)
    svc.campaign_save(by=ctx.by, campaign=c25, nomination_deadline=_day(ctx, dt.date(2025, 11, 30)))
    shortlisted = []
    for i, nom in enumerate(nominations):
        if i % 5 == 4:
            svc.nomination_reject(by=ctx.by, nomination=nom, reason="事迹材料不够具体，实绩支撑不足。")
        else:
            svc.nomination_shortlist(by=ctx.by, nomination=nom)
            shortlisted.append(nom)
    if shortlisted:
        svc.campaign_notice(by=ctx.by, campaign=c25, notice_start=_day(ctx, dt.date(2026, 1, 5)),
                            notice_end=_day(ctx, dt.date(2026, 1, 11)))
        winners = [nom.pk for i, nom in enumerate(shortlisted) if i % 3 != 2]
        try:
            svc.campaign_decide(by=ctx.by, campaign=c25, winners=winners, decided_on=_day(ctx, dt.date(2026, 1, 20)),
                                document_no="平发〔2026〕3号", issuing_body=BODY)
            n[0] += len(winners)
        except ValidationError:
            pass

    # ---- 2026: nominating
    c26 = _campaign(ctx, good, 2026, "2026年度鹰城担当作为好干部评选", quotas,
                    nomination_deadline=ctx.today + dt.timedelta(days=20))
    svc.campaign_open(by=ctx.by, campaign=c26)
    open_noms = []
    for county in counties[:6]:
        open_noms += _nominate(ctx, c26, county, _pool(ctx, county, taken, 1 + rng.randint(0, 1)), n)
    if open_noms:
        last = open_noms[-1]
        svc.nomination_withdraw(by=last.nominated_by or ctx.by, nomination=last, reason="本人事迹材料需进一步核实，暂不推荐。")

    # ---- 2026: the other states
    if "优秀共产党员" in kinds:
        cp = _campaign(ctx, kinds["优秀共产党员"], 2026, "2026年度优秀共产党员评选", {c: 1 for c in counties[:5]})
        svc.campaign_open(by=ctx.by, campaign=cp)
        noms = []
        for county in counties[:5]:
            noms += _nominate(ctx, cp, county, _pool(ctx, county, taken, 1), n)
        svc.campaign_close(by=ctx.by, campaign=cp)
        for nom in noms:
            svc.nomination_shortlist(by=ctx.by, nomination=nom)
        if noms:
            svc.campaign_notice(by=ctx.by, campaign=cp, notice_start=ctx.today - dt.timedelta(days=2),
                                notice_end=ctx.today + dt.timedelta(days=5))
    if "优秀党务工作者" in kinds:
        cw = _campaign(ctx, kinds["优秀党务工作者"], 2026, "2026年度优秀党务工作者评选", {c: 1 for c in counties[:4]})
        svc.campaign_open(by=ctx.by, campaign=cw)
        noms = []
        for county in counties[:4]:
            noms += _nominate(ctx, cw, county, _pool(ctx, county, taken, 1), n)
        svc.campaign_close(by=ctx.by, campaign=cw)
        if noms:
            svc.nomination_shortlist(by=ctx.by, nomination=noms[0])
    unit_kind = kinds.get("人民满意担当作为先进单位")
    if unit_kind is not None:
        _campaign(ctx, unit_kind, 2026, "2026年度人民满意担当作为先进单位评选", {c: 1 for c in counties},
                  note="筹备中：待市委审定评选方案后开始推荐。")
        cancelled = _campaign(ctx, unit_kind, 2025, "2025年度人民满意担当作为先进单位评选", {c: 1 for c in counties[:3]})
        svc.campaign_cancel(by=ctx.by, campaign=cancelled, reason="并入2025年度全市表彰大会统一评选，本活动取消。")
    n[0] += 6

    # ---- direct awards
    direct, direct_taken = [], set()
    for i, county in enumerate(counties[:10]):
        for cadre in _pool(ctx, county, direct_taken, 1):
            name = "记功" if i % 3 == 0 else "嘉奖"
            kind = kinds.get(name)
            if kind is None:
                continue
            day = _day(ctx, dt.date(2024 + i % 3, 3 + i % 9, 10 + i))
            try:
                direct.append(svc.award_create(by=ctx.by, kind=kind, cadre=cadre, year=day.year, awarded_on=day,
                                               issuing_body="中共平顶山市委组织部" if name == "嘉奖" else BODY,
                                               document_no=f"平组〔{day.year}〕{10 + i}号", citation=CITATIONS[name]))
            except ValidationError:
                continue
    if unit_kind is not None:
        towns = list(Unit.objects.filter(depth=3, is_active=True).order_by("path")[:40])
        for i, unit in enumerate(rng.sample(towns, min(2, len(towns)))):
            day = _day(ctx, dt.date(2025 + i, 2, 26))
            direct.append(svc.award_create(by=ctx.by, kind=unit_kind, unit=unit, year=day.year - 1 if i == 0 else day.year,
                                           awarded_on=day, issuing_body=BODY, document_no=f"平发〔{day.year}〕{5 + i}号",
                                           citation=CITATIONS["人民满意担当作为先进单位"]))
    commended = [a for a in direct if a.kind.name == "嘉奖"] or direct
    if commended:
        svc.award_revoke(by=ctx.by, award=commended[0], reason="经核查，所报事迹与实际不符，撤销嘉奖。",
                         on=_day(ctx, max(commended[0].awarded_on, ctx.today - dt.timedelta(days=30))))
    n[0] += len(direct)
    ctx.made["awards"] = direct
    return n[0]
