"""The vacancy API under /api/v1/ (空缺岗位与人选, issue 13).

- ``vacancies/``: the posts with a free place and those whose holder reaches the statutory retirement
  age within ``months`` months (``services.vacancies``), filtered like the list page (unit subtree,
  level, kind, reason, months, industry, category), paginated.
- ``vacancies/{post id}/candidates/``: the post's candidates (``services.matching``): the eligible ones
  ranked with their explanation, the others apart with the rules they fail and when they are ready;
  ``readiness`` keeps one group, ``limit`` (1–200) caps each, ``roster=false`` only the pools' cadres.
- ``POST vacancies/{post id}/start-selection/`` {cadres: [ids], title, kind}: a selection record for
  the post with those cadres as its first candidates (org staff only; 201 and the record's id).
Reading is everyone's in scope (unit leaders: their subtree, a post outside it 404); starting a record
is org staff's (gate action ``reserve``: 403 for everyone else). Bad input answers 400 in the
project's error shape and saves nothing.
"""
from django.utils.translation import gettext_lazy as _
from django_filters.utils import translate_validation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cadres.models import Cadre, Post
from cadres.serializers_records import GatedPrimaryKeyRelatedField
from pingdingshan.core import permissions as gate
from pingdingshan.core.viewsets import ApiViewSetMixin

from ..filters_vacancies import VacancyFilter
from ..models import SelectionKind
from ..services import matching
from ..services import vacancies as svc
from ..services.post_eligibility import READINESS_LABELS
from .post_eligibility import RuleSerializer


class VacancyRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class VacancySerializer(serializers.Serializer):
    key = serializers.CharField(help_text=_("本行的标识：岗位-原因-现任者"))
    post = serializers.IntegerField(source="post_id", help_text=_("职务岗位编号（人选接口用它）"))
    post_name = serializers.CharField()
    unit = serializers.IntegerField(source="unit_id")
    unit_name = serializers.CharField()
    level = serializers.IntegerField(help_text=_("职务层次（PostLevel）"))
    level_label = serializers.CharField()
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    is_chief = serializers.BooleanField()
    limit = serializers.IntegerField(help_text=_("职数（正职为 1）"))
    used = serializers.IntegerField(help_text=_("在任人数"))
    reason = serializers.ChoiceField(choices=svc.REASONS)
    reason_label = serializers.CharField()
    places = serializers.IntegerField(help_text=_("空缺名额（到龄的为 1）"))
    free_on = serializers.DateField(help_text=_("空出日期"))
    overdue = serializers.BooleanField(help_text=_("现任者已过法定退休年龄"))
    holder = serializers.IntegerField(source="holder_id", allow_null=True)
    holder_name = serializers.CharField()
    sentence = serializers.CharField(help_text=_("说明（含法定退休年龄的依据）"))
    industries = VacancyRefSerializer(many=True)
    categories = VacancyRefSerializer(many=True)


class ComponentSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    points = serializers.CharField(help_text=_("计入的分数"))
    sentence = serializers.CharField()


class VacancyCandidateSerializer(serializers.Serializer):
    cadre = serializers.IntegerField(source="cadre_id")
    name = serializers.CharField(source="cadre.name")
    unit_name = serializers.CharField(source="cadre.unit.name")
    source = serializers.CharField(help_text=_("pool：储备库；roster：干部名册"))
    source_label = serializers.CharField()
    rank = serializers.IntegerField(allow_null=True, help_text=_("在符合任职资格的人选中的名次；不符合的为 null"))
    score = serializers.CharField(source="score_text", help_text=_("匹配分（0–100）"))
    pool = serializers.CharField(help_text=_("得分最高的储备库"))
    readiness = serializers.ChoiceField(choices=list(READINESS_LABELS))
    readiness_label = serializers.CharField()
    ready_on = serializers.DateField(allow_null=True)
    eligible = serializers.BooleanField()
    explanation = serializers.ListField(child=serializers.CharField())
    components = ComponentSerializer(many=True)
    rules = RuleSerializer(many=True, source="eligibility.rules")


