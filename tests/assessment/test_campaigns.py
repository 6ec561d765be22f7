"""Selection campaigns (评选活动): the lifecycle draft → nominating → reviewing → notice → decided
(and cancel), every illegal step, quotas (nearest unit with one), nominations by unit leaders in
their scope, linked records, the refusal of a blocked nominee, the notice period before the
decision, winners becoming awards in one step, pages and API."""
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from assessment.models import Award, Campaign, CampaignQuota, Nomination
from assessment.services import awards as svc
from assessment.services.standing import CadreStanding, Fact, Standings
from pingdingshan.core.dates import today
from tests.conftest import rolled_back

from .awards_world import build, red_card

T = today()


@pytest.fixture(scope="module")
def w(django_db_setup, django_db_blocker):
    with rolled_back(django_db_blocker, build) as world:
        yield world


@pytest.fixture
def world(db, w):
    return w


def _campaign(w, *, kind=None, quotas=None, open_=True, name="2026年度鹰城担当作为好干部评选"):
    c = svc.campaign_save(by=w.by, kind=kind or w.good, year=T.year, name=name, issuing_body="中共平顶山市委")
    svc.campaign_set_quotas(by=w.by, campaign=c, quotas=quotas if quotas is not None else {
        w.tree.county_a: 2, w.tree.county_b: 1})
    if open_:
        svc.campaign_open(by=w.by, campaign=c)
    c.refresh_from_db()
    return c


def _nominate(w, c, cadre, by=None, records=None):
    return svc.nomination_create(by=by or w.leader, campaign=c, cadre=cadre, deeds="带头攻坚，成效显著",
                                 records=records if records is not None else [w.records[cadre.pk]])


def _to_notice(w, c, shortlist, reject=()):
    svc.campaign_close(by=w.by, campaign=c)
    for n in shortlist:
        svc.nomination_shortlist(by=w.by, nomination=n)
    for n in reject:
        svc.nomination_reject(by=w.by, nomination=n, reason="事迹不够突出")
    return svc.campaign_notice(by=w.by, campaign=c, notice_start=T - dt.timedelta(days=12),
                               notice_end=T - dt.timedelta(days=5))


# --------------------------------------------------------------------------- lifecycle
def test_full_lifecycle_winners_become_awards_in_one_step(world):
    c = _campaign(world)
    a, b = world.cadres_a[0], world.cadres_a[1]
    na, nb = _nominate(world, c, a), _nominate(world, c, b)
    nc = _nominate(world, c, world.cadre_b, by=world.leader_b)
    assert na.quota_unit == world.tree.county_a and list(na.records.all()) == [world.records[a.pk]]
    c = _to_notice(world, c, [na, nb], reject=[nc])
    assert c.status == "notice"
    svc.campaign_decide(by=world.by, campaign=c, winners=[na.pk], decided_on=T, document_no="平发〔2026〕9号",
                        issuing_body="中共平顶山市委")
    c.refresh_from_db()
    na.refresh_from_db(), nb.refresh_from_db(), nc.refresh_from_db()
    assert c.status == "decided" and c.decided_on == T
    assert (na.status, nb.status, nc.status) == ("won", "not_chosen", "rejected")
    award = na.award
    assert (award.kind, award.cadre, award.year, award.campaign, award.document_no) == (
        world.good, a, T.year, c, "平发〔2026〕9号")
    assert award.citation == "带头攻坚，成效显著"
    assert Award.objects.filter(campaign=c).count() == 1


def test_decide_refused_before_the_notice_ended(world):
    c = _campaign(world)
    n = _nominate(world, c, world.cadres_a[0])
    svc.campaign_close(by=world.by, campaign=c)
    svc.nomination_shortlist(by=world.by, nomination=n)
    end = T + dt.timedelta(days=9)
    svc.campaign_notice(by=world.by, campaign=c, notice_start=T - dt.timedelta(days=1), notice_end=end)
    with pytest.raises(ValidationError) as e:
        svc.campaign_decide(by=world.by, campaign=c, winners=[n.pk], decided_on=T, issuing_body="市委")
    assert e.value.message_dict["decided_on"] == [f"公示期至 {end.isoformat()} 结束，结束前不能作出决定。"]
    c.refresh_from_db()
    n.refresh_from_db()
    assert c.status == "notice" and n.status == "shortlisted" and not Award.objects.filter(campaign=c).exists()


