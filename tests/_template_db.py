"""One migrated template database per run, cloned by every xdist worker.

Migrating a fresh test database takes ~50 s of CPU (Django renders the migration states); with two
workers each migrated its own, after its ~20 s of collection. Now the xdist controller, idle while
the workers collect, migrates one template database in a subprocess of its own, and each worker's
test database is ``CREATE DATABASE … TEMPLATE`` of it (about a second), then serialized for the
``serialized_rollback`` tests as before. Only for PostgreSQL, with workers and a fresh database
(``--create-db``, what scripts/test.sh passes), unless ``PDS_TEST_TEMPLATE=0``; any other run
creates its databases as Django does.
If the template fails, the workers say so and migrate their own.
"""
import os
import subprocess
import sys
import time
from pathlib import Path

ENV = "PDS_TEST_TEMPLATE_DB"  # the template's name, set by the controller for its workers
WAIT_S = 600
_builder: dict = {}


def _marker(name: str, state: str) -> Path:
    return Path(os.environ.get("TMPDIR", "/tmp")) / f"{name}.{state}"


def _wanted(config) -> bool:
    url = os.environ.get("DATABASE_URL", "")
    return (os.environ.get("PDS_TEST_TEMPLATE", "1") != "0" and url.startswith(("postgres://", "postgresql://"))
            and bool(getattr(config.option, "numprocesses", 0))
            and bool(getattr(config.option, "create_db", False)) and not hasattr(config, "workerinput"))


BUILD = """
import django, os, sys
django.setup()
from django.conf import settings
from django.db import connections
c = connections["default"]
settings.DATABASES["default"]["TEST"]["NAME"] = c.settings_dict["TEST"]["NAME"] = sys.argv[1]
c.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
"""


def controller_configure(config) -> None:
    """In the xdist controller: start building the template (workers read its name from the env)."""
    if not _wanted(config):
        return
    from urllib.parse import urlparse

    name = f"test_{urlparse(os.environ['DATABASE_URL']).path.lstrip('/')}_template"
    for state in ("ready", "failed"):
        _marker(name, state).unlink(missing_ok=True)
    os.environ[ENV] = name
    log = open(_marker(name, "log"), "w")  # noqa: SIM115 (closed in controller_unconfigure)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "pingdingshan.settings.test")}
    env.pop(ENV)
    proc = subprocess.Popen([sys.executable, "-c", BUILD, name], cwd=str(Path(__file__).resolve().parent.parent),
                            env=env, stdout=log, stderr=subprocess.STDOUT)
    _builder.update(name=name, proc=proc, log=log)

    import threading

    def watch():
        state = "ready" if proc.wait() == 0 else "failed"
        _marker(name, state).touch()
    threading.Thread(target=watch, daemon=True).start()


def controller_unconfigure(config) -> None:
    if not _builder:
        return
    _builder["proc"].wait()
    _builder["log"].close()
    _drop(_builder["name"])
    for state in ("ready", "failed", "log"):
        _marker(_builder["name"], state).unlink(missing_ok=True)


def _drop(name: str) -> None:
    import psycopg2
    from django.conf import settings

    s = settings.DATABASES["default"]
    conn = psycopg2.connect(dbname="postgres", user=s.get("USER") or None, host=s.get("HOST") or None,
                            port=s.get("PORT") or None, password=s.get("PASSWORD") or None)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
    conn.close()


def worker_configure(config) -> None:
    """In a worker: create the test database as a clone of the controller's template."""
    template = os.environ.get(ENV)
    if not template or not hasattr(config, "workerinput"):
        return
    from django.conf import settings
    from django.db.backends.postgresql.creation import DatabaseCreation

    original = DatabaseCreation.create_test_db

    def create_test_db(self, verbosity=1, autoclobber=False, serialize=True, keepdb=False):
        deadline = time.monotonic() + WAIT_S
        while not _marker(template, "ready").exists():
            if _marker(template, "failed").exists() or time.monotonic() > deadline:
                sys.stderr.write(f"template database {template} failed (see {_marker(template, 'log')}): "
                                 "migrating this worker's own\n")
                return original(self, verbosity, autoclobber, serialize, keepdb)
            time.sleep(0.2)
        name = self._get_test_db_name()
        qn = self.connection.ops.quote_name
        with self._nodb_cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS {qn(name)}")
            for attempt in range(20):  # the other worker's clone may hold the template a moment
                try:
                    cur.execute(f"CREATE DATABASE {qn(name)} TEMPLATE {qn(template)}")
                    break
                except Exception:
                    if attempt == 19:
                        raise
                    time.sleep(0.5)
        self.connection.close()
        settings.DATABASES[self.connection.alias]["NAME"] = name
        self.connection.settings_dict["NAME"] = name
        if serialize:
            self.connection._test_serialized_contents = self.serialize_db_to_string()
        self.connection.ensure_connection()
        return name

    DatabaseCreation.create_test_db = create_test_db
