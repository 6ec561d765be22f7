"""Awards (表彰): the kinds list, direct awards to cadres and units, the refusal under a card (through
``standing``), revocation (never deletion), evidence files, the pages and the API, and who may do
what (org staff write, unit leaders read their scope, auditors read)."""
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.urls import reverse

from assessment.models import Award, AwardKind, ConductStep
from assessment.services import awards as svc
from assessment.services.standing import CadreStanding, Fact, Standings
from pingdingshan.core.dates import today
from tests.conftest import rolled_back

from .awards_world import build, red_card

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture(scope="module")
def w(django_db_setup, django_db_blocker):
    with rolled_back(django_db_blocker, build) as world:
        yield world


@pytest.fixture
def world(db, w):
    return w


def _award(w, **kw):
    data = dict(by=w.by, kind=w.merit, cadre=w.cadres_a[0], year=today().year, awarded_on=today(),
                issuing_body="中共平顶山市委", document_no="平发〔2026〕1号", citation="抗洪抢险表现突出")
    data.update(kw)
    return svc.award_create(**data)


# --------------------------------------------------------------------------- kinds
def test_kind_create_edit_deactivate(world):
    kind = svc.award_kind_save(by=world.by, name="优秀基层干部", target="cadre", level="county", promotion_priority=True)
    assert kind.is_active and kind.promotion_priority
    kind = svc.award_kind_save(by=world.by, kind=kind, is_active=False)
    assert AwardKind.objects.get(pk=kind.pk).is_active is False
    with pytest.raises(ValidationError) as e:
        _award(world, kind=kind)
    assert "已停用" in str(e.value.message_dict["kind"])


def test_kind_rules(world):
    with pytest.raises(ValidationError) as e:
        svc.award_kind_save(by=world.by, name="某单位奖", target="unit", level="city", promotion_priority=True)
    assert "promotion_priority" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        svc.award_kind_save(by=world.by, name="某干部奖", target="cadre", level="city", quota_tilt=True)
    assert "quota_tilt" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        svc.award_kind_save(by=world.by, name="记功", target="cadre", level="city")
    assert "name" in e.value.message_dict
    _award(world)
    with pytest.raises(ValidationError) as e:
        svc.award_kind_save(by=world.by, kind=world.merit, target="unit")
    assert "target" in e.value.message_dict


def test_kinds_only_org_staff(world):
    for user in (world.leader, world.auditor):
        with pytest.raises(PermissionDenied):
            svc.award_kind_save(by=user, name="x", target="cadre", level="city")


# --------------------------------------------------------------------------- awards
def test_cadre_award_takes_the_unit_and_logs(world):
    award = _award(world)
    assert award.unit_id == world.cadres_a[0].unit_id
    assert ConductStep.objects.filter(subject="award", subject_id=award.pk, action="create").exists()


def test_unit_award(world):
    award = _award(world, kind=world.unit_kind, cadre=None, unit=world.tree.county_a)
    assert award.cadre is None and award.unit == world.tree.county_a
    with pytest.raises(ValidationError) as e:
        _award(world, kind=world.unit_kind, cadre=world.cadres_a[0], unit=None)
    assert {"cadre", "unit"} <= set(e.value.message_dict)
    with pytest.raises(ValidationError) as e:
        _award(world, cadre=None)
    assert "干部表彰" in e.value.message_dict["cadre"][0]


def test_award_bad_input_names_the_fields(world):
    before = Award.objects.count()
    with pytest.raises(ValidationError) as e:
        _award(world, awarded_on=today() + dt.timedelta(days=3), issuing_body="  ", year=1990)
    assert {"awarded_on", "issuing_body", "year"} <= set(e.value.message_dict)
    assert Award.objects.count() == before


def test_award_refused_under_a_card(world, monkeypatch):
    """The refusal carries ``standing``'s sentences (a stub standing here: the message's shape)."""
    cadre = world.cadres_a[1]

    def blocked(cadres, on=None, during=None):
        s = Standings()
        fact = Fact("card", 1, "红牌 2026-01-01 至 2026-12-31（推诿扯皮）：不得评先评优", "award")
        s[cadre.pk] = CadreStanding(cadre_id=cadre.pk, blocks={"award": [fact]})
        return s

    monkeypatch.setattr(svc, "standing", blocked)
    with pytest.raises(ValidationError) as e:
        _award(world, cadre=cadre)
    assert e.value.message_dict["cadre"] == ["该干部不能受表彰：红牌 2026-01-01 至 2026-12-31（推诿扯皮）：不得评先评优"]


