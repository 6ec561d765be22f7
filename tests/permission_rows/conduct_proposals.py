"""Permission-matrix rows of the card proposals (红黄牌提示): pages and API. Org staff and auditors
read them (a unit leader's list is 403, one proposal 404: the gate hides them); deciding and running
the daily check are org staff's (``discipline``). Each variant's cadre has one pending proposal."""
from . import Ok, exists, now, pk


def world(variant, o, by):
    from assessment.models import CardProposal

    result = o["published_result"]
    proposal = CardProposal.objects.create(
        trigger="grade_basic", cadre=o["cadre"], suggestion="yellow", key=f"grade_basic:result:{result.pk}",
        detected_on=result.period.end_date, facts={"result": result.pk, "period": result.period_id,
                                                    "period_name": result.period.name, "year": 2025, "grade": "3"})
    return {"proposal": proposal}


CONFIRM = {"reason": "情况属实", "start_date": "2026-06-01"}


def confirm_form(o):
    from assessment.models import CardReason

    return {**CONFIRM, "color": "yellow", "card_reason": CardReason.objects.get(name="考核结果较差").pk,
            "facts": "2025年度考核（已发布）等次为基本称职", "issuing_body": "中共平顶山市委组织部"}
DAILY_JOB = exists("core.Job", kind="assessment.conduct_daily")

PAGES = [
    ("assessment:proposal_list", None, "get", "staff_list"),
    ("assessment:proposal_export", None, "get", "staff_list"),
    ("assessment:proposal_detail", "proposal", "get", "staff_obj"),
    ("assessment:proposal_dismiss", "proposal", "post", "discipline", Ok(
        data={"reason": "长期病假，事出有因"}, effect=now("proposal", status="dismissed"))),
    ("assessment:proposal_confirm", "proposal", "post", "discipline", Ok(
        data=confirm_form, effect=exists("assessment.WarningCard", proposal=pk("proposal"),
                                                         status="proposed"))),
    ("assessment:proposal_run", None, "post", "discipline", Ok(effect=DAILY_JOB)),
]

API = [
    ("card-proposal-list", None, "get", "api_staff_list"),
    ("card-proposal-detail", "proposal", "get", "api_staff_obj"),
    ("card-proposal-dismiss", "proposal", "post", "api_discipline", Ok(
        data={"reason": "长期病假，事出有因"}, effect=now("proposal", status="dismissed"))),
    ("card-proposal-confirm", "proposal", "post", "api_discipline", Ok(
        data=CONFIRM, effect=exists("assessment.WarningCard", proposal=pk("proposal"), status="proposed"))),
    ("card-proposal-run", None, "post", "api_discipline", Ok(status=202, effect=DAILY_JOB)),
]
