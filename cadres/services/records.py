"""The performance archive's writes: records, their workflow, points, amendments and evidence.

The workflow is one table (``TRANSITIONS``); every action goes through ``_transition`` so an
illegal step (verify a draft, edit a verified record) is refused with a Chinese message and
changes nothing. Pages, the API and the Excel import call these functions alike.
"""

import hashlib
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pingdingshan.core import permissions as gate
from pingdingshan.core.services import assign, model_delete, model_save, notify

from ..models import (
    Cadre,
    Evidence,
    PerformanceRecord,
    PointsRule,
    RecordRole,
    RecordStatus,
    TaskCategory,
)

S = RecordStatus

# action: (states it may start from, state it leads to, label)
TRANSITIONS = {
    "submit": ({S.DRAFT, S.RETURNED}, S.SUBMITTED),
    "withdraw": ({S.SUBMITTED}, S.DRAFT),
    "verify": ({S.SUBMITTED}, S.VERIFIED),
    "return": ({S.SUBMITTED}, S.RETURNED),
}
ACTION_LABELS = {"submit": gettext_lazy("提交"), "withdraw": gettext_lazy("撤回"), "verify": gettext_lazy("核实"),
                 "return": gettext_lazy("退回"), "edit": gettext_lazy("修改"), "delete": gettext_lazy("删除"),
                 "amend": gettext_lazy("更正"), "upload": gettext_lazy("上传佐证材料")}
EDITABLE = {S.DRAFT, S.RETURNED}

RECORD_FIELDS = {"cadre", "category", "title", "description", "role", "start_date", "end_date", "quantity",
                 "quantity_unit"}


def _refuse(record: PerformanceRecord, action: str):
    raise ValidationError(
        _("记录当前状态为“%(status)s”，不能%(action)s。") % {
            "status": record.get_status_display(), "action": ACTION_LABELS[action]},
        code="illegal_transition",
    )


def _lock(record: PerformanceRecord) -> PerformanceRecord:
    return PerformanceRecord.objects.select_for_update().select_related("cadre", "category").get(pk=record.pk)


def _transition(record: PerformanceRecord, action: str) -> None:
    sources, target = TRANSITIONS[action]
    if record.status not in sources:
        _refuse(record, action)
    record.status = target


def _record_url(record) -> str:
    try:
        return reverse("cadres:record_detail", args=[record.pk])
    except Exception:  # noqa: BLE001 - the pages may not be installed (API-only use)
        return ""


# --------------------------------------------------------------------------- points
def points_rules() -> dict:
    """{(category id, role): points} of every configured rule (for set-based callers)."""
    return {(r.category_id, r.role): r.points for r in PointsRule.objects.all()}


def points_for(record: PerformanceRecord, rules: dict | None = None) -> tuple[Decimal, str]:
    """The rule's points for the record's category and role, with a sentence saying why.
    ``rules`` (from ``points_rules()``) saves the query when scoring many records."""
    if rules is None:
        rule = PointsRule.objects.filter(category_id=record.category_id, role=record.role).first()
        points = rule.points if rule else None
    else:
        points = rules.get((record.category_id, record.role))
    role = RecordRole(record.role).label
    if points is None:
        return Decimal("0"), _("“%(cat)s”未配置“%(role)s”的计分规则，规则分为0。") % {
            "cat": record.category.name, "role": role}
    return points, _("按计分规则：“%(cat)s”·%(role)s = %(p)s 分。") % {
        "cat": record.category.name, "role": role, "p": points}


# --------------------------------------------------------------------------- records
def record_unit_for(cadre: Cadre):
    """The unit the cadre serves in now: that of their current post, else their own unit."""
    if cadre.current_post_id:
        return cadre.current_post.unit
    return cadre.unit


_RELATIONS = frozenset(f.name for f in PerformanceRecord._meta.concrete_fields if f.is_relation)


