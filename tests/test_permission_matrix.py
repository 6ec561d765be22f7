"""The permission matrix: every page and endpoint, for anonymous, a user with no role, each role,
and (for unit leaders) an object inside their subtree vs one outside it.

A final test walks the URL configuration and fails when a named URL has no row here, so a new
page or endpoint cannot slip in without its permissions being tested.
"""
import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import URLResolver, get_resolver, reverse

from cadres import services as cadre_services
from cadres.models import CareerEntry, RankHistory, Training
from pingdingshan.core.models import Role, RoleAssignment
from tests.conftest import make_people, make_tree, rolled_back
from tests.factories import CadreFactory, PostFactory, UserFactory, make_unit, rank
from tests.permission_rows import Ok, exists, gone, now, pk

VALID_ID = "11010519491231002X"  # a woman born 1949-12-31
# 1x1 PNG
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)

# Object kinds that are not inside a unit: a leader has no "other unit" variant of them.
GLOBAL_OBJECTS = (None, "user", "role", "rank", "tag", "category", "notification", "job", "tier", "assess_category",
                  "scheme", "published_scheme", "period", "published_period", "rater_group")
ROLES = ["anonymous", "no_role", "org_staff", "auditor", "leader"]
OK = "success"  # allowed: the row's success status and effect (tests/permission_rows/__init__.py ``Ok``)
WRITES = ("post", "put", "patch", "delete")