def test_decide_is_all_or_nothing(world):
    """A winner blocked by the time of the decision refuses the whole decision: no award at all."""
    c = _campaign(world)
    n1, n2 = _nominate(world, c, world.cadres_a[0]), _nominate(world, c, world.cadres_a[1])
    c = _to_notice(world, c, [n1, n2])
    blocked_pk = world.cadres_a[1].pk

    def fake(cadres, on=None, during=None):
        s = Standings()
        s[blocked_pk] = CadreStanding(cadre_id=blocked_pk, blocks={"award": [Fact("card", 1, "黄牌：不得评先评优")]})
        return s

    import assessment.services.awards as mod
    real = mod.standing
    mod.standing = fake
    try:
        with pytest.raises(ValidationError) as e:
            svc.campaign_decide(by=world.by, campaign=c, winners=[n1.pk, n2.pk], decided_on=T, issuing_body="市委")
    finally:
        mod.standing = real
    assert "黄牌：不得评先评优" in str(e.value.message_dict["winners"])
    assert not Award.objects.filter(campaign=c).exists()
    assert Campaign.objects.get(pk=c.pk).status == "notice"
    assert set(Nomination.objects.filter(campaign=c).values_list("status", flat=True)) == {"shortlisted"}


def test_decide_bad_winners(world):
    c = _campaign(world)
    n1, n2 = _nominate(world, c, world.cadres_a[0]), _nominate(world, c, world.cadres_a[1])
    c = _to_notice(world, c, [n1], reject=[n2])
    for winners in ([], [n2.pk], ["abc"], [10**9]):
        with pytest.raises(ValidationError) as e:
            svc.campaign_decide(by=world.by, campaign=c, winners=winners, decided_on=T, issuing_body="市委")
        assert "winners" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        svc.campaign_decide(by=world.by, campaign=c, winners=[n1.pk], decided_on=None, issuing_body="")
    assert {"decided_on", "issuing_body"} <= set(e.value.message_dict)


def test_every_illegal_transition(world):
    c = _campaign(world, open_=False)
    assert c.status == "draft"
    for action in ("close", "notice"):
        with pytest.raises(ValidationError, match="不能"):
            svc.campaign_advance(by=world.by, campaign=c, action=action)
    with pytest.raises(ValidationError, match="不能"):
        svc.campaign_decide(by=world.by, campaign=c, winners=[], decided_on=T, issuing_body="x")
    with pytest.raises(ValidationError, match="不能推荐"):
        _nominate(world, c, world.cadres_a[0])
    svc.campaign_open(by=world.by, campaign=c)
    with pytest.raises(ValidationError, match="不能"):
        svc.campaign_open(by=world.by, campaign=c)
    n = _nominate(world, c, world.cadres_a[0])
    with pytest.raises(ValidationError, match="不能"):  # shortlisting while nominating
        svc.nomination_shortlist(by=world.by, nomination=n)
    svc.campaign_close(by=world.by, campaign=c)
    with pytest.raises(ValidationError, match="不能"):  # withdrawing once nominations closed
        svc.nomination_withdraw(by=world.leader, nomination=n)
    with pytest.raises(ValidationError, match="不能推荐"):
        _nominate(world, c, world.cadres_a[1])
    with pytest.raises(ValidationError) as e:  # the notice needs every nomination reviewed
        svc.campaign_notice(by=world.by, campaign=c, notice_start=T, notice_end=T)
    assert "未审核" in str(e.value)
    svc.nomination_reject(by=world.by, nomination=n, reason="不够突出")
    with pytest.raises(ValidationError, match="不能"):
        svc.nomination_reject(by=world.by, nomination=n, reason="再次")
    svc.nomination_shortlist(by=world.by, nomination=n)  # reconsidered while reviewing
    with pytest.raises(ValidationError) as e:
        svc.campaign_notice(by=world.by, campaign=c, notice_start=T, notice_end=T - dt.timedelta(days=1))
    assert "notice_end" in e.value.message_dict
    c = svc.campaign_notice(by=world.by, campaign=c, notice_start=T - dt.timedelta(days=3),
                            notice_end=T - dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="不能"):
        svc.nomination_reject(by=world.by, nomination=n, reason="公示期间")
    svc.campaign_decide(by=world.by, campaign=c, winners=[n.pk], decided_on=T, issuing_body="市委")
    c.refresh_from_db()
    for action in ("open", "close", "notice", "cancel"):
        with pytest.raises(ValidationError, match="不能"):
            svc.campaign_advance(by=world.by, campaign=c, action=action, reason="x")
    with pytest.raises(ValidationError, match="不能"):
        svc.campaign_decide(by=world.by, campaign=c, winners=[n.pk], decided_on=T, issuing_body="x")
    with pytest.raises(ValidationError, match="不能"):
        svc.campaign_save(by=world.by, campaign=c, note="改")
    with pytest.raises(ValidationError, match="不能"):
        svc.campaign_set_quotas(by=world.by, campaign=c, quotas={world.tree.county_a: 5})
    assert svc.campaign_allowed_actions(c, world.by) == frozenset()