def record_validate(record: PerformanceRecord, *, exclude=(), related_checked: bool = False) -> dict[str, list[str]]:
    """Every problem of ``record`` as {field: [messages]} ("__all__" for the record as a whole),
    empty when it may be saved; raises nothing. The archive's rules (category active, end ≥ start,
    start not in the future, a quantity needs its unit of measure) and the model's field checks
    (required fields, lengths, choices, digits) together, so a form or an import row can list them
    all at once.

    ``exclude``: fields not to check (the caller has reported them already).
    ``related_checked``: the caller loaded the related objects itself (the import, in bulk), so the
    per-record queries of ``full_clean`` are skipped: foreign-key existence, and the constraints
    (the one constraint, end ≥ start, is among the rules here)."""
    errors: dict[str, list[str]] = {}

    def add(key, message):
        errors.setdefault(key, []).append(str(message))

    if record.category_id and not record.category.is_active and record.status in EDITABLE:
        add("category", _("中心工作类别“%(c)s”已停用。") % {"c": record.category.name})
    if record.end_date and record.start_date and record.end_date < record.start_date:
        add("end_date", _("结束日期不能早于开始日期。"))
    if record.start_date and record.start_date > timezone.localdate():
        add("start_date", _("开始日期不能晚于今天：实绩须是已经做出的工作。"))
    if record.quantity is not None and not record.quantity_unit:
        add("quantity_unit", _("填写了量化成果时须填写计量单位（如 亿元、个、人次）。"))
    skip = set(exclude) | set(errors)  # a field with a rule's message gets no second one
    if not record.unit_id:
        skip.add("unit")
    if related_checked:
        skip |= _RELATIONS
    try:
        record.full_clean(exclude=skip, validate_unique=not related_checked,
                          validate_constraints=not related_checked)
    except ValidationError as e:
        for key, messages in e.message_dict.items():
            errors.setdefault(key, []).extend(messages)
    return {k: v for k, v in errors.items() if k not in exclude}


def _validate_record(record: PerformanceRecord) -> None:
    errors = record_validate(record)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def record_create(*, by, submit: bool = False, **data) -> PerformanceRecord:
    """Draft a record for a cadre in the user's scope (and submit it at once when ``submit``)."""
    gate.require(by, "change")
    record = assign(PerformanceRecord(created_by=by), data, RECORD_FIELDS)
    gate.ensure(by, "change", record.cadre)
    record.unit = record_unit_for(record.cadre)
    _validate_record(record)
    model_save(record, by=by, validate=False)
    if submit:
        record = record_submit(by=by, record=record)
    return record


@transaction.atomic
def record_update(*, by, record: PerformanceRecord, **data) -> PerformanceRecord:
    """Edit a draft or returned record. Verified records are never edited (amend them)."""
    gate.ensure(by, "change", record)
    record = _lock(record)
    if record.status not in EDITABLE:
        _refuse(record, "edit")
    if "cadre" in data and data["cadre"].pk != record.cadre_id:
        gate.ensure(by, "change", data["cadre"])
    assign(record, data, RECORD_FIELDS)
    if "cadre" in data:
        record.unit = record_unit_for(record.cadre)
    _validate_record(record)
    return model_save(record, by=by, validate=False)


@transaction.atomic
def record_delete(*, by, record: PerformanceRecord) -> None:
    gate.ensure(by, "change", record)
    record = _lock(record)
    if record.status != S.DRAFT:
        _refuse(record, "delete")
    for ev in record.evidence.all():
        evidence_delete(by=by, evidence=ev)
    model_delete(record, by=by)


def submit_problems(record: PerformanceRecord, *, has_evidence: bool | None = None) -> dict[str, list[str]]:
    """Why ``record`` may not be submitted as it stands, as {field: [messages]} (empty when it may).

    1. A record of a category that requires evidence (``TaskCategory.requires_evidence``) needs at
       least one evidence file.

    ``has_evidence``: the caller knows already (the import, whose rows have no files)."""
    if not record.category.requires_evidence:
        return {}
    if has_evidence is None:
        has_evidence = record.pk is not None and record.evidence.exists()
    if has_evidence:
        return {}
    return {"file": [_("“%(c)s”类实绩须附佐证材料才能提交核实：请先上传验收报告、文件或照片等材料。") % {
        "c": record.category.name}]}


@transaction.atomic
def record_submit(*, by, record: PerformanceRecord) -> PerformanceRecord:
    gate.ensure(by, "change", record)
    record = _lock(record)
    _transition(record, "submit")
    problems = submit_problems(record)
    if problems:
        raise ValidationError(problems, code="evidence_required")
    record.submitted_by, record.submitted_at = by, timezone.now()
    return model_save(record, by=by, validate=False)


