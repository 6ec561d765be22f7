"""Demo warning cards: about twenty, in every status (拟发, 已发, 申诉中, 申诉维持, 已撤销, 已到期,
提前解除), red ones with their adjustment pending, overdue, recorded (免职, 改任非领导职务) and
cancelled — all through ``assessment/services/cards.py`` (validated, audited, steps logged, unit
leaders told), deterministic through ``ctx.rng``.

``ctx.made["cards"]``: every card made, oldest first; ``ctx.made["cards_by_status"]``: {status: [cards]}
(later parts revoke issued ones by rulings and clarifications)."""
import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from cadres.models import Cadre, CadreStatus, Post

from ..models import Adjustment, AdjustmentKind, CardReason, CardStatus, WarningCard
from ..services import cards as svc

S = CardStatus
FACTS = {
    "不作为": "对群众反映的道路积水问题长期不予回应，经督查组两次督办仍未安排处置。",
    "慢作为": "负责的老旧小区改造项目进度滞后计划四个月，未按节点完成招投标和开工准备。",
    "乱作为": "未经集体研究擅自调整项目建设内容，造成已完成工程部分返工。",
    "推诿扯皮": "对跨部门的企业用地审批事项相互推诿，企业多次往返仍未办结。",
    "重大任务落实不力": "防汛备汛责任落实不到位，汛前隐患排查台账不全，整改措施未落地。",
    "群众反映强烈": "12345热线一季度关于所辖窗口服务态度的投诉达十余件，群众满意度明显下降。",
    "考核结果较差": "年度考核中实绩比拼连续两期处于同组末位，重点任务完成率不足六成。",
}
BASIS = "《平顶山市激励干部担当作为实施办法》及红黄牌警示管理有关规定"
BODY = "中共平顶山市委组织部"

# (colour, how it ends, days before ctx.today the card started); "adjust" kinds for red ones.
PLAN = [
    ("yellow", "proposed", 3), ("red", "proposed", 1), ("yellow", "proposed", 6),
    ("yellow", "issued", 20), ("yellow", "issued", 45), ("yellow", "issued", 75), ("yellow", "issued", 110),
    ("yellow", "appealed", 12), ("red", "appealed", 15),
    ("yellow", "upheld", 60), ("yellow", "upheld", 95),
    ("yellow", "revoked", 40), ("red", "revoked", 35),
    ("yellow", "expired", 260), ("yellow", "expired", 300), ("red", "expired", 420),
    ("yellow", "lifted", 130),
    ("red", "pending", 10), ("red", "overdue", 50),
    ("red", "dismiss", 90), ("red", "non_leading", 70),
]


def _in_savepoint(fn, *args, **kwargs):
    try:
        with transaction.atomic():
            return fn(*args, **kwargs)
    except ValidationError:
        return None


def _new_post_for(cadre, rng):
    """Non-chief posts of the cadre's own unit other than the cadre's (the roster keeps a cadre's
    post in their unit), shuffled; the roster's quota check decides which has room."""
    posts = list(Post.objects.filter(unit=cadre.unit_id, is_chief=False).exclude(pk=cadre.current_post_id)
                 .order_by("pk")[:30])
    rng.shuffle(posts)
    return posts


def _record(ctx, card, kind):
    adjustment = Adjustment.objects.get(card=card)
    cadre = card.cadre
    current = cadre.appointments.filter(end_date__isnull=True, start_date__lt=ctx.today).order_by("-start_date").first()
    decided = min(card.start_date + dt.timedelta(days=20), ctx.today)
    common = dict(by=ctx.by, adjustment=adjustment, decided_on=decided, document_no=f"平组干〔{decided.year}〕{card.pk}号")
    if current is not None and current.start_date >= decided:
        current = None
    if kind == AdjustmentKind.NON_LEADING:
        for post in _new_post_for(cadre, ctx.rng):
            done = _in_savepoint(svc.adjustment_record, kind=kind, end_appointment=current, new_post=post,
                                 note="改任非领导职务，免去原领导职务。", **common)
            if done is not None:
                return done
    if current is None:  # nothing to end: recorded as a reassignment of duties without a post change
        return _in_savepoint(svc.adjustment_record, kind=AdjustmentKind.DISMISS, note="免职（原无在任职务）。", **common)
    return _in_savepoint(svc.adjustment_record, kind=AdjustmentKind.DISMISS, end_appointment=current,
                         note="免去现任职务。", **common)


