"""/api/v1/jobs/: the caller's own background jobs (``pingdingshan.core.jobs``): state, progress,
result and the link to the result file. Anybody else's job answers 404."""
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets

from . import jobs
from .api import OwnThingsPermission
from .models import Job


class JobSerializer(serializers.ModelSerializer):
    label = serializers.SerializerMethodField()
    percent = serializers.SerializerMethodField()
    file_url = serializers.SerializerMethodField()

    class Meta:
        model = Job
        fields = ["id", "kind", "label", "state", "done", "total", "percent", "phase", "message", "result",
                  "file_name", "file_url", "created_at", "started_at", "finished_at"]
        read_only_fields = fields

    def _status(self, job) -> dict:
        cache = self.context.setdefault("_status", {})
        if job.pk not in cache:
            cache[job.pk] = jobs.status(job)
        return cache[job.pk]

    def to_representation(self, job):
        data = super().to_representation(job)
        status = self._status(job)
        data.update(state=status["state"], done=status["done"], total=status["total"], phase=status["phase"],
                    message=status["message"])
        return data

    def get_label(self, job) -> str:
        return jobs.label(job)

    def get_percent(self, job) -> int:
        return self._status(job)["percent"]

    def get_file_url(self, job) -> str | None:
        if not job.file or job.state != "done":
            return None
        from django.urls import reverse

        request = self.context.get("request")
        path = reverse("core:job_file", args=[job.pk])
        return request.build_absolute_uri(path) if request else path


@extend_schema_view(
    list=extend_schema(summary=_("我的后台任务（最新的在前）")),
    retrieve=extend_schema(summary=_("后台任务的状态、进度和结果")),
)
class JobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = JobSerializer
    permission_classes = [OwnThingsPermission]
    lookup_value_regex = "[0-9a-fA-F-]{32,36}"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return Job.objects.none()
        return Job.objects.filter(user=self.request.user).order_by("-created_at")

    def get_object(self):
        return jobs.job_get(user=self.request.user, pk=self.kwargs.get("pk"))


def register(router) -> None:
    router.register("jobs", JobViewSet, basename="job")
