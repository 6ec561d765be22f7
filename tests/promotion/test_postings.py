"""Frontline postings (墩苗育苗): every transition legal and illegal, reasons, validation returning
every problem at once, the overlap refused at the boundary day, the evaluation required to close,
the unit leader's scope (404 outside, 403 for org staff's steps), steps logged and leaders told."""
import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from cadres.models import Cadre, CadreStatus
from pingdingshan.core.dates import today
from pingdingshan.core.models import Notification
from promotion.models import FrontlinePosting, PostingStatus, Programme, PromotionStep
from promotion.services import postings as svc
from tests.conftest import make_people, make_tree, rolled_back
from tests.factories import CadreFactory

S = PostingStatus
U = get_user_model()
START = today() - dt.timedelta(days=60)


def _build():
    tree = make_tree()
    people = make_people(tree)
    retired = CadreFactory(unit=tree.town_a, name="钱退", status=CadreStatus.RETIRED)
    retired_programme = Programme.objects.create(name="停用项目", is_active=False)
    return dict(org=people.org_staff.pk, auditor=people.auditor.pk, leader=people.leader.pk,
                cadre_a=people.cadre_a.pk, cadre_b=people.cadre_b.pk, retired=retired.pk,
                retired_programme=retired_programme.pk)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with rolled_back(django_db_blocker, _build) as w:
        yield w


@pytest.fixture
def w(world, db):
    return type("W", (), dict(
        org=U.objects.get(pk=world["org"]), auditor=U.objects.get(pk=world["auditor"]),
        leader=U.objects.get(pk=world["leader"]), cadre_a=Cadre.objects.get(pk=world["cadre_a"]),
        cadre_b=Cadre.objects.get(pk=world["cadre_b"]), retired=Cadre.objects.get(pk=world["retired"]),
        programme=Programme.objects.get(name="乡村振兴驻村"),
        retired_programme=Programme.objects.get(pk=world["retired_programme"])))


def _fields(w, **over):
    data = {"cadre": w.cadre_a, "programme": w.programme, "host": "城关镇大营村", "tasks": "驻村第一书记",
            "start_date": START, "end_date": START + dt.timedelta(days=364)}
    data.update(over)
    return data


def _posting(w, *, by=None, status=S.PROPOSED, **over):
    p = svc.posting_propose(by=by or w.leader, fields=_fields(w, **over))
    if status in (S.APPROVED, S.CLOSED):
        p = svc.posting_approve(by=w.org, posting=p)
    if status == S.CLOSED:
        p = svc.posting_close(by=w.org, posting=p, evaluation="good", remarks="")
    if status == S.REJECTED:
        p = svc.posting_reject(by=w.org, posting=p, reason="另行安排")
    if status == S.CANCELLED:
        p = svc.posting_withdraw(by=w.leader, posting=p)
    return p


def _messages(e: ValidationError) -> dict:
    return e.message_dict


# --------------------------------------------------------------------------- the lifecycle
def test_leader_proposes_org_staff_approves_and_closes_with_steps_logged(w):
    p = _posting(w)
    assert p.status == S.PROPOSED and p.proposed_by == w.leader
    p = svc.posting_approve(by=w.org, posting=p, reason="同意派驻")
    assert p.status == S.APPROVED and p.approved_by == w.org and p.approved_at
    p = svc.posting_close(by=w.org, posting=p, evaluation="excellent", remarks="成效明显")
    p.refresh_from_db()
    assert (p.status, p.evaluation, p.evaluation_remarks, p.evaluated_on, p.evaluated_by) == (
        S.CLOSED, "excellent", "成效明显", today(), w.org)
    steps = list(PromotionStep.objects.filter(subject="posting", subject_id=p.pk).order_by("at", "id"))
    assert [(s.action, s.from_status, s.to_status) for s in steps] == [
        ("propose", "", S.PROPOSED), ("approve", S.PROPOSED, S.APPROVED), ("close", S.APPROVED, S.CLOSED)]
    assert steps[1].reason == "同意派驻" and steps[2].reason == "优秀：成效明显"
    assert p.history.count() >= 3  # audited


def test_approval_rejection_and_closure_are_told_to_the_unit_leaders(w):
    before = Notification.objects.filter(user=w.leader).count()
    p = _posting(w, status=S.CLOSED)
    _posting(w, status=S.REJECTED, start_date=START + dt.timedelta(days=400), end_date=START + dt.timedelta(days=500))
    notes = list(Notification.objects.filter(user=w.leader).order_by("id")[before:])
    assert len(notes) == 3
    assert "批准" in notes[0].message and "张三" in notes[0].message
    assert "另行安排" in notes[2].message
    assert notes[0].url.endswith(f"/postings/{p.pk}/")


