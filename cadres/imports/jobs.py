"""Import jobs: the uploaded file, the Celery task that imports it, its progress and its result.

A job lives in ``MEDIA_ROOT/imports/<user id>/<job id>/`` (outside the static root, never served
as a file): ``job.json`` (who, which file, the task id, the request id and language of the upload),
``source.xlsx`` / ``source.csv``, and when done ``result.json`` (+ ``errors.xlsx`` for a rejected
file). Only the uploader reaches a job: another user's job id answers 404.

While the task runs its progress is the Celery task state ``PROGRESS`` with meta
``{"done": n, "total": N, "phase": "校验" | "保存"}``.

Job folders are kept ``IMPORT_JOB_RETENTION_DAYS`` days (default 7), then removed by
``import_jobs_cleanup`` (the nightly task ``cadres.cleanup_import_jobs``, or ``manage.py
cleanup_import_jobs``); a job whose task is under way is never removed.
"""
import datetime as dt
import json
import logging
import re
import uuid
import zipfile
from dataclasses import asdict, dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pingdingshan.core import permissions as gate
from pingdingshan.core.audit import acting_as
from pingdingshan.core.middleware import current_request_id
from pingdingshan.core.uploads import check_xlsx

from . import records as service
from .report import error_report
from .template import MAX_ROWS

log = logging.getLogger(__name__)

ROOT = "imports"
MAX_BYTES = 10 * 1024 * 1024
ERRORS_KEPT = 500  # error rows kept in result.json for the page (the xlsx report has them all)
PROGRESS_STATE = "PROGRESS"
_JOB_ID = re.compile(r"^[0-9a-f]{32}$")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

# outcome of a finished job (GONE: the task found its folder removed, see import_jobs_cleanup)
IMPORTED, REJECTED, INVALID, FAILED, GONE = "imported", "rejected", "invalid", "failed", "gone"
# Celery states of a task that a worker has taken and not finished
ACTIVE_STATES = frozenset({"RECEIVED", "STARTED", "RETRY", PROGRESS_STATE})


@dataclass
class Job:
    id: str
    user_id: int
    filename: str
    fmt: str
    size: int
    created: str
    task_id: str
    request_id: str = ""
    language: str = ""

    @property
    def folder(self) -> str:
        return f"{ROOT}/{self.user_id}/{self.id}"

    @property
    def source(self) -> str:
        return f"{self.folder}/source.{self.fmt}"

    @property
    def result_name(self) -> str:
        return f"{self.folder}/result.json"

    @property
    def errors_name(self) -> str:
        return f"{self.folder}/errors.xlsx"

    @property
    def created_at(self):
        return dt.datetime.fromisoformat(self.created)


# --------------------------------------------------------------------------- storage helpers
def _put(name: str, data: bytes) -> None:
    if default_storage.exists(name):
        default_storage.delete(name)
    saved = default_storage.save(name, ContentFile(data))
    assert saved == name, (saved, name)


def _get_json(name: str):
    with default_storage.open(name, "rb") as f:
        return json.loads(f.read().decode("utf-8"))


def _put_json(name: str, data) -> None:
    _put(name, json.dumps(data, ensure_ascii=False, default=str).encode("utf-8"))


# --------------------------------------------------------------------------- upload
def detect_format(upload) -> str:
    """"xlsx" or "csv", from the name AND the content; a clear error otherwise."""
    name = (upload.name or "").lower()
    if upload.size > MAX_BYTES:
        raise ValidationError({"file": _("文件超过10MB：请分批导入。")})
    if upload.size == 0:
        raise ValidationError({"file": _("文件是空的。")})
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if name.endswith(".xlsx"):
        ok = head.startswith(b"PK\x03\x04")
        if ok:
            try:
                ok = "xl/workbook.xml" in zipfile.ZipFile(upload).namelist()
            except zipfile.BadZipFile:
                ok = False
            upload.seek(0)
        if not ok:
            raise ValidationError({"file": _(
                "文件扩展名为 .xlsx，但内容不是 Excel 工作簿：请用 Excel 打开后另存为 .xlsx 再上传。")})
        try:  # a zip bomb (a small file that unzips to a huge sheet) is refused before it is parsed
            check_xlsx(upload, max_rows=MAX_ROWS)
        except ValidationError as e:
            raise ValidationError({"file": e.messages}) from None
        return "xlsx"
    if name.endswith(".csv"):
        if b"\x00" in head or head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
            raise ValidationError({"file": _("文件扩展名为 .csv，但内容不是文本：请上传 .xlsx 文件或纯文本的 .csv 文件。")})
        return "csv"
    if name.endswith(".xls") or head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ValidationError({"file": _("不支持旧版 Excel（.xls）文件：请在 Excel 中另存为 .xlsx 后上传。")})
    raise ValidationError({"file": _("只能上传 .xlsx 或 .csv 文件（请先下载导入模板）。")})