def test_open_needs_quotas_and_cancel_needs_a_reason(world):
    c = _campaign(world, quotas={}, open_=False)
    with pytest.raises(ValidationError) as e:
        svc.campaign_open(by=world.by, campaign=c)
    assert "quotas" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        svc.campaign_cancel(by=world.by, campaign=c, reason=" ")
    assert "reason" in e.value.message_dict
    svc.campaign_cancel(by=world.by, campaign=c, reason="本年度不开展")
    assert Campaign.objects.get(pk=c.pk).status == "cancelled"
    with pytest.raises(ValidationError):
        svc.campaign_advance(by=world.by, campaign=c, action="bogus")


def test_campaign_save_rules(world):
    c = _campaign(world, open_=False)
    with pytest.raises(ValidationError) as e:
        svc.campaign_save(by=world.by, name=c.name, kind=world.good, year=T.year)
    assert "name" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        svc.campaign_save(by=world.by, campaign=c, notice_start=T, notice_end=T - dt.timedelta(days=1))
    assert "notice_end" in e.value.message_dict
    svc.campaign_open(by=world.by, campaign=c)
    with pytest.raises(ValidationError) as e:
        svc.campaign_save(by=world.by, campaign=c, kind=world.merit)
    assert "kind" in e.value.message_dict


# --------------------------------------------------------------------------- quotas
def test_quota_refusals(world):
    c = _campaign(world, quotas={world.tree.county_a: 2, world.tree.town_b: 1})
    _nominate(world, c, world.cadres_a[0])
    _nominate(world, c, world.cadres_a[1])
    before = Nomination.objects.count()
    with pytest.raises(ValidationError) as e:
        _nominate(world, c, world.cadres_a[2])
    assert e.value.message_dict["cadre"] == ["“宝丰县”推荐名额为 2 名，已推荐 2 名。"]
    with pytest.raises(ValidationError) as e:  # 周八 sits in 宝丰县 itself: "本单位"
        svc.nomination_create(by=world.leader, campaign=c, cadre=world.cadre_county, deeds="x")
    assert e.value.message_dict["cadre"] == ["本单位推荐名额为 2 名，已推荐 2 名。"]
    assert Nomination.objects.count() == before
    # the nearest unit with a quota: 昆阳街道's own
    n = _nominate(world, c, world.cadre_b, by=world.leader_b)
    assert n.quota_unit == world.tree.town_b
    # no quota anywhere above
    c2 = _campaign(world, quotas={world.tree.county_b: 1}, name="第二次")
    with pytest.raises(ValidationError) as e:
        _nominate(world, c2, world.cadres_a[0])
    assert e.value.message_dict["cadre"] == ["“城关镇”在本评选活动中没有推荐名额。"]


def test_withdraw_frees_the_quota_and_renominates(world):
    c = _campaign(world, quotas={world.tree.county_a: 1})
    n = _nominate(world, c, world.cadres_a[0])
    with pytest.raises(ValidationError):
        _nominate(world, c, world.cadres_a[1])
    svc.nomination_withdraw(by=world.leader, nomination=n)
    assert Nomination.objects.get(pk=n.pk).status == "withdrawn"
    _nominate(world, c, world.cadres_a[1])
    with pytest.raises(ValidationError) as e:  # the quota is full again
        _nominate(world, c, world.cadres_a[0])
    assert "推荐名额为 1 名" in str(e.value)
    svc.campaign_set_quotas(by=world.by, campaign=c, quotas={world.tree.county_a: 2})
    again = _nominate(world, c, world.cadres_a[0])
    assert again.pk == n.pk and again.status == "nominated"
    with pytest.raises(ValidationError) as e:
        _nominate(world, c, world.cadres_a[0])
    assert "已被推荐" in str(e.value) or "名额" in str(e.value)


