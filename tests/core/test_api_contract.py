"""API answers match the schema: nested errors as flat dotted paths (documented), ``grade`` null
rather than "", a malformed id or unknown path answered with the JSON error shape, and the CSRF
refusal in Chinese."""
import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from pingdingshan.core.api import _as_error_dict

pytestmark = pytest.mark.django_db


def api(user=None, **kwargs):
    client = APIClient(**kwargs)
    if user is not None:
        client.force_login(user)
    return client


def error_body(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"message", "errors"} and isinstance(body["message"], str) and body["message"]
    for key, messages in body["errors"].items():
        assert isinstance(key, str) and isinstance(messages, list) and all(isinstance(m, str) for m in messages)
    return body


# --------------------------------------------------------------------------- nested errors
def test_nested_errors_become_dotted_paths():
    assert _as_error_dict({"indicators": [{}, {"weight": ["须为数字"], "name": ["必填"]}], "year": ["太小"]}) == {
        "indicators.1.weight": ["须为数字"], "indicators.1.name": ["必填"], "year": ["太小"]}
    assert _as_error_dict({"ids": {0: ["无效"], 3: ["无效"]}}) == {"ids.0": ["无效"], "ids.3": ["无效"]}
    assert _as_error_dict({"groups": [{"non_field_errors": ["重复"]}]}) == {"groups.0": ["重复"]}
    assert _as_error_dict({"__all__": ["整体"]}) == {"non_field_errors": ["整体"]}
    assert _as_error_dict(["整体"]) == {"non_field_errors": ["整体"]}


def test_a_bad_indicator_weight_is_named_by_its_path(org_staff):
    from assessment.models import Category, Tier

    tier, category = Tier.objects.get(name="乡镇(街道)副职"), Category.objects.get(name="县(市、区)")
    r = api(org_staff).post(reverse("indicator-scheme-list"), {
        "tier": tier.pk, "category": category.pk, "year": 2026, "indicators": [
            {"dimension": "political", "name": "政治品质", "weight": "20", "method": "rater"},
            {"dimension": "business", "name": "履职成效", "weight": "很多", "method": "rater"}]}, format="json")
    body = error_body(r, 400)
    assert list(body["errors"]) == ["indicators.1.weight"]


def test_the_error_schema_documents_the_paths(org_staff):
    schema = api(org_staff).get(reverse("api-schema"), {"format": "json"}).json()
    errors = schema["components"]["schemas"]["Error"]["properties"]["errors"]
    assert "indicators.1.weight" in errors["description"]
    assert errors["additionalProperties"]["type"] == "array"


# --------------------------------------------------------------------------- malformed ids and paths
@pytest.mark.parametrize("path", ["/api/v1/records/1.5/", "/api/v1/cadres/1.0/", "/api/v1/no-such-thing/",
                                  "/api/v1/records/1/no-such-action/", "/api/v1/records/abc/"])
def test_a_malformed_id_or_unknown_path_gets_the_json_error(org_staff, path):
    error_body(api(org_staff).get(path), 404)


def test_a_path_without_its_slash_is_still_redirected(org_staff):
    r = api(org_staff).get("/api/v1/records")
    assert r.status_code == 301 and r["Location"].endswith("/api/v1/records/")


# --------------------------------------------------------------------------- CSRF
def test_csrf_refusal_is_in_chinese(org_staff):
    client = api(enforce_csrf_checks=True)
    client.force_login(org_staff)
    body = error_body(client.post(reverse("cadre-list"), {}, format="json"), 403)
    assert body["message"].startswith("CSRF 校验失败：") and "CSRF Failed" not in body["message"]
    assert "CSRF 令牌" in body["message"]


def test_token_clients_need_no_csrf_token(org_staff):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=org_staff)
    client = APIClient(enforce_csrf_checks=True)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.post(reverse("cadre-list"), {}, format="json").status_code == 400  # past the gate: field errors


# --------------------------------------------------------------------------- bodies that do not parse
@pytest.mark.parametrize("body,content_type", [
    ("{not json", "application/json"), ("--x\r\nbroken", "multipart/form-data"),
])
def test_a_body_that_does_not_parse_gets_a_chinese_message(org_staff, body, content_type):
    r = api(org_staff).generic("POST", reverse("cadre-list"), body, content_type=content_type)
    message = error_body(r, 400)["message"]
    assert message.startswith("请求内容无法解析")


# --------------------------------------------------------------------------- paginated where the schema says so
def _list_shapes(schema):
    for path, ops in schema["paths"].items():
        op = ops.get("get")
        if not op:
            continue
        body = op["responses"].get("200", {}).get("content", {}).get("application/json", {}).get("schema", {})
        if "Paginated" in body.get("$ref", ""):
            yield path, "paginated"
        elif body.get("type") == "array":
            yield path, "array"


