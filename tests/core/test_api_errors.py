"""One error shape for the whole API: {"message": str, "errors": {field: [str, ...]}}, whatever raised
it (serializer, model validation in a service, the gate, DRF's authentication, a missing object)."""
import datetime as dt

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from cadres import services
from pingdingshan.core.api import exception_handler
from tests.factories import CadreFactory, PostFactory


def client_for(user=None):
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


def error_body(response, status):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"message", "errors"}
    assert isinstance(body["message"], str) and body["message"]
    assert isinstance(body["errors"], dict)
    for messages in body["errors"].values():
        assert isinstance(messages, list) and all(isinstance(m, str) for m in messages)
    return body


def test_bad_id_number_is_a_field_error_in_chinese(org_staff, tree):
    payload = {"name": "王芳", "gender": "F", "birth_date": "1949-12-31", "id_number": "110105194912310021",
               "unit": tree.town_a.pk}
    body = error_body(client_for(org_staff).post(reverse("cadre-list"), payload, format="json"), 400)
    assert body["message"] == "提交的数据有误，请检查后重试。"
    assert any("身份证号码校验位错误" in m for m in body["errors"]["id_number"])


def test_id_number_disagreeing_with_gender_names_the_field(org_staff, tree):
    payload = {"name": "王芳", "gender": "M", "birth_date": "1949-12-31", "id_number": "11010519491231002X",
               "unit": tree.town_a.pk}
    body = error_body(client_for(org_staff).post(reverse("cadre-list"), payload, format="json"), 400)
    assert "性别与身份证号码不一致" in body["errors"]["gender"][0]


def test_serializer_errors_for_missing_fields(org_staff, tree):
    body = error_body(client_for(org_staff).post(reverse("cadre-list"), {}, format="json"), 400)
    assert {"name", "gender", "birth_date", "id_number", "unit"} <= set(body["errors"])


def test_quota_exceeded_on_appointment_create(org_staff, tree):
    post = PostFactory(unit=tree.town_a, name="副镇长", quota=1)
    first, second = CadreFactory.create_batch(2, unit=tree.town_a)
    services.appointment_create(by=org_staff, cadre=first, post=post, start_date=dt.date(2023, 1, 1))
    response = client_for(org_staff).post(reverse("appointment-list"), {
        "cadre": second.pk, "post": post.pk, "start_date": "2024-01-01"}, format="json")
    body = error_body(response, 400)
    assert "超出职数" in body["errors"]["post"][0]


def test_service_error_without_field_becomes_the_message(org_staff, tree):
    body = error_body(client_for(org_staff).delete(reverse("unit-detail", args=[tree.county_a.pk])), 400)
    assert body["message"] == "该单位下还有下级单位，不能删除。"
    assert body["errors"] == {"non_field_errors": ["该单位下还有下级单位，不能删除。"]}


def test_model_constraint_error_is_non_field(org_staff, tree, post_a):
    """Django reports constraint errors under "__all__"; the API calls them non_field_errors."""
    response = client_for(org_staff).post(reverse("post-list"), {
        "unit": tree.town_a.pk, "name": "镇长", "kind": "deputy", "level": 1}, format="json")
    body = error_body(response, 400)
    assert list(body["errors"]) == ["non_field_errors"]
    assert "__all__" not in body["errors"]


def test_not_found_and_out_of_scope_look_the_same(leader, cadre_b):
    client = client_for(leader)
    out_of_scope = error_body(client.get(reverse("cadre-detail", args=[cadre_b.pk])), 404)
    missing = error_body(client.get(reverse("cadre-detail", args=[cadre_b.pk + 1000])), 404)
    assert out_of_scope == missing
    assert out_of_scope["message"] == "未找到该对象，或不在您的权限范围内。" and out_of_scope["errors"] == {}


def test_forbidden(auditor, cadre_a):
    body = error_body(client_for(auditor).patch(reverse("cadre-detail", args=[cadre_a.pk]), {"phone": "1"},
                                                format="json"), 403)
    assert body["errors"] == {}


def test_service_permission_denied(leader, cadre_a):
    body = error_body(client_for(leader).delete(reverse("cadre-detail", args=[cadre_a.pk])), 403)
    assert "组织部" in body["message"]


def test_not_authenticated(db):
    response = APIClient().get(reverse("cadre-list"))
    body = error_body(response, 401)
    assert body["errors"] == {}


def test_malformed_json(org_staff):
    response = client_for(org_staff).generic("POST", reverse("cadre-list"), "{not json", content_type="application/json")
    error_body(response, 400)


def test_method_not_allowed(org_staff):
    error_body(client_for(org_staff).delete(reverse("cadre-list")), 405)


def test_handler_maps_django_errors():
    response = exception_handler(ValidationError({NON_FIELD_ERRORS: ["整体错误"], "name": ["姓名错误"]}), {})
    assert response.status_code == 400
    assert response.data["errors"] == {"non_field_errors": ["整体错误"], "name": ["姓名错误"]}
    response = exception_handler(ValidationError("只有一条"), {})
    assert response.data == {"message": "只有一条", "errors": {"non_field_errors": ["只有一条"]}}


def test_duplicate_id_number_is_a_field_error(org_staff, tree, cadre_a):
    payload = {"name": "张三", "gender": cadre_a.gender, "birth_date": cadre_a.birth_date.isoformat(),
               "id_number": cadre_a.id_number, "unit": tree.town_a.pk}
    body = error_body(client_for(org_staff).post(reverse("cadre-list"), payload, format="json"), 400)
    assert "id_number" in body["errors"]