def test_quotas_never_below_the_nominations(world):
    c = _campaign(world)
    _nominate(world, c, world.cadres_a[0])
    _nominate(world, c, world.cadres_a[1])
    with pytest.raises(ValidationError) as e:
        svc.campaign_set_quotas(by=world.by, campaign=c, quotas={world.tree.county_a: 1})
    assert f"quota_{world.tree.county_a.pk}" in e.value.message_dict
    with pytest.raises(ValidationError):
        svc.campaign_set_quotas(by=world.by, campaign=c, quotas={world.tree.county_a: None})
    with pytest.raises(ValidationError):
        svc.campaign_set_quotas(by=world.by, campaign=c, quotas={world.tree.county_b: "x"})
    svc.campaign_set_quotas(by=world.by, campaign=c, quotas={world.tree.county_b: None, world.tree.dept: 0})
    assert dict(CampaignQuota.objects.filter(campaign=c).values_list("unit__name", "quota")) == {
        "宝丰县": 2, "市委组织部": 0}
    rows = {r["unit"].name: (r["n"], r["used"], r["left"]) for r in svc.quota_rows(c)}
    assert rows["宝丰县"] == (2, 2, 0)


# --------------------------------------------------------------------------- nominees
def test_nominee_checks(world):
    c = _campaign(world)
    with pytest.raises(ValidationError) as e:  # another county's cadre
        _nominate(world, c, world.cadre_b)
    assert "不在您的管理范围内" in e.value.message_dict["cadre"][0]
    with pytest.raises(ValidationError) as e:  # a record of another cadre, and a draft
        svc.nomination_create(by=world.leader, campaign=c, cadre=world.cadres_a[0], deeds="x",
                              records=[world.records[world.cadres_a[1].pk], world.draft])
    msgs = e.value.message_dict["records"]
    assert any("不是该干部的记录" in m for m in msgs) and any("尚未核实" in m for m in msgs)
    with pytest.raises(ValidationError) as e:
        svc.nomination_create(by=world.leader, campaign=c, cadre=None, deeds=" ")
    assert {"cadre", "deeds"} <= set(e.value.message_dict)
    assert not Nomination.objects.filter(campaign=c).exists()


def test_card_blocks_nomination(world):
    c = _campaign(world)
    cadre = world.cadres_a[3]
    red_card(cadre, world.by, start=T - dt.timedelta(days=30), end=T + dt.timedelta(days=300))
    with pytest.raises(ValidationError) as e:
        _nominate(world, c, cadre)
    assert e.value.message_dict["cadre"][0].startswith("该干部不能被推荐：")
    assert not Nomination.objects.filter(campaign=c, cadre=cadre).exists()


def test_blocked_nominee_message_carries_the_reasons(world, monkeypatch):
    c = _campaign(world)
    cadre = world.cadres_a[0]

    def fake(cadres, on=None, during=None):
        s = Standings()
        fact = Fact("card", 7, "黄牌 2026-03-01 至 2026-08-31（推诿扯皮）：不得评先评优")
        s[cadre.pk] = CadreStanding(cadre_id=cadre.pk, blocks={"award": [fact]})
        return s

    monkeypatch.setattr(svc, "standing", fake)
    with pytest.raises(ValidationError) as e:
        _nominate(world, c, cadre)
    assert e.value.message_dict["cadre"] == ["该干部不能被推荐：黄牌 2026-03-01 至 2026-08-31（推诿扯皮）：不得评先评优"]


def test_unit_campaign(world):
    c = _campaign(world, kind=world.unit_kind, quotas={world.tree.county_a: 1}, name="先进单位评选")
    with pytest.raises(ValidationError) as e:
        svc.nomination_create(by=world.leader, campaign=c, cadre=world.cadres_a[0], deeds="x")
    assert "cadre" in e.value.message_dict
    n = svc.nomination_create(by=world.leader, campaign=c, unit=world.tree.town_a, deeds="整体工作争先进位")
    assert n.cadre is None and n.quota_unit == world.tree.county_a
    c = _to_notice(world, c, [n])
    svc.campaign_decide(by=world.by, campaign=c, winners=[n.pk], decided_on=T, issuing_body="市委")
    award = Nomination.objects.get(pk=n.pk).award
    assert award.unit == world.tree.town_a and award.cadre is None


