"""Warning cards: the lifecycle, every illegal transition, bad input, the red card's adjustment,
expiry twice, evidence, and who may do what."""
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from assessment.models import (
    Adjustment,
    AdjustmentStatus,
    CardReason,
    CardStatus,
    ConductStep,
    WarningCard,
)
from assessment.services import cards as svc
from assessment.services import conduct
from cadres.models import Appointment, Cadre, CadreStatus
from cadres.services import roster
from pingdingshan.core.dates import today
from pingdingshan.core.models import Notification
from tests.conftest import make_people, make_tree, rolled_back
from tests.factories import CadreFactory, PostFactory

S = CardStatus
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _build():
    tree = make_tree()
    people = make_people(tree)
    retired = CadreFactory(unit=tree.town_a, name="钱退", status=CadreStatus.RETIRED)
    old_post = PostFactory(unit=tree.town_a, name="副镇长", quota=2)
    new_post = PostFactory(unit=tree.town_a, name="四级调研员", quota=1, kind="non_leading")
    full_post = PostFactory(unit=tree.town_a, name="满员岗位", quota=1)
    other = CadreFactory(unit=tree.town_a, name="占位")
    start = today() - dt.timedelta(days=400)
    roster.appointment_create(by=people.org_staff, cadre=people.cadre_a, post=old_post, start_date=start)
    roster.appointment_create(by=people.org_staff, cadre=other, post=full_post, start_date=start)
    return dict(tree=tree, people=people, retired=retired.pk, old_post=old_post.pk, new_post=new_post.pk,
                full_post=full_post.pk)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with rolled_back(django_db_blocker, _build) as w:
        yield w


@pytest.fixture
def w(world, db):
    p = world["people"]
    from django.contrib.auth import get_user_model

    U = get_user_model()
    return type("W", (), dict(
        tree=world["tree"], org=U.objects.get(pk=p.org_staff.pk), auditor=U.objects.get(pk=p.auditor.pk),
        leader=U.objects.get(pk=p.leader.pk), cadre_a=Cadre.objects.get(pk=p.cadre_a.pk),
        cadre_b=Cadre.objects.get(pk=p.cadre_b.pk), retired=Cadre.objects.get(pk=world["retired"]),
        old_post=world["old_post"], new_post=world["new_post"], full_post=world["full_post"],
        reason=CardReason.objects.get(name="推诿扯皮")))


def _card(w, *, color="yellow", cadre=None, start=None, end=None, status=None):
    card = svc.card_create(by=w.org, cadre=cadre or w.cadre_a, color=color, reason=w.reason,
                           facts="对群众反映的问题推诿扯皮。", issuing_body="市委组织部",
                           start_date=start or today() - dt.timedelta(days=10), end_date=end)
    if status in (S.ISSUED, S.APPEALED, S.UPHELD, S.LIFTED, S.EXPIRED):
        card = svc.card_issue(by=w.org, card=card, reason="经核实")
    if status in (S.APPEALED, S.UPHELD):
        card = svc.card_appeal(by=w.leader, card=card, grounds="事出有因")
    if status == S.UPHELD:
        card = svc.card_uphold(by=w.org, card=card, reason="申诉理由不成立")
    if status == S.LIFTED:
        card = svc.card_lift(by=w.org, card=card, reason="整改到位")
    if status == S.EXPIRED:
        WarningCard.objects.filter(pk=card.pk).update(end_date=today() - dt.timedelta(days=1))
        svc.cards_expire()
        card.refresh_from_db()
    if status == S.REVOKED:
        card = svc.card_revoke(by=w.org, card=card, reason="撤回")
    return WarningCard.objects.get(pk=card.pk)


# --------------------------------------------------------------------------- create
def test_create_defaults_the_term_from_the_reason(w):
    w.reason.yellow_months = 3
    w.reason.save()
    card = _card(w, start=dt.date(2026, 3, 1))
    assert card.status == S.PROPOSED and card.unit_id == w.cadre_a.unit_id
    assert card.end_date == dt.date(2026, 5, 31)
    red = _card(w, color="red", start=dt.date(2026, 3, 1))
    assert red.end_date == dt.date(2027, 2, 28)
    assert ConductStep.objects.filter(subject="card", subject_id=card.pk, action="create").exists()


