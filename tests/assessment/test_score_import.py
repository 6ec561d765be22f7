"""Score import: the template lists the scheme's cadres; a file with good and bad rows saves
nothing and reports each bad row (on the page and in the xlsx); a good file saves every score."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from assessment.models import Score

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_open_world")]  # built once (conftest.py)


def xlsx(rows):
    wb = Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("scores.xlsx", buf.getvalue())


def _template(client, period, group, scheme):
    r = client.get(reverse("assessment:score_import_template", args=[period.pk]),
                   {"rater_group": group.pk, "scheme": scheme.pk})
    assert r.status_code == 200
    return load_workbook(io.BytesIO(b"".join(r.streaming_content))).worksheets[0]


def test_template_lists_enrolled_cadres_and_indicators(client, org_staff, period, scheme, deputies):
    client.force_login(org_staff)
    ws = _template(client, period, period.rater_groups.get(name="上级"), scheme)
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == ["身份证号码", "姓名", "单位", "政治品质", "履职成效", "担当作为"]
    assert sorted(r[1] for r in rows[1:]) == sorted(c.name for c in deputies)


def test_bad_rows_save_nothing_and_are_reported(client, eager, org_staff, period, scheme, deputies):
    client.force_login(org_staff)
    group = period.rater_groups.get(name="上级")
    a, b, c = deputies[:3]
    upload = xlsx([
        ["身份证号码", "姓名", "单位", "政治品质", "履职成效", "担当作为"],
        [a.id_number, a.name, "", 90, 85, 80],  # good
        [b.id_number, "别人", "", 90, 101, 80],  # wrong name, score out of range
        [c.id_number, c.name, "", 90, None, 80],  # missing indicator
        ["11010519491231002X", "", "", 90, 90, 90],  # not enrolled
        [a.id_number, a.name, "", 70, 70, 70],  # twice
    ])
    r = client.post(reverse("assessment:score_import", args=[period.pk]),
                    {"rater_group": group.pk, "scheme": scheme.pk, "file": upload}, follow=True)
    assert r.status_code == 200 and r.redirect_chain[0][0].startswith(
        reverse("assessment:score_import", args=[period.pk]) + "?job=")
    html = r.content.decode()
    assert "有 4 行有错，全部未导入" in html
    assert "不一致" in html and "分数须在0到100之间" in html and "缺少指标：履职成效" in html
    assert "不是本周期该指标体系的考核对象" in html and "与第2行是同一名干部" in html
    assert not Score.objects.exists()
    report = r.context["outcome"].report_id
    f = client.get(reverse("assessment:score_import_errors", args=[period.pk]), {"report": report})
    assert f.status_code == 200 and f["X-Content-Type-Options"] == "nosniff"  # core.files.serve_file
    assert f["Cache-Control"] == "private, no-cache" and f["Content-Disposition"].startswith("attachment;")
    assert "%E8%AF%84%E5%88%86%E5%AF%BC%E5%85%A5%E9%94%99%E8%AF%AF%E6%8A%A5%E5%91%8A" in f["Content-Disposition"]
    ws = load_workbook(io.BytesIO(b"".join(f.streaming_content))).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][-1] == "错误原因" and rows[1][-1] is None and "不一致" in rows[2][-1]
    # Another user cannot fetch the report.
    from tests.factories import user_with_role

    other = user_with_role("org_staff", username="other_staff")
    client.force_login(other)
    assert client.get(reverse("assessment:score_import_errors", args=[period.pk]),
                      {"report": report}).status_code == 404


def test_good_file_saves_every_score(client, eager, org_staff, period, scheme, deputies):
    client.force_login(org_staff)
    group = period.rater_groups.get(name="同级")
    header = ["身份证号码", "姓名", "单位", "政治品质", "履职成效", "担当作为"]
    rows = [header] + [[d.id_number, d.name, "", 80 + i, 75.5, 70] for i, d in enumerate(deputies[:2])]
    rows.append([deputies[2].id_number, "", "", None, None, None])  # all empty: not scored by this group
    r = client.post(reverse("assessment:score_import", args=[period.pk]),
                    {"rater_group": group.pk, "scheme": scheme.pk, "file": xlsx(rows)}, follow=True)
    assert "已导入 3 行：新增 6 项评分" in r.content.decode()
    assert Score.objects.filter(rater_group=group).count() == 6
    assert Score.objects.filter(rater_group=group).first().history.first().history_user == org_staff


def test_a_zip_bomb_is_refused_before_it_is_parsed(client, eager, org_staff, period, scheme, deputies):
    import time

    from tests.core.test_uploads import far_row_book, zip_bomb

    client.force_login(org_staff)
    group = period.rater_groups.get(name="上级")
    for content, message in ((zip_bomb(), "解压后有 150 MB，超过上限 64 MB"), (far_row_book(), "超过上限 20000 行")):
        started = time.monotonic()
        r = client.post(reverse("assessment:score_import", args=[period.pk]),
                        {"rater_group": group.pk, "scheme": scheme.pk,
                         "file": SimpleUploadedFile("scores.xlsx", content)}, follow=True)
        assert time.monotonic() - started < 5
        assert message in r.content.decode()
    assert not Score.objects.exists()