def test_reject_requires_a_reason(w):
    p = _posting(w)
    with pytest.raises(ValidationError) as e:
        svc.posting_reject(by=w.org, posting=p, reason="  ")
    assert "reason" in _messages(e.value)
    p.refresh_from_db()
    assert p.status == S.PROPOSED
    assert svc.posting_reject(by=w.org, posting=p, reason="人选另行考虑").status == S.REJECTED


def test_withdraw_by_the_proposers_side(w):
    p = _posting(w)
    assert svc.posting_withdraw(by=w.leader, posting=p, reason="另有安排").status == S.CANCELLED
    step = PromotionStep.objects.filter(subject="posting", subject_id=p.pk, action="withdraw").get()
    assert step.reason == "另有安排"


@pytest.mark.parametrize("status,action", [
    (S.APPROVED, "approve"), (S.REJECTED, "approve"), (S.CANCELLED, "approve"), (S.CLOSED, "approve"),
    (S.APPROVED, "reject"), (S.CLOSED, "reject"), (S.CANCELLED, "reject"),
    (S.PROPOSED, "close"), (S.REJECTED, "close"), (S.CLOSED, "close"), (S.CANCELLED, "close"),
    (S.APPROVED, "withdraw"), (S.REJECTED, "withdraw"), (S.CLOSED, "withdraw"), (S.CANCELLED, "withdraw"),
])
def test_illegal_transitions_are_refused_and_change_nothing(w, status, action):
    p = _posting(w, status=status)
    kwargs = {"evaluation": "good", "remarks": ""} if action == "close" else {"reason": "理由"}
    with pytest.raises(ValidationError) as e:
        getattr(svc, f"posting_{action}")(by=w.org, posting=p, **kwargs)
    assert "当前状态为" in " ".join(e.value.messages)
    assert FrontlinePosting.objects.get(pk=p.pk).status == status
    assert action not in svc.posting_allowed_actions(p, w.org)


@pytest.mark.parametrize("status", [S.APPROVED, S.REJECTED, S.CLOSED, S.CANCELLED])
def test_update_only_while_proposed(w, status):
    p = _posting(w, status=status)
    with pytest.raises(ValidationError):
        svc.posting_update(by=w.org, posting=p, fields={"host": "改"})
    assert FrontlinePosting.objects.get(pk=p.pk).host == "城关镇大营村"


def test_allowed_actions_per_role(w):
    p = _posting(w)
    assert svc.posting_allowed_actions(p, w.org) == {"approve", "reject", "withdraw", "edit"}
    assert svc.posting_allowed_actions(p, w.leader) == {"withdraw", "edit"}
    assert svc.posting_allowed_actions(p, w.auditor) == frozenset()
    p = svc.posting_approve(by=w.org, posting=p)
    assert svc.posting_allowed_actions(p, w.org) == {"close"}
    assert svc.posting_allowed_actions(p, w.leader) == frozenset()


# --------------------------------------------------------------------------- validation
def test_every_problem_at_once(w):
    with pytest.raises(ValidationError) as e:
        svc.posting_propose(by=w.org, fields=_fields(w, cadre=w.retired, programme=w.retired_programme, host=" ",
                                                     start_date=START, end_date=START - dt.timedelta(days=1)))
    errors = _messages(e.value)
    assert {"cadre", "programme", "host", "end_date"} <= set(errors)
    assert "在职" in errors["cadre"][0] and "停用" in errors["programme"][0]
    assert errors["end_date"] == ["结束日期不能早于开始日期。"]
    assert not FrontlinePosting.objects.filter(cadre=w.retired).exists()


def test_overlap_refused_on_the_boundary_day_and_allowed_the_day_after(w):
    first = _posting(w, status=S.APPROVED)
    last_day = first.end_date
    with pytest.raises(ValidationError) as e:
        _posting(w, start_date=last_day, end_date=last_day + dt.timedelta(days=30))
    message = _messages(e.value)["start_date"][0]
    assert "乡村振兴驻村 · 城关镇大营村" in message and first.start_date.isoformat() in message
    with pytest.raises(ValidationError):  # ending on the other's first day
        _posting(w, start_date=first.start_date - dt.timedelta(days=30), end_date=first.start_date)
    after = _posting(w, start_date=last_day + dt.timedelta(days=1), end_date=last_day + dt.timedelta(days=30))
    before = _posting(w, start_date=first.start_date - dt.timedelta(days=30),
                      end_date=first.start_date - dt.timedelta(days=1))
    assert after.status == before.status == S.PROPOSED


def test_overlap_with_a_proposed_posting_is_refused_but_not_with_rejected_or_withdrawn_ones(w):
    _posting(w)
    with pytest.raises(ValidationError):
        _posting(w, host="另一个村")
    FrontlinePosting.objects.filter(cadre=w.cadre_a).update(status=S.REJECTED)
    assert _posting(w, host="另一个村").status == S.PROPOSED
    FrontlinePosting.objects.filter(cadre=w.cadre_a, status=S.PROPOSED).update(status=S.CANCELLED)
    assert _posting(w, host="第三个村").status == S.PROPOSED


