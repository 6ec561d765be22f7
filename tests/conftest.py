"""Shared fixtures: a small unit tree with two counties, one user per role, and a real Celery worker."""
import contextlib
import os

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import connection, transaction

from cadres.models import UnitKind, UnitLevel
from pingdingshan.core.models import Role

from . import _template_db
from .factories import CadreFactory, PostFactory, UserFactory, make_unit, user_with_role


def pytest_configure(config):
    # one migrated template database per run, cloned by the workers (tests/_template_db.py)
    _template_db.controller_configure(config)
    _template_db.worker_configure(config)


def pytest_unconfigure(config):
    _template_db.controller_unconfigure(config)


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
            # Check the world's deferred foreign keys now, once: left pending, they were checked again
            # at the end of every test (Django's teardown sets the constraints IMMEDIATE inside the
            # test's savepoint, whose rollback leaves them pending again), 10-30 ms a test.
            if connection.features.can_defer_constraint_checks:
                connection.check_constraints()
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


# --------------------------------------------------------------------------- committed tests, cheaply
# A test with ``transaction=True, serialized_rollback=True`` (the Celery worker's, the browser's)
# empties every table after it and restores what the migrations seeded (ranks, task categories,
# content types, permissions, beat's schedule...) before the next. Django does both the general way:
# one TRUNCATE of all ~150 tables (each table and index gets new files: seconds on this machine,
# 25 times a DELETE of the few rows there are) and a restore from JSON, object by object through the
# ORM (~800 saves, seconds again). On PostgreSQL the test database does both in SQL instead: the
# flush deletes the rows (the foreign keys are deferred, so in any order) and the seeded rows are
# copied once, when Django would serialize them, into a schema of their own, to be copied back.
# The tables end up exactly as before; only flushes with sequence resets or CASCADE keep Django's.
SNAPSHOT_SCHEMA = "test_seeded_rows"
SNAPSHOT_MARK = "snapshot:"


def _install_sql_flush_and_restore():
    import json

    from django.db.backends.postgresql.creation import DatabaseCreation
    from django.db.backends.postgresql.operations import DatabaseOperations

    sql_flush, deserialize = DatabaseOperations.sql_flush, DatabaseCreation.deserialize_db_from_string

    def delete_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if not tables or reset_sequences or allow_cascade:
            return sql_flush(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        # one statement (execute_sql_flush runs it in a transaction, so the constraints wait for its end)
        return ["SET CONSTRAINTS ALL DEFERRED; " + " ".join(f"DELETE FROM {self.quote_name(t)};" for t in tables)]

    def snapshot(self):
        """What serialize_db_to_string would have written, copied table by table in SQL."""
        qn = self.connection.ops.quote_name
        tables = sorted(self.connection.introspection.django_table_names(only_existing=True, include_views=False))
        copied = {}
        with self.connection.cursor() as cur:
            cur.execute(f"DROP SCHEMA IF EXISTS {SNAPSHOT_SCHEMA} CASCADE; CREATE SCHEMA {SNAPSHOT_SCHEMA}")
            for table in tables:
                cur.execute(f"SELECT EXISTS (SELECT 1 FROM {qn(table)})")
                if not cur.fetchone()[0]:
                    continue
                cur.execute("SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
                            "AND table_name = %s AND is_generated = 'NEVER' ORDER BY ordinal_position", [table])
                columns = [c for (c,) in cur.fetchall()]
                cur.execute("SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
                            "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = %s::regclass AND i.indisprimary",
                            [qn(table)])
                pk = [c for (c,) in cur.fetchall()]
                cur.execute(f"CREATE TABLE {SNAPSHOT_SCHEMA}.{qn(table)} AS "
                            f"SELECT {', '.join(map(qn, columns))} FROM {qn(table)}")
                copied[table] = (columns, pk)
        return SNAPSHOT_MARK + json.dumps(copied)

    def restore(self, data):
        if not data.startswith(SNAPSHOT_MARK):
            return deserialize(self, data)
        from django.db import transaction as tx

        qn = self.connection.ops.quote_name

        def copy_back(table, columns, pk):
            names = ", ".join(map(qn, columns))
            # a row already there is overwritten, as Django's restore (save(): UPDATE, else INSERT) does
            others = [qn(c) for c in columns if c not in pk]
            upsert = (f" ON CONFLICT ({', '.join(map(qn, pk))}) DO "
                      + (f"UPDATE SET ({', '.join(others)}) = ROW({', '.join('EXCLUDED.' + c for c in others)})"
                         if others else "NOTHING")) if pk else ""
            return f"INSERT INTO {qn(table)} ({names}) SELECT {names} FROM {SNAPSHOT_SCHEMA}.{qn(table)}{upsert};"

        copied = json.loads(data[len(SNAPSHOT_MARK):])
        with tx.atomic(using=self.connection.alias), self.connection.cursor() as cur:
            cur.execute("SET CONSTRAINTS ALL DEFERRED; "
                        + " ".join(copy_back(t, columns, pk) for t, (columns, pk) in copied.items()))

    DatabaseOperations.sql_flush = delete_flush
    DatabaseCreation.serialize_db_to_string = snapshot
    DatabaseCreation.deserialize_db_from_string = restore


_install_sql_flush_and_restore()


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
