"""Shared fixtures: a small unit tree with two counties, one user per role, and a real Celery worker."""
import contextlib
import os

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import transaction

from cadres.models import UnitKind, UnitLevel
from pingdingshan.core.models import Role

from .factories import CadreFactory, PostFactory, UserFactory, make_unit, user_with_role


def make_tree():
    """city ─┬─ 市委组织部
             ├─ 宝丰县 ── 城关镇
             └─ 叶县   ── 昆阳街道"""
    city = make_unit("平顶山市", level=UnitLevel.CITY, kind=UnitKind.CITY, code="410400")
    dept = make_unit("市委组织部", parent=city, level=UnitLevel.CITY, kind=UnitKind.PARTY_DEPT)
    county_a = make_unit("宝丰县", parent=city, code="410421")
    town_a = make_unit("城关镇", parent=county_a, level=UnitLevel.TOWNSHIP, kind=UnitKind.TOWN)
    county_b = make_unit("叶县", parent=city, code="410422")
    town_b = make_unit("昆阳街道", parent=county_b, level=UnitLevel.TOWNSHIP, kind=UnitKind.SUBDISTRICT)
    for u in (city, county_a, county_b):
        u.refresh_from_db()
    return type("Tree", (), dict(city=city, dept=dept, county_a=county_a, town_a=town_a,
                                 county_b=county_b, town_b=town_b))


def make_people(tree):
    """The users and cadres of the fixtures below, for worlds built once per module."""
    return type("People", (), dict(
        org_staff=user_with_role(Role.ORG_STAFF, username="orgstaff"),
        auditor=user_with_role(Role.AUDITOR, username="auditor"),
        leader=user_with_role(Role.UNIT_LEADER, tree.county_a, username="leader"),
        no_role_user=UserFactory(username="norole"),
        cadre_a=CadreFactory(unit=tree.town_a, name="张三", gender="M"),
        cadre_b=CadreFactory(unit=tree.town_b, name="李四", gender="F"),
    ))


@contextlib.contextmanager
def rolled_back(django_db_blocker, build):
    """A world built once per module: ``build()`` runs in a transaction that the module's tests run
    inside (each test's ``db`` fixture nests a savepoint in it, so what a test changes is undone after
    it), rolled back when the module is done. Yields what ``build()`` returned; tests must read those
    objects' primary keys (or refetch) rather than rely on their cached state. Modules using it must
    not mix in ``transaction=True`` tests (they flush the database) nor the Celery worker."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            value = build()
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    try:
        yield value
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def tree(db):
    """See ``make_tree``."""
    return make_tree()


@pytest.fixture
def org_staff(db):
    return user_with_role(Role.ORG_STAFF, username="orgstaff")


@pytest.fixture
def auditor(db):
    return user_with_role(Role.AUDITOR, username="auditor")


@pytest.fixture
def leader(tree):
    """Unit leader of 宝丰县 (and so of 城关镇 below it)."""
    return user_with_role(Role.UNIT_LEADER, tree.county_a, username="leader")


@pytest.fixture
def no_role_user(db):
    return UserFactory(username="norole")


@pytest.fixture
def cadre_a(tree):
    return CadreFactory(unit=tree.town_a, name="张三", gender="M")


@pytest.fixture
def cadre_b(tree):
    return CadreFactory(unit=tree.town_b, name="李四", gender="F")


@pytest.fixture
def post_a(tree):
    return PostFactory(unit=tree.town_a, name="镇长", is_chief=True, quota=1, level=2, kind="party_gov_chief")


@pytest.fixture
def celery_worker():
    """A real Celery worker (thread) consuming from Redis. Tests using it need committed data:
    mark them ``@pytest.mark.django_db(transaction=True, serialized_rollback=True)`` so the rows
    the migrations seed (ranks, task categories) are restored for each of them. Each xdist worker gets its own queue so
    parallel test processes never take each other's tasks."""
    from pingdingshan.celery import app

    if not os.environ.get("REDIS_URL"):
        pytest.skip("REDIS_URL is not set: Celery tasks run in-process")
    queue = f"test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{os.getpid()}"
    app.conf.task_default_queue = queue
    with start_worker(app, pool="solo", concurrency=1, perform_ping_check=False, queues=[queue],
                      loglevel="WARNING", shutdown_timeout=10) as worker:
        yield worker


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request in English (LocaleMiddleware activates
    it for the thread) must not leak into the next test's direct service calls."""
    from django.utils import translation

    translation.activate("zh-hans")
    yield
    translation.deactivate()


@pytest.fixture
def eager():
    """Background jobs and tasks run in-process (the embedded default's mode: no broker) even when
    REDIS_URL is set for the suite."""
    from pingdingshan.celery import app

    old = app.conf.task_always_eager
    app.conf.CELERY_TASK_ALWAYS_EAGER = True  # the namespaced key (settings' CELERY_ prefix) is the one read
    assert app.conf.task_always_eager is True
    yield
    app.conf.CELERY_TASK_ALWAYS_EAGER = old
