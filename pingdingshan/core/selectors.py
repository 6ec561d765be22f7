"""Reads for the core pages: audit history (one object's, and the log across every audited model),
the export log, users and their roles. Every function here is restricted by the permission gate
or documents who may call it.

The history readers never run one query per row: history rows are fetched per model in one
query, their previous rows in one more, and the labels of foreign keys / many-to-many values in
one query per related model.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import F, OuterRef, Prefetch, Q, Subquery, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import permissions as gate
from .audit import audited_models

ACTION_LABELS = {"+": _("新增"), "~": _("修改"), "-": _("删除")}
ACTION_BADGES = {"+": "success", "~": "primary", "-": "danger"}


# --------------------------------------------------------------------------- field diffs
@dataclass
class Change:
    field: str
    label: str
    before: str
    after: str


@dataclass
class HistoryEntry:
    """One audit entry ready for display or export."""

    row: models.Model  # the history row
    model: type[models.Model]  # the audited (base) model
    previous: models.Model | None = None
    changes: list[Change] = field(default_factory=list)
    label: str = ""  # the object's name as people say it (``object_labels``), when resolved

    @property
    def history_id(self):
        return self.row.history_id

    @property
    def date(self):
        return self.row.history_date

    @property
    def action(self):
        return self.row.history_type

    @property
    def action_label(self):
        return ACTION_LABELS.get(self.row.history_type, self.row.history_type)

    @property
    def action_badge(self):
        return ACTION_BADGES.get(self.row.history_type, "secondary")

    @property
    def user(self):
        return self.row.history_user

    @property
    def user_label(self):
        u = self.row.history_user
        if u is None:
            return _("系统") if self.row.history_user_id is None else f"#{self.row.history_user_id}"
        return u.get_full_name() or u.username

    @property
    def request_id(self):
        return self.row.request_id

    @property
    def model_name(self):
        return str(self.model._meta.verbose_name)

    @property
    def model_label(self):
        return self.model._meta.label

    @property
    def object_id(self):
        return getattr(self.row, self.model._meta.pk.attname)

    @property
    def object_label(self):
        """The object's name as people say it ("张三 · 政治品质 · 上级"; see ``object_labels``),
        else a cheap label from the row's own columns (no query): its name or title, else ""."""
        if self.label:
            return self.label
        for attr in ("name", "title", "description", "username"):
            value = getattr(self.row, attr, None)
            if isinstance(value, str) and value:
                return value
        return ""

    def changes_text(self) -> str:
        return "；".join(f"{c.label}: {c.before} → {c.after}" for c in self.changes)


def _m2m_history_models(history_model):
    """{m2m field name: (m2m history model, column of the related id)} for a history model."""
    out = {}
    for m2m_field in getattr(history_model, "_history_m2m_fields", ()) or ():
        through = m2m_field.remote_field.through
        for rel in history_model._meta.related_objects:
            rm = rel.related_model
            if getattr(rm, "instance_type", None) is through:
                target = m2m_field.m2m_reverse_field_name()
                out[m2m_field.name] = (rm, target, m2m_field.related_model)
                break
    return out


def _display(model_field, value, fk_labels) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(model_field, models.ForeignKey):
        return fk_labels.get((model_field.related_model, value), _("#%(pk)s（已删除）") % {"pk": value})
    if model_field is not None and model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("是")) if value else str(_("否"))
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else str(value)
    if hasattr(value, "name") and hasattr(value, "url"):  # FieldFile
        return value.name or "—"
    return str(value)


def _labels_for(model, pks) -> dict:
    """{(model, pk): str(obj)} in one query; select_related() follows the non-null foreign keys a
    __str__ commonly uses (Post → unit)."""
    pks = {pk for pk in pks if pk is not None}
    if not pks:
        return {}
    qs = model._base_manager.filter(pk__in=pks)
    if any(isinstance(f, models.ForeignKey) and not f.null for f in model._meta.concrete_fields):
        qs = qs.select_related()
    return {(model, obj.pk): str(obj) for obj in qs}


