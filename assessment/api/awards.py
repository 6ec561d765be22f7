"""The awards API under /api/v1/ (评选表彰).

- ``award-kinds/``: the editable list (read by everyone with ``view``; written by org staff);
- ``awards/``: the awards the caller sees (unit leaders: their scope), with the award list's filters;
  ``POST awards/`` records one, ``POST awards/{id}/revoke/`` revokes it (never deleted); evidence
  files at ``awards/{id}/evidence/`` (list, upload) and ``award-evidence/{id}/`` (read, delete,
  ``download``);
- ``campaigns/``: selection campaigns with their quotas (used and left) and ``allowed_actions``;
  ``POST campaigns/{id}/quotas|open|close|notice|cancel|decide/`` (org staff);
- ``nominations/``: nominations the caller sees; ``POST nominations/`` nominates (unit leaders in their
  scope, org staff); ``withdraw`` (the nominator), ``shortlist`` / ``reject`` (org staff).

Reads go through the gate (out of scope → 404); every write calls one service of
``assessment/services/awards.py``, whose refusals answer 400 with their Chinese message per field.
"""
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as df
from django_filters.utils import translate_validation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from cadres.models import Cadre, PerformanceRecord, Unit
from cadres.serializers import CadreRefSerializer, GatedPrimaryKeyRelatedField, UnitRefSerializer
from cadres.serializers_records import EvidenceUploadSerializer, UserRefSerializer
from cadres.services.records import EVIDENCE_TYPES
from pingdingshan.core import permissions as gate
from pingdingshan.core.files import serve_file
from pingdingshan.core.schema import register_choices
from pingdingshan.core.viewsets import ApiViewSetMixin

from ..filters_awards import AwardFilter, CampaignFilter, NominationFilter
from ..models import Award, AwardEvidence, AwardKind, Campaign, Nomination
from ..services import awards as svc

AWARD_ACTIONS = sorted(svc.AWARD_ACTIONS)
CAMPAIGN_ACTIONS = sorted(set(svc.CAMPAIGN_TRANSITIONS) | set(svc.CAMPAIGN_STEPS) | {"nominate"})
NOMINATION_ACTIONS = sorted(svc.NOMINATION_TRANSITIONS)
# The action sets as named enums of the schema (AwardActionEnum …), not one "allowed_actions" name for three.
AwardAction = models.TextChoices("AwardAction", [(a.upper(), a) for a in AWARD_ACTIONS])
CampaignAction = models.TextChoices("CampaignAction", [(a.upper(), a) for a in CAMPAIGN_ACTIONS])
NominationAction = models.TextChoices("NominationAction", [(a.upper(), a) for a in NOMINATION_ACTIONS])
register_choices(AwardAction, CampaignAction, NominationAction)


def _user(serializer):
    return serializer.context["request"].user


# =========================================================================== serializers
class AwardKindSerializer(serializers.ModelSerializer):
    class Meta:
        model = AwardKind
        fields = ["id", "name", "target", "level", "promotion_priority", "quota_tilt", "description", "is_active",
                  "order"]
        read_only_fields = ["id"]
        extra_kwargs = {"name": {"validators": []}}  # the service checks (and names) a duplicate


class AwardKindRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = AwardKind
        fields = ["id", "name", "target", "level"]
        read_only_fields = fields


class AwardEvidenceSerializer(serializers.ModelSerializer):
    uploaded_by = UserRefSerializer(read_only=True, allow_null=True)
    download_url = serializers.SerializerMethodField(help_text=_("下载地址（需登录且在权限范围内）。"))

    class Meta:
        model = AwardEvidence
        fields = ["id", "award", "original_name", "content_type", "size", "sha256", "uploaded_by", "uploaded_at",
                  "download_url"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField())
    def get_download_url(self, obj) -> str:
        return reverse("award-evidence-download", args=[obj.pk])


