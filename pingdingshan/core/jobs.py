"""The one job runner: long work (imports, a period's computation, big exports) runs in the
background as a ``Job`` with state and progress, polled by one htmx status partial.

- Apps register their kinds of job in ``AppConfig.ready`` (core imports no app)::

      jobs.register("assessment.period_compute", run="assessment.jobs.period_compute",
                    label=_("计算综合得分"), action="assess", time_limit=30 * 60)

  ``run`` is the dotted path of ``run(job, progress) -> dict``: it calls one service as
  ``job.user`` and returns the result payload (JSON) stored on the row; it may attach a file
  (``attach``). ``progress(done, total, phase="")`` reports how far it is. A ``JobError`` (or a
  ValidationError / PermissionDenied) ends the job as failed with its Chinese message.
- ``start(by=, kind=, params=, upload=)`` checks the gate action, stores the row (and the upload
  under ``MEDIA_ROOT/jobs/<user>/<job>/``) and queues the Celery task ``core.run_job`` with the
  job id and the kind's time limits. Without REDIS_URL (the embedded default) it runs in-process:
  in one background thread of the web process when ``JOBS_IN_THREAD`` (the demo's settings: the
  request answers at once and the page polls), else inside the request that started it (Celery
  eager; the job has run when ``start`` returns).
- The task (``execute``) marks the job running, runs it acting as its user with the request id of
  the start (so every write it makes lands in the audit history as that user's), and stores the
  result or the failure. Progress goes to the Celery task state (the result backend: Redis, or
  memory in-process): it is written from inside the work's transaction, where a database row
  could not be seen by the page that polls.
- A user reaches only their own jobs (org staff too); any other id answers 404 (``job_get``).
- Job rows and folders are kept ``JOB_RETENTION_DAYS`` days (``jobs_cleanup``, nightly).
"""
import datetime as dt
import logging
import re
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import Http404, HttpRequest, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from . import permissions as gate
from .audit import acting_as
from .middleware import current_request_id
from .models import Job, JobState

log = logging.getLogger(__name__)

PROGRESS_STATE = "PROGRESS"
PROGRESS_EVERY = 1000  # rows between two progress reports of an export
_SOFT_MARGIN = 30  # seconds between the soft time limit (the job ends cleanly) and the hard one


class JobError(Exception):
    """The job cannot do its work: the message (Chinese) is shown on its page."""


@dataclass(frozen=True)
class Kind:
    name: str
    run: str | Callable  # run(job, progress) -> dict
    label: Any
    action: str  # the gate action needed to start it (checked again by the service it calls)
    time_limit: int = 10 * 60  # seconds (hard limit of the Celery task; the soft one is 30 s earlier)
    result_template: str = ""  # included on the job's page when it is done
    back: Callable[[Job], str] | None = None  # the page the job belongs to ("返回")
    desk: bool = True  # listed on the work desk when it finished or failed (False: the app lists it itself)

    def runner(self) -> Callable:
        return import_string(self.run) if isinstance(self.run, str) else self.run


KINDS: dict[str, Kind] = {}


def register(name: str, **options) -> Kind:
    """Register a kind of job (in an AppConfig.ready); registering it again replaces it."""
    KINDS[name] = kind = Kind(name=name, **options)
    return kind


