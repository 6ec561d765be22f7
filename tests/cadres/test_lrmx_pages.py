"""Pages of the 任免审批表: the cadre page's action and tab, the downloads (gate ``export``: unit leaders
only their units' cadres, 404 for others; auditors download), the import page (upload → the check's
report with the diff or the errors → confirm → applied; auditors 403), query counts."""
import datetime as dt
import pathlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cadres import services
from cadres.lrmx import writer
from cadres.models import Cadre, FamilyMember
from pingdingshan.core.models import Job

FIXTURE = pathlib.Path(__file__).parent / "fixtures" / "wang_jianguo.lrmx"


@pytest.fixture(autouse=True)
def _media_and_eager(settings, tmp_path, eager):
    settings.MEDIA_ROOT = tmp_path


def upload(name, data):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_cadre_page_has_the_lrmx_action_and_tab(client, org_staff, cadre_a):
    services.cadre_child_save(by=org_staff, model=FamilyMember, cadre=cadre_a, order=1, relation="妻子", name="李梅",
                              political_status="01")
    client.force_login(org_staff)
    page = client.get(reverse("cadres:cadre_detail", args=[cadre_a.pk])).content.decode()
    assert "任免审批表" in page and reverse("cadres:cadre_lrmx_pdf", args=[cadre_a.pk]) in page
    tab = client.get(reverse("cadres:cadre_detail", args=[cadre_a.pk]), {"tab": "lrmx"}).content.decode()
    assert "李梅" in tab and reverse("cadres:family_create", args=[cadre_a.pk]) in tab


@pytest.mark.parametrize("name", ["cadres:cadre_lrmx", "cadres:cadre_lrmx_pdf", "cadres:cadre_lrmx_docx"])
def test_unit_leaders_download_only_their_units_cadres(client, leader, cadre_a, cadre_b, name):
    client.force_login(leader)
    assert client.get(reverse(name, args=[cadre_a.pk])).status_code == 200
    assert client.get(reverse(name, args=[cadre_b.pk])).status_code == 404