class AwardSerializer(serializers.ModelSerializer):
    kind = AwardKindRefSerializer(read_only=True)
    cadre = CadreRefSerializer(read_only=True, allow_null=True)
    unit = UnitRefSerializer(read_only=True)
    is_revoked = serializers.BooleanField(read_only=True)
    allowed_actions = serializers.SerializerMethodField(help_text=_(
        "您现在可以对该表彰执行的操作：revoke（撤销）、upload（上传材料）、delete_evidence（删除材料）。"))

    class Meta:
        model = Award
        fields = ["id", "kind", "cadre", "unit", "year", "awarded_on", "issuing_body", "document_no", "citation",
                  "campaign", "is_revoked", "revoked_on", "revoke_reason", "created_at", "allowed_actions"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=AWARD_ACTIONS)))
    def get_allowed_actions(self, obj) -> list[str]:
        return sorted(svc.award_allowed_actions(obj, _user(self)))


class AwardDetailSerializer(AwardSerializer):
    evidence = AwardEvidenceSerializer(many=True, read_only=True)

    class Meta(AwardSerializer.Meta):
        fields = AwardSerializer.Meta.fields + ["evidence"]
        read_only_fields = fields


class AwardCreateSerializer(serializers.Serializer):
    kind = serializers.PrimaryKeyRelatedField(queryset=AwardKind.objects.all(), label=_("表彰类别"))
    cadre = GatedPrimaryKeyRelatedField(queryset=Cadre.objects.all(), required=False, allow_null=True,
                                        label=_("受表彰干部"), help_text=_("干部表彰必填；单位表彰不填。"))
    unit = GatedPrimaryKeyRelatedField(queryset=Unit.objects.all(), required=False, allow_null=True,
                                       label=_("受表彰单位"), help_text=_("单位表彰必填；干部表彰取干部受表彰时所在单位。"))
    year = serializers.IntegerField(min_value=1949, max_value=2100, label=_("年度"))
    awarded_on = serializers.DateField(label=_("表彰日期"))
    issuing_body = serializers.CharField(max_length=100, allow_blank=True, label=_("表彰机关"))
    document_no = serializers.CharField(max_length=60, required=False, allow_blank=True, default="", label=_("文号"))
    citation = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="", label=_("表彰事由"))


class AwardRevokeSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="", label=_("撤销理由"),
                                   help_text=_("必填。"))
    revoked_on = serializers.DateField(required=False, allow_null=True, default=None, label=_("撤销日期"),
                                       help_text=_("不填为今天。"))


class CampaignQuotaSerializer(serializers.Serializer):
    unit = UnitRefSerializer(read_only=True)
    quota = serializers.IntegerField(source="n", read_only=True, help_text=_("推荐名额"))
    used = serializers.IntegerField(read_only=True, help_text=_("已推荐（未撤回）"))
    left = serializers.IntegerField(read_only=True, help_text=_("剩余名额"))


class CampaignSerializer(serializers.ModelSerializer):
    kind = AwardKindRefSerializer(read_only=True)
    nomination_count = serializers.SerializerMethodField(help_text=_("推荐对象数（不含已撤回）"))
    allowed_actions = serializers.SerializerMethodField(help_text=_(
        "您现在可以对该评选活动执行的操作：open、close、notice、decide、cancel、edit、quotas、nominate。"))

    class Meta:
        model = Campaign
        fields = ["id", "kind", "year", "name", "status", "nomination_deadline", "notice_start", "notice_end",
                  "decided_on", "issuing_body", "document_no", "note", "nomination_count", "created_at",
                  "allowed_actions"]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField())
    def get_nomination_count(self, obj) -> int:
        n = getattr(obj, "nomination_count", None)
        return n if n is not None else obj.nominations.exclude(status="withdrawn").count()

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=CAMPAIGN_ACTIONS)))
    def get_allowed_actions(self, obj) -> list[str]:
        return sorted(svc.campaign_allowed_actions(obj, _user(self)))


