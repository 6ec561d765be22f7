"""Demo card proposals: the triggers run on the demo data (results, cards, records made before),
then org staff confirm one card suggestion (a proposed card follows) and dismiss one, so the
proposals page shows every state. Through the services, deterministic (the rows' order)."""
from django.db.models import Q


def build(ctx) -> int:
    from ..models import CardProposal, ProposalStatus, Suggestion
    from ..services import proposals, triggers

    counts = triggers.triggers_run(on=ctx.today, by=ctx.by)
    n = sum(counts.values())
    pending = CardProposal.objects.filter(status=ProposalStatus.PENDING).order_by("pk")
    cards = list(pending.filter(Q(suggestion=Suggestion.YELLOW) | Q(suggestion=Suggestion.RED))[:2])
    if cards:
        proposals.proposal_dismiss(by=ctx.by, proposal=cards[-1] if len(cards) > 1 else cards[0],
                                   reason="经核实，该干部考核期间长期病休，事出有因，暂不发牌。")
        n += 1
    if len(cards) > 1:
        proposals.proposal_confirm(by=ctx.by, proposal=cards[0], reason="考核结果较差，情况属实，拟发黄牌。",
                                   start_date=ctx.today)
        n += 2
    ctx.made["proposals"] = list(CardProposal.objects.order_by("pk").values_list("pk", flat=True))
    return n

