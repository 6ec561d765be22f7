"""The 9-box API under /api/v1/ (九宫格).

- ``ninebox/`` (GET): the grid for the caller's scope, filtered like the page (``pool``, or ``tier``
  and ``category``; ``unit`` with its subtree): the cut-offs, the current run, the nine boxes (number,
  bands, label, count, the first ``limit`` cadres (default 20, at most 200) with their composite,
  score, pool and the explanation) and the cadres not placed, with why (their count, the first
  ``limit``). No pool, tier or category: the default pool's grid (the first with a current ranking).
- ``ninebox-settings/`` (GET everyone with a role, PUT org staff): the four cut-offs; a change is in
  the audit history. Bad values answer 400 in the project's error shape, naming the field.
"""
from django.utils.translation import gettext_lazy as _
from django_filters.utils import translate_validation
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from assessment.hundredths import h_float, to_h
from cadres.models import Cadre
from pingdingshan.core.fields import parse_id
from pingdingshan.core.viewsets import ApiViewSetMixin, SingletonSettingsMixin, SingletonViewSetMixin

from ..filters_ninebox import filtered, grid_of
from ..models import NineBoxSettings
from ..services import ninebox as svc


class CutoffsSerializer(serializers.Serializer):
    performance_low = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100,
                                               coerce_to_string=False, help_text=_("考核综合得分·中档起点。"))
    performance_high = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100,
                                                coerce_to_string=False, help_text=_("考核综合得分·高档起点。"))
    potential_low = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100,
                                             coerce_to_string=False, help_text=_("储备库得分·中档起点。"))
    potential_high = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100,
                                              coerce_to_string=False, help_text=_("储备库得分·高档起点。"))


class NineBoxCadreSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    unit = serializers.CharField()
    box = serializers.IntegerField(allow_null=True, help_text=_("格位 1–9（9：实绩高·潜力高）；未定位为 null。"))
    performance = serializers.CharField(allow_null=True, help_text=_("low / middle / high；缺少考核综合得分为 null。"))
    potential = serializers.CharField(allow_null=True, help_text=_("low / middle / high；不在当前排名中为 null。"))
    composite = serializers.FloatField(allow_null=True)
    score = serializers.FloatField(allow_null=True)
    pool = serializers.CharField(allow_null=True)
    explanation = serializers.CharField()


class BoxSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    performance = serializers.CharField()
    potential = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField(help_text=_("格内干部总数（不受 limit 限制）。"))
    cadres = NineBoxCadreSerializer(many=True, help_text=_("格内前 limit 名干部（按格位、储备库得分、考核综合得分排序）。"))


class NineBoxSerializer(serializers.Serializer):
    cutoffs = CutoffsSerializer()
    run_date = serializers.DateField(allow_null=True, help_text=_("当前排名的日期；没有当前排名为 null。"))
    pool = serializers.IntegerField(allow_null=True, help_text=_(
        "定位所用的储备库编号（含未传筛选条件时默认的储备库）；按考核层级和类别时为 null。"))
    pool_name = serializers.CharField(allow_null=True)
    limit = serializers.IntegerField(help_text=_("每格和未定位名单最多列出的人数。"))
    boxes = BoxSerializer(many=True)
    unplaced_count = serializers.IntegerField(help_text=_("未定位干部总数（不受 limit 限制）。"))
    unplaced = NineBoxCadreSerializer(many=True, help_text=_("前 limit 名未定位的干部，附原因。"))


LIMIT_DEFAULT, LIMIT_MAX = 20, 200


def parse_limit(params) -> tuple[int, dict]:
    """The ``limit`` query parameter (1 to LIMIT_MAX, LIMIT_DEFAULT when absent) and {"limit": [the
    problem]} when it is not one."""
    raw = params.get("limit")
    if raw in (None, ""):
        return LIMIT_DEFAULT, {}
    n = parse_id(raw)
    if n is None or n > LIMIT_MAX:
        return LIMIT_DEFAULT, {"limit": [_("每格人数（limit）须为 1 到 %(max)d 的整数。") % {"max": LIMIT_MAX}]}
    return n, {}


