"""REST serializers of the selection record (选任纪实): they parse and render only;
``promotion/services/selection.py`` decides (the viewset of ``promotion/api/selection.py`` calls it).
Step bodies are lenient about what is missing so that the service names every problem at once, at
its field (a candidate's as ``c<candidate id>_<field>``, a post's as ``p<post row id>_<field>``)."""
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cadres.models import Cadre, Post, Rank, Unit
from cadres.serializers import CadreRefSerializer, GatedPrimaryKeyRelatedField, UnitRefSerializer
from cadres.serializers_records import UserRefSerializer

from .models import (
    Ballot,
    Decision,
    DecisionVote,
    FileCheck,
    FileItem,
    Matters,
    ProbationOutcome,
    PromotionStep,
    Recommendation,
    RecommendationMethod,
    Selection,
    SelectionCandidate,
    SelectionDocument,
    SelectionKind,
    SelectionPost,
    SelectionStatus,
)
from .services import selection as svc

ACTION_CHOICES = sorted(svc.TRANSITIONS)
ID_MAX = 2**31 - 1


class PostBriefSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Post
        fields = ["id", "name", "unit", "level", "quota", "is_chief"]
        read_only_fields = fields


class SelectionPostSerializer(serializers.ModelSerializer):
    post = PostBriefSerializer(read_only=True)
    ends = serializers.PrimaryKeyRelatedField(many=True, read_only=True, help_text=_("拟免的任职编号。"))
    review = serializers.JSONField(read_only=True, help_text=_(
        "动议时的职数预审：on（日期）、approved（核定）、held（现配）、ending（拟免）、planned（拟配）。"))

    class Meta:
        model = SelectionPost
        fields = ["id", "post", "vacancy_reason", "requirements", "direction", "planned", "elected", "ends", "review"]
        read_only_fields = fields


class FileCheckSerializer(serializers.ModelSerializer):
    class Meta:
        model = FileCheck
        fields = ["item", "recorded", "verified", "note"]
        read_only_fields = fields


class SelectionCandidateSerializer(serializers.ModelSerializer):
    cadre = CadreRefSerializer(read_only=True)
    target = serializers.PrimaryKeyRelatedField(read_only=True, help_text=_("拟任职务（本纪实的拟任职务编号）。"))
    file_checks = FileCheckSerializer(many=True, read_only=True)

    class Meta:
        model = SelectionCandidate
        fields = ["id", "cadre", "target", "shortlisted", "shortlist_reason", "eval_excellent", "eval_competent",
                  "eval_basic", "eval_incompetent", "letter_no", "letter_sent_on", "letter_reply", "letter_affects",
                  "matters", "matters_handling", "inspect_report", "file_checks", "passed", "notice_blocked",
                  "notice_note", "appointed_on", "document_no", "talk_on", "talk_by", "appointment", "new_rank",
                  "previous_rank", "is_promotion", "probation_end", "probation_outcome", "probation_decided_on",
                  "probation_note", "return_post", "exceptional", "exceptional_path", "exceptional_grounds",
                  "consent_body", "consent_no", "consent_on"]
        read_only_fields = fields


class BallotSerializer(serializers.ModelSerializer):
    class Meta:
        model = Ballot
        fields = ["candidate", "votes", "abstain", "invalid"]
        read_only_fields = fields


class RecommendationSerializer(serializers.ModelSerializer):
    ballots = BallotSerializer(many=True, read_only=True)
    recorded_by = UserRefSerializer(read_only=True, allow_null=True)
    turnout = serializers.FloatField(read_only=True, help_text=_("参加率（%）。"))
    valid_until = serializers.SerializerMethodField(help_text=_("有效期至（推荐后一年）。"))

    class Meta:
        model = Recommendation
        fields = ["id", "method", "held_on", "participants", "expected", "actual", "turnout", "valid_until", "note",
                  "ballots", "recorded_by", "recorded_at"]
        read_only_fields = fields

    @extend_schema_field(serializers.DateField())
    def get_valid_until(self, obj):
        return svc.recommendation_valid_until(obj.held_on)


class DecisionVoteSerializer(serializers.ModelSerializer):
    class Meta:
        model = DecisionVote
        fields = ["candidate", "votes_for", "votes_against", "votes_abstain", "passed"]
        read_only_fields = fields


class DecisionSerializer(serializers.ModelSerializer):
    votes = DecisionVoteSerializer(many=True, read_only=True)
    recorded_by = UserRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Decision
        fields = ["id", "meeting", "held_on", "expected", "present", "outcome", "note", "votes", "recorded_by",
                  "recorded_at"]
        read_only_fields = fields