# (url name, object kind or None, HTTP method, permission kind[, Ok(...)]): see tests/permission_rows/__init__.py
DAY = "2024-06-01"
PAGES = [
    ("home", None, "get", "home"),
    ("core:user_list", None, "get", "manage"),
    ("core:user_create", None, "get", "manage"),
    ("core:user_create", None, "post", "manage", Ok(
        data={"username": "newuser", "full_name": "新用户", "password1": "Xk3-pds-2026-q", "password2": "Xk3-pds-2026-q"},
        effect=exists("auth.User", username="newuser"))),
    ("core:user_detail", "user", "get", "manage"),
    ("core:role_assign", "user", "post", "manage", Ok(
        data=lambda o: {"role": "unit_leader", "unit": o["unit"].pk},
        effect=exists("core.RoleAssignment", user=pk("user"), role="unit_leader", unit=pk("unit")))),
    ("core:role_revoke", "role", "post", "manage", Ok(effect=gone("role"))),
    ("core:user_toggle_active", "user", "post", "manage", Ok(effect=now("user", is_active=False))),
    ("core:user_unlock", "user", "post", "manage", Ok(
        prepare=lambda o, u: AccessAttempt.objects.create(username=o["user"].username, ip_address="127.0.0.1",
                                                          failures_since_start=9, get_data="", post_data=""),
        effect=lambda o, r: not AccessAttempt.objects.filter(username=o["user"].username).exists())),
    ("core:audit_log", None, "get", "audit"),
    ("core:export_log", None, "get", "audit"),
    ("cadres:cadre_list", None, "get", "view"),
    ("cadres:cadre_export", None, "get", "view"),
    ("cadres:cadre_create", None, "get", "create"),
    ("cadres:cadre_create", None, "post", "create", Ok(
        form=True, data=lambda o: {"name": "王芳", "gender": "F", "birth_date": "1949-12-31", "id_number": VALID_ID,
                        "unit": o["unit"].pk, "political_status": "cpc", "fulltime_education": 4,
                        "inservice_education": 0, "status": "active"},
        effect=exists("cadres.Cadre", id_number=VALID_ID, unit=pk("unit")))),
    ("cadres:cadre_detail", "cadre", "get", "view_obj"),
    ("cadres:cadre_edit", "cadre", "get", "write_obj"),
    ("cadres:cadre_edit", "cadre", "post", "write_obj", Ok(form=True, data={"phone": "13800000000"},
                                                            effect=now("cadre", phone="13800000000"))),
    ("cadres:cadre_delete", "spare_cadre", "post", "org_only_obj", Ok(effect=gone("spare_cadre"))),
    ("cadres:cadre_photo", "cadre", "get", "view_obj"),
    ("cadres:appointment_create", "cadre", "get", "write_obj"),
    ("cadres:appointment_create", "cadre", "post", "write_obj", Ok(
        data=lambda o: {"unit": o["unit"].pk, "post": o["spare_post"].pk, "start_date": DAY},
        effect=exists("cadres.Appointment", cadre=pk("cadre"), post=pk("spare_post")))),
    ("cadres:appointment_end", "appointment", "get", "write_obj"),
    ("cadres:appointment_end", "appointment", "post", "write_obj", Ok(
        data={"end_date": DAY}, effect=now("appointment", end_date=DAY))),
    ("cadres:appointment_delete", "appointment", "post", "write_obj", Ok(effect=gone("appointment"))),
    ("cadres:rank_assign", "cadre", "get", "write_obj"),
    ("cadres:rank_assign", "cadre", "post", "write_obj", Ok(
        data=lambda o: {"rank": o["higher_rank"].pk, "start_date": DAY},
        effect=exists("cadres.RankHistory", cadre=pk("cadre"), rank=pk("higher_rank")))),
    ("cadres:career_create", "cadre", "get", "write_obj"),
    ("cadres:career_create", "cadre", "post", "write_obj", Ok(
        data={"start_date": "2005-01-01", "end_date": "2009-12-31", "description": "某县办公室副主任"},
        effect=exists("cadres.CareerEntry", cadre=pk("cadre"), description="某县办公室副主任"))),
    ("cadres:career_edit", "career", "get", "write_obj"),
    ("cadres:career_edit", "career", "post", "write_obj", Ok(form=True, data={"description": "某镇副镇长"},
                                                              effect=now("career", description="某镇副镇长"))),
    ("cadres:career_delete", "career", "post", "write_obj", Ok(effect=gone("career"))),
    ("cadres:training_create", "cadre", "get", "write_obj"),
    ("cadres:training_create", "cadre", "post", "write_obj", Ok(
        data={"title": "中青班", "start_date": "2022-03-01", "end_date": "2022-06-30", "hours": 120},
        effect=exists("cadres.Training", cadre=pk("cadre"), title="中青班"))),
    ("cadres:training_edit", "training", "get", "write_obj"),
    ("cadres:training_edit", "training", "post", "write_obj", Ok(form=True, data={"title": "党校进修班"},
                                                                  effect=now("training", title="党校进修班"))),
    ("cadres:training_delete", "training", "post", "write_obj", Ok(effect=gone("training"))),
    ("cadres:unit_tree", None, "get", "view"),
    ("cadres:unit_create", None, "get", "struct"),
    ("cadres:unit_create", None, "post", "struct", Ok(
        data=lambda o: {"parent": o["tree"].county_a.pk, "code": "410421199", "name": "新设乡", "level": "township",
                        "kind": "town", "establishment": 30, "is_active": "on"},
        effect=exists("cadres.Unit", code="410421199", name="新设乡"))),
    ("cadres:unit_detail", "unit", "get", "view_obj"),
    ("cadres:unit_edit", "unit", "get", "struct_obj"),
    ("cadres:unit_edit", "unit", "post", "struct_obj", Ok(form=True, data={"short_name": "简称"},
                                                          effect=now("unit", short_name="简称"))),
    ("cadres:unit_delete", "spare_unit", "post", "struct_obj", Ok(effect=gone("spare_unit"))),
    ("cadres:post_create", "unit", "get", "struct_obj"),
    ("cadres:post_create", "unit", "post", "struct_obj", Ok(
        data={"name": "新设岗位", "kind": "deputy", "level": 1, "quota": 1, "order": 9},
        effect=exists("cadres.Post", unit=pk("unit"), name="新设岗位"))),
    ("cadres:post_edit", "post", "get", "struct_obj"),
    ("cadres:post_edit", "post", "post", "struct_obj", Ok(form=True, data={"quota": 5}, effect=now("post", quota=5))),
    ("cadres:post_delete", "spare_post", "post", "struct_obj", Ok(effect=gone("spare_post"))),
    ("cadres:rank_quotas", "unit", "get", "struct_obj"),
    ("cadres:rank_quotas", "unit", "post", "struct_obj", Ok(
        data=lambda o: {f"rank_{o['rank'].pk}": 7},
        effect=exists("cadres.RankQuota", unit=pk("unit"), rank=pk("rank"), quota=7))),
]
API = [
    ("api-root", None, "get", "api_list"),
    ("api-schema", None, "get", "api_docs"),
    ("api-docs", None, "get", "api_docs"),
    ("api-token", None, "post", "public"),
    ("unit-list", None, "get", "api_list"),
    ("unit-list", None, "post", "api_struct", Ok(
        data=lambda o: {"parent": o["tree"].county_a.pk, "code": "410421198", "name": "新设镇", "level": "township",
                        "kind": "town"},
        effect=exists("cadres.Unit", code="410421198"))),
    ("unit-detail", "unit", "get", "api_obj"),
    ("unit-detail", "unit", "patch", "api_struct_obj", Ok(data={"short_name": "简称"}, effect=now("unit", short_name="简称"))),
    ("post-list", None, "get", "api_list"),
    ("post-list", None, "post", "api_struct", Ok(
        data=lambda o: {"unit": o["unit"].pk, "name": "新设岗位", "kind": "deputy", "level": 1, "quota": 1},
        effect=exists("cadres.Post", unit=pk("unit"), name="新设岗位"))),
    ("post-detail", "post", "get", "api_obj"),
    ("post-detail", "spare_post", "delete", "api_struct_obj", Ok(effect=gone("spare_post"))),
    ("rank-list", None, "get", "api_list"),
    ("rank-detail", "rank", "get", "api_ref"),
    ("tag-list", None, "get", "api_list"),
    ("tag-detail", "tag", "get", "api_ref"),
    ("cadre-list", None, "get", "api_list"),
    ("cadre-list", None, "post", "api_create", Ok(
        data=lambda o: {"name": "王芳", "gender": "F", "birth_date": "1949-12-31", "id_number": VALID_ID,
                        "unit": o["unit"].pk, "political_status": "cpc", "fulltime_education": 4},
        effect=exists("cadres.Cadre", id_number=VALID_ID, unit=pk("unit")))),
    ("cadre-detail", "cadre", "get", "api_obj"),
    ("cadre-detail", "cadre", "patch", "api_write_obj", Ok(data={"phone": "13800000000"},
                                                            effect=now("cadre", phone="13800000000"))),
    ("cadre-detail", "spare_cadre", "delete", "api_org_only_obj", Ok(effect=gone("spare_cadre"))),
    ("cadre-assign-rank", "cadre", "post", "api_write_obj", Ok(
        data=lambda o: {"rank": o["higher_rank"].pk, "start_date": DAY}, status=201,
        effect=exists("cadres.RankHistory", cadre=pk("cadre"), rank=pk("higher_rank")))),
    ("appointment-list", None, "get", "api_list"),
    ("appointment-list", None, "post", "api_create", Ok(
        data=lambda o: {"cadre": o["cadre"].pk, "post": o["spare_post"].pk, "start_date": DAY},
        effect=exists("cadres.Appointment", cadre=pk("cadre"), post=pk("spare_post")))),
    ("appointment-detail", "appointment", "get", "api_obj"),
    ("appointment-detail", "appointment", "patch", "api_write_obj", Ok(
        data={"document_no": "平组〔2020〕1号"}, effect=now("appointment", document_no="平组〔2020〕1号"))),
    ("appointment-end", "appointment", "post", "api_write_obj", Ok(data={"end_date": DAY},
                                                                   effect=now("appointment", end_date=DAY))),
    ("rank-history-list", None, "get", "api_list"),
    ("rank-history-detail", "rank_history", "get", "api_obj"),
    ("career-list", None, "get", "api_list"),
    ("career-list", None, "post", "api_create", Ok(
        data=lambda o: {"cadre": o["cadre"].pk, "start_date": "2005-01-01", "description": "某县办公室副主任"},
        effect=exists("cadres.CareerEntry", cadre=pk("cadre"), description="某县办公室副主任"))),
    ("career-detail", "career", "get", "api_obj"),
    ("career-detail", "career", "delete", "api_write_obj", Ok(effect=gone("career"))),
    ("training-list", None, "get", "api_list"),
    ("training-list", None, "post", "api_create", Ok(
        data=lambda o: {"cadre": o["cadre"].pk, "title": "中青班", "start_date": "2022-03-01"},
        effect=exists("cadres.Training", cadre=pk("cadre"), title="中青班"))),
    ("training-detail", "training", "get", "api_obj"),
    ("training-detail", "training", "patch", "api_write_obj", Ok(data={"title": "党校进修班"},
                                                                  effect=now("training", title="党校进修班"))),
]
# Further rows live beside the features, in tests/permission_rows/<feature>.py (PAGES and API lists
# of the same shape), so that features add their rows without editing this file. A feature module
# may also build objects of its own for each variant: ``objects(variant=, cadre=, unit=, by=)``
# returning {kind: object} (called inside the world's transaction, ``by`` is org staff).
def _feature_modules():
    import importlib
    import pkgutil

    from tests import permission_rows

    return [importlib.import_module(f"tests.permission_rows.{info.name}")
            for info in pkgutil.iter_modules(permission_rows.__path__)]