def test_create_refuses_a_retired_cadre(w):
    with pytest.raises(ValidationError) as e:
        _card(w, cadre=w.retired)
    assert e.value.message_dict["cadre"] == ["该干部已退休，不能发放红黄牌。"]
    assert not WarningCard.objects.filter(cadre=w.retired).exists()


def test_create_refuses_end_before_start_and_an_inactive_reason(w):
    w.reason.is_active = False
    w.reason.save()
    with pytest.raises(ValidationError) as e:
        _card(w, start=dt.date(2026, 5, 1), end=dt.date(2026, 4, 1))
    assert "期满日期不能早于发牌日期。" in e.value.message_dict["end_date"]
    assert "已停用" in e.value.message_dict["reason"][0]
    assert not WarningCard.objects.exists()


def test_create_names_missing_fields(w):
    with pytest.raises(ValidationError) as e:
        svc.card_create(by=w.org, cadre=w.cadre_a, color="purple", reason=w.reason, facts=" ",
                        issuing_body="", start_date=today())
    assert {"color", "facts", "issuing_body"} <= set(e.value.message_dict)


def test_only_org_staff_create(w):
    for user in (w.leader, w.auditor):
        with pytest.raises(PermissionDenied):
            svc.card_create(by=user, cadre=w.cadre_a, color="yellow", reason=w.reason, facts="x",
                            issuing_body="y", start_date=today())


def test_update_only_while_proposed_and_recomputes_the_default_end(w):
    card = _card(w, start=dt.date(2026, 3, 1))
    card = svc.card_update(by=w.org, card=card, color="red")
    assert card.end_date == dt.date(2027, 2, 28)
    card = svc.card_update(by=w.org, card=card, end_date=dt.date(2026, 12, 31))
    card = svc.card_update(by=w.org, card=card, facts="新的事实")
    assert card.end_date == dt.date(2026, 12, 31)
    card = svc.card_issue(by=w.org, card=card, reason="核实")
    with pytest.raises(ValidationError) as e:
        svc.card_update(by=w.org, card=card, facts="改")
    assert "不能修改" in e.value.messages[0]
    assert WarningCard.objects.get(pk=card.pk).facts == "新的事实"


# --------------------------------------------------------------------------- lifecycle
def test_lifecycle_issue_appeal_uphold_lift(w):
    card = _card(w)
    assert svc.card_allowed_actions(card, w.org) == {"issue", "revoke", "edit", "upload"}
    assert svc.card_allowed_actions(card, w.leader) == frozenset()  # a proposed card is not theirs to see
    card = svc.card_issue(by=w.org, card=card, reason="经核实")
    assert card.status == S.ISSUED
    assert svc.card_allowed_actions(card, w.leader) == {"appeal"}
    assert svc.card_allowed_actions(card, w.auditor) == frozenset()
    assert Notification.objects.filter(user=w.leader, kind="assessment.conduct_step").count() == 1
    card = svc.card_appeal(by=w.leader, card=card, grounds="事出有因")
    assert card.status == S.APPEALED and card.appeal_text == "事出有因" and card.appealed_at
    card = svc.card_uphold(by=w.org, card=card, reason="申诉不成立")
    card = svc.card_lift(by=w.org, card=card, reason="整改到位", on=today())
    assert card.status == S.LIFTED and card.lifted_on == today()
    steps = list(conduct.steps_of("card", card).__iter__())
    assert [s.action for s in steps] == ["create", "issue", "appeal", "uphold", "lift"]
    assert [s.reason for s in steps][1:] == ["经核实", "事出有因", "申诉不成立", "整改到位"]
    assert Notification.objects.filter(user=w.leader, kind="assessment.conduct_step").count() == 4


def test_revoke_from_every_open_state(w):
    for status in (S.PROPOSED, S.ISSUED, S.APPEALED, S.UPHELD):
        card = _card(w, status=status)
        card = svc.card_revoke(by=w.org, card=card, reason="经复查撤销")
        assert card.status == S.REVOKED