def test_updating_a_posting_does_not_overlap_itself(w):
    p = _posting(w)
    p = svc.posting_update(by=w.leader, posting=p, fields={"end_date": p.end_date + dt.timedelta(days=10),
                                                          "host": " 城关镇小营村 "})
    assert p.host == "城关镇小营村"


def test_a_retired_programme_stays_on_a_proposal_but_cannot_be_chosen_anew(w):
    p = _posting(w)
    Programme.objects.filter(pk=w.programme.pk).update(is_active=False)
    p = svc.posting_update(by=w.leader, posting=FrontlinePosting.objects.get(pk=p.pk), fields={"host": "改"})
    assert p.host == "改"
    other = Programme.objects.create(name="另一停用", is_active=False)
    with pytest.raises(ValidationError) as e:
        svc.posting_update(by=w.leader, posting=p, fields={"programme": other})
    assert "programme" in _messages(e.value)


def test_approve_rechecks_the_cadre_is_active(w):
    p = _posting(w)
    Cadre.objects.filter(pk=w.cadre_a.pk).update(status=CadreStatus.RETIRED)
    with pytest.raises(ValidationError) as e:
        svc.posting_approve(by=w.org, posting=p)
    assert "cadre" in _messages(e.value)
    assert FrontlinePosting.objects.get(pk=p.pk).status == S.PROPOSED


# --------------------------------------------------------------------------- closing
def test_evaluation_required_to_close(w):
    p = _posting(w, status=S.APPROVED)
    for bad in ("", None, "great"):
        with pytest.raises(ValidationError) as e:
            svc.posting_close(by=w.org, posting=p, evaluation=bad, remarks="")
        assert "evaluation" in _messages(e.value)
    assert FrontlinePosting.objects.get(pk=p.pk).status == S.APPROVED


def test_evaluated_on_not_before_the_start_nor_after_today(w):
    p = _posting(w, status=S.APPROVED)
    with pytest.raises(ValidationError) as e:
        svc.posting_close(by=w.org, posting=p, evaluation="good", remarks="", evaluated_on=START - dt.timedelta(days=1))
    assert "evaluated_on" in _messages(e.value)
    with pytest.raises(ValidationError):
        svc.posting_close(by=w.org, posting=p, evaluation="good", remarks="", evaluated_on=today() + dt.timedelta(days=1))
    p = svc.posting_close(by=w.org, posting=p, evaluation="fair", remarks="", evaluated_on=START)
    assert p.evaluated_on == START and p.status == S.CLOSED


# --------------------------------------------------------------------------- scope
def test_leader_cannot_propose_for_a_cadre_outside_their_units(w):
    with pytest.raises(Http404):
        svc.posting_propose(by=w.leader, fields=_fields(w, cadre=w.cadre_b))
    assert not FrontlinePosting.objects.filter(cadre=w.cadre_b).exists()


def test_leader_cannot_see_or_withdraw_other_units_postings(w):
    p = _posting(w, by=w.org, cadre=w.cadre_b)
    with pytest.raises(Http404):
        svc.posting_withdraw(by=w.leader, posting=p)
    with pytest.raises(Http404):
        svc.posting_update(by=w.leader, posting=p, fields={"host": "改"})
    with pytest.raises(Http404):  # moving one's own proposal onto another unit's cadre
        svc.posting_update(by=w.leader, posting=_posting(w), fields={"cadre": w.cadre_b})


def test_leader_may_not_approve_reject_or_close(w):
    p = _posting(w)
    with pytest.raises(PermissionDenied):
        svc.posting_approve(by=w.leader, posting=p)
    with pytest.raises(PermissionDenied):
        svc.posting_reject(by=w.leader, posting=p, reason="x")
    p = svc.posting_approve(by=w.org, posting=p)
    with pytest.raises(PermissionDenied):
        svc.posting_close(by=w.leader, posting=p, evaluation="good", remarks="")


def test_auditor_changes_nothing(w):
    with pytest.raises(PermissionDenied):
        svc.posting_propose(by=w.auditor, fields=_fields(w))
    p = _posting(w)
    with pytest.raises(PermissionDenied):
        svc.posting_withdraw(by=w.auditor, posting=p)
    with pytest.raises(PermissionDenied):
        svc.posting_approve(by=w.auditor, posting=p)


def test_programmes_are_org_staffs_to_edit(w):
    with pytest.raises(PermissionDenied):
        svc.programme_save(by=w.leader, name="新项目")
    p = svc.programme_save(by=w.org, name=" 新项目 ", order=3)
    assert p.name == "新项目" and p.is_active
    svc.programme_save(by=w.org, programme=p, is_active=False)
    assert not Programme.objects.get(pk=p.pk).is_active
    with pytest.raises(ValidationError) as e:
        svc.programme_save(by=w.org, name="新项目")
    assert "name" in _messages(e.value)
