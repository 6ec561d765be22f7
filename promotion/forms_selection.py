"""Forms of the selection record (选任纪实): the record, its posts and candidates, one form per step
and the documents. They only parse input: ``promotion/services/selection.py`` decides, and its
ValidationError goes back next to the fields. A step's per-candidate fields are named
``c<candidate id>_<field>`` and a post's ``p<post row id>_<field>``, as the service names its
problems, so every message lands at its field; ``groups`` tells the template how to lay them out."""
import datetime as dt

from django import forms
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from cadres.forms_records import (
    CADRE_SELECT_LIMIT,
    EVIDENCE_ACCEPT,
    EVIDENCE_HELP,
    MultipleFileField,
    MultipleFileInput,
    cadre_label,
)
from cadres.models import Appointment, Cadre, CadreStatus, Post, Rank, Unit
from pingdingshan.core import permissions as gate
from pingdingshan.core.dates import today
from pingdingshan.core.forms import BootstrapMixin, UnitChoiceField, apply_errors

from .models import (
    FileItem,
    Matters,
    ProbationOutcome,
    RecommendationMethod,
    Selection,
    SelectionKind,
    SelectionPost,
    SelectionStatus,
)
from .services import selection as svc


def _style(form, names):
    """Bootstrap classes on fields added after ``BootstrapMixin`` styled the declared ones."""
    for name in names:
        w = form.fields[name].widget
        if isinstance(w, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(w, forms.CheckboxSelectMultiple):
            continue
        elif isinstance(w, forms.Select | forms.SelectMultiple):
            css = "form-select"
        else:
            css = "form-control"
        w.attrs["class"] = (w.attrs.get("class", "") + " " + css).strip()
        if isinstance(w, forms.DateInput):
            w.input_type, w.format = "date", "%Y-%m-%d"


def _text(label, *, required=False, max_length=5000, rows=None, **kw):
    widget = forms.Textarea(attrs={"rows": rows}) if rows else None
    return forms.CharField(label=label, required=required, max_length=max_length, widget=widget, **kw)


def _count(label, *, required=True, initial=None):
    return forms.IntegerField(label=label, required=required, min_value=0, max_value=1_000_000, initial=initial)


def _date(label, *, required=True, **kw):
    return forms.DateField(label=label, required=required, widget=forms.DateInput, **kw)


YES_NO = [("", _("请选择")), ("1", _("是")), ("0", _("否"))]


def _yes_no(value):
    return {"1": True, "0": False}.get(value)


class PostChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _t("%(u)s · %(p)s（职数%(q)d）") % {"u": obj.unit.name, "p": obj.name, "q": obj.quota}


class StepForm(BootstrapMixin, forms.Form):
    """A step's form: the declared fields of the step, then ``build()`` adds the per-candidate or
    per-post fields and their ``groups`` [(title, note, [field names])]."""

    action = ""

    def __init__(self, *args, selection: Selection, user, **kwargs):
        self.selection, self.user = selection, user
        super().__init__(*args, **kwargs)
        self.groups: list[tuple[str, str, list[str]]] = []
        before = set(self.fields)
        self.build()
        added = [n for n in self.fields if n not in before]
        _style(self, added)
        for name in added:  # the service names what is missing, with every other problem, at the field
            field = self.fields[name]
            field.shown_required, field.required = field.required, False

    def build(self):
        pass

    def add(self, name, field, initial=None):
        self.fields[name] = field
        if initial is not None:
            self.initial.setdefault(name, initial)
        return name

    def main_fields(self):
        grouped = {n for _g, _n, names in self.groups for n in names}
        return [self[n] for n in self.fields if n not in grouped]

    def grouped(self):
        return [(title, note, [self[n] for n in names]) for title, note, names in self.groups]

    def rows(self, prefix_field_pairs):
        return {int(pk): data for pk, data in prefix_field_pairs.items()}

    def per(self, objs, key, fields, convert=None):
        """{obj id: {field: cleaned value}} of the per-object fields."""
        out = {}
        for obj in objs:
            data = {}
            for f in fields:
                value = self.cleaned_data.get(f"{key}{obj.pk}_{f}")
                data[f] = convert(f, value) if convert else value
            out[obj.pk] = data
        return out

    def apply_errors(self, error):
        apply_errors(self, error)

    def call(self, *, by):  # pragma: no cover - each step defines it
        raise NotImplementedError


def _candidate_title(c) -> str:
    return f"{c.cadre.name}（{c.cadre.unit.name if c.cadre.unit_id else ''}）→ {c.target.post.name}"


def _cands(selection, **filters):
    return list(selection.candidates.filter(**filters).select_related("cadre", "cadre__unit", "target__post")
                .order_by("order", "id"))


# --------------------------------------------------------------------------- the record, posts, candidates
class PostFieldsMixin(forms.Form):
    vacancy_reason = forms.CharField(label=_("空缺原因"), max_length=200, required=False)
    requirements = _text(_("任职条件和岗位要求"), rows=2)
    direction = forms.CharField(label=_("配备方向"), max_length=200, required=False,
                                help_text=_("如：熟悉经济工作的年轻干部、女干部。"))
    planned = forms.IntegerField(label=_("拟配人数"), min_value=1, max_value=50, initial=1)
    elected = forms.BooleanField(label=_("选任制职务（不实行试用期）"), required=False)

    POST_FIELDS = ("vacancy_reason", "requirements", "direction", "planned", "elected")

    def post_data(self) -> dict:
        data = {f: self.cleaned_data.get(f) for f in self.POST_FIELDS}
        for f in ("vacancy_reason", "requirements", "direction"):
            data[f] = data[f] or ""
        return data


class SelectionForm(gate.GatedFormMixin, BootstrapMixin, PostFieldsMixin):
    title = forms.CharField(label=_("名称"), max_length=100, help_text=_("如：宝丰县城关镇党委副书记人选。"))
    kind = forms.ChoiceField(label=_("类型"), choices=SelectionKind.choices)
    unit = UnitChoiceField(queryset=Unit.objects.order_by("path"), label=_("单位"), empty_label=_("请选择单位"),
                           help_text=_("拟任职务所在单位或班子所在单位。"))
    post = PostChoiceField(queryset=Post.objects.select_related("unit").order_by("unit__path", "-level", "order"),
                           label=_("拟任职务"), empty_label=_("请选择职务"))
    analysis = _text(_("分析研判情况"), rows=3)
    # The first candidate, when the record is started from a cadre's page (选拔任用): a hidden field.
    cadre = forms.ModelChoiceField(queryset=Cadre.objects.filter(status=CadreStatus.ACTIVE), required=False,
                                   widget=forms.HiddenInput, label=_("人选"),
                                   error_messages={"invalid_choice": _("该干部不存在，或不在您的权限范围内。")})
    field_order = ["title", "kind", "unit", "post", "vacancy_reason", "requirements", "direction", "planned",
                   "elected", "analysis"]

    def call(self, *, by):
        d = self.cleaned_data
        return svc.selection_create(by=by, kind=d["kind"], title=d["title"], unit=d["unit"], post=d["post"],
                                    analysis=d.get("analysis") or "", candidates=[d["cadre"]] if d.get("cadre") else (),
                                    **self.post_data())


class SelectionEditForm(BootstrapMixin, forms.Form):
    """The record's title, kind and analysis, while at 分析研判和动议."""

    title = forms.CharField(label=_("名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类型"), choices=SelectionKind.choices)
    analysis = _text(_("分析研判情况"), rows=4)

    def __init__(self, *args, selection, **kwargs):
        kwargs.setdefault("initial", {"title": selection.title, "kind": selection.kind, "analysis": selection.analysis})
        super().__init__(*args, **kwargs)
        self.selection = selection

    def call(self, *, by):
        d = self.cleaned_data
        return svc.selection_update(by=by, selection=self.selection, title=d["title"], kind=d["kind"],
                                    analysis=d.get("analysis") or "")


class PostAddForm(BootstrapMixin, PostFieldsMixin):
    post = PostChoiceField(queryset=Post.objects.none(), label=_("拟任职务"), empty_label=_("请选择职务"))
    field_order = ["post"]

    def __init__(self, *args, selection, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.selection = selection
        self.fields["post"].queryset = (Post.objects.restrict(user, "view")
                                        .filter(unit__path__startswith=selection.unit.path)
                                        .exclude(pk__in=selection.posts.values("post_id"))
                                        .select_related("unit").order_by("unit__path", "-level", "order"))

    def call(self, *, by):
        return svc.selection_post_add(by=by, selection=self.selection, post=self.cleaned_data["post"],
                                      **self.post_data())


class CandidateForm(BootstrapMixin, forms.Form):
    """Add a candidate: a select of the active cadres the user sees (filled by the archive's cadre
    search when the scope is large), and the post meant for them."""

    cadre_q = forms.CharField(label=_("查找干部"), required=False, max_length=40)
    cadre = forms.ModelChoiceField(queryset=Cadre.objects.none(), label=_("干部"), empty_label=_("请选择干部"))
    target = forms.ModelChoiceField(queryset=SelectionPost.objects.none(), label=_("拟任职务"), empty_label=None)

    def __init__(self, *args, selection, user, search_url="", **kwargs):
        super().__init__(*args, **kwargs)
        self.selection = selection
        field = self.fields["cadre"]
        field.queryset = (Cadre.objects.restrict(user, "view").filter(status=CadreStatus.ACTIVE)
                          .exclude(pk__in=selection.candidates.values("cadre_id")).select_related("unit")
                          .order_by("unit__path", "name_initials", "id"))
        field.label_from_instance = cadre_label
        self.fields["target"].queryset = selection.posts.select_related("post").order_by("order", "id")
        self.fields["target"].label_from_instance = lambda r: r.post.name
        self.search_mode = len(field.queryset.order_by().values_list("pk", flat=True)[:CADRE_SELECT_LIMIT + 1]) \
            > CADRE_SELECT_LIMIT
        if not self.search_mode:
            del self.fields["cadre_q"]
            return
        chosen = self.data.get("cadre") if self.is_bound else None
        options = [("", field.empty_label)]
        try:
            found = field.queryset.filter(pk=int(chosen)).first() if chosen else None
        except (TypeError, ValueError):
            found = None
        if found is not None:
            options.append((found.pk, cadre_label(found)))
        field.widget.choices = options
        self.fields["cadre_q"].widget.attrs.update({
            "hx-get": search_url, "hx-trigger": "input changed delay:300ms, search", "hx-target": "#id_cadre",
            "hx-swap": "innerHTML", "type": "search", "placeholder": _("姓名、拼音首字母或身份证号"),
            "autocomplete": "off"})

    def apply_errors(self, error):
        apply_errors(self, error)

    def call(self, *, by):
        return svc.candidate_add(by=by, selection=self.selection, cadre=self.cleaned_data["cadre"],
                                 target=self.cleaned_data["target"])


# --------------------------------------------------------------------------- the steps
class MotionForm(StepForm):
    action = "motion"
    motion_how = forms.CharField(label=_("动议方式"), max_length=100,
                                 help_text=_("如：县委书记专题会议、部务会议。"))
    motion_on = _date(_("动议日期"))
    analysis = _text(_("分析研判情况"), rows=3)

    def build(self):
        self.initial.setdefault("analysis", self.selection.analysis)
        self.initial.setdefault("motion_how", self.selection.motion_how)
        self.initial.setdefault("motion_on", self.selection.motion_on or today())
        rows = list(self.selection.posts.select_related("post", "post__unit").prefetch_related("ends"))
        review = {x["row"].pk: x for x in svc.quota_review(self.selection)}
        for r in rows:
            names = [self.add(svc.pkey(r, "planned"), forms.IntegerField(
                label=_("拟配人数"), min_value=1, max_value=50), r.planned)]
            field = forms.ModelMultipleChoiceField(
                queryset=Appointment.objects.filter(post=r.post_id, end_date__isnull=True).select_related("cadre"),
                required=False, label=_("拟免（本次将免去的现任职务）"), widget=forms.CheckboxSelectMultiple)
            field.label_from_instance = lambda a: _t("%(n)s（%(d)s 起）") % {"n": a.cadre.name,
                                                                            "d": a.start_date.isoformat()}
            names.append(self.add(svc.pkey(r, "ends"), field, [a.pk for a in r.ends.all()]))
            self.groups.append((str(r.post), review[r.pk]["sentence"] if r.pk in review else "", names))

    def call(self, *, by):
        d = self.cleaned_data
        posts = {}
        for r in self.selection.posts.all():
            posts[r.pk] = {"ends": list(d.get(svc.pkey(r, "ends")) or [])}
            if d.get(svc.pkey(r, "planned")) is not None:  # left empty: the post's 拟配 stays
                posts[r.pk]["planned"] = d[svc.pkey(r, "planned")]
        return svc.selection_motion(by=by, selection=self.selection, motion_how=d["motion_how"],
                                    motion_on=d["motion_on"], analysis=d.get("analysis") or "", posts=posts)


class RecommendForm(StepForm):
    action = "recommend"
    method = forms.ChoiceField(label=_("推荐方式"), choices=RecommendationMethod.choices)
    held_on = _date(_("推荐日期"))
    participants = forms.CharField(label=_("参加范围"), max_length=200, required=False,
                                   help_text=_("如：镇领导班子成员、中层正职、村（社区）党组织书记。"))
    expected = _count(_("应参加人数"))
    actual = _count(_("实参加人数"))
    note = _text(_("说明"), rows=2)
    FIELDS = ("votes", "abstain", "invalid")

    def build(self):
        self.initial.setdefault("held_on", today())
        self.cands = _cands(self.selection)
        for c in self.cands:
            names = [self.add(svc.ckey(c, "votes"), _count(_("推荐票"))),
                     self.add(svc.ckey(c, "abstain"), _count(_("弃权票"), required=False), 0),
                     self.add(svc.ckey(c, "invalid"), _count(_("无效票"), required=False), 0)]
            self.groups.append((_candidate_title(c), "", names))

    def call(self, *, by):
        d = self.cleaned_data
        ballots = self.per(self.cands, "c", self.FIELDS, lambda f, v: v if v is not None or f == "votes" else 0)
        return svc.selection_recommend(by=by, selection=self.selection, method=d["method"], held_on=d["held_on"],
                                       expected=d["expected"], actual=d["actual"], ballots=ballots,
                                       participants=d.get("participants") or "", note=d.get("note") or "")


class ShortlistForm(StepForm):
    action = "shortlist"
    shortlist_how = forms.CharField(label=_("研究确定方式"), max_length=100, help_text=_("如：县委组织部部务会。"))
    shortlist_on = _date(_("确定日期"))

    def build(self):
        self.initial.setdefault("shortlist_on", today())
        self.cands = _cands(self.selection)
        totals = svc._total_votes(self.selection)
        top = svc.top_candidates(self.selection, self.cands)
        for c in self.cands:
            names = [self.add(svc.ckey(c, "shortlisted"), forms.BooleanField(label=_("确定为考察对象"), required=False),
                              c.shortlisted),
                     self.add(svc.ckey(c, "reason"), _text(_("确定理由"), rows=2), c.shortlist_reason),
                     self.add(svc.ckey(c, "exceptional"), forms.BooleanField(
                         label=_("破格提拔"), required=False,
                         help_text=_("按破格提拔（含直接提任路径）审查：不得越两级、不得连续破格，须经上级组织部门同意。")),
                         c.exceptional),
                     self.add(svc.ckey(c, "exceptional_grounds"), _text(_("破格提拔理由"), rows=2),
                              c.exceptional_grounds)]
            note = _t("推荐票合计 %(n)d") % {"n": totals.get(c.pk, 0)} if c.pk in totals else _t("未经民主推荐")
            if c.pk in totals:
                note += _t("（得票靠前）") if c.pk in top else _t("（非得票靠前，须写明理由）")
            self.groups.append((_candidate_title(c), note, names))

    def call(self, *, by):
        d = self.cleaned_data
        return svc.selection_shortlist(by=by, selection=self.selection, shortlist_how=d["shortlist_how"],
                                       shortlist_on=d["shortlist_on"],
                                       choices=self.per(self.cands, "c", ("shortlisted", "reason", "exceptional",
                                                                          "exceptional_grounds")))


class InspectForm(StepForm):
    action = "inspect"
    team = forms.CharField(label=_("考察组"), max_length=200, help_text=_("组长和成员。"))
    start = _date(_("考察开始日期"))
    end = _date(_("考察结束日期"))
    talks = forms.IntegerField(label=_("个别谈话人数"), min_value=1, max_value=100000)
    report = _text(_("考察情况报告"), required=True, rows=3)
    FIELDS = svc.CANDIDATE_INSPECT_FIELDS

    def build(self):
        self.cands = _cands(self.selection, shortlisted=True)
        s = self.selection
        for key in ("team", "start", "end", "talks"):
            value = getattr(s, f"inspect_{key}")
            if value not in (None, ""):
                self.initial.setdefault(key, value)
        if s.inspect_report:
            self.initial.setdefault("report", s.inspect_report)
        for c in self.cands:
            k = lambda f, c=c: svc.ckey(c, f)  # noqa: E731
            names = [
                self.add(k("eval_excellent"), _count(_("测评优秀")), c.eval_excellent),
                self.add(k("eval_competent"), _count(_("测评称职")), c.eval_competent),
                self.add(k("eval_basic"), _count(_("测评基本称职")), c.eval_basic),
                self.add(k("eval_incompetent"), _count(_("测评不称职")), c.eval_incompetent),
                self.add(k("letter_no"), forms.CharField(label=_("纪委函询函号"), max_length=60), c.letter_no or None),
                self.add(k("letter_sent_on"), _date(_("函询日期")), c.letter_sent_on),
                self.add(k("letter_reply"), _text(_("纪委回复意见"), required=True, rows=2), c.letter_reply or None),
                self.add(k("letter_affects"), forms.ChoiceField(label=_("回复意见影响使用"), choices=YES_NO),
                         {True: "1", False: "0"}.get(c.letter_affects)),
                self.add(k("matters"), forms.ChoiceField(label=_("个人有关事项"),
                                                         choices=[("", _("请选择"))] + Matters.choices), c.matters or None),
                self.add(k("matters_handling"), _text(_("个人有关事项处理情况"), rows=2), c.matters_handling or None),
                self.add(k("inspect_report"), _text(_("考察材料"), required=True, rows=3), c.inspect_report or None),
            ]
            existing = {f.item: f for f in c.file_checks.all()}
            defaults = svc.file_defaults(c.cadre)
            for item in FileItem:
                fc = existing.get(item.value)
                names += [
                    self.add(k(f"f_{item.value}_recorded"), forms.CharField(
                        label=_t("%(i)s · 原记载") % {"i": item.label}, max_length=200, required=False),
                        fc.recorded if fc else defaults.get(item.value) or None),
                    self.add(k(f"f_{item.value}_verified"), forms.CharField(
                        label=_t("%(i)s · 审核认定") % {"i": item.label}, max_length=200),
                        fc.verified if fc else None),
                    self.add(k(f"f_{item.value}_note"), forms.CharField(
                        label=_t("%(i)s · 说明") % {"i": item.label}, max_length=500, required=False),
                        fc.note if fc else None),
                ]
            self.groups.append((_candidate_title(c), _t("测评、纪委函询、个人有关事项、档案审核（三龄两历一身份）"), names))

    def call(self, *, by):
        d = self.cleaned_data
        rows = {}
        for c in self.cands:
            data = {f: d.get(svc.ckey(c, f)) for f in self.FIELDS}
            data["letter_affects"] = _yes_no(data["letter_affects"])
            data["files"] = {item.value: {part: d.get(svc.ckey(c, f"f_{item.value}_{part}")) or ""
                                          for part in ("recorded", "verified", "note")} for item in FileItem}
            rows[c.pk] = data
        return svc.selection_inspect(by=by, selection=self.selection, team=d["team"], start=d["start"], end=d["end"],
                                     talks=d["talks"], report=d["report"], candidates=rows)


class MeetingFields(StepForm):
    meeting = forms.CharField(label=_("会议"), max_length=100, help_text=_("如：县委常委会第12次会议。"))
    held_on = _date(_("会议日期"))
    expected = forms.IntegerField(label=_("应到会成员"), min_value=1, max_value=200)
    present = forms.IntegerField(label=_("实到会成员"), min_value=0, max_value=200)


class DecideForm(MeetingFields):
    action = "decide"
    note = _text(_("说明"), rows=2)
    FIELDS = ("for", "against", "abstain")

    def build(self):
        self.initial.setdefault("held_on", today())
        self.cands = svc.decidable(self.selection)
        for c in self.cands:
            names = [self.add(svc.ckey(c, "for"), _count(_("同意"))),
                     self.add(svc.ckey(c, "against"), _count(_("不同意"), required=False), 0),
                     self.add(svc.ckey(c, "abstain"), _count(_("弃权"), required=False), 0)]
            if c.exceptional:
                names += [self.add(svc.ckey(c, "consent_body"), forms.CharField(
                              label=_("同意的上级组织部门"), max_length=100, required=False), c.consent_body),
                          self.add(svc.ckey(c, "consent_no"), forms.CharField(
                              label=_("上级组织部门同意文号"), max_length=60, required=False), c.consent_no),
                          self.add(svc.ckey(c, "consent_on"), _date(_("上级组织部门同意日期"), required=False),
                                   c.consent_on)]
            self.groups.append((_candidate_title(c), _t("超过应到会成员半数同意为通过（恰好半数不通过）。"), names))

    def call(self, *, by):
        d = self.cleaned_data
        votes = self.per(self.cands, "c", self.FIELDS, lambda f, v: v if v is not None or f == "for" else 0)
        for c in self.cands:
            if c.exceptional:
                votes[c.pk].update(self.per([c], "c", ("consent_body", "consent_no", "consent_on"))[c.pk])
        return svc.selection_decide(by=by, selection=self.selection, meeting=d["meeting"], held_on=d["held_on"],
                                    expected=d["expected"], present=d["present"], votes=votes,
                                    note=d.get("note") or "")


class PostponeForm(MeetingFields):
    action = "postpone"
    reason = _text(_("缓议理由"), required=True, rows=3)

    def call(self, *, by):
        d = self.cleaned_data
        return svc.selection_postpone(by=by, selection=self.selection, meeting=d["meeting"], held_on=d["held_on"],
                                      expected=d["expected"], present=d["present"], reason=d["reason"])


class NoticeForm(StepForm):
    action = "notice"
    start = _date(_("公示开始日期"))
    end = _date(_("公示结束日期"), help_text=_("不少于5个工作日（按国家法定节假日和调休安排计算，首尾两天都计入）。"))
    channel = forms.CharField(label=_("公示方式和范围"), max_length=200, required=False)
    text = _text(_("公示内容"), rows=4, help_text=_("破格提拔的，须写明其姓名和破格提拔理由。"))

    def build(self):
        self.initial.setdefault("start", today())

    def call(self, *, by):
        d = self.cleaned_data
        return svc.selection_notice(by=by, selection=self.selection, start=d["start"], end=d["end"],
                                    channel=d.get("channel") or "", text=d.get("text") or "")


class NoticeResultForm(StepForm):
    action = "notice_result"
    reports = _count(_("收到反映（件）"), initial=0)
    findings = _text(_("反映问题核查情况"), rows=3)

    def build(self):
        self.cands = svc.noticed(self.selection)
        for c in self.cands:
            names = [self.add(svc.ckey(c, "blocked"), forms.BooleanField(label=_("反映问题影响任职"), required=False)),
                     self.add(svc.ckey(c, "note"), _text(_("说明"), rows=2))]
            self.groups.append((_candidate_title(c), "", names))

    def call(self, *, by):
        d = self.cleaned_data
        return svc.selection_notice_result(by=by, selection=self.selection, reports=d["reports"],
                                           findings=d.get("findings") or "",
                                           blocked=self.per(self.cands, "c", ("blocked", "note")))


class AppointForm(StepForm):
    action = "appoint"
    FIELDS = ("start_date", "document_no", "talk_on", "talk_by", "rank", "end_current")

    def build(self):
        self.cands = svc.appointable(self.selection)
        first = self.selection.notice_end + dt.timedelta(days=1) if self.selection.notice_end else today()
        for c in self.cands:
            k = lambda f, c=c: svc.ckey(c, f)  # noqa: E731
            rank = forms.ModelChoiceField(queryset=Rank.objects.order_by("order"), required=False, label=_("新任职级"),
                                          empty_label=_("（不变）"))
            names = [self.add(k("start_date"), _date(_("任职日期")), first),
                     self.add(k("document_no"), forms.CharField(label=_("任职通知文号"), max_length=60)),
                     self.add(k("talk_on"), _date(_("任职谈话日期")), min(first, today())),
                     self.add(k("talk_by"), forms.CharField(label=_("谈话人"), max_length=100)),
                     self.add(k("rank"), rank),
                     self.add(k("end_current"), forms.BooleanField(label=_("同时免去现任其他职务"), required=False), True)]
            self.groups.append((_candidate_title(c), _t("职数在任职时按岗位再次核对。"), names))

    def call(self, *, by):
        return svc.selection_appoint(by=by, selection=self.selection,
                                     appointments=self.per(self.cands, "c", self.FIELDS))


class ProbationForm(StepForm):
    action = "probation"
    candidate = forms.ModelChoiceField(queryset=None, label=_("拟任人选"), empty_label=_("请选择"))
    outcome = forms.ChoiceField(label=_("试用期满结果"), choices=ProbationOutcome.choices, widget=forms.RadioSelect)
    decided_on = _date(_("转正或恢复日期"), help_text=_("试用期满后的日期。"))
    note = _text(_("试用期考核情况"), rows=3, help_text=_("恢复原职级时必填。"))
    return_post = PostChoiceField(queryset=Post.objects.none(), required=False, label=_("恢复后任职"),
                                  empty_label=_("（不另任职务）"), help_text=_("恢复原职级时，可选择按原职务层次安排的职务。"))

    def __init__(self, *args, selection, user, **kwargs):
        super().__init__(*args, selection=selection, user=user, **kwargs)
        self.fields["candidate"].queryset = (selection.candidates.filter(probation_end__isnull=False,
                                                                         probation_outcome="")
                                             .select_related("cadre").order_by("probation_end", "id"))
        self.fields["candidate"].label_from_instance = lambda c: _t("%(n)s（试用期至 %(d)s）") % {
            "n": c.cadre.name, "d": c.probation_end.isoformat()}
        self.fields["outcome"].widget.attrs["class"] = "form-check-input"
        self.fields["return_post"].queryset = (Post.objects.restrict(user, "view")
                                               .filter(unit__path__startswith=selection.unit.path[:8])
                                               .select_related("unit").order_by("unit__path", "-level", "order"))

    def call(self, *, by):
        d = self.cleaned_data
        return svc.selection_probation(by=by, selection=self.selection, candidate=d["candidate"], outcome=d["outcome"],
                                       decided_on=d["decided_on"], note=d.get("note") or "",
                                       return_post=d.get("return_post"))


class StopForm(StepForm):
    action = "stop"
    reason = _text(_("终止理由"), required=True, rows=3)

    def call(self, *, by):
        return svc.selection_stop(by=by, selection=self.selection, reason=self.cleaned_data["reason"])


STEP_FORMS = {f.action: f for f in (MotionForm, RecommendForm, ShortlistForm, InspectForm, DecideForm, PostponeForm,
                                    NoticeForm, NoticeResultForm, AppointForm, ProbationForm, StopForm)}


class DocumentForm(BootstrapMixin, forms.Form):
    step = forms.ChoiceField(label=_("环节"), choices=[])
    title = forms.CharField(label=_("材料名称"), max_length=100, required=False,
                            help_text=_("如：会议纪要、推荐票统计表、考察材料、函询回复、任职通知。"))
    files = MultipleFileField(label=_("文件"), required=True, help_text=EVIDENCE_HELP,
                              widget=MultipleFileInput(attrs={"accept": EVIDENCE_ACCEPT}))

    def __init__(self, *args, selection, **kwargs):
        super().__init__(*args, **kwargs)
        status = selection.status
        reached = svc.ORDER if status not in svc.ORDER else svc.ORDER[:svc.ORDER.index(status) + 1]
        self.fields["step"].choices = [(s, SelectionStatus(s).label) for s in reached]
        self.initial.setdefault("step", status if status in svc.ORDER else svc.ORDER[-1])
        self.fields["files"].error_messages["required"] = _("请选择要上传的文件。")

    def apply_errors(self, error):
        apply_errors(self, error, {"file": "files"})