# --------------------------------------------------------------------------- who may do what
def test_scope_for_unit_leaders(world):
    c = _campaign(world)
    n = _nominate(world, c, world.cadres_a[0])
    other = _nominate(world, c, world.cadre_b, by=world.leader_b)
    assert set(Nomination.objects.restrict(world.leader).values_list("pk", flat=True)) == {n.pk}
    with pytest.raises(Http404):  # another county's nomination
        svc.nomination_withdraw(by=world.leader, nomination=other)
    assert svc.nomination_allowed_actions(n, world.leader) == {"withdraw"}
    assert svc.nomination_allowed_actions(n, world.leader_b) == frozenset()
    svc.campaign_close(by=world.by, campaign=c)
    for call in (lambda: svc.nomination_shortlist(by=world.leader, nomination=n),
                 lambda: svc.nomination_reject(by=world.leader, nomination=n, reason="x"),
                 lambda: svc.campaign_advance(by=world.leader, campaign=c, action="notice"),
                 lambda: svc.campaign_decide(by=world.leader, campaign=c, winners=[n.pk], decided_on=T,
                                             issuing_body="x"),
                 lambda: svc.campaign_set_quotas(by=world.leader, campaign=c, quotas={world.tree.county_a: 9}),
                 lambda: svc.campaign_save(by=world.leader, name="x", kind=world.good, year=T.year)):
        with pytest.raises(PermissionDenied):
            call()
    c.refresh_from_db()
    assert svc.campaign_allowed_actions(c, world.leader) == frozenset()


def test_only_the_nominator_withdraws(world):
    from pingdingshan.core.models import Role
    from tests.factories import user_with_role

    c = _campaign(world)
    n = _nominate(world, c, world.cadres_a[0])
    colleague = user_with_role(Role.UNIT_LEADER, world.tree.county_a, username="colleague")
    with pytest.raises(PermissionDenied):
        svc.nomination_withdraw(by=colleague, nomination=n)
    svc.nomination_withdraw(by=world.by, nomination=n)  # org staff may


def test_auditors_read_only(world):
    c = _campaign(world)
    n = _nominate(world, c, world.cadres_a[0])
    a = world.auditor
    assert Nomination.objects.restrict(a).filter(pk=n.pk).exists()
    for call in (lambda: _nominate(world, c, world.cadres_a[1], by=a),
                 lambda: svc.nomination_withdraw(by=a, nomination=n),
                 lambda: svc.campaign_close(by=a, campaign=c)):
        with pytest.raises(PermissionDenied):
            call()
    assert svc.campaign_allowed_actions(c, a) == frozenset()


