"""The auditors' reports (审计报表, issue 14): a catalogue of seven reports, each the ``Figures`` of one
builder (``analysis.services.figures``) over a unit subtree and a period, generated as a background
job into an xlsx workbook and a printed PDF (``report_files``), kept as a ``GeneratedReport``.

- ``CATALOGUE``: the reports, each naming its builder module. A builder that is not there (its
  module missing, or without ``build`` / a registered page) makes the report unavailable: listed
  as such, refused with a Chinese message, never a 500.
- ``report_request(*, by, kind, unit=None, start=None, end=None) -> GeneratedReport``: the gate
  action ``export`` (``audit`` for 操作与导出审计); the unit inside the user's scope; every problem
  at once as a ValidationError by field (nothing stored). Stores the report and starts its job
  (``analysis.report``); without a broker it has run when this returns.
- ``generate(report, *, by)``: builds the figures as ``by``, renders both files, stores them under
  ``MEDIA_ROOT/reports/<id>/`` and writes the generation to the export log.
- ``monthly_reports(on=None)``: the schedule's task (django-celery-beat ``PeriodicTask``
  ``SCHEDULE_NAME``, seeded by migration 0003, edited by org staff): every available report for the
  whole city over the previous calendar month, requested by nobody (定时任务).
- ``visible_reports(user)``: org staff and auditors (city-wide ``export``) see every report,
  scheduled ones included; a unit leader sees only the reports they asked for.
- ``report_file(*, user, pk, fmt) -> (file, name)``: the download, gated (404 outside what the
  user sees), written to the export log.
"""
from __future__ import annotations

import calendar
import datetime as dt
import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pingdingshan.core import dates
from pingdingshan.core import permissions as gate
from pingdingshan.core.schedules import crontab_task_save

from ..models import GeneratedReport, ReportState
from . import report_files
from .figures.base import PAGES, Figures, Params

log = logging.getLogger(__name__)

JOB_KIND = "analysis.report"
SCHEDULE_NAME = "reports-monthly"
SCHEDULE_TASK = "analysis.monthly_reports"
FORMATS = ("xlsx", "pdf")
WHAT = "审计报表"  # the export log's "what" prefix
CONTENT_TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 "pdf": "application/pdf"}
EARLIEST = dt.date(1949, 10, 1)


@dataclass(frozen=True)
class Report:
    kind: str
    title: object  # lazy
    module: str  # analysis.services.figures.<module>
    action: str = "export"  # the gate action needed to generate and read it
    description: object = ""

    @property
    def label(self) -> str:
        return str(self.title)


CATALOGUE = [
    Report("structure", gettext_lazy("干部队伍结构分析"), "structure",
           description=gettext_lazy("年龄、学历、性别、民族、党派、职级等结构及其分布。")),
    Report("archive", gettext_lazy("实绩档案统计"), "archive",
           description=gettext_lazy("实绩记录的填报、核实与分类统计。")),
    Report("grades", gettext_lazy("考核结果统计"), "grades",
           description=gettext_lazy("各考核周期的等次分布与得分统计。")),
    Report("conduct", gettext_lazy("奖惩与容错统计"), "conduct",
           description=gettext_lazy("红黄牌、处分、容错纠错与表彰奖励。")),
    Report("pool", gettext_lazy("储备库变动"), "pool",
           description=gettext_lazy("储备库的入库、出库与排名变化。")),
    Report("selection", gettext_lazy("选拔任用纪实"), "selection",
           description=gettext_lazy("选拔任用各环节的纪实与进度。")),
    Report("audit", gettext_lazy("操作与导出审计"), "audit", action="audit",
           description=gettext_lazy("审计历史中的操作与导出记录：按用户、对象类型、月份与导出内容。")),
]
BY_KIND = {r.kind: r for r in CATALOGUE}


def builder_for(report: Report) -> Callable | None:
    """The report's builder ``build(user, params) -> Figures``: the city analysis page of its module
    (``figures.PAGES``), else its module's own ``build`` (操作与导出审计: a report, not a page); None
    when there is neither."""
    if report.module in PAGES:
        return PAGES[report.module][1]
    name = f"{__package__}.figures.{report.module}"
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as e:
        if e.name == name:
            return None
        raise
    fn = getattr(module, "build", None)
    return fn if callable(fn) else None


