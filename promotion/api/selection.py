"""The selection record API under /api/v1/ (选任纪实).

- ``selections/``: the records in the user's scope (unit leaders: their units' subtree; auditors:
  all), filtered like the list page (status, kind, unit, year, q); create (org staff). A record's
  detail nests its posts with the 职数预审, candidates (with the inspection and the file check),
  recommendations with their ballots, decisions with their votes, documents, the step log, what is
  missing for the next step and ``allowed_actions``.
- The steps as explicit actions ``POST selections/{id}/<step>/`` with the step's data: ``motion``,
  ``recommend``, ``shortlist``, ``inspect``, ``decide``, ``postpone``, ``notice``, ``notice-result``,
  ``appoint``, ``probation``, ``stop``; ``POST selections/{id}/candidates/`` adds a candidate;
  ``GET|POST selections/{id}/documents/`` lists / uploads documents; each step answers the record.
- ``selection-documents/{id}/`` and ``selection-documents/{id}/download/``.
Every action is org staff's (gate action ``reserve``: 403 for others who see the record, 404 outside
their scope) except ``recommend``, which unit leaders of the record's unit may take too (gate action
``recommend``, the service's table). The services decide (``promotion/services/selection.py``): a step out of order or bad
data answers 400 with ``{"message", "errors": {field: [...]}}`` and changes nothing.
"""
from django.db.models import Prefetch
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

from .. import serializers_selection as s
from ..filters_selection import SelectionFilter
from ..models import (
    Ballot,
    DecisionVote,
    FileCheck,
    Selection,
    SelectionCandidate,
    SelectionDocument,
    SelectionPost,
)
from ..services import selection as svc

ANSWER = {200: s.SelectionDetailSerializer}


def _detail_queryset():
    return (Selection.objects.select_related("unit").prefetch_related(
        Prefetch("posts", queryset=SelectionPost.objects.select_related("post", "post__unit").prefetch_related("ends")),
        Prefetch("candidates", queryset=SelectionCandidate.objects.select_related("cadre").prefetch_related(
            Prefetch("file_checks", queryset=FileCheck.objects.order_by("id")))),
        Prefetch("recommendations__ballots", queryset=Ballot.objects.order_by("-votes", "id")),
        Prefetch("decisions__votes", queryset=DecisionVote.objects.order_by("id")),
        Prefetch("documents", queryset=SelectionDocument.objects.select_related("uploaded_by")),
        "recommendations__recorded_by", "decisions__recorded_by"))


def _step(summary, serializer, description=""):
    return extend_schema(summary=summary, request=serializer, responses=ANSWER, description=description)