def import_start(*, by, upload) -> Job:
    """Store an upload and start its import: a background job of the one runner
    (``pingdingshan.core.jobs``, kind ``cadres.record_import``) with the same id, whose Celery task
    id is ``job.task_id`` (in-process without Redis: the import has run when this returns)."""
    from pingdingshan.core import jobs as runner

    from ..jobs import RECORD_IMPORT
    from ..services.records import safe_filename

    gate.require(by, "change")
    fmt = detect_format(upload)
    job_id = uuid.uuid4()
    job = Job(id=job_id.hex, user_id=by.pk, filename=safe_filename(upload.name, fmt), fmt=fmt,
              size=upload.size, created=timezone.now().isoformat(), task_id=str(job_id),
              request_id=current_request_id(), language=translation.get_language() or "")
    upload.seek(0)
    saved = default_storage.save(job.source, upload)
    assert saved == job.source, (saved, job.source)
    _put_json(f"{job.folder}/job.json", asdict(job))
    try:
        runner.start(by=by, kind=RECORD_IMPORT, pk=job_id, params={"import": job.id, "source_name": job.filename})
    except ValidationError:  # the broker is down: say so on the form, keep nothing
        log.error("import %s: cannot queue the task", job.id)
        for name in (job.source, f"{job.folder}/job.json"):
            default_storage.delete(name)
        raise ValidationError({"file": _("后台任务服务暂时不可用，未导入任何记录，请稍后重新上传。")}) from None
    return job


def job_get(*, user, job_id) -> Job:
    """The user's own job, or 404 (another user's job, a malformed or unknown id)."""
    if not isinstance(job_id, str) or not _JOB_ID.match(job_id) or not getattr(user, "pk", None):
        raise Http404(_("未找到该导入任务。"))
    name = f"{ROOT}/{user.pk}/{job_id}/job.json"
    if not default_storage.exists(name):
        raise Http404(_("未找到该导入任务。"))
    job = Job(**_get_json(name))
    if job.user_id != user.pk or job.id != job_id:
        raise Http404(_("未找到该导入任务。"))
    return job


def job_list(*, user, limit: int = 10) -> list[dict]:
    """The user's latest jobs with their state, newest first."""
    folder = f"{ROOT}/{user.pk}"
    if not default_storage.exists(folder):
        return []
    jobs = []
    for job_id in default_storage.listdir(folder)[0]:
        try:
            jobs.append(job_get(user=user, job_id=job_id))
        except (Http404, OSError, TypeError, ValueError):
            continue
    jobs.sort(key=lambda j: j.created, reverse=True)
    return [{"job": j, **job_state(j, brief=True)} for j in jobs[:limit]]


# --------------------------------------------------------------------------- state
def _task_state(job: Job) -> tuple[str, object] | None:
    """(state, info) of the job's Celery task from the result backend; None when it cannot be read.
    An unknown task id reads as PENDING (queued, or never queued)."""
    from celery.result import AsyncResult

    from pingdingshan.celery import app

    res = AsyncResult(job.task_id, app=app)
    try:
        return res.state, res.info
    except Exception:  # noqa: BLE001 - the broker or result backend is away
        log.exception("import %s: cannot read the task state", job.id)
        return None


def job_state(job: Job, *, brief: bool = False) -> dict:
    """{"finished": bool, "outcome", "result"} when done; else {"phase", "done", "total", "percent"}."""
    if default_storage.exists(job.result_name):
        result = _get_json(job.result_name)
        if brief:
            result.pop("errors", None)
        return {"finished": True, "outcome": result.get("outcome"), "result": result}
    from pingdingshan.celery import app
    from pingdingshan.core import jobs as runner
    from pingdingshan.core.models import Job as RunnerJob

    runner_job = RunnerJob.objects.filter(pk=job.task_id).first() if _UUID.match(job.task_id) else None
    if runner_job is not None and runner.status(runner_job)["state"] == "failed":  # ended before its result
        message = runner.status(runner_job)["message"] or _("导入失败，请稍后重试或联系管理员。")
        return {"finished": True, "outcome": FAILED, "result": {"outcome": FAILED, "message": message}}
    if app.conf.task_always_eager:  # in-process: inside the upload request, or in the runner's thread
        state, info = ("PROGRESS", runner.progress_of(runner_job)) if runner_job is not None else ("PENDING", None)
        if not info:
            return {"finished": False, "state": "PENDING", "phase": "", "done": 0, "total": 0, "percent": 0}
    else:
        state, info = _task_state(job) or ("PENDING", None)  # the broker being away must not break the page
    if state == "FAILURE":
        failed = {"outcome": FAILED, "message": _("导入失败，请稍后重试或联系管理员。")}
        return {"finished": True, "outcome": FAILED, "result": failed}
    progress = info if state == PROGRESS_STATE and isinstance(info, dict) else {}
    done, total = int(progress.get("done") or 0), int(progress.get("total") or 0)
    return {"finished": False, "state": state, "phase": progress.get("phase", ""), "done": done, "total": total,
            "percent": int(done * 100 / total) if total else 0}


