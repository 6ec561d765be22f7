import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from cadres import services
from cadres.models import Appointment, Cadre
from tests.factories import CadreFactory, PostFactory, rank

D = dt.date


def test_quota_refused_with_chinese_message(org_staff, tree):
    post = PostFactory(unit=tree.town_a, name="副镇长", quota=2)
    c1, c2, c3 = CadreFactory.create_batch(3, unit=tree.town_a)
    services.appointment_create(by=org_staff, cadre=c1, post=post, start_date=D(2024, 1, 1))
    services.appointment_create(by=org_staff, cadre=c2, post=post, start_date=D(2024, 3, 1))
    with pytest.raises(ValidationError) as exc:
        services.appointment_create(by=org_staff, cadre=c3, post=post, start_date=D(2024, 6, 1))
    assert "超出职数" in exc.value.message_dict["post"][0]
    assert Appointment.objects.filter(post=post).count() == 2


def test_quota_counts_people_in_office_at_once_not_all_overlaps(org_staff, tree):
    post = PostFactory(unit=tree.town_a, name="副镇长", quota=1)
    c1, c2, c3 = CadreFactory.create_batch(3, unit=tree.town_a)
    services.appointment_create(by=org_staff, cadre=c1, post=post, start_date=D(2020, 1, 1), end_date=D(2020, 12, 31))
    services.appointment_create(by=org_staff, cadre=c2, post=post, start_date=D(2021, 1, 1), end_date=D(2021, 12, 31))
    with pytest.raises(ValidationError):
        services.appointment_create(by=org_staff, cadre=c3, post=post, start_date=D(2021, 6, 1))
    services.appointment_create(by=org_staff, cadre=c3, post=post, start_date=D(2022, 1, 1))


def test_two_overlapping_chiefs_refused(org_staff, tree, post_a):
    post_a.quota = 2
    post_a.save()
    c1, c2 = CadreFactory.create_batch(2, unit=tree.town_a)
    services.appointment_create(by=org_staff, cadre=c1, post=post_a, start_date=D(2023, 1, 1))
    with pytest.raises(ValidationError) as exc:
        services.appointment_create(by=org_staff, cadre=c2, post=post_a, start_date=D(2024, 1, 1))
    assert "正职岗位" in exc.value.message_dict["post"][0]


def test_appointment_updates_current_post_and_history(org_staff, cadre_a, post_a):
    services.appointment_create(by=org_staff, cadre=cadre_a, post=post_a, start_date=D(2023, 1, 1))
    cadre_a.refresh_from_db()
    assert cadre_a.current_post == post_a
    last = cadre_a.history.latest()
    assert last.history_user == org_staff


def test_leader_cannot_move_cadre_out_of_scope(leader, tree, cadre_a):
    with pytest.raises(ValidationError) as exc:
        services.cadre_update(by=leader, cadre=cadre_a, unit=tree.county_b)
    assert "不在您的管理范围内" in exc.value.message_dict["unit"][0]
    cadre_a.refresh_from_db()
    assert cadre_a.unit == tree.town_a


def test_leader_cannot_touch_other_units_cadre(leader, cadre_b):
    with pytest.raises(Http404):
        services.cadre_update(by=leader, cadre=cadre_b, phone="13800000000")


def test_auditor_changes_nothing(auditor, cadre_a):
    with pytest.raises((PermissionDenied, Http404)):
        services.cadre_update(by=auditor, cadre=cadre_a, phone="13800000000")


def test_cadre_create_validates_id_and_derives_initials(org_staff, tree):
    with pytest.raises(ValidationError) as exc:
        services.cadre_create(by=org_staff, unit=tree.town_a, name="张三", gender="M", birth_date=D(1949, 12, 31),
                              id_number="11010519491231002X")
    assert "gender" in exc.value.message_dict
    c = services.cadre_create(by=org_staff, unit=tree.town_a, name="张三", gender="F", birth_date=D(1949, 12, 31),
                              id_number="11010519491231002x")
    assert c.id_number.endswith("X") and c.name_initials == "zs"
    assert Cadre.objects.get(pk=c.pk).history.first().history_type == "+"


def test_rank_quota(org_staff, tree):
    r = rank("一级主任科员")
    services.rank_quota_set(by=org_staff, unit=tree.town_a, rank=r, quota=1)
    c1, c2 = CadreFactory.create_batch(2, unit=tree.town_a)
    services.rank_assign(by=org_staff, cadre=c1, rank=r, start_date=D(2022, 1, 1))
    with pytest.raises(ValidationError) as exc:
        services.rank_assign(by=org_staff, cadre=c2, rank=r, start_date=D(2022, 1, 1))
    assert "超出职级职数" in exc.value.message_dict["rank"][0]