class CampaignDetailSerializer(CampaignSerializer):
    quotas = serializers.SerializerMethodField(help_text=_("各单位的推荐名额（单位领导只见本单位及下级的）。"))

    class Meta(CampaignSerializer.Meta):
        fields = CampaignSerializer.Meta.fields + ["quotas"]
        read_only_fields = fields

    @extend_schema_field(CampaignQuotaSerializer(many=True))
    def get_quotas(self, obj):
        user = _user(self)
        rows = svc.quota_rows(obj, None if gate.city_wide(user, "view", Nomination) else user)
        return CampaignQuotaSerializer(rows, many=True).data


class CampaignWriteSerializer(serializers.Serializer):
    kind = serializers.PrimaryKeyRelatedField(queryset=AwardKind.objects.all(), label=_("表彰类别"))
    year = serializers.IntegerField(min_value=2000, max_value=2100, label=_("年度"))
    name = serializers.CharField(max_length=100, allow_blank=True, label=_("名称"))
    nomination_deadline = serializers.DateField(required=False, allow_null=True, label=_("推荐截止日期"))
    notice_start = serializers.DateField(required=False, allow_null=True, label=_("公示开始日期"))
    notice_end = serializers.DateField(required=False, allow_null=True, label=_("公示结束日期"))
    issuing_body = serializers.CharField(max_length=100, required=False, allow_blank=True, label=_("表彰机关"))
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, label=_("说明"))


class CampaignQuotaWriteSerializer(serializers.Serializer):
    unit = GatedPrimaryKeyRelatedField(queryset=Unit.objects.all(), label=_("单位"))
    quota = serializers.IntegerField(min_value=0, max_value=999, allow_null=True, label=_("推荐名额"),
                                     help_text=_("null：取消该单位的名额。"))


class CampaignQuotasWriteSerializer(serializers.Serializer):
    quotas = CampaignQuotaWriteSerializer(many=True, label=_("推荐名额"))


class CampaignNoticeSerializer(serializers.Serializer):
    notice_start = serializers.DateField(required=False, allow_null=True, default=None, label=_("公示开始日期"))
    notice_end = serializers.DateField(required=False, allow_null=True, default=None, label=_("公示结束日期"))


class StepReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="", label=_("理由"))


class CampaignDecideSerializer(serializers.Serializer):
    winners = serializers.ListField(child=serializers.IntegerField(min_value=1), max_length=1000,
                                    label=_("当选的推荐对象编号"), help_text=_("须为本评选活动的入围对象。"))
    decided_on = serializers.DateField(label=_("决定日期"), help_text=_("须在公示期结束之后。"))
    issuing_body = serializers.CharField(max_length=100, allow_blank=True, label=_("表彰机关"))
    document_no = serializers.CharField(max_length=60, required=False, allow_blank=True, default="",
                                        label=_("表彰文号"))


class NominationSerializer(serializers.ModelSerializer):
    cadre = CadreRefSerializer(read_only=True, allow_null=True)
    unit = UnitRefSerializer(read_only=True)
    quota_unit = UnitRefSerializer(read_only=True)
    nominated_by = UserRefSerializer(read_only=True, allow_null=True)
    records = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    allowed_actions = serializers.SerializerMethodField(help_text=_(
        "您现在可以对该推荐对象执行的操作：withdraw（撤回）、shortlist（入围）、reject（不予入围）。"))

    class Meta:
        model = Nomination
        fields = ["id", "campaign", "cadre", "unit", "quota_unit", "deeds", "records", "status", "review_reason",
                  "award", "nominated_by", "nominated_at", "allowed_actions"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=NOMINATION_ACTIONS)))
    def get_allowed_actions(self, obj) -> list[str]:
        return sorted(svc.nomination_allowed_actions(obj, _user(self)))