def build_changes(entries: list[HistoryEntry]) -> list[HistoryEntry]:
    """Fill ``entry.changes`` (before → after) for entries whose ``previous`` is set.

    Plain fields are compared in Python (``diff_against`` without many-to-many fields, which it
    would query per row); many-to-many snapshots are read in one query per field; foreign key
    and many-to-many labels in one query per related model.
    """
    by_model = defaultdict(list)
    for e in entries:
        if e.previous is not None:
            by_model[e.model].append(e)
    raw = []  # (entry, model_field or None, name, before, after) ; m2m values are lists of ids
    fk_wanted = defaultdict(set)
    for model, group in by_model.items():
        history_model = model.history.model
        m2m = _m2m_history_models(history_model)
        m2m_names = set(m2m)
        m2m_values = {}
        for name, (hm, target, _related) in m2m.items():
            ids = {e.row.history_id for e in group} | {e.previous.history_id for e in group}
            values = defaultdict(set)
            for hid, tid in hm.objects.filter(history_id__in=ids).values_list("history_id", f"{target}_id"):
                values[hid].add(tid)
            m2m_values[name] = values
        tracked = [f for f in history_model.tracked_fields if f.name not in m2m_names]
        for e in group:
            # Every tracked field, compared on the snapshots themselves: this includes the
            # derived, non-editable ones (current post/rank…) that diff_against cannot compare.
            for f in tracked:
                old, new = getattr(e.previous, f.attname), getattr(e.row, f.attname)
                if old == new:
                    continue
                try:
                    mf = model._meta.get_field(f.name)
                except Exception:  # noqa: BLE001 - a field removed since
                    mf = None
                if isinstance(mf, models.ForeignKey):
                    fk_wanted[mf.related_model].update([old, new])
                raw.append((e, mf, f.name, old, new))
            for name, (_hm, _target, related) in m2m.items():
                old, new = m2m_values[name].get(e.previous.history_id, set()), m2m_values[name].get(e.row.history_id, set())
                if old != new:
                    fk_wanted[related].update(old | new)
                    raw.append((e, model._meta.get_field(name), name, sorted(old), sorted(new)))
    labels = {}
    for related_model, pks in fk_wanted.items():
        labels.update(_labels_for(related_model, pks))
    for e in entries:
        e.changes = []
    for e, mf, name, old, new in raw:
        label = str(mf.verbose_name) if mf is not None else name
        if isinstance(mf, models.ManyToManyField):
            before = "、".join(labels.get((mf.related_model, pk), f"#{pk}") for pk in old) or "—"
            after = "、".join(labels.get((mf.related_model, pk), f"#{pk}") for pk in new) or "—"
        else:
            before, after = _display(mf, old, labels), _display(mf, new, labels)
        e.changes.append(Change(field=name, label=label, before=before, after=after))
    return entries


# --------------------------------------------------------------------------- one object's history
def object_history(obj, *, limit: int = 200) -> list[HistoryEntry]:
    """The audit history of one object, newest first, with before → after of each change.

    Two queries for the rows (the history rows, newest first, fetched once and paired with the
    next-older row in Python) plus one per related model whose labels a change shows. The caller
    decides who may see it (the object was fetched through the gate)."""
    model = type(obj)
    if getattr(model, "_meta", None) is not None and model._meta.proxy:
        model = model._meta.concrete_model
    manager = getattr(obj, "history", None)
    if manager is None:
        return []
    rows = list(manager.all().select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    entries = []
    for i, row in enumerate(rows[:limit]):
        prev = rows[i + 1] if i + 1 < len(rows) else None
        entries.append(HistoryEntry(row=row, model=model, previous=prev))
    return build_changes(entries)


# --------------------------------------------------------------------------- the audit log
def audit_models():
    """[(label, verbose name, model)] of every model with an audit history, by verbose name."""
    out = []
    for m in audited_models():
        if getattr(m, "history", None) is None or not hasattr(m.history, "model"):
            continue
        out.append((m._meta.label, str(m._meta.verbose_name), m))
    return sorted(out, key=lambda t: (t[1], t[0]))


def _require_audit(user):
    gate.require(user, "audit")
    if not gate.city_wide(user, "audit"):
        gate.require(None, "audit")


def audit_entries(*, user, model_label=None, user_id=None, date_from=None, date_to=None, q=None):
    """All audit entries across every audited model, newest first, as one UNION queryset of
    dicts: history_id, history_date, history_type, history_user_id, request_id, object_id,
    model_label. It supports count() and slicing, so Django's Paginator pages it.

    ``date_from`` / ``date_to`` are dates (inclusive, local time); ``q`` matches the request id
    (prefix)."""
    _require_audit(user)
    tz = timezone.get_current_timezone()
    parts = []
    for label, _name, model in audit_models():
        if model_label and label != model_label:
            continue
        qs = model.history.model.objects.all()
        if user_id:
            qs = qs.filter(history_user_id=user_id)
        if date_from:
            qs = qs.filter(history_date__gte=dt.datetime.combine(date_from, dt.time.min, tzinfo=tz))
        if date_to:
            qs = qs.filter(history_date__lt=dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz))
        if q:
            qs = qs.filter(request_id__startswith=q.strip())
        pk_name = model._meta.pk.attname
        parts.append(
            qs.order_by()
            .annotate(model_label=Value(label, output_field=models.CharField()), object_id=F(pk_name))
            .values("history_id", "history_date", "history_type", "history_user_id", "request_id", "object_id",
                    "model_label")
        )
    if not parts:  # an unknown model label: no entries
        from .models import RoleAssignment

        return RoleAssignment.history.none().values("history_id")
    first, rest = parts[0], parts[1:]
    combined = first.union(*rest, all=True) if rest else first
    return combined.order_by("-history_date", "model_label", "-history_id")


