"""Care records (关心关爱): the services' validation (every problem at once, by field, in Chinese),
the gate (unit leaders in their scope, org staff everywhere, auditors read only, health details for
org staff only) and the reminders at their boundaries (31 Dec / 1 Jan; 30 Sep / 1 Oct)."""
import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from cadres import services
from cadres.models import Cadre, HealthCheck, LeaveYear, Talk
from tests.conftest import make_people, make_tree, rolled_back

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    def build():
        tree = make_tree()
        people = make_people(tree)
        return {"cadre_a": people.cadre_a.pk, "cadre_b": people.cadre_b.pk,
                **{role: getattr(people, role).pk for role in ("org_staff", "auditor", "leader", "no_role_user")}}

    with rolled_back(django_db_blocker, build) as built:
        yield built


def user(world, role):
    return get_user_model().objects.get(pk=world[role])


def cadre(world, key="cadre_a"):
    return Cadre.objects.get(pk=world[key])


def talk_data(**kw):
    return {"held_on": dt.date(2026, 3, 1), "talked_by": "王部长", "topics": "工作和家庭情况", **kw}


def test_leader_records_a_talk_for_a_cadre_in_scope_audited(world):
    t = services.care_create(by=user(world, "leader"), care_kind="talk", cadre=cadre(world), **talk_data())
    assert Talk.objects.filter(pk=t.pk).exists()
    assert t.history.first().history_user_id == world["leader"]


def test_leader_outside_scope_gets_404_and_nothing_saved(world):
    with pytest.raises(Http404):
        services.care_create(by=user(world, "leader"), care_kind="talk", cadre=cadre(world, "cadre_b"), **talk_data())
    assert not Talk.objects.exists()


def test_auditor_may_not_write_care_records(world):
    with pytest.raises(PermissionDenied):
        services.care_create(by=user(world, "auditor"), care_kind="talk", cadre=cadre(world), **talk_data())
    t = services.care_create(by=user(world, "org_staff"), care_kind="talk", cadre=cadre(world), **talk_data())
    with pytest.raises(PermissionDenied):
        services.care_delete(by=user(world, "auditor"), instance=t)


def test_validation_lists_every_problem_by_field_in_chinese(world):
    with pytest.raises(ValidationError) as e:
        services.care_create(by=user(world, "org_staff"), care_kind="talk", cadre=cadre(world),
                             held_on=dt.date.today() + dt.timedelta(days=2), talked_by="", topics="")
    errors = e.value.message_dict
    assert set(errors) == {"held_on", "talked_by", "topics"}
    assert "谈话日期不能晚于今天" in errors["held_on"][0]
    assert not Talk.objects.exists()


def test_leave_taken_above_entitlement_and_duplicate_year_refused(world):
    by = user(world, "org_staff")
    with pytest.raises(ValidationError) as e:
        services.care_create(by=by, care_kind="leave", cadre=cadre(world), year=1990, entitled_days=70, taken_days=80)
    errors = e.value.message_dict
    assert set(errors) == {"year", "entitled_days", "taken_days"}
    assert errors["taken_days"] == ["已休天数不能多于应休天数。"]
    assert "__all__" not in errors  # the constraints repeat the rules: said once
    services.care_create(by=by, care_kind="leave", cadre=cadre(world), year=2026, entitled_days=10, taken_days=2)
    with pytest.raises(ValidationError) as e:
        services.care_create(by=by, care_kind="leave", cadre=cadre(world), year=2026, entitled_days=10)
    assert "该干部这一年度已有休假记录。" in str(e.value)