def _feature_rows():
    pages, api = [], []
    for module in _feature_modules():
        pages += getattr(module, "PAGES", [])
        api += getattr(module, "API", [])
    return pages, api


_extra_pages, _extra_api = _feature_rows()
PAGES += _extra_pages
API += _extra_api


def _feature_modules():
    import importlib
    import pkgutil

    from tests import permission_rows

    return [importlib.import_module(f"tests.permission_rows.{info.name}")
            for info in pkgutil.iter_modules(permission_rows.__path__)]


# A feature module may add objects to the world (``world(variant, objects, by) -> dict``, run once per
# variant after the world's own objects exist) and name those of them that lie in no unit (``GLOBAL``).
GLOBAL_OBJECTS += tuple(k for m in _feature_modules() for k in getattr(m, "GLOBAL", ()))

# Named URLs that need no row: Django's own auth and language views, the health probe, admin.
# api-not-found: the API's catch-all, the JSON 404 for every role (tests/core/test_api_contract.py).
NOT_IN_MATRIX = {"login", "logout", "password_change", "password_change_done", "set_language", "core:health",
                 "api-not-found"}


# Withdrawing the fixture's submitted record (submitted by org staff), page and API: test_matrix also
# checks the record afterwards (withdrawn to draft by org staff only).
WITHDRAW_KINDS = ("withdraw_obj", "api_withdraw_obj")