def test_award_refused_under_a_real_card(world):
    """With the real ``standing``: an issued red card in force blocks the award."""
    cadre = world.cadres_a[2]
    red_card(cadre, world.by, start=today() - dt.timedelta(days=10), end=today() + dt.timedelta(days=300))
    with pytest.raises(ValidationError) as e:
        _award(world, cadre=cadre)
    assert e.value.message_dict["cadre"][0].startswith("该干部不能受表彰：")


def test_revoke_keeps_the_award(world):
    award = _award(world)
    with pytest.raises(ValidationError) as e:
        svc.award_revoke(by=world.by, award=award, reason="  ")
    assert "reason" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        svc.award_revoke(by=world.by, award=award, reason="事迹失实", on=award.awarded_on - dt.timedelta(days=1))
    assert "revoked_on" in e.value.message_dict
    svc.award_revoke(by=world.by, award=award, reason="事迹失实")
    award.refresh_from_db()
    assert award.is_revoked and award.revoke_reason == "事迹失实" and award.revoked_by == world.by
    with pytest.raises(ValidationError) as e:
        svc.award_revoke(by=world.by, award=award, reason="再次")
    assert "已于" in str(e.value)
    assert svc.award_allowed_actions(award, world.by) == frozenset()
    assert [s.action for s in ConductStep.objects.filter(subject="award", subject_id=award.pk)] == ["create", "revoke"]


def test_only_org_staff_award_and_revoke(world):
    award = _award(world)
    for user in (world.leader, world.auditor):
        with pytest.raises(PermissionDenied):
            _award(world, by=user)
        with pytest.raises(PermissionDenied):
            svc.award_revoke(by=user, award=award, reason="x")
        assert svc.award_allowed_actions(award, user) == frozenset()
    assert svc.award_allowed_actions(award, world.by) == {"revoke", "upload", "delete_evidence"}