class DocumentSerializer(serializers.ModelSerializer):
    uploaded_by = UserRefSerializer(read_only=True, allow_null=True)
    download_url = serializers.SerializerMethodField(help_text=_("下载地址（需登录且在权限范围内）。"))

    class Meta:
        model = SelectionDocument
        fields = ["id", "selection", "step", "title", "original_name", "content_type", "size", "sha256",
                  "uploaded_by", "uploaded_at", "download_url"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField())
    def get_download_url(self, obj) -> str:
        return reverse("promotion:selection_document_download", args=[obj.pk])


class StepLogSerializer(serializers.ModelSerializer):
    by = UserRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = PromotionStep
        fields = ["id", "action", "from_status", "to_status", "reason", "by", "at"]
        read_only_fields = fields


class SelectionListSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer(read_only=True)
    post_names = serializers.SerializerMethodField(help_text=_("拟任职务。"))
    candidate_names = serializers.SerializerMethodField(help_text=_("人选姓名。"))

    class Meta:
        model = Selection
        fields = ["id", "title", "kind", "unit", "status", "post_names", "candidate_names", "motion_on",
                  "notice_start", "notice_end", "created_at", "updated_at"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_post_names(self, obj):
        return [p.post.name for p in obj.posts.all()]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_candidate_names(self, obj):
        return [c.cadre.name for c in obj.candidates.all()]


class SelectionDetailSerializer(SelectionListSerializer):
    posts = SelectionPostSerializer(many=True, read_only=True)
    candidates = SelectionCandidateSerializer(many=True, read_only=True)
    recommendations = RecommendationSerializer(many=True, read_only=True)
    decisions = DecisionSerializer(many=True, read_only=True)
    documents = DocumentSerializer(many=True, read_only=True)
    steps = serializers.SerializerMethodField(help_text=_("办理经过（最早的在前）：操作、环节变化、理由、操作人、时间。"))
    missing = serializers.SerializerMethodField(help_text=_("下一环节还需要的内容。"))
    allowed_actions = serializers.SerializerMethodField(help_text=_("您现在可以执行的操作（按所处环节和您的权限）。"))

    class Meta:
        model = Selection
        fields = SelectionListSerializer.Meta.fields + [
            "analysis", "motion_how", "motion_on", "motion_at", "shortlist_how", "shortlist_on", "shortlist_at",
            "inspect_team", "inspect_start", "inspect_end", "inspect_talks", "inspect_report", "inspect_at",
            "notice_channel", "notice_text", "notice_at", "notice_reports", "notice_findings", "notice_result_at", "stop_reason",
            "posts", "candidates", "recommendations", "decisions", "documents", "steps", "missing",
            "allowed_actions"]
        read_only_fields = fields

    @extend_schema_field(StepLogSerializer(many=True))
    def get_steps(self, obj):
        return StepLogSerializer(svc.selection_steps(obj), many=True).data

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_missing(self, obj):
        return svc.next_missing(obj)

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=ACTION_CHOICES)))
    def get_allowed_actions(self, obj):
        return sorted(svc.allowed_actions(obj, self.context["request"].user))


# --------------------------------------------------------------------------- writes
class SelectionCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=100, label=_("名称"))
    kind = serializers.ChoiceField(choices=SelectionKind.choices, label=_("类型"))
    unit = GatedPrimaryKeyRelatedField(queryset=Unit.objects.all(), label=_("单位"))
    post = GatedPrimaryKeyRelatedField(queryset=Post.objects.select_related("unit"), label=_("拟任职务（岗位编号）"))
    analysis = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    vacancy_reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    requirements = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    direction = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    planned = serializers.IntegerField(required=False, default=1, min_value=1, max_value=50, label=_("拟配人数"))
    elected = serializers.BooleanField(required=False, default=False, label=_("选任制职务"))
    candidates = GatedPrimaryKeyRelatedField(queryset=Cadre.objects.all(), many=True, required=False, default=list,
                                             label=_("人选（干部编号）"))


class CandidateAddSerializer(serializers.Serializer):
    cadre = GatedPrimaryKeyRelatedField(queryset=Cadre.objects.all(), label=_("干部"))
    target = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1, max_value=ID_MAX,
                                      label=_("拟任职务（本纪实的拟任职务编号；只有一个时可不填）"))


def _int(**kw):
    return serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0, max_value=10_000_000,
                                    **kw)


def _date(**kw):
    return serializers.DateField(required=False, allow_null=True, default=None, **kw)


def _str(max_length=5000, **kw):
    return serializers.CharField(required=False, allow_blank=True, default="", max_length=max_length, **kw)


