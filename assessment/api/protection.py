"""The protection API under /api/v1/ (容错纠错).

- ``tolerance-rulings/``: the rulings the caller sees (filters and ordering of the ruling list);
  ``POST`` applies (``ruling_apply``: unit leaders for cadres of their scope, org staff);
  ``POST tolerance-rulings/{id}/accept|reject|verify|decide|report/`` are org staff's steps;
  ``GET|POST tolerance-rulings/{id}/evidence/`` lists / uploads files; ``ruling-evidence/{id}/``
  (read, delete) and ``ruling-evidence/{id}/download/``.
- ``risk-filings/``: filings; ``POST`` files one (unit leaders in their scope, org staff);
  ``POST risk-filings/{id}/acknowledge/`` (org staff).
- ``clarifications/``: clarifications; ``POST`` records one (org staff; a named card is revoked);
  ``POST clarifications/{id}/follow-up/`` marks a malicious report handed over (org staff).

Every detail carries ``allowed_actions`` (from the services' tables, as the pages' forms). As
everywhere: reads through the gate (out of scope → 404), writes through one service (a refusal →
400 naming the field, nothing changed).
"""
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as df
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from cadres.models import Cadre, Unit
from cadres.serializers import GatedPrimaryKeyRelatedField
from cadres.serializers_records import EvidenceUploadSerializer, UserRefSerializer
from cadres.services.records import EVIDENCE_TYPES
from pingdingshan.core.api import NullIfBlankChoiceField
from pingdingshan.core.files import serve_file
from pingdingshan.core.viewsets import ApiViewSetMixin

from ..filters_protection import ClarificationFilter, FilingFilter, RulingFilter
from ..models import (
    ApplicantKind,
    Clarification,
    ClarificationMethod,
    ClarificationSource,
    RiskFiling,
    RulingDecision,
    RulingEvidence,
    Sanction,
    ToleranceRuling,
    WarningCard,
)
from ..services import protection as svc

RULING_ACTIONS = sorted(svc.RULING_TRANSITIONS | svc.RULING_STEPS)


# --------------------------------------------------------------------------- serializers
class FilingSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    cadre_name = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField(help_text=_("您现在可以执行的操作：acknowledge（备案）。"))

    class Meta:
        model = RiskFiling
        fields = ["id", "unit", "unit_name", "cadre", "cadre_name", "matter", "risk", "measures", "decision_date",
                  "filed_on", "status", "filed_by", "acknowledged_by", "acknowledged_at", "allowed_actions"]
        read_only_fields = fields

    def get_cadre_name(self, obj) -> str:
        return obj.cadre.name if obj.cadre_id else ""

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=sorted(svc.FILING_TRANSITIONS))))
    def get_allowed_actions(self, obj) -> list[str]:
        return sorted(svc.filing_allowed_actions(obj, self.context["request"].user))


class FilingCreateSerializer(serializers.Serializer):
    unit = GatedPrimaryKeyRelatedField(queryset=Unit.objects.all(), help_text=_("报备单位编号（您管理范围内的单位）。"))
    cadre = GatedPrimaryKeyRelatedField(queryset=Cadre.objects.select_related("unit"), required=False,
                                        allow_null=True, help_text=_("责任干部编号（可选，须在报备单位内）。"))
    matter = serializers.CharField(max_length=200)
    risk = serializers.CharField(max_length=5000)
    measures = serializers.CharField(max_length=5000)
    decision_date = serializers.DateField(required=False, allow_null=True)
    filed_on = serializers.DateField()


class AcknowledgeSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=5000, required=False, allow_blank=True, help_text=_("备案意见（可选）。"))