ILLEGAL = [  # (status, action) pairs the table refuses
    (status, action)
    for status in S.values
    for action in ("issue", "appeal", "uphold", "revoke", "lift")
    if status not in svc.CARD_TRANSITIONS[action][0]
]


@pytest.mark.parametrize(("status", "action"), ILLEGAL)
def test_every_illegal_transition_is_refused(w, status, action):
    card = _card(w, status=status)
    before = (card.status, ConductStep.objects.count())
    call = {"issue": lambda: svc.card_issue(by=w.org, card=card, reason="r"),
            "appeal": lambda: svc.card_appeal(by=w.org, card=card, grounds="g"),
            "uphold": lambda: svc.card_uphold(by=w.org, card=card, reason="r"),
            "revoke": lambda: svc.card_revoke(by=w.org, card=card, reason="r"),
            "lift": lambda: svc.card_lift(by=w.org, card=card, reason="r")}[action]
    with pytest.raises(ValidationError) as e:
        call()
    assert "不能" in e.value.messages[0] or "到期" in e.value.messages[0]
    assert action not in svc.card_allowed_actions(card, w.org)
    assert (WarningCard.objects.get(pk=card.pk).status, ConductStep.objects.count()) == before


@pytest.mark.parametrize("action", ["issue", "uphold", "revoke", "lift"])
def test_every_step_needs_a_reason(w, action):
    card = _card(w, status={"issue": S.PROPOSED, "uphold": S.APPEALED}.get(action, S.ISSUED))
    fn = getattr(svc, f"card_{action}")
    with pytest.raises(ValidationError) as e:
        fn(by=w.org, card=card, reason="  ")
    assert "reason" in e.value.message_dict
    assert WarningCard.objects.get(pk=card.pk).status == card.status


def test_appeal_needs_grounds_and_a_running_term(w):
    card = _card(w, status=S.ISSUED)
    with pytest.raises(ValidationError) as e:
        svc.card_appeal(by=w.leader, card=card, grounds="")
    assert "grounds" in e.value.message_dict
    WarningCard.objects.filter(pk=card.pk).update(end_date=today() - dt.timedelta(days=1))
    card.refresh_from_db()
    assert "appeal" not in svc.card_allowed_actions(card, w.leader)
    with pytest.raises(ValidationError) as e:
        svc.card_appeal(by=w.leader, card=card, grounds="事出有因")
    assert e.value.messages == ["该红黄牌已到期，不能申诉。"]
    expired = _card(w, status=S.EXPIRED)
    with pytest.raises(ValidationError) as e:
        svc.card_appeal(by=w.leader, card=expired, grounds="事出有因")
    assert e.value.messages == ["该红黄牌已到期，不能申诉。"]


def test_lift_date_within_term(w):
    card = _card(w, status=S.ISSUED)
    with pytest.raises(ValidationError) as e:
        svc.card_lift(by=w.org, card=card, reason="整改", on=card.start_date - dt.timedelta(days=1))
    assert "lifted_on" in e.value.message_dict
    assert WarningCard.objects.get(pk=card.pk).status == S.ISSUED


def test_unit_leaders_appeal_but_never_discipline(w):
    card = _card(w, status=S.ISSUED)
    for fn, kw in ((svc.card_uphold, {"reason": "r"}), (svc.card_revoke, {"reason": "r"}),
                   (svc.card_lift, {"reason": "r"})):
        with pytest.raises(PermissionDenied):
            fn(by=w.leader, card=card, **kw)
    proposed = _card(w)
    with pytest.raises((Http404, PermissionDenied)):
        svc.card_issue(by=w.leader, card=proposed, reason="r")
    with pytest.raises(PermissionDenied):
        svc.card_appeal(by=w.auditor, card=card, grounds="g")
    other = _card(w, cadre=w.cadre_b, status=S.ISSUED)  # 叶县: outside the leader's 宝丰县
    with pytest.raises(Http404):
        svc.card_appeal(by=w.leader, card=other, grounds="g")
    assert svc.card_allowed_actions(other, w.leader) == frozenset()


