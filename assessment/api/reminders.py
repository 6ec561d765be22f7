"""The reminders and sanctions API under /api/v1/.

- ``reminders/``: the reminders in the user's scope (the list page's filters); create (org staff),
  ``POST reminders/{id}/follow-up/`` records the follow-up;
- ``reminder-suggestions/``: the cadres whose signs suggest a reminder, each sign in words (org
  staff and auditors: the signs include pending card proposals, which unit leaders never see);
- ``sanctions/``: the sanctions in the user's scope; create (org staff), ``POST sanctions/{id}/revoke/``.

Writes call one service with the request user; its ValidationError is the API's 400
``{"message", "errors"}``. Unit leaders read their scope; auditors read all.
"""
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as df
from django_filters.utils import translate_validation
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cadres.models import Cadre
from pingdingshan.core import permissions as gate
from pingdingshan.core.api import GatePermission, Pagination
from pingdingshan.core.schema import ApiAutoSchema
from pingdingshan.core.viewsets import ApiViewSetMixin

from ..filters_reminders import ReminderFilter, SanctionFilter
from ..models import CardProposal, Reminder, ReminderKind, Sanction, SanctionKind
from ..services import reminders as rsvc
from ..services import sanctions as ssvc


# --------------------------------------------------------------------------- serializers
class SignSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("缘由代码：composite_drop、records_lagging 或 proposal。"))
    params = serializers.DictField(help_text=_("缘由的参数（日期、分数、条数等）。"))
    text = serializers.CharField(help_text=_("缘由的文字说明。"))


def _signs(signs) -> list[dict]:
    out = []
    for sign in signs or ():
        if isinstance(sign, list | tuple) and len(sign) == 2 and isinstance(sign[1], dict):
            out.append({"code": sign[0], "params": sign[1], "text": rsvc.sign_sentence(sign[0], sign[1])})
    return out


class ReminderSerializer(serializers.ModelSerializer):
    cadre_name = serializers.CharField(source="cadre.name", read_only=True)
    unit_name = serializers.CharField(source="cadre.unit.name", read_only=True)
    signs = serializers.SerializerMethodField()
    state = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = Reminder
        fields = ["id", "cadre", "cadre_name", "unit_name", "kind", "held_on", "signs", "signs_note", "content",
                  "follow_up_on", "followed_up_on", "follow_up_result", "proposal", "state", "recorded_at",
                  "allowed_actions"]
        read_only_fields = fields

    @extend_schema_field(SignSerializer(many=True))
    def get_signs(self, obj):
        request = self.context.get("request")
        return _signs(rsvc.signs_shown_to(request.user, obj.signs) if request else [])

    def get_state(self, obj) -> str:
        return rsvc.state(obj)

    def get_allowed_actions(self, obj) -> list[str]:
        request = self.context.get("request")
        return sorted(rsvc.allowed_actions(obj, request.user)) if request else []

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is None or not gate.city_wide(request.user, "view", CardProposal):
            data["proposal"] = None  # card proposals are never shown to unit-bound users
        return data