def available(report: Report) -> bool:
    try:
        return builder_for(report) is not None
    except Exception:  # noqa: BLE001 - a broken builder module: the report is unavailable, the page stays up
        log.exception("report %s: its builder cannot be imported", report.kind)
        return False


def catalogue(user) -> list[dict]:
    """The reports the user may generate, each with whether it is available now."""
    return [{"report": r, "available": available(r)} for r in CATALOGUE if gate.can(user, r.action)]


# --------------------------------------------------------------------------- who sees what
def visible_reports(user):
    """The generated reports the user sees, newest first (see the module docstring)."""
    gate.require(user, "export")
    qs = GeneratedReport.objects.select_related("requested_by", "unit").order_by("-created_at", "-id")
    if not gate.city_wide(user, "export"):
        qs = qs.filter(requested_by=user)
    if not gate.can(user, "audit"):
        qs = qs.exclude(kind="audit")
    return qs


def report_get(*, user, pk) -> GeneratedReport:
    try:
        return visible_reports(user).get(pk=int(pk))
    except (GeneratedReport.DoesNotExist, TypeError, ValueError, OverflowError):
        raise Http404(_("未找到该报表，或不在您的权限范围内。")) from None


# --------------------------------------------------------------------------- asking for one
def _units(user):
    from cadres.models import Unit

    return Unit.objects.restrict(user, "export")


def validate(*, by, kind, unit=None, start=None, end=None) -> tuple[Report, object]:
    """The report and the unit (a Unit or None) after every check; a ValidationError by field with
    every problem at once otherwise. ``unit`` may be a Unit or its id."""
    from cadres.models import Unit

    errors: dict[str, list] = {}
    report = BY_KIND.get(str(kind or ""))
    if report is None:
        errors["kind"] = [_("请选择报表：%(kinds)s。") % {"kinds": "、".join(r.kind for r in CATALOGUE)}]
    elif not gate.can(by, report.action):
        raise PermissionDenied(_("您没有生成该报表的权限。"))
    elif not available(report):
        errors["kind"] = [_("报表“%(title)s”暂不可用（统计模块尚未安装）。") % {"title": report.label}]
    found = None
    if unit not in (None, ""):
        pk = unit.pk if isinstance(unit, Unit) else unit
        try:
            found = _units(by).filter(pk=int(pk)).first()
        except (TypeError, ValueError, OverflowError):
            found = None
        if found is None:
            errors["unit"] = [_("单位不存在，或不在您的权限范围内。")]
    for name, value in (("start", start), ("end", end)):
        if value is not None and not isinstance(value, dt.date):
            errors[name] = [_("日期格式应为 YYYY-MM-DD。")]
        elif value is not None and value < EARLIEST:
            errors[name] = [_("日期不能早于 1949-10-01。")]
    if isinstance(start, dt.date) and isinstance(end, dt.date) and start > end and "start" not in errors:
        errors["end"] = [_("结束日期不能早于开始日期。")]
    if report is not None and report.action == "export" and found is None and not gate.city_wide(by, "export") \
            and "unit" not in errors and gate.scope(by, "export").empty:
        errors["unit"] = [_("您没有可统计的单位。")]
    if errors:
        raise ValidationError(errors)
    return report, found


def _shown_params(report: Report, unit, start, end) -> dict:
    return {"unit_name": unit.name if unit is not None else _("全市"),
            "start": start.isoformat() if start else "", "end": end.isoformat() if end else ""}


def report_request(*, by, kind, unit=None, start=None, end=None) -> GeneratedReport:
    """Store the report and start its job (see the module docstring)."""
    from pingdingshan.core import jobs

    report, unit = validate(by=by, kind=kind, unit=unit, start=start, end=end)
    with transaction.atomic():
        row = GeneratedReport.objects.create(kind=report.kind, unit=unit, start=start, end=end, requested_by=by,
                                             params=_shown_params(report, unit, start, end))
    try:
        job = jobs.start(by=by, kind=JOB_KIND, params={"report": row.pk})
    except ValidationError:  # the task service is away: nothing kept
        row.delete()
        raise
    GeneratedReport.objects.filter(pk=row.pk, job__isnull=True).update(job=job)
    row.refresh_from_db()
    return row


