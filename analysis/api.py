"""API of the leadership team analysis (班子研判): ``GET /api/v1/teams/`` (the teams the user sees,
with their figures and warnings; ``?unit=`` a subtree, ``?colour=``), ``GET /api/v1/teams/{unit}/``
(one team with its members and every enabled rule's verdict), ``GET/PUT /api/v1/team-rules/`` (the
rules and targets: everyone with a role reads, org staff write; audited)."""
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from cadres.models import Unit
from pingdingshan.core import permissions as gate
from pingdingshan.core.viewsets import ApiViewSetMixin, SingletonSettingsMixin

from .forms import TeamFilterForm
from .models import TeamRules
from .services import teams as svc


class WarningSerializer(serializers.Serializer):
    code = serializers.CharField()
    colour = serializers.CharField()
    sentence = serializers.CharField()


class MemberSerializer(serializers.Serializer):
    cadre = serializers.IntegerField(source="cadre_id")
    name = serializers.CharField()
    posts = serializers.ListField(child=serializers.CharField())
    is_chief = serializers.BooleanField()
    gender = serializers.CharField()
    age = serializers.IntegerField()
    non_party = serializers.BooleanField()
    retires_on = serializers.DateField()
    cards = serializers.ListField(child=serializers.CharField())
    sanctions = serializers.ListField(child=serializers.CharField())
    open_rulings = serializers.ListField(child=serializers.CharField())


class TeamSerializer(serializers.Serializer):
    unit = serializers.IntegerField(source="unit_id")
    unit_name = serializers.CharField()
    depth = serializers.IntegerField()
    colour = serializers.CharField()
    size = serializers.IntegerField()
    chiefs = serializers.SerializerMethodField()
    young = serializers.IntegerField(source="young_count")
    young_share = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    women = serializers.IntegerField()
    non_party = serializers.IntegerField()
    mean_age = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)
    retiring = serializers.IntegerField(source="retiring_count")
    places = serializers.IntegerField()
    used = serializers.IntegerField()
    free = serializers.IntegerField()
    warnings = WarningSerializer(many=True)

    def get_chiefs(self, t) -> list[str]:
        return [m.name for m in t.chiefs]


class CheckSerializer(serializers.Serializer):
    code = serializers.CharField()
    fired = serializers.BooleanField()
    colour = serializers.CharField()
    sentence = serializers.CharField()


class TeamDetailSerializer(TeamSerializer):
    members = MemberSerializer(many=True)
    checks = serializers.SerializerMethodField()

    def get_checks(self, t) -> list[dict]:
        return [{"code": code, "fired": v.fired, "colour": v.colour, "sentence": v.sentence} for code, v in t.checks]


LIST_PARAMS = [
    OpenApiParameter("unit", int, description=_("单位 id：只看该单位及其下级")),
    OpenApiParameter("colour", str, description=_("预警颜色：red、orange、yellow、blue、green")),
]


class TeamViewSet(ApiViewSetMixin, viewsets.GenericViewSet):
    queryset = Unit.objects.all()
    serializer_class = TeamSerializer
    filter_backends = []
    http_method_names = ["get", "head", "options"]

    @extend_schema(summary=_("班子研判：各单位领导班子及预警"), parameters=LIST_PARAMS,
                   responses={200: TeamSerializer(many=True)})
    def list(self, request):
        form = TeamFilterForm(request.query_params or None, user=request.user)
        if form.is_bound and not form.is_valid():
            raise serializers.ValidationError(form.errors)
        data = form.cleaned_data if form.is_bound else {}
        rows = svc.teams(request.user, units=svc.subtree(data["unit"]) if data.get("unit") else None)
        colour = data.get("colour")
        if colour == svc.GREEN:
            rows = [t for t in rows if not t.warnings]
        elif colour:
            rows = [t for t in rows if colour in t.colours]
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(TeamSerializer(page, many=True).data)

    @extend_schema(summary=_("一个单位的班子研判"), responses={200: TeamDetailSerializer})
    def retrieve(self, request, pk=None):
        unit = gate.get_or_404(Unit, request.user, "view", pk=pk)
        return Response(TeamDetailSerializer(svc.team(request.user, unit)).data)


class TeamRulesSerializer(serializers.ModelSerializer):
    class Meta:
        model = TeamRules
        fields = list(svc.FIELDS)


class TeamRulesViewSet(SingletonSettingsMixin, viewsets.GenericViewSet):
    """GET (everyone with a role) and PUT (org staff: gate ``assess``) on ``team-rules/`` itself."""

    queryset = TeamRules.objects.none()
    serializer_class = TeamRulesSerializer
    singleton_get, singleton_put = "get_rules", "put_rules"
    write_action = "assess"

    @extend_schema(summary=_("班子研判规则与配备目标"), responses={200: TeamRulesSerializer})
    def get_rules(self, request):
        return Response(TeamRulesSerializer(svc.rules_get()).data)

    @extend_schema(summary=_("修改班子研判规则与配备目标（仅组织部）"), request=TeamRulesSerializer,
                   responses={200: TeamRulesSerializer}, description=_("各项规则可启用或停用并设置阈值；修改记入审计日志。"))
    def put_rules(self, request):
        serializer = TeamRulesSerializer(svc.rules_get(), data=request.data)
        serializer.is_valid(raise_exception=True)
        svc.rules_save(by=request.user, **serializer.validated_data)
        return self.get_rules(request)


def register(router):
    router.register("teams", TeamViewSet, basename="team")
    router.register("team-rules", TeamRulesViewSet, basename="team-rules")
    return router
