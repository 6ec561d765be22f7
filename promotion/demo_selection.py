"""Demo selection records (选任纪实) for ``seed_demo``: in 宝丰县 and its townships, one record at
every step of the procedure (and one finished, one stopped, one whose motion the 职数预审 refused,
left at the motion with the sentence, and one fast-track case on a direct path — 破格 with its
grounds and the higher department's consent, at 任前公示), written through the services from past
days so that each step's dates are real. Loaded once (``present``)."""
import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q

from cadres.models import Cadre, CadreStatus, Post, Unit
from pingdingshan.core.dates import add_working_days, in_force_q, today

from .models import FileItem, Selection, SelectionCandidate
from .services import selection as svc

# (title suffix, the last step to record, days ago the motion was)
PLAN = [
    ("人选（分析研判）", "create", 5),
    ("人选（民主推荐）", "motion", 10),
    ("人选（确定考察对象）", "recommend", 20),
    ("人选（考察）", "shortlist", 30),
    ("人选（讨论决定）", "inspect", 45),
    ("人选（任前公示）", "notice", 17),
    ("人选（待任职）", "notice_result", 60),
    ("人选（试用期）", "appoint", 120),
    ("人选（试用期将满）", "appoint", 368),
    ("人选（已转正）", "probation", 420),
    ("人选（已终止）", "stop", 50),
]
STEPS = ("create", "motion", "recommend", "shortlist", "inspect", "decide", "notice", "notice_result", "appoint",
         "probation")


def present() -> bool:
    return Selection.objects.exists()


def _posts(root: Unit):
    """Posts of the county's subtree with a free place today (held < quota), one per unit."""
    held = Count("appointments", filter=in_force_q(prefix="appointments__"))
    seen, out = set(), []
    for post in (Post.objects.filter(unit__path__startswith=root.path, is_chief=False).annotate(n=held)
                 .filter(n__lt=F("quota")).select_related("unit").order_by("unit__path", "-level", "id")):
        if post.unit_id not in seen:
            seen.add(post.unit_id)
            out.append(post)
    return out


def _cadres(post: Post, blocked: set, used: set, n=3):
    qs = (Cadre.objects.filter(unit__path__startswith=post.unit.path[:8], status=CadreStatus.ACTIVE)
          .filter(Q(current_post__isnull=True) | Q(current_post__level__lt=post.level))
          .exclude(pk__in=used | blocked).order_by("unit__path", "id"))
    from .services import post_eligibility as pe

    pool = list(qs[:60])
    fit = pe.check(pool, post, on=today() - dt.timedelta(days=30)) if pool else {}
    pool.sort(key=lambda c: not fit[c.pk].eligible)  # the one shortlisted (the first) meets the post's rules
    return pool[:n]


