"""The performance archive's writes: records, their workflow, points, amendments and evidence.

The workflow is one table (``TRANSITIONS``); every action goes through ``_transition`` so an
illegal step (verify a draft, edit a verified record) is refused with a Chinese message and
changes nothing. Pages, the API and the Excel import call these functions alike.
"""

import hashlib
from contextlib import contextmanager
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pingdingshan.core import permissions as gate
from pingdingshan.core.audit import bulk_update_audited
from pingdingshan.core.fields import parse_id
from pingdingshan.core.services import assign, model_delete, model_save, notify

from .. import notices
from ..models import (
    Cadre,
    Evidence,
    PerformanceRecord,
    PointsRule,
    RecordStatus,
    TaskCategory,
    points_sentence,
)

S = RecordStatus
EDITABLE = {S.DRAFT, S.RETURNED}


def _submitter_or_verifier(record, user, amendments) -> bool:
    """Only the submitter (or org staff) takes a submitted record back."""
    return record.submitted_by_id == user.pk or gate.can(user, "verify")


def _no_open_amendment(record, user, amendments) -> bool:
    """A current verified record without a correction in progress."""
    if not record.is_current:
        return False
    if amendments is None:
        return not record.amendments.exclude(status=S.VERIFIED).exists()
    return not any(a.status != S.VERIFIED for a in amendments)


# The workflow. Every table row: (states it may start from, state it leads to or None when the
# status stays, the gate action the user needs on the record, a further condition or None).
# The services refuse what the table does not allow; ``allowed_actions`` reads the same table for
# the buttons of the pages and the ``allowed_actions`` of the API.
TRANSITIONS = {
    "submit": ({S.DRAFT, S.RETURNED}, S.SUBMITTED, "change", None),
    "withdraw": ({S.SUBMITTED}, S.DRAFT, "change", _submitter_or_verifier),
    "verify": ({S.SUBMITTED}, S.VERIFIED, "verify", None),
    "return": ({S.SUBMITTED}, S.RETURNED, "verify", None),
}
STEPS = {  # actions on a record that keep its status
    "edit": (EDITABLE, None, "change", None),
    "upload": (EDITABLE, None, "change", None),
    "delete": ({S.DRAFT}, None, "change", None),
    "amend": ({S.VERIFIED}, None, "change", _no_open_amendment),
}
ACTION_LABELS = {"submit": gettext_lazy("提交"), "withdraw": gettext_lazy("撤回"), "verify": gettext_lazy("核实"),
                 "return": gettext_lazy("退回"), "edit": gettext_lazy("修改"), "delete": gettext_lazy("删除"),
                 "amend": gettext_lazy("更正"), "upload": gettext_lazy("上传佐证材料"),
                 "delete_evidence": gettext_lazy("删除佐证材料")}


def _gate_allows(user, gate_action: str, record) -> bool:
    if gate_action == "verify":  # org staff, on a record they see
        return gate.can(user, "verify") and gate.allows(user, "view", record)
    return gate.allows(user, gate_action, record)


def allowed_actions(record: PerformanceRecord, user, *, amendments=None) -> frozenset[str]:
    """The actions ``user`` may take on ``record`` now, read from ``TRANSITIONS`` and ``STEPS``:
    legal in the record's status, allowed by the gate, and the row's condition holds. The record
    page shows these buttons, the API lists them (``allowed_actions``). ``amendments``: the
    record's amendments when the caller has them (saves a query)."""
    out = set()
    for action, (sources, _target, gate_action, condition) in (TRANSITIONS | STEPS).items():
        if record.status not in sources or not _gate_allows(user, gate_action, record):
            continue
        if condition is not None and not condition(record, user, amendments):
            continue
        out.add(action)
    return frozenset(out)

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
    sources, target, _gate_action, _condition = TRANSITIONS[action]
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


def points_basis(record: PerformanceRecord, rules: dict | None = None) -> tuple[Decimal, dict]:
    """The rule's points for the record's category and role, with what they rest on as codes and
    figures (``points_sentence`` puts it in words when shown). ``rules`` (from ``points_rules()``)
    saves the query when scoring many records."""
    if rules is None:
        rule = PointsRule.objects.filter(category_id=record.category_id, role=record.role).first()
        points = rule.points if rule else None
    else:
        points = rules.get((record.category_id, record.role))
    basis = {"rule": points is not None, "category": record.category.name, "role": record.role,
             "points": str(points if points is not None else Decimal("0"))}
    return (points if points is not None else Decimal("0")), basis


def points_for(record: PerformanceRecord, rules: dict | None = None) -> tuple[Decimal, str]:
    """The rule's points for the record's category and role, with a sentence saying why (in the
    active language)."""
    points, basis = points_basis(record, rules)
    return points, points_sentence(basis)


