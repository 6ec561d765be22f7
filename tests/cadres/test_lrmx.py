"""The 干部任免审批表 exchange file (.lrmx, national 3.2, ../shared/LRMX.md): the export's element order,
date forms, labels, career lines and Base64 JPEG photo; the reader (BOM or none, a line-broken
photo, each bad file refused with its field named); the import (all or nothing, the diff before an
update, the round trip, a hand-written file)."""
import base64
import datetime as dt
import io
import pathlib
import re
from xml.etree import ElementTree as ET

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from cadres import idcard, services
from cadres.lrmx import importer, reader, writer
from cadres.models import Cadre, CareerEntry, FamilyMember
from pingdingshan.core.models import ExportLog
from tests.factories import CadreFactory, PostFactory

D = dt.date
FIXTURE = pathlib.Path(__file__).parent / "fixtures" / "wang_jianguo.lrmx"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def png_bytes(size=(60, 80), color=(10, 120, 200)):
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, format="PNG")
    return buf.getvalue()


@pytest.fixture
def full_cadre(tree, org_staff):
    """A cadre with every field of the form filled, a PNG photo, two résumé lines, a current post
    and two family members."""
    birth = D(1975, 3, 8)
    cadre = services.cadre_create(
        by=org_staff, unit=tree.town_a, name="张建华", gender="M", birth_date=birth,
        id_number=idcard.make_id_number("410421", birth, 7, "M"), ethnicity="回族", native_place="河南宝丰",
        birth_place="河南郏县", political_status="cpc", party_join_date=D(1997, 6, 1), work_start_date=D(1997, 7, 1),
        health="1", professional_title="经济师", expertise="农村经济", fulltime_education=4, fulltime_degree=1,
        fulltime_school="郑州大学", fulltime_major="法学", inservice_education=5, inservice_degree=2,
        inservice_school="中共河南省委党校", inservice_major="经济管理", rewards_sanctions="2019年获记三等功一次。",
        annual_assessment="2023、2024年度考核均为称职，2025年度考核为优秀", proposed_post="宝丰县副县长",
        proposed_removal="城关镇党委书记", appointment_reason="工作需要", reporting_unit="中共宝丰县委",
        age_reference_date=D(2026, 11, 1), form_date=D(2026, 11, 15), form_filler="赵敏",
        photo=ContentFile(png_bytes(), name="zhang.png"))
    services.cadre_child_save(by=org_staff, model=CareerEntry, cadre=cadre, start_date=D(1993, 9, 1),
                              end_date=D(1997, 7, 1), description="郑州大学法学专业学习")
    services.cadre_child_save(by=org_staff, model=CareerEntry, cadre=cadre, start_date=D(1997, 7, 1),
                              end_date=None, description="城关镇干部\n（其间：2005.09--2008.07在省委党校学习）")
    services.cadre_child_save(by=org_staff, model=FamilyMember, cadre=cadre, order=1, relation="妻子", name="李梅",
                              birth_date=D(1977, 5, 1), political_status="01", work_unit_post="城关镇中学教师")
    services.cadre_child_save(by=org_staff, model=FamilyMember, cadre=cadre, order=2, relation="儿子", name="张小明",
                              birth_date=D(2003, 9, 1), political_status="03", work_unit_post="郑州大学学生")
    post = PostFactory(unit=tree.town_a, name="党委书记", is_chief=True, quota=1, level=2, kind="party_gov_chief")
    services.appointment_create(by=org_staff, cadre=cadre, post=post, start_date=D(2016, 8, 1))
    return Cadre.objects.get(pk=cadre.pk)


def export(cadre) -> bytes:
    return writer.lrmx_bytes(writer.sheet(cadre))


def xml_of(data: bytes):
    return ET.fromstring(data.removeprefix(b"\xef\xbb\xbf"))


def with_element(data: bytes, tag: str, value: str) -> bytes:
    text = data.decode("utf-8")
    text, n = re.subn(rf"<{tag}>.*?</{tag}>", f"<{tag}>{value}</{tag}>", text, count=1, flags=re.S)
    assert n == 1
    return text.encode("utf-8")


