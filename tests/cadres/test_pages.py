"""The roster pages: list (search, filters, sorting, query count), detail tabs, forms and the
gate (404 out of scope, 403 read-only), unit tree and unit detail."""
import datetime as dt
import html
import re

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadres import services
from cadres.models import Appointment, Cadre, CareerEntry, RankQuota, Tag, Training
from tests.factories import CadreFactory, PostFactory, make_unit, rank

D = dt.date
LIST = reverse("cadres:cadre_list")


def names(response):
    """Names of the cadres on a roster page, in order."""
    return [c.name for c in response.context["cadres"]]


def login(client, user):
    client.force_login(user)
    return client


def years_ago(n, days=0):
    t = dt.date.today()
    return t.replace(year=t.year - n) - dt.timedelta(days=days)


# --------------------------------------------------------------------------- roster: roles and scope
@pytest.mark.django_db
def test_roster_rows_per_role(client, org_staff, auditor, leader, no_role_user, cadre_a, cadre_b):
    for user in (org_staff, auditor):
        r = login(client, user).get(LIST)
        assert r.status_code == 200
        assert sorted(names(r)) == sorted(["张三", "李四"])
    r = login(client, leader).get(LIST)
    assert r.status_code == 200
    assert names(r) == ["张三"]
    assert "李四" not in r.content.decode()
    assert login(client, no_role_user).get(LIST).status_code == 403
    client.logout()
    r = client.get(LIST)
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


@pytest.mark.django_db
def test_create_button_only_for_users_who_may_change(client, org_staff, auditor, leader, cadre_a):
    create_url = reverse("cadres:cadre_create")
    assert create_url in login(client, org_staff).get(LIST).content.decode()
    assert create_url in login(client, leader).get(LIST).content.decode()
    assert create_url not in login(client, auditor).get(LIST).content.decode()


@pytest.mark.django_db
def test_leader_unit_select_lists_only_own_subtree(client, leader, tree):
    form = login(client, leader).get(LIST).context["form"]
    assert {u.name for u in form.fields["unit"].queryset} == {"宝丰县", "城关镇"}
    r = client.get(LIST, {"unit": tree.county_b.pk})
    assert r.context["form"].errors.get("unit")  # another county is not a valid choice for the leader


# --------------------------------------------------------------------------- roster: search and filters
@pytest.mark.django_db
def test_search_by_pinyin_initials_name_and_id_number(client, org_staff, cadre_a, cadre_b, tree):
    CadreFactory(unit=tree.town_a, name="赵六")
    login(client, org_staff)
    assert names(client.get(LIST, {"q": "zs"})) == ["张三"]
    assert names(client.get(LIST, {"q": "ZS"})) == ["张三"]
    assert names(client.get(LIST, {"q": "李"})) == ["李四"]
    assert names(client.get(LIST, {"q": cadre_b.id_number[:14]})) == ["李四"]


@pytest.mark.django_db
def test_unit_filter_includes_subtree(client, org_staff, tree, cadre_a, cadre_b):
    CadreFactory(unit=tree.county_a, name="王五")
    CadreFactory(unit=tree.dept, name="赵六")
    login(client, org_staff)
    assert sorted(names(client.get(LIST, {"unit": tree.county_a.pk}))) == sorted(["张三", "王五"])
    assert names(client.get(LIST, {"unit": tree.town_a.pk})) == ["张三"]
    assert len(names(client.get(LIST, {"unit": tree.city.pk}))) == 4


@pytest.mark.django_db
def test_age_filter(client, org_staff, tree):
    CadreFactory(unit=tree.town_a, name="年轻", birth_date=years_ago(30, days=10))
    CadreFactory(unit=tree.town_a, name="中年", birth_date=years_ago(45, days=10))
    CadreFactory(unit=tree.town_a, name="年长", birth_date=years_ago(58, days=10))
    login(client, org_staff)
    assert names(client.get(LIST, {"age_min": 40, "age_max": 50})) == ["中年"]
    assert sorted(names(client.get(LIST, {"age_max": 45}))) == sorted(["年轻", "中年"])
    assert names(client.get(LIST, {"age_min": 46})) == ["年长"]


