"""API of the leadership team analysis (班子研判): ``GET /api/v1/teams/`` (the teams the user sees,
with their figures and warnings; ``?unit=`` a subtree, ``?colour=``), ``GET /api/v1/teams/{unit}/``
(one team with its members and every enabled rule's verdict), ``GET/PUT /api/v1/team-rules/`` (the
rules and targets: everyone with a role reads, org staff write; audited); ``GET /api/v1/analysis/<slug>/``
(one city analysis page's Figures — the same tables and charts as the page, its export and the
auditors' reports; ``?unit=&start=&end=`` and on ``grades`` ``?period=``)."""
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cadres.models import Unit
from pingdingshan.core import permissions as gate
from pingdingshan.core.viewsets import ApiViewSetMixin, SingletonSettingsMixin

from .forms import FiguresFilterForm, TeamFilterForm
from .models import TeamRules
from .services import teams as svc
from .services.figures import PAGES, Params


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


# --------------------------------------------------------------------------- city analysis (大数据研判)
class FigureTableSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.ListField(child=serializers.JSONField(allow_null=True)),
                                 help_text=_("每行第一项为行名，其余为数值（小数为字符串），无值为 null"))
    note = serializers.CharField()
    total = serializers.BooleanField(help_text=_("最后一行为合计行"))


class FigureChartSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    kind = serializers.ChoiceField(choices=["bar", "stacked", "line", "pie"])
    table = serializers.CharField()
    series = serializers.ListField(child=serializers.IntegerField(), allow_null=True)


class FiguresSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    params = serializers.ListField(child=serializers.ListField(child=serializers.CharField()))
    tables = FigureTableSerializer(many=True)
    charts = FigureChartSerializer(many=True)

    def to_representation(self, f):
        def plain(v):
            return v if v is None or isinstance(v, (bool, int, float, str)) else str(v)

        return {"slug": f.slug, "title": str(f.title), "params": [[str(a), str(b)] for a, b in f.params],
                "tables": [{"key": t.key, "title": str(t.title), "columns": [str(c) for c in t.columns],
                            "rows": [[plain(v) for v in r] for r in t.rows], "note": str(t.note), "total": t.total}
                           for t in f.tables],
                "charts": [{"key": c.key, "title": str(c.title), "kind": c.kind, "table": c.table, "series": c.series}
                           for c in f.charts]}


FIGURE_PARAMS = [
    OpenApiParameter("unit", int, description=_("单位 id：只统计该单位及其下级")),
    OpenApiParameter("start", OpenApiTypes.DATE, description=_("开始日期")),
    OpenApiParameter("end", OpenApiTypes.DATE, description=_("结束日期")),
]
PERIOD_PARAM = OpenApiParameter("period", int, description=_("考核周期 id（默认最新）"))


class FiguresViewSet(ApiViewSetMixin, viewsets.GenericViewSet):
    """One read per analysis page: ``analysis/<slug>/`` (``analysis-figures-<slug>``)."""
    queryset = Unit.objects.all()
    serializer_class = FiguresSerializer
    filter_backends = []
    pagination_class = None
    http_method_names = ["get", "head", "options"]

    def figures(self, request, slug):
        form = FiguresFilterForm(request.query_params or None, user=request.user, with_period=slug == "grades")
        if form.is_bound and not form.is_valid():
            raise serializers.ValidationError(form.errors)
        data = form.cleaned_data if form.is_bound else {}
        params = Params(unit=data.get("unit"), start=data.get("start"), end=data.get("end"), period=data.get("period"))
        return Response(FiguresSerializer(PAGES[slug][1](request.user, params)).data)


def _figures_action(slug, title):
    def read(self, request):
        return self.figures(request, slug)

    read.__name__ = f"figures_{slug}"
    read = extend_schema(summary=title, responses={200: FiguresSerializer},
                         parameters=FIGURE_PARAMS + ([PERIOD_PARAM] if slug == "grades" else []))(read)
    return action(detail=False, methods=["get"], url_path=slug, url_name=slug)(read)


for _slug, (_title, _build) in PAGES.items():
    setattr(FiguresViewSet, f"figures_{_slug}", _figures_action(_slug, _title))


def register(router):
    router.register("analysis", FiguresViewSet, basename="analysis-figures")
    router.register("teams", TeamViewSet, basename="team")
    router.register("team-rules", TeamRulesViewSet, basename="team-rules")
    return router