class MotionPostSerializer(serializers.Serializer):
    id = serializers.IntegerField(label=_("拟任职务编号"), min_value=1, max_value=ID_MAX)
    planned = serializers.IntegerField(required=False, min_value=1, max_value=50, label=_("拟配人数"))
    ends = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=ID_MAX), required=False,
                                 max_length=100, label=_("拟免的任职编号"))


class MotionSerializer(serializers.Serializer):
    motion_how = _str(100, label=_("动议方式"))
    motion_on = _date(label=_("动议日期"))
    analysis = serializers.CharField(required=False, allow_blank=True, allow_null=True, default=None, max_length=5000)
    posts = MotionPostSerializer(many=True, required=False, default=list)

    def service(self):
        d = dict(self.validated_data)
        d["posts"] = {p["id"]: {k: v for k, v in p.items() if k != "id"} for p in d["posts"]}
        return d


class BallotInSerializer(serializers.Serializer):
    candidate = serializers.IntegerField(label=_("人选编号"), min_value=1, max_value=ID_MAX)
    votes = _int(label=_("推荐票"))
    abstain = serializers.IntegerField(required=False, default=0, min_value=0, max_value=10_000_000)
    invalid = serializers.IntegerField(required=False, default=0, min_value=0, max_value=10_000_000)


class RecommendSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=RecommendationMethod.choices, label=_("推荐方式"))
    held_on = _date(label=_("推荐日期"))
    expected = _int(label=_("应参加人数"))
    actual = _int(label=_("实参加人数"))
    participants = _str(200)
    note = _str()
    ballots = BallotInSerializer(many=True, required=False, default=list)

    def service(self):
        d = dict(self.validated_data)
        d["ballots"] = {b["candidate"]: {k: v for k, v in b.items() if k != "candidate"} for b in d["ballots"]}
        return d


class ChoiceInSerializer(serializers.Serializer):
    candidate = serializers.IntegerField(label=_("人选编号"), min_value=1, max_value=ID_MAX)
    shortlisted = serializers.BooleanField(required=False, default=False)
    reason = _str(label=_("确定理由"))
    exceptional = serializers.BooleanField(required=False, default=False, label=_("破格提拔"))
    exceptional_grounds = _str(label=_("破格提拔理由"))


class ShortlistSerializer(serializers.Serializer):
    shortlist_how = _str(100, label=_("研究确定方式"))
    shortlist_on = _date(label=_("确定日期"))
    choices = ChoiceInSerializer(many=True, required=False, default=list)

    def service(self):
        d = dict(self.validated_data)
        d["choices"] = {c["candidate"]: {k: v for k, v in c.items() if k != "candidate"} for c in d["choices"]}
        return d


class FileCheckInSerializer(serializers.Serializer):
    item = serializers.ChoiceField(choices=FileItem.choices)
    recorded = _str(200)
    verified = _str(200)
    note = _str(500)


class InspectCandidateSerializer(serializers.Serializer):
    candidate = serializers.IntegerField(label=_("人选编号"), min_value=1, max_value=ID_MAX)
    eval_excellent = _int()
    eval_competent = _int()
    eval_basic = _int()
    eval_incompetent = _int()
    letter_no = _str(60)
    letter_sent_on = _date()
    letter_reply = _str()
    letter_affects = serializers.BooleanField(required=False, allow_null=True, default=None)
    matters = serializers.ChoiceField(choices=Matters.choices, required=False, allow_blank=True, default="")
    matters_handling = _str()
    inspect_report = _str()
    files = FileCheckInSerializer(many=True, required=False, default=list)


class InspectSerializer(serializers.Serializer):
    team = _str(200, label=_("考察组"))
    start = _date(label=_("考察开始日期"))
    end = _date(label=_("考察结束日期"))
    talks = _int(label=_("个别谈话人数"))
    report = _str(label=_("考察情况报告"))
    candidates = InspectCandidateSerializer(many=True, required=False, default=list)

    def service(self):
        d = dict(self.validated_data)
        rows = {}
        for c in d["candidates"]:
            c = dict(c)
            c["files"] = {f["item"]: {k: v for k, v in f.items() if k != "item"} for f in c["files"]}
            rows[c.pop("candidate")] = c
        d["candidates"] = rows
        return d


