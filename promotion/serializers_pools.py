"""REST serializers of the pools, their criteria (nested in the pool), entries and candidates: they
parse and render only; ``promotion/services/pools.py`` and ``entries.py`` decide."""
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cadres.models import Cadre, TaskCategory, Unit
from cadres.serializers import CadreRefSerializer, UnitRefSerializer
from cadres.serializers_records import UserRefSerializer

from .models import CriterionKind, Industry, PoolCategory, PoolCriterion, PoolEntry, ReservePool
from .services.entries import BUTTON_ACTIONS, entry_allowed_actions


class IndustrySerializer(serializers.ModelSerializer):
    units = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=Unit.objects.all(), label=_("所属单位（含下级单位）"),
        help_text=_("这些单位及其下级单位的职务岗位属于本行业。"))
    task_categories = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=TaskCategory.objects.all(), label=_("对应中心工作"),
        help_text=_("这些中心工作类别的实绩记录计为本行业的工作经历。"))

    class Meta:
        model = Industry
        fields = ["id", "name", "description", "is_active", "order", "units", "task_categories"]
        extra_kwargs = {"name": {"validators": []}}  # the service's full_clean answers a duplicate in Chinese


class PoolCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = PoolCategory
        fields = ["id", "name", "target_level", "description", "is_active", "order"]
        extra_kwargs = {"name": {"validators": []}}


class RefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class CriterionSerializer(serializers.ModelSerializer):
    summary = serializers.SerializerMethodField(help_text=_("条件的文字说明，如“年龄不超过 45 岁”。"))

    class Meta:
        model = PoolCriterion
        fields = ["kind", "params", "summary"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField())
    def get_summary(self, obj) -> str:
        from .services.eligibility import describe

        return describe(obj)


class CriterionWriteSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=CriterionKind.choices, label=_("条件"))
    params = serializers.DictField(required=False, default=dict, label=_("参数"), help_text=_(
        "各类条件的参数：age {min, max}；level {min_level}；years_at_level {years}；"
        "grades {years, min_grade, missing_fails}；points {years, min}；tags {tags: [标签编号], mode: all|any}；"
        "frontline {min_count, min_evaluation}。"))


class CountsSerializer(serializers.Serializer):
    nominated = serializers.IntegerField()
    admitted = serializers.IntegerField()
    removed = serializers.IntegerField()
    flagged = serializers.IntegerField()
    ranked = serializers.IntegerField()


class PoolSerializer(serializers.ModelSerializer):
    industry = RefSerializer(read_only=True)
    category = RefSerializer(read_only=True)
    weights = serializers.SerializerMethodField(help_text=_("各排名项的权重（%），合计 100。"))
    counts = serializers.SerializerMethodField(help_text=_(
        "您可见的人选数：已提名、已入库、已移出、不再符合条件，以及当前排名的人数。"))

    class Meta:
        model = ReservePool
        fields = ["id", "name", "industry", "category", "description", "is_active", "order", "weights",
                  "composite_years", "points_years", "recency_percent", "counts", "created_at"]
        read_only_fields = fields

    @extend_schema_field(serializers.DictField(child=serializers.IntegerField()))
    def get_weights(self, obj) -> dict:
        return obj.weights

    @extend_schema_field(CountsSerializer)
    def get_counts(self, obj) -> dict:
        counts = self.context.get("pool_counts")
        if counts is None or obj.pk not in counts:
            from .selectors_pools import pool_counts

            counts = pool_counts(self.context["request"].user, [obj.pk])
        c = counts[obj.pk]
        return {k: c[k] for k in ("nominated", "admitted", "removed", "flagged", "ranked")}


class PoolDetailSerializer(PoolSerializer):
    criteria = CriterionSerializer(many=True, read_only=True)

    class Meta(PoolSerializer.Meta):
        fields = PoolSerializer.Meta.fields + ["criteria"]
        read_only_fields = fields


WEIGHT_HELP = _("0 到 100；五项合计须为 100。")


def _w(name):
    return ReservePool._meta.get_field(name).verbose_name


