"""The selection record (选任纪实): the steps of 党政领导干部选拔任用工作条例 (RULES.md, "Selection and
appointment"), in order, each with its own data, who recorded it and when.

One table, the shape of ``assessment/services/conduct.py``::

    分析研判和动议 ─motion→ 民主推荐 ─recommend→ 确定考察对象 ─shortlist→ 考察 ─inspect→ 讨论决定
      ─decide→ 任前公示 ─notice→ 任职 (公示期间; notice_result 登记公示结果) ─appoint→ 试用期
      ─probation (each candidate: 转正 / 恢复原职级)→ 已完成;   stop → 已终止 from any step before the end

``recommend`` may run again at 确定考察对象 (a 谈话调研推荐, then a 会议推荐); ``postpone`` (缓议)
keeps the record at 讨论决定. Every action is org staff's (gate action ``reserve``) except ``recommend``
(gate action ``recommend``: org staff, and the unit leaders of the record's unit or a unit above it,
since the step asks the unit); unit leaders read the records of their units' subtree and auditors read
all. Each row of the table names its gate action and ``allowed_actions`` / the services ask the gate
for exactly that action on the record, so who may do what is decided in the table alone. A step out of order is refused with a
Chinese message naming the step the record is at; every validator returns every problem at once as
``{field: [messages]}``, a candidate's field keyed ``c<candidate id>_<field>`` and a post's
``p<post row id>_<field>`` (the forms name their fields so, and the API answers so); services are
keyword-only (``by=``), atomic, and lock the record's row before they change it.

The rules, each in one place:
- 职数预审 (``quota_review``): 核定 is the post's quota (``Post.quota``; 1 for a chief post, which
  ``cadres.services.roster.check_post_capacity`` never lets two hold), 现配 the appointments in force,
  拟免 those this record will end, 拟配 those it will appoint; a motion with 现配 − 拟免 + 拟配 above
  核定 is refused. At 任职 the roster's ``appointment_create`` checks again, the post locked, in the
  same transaction: a post filled meanwhile refuses the appointment and nothing is saved.
- A recommendation is valid for one year: usable up to ``RECOMMENDATION_VALID_DAYS`` (365) days after
  it was held (``recommendation_valid``), checked when the 考察对象 are fixed and at the decision.
- A 考察对象 who is not among the top vote getters of the post (``top_candidates``) needs a reason.
- The decision passes a candidate only with MORE than half of the members who should attend
  (``decision_passes``: exactly half fails).
- 任前公示: at least ``NOTICE_WORKING_DAYS`` (5) official working days, both ends included,
  counted by ``pingdingshan.core.dates.working_days`` (China's holiday and make-up-day calendar);
  no appointment before the period ended and its result was recorded clean.
- 试用期: one year for a promotion to a non-elected post up to 厅局级副职 (``probation_applies``);
  a reminder ``settings.SELECTION_PROBATION_REMIND_DAYS`` days before it ends; then 转正 or a
  return to the former level (the appointment ended, the former rank given back).
- What cards, sanctions and rulings forbid is asked of ``assessment.services.standing`` only (the
  "promotion" block, at 确定考察对象 and at 任职); the eligibility against the target post and the
  fast-track rules of another helper's ``promotion.services.post_eligibility.check`` are shown and
  enforced at 确定考察对象 and 讨论决定 once that module exists (``eligibility``).
"""
import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessment.services.conduct import add_months
from cadres.models import Appointment, Cadre, CadreStatus, CareerEntry, Post, PostLevel, Rank
from cadres.selectors import post_limit
from cadres.services import records as archive
from cadres.services import roster
from pingdingshan.core import permissions as gate
from pingdingshan.core.audit import bulk_update_audited
from pingdingshan.core.dates import in_force_q, today, unknown_calendar_years, working_days
from pingdingshan.core.services import model_delete, model_save, notify

from ..models import (
    Ballot,
    Decision,
    DecisionOutcome,
    DecisionVote,
    FileCheck,
    FileItem,
    Matters,
    ProbationOutcome,
    Recommendation,
    RecommendationMethod,
    Selection,
    SelectionCandidate,
    SelectionDocument,
    SelectionKind,
    SelectionPost,
    SelectionStatus,
    StepSubject,
)
from . import post_eligibility
from .steps import log_step, steps_of

S = SelectionStatus
RECOMMENDATION_VALID_DAYS = 365
NOTICE_WORKING_DAYS = 5
NOTICE_MAX_DAYS = 90  # a longer notice is a typing error (and would be counted day by day)
LATEST_START_DAYS = 366  # an appointment starts at most this many days ahead
PROBATION_MONTHS = 12
PROBATION_MAX_LEVEL = PostLevel.BUREAU_DEPUTY  # RULES.md: non-elected posts up to 厅局级 deputy level
ORDER = (S.MOTION, S.RECOMMEND, S.SHORTLIST, S.INSPECT, S.DECIDE, S.NOTICE, S.APPOINT, S.PROBATION)
OPEN = set(ORDER)
ALL = OPEN | {S.DONE, S.STOPPED}

Table = dict[str, tuple[set, object, str, Callable | None]]
# action: (steps it may be taken at, step it leads to (None: stays), gate action, condition or None)
TRANSITIONS: Table = {
    "edit": ({S.MOTION}, None, "reserve", None),
    "post": ({S.MOTION}, None, "reserve", None),  # add or remove a post
    "candidate": ({S.MOTION, S.RECOMMEND, S.SHORTLIST}, None, "reserve", None),  # add or remove a candidate
    "motion": ({S.MOTION}, S.RECOMMEND, "reserve", None),
    "recommend": ({S.RECOMMEND, S.SHORTLIST}, S.SHORTLIST, "recommend", None),  # the unit's leaders too
    "shortlist": ({S.SHORTLIST}, S.INSPECT, "reserve", None),
    "inspect": ({S.INSPECT}, S.DECIDE, "reserve", None),
    "decide": ({S.DECIDE}, S.NOTICE, "reserve", None),  # stays at 讨论决定 when no candidate passes
    "postpone": ({S.DECIDE}, None, "reserve", None),
    "notice": ({S.NOTICE}, S.APPOINT, "reserve", None),
    "notice_result": ({S.APPOINT}, None, "reserve", None),
    "appoint": ({S.APPOINT}, S.PROBATION, "reserve", None),  # 已完成 when nobody is on probation
    "probation": ({S.PROBATION}, None, "reserve", None),  # 已完成 once every probation has its outcome
    "stop": (OPEN, S.STOPPED, "reserve", None),
    "upload": (ALL, None, "reserve", None),
    "delete_document": (OPEN, None, "reserve", None),  # while the record is not finished (nor stopped)
}
ACTION_LABELS = {
    "create": gettext_lazy("创建"), "edit": gettext_lazy("修改"), "post": gettext_lazy("调整拟任职务"),
    "candidate": gettext_lazy("调整人选"), "motion": gettext_lazy("登记动议"), "recommend": gettext_lazy("登记民主推荐"),
    "shortlist": gettext_lazy("确定考察对象"), "inspect": gettext_lazy("登记考察"), "decide": gettext_lazy("登记讨论决定"),
    "postpone": gettext_lazy("缓议"), "notice": gettext_lazy("登记任前公示"), "notice_result": gettext_lazy("登记公示结果"),
    "appoint": gettext_lazy("登记任职"), "probation": gettext_lazy("登记试用期满结果"), "stop": gettext_lazy("终止"),
    "upload": gettext_lazy("上传材料"), "delete_document": gettext_lazy("删除材料"),
}
# The step buttons of the record page and the API's ``allowed_actions`` (in the procedure's order).
STEP_ACTIONS = ("motion", "recommend", "shortlist", "inspect", "decide", "postpone", "notice", "notice_result",
                "appoint", "probation", "stop")


# --------------------------------------------------------------------------- the table
def allowed_actions(selection: Selection, user) -> frozenset[str]:
    """The actions ``user`` may take on ``selection`` now (its step, the row's gate action on the record)."""
    if not gate.allows(user, "view", selection):
        return frozenset()
    out = set()
    for action, (sources, _target, gate_action, condition) in TRANSITIONS.items():
        if (selection.status in sources and gate.allows(user, gate_action, selection)
                and (condition is None or condition(selection, user))):
            out.add(action)
    return frozenset(out)


def gate_action(action: str) -> str:
    """The gate action the table names for ``action`` (what pages and the API require before a lookup)."""
    return TRANSITIONS[action][2]


def refuse(selection: Selection, action: str):
    raise ValidationError(
        _("选任纪实当前处于“%(status)s”环节，不能%(action)s：须依次办理分析研判和动议、民主推荐、确定考察对象、考察、"
          "讨论决定、任前公示、任职和试用期。") % {"status": selection.get_status_display(),
                                             "action": ACTION_LABELS[action]},
        code="out_of_order")


def _advance(selection: Selection, action: str, target=None) -> tuple[str, str]:
    sources, default_target, _gate_action, _condition = TRANSITIONS[action]
    old = selection.status
    if old not in sources:
        refuse(selection, action)
    new = target or default_target
    if new is not None:
        selection.status = new
    return old, selection.status


