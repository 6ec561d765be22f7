"""The 任免审批表 (LRMX) through the API: the downloads (``GET /api/v1/cadres/{id}/lrmx/``, ``lrmx/pdf/``,
``lrmx/docx/``: the pages' export, gate ``export``, scoped like the cadre's detail) and the .lrmx
import (``POST /api/v1/cadres/lrmx-import/`` → the check job, ``lrmx-import/apply/`` → the apply job:
the pages' jobs, answered 202 with the job and its report). One world for the module; jobs run
in-process."""
import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from cadres.lrmx import reader, writer
from cadres.models import Cadre
from pingdingshan.core.models import ExportLog, Job
from tests.conftest import make_people, make_tree, rolled_back

FORMATS = {"lrmx": "application/xml", "pdf": "application/pdf",
           "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    def build():
        tree = make_tree()
        people = make_people(tree)
        return {"cadre_a": people.cadre_a.pk, "cadre_b": people.cadre_b.pk, "town_a": tree.town_a.pk,
                **{role: getattr(people, role).pk for role in ("org_staff", "auditor", "leader", "no_role_user")}}

    with rolled_back(django_db_blocker, build) as built:
        yield built


@pytest.fixture(autouse=True)
def _media_and_eager(settings, tmp_path, eager):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def as_user(client, world, db):
    def login(role):
        client.force_login(get_user_model().objects.get(pk=world[role]))  # fresh: no cached roles
        return client
    return login


def url(pk, file_format):
    return f"/api/v1/cadres/{pk}/lrmx/" + ("" if file_format == "lrmx" else f"{file_format}/")


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def lrmx_file(pk, name="张三.lrmx", **change) -> SimpleUploadedFile:
    cadre = Cadre.objects.get(pk=pk)
    for key, value in change.items():
        setattr(cadre, key, value)
    return SimpleUploadedFile(name, writer.lrmx_bytes(writer.sheet(cadre)), content_type="application/octet-stream")


def import_files(client, *files, **extra):
    return client.post("/api/v1/cadres/lrmx-import/", {"files": list(files), **extra})


def apply(client, job_id):
    return client.post("/api/v1/cadres/lrmx-import/apply/", {"job": job_id}, content_type="application/json")


# --------------------------------------------------------------------------- downloads
@pytest.mark.parametrize("file_format", ["lrmx", "pdf", "docx"])
def test_api_download_is_the_pages_export_in_each_format_and_logged(as_user, world, file_format):
    response = as_user("org_staff").get(url(world["cadre_a"], file_format))
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == FORMATS[file_format]
    assert response["Content-Disposition"].startswith("attachment")
    data = body(response)
    if file_format == "lrmx":
        parsed = reader.parse(data, "a.lrmx")
        assert not parsed.errors and parsed.data["id_number"] == Cadre.objects.get(pk=world["cadre_a"]).id_number
    elif file_format == "pdf":
        assert data.startswith(b"%PDF")
    else:
        assert data.startswith(b"PK")
    assert ExportLog.objects.filter(file_format=file_format, filters={"cadre": world["cadre_a"]}).exists()
    # a client asking for the file's own type gets it; an error is still JSON
    assert as_user("org_staff").get(url(world["cadre_a"], file_format), HTTP_ACCEPT=FORMATS[file_format]).status_code == 200
    missing = as_user("org_staff").get(url(2_147_000_000, file_format), HTTP_ACCEPT=FORMATS[file_format])
    assert missing.status_code == 404 and set(missing.json()) == {"message", "errors"}


def test_api_download_is_scoped_like_the_cadre_detail(as_user, world):
    leader = as_user("leader")
    assert leader.get(url(world["cadre_a"], "lrmx")).status_code == 200
    outside = leader.get(url(world["cadre_b"], "lrmx"))
    assert outside.status_code == 404 and set(outside.json()) == {"message", "errors"}
    assert as_user("auditor").get(url(world["cadre_b"], "pdf")).status_code == 200
    assert as_user("no_role_user").get(url(world["cadre_a"], "lrmx")).status_code == 403


def test_api_downloads_and_import_are_in_the_schema_with_binary_answers(as_user):
    schema = as_user("org_staff").get("/api/schema/?format=json").json()
    paths = schema["paths"]
    for file_format, content_type in FORMATS.items():
        path = "/api/v1/cadres/{id}/lrmx/" + ("" if file_format == "lrmx" else f"{file_format}/")
        answer = paths[path]["get"]["responses"]["200"]["content"]
        assert answer == {content_type: {"schema": {"type": "string", "format": "binary"}}}, answer
    assert "multipart/form-data" in paths["/api/v1/cadres/lrmx-import/"]["post"]["requestBody"]["content"]
    assert "202" in paths["/api/v1/cadres/lrmx-import/apply/"]["post"]["responses"]


# --------------------------------------------------------------------------- import
def test_api_import_checks_then_applies_an_exported_file(as_user, world):
    client = as_user("org_staff")
    response = import_files(client, lrmx_file(world["cadre_a"], appointment_reason="工作需要（接口导入）"))
    assert response.status_code == 202, response.content[:300]
    check = response.json()
    assert check["kind"] == "cadres.lrmx_import" and check["state"] == "done"
    report = check["result"]
    assert report["ok"] and report["counts"]["update"] == 1
    [file] = report["files"]
    assert file["name"] == "张三.lrmx" and file["action"] == "update"
    assert {"field": "任免理由", "stored": "", "file": "工作需要（接口导入）"} in file["diff"]
    assert Cadre.objects.get(pk=world["cadre_a"]).appointment_reason == ""  # the check writes nothing
    assert client.get(f"/api/v1/jobs/{check['id']}/").json()["result"] == report  # the jobs API has it too

    response = apply(client, check["id"])
    assert response.status_code == 202, response.content[:300]
    job = response.json()
    assert job["state"] == "done" and job["result"]["mode"] == "apply", job
    assert Cadre.objects.get(pk=world["cadre_a"]).appointment_reason == "工作需要（接口导入）"


def test_api_import_reports_a_bad_file_by_name_and_saves_nothing(as_user, world):
    client = as_user("org_staff")
    bad = SimpleUploadedFile("坏文件.lrmx", b"this is not xml", content_type="application/octet-stream")
    response = import_files(client, lrmx_file(world["cadre_a"], appointment_reason="不应导入"), bad)
    assert response.status_code == 202
    report = response.json()["result"]
    assert not report["ok"] and report["counts"]["refused"] == 1
    refused = next(f for f in report["files"] if f["action"] == "refused")
    assert refused["name"] == "坏文件.lrmx" and "不是有效的XML文件" in refused["errors"][0]["message"], refused
    refusal = apply(client, response.json()["id"])
    assert refusal.status_code == 400 and refusal.json()["errors"]["job"] == ["该导入未通过核对，不能确认。"]
    assert Cadre.objects.get(pk=world["cadre_a"]).appointment_reason == ""
    assert not Job.objects.filter(kind="cadres.lrmx_import", params__mode="apply").exists()


def test_api_import_refuses_an_upload_that_is_not_lrmx_naming_the_file(as_user, world):
    client = as_user("org_staff")
    response = import_files(client, SimpleUploadedFile("名册.xlsx", b"PK", content_type="application/octet-stream"))
    assert response.status_code == 400 and response.json()["errors"]["files"] == ["“名册.xlsx”不是 .lrmx 文件。"]
    response = client.post("/api/v1/cadres/lrmx-import/", {})
    assert response.status_code == 400 and response.json()["errors"]["files"] == ["请选择要导入的 .lrmx 文件。"]
    assert not Job.objects.exists()


def test_api_apply_refuses_another_users_check_an_unknown_id_and_an_apply_job(as_user, world):
    staff = as_user("org_staff")
    check = import_files(staff, lrmx_file(world["cadre_a"], appointment_reason="组织部的核对")).json()
    leader = as_user("leader")
    response = apply(leader, check["id"])
    assert response.status_code == 400 and "本人发起" in response.json()["errors"]["job"][0]
    assert apply(leader, "0" * 32).status_code == 400
    assert "UUID" in apply(leader, "abc").json()["errors"]["job"][0]
    staff = as_user("org_staff")
    applied = apply(staff, check["id"]).json()
    again = apply(staff, applied["id"])  # an apply job is not a check
    assert again.status_code == 400 and "不是您的 .lrmx 导入核对" in again.json()["errors"]["job"][0]


def test_api_import_new_cadres_go_to_a_unit_in_scope_only(as_user, world):
    leader = as_user("leader")
    response = import_files(leader, lrmx_file(world["cadre_a"]), unit=world["town_a"])
    assert response.status_code == 202 and response.json()["result"]["ok"]
    town_b = Cadre.objects.get(pk=world["cadre_b"]).unit_id
    response = import_files(leader, lrmx_file(world["cadre_a"]), unit=town_b)
    assert response.status_code == 400 and "unit" in response.json()["errors"]


def test_auditors_may_not_import_through_the_api(as_user, world):
    client = as_user("auditor")
    assert import_files(client, lrmx_file(world["cadre_a"])).status_code == 403
    assert apply(client, "0" * 32).status_code == 403
    assert not Job.objects.exists()