# --------------------------------------------------------------------------- export
def test_export_writes_the_elements_in_the_national_order(full_cadre):
    root = xml_of(export(full_cadre))
    assert root.tag == "Person"
    assert [child.tag for child in root] == [tag for tag, _name in writer.ELEMENTS]
    assert root[-1].tag == "Version" and root[-1].text == "3.2.1.6"
    item = root.find("JiaTingChengYuan")[0]
    assert [c.tag for c in item] == ["ChengWei", "XingMing", "ChuShengRiQi", "ZhengZhiMianMao", "GongZuoDanWeiJiZhiWu"]


def test_export_dates_are_bare_digits_yyyymm_and_yyyymmdd(full_cadre):
    root = xml_of(export(full_cadre))
    assert root.findtext("ChuShengNianYue") == "197503"
    assert root.findtext("RuDangShiJian") == "199706"
    assert root.findtext("CanJiaGongZuoShiJian") == "199707"
    assert root.findtext("JiSuanNianLingShiJian") == "20261101"
    assert root.findtext("TianBiaoShiJian") == "20261115"
    assert root.find("JiaTingChengYuan")[0].findtext("ChuShengRiQi") == "197705"


def test_export_coded_fields_are_labels(full_cadre):
    root = xml_of(export(full_cadre))
    assert (root.findtext("XingBie"), root.findtext("MinZu"), root.findtext("JianKangZhuangKuang")) == ("男", "回族", "健康")
    assert (root.findtext("QuanRiZhiJiaoYu_XueLi"), root.findtext("QuanRiZhiJiaoYu_XueWei")) == ("大学", "学士")
    assert (root.findtext("ZaiZhiJiaoYu_XueLi"), root.findtext("ZaiZhiJiaoYu_XueWei")) == ("研究生", "硕士")
    assert root.findtext("QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi") == "郑州大学法学"
    assert root.find("JiaTingChengYuan")[1].findtext("ZhengZhiMianMao") == "共青团员"
    assert root.findtext("XianRenZhiWu") == "城关镇党委书记"


def test_export_career_lines_one_period_a_line_joined_by_crlf(full_cadre):
    data = export(full_cadre)
    assert b"1993.09--1997.07  \xe9\x83\x91" in data  # "1993.09--1997.07  郑…" as bytes
    career = xml_of(data).findtext("JianLi")
    assert career.split("\r\n") == [
        "1993.09--1997.07  郑州大学法学专业学习",
        "1997.07--         城关镇干部",
        "（其间：2005.09--2008.07在省委党校学习）",
    ]


def test_export_career_falls_back_to_the_appointments(tree, org_staff):
    cadre = CadreFactory(unit=tree.town_a)
    post = PostFactory(unit=tree.town_a, name="副镇长", quota=2, level=1, kind="deputy")
    services.appointment_create(by=org_staff, cadre=cadre, post=post, start_date=D(2018, 4, 2),
                                end_date=D(2021, 6, 30))
    assert xml_of(export(cadre)).findtext("JianLi") == "2018.04--2021.06  城关镇副镇长"


def test_export_photo_is_base64_of_a_jpeg_converted_from_the_stored_png(full_cadre):
    photo = base64.b64decode(xml_of(export(full_cadre)).findtext("ZhaoPian"))
    with Image.open(io.BytesIO(photo)) as img:
        assert img.format == "JPEG" and img.size == (60, 80)


def test_export_of_a_cadre_without_photo_leaves_the_element_empty(tree):
    root = xml_of(export(CadreFactory(unit=tree.town_a)))
    assert root.find("ZhaoPian") is not None and not root.findtext("ZhaoPian")


def test_export_is_utf8_with_a_bom(full_cadre):
    assert export(full_cadre).startswith(b"\xef\xbb\xbf<?xml")


# --------------------------------------------------------------------------- reading
def test_reads_a_file_with_and_without_bom(full_cadre):
    data = export(full_cadre)
    for variant in (data, data.removeprefix(b"\xef\xbb\xbf")):
        parsed = reader.parse(variant, "a.lrmx")
        assert not parsed.errors, parsed.errors
        assert parsed.data["name"] == "张建华" and parsed.data["birth_date"] == D(1975, 3, 8)


