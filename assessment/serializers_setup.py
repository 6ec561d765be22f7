"""Serializers of the assessment set-up API: tiers, categories, indicator schemes, periods, rater
groups and scores. Writes are validated by the services (one set of rules for pages, API and
imports); these only shape the data."""
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cadres.models import UnitKind

from . import scoring
from .models import AssessmentPeriod, Category, Indicator, IndicatorScheme, RaterGroup, Score, Tier

UNIT_KINDS = serializers.ListField(child=serializers.ChoiceField(choices=UnitKind.choices), required=False,
                                   help_text=_("单位类型代码列表；空为不限。"))


class TierSerializer(serializers.ModelSerializer):
    unit_kinds = serializers.ListField(child=serializers.ChoiceField(choices=UnitKind.choices), required=False)

    class Meta:
        model = Tier
        fields = ["id", "name", "post_class", "unit_kinds", "order", "is_active"]


class CategorySerializer(serializers.ModelSerializer):
    unit_kinds = serializers.ListField(child=serializers.ChoiceField(choices=UnitKind.choices), required=False)

    class Meta:
        model = Category
        fields = ["id", "name", "unit_kinds", "order", "is_active"]


class IndicatorSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(required=False, help_text=_("修改已有指标时填写；不填为新增。"))
    method = serializers.ChoiceField(choices=scoring.method_choices())
    params = serializers.DictField(required=False, help_text=_("计分参数，如 archive_points 的 full_points。"))

    class Meta:
        model = Indicator
        fields = ["id", "order", "dimension", "name", "description", "weight", "method", "params", "is_veto",
                  "veto_threshold"]
        extra_kwargs = {"weight": {"coerce_to_string": True}, "order": {"required": False}}


class SchemeSerializer(serializers.ModelSerializer):
    tier_name = serializers.CharField(source="tier.name", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)
    indicators = IndicatorSerializer(many=True, read_only=True)
    display_name = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = IndicatorScheme
        fields = ["id", "tier", "tier_name", "category", "category_name", "year", "version", "name", "display_name",
                  "note", "status", "based_on", "published_at", "indicators"]
        read_only_fields = fields


class SchemeWriteSerializer(serializers.Serializer):
    """Create (tier, category, year required) or save a draft as a whole."""

    tier = serializers.PrimaryKeyRelatedField(queryset=Tier.objects.all(), required=False)
    category = serializers.PrimaryKeyRelatedField(queryset=Category.objects.all(), required=False)
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)
    name = serializers.CharField(max_length=120, required=False, allow_blank=True)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)
    indicators = IndicatorSerializer(many=True, help_text=_("完整的指标列表：未列出的已有指标将被删除。权重之和须为100。"))


class SchemeCopySerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)


class RaterGroupSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(required=False)
    weights = serializers.DictField(child=serializers.DecimalField(max_digits=5, decimal_places=2),
                                    help_text=_("{层级编号: 权重}；每个层级各评价主体的权重之和须为100。"))

    class Meta:
        model = RaterGroup
        fields = ["id", "name", "order", "weights"]
        extra_kwargs = {"order": {"required": False}}


class RaterGroupReadSerializer(serializers.ModelSerializer):
    weights = serializers.SerializerMethodField(help_text=_("{层级编号: 权重}"))

    class Meta:
        model = RaterGroup
        fields = ["id", "name", "order", "weights"]

    def get_weights(self, obj) -> dict[str, str]:
        return {str(w.tier_id): str(w.weight) for w in obj.weights.all()}


class RaterGroupsWriteSerializer(serializers.Serializer):
    groups = RaterGroupSerializer(many=True)


class PeriodSerializer(serializers.ModelSerializer):
    rater_groups = RaterGroupReadSerializer(many=True, read_only=True)
    results_count = serializers.IntegerField(read_only=True)
    results_stale = serializers.BooleanField(read_only=True)

    class Meta:
        model = AssessmentPeriod
        fields = ["id", "name", "kind", "year", "task_name", "start_date", "end_date", "status", "schemes",
                  "previous", "excellent_share", "excellent_min", "competent_min", "basic_min", "rater_groups",
                  "results_count", "results_stale", "computed_at", "published_at"]
        read_only_fields = ["status", "schemes", "computed_at", "published_at"]


class PeriodWriteSerializer(serializers.ModelSerializer):
    class Meta:
        model = AssessmentPeriod
        fields = ["name", "kind", "year", "task_name", "start_date", "end_date", "previous", "excellent_share",
                  "excellent_min", "competent_min", "basic_min"]
        # Uniqueness and the rules are checked by the service, which answers in Chinese.
        extra_kwargs = {"name": {"validators": []}}


class PeriodSchemesSerializer(serializers.Serializer):
    schemes = serializers.PrimaryKeyRelatedField(queryset=IndicatorScheme.objects.all(), many=True)


class PublishSerializer(serializers.Serializer):
    confirm = serializers.BooleanField(help_text=_("须为 true：发布后结果锁定，并对单位领导可见。"))


class EnrolResultSerializer(serializers.Serializer):
    added = serializers.IntegerField()
    total = serializers.IntegerField()
    skipped = serializers.DictField(child=serializers.IntegerField(), help_text=_("{未纳入的原因: 人数}"))


class ComputeResultSerializer(serializers.Serializer):
    results = serializers.IntegerField()
    graded = serializers.IntegerField()
    incomplete = serializers.IntegerField(required=False)
    vetoed = serializers.IntegerField(required=False)
    overridden = serializers.IntegerField(required=False)
    seconds = serializers.FloatField()


class ScoreSerializer(serializers.ModelSerializer):
    cadre = serializers.IntegerField(source="result.cadre_id", read_only=True)

    class Meta:
        model = Score
        fields = ["id", "result", "cadre", "rater_group", "indicator", "score"]
        read_only_fields = fields


class ScoreEntrySerializer(serializers.Serializer):
    result = serializers.IntegerField(help_text=_("考核对象（考核结果）编号"))
    indicator = serializers.IntegerField()
    score = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True,
                                     help_text=_("0–100；null 清除该项评分"))


class ScoresWriteSerializer(serializers.Serializer):
    rater_group = serializers.IntegerField()
    entries = ScoreEntrySerializer(many=True)


class ScoresWriteResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    deleted = serializers.IntegerField()