def _gate(by, selection: Selection, action: str | None = None) -> None:
    """The table's gate action for ``action`` (``reserve`` when None) on a record the user sees: 403
    for others who see it, 404 outside their scope."""
    needed = TRANSITIONS[action][2] if action else "reserve"
    gate.require(by, needed)
    gate.ensure(by, "view", selection)
    gate.ensure(by, needed, selection)


def _lock(selection: Selection) -> Selection:
    return Selection.objects.select_for_update(of=("self",)).select_related("unit").get(pk=selection.pk)


def _log(selection, action, by, reason="", old="", new=""):
    log_step(subject=StepSubject.SELECTION, obj=selection, action=action, by=by, reason=reason,
             from_status=old, to_status=new or old, unit=selection.unit)


class Problems(dict):
    """{field: [messages]}; ``raise_if_any()`` raises them all at once."""

    def add(self, field: str, message) -> None:
        self.setdefault(field, []).append(str(message))

    def raise_if_any(self):
        if self:
            raise ValidationError(dict(self))


def ckey(candidate, field: str) -> str:
    return f"c{candidate.pk if hasattr(candidate, 'pk') else candidate}_{field}"


def pkey(selection_post, field: str) -> str:
    return f"p{selection_post.pk if hasattr(selection_post, 'pk') else selection_post}_{field}"


def _text(value) -> str:
    return (value or "").strip()


def _is_date(value) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def _not_future(problems, field, value, label):
    if not _is_date(value):
        problems.add(field, _("请填写%(label)s。") % {"label": label})
        return False
    if value > today():
        problems.add(field, _("%(label)s不能晚于今天。") % {"label": label})
        return False
    return True


def _count(problems, field, value, label, *, minimum=0):
    if value is None or isinstance(value, bool) or not isinstance(value, int):
        problems.add(field, _("请填写%(label)s。") % {"label": label})
        return False
    if value < minimum:
        problems.add(field, _("%(label)s不能小于%(n)d。") % {"label": label, "n": minimum})
        return False
    return True


def selection_url(selection) -> str:
    try:
        return reverse("promotion:selection_detail", args=[selection.pk])
    except NoReverseMatch:  # the pages may not be installed (API-only use)
        return ""


# --------------------------------------------------------------------------- rules
def recommendation_valid(held_on: dt.date, on: dt.date) -> bool:
    """A recommendation held on ``held_on`` may be used on ``on``: up to 365 days after it (the 365th
    day still, the 366th no longer)."""
    return (on - held_on).days <= RECOMMENDATION_VALID_DAYS


def recommendation_valid_until(held_on: dt.date) -> dt.date:
    return held_on + dt.timedelta(days=RECOMMENDATION_VALID_DAYS)


def decision_passes(votes_for: int, expected: int) -> bool:
    """More than half of the members who should attend agree (exactly half fails)."""
    return 2 * votes_for > expected


def notice_period(start: dt.date, end: dt.date) -> tuple[int, str]:
    """(working days from ``start`` to ``end``, both included; the sentence explaining the count)."""
    n = working_days(start, end)
    sentence = _("%(s)s 至 %(e)s 共 %(n)d 个工作日（按国家法定节假日和调休安排计算）") % {
        "s": start.isoformat(), "e": end.isoformat(), "n": n}
    unknown = unknown_calendar_years(start, end)
    if unknown:
        sentence += _("；%(years)s年的节假日安排尚未收录，按周一至周五计算") % {
            "years": "、".join(str(y) for y in unknown)}
    return n, sentence


def probation_applies(selection_post: SelectionPost, is_promotion: bool) -> bool:
    """One year of probation for a promotion to a non-elected post up to 厅局级副职 (RULES.md)."""
    return bool(is_promotion) and not selection_post.elected and selection_post.post.level <= PROBATION_MAX_LEVEL


def probation_remind_days() -> int:
    """Days before a probation ends that its reminder comes (``settings.SELECTION_PROBATION_REMIND_DAYS``)."""
    return int(getattr(settings, "SELECTION_PROBATION_REMIND_DAYS", 30))


def _limit(post: Post) -> int:
    # check_post_capacity: a chief post is never held by two at once; other posts up to their quota.
    return post_limit(post)


def quota_review(selection: Selection, *, on: dt.date | None = None, plan: dict | None = None) -> list[dict]:
    """职数预审 per post of the record on ``on`` (today by default): 核定 (``approved``), 现配
    (``held``: appointments in force), 拟免 (``ending``: those of them the record ends), 拟配
    (``planned``), ``after`` = 现配 − 拟免 + 拟配, ``ok`` and the sentence. ``plan``
    ({post row id: {"planned": n, "ends": [appointment ids]}}) overrides what is stored (the motion's
    form). A few queries for the whole record."""
    on = on or today()
    rows = list(selection.posts.select_related("post", "post__unit").prefetch_related("ends").order_by("order", "id"))
    held = {}
    for post_id, appointment_id in (Appointment.objects.filter(post__in=[r.post_id for r in rows])
                                    .filter(in_force_q(on)).values_list("post_id", "id")):
        held.setdefault(post_id, set()).add(appointment_id)
    out = []
    for row in rows:
        wanted = (plan or {}).get(row.pk, {})
        planned = wanted.get("planned", row.planned)
        ends = {getattr(a, "pk", a) for a in wanted.get("ends", [a.pk for a in row.ends.all()])}
        current = held.get(row.post_id, set())
        ending = len(ends & current)
        approved = _limit(row.post)
        after = len(current) - ending + (planned or 0)
        ok = after <= approved
        words = {"post": str(row.post), "q": approved, "h": len(current), "e": ending, "p": planned or 0}
        sentence = (_("“%(post)s”核定%(q)d名，现配%(h)d名，拟免%(e)d名，拟配%(p)d名，符合职数。") if ok else
                    _("超出职数：“%(post)s”核定%(q)d名，现配%(h)d名，拟免%(e)d名，拟配%(p)d名，配备后将有%(a)d名。"))
        out.append({"row": row, "post": row.post, "approved": approved, "held": len(current), "ending": ending,
                    "planned": planned or 0, "after": after, "ok": ok,
                    "sentence": sentence % {**words, "a": after}})
    return out


EXCEPTIONAL_FIELDS = ("exceptional", "exceptional_grounds", "consent_body", "consent_no", "consent_on")


def eligibility(candidates, *, on: dt.date, skip=()) -> dict[int, tuple[bool, list[str]]]:
    """{candidate id: (eligible, [sentences])} from ``post_eligibility.check`` per target post, each
    candidate judged as a 破格 promotion when marked ``exceptional`` (its grounds and consent read from
    the candidate row as it is in memory). ``skip``: rule codes not enforced here (the shortlist
    leaves the consent to the decision, and the standing to ``promotion_blocks``, which says it
    already). Each candidate gets ``eligibility_result`` (the ``PostEligibility``) for the pages."""
    out = {}
    by_post: dict[int, list] = {}
    for c in candidates:
        by_post.setdefault(c.target.post_id, []).append(c)
    for group in by_post.values():
        post = group[0].target.post
        exceptional = [c.cadre_id for c in group if c.exceptional]
        answer = post_eligibility.check([c.cadre_id for c in group], post, on=on, exceptional=exceptional,
                                        records={c.cadre_id: c for c in group})
        for c in group:
            if c.cadre_id not in answer:
                continue
            result = answer[c.cadre_id]
            c.eligibility_result = result
            failed = [r for r in result.failed if r.code not in skip]
            out[c.pk] = (not failed, [r.sentence for r in failed])
    return out


def _exceptional_input(problems: "Problems", c, row: dict, *, step: str, day: dt.date) -> None:
    """The 破格 fields of one candidate from a step's input (確定考察对象 and 讨论决定 record them): set
    on the row in memory (saved with the step), every problem keyed ``c<id>_<field>``."""
    if step == "shortlist" and "exceptional" in row:
        c.exceptional = bool(row.get("exceptional"))
    for f in ("exceptional_grounds", "consent_body", "consent_no"):
        if f in row and row[f] is not None:
            setattr(c, f, _text(row[f]))
    if "consent_on" in row:
        value = row.get("consent_on")
        if value in (None, ""):
            c.consent_on = None
        elif _is_date(value):
            c.consent_on = value
        else:
            problems.add(ckey(c, "consent_on"), _("上级组织部门同意日期须为日期。"))
    if not c.exceptional:
        return
    if not c.exceptional_grounds:
        problems.add(ckey(c, "exceptional_grounds"), _("%(n)s拟破格提拔，须写明破格提拔理由。") % {"n": c.cadre.name})
    if step == "decide" and not (c.consent_body and c.consent_no and c.consent_on):
        problems.add(ckey(c, "consent_no"), _("%(n)s拟破格提拔，须记录上级组织部门同意意见（机关、文号、日期）。") % {
            "n": c.cadre.name})
    elif step == "decide" and c.consent_on > day:
        problems.add(ckey(c, "consent_on"), _("上级组织部门同意日期不能晚于讨论决定日期（%(d)s）。") % {
            "d": day.isoformat()})


