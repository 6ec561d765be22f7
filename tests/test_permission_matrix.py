"""The permission matrix: every page and endpoint, for anonymous, a user with no role, each role,
and (for unit leaders) an object inside their subtree vs one outside it.

A final test walks the URL configuration and fails when a named URL has no row here, so a new
page or endpoint cannot slip in without its permissions being tested.
"""
import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLResolver, get_resolver, reverse

from cadres.models import Appointment, CareerEntry, RankHistory, Training
from pingdingshan.core.models import Role, RoleAssignment
from tests.factories import PostFactory, UserFactory, rank

# 1x1 PNG
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)

# Object kinds that are not inside a unit: a leader has no "other unit" variant of them.
GLOBAL_OBJECTS = (None, "user", "role", "rank", "tag", "category", "notification", "job", "tier", "assess_category",
                  "scheme", "published_scheme", "period", "published_period", "rater_group")
ROLES = ["anonymous", "no_role", "org_staff", "auditor", "leader"]
OK = {200, 201, 204, 302, 400}  # allowed: the page, a redirect after the action, or a form/validation error

# (url name, object kind or None, HTTP method, permission kind)
PAGES = [
    ("home", None, "get", "home"),
    ("core:user_list", None, "get", "manage"),
    ("core:user_create", None, "get", "manage"),
    ("core:user_detail", "user", "get", "manage"),
    ("core:role_assign", "user", "post", "manage"),
    ("core:role_revoke", "role", "post", "manage"),
    ("core:user_toggle_active", "user", "post", "manage"),
    ("core:user_unlock", "user", "post", "manage"),
    ("core:audit_log", None, "get", "audit"),
    ("core:export_log", None, "get", "audit"),
    ("cadres:cadre_list", None, "get", "view"),
    ("cadres:cadre_export", None, "get", "view"),
    ("cadres:cadre_create", None, "get", "create"),
    ("cadres:cadre_detail", "cadre", "get", "view_obj"),
    ("cadres:cadre_edit", "cadre", "get", "write_obj"),
    ("cadres:cadre_delete", "cadre", "post", "org_only_obj"),
    ("cadres:cadre_photo", "cadre", "get", "view_obj"),
    ("cadres:appointment_create", "cadre", "get", "write_obj"),
    ("cadres:appointment_end", "appointment", "get", "write_obj"),
    ("cadres:appointment_delete", "appointment", "post", "write_obj"),
    ("cadres:rank_assign", "cadre", "get", "write_obj"),
    ("cadres:career_create", "cadre", "get", "write_obj"),
    ("cadres:career_edit", "career", "get", "write_obj"),
    ("cadres:career_delete", "career", "post", "write_obj"),
    ("cadres:training_create", "cadre", "get", "write_obj"),
    ("cadres:training_edit", "training", "get", "write_obj"),
    ("cadres:training_delete", "training", "post", "write_obj"),
    ("cadres:unit_tree", None, "get", "view"),
    ("cadres:unit_create", None, "get", "struct"),
    ("cadres:unit_detail", "unit", "get", "view_obj"),
    ("cadres:unit_edit", "unit", "get", "struct_obj"),
    ("cadres:unit_delete", "unit", "post", "struct_obj"),
    ("cadres:post_create", "unit", "get", "struct_obj"),
    ("cadres:post_edit", "post", "get", "struct_obj"),
    ("cadres:post_delete", "post", "post", "struct_obj"),
    ("cadres:rank_quotas", "unit", "get", "struct_obj"),
]
API = [
    ("api-root", None, "get", "api_list"),
    ("api-schema", None, "get", "api_docs"),
    ("api-docs", None, "get", "api_docs"),
    ("api-token", None, "post", "public"),
    ("unit-list", None, "get", "api_list"),
    ("unit-list", None, "post", "api_struct"),
    ("unit-detail", "unit", "get", "api_obj"),
    ("unit-detail", "unit", "patch", "api_struct_obj"),
    ("post-list", None, "get", "api_list"),
    ("post-list", None, "post", "api_struct"),
    ("post-detail", "post", "get", "api_obj"),
    ("post-detail", "post", "delete", "api_struct_obj"),
    ("rank-list", None, "get", "api_list"),
    ("rank-detail", "rank", "get", "api_ref"),
    ("tag-list", None, "get", "api_list"),
    ("tag-detail", "tag", "get", "api_ref"),
    ("cadre-list", None, "get", "api_list"),
    ("cadre-list", None, "post", "api_create"),
    ("cadre-detail", "cadre", "get", "api_obj"),
    ("cadre-detail", "cadre", "patch", "api_write_obj"),
    ("cadre-detail", "cadre", "delete", "api_org_only_obj"),
    ("cadre-assign-rank", "cadre", "post", "api_write_obj"),
    ("appointment-list", None, "get", "api_list"),
    ("appointment-list", None, "post", "api_create"),
    ("appointment-detail", "appointment", "get", "api_obj"),
    ("appointment-detail", "appointment", "patch", "api_write_obj"),
    ("appointment-end", "appointment", "post", "api_write_obj"),
    ("rank-history-list", None, "get", "api_list"),
    ("rank-history-detail", "rank_history", "get", "api_obj"),
    ("career-list", None, "get", "api_list"),
    ("career-list", None, "post", "api_create"),
    ("career-detail", "career", "get", "api_obj"),
    ("career-detail", "career", "delete", "api_write_obj"),
    ("training-list", None, "get", "api_list"),
    ("training-list", None, "post", "api_create"),
    ("training-detail", "training", "get", "api_obj"),
    ("training-detail", "training", "patch", "api_write_obj"),
]
# Further rows live beside the features, in tests/permission_rows/<feature>.py (PAGES and API lists
# of the same shape), so that features add their rows without editing this file.
def _feature_rows():
    import importlib
    import pkgutil

    from tests import permission_rows

    pages, api = [], []
    for info in pkgutil.iter_modules(permission_rows.__path__):
        module = importlib.import_module(f"tests.permission_rows.{info.name}")
        pages += getattr(module, "PAGES", [])
        api += getattr(module, "API", [])
    return pages, api


