"""Permission-matrix rows of awards and selection campaigns (评选表彰), pages and API; see
tests/test_permission_matrix.py.

Objects (``WORLD``): per variant an ``award`` to a cadre of the variant's unit with one
``award_evidence`` file, a ``nomination`` of that cadre in the nominating campaign (nominated by the
unit leader in the own variant, by org staff in the other) and a ``review_nomination`` in a reviewing
campaign; unit-less (``GLOBAL``): the ``award_kind``
记功, a ``draft_campaign`` with quotas, the nominating ``campaign``, a ``shortlisted_campaign``
(reviewing, every nomination reviewed: ready for the notice) and a ``notice_campaign`` whose notice
period has ended (ready for the decision).

Org staff do everything; unit leaders read awards and nominations of their scope (other unit 404),
see every campaign, nominate and withdraw their own nominations, and never award, revoke, review or
decide (403: ``verify_obj`` / ``manage`` kinds are org staff's only); auditors read."""
import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from . import Ok, exists, gone, now, pk, refetch

PDF = b"%PDF-1.4\n%%EOF\n"
GLOBAL = ("award_kind", "draft_campaign", "campaign", "shortlisted_campaign", "notice_campaign")


def world(variant, o, by):
    """The variant's award (with a file) and nominations, of a cadre of its own (other features'
    objects, e.g. a sanction, must not bar it); the unit-less campaigns are made with the first
    variant and found again by name for the second."""
    from assessment.models import AwardKind, Campaign
    from assessment.services import awards as svc
    from cadres.models import Unit
    from pingdingshan.core import permissions as gate
    from pingdingshan.core.dates import today
    from tests.factories import CadreFactory

    t = today()
    counties = list(Unit.objects.filter(depth=2))
    good, merit = AwardKind.objects.get(name="鹰城担当作为好干部"), AwardKind.objects.get(name="记功")
    names = {"draft_campaign": "筹备中的评选", "campaign": "推荐中的评选", "shortlisted_campaign": "待公示的评选",
             "notice_campaign": "公示期满的评选"}
    shared = {key: Campaign.objects.filter(name=name).first() for key, name in names.items()}
    cadre = CadreFactory(unit=o["unit"], name="表彰干部")
    leader = gate.leaders_over(o["unit"].path).first()  # the own variant's (the fixture's leader of 宝丰县)
    nominator = leader or by

    def campaign(name, *steps):
        c = svc.campaign_save(by=by, kind=good, year=t.year, name=name, issuing_body="中共平顶山市委")
        svc.campaign_set_quotas(by=by, campaign=c, quotas={u: 5 for u in counties})
        if "open" in steps:
            svc.campaign_open(by=by, campaign=c)
        return c

    def reviewed(name, *, notice):
        c = campaign(name, "open")
        n = svc.nomination_create(by=by, campaign=c, cadre=cadre, deeds="事迹")
        svc.campaign_close(by=by, campaign=c)
        svc.nomination_shortlist(by=by, nomination=n)
        if notice:
            svc.campaign_notice(by=by, campaign=c, notice_start=t - dt.timedelta(days=10),
                                notice_end=t - dt.timedelta(days=3))
        return c

    if shared["campaign"] is None:  # the first variant
        shared = {"draft_campaign": campaign(names["draft_campaign"]),
                  "campaign": campaign(names["campaign"], "open"),
                  "shortlisted_campaign": reviewed(names["shortlisted_campaign"], notice=False),
                  "notice_campaign": reviewed(names["notice_campaign"], notice=True)}
    award = svc.award_create(by=by, kind=merit, cadre=cadre, year=t.year, awarded_on=t, issuing_body="市委",
                             citation="抗洪抢险")
    evidence = svc.award_evidence_add(by=by, award=award, upload=SimpleUploadedFile("决定.pdf", PDF))
    nomination = svc.nomination_create(by=nominator, campaign=shared["campaign"], cadre=cadre, deeds="事迹")
    review = campaign(f"审核中的评选（{variant}）", "open")
    review_nomination = svc.nomination_create(by=by, campaign=review, cadre=cadre, deeds="事迹")
    svc.campaign_close(by=by, campaign=review)
    return {**shared, "award_kind": merit, "award": award, "award_evidence": evidence, "nomination": nomination,
            "review_nomination": review_nomination}


def _winner(o):
    from pingdingshan.core.dates import today

    winners = list(o["notice_campaign"].nominations.filter(status="shortlisted").values_list("pk", flat=True))
    return {"winners": winners, "decided_on": today().isoformat(), "issuing_body": "中共平顶山市委",
            "document_no": "平发〔2026〕1号"}


def _revoked(o, r):
    award = refetch(o, "award")
    return award.revoked_on is not None and award.revoke_reason == "事迹失实"