def promotion_blocks(cadre_ids, *, on: dt.date) -> dict[int, list[str]]:
    """{cadre id: [sentences]} of the cadres a card, sanction … bars from promotion on ``on``
    (``standing``'s "promotion" block; nothing restated here)."""
    from assessment.services.standing import standing

    ids = list(cadre_ids)
    if not ids:
        return {}
    st = standing(ids, on=on)
    return {cid: st[cid].reasons("promotion") for cid in ids if st[cid].blocked("promotion")}


def _total_votes(selection) -> dict[int, int]:
    totals: dict[int, int] = {}
    for cid, votes in Ballot.objects.filter(recommendation__selection=selection).values_list("candidate_id", "votes"):
        totals[cid] = totals.get(cid, 0) + votes
    return totals


def top_candidates(selection, candidates=None) -> set[int]:
    """The ids of the top vote getters per post: for each post, the candidates whose total votes in
    the record's recommendations reach the N-th highest total (N: the post's 拟配; equals share)."""
    candidates = candidates if candidates is not None else list(selection.candidates.select_related("target"))
    totals = _total_votes(selection)
    by_post: dict[int, list] = {}
    for c in candidates:
        if c.pk in totals:
            by_post.setdefault(c.target_id, []).append(c)
    out = set()
    for group in by_post.values():
        n = max(1, group[0].target.planned)
        ranked = sorted((totals[c.pk] for c in group), reverse=True)
        bar = ranked[min(n, len(ranked)) - 1]
        out |= {c.pk for c in group if totals[c.pk] >= bar}
    return out


def last_recommended(selection) -> dict[int, dt.date]:
    """{candidate id: the day of the latest recommendation round with a ballot for them}."""
    out: dict[int, dt.date] = {}
    for cid, held in Ballot.objects.filter(recommendation__selection=selection).values_list(
            "candidate_id", "recommendation__held_on"):
        if cid not in out or held > out[cid]:
            out[cid] = held
    return out


def _check_recommendation(problems, candidate, held: dict, on: dt.date, field: str):
    day = held.get(candidate.pk)
    if day is None:
        problems.add(ckey(candidate, field), _("%(n)s未经民主推荐。") % {"n": candidate.cadre.name})
    elif not recommendation_valid(day, on):
        problems.add(ckey(candidate, field), _(
            "%(n)s的民主推荐（%(d)s）已超过一年有效期（至 %(u)s），须重新推荐。") % {
            "n": candidate.cadre.name, "d": day.isoformat(), "u": recommendation_valid_until(day).isoformat()})


def inspection_bars(candidate: SelectionCandidate) -> list[str]:
    """What the inspection found that stops a candidate: the disciplinary body's reply affects them,
    or their personal matters were concealed (瞒报)."""
    out = []
    if candidate.letter_affects:
        out.append(_("纪委函询回复意见影响使用。"))
    if candidate.matters == Matters.CONCEALED:
        out.append(_("个人有关事项瞒报。"))
    return out


# --------------------------------------------------------------------------- what is missing
def _candidates(selection, **filters):
    return list(selection.candidates.filter(**filters).select_related("cadre", "target", "target__post",
                                                                      "target__post__unit").order_by("order", "id"))


def next_missing(selection: Selection) -> list[str]:
    """What the record still needs for its next step, in Chinese (empty at the end)."""
    s, out = selection.status, []
    if s == S.MOTION:
        if not selection.posts.exists():
            out.append(_("请添加拟任职务。"))
        if not selection.motion_how or not selection.motion_on:
            out.append(_("请登记动议方式和动议日期。"))
        out += [r["sentence"] for r in quota_review(selection) if not r["ok"]]
    elif s == S.RECOMMEND:
        if not selection.candidates.exists():
            out.append(_("请添加推荐人选。"))
        out.append(_("请登记民主推荐（谈话调研推荐或会议推荐）：应参加和实参加人数、每名人选的得票。"))
    elif s == S.SHORTLIST:
        out.append(_("请根据民主推荐结果确定考察对象；不是得票靠前的人选须写明理由。"))
        held = last_recommended(selection)
        for c in _candidates(selection):
            if c.pk in held and not recommendation_valid(held[c.pk], today()):
                out.append(_("%(n)s的民主推荐（%(d)s）已超过一年有效期，须重新推荐。") % {
                    "n": c.cadre.name, "d": held[c.pk].isoformat()})
    elif s == S.INSPECT:
        if not (selection.inspect_team and selection.inspect_start and selection.inspect_end
                and selection.inspect_talks is not None and selection.inspect_report):
            out.append(_("请登记考察组、考察日期、个别谈话人数和考察情况报告。"))
        for c in _candidates(selection, shortlisted=True):
            gaps = _inspection_gaps(c)
            if gaps:
                out.append(_("%(n)s：尚缺%(g)s。") % {"n": c.cadre.name, "g": "、".join(gaps)})
    elif s == S.DECIDE:
        out.append(_("请登记讨论决定：会议、应到和实到会成员、每名考察对象的表决票（超过应到会成员半数同意为通过），或缓议。"))
        for c in _candidates(selection, shortlisted=True):
            for bar in inspection_bars(c):
                out.append(_("%(n)s：%(b)s不能提交讨论决定。") % {"n": c.cadre.name, "b": bar})
    elif s == S.NOTICE:
        out.append(_("请登记任前公示的开始和结束日期（至少%(n)d个工作日）。") % {"n": NOTICE_WORKING_DAYS})
    elif s == S.APPOINT:
        if selection.notice_end and today() <= selection.notice_end:
            out.append(_("公示期至 %(d)s 结束，期满后登记公示结果。") % {"d": selection.notice_end.isoformat()})
        elif selection.notice_result_at is None:
            out.append(_("请登记公示结果（收到的反映和核查情况）。"))
        else:
            out.append(_("请登记任职：任职日期、任职通知文号和任职谈话。"))
    elif s == S.PROBATION:
        for c in _candidates(selection, probation_end__isnull=False, probation_outcome=""):
            out.append(_("%(n)s：试用期至 %(d)s 期满，期满后登记转正或恢复原职级。") % {
                "n": c.cadre.name, "d": c.probation_end.isoformat()})
    return out


def _inspection_gaps(c: SelectionCandidate, items: set | None = None) -> list[str]:
    gaps = []
    if None in (c.eval_excellent, c.eval_competent, c.eval_basic, c.eval_incompetent):
        gaps.append(_("民主测评"))
    if not (c.letter_no and c.letter_sent_on and c.letter_reply) or c.letter_affects is None:
        gaps.append(_("纪委函询"))
    if not c.matters:
        gaps.append(_("个人有关事项"))
    checked = items if items is not None else set(c.file_checks.values_list("item", flat=True))
    if set(FileItem.values) - checked:
        gaps.append(_("档案审核"))
    if not c.inspect_report:
        gaps.append(_("考察材料"))
    return gaps


# --------------------------------------------------------------------------- create, posts, candidates
POST_FIELDS = ("vacancy_reason", "requirements", "direction", "planned", "elected")


def _post_problems(problems, selection_unit, post, planned, prefix=""):
    if post is None:
        problems.add(f"{prefix}post", _("请选择拟任职务。"))
    elif selection_unit is not None and not post.unit.path.startswith(selection_unit.path):
        problems.add(f"{prefix}post", _("“%(p)s”不在“%(u)s”及其下级单位。") % {"p": str(post), "u": selection_unit.name})
    if planned is not None and (isinstance(planned, bool) or not isinstance(planned, int) or planned < 1):
        problems.add(f"{prefix}planned", _("拟配人数至少为1。"))


@transaction.atomic
def selection_create(*, by, kind: str, title: str, unit, post: Post | None, analysis: str = "",
                     vacancy_reason: str = "", requirements: str = "", direction: str = "", planned: int = 1,
                     elected: bool = False, candidates=()) -> Selection:
    """Start a record (分析研判和动议) for ``post`` in ``unit`` or below; ``candidates`` (cadres, for
    the vacancy pages of issue 13) become its first candidates for that post."""
    gate.require(by, "reserve")
    problems = Problems()
    if unit is None:
        problems.add("unit", _("请选择单位。"))
    else:
        gate.ensure(by, "view", unit)
    if post is not None:
        gate.ensure(by, "view", post)
    if kind not in SelectionKind.values:
        problems.add("kind", _("请选择类型。"))
    if not _text(title):
        problems.add("title", _("请填写名称。"))
    _post_problems(problems, unit, post, planned)
    problems.raise_if_any()
    selection = model_save(Selection(kind=kind, title=_text(title), unit=unit, analysis=_text(analysis),
                                     created_by=by, status=S.MOTION), by=by)
    row = model_save(SelectionPost(selection=selection, post=post, vacancy_reason=_text(vacancy_reason),
                                   requirements=_text(requirements), direction=_text(direction), planned=planned,
                                   elected=bool(elected)), by=by)
    for i, cadre in enumerate(candidates):
        _candidate_save(by, selection, cadre, row, order=i)
    _log(selection, "create", by, "", "", S.MOTION)
    return selection