@transaction.atomic
def record_withdraw(*, by, record: PerformanceRecord) -> PerformanceRecord:
    """The submitter (or org staff) takes a submitted record back to draft."""
    gate.ensure(by, "change", record)
    record = _lock(record)
    _transition(record, "withdraw")
    if record.submitted_by_id != by.pk and not gate.can(by, "verify"):
        raise PermissionDenied(_("只有提交人可以撤回该记录。"))
    return model_save(record, by=by, validate=False)


@transaction.atomic
def record_verify(*, by, record: PerformanceRecord, adjustment: Decimal | int | str = 0,
                  adjustment_reason: str = "") -> PerformanceRecord:
    """Verify a submitted record: points by the configured rule plus an optional manual
    adjustment (which needs a reason). A verified amendment supersedes the record it corrects."""
    gate.require(by, "verify")
    gate.ensure(by, "view", record)
    record = _lock(record)
    _transition(record, "verify")
    try:
        adjustment = Decimal(str(adjustment or 0))
    except ArithmeticError:
        raise ValidationError({"adjustment": _("调整分须为数字。")})
    adjustment_reason = (adjustment_reason or "").strip()
    if adjustment and not adjustment_reason:
        raise ValidationError({"adjustment_reason": _("调整实绩分须填写理由。")})
    base, why = points_for(record)
    record.base_points, record.adjustment, record.adjustment_reason = base, adjustment, adjustment_reason
    record.points = base + adjustment
    record.points_explanation = why + (_("人工调整 %(a)s 分：%(r)s") % {"a": adjustment, "r": adjustment_reason}
                                       if adjustment else "")
    record.reviewed_by, record.reviewed_at = by, timezone.now()
    model_save(record, by=by, validate=False)
    if record.amends_id:
        original = PerformanceRecord.objects.select_for_update().get(pk=record.amends_id)
        if original.superseded_by_id:
            raise ValidationError(_("原记录已被另一条更正记录取代，不能重复更正。"))
        original.superseded_by = record
        model_save(original, by=by, validate=False)
    notify(user=record.submitted_by, url=_record_url(record),
           message=_("您提交的实绩记录“%(t)s”（%(c)s）已核实，实绩分 %(p)s。") % {
               "t": record.title, "c": record.cadre.name, "p": record.points})
    return record


@transaction.atomic
def record_return(*, by, record: PerformanceRecord, reason: str) -> PerformanceRecord:
    gate.require(by, "verify")
    gate.ensure(by, "view", record)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("退回时须填写退回原因。")})
    record = _lock(record)
    _transition(record, "return")
    record.return_reason = reason
    record.reviewed_by, record.reviewed_at = by, timezone.now()
    model_save(record, by=by, validate=False)
    notify(user=record.submitted_by, url=_record_url(record),
           message=_("您提交的实绩记录“%(t)s”（%(c)s）被退回：%(r)s") % {
               "t": record.title, "c": record.cadre.name, "r": reason})
    return record


@transaction.atomic
def record_bulk_verify(*, by, records) -> list[PerformanceRecord]:
    """Verify several submitted records at once: all of them or none."""
    gate.require(by, "verify")
    done = []
    errors = []
    for record in records:
        try:
            with transaction.atomic():
                done.append(record_verify(by=by, record=record))
        except ValidationError as e:
            errors.append(_("“%(t)s”：%(e)s") % {"t": record.title, "e": "；".join(e.messages)})
    if errors:
        raise ValidationError(errors)
    return done


@transaction.atomic
def record_amend(*, by, original: PerformanceRecord, **data) -> PerformanceRecord:
    """Start a correction of a verified record: a new draft that, once verified, supersedes it."""
    gate.ensure(by, "change", original)
    original = _lock(original)
    if original.status != S.VERIFIED:
        _refuse(original, "amend")
    if original.superseded_by_id:
        raise ValidationError(_("该记录已被更正，请更正最新的记录。"))
    if original.amendments.exclude(status=S.VERIFIED).exists():
        raise ValidationError(_("该记录已有一条正在办理的更正记录。"))
    fields = {f: getattr(original, f) for f in RECORD_FIELDS}
    fields.update(data)
    amendment = assign(PerformanceRecord(created_by=by, amends=original), fields, RECORD_FIELDS)
    amendment.unit = original.unit
    _validate_record(amendment)
    return model_save(amendment, by=by, validate=False)


