"""Assessment set-up API (``/api/v1/``): tiers, categories, indicator schemes, periods, rater
groups and scores, with the workflow steps as explicit actions.

- ``assessment-tiers/``, ``assessment-categories/``: the editable lists.
- ``indicator-schemes/``: create / save a draft as a whole (with its indicators) / delete a draft;
  ``POST {id}/publish/``, ``{id}/new-version/``, ``{id}/copy/`` (to another year).
- ``assessment-periods/``: create / edit; ``POST {id}/schemes/``, ``GET|POST {id}/rater-groups/``,
  ``POST {id}/enrol/``, ``{id}/open/``, ``{id}/compute/``, ``{id}/publish/``;
  ``GET|POST {id}/scores/`` (one rater group's scores, saved all or nothing).
Every write needs the gate action ``assess`` (org staff); reads follow the gate (unit leaders see
published schemes and periods only). Writes call the services, whose errors answer 400.
"""
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from pingdingshan.core import jobs
from pingdingshan.core.api_jobs import JobSerializer
from pingdingshan.core.fields import parse_id
from pingdingshan.core.filtersets import GatedApiFilterSet
from pingdingshan.core.viewsets import ApiViewSetMixin

from .. import jobs as assessment_jobs
from .. import serializers_setup as s
from .. import services
from ..models import AssessmentPeriod, Category, IndicatorScheme, RaterGroup, Score, Tier
from ..services.classify import skip_reason_text


class AssessViewSetMixin(ApiViewSetMixin):
    write_action = "assess"

    def _valid(self, serializer_class):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


def _plain_indicators(rows):
    out = []
    for row in rows:
        row = dict(row)
        for k in ("weight", "veto_threshold"):
            if k in row and row[k] is not None:
                row[k] = str(row[k])
        out.append(row)
    return out


