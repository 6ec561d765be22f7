"""The pools API under /api/v1/.

- ``industries/``, ``pool-categories/``: the editable lists (org staff create and edit).
- ``pools/``: the pools (everyone reads; org staff create and edit). The criteria are nested: a
  pool's ``criteria`` list is read with the pool and written whole with it (there is no
  ``pool-criteria/`` endpoint). Bad weights or criteria answer 400 with every problem at once:
  ``errors`` keyed by field (``weights`` for the sum, ``criteria.<i>.<param>`` for a criterion's
  parameter, ``criteria.<i>.kind``, ``criteria.<i>`` for the row), nothing saved.
  ``GET pools/{id}/candidates/``: the cadres who meet the pool's criteria today and are neither
  nominated nor admitted (org staff and auditors; paged; ``q``, ``unit``).
- ``pool-entries/``: the entries the user sees (unit leaders: cadres of their units), filtered by
  ``pool``, ``status``, ``flagged``, ``unit``, ``q``; ``POST`` nominates (``pool``, ``cadres``,
  ``note``: all or nothing); ``POST pool-entries/{id}/admit/`` (re-checks eligibility) and
  ``POST pool-entries/{id}/remove/`` (``reason`` required).
The services decide (``promotion/services/pools.py``, ``entries.py``).
"""
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as df
from django_filters.utils import translate_validation
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cadres.models import Cadre
from pingdingshan.core import permissions as gate
from pingdingshan.core.viewsets import ApiViewSetMixin

from .. import selectors_pools as sel
from .. import serializers_pools as s
from ..filters_pools import CandidateFilter, EntryFilter, PoolFilter
from ..models import Industry, PoolCategory, PoolEntry, ReservePool
from ..services import entries as entry_svc
from ..services import pools as svc

_CRITERIA_KEY = re.compile(r"^criteria-(\d+)(?:-(.+))?$")


def _api_errors(e: ValidationError) -> ValidationError:
    """The service's ``criteria-<i>-<param>`` keys as the API's nested paths ``criteria.<i>.<param>``."""
    if not hasattr(e, "error_dict"):
        return e
    out = {}
    for key, messages in e.message_dict.items():
        m = _CRITERIA_KEY.match(key)
        if m:
            key = f"criteria.{m.group(1)}" + (f".{m.group(2)}" if m.group(2) else "")
        out.setdefault(key, []).extend(messages)
    return ValidationError(out)