@pytest.mark.django_db
def test_other_filters(client, org_staff, tree, post_a):
    a = CadreFactory(unit=tree.town_a, name="张三", gender="M", political_status="masses", fulltime_education=5,
                     highest_education=5)
    b = CadreFactory(unit=tree.town_a, name="李四", gender="F")
    tag = Tag.objects.create(name="优秀年轻干部")
    b.tags.add(tag)
    services.appointment_create(by=org_staff, cadre=a, post=post_a, start_date=D(2023, 1, 1))
    services.rank_assign(by=org_staff, cadre=b, rank=rank("一级主任科员"), start_date=D(2022, 1, 1))
    login(client, org_staff)
    assert names(client.get(LIST, {"gender": "F"})) == ["李四"]
    assert names(client.get(LIST, {"tag": tag.pk})) == ["李四"]
    assert names(client.get(LIST, {"party_member": "false"})) == ["张三"]
    assert names(client.get(LIST, {"party_member": "true"})) == ["李四"]
    assert names(client.get(LIST, {"education": 5})) == ["张三"]
    assert names(client.get(LIST, {"post_level": 2})) == ["张三"]
    assert names(client.get(LIST, {"rank": rank("一级主任科员").pk})) == ["李四"]
    assert names(client.get(LIST, {"status": "retired"})) == []
    r = client.get(LIST)
    body = r.content.decode()
    assert post_a.name in body and "一级主任科员" in body and "优秀年轻干部" in body


@pytest.mark.django_db
def test_bad_filter_value_shows_chinese_error_not_a_crash(client, org_staff, cadre_a):
    r = login(client, org_staff).get(LIST, {"age_min": "abc"})
    assert r.status_code == 200
    errors = r.context["form"].errors["age_min"]
    assert errors and re.search(r"[\u4e00-\u9fff]", errors[0])
    assert errors[0] in r.content.decode()
    assert names(r) == ["张三"]  # the bad filter is ignored, the list still shows


# --------------------------------------------------------------------------- roster: sorting and pages
@pytest.mark.django_db
def test_sorting_toggles_and_shows_arrow(client, org_staff, tree):
    CadreFactory(unit=tree.town_a, name="甲", birth_date=D(1980, 1, 1))
    CadreFactory(unit=tree.town_a, name="乙", birth_date=D(1970, 1, 1))
    CadreFactory(unit=tree.town_a, name="丙", birth_date=D(1990, 1, 1))
    login(client, org_staff)
    r = client.get(LIST, {"ordering": "birth_date"})
    assert names(r) == ["乙", "甲", "丙"]
    header = next(h for h in r.context["headers"] if h.get("url") and "birth_date" in h["url"])
    assert header["arrow"] == "up" and "ordering=-birth_date" in header["url"]
    assert "bi-arrow-up" in r.content.decode()
    r = client.get(LIST, {"ordering": "-birth_date"})
    assert names(r) == ["丙", "甲", "乙"]
    header = next(h for h in r.context["headers"] if h.get("url") and "birth_date" in h["url"])
    assert header["arrow"] == "down" and "ordering=birth_date" in header["url"]
    # pinyin order by name: bing, jia, yi
    assert names(client.get(LIST, {"ordering": "name"})) == ["丙", "甲", "乙"]


