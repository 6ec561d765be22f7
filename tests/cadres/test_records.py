"""The performance archive's workflow, points, amendments and evidence (services)."""
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone

from cadres import services
from cadres.models import PerformanceRecord, RecordStatus, TaskCategory
from pingdingshan.core.models import Notification

S = RecordStatus
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c"
                    "6360000002000154a24f5d0000000049454e44ae426082")
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 100


@pytest.fixture
def category(db):
    return TaskCategory.objects.get(name="乡村振兴")


def draft(by, cadre, category, **extra):
    data = dict(cadre=cadre, category=category, title="推进高标准农田建设", description="完成高标准农田2万亩",
                role="lead", start_date=dt.date(2025, 3, 1), end_date=dt.date(2025, 10, 1),
                quantity=Decimal("2"), quantity_unit="万亩")
    data.update(extra)
    return services.record_create(by=by, **data)


def test_categories_are_seeded_with_rules(category):
    assert TaskCategory.objects.count() >= 10
    assert services.points_for(PerformanceRecord(category=category, role="lead"))[0] == Decimal("10")


def test_leader_drafts_submits_and_staff_verifies_with_rule_points(leader, org_staff, cadre_a, category):
    r = draft(leader, cadre_a, category)
    assert r.status == S.DRAFT and r.unit == cadre_a.unit and r.created_by == leader
    r = services.record_submit(by=leader, record=r)
    assert r.status == S.SUBMITTED and r.submitted_by == leader
    r = services.record_verify(by=org_staff, record=r)
    assert r.status == S.VERIFIED and r.points == Decimal("10") and "计分规则" in r.points_explanation
    note = Notification.objects.get(user=leader)
    assert "已核实" in note.message and note.read_at is None
    assert r.history.count() == 3  # created, submitted, verified


def test_manual_adjustment_needs_a_reason(leader, org_staff, cadre_a, category):
    r = services.record_submit(by=leader, record=draft(leader, cadre_a, category, role="main"))
    with pytest.raises(ValidationError) as e:
        services.record_verify(by=org_staff, record=r, adjustment=2)
    assert "理由" in e.value.message_dict["adjustment_reason"][0]
    r.refresh_from_db()
    assert r.status == S.SUBMITTED  # nothing changed
    r = services.record_verify(by=org_staff, record=r, adjustment="2", adjustment_reason="成效特别突出")
    assert r.points == Decimal("8") and r.base_points == Decimal("6")


def test_return_needs_a_reason_then_edit_and_resubmit(leader, org_staff, cadre_a, category):
    r = services.record_submit(by=leader, record=draft(leader, cadre_a, category))
    with pytest.raises(ValidationError):
        services.record_return(by=org_staff, record=r, reason="  ")
    r = services.record_return(by=org_staff, record=r, reason="缺少佐证材料")
    assert r.status == S.RETURNED
    assert "缺少佐证材料" in Notification.objects.get(user=leader).message
    r = services.record_update(by=leader, record=r, title="推进高标准农田建设（补充）")
    r = services.record_submit(by=leader, record=r)
    assert r.status == S.SUBMITTED


@pytest.mark.parametrize("action", ["verify", "return", "withdraw"])
def test_illegal_transitions_change_nothing(org_staff, leader, cadre_a, category, action):
    r = draft(leader, cadre_a, category)
    call = {"verify": lambda: services.record_verify(by=org_staff, record=r),
            "return": lambda: services.record_return(by=org_staff, record=r, reason="x"),
            "withdraw": lambda: services.record_withdraw(by=leader, record=r)}[action]
    with pytest.raises(ValidationError) as e:
        call()
    assert "草稿" in e.value.messages[0]
    r.refresh_from_db()
    assert r.status == S.DRAFT and r.history.count() == 1


def test_verified_record_is_never_edited_but_amended(leader, org_staff, cadre_a, category):
    r = services.record_verify(by=org_staff, record=services.record_submit(by=leader, record=draft(leader, cadre_a, category)))
    with pytest.raises(ValidationError) as e:
        services.record_update(by=leader, record=r, title="改")
    assert "已核实" in e.value.messages[0]
    amendment = services.record_amend(by=leader, original=r, quantity=Decimal("2.5"))
    assert amendment.status == S.DRAFT and amendment.amends == r and amendment.title == r.title
    with pytest.raises(ValidationError):
        services.record_amend(by=leader, original=r)  # one correction at a time
    services.record_verify(by=org_staff, record=services.record_submit(by=leader, record=amendment))
    r.refresh_from_db()
    assert r.superseded_by == amendment and not r.is_current and r.status == S.VERIFIED
    assert PerformanceRecord.objects.filter(pk=r.pk).exists()  # the original is kept


