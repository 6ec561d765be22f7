"""The ranking API under /api/v1/.

- ``ranking-runs/``: every run (list, retrieve: state, trigger, who, start, end, counts, weights,
  error). ``POST ranking-runs/start/``: rank every active pool now, as a background job (202 and
  the job with its URL ``/api/v1/jobs/{id}/``); 400 in the one error shape while a run is under way.
  Org staff only (gate action ``reserve``).
- ``ranking-entries/``: a run's entries (``run``, default the current run; ``pool``, ``cadre``,
  ``unit`` (with the units below), ``q``, ``ranked``), each with its movement against the previous run
  and the explanation of its score line by line. Unit leaders get the entries of the cadres of their
  units; the ranks are those in the whole pool.
- ``ranking-schedule/``: the nightly run's time and on/off (GET, PUT; org staff).
"""
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_celery_beat.models import PeriodicTask
from django_filters import rest_framework as df
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from pingdingshan.core import jobs
from pingdingshan.core.api_jobs import JobSerializer
from pingdingshan.core.viewsets import ApiViewSetMixin, SingletonSettingsMixin

from .. import selectors_ranking as sel
from ..filters_ranking import RankingEntryApiFilter, RunFilter
from ..jobs import RANKING_RUN
from ..models import RankingEntry, RankingRun, RunTrigger
from ..services import ranking
from ..services import schedule as schedule_svc
from ..views import ranking as pages


# --------------------------------------------------------------------------- runs
class RankingRunSerializer(serializers.ModelSerializer):
    started_by_name = serializers.SerializerMethodField()
    job_url = serializers.SerializerMethodField(help_text=gettext_lazy("启动本次排名的后台任务（仅启动人可查看）。"))
    duration_seconds = serializers.SerializerMethodField()

    class Meta:
        model = RankingRun
        fields = ["id", "run_date", "status", "is_current", "trigger", "started_by", "started_by_name", "job",
                  "job_url", "started_at", "finished_at", "duration_seconds", "counts", "weights", "error"]
        read_only_fields = fields

    def get_started_by_name(self, obj) -> str:
        u = obj.started_by
        return (u.get_full_name() or u.get_username()) if u else ""

    def get_job_url(self, obj) -> str | None:
        return reverse("job-detail", args=[obj.job_id]) if obj.job_id else None

    def get_duration_seconds(self, obj) -> float | None:
        d = obj.duration
        return round(d.total_seconds(), 3) if d is not None else None


class StartedJobSerializer(JobSerializer):
    url = serializers.SerializerMethodField(help_text=gettext_lazy("查询任务进度和结果的地址。"))

    class Meta(JobSerializer.Meta):
        fields = [*JobSerializer.Meta.fields, "url"]
        read_only_fields = fields

    def get_url(self, job) -> str:
        return reverse("job-detail", args=[job.pk])


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("排名运行列表"), description=gettext_lazy(
        "每次排名运行（新的在前）：状态、启动方式、启动人、开始和结束时间、统计、所用权重、错误信息。"
        "筛选：status、trigger、date_from/date_to（排名日期）；排序 ordering=date|started|status，前加“-”为倒序。")),
    retrieve=extend_schema(summary=gettext_lazy("排名运行详情")),
)
class RankingRunViewSet(ApiViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = RankingRun.objects.select_related("started_by").order_by("-run_date", "-started_at", "-id")
    serializer_class = RankingRunSerializer
    serializer_classes = {"start": serializers.Serializer}
    filterset_class = RunFilter
    filter_backends = [df.DjangoFilterBackend]  # RunFilter holds its own ordering
    write_action = "reserve"

    @extend_schema(summary=gettext_lazy("立即排名（仅组织部）"), request=None, responses={202: StartedJobSerializer},
                   description=gettext_lazy(
                       "对所有启用的储备库重新排名，作为后台任务运行：立即返回 202 和任务（用 url，即 "
                       "/api/v1/jobs/{id}/，查询进度和结果）。已有排名正在运行时返回 400，不做任何更改。"))
    @action(detail=False, methods=["post"], write_action="reserve")
    def start(self, request):
        mine = jobs.job_under_way(user=request.user, kind=RANKING_RUN)
        running = pages.run_under_way()
        if mine is not None or running is not None:
            since = running.started_at if running is not None else mine.created_at
            raise exceptions.ValidationError({"non_field_errors": [pages.busy_message(since)]})
        job = jobs.start(by=request.user, kind=RANKING_RUN, params={"trigger": RunTrigger.API})
        return Response(StartedJobSerializer(job, context=self.get_serializer_context()).data,
                        status=status.HTTP_202_ACCEPTED)


# --------------------------------------------------------------------------- entries
class MovementSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text=gettext_lazy("up 上升、down 下降、same 未变、new 新进、unranked 本次未排名。"))
    places = serializers.IntegerField(help_text=gettext_lazy("上升或下降的名次数。"))
    text = serializers.CharField(help_text=gettext_lazy("如“↑3”“↓1”“新进”。"))


class LineSerializer(serializers.Serializer):
    component = serializers.CharField(help_text=gettext_lazy("分项：composite、points、awards、frontline、cards。"))
    label = serializers.CharField()
    value = serializers.FloatField(allow_null=True, help_text=gettext_lazy("干部的分项得分（0–100 分，两位小数）。"))
    weight = serializers.IntegerField(allow_null=True, help_text=gettext_lazy("权重（%）。"))
    contribution = serializers.FloatField(allow_null=True, help_text=gettext_lazy("计入总分的分数（分，两位小数）。"))
    sentence = serializers.CharField(help_text=gettext_lazy("该分项依据什么（按读者的语言）。"))