@pytest.mark.django_db
def test_pagination_keeps_filters(client, org_staff, tree, settings):
    settings.ROSTER_PAGE_SIZE = 5
    CadreFactory.create_batch(12, unit=tree.town_a, gender="M")
    CadreFactory.create_batch(3, unit=tree.town_b, gender="M")
    login(client, org_staff)
    r = client.get(LIST, {"unit": tree.town_a.pk, "ordering": "-birth_date"})
    assert r.context["page_obj"].paginator.count == 12
    assert len(names(r)) == 5
    body = r.content.decode()
    page2 = [QueryDict(html.unescape(h)) for h in re.findall(r'href="\?([^"]*page=2[^"]*)"', body)]
    assert page2 and all(q.dict() == {"unit": str(tree.town_a.pk), "ordering": "-birth_date", "page": "2"} for q in page2)
    r3 = client.get(LIST, {"unit": tree.town_a.pk, "ordering": "-birth_date", "page": 3})
    assert len(names(r3)) == 2
    export_url = reverse("cadres:cadre_export")
    assert f"{export_url}?format=xlsx&amp;" in body and f"unit={tree.town_a.pk}" in body
    all_seen = names(r) + names(client.get(LIST, {"unit": tree.town_a.pk, "ordering": "-birth_date", "page": 2})) + names(r3)
    assert len(all_seen) == 12


def _roster_fixture(tree, n, org_staff):
    tags = [Tag.objects.create(name=f"标签{i}") for i in range(3)]
    post = PostFactory(unit=tree.town_a, name="科员岗位", quota=100)
    cadres = CadreFactory.create_batch(n, unit=tree.town_a)
    for c in cadres:
        c.tags.set(tags[:2])
        Appointment.objects.create(cadre=c, post=post, start_date=D(2020, 1, 1))
    Cadre.objects.filter(pk__in=[c.pk for c in cadres]).update(current_post=post, current_rank=rank())
    return cadres


@pytest.mark.django_db
def test_roster_query_count_constant(client, org_staff, tree, django_assert_num_queries):
    login(client, org_staff)
    cadres = _roster_fixture(tree, 10, org_staff)
    client.get(LIST)  # warm up (session, content types)
    with CaptureQueriesContext(connection) as ten:
        r = client.get(LIST)
    assert r.status_code == 200 and len(r.context["cadres"]) == 10
    CadreFactory.create_batch(40, unit=tree.town_b)
    extra = Cadre.objects.exclude(pk__in=[c.pk for c in cadres])
    for c in extra:
        c.tags.set(Tag.objects.all())
    with django_assert_num_queries(len(ten.captured_queries)):
        r = client.get(LIST)
    assert r.status_code == 200 and len(r.context["cadres"]) == 50


# --------------------------------------------------------------------------- detail
@pytest.mark.django_db
@pytest.mark.parametrize("tab", ["profile", "posts", "career", "training", "history"])
def test_detail_tabs_render(client, org_staff, cadre_a, post_a, tab):
    services.appointment_create(by=org_staff, cadre=cadre_a, post=post_a, start_date=D(2023, 1, 1))
    services.cadre_child_save(by=org_staff, model=CareerEntry, cadre=cadre_a, start_date=D(2000, 7, 1),
                              description="宝丰县城关镇科员")
    services.cadre_child_save(by=org_staff, model=Training, cadre=cadre_a, title="中青年干部培训班",
                              start_date=D(2021, 3, 1), hours=40)
    r = login(client, org_staff).get(reverse("cadres:cadre_detail", args=[cadre_a.pk]), {"tab": tab})
    assert r.status_code == 200
    body = r.content.decode()
    expected = {"profile": cadre_a.id_number, "posts": "镇长", "career": "宝丰县城关镇科员",
                "training": "中青年干部培训班", "history": "宝丰县城关镇科员"}[tab]
    assert expected in body
    assert 'class="nav-link active"' in body


@pytest.mark.django_db
def test_history_tab_hidden_from_leader(client, leader, cadre_a):
    r = login(client, leader).get(reverse("cadres:cadre_detail", args=[cadre_a.pk]), {"tab": "history"})
    assert r.status_code == 200
    assert r.context["history_allowed"] is False