# --------------------------------------------------------------------------- pages and API
def test_pages(world, client):
    c = _campaign(world)
    client.force_login(world.leader)
    r = client.get(reverse("assessment:campaign_detail", args=[c.pk]))
    assert r.status_code == 200
    assert "nominate" in r.context["actions"]
    r = client.get(reverse("assessment:nomination_create", args=[c.pk]))
    assert r.status_code == 200
    choices = {pk for pk, _label in r.context["form"].fields["cadre"].choices if pk}
    assert world.cadre_b.pk not in {getattr(p, "value", p) for p in choices}
    r = client.post(reverse("assessment:nomination_create", args=[c.pk]), {
        "cadre": world.cadres_a[0].pk, "deeds": "", "records": [world.records[world.cadres_a[0].pk].pk]})
    assert r.status_code == 200 and r.context["form"].errors["deeds"]
    r = client.post(reverse("assessment:nomination_create", args=[c.pk]), {
        "cadre": world.cadres_a[0].pk, "deeds": "事迹", "records": [world.records[world.cadres_a[0].pk].pk]})
    assert r.status_code == 302, r.context["form"].errors if r.context else r
    n = Nomination.objects.get(campaign=c, cadre=world.cadres_a[0])
    assert client.get(reverse("assessment:nomination_detail", args=[n.pk])).status_code == 200
    assert client.post(reverse("assessment:campaign_close", args=[c.pk])).status_code == 403
    client.force_login(world.by)
    r = client.get(reverse("assessment:campaign_list"))
    assert r.status_code == 200 and c in list(r.context["campaigns"])
    r = client.get(reverse("assessment:campaign_detail", args=[c.pk]))
    rows = {row["unit"].name: (row["used"], row["left"]) for row in r.context["quotas"]}
    assert rows["宝丰县"] == (1, 1)
    r = client.post(reverse("assessment:campaign_close", args=[c.pk]))
    assert r.status_code == 302 and Campaign.objects.get(pk=c.pk).status == "reviewing"
    r = client.post(reverse("assessment:nomination_reject", args=[n.pk]), {"reason": ""})
    assert Nomination.objects.get(pk=n.pk).status == "nominated"
    r = client.post(reverse("assessment:nomination_shortlist", args=[n.pk]), {"reason": ""})
    assert Nomination.objects.get(pk=n.pk).status == "shortlisted"
    r = client.post(reverse("assessment:campaign_notice", args=[c.pk]), {
        "notice_start": (T - dt.timedelta(days=8)).isoformat(), "notice_end": (T - dt.timedelta(days=1)).isoformat()})
    assert Campaign.objects.get(pk=c.pk).status == "notice"
    r = client.post(reverse("assessment:campaign_decide", args=[c.pk]), {
        "winners": [n.pk], "decided_on": T.isoformat(), "issuing_body": "中共平顶山市委", "document_no": "平发〔2026〕3号"})
    assert r.status_code == 302 and Campaign.objects.get(pk=c.pk).status == "decided"
    assert Nomination.objects.get(pk=n.pk).award is not None


def test_campaign_forms(world, client):
    client.force_login(world.by)
    r = client.post(reverse("assessment:campaign_create"), {"kind": world.good.pk, "year": T.year, "name": "",
                                                            "issuing_body": ""})
    assert r.status_code == 200 and r.context["form"].errors["name"]
    r = client.post(reverse("assessment:campaign_create"), {"kind": world.good.pk, "year": T.year, "name": "页面创建的评选",
                                                            "issuing_body": "市委"})
    assert r.status_code == 302
    c = Campaign.objects.get(name="页面创建的评选")
    r = client.get(reverse("assessment:campaign_quotas", args=[c.pk]))
    assert r.status_code == 200
    r = client.post(reverse("assessment:campaign_quotas", args=[c.pk]), {
        f"quota_{world.tree.county_a.pk}": "3", f"quota_{world.tree.county_b.pk}": "-1"})
    assert r.status_code == 200 and not CampaignQuota.objects.filter(campaign=c).exists()
    r = client.post(reverse("assessment:campaign_quotas", args=[c.pk]), {f"quota_{world.tree.county_a.pk}": "3"})
    assert r.status_code == 302 and CampaignQuota.objects.get(campaign=c).quota == 3
    r = client.post(reverse("assessment:campaign_edit", args=[c.pk]), {
        "kind": world.good.pk, "year": T.year, "name": "页面创建的评选（改）", "issuing_body": "市委"})
    assert r.status_code == 302 and Campaign.objects.filter(name="页面创建的评选（改）").exists()