def expected(kind: str, role: str, variant: str):
    """The status (or set of statuses) a role gets. ``variant`` is "own" or "other" (leader's scope)."""
    api = kind.startswith("api_") or kind == "public"
    if kind == "public":
        return {400}
    if role == "anonymous":
        return 401 if api else 302
    if kind in ("home", "api_docs"):  # the API's description is for every signed-in user
        return 200
    if kind in ("own", "api_own"):  # the user's own things (their notifications): every signed-in user
        return OK
    if kind in ("own_obj", "api_own_obj"):  # org staff's own object (a notification, a job): anyone else 404
        return OK if role == "org_staff" else 404
    if role == "no_role":
        return 403
    if kind in ("export", "api_export"):  # a write every role has through ``export`` (asking for a report)
        return OK
    if kind in ("assess", "api_assess"):  # assessment set-up, scoring, computing, publishing
        return OK if role == "org_staff" else 403
    if kind in ("staff_obj", "api_staff_obj"):  # unpublished assessment objects: city-wide readers only
        return 200 if role in ("org_staff", "auditor") else 404
    if kind in WITHDRAW_KINDS:  # withdrawing the record org staff submitted: the submitter (or org staff) only
        if role == "org_staff":
            return OK
        if role == "leader" and variant == "other":
            return 404
        if role == "leader" and kind == "withdraw_obj":
            return 302  # refused with a message on the record's page (the record stays submitted)
        return 403  # the API's "only the submitter may withdraw"; auditors change nothing
    if kind in ("staff_list", "api_staff_list"):  # lists only city-wide readers have (card proposals)
        return 200 if role in ("org_staff", "auditor") else 403
    if kind in ("discipline", "api_discipline"):  # org staff's discipline actions (decide a proposal …)
        return OK if role == "org_staff" else 403
    if kind in ("manage", "verify", "verify_obj"):
        return OK if role == "org_staff" else 403
    if kind == "api_verify_obj":
        return OK if role == "org_staff" else 403
    if kind in ("audit", "api_audit"):  # org staff and auditors (api_audit: an API list of theirs)
        return 200 if role in ("org_staff", "auditor") else 403
    reads = {"view": 200, "view_obj": 200, "api_list": 200, "api_obj": 200, "api_ref": 200}
    if kind in reads:
        return 404 if (role == "leader" and variant == "other" and kind in ("view_obj", "api_obj")) else 200
    # writes
    if role == "auditor":
        return 403
    if role == "org_staff":
        return OK
    # unit leader
    if variant == "other" and kind.endswith("_obj"):
        return 404
    if kind in ("create", "write_obj", "api_create", "api_write_obj"):
        return OK
    return 403  # struct, struct_obj, org_only_obj, api_struct, api_struct_obj, api_org_only_obj


