"""REST serializers of warning cards, their reasons and the adjustments: they parse and render only;
``assessment/services/cards.py`` decides (the viewsets of ``assessment/api/cards.py`` call it)."""
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cadres.models import Appointment, Cadre, Post
from cadres.serializers import CadreRefSerializer, GatedPrimaryKeyRelatedField, UnitRefSerializer
from cadres.serializers_records import UserRefSerializer

from .models import Adjustment, AdjustmentKind, CardEvidence, CardReason, ConductStep, WarningCard
from .services.cards import BUTTON_ACTIONS, CARD_STEPS, adjustment_allowed_actions, card_allowed_actions

CARD_ACTION_CHOICES = sorted(set(BUTTON_ACTIONS) | set(CARD_STEPS))


class CardReasonSerializer(serializers.ModelSerializer):
    class Meta:
        model = CardReason
        fields = ["id", "name", "yellow_months", "red_months", "is_active", "order"]
        extra_kwargs = {"name": {"validators": []}}  # the service's full_clean answers a duplicate in Chinese


class CardReasonRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = CardReason
        fields = ["id", "name"]
        read_only_fields = fields


class ConductStepSerializer(serializers.ModelSerializer):
    by = UserRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = ConductStep
        fields = ["id", "action", "from_status", "to_status", "reason", "by", "at"]
        read_only_fields = fields


class CardEvidenceSerializer(serializers.ModelSerializer):
    uploaded_by = UserRefSerializer(read_only=True, allow_null=True)
    download_url = serializers.SerializerMethodField(help_text=_("下载地址（需登录且在权限范围内）。"))

    class Meta:
        model = CardEvidence
        fields = ["id", "card", "original_name", "content_type", "size", "sha256", "uploaded_by", "uploaded_at",
                  "download_url"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField())
    def get_download_url(self, obj) -> str:
        return reverse("assessment:card_evidence_download", args=[obj.pk])


class CardListSerializer(serializers.ModelSerializer):
    cadre = CadreRefSerializer(read_only=True)
    unit = UnitRefSerializer(read_only=True)
    reason = CardReasonRefSerializer(read_only=True)

    class Meta:
        model = WarningCard
        fields = ["id", "color", "cadre", "unit", "reason", "issuing_body", "start_date", "end_date", "status",
                  "lifted_on", "created_at", "updated_at"]
        read_only_fields = fields


class CardDetailSerializer(CardListSerializer):
    steps = serializers.SerializerMethodField(help_text=_("办理经过（最早的在前），每步的理由。"))
    evidence = CardEvidenceSerializer(many=True, read_only=True)
    adjustment = serializers.SerializerMethodField(help_text=_("红牌的组织调整编号（没有时为 null）。"))
    allowed_actions = serializers.SerializerMethodField(help_text=_(
        "您现在可以对该红黄牌执行的操作（按状态和您的权限）：issue、appeal、uphold、revoke、lift、edit、upload。"))

    class Meta:
        model = WarningCard
        fields = CardListSerializer.Meta.fields + ["facts", "basis", "appeal_text", "appealed_at", "proposal",
                                                   "steps", "evidence", "adjustment", "allowed_actions"]
        read_only_fields = fields

    @extend_schema_field(ConductStepSerializer(many=True))
    def get_steps(self, obj):
        from .services.conduct import steps_of

        return ConductStepSerializer(steps_of("card", obj), many=True).data

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_adjustment(self, obj):
        return Adjustment.objects.filter(card=obj).values_list("pk", flat=True).first()

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=CARD_ACTION_CHOICES)))
    def get_allowed_actions(self, obj) -> list[str]:
        return sorted(card_allowed_actions(obj, self.context["request"].user))


class CardWriteSerializer(serializers.ModelSerializer):
    """Draft a card (拟发) or edit a draft. ``end_date`` left out: the reason's term for the colour."""

    cadre = GatedPrimaryKeyRelatedField(queryset=Cadre.objects.all(), label=_("干部"))
    reason = serializers.PrimaryKeyRelatedField(queryset=CardReason.objects.all(), label=_("事由类别"))
    end_date = serializers.DateField(required=False, allow_null=True, label=_("期满日期"))

    class Meta:
        model = WarningCard
        fields = ["cadre", "color", "reason", "facts", "basis", "issuing_body", "start_date", "end_date"]
        extra_kwargs = {"basis": {"required": False}}

    def to_representation(self, instance):
        return CardDetailSerializer(instance, context=self.context).data


class CardReasonStepSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000, label=_("理由"),
                                   help_text=_("必填。"))


class CardLiftSerializer(CardReasonStepSerializer):
    lifted_on = serializers.DateField(required=False, allow_null=True, default=None, label=_("解除日期"),
                                      help_text=_("不填为今天；须在红黄牌期限内。"))


class CardAppealSerializer(serializers.Serializer):
    grounds = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000,
                                    label=_("申诉理由"), help_text=_("必填。"))


class CardEvidenceUploadSerializer(serializers.Serializer):
    file = serializers.FileField(label=_("文件"),
                                 help_text=_("PDF、JPEG、PNG、Word 或 Excel 文件，不超过20MB；类型按文件内容判断。"))


# --------------------------------------------------------------------------- adjustments
class AppointmentRefSerializer(serializers.ModelSerializer):
    post = serializers.CharField(source="post.name", read_only=True)
    unit = serializers.CharField(source="post.unit.name", read_only=True)

    class Meta:
        model = Appointment
        fields = ["id", "post", "unit", "start_date", "end_date"]
        read_only_fields = fields


class AdjustmentSerializer(serializers.ModelSerializer):
    cadre = CadreRefSerializer(read_only=True)
    ended_appointment = AppointmentRefSerializer(read_only=True, allow_null=True)
    new_appointment = AppointmentRefSerializer(read_only=True, allow_null=True)
    overdue = serializers.SerializerMethodField(help_text=_("待调整且已过应调整日期。"))
    allowed_actions = serializers.SerializerMethodField(help_text=_("您现在可以执行的操作：record。"))

    class Meta:
        model = Adjustment
        fields = ["id", "card", "cadre", "due_date", "status", "kind", "decided_on", "document_no", "note",
                  "ended_appointment", "new_appointment", "recorded_at", "overdue", "allowed_actions"]
        read_only_fields = fields

    @extend_schema_field(serializers.BooleanField())
    def get_overdue(self, obj) -> bool:
        from pingdingshan.core.dates import today

        return obj.status == "pending" and obj.due_date < today()

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=["record"])))
    def get_allowed_actions(self, obj) -> list[str]:
        return sorted(adjustment_allowed_actions(obj, self.context["request"].user))


class AdjustmentRecordSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AdjustmentKind.choices, label=_("调整方式"))
    decided_on = serializers.DateField(label=_("调整日期"), help_text=_("原职务任至前一天，新职务自当天起。"))
    end_appointment = GatedPrimaryKeyRelatedField(queryset=Appointment.objects.all(), required=False,
                                                  allow_null=True, default=None, label=_("免去的职务（任职编号）"))
    new_post = GatedPrimaryKeyRelatedField(queryset=Post.objects.all(), required=False, allow_null=True,
                                           default=None, label=_("新任职务（岗位编号）"))
    document_no = serializers.CharField(required=False, allow_blank=True, default="", max_length=60, label=_("文号"))
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000, label=_("说明"))