class RulingSerializer(serializers.ModelSerializer):
    cadre_name = serializers.CharField(source="cadre.name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    decision = NullIfBlankChoiceField(choices=RulingDecision.choices, help_text=_("认定结论；尚未认定时为 null。"))
    filed_beforehand = serializers.SerializerMethodField(help_text=_("事前已报备（有利情节）。"))

    class Meta:
        model = ToleranceRuling
        fields = ["id", "cadre", "cadre_name", "unit", "unit_name", "applicant", "matter", "status", "decision",
                  "risk_filing", "card", "sanction", "filed_beforehand", "decided_on", "reported_on", "applied_at"]
        read_only_fields = fields

    def get_filed_beforehand(self, obj) -> bool:
        return obj.risk_filing_id is not None


class RulingDetailSerializer(RulingSerializer):
    risk_filing_detail = serializers.SerializerMethodField(help_text=_(
        "事前报备（有利情节）：报备日期、事项和防控措施；没有报备时为 null。"))
    allowed_actions = serializers.SerializerMethodField(help_text=_(
        "您现在可以执行的操作：accept、reject、verify、decide、report、upload、delete_evidence。"))

    class Meta(RulingSerializer.Meta):
        fields = RulingSerializer.Meta.fields + [
            "loss", "conduct", "unforeseen", "unforeseen_facts", "public_gain", "public_gain_facts", "inexperience",
            "inexperience_facts", "procedure_followed", "procedure_facts", "remedied", "remedied_facts",
            "review_date", "review_members", "decision_reason", "waive_card", "waive_assessment", "waive_pool",
            "waive_promotion", "waive_awards", "reported_to", "rejection_reason", "applied_by",
            "risk_filing_detail", "allowed_actions"]
        read_only_fields = fields

    @extend_schema_field(FilingSerializer(allow_null=True))
    def get_risk_filing_detail(self, obj):
        if obj.risk_filing_id is None:
            return None
        return FilingSerializer(obj.risk_filing, context=self.context).data

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=RULING_ACTIONS)))
    def get_allowed_actions(self, obj) -> list[str]:
        return sorted(svc.ruling_allowed_actions(obj, self.context["request"].user))


class RulingEvidenceSerializer(serializers.ModelSerializer):
    """A ruling's file; the content is at ``download_url`` (gated)."""

    uploaded_by = UserRefSerializer(read_only=True, allow_null=True)
    previewable = serializers.BooleanField(read_only=True, help_text=_("图片和PDF可在页面中预览。"))
    download_url = serializers.SerializerMethodField(help_text=_("下载地址（需登录且在权限范围内）。"))

    class Meta:
        model = RulingEvidence
        fields = ["id", "ruling", "original_name", "content_type", "size", "sha256", "uploaded_by", "uploaded_at",
                  "previewable", "download_url"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField())
    def get_download_url(self, obj) -> str:
        return reverse("ruling-evidence-download", args=[obj.pk])


class RulingApplySerializer(serializers.Serializer):
    cadre = GatedPrimaryKeyRelatedField(queryset=Cadre.objects.select_related("unit"),
                                        help_text=_("干部编号（您管理范围内的干部）。"))
    applicant = serializers.ChoiceField(choices=ApplicantKind.choices, default=ApplicantKind.UNIT,
                                        help_text=_("申请方；单位领导只能为 unit（干部所在单位）。"))
    matter = serializers.CharField(max_length=200)
    loss = serializers.CharField(max_length=5000)
    conduct = serializers.CharField(max_length=5000)
    risk_filing = GatedPrimaryKeyRelatedField(queryset=RiskFiling.objects.select_related("unit"), required=False,
                                              allow_null=True, help_text=_("事前报备编号（可选）。"))
    card = GatedPrimaryKeyRelatedField(queryset=WarningCard.objects.all(), required=False, allow_null=True,
                                       help_text=_("涉及的红黄牌编号（可选，须是该干部的）。"))
    sanction = GatedPrimaryKeyRelatedField(queryset=Sanction.objects.all(), required=False, allow_null=True,
                                           help_text=_("涉及的处分编号（可选，须是该干部的）。"))


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=5000, allow_blank=True, help_text=_("理由（必填）。"))


class VerifySerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=5000, allow_blank=True, help_text=_("核实意见（必填）。"))
    unforeseen = serializers.BooleanField(allow_null=True, required=False, default=None,
                                          help_text=_("属于探索中的失误（而非明知故犯）。"))
    unforeseen_facts = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    public_gain = serializers.BooleanField(allow_null=True, required=False, default=None,
                                           help_text=_("为公（而非为私）。"))
    public_gain_facts = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    inexperience = serializers.BooleanField(allow_null=True, required=False, default=None,
                                            help_text=_("缺乏经验（而非故意违纪违法）。"))
    inexperience_facts = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    procedure_followed = serializers.BooleanField(allow_null=True, required=False, default=None,
                                                  help_text=_("履行了决策程序。"))
    procedure_facts = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    remedied = serializers.BooleanField(allow_null=True, required=False, default=None, help_text=_("积极挽回损失。"))
    remedied_facts = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class DecideSerializer(serializers.Serializer):
    review_date = serializers.DateField(required=False, allow_null=True, default=None, help_text=_("问责会审日期。"))
    review_members = serializers.CharField(max_length=300, required=False, allow_blank=True, default="",
                                           help_text=_("会审单位和人员。"))
    decision = serializers.ChoiceField(choices=RulingDecision.choices, help_text=_("认定结论。"))
    decision_reason = serializers.CharField(max_length=5000, allow_blank=True, help_text=_("认定理由。"))
    decided_on = serializers.DateField(required=False, allow_null=True, default=None,
                                       help_text=_("认定日期；不填为今天。"))
    waive_card = serializers.BooleanField(required=False, default=False, help_text=_("撤销涉及的红黄牌。"))
    waive_assessment = serializers.BooleanField(required=False, default=False)
    waive_pool = serializers.BooleanField(required=False, default=False)
    waive_promotion = serializers.BooleanField(required=False, default=False)
    waive_awards = serializers.BooleanField(required=False, default=False)


class ReportSerializer(serializers.Serializer):
    reported_on = serializers.DateField(required=False, allow_null=True, default=None)
    reported_to = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    reason = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class ClarificationSerializer(serializers.ModelSerializer):
    cadre_name = serializers.CharField(source="cadre.name", read_only=True)
    allowed_actions = serializers.SerializerMethodField(help_text=_("您现在可以执行的操作：follow_up（移交查处）。"))

    class Meta:
        model = Clarification
        fields = ["id", "cadre", "cadre_name", "source", "report", "finding", "method", "venue", "cleared_on",
                  "malicious", "follow_up", "follow_up_note", "card", "recorded_by", "recorded_at", "allowed_actions"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(
        choices=sorted(svc.CLARIFICATION_TRANSITIONS))))
    def get_allowed_actions(self, obj) -> list[str]:
        return sorted(svc.clarification_allowed_actions(obj, self.context["request"].user))


class ClarificationCreateSerializer(serializers.Serializer):
    cadre = GatedPrimaryKeyRelatedField(queryset=Cadre.objects.select_related("unit"))
    source = serializers.ChoiceField(choices=ClarificationSource.choices)
    report = serializers.CharField(max_length=5000)
    finding = serializers.CharField(max_length=5000)
    method = serializers.ChoiceField(choices=ClarificationMethod.choices)
    venue = serializers.CharField(max_length=200)
    cleared_on = serializers.DateField()
    malicious = serializers.BooleanField(required=False, default=False)
    card = GatedPrimaryKeyRelatedField(queryset=WarningCard.objects.all(), required=False, allow_null=True,
                                       help_text=_("据此撤销的红黄牌编号（可选）。"))


class ClarificationFollowUpSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=5000, allow_blank=True, help_text=_("查处情况（必填）。"))