@pytest.mark.django_db
def test_leader_gets_404_outside_scope(client, leader, cadre_a, cadre_b):
    login(client, leader)
    assert client.get(reverse("cadres:cadre_detail", args=[cadre_a.pk])).status_code == 200
    for name in ("cadre_detail", "cadre_edit", "cadre_photo", "appointment_create", "rank_assign", "career_create"):
        assert client.get(reverse(f"cadres:{name}", args=[cadre_b.pk])).status_code == 404, name
    r = client.post(reverse("cadres:cadre_edit", args=[cadre_b.pk]), {"name": "改名"})
    assert r.status_code == 404
    cadre_b.refresh_from_db()
    assert cadre_b.name == "李四"


@pytest.mark.django_db
def test_auditor_and_no_role_get_403_on_writes(client, auditor, no_role_user, cadre_a, tree):
    data = {"name": "新人", "gender": "M", "birth_date": "1985-05-05", "id_number": "41040219850505001X",
            "unit": tree.town_a.pk, "political_status": "cpc", "fulltime_education": 4, "fulltime_degree": 0,
            "inservice_education": 0, "inservice_degree": 0, "status": "active", "ethnicity": "汉族"}
    for user in (auditor, no_role_user):
        login(client, user)
        assert client.post(reverse("cadres:cadre_create"), data).status_code == 403
        assert client.post(reverse("cadres:cadre_edit", args=[cadre_a.pk]), data).status_code == 403
        assert client.get(reverse("cadres:cadre_create")).status_code == 403
        assert client.post(reverse("cadres:cadre_delete", args=[cadre_a.pk])).status_code == 403
        assert client.post(reverse("cadres:career_create", args=[cadre_a.pk]),
                           {"start_date": "2000-01-01", "description": "x"}).status_code == 403
    assert not Cadre.objects.filter(name="新人").exists()
    assert not CareerEntry.objects.exists()


@pytest.mark.django_db
def test_write_views_refuse_get_where_post_only(client, org_staff, cadre_a):
    login(client, org_staff)
    assert client.get(reverse("cadres:cadre_delete", args=[cadre_a.pk])).status_code == 405


# --------------------------------------------------------------------------- create / edit forms
def _cadre_post_data(tree, **over):
    data = {"name": "王小明", "gender": "M", "ethnicity": "汉族", "birth_date": "1985-05-05",
            "id_number": "110105198505050038", "native_place": "河南宝丰", "unit": tree.town_a.pk,
            "political_status": "cpc", "party_join_date": "2008-07-01", "work_start_date": "2007-07-01",
            "fulltime_education": 4, "fulltime_degree": 1, "fulltime_school": "郑州大学", "fulltime_major": "法学",
            "inservice_education": 5, "inservice_degree": 2, "inservice_school": "", "inservice_major": "",
            "phone": "13800000000", "status": "active"}
    data.update(over)
    return data


@pytest.mark.django_db
def test_create_with_bad_id_number_shows_chinese_error_and_saves_nothing(client, org_staff, tree):
    login(client, org_staff)
    r = client.post(reverse("cadres:cadre_create"), _cadre_post_data(tree, id_number="110105198505050039"))
    assert r.status_code == 200
    errors = r.context["form"].errors["id_number"]
    assert "校验位" in errors[0]
    body = r.content.decode()
    # the message is rendered right after the id_number input
    next_to_field = (r'name="id_number"[^>]*>\s*(<div class="form-text">.*?</div>\s*)?'
                     r'<div class="field-error">身份证号码校验位错误')
    assert re.search(next_to_field, body, re.S)
    assert not Cadre.objects.exists()


@pytest.mark.django_db
def test_create_then_appears_with_derived_fields(client, org_staff, tree):
    tag = Tag.objects.create(name="后备干部")
    login(client, org_staff)
    r = client.post(reverse("cadres:cadre_create"), _cadre_post_data(tree, tags=[tag.pk]))
    assert r.status_code == 302
    c = Cadre.objects.get(name="王小明")
    assert r["Location"] == reverse("cadres:cadre_detail", args=[c.pk])
    assert c.name_initials == "wxm" and c.highest_education == 5 and list(c.tags.all()) == [tag]
    assert c.history.first().history_user == org_staff
    r = client.get(r["Location"])
    assert "已保存" in r.content.decode()