LABEL_SEPARATOR = " · "


def _label_paths(model) -> tuple[str, ...]:
    """The fields that name an object, as lookups from the model (``audit_label_fields`` on the
    model, e.g. Score: result__cadre__name, indicator__name, rater_group__name); () when the
    model declares none."""
    return tuple(getattr(model, "audit_label_fields", ()) or ())


def object_labels(entries: list[HistoryEntry]) -> list[HistoryEntry]:
    """Fill ``entry.label`` with the object's name as people say it, from the history row itself
    (so a deleted object is still named): the model's ``audit_label_fields`` joined by " · "
    ("张三 · 政治品质 · 上级" for a score); a path's first step is read from the row, what follows
    it from the related rows, in one query per model and path. A model without them, and without
    a name or title column, gets ``str()`` of the object (one query per model)."""
    by_model = defaultdict(list)
    for e in entries:
        by_model[e.model].append(e)
    for model, group in by_model.items():
        paths = _label_paths(model)
        if not paths:
            unnamed = [e for e in group if not e.object_label]
            if unnamed:
                labels = _labels_for(model, {e.object_id for e in unnamed})
                for e in unnamed:
                    e.label = labels.get((model, e.object_id), "")
            continue
        parts = {id(e): [] for e in group}
        for path in paths:
            first, _sep, rest = path.partition("__")
            try:
                mf = model._meta.get_field(first)
            except Exception:  # noqa: BLE001 - a field removed since
                continue
            if not mf.is_relation:
                for e in group:
                    value = getattr(e.row, mf.attname, None)
                    if value not in (None, ""):
                        parts[id(e)].append(_display(mf, value, {}))
                continue
            ids = {getattr(e.row, mf.attname, None) for e in group} - {None}
            if not ids:
                continue
            related = mf.related_model
            if rest:
                values = dict(related._base_manager.filter(pk__in=ids).values_list("pk", rest))
            else:
                values = {pk: label for (_m, pk), label in _labels_for(related, ids).items()}
            for e in group:
                value = values.get(getattr(e.row, mf.attname, None))
                if value not in (None, ""):
                    parts[id(e)].append(str(value))
        for e in group:
            e.label = LABEL_SEPARATOR.join(parts[id(e)])
    return entries


