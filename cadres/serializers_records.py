"""REST serializers of the performance archive (实绩档案): records, evidence, task categories and
notifications.

As in ``cadres/serializers.py`` they only parse and render: the workflow, the scope checks and the
points live in ``cadres/services/records.py``, which the viewsets of ``cadres/api/records.py`` call
with ``serializer.validated_data``. Write serializers never ``save()``; their ``to_representation``
renders the read shape (``RecordDetailSerializer``) so a write answers like a read.

The list shape (``RecordListSerializer``) reads only what the list queryset joins
(``select_related`` of cadre, unit, category, submitter) and annotates (``evidence_count``), so a
page of records costs the same number of queries whatever its size.
"""
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from pingdingshan.core.models import Notification

from .models import Cadre, Evidence, PerformanceRecord, RecordRole, TaskCategory
from .serializers import CadreRefSerializer, GatedPrimaryKeyRelatedField, UnitRefSerializer
from .services.records import BULK_VERIFY_MAX, STEPS, TRANSITIONS, allowed_actions

ACTION_CHOICES = sorted(TRANSITIONS | STEPS)


# --------------------------------------------------------------------------- small references
class UserRefSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(source="first_name", read_only=True, help_text=_("姓名"))

    class Meta:
        model = get_user_model()
        fields = ["id", "username", "full_name"]
        read_only_fields = fields
        ref_name = "UserRef"


class CategoryRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = TaskCategory
        fields = ["id", "name"]
        read_only_fields = fields


class RecordRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = PerformanceRecord
        fields = ["id", "title", "status", "start_date"]
        read_only_fields = fields


# --------------------------------------------------------------------------- task categories
class PointsByRoleSerializer(serializers.Serializer):
    """实绩分 of the category's rule for each role; null where no rule is configured."""

    lead = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True, read_only=True,
                                    label=RecordRole.LEAD.label)
    main = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True, read_only=True,
                                    label=RecordRole.MAIN.label)
    participant = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True, read_only=True,
                                           label=RecordRole.PARTICIPANT.label)


class TaskCategorySerializer(serializers.ModelSerializer):
    """A central task with the points its rules give per role (``points_rules`` prefetched)."""

    points = serializers.SerializerMethodField()

    class Meta:
        model = TaskCategory
        fields = ["id", "name", "description", "is_active", "requires_evidence", "order", "points"]
        read_only_fields = fields

    @extend_schema_field(PointsByRoleSerializer)
    def get_points(self, obj):
        rules = {r.role: r.points for r in obj.points_rules.all()}
        return PointsByRoleSerializer({role: rules.get(role) for role in RecordRole.values}).data


# --------------------------------------------------------------------------- evidence
class EvidenceSerializer(serializers.ModelSerializer):
    """An evidence file's description; the content is at ``download_url`` (gated)."""

    uploaded_by = UserRefSerializer(read_only=True, allow_null=True)
    previewable = serializers.BooleanField(read_only=True, help_text=_("图片和PDF可在页面中预览。"))
    download_url = serializers.SerializerMethodField(help_text=_("下载地址（需登录且在权限范围内）。"))

    class Meta:
        model = Evidence
        fields = ["id", "record", "original_name", "content_type", "size", "sha256", "uploaded_by", "uploaded_at",
                  "previewable", "download_url"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField())
    def get_download_url(self, obj) -> str:
        return reverse("evidence-download", args=[obj.pk])


class EvidenceUploadSerializer(serializers.Serializer):
    file = serializers.FileField(label=_("文件"), help_text=_(
        "PDF、JPEG、PNG、Word 或 Excel 文件，不超过20MB；类型按文件内容判断。"))


# --------------------------------------------------------------------------- records: reading
class RecordListSerializer(serializers.ModelSerializer):
    """A row of the record list: light, fed by select_related and the ``evidence_count`` annotation."""

    cadre = CadreRefSerializer(read_only=True)
    unit = UnitRefSerializer(read_only=True)
    category = CategoryRefSerializer(read_only=True)
    submitted_by = UserRefSerializer(read_only=True, allow_null=True)
    is_current = serializers.BooleanField(read_only=True, help_text=_("已核实且未被更正记录取代。"))
    evidence_count = serializers.SerializerMethodField(help_text=_("佐证材料数量"))

    class Meta:
        model = PerformanceRecord
        fields = ["id", "cadre", "unit", "category", "title", "role", "start_date", "end_date", "quantity",
                  "quantity_unit", "status", "return_reason", "points", "amends", "superseded_by", "is_current",
                  "evidence_count", "submitted_by", "submitted_at", "reviewed_at", "created_at", "updated_at"]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField())
    def get_evidence_count(self, obj) -> int:
        count = getattr(obj, "evidence_count", None)
        if count is None:
            prefetched = getattr(obj, "_prefetched_objects_cache", {}).get("evidence")
            count = len(prefetched) if prefetched is not None else obj.evidence.count()
        return count