class RankingEntrySerializer(serializers.ModelSerializer):
    run_date = serializers.DateField(source="run.run_date", read_only=True)
    pool_name = serializers.CharField(source="pool.name", read_only=True)
    cadre_name = serializers.CharField(source="cadre.name", read_only=True)
    unit = serializers.IntegerField(source="cadre.unit_id", read_only=True, allow_null=True)
    unit_name = serializers.CharField(source="cadre.unit.name", read_only=True, default="")
    score = serializers.SerializerMethodField(help_text=gettext_lazy("得分（两位小数）；未排名时为 null。"))
    movement = serializers.SerializerMethodField()
    explanation = serializers.SerializerMethodField()
    components = serializers.SerializerMethodField(help_text=gettext_lazy(
        "得分构成：各分项（composite、points、awards、frontline、cards）的 value（分项得分，百分之一分）、"
        "weight（权重 %）、contribution（计入总分，百分之一分）和 detail（所依据的年度、时段、表彰、历练、红黄牌）。"))

    class Meta:
        model = RankingEntry
        fields = ["id", "run", "run_date", "pool", "pool_name", "entry", "cadre", "cadre_name", "unit", "unit_name",
                  "rank", "previous_rank", "movement", "score", "components", "flags", "explanation"]
        read_only_fields = fields

    def get_score(self, obj) -> float | None:
        return None if obj.score is None else obj.score / 100

    def get_components(self, obj) -> dict:
        return ranking.components(obj)

    @extend_schema_field(MovementSerializer)
    def get_movement(self, obj) -> dict:
        kind, places = sel.movement(obj)
        return {"kind": kind, "places": places, "text": sel.movement_text(obj)}

    @extend_schema_field(LineSerializer(many=True))
    def get_explanation(self, obj) -> list[dict]:
        def number(v):
            return float(v) if v is not None else None

        return [{"component": line["component"], "label": line["label"], "value": number(line.get("value")),
                 "weight": line.get("weight"), "contribution": number(line.get("contribution")),
                 "sentence": line["sentence"]} for line in pages.explanation(obj)]


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("储备库排名"), description=gettext_lazy(
        "一次排名的各人选（run，默认当前排名）：名次（在整个储备库中的名次）、与上次相比的变化、得分、得分构成和"
        "逐项说明。筛选：run、pool、cadre、unit（干部单位，含下级）、q（姓名/拼音首字母/身份证号）、ranked=yes|no；"
        "排序 ordering=rank|score|cadre|unit，前加“-”为倒序。单位领导只看到本单位干部的排名。")),
    retrieve=extend_schema(summary=gettext_lazy("一名人选的排名和得分说明")),
)
class RankingEntryViewSet(ApiViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = (RankingEntry.objects.select_related("cadre", "cadre__unit", "pool", "run")
                .order_by("run", "pool", "rank", "id"))
    serializer_class = RankingEntrySerializer
    filterset_class = RankingEntryApiFilter
    filter_backends = [df.DjangoFilterBackend]

    def filter_queryset(self, queryset):
        if self.action == "retrieve":  # one entry of any run (the list's default run is the current one)
            return queryset
        return super().filter_queryset(queryset)


# --------------------------------------------------------------------------- the schedule
class ScheduleSerializer(serializers.Serializer):
    enabled = serializers.BooleanField(help_text=gettext_lazy("是否启用每日自动排名。"))
    hour = serializers.IntegerField(min_value=0, max_value=23, help_text=gettext_lazy("时（0–23，北京时间）。"))
    minute = serializers.IntegerField(min_value=0, max_value=59, help_text=gettext_lazy("分（0–59）。"))
    next_run = serializers.DateTimeField(read_only=True, allow_null=True,
                                         help_text=gettext_lazy("下次运行时间；停用时为 null。"))
    last_run_at = serializers.DateTimeField(read_only=True, allow_null=True,
                                            help_text=gettext_lazy("上次定时触发的时间。"))


class ScheduleViewSet(SingletonSettingsMixin, viewsets.GenericViewSet):
    """GET and PUT on ``ranking-schedule/`` itself (one schedule: no id; org staff only)."""

    queryset = PeriodicTask.objects.none()  # the schema's model (the schedule is read by the service)
    serializer_class = ScheduleSerializer
    singleton_get, singleton_put = "get_schedule", "put_schedule"

    def check_permissions(self, request):
        super().check_permissions(request)
        from pingdingshan.core import permissions as gate

        if not gate.can(request.user, "reserve"):
            self.permission_denied(request, message=_("只有组织部可以查看和修改每日排名时间。"))

    def _answer(self):
        s = schedule_svc.schedule_get()
        return Response({"enabled": s.enabled, "hour": s.hour, "minute": s.minute, "next_run": s.next_run,
                         "last_run_at": s.last_run_at} if s.exists else {
            "enabled": False, "hour": None, "minute": None, "next_run": None, "last_run_at": None})

    @extend_schema(summary=gettext_lazy("每日排名时间（仅组织部）"), responses={200: ScheduleSerializer})
    def get_schedule(self, request):
        return self._answer()

    @extend_schema(summary=gettext_lazy("修改每日排名时间（仅组织部）"), request=ScheduleSerializer,
                   responses={200: ScheduleSerializer}, description=gettext_lazy(
                       "hour 0–23、minute 0–59（北京时间），enabled 是否启用；修改记入审计日志。"))
    def put_schedule(self, request):
        serializer = ScheduleSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        schedule_svc.schedule_save(by=request.user, **serializer.validated_data)
        return self._answer()


def register(router):
    router.register("ranking-runs", RankingRunViewSet, basename="ranking-run")
    router.register("ranking-entries", RankingEntryViewSet, basename="ranking-entry")
    router.register("ranking-schedule", ScheduleViewSet, basename="ranking-schedule")
