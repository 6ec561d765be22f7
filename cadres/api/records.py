"""ViewSets of the performance archive API (实绩档案, ``/api/v1/``).

- ``records/``: the records in the user's scope (filters, ordering, pagination); create / edit drafts
  and returned records, delete drafts; workflow steps as explicit actions
  ``POST records/{id}/submit|withdraw|verify|return|amend/`` and ``POST records/bulk-verify/``;
  ``GET|POST records/{id}/evidence/`` lists / uploads evidence files.
- ``evidence/{id}/`` (read, delete) and ``evidence/{id}/download/`` (the file, through the gate).
- ``task-categories/``: the central tasks with the points their rules give per role (read-only).
- ``notifications/``: the caller's own notifications; ``POST notifications/read-all/``.

As in ``views.py``: reads go through the gate (``GatedViewSetMixin``: out of scope → 404), writes call
one service of ``cadres/services/records.py`` with the request user (which re-checks the gate and the
workflow: an illegal step answers 400 with the service's message and changes nothing). Verifying and
returning need the gate action ``verify`` (org staff); other users get 403 before any lookup.
"""
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as df
from django_filters.utils import translate_validation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from pingdingshan.core.api import OwnThingsPermission
from pingdingshan.core.files import serve_file
from pingdingshan.core.models import Notification
from pingdingshan.core.schema import ApiAutoSchema
from pingdingshan.core.services import notifications_mark_read
from pingdingshan.core.viewsets import ApiViewSetMixin

from .. import selectors, services
from .. import serializers_records as s
from ..filters_records import RecordFilter
from ..models import Evidence, PerformanceRecord, TaskCategory

# --------------------------------------------------------------------------- filters
from ..services.records import EVIDENCE_TYPES


class NotificationFilter(df.FilterSet):
    unread = df.BooleanFilter(field_name="read_at", lookup_expr="isnull", label=_("未读"))

    class Meta:
        model = Notification
        fields = []


# --------------------------------------------------------------------------- records
RECORD_ANSWER = {200: s.RecordDetailSerializer}