class _Valid:
    def _valid(self, serializer_class, partial=False):
        serializer = serializer_class(data=self.request.data, partial=partial, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _lookup(self):
        return gate.get_or_404(self.get_queryset().model.objects.all(), self.request.user, "view",
                               pk=self.kwargs.get(self.lookup_url_kwarg or self.lookup_field))


# --------------------------------------------------------------------------- lists
@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("储备库行业")), retrieve=extend_schema(summary=gettext_lazy("行业详情")),
    create=extend_schema(summary=gettext_lazy("新增行业（仅组织部）")),
    partial_update=extend_schema(summary=gettext_lazy("修改行业（仅组织部）")),
)
class IndustryViewSet(ApiViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                      mixins.UpdateModelMixin, viewsets.GenericViewSet):
    queryset = Industry.objects.all()
    serializer_class = s.IndustrySerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    filterset_fields = ["is_active"]
    ordering_fields = ["order", "name"]
    write_action = "reserve"

    def perform_create(self, serializer):
        serializer.instance = svc.industry_save(by=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = svc.industry_save(by=self.request.user, industry=serializer.instance,
                                                **serializer.validated_data)


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("储备类别")), retrieve=extend_schema(summary=gettext_lazy("储备类别详情")),
    create=extend_schema(summary=gettext_lazy("新增储备类别（仅组织部）")),
    partial_update=extend_schema(summary=gettext_lazy("修改储备类别（仅组织部）")),
)
class PoolCategoryViewSet(ApiViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                          mixins.UpdateModelMixin, viewsets.GenericViewSet):
    queryset = PoolCategory.objects.all()
    serializer_class = s.PoolCategorySerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    filterset_fields = ["is_active"]
    ordering_fields = ["order", "name"]
    write_action = "reserve"

    def perform_create(self, serializer):
        serializer.instance = svc.category_save(by=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = svc.category_save(by=self.request.user, category=serializer.instance,
                                                **serializer.validated_data)


# --------------------------------------------------------------------------- pools
POOL_ANSWER = {200: s.PoolDetailSerializer}


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("储备库列表"), description=gettext_lazy(
        "按行业、类别排列。筛选：industry、category、is_active、q（名称）；排序 ordering=order|name|industry|category。"
        "counts 为您可见的人选数。")),
    retrieve=extend_schema(summary=gettext_lazy("储备库详情（含入库条件）")),
    create=extend_schema(summary=gettext_lazy("新建储备库（仅组织部）"), request=s.PoolWriteSerializer,
                         responses={201: s.PoolDetailSerializer}, description=gettext_lazy(
                             "字段与入库条件一起保存，全部成功或全部不保存；五项权重各 0 到 100，合计须为 100；"
                             "每类条件最多一条。出错时 errors 列出所有问题：weights（权重合计）、"
                             "criteria.<序号>.<参数>（序号从 0 起）。")),
    partial_update=extend_schema(summary=gettext_lazy("修改储备库（仅组织部）"), request=s.PoolWriteSerializer,
                                 responses=POOL_ANSWER, description=gettext_lazy(
                                     "传 criteria 时以之替换全部入库条件；不传则保持原条件。")),
)
class PoolViewSet(_Valid, ApiViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                  mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    queryset = ReservePool.objects.all()
    serializer_class = s.PoolSerializer
    serializer_classes = {"retrieve": s.PoolDetailSerializer, "create": s.PoolWriteSerializer,
                          "partial_update": s.PoolWriteSerializer, "candidates": s.CandidateSerializer}
    http_method_names = ["get", "post", "patch", "head", "options"]
    filterset_class = PoolFilter
    filter_backends = [df.DjangoFilterBackend]
    write_action = "reserve"

    def get_queryset(self):
        qs = super().get_queryset().select_related("industry", "category")
        if self.action == "retrieve":
            qs = qs.prefetch_related("criteria")
        return qs

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        f = PoolFilter(self.request.query_params, queryset=queryset, request=self.request)
        if not f.is_valid():
            raise translate_validation(f.errors)
        return f.qs

    def list(self, request):
        qs = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(qs)
        rows = list(page) if page is not None else list(qs)
        context = {**self.get_serializer_context(), "pool_counts": sel.pool_counts(request.user, [p.pk for p in rows])}
        data = s.PoolSerializer(rows, many=True, context=context).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def _answer(self, pool, code=status.HTTP_200_OK):
        pool = ReservePool.objects.select_related("industry", "category").prefetch_related("criteria").get(pk=pool.pk)
        return Response(s.PoolDetailSerializer(pool, context=self.get_serializer_context()).data, status=code)

    def _save(self, pool, data):
        criteria = data.pop("criteria", None)
        if criteria is None:
            criteria = svc.pool_criteria(pool) if pool is not None else []
        criteria = [{"kind": c["kind"], "params": dict(c.get("params") or {})} for c in criteria]
        try:
            return svc.pool_save(by=self.request.user, pool=pool, fields=data, criteria=criteria)
        except ValidationError as e:
            raise _api_errors(e) from None

    def create(self, request):
        data = self._valid(s.PoolWriteSerializer)
        return self._answer(self._save(None, data), status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        pool = self.get_object()
        data = self._valid(s.PoolWriteSerializer, partial=True)
        return self._answer(self._save(pool, data))

    @extend_schema(summary=gettext_lazy("储备库的推荐人选（组织部和审计人员）"),
                   responses={200: s.CandidateSerializer(many=True)},
                   parameters=[OpenApiParameter("q", str, description=gettext_lazy("姓名、拼音首字母或身份证号")),
                               OpenApiParameter("unit", int, description=gettext_lazy("单位（含下级）")),
                               OpenApiParameter("ordering", str, description="name|unit|birth")],
                   description=gettext_lazy("今天符合全部入库条件、且尚未提名或入库的在职干部，附逐项核对结果。"))
    @action(detail=True, methods=["get"], filter_backends=[])
    def candidates(self, request, pk=None):
        if not gate.city_wide(request.user, "view", Cadre):
            raise PermissionDenied(_("只有组织部和审计人员可以查看储备库推荐人选。"))
        pool = self._lookup()
        cadres = Cadre.objects.restrict(request.user, "view").filter(status="active")
        f = CandidateFilter(request.query_params, queryset=cadres, request=request)
        if not f.is_valid():
            raise translate_validation(f.errors)
        ids = sel.candidate_ids(pool, f.qs)
        page = self.paginate_queryset(ids)
        found = Cadre.objects.select_related("unit", "current_post").in_bulk(page)
        rows = [found[pk] for pk in page if pk in found]
        if rows:
            from ..services.eligibility import eligibility

            results = eligibility(pool, [c.pk for c in rows], details=True)
            for c in rows:
                c.checks = list(results[c.pk].checks) if c.pk in results else []
        return self.get_paginated_response(s.CandidateSerializer(rows, many=True,
                                                                 context=self.get_serializer_context()).data)


# --------------------------------------------------------------------------- entries
ENTRY_ANSWER = {200: s.EntrySerializer}


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("储备库人选"), description=gettext_lazy(
        "您可见的人选（单位领导只看到本单位干部的）。筛选：pool、status、flagged（不再符合条件）、unit（含下级）、"
        "cadre、q；排序 ordering=rank|cadre|unit|nominated|admitted|removed|flagged。")),
    retrieve=extend_schema(summary=gettext_lazy("人选详情")),
    create=extend_schema(summary=gettext_lazy("提名（仅组织部）"), request=s.NominateSerializer,
                         responses={201: s.EntrySerializer(many=True)}, description=gettext_lazy(
                             "一次可提名多人；任何一人不符合入库条件、已提名或已入库时全部不提名，errors.cadres 列出原因。")),
)
class PoolEntryViewSet(_Valid, ApiViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                       mixins.CreateModelMixin, viewsets.GenericViewSet):
    queryset = PoolEntry.objects.all()
    serializer_class = s.EntrySerializer
    serializer_classes = {"create": s.NominateSerializer}
    http_method_names = ["get", "post", "head", "options"]
    filterset_class = EntryFilter
    filter_backends = [df.DjangoFilterBackend]
    write_action = "reserve"

    def get_queryset(self):
        return sel.entry_rows(self.request.user)  # reads through the gate; the services gate the writes

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        f = EntryFilter(self.request.query_params, queryset=queryset, request=self.request)
        if not f.is_valid():
            raise translate_validation(f.errors)
        return f.qs

    def _answer(self, entry):
        entry = sel.entry_rows(self.request.user).get(pk=entry.pk)
        return Response(s.EntrySerializer(entry, context=self.get_serializer_context()).data)

    def create(self, request):
        data = self._valid(s.NominateSerializer)
        done = entry_svc.entry_nominate(by=request.user, pool=data["pool"], cadres=data["cadres"], note=data["note"])
        rows = list(sel.entry_rows(request.user).filter(pk__in=[e.pk for e in done]).order_by("id"))
        return Response(s.EntrySerializer(rows, many=True, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(summary=gettext_lazy("审定入库（已提名 → 已入库，仅组织部）"), request=s.EntryReasonSerializer,
                   responses=ENTRY_ANSWER, description=gettext_lazy("按今天的情况重新核对入库条件，不符合的不能入库。"))
    @action(detail=True, methods=["post"])
    def admit(self, request, pk=None):
        entry = self._lookup()
        return self._answer(entry_svc.entry_admit(by=request.user, entry=entry,
                                                  reason=self._valid(s.EntryReasonSerializer)["reason"]))

    @extend_schema(summary=gettext_lazy("移出储备库（已提名、已入库 → 已移出，仅组织部）"), request=s.EntryReasonSerializer,
                   responses=ENTRY_ANSWER, description=gettext_lazy("须填写理由；记录保留。"))
    @action(detail=True, methods=["post"])
    def remove(self, request, pk=None):
        entry = self._lookup()
        return self._answer(entry_svc.entry_remove(by=request.user, entry=entry,
                                                   reason=self._valid(s.EntryReasonSerializer)["reason"]))


def register(router):
    router.register("industries", IndustryViewSet, basename="industry")
    router.register("pool-categories", PoolCategoryViewSet, basename="pool-category")
    router.register("pools", PoolViewSet, basename="pool")
    router.register("pool-entries", PoolEntryViewSet, basename="pool-entry")
    return router