def points_explained(basis: dict) -> str:
    """The explanation stored with a verified record: in the default language, whoever verified it
    (shown in the reader's language from ``points_basis``)."""
    with translation.override(settings.LANGUAGE_CODE):
        return points_sentence(basis)[:300]


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


def record_save(*, by, record: PerformanceRecord | None = None, files=(), submit: bool = False,
                **data) -> PerformanceRecord:
    """Create (``record`` None) or edit a record, attach the uploaded ``files`` as its evidence and
    submit it when ``submit``: one transaction, so a refused file or a refused submit leaves
    nothing saved, and the files already written for it are removed again. The record form of the
    pages calls this; the API's create and upload call the single steps."""
    with _files_undone_on_rollback() as stored, transaction.atomic():
        if record is None:
            record = record_create(by=by, **data)
        else:
            record = record_update(by=by, record=record, **data)
        for upload in files or ():
            stored.append(evidence_add(by=by, record=record, upload=upload))
        if submit:
            record = record_submit(by=by, record=record)
    return record


@contextmanager
def _files_undone_on_rollback():
    """Collects the Evidence rows written inside; when the block fails (the transaction rolls
    back), their files are removed from storage too."""
    stored: list[Evidence] = []
    try:
        yield stored
    except BaseException:
        for evidence in stored:
            evidence.file.storage.delete(evidence.file.name)
        raise


def evidence_add_all(*, by, record: PerformanceRecord, uploads) -> list[Evidence]:
    """Attach several uploaded files at once: all of them or none (the files of a refused batch
    are removed again)."""
    with _files_undone_on_rollback() as stored, transaction.atomic():
        for upload in uploads:
            stored.append(evidence_add(by=by, record=record, upload=upload))
    return stored


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
def records_submit(*, by, records: list[PerformanceRecord]) -> list[PerformanceRecord]:
    """Submit many records at once through the same transition as ``record_submit`` (the Excel
    import): every record must be in a state the table lets "submit" start from and of a cadre the
    user may change, or none is submitted (the first refusal is raised).

    Set-based: one scope query for all cadres (none for city-wide users), saved records locked and
    written with one audited bulk update; records not saved yet (the import's, inserted by its
    bulk create right after) are only given their new state here."""
    gate.require(by, "change")
    if not gate.city_wide(by, "change", PerformanceRecord):
        cadre_ids = sorted({r.cadre_id for r in records})
        allowed = set()
        for i in range(0, len(cadre_ids), 10000):
            allowed.update(Cadre.objects.restrict(by, "change").filter(pk__in=cadre_ids[i:i + 10000])
                           .values_list("pk", flat=True))
        if allowed != set(cadre_ids):
            raise PermissionDenied(_("您没有修改该对象的权限。"))
    saved = [r for r in records if r.pk is not None]
    if saved:
        current = dict(PerformanceRecord.objects.select_for_update().filter(pk__in=[r.pk for r in saved])
                       .values_list("pk", "status"))
        for r in saved:
            r.status = current.get(r.pk, r.status)
    needs = [r for r in records if r.category.requires_evidence]
    if needs:  # submit_problems for all of them with one query
        with_evidence = set(Evidence.objects.filter(record_id__in=[r.pk for r in needs if r.pk is not None])
                            .values_list("record_id", flat=True))
        for r in needs:
            problems = submit_problems(r, has_evidence=r.pk in with_evidence)
            if problems:
                raise ValidationError(problems, code="evidence_required")
    now = timezone.now()
    for r in records:
        _transition(r, "submit")
        r.submitted_by, r.submitted_at = by, now
    if saved:
        bulk_update_audited(PerformanceRecord, saved, ["status", "submitted_by", "submitted_at"], by=by)
    return records


@transaction.atomic
def record_withdraw(*, by, record: PerformanceRecord) -> PerformanceRecord:
    """The submitter (or org staff) takes a submitted record back to draft."""
    gate.ensure(by, "change", record)
    record = _lock(record)
    _transition(record, "withdraw")
    if not _submitter_or_verifier(record, by, None):
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
    base, basis = points_basis(record)
    if adjustment:
        basis |= {"adjustment": str(adjustment), "reason": adjustment_reason}
    record.base_points, record.adjustment, record.adjustment_reason = base, adjustment, adjustment_reason
    record.points = base + adjustment
    record.points_basis, record.points_explanation = basis, points_explained(basis)
    record.reviewed_by, record.reviewed_at = by, timezone.now()
    model_save(record, by=by, validate=False)
    if record.amends_id:
        original = PerformanceRecord.objects.select_for_update().get(pk=record.amends_id)
        if original.superseded_by_id:
            raise ValidationError(_("原记录已被另一条更正记录取代，不能重复更正。"))
        original.superseded_by = record
        model_save(original, by=by, validate=False)
    notify(user=record.submitted_by, url=_record_url(record), kind=notices.RECORD_VERIFIED,
           params={"title": record.title, "cadre": record.cadre.name, "points": str(record.points)})
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
    notify(user=record.submitted_by, url=_record_url(record), kind=notices.RECORD_RETURNED,
           params={"title": record.title, "cadre": record.cadre.name, "reason": reason})
    return record


