"""ViewSets of the roster API (``/api/v1/``).

Every viewset reads through the permission gate (``ApiViewSetMixin``: lists and details restricted
to the user's scope, out-of-scope objects answer 404) and writes only through ``cadres/services.py``
(``perform_create`` / ``perform_update`` / ``perform_destroy`` call one service with the request user;
nothing here saves a model). Workflow steps are explicit actions:
``POST /appointments/{id}/end/`` and ``POST /cadres/{id}/assign-rank/``.

The 干部任免审批表: ``GET /cadres/{id}/lrmx/`` (``lrmx/pdf/``, ``lrmx/docx/``) downloads it through the
pages' own ``lrmx.export.sheet_download`` (gate ``export``); ``POST /cadres/lrmx-import/`` starts the
pages' check job and ``POST /cadres/lrmx-import/apply/`` its apply job (``lrmx.importer.check_start`` /
``apply_start``), both answering 202 with the job (``/api/v1/jobs/{id}/`` for its state and report).

Authentication: a token (``Authorization: Token <key>``, from ``POST /api/v1/auth/token/``) or the
browser session. Token comes first so an anonymous call answers 401 with ``WWW-Authenticate: Token``.
"""
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Prefetch, Subquery
from django.db.models.functions import Length, Substr
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as df
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from pingdingshan.core import jobs
from pingdingshan.core.api_jobs import JobSerializer
from pingdingshan.core.filtersets import GatedApiFilterSet
from pingdingshan.core.viewsets import ApiViewSetMixin

from .. import serializers as s
from .. import services
from ..filters import AppointmentFilter, CadreFilter, PostFilter, UnitFilter
from ..jobs import LRMX_IMPORT
from ..lrmx import importer
from ..lrmx.export import FORMATS, sheet_download
from ..models import Appointment, Cadre, CareerEntry, FamilyMember, Post, Rank, RankHistory, Tag, Training, Unit


class FileNegotiation(DefaultContentNegotiation):
    """For downloads: a client asking only for the file's type (``Accept: application/pdf``) gets the
    file, and an error in JSON (the first renderer), not DRF's 406."""

    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except exceptions.NotAcceptable:
            return renderers[0], renderers[0].media_type


# --------------------------------------------------------------------------- units
@extend_schema_view(
    list=extend_schema(summary=_("单位列表（树的顺序）")),
    retrieve=extend_schema(summary=_("单位详情")),
    create=extend_schema(summary=_("新建单位（仅组织部）")),
    update=extend_schema(summary=_("修改单位")),
    partial_update=extend_schema(summary=_("修改单位（部分字段）")),
    destroy=extend_schema(summary=_("删除单位（无下级、无干部和岗位时）")),
)
class UnitViewSet(ApiViewSetMixin, viewsets.ModelViewSet):
    queryset = Unit.objects.all()
    serializer_class = s.UnitSerializer
    serializer_classes = {"create": s.UnitWriteSerializer, "update": s.UnitWriteSerializer,
                          "partial_update": s.UnitWriteSerializer}
    response_serializer_classes = {"create": s.UnitSerializer, "update": s.UnitSerializer,
                                   "partial_update": s.UnitSerializer}
    filterset_class = UnitFilter
    ordering_fields = ["name", "code", "level", "kind", "establishment"]

    def get_queryset(self):
        parent = Unit.objects.filter(
            path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Unit.steplen)).values("pk")[:1]
        return super().get_queryset().annotate(parent_id=Subquery(parent))

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        parent = data.pop("parent", None)
        serializer.instance = services.unit_create(by=self.request.user, parent=parent, **data)

    def perform_update(self, serializer):
        serializer.instance = services.unit_update(by=self.request.user, unit=serializer.instance,
                                                   **serializer.validated_data)

    def perform_destroy(self, instance):
        services.unit_delete(by=self.request.user, unit=instance)