class RecordDetailSerializer(RecordListSerializer):
    """Every field of a record, its evidence files and the records it may duplicate (flagged for the
    verifier, never blocked)."""

    created_by = UserRefSerializer(read_only=True, allow_null=True)
    reviewed_by = UserRefSerializer(read_only=True, allow_null=True)
    evidence = EvidenceSerializer(many=True, read_only=True)
    possible_duplicates = serializers.SerializerMethodField(help_text=_(
        "同一干部、同一类别、日期相近且标题相似的其他记录（供核实时参考）。"))
    points_explanation = serializers.CharField(source="points_text", read_only=True,
                                               help_text=_("计分说明，使用请求的语言（Accept-Language）"))
    allowed_actions = serializers.SerializerMethodField(help_text=_(
        "您现在可以对该记录执行的操作（按记录状态和您的权限）：submit、withdraw、verify、return、edit、upload、"
        "delete、amend。"))

    class Meta:
        model = PerformanceRecord
        fields = RecordListSerializer.Meta.fields + [
            "description", "base_points", "adjustment", "adjustment_reason", "points_explanation", "created_by",
            "reviewed_by", "evidence", "possible_duplicates", "allowed_actions"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=ACTION_CHOICES)))
    def get_allowed_actions(self, obj) -> list[str]:
        """Read from the workflow table, as the record page's buttons are."""
        return sorted(allowed_actions(obj, self.context["request"].user))

    @extend_schema_field(RecordRefSerializer(many=True))
    def get_possible_duplicates(self, obj):
        from .selectors import possible_duplicates

        user = self.context["request"].user
        return RecordRefSerializer(possible_duplicates(user=user, records=[obj]).get(obj.pk, []), many=True).data


# --------------------------------------------------------------------------- records: writing
class RecordAmendSerializer(serializers.ModelSerializer):
    """The fields to correct in an amendment; the others are copied from the verified record."""

    category = serializers.PrimaryKeyRelatedField(queryset=TaskCategory.objects.all(), required=False,
                                                  label=_("中心工作类别"))

    class Meta:
        model = PerformanceRecord
        fields = ["category", "title", "description", "role", "start_date", "end_date", "quantity", "quantity_unit"]
        extra_kwargs = {f: {"required": False} for f in fields}

    def to_representation(self, instance):
        return RecordDetailSerializer(instance, context=self.context).data


class RecordUpdateSerializer(RecordAmendSerializer):
    """Edit a draft or returned record. ``cadre`` is a cadre id inside your scope; the unit is taken
    from the cadre's current post."""

    cadre = GatedPrimaryKeyRelatedField(queryset=Cadre.objects.all(), label=_("干部"))
    category = serializers.PrimaryKeyRelatedField(queryset=TaskCategory.objects.all(), label=_("中心工作类别"))

    class Meta:
        model = PerformanceRecord
        fields = ["cadre", "category", "title", "description", "role", "start_date", "end_date", "quantity",
                  "quantity_unit"]


class RecordCreateSerializer(RecordUpdateSerializer):
    """Draft a record; ``submit: true`` submits it at once."""

    submit = serializers.BooleanField(required=False, default=False, write_only=True, label=_("保存后立即提交"))

    class Meta(RecordUpdateSerializer.Meta):
        fields = RecordUpdateSerializer.Meta.fields + ["submit"]


class RecordVerifySerializer(serializers.Serializer):
    adjustment = serializers.DecimalField(max_digits=6, decimal_places=2, required=False, default=0,
                                          label=_("调整分"), help_text=_("在规则分之外的人工调整（可为负）；非零时须填写理由。"))
    adjustment_reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="",
                                              label=_("调整理由"))


class RecordReturnSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", label=_("退回原因"),
                                   help_text=_("必填：告诉填报人需要补充或修改什么。"))


class BulkVerifySerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1), allow_empty=False,
                                max_length=BULK_VERIFY_MAX, label=_("记录编号"))


class BulkVerifyResultSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text=_("核实的记录数"))
    ids = serializers.ListField(child=serializers.IntegerField(), help_text=_("核实的记录编号"))


# --------------------------------------------------------------------------- notifications
class NotificationSerializer(serializers.ModelSerializer):
    message = serializers.CharField(source="text", read_only=True,
                                    help_text=_("通知内容，使用请求的语言（Accept-Language）"))
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "params", "message", "url", "created_at", "read_at", "is_read"]
        read_only_fields = fields

    @extend_schema_field(serializers.BooleanField())
    def get_is_read(self, obj) -> bool:
        return obj.read_at is not None


class NotificationReadSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False,
                                label=_("通知编号"), help_text=_("不填则将您的全部通知标为已读。"))


class NotificationReadResultSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text=_("本次标为已读的通知数"))
    unread = serializers.IntegerField(help_text=_("仍未读的通知数"))
