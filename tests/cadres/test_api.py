"""The roster REST API (/api/v1/): gate per role, token auth, filters, pagination, query counts,
writes through the services (audited with the request user and request id), schema and docs."""
import datetime as dt
import json
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cadres import services
from cadres.models import Appointment, Cadre, CareerEntry, Post, RankHistory, Tag, Training, Unit
from tests.factories import PASSWORD, CadreFactory, PostFactory, rank

D = dt.date
VALID_ID = "11010519491231002X"  # a woman born 1949-12-31


def client_for(user=None):
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


def cadre_url(cadre=None, action=None):
    if cadre is None:
        return reverse("cadre-list")
    if action:
        return reverse(f"cadre-{action}", args=[cadre.pk])
    return reverse("cadre-detail", args=[cadre.pk])


def assert_error_shape(response, status):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"message", "errors"}
    assert isinstance(body["message"], str) and body["message"]
    assert isinstance(body["errors"], dict)
    return body


def new_cadre_payload(unit, **extra):
    data = {"name": "王芳", "gender": "F", "birth_date": "1949-12-31", "id_number": VALID_ID, "unit": unit.pk,
            "political_status": "cpc", "fulltime_education": 4}
    data.update(extra)
    return data


# --------------------------------------------------------------------------- authentication
def test_anonymous_answers_401_with_token_challenge(cadre_a):
    response = client_for().get(cadre_url())
    body = assert_error_shape(response, 401)
    assert response["WWW-Authenticate"] == "Token"
    assert body["errors"] == {}


def test_user_without_role_answers_403(no_role_user, cadre_a):
    assert_error_shape(client_for(no_role_user).get(cadre_url()), 403)


