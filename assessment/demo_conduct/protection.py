"""Demo protection (容错纠错) for ``seed_demo``, after the cards: risk filings (filed and
acknowledged), tolerance rulings in every state (one a full tolerance that revokes a demo card,
several linked to a filing as 事前已报备) and clarifications (one revoking a card, malicious ones
pending and handed over). Written through ``assessment/services/protection.py``; deterministic
(``ctx.rng``)."""
import datetime as dt

from cadres.models import Cadre, CadreStatus

from ..models import CardStatus, WarningCard
from ..services import protection as svc

MATTERS = [
    ("招商引资项目前期投入", "前期考察、论证费用约 38 万元未能收回", "为引进产业项目多次外出对接，程序完备，未谋私利",
     "项目最终未落地，前期投入可能无法收回", "分阶段拨付、第三方评估、党委会集体研究"),
    ("老旧小区改造先行先试", "部分楼栋工期延误两个月，群众有意见", "主动担当，边干边改，及时向群众说明情况",
     "新工艺首次使用，工期和质量存在不确定性", "试点一个楼栋、邀请专家论证、签订质保协议"),
    ("农村集体经济入股合作社", "合作社经营亏损，集体资金损失约 12 万元", "按村民代表大会决议执行，积极追偿",
     "市场价格波动可能导致亏损", "村民代表大会表决、资金分期投入、定期审计"),
    ("应急物资紧急采购", "采购价格高于市场平均价约 8%", "疫情期间为保障供应紧急采购，事后主动说明",
     "紧急情况下无法充分比价", "集体研究、全程留痕、事后审计"),
    ("土地流转规模经营试点", "流转费用兑付延迟，引发信访", "牵头协调化解，主动垫付部分费用",
     "经营主体违约风险", "履约保证金、风险准备金、合同备案"),
    ("营商环境容缺受理改革", "一家企业材料事后补正不全，审批被撤回", "推行容缺受理改革，及时纠正",
     "容缺受理后企业不能按期补正", "书面承诺、限期补正、跟踪督办"),
    ("河道综合治理工程", "工程变更增加投资约 60 万元", "根据汛期实际情况变更方案，程序合规",
     "汛期施工存在安全和投资风险", "专家论证、分段施工、监理全程旁站"),
]
REVIEWERS = "市纪委监委、市委组织部、县委办、县司法局"


def _cadres(ctx, n):
    ids = list(Cadre.objects.filter(status=CadreStatus.ACTIVE).order_by("pk").values_list("pk", flat=True)[:2000])
    if not ids:
        return []
    picked = ctx.rng.sample(ids, min(n, len(ids)))
    by_id = Cadre.objects.select_related("unit").in_bulk(picked)
    return [by_id[i] for i in picked]


def _cards(ctx):
    """Issued cards of earlier parts (``ctx.made["cards"]``), else from the database, oldest first."""
    made = [c for c in (ctx.made.get("cards") or []) if isinstance(c, WarningCard)]
    ids = [c.pk for c in made] or list(WarningCard.objects.filter(status__in=(CardStatus.ISSUED, CardStatus.UPHELD))
                                       .order_by("pk").values_list("pk", flat=True)[:50])
    cards = WarningCard.objects.select_related("cadre", "cadre__unit").filter(
        pk__in=ids, status__in=(CardStatus.ISSUED, CardStatus.UPHELD)).order_by("pk")
    return [c for c in cards if not c.rulings.exists() and not c.clarifications.exists()]