@pytest.mark.django_db
def test_edit_works_and_writes_history(client, org_staff, cadre_a):
    login(client, org_staff)
    url = reverse("cadres:cadre_edit", args=[cadre_a.pk])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k != "tags"}
    data.update(phone="13912345678", native_place="河南郏县", birth_date=cadre_a.birth_date.isoformat())
    before = cadre_a.history.count()
    r = client.post(url, data)
    assert r.status_code == 302, r.context["form"].errors if r.context else r
    cadre_a.refresh_from_db()
    assert cadre_a.phone == "13912345678" and cadre_a.native_place == "河南郏县"
    assert cadre_a.history.count() == before + 1
    last = cadre_a.history.first()
    assert last.history_type == "~" and last.history_user == org_staff and last.phone == "13912345678"


@pytest.mark.django_db
def test_leader_edit_limited_to_own_units(client, leader, cadre_a, tree):
    login(client, leader)
    url = reverse("cadres:cadre_edit", args=[cadre_a.pk])
    form = client.get(url).context["form"]
    assert {u.name for u in form.fields["unit"].queryset} == {"宝丰县", "城关镇"}
    data = {k: v for k, v in form.initial.items() if v is not None and k != "tags"}
    data.update(birth_date=cadre_a.birth_date.isoformat(), unit=tree.county_b.pk)
    r = client.post(url, data)
    assert r.status_code == 200 and "unit" in r.context["form"].errors
    data["unit"] = tree.county_a.pk
    assert client.post(url, data).status_code == 302
    cadre_a.refresh_from_db()
    assert cadre_a.unit == tree.county_a


@pytest.mark.django_db
def test_delete_org_staff_only(client, org_staff, leader, cadre_a):
    url = reverse("cadres:cadre_delete", args=[cadre_a.pk])
    r = login(client, leader).post(url)  # leaders change cadres of their units but never delete them
    assert r.status_code == 403 and Cadre.objects.filter(pk=cadre_a.pk).exists()
    assert url not in client.get(reverse("cadres:cadre_detail", args=[cadre_a.pk])).content.decode()
    r = login(client, org_staff).post(url)
    assert r.status_code == 302 and r["Location"] == LIST
    assert not Cadre.objects.filter(pk=cadre_a.pk).exists()


# --------------------------------------------------------------------------- appointments, ranks, career, training
@pytest.mark.django_db
def test_appointment_over_quota_shows_chinese_error(client, org_staff, tree):
    post = PostFactory(unit=tree.town_a, name="副镇长", quota=1)
    holder, other = CadreFactory.create_batch(2, unit=tree.town_a)
    services.appointment_create(by=org_staff, cadre=holder, post=post, start_date=D(2023, 1, 1))
    login(client, org_staff)
    url = reverse("cadres:appointment_create", args=[other.pk])
    r = client.post(url, {"unit": tree.town_a.pk, "post": post.pk, "start_date": "2024-01-01"})
    assert r.status_code == 200
    assert "超出职数" in r.context["form"].errors["post"][0]
    assert "超出职数" in r.content.decode()
    assert not Appointment.objects.filter(cadre=other).exists()


@pytest.mark.django_db
def test_appointment_create_end_delete(client, org_staff, cadre_a, post_a, tree):
    login(client, org_staff)
    url = reverse("cadres:appointment_create", args=[cadre_a.pk])
    r = client.get(url)
    assert list(r.context["form"].fields["post"].queryset) == [post_a]
    county_post = PostFactory(unit=tree.county_a, name="副县长")
    r = client.get(url, {"unit": tree.county_a.pk}, HTTP_HX_REQUEST="true")  # the unit select reloads the posts
    assert list(r.context["form"].fields["post"].queryset) == [county_post]
    assert 'id="post-field"' in r.content.decode()
    r = client.post(url, {"unit": tree.town_a.pk, "post": post_a.pk, "start_date": "2023-01-01",
                          "document_no": "宝组〔2023〕1号"})
    assert r.status_code == 302
    cadre_a.refresh_from_db()
    assert cadre_a.current_post == post_a
    a = Appointment.objects.get(cadre=cadre_a)
    r = client.post(reverse("cadres:appointment_end", args=[a.pk]), {"end_date": "2022-01-01"})
    assert r.status_code == 200 and "免职时间不能早于任职时间" in r.content.decode()
    r = client.post(reverse("cadres:appointment_end", args=[a.pk]), {"end_date": "2024-06-30"})
    assert r.status_code == 302
    cadre_a.refresh_from_db()
    assert cadre_a.current_post is None
    client.post(reverse("cadres:appointment_delete", args=[a.pk]))
    assert not Appointment.objects.exists()