_extra_pages, _extra_api = _feature_rows()
PAGES += _extra_pages
API += _extra_api

# Named URLs that need no row: Django's own auth and language views, the health probe, admin.
NOT_IN_MATRIX = {"login", "logout", "password_change", "password_change_done", "set_language", "core:health"}


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
    if kind in ("manage", "verify", "verify_obj"):
        return OK if role == "org_staff" else 403
    if kind == "api_verify_obj":
        return OK if role == "org_staff" else 403
    if kind == "audit":
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
    for name, obj, method, kind in PAGES + API:
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
    """The cadre's result in the open period and in the published one."""
    from assessment.models import AssessmentResult

    out = {}
    for key, period in (("result", shared["period"]), ("published_result", shared["published_period"])):
        out[key] = AssessmentResult.objects.create(
            period=period, cadre=cadre, unit=cadre.unit, tier=shared["tier"], category=shared["assess_category"],
            scheme=shared["published_scheme"], composite=85, grade="2", computed_grade="2")
    return out


@pytest.fixture
def world(tree, org_staff, auditor, leader, no_role_user, cadre_a, cadre_b, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    objects = {}
    shared = _assessment_shared(org_staff)
    for variant, cadre, unit in (("own", cadre_a, tree.town_a), ("other", cadre_b, tree.town_b)):
        cadre.photo = SimpleUploadedFile("p.png", PNG, content_type="image/png")
        cadre.save()
        post = PostFactory(unit=unit, name=f"副职{variant}", quota=3)
        objects[variant] = {
            "cadre": cadre,
            "unit": unit,
            "post": post,
            "appointment": Appointment.objects.create(cadre=cadre, post=post, start_date=dt.date(2020, 1, 1)),
            "career": CareerEntry.objects.create(cadre=cadre, start_date=dt.date(2000, 1, 1), description="某镇科员"),
            "training": Training.objects.create(cadre=cadre, title="党校培训", start_date=dt.date(2021, 3, 1)),
            "rank_history": RankHistory.objects.create(cadre=cadre, rank=rank(), start_date=dt.date(2019, 1, 1)),
            "rank": rank(),
            **_archive_objects(cadre, org_staff),
            **shared,
            **_assessment_objects(cadre, shared),
        }
    target = UserFactory(username="target")
    role = RoleAssignment.objects.create(user=target, role=Role.AUDITOR)
    for variant in objects:
        objects[variant]["user"] = target
        objects[variant]["role"] = role
        from cadres.models import Tag

        objects[variant]["tag"] = Tag.objects.get_or_create(name="优秀年轻干部")[0]
    users = {"anonymous": None, "no_role": no_role_user, "org_staff": org_staff, "auditor": auditor, "leader": leader}
    return objects, users


@pytest.mark.parametrize("name,obj,method,kind,role,variant", list(_cases()))
def test_matrix(client, world, name, obj, method, kind, role, variant):
    objects, users = world
    if users[role] is not None:
        client.force_login(users[role])
    kwargs = {"pk": objects[variant][obj].pk} if obj else {}
    url = reverse(name, kwargs=kwargs)
    send = getattr(client, method)
    response = send(url, {}, content_type="application/json") if method in ("patch",) else send(url)
    want = expected(kind, role, variant)
    allowed = want if isinstance(want, set) else {want}
    assert response.status_code in allowed, (url, role, variant, response.status_code)
    if response.status_code == 302:
        to_login = response.url.startswith(reverse("login"))
        assert to_login == (role == "anonymous"), (url, role, response.url)
    if kind in WITHDRAW_KINDS:
        record = objects[variant][obj]
        record.refresh_from_db()
        assert (record.status == "draft") == (role == "org_staff"), (url, role, variant, record.status)
    if response.status_code in (401, 403, 404) and (kind.startswith("api_") or kind == "public") and kind != "api_docs":
        body = response.json()
        assert set(body) == {"message", "errors"}, body


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
