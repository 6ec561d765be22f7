"""Import of .lrmx files: many files → one plan per file (create or update the cadre its 身份证号
names, with the diff against what is stored), checked all together, then applied all or none.

``check`` writes nothing: the import page shows its report (per file: errors by field, notes, the
diff of field / stored value / file value) and asks to confirm. ``apply`` checks again inside its
transaction (the cadres locked) and writes only when the report is the one confirmed (``digest``):
a cadre changed since, or another file, is refused and nothing is saved. Both run as jobs of the
one runner (``cadres.jobs.lrmx_import``), started by ``check_start`` and ``apply_start`` (the import
page and the API alike)."""
import copy
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from pingdingshan.core import jobs
from pingdingshan.core import permissions as gate
from pingdingshan.core.dates import in_force_q
from pingdingshan.core.models import JobState

from .. import services
from ..jobs import LRMX_IMPORT
from ..models import Appointment, Cadre, CareerEntry, FamilyMember, Unit
from ..services.roster import derive_cadre_fields
from . import reader, writer

MAX_FILES = 100
MAX_FILE_BYTES = 5 * 1024 * 1024
CREATE, UPDATE, UNCHANGED, REFUSED = "create", "update", "unchanged", "refused"

# The roster fields a file sets, in the order the diff lists them
FIELDS = (
    "name", "gender", "birth_date", "ethnicity", "native_place", "birth_place", "political_status", "party_join_date",
    "work_start_date", "health", "professional_title", "expertise", "fulltime_education", "fulltime_degree",
    "fulltime_school", "fulltime_major", "inservice_education", "inservice_degree", "inservice_school",
    "inservice_major", "proposed_post", "proposed_removal", "rewards_sanctions", "annual_assessment",
    "appointment_reason", "reporting_unit", "age_reference_date", "form_date", "form_filler",
)
FAMILY_FIELDS = ("order", "relation", "name", "birth_date", "political_status", "work_unit_post")


# --------------------------------------------------------------------------- the uploaded files
def bundle(files) -> bytes:
    """Uploaded files → one zip (the job runner stores one upload): ``names.json`` and the files."""
    if not files:
        raise ValidationError({"files": _("请选择要导入的 .lrmx 文件。")})
    if len(files) > MAX_FILES:
        raise ValidationError({"files": _("一次最多导入%(n)d个文件。") % {"n": MAX_FILES}})
    buf = io.BytesIO()
    names = []
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for n, upload in enumerate(files):
            name = (upload.name or "").rsplit("/", 1)[-1]
            if upload.size > MAX_FILE_BYTES:
                raise ValidationError({"files": _("“%(name)s”超过5MB。") % {"name": name}})
            if not name.lower().endswith(".lrmx"):
                raise ValidationError({"files": _("“%(name)s”不是 .lrmx 文件。") % {"name": name}})
            upload.seek(0)
            z.writestr(f"{n:03d}.lrmx", upload.read())
            names.append(name)
        z.writestr("names.json", json.dumps(names, ensure_ascii=False))
    return buf.getvalue()


def unbundle(fileobj) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(fileobj) as z:
        names = json.loads(z.read("names.json").decode("utf-8"))
        return [(name, z.read(f"{n:03d}.lrmx")) for n, name in enumerate(names)]


# --------------------------------------------------------------------------- the jobs
def check_start(*, by, files, unit: Unit | None = None):
    """Bundle the uploaded files and start the check job (it writes nothing; its result is the
    report, ``Check.payload("check")``). Raises ValidationError naming ``files`` or ``unit``."""
    gate.require(by, "change")
    if unit is not None:
        gate.ensure_unit(by, unit, model=Cadre)
    data = bundle(files)
    return jobs.start(by=by, kind=LRMX_IMPORT, upload=SimpleUploadedFile("lrmx.zip", data),
                      params={"mode": "check", "unit": unit.pk if unit else None,
                              "source_name": "、".join(f.name for f in files)[:200]})