def _cases():
    for row in PAGES + API:
        name, obj, method, kind = row[:4]
        SPECS[row[:4]] = _spec(row)
        for role in ROLES:
            variants = ["own", "other"] if role == "leader" and obj not in GLOBAL_OBJECTS else ["own"]
            for variant in variants:
                yield pytest.param(name, obj, method, kind, role, variant, id=f"{name}-{method}-{role}-{variant}")


def _archive_objects(cadre, by):
    """A submitted record, a draft record with one evidence file, a category, a notification."""
    from cadres import services
    from cadres.models import TaskCategory
    from pingdingshan.core.services import notify

    category = TaskCategory.objects.get(name="乡村振兴")
    data = dict(cadre=cadre, category=category, title="高标准农田建设", description="完成2万亩", role="lead",
                start_date=dt.date(2025, 3, 1))
    submitted = services.record_create(by=by, submit=True, **data)
    draft = services.record_create(by=by, **{**data, "title": "草稿记录"})
    pdf = SimpleUploadedFile("会议纪要.pdf", b"%PDF-1.4\n%%EOF\n")
    evidence = services.evidence_add(by=by, record=draft, upload=pdf)
    return {"record": submitted, "draft_record": draft, "evidence": evidence, "category": category,
            "notification": notify(user=by, message="测试通知"), "job": _job(by)}


def _job(by):
    """A finished background job of org staff's, with its result file."""
    from pingdingshan.core import jobs
    from pingdingshan.core.models import Job, JobState

    job = Job.objects.create(kind="core.audit_export", user=by, state=JobState.DONE)
    jobs.attach(job, b"a,b\n", name="result.csv", download_name="audit.csv")
    return job


def _assessment_shared(by):
    """One tier and category, a draft and a published scheme, an open and a published period."""
    from assessment import services as asvc
    from assessment.models import AssessmentPeriod, Category, PeriodStatus, Tier

    tier, category = Tier.objects.get(name="乡镇(街道)副职"), Category.objects.get(name="县(市、区)")
    rows = [{"dimension": "political", "name": "政治品质", "weight": "100", "method": "rater", "is_veto": True}]
    published = asvc.scheme_publish(by=by, scheme=asvc.scheme_create(by=by, tier=tier, category=category, year=2026,
                                                                     indicators=rows))
    draft = asvc.scheme_create(by=by, tier=tier, category=category, year=2027, indicators=rows)
    periods = {}
    for key, name, status in (("period", "2026年度考核", PeriodStatus.OPEN),
                              ("published_period", "2025年度考核", PeriodStatus.PUBLISHED)):
        year = 2026 if key == "period" else 2025
        p = asvc.period_save(by=by, name=name, kind="annual", year=year, start_date=dt.date(year, 1, 1),
                             end_date=dt.date(year, 12, 31))
        asvc.period_set_schemes(by=by, period=p, schemes=[published])
        asvc.rater_groups_save(by=by, period=p, groups=[{"name": "上级", "weights": {tier.pk: 100}}])
        AssessmentPeriod.objects.filter(pk=p.pk).update(status=status)
        p.refresh_from_db()
        periods[key] = p
    return {"tier": tier, "assess_category": category, "scheme": draft, "published_scheme": published,
            "rater_group": periods["period"].rater_groups.get(), **periods}