def test_withdraw_by_submitter_only(leader, org_staff, cadre_a, category, tree):
    from pingdingshan.core.models import Role
    from tests.factories import user_with_role

    other_leader = user_with_role(Role.UNIT_LEADER, tree.county_a)
    r = services.record_submit(by=leader, record=draft(leader, cadre_a, category))
    with pytest.raises(PermissionDenied):
        services.record_withdraw(by=other_leader, record=r)
    assert services.record_withdraw(by=leader, record=r).status == S.DRAFT


def test_scope_and_roles(leader, auditor, org_staff, cadre_b, cadre_a, category):
    with pytest.raises(Http404):
        draft(leader, cadre_b, category)
    with pytest.raises(PermissionDenied):
        draft(auditor, cadre_a, category)
    r = services.record_submit(by=leader, record=draft(leader, cadre_a, category))
    with pytest.raises(PermissionDenied):
        services.record_verify(by=leader, record=r)
    other = services.record_submit(by=org_staff, record=draft(org_staff, cadre_b, category))
    assert list(PerformanceRecord.objects.restrict(leader)) == [r]
    assert set(PerformanceRecord.objects.restrict(auditor)) == {r, other}


def test_future_dates_and_missing_units_are_refused(leader, cadre_a, category):
    with pytest.raises(ValidationError) as e:
        draft(leader, cadre_a, category, start_date=dt.date.today() + dt.timedelta(days=3), end_date=None)
    assert "start_date" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        draft(leader, cadre_a, category, quantity_unit="")
    assert "quantity_unit" in e.value.message_dict
    assert not PerformanceRecord.objects.exists()


def test_record_validate_lists_every_problem_without_raising(leader, cadre_a, category):
    """The archive's rules and the model's field checks together, as one dict; nothing raised."""
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    record = PerformanceRecord(cadre=cadre_a, unit=cadre_a.unit, category=category, title="长" * 201, description="",
                               role="boss", start_date=tomorrow, end_date=tomorrow - dt.timedelta(days=5),
                               quantity=Decimal("3"), created_by=leader)
    errors = services.record_validate(record)
    assert set(errors) == {"title", "description", "role", "start_date", "end_date", "quantity_unit"}
    assert errors["end_date"] == ["结束日期不能早于开始日期。"]
    assert errors["start_date"] == ["开始日期不能晚于今天：实绩须是已经做出的工作。"]
    assert errors["quantity_unit"] == ["填写了量化成果时须填写计量单位（如 亿元、个、人次）。"]
    assert len(errors["title"]) == 1 and "200" in errors["title"][0]
    # excluded fields are neither checked nor reported
    assert set(services.record_validate(record, exclude={"title", "end_date"})) == {
        "description", "role", "start_date", "quantity_unit"}
    # a rule's field gets one message, not a second one from the field checks
    category.is_active = False
    assert services.record_validate(record)["category"] == ["中心工作类别“乡村振兴”已停用。"]
    good = PerformanceRecord(cadre=cadre_a, unit=cadre_a.unit, category=TaskCategory.objects.get(name="乡村振兴"),
                             title="推进高标准农田建设", description="完成2万亩", role="lead",
                             start_date=dt.date(2025, 3, 1), created_by=leader)
    assert services.record_validate(good) == {}


def test_record_validate_checks_related_objects_unless_the_caller_did(leader, cadre_a, category,
                                                                     django_assert_num_queries):
    record = PerformanceRecord(cadre=cadre_a, unit=cadre_a.unit, category=category, title="推进", description="x",
                               role="lead", start_date=dt.date(2025, 3, 1), created_by=leader)
    with django_assert_num_queries(0):  # the import: related objects looked up in bulk beforehand
        assert services.record_validate(record, related_checked=True) == {}
    record.cadre_id = 10**9  # a cadre that does not exist
    assert "cadre" in services.record_validate(record)
    assert services.record_validate(record, related_checked=True) == {}


def test_services_refuse_with_every_problem_at_once(leader, cadre_a, category):
    with pytest.raises(ValidationError) as e:
        draft(leader, cadre_a, category, title="长" * 201, start_date=dt.date(2025, 5, 1), end_date=dt.date(2025, 4, 1),
              quantity_unit="")
    assert set(e.value.message_dict) == {"title", "end_date", "quantity_unit"}
    assert not PerformanceRecord.objects.exists()


