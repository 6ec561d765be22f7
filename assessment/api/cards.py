"""The cards API under /api/v1/.

- ``card-reasons/``: the reason categories with the term of each colour (org staff edit).
- ``cards/``: the cards in the user's scope (unit leaders: issued ones of their units, never 拟发);
  create (拟发) and edit while 拟发 (org staff); the steps as explicit actions
  ``POST cards/{id}/issue|uphold|revoke|lift/`` (``reason``; lift also ``lifted_on``) and
  ``POST cards/{id}/appeal/`` (``grounds``; the cadre's unit leader or org staff); each answers the
  card with its ``allowed_actions``. ``GET|POST cards/{id}/evidence/`` lists / uploads files.
- ``card-evidence/{id}/`` (read, delete while 拟发) and ``card-evidence/{id}/download/``.
- ``adjustments/``: the organisational adjustments red cards require; ``POST adjustments/{id}/record/``.
The services decide (``assessment/services/cards.py``): an illegal step answers 400 with their
message and changes nothing.
"""
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as df
from django_filters.utils import translate_validation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from cadres.services.records import EVIDENCE_TYPES
from pingdingshan.core import permissions as gate
from pingdingshan.core.files import serve_file
from pingdingshan.core.viewsets import ApiViewSetMixin

from .. import serializers_cards as s
from ..filters_cards import AdjustmentFilter, CardFilter
from ..models import Adjustment, CardEvidence, CardReason, WarningCard
from ..services import cards as svc


class _Valid:
    def _valid(self, serializer_class):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _lookup(self):
        """The object of a workflow action, looked up among those the user sees (404 otherwise);
        the service checks the step's own gate action (an appeal is not a ``change``)."""
        return gate.get_or_404(self.get_queryset().model.objects.all(), self.request.user, "view",
                               pk=self.kwargs.get(self.lookup_url_kwarg or self.lookup_field))