# --------------------------------------------------------------------------- the task's body
def run_job(*, job_id: str, by, progress=None) -> dict:
    """Import a stored upload as ``by`` (called by the Celery task). Writes result.json (and the
    error report for a rejected file) and returns a summary."""
    try:
        job = job_get(user=by, job_id=job_id)
    except Http404:  # removed by import_jobs_cleanup while the task waited in the queue
        log.warning("import %s: the job's folder is gone, nothing imported", job_id)
        return {"outcome": GONE}
    progress = progress or (lambda done, total, phase: None)
    summary = {"outcome": FAILED, "finished_at": None}
    with translation.override(job.language or None), acting_as(by, request_id=job.request_id or None):
        try:
            with default_storage.open(job.source, "rb") as f:
                result = service.import_records(by=by, source=f, fmt=job.fmt, progress=progress)
        except (service.ImportFileError, PermissionDenied, ValidationError) as e:
            message = "；".join(e.messages) if isinstance(e, ValidationError) else str(e)
            summary = {"outcome": INVALID, "message": message or _("您没有执行此操作的权限。")}
        except Exception:
            _put_json(job.result_name, {"outcome": FAILED, "message": _("导入失败，请稍后重试或联系管理员。"),
                                        "finished_at": timezone.now().isoformat()})
            raise
        else:
            summary = {
                "outcome": IMPORTED if result.ok else REJECTED, "total": result.total, "imported": result.imported,
                "status": result.status, "error_count": len(result.errors),
                "errors": [asdict(e) for e in result.errors[:ERRORS_KEPT]],
                "validate_seconds": round(result.validate_seconds, 2), "save_seconds": round(result.save_seconds, 2),
            }
            if not result.ok:
                _put(job.errors_name, error_report(result.table, result.errors))
        summary["finished_at"] = timezone.now().isoformat()
        _put_json(job.result_name, summary)
    return {k: v for k, v in summary.items() if k != "errors"}


def error_report_file(job: Job):
    """The stored error report of a rejected job (open binary file), or 404."""
    if not default_storage.exists(job.errors_name):
        raise Http404(_("该导入任务没有错误报告。"))
    return default_storage.open(job.errors_name, "rb")


# --------------------------------------------------------------------------- cleanup
def _modified(folder: str):
    """The latest modification time of the folder or a file directly in it (aware)."""
    times = [default_storage.get_modified_time(folder)]
    times += [default_storage.get_modified_time(f"{folder}/{f}") for f in default_storage.listdir(folder)[1]]
    return max(times)


def _removable(folder: str, cutoff) -> bool:
    """Whether a job folder may go: created before ``cutoff`` and not under way. A finished job
    (result.json) goes; an unfinished one only when its task's state can be read and says no worker
    holds it (queued for days, lost, or crashed: the task's hard time limit is an hour). A folder
    without a readable job.json (an upload being stored, the remains of one the broker refused) goes
    when nothing in it changed since ``cutoff``."""
    try:
        job = Job(**_get_json(f"{folder}/job.json"))
        created = job.created_at
    except (OSError, TypeError, ValueError):
        return _modified(folder) < cutoff
    if timezone.is_naive(created):
        created = timezone.make_aware(created)
    if created >= cutoff:
        return False
    if default_storage.exists(job.result_name):
        return True
    from pingdingshan.celery import app

    if app.conf.task_always_eager:  # the task ran inside the upload request, long finished
        return True
    state = _task_state(job)
    return state is not None and state[0] not in ACTIVE_STATES


def _remove_tree(name: str) -> None:
    dirs, files = default_storage.listdir(name)
    for d in dirs:
        _remove_tree(f"{name}/{d}")
    for f in files:
        default_storage.delete(f"{name}/{f}")
    default_storage.delete(name)  # the file-system storage removes the (now empty) directory


def import_jobs_cleanup(*, by=None, days: int | None = None, now=None) -> list[str]:
    """Remove the import job folders (``imports/<user>/<job>/``) older than ``days`` (default: the
    setting ``IMPORT_JOB_RETENTION_DAYS``, 7; at least 1); returns the removed job folders. A job
    whose task a worker is running is never removed (see ``_removable``). The users' own folders
    stay, even when empty: removing one could race with that user's next upload.

    ``by`` is None for the system (the nightly task, the management command), else a user who may
    manage users (org staff). ``now`` (default: the current time) is for tests. Only files change
    (no database rows); each removal is logged."""
    if by is not None:
        gate.require(by, "manage_users")
    days = settings.IMPORT_JOB_RETENTION_DAYS if days is None else days
    if days < 1:  # a job is kept at least a day: in eager mode (the demo) no task state tells a running one
        raise ValueError(f"import jobs are kept at least 1 day, not {days}")
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    removed = []
    if not default_storage.exists(ROOT):
        return removed
    for user_dir in sorted(default_storage.listdir(ROOT)[0]):
        user_folder = f"{ROOT}/{user_dir}"
        for job_dir in sorted(default_storage.listdir(user_folder)[0]):
            folder = f"{user_folder}/{job_dir}"
            try:
                if not _removable(folder, cutoff):
                    continue
                _remove_tree(folder)
            except OSError:
                log.exception("import jobs cleanup: cannot remove %s", folder)
                continue
            log.info("import jobs cleanup: removed %s (older than %s days)", folder, days)
            removed.append(folder)
    return removed