def test_auditors_export_but_cannot_import(client, auditor, cadre_a):
    client.force_login(auditor)
    response = client.get(reverse("cadres:cadre_lrmx", args=[cadre_a.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"\xef\xbb\xbf<?xml")
    assert client.get(reverse("cadres:lrmx_import")).status_code == 403
    data = writer.lrmx_bytes(writer.sheet(cadre_a))
    assert client.post(reverse("cadres:lrmx_import"), {"files": [upload("a.lrmx", data)]}).status_code == 403
    assert client.post(reverse("cadres:lrmx_import_apply"), {"job": "0" * 32}).status_code == 403
    assert client.get(reverse("cadres:family_create", args=[cadre_a.pk])).status_code == 403


def test_family_form_errors_are_in_chinese_next_to_the_field(client, org_staff, cadre_a):
    client.force_login(org_staff)
    response = client.post(reverse("cadres:family_create", args=[cadre_a.pk]),
                           {"order": 1, "relation": "", "name": "李梅", "birth_date": "1977-13-01"})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["relation"] == ["该字段是必填项。"] and "birth_date" in form.errors
    assert not FamilyMember.objects.exists()


def test_import_page_shows_the_diff_then_applies_on_confirm(client, org_staff, cadre_a):
    services.cadre_update(by=org_staff, cadre=cadre_a, rewards_sanctions="旧的奖惩")
    cadre = Cadre.objects.get(pk=cadre_a.pk)
    cadre.rewards_sanctions = "新的奖惩"
    data = writer.lrmx_bytes(writer.sheet(cadre))
    client.force_login(org_staff)
    response = client.post(reverse("cadres:lrmx_import"), {"files": [upload("张三.lrmx", data)]}, follow=True)
    page = response.content.decode()
    assert "核对通过" in page and "旧的奖惩" in page and "新的奖惩" in page and "确认导入" in page
    assert Cadre.objects.get(pk=cadre_a.pk).rewards_sanctions == "旧的奖惩"
    check = Job.objects.get(kind="cadres.lrmx_import")
    response = client.post(reverse("cadres:lrmx_import_apply"), {"job": str(check.pk)}, follow=True)
    assert "已导入" in response.content.decode()
    assert Cadre.objects.get(pk=cadre_a.pk).rewards_sanctions == "新的奖惩"


def test_import_page_lists_each_bad_file_with_its_field(client, org_staff, tree, cadre_a):
    bad = writer.lrmx_bytes(writer.sheet(cadre_a)).replace(b"<ChuShengNianYue>", b"<ChuShengNianYue>x")
    client.force_login(org_staff)
    response = client.post(reverse("cadres:lrmx_import"), {
        "files": [upload("good.lrmx", FIXTURE.read_bytes()), upload("bad.lrmx", bad)], "unit": tree.town_a.pk},
        follow=True)
    page = response.content.decode()
    assert "未导入任何文件" in page and "出生年月" in page and "确认导入" not in page
    assert not Cadre.objects.filter(name="王建国").exists()


def test_the_upload_refuses_a_file_that_is_not_lrmx(client, org_staff):
    client.force_login(org_staff)
    response = client.post(reverse("cadres:lrmx_import"), {"files": [upload("a.xlsx", b"PK")]})
    assert response.status_code == 200 and "不是 .lrmx 文件" in response.content.decode()
    assert not Job.objects.exists()


def test_another_users_check_cannot_be_confirmed(client, org_staff, leader, cadre_a):
    client.force_login(org_staff)
    client.post(reverse("cadres:lrmx_import"), {"files": [upload("a.lrmx", writer.lrmx_bytes(writer.sheet(cadre_a)))]})
    check = Job.objects.get(kind="cadres.lrmx_import")
    client.force_login(leader)
    assert client.post(reverse("cadres:lrmx_import_apply"), {"job": str(check.pk)}).status_code == 404


def test_the_lrmx_tab_keeps_its_query_count_as_the_family_grows(client, org_staff, cadre_a,
                                                              django_assert_num_queries):
    client.force_login(org_staff)
    url = reverse("cadres:cadre_detail", args=[cadre_a.pk])
    client.get(url, {"tab": "lrmx"})
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(url, {"tab": "lrmx"})
    for n in range(5):
        services.cadre_child_save(by=org_staff, model=FamilyMember, cadre=cadre_a, order=n, relation="子女",
                                  name=f"子{n}", birth_date=dt.date(2000 + n, 1, 1))
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(url, {"tab": "lrmx"})


def test_the_export_keeps_its_query_count_as_the_family_grows(org_staff, cadre_a, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        writer.sheet(Cadre.objects.get(pk=cadre_a.pk))
    for n in range(5):
        services.cadre_child_save(by=org_staff, model=FamilyMember, cadre=cadre_a, order=n, relation="子女", name=f"子{n}")
    with django_assert_num_queries(len(one.captured_queries)):
        writer.sheet(Cadre.objects.get(pk=cadre_a.pk))


def test_api_family_members_are_in_the_schema_and_refuse_an_eleventh(client, org_staff, cadre_a):
    client.force_login(org_staff)
    schema = client.get("/api/schema/").content.decode()
    assert "/api/v1/family-members/" in schema
    for n in range(10):
        assert client.post("/api/v1/family-members/", {"cadre": cadre_a.pk, "relation": "子女", "name": f"子{n}"},
                           content_type="application/json").status_code == 201
    response = client.post("/api/v1/family-members/", {"cadre": cadre_a.pk, "relation": "子女", "name": "多一个"},
                           content_type="application/json")
    assert response.status_code == 400 and "最多10人" in response.json()["errors"]["name"][0]
    response = client.patch(f"/api/v1/cadres/{cadre_a.pk}/", {"appointment_reason": "工作需要"},
                            content_type="application/json")
    assert response.status_code == 200 and response.json()["appointment_reason"] == "工作需要"