def test_every_list_is_answered_as_the_schema_says(org_staff, leader, cadre_a):
    import datetime as dt

    from cadres import services
    from cadres.models import TaskCategory

    record = services.record_create(by=leader, cadre=cadre_a, category=TaskCategory.objects.get(name="乡村振兴"),
                                    title="推进高标准农田建设", description="完成", role="lead",
                                    start_date=dt.date(2025, 3, 1))
    from assessment import services as asvc
    from assessment.models import PeriodKind

    period = asvc.period_save(by=org_staff, name="2026年度考核", kind=PeriodKind.ANNUAL, year=2026,
                              start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 12, 31))
    ids = {"/api/v1/records/{id}/": record.pk, "/api/v1/assessment-periods/{id}/": period.pk}
    client = api(org_staff)
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    checked = 0
    for path, shape in _list_shapes(schema):
        url = path
        if "{" in path:
            prefix = path.split("{")[0] + "{id}/"
            if prefix not in ids:
                continue
            url = path.replace("{id}", str(ids[prefix]))
        r = client.get(url)
        assert r.status_code == 200, (path, r.content[:200])
        body = r.json()
        if shape == "paginated":
            assert isinstance(body, dict) and {"count", "results"} <= set(body), path
        else:
            assert isinstance(body, list), path
        checked += 1
    assert checked >= 20
    shapes = dict(_list_shapes(schema))
    assert shapes["/api/v1/records/{id}/evidence/"] == "array"
    assert shapes["/api/v1/assessment-periods/{id}/rater-groups/"] == "array"


@pytest.mark.parametrize("params,field", [
    ({"page": "0"}, "page"), ({"page": "AAA"}, "page"), ({"page": "999"}, "page"), ({"page": "1.5"}, "page"),
    ({"page_size": "AAA"}, "page_size"), ({"page_size": "0"}, "page_size"), ({"page_size": "-1"}, "page_size"),
])
def test_a_bad_page_or_page_size_is_a_400_naming_it(org_staff, params, field):
    body = error_body(api(org_staff).get(reverse("tag-list"), params), 400)
    assert list(body["errors"]) == [field]


def test_good_pages_and_the_last_page(org_staff):
    client = api(org_staff)
    assert client.get(reverse("tag-list"), {"page": "1", "page_size": "1000"}).status_code == 200
    assert client.get(reverse("tag-list"), {"page": "last"}).status_code == 200


def test_a_post_to_an_unknown_path_is_the_json_404_not_a_csrf_page(org_staff):
    from rest_framework.authtoken.models import Token

    client = APIClient(enforce_csrf_checks=True)
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=org_staff).key}")
    error_body(client.post("/api/v1/records/0.5/amend/", {}, format="json"), 404)


def test_the_download_answers_a_content_type_the_schema_lists(org_staff, leader, cadre_a, settings, tmp_path):
    import datetime as dt

    from django.core.files.uploadedfile import SimpleUploadedFile

    from cadres import services
    from cadres.models import TaskCategory

    settings.MEDIA_ROOT = tmp_path
    record = services.record_create(by=leader, cadre=cadre_a, category=TaskCategory.objects.get(name="乡村振兴"),
                                    title="推进高标准农田建设", description="完成", role="lead",
                                    start_date=dt.date(2025, 3, 1))
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    ev = services.evidence_add(by=leader, record=record, upload=SimpleUploadedFile("纪要.pdf", pdf))
    client = api(org_staff)
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    documented = schema["paths"]["/api/v1/evidence/{id}/download/"]["get"]["responses"]["200"]["content"]
    r = client.get(f"/api/v1/evidence/{ev.pk}/download/")
    assert r.status_code == 200
    assert r["Content-Type"].split(";")[0] in documented


@pytest.mark.parametrize("reason,expected", [
    ("CSRF cookie not set.", "CSRF Cookie"), ("CSRF token missing.", "缺少 CSRF 令牌"),
    ("Origin checking failed - https://evil.example does not match any trusted origins.", "Origin"),
    ("Referer checking failed - no Referer.", "Referer"), ("CSRF token from POST incorrect.", "CSRF 令牌无效"),
])
def test_each_csrf_reason_is_said_in_chinese(reason, expected, monkeypatch):
    from rest_framework import exceptions
    from rest_framework.authentication import SessionAuthentication as Drf

    from pingdingshan.core.api import SessionAuthentication

    def refuse(self, request):
        raise exceptions.PermissionDenied(f"CSRF Failed: {reason}")

    monkeypatch.setattr(Drf, "enforce_csrf", refuse)
    with pytest.raises(exceptions.PermissionDenied) as e:
        SessionAuthentication().enforce_csrf(None)
    assert expected in str(e.value.detail) and "Failed" not in str(e.value.detail)


def test_a_paginated_list_under_an_object_documents_the_400_of_a_bad_page(org_staff):
    schema = api(org_staff).get(reverse("api-schema"), {"format": "json"}).json()
    assert "400" in schema["paths"]["/api/v1/assessment-periods/{id}/scores/"]["get"]["responses"]
    assert "400" not in schema["paths"]["/api/v1/cadres/{id}/"]["get"]["responses"]