def apply_start(*, by, check):
    """Start the apply job of ``check`` (the caller's own check job, as ``jobs.job_get`` found it):
    refused (ValidationError on ``job``) unless it is a finished check that found no error."""
    gate.require(by, "change")
    result = check.result or {}
    if check.user_id != by.pk or check.kind != LRMX_IMPORT or check.params.get("mode") != "check":
        raise ValidationError({"job": _("该任务不是您的 .lrmx 导入核对，不能确认。")})
    if check.state in (JobState.QUEUED, JobState.RUNNING):
        raise ValidationError({"job": _("核对尚未完成，请稍后再确认。")})
    if check.state != JobState.DONE or not result.get("ok"):
        raise ValidationError({"job": _("该导入未通过核对，不能确认。")})
    return jobs.start(by=by, kind=LRMX_IMPORT, params={
        "mode": "apply", "check": str(check.pk), "source": check.params.get("source"),
        "source_name": check.params.get("source_name", ""), "unit": check.params.get("unit"),
        "digest": result.get("digest")})


# --------------------------------------------------------------------------- shown values
def _shown(field_name, value) -> str:
    if value in (None, ""):
        return ""
    f = Cadre._meta.get_field(field_name)
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _family_text(members) -> str:
    labels = dict(FamilyMember._meta.get_field("political_status").flatchoices)
    return "\n".join(" ".join(x for x in (m["relation"], m["name"], writer.dotted(writer.ym(m["birth_date"])),
                                          str(labels.get(m["political_status"], "")), m["work_unit_post"]) if x)
                     for m in members)


def _career_text(entries) -> str:
    return "\n".join(writer.career_line(e["start_date"], e["end_date"], e["description"]).replace("\r\n", "\n")
                     for e in entries)


def _month(d):
    return (d.year, d.month) if d else None


def _family_key(members):
    return [(m["relation"], m["name"], _month(m["birth_date"]), m["political_status"], m["work_unit_post"])
            for m in members]


def _career_key(entries):
    return [(_month(e["start_date"]), _month(e["end_date"]), e["description"]) for e in entries]


# --------------------------------------------------------------------------- the plan
@dataclass
class Plan:
    parsed: reader.Parsed
    action: str = REFUSED
    cadre: Cadre | None = None
    changes: dict = field(default_factory=dict)
    family: list | None = None  # the new family list when it changes
    career: list | None = None
    photo: bytes | None = None  # the new photo when it changes
    diff: list = field(default_factory=list)
    stored: list = field(default_factory=list)  # the stored family, career and photo the plan was made over

    def fingerprint(self) -> list:
        cadre = self.cadre
        return [self.parsed.name, self.action, cadre.pk if cadre else None,
                sorted((k, str(getattr(cadre, k) if cadre else ""), str(v)) for k, v in self.changes.items()),
                self.family, self.career, hashlib.sha256(self.photo).hexdigest() if self.photo else None,
                self.stored, len(self.parsed.errors)]

    def report(self) -> dict:
        p = self.parsed
        return {"name": p.name, "action": self.action, "cadre_id": self.cadre.pk if self.cadre else None,
                "cadre_name": p.data.get("name", ""), "id_number": p.data.get("id_number", ""),
                "errors": p.errors, "notes": p.notes, "diff": self.diff}


@dataclass
class Check:
    plans: list[Plan]

    @property
    def ok(self) -> bool:
        return all(plan.action != REFUSED for plan in self.plans)

    def counts(self) -> dict:
        out = {CREATE: 0, UPDATE: 0, UNCHANGED: 0, REFUSED: 0}
        for plan in self.plans:
            out[plan.action] += 1
        return out

    @property
    def digest(self) -> str:
        """What the plans would write, from what (stored and file values, not their words: the same
        in any language): ``apply`` writes only when it matches the confirmed check's."""
        body = json.dumps([plan.fingerprint() for plan in self.plans], ensure_ascii=False, sort_keys=True, default=str)
        return hashlib.sha256(body.encode("utf-8")).hexdigest()

    def payload(self, mode: str) -> dict:
        return {"mode": mode, "ok": self.ok, "counts": self.counts(), "digest": self.digest,
                "files": [plan.report() for plan in self.plans]}