def _record(by, post, cadres, upto, motion_days, title):
    base = today() - dt.timedelta(days=motion_days)

    def day(n):
        return min(base + dt.timedelta(days=n), today())

    def cands():
        return list(SelectionCandidate.objects.filter(selection=sel).order_by("order", "id"))

    steps = STEPS.index(upto if upto != "stop" else "recommend")
    sel = svc.selection_create(by=by, kind="individual", title=title, unit=post.unit, post=post, candidates=cadres,
                               vacancy_reason="原任职人员交流任职", direction="熟悉乡村振兴和基层治理的年轻干部",
                               requirements="具有两年以上乡科级副职任职经历，近三年年度考核称职以上。",
                               analysis="班子结构需优化，拟从本县优秀年轻干部中选配。")
    if steps >= 1:
        svc.selection_motion(by=by, selection=sel, motion_how="县委书记专题会议", motion_on=day(0))
    if steps >= 2:
        svc.selection_recommend(by=by, selection=sel, method="talk", held_on=day(2), expected=45, actual=43,
                                participants="镇领导班子成员、中层正职、村党组织书记",
                                ballots={c.pk: {"votes": 30 - 9 * i, "abstain": 2, "invalid": 1}
                                         for i, c in enumerate(cands())})
    if steps >= 3:
        svc.selection_shortlist(by=by, selection=sel, shortlist_how="县委组织部部务会", shortlist_on=day(4),
                                choices={cands()[0].pk: {"shortlisted": True}})
    if steps >= 4:
        c = cands()[0]
        defaults = svc.file_defaults(c.cadre)
        files = {i.value: {"recorded": defaults.get(i.value, ""), "verified": defaults.get(i.value) or "经审核无误"}
                 for i in FileItem}
        for f in files.values():
            if f["recorded"] != f["verified"]:
                f["note"] = "档案原件核对"
        svc.selection_inspect(by=by, selection=sel, team="县委组织部考察组（组长：干部科科长）", start=day(6), end=day(12),
                              talks=28, report="政治立场坚定，工作实绩突出，群众公认度高。", candidates={c.pk: {
                                  "eval_excellent": 31, "eval_competent": 9, "eval_basic": 1, "eval_incompetent": 0,
                                  "letter_no": f"宝纪函〔{day(7).year}〕{sel.pk}号", "letter_sent_on": day(7),
                                  "letter_reply": "未发现影响使用的问题。", "letter_affects": False,
                                  "matters": "truthful", "inspect_report": "该同志熟悉基层工作，推动项目落地成效明显。",
                                  "files": files}})
    if steps >= 5:
        svc.selection_decide(by=by, selection=sel, meeting="县委常委会会议", held_on=day(14), expected=11, present=10,
                             votes={cands()[0].pk: {"for": 9, "against": 0, "abstain": 1}})
    if steps >= 6:
        start = day(15)
        svc.selection_notice(by=by, selection=sel, start=start, end=add_working_days(start, 5),
                             channel="宝丰县委组织部网站、公示栏")
    if steps >= 7:
        svc.selection_notice_result(by=by, selection=sel, reports=0)
    if steps >= 8:
        sel.refresh_from_db()
        first = sel.notice_end + dt.timedelta(days=1)
        svc.selection_appoint(by=by, selection=sel, appointments={cands()[0].pk: {
            "start_date": first, "document_no": f"宝组干〔{first.year}〕{sel.pk}号", "talk_on": first,
            "talk_by": "县委组织部部长", "end_current": True}})
    if steps >= 9:
        c = SelectionCandidate.objects.get(pk=cands()[0].pk)
        svc.selection_probation(by=by, selection=sel, candidate=c, outcome="confirmed",
                                decided_on=c.probation_end + dt.timedelta(days=1), note="试用期满考核称职。")
    if upto == "stop":
        svc.selection_stop(by=by, selection=sel, reason="岗位职数调整，暂缓选配。")
    return sel


GROUNDS = "在重大项目建设和乡村振兴攻坚中实绩特别突出，群众公认度高，岗位急需"


def _fast_track(by, root: Unit, used: set) -> Selection | None:
    """One record on a direct path (直接提任, recorded as 破格 with its grounds and the higher
    department's consent), driven to 任前公示: the first (post, cadre) of the county the path's rules
    let through."""
    from .services import post_eligibility as pe

    held = Count("appointments", filter=in_force_q(prefix="appointments__"))
    posts = [p for p in Post.objects.filter(unit__path__startswith=root.path).annotate(n=held)
             .filter(n__lt=F("quota")).select_related("unit").order_by("-level", "unit__path", "id")
             if any(path.target(p) for path in pe.PATHS.values())]
    consent = dict(consent_body="中共平顶山市委组织部", consent_no="平组干函〔%d〕12号")
    for post in posts:
        pool = list(Cadre.objects.filter(status=CadreStatus.ACTIVE, current_post__level=post.level - 1)
                    .filter(Q(unit__path__startswith=root.path) | Q(unit__level="city"))
                    .exclude(pk__in=used).order_by("id").values_list("pk", flat=True)[:400])
        base = today() - dt.timedelta(days=40)
        record = type("R", (), dict(exceptional_grounds=GROUNDS, consent_on=base, consent_body=consent["consent_body"],
                                    consent_no=consent["consent_no"] % base.year))
        answer = pe.check(pool, post, on=base, exceptional=True, records={c: record for c in pool})
        fit = [c for c in pool if answer[c].eligible and answer[c].path]
        if not fit:
            continue
        cadre = Cadre.objects.get(pk=fit[0])
        try:
            with transaction.atomic():
                return _drive_fast_track(by, post, cadre, base, record)
        except ValidationError:
            continue
    return None


