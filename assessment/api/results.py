"""Assessment API: results and leaderboards (``/api/v1/``).

- ``assessment-results/``: the results the caller sees (unit leaders: published periods, cadres of
  their subtrees), with the results page's filters and ordering; the detail has the explanation;
  ``POST assessment-results/{id}/override/`` sets the grade by hand with a reason (org staff,
  ``result_override``: audited, the 优秀 cap enforced).
- ``leaderboards/?period=&tier=&category=&by=``: a (tier, category) group's ranking (实绩比拼)
  with each cadre's rank in the whole group and the movement against the previous period.

As in ``cadres/api``: reads through the gate (out of scope → 404), writes through one service.
"""
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as df
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from pingdingshan.core.api import GatePermission, NullIfBlankChoiceField
from pingdingshan.core.schema import ApiAutoSchema
from pingdingshan.core.viewsets import ApiViewSetMixin

from .. import selectors, services
from ..filters_results import ResultApiFilter
from ..models import AssessmentResult, Grade, grade_label


# --------------------------------------------------------------------------- serializers
class ResultSerializer(serializers.ModelSerializer):
    period_name = serializers.CharField(source="period.name", read_only=True)
    cadre_name = serializers.CharField(source="cadre.name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    post_name = serializers.SerializerMethodField()
    tier_name = serializers.CharField(source="tier.name", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)
    grade_label = serializers.SerializerMethodField(help_text=_("等次的称谓（事业单位、国有企业称合格等）。"))
    overridden = serializers.BooleanField(source="is_overridden", read_only=True)
    computed_grade = NullIfBlankChoiceField(choices=Grade.choices, help_text=_("测算等次；尚未计算时为 null。"))
    grade = NullIfBlankChoiceField(choices=Grade.choices, help_text=_("等次（调整后的，如有调整）；尚未评定时为 null。"))

    class Meta:
        model = AssessmentResult
        fields = ["id", "period", "period_name", "cadre", "cadre_name", "unit", "unit_name", "post", "post_name",
                  "tier", "tier_name", "category", "category_name", "composite", "points", "rank_composite",
                  "rank_points", "group_size", "computed_grade", "grade", "grade_label", "vetoed", "overridden",
                  "override_reason", "overridden_at", "computed_at"]
        read_only_fields = fields

    def get_post_name(self, obj) -> str:
        return obj.post.name if obj.post_id else ""

    def get_grade_label(self, obj) -> str:
        return grade_label(obj.grade, obj.unit.kind)


class ResultDetailSerializer(ResultSerializer):
    explanation = serializers.SerializerMethodField(help_text=_(
        "计算说明：indicators 为 [指标编号, 得分, 权重, 贡献分, 各评价主体得分或 null, 说明]，groups 为 "
        "[评价主体编号, 设定权重, 实际权重, 贡献分]，notes 为 [代码, 参数]，total 为综合得分。"))
    notes = serializers.SerializerMethodField(help_text=_("计算说明中的提示，已写成句子。"))

    class Meta(ResultSerializer.Meta):
        fields = ResultSerializer.Meta.fields + ["explanation", "notes"]
        read_only_fields = fields

    def get_explanation(self, obj) -> dict:
        return selectors.explanation(obj)["data"]

    def get_notes(self, obj) -> list[str]:
        return selectors.explanation(obj)["notes"]


class OverrideSerializer(serializers.Serializer):
    grade = serializers.ChoiceField(choices=Grade.choices, allow_blank=True, help_text=_(
        "调整后的等次（1 优秀、2 称职、3 基本称职、4 不称职）；留空则恢复测算等次。"))
    reason = serializers.CharField(max_length=300, allow_blank=True, help_text=_("调整理由（必填）。"))


class LeaderboardQuerySerializer(serializers.Serializer):
    period = serializers.IntegerField(required=False, min_value=1, help_text=_(
        "考核周期编号；不填则为您能查看的、有考核结果的最新周期。"))
    tier = serializers.IntegerField(required=False, min_value=1, help_text=_("考核层级编号；不填则为第一组。"))
    category = serializers.IntegerField(required=False, min_value=1, help_text=_("考核类别编号。"))
    by = serializers.ChoiceField(choices=[("composite", _("综合得分")), ("points", _("实绩分"))],
                                 required=False, default="composite", help_text=_("排名依据。"))


class LeaderboardRowSerializer(serializers.ModelSerializer):
    rank = serializers.IntegerField(help_text=_("在全组中的名次（同分同名次）。"))
    previous_rank = serializers.IntegerField(allow_null=True, help_text=_("上一周期同层级同类别中的名次。"))
    movement = serializers.CharField(help_text=_("up 上升、down 下降、same 持平、new 新进；无可比周期时为空。"))
    change = serializers.IntegerField(help_text=_("名次变化，正数为上升。"))
    cadre_name = serializers.CharField(source="cadre.name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    grade = NullIfBlankChoiceField(choices=Grade.choices, help_text=_("等次；尚未评定时为 null。"))
    grade_label = serializers.SerializerMethodField()

    class Meta:
        model = AssessmentResult
        fields = ["id", "rank", "previous_rank", "movement", "change", "group_size", "period", "tier", "category",
                  "cadre", "cadre_name", "unit", "unit_name", "composite", "points", "grade", "grade_label"]
        read_only_fields = fields

    def get_grade_label(self, obj) -> str:
        return grade_label(obj.grade, obj.unit.kind)


# --------------------------------------------------------------------------- results
@extend_schema_view(
    list=extend_schema(summary=_("考核结果列表"), description=_(
        "您权限范围内的考核结果（单位负责人只能看到已发布周期中本单位及下级单位干部的结果）。筛选：period、tier、"
        "category、unit（时任单位，含下级）、grade、vetoed、overridden、cadre、q（姓名/拼音首字母/身份证号开头）；"
        "排序 ordering=name|unit|composite|points|rank|grade，前加“-”为倒序。")),
    retrieve=extend_schema(summary=_("考核结果详情（含计算说明）")),
)
class AssessmentResultViewSet(ApiViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = AssessmentResult.objects.select_related("period", "cadre", "unit", "post", "tier", "category")
    serializer_class = ResultSerializer
    serializer_classes = {"retrieve": ResultDetailSerializer, "override": OverrideSerializer}
    response_serializer_classes = {"override": ResultDetailSerializer}
    filterset_class = ResultApiFilter
    filter_backends = [df.DjangoFilterBackend]  # ResultApiFilter holds its own ordering
    write_action = "assess"

    def get_queryset(self):
        qs = super().get_queryset()
        if not qs.query.order_by:
            qs = qs.order_by("-period__end_date", "period_id", "tier__order", "category__order", "rank_composite", "id")
        return qs

    @extend_schema(summary=_("调整等次（仅组织部，须填写理由）"), request=OverrideSerializer,
                   responses={200: ResultDetailSerializer}, description=_(
                       "已发布的周期不能调整；一票否决的只能为不称职；调整为优秀时不能超出本组优秀名额。记入审计历史。"))
    @action(detail=True, methods=["post"], write_action="assess")
    def override(self, request, pk=None):
        result = self.get_object()
        serializer = OverrideSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = services.result_override(by=request.user, result=result, **serializer.validated_data)
        result = selectors.result_get(user=request.user, pk=result.pk)
        return Response(ResultDetailSerializer(result, context=self.get_serializer_context()).data)


# --------------------------------------------------------------------------- leaderboards
class LeaderboardViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The rows come from ``selectors.leaderboard`` (the gate's restricted results, ranked in the
    whole group); the query parameters are parsed by ``LeaderboardQuerySerializer``."""

    authentication_classes = ApiViewSetMixin.authentication_classes
    permission_classes = [GatePermission]
    schema = ApiAutoSchema()
    serializer_class = LeaderboardRowSerializer
    filter_backends = []
    queryset = AssessmentResult.objects.none()

    @extend_schema(summary=_("实绩比拼（按层级和类别排名）"), parameters=[LeaderboardQuerySerializer],
                   description=_(
                       "一个考核周期中一个（层级，类别）组的排名，按综合得分或实绩分；名次为在全组中的名次，单位负责人"
                       "只列出其管理范围内的干部（且只限已发布的周期）。movement 为与上一周期同组名次的比较。"))
    def list(self, request, *args, **kwargs):
        params = LeaderboardQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        user = request.user
        if data.get("period"):
            period = selectors.period_get(user=user, pk=data["period"])
        else:
            period = selectors.latest_period(user=user)
        by = data.get("by") or "composite"
        empty = AssessmentResult.objects.none()
        if period is None:
            self.paginate_queryset(empty)
            return self.get_paginated_response([])
        groups = selectors.period_groups(user=user, period=period)
        group = selectors.pick_group(groups, data.get("tier"), data.get("category"))
        if (data.get("tier") or data.get("category")) and (group is None or group["tier"].pk != data.get("tier")
                                                           or group["category"].pk != data.get("category")):
            from django.core.exceptions import ValidationError

            raise ValidationError({"tier": [_t("本周期没有该层级和类别的考核对象（或不在您的权限范围内）。")]})
        previous = selectors.previous_period(user=user, period=period)
        rows = empty if group is None else selectors.leaderboard(
            user=user, period=period, tier=group["tier"], category=group["category"], by=by, previous=previous)
        page = self.paginate_queryset(rows)
        board = selectors.with_movement(page, by=by, has_previous=previous is not None)
        return self.get_paginated_response(self.get_serializer(board, many=True).data)


def register(router):
    router.register("assessment-results", AssessmentResultViewSet, basename="assessment-result")
    router.register("leaderboards", LeaderboardViewSet, basename="leaderboard")