def _assessment_objects(cadre, shared):
    """The cadre's result in the open period and in the published one, both computed."""
    from django.utils import timezone

    from assessment.models import AssessmentPeriod, AssessmentResult

    out, now = {}, timezone.now()
    for key, period in (("result", shared["period"]), ("published_result", shared["published_period"])):
        out[key] = AssessmentResult.objects.create(
            period=period, cadre=cadre, unit=cadre.unit, tier=shared["tier"], category=shared["assess_category"],
            scheme=shared["published_scheme"], composite=85, grade="2", computed_grade="2", computed_at=now)
        AssessmentPeriod.objects.filter(pk=period.pk).update(computed_at=now)
    return out


def _feature_worlds():
    """The ``world(variant, objects, by) -> dict`` functions of the row modules that define one: they
    add the objects their rows name (e.g. a card proposal) to each variant's objects."""
    return [m.world for m in _feature_modules() if callable(getattr(m, "world", None))]


def _build_world():
    tree = make_tree()
    people = make_people(tree)
    org_staff = people.org_staff
    objects = {}
    shared = _assessment_shared(org_staff)
    for variant, cadre, unit in (("own", people.cadre_a, tree.town_a), ("other", people.cadre_b, tree.town_b)):
        cadre.photo = SimpleUploadedFile("p.png", PNG, content_type="image/png")
        cadre.save()
        post = PostFactory(unit=unit, name=f"副职{variant}", quota=3)
        objects[variant] = {
            "cadre": cadre,
            "unit": unit,
            "post": post,
            "appointment": cadre_services.appointment_create(by=org_staff, cadre=cadre, post=post,
                                                             start_date=dt.date(2020, 1, 1)),
            "career": CareerEntry.objects.create(cadre=cadre, start_date=dt.date(2000, 1, 1), description="某镇科员"),
            "training": Training.objects.create(cadre=cadre, title="党校培训", start_date=dt.date(2021, 3, 1)),
            "rank_history": RankHistory.objects.create(cadre=cadre, rank=rank(), start_date=dt.date(2019, 1, 1)),
            "rank": rank(),
            "higher_rank": rank("四级调研员"),
            "spare_cadre": CadreFactory(unit=unit, name=f"王五{variant}"),  # nothing attached: deletable
            "spare_post": PostFactory(unit=unit, name=f"空岗{variant}", quota=2),
            "spare_unit": make_unit(f"空单位{variant}", parent=unit, level="township", kind="town"),
            **_archive_objects(cadre, org_staff),
            **shared,
            **_assessment_objects(cadre, shared),
        }
    target = UserFactory(username="target")
    role = RoleAssignment.objects.create(user=target, role=Role.AUDITOR)
    from cadres.models import Tag

    tag = Tag.objects.get_or_create(name="优秀年轻干部")[0]
    for variant in objects:
        objects[variant].update(user=target, role=role, tag=tag, tree=tree)
    for build in _feature_worlds():  # objects a feature's rows need (its module's ``world(variant, o, by)``)
        for variant, o in objects.items():
            o.update(build(variant, o, org_staff) or {})
    users = {"no_role": people.no_role_user, "org_staff": org_staff, "auditor": people.auditor, "leader": people.leader}
    sessions = {}  # one signed-in session per role, made once: a login per test cost ~10 ms of its ~40
    for role, user in users.items():
        signed_in = Client()
        signed_in.force_login(user)
        sessions[role] = signed_in.cookies[settings.SESSION_COOKIE_NAME].value
    return objects, {role: user.pk for role, user in users.items()}, sessions



@pytest.fixture(scope="module")
def _matrix_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The matrix's world, built once for the module (see tests/conftest.py ``rolled_back``): each test
    runs in a savepoint of the module's transaction, so what one request changes is gone for the next."""
    from pingdingshan.celery import app

    eager = app.conf.task_always_eager
    app.conf.CELERY_TASK_ALWAYS_EAGER = True  # tasks (imports, jobs) run in-process, inside the test's savepoint
    try:
        with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("matrix-media")):
            with rolled_back(django_db_blocker, _build_world) as built:
                yield built
    finally:
        app.conf.CELERY_TASK_ALWAYS_EAGER = eager


