"""Demo sanctions (处分): a 警告 in the demo's 2026 year for a cadre enrolled in the 2026 period (it
bars 优秀 there), a 党内警告 in force, a 记过 of 2025 whose term has ended and one revoked on review.
Written through the services (audited, steps logged), deterministic (``ctx.rng``)."""
import datetime as dt

from cadres.models import Cadre, CadreStatus

from ..models import AssessmentResult
from ..services import sanctions as ssvc

BODY_CITY, BODY_COUNTY = "中共平顶山市纪律检查委员会 平顶山市监察委员会", "县纪委监委"


def _day(ctx, wanted: dt.date) -> dt.date:
    return min(wanted, ctx.today)


def build(ctx) -> int:
    enrolled = list(AssessmentResult.objects.filter(period__year=2026, cadre__status=CadreStatus.ACTIVE)
                    .order_by("id").values_list("cadre_id", flat=True)[:400])
    others = list(Cadre.objects.filter(status=CadreStatus.ACTIVE).order_by("id").values_list("pk", flat=True)[:400])
    if not others:
        return 0
    pool = enrolled or others
    chosen = ctx.rng.sample(pool, min(2, len(pool)))
    rest = [c for c in others if c not in chosen]
    chosen += ctx.rng.sample(rest, min(2, len(rest)))
    cadres = Cadre.objects.in_bulk(chosen)
    plan = [
        ("warning", dt.date(2026, 4, 16), BODY_CITY, "平纪发〔2026〕12号",
         "在重点项目征迁工作中推诿扯皮、敷衍应付，造成工期延误两个月。"),
        ("party_warning", dt.date(2026, 9, 8), BODY_COUNTY, "叶纪发〔2026〕31号",
         "违规发放津补贴，经查属实。"),
        ("demerit", dt.date(2025, 1, 20), BODY_COUNTY, "宝纪发〔2025〕5号",
         "对群众反映强烈的信访问题长期不处理。"),
        ("warning", dt.date(2026, 2, 10), BODY_COUNTY, "宝纪发〔2026〕2号",
         "落实安全生产责任不到位。"),
    ]
    made = []
    for cadre_id, (kind, day, body, doc, facts) in zip(chosen, plan, strict=False):
        made.append(ssvc.sanction_create(by=ctx.by, cadre=cadres[cadre_id], kind=kind, decided_on=_day(ctx, day),
                                         body=body, document_no=doc, facts=facts))
    if len(made) == 4:  # the last one set aside on review
        ssvc.sanction_revoke(by=ctx.by, sanction=made[3], reason="经复查，原处分认定事实不清，予以撤销。",
                             on=_day(ctx, dt.date(2026, 5, 20)))
    ctx.made["sanctions"] = made
    return len(made)