def test_reads_a_photo_with_line_breaks_in_the_base64(full_cadre):
    data = export(full_cadre)
    photo = xml_of(data).findtext("ZhaoPian")
    broken = "\r\n".join(photo[i:i + 76] for i in range(0, len(photo), 76))
    parsed = reader.parse(with_element(data, "ZhaoPian", "\n  " + broken + "\n"), "a.lrmx")
    assert not parsed.errors
    assert parsed.photo == base64.b64decode(photo)


def test_accepts_a_version_4_file_and_notes_its_extra_elements(full_cadre):
    data = export(full_cadre).replace(b"<Version>", b"<DaoLingNianYue>203503</DaoLingNianYue><Version>")
    parsed = reader.parse(data, "v4.lrmx")
    assert not parsed.errors
    assert any(n["field"] == "到龄年月" for n in parsed.notes)


@pytest.mark.parametrize(("name", "mutate", "field", "words"), [
    ("not_xml", lambda d: b"\xef\xbb\xbfthis is not xml <", "文件", "不是有效的XML"),
    ("wrong_root", lambda d: d.replace(b"<Person>", b"<Cadre>").replace(b"</Person>", b"</Cadre>"), "文件",
     "根元素应为 Person"),
    ("bad_date", lambda d: with_element(d, "ChuShengNianYue", "197513"), "出生年月", "不是有效的日期"),
    ("bad_work_date", lambda d: with_element(d, "CanJiaGongZuoShiJian", "1997年7月"), "参加工作时间", "不是有效的日期"),
    ("bad_check_digit", None, "身份证号", "校验位错误"),
    ("unknown_gender", lambda d: with_element(d, "XingBie", "未知"), "性别", "未知的性别"),
    ("unknown_ethnicity", lambda d: with_element(d, "MinZu", "火星族"), "民族", "未知的民族"),
    ("unknown_education", lambda d: with_element(d, "QuanRiZhiJiaoYu_XueLi", "博士后"), "全日制教育学历", "未知的学历"),
    ("unknown_health", lambda d: with_element(d, "JianKangZhuangKuang", "很好"), "健康状况", "未知的健康状况"),
    ("unknown_family_political", lambda d: d.replace("共青团员".encode(), "少先队员".encode()),
     "家庭成员及重要社会关系·政治面貌", "未知的政治面貌"),
    ("bad_photo", lambda d: with_element(d, "ZhaoPian", "@@not base64@@"), "照片", "Base64"),
    ("bad_career", lambda d: with_element(d, "JianLi", "1993年--1997年 学习"), "简历", "起止年月"),
])
def test_a_bad_file_is_refused_with_the_field_named_and_nothing_saved(full_cadre, org_staff, name, mutate, field,
                                                                      words):
    data = export(full_cadre)
    if name == "bad_check_digit":
        number = full_cadre.id_number
        wrong = number[:17] + ("0" if number[17] != "0" else "1")
        data = with_element(data, "ShenFenZheng", wrong)
    else:
        data = mutate(data)
    before = Cadre.history.count()
    result = importer.check(by=org_staff, files=[(f"{name}.lrmx", data)], unit=full_cadre.unit)
    report = result.payload("check")["files"][0]
    assert report["action"] == "refused" and not result.ok
    assert any(e["field"] == field and words in e["message"] for e in report["errors"]), report["errors"]
    with pytest.raises(Exception):  # noqa: B017 - apply refuses whatever the digest
        importer.apply(by=org_staff, files=[(f"{name}.lrmx", data)], unit=full_cadre.unit, digest=result.digest)
    assert Cadre.history.count() == before