def _cadre(r) -> dict:
    p = r.placement
    return {"id": r.cadre.pk, "name": r.cadre.name, "unit": r.cadre.unit.name, "box": p.number,
            "performance": p.performance, "potential": p.potential,
            "composite": None if r.composite is None else h_float(to_h(r.composite)),
            "score": None if r.score is None else h_float(to_h(r.score)),
            "pool": r.pool.name if r.pool else None, "explanation": p.explanation}


def _cutoffs(row) -> dict:
    return {f: getattr(row, f) for f in svc.FIELDS}


class NineBoxViewSet(SingletonViewSetMixin, ApiViewSetMixin, viewsets.GenericViewSet):
    """GET ``ninebox/`` itself: the grid (no ids)."""

    queryset = Cadre.objects.none()  # the schema's model; the grid is built by the service
    serializer_class = NineBoxSerializer
    singleton_get = "grid"

    @extend_schema(summary=_("九宫格（实绩 × 潜力）"), responses={200: NineBoxSerializer}, description=_(
        "每格给出总数 count 和前 limit 名干部，未定位的给出 unplaced_count 和前 limit 名；全部名单请用导出。"
        "pool、tier、category 都不传时，默认取第一个有当前排名的储备库（见返回的 pool）；传空的 pool= 则按考核层级和类别。"),
        parameters=[
        OpenApiParameter("pool", int, description=_("储备库编号：按该库当前排名得分定位。")),
        OpenApiParameter("tier", int, description=_("考核层级编号（不选储备库时）。")),
        OpenApiParameter("category", int, description=_("考核类别编号（不选储备库时）。")),
        OpenApiParameter("unit", int, description=_("单位编号（含下级）。")),
        OpenApiParameter("limit", int, description=_("每格和未定位名单最多列出的人数，1–200，默认 20。"))])
    def grid(self, request):
        limit, problems = parse_limit(request.query_params)
        f, _default = filtered(request, request.query_params)
        if f.is_bound and not f.is_valid():
            problems = {**translate_validation(f.errors).detail, **problems}  # every problem at once
        if problems:
            raise ValidationError(problems)
        g = grid_of(f, request.user)
        pool = f.form.cleaned_data.get("pool") if f.is_bound else None
        boxes = [{**{k: box[k] for k in ("number", "performance", "potential", "count")}, "label": str(box["label"]),
                  "cadres": [_cadre(r) for r in box["rows"][:limit]]} for row in g.matrix() for box in row["boxes"]]
        unplaced = g.unplaced
        return Response({"cutoffs": _cutoffs(svc.settings_get()), "run_date": g.run.run_date if g.run else None,
                         "pool": pool.pk if pool else None, "pool_name": pool.name if pool else None,
                         "limit": limit, "boxes": sorted(boxes, key=lambda b: -b["number"]),
                         "unplaced_count": len(unplaced), "unplaced": [_cadre(r) for r in unplaced[:limit]]})


class NineBoxSettingsViewSet(SingletonSettingsMixin, viewsets.GenericViewSet):
    """GET (everyone with a role) and PUT (org staff) on ``ninebox-settings/`` itself (one row: no id)."""

    queryset = NineBoxSettings.objects.none()
    serializer_class = CutoffsSerializer
    singleton_get, singleton_put = "get_settings", "put_settings"

    @extend_schema(summary=_("九宫格分档线"), responses={200: CutoffsSerializer})
    def get_settings(self, request):
        return Response(CutoffsSerializer(_cutoffs(svc.settings_get())).data)

    @extend_schema(summary=_("修改九宫格分档线（仅组织部）"), request=CutoffsSerializer,
                   responses={200: CutoffsSerializer},
                   description=_("每个维度的中档起点须低于高档起点；修改记入审计日志。"))
    def put_settings(self, request):
        serializer = CutoffsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        svc.settings_save(by=request.user, **serializer.validated_data)
        return self.get_settings(request)


def register(router):
    router.register("ninebox", NineBoxViewSet, basename="ninebox")
    router.register("ninebox-settings", NineBoxSettingsViewSet, basename="ninebox-settings")
    return router