class VacancyMatchesSerializer(serializers.Serializer):
    post = serializers.IntegerField(source="post.pk")
    on = serializers.DateField()
    counts = serializers.DictField(child=serializers.IntegerField(), help_text=_("各“何时可用”分组的人数"))
    total = serializers.IntegerField()
    industries = VacancyRefSerializer(many=True)
    categories = VacancyRefSerializer(many=True)
    tie_rule = serializers.SerializerMethodField()
    eligible = VacancyCandidateSerializer(many=True)
    waiting = VacancyCandidateSerializer(many=True)

    def get_tie_rule(self, obj) -> str:
        return str(matching.TIE_RULE)


class StartSerializer(serializers.Serializer):
    cadres = serializers.ListField(child=GatedPrimaryKeyRelatedField(queryset=Cadre.objects.all()),
                                   allow_empty=True, max_length=svc.MAX_TICKED, label=_("人选"))
    title = serializers.CharField(required=False, allow_blank=True, max_length=200, label=_("名称"))
    kind = serializers.ChoiceField(required=False, choices=SelectionKind.choices, label=_("类型"))


class StartedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.CharField()


CANDIDATE_PARAMS = [
    OpenApiParameter("readiness", str, enum=list(READINESS_LABELS), description=_("只看一组：now、1y、2y、later")),
    OpenApiParameter("limit", int, description=_("每组最多人数（1–200，默认 50）")),
    OpenApiParameter("roster", bool, description=_("false：只看储备库人选")),
    OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description=_("职务岗位编号")),
]


@extend_schema_view(list=extend_schema(summary=_("空缺岗位"), description=_(
    "有空缺职数的岗位和现任者在 months 个月内到达法定退休年龄的岗位，按空出日期排列。筛选：unit（含下级）、level、"
    "kind、reason（free 有空缺 / retiring 即将到龄）、months（0–60，默认 6）、industry、category。")))
class VacancyViewSet(ApiViewSetMixin, viewsets.GenericViewSet):
    queryset = Post.objects.all()
    serializer_class = VacancySerializer
    filterset_class = VacancyFilter
    filter_backends = []
    write_action = "reserve"
    http_method_names = ["get", "post", "head", "options"]

    def list(self, request):
        f = VacancyFilter(request.query_params, queryset=Post.objects.restrict(request.user, "view"), request=request)
        if not f.is_valid():
            raise translate_validation(f.errors)
        rows = svc.vacancies(request.user, posts=f.qs, **f.vacancy_options())
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(VacancySerializer(page, many=True).data)

    def _post(self, pk) -> Post:
        return gate.get_or_404(Post.objects.select_related("unit"), self.request.user, "view", pk=pk)

    @extend_schema(summary=_("空缺岗位的人选（该用谁、何时用）"), parameters=CANDIDATE_PARAMS,
                   responses={200: VacancyMatchesSerializer}, description=_(
                       "储备库和干部名册中可任该岗位的人选：符合任职资格的按匹配分排名（eligible），不符合硬性条件的另列"
                       "（waiting，不参与排名），每人附排名说明和逐条任职资格。"))
    @action(detail=True, methods=["get"], pagination_class=None)
    def candidates(self, request, pk=None):
        post = self._post(pk)
        q = request.query_params
        readiness = q.get("readiness") or None
        if readiness is not None and readiness not in READINESS_LABELS:
            raise serializers.ValidationError({"readiness": [_("只能是 now、1y、2y、later 之一。")]})
        try:
            limit = int(q.get("limit") or 50)
        except ValueError:
            limit = 0
        if not 1 <= limit <= 200:
            raise serializers.ValidationError({"limit": [_("须为 1 到 200 的整数。")]})
        roster = q.get("roster", "true").lower() not in ("false", "0", "no")
        found = matching.candidates(post, user=request.user, readiness=readiness, limit=limit, include_roster=roster)
        return Response(VacancyMatchesSerializer(found).data)

    @extend_schema(summary=_("以勾选的人选发起选任纪实（仅组织部）"), request=StartSerializer,
                   responses={201: StartedSerializer},
                   parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH,
                                                description=_("职务岗位编号"))])
    @action(detail=True, methods=["post"], url_path="start-selection", write_action="reserve")
    def start_selection(self, request, pk=None):
        gate.require(request.user, "reserve")
        post = self._post(pk)
        serializer = StartSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        selection = svc.selection_start(by=request.user, post=post, cadres=d["cadres"], title=d.get("title", ""),
                                        kind=d.get("kind", ""))
        return Response(StartedSerializer(selection).data, status=status.HTTP_201_CREATED)


def register(router):
    router.register("vacancies", VacancyViewSet, basename="vacancy")