BULK_VERIFY_MAX = 500  # records verified at once (page and API)


def _bulk_ids(ids) -> list[int]:
    """The distinct record ids asked for, in the order given; each a positive whole number."""
    out, bad = [], []
    for raw in ids:
        text = str(raw).strip()
        value = parse_id(text)  # str.isdigit() lets "²" through, which int() refuses
        if value is None or len(text) > 18:
            bad.append(text)
        else:
            out.append(value)
    if bad:
        raise ValidationError({"ids": _("“%(v)s”不是有效的记录编号。") % {"v": "、".join(bad[:5])}})
    out = list(dict.fromkeys(out))
    if not out:
        raise ValidationError({"ids": _("请先勾选要核实的记录。")})
    if len(out) > BULK_VERIFY_MAX:
        raise ValidationError({"ids": _("一次最多核实 %(n)s 条记录。") % {"n": BULK_VERIFY_MAX}})
    return out


@transaction.atomic
def record_bulk_verify(*, by, ids) -> list[PerformanceRecord]:
    """Verify several submitted records at once (page and API alike): all of them or none.

    ``ids``: record ids (numbers, or the strings a form posts), at most BULK_VERIFY_MAX distinct
    ones; an id that does not exist or lies outside the user's scope refuses the whole batch and is
    named. The records are verified in the queue's order (oldest submission first)."""
    gate.require(by, "verify")
    ids = _bulk_ids(ids)
    records = list(PerformanceRecord.objects.restrict(by, "view").filter(pk__in=ids)
                   .select_related("cadre", "category").order_by("submitted_at", "id"))
    missing = sorted(set(ids) - {r.pk for r in records})
    if missing:
        raise ValidationError({"ids": _("编号为 %(ids)s 的记录不存在或不在您的权限范围内，未核实任何记录。") % {
            "ids": "、".join(map(str, missing))}})
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


def evidence_file(upload, *, field: str = "file") -> dict:
    """Check an uploaded evidence file, the one way for every kind of evidence (the archive's, and
    the files of cards, awards and rulings): the type from the content (PDF, JPEG, PNG, Word,
    Excel), at most 20 MB, not empty; returns the fields of an evidence row (``original_name``
    sanitised and given the extension of the content, ``content_type``, ``size``, ``sha256``).
    Refused on ``field`` with a Chinese message."""
    if upload is None:
        raise ValidationError({field: _("请选择要上传的文件。")})
    if upload.size > EVIDENCE_MAX_BYTES:
        raise ValidationError({field: _("文件“%(n)s”超过20MB。") % {"n": upload.name}})
    if upload.size == 0:
        raise ValidationError({field: _("文件“%(n)s”是空文件。") % {"n": upload.name}})
    upload.seek(0)
    ext = sniff_evidence_type(upload.read(8192))
    if ext is None:
        raise ValidationError({field: _("文件“%(n)s”的内容不是允许的类型（PDF、JPEG、PNG、Word、Excel）。") % {
            "n": upload.name}})
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return {"original_name": safe_filename(upload.name, ext), "content_type": EVIDENCE_TYPES[ext],
            "size": upload.size, "sha256": digest.hexdigest()}


def evidence_prepare(*, by, record: PerformanceRecord, upload) -> Evidence:
    """Check an upload (``evidence_file``) and store its file where the record's evidence lives;
    returns the unsaved ``Evidence`` for the caller to save. ``evidence_add`` calls it after its
    gate and workflow checks; the demo loader calls it too and saves its evidence in bulk."""
    evidence = Evidence(record=record, uploaded_by=by, **evidence_file(upload))
    evidence.file.save(evidence.original_name, upload, save=False)
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
        _refuse(record, "delete_evidence")
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
    "ACTION_LABELS", "BULK_VERIFY_MAX", "EDITABLE", "EVIDENCE_MAX_BYTES", "EVIDENCE_TYPES", "STEPS", "TRANSITIONS",
    "allowed_actions",
    "category_save", "evidence_add", "evidence_add_all", "evidence_delete", "evidence_prepare",
    "points_basis", "points_explained", "points_for", "points_rules",
    "points_rule_set", "record_amend", "record_bulk_verify", "record_create", "record_delete", "record_return", "record_save",
    "record_submit", "records_submit", "record_unit_for", "record_update", "record_validate", "record_verify", "record_withdraw",
    "safe_filename", "sniff_evidence_type", "submit_problems",
]