class VoteInSerializer(serializers.Serializer):
    candidate = serializers.IntegerField(label=_("人选编号"), min_value=1, max_value=ID_MAX)
    votes_for = _int(label=_("同意"))
    votes_against = serializers.IntegerField(required=False, default=0, min_value=0, max_value=10_000)
    votes_abstain = serializers.IntegerField(required=False, default=0, min_value=0, max_value=10_000)
    consent_body = _str(100, label=_("同意的上级组织部门"), help_text=_("破格提拔的人选须填写。"))
    consent_no = _str(60, label=_("上级组织部门同意文号"))
    consent_on = _date(label=_("上级组织部门同意日期"))


class MeetingSerializer(serializers.Serializer):
    meeting = _str(100, label=_("会议"))
    held_on = _date(label=_("会议日期"))
    expected = _int(label=_("应到会成员"))
    present = _int(label=_("实到会成员"))


class SelectionDecideSerializer(MeetingSerializer):
    note = _str()
    votes = VoteInSerializer(many=True, required=False, default=list)

    def service(self):
        d = dict(self.validated_data)
        d["votes"] = {v["candidate"]: {"for": v["votes_for"], "against": v["votes_against"],
                                       "abstain": v["votes_abstain"],
                                       **{f: v[f] for f in ("consent_body", "consent_no", "consent_on")
                                          if v.get(f) not in (None, "")}} for v in d["votes"]}
        return d


class PostponeSerializer(MeetingSerializer):
    reason = _str(label=_("缓议理由"))

    def service(self):
        return dict(self.validated_data)


class NoticeSerializer(serializers.Serializer):
    start = _date(label=_("公示开始日期"))
    end = _date(label=_("公示结束日期"), help_text=_("不少于5个工作日（按国家法定节假日和调休安排计算，首尾两天都计入）。"))
    channel = _str(200, label=_("公示方式和范围"))
    text = _str(label=_("公示内容"), help_text=_("破格提拔的，须写明其姓名和破格提拔理由。"))

    def service(self):
        return dict(self.validated_data)


class BlockedInSerializer(serializers.Serializer):
    candidate = serializers.IntegerField(label=_("人选编号"), min_value=1, max_value=ID_MAX)
    blocked = serializers.BooleanField(required=False, default=False, label=_("反映问题影响任职"))
    note = _str()


class NoticeResultSerializer(serializers.Serializer):
    reports = _int(label=_("收到反映（件）"))
    findings = _str(label=_("反映问题核查情况"))
    candidates = BlockedInSerializer(many=True, required=False, default=list)

    def service(self):
        d = dict(self.validated_data)
        d["blocked"] = {c["candidate"]: {"blocked": c["blocked"], "note": c["note"]} for c in d.pop("candidates")}
        return d


class AppointInSerializer(serializers.Serializer):
    candidate = serializers.IntegerField(label=_("人选编号"), min_value=1, max_value=ID_MAX)
    start_date = _date(label=_("任职日期"))
    document_no = _str(60, label=_("任职通知文号"))
    talk_on = _date(label=_("任职谈话日期"))
    talk_by = _str(100, label=_("谈话人"))
    rank = serializers.PrimaryKeyRelatedField(queryset=Rank.objects.all(), required=False, allow_null=True,
                                              default=None, label=_("新任职级"))
    end_current = serializers.BooleanField(required=False, default=False, label=_("同时免去现任其他职务"))


class AppointSerializer(serializers.Serializer):
    appointments = AppointInSerializer(many=True, required=False, default=list)

    def service(self):
        return {"appointments": {a["candidate"]: {k: v for k, v in a.items() if k != "candidate"}
                                 for a in self.validated_data["appointments"]}}


class ProbationSerializer(serializers.Serializer):
    candidate = serializers.IntegerField(label=_("人选编号"), min_value=1, max_value=ID_MAX)
    outcome = serializers.ChoiceField(choices=ProbationOutcome.choices, label=_("试用期满结果"))
    decided_on = _date(label=_("转正或恢复日期"))
    note = _str(label=_("试用期考核情况"))
    return_post = GatedPrimaryKeyRelatedField(queryset=Post.objects.all(), required=False, allow_null=True,
                                              default=None, label=_("恢复后任职（岗位编号）"))

    def service(self):
        return dict(self.validated_data)


class StopSerializer(serializers.Serializer):
    reason = _str(label=_("终止理由"), help_text=_("必填。"))

    def service(self):
        return dict(self.validated_data)


class DocumentUploadSerializer(serializers.Serializer):
    step = serializers.ChoiceField(choices=[(s, SelectionStatus(s).label) for s in svc.ORDER], label=_("环节"))
    title = _str(100, label=_("材料名称"))
    file = serializers.FileField(label=_("文件"),
                                 help_text=_("PDF、JPEG、PNG、Word 或 Excel 文件，不超过20MB；类型按文件内容判断。"))