def _stored(cadres_qs):
    return cadres_qs.select_related("unit").prefetch_related(
        Prefetch("family", queryset=FamilyMember.objects.order_by("order", "id")),
        Prefetch("career", queryset=CareerEntry.objects.order_by("start_date", "id")),
        Prefetch("appointments", queryset=Appointment.objects.filter(in_force_q()).select_related("post__unit")
                 .order_by("-post__level", "-start_date", "id"), to_attr="current"),
    )


def check(*, by, files: list[tuple[str, bytes]], unit: Unit | None = None, lock: bool = False) -> Check:
    """Read and check every file; writes nothing. ``unit``: where new cadres go (a unit the user may
    change cadres in). ``lock``: lock the matched cadres (``apply``)."""
    gate.require(by, "change")
    if unit is not None:
        gate.ensure_unit(by, unit, model=Cadre)
    plans = [Plan(parsed=reader.parse(data, name)) for name, data in files]
    numbers = {p.parsed.data.get("id_number") for p in plans} - {None, ""}
    qs = Cadre.objects.filter(id_number__in=numbers)
    if lock:
        qs = qs.select_for_update(of=("self",))
    existing = {c.id_number: c for c in _stored(qs)}
    writable = set(Cadre.objects.restrict(by, "change").filter(id_number__in=numbers).values_list("pk", flat=True))
    seen = {}
    for plan in plans:
        p = plan.parsed
        number = p.data.get("id_number")
        if number and number in seen and not p.errors_for("ShenFenZheng"):
            p.error(writer.ELEMENT_NAMES["ShenFenZheng"], _("与文件“%(f)s”是同一人（身份证号相同）。") % {"f": seen[number]})
        seen.setdefault(number, p.name)
        cadre = existing.get(number)
        if cadre is not None and cadre.pk not in writable:
            p.error(writer.ELEMENT_NAMES["ShenFenZheng"], _("该身份证号的干部不在您的管理范围内，不能更新。"))
        if not p.errors:
            _plan(plan, cadre, unit)
    return Check(plans)


