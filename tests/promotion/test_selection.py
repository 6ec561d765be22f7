"""The selection record (选任纪实): each step's rule at its boundary — 职数预审, a recommendation 365
vs 366 days old, a candidate who is not a top vote getter, the decision's majority (exactly half
fails), 5 working days across a holiday with a make-up day, the quota re-checked at appointment,
probation and its two outcomes, steps out of order, and who may act."""
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from cadres.models import Appointment, Cadre, CareerEntry, Post, PostLevel
from cadres.services import roster
from pingdingshan.core.dates import add_working_days, today, working_days
from pingdingshan.core.models import Notification
from promotion.models import (
    FileItem,
    PromotionStep,
    Selection,
    SelectionCandidate,
    SelectionStatus,
)
from promotion.services import selection as svc
from tests.conftest import make_people, make_tree, rolled_back
from tests.factories import CadreFactory, PostFactory, rank

S = SelectionStatus
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _build():
    tree = make_tree()
    people = make_people(tree)
    post = PostFactory(unit=tree.town_a, name="副镇长", quota=2, level=PostLevel.SECTION_DEPUTY)
    lower = PostFactory(unit=tree.town_a, name="党政办主任", quota=3, level=PostLevel.SECTION_DEPUTY - 0)
    holder = CadreFactory(unit=tree.town_a, name="在任甲")
    start = today() - dt.timedelta(days=2000)
    roster.appointment_create(by=people.org_staff, cadre=holder, post=post, start_date=start)
    cands = [CadreFactory(unit=tree.town_a, name=n) for n in ("候选甲", "候选乙", "候选丙")]
    filler = CadreFactory(unit=tree.town_a, name="后来者")
    return dict(tree=tree, people=people, post=post.pk, lower=lower.pk, holder=holder.pk,
                cands=[c.pk for c in cands], filler=filler.pk)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with rolled_back(django_db_blocker, _build) as w:
        yield w


