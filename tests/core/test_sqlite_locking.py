"""The embedded SQLite default: a write does not fail with "database is locked" while another
connection writes (WAL, a busy timeout, IMMEDIATE transactions: ``SQLITE_OPTIONS`` in the base
settings). Run in a child process on the demo's settings without DATABASE_URL, two threads (two
connections) writing at once, as a job computing a period while a request saves."""
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = r"""
import json, os, sys, threading, time
import django
django.setup()
from django.conf import settings
from django.db import connection, transaction

options = settings.DATABASES["default"]["OPTIONS"]
if os.environ.get("DROP_IMMEDIATE"):
    options.pop("transaction_mode")
with connection.cursor() as c:
    c.execute("CREATE TABLE t (id integer primary key, n integer)")
    c.execute("PRAGMA journal_mode")
    mode = c.fetchone()[0]
connection.close()
held, read, in_txn = threading.Event(), threading.Event(), threading.Event()
out = {"errors": [], "mode": mode, "engine": settings.DATABASES["default"]["ENGINE"]}

def long_writer():  # the job: one write transaction, held until the request has read and tried to write
    try:
        with transaction.atomic():
            with connection.cursor() as c:
                c.execute("INSERT INTO t (n) VALUES (1)")
            held.set()
            read.wait(10)
            in_txn.wait(2)  # with IMMEDIATE the request waits at BEGIN and never gets here: 2 s
    except Exception as e:
        out["errors"].append("job: " + repr(e))
    finally:
        held.set()
        connection.close()

def request():  # a request that reads (while the job writes), then reads and writes in a transaction
    held.wait(10)
    try:
        t0 = time.monotonic()
        with connection.cursor() as c:
            c.execute("SELECT count(*) FROM t")
            out["read_during_write"] = [c.fetchone()[0], round(time.monotonic() - t0, 3)]
        read.set()
        with transaction.atomic():
            with connection.cursor() as c:
                c.execute("SELECT count(*) FROM t")
                in_txn.set()
                time.sleep(0.2)  # the job commits meanwhile (deferred mode): this snapshot is stale
                c.execute("INSERT INTO t (n) VALUES (2)")
    except Exception as e:
        out["errors"].append("request: " + repr(e))
    finally:
        read.set()
        connection.close()

threads = [threading.Thread(target=long_writer), threading.Thread(target=request)]
for t in threads: t.start()
for t in threads: t.join()
with connection.cursor() as c:
    c.execute("SELECT n FROM t ORDER BY id")
    out["rows"] = [r[0] for r in c.fetchall()]
print(json.dumps(out))
"""


def _run(tmp_path, **extra):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(DJANGO_SETTINGS_MODULE="pingdingshan.settings.local", VAR_DIR=str(tmp_path), DEBUG="false", **extra)
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_write_waits_for_another_writer_instead_of_failing(tmp_path):
    out = _run(tmp_path)
    assert out["engine"] == "django.db.backends.sqlite3" and out["mode"] == "wal"
    assert out["errors"] == []
    assert out["rows"] == [1, 2]  # both writes landed, the second after the first one's commit
    count, seconds = out["read_during_write"]
    assert count == 0 and seconds < 1  # WAL: a reader does not wait for the writer


def test_without_immediate_transactions_the_same_writes_fail(tmp_path):
    """The failure the options prevent (a transaction that read first cannot upgrade its lock)."""
    out = _run(tmp_path, DROP_IMMEDIATE="1")
    assert any("database is locked" in e for e in out["errors"]), out


def test_the_options_are_the_ones_django_applies():
    from pingdingshan.settings.base import SQLITE_OPTIONS

    assert SQLITE_OPTIONS["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in SQLITE_OPTIONS["init_command"]
    assert SQLITE_OPTIONS["timeout"] >= 20