@pytest.fixture
def world(db, _matrix_world):
    """(objects by variant, users by role). The objects are the module's: read their ``pk`` (or refetch);
    the users are fetched afresh for each test, so nothing cached on them (the gate's roles) carries over."""
    objects, user_pks, sessions = _matrix_world
    fresh = get_user_model().objects.in_bulk(user_pks.values())
    return objects, {"anonymous": None, **{role: fresh[pk] for role, pk in user_pks.items()}}, sessions


def _sign_in(client, world, role):
    """The client as ``role``, with the module's session for it (the same as a ``force_login``)."""
    if role != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = world[2][role]


def _spec(row) -> Ok:
    return row[4] if len(row) > 4 else Ok()


SPECS = {}  # (name, obj, method, kind) -> Ok


def _default_status(name, method, api):
    if method == "get":
        return 200
    if not api:
        return 302
    if method == "post":
        return 201 if name.endswith("-list") else 200
    return 204 if method == "delete" else 200


def _error_messages(response):
    from django.contrib.messages import constants, get_messages

    return [str(m) for m in get_messages(response.wsgi_request) if m.level >= constants.WARNING]


def _form_values(response, name):
    """The values an unbound form shows, as a browser would post them."""
    from django import forms

    form = response.context[name]
    out = {}
    for field_name, field in form.fields.items():
        value = form[field_name].value()
        if isinstance(field, forms.FileField) or value is None:
            continue
        if isinstance(field, forms.BooleanField):
            if value:
                out[form.add_prefix(field_name)] = "on"
            continue
        if isinstance(value, list | tuple):
            value = [getattr(v, "pk", v) for v in value]
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        else:
            value = getattr(value, "pk", value)
        out[form.add_prefix(field_name)] = value
    return out


def _why(response):
    """What the page or API said, for a failed allowed case: form errors, messages, or the body."""
    context = response.context
    values = {} if context is None else context.flatten() if hasattr(context, "flatten") else {
        k: context[k] for k in context.keys()}
    errors = {k: v.errors for k, v in values.items() if getattr(v, "is_bound", False) and v.errors}
    if errors:
        return errors
    if getattr(response, "wsgi_request", None) is not None and _error_messages(response):
        return _error_messages(response)
    return "" if response.streaming else response.content[:400].decode(errors="replace")


def _send(client, method, url, spec, objects, api, allowed):
    data = spec.data(objects) if callable(spec.data) else spec.data
    if spec.form and allowed:
        page = client.get(url)
        assert page.status_code == 200, (url, page.status_code)
        data = {**_form_values(page, "form" if spec.form is True else spec.form), **(data or {})}
    if method == "get":
        query = spec.query(objects) if callable(spec.query) else spec.query
        return client.get(url, query or {})
    send = getattr(client, method)
    if api and not spec.multipart:
        return send(url, data if data is not None else {}, content_type="application/json")
    return send(url, data or {})


def _took_effect(spec, o, response):
    """For a refused write: does the row's effect hold anyway? (An effect that cannot even be checked
    on a refusal, e.g. reading a body the refusal does not have, did not take place.)"""
    try:
        return bool(spec.effect(o, response))
    except (AssertionError, KeyError, TypeError, AttributeError, ValueError):
        return False