# --------------------------------------------------------------------------- posts
@extend_schema_view(
    list=extend_schema(summary=_("职务岗位列表")),
    retrieve=extend_schema(summary=_("职务岗位详情")),
    create=extend_schema(summary=_("新建职务岗位（仅组织部）")),
    update=extend_schema(summary=_("修改职务岗位")),
    partial_update=extend_schema(summary=_("修改职务岗位（部分字段）")),
    destroy=extend_schema(summary=_("删除职务岗位（无任职记录时）")),
)
class PostViewSet(ApiViewSetMixin, viewsets.ModelViewSet):
    queryset = Post.objects.select_related("unit")
    serializer_class = s.PostSerializer
    serializer_classes = {"create": s.PostWriteSerializer, "update": s.PostWriteSerializer,
                          "partial_update": s.PostWriteSerializer}
    response_serializer_classes = {"create": s.PostSerializer, "update": s.PostSerializer,
                                   "partial_update": s.PostSerializer}
    filterset_class = PostFilter
    ordering_fields = ["name", "level", "order", "quota"]

    def perform_create(self, serializer):
        serializer.instance = services.post_save(by=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.post_save(by=self.request.user, post=serializer.instance,
                                                 **serializer.validated_data)

    def perform_destroy(self, instance):
        services.post_delete(by=self.request.user, post=instance)


# --------------------------------------------------------------------------- reference data
@extend_schema_view(list=extend_schema(summary=_("职级列表")), retrieve=extend_schema(summary=_("职级详情")))
class RankViewSet(ApiViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Rank.objects.all()
    serializer_class = s.RankSerializer
    filter_backends = [OrderingFilter]
    ordering_fields = ["order", "name"]


@extend_schema_view(list=extend_schema(summary=_("标签列表")), retrieve=extend_schema(summary=_("标签详情")))
class TagViewSet(ApiViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Tag.objects.all()
    serializer_class = s.TagSerializer
    filter_backends = [OrderingFilter]
    ordering_fields = ["name"]


# --------------------------------------------------------------------------- cadres
@extend_schema_view(
    list=extend_schema(summary=_("干部名册"), description=_(
        "筛选同名册页面（CadreFilter）；排序用 ordering=name|birth_date|unit|post_level|rank|work_start_date|"
        "education，前加“-”为倒序。")),
    retrieve=extend_schema(summary=_("干部详情（含现任职务）")),
    create=extend_schema(summary=_("新建干部"), description=_("tags 为标签名称列表；单位须在您的管理范围内。")),
    update=extend_schema(summary=_("修改干部")),
    partial_update=extend_schema(summary=_("修改干部（部分字段）")),
    destroy=extend_schema(summary=_("删除干部档案（仅组织部）")),
)
class CadreViewSet(ApiViewSetMixin, viewsets.ModelViewSet):
    queryset = Cadre.objects.select_related("unit", "current_post", "current_rank").prefetch_related("tags")
    serializer_class = s.CadreListSerializer
    serializer_classes = {"retrieve": s.CadreDetailSerializer, "create": s.CadreWriteSerializer,
                          "update": s.CadreWriteSerializer, "partial_update": s.CadreWriteSerializer,
                          "assign_rank": s.RankAssignSerializer, "lrmx_import": s.LrmxImportSerializer,
                          "lrmx_import_apply": s.LrmxApplySerializer}
    response_serializer_classes = {"create": s.CadreDetailSerializer, "update": s.CadreDetailSerializer,
                                   "partial_update": s.CadreDetailSerializer}
    filterset_class = CadreFilter
    # CadreFilter holds its own OrderingFilter (``ordering``), shared with the roster page and the export.
    filter_backends = [df.DjangoFilterBackend]

    def get_queryset(self):
        qs = super().get_queryset()
        if self.action == "retrieve":
            qs = qs.prefetch_related(Prefetch(
                "appointments",
                queryset=(Appointment.objects.filter(s.current_q()).select_related("post__unit")
                          .order_by("-post__level", "-start_date")),
                to_attr="current_appointments",
            ))
        return qs

    def perform_create(self, serializer):
        serializer.instance = services.cadre_create(by=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.cadre_update(by=self.request.user, cadre=serializer.instance,
                                                    **serializer.validated_data)

    def perform_destroy(self, instance):
        services.cadre_delete(by=self.request.user, cadre=instance)

    @extend_schema(summary=_("任职级"), description=_("结束现任职级记录并新增一条；检查单位职级职数。"),
                   request=s.RankAssignSerializer, responses={201: s.RankHistorySerializer})
    @action(detail=True, methods=["post"], url_path="assign-rank")
    def assign_rank(self, request, pk=None):
        cadre = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        record = services.rank_assign(by=request.user, cadre=cadre, **serializer.validated_data)
        return Response(s.RankHistorySerializer(record, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)

    # ---- the 干部任免审批表 (LRMX)
    def _sheet(self, file_format):
        return sheet_download(by=self.request.user, cadre=self.get_object(), file_format=file_format)

    @extend_schema(summary=_("下载任免审批表（.lrmx 文件）"), request=None,
                   description=_("全国干部任免审批表 3.2 版交换文件（UTF-8）；记入导出日志。"),
                   responses={(200, FORMATS["lrmx"]): OpenApiResponse(response=OpenApiTypes.BINARY,
                                                                      description=_(".lrmx 文件"))})
    @action(detail=True, methods=["get"], url_path="lrmx", filter_backends=[], pagination_class=None,
            content_negotiation_class=FileNegotiation)
    def lrmx(self, request, pk=None):
        return self._sheet("lrmx")

    @extend_schema(summary=_("下载任免审批表（PDF）"), request=None, description=_("记入导出日志。"),
                   responses={(200, FORMATS["pdf"]): OpenApiResponse(response=OpenApiTypes.BINARY,
                                                                     description=_("PDF 文件"))})
    @action(detail=True, methods=["get"], url_path="lrmx/pdf", filter_backends=[], pagination_class=None,
            content_negotiation_class=FileNegotiation)
    def lrmx_pdf(self, request, pk=None):
        return self._sheet("pdf")

    @extend_schema(summary=_("下载任免审批表（Word）"), request=None, description=_("记入导出日志。"),
                   responses={(200, FORMATS["docx"]): OpenApiResponse(response=OpenApiTypes.BINARY,
                                                                      description=_("Word 文件（.docx）"))})
    @action(detail=True, methods=["get"], url_path="lrmx/docx", filter_backends=[], pagination_class=None,
            content_negotiation_class=FileNegotiation)
    def lrmx_docx(self, request, pk=None):
        return self._sheet("docx")

    def _started(self, job):
        return Response(JobSerializer(job, context=self.get_serializer_context()).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(summary=_("导入任免审批表：上传 .lrmx 文件并核对"), request={"multipart/form-data": s.LrmxImportSerializer},
                   responses={202: JobSerializer}, description=_(
                       "作为后台任务核对每个文件（不保存任何内容）：立即返回 202 和任务，用 /api/v1/jobs/{id}/ 查询进度和结果。"
                       "结果 result 中 ok 表示全部通过，files 按文件列出 name（文件名）、action（create 新建、update 更新、"
                       "unchanged 无变化、refused 未通过）、errors 和 notes（按字段）、diff（字段、原值、文件中的值）。"
                       "全部通过后用 lrmx-import/apply/ 确认导入。"))
    @action(detail=False, methods=["post"], url_path="lrmx-import", parser_classes=[MultiPartParser, FormParser],
            filter_backends=[], pagination_class=None)
    def lrmx_import(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        return self._started(importer.check_start(by=request.user, files=data["files"], unit=data.get("unit")))

    @extend_schema(summary=_("确认导入任免审批表（核对通过后）"), request=s.LrmxApplySerializer,
                   responses={202: JobSerializer}, description=_(
                       "job 为本人发起、已完成且全部通过的核对任务；作为后台任务再次核对后全部导入，或（有文件不通过、"
                       "核对之后档案有变化时）一个也不导入。立即返回 202 和任务，用 /api/v1/jobs/{id}/ 查询结果。"))
    @action(detail=False, methods=["post"], url_path="lrmx-import/apply", filter_backends=[], pagination_class=None)
    def lrmx_import_apply(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            check = jobs.job_get(user=request.user, pk=serializer.validated_data["job"], kind=LRMX_IMPORT)
        except Http404:
            raise ValidationError({"job": _("未找到该核对任务：须是您本人发起的 .lrmx 导入核对。")}) from None
        return self._started(importer.apply_start(by=request.user, check=check))


# --------------------------------------------------------------------------- appointments
@extend_schema_view(
    list=extend_schema(summary=_("任职记录")),
    retrieve=extend_schema(summary=_("任职详情")),
    create=extend_schema(summary=_("任职"), description=_("检查职数和正职不重叠。")),
    update=extend_schema(summary=_("修改任职（时间、文号、备注）")),
    partial_update=extend_schema(summary=_("修改任职（部分字段）")),
    destroy=extend_schema(summary=_("删除任职记录")),
)
class AppointmentViewSet(ApiViewSetMixin, viewsets.ModelViewSet):
    queryset = Appointment.objects.select_related("cadre", "post__unit")
    serializer_class = s.AppointmentSerializer
    serializer_classes = {"create": s.AppointmentCreateSerializer, "update": s.AppointmentUpdateSerializer,
                          "partial_update": s.AppointmentUpdateSerializer, "end": s.AppointmentEndSerializer}
    response_serializer_classes = {"create": s.AppointmentSerializer, "update": s.AppointmentSerializer,
                                   "partial_update": s.AppointmentSerializer}
    filterset_class = AppointmentFilter
    ordering_fields = ["start_date", "end_date"]

    def perform_create(self, serializer):
        serializer.instance = services.appointment_create(by=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.appointment_update(by=self.request.user, appointment=serializer.instance,
                                                          **serializer.validated_data)

    def perform_destroy(self, instance):
        services.appointment_delete(by=self.request.user, appointment=instance)

    @extend_schema(summary=_("免职（结束任职）"), request=s.AppointmentEndSerializer,
                   responses={200: s.AppointmentSerializer})
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        appointment = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        appointment = services.appointment_end(by=request.user, appointment=appointment,
                                               end_date=serializer.validated_data["end_date"])
        return Response(s.AppointmentSerializer(appointment, context=self.get_serializer_context()).data)


# --------------------------------------------------------------------------- a cadre's records, by ?cadre=
class CadreRecordFilter(GatedApiFilterSet):
    """``?cadre=<id>``: the records of one cadre (a cadre outside the scope is refused like an unknown id)."""

    cadre = df.ModelChoiceFilter(queryset=Cadre.objects.all(), label=_("干部"))


class RankHistoryFilter(CadreRecordFilter):
    class Meta:
        model = RankHistory
        fields = ["cadre"]


class CareerEntryFilter(CadreRecordFilter):
    class Meta:
        model = CareerEntry
        fields = ["cadre"]


class FamilyMemberFilter(CadreRecordFilter):
    class Meta:
        model = FamilyMember
        fields = ["cadre"]


class TrainingFilter(CadreRecordFilter):
    class Meta:
        model = Training
        fields = ["cadre"]


@extend_schema_view(list=extend_schema(summary=_("职级记录（?cadre= 某干部）")),
                    retrieve=extend_schema(summary=_("职级记录详情")))
class RankHistoryViewSet(ApiViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Read-only: ranks are given with ``POST /cadres/{id}/assign-rank/``."""

    queryset = RankHistory.objects.select_related("cadre", "rank")
    serializer_class = s.RankHistorySerializer
    filterset_class = RankHistoryFilter
    ordering_fields = ["start_date", "end_date"]


class CadreChildViewSetMixin(ApiViewSetMixin):
    """Résumé lines and trainings: written through ``services.cadre_child_save`` / ``cadre_child_delete``."""

    def perform_create(self, serializer):
        serializer.instance = services.cadre_child_save(by=self.request.user, model=self.queryset.model,
                                                        **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.cadre_child_save(by=self.request.user, model=self.queryset.model,
                                                        instance=serializer.instance, **serializer.validated_data)

    def perform_destroy(self, instance):
        services.cadre_child_delete(by=self.request.user, instance=instance)


@extend_schema_view(
    list=extend_schema(summary=_("简历（?cadre= 某干部）")), retrieve=extend_schema(summary=_("简历条目")),
    create=extend_schema(summary=_("新增简历条目")), update=extend_schema(summary=_("修改简历条目")),
    partial_update=extend_schema(summary=_("修改简历条目（部分字段）")), destroy=extend_schema(summary=_("删除简历条目")),
)
class CareerEntryViewSet(CadreChildViewSetMixin, viewsets.ModelViewSet):
    queryset = CareerEntry.objects.all()
    serializer_class = s.CareerEntrySerializer
    filterset_class = CareerEntryFilter
    ordering_fields = ["start_date", "end_date"]


@extend_schema_view(
    list=extend_schema(summary=_("培训记录（?cadre= 某干部）")), retrieve=extend_schema(summary=_("培训记录详情")),
    create=extend_schema(summary=_("新增培训记录")), update=extend_schema(summary=_("修改培训记录")),
    partial_update=extend_schema(summary=_("修改培训记录（部分字段）")), destroy=extend_schema(summary=_("删除培训记录")),
)
class TrainingViewSet(CadreChildViewSetMixin, viewsets.ModelViewSet):
    queryset = Training.objects.all()
    serializer_class = s.TrainingSerializer
    filterset_class = TrainingFilter
    ordering_fields = ["start_date", "end_date", "hours"]


@extend_schema_view(
    list=extend_schema(summary=_("家庭成员（?cadre= 某干部）")), retrieve=extend_schema(summary=_("家庭成员详情")),
    create=extend_schema(summary=_("新增家庭成员"), description=_("每名干部最多10人（任免审批表的行数）。")),
    update=extend_schema(summary=_("修改家庭成员")),
    partial_update=extend_schema(summary=_("修改家庭成员（部分字段）")), destroy=extend_schema(summary=_("删除家庭成员")),
)
class FamilyMemberViewSet(CadreChildViewSetMixin, viewsets.ModelViewSet):
    queryset = FamilyMember.objects.all()
    serializer_class = s.FamilyMemberSerializer
    filterset_class = FamilyMemberFilter
    ordering_fields = ["order", "birth_date"]


def register(router):
    router.register("units", UnitViewSet, basename="unit")
    router.register("posts", PostViewSet, basename="post")
    router.register("ranks", RankViewSet, basename="rank")
    router.register("tags", TagViewSet, basename="tag")
    router.register("cadres", CadreViewSet, basename="cadre")
    router.register("appointments", AppointmentViewSet, basename="appointment")
    router.register("rank-history", RankHistoryViewSet, basename="rank-history")
    router.register("career", CareerEntryViewSet, basename="career")
    router.register("trainings", TrainingViewSet, basename="training")
    router.register("family-members", FamilyMemberViewSet, basename="family-member")
    return router