# --------------------------------------------------------------------------- reasons
@extend_schema_view(
    list=extend_schema(summary=_("红黄牌事由类别")), retrieve=extend_schema(summary=_("红黄牌事由类别详情")),
    create=extend_schema(summary=_("新增事由类别（仅组织部）")),
    partial_update=extend_schema(summary=_("修改事由类别（仅组织部）")),
)
class CardReasonViewSet(_Valid, ApiViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                        mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    queryset = CardReason.objects.all()
    serializer_class = s.CardReasonSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    filterset_fields = ["is_active"]
    ordering_fields = ["order", "name"]
    write_action = "discipline"

    def perform_create(self, serializer):
        serializer.instance = svc.card_reason_save(by=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = svc.card_reason_save(by=self.request.user, reason=serializer.instance,
                                                   **serializer.validated_data)


# --------------------------------------------------------------------------- cards
CARD_ANSWER = {200: s.CardDetailSerializer}


@extend_schema_view(
    list=extend_schema(summary=_("红黄牌列表"), description=_(
        "您权限范围内的红黄牌（单位领导只看到本单位已发放的，看不到拟发的）。筛选：color、status、reason、"
        "unit（干部单位，含下级）、cadre、date_from/date_to（发牌日期）、in_force（今天在期限内）、"
        "q（干部姓名/拼音首字母/身份证号）；排序 ordering=cadre|unit|color|reason|start|end|status，前加“-”为倒序。")),
    retrieve=extend_schema(summary=_("红黄牌详情（含办理经过、材料和可执行的操作）")),
    create=extend_schema(summary=_("拟发红黄牌（仅组织部）"), description=_(
        "干部须为在职干部；不填 end_date 时按事由类别中该颜色的期限计算（首尾两天都在期限内）。")),
    partial_update=extend_schema(summary=_("修改拟发的红黄牌（仅组织部）")),
)
class CardViewSet(_Valid, ApiViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                  mixins.UpdateModelMixin, viewsets.GenericViewSet):
    queryset = WarningCard.objects.all()
    serializer_class = s.CardListSerializer
    serializer_classes = {"retrieve": s.CardDetailSerializer, "create": s.CardWriteSerializer,
                          "partial_update": s.CardWriteSerializer}
    response_serializer_classes = {"create": s.CardDetailSerializer, "partial_update": s.CardDetailSerializer}
    http_method_names = ["get", "post", "patch", "head", "options"]
    filterset_class = CardFilter
    filter_backends = [df.DjangoFilterBackend]
    write_action = "discipline"

    def get_queryset(self):
        qs = super().get_queryset().select_related("cadre", "unit", "reason")
        if self.action == "retrieve":
            qs = qs.prefetch_related("evidence__uploaded_by")
        return qs

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        f = CardFilter(self.request.query_params, queryset=queryset, request=self.request)
        if not f.is_valid():
            raise translate_validation(f.errors)
        return f.qs

    def _answer(self, card, code=status.HTTP_200_OK):
        card = WarningCard.objects.select_related("cadre", "unit", "reason").get(pk=card.pk)
        return Response(s.CardDetailSerializer(card, context=self.get_serializer_context()).data, status=code)

    def create(self, request):
        data = self._valid(s.CardWriteSerializer)
        return self._answer(svc.card_create(by=request.user, **data), status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        card = self.get_object()
        data = self._valid_partial()
        return self._answer(svc.card_update(by=request.user, card=card, **data))

    def _valid_partial(self):
        serializer = s.CardWriteSerializer(data=self.request.data, partial=True, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    @extend_schema(summary=_("发放（拟发 → 已发，仅组织部）"), request=s.CardReasonStepSerializer, responses=CARD_ANSWER,
                   description=_("须填写理由；红牌发放后生成待办的组织调整；干部所在单位的领导收到通知。"))
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        card = self._lookup()
        return self._answer(svc.card_issue(by=request.user, card=card,
                                           reason=self._valid(s.CardReasonStepSerializer)["reason"]))

    @extend_schema(summary=_("申诉（已发 → 申诉中，干部所在单位领导或组织部）"), request=s.CardAppealSerializer,
                   responses=CARD_ANSWER, description=_("须填写申诉理由；期限已过的红黄牌不能申诉。"))
    @action(detail=True, methods=["post"], write_action="appeal")
    def appeal(self, request, pk=None):
        card = self._lookup()
        return self._answer(svc.card_appeal(by=request.user, card=card,
                                            grounds=self._valid(s.CardAppealSerializer)["grounds"]))

    @extend_schema(summary=_("维持（申诉中 → 申诉维持，仅组织部）"), request=s.CardReasonStepSerializer,
                   responses=CARD_ANSWER)
    @action(detail=True, methods=["post"])
    def uphold(self, request, pk=None):
        card = self._lookup()
        return self._answer(svc.card_uphold(by=request.user, card=card,
                                            reason=self._valid(s.CardReasonStepSerializer)["reason"]))

    @extend_schema(summary=_("撤销（拟发、已发、申诉中、申诉维持 → 已撤销，仅组织部）"),
                   request=s.CardReasonStepSerializer, responses=CARD_ANSWER,
                   description=_("须填写理由；待办的组织调整随之取消。"))
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        card = self._lookup()
        return self._answer(svc.card_revoke(by=request.user, card=card,
                                            reason=self._valid(s.CardReasonStepSerializer)["reason"]))

    @extend_schema(summary=_("提前解除（已发、申诉维持 → 提前解除，仅组织部）"), request=s.CardLiftSerializer,
                   responses=CARD_ANSWER)
    @action(detail=True, methods=["post"])
    def lift(self, request, pk=None):
        card = self._lookup()
        data = self._valid(s.CardLiftSerializer)
        return self._answer(svc.card_lift(by=request.user, card=card, reason=data["reason"], on=data["lifted_on"]))

    @extend_schema(methods=["GET"], summary=_("红黄牌的材料"), request=None,
                   responses={200: s.CardEvidenceSerializer(many=True)})
    @extend_schema(methods=["POST"], summary=_("上传材料（仅组织部；已撤销、已到期、已解除的不能上传）"),
                   request={"multipart/form-data": s.CardEvidenceUploadSerializer},
                   responses={201: s.CardEvidenceSerializer})
    @action(detail=True, methods=["get", "post"], parser_classes=[MultiPartParser, FormParser],
            pagination_class=None, filter_backends=[])
    def evidence(self, request, pk=None):
        card = self._lookup()
        context = self.get_serializer_context()
        if request.method == "GET":
            return Response(s.CardEvidenceSerializer(card.evidence.select_related("uploaded_by"), many=True,
                                                     context=context).data)
        upload = self._valid(s.CardEvidenceUploadSerializer)["file"]
        ev = svc.card_evidence_add(by=request.user, card=card, upload=upload)
        return Response(s.CardEvidenceSerializer(ev, context=context).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    retrieve=extend_schema(summary=_("红黄牌材料信息")),
    destroy=extend_schema(summary=_("删除红黄牌材料（仅拟发的红黄牌，仅组织部）")),
)
class CardEvidenceViewSet(ApiViewSetMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin,
                          viewsets.GenericViewSet):
    queryset = CardEvidence.objects.select_related("card", "uploaded_by")
    serializer_class = s.CardEvidenceSerializer
    filter_backends = []
    write_action = "discipline"

    def perform_destroy(self, instance):
        svc.card_evidence_delete(by=self.request.user, evidence=instance)

    @extend_schema(summary=_("下载红黄牌材料"), responses={(200, mime): OpenApiResponse(
        response=OpenApiTypes.BINARY, description=_("文件内容")) for mime in sorted(set(EVIDENCE_TYPES.values()))})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        ev = self.get_object()
        return serve_file(ev.file, filename=ev.original_name, content_type=ev.content_type)


# --------------------------------------------------------------------------- adjustments
@extend_schema_view(
    list=extend_schema(summary=_("组织调整列表"), description=_(
        "筛选：status、kind、unit（含下级）、overdue（待调整且已逾期）、q；排序 ordering=cadre|due|decided|status。")),
    retrieve=extend_schema(summary=_("组织调整详情")),
)
class AdjustmentViewSet(_Valid, ApiViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Adjustment.objects.select_related("cadre", "ended_appointment__post__unit",
                                                 "new_appointment__post__unit")
    serializer_class = s.AdjustmentSerializer
    filterset_class = AdjustmentFilter
    filter_backends = [df.DjangoFilterBackend]
    write_action = "discipline"

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        f = AdjustmentFilter(self.request.query_params, queryset=queryset, request=self.request)
        if not f.is_valid():
            raise translate_validation(f.errors)
        return f.qs

    @extend_schema(summary=_("登记组织调整（待调整 → 已调整，仅组织部）"), request=s.AdjustmentRecordSerializer,
                   responses={200: s.AdjustmentSerializer}, description=_(
                       "免去所选现任职务（任至调整日期前一天），调整岗位、改任非领导职务、降职须选择新任职务"
                       "（自调整日期起，按岗位职数检查）。"))
    @action(detail=True, methods=["post"])
    def record(self, request, pk=None):
        adjustment = self._lookup()
        done = svc.adjustment_record(by=request.user, adjustment=adjustment,
                                     **self._valid(s.AdjustmentRecordSerializer))
        done = self.queryset.model.objects.select_related(
            "cadre", "ended_appointment__post__unit", "new_appointment__post__unit").get(pk=done.pk)
        return Response(s.AdjustmentSerializer(done, context=self.get_serializer_context()).data)


def register(router):
    router.register("card-reasons", CardReasonViewSet, basename="card-reason")
    router.register("cards", CardViewSet, basename="card")
    router.register("card-evidence", CardEvidenceViewSet, basename="card-evidence")
    router.register("adjustments", AdjustmentViewSet, basename="adjustment")
    return router