@pytest.fixture
def w(world, db, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    p = world["people"]
    from django.contrib.auth import get_user_model

    U = get_user_model()
    return type("W", (), dict(
        tree=world["tree"], org=U.objects.get(pk=p.org_staff.pk), auditor=U.objects.get(pk=p.auditor.pk),
        leader=U.objects.get(pk=p.leader.pk), post=Post.objects.get(pk=world["post"]),
        lower=Post.objects.get(pk=world["lower"]), holder=Cadre.objects.get(pk=world["holder"]),
        cands=list(Cadre.objects.filter(pk__in=world["cands"]).order_by("pk")),
        filler=Cadre.objects.get(pk=world["filler"])))


BASE = today() - dt.timedelta(days=500)


def day(n):
    return BASE + dt.timedelta(days=n)


def candidates(sel):
    return list(SelectionCandidate.objects.filter(selection=sel).select_related("cadre").order_by("order", "id"))


def files_ok():
    return {i.value: {"recorded": "x", "verified": "x"} for i in FileItem}


def inspection_rows(sel, base=0, **over):
    out = {}
    for c in candidates(sel):
        if not c.shortlisted:
            continue
        out[c.pk] = {"eval_excellent": 30, "eval_competent": 5, "eval_basic": 0, "eval_incompetent": 0,
                     "letter_no": "平纪函〔2025〕1号", "letter_sent_on": day(base + 12), "letter_reply": "未发现问题",
                     "letter_affects": False, "matters": "truthful", "matters_handling": "",
                     "inspect_report": "政治坚定，实绩突出。", "files": files_ok(), **over}
    return out


def flow(w, upto, *, base=0, votes=(40, 30, 10), planned=1, shortlist=None, decide_for=None, expected=9,
         notice=None):
    """A record driven by org staff up to (and including) the step ``upto``; dates from ``day(base)``."""
    by = w.org
    sel = svc.selection_create(by=by, kind="individual", title="城关镇副镇长人选", unit=w.tree.town_a, post=w.post,
                               vacancy_reason="原副镇长调任", direction="懂经济、熟悉乡村振兴", candidates=w.cands)
    if upto == "create":
        return sel
    row = sel.posts.get()
    svc.selection_motion(by=by, selection=sel, motion_how="县委书记专题会议", motion_on=day(base),
                         posts={row.pk: {"planned": planned, "ends": []}})
    if upto == "motion":
        return sel
    cs = candidates(sel)
    svc.selection_recommend(by=by, selection=sel, method="meeting", held_on=day(base + 2), expected=60, actual=55,
                            ballots={c.pk: {"votes": v, "abstain": 2, "invalid": 1} for c, v in zip(cs, votes, strict=False)})
    if upto == "recommend":
        return sel
    chosen = shortlist or {cs[0].pk: {"shortlisted": True}}
    svc.selection_shortlist(by=by, selection=sel, shortlist_how="县委组织部部务会", shortlist_on=day(base + 5),
                            choices=chosen)
    if upto == "shortlist":
        return sel
    svc.selection_inspect(by=by, selection=sel, team="县委组织部考察组", start=day(base + 10), end=day(base + 20),
                          talks=25, report="综合考察情况", candidates=inspection_rows(sel, base))
    if upto == "inspect":
        return sel
    voted = {c.pk: {"for": decide_for or 7, "against": 1, "abstain": 0} for c in candidates(sel) if c.shortlisted}
    svc.selection_decide(by=by, selection=sel, meeting="县委常委会", held_on=day(base + 25), expected=expected,
                         present=8, votes=voted)
    if upto == "decide":
        return sel
    start = day(base + 26)
    svc.selection_notice(by=by, selection=sel, start=start, end=notice or add_working_days(start, 5),
                         channel="宝丰县党建网")
    if upto == "notice":
        return sel
    svc.selection_notice_result(by=by, selection=sel, reports=0)
    if upto == "notice_result":
        return sel
    sel.refresh_from_db()
    first = sel.notice_end + dt.timedelta(days=1)
    svc.selection_appoint(by=by, selection=sel, appointments={
        c.pk: {"start_date": first, "document_no": "宝组干〔2025〕9号", "talk_on": first, "talk_by": "县委组织部部长"}
        for c in svc.appointable(sel)})
    return sel


def errors(excinfo) -> dict:
    return excinfo.value.message_dict


# --------------------------------------------------------------------------- the procedure, end to end
def test_the_eight_steps_end_to_end_update_the_roster_and_log_every_step(w):
    sel = flow(w, "appoint")
    sel.refresh_from_db()
    assert sel.status == S.PROBATION
    c = candidates(sel)[0]
    assert c.appointment.post_id == w.post.pk and c.appointment.document_no == "宝组干〔2025〕9号"
    cadre = Cadre.objects.get(pk=c.cadre_id)
    assert cadre.current_post_id == w.post.pk  # the roster's current post follows
    assert CareerEntry.objects.filter(cadre=cadre, description__contains="副镇长").exists()
    assert c.is_promotion and c.probation_end == c.appointed_on.replace(year=c.appointed_on.year + 1) - dt.timedelta(1)
    actions = list(PromotionStep.objects.filter(subject="selection", subject_id=sel.pk).values_list("action", flat=True))
    assert actions == ["create", "motion", "recommend", "shortlist", "inspect", "decide", "notice", "notice_result",
                       "appoint"]
    assert all(s.by_id == w.org.pk for s in svc.selection_steps(sel))
    assert svc.next_missing(sel) and "试用期" in svc.next_missing(sel)[0]


def test_steps_out_of_order_are_refused_in_chinese_and_change_nothing(w):
    sel = flow(w, "create")
    with pytest.raises(ValidationError) as e:
        svc.selection_decide(by=w.org, selection=sel, meeting="县委常委会", held_on=day(1), expected=9, present=9,
                             votes={})
    assert e.value.code == "out_of_order" and "分析研判和动议" in e.value.messages[0]
    with pytest.raises(ValidationError):
        svc.selection_appoint(by=w.org, selection=sel, appointments={})
    sel.refresh_from_db()
    assert sel.status == S.MOTION and not sel.decisions.exists()


def test_every_problem_of_a_step_is_returned_at_once(w):
    sel = flow(w, "motion")
    with pytest.raises(ValidationError) as e:
        svc.selection_recommend(by=w.org, selection=sel, method="vote", held_on=today() + dt.timedelta(days=3),
                                expected=0, actual=5, ballots={})
    got = errors(e)
    assert {"method", "held_on", "expected"} <= set(got)
    assert all(f"c{c.pk}_votes" in got for c in candidates(sel))


# --------------------------------------------------------------------------- 1. 职数预审
def test_quota_review_refuses_a_motion_over_quota(w):
    sel = flow(w, "create")
    row = sel.posts.get()
    review = svc.quota_review(sel, plan={row.pk: {"planned": 2}})[0]
    assert (review["approved"], review["held"], review["ending"], review["planned"]) == (2, 1, 0, 2)
    with pytest.raises(ValidationError) as e:
        svc.selection_motion(by=w.org, selection=sel, motion_how="专题会议", motion_on=day(0),
                             posts={row.pk: {"planned": 2, "ends": []}})
    assert "超出职数" in errors(e)[f"p{row.pk}_planned"][0]
    sel.refresh_from_db()
    assert sel.status == S.MOTION
    holder = Appointment.objects.get(cadre=w.holder, post=w.post)  # 拟免 the holder: 1 − 1 + 2 = 2 fits
    svc.selection_motion(by=w.org, selection=sel, motion_how="专题会议", motion_on=day(0),
                         posts={row.pk: {"planned": 2, "ends": [holder.pk]}})
    row.refresh_from_db()
    assert row.review == {"on": day(0).isoformat(), "approved": 2, "held": 1, "ending": 1, "planned": 2}


# --------------------------------------------------------------------------- 2.–3. recommendation, shortlist
def test_a_recommendation_is_valid_365_days_and_not_366(w):
    assert svc.recommendation_valid(day(0), day(365)) and not svc.recommendation_valid(day(0), day(366))
    for days, ok in ((365, True), (366, False)):
        sel = flow(w, "recommend", base=-2)  # recommended on day(0)
        c = candidates(sel)[0]
        def call(sel=sel, c=c, days=days):
            return svc.selection_shortlist(by=w.org, selection=sel, shortlist_how="部务会", shortlist_on=day(days),
                                           choices={c.pk: {"shortlisted": True}})
        if ok:
            call()
        else:
            with pytest.raises(ValidationError) as e:
                call()
            assert "超过一年有效期" in errors(e)[f"c{c.pk}_shortlisted"][0]


def test_a_candidate_not_among_the_top_vote_getters_needs_a_reason(w):
    sel = flow(w, "recommend")
    cs = candidates(sel)
    with pytest.raises(ValidationError) as e:
        svc.selection_shortlist(by=w.org, selection=sel, shortlist_how="部务会", shortlist_on=day(5),
                                choices={cs[1].pk: {"shortlisted": True}})
    assert "须写明" in errors(e)[f"c{cs[1].pk}_reason"][0]
    svc.selection_shortlist(by=w.org, selection=sel, shortlist_how="部务会", shortlist_on=day(5),
                            choices={cs[1].pk: {"shortlisted": True, "reason": "长期在乡村振兴一线，实绩突出"}})
    assert SelectionCandidate.objects.get(pk=cs[1].pk).shortlisted


def test_a_red_card_in_force_bars_the_shortlist_with_its_sentence(w):
    from assessment.models import CardReason
    from assessment.services import cards

    sel = flow(w, "recommend")
    c = candidates(sel)[0]
    card = cards.card_create(by=w.org, cadre=c.cadre, color="red", reason=CardReason.objects.get(name="推诿扯皮"),
                             facts="推诿扯皮", issuing_body="市委组织部", start_date=day(1))
    cards.card_issue(by=w.org, card=card, reason="经核实")
    with pytest.raises(ValidationError) as e:
        svc.selection_shortlist(by=w.org, selection=sel, shortlist_how="部务会", shortlist_on=day(5),
                                choices={c.pk: {"shortlisted": True}})
    assert "红牌" in errors(e)[f"c{c.pk}_shortlisted"][0]


# --------------------------------------------------------------------------- 4. inspection
def test_inspection_needs_every_item_and_a_concealment_stops_the_candidate(w):
    sel = flow(w, "shortlist")
    c = candidates(sel)[0]
    with pytest.raises(ValidationError) as e:
        svc.selection_inspect(by=w.org, selection=sel, team="", start=day(10), end=day(9), talks=0, report="",
                              candidates={c.pk: {"files": {}}})
    got = errors(e)
    assert {"team", "end", "talks", "report", f"c{c.pk}_letter_no", f"c{c.pk}_matters",
            f"c{c.pk}_f_age_verified", f"c{c.pk}_inspect_report"} <= set(got)
    rows = inspection_rows(sel, matters="concealed", matters_handling="取消考察资格")
    rows[c.pk]["files"]["age"] = {"recorded": "1980-01-01", "verified": "1981-01-01"}
    with pytest.raises(ValidationError) as e:
        svc.selection_inspect(by=w.org, selection=sel, team="考察组", start=day(10), end=day(20), talks=20,
                              report="报告", candidates=rows)
    assert f"c{c.pk}_f_age_note" in errors(e)  # a corrected value needs an explanation
    rows[c.pk]["files"]["age"]["note"] = "以出生证明为准"
    svc.selection_inspect(by=w.org, selection=sel, team="考察组", start=day(10), end=day(20), talks=20, report="报告",
                          candidates=rows)
    assert svc.inspection_bars(SelectionCandidate.objects.get(pk=c.pk)) == ["个人有关事项瞒报。"]
    assert svc.decidable(sel) == []


# --------------------------------------------------------------------------- 5. decision
@pytest.mark.parametrize("votes_for, passes", [(4, False), (5, True)])
def test_decision_exactly_half_of_those_who_should_attend_fails_half_plus_one_passes(w, votes_for, passes):
    assert svc.decision_passes(5, 10) is False and svc.decision_passes(6, 10) is True
    sel = flow(w, "decide", decide_for=votes_for, expected=8)  # 8 should attend: 4 is half, 5 more than half
    sel.refresh_from_db()
    c = candidates(sel)[0]
    assert c.passed is passes
    assert sel.status == (S.NOTICE if passes else S.DECIDE)


def test_postponement_keeps_the_record_at_the_decision(w):
    sel = flow(w, "inspect")
    with pytest.raises(ValidationError) as e:
        svc.selection_postpone(by=w.org, selection=sel, meeting="县委常委会", held_on=day(25), expected=9, present=8,
                               reason="")
    assert "reason" in errors(e)
    svc.selection_postpone(by=w.org, selection=sel, meeting="县委常委会", held_on=day(25), expected=9, present=8,
                           reason="待进一步核实")
    sel.refresh_from_db()
    assert sel.status == S.DECIDE and sel.decisions.get().outcome == "postponed"


# --------------------------------------------------------------------------- 6. notice
def test_five_working_days_across_national_day_2025_with_make_up_days():
    # 2025-09-28 (Sunday) and 2025-10-11 (Saturday) are make-up working days; 10-01 … 10-08 holidays.
    assert working_days(dt.date(2025, 9, 26), dt.date(2025, 10, 8)) == 4  # 26, 28, 29, 30
    assert working_days(dt.date(2025, 9, 26), dt.date(2025, 10, 9)) == 5
    assert working_days(dt.date(2025, 10, 9), dt.date(2025, 10, 13)) == 4  # 9, 10, 11 (Sat), 13
    assert add_working_days(dt.date(2025, 10, 9), 5) == dt.date(2025, 10, 14)  # weekdays alone: the 15th
    n, sentence = svc.notice_period(dt.date(2025, 9, 26), dt.date(2025, 10, 8))
    assert n == 4 and "调休" in sentence


def test_a_year_the_calendar_does_not_know_counts_weekdays_and_says_so():
    n, sentence = svc.notice_period(dt.date(2030, 1, 7), dt.date(2030, 1, 11))
    assert n == 5 and "2030年的节假日安排尚未收录" in sentence


def test_the_notice_needs_five_working_days_around_a_holiday(w):
    # decided on 2025-09-20: a notice from 09-26 to 10-08 has 4 working days, to 10-09 five.
    base = (dt.date(2025, 9, 20) - BASE).days - 25
    sel = flow(w, "decide", base=base)
    with pytest.raises(ValidationError) as e:
        svc.selection_notice(by=w.org, selection=sel, start=dt.date(2025, 9, 26), end=dt.date(2025, 10, 8))
    assert "不少于5个工作日" in errors(e)["end"][0] and "共 4 个工作日" in errors(e)["end"][0]
    svc.selection_notice(by=w.org, selection=sel, start=dt.date(2025, 9, 26), end=dt.date(2025, 10, 9))
    sel.refresh_from_db()
    assert sel.status == S.APPOINT


def test_no_appointment_before_the_notice_ended_clean(w):
    sel = flow(w, "notice", base=470)  # the notice still runs today
    sel.refresh_from_db()
    assert sel.notice_end >= today()
    with pytest.raises(ValidationError) as e:
        svc.selection_notice_result(by=w.org, selection=sel, reports=0)
    assert "期满后" in errors(e)["__all__"][0]
    with pytest.raises(ValidationError) as e:
        svc.selection_appoint(by=w.org, selection=sel, appointments={})
    assert "公示期满后才能任职" in errors(e)["__all__"][0]
    assert not Appointment.objects.filter(cadre__in=w.cands).exists()


def test_a_finding_that_stops_the_candidate_refuses_the_appointment(w):
    sel = flow(w, "notice")
    c = candidates(sel)[0]
    with pytest.raises(ValidationError) as e:
        svc.selection_notice_result(by=w.org, selection=sel, reports=1, blocked={c.pk: {"blocked": True}})
    assert {"findings", f"c{c.pk}_note"} <= set(errors(e))
    svc.selection_notice_result(by=w.org, selection=sel, reports=1, findings="反映问题属实",
                                blocked={c.pk: {"blocked": True, "note": "反映违规经商属实"}})
    with pytest.raises(ValidationError) as e:
        svc.selection_appoint(by=w.org, selection=sel, appointments={})
    assert "影响全部人选任职" in errors(e)["__all__"][0]


# --------------------------------------------------------------------------- 7. appointment
def test_the_quota_is_rechecked_at_appointment_and_nothing_is_saved(w):
    sel = flow(w, "notice_result")
    sel.refresh_from_db()
    roster.appointment_create(by=w.org, cadre=w.filler, post=w.post, start_date=day(30))  # filled meanwhile
    c = candidates(sel)[0]
    first = sel.notice_end + dt.timedelta(days=1)
    steps = PromotionStep.objects.count()
    with pytest.raises(ValidationError) as e:
        svc.selection_appoint(by=w.org, selection=sel, appointments={c.pk: {
            "start_date": first, "document_no": "宝组干〔2025〕9号", "talk_on": first, "talk_by": "部长",
            "rank": rank("四级调研员"), "end_current": True}})
    assert "超出职数" in errors(e)[f"c{c.pk}_start_date"][0]
    sel.refresh_from_db()
    assert sel.status == S.APPOINT and not Appointment.objects.filter(cadre=c.cadre).exists()
    assert not CareerEntry.objects.filter(cadre=c.cadre, description__contains="副镇长").exists()
    assert not c.cadre.rank_history.exists() and PromotionStep.objects.count() == steps


def test_appointment_needs_the_notice_document_and_the_talk(w):
    sel = flow(w, "notice_result")
    c = candidates(sel)[0]
    with pytest.raises(ValidationError) as e:
        svc.selection_appoint(by=w.org, selection=sel, appointments={c.pk: {"start_date": day(0)}})
    assert {f"c{c.pk}_start_date", f"c{c.pk}_document_no", f"c{c.pk}_talk_on", f"c{c.pk}_talk_by"} <= set(errors(e))


# --------------------------------------------------------------------------- 8. probation
def test_probation_ends_after_one_year_then_confirmed(w):
    sel = flow(w, "appoint", base=-100)
    c = candidates(sel)[0]
    assert c.probation_end == c.appointed_on.replace(year=c.appointed_on.year + 1) - dt.timedelta(days=1)
    with pytest.raises(ValidationError) as e:
        svc.selection_probation(by=w.org, selection=sel, candidate=c, outcome="confirmed", decided_on=c.probation_end)
    assert "期满后" in errors(e)["decided_on"][0]
    svc.selection_probation(by=w.org, selection=sel, candidate=c, outcome="confirmed",
                            decided_on=c.probation_end + dt.timedelta(days=1))
    sel.refresh_from_db()
    assert sel.status == S.DONE
    assert Appointment.objects.get(pk=c.appointment_id).end_date is None


def test_probation_failed_returns_to_the_former_level(w):
    sel = flow(w, "appoint", base=-100)
    c = candidates(sel)[0]
    back = c.probation_end + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as e:
        svc.selection_probation(by=w.org, selection=sel, candidate=c, outcome="returned", decided_on=back)
    assert "note" in errors(e)
    svc.selection_probation(by=w.org, selection=sel, candidate=c, outcome="returned", decided_on=back,
                            note="试用期考核不合格", return_post=w.lower)
    assert Appointment.objects.get(pk=c.appointment_id).end_date == back - dt.timedelta(days=1)
    cadre = Cadre.objects.get(pk=c.cadre_id)
    assert cadre.current_post_id == w.lower.pk


def test_an_elected_post_has_no_probation(w):
    sel = flow(w, "create")
    sel.posts.update(elected=True)
    row = sel.posts.get()
    assert not svc.probation_applies(row, True) and svc.probation_applies(type(row)(post=w.post), True)


def test_probation_reminder_comes_once_n_days_before_it_ends(w, settings):
    settings.SELECTION_PROBATION_REMIND_DAYS = 30
    sel = flow(w, "appoint", base=-100)
    c = candidates(sel)[0]
    before = Notification.objects.filter(user=w.org).count()
    assert svc.probation_reminders(on=c.probation_end - dt.timedelta(days=31)) == 0
    assert svc.probation_reminders(on=c.probation_end - dt.timedelta(days=30)) == 1
    assert svc.probation_reminders(on=c.probation_end - dt.timedelta(days=29)) == 0  # once
    assert Notification.objects.filter(user=w.org).count() == before + 1


# --------------------------------------------------------------------------- who may act, documents
def test_unit_leaders_and_auditors_may_not_act_and_other_units_are_hidden(w):
    sel = flow(w, "create")
    for user in (w.leader, w.auditor):
        assert svc.allowed_actions(sel, user) == frozenset()
        with pytest.raises(PermissionDenied):
            svc.selection_stop(by=user, selection=sel, reason="x")
    assert Selection.objects.restrict(w.leader, "view").filter(pk=sel.pk).exists()  # 宝丰县's own
    other = svc.selection_create(by=w.org, kind="team", title="昆阳街道班子调整", unit=w.tree.town_b,
                                 post=PostFactory(unit=w.tree.town_b, name="副主任"))
    assert not Selection.objects.restrict(w.leader, "view").filter(pk=other.pk).exists()
    assert "motion" in svc.allowed_actions(sel, w.org)


def test_a_post_outside_the_unit_is_refused_on_the_field(w):
    with pytest.raises(ValidationError) as e:
        svc.selection_create(by=w.org, kind="individual", title="x", unit=w.tree.town_b, post=w.post)
    assert "post" in errors(e)


def test_documents_of_a_step_are_checked_like_evidence(w):
    sel = flow(w, "motion")
    doc = svc.selection_document_add(by=w.org, selection=sel, step="motion", upload=SimpleUploadedFile("纪要.pdf", PDF))
    assert doc.content_type == "application/pdf"
    with pytest.raises(ValidationError) as e:
        svc.selection_document_add(by=w.org, selection=sel, step="appoint", upload=SimpleUploadedFile("a.pdf", PDF))
    assert "尚未开始" in errors(e)["step"][0]
    with pytest.raises(ValidationError):
        svc.selection_document_add(by=w.org, selection=sel, step="motion", upload=SimpleUploadedFile("a.exe", b"MZ.."))
    with pytest.raises(Http404):
        other = svc.selection_create(by=w.org, kind="team", title="叶县", unit=w.tree.town_b,
                                     post=PostFactory(unit=w.tree.town_b, name="副主任"))
        from pingdingshan.core import permissions as gate

        gate.get_or_404(Selection, w.leader, "view", pk=other.pk)


def test_the_post_eligibility_check_refuses_a_failing_candidate(w, monkeypatch):
    import types

    sel = flow(w, "recommend")
    c = candidates(sel)[0]
    monkeypatch.setattr(svc.post_eligibility, "check", lambda cadres, post, **kw: {
        cid: types.SimpleNamespace(eligible=False, path=None, failed=[
            types.SimpleNamespace(code="deputy_years", sentence="任现职不满2年")]) for cid in cadres})
    with pytest.raises(ValidationError) as e:
        svc.selection_shortlist(by=w.org, selection=sel, shortlist_how="部务会", shortlist_on=day(5),
                                choices={c.pk: {"shortlisted": True}})
    assert errors(e)[f"c{c.pk}_shortlisted"] == ["任现职不满2年"]