# --------------------------------------------------------------------------- making one
class _ScheduleReader:
    """Whom the monthly schedule builds the figures as: the whole city (the gate treats a superuser
    as reaching everything); never saved, never an author of any write (the builders only read)."""

    pk = id = None
    is_authenticated = is_active = is_superuser = is_staff = True
    is_anonymous = False
    username = "schedule"
    _gate_assignments = ()

    def get_full_name(self):
        return _("定时任务")

    def get_username(self):
        return self.username

    def __str__(self):
        return str(_("定时任务"))


SCHEDULE_READER = _ScheduleReader()


def params_of(row: GeneratedReport) -> Params:
    return Params(unit=row.unit, start=row.start, end=row.end)


def _by_name(user) -> str:
    if user is None or user is SCHEDULE_READER:
        return _("定时任务")
    return (user.get_full_name() or user.get_username()) if user else ""


def _figures(report: Report, user, params: Params) -> Figures:
    fn = builder_for(report)
    if fn is None:
        raise ValidationError(_("报表“%(title)s”暂不可用（统计模块尚未安装）。") % {"title": report.label})
    figures = fn(user, params)
    if not figures.params:
        figures.params = [(_("单位"), params.unit.name if params.unit is not None else _("全市")),
                          (_("期间"), period_text(params.start, params.end))]
    return figures


def period_text(start, end) -> str:
    if start and end:
        return _("%(a)s 至 %(b)s") % {"a": start.isoformat(), "b": end.isoformat()}
    if start:
        return _("%(a)s 起") % {"a": start.isoformat()}
    if end:
        return _("截至 %(b)s") % {"b": end.isoformat()}
    return _("全部")


def generate(row: GeneratedReport, *, by, progress: Callable | None = None) -> GeneratedReport:
    """Build, render and store the report's files (see the module docstring). A failure marks the
    report failed with its message and is raised again (the job says why)."""
    from pingdingshan.core.models import ExportLog

    progress = progress or (lambda done, total, phase="": None)
    report = BY_KIND.get(row.kind)
    GeneratedReport.objects.filter(pk=row.pk).update(state=ReportState.RUNNING)
    try:
        if report is None:
            raise ValidationError(_("未知的报表。"))
        reader = by if by is not None else SCHEDULE_READER
        if by is not None:
            gate.require(by, report.action)
        progress(0, 3, _("统计"))
        figures = _figures(report, reader, params_of(row))
        at = timezone.localtime()
        name = _by_name(by)
        progress(1, 3, _("生成 Excel"))
        xlsx = report_files.render_xlsx(figures, by=name, at=at)
        progress(2, 3, _("生成 PDF"))
        pdf = report_files.render_pdf(figures, by=name, at=at)
        stored = {}
        for fmt, content in (("xlsx", xlsx), ("pdf", pdf)):
            path = f"{row.folder}/report.{fmt}"
            if default_storage.exists(path):
                default_storage.delete(path)
            stored[fmt] = default_storage.save(path, ContentFile(content))
        rows = sum(len(t.rows) for t in figures.tables)
        GeneratedReport.objects.filter(pk=row.pk).update(
            state=ReportState.DONE, xlsx_file=stored["xlsx"], pdf_file=stored["pdf"], row_count=rows,
            finished_at=timezone.now(), message="")
        ExportLog.objects.create(user=by, what=f"{WHAT}：{report.label}"[:100], file_format="xlsx+pdf",
                                 filters={"report": row.pk, "kind": row.kind, **row.params}, row_count=rows)
        progress(3, 3, _("生成 PDF"))
    except Exception as e:
        if isinstance(e, ValidationError):
            message = "；".join(e.messages)
        elif isinstance(e, PermissionDenied):
            message = str(e) or _("您没有执行此操作的权限。")
        else:
            message = _("报表生成失败，请稍后重试。")
        GeneratedReport.objects.filter(pk=row.pk).update(state=ReportState.FAILED, message=message,
                                                         finished_at=timezone.now())
        raise
    row.refresh_from_db()
    return row