def build(ctx) -> int:
    by, day = ctx.by, ctx.today
    cadres = _cadres(ctx, 12)
    if len(cadres) < 10:
        return 0
    cards = _cards(ctx)
    n = 0

    # risk filings: one per matter, for the first cadres; the older ones acknowledged
    filings = []
    for i, (matter, _loss, _conduct, risk, measures) in enumerate(MATTERS[:5]):
        cadre = cadres[i]
        filed_on = day - dt.timedelta(days=200 - 25 * i)
        filing = svc.filing_create(by=by, unit=cadre.unit, cadre=cadre, matter=matter, risk=risk, measures=measures,
                                   filed_on=filed_on, decision_date=filed_on + dt.timedelta(days=7))
        if i < 3:
            filing = svc.filing_acknowledge(by=by, filing=filing, reason="已备案，请按措施落实")
        filings.append(filing)
        n += 1
    extra = svc.filing_create(by=by, unit=cadres[9].unit, matter="新建产业园区基础设施融资", risk="融资成本和偿债风险",
                              measures="财政评审、分期建设、纳入债务监测", filed_on=day - dt.timedelta(days=10),
                              decision_date=day + dt.timedelta(days=20))
    filings.append(extra)
    n += 1
    ctx.made["filings"] = filings

    # tolerance rulings, one in each state
    criteria = dict(unforeseen=True, unforeseen_facts="属于改革创新、先行先试中出现的失误",
                    public_gain=True, public_gain_facts="出发点是推动发展，未谋取私利",
                    inexperience=True, inexperience_facts="首次承担此类任务，缺乏经验",
                    procedure_followed=True, procedure_facts="经党委（党组）会议集体研究决定",
                    remedied=True, remedied_facts="主动采取措施，挽回大部分损失")

    def apply(i, *, filing=None, card=None, applicant="unit"):
        cadre = card.cadre if card is not None else cadres[i]
        matter, loss, conduct, *_ = MATTERS[i % len(MATTERS)]
        return svc.ruling_apply(by=by, cadre=cadre, applicant=applicant, matter=matter, loss=loss, conduct=conduct,
                                risk_filing=filing, card=card)

    def decide(r, decision, **waivers):
        r = svc.ruling_accept(by=by, ruling=r, reason="符合受理条件，予以受理")
        r = svc.ruling_verify(by=by, ruling=r, reason="经调查核实，情况属实",
                              **{**criteria, **({"remedied": False} if decision == "none" else {})})
        reason = {"full": "符合“三个区分开来”要求，予以容错", "partial": "主观上为公，但程序有瑕疵，部分容错",
                  "none": "明知故犯，不予容错"}[decision]
        return svc.ruling_decide(by=by, ruling=r, review_date=day - dt.timedelta(days=3), review_members=REVIEWERS,
                                 decision=decision, decision_reason=reason, **waivers)

    rulings = [apply(0, filing=filings[0])]  # 申请 (事前已报备)
    rulings.append(svc.ruling_accept(by=by, ruling=apply(5), reason="材料齐全，予以受理"))  # 受理
    r = svc.ruling_accept(by=by, ruling=apply(1, filing=filings[1]), reason="予以受理")
    rulings.append(svc.ruling_verify(by=by, ruling=r, reason="核实完毕，提交问责会审", **criteria))  # 核实
    all_waivers = dict(waive_assessment=True, waive_pool=True, waive_promotion=True, waive_awards=True)
    if cards:  # 认定: full tolerance, revoking the card
        rulings.append(decide(apply(2, card=cards.pop(0), applicant="org"), "full", waive_card=True, **all_waivers))
    else:
        rulings.append(decide(apply(2, filing=filings[2]), "full", **all_waivers))
    r = decide(apply(3, filing=filings[3]), "partial", waive_assessment=True, waive_awards=True)
    rulings.append(svc.ruling_report(by=by, ruling=r, reported_on=day, reported_to="市纪委监委"))  # 报备
    rulings.append(decide(apply(6), "none"))  # 认定: 不予容错
    rulings.append(svc.ruling_reject(by=by, ruling=apply(4), reason="属于明知故犯，不在容错范围"))  # 不予受理
    ctx.made["rulings"] = rulings
    n += len(rulings)

    # clarifications
    clar = []
    card = cards.pop(0) if cards else None
    clar.append(svc.clarification_create(
        by=by, cadre=card.cadre if card else cadres[7], source="investigator", report="反映其在项目推进中推诿扯皮",
        finding="经调查，所反映问题不属实，项目延误系客观原因", method="meeting", venue="全县干部大会",
        cleared_on=day - dt.timedelta(days=15), card=card))
    clar.append(svc.clarification_create(
        by=by, cadre=cadres[8], source="application", report="匿名举报其违规插手工程项目",
        finding="经查，举报内容系捏造，属于诬告陷害", method="public", venue="县纪委监委官网通报",
        cleared_on=day - dt.timedelta(days=30), malicious=True))
    done = svc.clarification_create(
        by=by, cadre=cadres[9], source="investigator", report="反映其收受服务对象礼金",
        finding="经查无此事，举报人系因个人纠纷捏造事实", method="written", venue="向本人及所在单位书面反馈",
        cleared_on=day - dt.timedelta(days=60), malicious=True)
    clar.append(svc.clarification_follow_up(by=by, clarification=done, note="已移交县纪委监委依纪依法查处"))
    clar.append(svc.clarification_create(
        by=by, cadre=cadres[10], source="application", report="网络反映其工作作风粗暴",
        finding="经调查，反映情况与事实不符", method="written", venue="向本人书面反馈",
        cleared_on=day - dt.timedelta(days=5)))
    ctx.made["clarifications"] = clar
    return n + len(clar)