# --------------------------------------------------------------------------- import
def test_round_trip_export_then_import_gives_the_same_cadre(full_cadre, org_staff):
    data = export(full_cadre)
    result = importer.check(by=org_staff, files=[("a.lrmx", data)], unit=full_cadre.unit)
    report = result.payload("check")["files"][0]
    assert report["action"] == "unchanged", report["diff"]
    assert report["diff"] == []
    # and into an empty roster: the new cadre exports to the same file (bar the current post)
    before = writer.sheet(full_cadre)
    snapshot = {f: getattr(full_cadre, f) for f in importer.FIELDS}
    Cadre.objects.filter(pk=full_cadre.pk).delete()
    result = importer.check(by=org_staff, files=[("a.lrmx", data)], unit=full_cadre.unit)
    assert result.payload("check")["files"][0]["action"] == "create"
    importer.apply(by=org_staff, files=[("a.lrmx", data)], unit=full_cadre.unit, digest=result.digest)
    again = Cadre.objects.get(id_number=full_cadre.id_number)
    assert {f: getattr(again, f) for f in importer.FIELDS} == snapshot
    after = writer.sheet(again)
    assert {k: v for k, v in after.values.items() if k != "XianRenZhiWu"} == {
        k: v for k, v in before.values.items() if k != "XianRenZhiWu"}
    assert after.family == before.family and after.photo == before.photo


def test_a_hand_written_file_to_the_national_element_list_imports(tree, org_staff):
    data = FIXTURE.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    result = importer.check(by=org_staff, files=[(FIXTURE.name, data)], unit=tree.town_a)
    report = result.payload("check")["files"][0]
    assert report["action"] == "create", report["errors"]
    assert {n["field"] for n in report["notes"]} >= {"全日制教育学位", "现任职务"}  # 农学学士 → 学士; posts not imported
    importer.apply(by=org_staff, files=[(FIXTURE.name, data)], unit=tree.town_a, digest=result.digest)
    cadre = Cadre.objects.get(id_number="410421197503080236")
    assert (cadre.name, cadre.birth_date, cadre.unit_id) == ("王建国", D(1975, 3, 8), tree.town_a.pk)
    assert (cadre.fulltime_school, cadre.fulltime_major, cadre.fulltime_degree) == ("河南农业大学", "农学专业", 1)
    assert (cadre.inservice_education, cadre.inservice_degree) == (5, 2)
    assert cadre.party_join_date == D(1997, 6, 1) and cadre.form_filler == "赵敏"
    assert [m.relation for m in cadre.family.all()] == ["妻子", "儿子", "父亲"]
    assert cadre.family.get(relation="儿子").political_status == "03"
    lines = list(cadre.career.all())
    assert len(lines) == 4 and lines[2].description.endswith("获管理学硕士学位）")
    assert lines[3].end_date is None
    with cadre.photo.open("rb") as f, Image.open(f) as img:
        assert img.format == "JPEG" and img.size == (135, 180)
    assert cadre.history.first().history_user == org_staff


def test_an_update_shows_the_diff_and_changes_nothing_until_confirmed(full_cadre, org_staff):
    data = with_element(with_element(export(full_cadre), "JiangChengQingKuang", "2024年获嘉奖。"),
                        "JianKangZhuangKuang", "一般")
    result = importer.check(by=org_staff, files=[("a.lrmx", data)], unit=None)
    report = result.payload("check")["files"][0]
    assert report["action"] == "update"
    assert {(d["field"], d["stored"], d["file"]) for d in report["diff"]} == {
        ("奖惩情况", "2019年获记三等功一次。", "2024年获嘉奖。"), ("健康状况", "健康", "一般")}
    full_cadre.refresh_from_db()
    assert full_cadre.rewards_sanctions == "2019年获记三等功一次。"  # the check wrote nothing
    importer.apply(by=org_staff, files=[("a.lrmx", data)], unit=None, digest=result.digest)
    full_cadre.refresh_from_db()
    assert (full_cadre.rewards_sanctions, full_cadre.health) == ("2024年获嘉奖。", "2")


def test_apply_refuses_when_the_cadre_changed_after_the_check(full_cadre, org_staff):
    data = with_element(export(full_cadre), "RenMianLiYou", "因工作需要")
    result = importer.check(by=org_staff, files=[("a.lrmx", data)], unit=None)
    services.cadre_update(by=org_staff, cadre=full_cadre, appointment_reason="另有理由")
    with pytest.raises(Exception, match="已有变化"):
        importer.apply(by=org_staff, files=[("a.lrmx", data)], unit=None, digest=result.digest)
    full_cadre.refresh_from_db()
    assert full_cadre.appointment_reason == "另有理由"