@pytest.mark.django_db
def test_leader_cannot_pick_post_outside_scope(client, leader, cadre_a, tree):
    other_post = PostFactory(unit=tree.town_b, name="街道主任")
    login(client, leader)
    url = reverse("cadres:appointment_create", args=[cadre_a.pk])
    r = client.post(url, {"unit": tree.town_b.pk, "post": other_post.pk, "start_date": "2024-01-01"})
    assert r.status_code == 200 and "post" in r.context["form"].errors
    assert not Appointment.objects.exists()
    form = client.get(url).context["form"]
    assert tree.town_b not in form.fields["unit"].queryset


@pytest.mark.django_db
def test_rank_assign_quota_error_and_success(client, org_staff, tree):
    r1 = rank("一级主任科员")
    RankQuota.objects.create(unit=tree.town_a, rank=r1, quota=1)
    a, b = CadreFactory.create_batch(2, unit=tree.town_a)
    login(client, org_staff)
    r = client.post(reverse("cadres:rank_assign", args=[a.pk]), {"rank": r1.pk, "start_date": "2022-01-01"})
    assert r.status_code == 302
    r = client.post(reverse("cadres:rank_assign", args=[b.pk]), {"rank": r1.pk, "start_date": "2022-01-01"})
    assert r.status_code == 200 and "超出职级职数" in r.context["form"].errors["rank"][0]


@pytest.mark.django_db
def test_career_and_training_crud(client, leader, cadre_a):
    login(client, leader)
    r = client.post(reverse("cadres:career_create", args=[cadre_a.pk]),
                    {"start_date": "2005-07-01", "end_date": "2004-01-01", "description": "城关镇科员"})
    assert r.status_code == 200 and "终止时间不能早于起始时间" in r.content.decode()
    r = client.post(reverse("cadres:career_create", args=[cadre_a.pk]),
                    {"start_date": "2005-07-01", "description": "城关镇科员"})
    assert r.status_code == 302 and r["Location"].endswith("?tab=career")
    e = CareerEntry.objects.get()
    client.post(reverse("cadres:career_edit", args=[e.pk]), {"start_date": "2005-07-01", "description": "城关镇副镇长"})
    e.refresh_from_db()
    assert e.description == "城关镇副镇长"
    client.post(reverse("cadres:career_delete", args=[e.pk]))
    assert not CareerEntry.objects.exists()

    r = client.post(reverse("cadres:training_create", args=[cadre_a.pk]),
                    {"title": "党校培训", "start_date": "2021-03-01", "hours": 40})
    assert r.status_code == 302
    t = Training.objects.get()
    client.post(reverse("cadres:training_edit", args=[t.pk]), {"title": "党校培训", "start_date": "2021-03-01", "hours": 48})
    t.refresh_from_db()
    assert t.hours == 48
    client.post(reverse("cadres:training_delete", args=[t.pk]))
    assert not Training.objects.exists()


@pytest.mark.django_db
def test_children_of_other_units_404_for_leader(client, org_staff, leader, cadre_b):
    e = services.cadre_child_save(by=org_staff, model=CareerEntry, cadre=cadre_b, start_date=D(2000, 1, 1),
                                  description="叶县")
    login(client, leader)
    assert client.get(reverse("cadres:career_edit", args=[e.pk])).status_code == 404
    assert client.post(reverse("cadres:career_delete", args=[e.pk])).status_code == 404
    assert CareerEntry.objects.filter(pk=e.pk).exists()