@extend_schema_view(
    list=extend_schema(summary=_("实绩记录列表"), description=_(
        "您权限范围内的实绩记录。筛选：status、category、cadre、unit（含下级）、role、date_from/date_to（开始日期）、"
        "submitted_from/submitted_to（提交日期）、submitter（提交人用户编号）、is_current、"
        "q（干部姓名/拼音首字母/身份证号开头/标题）；排序 ordering=date|submitted|updated|points|cadre|unit|category|status，"
        "前加“-”为倒序；不指定时与实绩记录页面相同（全市范围的用户最新在前，单位领导按待办状态）。"
        "单位或干部不在您的权限范围内时与不存在的编号一样返回 400。")),
    retrieve=extend_schema(summary=_("实绩记录详情（含佐证材料和疑似重复记录）")),
    create=extend_schema(summary=_("新建实绩记录（草稿）"), description=_(
        "干部须在您的管理范围内；时任单位取自干部现任职务。\"submit\": true 时保存后立即提交。")),
    update=extend_schema(summary=_("修改实绩记录（仅草稿和已退回）")),
    partial_update=extend_schema(summary=_("修改实绩记录（部分字段，仅草稿和已退回）")),
    destroy=extend_schema(summary=_("删除实绩记录（仅草稿）")),
)
class RecordViewSet(ApiViewSetMixin, viewsets.ModelViewSet):
    queryset = PerformanceRecord.objects.all()
    serializer_class = s.RecordListSerializer
    serializer_classes = {
        "retrieve": s.RecordDetailSerializer, "create": s.RecordCreateSerializer, "update": s.RecordUpdateSerializer,
        "partial_update": s.RecordUpdateSerializer, "amend": s.RecordAmendSerializer,
        "verify": s.RecordVerifySerializer, "return_": s.RecordReturnSerializer, "bulk_verify": s.BulkVerifySerializer,
        "evidence": s.EvidenceSerializer,
    }
    response_serializer_classes = {"create": s.RecordDetailSerializer, "update": s.RecordDetailSerializer,
                                   "partial_update": s.RecordDetailSerializer}
    filterset_class = RecordFilter  # the one record FilterSet (it holds its own ordering); for the schema
    filter_backends = [df.DjangoFilterBackend]
    write_action = "change"  # the gate action writes need; "verify" for verify / return / bulk-verify

    def get_queryset(self):
        qs = super().get_queryset().select_related("cadre", "unit", "category", "submitted_by")
        if self.action == "retrieve":
            qs = qs.select_related("created_by", "reviewed_by").prefetch_related(
                Prefetch("evidence", queryset=Evidence.objects.select_related("uploaded_by")))
        return qs

    def filter_queryset(self, queryset):
        """The list: the selector's one record list, as on the page and in the export (with each
        row's number of evidence files, a correlated count over the page's rows only). One record
        (detail routes and actions) is looked up without the list's filters."""
        if self.action != "list":
            return queryset
        f = selectors.record_list(user=self.request.user, filters=self.request.query_params, request=self.request,
                                  evidence_count=True)
        if not f.is_valid():
            raise translate_validation(f.errors)
        return f.qs

    def _answer(self, record, code=status.HTTP_200_OK):
        return Response(s.RecordDetailSerializer(record, context=self.get_serializer_context()).data, status=code)

    def _valid(self, serializer_class=None):
        serializer = (serializer_class or self.get_serializer_class())(data=self.request.data,
                                                                        context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        submit = data.pop("submit", False)
        serializer.instance = services.record_create(by=self.request.user, submit=submit, **data)

    def perform_update(self, serializer):
        serializer.instance = services.record_update(by=self.request.user, record=serializer.instance,
                                                     **serializer.validated_data)

    def perform_destroy(self, instance):
        services.record_delete(by=self.request.user, record=instance)

    # ---- workflow
    @extend_schema(summary=_("提交（草稿或已退回 → 已提交）"), request=None, responses=RECORD_ANSWER)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._answer(services.record_submit(by=request.user, record=self.get_object()))

    @extend_schema(summary=_("撤回（已提交 → 草稿，仅提交人或组织部）"), request=None, responses=RECORD_ANSWER)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._answer(services.record_withdraw(by=request.user, record=self.get_object()))

    @extend_schema(summary=_("核实（已提交 → 已核实，仅组织部）"), request=s.RecordVerifySerializer,
                   responses=RECORD_ANSWER,
                   description=_("按计分规则给分，可加人工调整分（须填写理由）；核实更正记录时取代原记录。"))
    @action(detail=True, methods=["post"], write_action="verify")
    def verify(self, request, pk=None):
        record = self.get_object()
        data = self._valid()
        return self._answer(services.record_verify(by=request.user, record=record, **data))

    @extend_schema(summary=_("退回（已提交 → 已退回，仅组织部）"), request=s.RecordReturnSerializer,
                   responses=RECORD_ANSWER, description=_("须填写退回原因；填报人会收到通知。"))
    @action(detail=True, methods=["post"], url_path="return", url_name="return", write_action="verify")
    def return_(self, request, pk=None):
        record = self.get_object()
        data = self._valid()
        return self._answer(services.record_return(by=request.user, record=record, reason=data["reason"]))

    @extend_schema(summary=_("更正已核实的记录"), request=s.RecordAmendSerializer,
                   responses={201: s.RecordDetailSerializer}, description=_(
                       "新建一条更正记录（草稿），未填的字段取自原记录；更正记录核实后取代原记录，两者都保留。"))
    @action(detail=True, methods=["post"])
    def amend(self, request, pk=None):
        original = self.get_object()
        data = self._valid()
        amendment = services.record_amend(by=request.user, original=original, **data)
        return self._answer(amendment, status.HTTP_201_CREATED)

    @extend_schema(summary=_("批量核实（仅组织部，全部成功或全部不变）"), request=s.BulkVerifySerializer,
                   responses={200: s.BulkVerifyResultSerializer}, description=_(
                       "按规则分核实所列的已提交记录；任何一条不能核实时，全部不核实并列出原因。"))
    @action(detail=False, methods=["post"], url_path="bulk-verify", url_name="bulk-verify", write_action="verify")
    def bulk_verify(self, request):
        done = services.record_bulk_verify(by=request.user, ids=self._valid()["ids"])
        return Response({"count": len(done), "ids": [r.pk for r in done]})

    # ---- evidence
    @extend_schema(methods=["GET"], summary=_("记录的佐证材料"), request=None,
                   responses={200: s.EvidenceSerializer(many=True)})
    @extend_schema(methods=["POST"], summary=_("上传佐证材料（仅草稿和已退回）"),
                   request={"multipart/form-data": s.EvidenceUploadSerializer},
                   responses={201: s.EvidenceSerializer}, description=_(
                       "表单字段 file：PDF、JPEG、PNG、Word 或 Excel，不超过20MB；类型按内容判断，改了扩展名的文件会被拒绝。"))
    @action(detail=True, methods=["get", "post"], parser_classes=[MultiPartParser, FormParser],
            pagination_class=None, filter_backends=[])  # a record's few files, whole: a plain list
    def evidence(self, request, pk=None):
        record = self.get_object()
        context = self.get_serializer_context()
        if request.method == "GET":
            files = record.evidence.select_related("uploaded_by")
            return Response(s.EvidenceSerializer(files, many=True, context=context).data)
        upload = self._valid(s.EvidenceUploadSerializer)["file"]
        evidence = services.evidence_add(by=request.user, record=record, upload=upload)
        return Response(s.EvidenceSerializer(evidence, context=context).data, status=status.HTTP_201_CREATED)


# --------------------------------------------------------------------------- evidence
@extend_schema_view(
    retrieve=extend_schema(summary=_("佐证材料信息")),
    destroy=extend_schema(summary=_("删除佐证材料（仅草稿和已退回的记录）")),
)
class EvidenceViewSet(ApiViewSetMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin,
                      viewsets.GenericViewSet):
    queryset = Evidence.objects.select_related("record", "uploaded_by")
    serializer_class = s.EvidenceSerializer
    filter_backends = []

    def perform_destroy(self, instance):
        services.evidence_delete(by=self.request.user, evidence=instance)

    @extend_schema(summary=_("下载佐证材料"), description=_("以附件形式返回文件；只有能查看该记录的用户可以下载。"),
                   responses={(200, mime): OpenApiResponse(  # each type an upload may have
                       response=OpenApiTypes.BINARY, description=_("文件内容（Content-Type 为上传时按内容识别的类型）。"))
                       for mime in sorted(set(EVIDENCE_TYPES.values()))})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        evidence = self.get_object()
        return serve_file(evidence.file, filename=evidence.original_name, content_type=evidence.content_type)


# --------------------------------------------------------------------------- task categories
@extend_schema_view(
    list=extend_schema(summary=_("中心工作类别（含各角色的规则分）")),
    retrieve=extend_schema(summary=_("中心工作类别详情")),
)
class TaskCategoryViewSet(ApiViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = TaskCategory.objects.prefetch_related("points_rules")
    serializer_class = s.TaskCategorySerializer
    filter_backends = [df.DjangoFilterBackend, OrderingFilter]
    filterset_fields = ["is_active"]
    ordering_fields = ["order", "name"]


# --------------------------------------------------------------------------- notifications
@extend_schema_view(list=extend_schema(summary=_("我的通知"), description=_("只含您自己的通知；unread=true 只列未读。")))
class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The caller's own notifications: no scope to restrict, the owner is the filter. Every
    signed-in, active user reaches their own, with or without a role (as on the /notifications/
    pages); nobody reaches another user's."""

    authentication_classes = ApiViewSetMixin.authentication_classes
    permission_classes = [OwnThingsPermission]
    schema = ApiAutoSchema()
    schema_error_codes = ("400", "401")  # no 403: nobody is refused their own
    serializer_class = s.NotificationSerializer
    filter_backends = [df.DjangoFilterBackend]
    filterset_class = NotificationFilter

    def get_queryset(self):
        user = self.request.user
        if getattr(self, "swagger_fake_view", False) or not user.is_authenticated:
            return Notification.objects.none()
        return Notification.objects.filter(user=user).order_by("-created_at", "-id")

    @extend_schema(summary=_("标为已读"), request=s.NotificationReadSerializer,
                   responses={200: s.NotificationReadResultSerializer},
                   description=_("将您的通知（全部，或 ids 所列的）标为已读。"))
    @action(detail=False, methods=["post"], url_path="read-all", url_name="read-all")
    def read_all(self, request):
        serializer = s.NotificationReadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        marked = notifications_mark_read(user=request.user, ids=serializer.validated_data.get("ids"))
        unread = Notification.objects.filter(user=request.user, read_at__isnull=True).count()
        return Response({"marked": marked, "unread": unread})


def register_records(router):
    router.register("records", RecordViewSet, basename="record")
    router.register("evidence", EvidenceViewSet, basename="evidence")
    router.register("task-categories", TaskCategoryViewSet, basename="task-category")
    router.register("notifications", NotificationViewSet, basename="notification")
    return router