class PoolWriteSerializer(serializers.Serializer):
    """A pool's fields and, when given, its whole criteria list (replacing the pool's)."""

    name = serializers.CharField(max_length=60, label=_("名称"))
    industry = serializers.PrimaryKeyRelatedField(queryset=Industry.objects.all(), label=_("行业"))
    category = serializers.PrimaryKeyRelatedField(queryset=PoolCategory.objects.all(), label=_("类别"))
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True, label=_("说明"))
    is_active = serializers.BooleanField(required=False, label=_("启用"))
    order = serializers.IntegerField(required=False, min_value=0, max_value=32767, label=_("排序"))
    composite_years = serializers.IntegerField(required=False, label=_("考核计入年数"), help_text=_("1 到 10。"))
    points_years = serializers.IntegerField(required=False, label=_("实绩计入年数"), help_text=_("1 到 10。"))
    recency_percent = serializers.IntegerField(required=False, label=_("逐年递减比例（%）"), help_text=_("1 到 100。"))
    criteria = CriterionWriteSerializer(many=True, required=False, label=_("入库条件"), help_text=_(
        "整个条件列表（覆盖原有的）；每类条件最多一条。修改时不传则保持原条件。"))

    weight_composite = serializers.IntegerField(required=False, label=_w("weight_composite"), help_text=WEIGHT_HELP)
    weight_points = serializers.IntegerField(required=False, label=_w("weight_points"), help_text=WEIGHT_HELP)
    weight_awards = serializers.IntegerField(required=False, label=_w("weight_awards"), help_text=WEIGHT_HELP)
    weight_frontline = serializers.IntegerField(required=False, label=_w("weight_frontline"), help_text=WEIGHT_HELP)
    weight_cards = serializers.IntegerField(required=False, label=_w("weight_cards"), help_text=WEIGHT_HELP)


class EntrySerializer(serializers.ModelSerializer):
    cadre = CadreRefSerializer(read_only=True)
    unit = UnitRefSerializer(source="cadre.unit", read_only=True)
    pool = RefSerializer(read_only=True)
    nominated_by = UserRefSerializer(read_only=True, allow_null=True)
    current_rank = serializers.IntegerField(read_only=True, allow_null=True, help_text=_(
        "当前排名中在整个储备库中的名次（没有排名时为 null）。"))
    current_score = serializers.IntegerField(read_only=True, allow_null=True, help_text=_(
        "当前排名的得分，以百分之一分计（0–10000）。"))
    allowed_actions = serializers.SerializerMethodField(help_text=_("您现在可以执行的操作：admit、remove。"))

    class Meta:
        model = PoolEntry
        fields = ["id", "pool", "cadre", "unit", "status", "note", "nominated_by", "nominated_at", "admitted_at",
                  "removed_at", "removal_reason", "flagged_on", "flag_reasons", "current_rank", "current_score",
                  "allowed_actions"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=list(BUTTON_ACTIONS))))
    def get_allowed_actions(self, obj) -> list[str]:
        return sorted(entry_allowed_actions(obj, self.context["request"].user))


class NominateSerializer(serializers.Serializer):
    pool = serializers.PrimaryKeyRelatedField(queryset=ReservePool.objects.all(), label=_("储备库"))
    cadres = serializers.ListField(child=serializers.IntegerField(min_value=1), allow_empty=True, max_length=500,
                                   label=_("干部编号"), help_text=_("一次可提名多人：任何一人不能提名时，全部不提名。"))
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000, label=_("提名理由"))


class EntryReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000, label=_("理由"))


class CheckSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    passed = serializers.BooleanField()
    sentence = serializers.CharField()


class CandidateSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer(read_only=True)
    current_post = serializers.CharField(source="current_post.name", read_only=True, allow_null=True, default=None)
    checks = serializers.SerializerMethodField(help_text=_("逐项核对入库条件的结果（均为符合）。"))

    class Meta:
        model = Cadre
        fields = ["id", "name", "gender", "birth_date", "unit", "current_post", "checks"]
        read_only_fields = fields

    @extend_schema_field(CheckSerializer(many=True))
    def get_checks(self, obj) -> list:
        return [{"kind": c.kind, "label": str(c.label), "passed": c.passed, "sentence": c.sentence}
                for c in getattr(obj, "checks", ())]