def test_evidence_sniffed_and_served_through_the_gate(world, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    award = _award(world)
    with pytest.raises(ValidationError) as e:
        svc.award_evidence_add(by=world.by, award=award, upload=SimpleUploadedFile("x.pdf", b"MZ not a pdf at all"))
    assert "file" in e.value.message_dict
    ev = svc.award_evidence_add(by=world.by, award=award, upload=SimpleUploadedFile("../决定.pdf", PDF))
    assert ev.original_name == "决定.pdf" and ev.content_type == "application/pdf"
    url = reverse("assessment:award_evidence_download", args=[ev.pk])
    client.force_login(world.leader)  # the award's unit is in the leader's county
    assert client.get(url).status_code == 200
    client.force_login(world.leader_b)
    assert client.get(url).status_code == 404
    svc.award_evidence_delete(by=world.by, evidence=ev)
    assert not award.evidence.exists()


# --------------------------------------------------------------------------- lists and scope
def test_leaders_see_their_scope_only(world):
    mine = _award(world)
    other = _award(world, cadre=world.cadre_b)
    seen = set(Award.objects.restrict(world.leader).values_list("pk", flat=True))
    assert mine.pk in seen and other.pk not in seen
    with pytest.raises(Http404):
        from pingdingshan.core import permissions as gate
        gate.get_or_404(Award, world.leader, pk=other.pk)


def test_pages(world, client):
    award = _award(world)
    revoked = _award(world, kind=world.commend)
    svc.award_revoke(by=world.by, award=revoked, reason="撤销")
    client.force_login(world.by)
    r = client.get(reverse("assessment:award_list"))
    assert r.status_code == 200 and award in list(r.context["awards"])
    r = client.get(reverse("assessment:award_list"), {"revoked": "true"})
    assert [a.pk for a in r.context["awards"]] == [revoked.pk]
    r = client.get(reverse("assessment:award_list"), {"q": "zs", "kind": world.merit.pk, "level": "city",
                                                      "target": "cadre", "year": today().year,
                                                      "ordering": "-date"})
    assert r.status_code == 200 and r.context["filters_valid"]
    r = client.get(reverse("assessment:award_export"), {"format": "csv"})
    assert r.status_code == 200
    r = client.get(reverse("assessment:award_detail", args=[award.pk]))
    assert r.status_code == 200 and "抗洪抢险表现突出" in r.content.decode()
    r = client.post(reverse("assessment:award_revoke", args=[award.pk]), {"reason": "", "revoked_on": ""})
    assert r.status_code == 200 and "请填写理由" in r.content.decode()
    r = client.post(reverse("assessment:award_create"), {
        "kind": world.merit.pk, "cadre": world.cadres_a[3].pk, "year": today().year,
        "awarded_on": today().isoformat(), "issuing_body": "", "document_no": "", "citation": ""})
    assert r.status_code == 200 and r.context["form"].errors["issuing_body"]
    r = client.post(reverse("assessment:award_create"), {
        "kind": world.merit.pk, "cadre": world.cadres_a[3].pk, "year": today().year,
        "awarded_on": today().isoformat(), "issuing_body": "市委", "document_no": "", "citation": "好"})
    assert r.status_code == 302 and Award.objects.filter(cadre=world.cadres_a[3]).exists()
    # the cadre's tab and the unit's panel
    r = client.get(reverse("cadres:cadre_detail", args=[world.cadres_a[0].pk]), {"tab": "awards"})
    assert r.status_code == 200 and "记功" in r.content.decode()
    unit_award = _award(world, kind=world.unit_kind, cadre=None, unit=world.tree.county_a)
    r = client.get(reverse("cadres:unit_detail", args=[world.tree.county_a.pk]))
    assert r.status_code == 200 and unit_award.kind.name in r.content.decode()


def test_pages_for_leaders_and_auditors(world, client):
    award = _award(world)
    other = _award(world, cadre=world.cadre_b)
    client.force_login(world.leader)
    r = client.get(reverse("assessment:award_list"))
    assert {a.pk for a in r.context["awards"]} >= {award.pk} and other.pk not in {a.pk for a in r.context["awards"]}
    assert client.get(reverse("assessment:award_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("assessment:award_create")).status_code == 403
    assert client.post(reverse("assessment:award_revoke", args=[award.pk]), {"reason": "x"}).status_code == 403
    client.force_login(world.auditor)
    assert client.get(reverse("assessment:award_detail", args=[other.pk])).status_code == 200
    assert client.post(reverse("assessment:award_revoke", args=[award.pk]), {"reason": "x"}).status_code == 403
    assert not Award.objects.get(pk=award.pk).is_revoked


def test_api(world, client):
    client.force_login(world.by)
    r = client.post("/api/v1/awards/", {"kind": world.merit.pk, "cadre": world.cadres_a[0].pk, "year": today().year,
                                        "awarded_on": today().isoformat(), "issuing_body": "市委"},
                    content_type="application/json")
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert set(r.json()["allowed_actions"]) == {"revoke", "upload", "delete_evidence"}
    r = client.post(f"/api/v1/awards/{pk}/revoke/", {"reason": ""}, content_type="application/json")
    assert r.status_code == 400 and "reason" in r.json()["errors"]
    r = client.post(f"/api/v1/awards/{pk}/revoke/", {"reason": "失实"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["revoked_on"] and r.json()["allowed_actions"] == []
    assert client.delete(f"/api/v1/awards/{pk}/").status_code == 405
    r = client.get("/api/v1/awards/", {"revoked": "true"})
    assert [a["id"] for a in r.json()["results"]] == [pk]
    r = client.get("/api/v1/award-kinds/")
    assert r.status_code == 200 and r.json()["count"] >= 6
    r = client.post("/api/v1/award-kinds/", {"name": "新表彰", "target": "unit", "level": "county",
                                             "quota_tilt": True}, content_type="application/json")
    assert r.status_code == 201
    client.force_login(world.leader)
    r = client.post("/api/v1/awards/", {"kind": world.merit.pk, "cadre": world.cadres_a[0].pk, "year": 2026,
                                        "awarded_on": today().isoformat(), "issuing_body": "市委"},
                    content_type="application/json")
    assert r.status_code == 403
    r = client.get(f"/api/v1/awards/{pk}/")
    assert r.status_code == 200 and r.json()["allowed_actions"] == []


def test_list_queries_do_not_grow_with_rows(world, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.by)

    def count():
        with CaptureQueriesContext(connection) as q:
            assert client.get(reverse("assessment:award_list")).status_code == 200
            assert client.get("/api/v1/awards/").status_code == 200
        return len(q)

    _award(world)
    before = count()
    for c in world.cadres_a[1:]:
        _award(world, cadre=c)
    _award(world, kind=world.unit_kind, cadre=None, unit=world.tree.county_b)
    assert count() == before