def test_token_obtained_and_used(org_staff, cadre_a):
    client = APIClient()
    response = client.post(reverse("api-token"), {"username": "orgstaff", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    key = response.json()["token"]
    assert Token.objects.get(user=org_staff).key == key

    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = client.get(cadre_url())
    assert response.status_code == 200
    assert [row["name"] for row in response.json()["results"]] == ["张三"]

    assert client.delete(reverse("api-token")).status_code == 204
    assert not Token.objects.filter(user=org_staff).exists()
    assert_error_shape(client.get(cadre_url()), 401)


def test_bad_token_answers_401(cadre_a):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    assert_error_shape(client.get(cadre_url()), 401)


def test_token_endpoint_locks_out_after_five_failures(org_staff, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    client = APIClient()
    url = reverse("api-token")
    for _ in range(4):
        body = assert_error_shape(client.post(url, {"username": "orgstaff", "password": "wrong"}, format="json"), 400)
        assert body["errors"]["non_field_errors"]
    body = assert_error_shape(client.post(url, {"username": "orgstaff", "password": "wrong"}, format="json"), 429)
    assert "锁定" in body["message"]
    # Even the right password is refused while locked out, and no token is handed out.
    body = assert_error_shape(client.post(url, {"username": "orgstaff", "password": PASSWORD}, format="json"), 429)
    assert "锁定" in body["message"]
    assert not Token.objects.exists()


def test_token_endpoint_missing_fields(db):
    body = assert_error_shape(APIClient().post(reverse("api-token"), {}, format="json"), 400)
    assert set(body["errors"]) == {"username", "password"}


# --------------------------------------------------------------------------- reading: scope, filters, pages
def test_list_pagination_shape(org_staff, tree):
    CadreFactory.create_batch(3, unit=tree.town_a)
    body = client_for(org_staff).get(cadre_url(), {"page_size": 2}).json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 3 and len(body["results"]) == 2 and body["previous"] is None
    assert "page=2" in body["next"]
    page2 = client_for(org_staff).get(cadre_url(), {"page_size": 2, "page": 2}).json()
    assert len(page2["results"]) == 1 and page2["next"] is None
    ids = {r["id"] for r in body["results"]} | {r["id"] for r in page2["results"]}
    assert len(ids) == 3


def test_list_row_shape(org_staff, cadre_a, post_a):
    tag = Tag.objects.create(name="优秀年轻干部")
    services.appointment_create(by=org_staff, cadre=cadre_a, post=post_a, start_date=D(2023, 1, 1))
    services.rank_assign(by=org_staff, cadre=cadre_a, rank=rank(), start_date=D(2023, 1, 1))
    cadre_a.tags.add(tag)
    row = client_for(org_staff).get(cadre_url()).json()["results"][0]
    assert set(row) == {"id", "name", "gender", "birth_date", "age", "unit", "current_post", "current_rank", "status",
                        "political_status", "highest_education", "tags"}
    assert row["unit"] == {"id": cadre_a.unit_id, "name": "城关镇"}
    assert row["current_post"] == {"id": post_a.pk, "name": "镇长", "level": 2}
    assert row["current_rank"]["name"] == "一级主任科员"
    assert row["tags"] == ["优秀年轻干部"]
    assert row["age"] == cadre_a.age


def _roster(tree, n, tags, post, grade):
    for c in CadreFactory.create_batch(n, unit=tree.town_a, current_post=post, current_rank=grade):
        c.tags.set(tags)


def test_cadre_list_query_count_is_constant(org_staff, tree, django_assert_num_queries):
    tags = [Tag.objects.create(name="优秀年轻干部"), Tag.objects.create(name="退役军人")]
    post = PostFactory(unit=tree.town_a, quota=100)
    grade = rank()
    client = client_for(org_staff)
    _roster(tree, 10, tags, post, grade)
    with CaptureQueriesContext(connection) as ten:
        r = client.get(cadre_url(), {"page_size": 100})
    assert r.status_code == 200 and len(r.json()["results"]) == 10
    _roster(tree, 40, tags, post, grade)
    with django_assert_num_queries(len(ten.captured_queries)):
        r = client.get(cadre_url(), {"page_size": 100})
    assert r.status_code == 200 and len(r.json()["results"]) == 50


def test_appointment_and_unit_lists_query_count_is_constant(org_staff, tree, django_assert_num_queries):
    client = client_for(org_staff)
    post = PostFactory(unit=tree.town_a, quota=100)

    def add(n):
        for c in CadreFactory.create_batch(n, unit=tree.town_a):
            Appointment.objects.create(cadre=c, post=post, start_date=D(2020, 1, 1))

    add(10)
    with CaptureQueriesContext(connection) as ten:
        appointments = client.get(reverse("appointment-list"), {"page_size": 100})
        units = client.get(reverse("unit-list"))
    assert (appointments.status_code, units.status_code) == (200, 200)
    assert appointments.json()["count"] == 10
    add(40)
    for i in range(10):
        services.unit_create(by=org_staff, parent=tree.town_b, code=f"T{i:03d}", name=f"村{i}", level="township",
                             kind="town")
    with django_assert_num_queries(len(ten.captured_queries)):
        appointments = client.get(reverse("appointment-list"), {"page_size": 100})
        units = client.get(reverse("unit-list"))
    assert (appointments.status_code, units.status_code) == (200, 200)
    assert appointments.json()["count"] == 50 and units.json()["count"] == 16


def test_leader_sees_only_own_subtree(leader, cadre_a, cadre_b):
    client = client_for(leader)
    assert [r["id"] for r in client.get(cadre_url()).json()["results"]] == [cadre_a.pk]
    assert client.get(cadre_url(cadre_a)).status_code == 200
    body = assert_error_shape(client.get(cadre_url(cadre_b)), 404)
    assert "权限范围" in body["message"]
    assert {u["name"] for u in client.get(reverse("unit-list")).json()["results"]} == {"宝丰县", "城关镇"}


def test_filter_unit_subtree(org_staff, tree, cadre_a, cadre_b):
    client = client_for(org_staff)
    names = lambda params: [r["name"] for r in client.get(cadre_url(), params).json()["results"]]  # noqa: E731
    assert names({"unit": tree.county_a.pk}) == ["张三"]
    assert names({"unit": tree.county_b.pk}) == ["李四"]
    assert sorted(names({"unit": tree.city.pk})) == ["张三", "李四"]


def test_filter_q_pinyin_initials_and_ordering(org_staff, tree, cadre_a, cadre_b):
    CadreFactory(unit=tree.town_a, name="王五", birth_date=D(1990, 5, 5))
    client = client_for(org_staff)
    names = lambda params: [r["name"] for r in client.get(cadre_url(), params).json()["results"]]  # noqa: E731
    assert names({"q": "zs"}) == ["张三"]
    assert names({"q": "张"}) == ["张三"]
    assert names({"ordering": "name"}) == ["李四", "王五", "张三"]  # by pinyin initials: ls, ww, zs
    assert names({"ordering": "-name"}) == ["张三", "王五", "李四"]
    by_birth = names({"ordering": "-birth_date"})
    births = {c.name: c.birth_date for c in Cadre.objects.all()}
    assert by_birth == sorted(births, key=lambda n: births[n], reverse=True)


def test_invalid_filter_answers_400(org_staff, cadre_a):
    body = assert_error_shape(client_for(org_staff).get(cadre_url(), {"gender": "X"}), 400)
    assert "gender" in body["errors"]


def test_detail_has_all_fields_and_current_appointments(org_staff, cadre_a, post_a):
    services.appointment_create(by=org_staff, cadre=cadre_a, post=post_a, start_date=D(2023, 1, 1))
    old = PostFactory(unit=cadre_a.unit, name="副镇长")
    services.appointment_create(by=org_staff, cadre=cadre_a, post=old, start_date=D(2019, 1, 1),
                                end_date=D(2022, 12, 31))
    body = client_for(org_staff).get(cadre_url(cadre_a)).json()
    assert body["id_number"] == cadre_a.id_number and body["name_initials"] == "zs"
    assert [a["post"]["name"] for a in body["current_appointments"]] == ["镇长"]
    assert body["current_appointments"][0]["post"]["unit"]["name"] == "城关镇"


# --------------------------------------------------------------------------- writing: cadres
def test_org_staff_creates_cadre_through_service_with_history(org_staff, tree):
    Tag.objects.create(name="优秀年轻干部")
    client = client_for(org_staff)
    response = client.post(cadre_url(), new_cadre_payload(tree.town_b, tags=["优秀年轻干部"]), format="json",
                           HTTP_X_REQUEST_ID="req-api-create-1")
    assert response.status_code == 201, response.content
    body = response.json()
    cadre = Cadre.objects.get(pk=body["id"])
    assert body["name_initials"] == "wf" and body["tags"] == ["优秀年轻干部"]
    assert cadre.highest_education == 4 and cadre.unit == tree.town_b
    rows = list(cadre.history.order_by("history_id"))  # the insert, then the tags (m2m history)
    assert rows[0].history_type == "+"
    assert {(r.history_user, r.request_id) for r in rows} == {(org_staff, "req-api-create-1")}


def test_update_writes_history_with_token_user_and_request_id(org_staff, cadre_a):
    token = Token.objects.create(user=org_staff)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.patch(cadre_url(cadre_a), {"phone": "13800000000"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["phone"] == "13800000000"
    row = cadre_a.history.latest()
    assert row.history_type == "~" and row.phone == "13800000000"
    assert row.history_user == org_staff
    assert row.request_id and row.request_id == response["X-Request-ID"]


def test_unknown_tag_name_refused(org_staff, tree):
    body = assert_error_shape(client_for(org_staff).post(cadre_url(), new_cadre_payload(tree.town_a, tags=["不存在"]),
                                                         format="json"), 400)
    assert body["errors"]["tags"] == ["标签“不存在”不存在。"]
    assert not Cadre.objects.exists()


def test_leader_creates_cadre_only_in_own_subtree(leader, tree):
    client = client_for(leader)
    body = assert_error_shape(client.post(cadre_url(), new_cadre_payload(tree.county_b), format="json"), 400)
    assert "不在您的权限范围内" in body["errors"]["unit"][0]
    assert not Cadre.objects.exists()
    response = client.post(cadre_url(), new_cadre_payload(tree.town_a), format="json")
    assert response.status_code == 201, response.content
    assert Cadre.objects.get().history.get().history_user == leader


def test_leader_cannot_touch_other_units_cadre(leader, cadre_a, cadre_b):
    client = client_for(leader)
    assert_error_shape(client.patch(cadre_url(cadre_b), {"phone": "13800000000"}, format="json"), 404)
    assert_error_shape(client.delete(cadre_url(cadre_b)), 404)
    assert_error_shape(client.post(cadre_url(cadre_b, "assign-rank"), {"rank": rank().pk, "start_date": "2024-01-01"},
                                   format="json"), 404)
    cadre_b.refresh_from_db()
    assert cadre_b.phone == ""


def test_leader_may_not_move_cadre_out_or_delete(leader, tree, cadre_a):
    client = client_for(leader)
    body = assert_error_shape(client.patch(cadre_url(cadre_a), {"unit": tree.town_b.pk}, format="json"), 400)
    assert "unit" in body["errors"]
    assert client.patch(cadre_url(cadre_a), {"phone": "13800000000"}, format="json").status_code == 200
    assert_error_shape(client.delete(cadre_url(cadre_a)), 403)  # only org staff delete records
    assert Cadre.objects.filter(pk=cadre_a.pk).exists()


def test_leader_may_not_create_units_or_posts(leader, tree):
    client = client_for(leader)
    assert_error_shape(client.post(reverse("unit-list"), {"parent": tree.county_a.pk, "code": "X1", "name": "新乡",
                                                          "level": "township", "kind": "township"}, format="json"), 403)
    assert_error_shape(client.post(reverse("post-list"), {"unit": tree.town_a.pk, "name": "副镇长", "kind": "deputy",
                                                          "level": 1}, format="json"), 403)
    assert_error_shape(client.patch(reverse("unit-detail", args=[tree.town_a.pk]), {"name": "改名"}, format="json"),
                       403)
    assert not Post.objects.exists()
    assert Unit.objects.count() == 6


def test_auditor_reads_everything_writes_nothing(auditor, tree, cadre_a, cadre_b, post_a):
    appointment = Appointment.objects.create(cadre=cadre_a, post=post_a, start_date=D(2023, 1, 1))
    client = client_for(auditor)
    assert client.get(cadre_url()).json()["count"] == 2
    assert client.get(cadre_url(cadre_b)).status_code == 200
    assert client.get(reverse("appointment-list")).json()["count"] == 1
    assert_error_shape(client.post(cadre_url(), new_cadre_payload(tree.town_a), format="json"), 403)
    assert_error_shape(client.patch(cadre_url(cadre_a), {"phone": "13800000000"}, format="json"), 403)
    assert_error_shape(client.delete(cadre_url(cadre_a)), 403)
    assert_error_shape(client.post(reverse("appointment-end", args=[appointment.pk]), {"end_date": "2024-01-01"},
                                   format="json"), 403)
    assert_error_shape(client.post(reverse("unit-list"), {"code": "X", "name": "X", "level": "city", "kind": "city"},
                                   format="json"), 403)
    assert Cadre.objects.count() == 2
    appointment.refresh_from_db()
    assert appointment.end_date is None


def test_org_staff_deletes_cadre(org_staff, cadre_a):
    assert client_for(org_staff).delete(cadre_url(cadre_a)).status_code == 204
    assert not Cadre.objects.exists()
    assert Cadre.history.filter(id=cadre_a.pk, history_type="-").get().history_user == org_staff


# --------------------------------------------------------------------------- appointments and ranks
def test_appointment_create_end_and_delete(org_staff, cadre_a, post_a):
    client = client_for(org_staff)
    response = client.post(reverse("appointment-list"), {"cadre": cadre_a.pk, "post": post_a.pk,
                                                          "start_date": "2023-01-01", "document_no": "平组〔2023〕1号"},
                           format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["cadre"]["name"] == "张三" and body["post"]["name"] == "镇长" and body["is_current"] is True
    cadre_a.refresh_from_db()
    assert cadre_a.current_post == post_a

    url = reverse("appointment-end", args=[body["id"]])
    response = client.post(url, {"end_date": "2024-06-30"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["end_date"] == "2024-06-30" and response.json()["is_current"] is False
    cadre_a.refresh_from_db()
    assert cadre_a.current_post is None
    assert Appointment.history.filter(id=body["id"]).latest().history_user == org_staff

    body_err = assert_error_shape(client.post(url, {"end_date": "2020-01-01"}, format="json"), 400)
    assert "end_date" in body_err["errors"]

    assert client.delete(reverse("appointment-detail", args=[body["id"]])).status_code == 204
    assert not Appointment.objects.exists()


def test_appointment_filters(org_staff, tree, cadre_a, cadre_b, post_a):
    post_b = PostFactory(unit=tree.town_b)
    services.appointment_create(by=org_staff, cadre=cadre_a, post=post_a, start_date=D(2023, 1, 1))
    services.appointment_create(by=org_staff, cadre=cadre_b, post=post_b, start_date=D(2020, 1, 1),
                                end_date=D(2021, 1, 1))
    client = client_for(org_staff)
    url = reverse("appointment-list")
    assert [r["cadre"]["id"] for r in client.get(url, {"unit": tree.county_a.pk}).json()["results"]] == [cadre_a.pk]
    assert [r["cadre"]["id"] for r in client.get(url, {"current": "true"}).json()["results"]] == [cadre_a.pk]
    assert [r["cadre"]["id"] for r in client.get(url, {"cadre": cadre_b.pk}).json()["results"]] == [cadre_b.pk]


def test_leader_appoints_in_own_subtree_only(leader, tree, cadre_a, cadre_b, post_a):
    client = client_for(leader)
    post_b = PostFactory(unit=tree.town_b)
    body = assert_error_shape(client.post(reverse("appointment-list"), {"cadre": cadre_a.pk, "post": post_b.pk,
                                                                        "start_date": "2023-01-01"}, format="json"), 400)
    assert "post" in body["errors"]
    body = assert_error_shape(client.post(reverse("appointment-list"), {"cadre": cadre_b.pk, "post": post_a.pk,
                                                                        "start_date": "2023-01-01"}, format="json"), 400)
    assert "cadre" in body["errors"]
    response = client.post(reverse("appointment-list"), {"cadre": cadre_a.pk, "post": post_a.pk,
                                                         "start_date": "2023-01-01"}, format="json")
    assert response.status_code == 201, response.content


def test_assign_rank_action(org_staff, cadre_a):
    client = client_for(org_staff)
    url = cadre_url(cadre_a, "assign-rank")
    response = client.post(url, {"rank": rank().pk, "start_date": "2022-01-01", "document_no": "平组〔2022〕9号"},
                           format="json")
    assert response.status_code == 201, response.content
    assert response.json()["rank"]["name"] == "一级主任科员"
    cadre_a.refresh_from_db()
    assert cadre_a.current_rank == rank()
    body = assert_error_shape(client.post(url, {"rank": rank("二级主任科员").pk, "start_date": "2021-01-01"},
                                          format="json"), 400)
    assert "start_date" in body["errors"]
    history = client.get(reverse("rank-history-list"), {"cadre": cadre_a.pk}).json()
    assert history["count"] == 1 and history["results"][0]["document_no"] == "平组〔2022〕9号"
    assert RankHistory.history.latest().history_user == org_staff


# --------------------------------------------------------------------------- units, posts, ranks
def test_org_staff_manages_units(org_staff, tree):
    client = client_for(org_staff)
    response = client.post(reverse("unit-list"), {"parent": tree.county_b.pk, "code": "410422101", "name": "任店镇",
                                                  "level": "township", "kind": "town"}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["parent"] == tree.county_b.pk and body["depth"] == 3
    unit = Unit.objects.get(pk=body["id"])
    assert unit.history.get().history_user == org_staff
    listed = {u["name"]: u for u in client.get(reverse("unit-list"), {"parent": tree.county_b.pk}).json()["results"]}
    assert set(listed) == {"叶县", "昆阳街道", "任店镇"}
    assert listed["任店镇"]["parent"] == tree.county_b.pk and listed["叶县"]["parent"] == tree.city.pk
    assert listed["叶县"]["has_children"] is True

    response = client.patch(reverse("unit-detail", args=[unit.pk]), {"short_name": "任店"}, format="json")
    assert response.status_code == 200 and response.json()["short_name"] == "任店"

    body = assert_error_shape(client.delete(reverse("unit-detail", args=[tree.county_b.pk])), 400)
    assert "下级单位" in body["message"]
    assert client.delete(reverse("unit-detail", args=[unit.pk])).status_code == 204


def test_org_staff_manages_posts(org_staff, tree, post_a):
    client = client_for(org_staff)
    response = client.post(reverse("post-list"), {"unit": tree.town_a.pk, "name": "副镇长", "kind": "deputy",
                                                  "level": 1, "quota": 3}, format="json")
    assert response.status_code == 201, response.content
    post = Post.objects.get(pk=response.json()["id"])
    assert post.quota == 3 and post.history.get().history_user == org_staff
    assert {p["name"] for p in client.get(reverse("post-list"), {"unit": tree.county_a.pk}).json()["results"]} == {
        "镇长", "副镇长"}
    assert client.patch(reverse("post-detail", args=[post.pk]), {"quota": 4}, format="json").json()["quota"] == 4
    assert client.delete(reverse("post-detail", args=[post.pk])).status_code == 204


def test_ranks_are_read_only(org_staff, db):
    client = client_for(org_staff)
    body = client.get(reverse("rank-list"), {"page_size": 100}).json()
    assert body["count"] >= 1 and "一级主任科员" in [r["name"] for r in body["results"]]
    assert_error_shape(client.post(reverse("rank-list"), {"name": "X", "order": 99}, format="json"), 405)


# --------------------------------------------------------------------------- career and training (?cadre=)
def test_career_and_training_by_cadre(leader, cadre_a, cadre_b):
    client = client_for(leader)
    response = client.post(reverse("career-list"), {"cadre": cadre_a.pk, "start_date": "2010-07-01",
                                                    "description": "城关镇党政办科员"}, format="json")
    assert response.status_code == 201, response.content
    entry = CareerEntry.objects.get()
    assert entry.history.get().history_user == leader
    response = client.post(reverse("training-list"), {"cadre": cadre_a.pk, "title": "中青班", "start_date": "2021-03-01",
                                                      "end_date": "2021-06-30", "hours": 120}, format="json")
    assert response.status_code == 201, response.content
    assert Training.objects.get().hours == 120

    assert client.get(reverse("career-list"), {"cadre": cadre_a.pk}).json()["count"] == 1
    assert client.get(reverse("training-list"), {"cadre": cadre_a.pk}).json()["count"] == 1
    # Another unit's cadre is refused like an unknown one, for reads and writes.
    assert_error_shape(client.get(reverse("career-list"), {"cadre": cadre_b.pk}), 400)
    body = assert_error_shape(client.post(reverse("career-list"), {"cadre": cadre_b.pk, "start_date": "2010-07-01",
                                                                   "description": "x"}, format="json"), 400)
    assert "cadre" in body["errors"]
    body = assert_error_shape(client.patch(reverse("career-detail", args=[entry.pk]), {"end_date": "2000-01-01"},
                                           format="json"), 400)
    assert "end_date" in body["errors"]
    assert client.delete(reverse("career-detail", args=[entry.pk])).status_code == 204


# --------------------------------------------------------------------------- schema and docs
def test_schema_lists_endpoints_and_actions(client, org_staff):
    client.force_login(org_staff)  # the API description is for signed-in users
    response = client.get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    for path in ("/api/v1/cadres/", "/api/v1/cadres/{id}/", "/api/v1/cadres/{id}/assign-rank/",
                 "/api/v1/appointments/", "/api/v1/appointments/{id}/end/", "/api/v1/units/", "/api/v1/posts/",
                 "/api/v1/ranks/", "/api/v1/auth/token/", "/api/v1/rank-history/", "/api/v1/career/",
                 "/api/v1/trainings/"):
        assert path in paths, path
    assert "post" in paths["/api/v1/cadres/{id}/assign-rank/"]
    assert paths["/api/v1/auth/token/"]["post"].get("security", [{}]) == [{}]  # no credentials needed
    assert {"tokenAuth": []} in paths["/api/v1/cadres/"]["get"]["security"]
    assert "429" in paths["/api/v1/auth/token/"]["post"]["responses"]
    error = paths["/api/v1/cadres/{id}/"]["get"]["responses"]["404"]["content"]["application/json"]["schema"]
    assert error == {"$ref": "#/components/schemas/Error"}
    assert set(schema["components"]["schemas"]["Error"]["properties"]) == {"message", "errors"}
    assert "tokenAuth" in schema["components"]["securitySchemes"]


def test_docs_page_uses_only_local_assets(client, org_staff):
    client.force_login(org_staff)  # the API description is for signed-in users
    from django.contrib.staticfiles import finders

    response = client.get(reverse("api-docs"))
    assert response.status_code == 200
    html = response.content.decode()
    assert not re.search(r"https?://", html), "the docs page must not reference external hosts"
    links = re.findall(r'<a [^>]*href="([^"]+)"', html)  # navigation back to the app, not assets
    assert set(links) == {reverse("home"), reverse("api-schema")}, links
    assets = re.findall(r'(?:src|href)="([^"]+)"', re.sub(r'<a [^>]*>', "", html))
    assert assets
    for url in assets:
        assert url.startswith("/static/"), url
        assert finders.find(url.removeprefix("/static/")), url


def test_docs_page_disables_online_validator(client, org_staff):
    client.force_login(org_staff)  # the API description is for signed-in users
    html = client.get(reverse("api-docs")).content.decode()
    assert re.search(r'"validatorUrl":\s*null', html)


def test_appointment_patch_changes_dates_not_cadre_or_post(org_staff, tree, cadre_a, cadre_b, post_a):
    appointment = services.appointment_create(by=org_staff, cadre=cadre_a, post=post_a, start_date=D(2023, 1, 1))
    response = client_for(org_staff).patch(reverse("appointment-detail", args=[appointment.pk]), {
        "document_no": "平组〔2023〕2号", "cadre": cadre_b.pk}, format="json")
    assert response.status_code == 200, response.content
    appointment.refresh_from_db()
    assert appointment.document_no == "平组〔2023〕2号" and appointment.cadre == cadre_a
    assert appointment.history.latest().history_user == org_staff


def test_schema_and_docs_need_a_signed_in_user(client, db):
    assert client.get(reverse("api-schema")).status_code == 401
    assert client.get(reverse("api-docs")).status_code == 401