def test_overtime_and_away_rules(world):
    by = user(world, "org_staff")
    with pytest.raises(ValidationError) as e:
        services.care_create(by=by, care_kind="overtime", cadre=cadre(world), worked_on=dt.date(2026, 5, 2),
                             hours=Decimal("30"), reason="防汛", time_off_days_granted=Decimal("11"),
                             time_off_taken_on=dt.date(2026, 5, 1))
    assert set(e.value.message_dict) == {"hours", "time_off_days_granted", "time_off_taken_on"}
    with pytest.raises(ValidationError) as e:
        services.care_create(by=by, care_kind="away", cadre=cadre(world), host="叶县", start_date=dt.date(2025, 5, 2),
                             end_date=dt.date(2025, 5, 1), travel_home_per_year=60)
    assert set(e.value.message_dict) == {"end_date", "travel_home_per_year"}


def test_only_org_staff_write_health_details(world):
    leader = user(world, "leader")
    with pytest.raises(ValidationError) as e:
        services.care_create(by=leader, care_kind="health", cadre=cadre(world), checked_on=dt.date(2026, 4, 1),
                             conclusion="未见异常", details="血压偏高")
    assert "details" in e.value.message_dict
    h = services.care_create(by=leader, care_kind="health", cadre=cadre(world), checked_on=dt.date(2026, 4, 1),
                             conclusion="未见异常")
    h = services.care_update(by=user(world, "org_staff"), instance=h, details="血压偏高")
    # a leader edits the conclusion; the details stay
    services.care_update(by=leader, instance=h, conclusion="基本正常")
    assert HealthCheck.objects.get(pk=h.pk).details == "血压偏高"
    with pytest.raises(ValidationError):
        services.care_update(by=leader, instance=h, details="")
    assert services.may_see_health(user(world, "org_staff"), h)
    assert not services.may_see_health(leader, h)
    assert not services.may_see_health(user(world, "auditor"), h)


# --------------------------------------------------------------------------- reminders
def ids(reminder):
    return set(reminder.cadre_ids)


def test_no_talk_reminder_counts_this_calendar_year_only(world):
    org = user(world, "org_staff")
    Talk.objects.create(cadre=cadre(world), held_on=dt.date(2025, 12, 31), talked_by="王", topics="年终")
    assert world["cadre_a"] in ids(services.no_talk_reminder(user=org, today=dt.date(2026, 1, 1)))
    assert world["cadre_a"] not in ids(services.no_talk_reminder(user=org, today=dt.date(2025, 12, 31)))
    Talk.objects.create(cadre=cadre(world), held_on=dt.date(2026, 1, 1), talked_by="王", topics="新年")
    assert world["cadre_a"] not in ids(services.no_talk_reminder(user=org, today=dt.date(2026, 1, 1)))
    r = services.no_talk_reminder(user=org, today=dt.date(2026, 1, 1))
    assert "2026" in r.sentence and "谈心谈话" in r.sentence


def test_no_checkup_reminder_counts_this_calendar_year_only(world):
    org = user(world, "org_staff")
    HealthCheck.objects.create(cadre=cadre(world), checked_on=dt.date(2025, 12, 31))
    assert world["cadre_a"] in ids(services.no_checkup_reminder(user=org, today=dt.date(2026, 1, 1)))
    assert world["cadre_a"] not in ids(services.no_checkup_reminder(user=org, today=dt.date(2025, 12, 31)))


def test_leave_reminder_from_october_first_below_half(world):
    org = user(world, "org_staff")
    LeaveYear.objects.create(cadre=cadre(world), year=2026, entitled_days=10, taken_days=4)
    LeaveYear.objects.create(cadre=cadre(world, "cadre_b"), year=2026, entitled_days=10, taken_days=5)
    assert ids(services.leave_reminder(user=org, today=dt.date(2026, 9, 30))) == set()
    assert ids(services.leave_reminder(user=org, today=dt.date(2026, 10, 1))) == {world["cadre_a"]}  # 4 < 5


def test_reminders_are_scoped_by_the_gate(world):
    leader = user(world, "leader")
    day = dt.date(2026, 6, 1)
    assert ids(services.no_talk_reminder(user=leader, today=day)) == {world["cadre_a"]}
    assert ids(services.no_checkup_reminder(user=user(world, "no_role_user"), today=day)) == set()