def test_api(world, client):
    client.force_login(world.by)
    r = client.post("/api/v1/campaigns/", {"kind": world.good.pk, "year": T.year, "name": "API评选",
                                           "issuing_body": "市委"}, content_type="application/json")
    assert r.status_code == 201, r.content
    cid = r.json()["id"]
    r = client.post(f"/api/v1/campaigns/{cid}/open/", content_type="application/json")
    assert r.status_code == 400 and "quotas" in r.json()["errors"]
    r = client.post(f"/api/v1/campaigns/{cid}/quotas/", {"quotas": [{"unit": world.tree.county_a.pk, "quota": 2}]},
                    content_type="application/json")
    assert r.status_code == 200, r.content
    r = client.post(f"/api/v1/campaigns/{cid}/open/", content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "nominating"
    client.force_login(world.leader)
    r = client.post("/api/v1/nominations/", {"campaign": cid, "cadre": world.cadres_a[0].pk, "deeds": "事迹",
                                             "records": [world.records[world.cadres_a[0].pk].pk]},
                    content_type="application/json")
    assert r.status_code == 201, r.content
    nid = r.json()["id"]
    assert r.json()["allowed_actions"] == ["withdraw"]
    r = client.post("/api/v1/nominations/", {"campaign": cid, "cadre": world.cadre_b.pk, "deeds": "事迹"},
                    content_type="application/json")
    assert r.status_code == 400 and "cadre" in r.json()["errors"]
    assert client.post(f"/api/v1/campaigns/{cid}/close/", content_type="application/json").status_code == 403
    client.force_login(world.by)
    assert client.post(f"/api/v1/campaigns/{cid}/close/", content_type="application/json").status_code == 200
    r = client.post(f"/api/v1/nominations/{nid}/reject/", {"reason": ""}, content_type="application/json")
    assert r.status_code == 400
    r = client.post(f"/api/v1/nominations/{nid}/shortlist/", {}, content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "shortlisted"
    r = client.post(f"/api/v1/campaigns/{cid}/notice/", {"notice_start": (T - dt.timedelta(days=3)).isoformat(),
                                                         "notice_end": (T + dt.timedelta(days=2)).isoformat()},
                    content_type="application/json")
    assert r.status_code == 200
    r = client.post(f"/api/v1/campaigns/{cid}/decide/", {"winners": [nid], "decided_on": T.isoformat(),
                                                         "issuing_body": "市委"}, content_type="application/json")
    assert r.status_code == 400 and "decided_on" in r.json()["errors"]
    r = client.get(f"/api/v1/campaigns/{cid}/")
    assert r.status_code == 200 and set(r.json()["allowed_actions"]) >= {"decide", "cancel"}
    assert r.json()["quotas"][0]["used"] == 1
    r = client.get("/api/v1/nominations/", {"campaign": cid})
    assert r.json()["count"] == 1


# --------------------------------------------------------------------------- demo
def test_demo_part_covers_the_states(world):
    import random

    from assessment.demo_conduct import Context
    from assessment.demo_conduct import awards as demo

    n = demo.build(Context(by=world.by, rng=random.Random(11), today=T))
    assert n > 0
    states = set(Campaign.objects.values_list("status", flat=True))
    assert {"draft", "nominating", "reviewing", "notice", "decided", "cancelled"} <= states
    decided = Campaign.objects.get(name="2025年度鹰城担当作为好干部评选")
    assert Award.objects.filter(campaign=decided).exists()
    assert Award.objects.filter(revoked_on__isnull=False).exists()
    assert Award.objects.filter(cadre__isnull=True).exists()
    assert Nomination.objects.filter(status="withdrawn").exists()


def test_campaign_detail_queries_do_not_grow_with_nominations(world, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = _campaign(world, quotas={world.tree.county_a: 9, world.tree.county_b: 9})
    _nominate(world, c, world.cadres_a[0])
    client.force_login(world.by)

    def count():
        with CaptureQueriesContext(connection) as q:
            assert client.get(reverse("assessment:campaign_detail", args=[c.pk])).status_code == 200
            assert client.get("/api/v1/nominations/", {"campaign": c.pk}).status_code == 200
        return len(q)

    before = count()
    for cadre in world.cadres_a[1:]:
        _nominate(world, c, cadre)
    _nominate(world, c, world.cadre_b, by=world.leader_b)
    assert count() == before


def test_nomination_form_search_mode_for_a_large_scope(world, client, monkeypatch):
    """Past CADRE_SELECT_LIMIT cadres the chooser is a search box filling the "choose the cadre"
    select; the chosen cadre's verified records are listed to tick."""
    import assessment.forms_awards as forms

    monkeypatch.setattr(forms, "CADRE_SELECT_LIMIT", 1)
    c = _campaign(world)
    client.force_login(world.by)
    cadre = world.cadres_a[0]
    r = client.get(reverse("assessment:nomination_create", args=[c.pk]), {"cadre": cadre.pk})
    assert r.status_code == 200
    form = r.context["form"]
    assert form.search_mode and form.fields["cadre_q"].widget.attrs["hx-target"] == "#pick-cadre"
    assert [p for p, _label in form.fields["cadre"].widget.choices if p] == [cadre.pk]
    assert list(form.fields["records"].queryset) == [world.records[cadre.pk]]
    r = client.post(reverse("assessment:nomination_create", args=[c.pk]), {
        "cadre": cadre.pk, "deeds": "事迹", "records": [world.records[cadre.pk].pk]})
    assert r.status_code == 302