def test_two_files_one_bad_imports_neither(full_cadre, org_staff, tree):
    new = FIXTURE.read_bytes()
    bad = with_element(export(full_cadre), "TianBiaoShiJian", "20261399")
    result = importer.check(by=org_staff, files=[("good.lrmx", new), ("bad.lrmx", bad)], unit=tree.town_a)
    reports = result.payload("check")["files"]
    assert [r["action"] for r in reports] == ["create", "refused"]
    assert reports[1]["errors"][0]["field"] == "填表时间"
    with pytest.raises(Exception):  # noqa: B017
        importer.apply(by=org_staff, files=[("good.lrmx", new), ("bad.lrmx", bad)], unit=tree.town_a,
                       digest=result.digest)
    assert not Cadre.objects.filter(id_number="410421197503080236").exists()


def test_the_same_person_twice_is_refused(tree, org_staff):
    data = FIXTURE.read_bytes()
    reports = importer.check(by=org_staff, files=[("a.lrmx", data), ("b.lrmx", data)], unit=tree.town_a).payload(
        "check")["files"]
    assert reports[1]["action"] == "refused" and reports[1]["errors"][0]["field"] == "身份证号"


def test_a_new_cadre_needs_a_unit(org_staff, db):
    report = importer.check(by=org_staff, files=[("a.lrmx", FIXTURE.read_bytes())], unit=None).payload(
        "check")["files"][0]
    assert report["action"] == "refused" and report["errors"][0]["field"] == "所在单位"


def test_a_unit_leader_cannot_update_a_cadre_outside_their_units(leader, cadre_b, org_staff):
    report = importer.check(by=leader, files=[("b.lrmx", export(cadre_b))], unit=None).payload("check")["files"][0]
    assert report["action"] == "refused" and "不在您的管理范围内" in report["errors"][0]["message"]


def test_the_check_runs_a_constant_number_of_queries(full_cadre, org_staff, tree, django_assert_max_num_queries):
    files = [("a.lrmx", export(full_cadre))]
    for n in range(5):
        c = CadreFactory(unit=tree.town_a)
        services.cadre_child_save(by=org_staff, model=FamilyMember, cadre=c, order=1, relation="妻子", name=f"妻{n}")
        files.append((f"{n}.lrmx", export(c)))
    with django_assert_max_num_queries(12):
        importer.check(by=org_staff, files=files, unit=tree.town_a)


def test_export_logs_the_download(full_cadre, org_staff):
    from cadres.lrmx.export import sheet_export

    name, data, content_type = sheet_export(by=org_staff, cadre=full_cadre, file_format="lrmx")
    assert name == "张建华-任免审批表.lrmx" and data.startswith(b"\xef\xbb\xbf")
    log = ExportLog.objects.get(what="干部任免审批表")
    assert (log.user, log.file_format, log.filters, log.row_count) == (org_staff, "lrmx", {"cadre": full_cadre.pk}, 1)


def test_apply_refuses_when_the_family_changed_after_the_check(full_cadre, org_staff):
    data = with_element(export(full_cadre), "JiaTingChengYuan", "<Item><ChengWei>父亲</ChengWei><XingMing>张山</XingMing>"
                        "<ChuShengRiQi>194802</ChuShengRiQi><ZhengZhiMianMao>群众</ZhengZhiMianMao>"
                        "<GongZuoDanWeiJiZhiWu>已退休</GongZuoDanWeiJiZhiWu></Item>")
    result = importer.check(by=org_staff, files=[("a.lrmx", data)], unit=None)
    assert [d["field"] for d in result.payload("check")["files"][0]["diff"]] == ["家庭成员及重要社会关系"]
    services.cadre_child_save(by=org_staff, model=FamilyMember, cadre=full_cadre, order=3, relation="女儿", name="张小红")
    with pytest.raises(Exception, match="已有变化"):
        importer.apply(by=org_staff, files=[("a.lrmx", data)], unit=None, digest=result.digest)
    assert full_cadre.family.count() == 3
