"""Care records (关心关爱) on the pages, the export and the API: the care list and its tabs, the
cadre page's 关心关爱 tab, add / edit / delete through the forms; the personal health details
(a check-up's ``details``) shown, exported and served only to org staff; the reminders' work-desk
lines and cadre lists, scoped by the gate. One world for the module."""
import datetime as dt
import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from cadres import services
from cadres.models import Cadre, HealthCheck, Talk
from tests.conftest import make_people, make_tree, rolled_back

pytestmark = pytest.mark.django_db
SECRET = "高血压二级，需长期服药"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    def build():
        tree = make_tree()
        people = make_people(tree)
        by = people.org_staff
        check = services.care_create(by=by, care_kind="health", cadre=people.cadre_a, checked_on=dt.date(2026, 3, 2),
                                     organiser="市人民医院", conclusion="基本正常", details=SECRET)
        talk = services.care_create(by=by, care_kind="talk", cadre=people.cadre_b, held_on=dt.date(2026, 2, 1),
                                    talked_by="王部长", topics="工作压力")
        return {"cadre_a": people.cadre_a.pk, "cadre_b": people.cadre_b.pk, "check": check.pk, "talk": talk.pk,
                **{role: getattr(people, role).pk for role in ("org_staff", "auditor", "leader", "no_role_user")}}

    with rolled_back(django_db_blocker, build) as built:
        yield built


@pytest.fixture
def as_user(client, world, db):
    def login(role):
        client.force_login(get_user_model().objects.get(pk=world[role]))
        return client
    return login


def text(response):
    return response.content.decode()


@pytest.mark.parametrize(("role", "sees"), [("org_staff", True), ("leader", False), ("auditor", False)])
def test_health_details_on_the_cadre_tab_and_the_list_only_for_org_staff(as_user, world, role, sees):
    c = as_user(role)
    tab = c.get(reverse("cadres:cadre_detail", args=[world["cadre_a"]]) + "?tab=care")
    assert tab.status_code == 200
    assert "基本正常" in text(tab)  # the conclusion: for all who see the cadre
    assert (SECRET in text(tab)) is sees
    listed = c.get(reverse("cadres:care_list") + "?kind=health")
    assert "基本正常" in text(listed)
    assert (SECRET in text(listed)) is sees
    assert ("健康详情" in text(listed)) is sees


@pytest.mark.parametrize(("role", "sees"), [("org_staff", True), ("auditor", False)])
def test_health_details_exported_only_for_org_staff(as_user, world, role, sees):
    r = as_user(role).get(reverse("cadres:care_export") + "?kind=health&format=xlsx")
    assert r.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(r.streaming_content))).active
    values = {str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None}
    assert "基本正常" in values
    assert (SECRET in values) is sees
    assert ("健康详情" in values) is sees


@pytest.mark.parametrize(("role", "sees"), [("org_staff", True), ("leader", False), ("auditor", False)])
def test_health_details_in_the_api_only_for_org_staff(as_user, world, role, sees):
    r = as_user(role).get(f"/api/v1/care-health-checks/{world['check']}/")
    assert r.status_code == 200
    assert r.json()["conclusion"] == "基本正常"
    assert ("details" in r.json()) is sees


def test_api_details_written_by_a_leader_are_not_saved(as_user, world):
    r = as_user("leader").patch(f"/api/v1/care-health-checks/{world['check']}/",
                                {"conclusion": "复查正常", "details": "改写"}, content_type="application/json")
    assert r.status_code == 200
    check = HealthCheck.objects.get(pk=world["check"])
    assert (check.conclusion, check.details) == ("复查正常", SECRET)


def test_leader_adds_a_talk_from_the_cadre_page(as_user, world):
    c = as_user("leader")
    url = reverse("cadres:care_talk_create", args=[world["cadre_a"]])
    assert c.get(url).status_code == 200
    r = c.post(url, {"held_on": "2026-04-01", "talked_by": "李书记", "kind": "heart", "topics": "家庭困难"})
    assert r.status_code == 302
    assert Talk.objects.filter(cadre_id=world["cadre_a"], talked_by="李书记").exists()


