"""The postings API under /api/v1/.

- ``programmes/``: the programmes of frontline postings (org staff edit; ``is_active=false`` retires one).
- ``postings/``: the postings in the user's scope; create (待审批: unit leaders for cadres of their
  units, org staff) and edit while 待审批; the steps as explicit actions
  ``POST postings/{id}/approve|reject|close/`` (org staff) and ``POST postings/{id}/withdraw/``
  (the proposer's side); each answers the posting with its ``allowed_actions``.
The services decide (``promotion/services/postings.py``): an illegal step answers 400 with their
message and changes nothing.
"""
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as df
from django_filters.utils import translate_validation
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from pingdingshan.core import permissions as gate
from pingdingshan.core.viewsets import ApiViewSetMixin

from .. import serializers_postings as s
from ..filters_postings import PostingFilter
from ..models import FrontlinePosting, Programme
from ..services import postings as svc

RELATED = ("cadre", "cadre__unit", "programme", "host_unit")


@extend_schema_view(
    list=extend_schema(summary=_("实践练兵项目")), retrieve=extend_schema(summary=_("实践练兵项目详情")),
    create=extend_schema(summary=_("新增实践练兵项目（仅组织部）")),
    partial_update=extend_schema(summary=_("修改或停用实践练兵项目（仅组织部）")),
)
class ProgrammeViewSet(ApiViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                       mixins.UpdateModelMixin, viewsets.GenericViewSet):
    queryset = Programme.objects.all()
    serializer_class = s.ProgrammeSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    filterset_fields = ["is_active"]
    ordering_fields = ["order", "name"]
    write_action = "reserve"

    def perform_create(self, serializer):
        serializer.instance = svc.programme_save(by=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = svc.programme_save(by=self.request.user, programme=serializer.instance,
                                                 **serializer.validated_data)


ANSWER = {200: s.PostingDetailSerializer}


@extend_schema_view(
    list=extend_schema(summary=_("一线历练列表"), description=_(
        "您权限范围内的一线历练（墩苗育苗、实践练兵）。筛选：programme、status、evaluation、unit（干部单位，含下级）、"
        "cadre、on（该日在岗：已批准且期间包含该日）、date_from/date_to（开始日期）、to_evaluate（期满待评价）、"
        "q（干部姓名/拼音首字母/身份证号）；排序 ordering=cadre|programme|start|end|status|evaluation，前加“-”为倒序。")),
    retrieve=extend_schema(summary=_("一线历练详情（含办理经过和可执行的操作）")),
    create=extend_schema(summary=_("提出一线历练（单位领导为本单位干部，或组织部）"), request=s.PostingWriteSerializer,
                         responses={201: s.PostingDetailSerializer}, description=_(
                             "干部须为在职干部，项目须启用，派驻单位或任务必填，结束日期不早于开始日期；"
                             "同一干部待审批或进行中的一线历练时间不能重叠。")),
    partial_update=extend_schema(summary=_("修改待审批的一线历练"), request=s.PostingWriteSerializer,
                                 responses=ANSWER),
)
class PostingViewSet(ApiViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                     mixins.UpdateModelMixin, viewsets.GenericViewSet):
    queryset = FrontlinePosting.objects.all()
    serializer_class = s.PostingListSerializer
    serializer_classes = {"retrieve": s.PostingDetailSerializer, "create": s.PostingWriteSerializer,
                          "partial_update": s.PostingWriteSerializer}
    http_method_names = ["get", "post", "patch", "head", "options"]
    filterset_class = PostingFilter
    filter_backends = [df.DjangoFilterBackend]
    write_action = "change"  # approve, reject and close: "reserve" (org staff)

    def get_queryset(self):
        return super().get_queryset().select_related(*RELATED)

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        f = PostingFilter(self.request.query_params, queryset=queryset, request=self.request)
        if not f.is_valid():
            raise translate_validation(f.errors)
        return f.qs

    def _valid(self, serializer_class, *, partial=False):
        serializer = serializer_class(data=self.request.data, partial=partial, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _lookup(self):
        """The posting of a step, among those the user sees (404 otherwise); the service checks the
        step's own gate action."""
        return gate.get_or_404(FrontlinePosting.objects.all(), self.request.user, "view", pk=self.kwargs.get("pk"))

    def _answer(self, posting, code=status.HTTP_200_OK):
        posting = FrontlinePosting.objects.select_related(*RELATED, "proposed_by", "approved_by",
                                                          "evaluated_by").get(pk=posting.pk)
        return Response(s.PostingDetailSerializer(posting, context=self.get_serializer_context()).data, status=code)

    def create(self, request):
        data = self._valid(s.PostingWriteSerializer)
        return self._answer(svc.posting_propose(by=request.user, fields=data), status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        posting = self.get_object()
        data = self._valid(s.PostingWriteSerializer, partial=True)
        return self._answer(svc.posting_update(by=request.user, posting=posting, fields=data))

    @extend_schema(summary=_("批准（待审批 → 进行中，仅组织部）"), request=s.PostingReasonSerializer, responses=ANSWER,
                   description=_("理由可不填；干部所在单位的领导收到通知。"))
    @action(detail=True, methods=["post"], write_action="reserve")
    def approve(self, request, pk=None):
        posting = self._lookup()
        return self._answer(svc.posting_approve(by=request.user, posting=posting,
                                                reason=self._valid(s.PostingReasonSerializer)["reason"]))

    @extend_schema(summary=_("不予批准（待审批 → 未批准，仅组织部）"), request=s.PostingRequiredReasonSerializer,
                   responses=ANSWER, description=_("须填写理由；干部所在单位的领导收到通知。"))
    @action(detail=True, methods=["post"], write_action="reserve")
    def reject(self, request, pk=None):
        posting = self._lookup()
        return self._answer(svc.posting_reject(by=request.user, posting=posting,
                                               reason=self._valid(s.PostingRequiredReasonSerializer)["reason"]))

    @extend_schema(summary=_("期满评价并结束（进行中 → 已结束，仅组织部）"), request=s.PostingCloseSerializer,
                   responses=ANSWER, description=_("须选择期满评价；评价日期不填为今天，不能早于开始日期。"))
    @action(detail=True, methods=["post"], write_action="reserve")
    def close(self, request, pk=None):
        posting = self._lookup()
        data = self._valid(s.PostingCloseSerializer)
        return self._answer(svc.posting_close(by=request.user, posting=posting, evaluation=data["evaluation"],
                                              remarks=data["remarks"], evaluated_on=data["evaluated_on"]))

    @extend_schema(summary=_("撤回（待审批 → 已撤回，干部所在单位领导或组织部）"), request=s.PostingReasonSerializer,
                   responses=ANSWER)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        posting = self._lookup()
        return self._answer(svc.posting_withdraw(by=request.user, posting=posting,
                                                 reason=self._valid(s.PostingReasonSerializer)["reason"]))


def register(router):
    router.register("programmes", ProgrammeViewSet, basename="programme")
    router.register("postings", PostingViewSet, basename="posting")
    return router