# --------------------------------------------------------------------------- evidence
EVIDENCE_MAX_BYTES = 20 * 1024 * 1024
EVIDENCE_TYPES = {  # extension detected from the content → MIME type stored
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def sniff_evidence_type(head: bytes) -> str | None:
    """The file's real type from its first bytes (never from its name), or None if not allowed."""
    import filetype

    kind = filetype.guess(head)
    if kind is None or kind.extension not in EVIDENCE_TYPES:
        return None
    return kind.extension


def safe_filename(name: str, extension: str) -> str:
    """A name safe to store and to send back: no path, no control or shell characters, the
    extension that matches the content."""
    import re
    from pathlib import PurePosixPath, PureWindowsPath

    base = PureWindowsPath(PurePosixPath(name or "").name).name
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = re.sub(r"[^\w\u4e00-\u9fff（）()\-]+", "_", stem).strip("._") or "file"
    return f"{stem[:80]}.{extension}"


def evidence_prepare(*, by, record: PerformanceRecord, upload) -> Evidence:
    """Check an upload and store its file where the record's evidence lives; returns the unsaved
    ``Evidence`` for the caller to save. The type is checked from the content (PDF, JPEG, PNG, Word,
    Excel), the size is at most 20 MB, the name is sanitised and given the extension of the content.
    ``evidence_add`` calls it after its gate and workflow checks; the demo loader calls it too and
    saves its evidence in bulk."""
    if upload.size > EVIDENCE_MAX_BYTES:
        raise ValidationError({"file": _("文件“%(n)s”超过20MB。") % {"n": upload.name}})
    if upload.size == 0:
        raise ValidationError({"file": _("文件“%(n)s”是空文件。") % {"n": upload.name}})
    upload.seek(0)
    head = upload.read(8192)
    ext = sniff_evidence_type(head)
    if ext is None:
        raise ValidationError({"file": _("文件“%(n)s”的内容不是允许的类型（PDF、JPEG、PNG、Word、Excel）。") % {
            "n": upload.name}})
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    name = safe_filename(upload.name, ext)
    evidence = Evidence(record=record, original_name=name, content_type=EVIDENCE_TYPES[ext], size=upload.size,
                        sha256=digest.hexdigest(), uploaded_by=by)
    evidence.file.save(name, upload, save=False)
    return evidence


@transaction.atomic
def evidence_add(*, by, record: PerformanceRecord, upload) -> Evidence:
    """Attach an uploaded file to a draft or returned record (checked as ``evidence_prepare`` says)."""
    gate.ensure(by, "change", record)
    record = _lock(record)
    if record.status not in EDITABLE:
        _refuse(record, "upload")
    return model_save(evidence_prepare(by=by, record=record, upload=upload), by=by, validate=False)


@transaction.atomic
def evidence_delete(*, by, evidence: Evidence) -> None:
    gate.ensure(by, "change", evidence)
    record = _lock(evidence.record)
    if record.status not in EDITABLE:
        _refuse(record, "upload")
    storage, path = evidence.file.storage, evidence.file.name
    model_delete(evidence, by=by)
    transaction.on_commit(lambda: storage.delete(path))


# --------------------------------------------------------------------------- categories and rules
@transaction.atomic
def category_save(*, by, category: TaskCategory | None = None, **data) -> TaskCategory:
    gate.require(by, "verify")
    category = assign(category or TaskCategory(), data, {"name", "description", "is_active", "requires_evidence", "order"})
    return model_save(category, by=by)


@transaction.atomic
def points_rule_set(*, by, category: TaskCategory, role: str, points) -> PointsRule:
    gate.require(by, "verify")
    rule = PointsRule.objects.filter(category=category, role=role).first() or PointsRule(category=category, role=role)
    rule.points = points
    return model_save(rule, by=by)


__all__ = [
    "ACTION_LABELS", "EDITABLE", "EVIDENCE_MAX_BYTES", "EVIDENCE_TYPES", "TRANSITIONS",
    "category_save", "evidence_add", "evidence_delete", "evidence_prepare", "points_for", "points_rules",
    "points_rule_set", "record_amend", "record_bulk_verify", "record_create", "record_delete", "record_return",
    "record_submit", "record_unit_for", "record_update", "record_validate", "record_verify", "record_withdraw",
    "safe_filename", "sniff_evidence_type", "submit_problems",
]