def _quota(o, n):
    from assessment.models import CampaignQuota

    return CampaignQuota.objects.filter(campaign=o["draft_campaign"], unit=o["tree"].county_a, quota=n).exists()


PAGES = [
    ("assessment:award_kind_list", None, "get", "view"),
    ("assessment:award_kind_create", None, "get", "manage"),
    ("assessment:award_kind_create", None, "post", "manage", Ok(
        data={"name": "优秀乡镇干部", "target": "cadre", "level": "county", "order": 9, "is_active": "on"},
        effect=exists("assessment.AwardKind", name="优秀乡镇干部"))),
    ("assessment:award_kind_edit", "award_kind", "get", "manage"),
    ("assessment:award_kind_edit", "award_kind", "post", "manage", Ok(
        form=True, data={"description": "记功一次"}, effect=now("award_kind", description="记功一次"))),
    ("assessment:award_list", None, "get", "view"),
    ("assessment:award_export", None, "get", "view"),
    ("assessment:award_create", None, "get", "manage"),
    ("assessment:award_create", None, "post", "manage", Ok(
        data=lambda o: {"kind": o["award_kind"].pk, "cadre": o["spare_cadre"].pk, "year": dt.date.today().year,
                        "awarded_on": dt.date.today().isoformat(), "issuing_body": "市委"},
        effect=exists("assessment.Award", cadre=pk("spare_cadre")))),
    ("assessment:award_detail", "award", "get", "view_obj"),
    ("assessment:award_revoke", "award", "post", "verify_obj", Ok(data={"reason": "事迹失实"}, effect=_revoked)),
    ("assessment:award_evidence_upload", "award", "post", "verify_obj", Ok(
        data=lambda o: {"files": SimpleUploadedFile("通报.pdf", PDF)},
        effect=lambda o, r: o["award"].evidence.count() == 2)),
    ("assessment:award_evidence_download", "award_evidence", "get", "view_obj"),
    ("assessment:award_evidence_preview", "award_evidence", "get", "view_obj"),
    ("assessment:award_evidence_delete", "award_evidence", "post", "verify_obj", Ok(effect=gone("award_evidence"))),
    ("assessment:campaign_list", None, "get", "view"),
    ("assessment:campaign_create", None, "get", "manage"),
    ("assessment:campaign_create", None, "post", "manage", Ok(
        data=lambda o: {"kind": o["award_kind"].pk, "year": dt.date.today().year, "name": "新的评选",
                        "issuing_body": "市委"},
        effect=exists("assessment.Campaign", name="新的评选"))),
    ("assessment:campaign_detail", "campaign", "get", "view_obj"),
    ("assessment:campaign_detail", "notice_campaign", "get", "view_obj"),
    ("assessment:campaign_edit", "draft_campaign", "get", "manage"),
    ("assessment:campaign_edit", "draft_campaign", "post", "manage", Ok(
        form=True, data={"note": "按市委要求开展"}, effect=now("draft_campaign", note="按市委要求开展"))),
    ("assessment:campaign_quotas", "draft_campaign", "get", "manage"),
    ("assessment:campaign_quotas", "draft_campaign", "post", "manage", Ok(
        data=lambda o: {f"quota_{o['tree'].county_a.pk}": "4", f"quota_{o['tree'].county_b.pk}": "5"},
        effect=lambda o, r: _quota(o, 4))),
    ("assessment:campaign_open", "draft_campaign", "post", "manage", Ok(effect=now("draft_campaign",
                                                                                    status="nominating"))),
    ("assessment:campaign_close", "campaign", "post", "manage", Ok(effect=now("campaign", status="reviewing"))),
    ("assessment:campaign_notice", "shortlisted_campaign", "post", "manage", Ok(
        data={"notice_start": "2026-01-05", "notice_end": "2026-01-12"},
        effect=now("shortlisted_campaign", status="notice"))),
    ("assessment:campaign_cancel", "campaign", "post", "manage", Ok(data={"reason": "暂缓开展"},
                                                                     effect=now("campaign", status="cancelled"))),
    ("assessment:campaign_decide", "notice_campaign", "post", "manage", Ok(
        data=_winner, effect=now("notice_campaign", status="decided"))),
    ("assessment:nomination_create", "campaign", "get", "create"),
    ("assessment:nomination_create", "campaign", "post", "create", Ok(
        data=lambda o: {"cadre": o["spare_cadre"].pk, "deeds": "带头攻坚"},
        effect=exists("assessment.Nomination", campaign=pk("campaign"), cadre=pk("spare_cadre")))),
    ("assessment:nomination_detail", "nomination", "get", "view_obj"),
    ("assessment:nomination_withdraw", "nomination", "post", "write_obj", Ok(effect=now("nomination",
                                                                                      status="withdrawn"))),
    ("assessment:nomination_shortlist", "review_nomination", "post", "verify_obj", Ok(
        effect=now("review_nomination", status="shortlisted"))),
    ("assessment:nomination_reject", "review_nomination", "post", "verify_obj", Ok(
        data={"reason": "事迹不够突出"}, effect=now("review_nomination", status="rejected"))),
]