@pytest.mark.parametrize("name,obj,method,kind,role,variant", list(_cases()))
def test_matrix(client, world, name, obj, method, kind, role, variant):
    objects, users, _sessions = world
    spec = SPECS[(name, obj, method, kind)]
    api = kind.startswith("api_") or kind == "public"
    o = objects[variant]
    if spec.prepare:  # a dict it returns joins the variant's objects for this test
        extra = spec.prepare(o, users[role])
        o = {**o, **extra} if isinstance(extra, dict) else o
    _sign_in(client, world, role)
    kwargs = {"pk": objects[variant][obj].pk} if obj else {}
    url = reverse(name, kwargs=kwargs)
    want = expected(kind, role, variant)
    response = _send(client, method, url, spec, o, api, want == OK)
    if want == OK:
        want = spec.status or _default_status(name, method, api)
        assert response.status_code == want, (url, role, variant, response.status_code, _why(response))
        if spec.refusal:
            assert spec.refusal in str(_why(response)), (url, role, variant, _why(response))
        elif not api and response.status_code == 302:
            assert not _error_messages(response), (url, role, variant, _error_messages(response))
        if method in WRITES:
            assert spec.effect is not None, f"{name} {method}: the row needs Ok(effect=...)"
        if spec.effect is not None:
            assert spec.effect(o, response), (url, role, variant, "no effect")
    elif spec.effect is not None and method in WRITES and not spec.refusal:
        assert not _took_effect(spec, o, response), (url, role, variant, "a refused write changed something")
    allowed = want if isinstance(want, set) else {want}
    assert response.status_code in allowed, (url, role, variant, response.status_code)
    if response.status_code == 302:
        to_login = response.url.startswith(reverse("login"))
        assert to_login == (role == "anonymous"), (url, role, response.url)
    if kind in WITHDRAW_KINDS:
        record = type(objects[variant][obj]).objects.get(pk=objects[variant][obj].pk)
        assert (record.status == "draft") == (role == "org_staff"), (url, role, variant, record.status)
    if response.status_code in (401, 403, 404) and api and kind != "api_docs":
        body = response.json()
        assert set(body) == {"message", "errors"}, body


def test_every_write_row_says_what_success_is():
    """An allowed write proves its effect: each writing row ends with Ok(effect=...)."""
    missing = [row[:4] for row in PAGES + API
               if row[2] in WRITES and row[3] != "public" and _spec(row).effect is None]
    assert not missing, f"give these rows an Ok(data=..., effect=...): {missing}"


def _named_urls(patterns, ns=None):
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.app_name == "admin":
                continue
            yield from _named_urls(p.url_patterns, p.namespace or ns)
        elif p.name:
            yield f"{ns}:{p.name}" if ns else p.name


def test_every_named_url_is_in_the_matrix():
    covered = {row[0] for row in PAGES + API} | NOT_IN_MATRIX
    missing = sorted(set(_named_urls(get_resolver().url_patterns)) - covered)
    assert not missing, f"add these URLs to the permission matrix: {missing}"


# --------------------------------------------------------------------------- filters pointing at other units
def _filter_rows():
    import importlib
    import pkgutil

    from tests import permission_rows

    rows = []
    for info in pkgutil.iter_modules(permission_rows.__path__):
        rows += getattr(importlib.import_module(f"tests.permission_rows.{info.name}"), "FILTERS", [])
    return rows


MISSING_ID = 2_147_000_000


def _answer(response):
    """What a list tells about its filters: status, the JSON body (API) or, on a page, whether the
    filters were valid and how many rows it listed."""
    if response.get("Content-Type", "").startswith("application/json"):
        return response.status_code, response.json()
    context = response.context or {}
    page = context.get("page_obj")
    return response.status_code, context.get("filters_valid"), page.paginator.count if page is not None else None


@pytest.mark.parametrize("name,obj,param,own,other", [
    pytest.param(*row, id=f"{row[0]}-{row[2]}-{row[4][1]}") for row in _filter_rows()])
def test_filter_out_of_scope_answers_like_missing(client, world, name, obj, param, own, other):
    objects, users, _sessions = world
    _sign_in(client, world, "leader")
    url = reverse(name, kwargs={"pk": objects["own"][obj].pk} if obj else {})
    mine = client.get(url, {param: objects[own[0]][own[1]].pk})
    assert mine.status_code == 200, (url, param, mine.status_code)
    if mine.context and "filters_valid" in mine.context:
        assert mine.context["filters_valid"], (url, param)
    out_of_scope = client.get(url, {param: objects[other[0]][other[1]].pk})
    missing = client.get(url, {param: MISSING_ID})
    assert _answer(out_of_scope) == _answer(missing), (url, param)
    assert out_of_scope.status_code in (200, 302, 400, 404), (url, param, out_of_scope.status_code)
