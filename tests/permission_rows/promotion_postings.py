"""Permission-matrix rows of frontline postings and their programmes (pages and API); see
tests/test_permission_matrix.py. The world gets, for each variant's cadre: a proposed posting
(``posting``) and one in progress (``approved_posting``, started 100 days ago), both through the
services; ``programme`` (unit-less) is the seeded 乡村振兴驻村. Unit leaders propose, edit and
withdraw postings of their units' cadres (``create`` / ``write_obj``: other units' 404, auditors
403); approving, rejecting and closing are org staff's (gate action ``reserve``: ``verify_obj``,
everyone else 403 before any lookup); programmes are org staff's to edit (``verify``)."""
import datetime as dt

from promotion.models import FrontlinePosting, Programme

from . import Ok, exists, now, pk

GLOBAL = ("programme",)


def world(variant, o, by):
    from pingdingshan.core.dates import today
    from promotion.services import postings as svc

    programme = Programme.objects.get(name="乡村振兴驻村")
    day = today()
    proposed = svc.posting_propose(by=by, fields={
        "cadre": o["cadre"], "programme": programme, "host": "城关镇大营村", "tasks": "驻村第一书记",
        "start_date": day + dt.timedelta(days=30), "end_date": day + dt.timedelta(days=395)})
    running = svc.posting_propose(by=by, fields={
        "cadre": o["cadre"], "programme": programme, "host": "重点项目指挥部", "tasks": "项目攻坚",
        "start_date": day - dt.timedelta(days=100), "end_date": day + dt.timedelta(days=20)})
    running = svc.posting_approve(by=by, posting=running, reason="同意")
    return {"posting": proposed, "approved_posting": running, "programme": programme}


def _new(o):
    from pingdingshan.core.dates import today

    day = today() + dt.timedelta(days=500)
    return {"cadre": o["cadre"].pk, "programme": o["programme"].pk, "host": "信访接待中心",
            "start_date": day.isoformat(), "end_date": (day + dt.timedelta(days=90)).isoformat()}


PAGES = [
    ("promotion:programme_list", None, "get", "view"),
    ("promotion:programme_create", None, "get", "verify"),
    ("promotion:programme_create", None, "post", "verify", Ok(
        data={"name": "疫情防控", "description": "基层防控", "order": 9, "is_active": "on"},
        effect=exists(Programme, name="疫情防控"))),
    ("promotion:programme_edit", "programme", "get", "verify"),
    ("promotion:programme_edit", "programme", "post", "verify", Ok(
        form=True, data={"description": "驻村帮扶"}, effect=now("programme", description="驻村帮扶"))),
    ("promotion:posting_list", None, "get", "view"),
    ("promotion:posting_export", None, "get", "view"),
    ("promotion:posting_create", None, "get", "create"),
    ("promotion:posting_create", None, "post", "create", Ok(
        data=_new, effect=exists(FrontlinePosting, cadre=pk("cadre"), host="信访接待中心", status="proposed"))),
    ("promotion:posting_detail", "posting", "get", "view_obj"),
    ("promotion:posting_edit", "posting", "get", "write_obj"),
    ("promotion:posting_edit", "posting", "post", "write_obj", Ok(
        form=True, data={"host": "城关镇小营村"}, effect=now("posting", host="城关镇小营村"))),
    ("promotion:posting_approve", "posting", "post", "verify_obj", Ok(
        data={"approve-reason": "同意"}, effect=now("posting", status="approved"))),
    ("promotion:posting_reject", "posting", "post", "verify_obj", Ok(
        data={"reject-reason": "人选另行考虑"}, effect=now("posting", status="rejected"))),
    ("promotion:posting_withdraw", "posting", "post", "write_obj", Ok(
        data={"withdraw-reason": "另有安排"}, effect=now("posting", status="cancelled"))),
    ("promotion:posting_close", "approved_posting", "post", "verify_obj", Ok(
        data={"close-evaluation": "good", "close-remarks": "完成攻坚任务"},
        effect=now("approved_posting", status="closed", evaluation="good"))),
]

API = [
    ("programme-list", None, "get", "api_list"),
    ("programme-list", None, "post", "api_assess", Ok(
        data={"name": "疫情防控", "order": 9}, effect=exists(Programme, name="疫情防控"))),
    ("programme-detail", "programme", "get", "api_ref"),
    ("programme-detail", "programme", "patch", "api_assess", Ok(
        data={"description": "驻村帮扶"}, effect=now("programme", description="驻村帮扶"))),
    ("posting-list", None, "get", "api_list"),
    ("posting-list", None, "post", "api_create", Ok(
        data=_new, effect=exists(FrontlinePosting, cadre=pk("cadre"), host="信访接待中心"))),
    ("posting-detail", "posting", "get", "api_obj"),
    ("posting-detail", "posting", "patch", "api_write_obj", Ok(
        data={"host": "城关镇小营村"}, effect=now("posting", host="城关镇小营村"))),
    ("posting-approve", "posting", "post", "api_verify_obj", Ok(
        data={"reason": "同意"}, effect=now("posting", status="approved"))),
    ("posting-reject", "posting", "post", "api_verify_obj", Ok(
        data={"reason": "人选另行考虑"}, effect=now("posting", status="rejected"))),
    ("posting-withdraw", "posting", "post", "api_write_obj", Ok(
        data={"reason": "另有安排"}, effect=now("posting", status="cancelled"))),
    ("posting-close", "approved_posting", "post", "api_verify_obj", Ok(
        data={"evaluation": "excellent", "remarks": "成效明显"},
        effect=now("approved_posting", status="closed", evaluation="excellent"))),
]

OWN, OTHER = ("own", "unit"), ("other", "unit")
FILTERS = [
    ("promotion:posting_list", None, "unit", OWN, OTHER),
    ("promotion:posting_list", None, "cadre", ("own", "cadre"), ("other", "cadre")),
    ("promotion:posting_export", None, "unit", OWN, OTHER),
    ("posting-list", None, "unit", OWN, OTHER),
    ("posting-list", None, "cadre", ("own", "cadre"), ("other", "cadre")),
]