class NominationCreateSerializer(serializers.Serializer):
    campaign = serializers.PrimaryKeyRelatedField(queryset=Campaign.objects.all(), label=_("评选活动"))
    cadre = GatedPrimaryKeyRelatedField(queryset=Cadre.objects.all(), required=False, allow_null=True,
                                        label=_("被推荐干部"), help_text=_("干部表彰必填。"))
    unit = GatedPrimaryKeyRelatedField(queryset=Unit.objects.all(), required=False, allow_null=True,
                                       label=_("被推荐单位"), help_text=_("单位表彰必填。"))
    deeds = serializers.CharField(max_length=5000, allow_blank=True, label=_("主要事迹"))
    records = GatedPrimaryKeyRelatedField(queryset=PerformanceRecord.objects.all(), many=True, required=False,
                                          label=_("关联的实绩记录"), help_text=_("该干部已核实的现行实绩记录。"))


# =========================================================================== viewsets
def _answer(viewset, serializer_class, obj, code=status.HTTP_200_OK):
    return Response(serializer_class(obj, context=viewset.get_serializer_context()).data, status=code)


def _valid(viewset, serializer_class):
    serializer = serializer_class(data=viewset.request.data, context=viewset.get_serializer_context())
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _filtered(viewset, queryset, filterset_class):
    if viewset.action != "list":
        return queryset
    f = filterset_class(viewset.request.query_params, queryset=queryset, request=viewset.request)
    if not f.is_valid():
        raise translate_validation(f.errors)
    return f.qs


