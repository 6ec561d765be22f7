"""A selection record driven through its steps by org staff, for the worlds of the permission
matrix and other modules: ``drive(by, unit, post, cadres, upto, base)`` with every date counted from
``base`` (a past day), so a record may reach any step whatever the day the tests run."""
import datetime as dt

from promotion.models import FileItem, SelectionCandidate
from promotion.services import selection as svc

STEPS = ("create", "motion", "recommend", "shortlist", "inspect", "decide", "notice", "notice_result", "appoint")


def drive(by, *, unit, post, cadres, upto, base: dt.date, title="城关镇副镇长人选"):
    def day(n):
        return base + dt.timedelta(days=n)

    def cands():
        return list(SelectionCandidate.objects.filter(selection=sel).order_by("order", "id"))

    want = STEPS.index(upto)
    sel = svc.selection_create(by=by, kind="individual", title=title, unit=unit, post=post, candidates=cadres)
    if want >= 1:
        svc.selection_motion(by=by, selection=sel, motion_how="专题会议", motion_on=day(0))
    if want >= 2:
        svc.selection_recommend(by=by, selection=sel, method="meeting", held_on=day(1), expected=40, actual=38,
                                ballots={c.pk: {"votes": 30 - i} for i, c in enumerate(cands())})
    if want >= 3:
        svc.selection_shortlist(by=by, selection=sel, shortlist_how="部务会", shortlist_on=day(2),
                                choices={cands()[0].pk: {"shortlisted": True}})
    if want >= 4:
        files = {i.value: {"recorded": "同", "verified": "同"} for i in FileItem}
        svc.selection_inspect(by=by, selection=sel, team="考察组", start=day(3), end=day(8), talks=20, report="报告",
                              candidates={cands()[0].pk: {
                                  "eval_excellent": 30, "eval_competent": 3, "eval_basic": 0, "eval_incompetent": 0,
                                  "letter_no": "函1", "letter_sent_on": day(4), "letter_reply": "无", "letter_affects": False,
                                  "matters": "truthful", "inspect_report": "材料", "files": files}})
    if want >= 5:
        svc.selection_decide(by=by, selection=sel, meeting="常委会", held_on=day(9), expected=9, present=9,
                             votes={cands()[0].pk: {"for": 8}})
    if want >= 6:
        svc.selection_notice(by=by, selection=sel, start=day(10), end=day(24))
    if want >= 7:
        svc.selection_notice_result(by=by, selection=sel, reports=0)
    if want >= 8:
        c = cands()[0]
        svc.selection_appoint(by=by, selection=sel, appointments={c.pk: {
            "start_date": day(25), "document_no": "宝组〔2024〕1号", "talk_on": day(25), "talk_by": "部长"}})
    sel.refresh_from_db()
    return sel