def previous_month(on: dt.date) -> tuple[dt.date, dt.date]:
    first = on.replace(day=1)
    last_prev = first - dt.timedelta(days=1)
    return last_prev.replace(day=1), last_prev.replace(day=calendar.monthrange(last_prev.year, last_prev.month)[1])


def monthly_reports(on: dt.date | None = None) -> list[GeneratedReport]:
    """The schedule's run (see the module docstring): one report of each available kind; a report
    that fails is kept as failed with its reason and the others still run."""
    start, end = previous_month(on or dates.today())
    made = []
    for report in CATALOGUE:
        if not available(report):
            continue
        row = GeneratedReport.objects.create(kind=report.kind, start=start, end=end, scheduled=True,
                                             params=_shown_params(report, None, start, end))
        try:
            generate(row, by=None)
        except Exception:  # noqa: BLE001 - kept as failed with its reason; the other reports still run
            log.exception("monthly report %s failed", report.kind)
        row.refresh_from_db()
        made.append(row)
    return made


# --------------------------------------------------------------------------- the schedule
def schedule_get() -> dict:
    """{"enabled", "day", "hour", "minute", "exists", "last_run_at"} of the monthly schedule."""
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.select_related("crontab").filter(name=SCHEDULE_NAME).first()
    if task is None or task.crontab is None:
        return {"exists": False, "enabled": False, "day": None, "hour": None, "minute": None, "last_run_at": None}

    def num(v):
        try:
            return int(str(v))
        except (TypeError, ValueError):
            return None
    c = task.crontab
    return {"exists": True, "enabled": bool(task.enabled), "day": num(c.day_of_month), "hour": num(c.hour),
            "minute": num(c.minute), "last_run_at": task.last_run_at}


def schedule_save(*, by, day, hour, enabled: bool) -> dict:
    """Org staff only (gate action ``assess``, theirs alone): the day of the month (1–28) and the
    hour (0–23) of the monthly run, and on/off.
    The task points at a crontab row for exactly that time (never changed in place: other periodic
    tasks may share it); the audit history of both models names who changed it."""

    gate.require(by, "assess")
    errors = {}

    def num(v):
        try:
            return int(str(v))
        except (TypeError, ValueError):
            return None
    d, h = num(day), num(hour)
    if d is None or not 1 <= d <= 28:
        errors["day"] = [_("日期须为 1 到 28 的整数（每月都有的日子）。")]
    if h is None or not 0 <= h <= 23:
        errors["hour"] = [_("小时须为 0 到 23 的整数。")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        crontab_task_save(name=SCHEDULE_NAME, task=SCHEDULE_TASK, description="审计报表每月生成", enabled=enabled,
                          minute=0, hour=h, day_of_month=d)
    return schedule_get()


# --------------------------------------------------------------------------- downloading
def report_file(*, user, pk, fmt: str):
    """(open binary file, download name, content type) of a generated report; written to the export
    log. 404: a report the user does not see, not finished, an unknown format, a file gone."""
    from pingdingshan.core.middleware import current_request_id
    from pingdingshan.core.models import ExportLog

    gate.require(user, "export")
    row = report_get(user=user, pk=pk)
    report = BY_KIND.get(row.kind)
    if report is not None and not gate.can(user, report.action):
        raise Http404(_("未找到该报表，或不在您的权限范围内。"))
    path = {"xlsx": row.xlsx_file, "pdf": row.pdf_file}.get(str(fmt))
    if row.state != ReportState.DONE or not path or not default_storage.exists(path):
        raise Http404(_("该报表没有这种格式的文件。"))
    title = report.label if report else row.kind
    stamp = timezone.localtime(row.finished_at or row.created_at).strftime("%Y%m%d-%H%M")
    ExportLog.objects.create(user=user, request_id=current_request_id(), what=f"{WHAT}：{title}"[:100],
                             file_format=fmt, filters={"report": row.pk, "kind": row.kind, **row.params},
                             row_count=row.row_count)
    return default_storage.open(path, "rb"), f"{title}-{stamp}.{fmt}", CONTENT_TYPES[fmt]