# --------------------------------------------------------------------------- expiry
def test_expire_is_set_based_and_idempotent(w):
    ended = [_card(w, status=s) for s in (S.ISSUED, S.APPEALED, S.UPHELD)]
    for c in ended:
        WarningCard.objects.filter(pk=c.pk).update(end_date=today() - dt.timedelta(days=1))
    running = _card(w, status=S.ISSUED)
    last_day = _card(w, status=S.ISSUED)
    WarningCard.objects.filter(pk=last_day.pk).update(end_date=today())
    proposed = _card(w, start=today() - dt.timedelta(days=300), end=today() - dt.timedelta(days=5))
    assert svc.cards_expire() == 3
    assert set(WarningCard.objects.filter(status=S.EXPIRED).values_list("pk", flat=True)) == {c.pk for c in ended}
    for c in (running, last_day, proposed):
        assert WarningCard.objects.get(pk=c.pk).status == c.status
    steps = ConductStep.objects.count()
    assert svc.cards_expire() == 0
    assert ConductStep.objects.count() == steps
    assert ConductStep.objects.filter(action="expire").count() == 3


# --------------------------------------------------------------------------- adjustments
def test_red_card_gets_its_adjustment_and_record_moves_the_cadre(w):
    card = _card(w, color="red", status=S.ISSUED)
    adj = Adjustment.objects.get(card=card)
    assert adj.status == AdjustmentStatus.PENDING
    assert adj.due_date == card.start_date + dt.timedelta(days=conduct.adjustment_due_days())
    assert not Adjustment.objects.filter(card__color="yellow").exists()
    current = Appointment.objects.get(cadre=w.cadre_a, end_date__isnull=True)
    assert svc.adjustment_allowed_actions(adj, w.org) == {"record"}
    assert svc.adjustment_allowed_actions(adj, w.leader) == frozenset()
    adj = svc.adjustment_record(by=w.org, adjustment=adj, kind="non_leading", decided_on=today(),
                                document_no="平组干〔2026〕8号", note="改任四级调研员",
                                end_appointment=current, new_post=w.cadre_a.unit.posts.get(pk=w.new_post))
    assert adj.status == AdjustmentStatus.DONE
    current.refresh_from_db()
    assert current.end_date == today() - dt.timedelta(days=1)
    assert adj.new_appointment.post_id == w.new_post
    assert Cadre.objects.get(pk=w.cadre_a.pk).current_post_id == w.new_post
    assert ConductStep.objects.filter(subject="adjustment", subject_id=adj.pk, action="record").exists()
    with pytest.raises(ValidationError):
        svc.adjustment_record(by=w.org, adjustment=adj, kind="dismiss", decided_on=today(), end_appointment=None)


def test_adjustment_bad_input_names_fields_and_changes_nothing(w):
    card = _card(w, color="red", status=S.ISSUED)
    adj = Adjustment.objects.get(card=card)
    current = Appointment.objects.get(cadre=w.cadre_a, end_date__isnull=True)
    with pytest.raises(ValidationError) as e:
        svc.adjustment_record(by=w.org, adjustment=adj, kind="bogus", decided_on=None)
    assert {"kind", "decided_on"} <= set(e.value.message_dict)
    with pytest.raises(ValidationError) as e:
        svc.adjustment_record(by=w.org, adjustment=adj, kind="dismiss", decided_on=today())
    assert "end_appointment" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        svc.adjustment_record(by=w.org, adjustment=adj, kind="reassign", decided_on=today(), end_appointment=current)
    assert "new_post" in e.value.message_dict
    from cadres.models import Post

    with pytest.raises(ValidationError) as e:  # the roster's quota check, on our field
        svc.adjustment_record(by=w.org, adjustment=adj, kind="reassign", decided_on=today(),
                              end_appointment=current, new_post=Post.objects.get(pk=w.full_post))
    assert "超出职数" in e.value.message_dict["new_post"][0]
    current.refresh_from_db()
    assert current.end_date is None
    assert Adjustment.objects.get(pk=adj.pk).status == AdjustmentStatus.PENDING
    with pytest.raises(PermissionDenied):
        svc.adjustment_record(by=w.leader, adjustment=adj, kind="dismiss", decided_on=today(),
                              end_appointment=current)


