"""Eligibility against a target post and its settings under /api/v1/:

- ``GET post-eligibility/?cadre=&post=[&exceptional=1][&on=YYYY-MM-DD]``: every rule of
  ``promotion.services.post_eligibility.check`` for one cadre (in the user's scope, else 404) and
  one post, with its sentence, the fast-track path, readiness and the day it would be ready (under
  破格 the grounds and consent are those of the cadre's latest 破格 candidacy for the post).
- ``GET selection-rules/``: the thresholds; ``PUT selection-rules/`` (org staff) changes the fields
  sent (every problem at once, nothing saved then; audited), answering 200 with all of them.
Bad input answers 400 in the project's ``Error`` shape."""
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from cadres.models import Cadre
from pingdingshan.core import permissions as gate
from pingdingshan.core.viewsets import ApiViewSetMixin, SingletonViewSetMixin

from ..models import SelectionRules
from ..services import post_eligibility as pe


class RuleSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    passed = serializers.BooleanField()
    value = serializers.CharField()
    sentence = serializers.CharField()
    passes_on = serializers.DateField(allow_null=True,
                                      help_text=_("不符合的条件仅凭时间推移将符合的首日；为空表示不会自然符合。"))
    favourable = serializers.BooleanField(help_text=_("有利情形（如表彰优先），仅作展示。"))


class PostEligibilitySerializer(serializers.Serializer):
    cadre_id = serializers.IntegerField()
    post_id = serializers.IntegerField()
    exceptional = serializers.BooleanField()
    path = serializers.CharField(allow_null=True, help_text=_("适用的直接提任路径代码。"))
    path_label = serializers.SerializerMethodField()
    eligible = serializers.BooleanField()
    ready_on = serializers.DateField(allow_null=True)
    readiness = serializers.ChoiceField(choices=list(pe.READINESS_LABELS))
    readiness_label = serializers.CharField()
    rules = RuleSerializer(many=True)

    def get_path_label(self, obj) -> str:
        return str(pe.PATHS[obj.path].label) if obj.path else ""


class SelectionRulesSerializer(serializers.ModelSerializer):
    class Meta:
        model = SelectionRules
        fields = list(pe.RULE_FIELDS) + ["updated_at"]
        read_only_fields = ["updated_at"]


QUERY = [OpenApiParameter("cadre", OpenApiTypes.INT, required=True, description=str(_("干部编号"))),
         OpenApiParameter("post", OpenApiTypes.INT, required=True, description=str(_("拟任职务编号"))),
         OpenApiParameter("exceptional", OpenApiTypes.BOOL, description=str(_("按破格提拔审查"))),
         OpenApiParameter("on", OpenApiTypes.DATE, description=str(_("审查日期，默认今天")))]


class PostEligibilityViewSet(SingletonViewSetMixin, ApiViewSetMixin, viewsets.GenericViewSet):
    """GET ``post-eligibility/`` itself: one answer, not a list."""

    queryset = Cadre.objects.all()
    serializer_class = PostEligibilitySerializer
    http_method_names = ["get", "head", "options"]
    singleton_get = "get_check"

    @extend_schema(summary=_("干部对拟任职务的任职资格（逐条说明）"), parameters=QUERY,
                   responses={200: PostEligibilitySerializer})
    def get_check(self, request):
        parsed, errors = pe.parse_request(request.query_params, request.user)
        if errors:
            raise ValidationError(errors)
        cadre, post, exceptional, on = parsed
        result = pe.check_one(cadre, post, on=on, exceptional=exceptional)
        return Response(PostEligibilitySerializer(result).data)


class SelectionRulesViewSet(SingletonViewSetMixin, ApiViewSetMixin, viewsets.GenericViewSet):
    """GET and PUT on ``selection-rules/`` itself (one row: no id)."""

    queryset = SelectionRules.objects.all()
    serializer_class = SelectionRulesSerializer
    http_method_names = ["get", "put", "head", "options"]
    singleton_get, singleton_put = "get_rules", "put_rules"

    @extend_schema(summary=_("选拔任用资格条件（阈值设置）"), responses={200: SelectionRulesSerializer})
    def get_rules(self, request):
        return Response(SelectionRulesSerializer(SelectionRules.current()).data)

    @extend_schema(summary=_("修改选拔任用资格条件（仅组织部）"), request=SelectionRulesSerializer,
                   responses={200: SelectionRulesSerializer}, description=_("只修改所提交的字段；修改记入审计日志。"))
    def put_rules(self, request):
        gate.require(request.user, "reserve")
        ser = SelectionRulesSerializer(SelectionRules.current(), data=request.data, partial=True)
        ser.is_valid(raise_exception=True)
        try:
            row = pe.rules_update(by=request.user, **ser.validated_data)
        except DjangoValidationError as e:
            raise ValidationError(e.message_dict) from e
        return Response(SelectionRulesSerializer(row).data)


def register(router):
    router.register("post-eligibility", PostEligibilityViewSet, basename="post-eligibility")
    router.register("selection-rules", SelectionRulesViewSet, basename="selection-rules")
    return router