def kind_of(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise LookupError(f"no job kind {name!r} is registered") from None


# --------------------------------------------------------------------------- start
def _store(name: str, content) -> str:
    if default_storage.exists(name):
        default_storage.delete(name)
    return default_storage.save(name, content if isinstance(content, File) else ContentFile(content))


def start(*, by, kind: str, params: dict | None = None, upload=None, upload_name: str = "source", pk=None) -> Job:
    """Create the job and queue it (in-process without a broker: it has run when this returns).
    ``upload`` (a file) is stored in the job's folder as ``upload_name`` + its extension; its
    storage name is ``job.params["source"]``. Raises PermissionDenied (gate), ValidationError when
    the task service is away (nothing kept). ``pk``: the job's id when the caller named it already
    (a UUID; the Celery task id is the same)."""
    from kombu.exceptions import OperationalError

    from .tasks import run_job

    k = kind_of(kind)
    gate.require(by, k.action)
    extra = {"pk": pk} if pk else {}
    job = Job.objects.create(kind=kind, user=by, params=dict(params or {}), request_id=current_request_id(),
                             language=translation.get_language() or "", **extra)
    if upload is not None:
        ext = (upload.name or "").rsplit(".", 1)[-1].lower() if "." in (upload.name or "") else ""
        ext = ext if re.fullmatch(r"[a-z0-9]{1,8}", ext) else "bin"  # the stored name never comes from the user
        upload.seek(0)
        job.params["source"] = _store(f"{job.folder}/{upload_name}.{ext}", upload)
        job.params.setdefault("source_name", upload.name or "")
        Job.objects.filter(pk=job.pk).update(params=job.params)
    if _in_thread():  # the embedded default: a thread of this process runs it after the commit
        transaction.on_commit(lambda: _executor().submit(_run_in_thread, str(job.pk)))
        return job
    try:
        run_job.apply_async(args=[str(job.pk)], task_id=str(job.pk), time_limit=k.time_limit,
                            soft_time_limit=max(k.time_limit - _SOFT_MARGIN, 1))
    except OperationalError:  # the broker is down: say so, keep nothing
        log.exception("job %s: cannot queue the task", job.pk)
        _remove_folder(job)
        job.delete()
        raise ValidationError(_("后台任务服务暂时不可用，请稍后重试。")) from None
    job.refresh_from_db()
    return job


# --------------------------------------------------------------------------- in a thread (no broker)
_LIVE: dict[str, dict] = {}  # progress of the jobs this process runs in its thread
_EXECUTOR = None
_EXECUTOR_LOCK = threading.Lock()


def _in_thread() -> bool:
    """Without a broker (Celery eager) and with ``JOBS_IN_THREAD`` (the demo's settings), jobs run in
    one background thread of the web process, so the request answers at once and the page polls."""
    from pingdingshan.celery import app

    return bool(app.conf.task_always_eager and getattr(settings, "JOBS_IN_THREAD", False))


def _executor():
    global _EXECUTOR
    with _EXECUTOR_LOCK:
        if _EXECUTOR is None:  # one thread: jobs run one after the other, as on a worker
            _EXECUTOR = ThreadPoolExecutor(max_workers=1, thread_name_prefix="jobs")
        return _EXECUTOR


def _run_in_thread(job_id: str) -> None:
    from django.db import connections

    try:
        execute(job_id)
    except Exception:  # noqa: BLE001 - nobody waits for this thread: log, the row says failed or stale
        log.exception("job %s: the in-process run failed", job_id)
    finally:
        _LIVE.pop(job_id, None)
        connections.close_all()  # this thread's connections


# --------------------------------------------------------------------------- the task's body
def _celery_progress(task, job_id: str = ""):
    def report(done: int, total: int, phase: str = "") -> None:
        meta = {"done": int(done), "total": int(total), "phase": str(phase)}
        if task is not None and task.request.id and not task.request.is_eager:
            task.update_state(state=PROGRESS_STATE, meta=meta)
        elif job_id and _in_thread():
            _LIVE[job_id] = meta
    return report


def execute(job_id: str, *, task=None) -> dict:
    """Run a queued job (called by the Celery task). Returns a short summary for the task result."""
    from celery.exceptions import SoftTimeLimitExceeded

    claimed = Job.objects.filter(pk=job_id, state=JobState.QUEUED).update(
        state=JobState.RUNNING, started_at=timezone.now())
    if not claimed:  # removed by the cleanup, or delivered twice
        log.warning("job %s: not queued (gone or already run), nothing done", job_id)
        return {"state": "gone"}
    job = Job.objects.select_related("user").get(pk=job_id)
    k = KINDS.get(job.kind)
    report = _celery_progress(task, str(job.pk))
    last = {"done": 0, "total": 0, "phase": ""}

    def progress(done: int, total: int, phase: str = "") -> None:
        last.update(done=int(done), total=int(total), phase=str(phase))
        report(done, total, phase)

    state, message, result = JobState.FAILED, "", {}
    with translation.override(job.language or None), acting_as(job.user, request_id=job.request_id or None):
        try:
            if k is None:
                raise JobError(_("未知的任务类型。"))
            if not job.user.is_active:
                raise PermissionDenied
            result = k.runner()(job, progress) or {}
            state = JobState.DONE
        except JobError as e:
            message = str(e)
        except ValidationError as e:
            message = "；".join(e.messages)
        except PermissionDenied as e:
            message = str(e) or _("您没有执行此操作的权限。")
        except Http404 as e:  # the object the job works on was removed, or left the user's scope
            message = str(e) or _("未找到该对象，或不在您的权限范围内。")
        except SoftTimeLimitExceeded:
            message = _("任务超过时限（%(m)s 分钟）被终止，未保存任何结果。") % {"m": max(1, (k.time_limit if k else 0) // 60)}
        except Exception:  # noqa: BLE001 - the job fails, its page says so; the log keeps the trace
            log.exception("job %s (%s) failed", job.pk, job.kind)
            message = _("任务执行失败，请稍后重试或联系管理员。")
    done = last["total"] if state == JobState.DONE and last["total"] else last["done"]
    Job.objects.filter(pk=job.pk).update(state=state, message=message, result=result, done=done,
                                         total=last["total"], phase=last["phase"], finished_at=timezone.now())
    return {**result, "state": state, "message": message}


# --------------------------------------------------------------------------- reading
_UUID = re.compile(r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$")


def job_get(*, user, pk, kind: str | None = None) -> Job:
    """The user's own job, or 404 (another user's job, whoever asks; a malformed or unknown id)."""
    if not getattr(user, "pk", None) or not _UUID.match(str(pk or "")):
        raise Http404(_("未找到该后台任务。"))
    qs = Job.objects.filter(pk=str(pk), user=user)
    if kind:
        qs = qs.filter(kind=kind)
    job = qs.first()
    if job is None:
        raise Http404(_("未找到该后台任务。"))
    return job


def job_under_way(*, user, kind: str, **params) -> Job | None:
    """The user's job of ``kind`` with these params that is queued or running (and not lost), if
    any: starting the same work twice shows the first one instead."""
    qs = Job.objects.filter(user=user, kind=kind, state__in=[JobState.QUEUED, JobState.RUNNING])
    for key, value in params.items():
        qs = qs.filter(**{f"params__{key}": value})
    return next((job for job in qs.order_by("-created_at") if not _stale(job)), None)


def job_list(*, user, limit: int = 20, kinds: Iterable[str] | None = None, finished_since=None) -> list[Job]:
    """The user's latest jobs, newest first."""
    qs = Job.objects.filter(user=user)
    if kinds is not None:
        qs = qs.filter(kind__in=list(kinds))
    if finished_since is not None:
        qs = qs.filter(finished_at__gte=finished_since)
    return list(qs.order_by("-created_at")[:limit])


def _stale(job: Job) -> bool:
    """Running (or queued) far longer than its time limit allows: the worker was lost."""
    k = KINDS.get(job.kind)
    limit = dt.timedelta(seconds=(k.time_limit if k else 3600) + 120)
    since = job.started_at or job.created_at
    if job.state == JobState.QUEUED:
        limit = dt.timedelta(days=1)
    return since is not None and timezone.now() - since > limit


def status(job: Job) -> dict:
    """What the status partial shows: {"state", "finished", "done", "total", "percent", "phase",
    "message"}; while running, the progress comes from the task state."""
    state, done, total, phase, message = job.state, job.done, job.total, job.phase, job.message
    if not job.finished and _stale(job):
        state, message = JobState.FAILED, _("任务中断（后台服务重启或超时），请重新发起。")
    elif job.state == JobState.RUNNING:
        info = _task_info(job)
        if info:
            done, total, phase = int(info.get("done") or 0), int(info.get("total") or 0), info.get("phase", "")
    return {"state": state, "finished": state in (JobState.DONE, JobState.FAILED), "done": done, "total": total,
            "percent": min(100, int(done * 100 / total)) if total else 0, "phase": _(phase) if phase else "",
            "message": message,
            "label": JobState(state).label}


def progress_of(job: Job) -> dict | None:
    """{"done", "total", "phase"} (the phase as reported) of a running job, when it can be read."""
    return _task_info(job)


def _task_info(job: Job) -> dict | None:
    from celery.result import AsyncResult

    from pingdingshan.celery import app

    if app.conf.task_always_eager:
        return _LIVE.get(str(job.pk))
    try:
        res = AsyncResult(str(job.pk), app=app)
        return res.info if res.state == PROGRESS_STATE and isinstance(res.info, dict) else None
    except Exception:  # noqa: BLE001 - the result backend being away must not break the page
        log.exception("job %s: cannot read the task state", job.pk)
        return None


def label(job: Job) -> str:
    k = KINDS.get(job.kind)
    return str(k.label) if k else job.kind


def back_url(job: Job) -> str:
    k = KINDS.get(job.kind)
    if k is None or k.back is None:
        return ""
    try:
        return k.back(job)
    except Exception:  # noqa: BLE001 - a removed object: no link back
        return ""


def url(job: Job) -> str:
    return reverse("core:job_detail", args=[job.pk])


# --------------------------------------------------------------------------- files
def attach(job: Job, content, *, name: str, download_name: str) -> str:
    """Store the job's result file (bytes or a file) in its folder; returns the storage name."""
    stored = _store(f"{job.folder}/{name}", content)
    job.file, job.file_name = stored, download_name[:200]
    Job.objects.filter(pk=job.pk).update(file=job.file, file_name=job.file_name)
    return stored


def open_source(job: Job):
    """The upload stored by ``start`` (binary file), or JobError when it is gone."""
    name = job.params.get("source")
    if not name or not default_storage.exists(name):
        raise JobError(_("上传的文件已被清理，请重新上传。"))
    return default_storage.open(name, "rb")


def result_file(job: Job):
    """The job's result file (open binary), or 404."""
    if job.state != JobState.DONE or not job.file or not default_storage.exists(job.file):
        raise Http404(_("该后台任务没有结果文件。"))
    return default_storage.open(job.file, "rb")


# --------------------------------------------------------------------------- exports as jobs
def counting(rows: Iterable, progress: Callable | None, total: int, every: int = PROGRESS_EVERY):
    """Yield ``rows`` reporting ``progress(n, total, "导出")`` every ``every`` rows."""
    if progress is None:
        yield from rows
        return
    phase = _("导出")
    progress(0, total, phase)
    n = 0
    for n, row in enumerate(rows, start=1):
        yield row
        if n % every == 0:
            progress(n, total, phase)
    progress(n, max(total, n), phase)


def export_threshold() -> int:
    return settings.EXPORT_JOB_THRESHOLD


def export_in_background(request, *, kind: str, total: int):
    """A redirect to a new export job when ``total`` rows exceed ``EXPORT_JOB_THRESHOLD``, else
    None (the caller answers the file directly). The job replays the request's query string."""
    if total <= export_threshold():
        return None
    job = start(by=request.user, kind=kind, params={"path": request.path, "query": request.GET.urlencode(),
                                                    "total": total})
    return redirect(url(job))


def replay_request(job: Job) -> HttpRequest:
    """The GET request an export job replays (its query string, as its user) for the same view code."""
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = job.params.get("path", "/")
    request.GET = QueryDict(job.params.get("query", ""))
    request.user = job.user
    request.META["SERVER_NAME"], request.META["SERVER_PORT"] = "jobs", "80"
    request.LANGUAGE_CODE = job.language or settings.LANGUAGE_CODE
    request.request_id = job.request_id
    return request


def list_query(job: Job, *drop: str) -> str:
    """The export's query string without ``drop`` (e.g. "format", "page"): for the link back to its list."""
    q = QueryDict(job.params.get("query", ""), mutable=True)
    for name in drop or ("format", "page"):
        q.pop(name, None)
    return q.urlencode()


def _download_name(response, default: str) -> str:
    header = response.get("Content-Disposition", "")
    m = re.search(r"filename\*=utf-8''([^;]+)", header, re.IGNORECASE)
    if m:
        return unquote(m.group(1))
    m = re.search(r'filename="([^"]+)"', header)
    return m.group(1) if m else default


def attach_response(job: Job, response, *, default_name: str = "export") -> dict:
    """Store a file response (the export path's answer) as the job's result file."""
    if getattr(response, "streaming", False):
        import tempfile

        tmp = tempfile.TemporaryFile()
        for chunk in response.streaming_content:
            tmp.write(chunk)
        tmp.seek(0)
        content = File(tmp)
    else:
        content = response.content
    filename = _download_name(response, default_name)
    ext = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    attach(job, content, name=f"result.{ext}", download_name=filename)
    # not response.close(): it sends request_finished, which closes the database connection
    stream = getattr(response, "file_to_stream", None)
    if stream is not None:
        stream.close()
    return {"file_name": filename}


# --------------------------------------------------------------------------- the work desk
DESK_DAYS = 3  # finished or failed jobs of the last days listed on the desk
DESK_LINES = 5


def desk_lines(user):
    """Work-desk lines (``pingdingshan.core.desk``): the user's jobs that finished or failed in the
    last ``DESK_DAYS`` days, newest first, each linking to its page (with its file or its reason)."""
    from .desk import DONE, WARNING, DeskLine

    if not getattr(user, "is_authenticated", False):
        return
    kinds = [name for name, k in KINDS.items() if k.desk]
    since = timezone.now() - dt.timedelta(days=DESK_DAYS)
    for job in job_list(user=user, limit=DESK_LINES, kinds=kinds, finished_since=since):
        failed = job.state == JobState.FAILED
        detail = job.message if failed else (_("已完成，可下载 %(name)s。") % {"name": job.file_name} if job.file
                                              else _("已完成。"))
        yield DeskLine(_("后台任务“%(name)s”") % {"name": label(job)}, url(job), detail=detail,
                       kind=WARNING if failed else DONE, icon="bi-x-octagon" if failed else "bi-hourglass-bottom")


# --------------------------------------------------------------------------- cleanup
def _remove_tree(name: str) -> None:
    if not default_storage.exists(name):
        return
    dirs, files = default_storage.listdir(name)
    for d in dirs:
        _remove_tree(f"{name}/{d}")
    for f in files:
        default_storage.delete(f"{name}/{f}")
    default_storage.delete(name)


def _remove_folder(job: Job) -> None:
    try:
        _remove_tree(job.folder)
    except OSError:
        log.exception("jobs cleanup: cannot remove %s", job.folder)


def jobs_cleanup(*, by=None, days: int | None = None, now=None) -> int:
    """Remove jobs (rows and folders) created more than ``days`` (default ``JOB_RETENTION_DAYS``)
    days ago, unless still under way within their time limit. ``by``: None for the system, else a
    user who may manage users. Returns how many were removed."""
    if by is not None:
        gate.require(by, "manage_users")
    days = settings.JOB_RETENTION_DAYS if days is None else days
    if days < 1:
        raise ValueError(f"jobs are kept at least 1 day, not {days}")
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    removed = 0
    for job in Job.objects.filter(created_at__lt=cutoff).iterator():
        if not job.finished and not _stale(job):
            continue
        _remove_folder(job)
        job.delete()
        removed += 1
    if removed:
        log.info("jobs cleanup: removed %s jobs older than %s days", removed, days)
    return removed
