"""API of the leadership team analysis (班子研判): ``GET /api/v1/teams/`` (the teams the user sees,
with their figures and warnings; ``?unit=`` a subtree, ``?colour=``), ``GET /api/v1/teams/{unit}/``
(one team with its members and every enabled rule's verdict), ``GET/PUT /api/v1/team-rules/`` (the
rules and targets: everyone with a role reads, org staff write; audited); ``GET /api/v1/analysis/<slug>/``
(one city analysis page's Figures — the same tables and charts as the page, its export and the
auditors' reports; ``?unit=&start=&end=`` and on ``grades`` ``?period=``)."""
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from cadres.models import Unit
from pingdingshan.core import permissions as gate
from pingdingshan.core.api_jobs import JobSerializer
from pingdingshan.core.files import serve_file
from pingdingshan.core.viewsets import ApiViewSetMixin, SingletonSettingsMixin

from .forms import FiguresFilterForm, TeamFilterForm
from .models import GeneratedReport, TeamRules
from .services import reports
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
# --------------------------------------------------------------------------- auditors' reports (审计报表)
class ExportPermission(BasePermission):
    """Every route needs the gate action ``export`` (org staff, auditors, unit leaders); which
    reports one sees is the service's (``reports.visible_reports``)."""

    message = _("您没有执行此操作的权限。")

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and gate.can(request.user, "export"))


class GeneratedReportSerializer(serializers.ModelSerializer):
    title = serializers.SerializerMethodField()
    requested_by = serializers.SerializerMethodField()
    files = serializers.SerializerMethodField()

    class Meta:
        model = GeneratedReport
        fields = ["id", "kind", "title", "unit", "start", "end", "params", "requested_by", "scheduled", "state",
                  "message", "row_count", "created_at", "finished_at", "job", "files"]
        read_only_fields = fields

    def get_title(self, row) -> str:
        r = reports.BY_KIND.get(row.kind)
        return r.label if r else row.kind

    def get_requested_by(self, row) -> str | None:
        return row.requested_by.username if row.requested_by_id and row.requested_by else None

    def get_files(self, row) -> dict[str, str]:
        from django.urls import reverse

        if row.state != "done":
            return {}
        request = self.context.get("request")
        out = {}
        for fmt in reports.FORMATS:
            path = reverse("report-file", args=[row.pk]) + f"?format={fmt}"
            out[fmt] = request.build_absolute_uri(path) if request else path
        return out


class ReportRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[(r.kind, r.title) for r in reports.CATALOGUE], help_text=_("报表"),
                                   error_messages={"invalid_choice": _("报表：请选择 %(kinds)s 之一。") % {
                                       "kinds": "、".join(r.kind for r in reports.CATALOGUE)}})
    unit = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=2**63 - 1,
                                    help_text=_("单位 id：该单位及其下级（默认：我的全部范围）"))
    start = serializers.DateField(required=False, allow_null=True, help_text=_("开始日期 YYYY-MM-DD"))
    end = serializers.DateField(required=False, allow_null=True, help_text=_("结束日期 YYYY-MM-DD"))


class ReportCreatedSerializer(serializers.Serializer):
    report = GeneratedReportSerializer()
    job = JobSerializer()


REPORT_LIST_PARAMS = [OpenApiParameter("kind", str, description=_("报表：structure、archive、grades、conduct、pool、"
                                                                 "selection、audit"))]


class ReportViewSet(ApiViewSetMixin, viewsets.GenericViewSet):
    """``reports/``: the generated reports the caller sees (GET), ask for one (POST: 202 with the
    report and its job), ``reports/{id}/file/?format=xlsx|pdf`` the file (written to the export log)."""

    queryset = GeneratedReport.objects.none()
    serializer_class = GeneratedReportSerializer
    permission_classes = [ExportPermission]
    filter_backends = []
    http_method_names = ["get", "post", "head", "options"]

    def perform_content_negotiation(self, request, force=False):
        # ?format= of the file route names the report's file (xlsx, pdf), not one of DRF's renderers
        return super().perform_content_negotiation(request, force=force or getattr(self, "action", "") == "file")

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return GeneratedReport.objects.none()
        return reports.visible_reports(self.request.user)

    @extend_schema(summary=_("已生成的审计报表（最新的在前）"), parameters=REPORT_LIST_PARAMS,
                   responses={200: GeneratedReportSerializer(many=True)})
    def list(self, request):
        qs = self.get_queryset()
        kind = request.query_params.get("kind")
        if kind:
            if kind not in reports.BY_KIND:
                raise serializers.ValidationError({"kind": [_("报表：请选择 %(kinds)s 之一。") % {
                    "kinds": "、".join(r.kind for r in reports.CATALOGUE)}]})
            qs = qs.filter(kind=kind)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(GeneratedReportSerializer(page, many=True, context=self.get_serializer_context()).data)

    @extend_schema(summary=_("生成一份审计报表（后台任务）"), request=ReportRequestSerializer,
                   description=_("立即返回 202、报表和任务（用 /api/v1/jobs/{id}/ 查询进度）；完成后从 files 下载 xlsx 和 PDF。"),
                   responses={202: ReportCreatedSerializer})
    def create(self, request):
        from django.core.exceptions import ValidationError as DjangoValidationError

        data = ReportRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        try:
            row = reports.report_request(by=request.user, kind=d["kind"], unit=d.get("unit"), start=d.get("start"),
                                         end=d.get("end"))
        except DjangoValidationError as e:
            raise serializers.ValidationError(e.message_dict if hasattr(e, "error_dict") else {"kind": e.messages}) from None
        context = self.get_serializer_context()
        return Response({"report": GeneratedReportSerializer(row, context=context).data,
                         "job": JobSerializer(row.job, context=context).data if row.job_id else None},
                        status=status.HTTP_202_ACCEPTED)

    @extend_schema(summary=_("下载审计报表文件"), parameters=[OpenApiParameter(
        "format", str, enum=[*reports.FORMATS], description=_("xlsx 或 pdf（默认 xlsx）"))],
        responses={(200, reports.CONTENT_TYPES[f]): OpenApiResponse(response=OpenApiTypes.BINARY,
                                                                     description=_("文件内容")) for f in reports.FORMATS})
    @action(detail=True, methods=["get"])
    def file(self, request, pk=None):
        fmt = request.query_params.get("format") or "xlsx"
        if fmt not in reports.FORMATS:
            raise serializers.ValidationError({"format": [_("格式：请选择 xlsx 或 pdf。")]})
        f, name, content_type = reports.report_file(user=request.user, pk=pk, fmt=fmt)
        return serve_file(f, filename=name, content_type=content_type)


def register(router):
    router.register("analysis", FiguresViewSet, basename="analysis-figures")
    router.register("teams", TeamViewSet, basename="team")
    router.register("team-rules", TeamRulesViewSet, basename="team-rules")
    router.register("reports", ReportViewSet, basename="report")
    return router