@transaction.atomic
def selection_update(*, by, selection: Selection, **fields) -> Selection:
    """Edit the title, kind and analysis while at 分析研判和动议."""
    unknown = set(fields) - {"title", "kind", "analysis"}
    if unknown:
        raise TypeError(f"fields {sorted(unknown)!r} may not be set here")
    _gate(by, selection)
    selection = _lock(selection)
    _advance(selection, "edit")
    problems = Problems()
    if "title" in fields and not _text(fields["title"]):
        problems.add("title", _("请填写名称。"))
    if "kind" in fields and fields["kind"] not in SelectionKind.values:
        problems.add("kind", _("请选择类型。"))
    problems.raise_if_any()
    for key, value in fields.items():
        setattr(selection, key, _text(value))
    model_save(selection, by=by)
    _log(selection, "edit", by)
    return selection


@transaction.atomic
def selection_post_add(*, by, selection: Selection, post: Post, vacancy_reason: str = "", requirements: str = "",
                       direction: str = "", planned: int = 1, elected: bool = False) -> SelectionPost:
    _gate(by, selection)
    selection = _lock(selection)
    _advance(selection, "post")
    if post is not None:
        gate.ensure(by, "view", post)
    problems = Problems()
    _post_problems(problems, selection.unit, post, planned)
    if post is not None and selection.posts.filter(post=post).exists():
        problems.add("post", _("该职务已在本选任纪实中。"))
    problems.raise_if_any()
    order = (selection.posts.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    row = model_save(SelectionPost(selection=selection, post=post, vacancy_reason=_text(vacancy_reason),
                                   requirements=_text(requirements), direction=_text(direction), planned=planned,
                                   elected=bool(elected), order=order), by=by)
    _log(selection, "post", by, _("添加拟任职务：%(p)s") % {"p": str(post)})
    return row


@transaction.atomic
def selection_post_remove(*, by, selection_post: SelectionPost) -> None:
    selection = selection_post.selection
    _gate(by, selection)
    selection = _lock(selection)
    _advance(selection, "post")
    if selection.posts.count() <= 1:
        raise ValidationError(_("选任纪实至少须有一个拟任职务。"))
    if selection_post.candidates.exists():
        raise ValidationError(_("该职务已有人选，请先移除人选。"))
    label = str(selection_post.post)
    model_delete(selection_post, by=by)
    _log(selection, "post", by, _("移除拟任职务：%(p)s") % {"p": label})


def _candidate_save(by, selection, cadre, target, order=0) -> SelectionCandidate:
    gate.ensure(by, "view", cadre)
    problems = Problems()
    if cadre.status != CadreStatus.ACTIVE:
        problems.add("cadre", _("该干部已%(s)s，不能作为人选。") % {"s": cadre.get_status_display()})
    if selection.candidates.filter(cadre=cadre).exists():
        problems.add("cadre", _("该干部已是本选任纪实的人选。"))
    if target is None or target.selection_id != selection.pk:
        problems.add("target", _("请选择本选任纪实的拟任职务。"))
    problems.raise_if_any()
    return model_save(SelectionCandidate(selection=selection, cadre=cadre, target=target, order=order), by=by)


@transaction.atomic
def candidate_add(*, by, selection: Selection, cadre: Cadre, target: SelectionPost | None = None) -> SelectionCandidate:
    """Add a candidate (推荐人选) for one of the record's posts (the only one when there is one)."""
    _gate(by, selection)
    selection = _lock(selection)
    _advance(selection, "candidate")
    if target is None:
        rows = list(selection.posts.all()[:2])
        target = rows[0] if len(rows) == 1 else None
    order = (selection.candidates.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    candidate = _candidate_save(by, selection, cadre, target, order)
    _log(selection, "candidate", by, _("添加人选：%(n)s") % {"n": cadre.name})
    return candidate


@transaction.atomic
def candidate_remove(*, by, candidate: SelectionCandidate) -> None:
    selection = candidate.selection
    _gate(by, selection)
    selection = _lock(selection)
    _advance(selection, "candidate")
    if candidate.ballots.exists():
        raise ValidationError(_("该人选已有推荐票，不能移除；可不确定为考察对象。"))
    name = candidate.cadre.name
    model_delete(candidate, by=by)
    _log(selection, "candidate", by, _("移除人选：%(n)s") % {"n": name})


# --------------------------------------------------------------------------- 1. 分析研判和动议
@transaction.atomic
def selection_motion(*, by, selection: Selection, motion_how: str, motion_on: dt.date, analysis: str | None = None,
                     posts: dict | None = None) -> Selection:
    """Record the motion with its 职数预审; ``posts`` ({post row id: {"planned": n, "ends": [appointments]}})
    sets each post's 拟配 and 拟免. Refused when a post would exceed its quota."""
    _gate(by, selection)
    selection = _lock(selection)
    old, _new = _advance(selection, "motion")
    problems = Problems()
    if not _text(motion_how):
        problems.add("motion_how", _("请填写动议方式。"))
    _not_future(problems, "motion_on", motion_on, _("动议日期"))
    rows = {r.pk: r for r in selection.posts.select_related("post")}
    if not rows:
        problems.add("__all__", _("请添加拟任职务。"))
    plan = {}
    for pk_, wanted in (posts or {}).items():
        row = rows.get(int(pk_))
        if row is None:
            problems.add("posts", _("拟任职务 %(id)s 不属于本选任纪实。") % {"id": pk_})
            continue
        entry = {}
        if "planned" in wanted:
            planned = wanted["planned"]
            if isinstance(planned, bool) or not isinstance(planned, int) or planned < 1:
                problems.add(pkey(row, "planned"), _("拟配人数至少为1。"))
            else:
                entry["planned"] = planned
        if "ends" in wanted:
            ends = [getattr(a, "pk", a) for a in wanted["ends"] or []]
            valid = set(Appointment.objects.filter(post=row.post_id, pk__in=ends)
                        .filter(in_force_q(motion_on if _is_date(motion_on) else None)).values_list("pk", flat=True))
            if set(ends) - valid:
                problems.add(pkey(row, "ends"), _("拟免的任职须是该职务的现任任职。"))
            entry["ends"] = ends
        plan[row.pk] = entry
    if _is_date(motion_on) and rows:
        for r in quota_review(selection, on=motion_on, plan=plan):
            if not r["ok"]:
                problems.add(pkey(r["row"], "planned"), r["sentence"])
    problems.raise_if_any()
    reviews = {r["row"].pk: r for r in quota_review(selection, on=motion_on, plan=plan)}
    for row in rows.values():
        entry = plan.get(row.pk, {})
        if "planned" in entry:
            row.planned = entry["planned"]
        r = reviews[row.pk]
        row.review = {"on": motion_on.isoformat(), "approved": r["approved"], "held": r["held"],
                      "ending": r["ending"], "planned": r["planned"]}
        model_save(row, by=by, validate=False)
        if "ends" in entry:
            row._history_user = by
            row.ends.set(entry["ends"])
    selection.motion_how, selection.motion_on = _text(motion_how), motion_on
    if analysis is not None:
        selection.analysis = _text(analysis)
    selection.motion_by, selection.motion_at = by, timezone.now()
    model_save(selection, by=by)
    _log(selection, "motion", by, " ".join(r["sentence"] for r in reviews.values()), old, selection.status)
    return selection


# --------------------------------------------------------------------------- 2. 民主推荐
@transaction.atomic
def selection_recommend(*, by, selection: Selection, method: str, held_on: dt.date, expected: int, actual: int,
                        ballots: dict, participants: str = "", note: str = "") -> Recommendation:
    """Record one round of 民主推荐 with every candidate's ballots ({candidate id: {"votes", "abstain",
    "invalid"}}); a candidate's votes, abstentions and invalid ballots add up to at most the actual
    participants. Org staff, or a unit leader of the record's unit (the table's gate action)."""
    _gate(by, selection, "recommend")
    selection = _lock(selection)
    old, _new = _advance(selection, "recommend")
    problems = Problems()
    if method not in RecommendationMethod.values:
        problems.add("method", _("请选择推荐方式。"))
    _not_future(problems, "held_on", held_on, _("推荐日期"))
    if _is_date(held_on) and selection.motion_on and held_on < selection.motion_on:
        problems.add("held_on", _("推荐日期不能早于动议日期（%(d)s）。") % {"d": selection.motion_on.isoformat()})
    ok_expected = _count(problems, "expected", expected, _("应参加人数"), minimum=1)
    ok_actual = _count(problems, "actual", actual, _("实参加人数"))
    if ok_expected and ok_actual and actual > expected:
        problems.add("actual", _("实参加人数不能多于应参加人数。"))
    candidates = _candidates(selection)
    if not candidates:
        problems.add("__all__", _("请先添加推荐人选。"))
    rows = {int(k): v for k, v in (ballots or {}).items()}
    known = {c.pk for c in candidates}
    for extra in set(rows) - known:
        problems.add("ballots", _("人选 %(id)s 不属于本选任纪实。") % {"id": extra})
    for c in candidates:
        b = rows.get(c.pk)
        if b is None:
            problems.add(ckey(c, "votes"), _("请填写%(n)s的推荐票。") % {"n": c.cadre.name})
            continue
        good = [_count(problems, ckey(c, f), b.get(f, 0 if f != "votes" else None), label)
                for f, label in (("votes", _("推荐票")), ("abstain", _("弃权票")), ("invalid", _("无效票")))]
        if all(good) and ok_actual and b["votes"] + b.get("abstain", 0) + b.get("invalid", 0) > actual:
            problems.add(ckey(c, "votes"), _("%(n)s的推荐票、弃权票和无效票合计不能多于实参加人数（%(a)d）。") % {
                "n": c.cadre.name, "a": actual})
    problems.raise_if_any()
    rec = model_save(Recommendation(selection=selection, method=method, held_on=held_on, expected=expected,
                                    actual=actual, participants=_text(participants), note=_text(note),
                                    recorded_by=by), by=by)
    for c in candidates:
        b = rows[c.pk]
        model_save(Ballot(recommendation=rec, candidate=c, votes=b["votes"], abstain=b.get("abstain", 0),
                          invalid=b.get("invalid", 0)), by=by, validate=False)
    model_save(selection, by=by, validate=False)
    reason = _("%(m)s %(d)s：应参加%(e)d人，实参加%(a)d人（%(t)s%%）。") % {
        "m": rec.get_method_display(), "d": held_on.isoformat(), "e": expected, "a": actual, "t": rec.turnout}
    _log(selection, "recommend", by, reason, old, selection.status)
    return rec


# --------------------------------------------------------------------------- 3. 确定考察对象
@transaction.atomic
def selection_shortlist(*, by, selection: Selection, shortlist_how: str, shortlist_on: dt.date,
                        choices: dict) -> Selection:
    """Fix the 考察对象 from the recommendation ({candidate id: {"shortlisted": bool, "reason": str}}):
    at least one; a candidate not among the top vote getters of the post needs a reason; refused for
    a candidate whose recommendation is over a year old, whom ``standing`` bars from promotion, or
    whom the post's eligibility check fails."""
    _gate(by, selection)
    selection = _lock(selection)
    old, _new = _advance(selection, "shortlist")
    problems = Problems()
    if not _text(shortlist_how):
        problems.add("shortlist_how", _("请填写研究确定方式。"))
    good_day = _not_future(problems, "shortlist_on", shortlist_on, _("确定考察对象日期"))
    candidates = _candidates(selection)
    rows = {int(k): v for k, v in (choices or {}).items()}
    chosen = [c for c in candidates if (rows.get(c.pk) or {}).get("shortlisted")]
    if not chosen:
        problems.add("__all__", _("请至少确定一名考察对象。"))
    top = top_candidates(selection, candidates)
    held = last_recommended(selection)
    day = shortlist_on if good_day else today()
    blocks = promotion_blocks([c.cadre_id for c in chosen], on=day)
    for c in chosen:
        _exceptional_input(problems, c, rows[c.pk], step="shortlist", day=day)
    fit = eligibility(chosen, on=day, skip=("standing", "exceptional_consent", "exceptional_grounds"))
    for c in chosen:
        reason = _text(rows[c.pk].get("reason"))
        _check_recommendation(problems, c, held, day, "shortlisted")
        if c.pk in held and c.pk not in top and not reason:
            problems.add(ckey(c, "reason"), _("%(n)s不是得票靠前的人选，须写明确定为考察对象的理由。") % {
                "n": c.cadre.name})
        for sentence in blocks.get(c.cadre_id, []):
            problems.add(ckey(c, "shortlisted"), sentence)
        ok, sentences = fit.get(c.pk, (True, []))
        if not ok:
            for sentence in sentences or [_("不符合拟任职务的任职资格。")]:
                problems.add(ckey(c, "shortlisted"), sentence)
    problems.raise_if_any()
    for c in candidates:
        picked = c in chosen
        c.shortlisted = picked
        c.shortlist_reason = _text(rows[c.pk].get("reason")) if picked else ""
        result = getattr(c, "eligibility_result", None)
        c.exceptional_path = (result.path or "") if picked and result is not None else ""
        if not picked:
            c.exceptional = False
        model_save(c, by=by, validate=False)
    selection.shortlist_how, selection.shortlist_on = _text(shortlist_how), shortlist_on
    selection.shortlist_by, selection.shortlist_at = by, timezone.now()
    model_save(selection, by=by)
    _log(selection, "shortlist", by, _("考察对象：%(n)s") % {"n": "、".join(c.cadre.name for c in chosen)}, old,
         selection.status)
    return selection


# --------------------------------------------------------------------------- 4. 考察
CANDIDATE_INSPECT_FIELDS = ("eval_excellent", "eval_competent", "eval_basic", "eval_incompetent", "letter_no",
                            "letter_sent_on", "letter_reply", "letter_affects", "matters", "matters_handling",
                            "inspect_report")
TEXT_FIELDS = {"letter_no", "letter_reply", "matters", "matters_handling", "inspect_report"}


def file_defaults(cadre: Cadre) -> dict[str, str]:
    """What the roster says for each item of the 档案审核 (the 原记载 a form starts from)."""
    def day(d):
        return d.isoformat() if d else ""

    career = list(cadre.career.order_by("start_date").values_list("description", flat=True)[:3])
    return {
        FileItem.AGE: day(cadre.birth_date),
        FileItem.WORK_START: day(cadre.work_start_date),
        FileItem.PARTY: day(cadre.party_join_date),
        FileItem.EDUCATION: cadre.get_highest_education_display() if cadre.highest_education else "",
        FileItem.CAREER: "；".join(career),
        FileItem.IDENTITY: "",
    }


@transaction.atomic
def selection_inspect(*, by, selection: Selection, team: str, start: dt.date, end: dt.date, talks: int, report: str,
                      candidates: dict) -> Selection:
    """Record the inspection: the team, dates, talks held and the report, and for every 考察对象
    ({candidate id: {eval_* counts, letter_no, letter_sent_on, letter_reply, letter_affects, matters,
    matters_handling, inspect_report, "files": {item: {"recorded", "verified", "note"}}}}) the
    测评, the 纪委函询, the 个人有关事项 and the 档案审核 of 三龄两历一身份."""
    _gate(by, selection)
    selection = _lock(selection)
    old, _new = _advance(selection, "inspect")
    problems = Problems()
    if not _text(team):
        problems.add("team", _("请填写考察组。"))
    good_start = _not_future(problems, "start", start, _("考察开始日期"))
    good_end = _not_future(problems, "end", end, _("考察结束日期"))
    if good_start and good_end and end < start:
        problems.add("end", _("考察结束日期不能早于开始日期。"))
    if good_start and selection.shortlist_on and start < selection.shortlist_on:
        problems.add("start", _("考察开始日期不能早于确定考察对象日期（%(d)s）。") % {
            "d": selection.shortlist_on.isoformat()})
    _count(problems, "talks", talks, _("个别谈话人数"), minimum=1)
    if not _text(report):
        problems.add("report", _("请填写考察情况报告。"))
    rows = {int(k): v for k, v in (candidates or {}).items()}
    shortlisted = _candidates(selection, shortlisted=True)
    for c in shortlisted:
        data = rows.get(c.pk) or {}
        counts = []
        for f, label in (("eval_excellent", _("优秀票")), ("eval_competent", _("称职票")), ("eval_basic", _("基本称职票")),
                         ("eval_incompetent", _("不称职票"))):
            counts.append(_count(problems, ckey(c, f), data.get(f), label))
        if all(counts) and sum(data[f] for f in CANDIDATE_INSPECT_FIELDS[:4]) == 0:
            problems.add(ckey(c, "eval_excellent"), _("民主测评票数合计不能为0。"))
        if not _text(data.get("letter_no")):
            problems.add(ckey(c, "letter_no"), _("请填写纪委函询函号。"))
        if _not_future(problems, ckey(c, "letter_sent_on"), data.get("letter_sent_on"), _("函询日期")) and \
                good_end and data["letter_sent_on"] > end:
            problems.add(ckey(c, "letter_sent_on"), _("函询日期不能晚于考察结束日期。"))
        if not _text(data.get("letter_reply")):
            problems.add(ckey(c, "letter_reply"), _("请填写纪委回复意见。"))
        if data.get("letter_affects") not in (True, False):
            problems.add(ckey(c, "letter_affects"), _("请选择回复意见是否影响使用。"))
        if data.get("matters") not in Matters.values:
            problems.add(ckey(c, "matters"), _("请选择个人有关事项查核结果。"))
        elif data["matters"] != Matters.TRUTHFUL and not _text(data.get("matters_handling")):
            problems.add(ckey(c, "matters_handling"), _("漏报或瞒报须填写处理情况。"))
        if not _text(data.get("inspect_report")):
            problems.add(ckey(c, "inspect_report"), _("请填写%(n)s的考察材料。") % {"n": c.cadre.name})
        files = data.get("files") or {}
        for item in FileItem:
            f = files.get(item.value) or {}
            if not _text(f.get("verified")):
                problems.add(ckey(c, f"f_{item.value}_verified"), _("请填写%(i)s的审核认定。") % {"i": item.label})
            elif _text(f.get("recorded")) != _text(f.get("verified")) and not _text(f.get("note")):
                problems.add(ckey(c, f"f_{item.value}_note"), _("审核认定与原记载不一致，须说明。"))
            for key in ("recorded", "verified"):
                if len(_text(f.get(key))) > 200:
                    problems.add(ckey(c, f"f_{item.value}_{key}"), _("最多200个字。"))
    problems.raise_if_any()
    for c in shortlisted:
        data = rows[c.pk]
        for f in CANDIDATE_INSPECT_FIELDS:
            value = data.get(f)
            setattr(c, f, _text(value) if f in TEXT_FIELDS else value)
        model_save(c, by=by, validate=False)
        existing = {fc.item: fc for fc in c.file_checks.all()}
        for item in FileItem:
            f = data["files"][item.value]
            fc = existing.get(item.value) or FileCheck(candidate=c, item=item.value)
            fc.recorded, fc.verified, fc.note = _text(f.get("recorded")), _text(f.get("verified")), _text(f.get("note"))
            model_save(fc, by=by, validate=False)
    selection.inspect_team, selection.inspect_start, selection.inspect_end = _text(team), start, end
    selection.inspect_talks, selection.inspect_report = talks, _text(report)
    selection.inspect_by, selection.inspect_at = by, timezone.now()
    model_save(selection, by=by)
    bars = [f"{c.cadre.name}：{''.join(inspection_bars(c))}" for c in shortlisted if inspection_bars(c)]
    _log(selection, "inspect", by, " ".join(bars), old, selection.status)
    return selection


# --------------------------------------------------------------------------- 5. 讨论决定
def _meeting_problems(problems, selection, meeting, held_on, expected, present):
    if not _text(meeting):
        problems.add("meeting", _("请填写会议名称。"))
    good = _not_future(problems, "held_on", held_on, _("会议日期"))
    if good and selection.inspect_end and held_on < selection.inspect_end:
        problems.add("held_on", _("会议日期不能早于考察结束日期（%(d)s）。") % {"d": selection.inspect_end.isoformat()})
    ok_e = _count(problems, "expected", expected, _("应到会成员"), minimum=1)
    ok_p = _count(problems, "present", present, _("实到会成员"), minimum=1)
    if ok_e and ok_p and present > expected:
        problems.add("present", _("实到会成员不能多于应到会成员。"))
    return good and ok_e and ok_p


def decidable(selection) -> list[SelectionCandidate]:
    """The 考察对象 the inspection did not stop (the ones a decision votes on)."""
    return [c for c in _candidates(selection, shortlisted=True) if not inspection_bars(c)]


@transaction.atomic
def selection_decide(*, by, selection: Selection, meeting: str, held_on: dt.date, expected: int, present: int,
                     votes: dict, note: str = "") -> Decision:
    """Record the decision with every candidate's votes ({candidate id: {"for", "against", "abstain"}}):
    a candidate passes with more than half of the members who should attend (``decision_passes``).
    The record moves to 任前公示 when one passes, else stays at 讨论决定."""
    _gate(by, selection)
    selection = _lock(selection)
    old, _new = _advance(selection, "decide")
    problems = Problems()
    good = _meeting_problems(problems, selection, meeting, held_on, expected, present)
    candidates = decidable(selection)
    if not candidates:
        problems.add("__all__", _("没有可以提交讨论决定的考察对象。"))
    rows = {int(k): v for k, v in (votes or {}).items()}
    held = last_recommended(selection)
    day = held_on if _is_date(held_on) else today()
    for c in candidates:
        _exceptional_input(problems, c, rows.get(c.pk) or {}, step="decide", day=day)
    fit = eligibility(candidates, on=day, skip=("exceptional_grounds", "exceptional_consent"))
    for c in candidates:
        v = rows.get(c.pk) or {}
        counts = [_count(problems, ckey(c, f), v.get(f, 0 if f != "for" else None), label)
                  for f, label in (("for", _("同意票")), ("against", _("不同意票")), ("abstain", _("弃权票")))]
        if all(counts) and good and v["for"] + v.get("against", 0) + v.get("abstain", 0) > present:
            problems.add(ckey(c, "for"), _("%(n)s的表决票合计不能多于实到会成员（%(p)d）。") % {
                "n": c.cadre.name, "p": present})
        _check_recommendation(problems, c, held, day, "for")
        ok, sentences = fit.get(c.pk, (True, []))
        if not ok:
            for sentence in sentences or [_("不符合拟任职务的任职资格。")]:
                problems.add(ckey(c, "for"), sentence)
    problems.raise_if_any()
    decision = model_save(Decision(selection=selection, meeting=_text(meeting), held_on=held_on, expected=expected,
                                   present=present, outcome=DecisionOutcome.VOTED, note=_text(note),
                                   recorded_by=by), by=by)
    passed_names, failed_names = [], []
    for c in candidates:
        v = rows[c.pk]
        passed = decision_passes(v["for"], expected)
        model_save(DecisionVote(decision=decision, candidate=c, votes_for=v["for"], votes_against=v.get("against", 0),
                                votes_abstain=v.get("abstain", 0), passed=passed), by=by, validate=False)
        c.passed = passed
        result = getattr(c, "eligibility_result", None)
        if result is not None:
            c.exceptional_path = result.path or ""
        model_save(c, by=by, validate=False)
        (passed_names if passed else failed_names).append(f"{c.cadre.name}（{v['for']}/{expected}）")
    target = S.NOTICE if passed_names else S.DECIDE
    selection.status = target
    model_save(selection, by=by, validate=False)
    reason = _("通过：%(p)s；未通过：%(f)s。") % {"p": "、".join(passed_names) or "—", "f": "、".join(failed_names) or "—"}
    _log(selection, "decide", by, reason, old, selection.status)
    return decision


@transaction.atomic
def selection_postpone(*, by, selection: Selection, meeting: str, held_on: dt.date, expected: int, present: int,
                       reason: str) -> Decision:
    """缓议: the meeting postpones the decision (with the reason); the record stays at 讨论决定."""
    _gate(by, selection)
    selection = _lock(selection)
    old, _new = _advance(selection, "postpone")
    problems = Problems()
    _meeting_problems(problems, selection, meeting, held_on, expected, present)
    if not _text(reason):
        problems.add("reason", _("请填写缓议理由。"))
    problems.raise_if_any()
    decision = model_save(Decision(selection=selection, meeting=_text(meeting), held_on=held_on, expected=expected,
                                   present=present, outcome=DecisionOutcome.POSTPONED, note=_text(reason),
                                   recorded_by=by), by=by)
    _log(selection, "postpone", by, _text(reason), old, selection.status)
    return decision


# --------------------------------------------------------------------------- 6. 任前公示
def last_decision(selection) -> Decision | None:
    return selection.decisions.filter(outcome=DecisionOutcome.VOTED).order_by("-held_on", "-id").first()


@transaction.atomic
def selection_notice(*, by, selection: Selection, start: dt.date, end: dt.date, channel: str = "",
                     text: str = "") -> Selection:
    """Publish the pre-appointment notice: from ``start`` to ``end`` (both included), at least 5
    official working days, not before the decision; ``text`` is what it says (公示内容): for a
    candidate promoted 破格 it must state the grounds (``notice_states_grounds``)."""
    _gate(by, selection)
    selection = _lock(selection)
    old, _new = _advance(selection, "notice")
    problems = Problems()
    if not _is_date(start):
        problems.add("start", _("请填写公示开始日期。"))
    if not _is_date(end):
        problems.add("end", _("请填写公示结束日期。"))
    decision = last_decision(selection)
    if _is_date(start) and decision is not None and start < decision.held_on:
        problems.add("start", _("公示开始日期不能早于讨论决定日期（%(d)s）。") % {"d": decision.held_on.isoformat()})
    if _is_date(start) and _is_date(end):
        if end < start:
            problems.add("end", _("公示结束日期不能早于开始日期。"))
        elif (end - start).days > NOTICE_MAX_DAYS:
            problems.add("end", _("公示期不能超过%(n)d天。") % {"n": NOTICE_MAX_DAYS})
        else:
            n, sentence = notice_period(start, end)
            if n < NOTICE_WORKING_DAYS:
                problems.add("end", _("任前公示不少于%(k)d个工作日：%(s)s。") % {"k": NOTICE_WORKING_DAYS, "s": sentence})
    if len(_text(channel)) > 200:
        problems.add("channel", _("最多200个字。"))
    for c in noticed(selection):
        if c.exceptional and not notice_states_grounds(text, c):
            problems.add("text", _("%(n)s为破格提拔，公示内容须写明其姓名和破格提拔理由（“%(g)s”）。") % {
                "n": c.cadre.name, "g": c.exceptional_grounds})
    problems.raise_if_any()
    selection.notice_text = _text(text)
    selection.notice_start, selection.notice_end, selection.notice_channel = start, end, _text(channel)
    selection.notice_by, selection.notice_at = by, timezone.now()
    model_save(selection, by=by)
    _log(selection, "notice", by, notice_period(start, end)[1], old, selection.status)
    return selection


def notice_states_grounds(text: str, candidate) -> bool:
    """The notice text names the 破格 candidate and states the recorded grounds (whitespace ignored)."""
    def squeeze(value):
        return "".join((value or "").split())

    body = squeeze(text)
    grounds = squeeze(candidate.exceptional_grounds)
    return bool(grounds) and candidate.cadre.name in body and grounds in body


def noticed(selection) -> list[SelectionCandidate]:
    """The candidates the decision passed (those the notice names)."""
    return _candidates(selection, shortlisted=True, passed=True)


@transaction.atomic
def selection_notice_result(*, by, selection: Selection, reports: int, findings: str = "",
                            blocked: dict | None = None) -> Selection:
    """After the notice period: the reports received, what checking them found, and for each
    candidate whether it stops the appointment ({candidate id: {"blocked": bool, "note": str}})."""
    _gate(by, selection)
    selection = _lock(selection)
    _advance(selection, "notice_result")
    problems = Problems()
    if selection.notice_end and today() <= selection.notice_end:
        problems.add("__all__", _("公示期至 %(d)s 结束，期满后才能登记公示结果。") % {"d": selection.notice_end.isoformat()})
    if _count(problems, "reports", reports, _("收到反映件数")) and reports > 0 and not _text(findings):
        problems.add("findings", _("收到反映的，须填写核查情况。"))
    rows = {int(k): v for k, v in (blocked or {}).items()}
    candidates = noticed(selection)
    for c in candidates:
        r = rows.get(c.pk) or {}
        if r.get("blocked") and not _text(r.get("note")):
            problems.add(ckey(c, "note"), _("影响任职的，须说明反映的问题和核查结论。"))
    problems.raise_if_any()
    for c in candidates:
        r = rows.get(c.pk) or {}
        c.notice_blocked, c.notice_note = bool(r.get("blocked")), _text(r.get("note"))
        model_save(c, by=by, validate=False)
    selection.notice_reports, selection.notice_findings = reports, _text(findings)
    selection.notice_result_by, selection.notice_result_at = by, timezone.now()
    model_save(selection, by=by)
    stopped = [c.cadre.name for c in candidates if c.notice_blocked]
    reason = _("收到反映%(n)d件。") % {"n": reports} + (
        _("影响任职：%(c)s。") % {"c": "、".join(stopped)} if stopped else _("未发现影响任职的问题。"))
    _log(selection, "notice_result", by, reason, selection.status, selection.status)
    return selection


# --------------------------------------------------------------------------- 7. 任职
def appointable(selection) -> list[SelectionCandidate]:
    """The candidates the notice did not stop (those the appointment names)."""
    return [c for c in noticed(selection) if not c.notice_blocked]


def _holds_lower(cadre: Cadre, post: Post, on: dt.date) -> bool:
    """Whether taking ``post`` is a promotion for ``cadre``: no post in force on ``on`` is of its level or higher."""
    levels = Appointment.objects.filter(cadre=cadre).filter(in_force_q(on)).values_list("post__level", flat=True)
    return all(level < post.level for level in levels)


@transaction.atomic
def selection_appoint(*, by, selection: Selection, appointments: dict) -> Selection:
    """Appoint every candidate the notice cleared ({candidate id: {"start_date", "document_no",
    "talk_on", "talk_by", "rank" (optional), "end_current" (end their other posts the day before)}}),
    through the roster (``appointment_create``: the quota re-checked with the post locked, in this
    transaction; the 拟免 appointments and, if asked, the cadre's other posts end the day before),
    the rank through ``rank_assign`` and a résumé line. A promotion to a non-elected post starts
    one year of probation. Refused, with nothing saved, on any problem."""
    _gate(by, selection)
    selection = _lock(selection)
    old, _new = _advance(selection, "appoint")
    problems = Problems()
    if selection.notice_end is None or today() <= selection.notice_end:
        problems.add("__all__", _("任前公示期满后才能任职（公示期至 %(d)s）。") % {
            "d": selection.notice_end.isoformat() if selection.notice_end else "—"})
    elif selection.notice_result_at is None:
        problems.add("__all__", _("请先登记公示结果。"))
    candidates = appointable(selection)
    if not candidates and selection.notice_result_at is not None:
        problems.add("__all__", _("公示反映的问题影响全部人选任职，不能任职；可终止本选任纪实。"))
    rows = {int(k): v for k, v in (appointments or {}).items()}
    for c in candidates:
        a = rows.get(c.pk) or {}
        start = a.get("start_date")
        if not _is_date(start):
            problems.add(ckey(c, "start_date"), _("请填写任职日期。"))
        elif selection.notice_end and start <= selection.notice_end:
            problems.add(ckey(c, "start_date"), _("任职日期须在公示期满（%(d)s）之后。") % {
                "d": selection.notice_end.isoformat()})
        elif start > today() + dt.timedelta(days=LATEST_START_DAYS):
            problems.add(ckey(c, "start_date"), _("任职日期不能晚于一年之后。"))
        if not _text(a.get("document_no")):
            problems.add(ckey(c, "document_no"), _("请填写任职通知文号。"))
        elif len(_text(a["document_no"])) > 60:
            problems.add(ckey(c, "document_no"), _("文号最多60个字。"))
        if _not_future(problems, ckey(c, "talk_on"), a.get("talk_on"), _("任职谈话日期")) and \
                selection.notice_end and a["talk_on"] <= selection.notice_end:
            problems.add(ckey(c, "talk_on"), _("任职谈话须在公示期满之后。"))
        if not _text(a.get("talk_by")):
            problems.add(ckey(c, "talk_by"), _("请填写谈话人。"))
        rank = a.get("rank")
        if rank is not None and not isinstance(rank, Rank):
            problems.add(ckey(c, "rank"), _("请选择职级。"))
        if c.cadre.status != CadreStatus.ACTIVE:
            problems.add(ckey(c, "start_date"), _("%(n)s已%(s)s，不能任职。") % {
                "n": c.cadre.name, "s": c.cadre.get_status_display()})
    if not problems:
        for c in candidates:
            for sentence in promotion_blocks([c.cadre_id], on=rows[c.pk]["start_date"]).get(c.cadre_id, []):
                problems.add(ckey(c, "start_date"), sentence)
    problems.raise_if_any()
    ended = set()
    for c in candidates:
        a = rows[c.pk]
        start, row = a["start_date"], c.target
        day_before = start - dt.timedelta(days=1)
        c.is_promotion = _holds_lower(c.cadre, row.post, start)
        c.previous_rank_id = c.cadre.current_rank_id
        to_end = [e for e in row.ends.all()  # 拟免: those still held on the day before
                  if e.pk not in ended and (e.end_date is None or e.end_date >= day_before)]
        if a.get("end_current"):
            to_end += [e for e in Appointment.objects.filter(cadre=c.cadre).filter(in_force_q(day_before))
                       if e.pk not in ended and e.post_id != row.post_id]
        for appointment in to_end:
            try:
                roster.appointment_end(by=by, appointment=appointment, end_date=day_before)
            except ValidationError as e:
                raise ValidationError({ckey(c, "start_date"): e.messages}) from None
            ended.add(appointment.pk)
        try:
            c.appointment = roster.appointment_create(by=by, cadre=c.cadre, post=row.post, start_date=start,
                                                      document_no=_text(a["document_no"]),
                                                      note=_("选任纪实：%(t)s") % {"t": selection.title[:80]})
        except ValidationError as e:
            raise ValidationError({ckey(c, "start_date"): e.messages}) from None
        if a.get("rank") is not None:
            try:
                roster.rank_assign(by=by, cadre=c.cadre, rank=a["rank"], start_date=start,
                                   document_no=_text(a["document_no"]))
            except ValidationError as e:
                raise ValidationError({ckey(c, "rank"): e.messages}) from None
            c.new_rank = a["rank"]
        roster.cadre_child_save(by=by, model=CareerEntry, cadre=c.cadre, start_date=start,
                                description=f"{row.post.unit.name}{row.post.name}"[:200])
        c.appointed_on, c.document_no = start, _text(a["document_no"])
        c.talk_on, c.talk_by, c.appointed_by = a["talk_on"], _text(a["talk_by"]), by
        c.probation_end = add_months(start, PROBATION_MONTHS) if probation_applies(row, c.is_promotion) else None
        model_save(c, by=by, validate=False)
    target = S.PROBATION if any(c.probation_end for c in candidates) else S.DONE
    selection.status = target
    model_save(selection, by=by, validate=False)
    reason = "；".join(f"{c.cadre.name}：{c.target.post}（{c.document_no}）" for c in candidates)
    _log(selection, "appoint", by, reason, old, selection.status)
    return selection


# --------------------------------------------------------------------------- 8. 试用期
@transaction.atomic
def selection_probation(*, by, selection: Selection, candidate: SelectionCandidate, outcome: str,
                        decided_on: dt.date, note: str = "", return_post: Post | None = None) -> SelectionCandidate:
    """After a candidate's probation: 转正, or a return to the former level — the probation
    appointment ends the day before ``decided_on``, the former rank is given back when the
    appointment gave a new one, and ``return_post`` (optional) is taken from that day. The record
    is 已完成 once every probation has its outcome."""
    _gate(by, selection)
    selection = _lock(selection)
    old, _new = _advance(selection, "probation")
    problems = Problems()
    candidate = (SelectionCandidate.objects.select_for_update(of=("self",))
                 .select_related("cadre", "appointment", "previous_rank", "target__post")
                 .filter(pk=getattr(candidate, "pk", candidate), selection=selection).first())
    if candidate is None or candidate.probation_end is None:
        problems.add("candidate", _("请选择试用期中的人选。"))
        problems.raise_if_any()
    if candidate.probation_outcome:
        problems.add("candidate", _("%(n)s的试用期满结果已登记。") % {"n": candidate.cadre.name})
    if outcome not in ProbationOutcome.values:
        problems.add("outcome", _("请选择转正或恢复原职级。"))
    if _not_future(problems, "decided_on", decided_on, _("转正或恢复日期")) and decided_on <= candidate.probation_end:
        problems.add("decided_on", _("试用期至 %(d)s 期满，期满后才能登记转正或恢复原职级。") % {
            "d": candidate.probation_end.isoformat()})
    if outcome == ProbationOutcome.RETURNED and not _text(note):
        problems.add("note", _("恢复原职级须填写试用期考核情况。"))
    if return_post is not None:
        if outcome != ProbationOutcome.RETURNED:
            problems.add("return_post", _("只有恢复原职级时才另任职务。"))
        else:
            gate.ensure(by, "view", return_post)
    problems.raise_if_any()
    if outcome == ProbationOutcome.RETURNED:
        if candidate.appointment is not None and candidate.appointment.end_date is None:
            try:
                roster.appointment_end(by=by, appointment=candidate.appointment,
                                       end_date=decided_on - dt.timedelta(days=1))
            except ValidationError as e:
                raise ValidationError({"decided_on": e.messages}) from None
        if candidate.new_rank_id and candidate.previous_rank_id:
            try:
                roster.rank_assign(by=by, cadre=candidate.cadre, rank=candidate.previous_rank, start_date=decided_on)
            except ValidationError as e:
                raise ValidationError({"decided_on": e.messages}) from None
        if return_post is not None:
            try:
                roster.appointment_create(by=by, cadre=candidate.cadre, post=return_post, start_date=decided_on,
                                          note=_("试用期满恢复原职级"))
            except ValidationError as e:
                raise ValidationError({"return_post": e.messages}) from None
    candidate.probation_outcome, candidate.probation_decided_on = outcome, decided_on
    candidate.probation_note, candidate.return_post = _text(note), return_post
    candidate.probation_by = by
    model_save(candidate, by=by, validate=False)
    if not selection.candidates.filter(probation_end__isnull=False, probation_outcome="").exists():
        selection.status = S.DONE
        model_save(selection, by=by, validate=False)
    reason = f"{candidate.cadre.name}：{candidate.get_probation_outcome_display()}（{decided_on.isoformat()}）"
    if candidate.probation_note:
        reason += f" {candidate.probation_note}"
    _log(selection, "probation", by, reason, old, selection.status)
    return candidate


def probation_due(*, user=None, on: dt.date | None = None):
    """Candidates on probation whose end is within ``probation_remind_days()`` of ``on`` (or past)
    and whose outcome is not recorded, of the records ``user`` sees (all when None)."""
    on = on or today()
    qs = SelectionCandidate.objects.restrict(user, "view") if user is not None else SelectionCandidate.objects.all()
    return (qs.filter(selection__status=S.PROBATION, probation_end__isnull=False, probation_outcome="",
                      probation_end__lte=on + dt.timedelta(days=probation_remind_days()))
            .select_related("cadre", "selection").order_by("probation_end", "id"))


def probation_reminders(*, on: dt.date | None = None) -> int:
    """Notify, once per candidate, whoever recorded the appointment (else every org staff member)
    that a probation ends within the reminder days. Returns the number of candidates reminded."""
    from pingdingshan.core.models import Role, RoleAssignment

    from .. import notices_selection as notices

    on = on or today()
    due = list(probation_due(on=on).filter(reminded_on__isnull=True))
    if not due:
        return 0
    staff = None
    for c in due:
        users = [c.appointed_by] if c.appointed_by_id else None
        if users is None:
            if staff is None:
                staff = [ra.user for ra in RoleAssignment.objects.filter(role=Role.ORG_STAFF, user__is_active=True)
                         .select_related("user")]
            users = staff
        for user in users:
            notify(user=user, kind=notices.PROBATION_DUE, url=selection_url(c.selection),
                   params={"cadre": c.cadre.name, "date": c.probation_end.isoformat(), "title": c.selection.title})
    for c in due:
        c.reminded_on = on
    bulk_update_audited(SelectionCandidate, due, ["reminded_on"], by=None)
    return len(due)


# --------------------------------------------------------------------------- stop, documents
@transaction.atomic
def selection_stop(*, by, selection: Selection, reason: str) -> Selection:
    _gate(by, selection)
    selection = _lock(selection)
    old, _new = _advance(selection, "stop")
    if not _text(reason):
        raise ValidationError({"reason": _("请填写终止理由。")})
    selection.stop_reason = _text(reason)
    model_save(selection, by=by)
    _log(selection, "stop", by, selection.stop_reason, old, selection.status)
    return selection


@transaction.atomic
def selection_document_add(*, by, selection: Selection, step: str, upload, title: str = "") -> SelectionDocument:
    """Attach a document to one step (the archive's checks: type from the content, at most 20 MB)."""
    _gate(by, selection)
    selection = _lock(selection)
    _advance(selection, "upload")
    problems = Problems()
    if step not in ORDER:
        problems.add("step", _("请选择材料所属环节。"))
    elif ORDER.index(step) > (ORDER.index(selection.status) if selection.status in ORDER else len(ORDER)):
        problems.add("step", _("“%(s)s”环节尚未开始。") % {"s": SelectionStatus(step).label})
    if len(_text(title)) > 100:
        problems.add("title", _("最多100个字。"))
    problems.raise_if_any()
    doc = SelectionDocument(selection=selection, step=step, title=_text(title), uploaded_by=by,
                            **archive.evidence_file(upload))
    doc.file.save(f"selections/{selection.pk}/{doc.original_name}", upload, save=False)
    try:
        return model_save(doc, by=by, validate=False)
    except BaseException:
        doc.file.storage.delete(doc.file.name)
        raise


@transaction.atomic
def selection_document_delete(*, by, document: SelectionDocument) -> None:
    """Delete a document while the record is open (not 已完成 nor 已终止): the row goes with its audit
    history, the step log names the file and its step, and the file leaves the storage once the
    transaction has committed (a rollback keeps it)."""
    selection = document.selection
    _gate(by, selection, "delete_document")
    selection = _lock(selection)
    _advance(selection, "delete_document")
    gate.ensure(by, "view", document)
    storage, path = document.file.storage, document.file.name
    label = document.title or document.original_name
    step = SelectionStatus(document.step).label if document.step in SelectionStatus.values else document.step
    model_delete(document, by=by)
    _log(selection, "delete_document", by, _("删除材料：%(n)s（%(s)s）") % {"n": label, "s": step})
    transaction.on_commit(lambda: storage.delete(path))


def selection_steps(selection) -> list:
    """The record's step log, oldest first (one query)."""
    return steps_of(StepSubject.SELECTION, selection)


__all__ = [
    "ACTION_LABELS", "NOTICE_WORKING_DAYS", "RECOMMENDATION_VALID_DAYS", "STEP_ACTIONS", "TRANSITIONS",
    "allowed_actions", "candidate_add", "candidate_remove", "decidable", "decision_passes", "eligibility",
    "file_defaults", "gate_action", "inspection_bars", "next_missing", "notice_period", "probation_applies",
    "probation_due", "probation_reminders", "promotion_blocks", "quota_review", "recommendation_valid",
    "selection_appoint", "selection_create", "selection_decide", "selection_document_add",
    "selection_document_delete", "selection_inspect", "selection_motion", "selection_notice",
    "selection_notice_result", "selection_post_add", "selection_post_remove", "selection_postpone",
    "selection_probation", "selection_recommend", "selection_shortlist", "selection_steps", "selection_stop",
    "selection_update", "top_candidates",
]