def _plan(plan: Plan, cadre: Cadre | None, unit: Unit | None) -> None:
    p = plan.parsed
    data = dict(p.data)
    if cadre is not None:  # a date the file gives to the month keeps the stored day of that month
        for key in p.month_only:
            stored = getattr(cadre, key)
            if data.get(key) and stored and _month(stored) == _month(data[key]):
                data[key] = stored
        if data.get("political_status") == "cpc" and cadre.political_status == "cpc_probationary":
            data["political_status"] = cadre.political_status  # the file does not tell 预备党员 apart
    target = Cadre(unit=unit) if cadre is None else copy.copy(cadre)
    if cadre is None and unit is None:
        p.error(_("所在单位"), _("新建干部须在导入页选择所在单位。"))
    for key in FIELDS:
        setattr(target, key, data.get(key))
    target.id_number = data["id_number"]
    derive_cadre_fields(target)
    exclude = ["photo", "id_number"] + (["unit"] if unit is None and cadre is None else [])
    try:  # field checks and Cadre.clean (ID number against birth date and gender); no query
        target.clean_fields(exclude=exclude)
        target.clean()
    except ValidationError as e:
        for key, messages in e.message_dict.items():
            label = Cadre._meta.get_field(key).verbose_name if key != "__all__" else _("文件")
            for message in messages:
                p.error(label, message)
    stored_family = [{k: getattr(m, k) for k in FAMILY_FIELDS} for m in cadre.family.all()] if cadre else []
    stored_career = ([{"start_date": e.start_date, "end_date": e.end_date, "description": e.description}
                      for e in cadre.career.all()] if cadre else [])
    stored_photo = writer.photo_jpeg(cadre) if cadre else None
    current = "、".join(f"{a.post.unit.name}{a.post.name}" for a in cadre.current) if cadre else ""
    if p.current_posts and p.current_posts != current:
        p.note(writer.ELEMENT_NAMES["XianRenZhiWu"], _(
            "“%(v)s”未导入：任职在“职务职级”中按岗位和职数记录。") % {"v": p.current_posts})
    if p.photo is None and stored_photo:
        p.note(writer.ELEMENT_NAMES["ZhaoPian"], _("文件中没有照片，保留原照片。"))
    if p.errors:
        plan.action = REFUSED
        return
    plan.cadre = cadre
    plan.stored = [_family_key(stored_family), _career_key(stored_career),
                   hashlib.sha256(stored_photo).hexdigest() if stored_photo else None]
    for key in FIELDS:
        before = getattr(cadre, key) if cadre else None
        after = getattr(target, key)
        if cadre is None or before != after:
            plan.changes[key] = after
            if cadre is not None:
                plan.diff.append({"field": str(Cadre._meta.get_field(key).verbose_name),
                                  "stored": _shown(key, before), "file": _shown(key, after)})
    if cadre is None or _family_key(stored_family) != _family_key(p.family):
        plan.family = p.family
        if cadre is not None:
            plan.diff.append({"field": writer.ELEMENT_NAMES["JiaTingChengYuan"], "stored": _family_text(stored_family),
                              "file": _family_text(p.family)})
    if cadre is None or _career_key(stored_career) != _career_key(p.career):
        plan.career = p.career
        if cadre is not None:
            plan.diff.append({"field": writer.ELEMENT_NAMES["JianLi"], "stored": _career_text(stored_career),
                              "file": _career_text(p.career)})
    if p.photo is not None and p.photo != stored_photo:
        plan.photo = p.photo
        if cadre is not None:
            plan.diff.append({"field": writer.ELEMENT_NAMES["ZhaoPian"],
                              "stored": _("有照片") if stored_photo else _("无"),
                              "file": _("新照片（%(kb)d KB）") % {"kb": max(1, len(p.photo) // 1024)}})
    plan.action = CREATE if cadre is None else (UPDATE if plan.diff else UNCHANGED)


# --------------------------------------------------------------------------- apply
@transaction.atomic
def apply(*, by, files: list[tuple[str, bytes]], unit: Unit | None, digest: str) -> Check:
    """Check again (cadres locked) and write every plan, or nothing: refused when a file has an
    error or the report is not the one confirmed (``digest``)."""
    result = check(by=by, files=files, unit=unit, lock=True)
    if not result.ok:
        raise ValidationError(_("有文件未通过校验，未导入任何文件。"))
    if result.digest != digest:
        raise ValidationError(_("核对之后档案或文件已有变化，未导入任何文件：请重新上传核对。"))
    for plan in result.plans:
        _write(by, plan, unit)
    return result


def _write(by, plan: Plan, unit) -> None:
    if plan.action == UNCHANGED:
        return
    data = dict(plan.changes)
    if plan.photo is not None:
        data["photo"] = ContentFile(plan.photo, name=f"{plan.parsed.data['id_number']}.jpg")
    if plan.action == CREATE:
        cadre = services.cadre_create(by=by, unit=unit, id_number=plan.parsed.data["id_number"], **data)
    else:
        cadre = services.cadre_update(by=by, cadre=plan.cadre, **data) if data else plan.cadre
    if plan.family is not None:
        for member in list(cadre.family.all()):
            services.cadre_child_delete(by=by, instance=member)
        for member in plan.family:
            services.cadre_child_save(by=by, model=FamilyMember, cadre=cadre, **member)
    if plan.career is not None:
        for entry in list(cadre.career.all()):
            services.cadre_child_delete(by=by, instance=entry)
        for entry in plan.career:
            services.cadre_child_save(by=by, model=CareerEntry, cadre=cadre, **entry)
