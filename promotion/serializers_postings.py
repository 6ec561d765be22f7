"""REST serializers of frontline postings and programmes: they parse and render only;
``promotion/services/postings.py`` decides (the viewsets of ``promotion/api/postings.py`` call it)."""
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cadres.models import Cadre, Unit
from cadres.serializers import CadreRefSerializer, GatedPrimaryKeyRelatedField, UnitRefSerializer
from cadres.serializers_records import UserRefSerializer

from .models import Evaluation, FrontlinePosting, Programme, PromotionStep, StepSubject
from .models.postings import TEXT_MAX
from .services.postings import BUTTON_ACTIONS, POSTING_STEPS, posting_allowed_actions

POSTING_ACTION_CHOICES = sorted(set(BUTTON_ACTIONS) | set(POSTING_STEPS))


class ProgrammeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Programme
        fields = ["id", "name", "description", "is_active", "order"]
        extra_kwargs = {"name": {"validators": []}}  # the service's full_clean answers a duplicate in Chinese


class ProgrammeRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Programme
        fields = ["id", "name"]
        read_only_fields = fields


class PostingStepSerializer(serializers.ModelSerializer):
    by = UserRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = PromotionStep
        fields = ["id", "action", "from_status", "to_status", "reason", "by", "at"]
        read_only_fields = fields


class PostingListSerializer(serializers.ModelSerializer):
    cadre = CadreRefSerializer(read_only=True)
    unit = UnitRefSerializer(source="cadre.unit", read_only=True, help_text=_("干部现在的单位。"))
    programme = ProgrammeRefSerializer(read_only=True)
    host_unit = UnitRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = FrontlinePosting
        fields = ["id", "cadre", "unit", "programme", "host", "host_unit", "start_date", "end_date", "status",
                  "evaluation", "evaluated_on", "created_at"]
        read_only_fields = fields


class PostingDetailSerializer(PostingListSerializer):
    steps = serializers.SerializerMethodField(help_text=_("办理经过（最早的在前），每步的理由。"))
    allowed_actions = serializers.SerializerMethodField(help_text=_(
        "您现在可以对该一线历练执行的操作（按状态和您的权限）：approve、reject、close、withdraw、edit。"))
    proposed_by = UserRefSerializer(read_only=True, allow_null=True)
    approved_by = UserRefSerializer(read_only=True, allow_null=True)
    evaluated_by = UserRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = FrontlinePosting
        fields = PostingListSerializer.Meta.fields + [
            "tasks", "evaluation_remarks", "evaluated_by", "proposed_by", "approved_by", "approved_at", "steps",
            "allowed_actions"]
        read_only_fields = fields

    @extend_schema_field(PostingStepSerializer(many=True))
    def get_steps(self, obj):
        from .services.steps import steps_of

        return PostingStepSerializer(steps_of(StepSubject.POSTING, obj), many=True).data

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=POSTING_ACTION_CHOICES)))
    def get_allowed_actions(self, obj) -> list[str]:
        return sorted(posting_allowed_actions(obj, self.context["request"].user))


class PostingWriteSerializer(serializers.Serializer):
    """Propose a posting or edit a proposal (待审批)."""

    cadre = GatedPrimaryKeyRelatedField(queryset=Cadre.objects.all(), label=_("干部"),
                                        help_text=_("在职干部；单位领导只能为本单位干部提出。"))
    programme = serializers.PrimaryKeyRelatedField(queryset=Programme.objects.all(), label=_("项目"),
                                                   help_text=_("启用的实践练兵项目。"))
    host = serializers.CharField(max_length=100, allow_blank=True, label=_("派驻单位或任务"), help_text=_("必填。"))
    host_unit = GatedPrimaryKeyRelatedField(queryset=Unit.objects.all(), required=False, allow_null=True,
                                            default=None, label=_("派驻单位（在单位库中的）"))
    start_date = serializers.DateField(label=_("开始日期"))
    end_date = serializers.DateField(label=_("结束日期"), help_text=_("不早于开始日期；首尾两天都在期间内。"))
    tasks = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True, default="",
                                  label=_("承担任务"))


class PostingReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000, label=_("理由"))


class PostingRequiredReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000, label=_("理由"),
                                   help_text=_("必填。"))


class PostingCloseSerializer(serializers.Serializer):
    evaluation = serializers.ChoiceField(choices=Evaluation.choices, required=False, allow_blank=True, default="",
                                         label=_("期满评价"), help_text=_("必填：excellent、good、fair、poor。"))
    remarks = serializers.CharField(required=False, allow_blank=True, default="", max_length=TEXT_MAX,
                                    label=_("评价意见"))
    evaluated_on = serializers.DateField(required=False, allow_null=True, default=None, label=_("评价日期"),
                                         help_text=_("不填为今天；不能早于开始日期。"))