def audit_rows(entries) -> list[HistoryEntry]:
    """Turn a page of ``audit_entries`` dicts into HistoryEntry objects with their diffs: one
    query per model for the rows (with the previous row's id annotated by a subquery), one per
    model for the previous rows, and the label queries of ``build_changes``."""
    entries = list(entries)
    models_by_label = {label: m for label, _n, m in audit_models()}
    ids_by_label = defaultdict(list)
    for e in entries:
        ids_by_label[e["model_label"]].append(e["history_id"])
    rows = {}
    prevs = {}
    for label, ids in ids_by_label.items():
        model = models_by_label.get(label)
        if model is None:
            continue
        H = model.history.model
        pk_name = model._meta.pk.attname
        prev_sq = (
            H.objects.filter(**{pk_name: OuterRef(pk_name)})
            .filter(Q(history_date__lt=OuterRef("history_date"))
                    | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id")))
            .order_by("-history_date", "-history_id")
            .values("history_id")[:1]
        )
        fetched = list(H.objects.filter(history_id__in=ids).select_related("history_user")
                       .annotate(prev_history_id=Subquery(prev_sq)))
        for r in fetched:
            rows[(label, r.history_id)] = r
        prev_ids = {r.prev_history_id for r in fetched if r.prev_history_id is not None}
        if prev_ids:
            for p in H.objects.filter(history_id__in=prev_ids):
                prevs[(label, p.history_id)] = p
    out = []
    for e in entries:
        row = rows.get((e["model_label"], e["history_id"]))
        if row is None:
            continue
        model = models_by_label[e["model_label"]]
        prev = prevs.get((e["model_label"], row.prev_history_id)) if row.prev_history_id else None
        out.append(HistoryEntry(row=row, model=model, previous=prev))
    return object_labels(build_changes(out))


def iter_audit_rows(entries, chunk_size: int = 500):
    """Yield HistoryEntry objects for a whole (filtered) audit_entries queryset, chunk by chunk
    (for exports): a constant number of queries per chunk."""
    start = 0
    while True:
        chunk = list(entries[start:start + chunk_size])
        if not chunk:
            return
        yield from audit_rows(chunk)
        if len(chunk) < chunk_size:
            return
        start += chunk_size


def audit_users():
    """Users who may appear as authors in the audit filters (all users, by username)."""
    return get_user_model().objects.order_by("username").only("id", "username", "first_name", "last_name")


def export_log_list(*, user):
    """The export log, newest first (filtered by ``list_filters.ExportLogFilter``): for auditors."""
    from .models import ExportLog

    _require_audit(user)
    return ExportLog.objects.select_related("user").order_by("-created_at", "-id")


# --------------------------------------------------------------------------- users and roles
def user_list(*, user):
    """Users with their role assignments (prefetched with the units), by username (filtered and
    sorted by ``list_filters.UserFilter``): for user managers only."""
    from .models import RoleAssignment

    gate.require(user, "manage_users")
    return get_user_model().objects.order_by("username", "id").prefetch_related(
        Prefetch("role_assignments", queryset=RoleAssignment.objects.select_related("unit").order_by("role", "unit__path"))
    )


def user_get(*, user, pk):
    from django.shortcuts import get_object_or_404

    from .models import RoleAssignment

    gate.require(user, "manage_users")
    return get_object_or_404(
        get_user_model().objects.prefetch_related(
            Prefetch("role_assignments",
                     queryset=RoleAssignment.objects.select_related("unit").order_by("role", "unit__path"))),
        pk=pk,
    )


def locked_usernames(usernames) -> set[str]:
    """The usernames among ``usernames`` that django-axes has locked out now (one query)."""
    from axes.models import AccessAttempt
    from django.conf import settings

    limit = getattr(settings, "AXES_FAILURE_LIMIT", 5)
    qs = AccessAttempt.objects.filter(username__in=list(usernames), failures_since_start__gte=limit)
    cooloff = getattr(settings, "AXES_COOLOFF_TIME", None)
    if isinstance(cooloff, (int, float)):
        qs = qs.filter(attempt_time__gte=timezone.now() - dt.timedelta(hours=cooloff))
    return set(qs.values_list("username", flat=True))


def role_history(*, user, subject) -> list[HistoryEntry]:
    """The history of every role assignment a user has (had), newest first."""
    from .models import RoleAssignment

    gate.require(user, "manage_users")
    H = RoleAssignment.history.model
    rows = list(H.objects.filter(user_id=subject.pk).select_related("history_user", "unit")
                .order_by("-history_date", "-history_id")[:200])
    return [HistoryEntry(row=r, model=RoleAssignment) for r in rows]


def unit_choices():
    """All units in tree order, for role assignment (indentation by depth). The unit model is the one
    role assignments point at (core does not import the roster app)."""
    from .models import RoleAssignment

    Unit = RoleAssignment._meta.get_field("unit").related_model
    return Unit.objects.filter(is_active=True).only("id", "name", "depth", "path").order_by("path")