def test_dismiss(w):
    card = _card(w, color="red", status=S.ISSUED)
    adj = Adjustment.objects.get(card=card)
    current = Appointment.objects.get(cadre=w.cadre_a, end_date__isnull=True)
    svc.adjustment_record(by=w.org, adjustment=adj, kind="dismiss", decided_on=today(), end_appointment=current)
    assert Cadre.objects.get(pk=w.cadre_a.pk).current_post_id is None


def test_revoke_lift_and_expire_cancel_the_pending_adjustment(w):
    revoked = svc.card_revoke(by=w.org, card=_card(w, color="red", status=S.ISSUED), reason="撤销")
    lifted = _card(w, color="red", status=S.LIFTED)
    expired = _card(w, color="red", status=S.EXPIRED)
    for card in (revoked, lifted, expired):
        assert Adjustment.objects.get(card=card).status == AdjustmentStatus.CANCELLED


def test_overdue_selector(w):
    late = _card(w, color="red", start=today() - dt.timedelta(days=60), status=S.ISSUED)
    fresh = _card(w, color="red", start=today(), status=S.ISSUED)
    other = _card(w, color="red", cadre=w.cadre_b, start=today() - dt.timedelta(days=60), status=S.ISSUED)
    ids = set(svc.adjustments_overdue(user=w.org).values_list("card_id", flat=True))
    assert ids == {late.pk, other.pk}
    assert fresh.pk not in ids
    assert set(svc.adjustments_overdue(user=w.leader).values_list("card_id", flat=True)) == {late.pk}


# --------------------------------------------------------------------------- evidence and reasons
def test_evidence_sniffed_and_deleted_only_while_proposed(w, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    card = _card(w)
    ev = svc.card_evidence_add(by=w.org, card=card, upload=SimpleUploadedFile("谈话记录.txt", PDF))
    assert ev.content_type == "application/pdf" and ev.original_name == "谈话记录.pdf"
    with pytest.raises(ValidationError) as e:
        svc.card_evidence_add(by=w.org, card=card, upload=SimpleUploadedFile("x.pdf", b"hello world"))
    assert "file" in e.value.message_dict
    with pytest.raises(PermissionDenied):
        svc.card_evidence_add(by=w.leader, card=card, upload=SimpleUploadedFile("a.pdf", PDF))
    card = svc.card_issue(by=w.org, card=card, reason="核实")
    with pytest.raises(ValidationError):
        svc.card_evidence_delete(by=w.org, evidence=ev)
    draft = _card(w)
    ev2 = svc.card_evidence_add(by=w.org, card=draft, upload=SimpleUploadedFile("b.pdf", PDF))
    svc.card_evidence_delete(by=w.org, evidence=ev2)
    assert not draft.evidence.exists()


def test_reason_save(w):
    r = svc.card_reason_save(by=w.org, name="敷衍塞责", yellow_months=4, red_months=8)
    assert r.months_for("red") == 8
    with pytest.raises(ValidationError) as e:
        svc.card_reason_save(by=w.org, reason=r, yellow_months=0)
    assert e.value.messages
    with pytest.raises(PermissionDenied):
        svc.card_reason_save(by=w.leader, name="x")


def test_create_from_a_proposal_of_the_same_cadre(w):
    from assessment.models import CardProposal

    proposal = CardProposal.objects.create(trigger="grade_basic", cadre=w.cadre_b, suggestion="yellow",
                                           key="grade_basic:test:1", detected_on=today())
    with pytest.raises(ValidationError) as e:
        svc.card_create(by=w.org, cadre=w.cadre_a, color="yellow", reason=w.reason, facts="f", issuing_body="b",
                        start_date=today(), proposal=proposal)
    assert "proposal" in e.value.message_dict
    card = svc.card_create(by=w.org, cadre=w.cadre_b, color="yellow", reason=w.reason, facts="f", issuing_body="b",
                           start_date=today(), proposal=proposal)
    assert card.proposal_id == proposal.pk