# --------------------------------------------------------------------------- viewsets
class _Base(ApiViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
            viewsets.GenericViewSet):
    filter_backends = [df.DjangoFilterBackend]  # the FilterSets hold their own ordering
    detail_serializer = None
    write_action = "change"  # the gate action writes need; "discipline" for the steps

    def _valid(self, serializer_class):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _answer(self, obj, code=status.HTTP_200_OK):
        obj = self.get_queryset().model._default_manager.get(pk=obj.pk)
        return Response(self.detail_serializer(obj, context=self.get_serializer_context()).data, status=code)

    def create(self, request, *args, **kwargs):
        data = self._valid(self.get_serializer_class())
        return self._answer(self.perform(data), status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary=_("容错裁定列表"), description=_(
        "您权限范围内的容错申请和裁定。筛选：status、decision、applicant、unit（含下级）、date_from/date_to（申请日期）、"
        "filed（事前已报备）、q（干部姓名/拼音首字母/身份证号开头/事项）；排序 ordering=applied|cadre|status|decided。")),
    retrieve=extend_schema(summary=_("容错裁定详情（含五项情形、会审、认定和免除的影响）")),
    create=extend_schema(summary=_("申请容错"), request=RulingApplySerializer, responses={201: RulingDetailSerializer},
                         description=_("干部所在单位领导（其管理范围内）或组织部申请；同一红黄牌、处分或报备事项只能有一个"
                                       "未被不予受理的申请。")),
)
class ToleranceRulingViewSet(_Base):
    queryset = ToleranceRuling.objects.select_related("cadre", "unit", "risk_filing", "risk_filing__unit", "card",
                                                      "sanction")
    serializer_class = RulingSerializer
    serializer_classes = {"retrieve": RulingDetailSerializer, "create": RulingApplySerializer}
    detail_serializer = RulingDetailSerializer
    filterset_class = RulingFilter

    def get_queryset(self):
        qs = super().get_queryset()
        return qs if qs.query.order_by else qs.order_by("-applied_at", "-id")

    def perform(self, data):
        return svc.ruling_apply(by=self.request.user, **data)

    def _step(self, service, serializer_class):
        ruling = self.get_object()
        return self._answer(service(by=self.request.user, ruling=ruling, **self._valid(serializer_class)))

    @extend_schema(summary=_("受理（申请 → 受理，仅组织部）"), request=ReasonSerializer,
                   responses={200: RulingDetailSerializer})
    @action(detail=True, methods=["post"], write_action="discipline")
    def accept(self, request, pk=None):
        return self._step(svc.ruling_accept, ReasonSerializer)

    @extend_schema(summary=_("不予受理（申请 → 不予受理，仅组织部）"), request=ReasonSerializer,
                   responses={200: RulingDetailSerializer})
    @action(detail=True, methods=["post"], write_action="discipline")
    def reject(self, request, pk=None):
        return self._step(svc.ruling_reject, ReasonSerializer)

    @extend_schema(summary=_("核实（受理 → 核实，仅组织部）：五项情形逐项回答并写明事实"), request=VerifySerializer,
                   responses={200: RulingDetailSerializer})
    @action(detail=True, methods=["post"], write_action="discipline")
    def verify(self, request, pk=None):
        return self._step(svc.ruling_verify, VerifySerializer)

    @extend_schema(summary=_("认定（核实 → 认定，仅组织部）：问责会审后认定，选择免除的影响"), request=DecideSerializer,
                   responses={200: RulingDetailSerializer},
                   description=_("waive_card 撤销涉及的红黄牌；不予容错时不能免除任何影响。"))
    @action(detail=True, methods=["post"], write_action="discipline")
    def decide(self, request, pk=None):
        return self._step(svc.ruling_decide, DecideSerializer)

    @extend_schema(summary=_("报备（认定 → 报备，仅组织部）"), request=ReportSerializer,
                   responses={200: RulingDetailSerializer})
    @action(detail=True, methods=["post"], write_action="discipline")
    def report(self, request, pk=None):
        return self._step(svc.ruling_report, ReportSerializer)

    @extend_schema(methods=["GET"], summary=_("容错材料"), request=None,
                   responses={200: RulingEvidenceSerializer(many=True)})
    @extend_schema(methods=["POST"], summary=_("上传容错材料（单位领导仅限申请阶段，组织部至报备前）"),
                   request={"multipart/form-data": EvidenceUploadSerializer},
                   responses={201: RulingEvidenceSerializer}, description=_(
                       "表单字段 file：PDF、JPEG、PNG、Word 或 Excel，不超过20MB；类型按内容判断。"))
    @action(detail=True, methods=["get", "post"], parser_classes=[MultiPartParser, FormParser],
            pagination_class=None, filter_backends=[])
    def evidence(self, request, pk=None):
        ruling = self.get_object()
        context = self.get_serializer_context()
        if request.method == "GET":
            return Response(RulingEvidenceSerializer(ruling.evidence.select_related("uploaded_by"), many=True,
                                                     context=context).data)
        upload = self._valid(EvidenceUploadSerializer)["file"]
        evidence = svc.ruling_evidence_add(by=request.user, ruling=ruling, upload=upload)
        return Response(RulingEvidenceSerializer(evidence, context=context).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    retrieve=extend_schema(summary=_("容错材料信息")),
    destroy=extend_schema(summary=_("删除容错材料（单位领导仅限申请阶段，组织部至报备前）")),
)
class RulingEvidenceViewSet(ApiViewSetMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin,
                            viewsets.GenericViewSet):
    queryset = RulingEvidence.objects.select_related("ruling", "uploaded_by")
    serializer_class = RulingEvidenceSerializer
    filter_backends = []

    def perform_destroy(self, instance):
        svc.ruling_evidence_delete(by=self.request.user, evidence=instance)

    @extend_schema(summary=_("下载容错材料"), description=_("以附件形式返回文件；只有能查看该容错裁定的用户可以下载。"),
                   responses={(200, mime): OpenApiResponse(
                       response=OpenApiTypes.BINARY, description=_("文件内容（Content-Type 为上传时按内容识别的类型）。"))
                       for mime in sorted(set(EVIDENCE_TYPES.values()))})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        evidence = self.get_object()
        return serve_file(evidence.file, filename=evidence.original_name, content_type=evidence.content_type)