@extend_schema_view(
    list=extend_schema(summary=_("选任纪实列表"), description=_(
        "您权限范围内的选任纪实。筛选：status（所处环节）、kind、unit（含下级）、year（创建年度）、"
        "q（名称或人选姓名/拼音首字母）；排序 ordering=title|unit|kind|status|created|motion，前加“-”为倒序。")),
    retrieve=extend_schema(summary=_("选任纪实详情（各环节数据、材料、办理经过、下一环节所需和可执行的操作）")),
    create=extend_schema(summary=_("新建选任纪实（仅组织部）"), request=s.SelectionCreateSerializer,
                         responses={201: s.SelectionDetailSerializer}),
)
class SelectionViewSet(ApiViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                       viewsets.GenericViewSet):
    queryset = Selection.objects.all()
    serializer_class = s.SelectionListSerializer
    serializer_classes = {"retrieve": s.SelectionDetailSerializer, "create": s.SelectionCreateSerializer}
    http_method_names = ["get", "post", "head", "options"]
    filterset_class = SelectionFilter
    filter_backends = [df.DjangoFilterBackend]

    @property
    def write_action(self):
        """The gate action a write needs before any lookup: the service table's for its steps."""
        return svc.gate_action(self.action) if self.action in svc.TRANSITIONS else "reserve"

    def get_queryset(self):
        if self.action == "list":
            return (super().get_queryset().select_related("unit").prefetch_related(
                Prefetch("posts", queryset=SelectionPost.objects.select_related("post")),
                Prefetch("candidates", queryset=SelectionCandidate.objects.select_related("cadre"))))
        if self.action == "retrieve":
            return _detail_queryset().restrict(self.request.user, "view")
        return super().get_queryset()

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        f = SelectionFilter(self.request.query_params, queryset=queryset, request=self.request)
        if not f.is_valid():
            raise translate_validation(f.errors)
        return f.qs

    def _valid(self, serializer_class):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer

    def _lookup(self) -> Selection:
        return gate.get_or_404(Selection.objects.select_related("unit"), self.request.user, "view",
                               pk=self.kwargs.get("pk"))

    def _answer(self, selection, code=status.HTTP_200_OK):
        obj = _detail_queryset().get(pk=selection.pk)
        return Response(s.SelectionDetailSerializer(obj, context=self.get_serializer_context()).data, status=code)

    def create(self, request):
        gate.require(request.user, "reserve")
        d = dict(self._valid(s.SelectionCreateSerializer).validated_data)
        return self._answer(svc.selection_create(by=request.user, **d), status.HTTP_201_CREATED)

    def _run(self, serializer_class, fn, action=None):
        gate.require(self.request.user, svc.gate_action(action) if action else "reserve")
        selection = self._lookup()
        data = self._valid(serializer_class).service()
        fn(by=self.request.user, selection=selection, **data)
        return self._answer(selection)

    @_step(_("登记分析研判和动议（职数预审，仅组织部）"), s.MotionSerializer,
           _("posts：各拟任职务的拟配人数和拟免的任职；现配 − 拟免 + 拟配 超过核定职数的，不能动议。"))
    @action(detail=True, methods=["post"])
    def motion(self, request, pk=None):
        return self._run(s.MotionSerializer, svc.selection_motion)

    @_step(_("登记民主推荐（谈话调研推荐或会议推荐；组织部或本单位领导）"), s.RecommendSerializer,
           _("ballots：每名人选的推荐票、弃权票、无效票；推荐结果一年内有效。"))
    @action(detail=True, methods=["post"])
    def recommend(self, request, pk=None):
        return self._run(s.RecommendSerializer, svc.selection_recommend, "recommend")

    @_step(_("确定考察对象（仅组织部）"), s.ShortlistSerializer, _("非得票靠前的人选须填写理由。"))
    @action(detail=True, methods=["post"])
    def shortlist(self, request, pk=None):
        return self._run(s.ShortlistSerializer, svc.selection_shortlist)

    @_step(_("登记考察（仅组织部）"), s.InspectSerializer,
           _("每名考察对象的民主测评、纪委函询、个人有关事项和档案审核（三龄两历一身份）。"))
    @action(detail=True, methods=["post"])
    def inspect(self, request, pk=None):
        return self._run(s.InspectSerializer, svc.selection_inspect)

    @_step(_("登记讨论决定（仅组织部）"), s.SelectionDecideSerializer, _("超过应到会成员半数同意为通过，恰好半数不通过。"))
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        return self._run(s.SelectionDecideSerializer, svc.selection_decide)

    @_step(_("缓议（仅组织部）"), s.PostponeSerializer)
    @action(detail=True, methods=["post"])
    def postpone(self, request, pk=None):
        return self._run(s.PostponeSerializer, svc.selection_postpone)

    @_step(_("登记任前公示（仅组织部）"), s.NoticeSerializer, _("不少于5个工作日，按国家法定节假日和调休安排计算。"))
    @action(detail=True, methods=["post"])
    def notice(self, request, pk=None):
        return self._run(s.NoticeSerializer, svc.selection_notice)

    @_step(_("登记公示结果（公示期满后，仅组织部）"), s.NoticeResultSerializer)
    @action(detail=True, methods=["post"], url_path="notice-result", url_name="notice-result")
    def notice_result(self, request, pk=None):
        return self._run(s.NoticeResultSerializer, svc.selection_notice_result)

    @_step(_("登记任职（仅组织部）"), s.AppointSerializer,
           _("公示期满且无影响任职的问题后；职数按岗位再次核对，有任何问题全部不保存。"))
    @action(detail=True, methods=["post"])
    def appoint(self, request, pk=None):
        return self._run(s.AppointSerializer, svc.selection_appoint)

    @_step(_("登记试用期满结果：转正或恢复原职级（仅组织部）"), s.ProbationSerializer)
    @action(detail=True, methods=["post"])
    def probation(self, request, pk=None):
        return self._run(s.ProbationSerializer, svc.selection_probation)

    @_step(_("终止（仅组织部）"), s.StopSerializer)
    @action(detail=True, methods=["post"])
    def stop(self, request, pk=None):
        return self._run(s.StopSerializer, svc.selection_stop)

    @extend_schema(summary=_("添加人选（仅组织部）"), request=s.CandidateAddSerializer, responses=ANSWER)
    @action(detail=True, methods=["post"])
    def candidates(self, request, pk=None):
        gate.require(request.user, "reserve")
        selection = self._lookup()
        d = self._valid(s.CandidateAddSerializer).validated_data
        target = selection.posts.filter(pk=d["target"]).first() if d.get("target") else None
        svc.candidate_add(by=request.user, selection=selection, cadre=d["cadre"], target=target)
        return self._answer(selection)

    @extend_schema(methods=["GET"], summary=_("选任纪实的材料"), request=None,
                   responses={200: s.DocumentSerializer(many=True)})
    @extend_schema(methods=["POST"], summary=_("上传材料（仅组织部）"),
                   request={"multipart/form-data": s.DocumentUploadSerializer}, responses={201: s.DocumentSerializer})
    @action(detail=True, methods=["get", "post"], parser_classes=[MultiPartParser, FormParser], pagination_class=None,
            filter_backends=[])
    def documents(self, request, pk=None):
        selection = self._lookup()
        context = self.get_serializer_context()
        if request.method == "GET":
            return Response(s.DocumentSerializer(selection.documents.select_related("uploaded_by"), many=True,
                                                 context=context).data)
        gate.require(request.user, "reserve")
        d = self._valid(s.DocumentUploadSerializer).validated_data
        doc = svc.selection_document_add(by=request.user, selection=selection, step=d["step"], upload=d["file"],
                                         title=d.get("title") or "")
        return Response(s.DocumentSerializer(doc, context=context).data, status=status.HTTP_201_CREATED)


@extend_schema_view(retrieve=extend_schema(summary=_("选任材料信息")),
                    destroy=extend_schema(summary=_("删除选任材料（仅组织部，选任纪实办结前）"),
                                          responses={204: None}))
class SelectionDocumentViewSet(ApiViewSetMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin,
                               viewsets.GenericViewSet):
    queryset = SelectionDocument.objects.select_related("selection", "uploaded_by")
    serializer_class = s.DocumentSerializer
    filter_backends = []
    write_action = "reserve"

    def destroy(self, request, pk=None):
        gate.require(request.user, "reserve")
        svc.selection_document_delete(by=request.user, document=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(summary=_("下载选任材料"), responses={(200, mime): OpenApiResponse(
        response=OpenApiTypes.BINARY, description=_("文件内容")) for mime in sorted(set(EVIDENCE_TYPES.values()))})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        doc = self.get_object()
        return serve_file(doc.file, filename=doc.original_name, content_type=doc.content_type)


def register(router):
    router.register("selections", SelectionViewSet, basename="selection")
    router.register("selection-documents", SelectionDocumentViewSet, basename="selection-document")
    return router