API = [
    ("award-kind-list", None, "get", "api_list"),
    ("award-kind-list", None, "post", "api_verify_obj", Ok(
        data={"name": "优秀村干部", "target": "cadre", "level": "county"},
        effect=exists("assessment.AwardKind", name="优秀村干部"))),
    ("award-kind-detail", "award_kind", "get", "api_ref"),
    ("award-kind-detail", "award_kind", "patch", "api_verify_obj", Ok(
        data={"description": "记功"}, effect=now("award_kind", description="记功"))),
    ("award-list", None, "get", "api_list"),
    ("award-list", None, "post", "api_verify_obj", Ok(
        data=lambda o: {"kind": o["award_kind"].pk, "cadre": o["spare_cadre"].pk, "year": dt.date.today().year,
                        "awarded_on": dt.date.today().isoformat(), "issuing_body": "市委"},
        effect=exists("assessment.Award", cadre=pk("spare_cadre")))),
    ("award-detail", "award", "get", "api_obj"),
    ("award-revoke", "award", "post", "api_verify_obj", Ok(data={"reason": "事迹失实"}, effect=_revoked)),
    ("award-evidence", "award", "get", "api_obj"),
    ("award-evidence", "award", "post", "api_verify_obj", Ok(
        multipart=True, data=lambda o: {"file": SimpleUploadedFile("通报.pdf", PDF)}, status=201,
        effect=lambda o, r: o["award"].evidence.count() == 2)),
    ("award-evidence-detail", "award_evidence", "get", "api_obj"),
    ("award-evidence-detail", "award_evidence", "delete", "api_verify_obj", Ok(effect=gone("award_evidence"))),
    ("award-evidence-download", "award_evidence", "get", "api_obj"),
    ("campaign-list", None, "get", "api_list"),
    ("campaign-list", None, "post", "api_verify_obj", Ok(
        data=lambda o: {"kind": o["award_kind"].pk, "year": dt.date.today().year, "name": "API新建的评选"},
        effect=exists("assessment.Campaign", name="API新建的评选"))),
    ("campaign-detail", "campaign", "get", "api_obj"),
    ("campaign-detail", "draft_campaign", "patch", "api_verify_obj", Ok(
        data={"note": "说明"}, effect=now("draft_campaign", note="说明"))),
    ("campaign-quotas", "draft_campaign", "post", "api_verify_obj", Ok(
        data=lambda o: {"quotas": [{"unit": o["tree"].county_a.pk, "quota": 4}]}, effect=lambda o, r: _quota(o, 4))),
    ("campaign-open", "draft_campaign", "post", "api_verify_obj", Ok(effect=now("draft_campaign", status="nominating"))),
    ("campaign-close", "campaign", "post", "api_verify_obj", Ok(effect=now("campaign", status="reviewing"))),
    ("campaign-notice", "shortlisted_campaign", "post", "api_verify_obj", Ok(
        data={"notice_start": "2026-01-05", "notice_end": "2026-01-12"},
        effect=now("shortlisted_campaign", status="notice"))),
    ("campaign-cancel", "campaign", "post", "api_verify_obj", Ok(data={"reason": "暂缓"},
                                                                 effect=now("campaign", status="cancelled"))),
    ("campaign-decide", "notice_campaign", "post", "api_verify_obj", Ok(
        data=_winner, effect=now("notice_campaign", status="decided"))),
    ("nomination-list", None, "get", "api_list"),
    ("nomination-list", None, "post", "api_create", Ok(
        data=lambda o: {"campaign": o["campaign"].pk, "cadre": o["spare_cadre"].pk, "deeds": "带头攻坚"},
        effect=exists("assessment.Nomination", campaign=pk("campaign"), cadre=pk("spare_cadre")))),
    ("nomination-detail", "nomination", "get", "api_obj"),
    ("nomination-withdraw", "nomination", "post", "api_write_obj", Ok(effect=now("nomination", status="withdrawn"))),
    ("nomination-shortlist", "review_nomination", "post", "api_verify_obj", Ok(
        effect=now("review_nomination", status="shortlisted"))),
    ("nomination-reject", "review_nomination", "post", "api_verify_obj", Ok(
        data={"reason": "事迹不够突出"}, effect=now("review_nomination", status="rejected"))),
]

# (url name, object kind or None, filter parameter, (variant, kind) in scope, (variant, kind) out of scope)
FILTERS = [
    ("assessment:award_list", None, "unit", ("own", "unit"), ("other", "unit")),
    ("award-list", None, "unit", ("own", "unit"), ("other", "unit")),
    ("nomination-list", None, "unit", ("own", "unit"), ("other", "unit")),
]
