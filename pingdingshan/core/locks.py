"""One lock for work that must never run twice at once (the nightly ranking, the daily check).

``exclusive(key)`` is a context manager yielding ``True`` when this process holds the lock and
``False`` at once when another holder has it (it never waits):
- PostgreSQL: a session-level advisory lock (``pg_try_advisory_lock``) on the default connection,
  released on exit — and by the server when the connection dies, so a worker killed mid-run
  (``kill -9``) never leaves it held;
- SQLite (the embedded default, everything in one process): a lock per key in this process.
Keys are 64-bit integers; each user of the lock names its own constant.
"""
import threading
from contextlib import contextmanager

from django.db import connection

_LOCAL_LOCKS: dict[int, threading.Lock] = {}
_GUARD = threading.Lock()


def _local(key: int) -> threading.Lock:
    with _GUARD:
        return _LOCAL_LOCKS.setdefault(key, threading.Lock())


@contextmanager
def exclusive(key: int):
    if connection.vendor != "postgresql":
        lock = _local(key)
        got = lock.acquire(blocking=False)
        try:
            yield got
        finally:
            if got:
                lock.release()
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        got = bool(cursor.fetchone()[0])
    try:
        yield got
    finally:
        if got:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])


def held_elsewhere(key: int) -> bool:
    """Does another session hold the lock ``key`` now? (PostgreSQL: ``pg_locks`` of this database —
    advisory locks are per database, like ``pg_try_advisory_lock``; SQLite: this process's lock.)
    For a page that wants to say "a run is under way" without taking the lock."""
    if connection.vendor != "postgresql":
        return _local(key).locked()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted"
            " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            " AND ((classid::bigint << 32) | objid::bigint) = %s AND pid <> pg_backend_pid())", [key])
        return bool(cursor.fetchone()[0])