def test_form_errors_name_the_field_and_nothing_is_saved(as_user, world):
    c = as_user("org_staff")
    r = c.post(reverse("cadres:care_leave_create", args=[world["cadre_a"]]),
               {"year": "2026", "entitled_days": "5", "taken_days": "9"})
    assert r.status_code == 200
    assert "已休天数不能多于应休天数。" in r.context["form"].errors["taken_days"]
    assert not Cadre.objects.get(pk=world["cadre_a"]).leave_years.exists()


def test_leader_outside_scope_404_and_auditor_403(as_user, world):
    assert as_user("leader").get(reverse("cadres:care_talk_create", args=[world["cadre_b"]])).status_code == 404
    assert as_user("leader").post(reverse("cadres:care_talk_delete", args=[world["talk"]])).status_code == 404
    assert as_user("auditor").post(reverse("cadres:care_talk_delete", args=[world["talk"]])).status_code == 403
    assert as_user("auditor").delete(f"/api/v1/care-talks/{world['talk']}/").status_code == 403
    assert as_user("leader").get(f"/api/v1/care-talks/{world['talk']}/").status_code == 404
    assert Talk.objects.filter(pk=world["talk"]).exists()


def test_api_validation_lists_every_problem_in_chinese(as_user, world):
    r = as_user("org_staff").post("/api/v1/care-overtime/", {
        "cadre": world["cadre_a"], "worked_on": "2026-05-02", "hours": "30", "reason": "防汛",
        "time_off_days_granted": "1", "time_off_taken_on": "2026-05-01"}, content_type="application/json")
    assert r.status_code == 400
    body = r.json()
    assert "hours" in str(body) and "补休日期不能早于加班日期。" in str(body)


def test_reminder_desk_lines_scoped_and_linked_to_the_cadre_list(as_user, world):
    day = dt.date.today()
    reminder = services.no_talk_reminder(user=get_user_model().objects.get(pk=world["leader"]), today=day)
    assert set(reminder.cadre_ids) == ({world["cadre_a"]} if not Talk.objects.filter(
        cadre_id=world["cadre_a"], held_on__year=day.year).exists() else set())
    c = as_user("leader")
    home = text(c.get(reverse("home")))
    assert "今年未谈心谈话" in home and "?reminder=no_talk" in home
    listed = c.get(reverse("cadres:care_list") + "?reminder=no_talk")
    assert listed.status_code == 200
    names = [row.name for row in listed.context["cadres"]]
    assert names == ["张三"]  # 李四 is outside the leader's scope


def test_figures_shown_plainly_ten_not_1e1():
    from decimal import Decimal

    from cadres.models import OvertimeRecord
    from cadres.views.care import cell

    row = OvertimeRecord(hours=Decimal("10.0"), time_off_days_granted=Decimal("0.5"))
    assert (cell(row, "hours"), cell(row, "time_off_days_granted")) == (10, Decimal("0.5"))


@pytest.mark.parametrize("kind", ["talk", "leave", "health", "overtime", "away"])
def test_every_kind_lists_exports_and_has_a_form_in_english_too(as_user, world, kind):
    c = as_user("org_staff")
    assert c.get(reverse("cadres:care_list"), {"kind": kind, "year": "2026"}).status_code == 200
    assert c.get(reverse("cadres:care_export"), {"kind": kind, "format": "csv"}).status_code == 200
    c.post(reverse("set_language"), {"language": "en", "next": "/"})
    r = c.get(reverse(f"cadres:care_{kind}_create", args=[world["cadre_a"]]))
    assert r.status_code == 200
    label = {"talk": "Date of the talk", "leave": "Days of leave entitled", "health": "Health details",
             "overtime": "Reason for the overtime", "away": "Host place and unit"}[kind]
    assert label in text(r)


def test_bad_year_filter_is_shown_not_a_500(as_user):
    r = as_user("org_staff").get(reverse("cadres:care_list"), {"kind": "leave", "year": "abc"})
    assert r.status_code == 200 and not r.context["filters_valid"]