@extend_schema_view(
    list=extend_schema(summary=_("风险报备列表"), description=_(
        "筛选：status、unit（含下级）、date_from/date_to（报备日期）、q（事项/责任干部）；排序 ordering=filed|unit|status。")),
    retrieve=extend_schema(summary=_("风险报备详情")),
    create=extend_schema(summary=_("报备风险事项"), request=FilingCreateSerializer, responses={201: FilingSerializer},
                         description=_("单位领导为其管理范围内的单位报备，组织部可为任何单位报备。")),
)
class RiskFilingViewSet(_Base):
    queryset = RiskFiling.objects.select_related("unit", "cadre")
    serializer_class = FilingSerializer
    serializer_classes = {"create": FilingCreateSerializer}
    detail_serializer = FilingSerializer
    filterset_class = FilingFilter

    def get_queryset(self):
        qs = super().get_queryset()
        return qs if qs.query.order_by else qs.order_by("-filed_on", "-id")

    def perform(self, data):
        return svc.filing_create(by=self.request.user, **data)

    @extend_schema(summary=_("备案（已报备 → 已备案，仅组织部）"), request=AcknowledgeSerializer,
                   responses={200: FilingSerializer})
    @action(detail=True, methods=["post"], write_action="discipline")
    def acknowledge(self, request, pk=None):
        filing = self.get_object()
        data = self._valid(AcknowledgeSerializer)
        return self._answer(svc.filing_acknowledge(by=request.user, filing=filing, **data))


@extend_schema_view(
    list=extend_schema(summary=_("澄清正名列表"), description=_(
        "筛选：method、malicious、follow_up、pending（诬告陷害待查处）、unit（含下级）、date_from/date_to（澄清日期）、"
        "q（干部姓名/拼音首字母/身份证号开头）；排序 ordering=cleared|cadre。")),
    retrieve=extend_schema(summary=_("澄清正名详情")),
    create=extend_schema(summary=_("登记澄清正名（仅组织部）"), request=ClarificationCreateSerializer,
                         responses={201: ClarificationSerializer},
                         description=_("card 所指的红黄牌据此撤销；malicious=true 时列入诬告陷害待查处。")),
)
class ClarificationViewSet(_Base):
    queryset = Clarification.objects.select_related("cadre", "card")
    serializer_class = ClarificationSerializer
    serializer_classes = {"create": ClarificationCreateSerializer}
    detail_serializer = ClarificationSerializer
    filterset_class = ClarificationFilter
    write_action = "discipline"

    def get_queryset(self):
        qs = super().get_queryset()
        return qs if qs.query.order_by else qs.order_by("-cleared_on", "-id")

    def perform(self, data):
        return svc.clarification_create(by=self.request.user, **data)

    @extend_schema(summary=_("移交查处（待移交查处 → 已移交查处，仅组织部）"), request=ClarificationFollowUpSerializer,
                   responses={200: ClarificationSerializer})
    @action(detail=True, methods=["post"], url_path="follow-up", url_name="follow-up", write_action="discipline")
    def follow_up(self, request, pk=None):
        clarification = self.get_object()
        data = self._valid(ClarificationFollowUpSerializer)
        return self._answer(svc.clarification_follow_up(by=request.user, clarification=clarification, **data))


def register(router):
    router.register("tolerance-rulings", ToleranceRulingViewSet, basename="tolerance-ruling")
    router.register("ruling-evidence", RulingEvidenceViewSet, basename="ruling-evidence")
    router.register("risk-filings", RiskFilingViewSet, basename="risk-filing")
    router.register("clarifications", ClarificationViewSet, basename="clarification")