# --------------------------------------------------------------------------- tiers and categories
@extend_schema_view(
    list=extend_schema(summary=_("考核层级列表")), retrieve=extend_schema(summary=_("考核层级详情")),
    create=extend_schema(summary=_("新建考核层级（仅组织部）")),
    partial_update=extend_schema(summary=_("修改考核层级（仅组织部）")),
)
class TierViewSet(AssessViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                  mixins.UpdateModelMixin, viewsets.GenericViewSet):
    queryset = Tier.objects.all()
    serializer_class = s.TierSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    filterset_fields = ["is_active"]
    ordering_fields = ["order", "name"]

    def perform_create(self, serializer):
        serializer.instance = services.tier_save(by=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.tier_save(by=self.request.user, tier=serializer.instance,
                                                 **serializer.validated_data)


@extend_schema_view(
    list=extend_schema(summary=_("考核类别列表")), retrieve=extend_schema(summary=_("考核类别详情")),
    create=extend_schema(summary=_("新建考核类别（仅组织部）")),
    partial_update=extend_schema(summary=_("修改考核类别（仅组织部）")),
)
class CategoryViewSet(TierViewSet):
    queryset = Category.objects.all()
    serializer_class = s.CategorySerializer

    def perform_create(self, serializer):
        serializer.instance = services.category_save(by=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.category_save(by=self.request.user, category=serializer.instance,
                                                     **serializer.validated_data)


# --------------------------------------------------------------------------- schemes
class SchemeFilter(GatedApiFilterSet):
    class Meta:
        model = IndicatorScheme
        fields = ["tier", "category", "year", "status"]


SCHEME_ANSWER = {200: s.SchemeSerializer}


@extend_schema_view(
    list=extend_schema(summary=_("考核指标体系列表"), description=_("筛选：tier、category、year、status。")),
    retrieve=extend_schema(summary=_("考核指标体系详情（含指标）")),
    destroy=extend_schema(summary=_("删除指标体系（仅未发布且未被考核周期使用的）")),
)
class SchemeViewSet(AssessViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin,
                    viewsets.GenericViewSet):
    queryset = IndicatorScheme.objects.select_related("tier", "category").prefetch_related("indicators")
    serializer_class = s.SchemeSerializer
    filterset_class = SchemeFilter
    ordering_fields = ["year", "version"]

    def _answer(self, scheme, code=status.HTTP_200_OK):
        scheme = self.get_queryset().model.objects.select_related("tier", "category").get(pk=scheme.pk)
        return Response(s.SchemeSerializer(scheme, context=self.get_serializer_context()).data, status=code)

    @extend_schema(summary=_("新建指标体系（草稿，仅组织部）"), request=s.SchemeWriteSerializer,
                   responses={201: s.SchemeSerializer},
                   description=_("tier、category、year 必填；indicators 为完整的指标列表，权重之和须为100。"))
    def create(self, request):
        data = self._valid(s.SchemeWriteSerializer)
        missing = [f for f in ("tier", "category", "year") if f not in data]
        if missing:
            from django.core.exceptions import ValidationError

            raise ValidationError({f: [_("该字段是必填项。")] for f in missing})
        scheme = services.scheme_create(by=request.user, tier=data["tier"], category=data["category"],
                                        year=data["year"], name=data.get("name", ""), note=data.get("note", ""),
                                        indicators=_plain_indicators(data["indicators"]))
        return self._answer(scheme, status.HTTP_201_CREATED)

    @extend_schema(summary=_("保存草稿指标体系（连同完整的指标列表，仅组织部）"), request=s.SchemeWriteSerializer,
                   responses=SCHEME_ANSWER)
    def update(self, request, pk=None):
        scheme = self.get_object()
        data = self._valid(s.SchemeWriteSerializer)
        extra = {k: data[k] for k in ("name", "note") if k in data}
        services.scheme_save(by=request.user, scheme=scheme, indicators=_plain_indicators(data["indicators"]), **extra)
        return self._answer(scheme)

    def perform_destroy(self, instance):
        services.scheme_delete(by=self.request.user, scheme=instance)

    @extend_schema(summary=_("发布（发布后锁定）"), request=None, responses=SCHEME_ANSWER)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._answer(services.scheme_publish(by=request.user, scheme=self.get_object()))

    @extend_schema(summary=_("新建版本（复制为同年度的下一版本草稿）"), request=None, responses={201: s.SchemeSerializer})
    @action(detail=True, methods=["post"], url_path="new-version", url_name="new-version")
    def new_version(self, request, pk=None):
        return self._answer(services.scheme_new_version(by=request.user, scheme=self.get_object()),
                            status.HTTP_201_CREATED)

    @extend_schema(summary=_("复制到另一年度（草稿）"), request=s.SchemeCopySerializer, responses={201: s.SchemeSerializer})
    @action(detail=True, methods=["post"])
    def copy(self, request, pk=None):
        scheme = self.get_object()
        year = self._valid(s.SchemeCopySerializer)["year"]
        return self._answer(services.scheme_copy(by=request.user, scheme=scheme, year=year), status.HTTP_201_CREATED)


# --------------------------------------------------------------------------- periods
class PeriodFilter(GatedApiFilterSet):
    class Meta:
        model = AssessmentPeriod
        fields = ["kind", "year", "status"]


PERIOD_ANSWER = {200: s.PeriodSerializer}


@extend_schema_view(
    list=extend_schema(summary=_("考核周期列表"), description=_("筛选：kind、year、status。单位领导只看到已发布的周期。")),
    retrieve=extend_schema(summary=_("考核周期详情（含评价主体及权重）")),
    create=extend_schema(summary=_("新建考核周期（仅组织部）"), responses={201: s.PeriodSerializer}),
    partial_update=extend_schema(summary=_("修改考核周期（仅组织部；评分开始后只能改名称、分数线和优秀比例）"),
                                 responses=PERIOD_ANSWER),
)
class PeriodViewSet(AssessViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                    mixins.UpdateModelMixin, viewsets.GenericViewSet):
    queryset = AssessmentPeriod.objects.all()
    serializer_class = s.PeriodSerializer
    serializer_classes = {"create": s.PeriodWriteSerializer, "partial_update": s.PeriodWriteSerializer}
    response_serializer_classes = {"create": s.PeriodSerializer, "partial_update": s.PeriodSerializer}
    http_method_names = ["get", "post", "patch", "head", "options"]
    filterset_class = PeriodFilter
    ordering_fields = ["end_date", "year", "name"]

    def get_queryset(self):
        return super().get_queryset().annotate(results_count=Count("results")).prefetch_related(
            "rater_groups__weights").order_by("-end_date", "-id")

    def _answer(self, period, code=status.HTTP_200_OK):
        period = self.get_queryset().model.objects.annotate(results_count=Count("results")).prefetch_related(
            "rater_groups__weights").get(pk=period.pk)
        return Response(s.PeriodSerializer(period, context=self.get_serializer_context()).data, status=code)

    def create(self, request):
        data = self._valid(s.PeriodWriteSerializer)
        return self._answer(services.period_save(by=request.user, **data), status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        period = self.get_object()
        serializer = s.PeriodWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        return self._answer(services.period_save(by=request.user, period=period, **serializer.validated_data))

    @extend_schema(summary=_("设置适用的指标体系（筹备中）"), request=s.PeriodSchemesSerializer, responses=PERIOD_ANSWER)
    @action(detail=True, methods=["post"])
    def schemes(self, request, pk=None):
        period = self.get_object()
        data = self._valid(s.PeriodSchemesSerializer)
        return self._answer(services.period_set_schemes(by=request.user, period=period, schemes=data["schemes"]))

    @extend_schema(methods=["GET"], summary=_("评价主体及各层级权重"), request=None,
                   responses={200: s.RaterGroupReadSerializer(many=True)})
    @extend_schema(methods=["POST"], summary=_("设置评价主体及各层级权重（筹备中，整体替换）"),
                   request=s.RaterGroupsWriteSerializer, responses={200: s.RaterGroupReadSerializer(many=True)})
    @action(detail=True, methods=["get", "post"], url_path="rater-groups", url_name="rater-groups",
            pagination_class=None, filter_backends=[])  # a period's few groups, whole: a plain list
    def rater_groups(self, request, pk=None):
        period = self.get_object()
        if request.method == "POST":
            groups = self._valid(s.RaterGroupsWriteSerializer)["groups"]
            services.rater_groups_save(by=request.user, period=period, groups=[dict(g) for g in groups])
        qs = RaterGroup.objects.restrict(request.user).filter(period=period).prefetch_related("weights")
        return Response(s.RaterGroupReadSerializer(qs.order_by("order", "id"), many=True).data)

    @extend_schema(summary=_("确定考核对象（按层级和类别纳入在职干部）"), request=None,
                   responses={200: s.EnrolResultSerializer})
    @action(detail=True, methods=["post"])
    def enrol(self, request, pk=None):
        out = services.period_enrol(by=request.user, period=self.get_object())
        out["skipped"] = {skip_reason_text(code): n for code, n in out["skipped"].items()}
        return Response(out)

    @extend_schema(summary=_("开始评分（筹备中 → 评分中）"), request=None, responses=PERIOD_ANSWER)
    @action(detail=True, methods=["post"])
    def open(self, request, pk=None):
        return self._answer(services.period_open(by=request.user, period=self.get_object()))

    @extend_schema(summary=_("计算综合得分、等次和排名（评分中，可重复计算）"), request=None,
                   description=_("作为后台任务计算：立即返回 202 和任务（用 /api/v1/jobs/{id}/ 查询进度和结果）。"),
                   responses={202: JobSerializer})
    @action(detail=True, methods=["post"])
    def compute(self, request, pk=None):
        period = self.get_object()
        services.require_action(period, "compute")
        job = jobs.job_under_way(user=request.user, kind=assessment_jobs.COMPUTE, period=period.pk)
        if job is None:  # a second call while it computes answers with the same job
            job = jobs.start(by=request.user, kind=assessment_jobs.COMPUTE, params={"period": period.pk})
        return Response(JobSerializer(job, context=self.get_serializer_context()).data,
                        status=status.HTTP_202_ACCEPTED)

    @extend_schema(summary=_("确认并发布（结果锁定，单位领导可见）"), request=s.PublishSerializer, responses=PERIOD_ANSWER)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        period = self.get_object()
        confirm = self._valid(s.PublishSerializer)["confirm"]
        return self._answer(services.period_publish(by=request.user, period=period, confirm=confirm))

    @extend_schema(methods=["GET"], summary=_("评分（可按 rater_group 筛选）"), request=None,
                   responses={200: s.ScoreSerializer(many=True)})
    @extend_schema(methods=["POST"], summary=_("录入一个评价主体的评分（全部成功或全部不变）"),
                   request=s.ScoresWriteSerializer, responses={200: s.ScoresWriteResultSerializer},
                   description=_("分数0–100、最多两位小数；同一评价主体对一名干部须全部指标都评分或全部留空；"
                                 "干部须是本周期的考核对象。任何一项有误时全部不保存，并按干部列出原因。"))
    @action(detail=True, methods=["get", "post"])
    def scores(self, request, pk=None):
        period = self.get_object()
        if request.method == "POST":
            data = self._valid(s.ScoresWriteSerializer)
            group = RaterGroup.objects.filter(period=period, pk=data["rater_group"]).first()
            if group is None:
                from django.core.exceptions import ValidationError

                raise ValidationError({"rater_group": [_("评价主体不属于该考核周期。")]})
            entries = [(e["result"], e["indicator"], e["score"]) for e in data["entries"]]
            return Response(services.scores_save(by=request.user, period=period, rater_group=group,
                                                 entries=entries))
        qs = Score.objects.restrict(request.user).filter(rater_group__period=period).select_related("result")
        group = request.query_params.get("rater_group")
        if group_id := parse_id(group):
            qs = qs.filter(rater_group_id=group_id)
        page = self.paginate_queryset(qs.order_by("result_id", "rater_group_id", "indicator_id", "id"))
        return self.get_paginated_response(s.ScoreSerializer(page, many=True).data)


def register(router):
    router.register("assessment-tiers", TierViewSet, basename="assessment-tier")
    router.register("assessment-categories", CategoryViewSet, basename="assessment-category")
    router.register("indicator-schemes", SchemeViewSet, basename="indicator-scheme")
    router.register("assessment-periods", PeriodViewSet, basename="assessment-period")
    return router