# The demo's unit leader account leads this county: one issued card there, so that the leader sees
# a card of their scope and may appeal it (the plan's cadres are drawn from the whole city).
LEADER_COUNTY = "宝丰县"


def _leader_scope_card(ctx, reasons, taken, made) -> int:
    from cadres.models import Unit

    county = Unit.objects.filter(name=LEADER_COUNTY).first()
    if county is None:
        return 0
    cadre = (Cadre.objects.filter(status=CadreStatus.ACTIVE, current_post__isnull=False,
                                  unit__path__startswith=county.path).exclude(pk__in=taken).order_by("pk").first())
    if cadre is None:
        return 0
    reason = next((r for r in reasons if r.name == "慢作为"), reasons[0])
    card = svc.card_create(by=ctx.by, cadre=cadre, color="yellow", reason=reason, facts=FACTS.get(reason.name, FACTS["不作为"]),
                           basis=BASIS, issuing_body=BODY, start_date=ctx.today - dt.timedelta(days=8))
    made.append(svc.card_issue(by=ctx.by, card=card, reason="经调查核实，事实清楚，依据充分，经部务会研究决定发放。"))
    return 1


def build(ctx) -> int:
    reasons = list(CardReason.objects.filter(is_active=True).order_by("order", "id"))
    cadres = list(Cadre.objects.filter(status=CadreStatus.ACTIVE, current_post__isnull=False)
                  .select_related("unit").order_by("pk")[:3000])
    if not reasons or len(cadres) < len(PLAN):
        return 0
    chosen = ctx.rng.sample(cadres, len(PLAN))
    made, n = [], 0
    by_status: dict[str, list] = {}
    for (color, end, days), cadre in zip(PLAN, chosen, strict=True):
        reason = reasons[ctx.rng.randrange(len(reasons))]
        start = ctx.today - dt.timedelta(days=days)
        card = svc.card_create(by=ctx.by, cadre=cadre, color=color, reason=reason,
                               facts=FACTS.get(reason.name, FACTS["不作为"]), basis=BASIS, issuing_body=BODY,
                               start_date=start)
        n += 1
        if end != "proposed":
            card = svc.card_issue(by=ctx.by, card=card, reason="经调查核实，事实清楚，依据充分，经部务会研究决定发放。")
            n += 1 if color == "red" else 0
        if end in ("appealed", "upheld"):
            card = svc.card_appeal(by=ctx.by, card=card,
                                   grounds="该项工作涉及多个部门，延误另有客观原因，本人已积极协调并提交整改方案。")
        if end == "upheld":
            card = svc.card_uphold(by=ctx.by, card=card, reason="经复核，申诉所述客观原因不足以免除其责任，维持原决定。")
        if end == "revoked":
            card = svc.card_revoke(by=ctx.by, card=card, reason="经复查，相关问题主要由上级政策调整造成，撤销该红黄牌。")
        if end == "lifted":
            card = svc.card_lift(by=ctx.by, card=card, reason="整改到位，群众评价明显好转，经研究提前解除。",
                                 on=start + dt.timedelta(days=120))
        if end in ("dismiss", "non_leading"):
            if _record(ctx, card, end) is not None:
                n += 1
        made.append(card)
    n += _leader_scope_card(ctx, reasons, {c.pk for c in chosen}, made)
    n_expired = svc.cards_expire(on=ctx.today, by=ctx.by)
    for card in made:
        card = WarningCard.objects.get(pk=card.pk)
        by_status.setdefault(card.status, []).append(card)
    ctx.made["cards"] = [WarningCard.objects.get(pk=c.pk) for c in made]
    ctx.made["cards_by_status"] = by_status
    return n + n_expired