def _drive_fast_track(by, post, cadre, base, record):
    def day(n):
        return base + dt.timedelta(days=n)

    title = f"{post.unit.name}{post.name}人选（直接提任）"
    sel = svc.selection_create(by=by, kind="individual", title=title, unit=post.unit, post=post, candidates=[cadre],
                               vacancy_reason="岗位空缺", direction="特别优秀的年轻干部",
                               analysis="按“对乡(镇、街道)党政正职或市直单位中层正职中的优秀干部可直接提任”的路径动议。")
    svc.selection_motion(by=by, selection=sel, motion_how="县委书记专题会议", motion_on=day(0))
    c = SelectionCandidate.objects.get(selection=sel)
    svc.selection_recommend(by=by, selection=sel, method="meeting", held_on=day(2), expected=45, actual=44,
                            ballots={c.pk: {"votes": 38, "abstain": 2}})
    svc.selection_shortlist(by=by, selection=sel, shortlist_how="县委组织部部务会", shortlist_on=day(4), choices={
        c.pk: {"shortlisted": True, "exceptional": True, "exceptional_grounds": GROUNDS}})
    defaults = svc.file_defaults(cadre)
    files = {i.value: {"recorded": defaults.get(i.value, ""), "verified": defaults.get(i.value) or "经审核无误"}
             for i in FileItem}
    for f in files.values():
        if f["recorded"] != f["verified"]:
            f["note"] = "档案原件核对"
    svc.selection_inspect(by=by, selection=sel, team="县委组织部考察组", start=day(6), end=day(12), talks=30,
                          report="实绩特别突出。", candidates={c.pk: {
                              "eval_excellent": 35, "eval_competent": 5, "eval_basic": 0, "eval_incompetent": 0,
                              "letter_no": f"宝纪函〔{day(7).year}〕{sel.pk}号", "letter_sent_on": day(7),
                              "letter_reply": "未发现影响使用的问题。", "letter_affects": False, "matters": "truthful",
                              "inspect_report": "该同志实绩特别突出。", "files": files}})
    svc.selection_decide(by=by, selection=sel, meeting="县委常委会会议", held_on=day(14), expected=11, present=11,
                         votes={c.pk: {"for": 10, "against": 0, "abstain": 1, "consent_body": record.consent_body,
                                       "consent_no": record.consent_no, "consent_on": day(13)}})
    start = day(15)
    svc.selection_notice(by=by, selection=sel, start=start, end=add_working_days(start, 5),
                         channel="宝丰县委组织部网站、公示栏",
                         text=f"{cadre.name}，拟破格提任{post.unit.name}{post.name}。破格提拔理由：{GROUNDS}。")
    return sel


@transaction.atomic
def build(*, by) -> int:
    if present():
        return 0
    root = Unit.objects.filter(code="410421").first() or Unit.objects.order_by("path").first()
    if root is None:
        return 0
    posts = _posts(root)
    used: set[int] = set()
    candidates = set(Cadre.objects.filter(unit__path__startswith=root.path, status=CadreStatus.ACTIVE)
                     .values_list("pk", flat=True)[:2000])
    blocked = set(svc.promotion_blocks(candidates, on=today()))
    made = 0
    for (suffix, upto, days), post in zip(PLAN, posts, strict=False):
        cadres = _cadres(post, blocked, used)
        if len(cadres) < 2:
            continue
        try:
            with transaction.atomic():
                _record(by, post, cadres, upto, days, f"{post.unit.name}{post.name}{suffix}")
        except ValidationError:
            continue  # the demo city's data did not allow this step: leave it out
        used |= {c.pk for c in cadres}
        made += 1
    # A fast-track case: a candidate on one of the seed's direct paths, grounds and consent recorded.
    fast = _fast_track(by, root, used)
    if fast is not None:
        used |= set(fast.candidates.values_list("cadre_id", flat=True))
        made += 1
    # A motion the 职数预审 refuses: a full post, asked for one more (left at the motion, with its sentence).
    held = Count("appointments", filter=in_force_q(prefix="appointments__"))
    full = (Post.objects.filter(unit__path__startswith=root.path, is_chief=False).annotate(n=held)
            .filter(n__gte=F("quota")).select_related("unit").order_by("unit__path", "id").first())
    if full is not None:
        cadres = _cadres(full, blocked, used, n=2)
        sel = svc.selection_create(by=by, kind="team", title=f"{full.unit.name}{full.name}人选（超职数）", unit=full.unit,
                                   post=full, candidates=cadres, vacancy_reason="拟增配")
        try:
            with transaction.atomic():
                svc.selection_motion(by=by, selection=sel, motion_how="部务会议", motion_on=today())
        except ValidationError:
            pass  # refused by the 职数预审: the record page shows why
        made += 1
    return made