@extend_schema_view(
    list=extend_schema(summary=_("表彰类别")),
    retrieve=extend_schema(summary=_("表彰类别详情")),
    create=extend_schema(summary=_("新增表彰类别（仅组织部）")),
    update=extend_schema(summary=_("修改表彰类别（仅组织部）")),
    partial_update=extend_schema(summary=_("修改表彰类别（部分字段，仅组织部）")),
)
class AwardKindViewSet(ApiViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                       mixins.UpdateModelMixin, viewsets.GenericViewSet):
    queryset = AwardKind.objects.all()
    serializer_class = AwardKindSerializer
    filterset_fields = ["target", "level", "is_active"]
    ordering_fields = ["order", "name"]
    write_action = "discipline"

    def perform_create(self, serializer):
        serializer.instance = svc.award_kind_save(by=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = svc.award_kind_save(by=self.request.user, kind=serializer.instance,
                                                  **serializer.validated_data)


@extend_schema_view(
    list=extend_schema(summary=_("表彰列表"), description=_(
        "您权限范围内的表彰。筛选：kind、level、target（cadre/unit）、unit（含下级）、year、revoked、campaign、cadre、"
        "q（干部姓名/拼音首字母/身份证号/文号）；排序 ordering=date|year|kind|unit|cadre，前加“-”为倒序。")),
    retrieve=extend_schema(summary=_("表彰详情（含材料）")),
    create=extend_schema(summary=_("登记表彰（仅组织部）"), description=_(
        "干部表彰须指定干部（单位取干部受表彰时所在单位），单位表彰须指定单位；干部有影响评先评优的红黄牌或处分时拒绝并说明原因。")),
)
class AwardViewSet(ApiViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                   viewsets.GenericViewSet):
    queryset = Award.objects.select_related("kind", "cadre", "unit")
    serializer_class = AwardSerializer
    serializer_classes = {"retrieve": AwardDetailSerializer, "create": AwardCreateSerializer,
                          "revoke": AwardRevokeSerializer, "evidence": AwardEvidenceSerializer}
    response_serializer_classes = {"create": AwardDetailSerializer}
    filterset_class = AwardFilter
    filter_backends = [df.DjangoFilterBackend]
    write_action = "discipline"

    def get_queryset(self):
        qs = super().get_queryset()
        return qs.prefetch_related("evidence__uploaded_by") if self.action == "retrieve" else qs

    def filter_queryset(self, queryset):
        return _filtered(self, queryset, AwardFilter)

    def create(self, request, *args, **kwargs):
        award = svc.award_create(by=request.user, **_valid(self, AwardCreateSerializer))
        return _answer(self, AwardDetailSerializer, award, status.HTTP_201_CREATED)

    @extend_schema(summary=_("撤销表彰（仅组织部；表彰保留，标为已撤销）"), request=AwardRevokeSerializer,
                   responses={200: AwardDetailSerializer})
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        award = self.get_object()
        data = _valid(self, AwardRevokeSerializer)
        award = svc.award_revoke(by=request.user, award=award, reason=data["reason"], on=data["revoked_on"])
        return _answer(self, AwardDetailSerializer, award)

    @extend_schema(methods=["GET"], summary=_("表彰材料"), request=None,
                   responses={200: AwardEvidenceSerializer(many=True)})
    @extend_schema(methods=["POST"], summary=_("上传表彰材料（仅组织部）"),
                   request={"multipart/form-data": EvidenceUploadSerializer}, responses={201: AwardEvidenceSerializer},
                   description=_("表单字段 file：PDF、JPEG、PNG、Word 或 Excel，不超过20MB；类型按内容判断。"))
    @action(detail=True, methods=["get", "post"], parser_classes=[MultiPartParser, FormParser],
            pagination_class=None, filter_backends=[])
    def evidence(self, request, pk=None):
        award = self.get_object()
        if request.method == "GET":
            return Response(AwardEvidenceSerializer(award.evidence.select_related("uploaded_by"), many=True,
                                                    context=self.get_serializer_context()).data)
        upload = _valid(self, EvidenceUploadSerializer)["file"]
        ev = svc.award_evidence_add(by=request.user, award=award, upload=upload)
        return _answer(self, AwardEvidenceSerializer, ev, status.HTTP_201_CREATED)


@extend_schema_view(
    retrieve=extend_schema(summary=_("表彰材料信息")),
    destroy=extend_schema(summary=_("删除表彰材料（仅组织部）")),
)
class AwardEvidenceViewSet(ApiViewSetMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin,
                           viewsets.GenericViewSet):
    queryset = AwardEvidence.objects.select_related("award", "uploaded_by")
    serializer_class = AwardEvidenceSerializer
    filter_backends = []
    write_action = "discipline"

    def perform_destroy(self, instance):
        svc.award_evidence_delete(by=self.request.user, evidence=instance)

    @extend_schema(summary=_("下载表彰材料"), responses={(200, mime): OpenApiResponse(
        response=OpenApiTypes.BINARY, description=_("文件内容。")) for mime in sorted(set(EVIDENCE_TYPES.values()))})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        ev = self.get_object()
        return serve_file(ev.file, filename=ev.original_name, content_type=ev.content_type)


CAMPAIGN_ANSWER = {200: CampaignDetailSerializer}


@extend_schema_view(
    list=extend_schema(summary=_("评选活动列表"), description=_(
        "筛选：kind、year、status、q（名称）；排序 ordering=year|name|status。")),
    retrieve=extend_schema(summary=_("评选活动详情（含各单位推荐名额的使用情况）")),
    create=extend_schema(summary=_("新建评选活动（仅组织部，筹备中）")),
    update=extend_schema(summary=_("修改评选活动（仅组织部；推荐开始后不能更改类别和年度）")),
    partial_update=extend_schema(summary=_("修改评选活动（部分字段，仅组织部）")),
)
class CampaignViewSet(ApiViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                      mixins.UpdateModelMixin, viewsets.GenericViewSet):
    queryset = Campaign.objects.select_related("kind").annotate(
        nomination_count=Count("nominations", filter=~Q(nominations__status="withdrawn")))
    serializer_class = CampaignSerializer
    serializer_classes = {"retrieve": CampaignDetailSerializer, "create": CampaignWriteSerializer,
                          "update": CampaignWriteSerializer, "partial_update": CampaignWriteSerializer,
                          "quotas": CampaignQuotasWriteSerializer, "notice": CampaignNoticeSerializer,
                          "cancel": StepReasonSerializer, "decide": CampaignDecideSerializer}
    response_serializer_classes = {"create": CampaignDetailSerializer, "update": CampaignDetailSerializer,
                                   "partial_update": CampaignDetailSerializer}
    filterset_class = CampaignFilter
    filter_backends = [df.DjangoFilterBackend]
    write_action = "discipline"

    def filter_queryset(self, queryset):
        return _filtered(self, queryset, CampaignFilter)

    def create(self, request, *args, **kwargs):
        campaign = svc.campaign_save(by=request.user, **_valid(self, CampaignWriteSerializer))
        return _answer(self, CampaignDetailSerializer, campaign, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        campaign = self.get_object()
        serializer = CampaignWriteSerializer(data=request.data, partial=kwargs.get("partial", False),
                                             context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        campaign = svc.campaign_save(by=request.user, campaign=campaign, **serializer.validated_data)
        return _answer(self, CampaignDetailSerializer, campaign)

    def _step(self, action_name, **kwargs):
        campaign = svc.campaign_advance(by=self.request.user, campaign=self.get_object(), action=action_name, **kwargs)
        return _answer(self, CampaignDetailSerializer, campaign)

    @extend_schema(summary=_("设置推荐名额（仅组织部，筹备中或推荐中）"), request=CampaignQuotasWriteSerializer,
                   responses=CAMPAIGN_ANSWER, description=_(
                       "每项 {unit, quota}：设置或修改该单位的名额（0 表示不能推荐），quota 为 null 取消名额；"
                       "名额不能少于已推荐的人数。"))
    @action(detail=True, methods=["post"])
    def quotas(self, request, pk=None):
        campaign = self.get_object()
        rows = _valid(self, CampaignQuotasWriteSerializer)["quotas"]
        svc.campaign_set_quotas(by=request.user, campaign=campaign, quotas={r["unit"]: r["quota"] for r in rows})
        return _answer(self, CampaignDetailSerializer, Campaign.objects.get(pk=campaign.pk))

    @extend_schema(summary=_("开始推荐（筹备中 → 推荐中；须先设置名额）"), request=None, responses=CAMPAIGN_ANSWER)
    @action(detail=True, methods=["post"])
    def open(self, request, pk=None):
        return self._step("open")

    @extend_schema(summary=_("结束推荐（推荐中 → 审核中）"), request=None, responses=CAMPAIGN_ANSWER)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._step("close")

    @extend_schema(summary=_("公示入围对象（审核中 → 公示中）"), request=CampaignNoticeSerializer, responses=CAMPAIGN_ANSWER,
                   description=_("须有公示开始和结束日期（可在此提交），且每个推荐对象都已审核、至少一名入围。"))
    @action(detail=True, methods=["post"])
    def notice(self, request, pk=None):
        campaign = self.get_object()
        data = _valid(self, CampaignNoticeSerializer)
        return _answer(self, CampaignDetailSerializer, svc.campaign_advance(
            by=request.user, campaign=campaign, action="notice", **data))

    @extend_schema(summary=_("取消评选活动（须填写理由）"), request=StepReasonSerializer, responses=CAMPAIGN_ANSWER)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        campaign = self.get_object()
        data = _valid(self, StepReasonSerializer)
        return _answer(self, CampaignDetailSerializer, svc.campaign_advance(
            by=request.user, campaign=campaign, action="cancel", reason=data["reason"]))

    @extend_schema(summary=_("作出表彰决定（公示中 → 已决定；当选对象一次登记为表彰）"), request=CampaignDecideSerializer,
                   responses=CAMPAIGN_ANSWER, description=_(
                       "决定日期须在公示期结束之后；当选对象须为入围对象；其余入围对象为未当选。任何一名当选对象不能登记表彰时全部不变。"))
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        campaign = self.get_object()
        data = _valid(self, CampaignDecideSerializer)
        return _answer(self, CampaignDetailSerializer, svc.campaign_decide(by=request.user, campaign=campaign, **data))


NOMINATION_ANSWER = {200: NominationSerializer}


@extend_schema_view(
    list=extend_schema(summary=_("推荐对象列表"), description=_(
        "您权限范围内的推荐对象。筛选：campaign、status、unit（推荐单位，含下级）、q（干部姓名/拼音首字母/身份证号）。")),
    retrieve=extend_schema(summary=_("推荐对象详情")),
    create=extend_schema(summary=_("推荐（单位领导在本单位及下级范围内，或组织部；评选活动须在推荐中）"), description=_(
        "占用干部所在单位或其最近的设有名额的上级单位的名额；超出名额、没有名额、干部不在管理范围内、关联记录未核实或不是该干部的、"
        "干部有影响评先评优的红黄牌时拒绝并说明原因。")),
)
class NominationViewSet(ApiViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                        viewsets.GenericViewSet):
    queryset = Nomination.objects.select_related("campaign__kind", "cadre", "unit", "quota_unit", "nominated_by") \
        .prefetch_related("records")
    serializer_class = NominationSerializer
    serializer_classes = {"create": NominationCreateSerializer, "withdraw": StepReasonSerializer,
                          "shortlist": StepReasonSerializer, "reject": StepReasonSerializer}
    response_serializer_classes = {"create": NominationSerializer}
    filterset_class = NominationFilter
    filter_backends = [df.DjangoFilterBackend]
    write_action = "change"  # nominate and withdraw; "discipline" for shortlist / reject

    def filter_queryset(self, queryset):
        return _filtered(self, queryset, NominationFilter)

    def create(self, request, *args, **kwargs):
        data = dict(_valid(self, NominationCreateSerializer))
        data["records"] = data.get("records") or []
        n = svc.nomination_create(by=request.user, **data)
        return _answer(self, NominationSerializer, Nomination.objects.get(pk=n.pk), status.HTTP_201_CREATED)

    @extend_schema(summary=_("撤回推荐（推荐人或组织部，推荐中）"), request=StepReasonSerializer, responses=NOMINATION_ANSWER)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        n = self.get_object()
        data = _valid(self, StepReasonSerializer)
        return _answer(self, NominationSerializer, svc.nomination_withdraw(by=request.user, nomination=n,
                                                                           reason=data["reason"]))

    @extend_schema(summary=_("列入入围（仅组织部，审核中）"), request=StepReasonSerializer, responses=NOMINATION_ANSWER)
    @action(detail=True, methods=["post"], write_action="discipline")
    def shortlist(self, request, pk=None):
        n = self.get_object()
        data = _valid(self, StepReasonSerializer)
        return _answer(self, NominationSerializer, svc.nomination_shortlist(by=request.user, nomination=n,
                                                                            reason=data["reason"]))

    @extend_schema(summary=_("不予入围（仅组织部，审核中，须填写理由）"), request=StepReasonSerializer,
                   responses=NOMINATION_ANSWER)
    @action(detail=True, methods=["post"], write_action="discipline")
    def reject(self, request, pk=None):
        n = self.get_object()
        data = _valid(self, StepReasonSerializer)
        return _answer(self, NominationSerializer, svc.nomination_reject(by=request.user, nomination=n,
                                                                         reason=data["reason"]))


def register(router):
    router.register("award-kinds", AwardKindViewSet, basename="award-kind")
    router.register("awards", AwardViewSet, basename="award")
    router.register("award-evidence", AwardEvidenceViewSet, basename="award-evidence")
    router.register("campaigns", CampaignViewSet, basename="campaign")
    router.register("nominations", NominationViewSet, basename="nomination")
    return router