class ReminderCreateSerializer(serializers.Serializer):
    cadre = serializers.PrimaryKeyRelatedField(queryset=Cadre.objects.all(), label=_("干部"))
    kind = serializers.ChoiceField(choices=ReminderKind.choices, label=_("提醒方式"))
    held_on = serializers.DateField(label=_("提醒日期"))
    content = serializers.CharField(max_length=5000, label=_("提醒内容"))
    follow_up_on = serializers.DateField(label=_("回访日期"))
    signs_note = serializers.CharField(max_length=5000, required=False, allow_blank=True, label=_("缘由说明"))
    proposal = serializers.PrimaryKeyRelatedField(queryset=CardProposal.objects.all(), required=False,
                                                  allow_null=True, label=_("来源提示"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["cadre"].queryset = Cadre.objects.restrict(request.user)
            self.fields["proposal"].queryset = CardProposal.objects.restrict(request.user)


class FollowUpSerializer(serializers.Serializer):
    on = serializers.DateField(label=_("回访日期"))
    result = serializers.CharField(max_length=5000, label=_("回访情况"))


class SuggestionSerializer(serializers.Serializer):
    cadre = serializers.IntegerField(source="cadre.pk")
    cadre_name = serializers.CharField(source="cadre.name")
    unit_name = serializers.CharField(source="cadre.unit.name")
    signs = serializers.SerializerMethodField()
    proposal = serializers.IntegerField(allow_null=True)

    @extend_schema_field(SignSerializer(many=True))
    def get_signs(self, obj):
        return _signs(obj["signs"])


class SanctionSerializer(serializers.ModelSerializer):
    cadre_name = serializers.CharField(source="cadre.name", read_only=True)
    unit_name = serializers.CharField(source="cadre.unit.name", read_only=True)
    state = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = Sanction
        fields = ["id", "cadre", "cadre_name", "unit_name", "kind", "decided_on", "end_date", "body", "document_no",
                  "facts", "revoked_on", "revoke_reason", "state", "created_at", "allowed_actions"]
        read_only_fields = fields

    def get_state(self, obj) -> str:
        return ssvc.state(obj)

    def get_allowed_actions(self, obj) -> list[str]:
        request = self.context.get("request")
        return sorted(ssvc.allowed_actions(obj, request.user)) if request else []


class SanctionCreateSerializer(serializers.Serializer):
    cadre = serializers.PrimaryKeyRelatedField(queryset=Cadre.objects.all(), label=_("干部"))
    kind = serializers.ChoiceField(choices=SanctionKind.choices, label=_("处分种类"))
    decided_on = serializers.DateField(label=_("处分决定日期"))
    body = serializers.CharField(max_length=100, label=_("决定机关"))
    document_no = serializers.CharField(max_length=60, required=False, allow_blank=True, label=_("文号"))
    facts = serializers.CharField(max_length=5000, required=False, allow_blank=True, label=_("主要事实"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["cadre"].queryset = Cadre.objects.restrict(request.user)


class RevokeSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, label=_("撤销理由"))
    on = serializers.DateField(required=False, allow_null=True, label=_("撤销日期"))


# --------------------------------------------------------------------------- viewsets
class _ListFilter:
    """The list goes through the page's FilterSet (same rows as the page and its export)."""

    list_filterset = None

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        f = self.list_filterset(self.request.query_params, queryset=queryset, request=self.request)
        if not f.is_valid():
            raise translate_validation(f.errors)
        return f.qs


@extend_schema_view(
    list=extend_schema(summary=_("担当提醒列表"), description=_(
        "您权限范围内的担当提醒。筛选：kind、unit（含下级）、cadre、q（干部姓名/拼音首字母/身份证号）、"
        "state（open 待回访 / done 已回访）、due（true：到期待回访）、held_from/held_to；"
        "排序 ordering=held|follow_up|cadre|unit|kind，前加“-”为倒序。")),
    retrieve=extend_schema(summary=_("担当提醒详情")),
    create=extend_schema(summary=_("登记担当提醒（仅组织部）"), request=ReminderCreateSerializer,
                         responses={201: ReminderSerializer}, description=_(
                             "干部须在职且在您的权限范围内；回访日期不能早于提醒日期。提醒缘由按系统发现的情形自动记录；"
                             "proposal 为建议担当提醒的待处理提示时，该提示随之确认。")),
)
class ReminderViewSet(_ListFilter, ApiViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      mixins.CreateModelMixin, viewsets.GenericViewSet):
    queryset = Reminder.objects.select_related("cadre__unit")
    serializer_class = ReminderSerializer
    serializer_classes = {"create": ReminderCreateSerializer, "follow_up": FollowUpSerializer}
    response_serializer_classes = {"create": ReminderSerializer}
    filterset_class = ReminderFilter
    list_filterset = ReminderFilter
    filter_backends = [df.DjangoFilterBackend]
    # Writes: the gate's "change" lets the lookup answer 404 out of scope and 403 in it; the
    # services then require "discipline" (org staff).

    def create(self, request, *args, **kwargs):
        serializer = ReminderCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        cadre = data["cadre"]
        signs = rsvc.reminder_signs(user=request.user, cadre_ids=[cadre.pk]).get(cadre.pk, [])
        proposal = data.get("proposal")
        if proposal is not None:
            signs = [s for s in signs if s[0] != rsvc.PROPOSAL_PENDING or s[1].get("proposal") == proposal.pk]
        reminder = rsvc.reminder_create(by=request.user, signs=signs, **data)
        return Response(ReminderSerializer(reminder, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(summary=_("登记回访（仅组织部）"), request=FollowUpSerializer, responses={200: ReminderSerializer},
                   description=_("回访日期不能早于提醒日期、不能晚于今天；已回访的提醒不能再次登记。"))
    @action(detail=True, methods=["post"], url_path="follow-up", url_name="follow-up")
    def follow_up(self, request, pk=None):
        reminder = self.get_object()
        serializer = FollowUpSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reminder = rsvc.reminder_follow_up(by=request.user, reminder=reminder, **serializer.validated_data)
        return Response(ReminderSerializer(reminder, context=self.get_serializer_context()).data)


class SuggestionPermission(GatePermission):
    """City-wide readers only (org staff, auditors): the signs include pending card proposals."""

    message = _("您没有执行此操作的权限。")

    def has_permission(self, request, view):
        return super().has_permission(request, view) and gate.city_wide(request.user, "view", CardProposal)


class ReminderSuggestionViewSet(viewsets.GenericViewSet):
    authentication_classes = ApiViewSetMixin.authentication_classes
    permission_classes = [SuggestionPermission]
    schema = ApiAutoSchema()
    serializer_class = SuggestionSerializer
    pagination_class = Pagination
    filter_backends = []
    queryset = Reminder.objects.none()

    @extend_schema(summary=_("建议提醒的干部"), responses={200: SuggestionSerializer(many=True)}, description=_(
        "在职干部中，综合得分较上一同类已发布周期下降达到阈值、实绩记录被退回或逾期未改、或有待处理的红黄牌提示的，"
        "每条缘由附文字说明；提醒后同一缘由不再列出。仅组织部和审计人员。"))
    def list(self, request, *args, **kwargs):
        rows = rsvc.suggestions(user=request.user)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(SuggestionSerializer(page, many=True).data)


@extend_schema_view(
    list=extend_schema(summary=_("处分列表"), description=_(
        "您权限范围内的处分。筛选：kind、unit（含下级）、cadre、q、state（in_force 在期 / expired 已期满 / "
        "revoked 已撤销）、year（决定年度）、decided_from/decided_to；排序 ordering=decided|end|cadre|unit|kind。")),
    retrieve=extend_schema(summary=_("处分详情")),
    create=extend_schema(summary=_("登记处分（仅组织部）"), request=SanctionCreateSerializer,
                         responses={201: SanctionSerializer}, description=_(
                             "干部须在职且在您的权限范围内；处分期满日期按处分种类的期限计算。")),
)
class SanctionViewSet(_ListFilter, ApiViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      mixins.CreateModelMixin, viewsets.GenericViewSet):
    queryset = Sanction.objects.select_related("cadre__unit")
    serializer_class = SanctionSerializer
    serializer_classes = {"create": SanctionCreateSerializer, "revoke": RevokeSerializer}
    response_serializer_classes = {"create": SanctionSerializer}
    filterset_class = SanctionFilter
    list_filterset = SanctionFilter
    filter_backends = [df.DjangoFilterBackend]
    # Writes: the gate's "change" lets the lookup answer 404 out of scope and 403 in it; the
    # services then require "discipline" (org staff).

    def create(self, request, *args, **kwargs):
        serializer = SanctionCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        sanction = ssvc.sanction_create(by=request.user, **serializer.validated_data)
        return Response(SanctionSerializer(sanction, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(summary=_("撤销处分（仅组织部，须填写理由）"), request=RevokeSerializer,
                   responses={200: SanctionSerializer})
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        sanction = self.get_object()
        serializer = RevokeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        sanction = ssvc.sanction_revoke(by=request.user, sanction=sanction, **serializer.validated_data)
        return Response(SanctionSerializer(sanction, context=self.get_serializer_context()).data)


def register(router):
    router.register("reminders", ReminderViewSet, basename="reminder")
    router.register("reminder-suggestions", ReminderSuggestionViewSet, basename="reminder-suggestion")
    router.register("sanctions", SanctionViewSet, basename="sanction")