# --------------------------------------------------------------------------- photo
@pytest.mark.django_db
def test_photo_is_gated(client, org_staff, leader, cadre_a, cadre_b, settings, tmp_path):
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path
    gif = (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,"
           b"\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")
    for c in (cadre_a, cadre_b):
        c.photo.save("p.gif", ContentFile(gif), save=True)
    login(client, leader)
    r = client.get(reverse("cadres:cadre_photo", args=[cadre_a.pk]))
    assert r.status_code == 200 and b"".join(r.streaming_content) == gif
    assert client.get(reverse("cadres:cadre_photo", args=[cadre_b.pk])).status_code == 404
    Cadre.objects.filter(pk=cadre_a.pk).update(photo="")
    assert client.get(reverse("cadres:cadre_photo", args=[cadre_a.pk])).status_code == 404


# --------------------------------------------------------------------------- units
@pytest.mark.django_db
def test_unit_tree_nested_with_counts_and_search(client, org_staff, leader, tree, cadre_a, cadre_b):
    CadreFactory(unit=tree.county_a)
    login(client, org_staff)
    r = client.get(reverse("cadres:unit_tree"))
    assert r.status_code == 200
    (root,) = r.context["roots"]
    assert root["unit"] == tree.city and root["total"] == 3
    county_a = next(n for n in root["children"] if n["unit"] == tree.county_a)
    assert county_a["count"] == 1 and county_a["total"] == 2
    assert [n["unit"] for n in county_a["children"]] == [tree.town_a]
    r = client.get(reverse("cadres:unit_tree"), {"q": "昆阳"})
    body = r.content.decode()
    assert "昆阳街道" in body and "叶县" in body and "城关镇" not in body
    r = login(client, leader).get(reverse("cadres:unit_tree"))
    assert [n["unit"] for n in r.context["roots"]] == [tree.county_a]
    assert "叶县" not in r.content.decode()


@pytest.mark.django_db
def test_unit_tree_query_count_constant(client, org_staff, tree, django_assert_max_num_queries):
    login(client, org_staff)
    client.get(reverse("cadres:unit_tree"))
    with CaptureQueriesContext(connection) as few:
        r = client.get(reverse("cadres:unit_tree"))
    assert r.status_code == 200
    for i in range(20):
        make_unit(f"新单位{i}", parent=tree.county_b)
    with django_assert_max_num_queries(len(few.captured_queries)):
        r = client.get(reverse("cadres:unit_tree"))
    assert r.status_code == 200 and "新单位19" in r.content.decode()


@pytest.mark.django_db
def test_unit_detail_quota_used_free(client, org_staff, tree):
    post = PostFactory(unit=tree.town_a, name="副镇长", quota=3)
    c1, c2, c3 = CadreFactory.create_batch(3, unit=tree.town_a)
    services.appointment_create(by=org_staff, cadre=c1, post=post, start_date=D(2023, 1, 1))
    services.appointment_create(by=org_staff, cadre=c2, post=post, start_date=D(2023, 1, 1))
    r1 = rank("一级主任科员")
    services.rank_quota_set(by=org_staff, unit=tree.town_a, rank=r1, quota=4)
    services.rank_assign(by=org_staff, cadre=c3, rank=r1, start_date=D(2022, 1, 1))
    login(client, org_staff)
    r = client.get(reverse("cadres:unit_detail", args=[tree.town_a.pk]))
    assert r.status_code == 200
    (p,) = r.context["posts"]
    assert (p.quota, p.used, p.free) == (3, 2, 1)
    (row,) = r.context["rank_rows"]
    assert (row["quota"], row["used"], row["free"]) == (4, 1, 3)
    assert r.context["active_count"] == 3
    body = r.content.decode()
    assert 'data-used="2"' in body and 'data-free="1"' in body and 'data-free="3"' in body
    assert f"{LIST}?unit={tree.town_a.pk}" in body