def test_evidence_type_is_checked_from_content(leader, cadre_a, category, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    r = draft(leader, cadre_a, category)
    ev = services.evidence_add(by=leader, record=r, upload=SimpleUploadedFile("../../会议纪要.pdf", PDF))
    assert ev.content_type == "application/pdf" and ev.original_name == "会议纪要.pdf"
    assert ".." not in ev.file.name and ev.file.name.startswith(f"evidence/{r.pk}/")
    png = services.evidence_add(by=leader, record=r, upload=SimpleUploadedFile("photo.pdf", PNG))
    assert png.content_type == "image/png" and png.original_name == "photo.png"
    with pytest.raises(ValidationError) as e:
        services.evidence_add(by=leader, record=r, upload=SimpleUploadedFile("报告.pdf", EXE))
    assert "不是允许的类型" in e.value.message_dict["file"][0]
    assert r.evidence.count() == 2


def test_no_evidence_changes_after_submission(leader, cadre_a, category, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    r = services.record_submit(by=leader, record=draft(leader, cadre_a, category))
    with pytest.raises(ValidationError):
        services.evidence_add(by=leader, record=r, upload=SimpleUploadedFile("a.pdf", PDF))


def test_bulk_verify_is_all_or_nothing(leader, org_staff, cadre_a, category):
    good = services.record_submit(by=leader, record=draft(leader, cadre_a, category))
    bad = draft(leader, cadre_a, category, title="尚未提交")
    with pytest.raises(ValidationError):
        services.record_bulk_verify(by=org_staff, ids=[good.pk, bad.pk])
    good.refresh_from_db()
    assert good.status == S.SUBMITTED
    assert len(services.record_bulk_verify(by=org_staff, ids=[good.pk])) == 1


def test_possible_duplicates_are_flagged(leader, org_staff, cadre_a, category):
    from cadres import selectors

    a = services.record_submit(by=leader, record=draft(leader, cadre_a, category))
    b = services.record_submit(by=leader, record=draft(leader, cadre_a, category, title="推进高标准农田建设工作",
                                                       start_date=dt.date(2025, 3, 20)))
    c = services.record_submit(by=leader, record=draft(leader, cadre_a, category, title="组织防汛抢险",
                                                       start_date=dt.date(2025, 3, 5)))
    flags = selectors.possible_duplicates(user=org_staff, records=[a, b, c])
    assert [r.pk for r in flags[a.pk]] == [b.pk] and [r.pk for r in flags[b.pk]] == [a.pk]
    assert c.pk not in flags


def test_summary_by_category_and_year_counts_current_verified_only(leader, org_staff, cadre_a, category):
    from cadres import selectors

    r = services.record_verify(by=org_staff, record=services.record_submit(by=leader, record=draft(leader, cadre_a, category)))
    draft(leader, cadre_a, category, title="草稿不计")
    amendment = services.record_amend(by=leader, original=r, role="main")
    services.record_verify(by=org_staff, record=services.record_submit(by=leader, record=amendment))
    rows = list(selectors.record_summary(user=leader, cadre=cadre_a))
    assert rows == [{"year": 2025, "category__name": "乡村振兴", "count": 1, "points": Decimal("6.00")}]


def test_a_cadre_with_records_cannot_be_deleted(org_staff, leader, cadre_a, category):
    draft(leader, cadre_a, category)
    with pytest.raises(ValidationError) as e:
        services.cadre_delete(by=org_staff, cadre=cadre_a)
    assert "实绩记录" in e.value.messages[0]


# --------------------------------------------------------------------------- the workflow table
def test_records_submit_is_the_submit_transition_for_many(leader, org_staff, cadre_a, cadre_b, category):
    a, b = draft(leader, cadre_a, category, title="甲"), draft(leader, cadre_a, category, title="乙")
    done = services.records_submit(by=leader, records=[a, b])
    assert {r.status for r in done} == {S.SUBMITTED}
    for r in (a, b):
        r.refresh_from_db()
        assert (r.status, r.submitted_by) == (S.SUBMITTED, leader) and r.submitted_at is not None
        assert r.history.first().status == S.SUBMITTED  # audited
    c = draft(leader, cadre_a, category, title="丙")
    with pytest.raises(ValidationError):  # a submitted record cannot be submitted again: none is
        services.records_submit(by=leader, records=[c, a])
    c.refresh_from_db()
    assert c.status == S.DRAFT
    other = draft(org_staff, cadre_b, category, title="丁")
    with pytest.raises(PermissionDenied):  # a cadre outside the leader's scope
        services.records_submit(by=leader, records=[other])
    other.refresh_from_db()
    assert other.status == S.DRAFT


def test_allowed_actions_follow_the_table_and_the_services_agree(leader, org_staff, auditor, cadre_a, category):
    r = draft(leader, cadre_a, category)
    assert services.allowed_actions(r, leader) == {"submit", "edit", "upload", "delete"}
    assert services.allowed_actions(r, auditor) == frozenset()
    r = services.record_submit(by=leader, record=r)
    assert services.allowed_actions(r, leader) == {"withdraw"}
    assert services.allowed_actions(r, org_staff) == {"withdraw", "verify", "return"}
    r = services.record_verify(by=org_staff, record=r)
    assert services.allowed_actions(r, leader) == {"amend"}
    services.record_amend(by=leader, original=r)
    assert services.allowed_actions(r, leader) == frozenset()  # a correction is in progress
    with pytest.raises(ValidationError):
        services.record_amend(by=leader, original=r)


# --------------------------------------------------------------------------- the points explanation, put in words when shown
def test_points_explanation_is_kept_as_its_basis_and_shown_in_the_readers_language(
        client, leader, org_staff, cadre_a, category):
    from django.urls import reverse
    from django.utils import translation
    from rest_framework.test import APIClient

    r = services.record_submit(by=leader, record=draft(leader, cadre_a, category, role="main"))
    with translation.override("en"):  # an English-speaking verifier: the stored fallback is Chinese still
        r = services.record_verify(by=org_staff, record=r, adjustment="2", adjustment_reason="成效特别突出")
    assert r.points_basis == {"rule": True, "category": "乡村振兴", "role": "main", "points": "6.00",
                              "adjustment": "2", "reason": "成效特别突出"}
    zh = "按计分规则：“乡村振兴”·主要参与 = 6.00 分。人工调整 2 分：成效特别突出"
    en = "By the points rule: “乡村振兴” · Main participant = 6.00 points.Manual adjustment of 2 points: 成效特别突出"
    assert r.points_explanation == zh and r.points_text == zh
    with translation.override("en"):
        assert r.points_text == en

    page = reverse("cadres:record_detail", args=[r.pk])
    client.force_login(leader)
    assert zh in client.get(page).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(page).content.decode()
    assert en in html and zh not in html

    api = APIClient()
    api.force_authenticate(leader)
    assert api.get(reverse("record-detail", args=[r.pk])).json()["points_explanation"] == zh
    assert api.get(reverse("record-detail", args=[r.pk]), HTTP_ACCEPT_LANGUAGE="en").json()["points_explanation"] == en


def test_a_record_without_a_rule_and_an_old_record_explain_their_points(leader, org_staff, cadre_a, category):
    from django.utils import translation

    category.points_rules.filter(role="participant").delete()
    r = services.record_submit(by=leader, record=draft(leader, cadre_a, category, role="participant"))
    r = services.record_verify(by=org_staff, record=r)
    assert r.points == 0 and r.points_basis["rule"] is False
    assert r.points_text == "“乡村振兴”未配置“参与”的计分规则，规则分为0。"
    with translation.override("en"):
        assert "No points rule is configured for “乡村振兴”" in r.points_text
    # Verified before the basis was kept: the stored words, in any language.
    PerformanceRecord.objects.filter(pk=r.pk).update(points_basis={}, points_explanation="旧的计分说明")
    r.refresh_from_db()
    with translation.override("en"):
        assert r.points_text == "旧的计分说明"


@pytest.mark.parametrize("text, basis", [
    ("按计分规则：“乡村振兴”·牵头 = 10.00 分。",
     {"rule": True, "category": "乡村振兴", "role": "lead", "points": "10.00"}),
    ("按计分规则：“招商·引资”·主要参与 = 6.00 分。人工调整 -1.5 分：材料不全，酌减",
     {"rule": True, "category": "招商·引资", "role": "main", "points": "6.00", "adjustment": "-1.5",
      "reason": "材料不全，酌减"}),
    ("“信访稳定”未配置“参与”的计分规则，规则分为0。",
     {"rule": False, "category": "信访稳定", "role": "participant", "points": "0"}),
    ("By the points rule: “乡村振兴” · Lead = 10.00 points.", None),  # verified in English: left as text
    ("按计分规则：“乡村振兴”·组长 = 10.00 分。", None),  # not a role
    ("人工填写的说明", None),
])
def test_migration_reads_the_basis_back_from_old_explanations(text, basis):
    import importlib

    from cadres.models import points_sentence

    migration = importlib.import_module("cadres.migrations.0010_record_points_basis")
    assert migration.basis_of(text) == basis
    if basis is not None:
        assert points_sentence(basis) == text  # the same words, now from codes