@pytest.mark.django_db
def test_unit_pages_gate(client, leader, auditor, tree):
    login(client, leader)
    assert client.get(reverse("cadres:unit_detail", args=[tree.town_a.pk])).status_code == 200
    assert client.get(reverse("cadres:unit_detail", args=[tree.town_b.pk])).status_code == 404
    assert client.get(reverse("cadres:unit_edit", args=[tree.town_a.pk])).status_code == 403
    assert client.get(reverse("cadres:unit_edit", args=[tree.town_b.pk])).status_code == 404
    assert client.post(reverse("cadres:post_create", args=[tree.town_a.pk]), {}).status_code == 403
    assert client.get(reverse("cadres:rank_quotas", args=[tree.town_a.pk])).status_code == 403
    login(client, auditor)
    assert client.get(reverse("cadres:unit_detail", args=[tree.town_b.pk])).status_code == 200
    assert client.post(reverse("cadres:unit_edit", args=[tree.town_a.pk]), {}).status_code == 403


@pytest.mark.django_db
def test_unit_post_and_quota_forms(client, org_staff, tree):
    login(client, org_staff)
    r = client.post(reverse("cadres:unit_create") + f"?parent={tree.county_a.pk}",
                    {"code": "410421101", "name": "杨庄镇", "level": "township", "kind": "town", "establishment": 40,
                     "is_active": "on"})
    assert r.status_code == 302
    from cadres.models import Unit

    town = Unit.objects.get(code="410421101")
    assert Unit.objects.get_parent(town) == tree.county_a
    r = client.post(reverse("cadres:unit_create"), {"code": "410421101", "name": "重复", "level": "township",
                                                    "kind": "town", "establishment": 1})
    assert r.status_code == 200 and "code" in r.context["form"].errors
    r = client.post(reverse("cadres:unit_edit", args=[town.pk]),
                    {"code": "410421101", "name": "杨庄镇", "level": "township", "kind": "town", "establishment": 45,
                     "is_active": "on"})
    town.refresh_from_db()
    assert town.establishment == 45
    r = client.post(reverse("cadres:post_create", args=[town.pk]),
                    {"name": "镇长", "kind": "party_gov_chief", "level": 2, "quota": 1, "is_chief": "on", "order": 1})
    assert r.status_code == 302
    post = town.posts.get()
    c = CadreFactory(unit=town)
    services.appointment_create(by=org_staff, cadre=c, post=post, start_date=D(2024, 1, 1))
    r = client.post(reverse("cadres:post_delete", args=[post.pk]), follow=True)
    assert "不能删除" in r.content.decode() and town.posts.exists()
    r1 = rank("一级主任科员")
    services.rank_assign(by=org_staff, cadre=c, rank=r1, start_date=D(2023, 1, 1))
    r = client.post(reverse("cadres:rank_quotas", args=[town.pk]), {f"rank_{r1.pk}": 0})
    assert r.status_code == 200 and "职数不能少于现有人数" in r.content.decode()
    assert not RankQuota.objects.filter(unit=town).exists()
    r = client.post(reverse("cadres:rank_quotas", args=[town.pk]), {f"rank_{r1.pk}": 2})
    assert r.status_code == 302
    assert RankQuota.objects.get(unit=town, rank=r1).quota == 2
    r = client.post(reverse("cadres:unit_delete", args=[town.pk]), follow=True)
    assert "不能删除" in r.content.decode()




@pytest.mark.django_db
def test_unit_page_shows_its_history_to_auditors_only(client, org_staff, auditor, leader, tree):
    services.unit_update(by=org_staff, unit=tree.town_a, establishment=77)
    url = reverse("cadres:unit_detail", args=[tree.town_a.pk])
    html = login(client, auditor).get(url).content.decode()
    assert "变更历史" in html and "77" in html
    client.logout()
    assert "变更历史" not in login(client, leader).get(url).content.decode()
