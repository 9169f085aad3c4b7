"""``seed_demo`` once per test process; later tests that ask for the same demo get its rows copied back.

Seeding the demo is the most expensive thing the suite does: every seeder from January 2019 to
the demo's last month, 30 quarterly notices rendered as PDFs, figures refreshed — about 12 s of
CPU, 30–80 s of wall time on a loaded machine — and a dozen tests start from an empty database
and seed the same demo as of the same day. ``seed_demo(*args)`` runs the real command the first
time a process sees these arguments on a database in this state, then keeps the rows it wrote
(``COPY … TO``, only the tables whose content changed). A later test that asks for the same demo
on a database in the same state gets those rows back (``DELETE`` + ``COPY … FROM``, inside its own
transaction, so a ``db`` test still rolls them back) instead of running the seeders again.

What a test sees is what the command wrote, not an imitation of it:

- **The same starting state is checked, not assumed.** A checksum of every table's content
  before seeding is part of the key. A test that wrote anything first, or a transactional test
  after another one flushed the tables (the data migration's rows are then gone and the content
  types have new ids), seeds for real and keeps its own snapshot.
- **Inside a test's transaction or not** is part of the key too: in a ``db`` test the command's
  ``on_commit`` callbacks never run (the test rolls back); in a transactional test they run when
  the command commits, and the snapshot is taken after them.
- **Only the rows differ by when they were written**: timestamps, password salts; sequences are
  moved past the copied ids, so later inserts never collide.
- Tests of the command itself still run it: idempotency (the second run is real, on the copied
  rows), extending the demo in a later month, refusals (a call the command would refuse runs it).

Under xdist the processes of one run share their copies: a process that seeds for real writes the
copy to a file of the run (``SHARED_DIR``: the run's pytest temporary directory, set by
tests/conftest.py), named by the key, and a process that meets the same key reads it instead of
seeding again. Both processes' databases are migrated alike, so a ``db`` test starts from the same
content in either (the key checks it, as within one process). A lock per key makes the second
process wait for the first one's copy rather than seed the same demo at the same time.

PostgreSQL only (COPY); on SQLite every call is the real command. ``DEMO_SNAPSHOTS=0`` switches
the copies off (every call real), to compare or to rule them out.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import pickle
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone


@dataclass(frozen=True)
class Snapshot:
    rows: dict[str, bytes]  # table -> its whole content after seeding, as COPY text
    stdout: str


_SNAPSHOTS: dict[tuple, Snapshot] = {}
calls = {"seeded": 0, "copied": 0}  # how each call was served in this process (tests/test_demo_snapshot.py)
SHARED_DIR: Path | None = None  # where this run's processes leave their copies (None: kept in memory only)


def enabled() -> bool:
    return connection.vendor == "postgresql" and os.environ.get("DEMO_SNAPSHOTS", "1") != "0"


def seed_demo(*args: str, stdout=None) -> None:
    """``call_command("seed_demo", *args, stdout=stdout)``, from a copy when this run has one."""
    allowed = settings.DEBUG or settings.DEMO_ALLOWED or "--force" in args
    if not (enabled() and allowed):
        call_command("seed_demo", *args, stdout=stdout or StringIO())
        return
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        before = _checksums(cursor, tables)
        state = {**before, **_checksums_without_ids(cursor)}
    key = (_demo_day(args), connection.in_atomic_block, tuple(sorted(state.items())))
    snapshot, seeded = _SNAPSHOTS.get(key), False
    if snapshot is None:
        with _shared(key) as shared:
            snapshot = shared.read()  # another process's copy of the same demo from the same state
            if snapshot is None:
                out = StringIO()
                call_command("seed_demo", *args, stdout=out)
                with connection.cursor() as cursor:
                    after = _checksums(cursor, tables)
                    changed = [table for table in tables if after[table] != before[table]]
                    rows = {table: _copy_out(cursor, table) for table in changed}
                    if set(changed) & _tables_tied_to_ids(cursor):
                        key = None  # not copied anywhere else: its rows hold this database's ids
                snapshot = Snapshot(rows, out.getvalue())
                if key is not None:
                    shared.write(snapshot)
                seeded = True
        if key is not None:
            _SNAPSHOTS[key] = snapshot
    if seeded:
        calls["seeded"] += 1
    else:
        with transaction.atomic(), connection.cursor() as cursor:
            _copy_in(cursor, snapshot.rows)
        calls["copied"] += 1
    if stdout is not None:
        stdout.write(snapshot.stdout)


class _Shared:
    """The run's file for one key: ``read()`` → the copy another process left, or None."""

    def __init__(self, path: Path | None):
        self.path = path

    def read(self) -> Snapshot | None:
        if self.path is None or not self.path.exists():
            return None
        return pickle.loads(self.path.read_bytes())  # nosec B301: written by this run's own processes

    def write(self, snapshot: Snapshot) -> None:
        if self.path is not None:
            partial = self.path.with_suffix(f".{os.getpid()}.partial")
            partial.write_bytes(pickle.dumps(snapshot))
            partial.replace(self.path)


@contextlib.contextmanager
def _shared(key: tuple):
    """The run's file for ``key``, locked for as long as this process reads or makes it."""
    if SHARED_DIR is None:
        yield _Shared(None)
        return
    SHARED_DIR.mkdir(parents=True, exist_ok=True)
    path = SHARED_DIR / hashlib.sha256(repr(key).encode()).hexdigest()
    with path.with_suffix(".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield _Shared(path)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _demo_day(args: tuple[str, ...]) -> str:
    """The day the demo is seeded as of: ``--today`` or today (the only argument that changes what
    it writes; ``--force`` only lets it run)."""
    rest = [arg for arg in args if arg != "--force"]
    if rest[:1] == ["--today"] and len(rest) == 2:
        return rest[1]
    if rest:
        raise ValueError(f"seed_demo(): unexpected arguments {args!r}")
    return timezone.localdate().isoformat()


def _quote(table: str) -> str:
    return connection.ops.quote_name(table)


def _checksums(cursor, tables: list[str]) -> dict[str, str]:
    """Each table's row count and an order-independent digest of its rows, in one query."""
    parts = [
        "SELECT %s, count(*) || ':' || "
        f"coalesce(md5(string_agg(md5(t::text), '' ORDER BY md5(t::text))), '') FROM {_quote(table)} t"
        for table in tables
    ]
    cursor.execute(" UNION ALL ".join(parts), tables)
    return dict(cursor.fetchall())


# Content types and permissions are made again by post_migrate after every flush (the end of each
# transactional test), with new ids: the sequences go on. Nothing the demo writes refers to them, so
# they count in the key by what they are, not by their ids, and a demo seeded after one flush is
# copied after the next. A demo that wrote a row referring to them (none does) is never copied.
_BY_CONTENT = {
    "django_content_type": "SELECT app_label, model FROM django_content_type",
    "auth_permission": "SELECT p.codename, p.name, c.app_label, c.model FROM auth_permission p "
    "JOIN django_content_type c ON c.id = p.content_type_id",
}


def _checksums_without_ids(cursor) -> dict[str, str]:
    digest = "coalesce(md5(string_agg(md5(t::text), '' ORDER BY md5(t::text))), '')"
    parts = [f"SELECT %s, count(*) || ':' || {digest} FROM ({query}) t" for query in _BY_CONTENT.values()]
    cursor.execute(" UNION ALL ".join(parts), list(_BY_CONTENT))
    return dict(cursor.fetchall())


def _tables_tied_to_ids(cursor) -> set[str]:
    """The tables compared by content, and every table with a foreign key to one of them."""
    cursor.execute(
        "SELECT conrelid::regclass::text FROM pg_constraint WHERE contype = 'f' "
        "AND confrelid::regclass::text = ANY(%s)",
        [list(_BY_CONTENT)],
    )
    return set(_BY_CONTENT) | {row[0] for row in cursor.fetchall()}


def _copy_out(cursor, table: str) -> bytes:
    with cursor.cursor.copy(f"COPY {_quote(table)} TO STDOUT") as copy:
        return b"".join(bytes(chunk) for chunk in copy)


def _copy_in(cursor, rows: dict[str, bytes]) -> None:
    """Replace the seeded tables' rows with the snapshot's; foreign keys are checked at commit
    (Django declares them DEFERRABLE INITIALLY DEFERRED), so the order does not matter."""
    for table in rows:
        cursor.execute(f"DELETE FROM {_quote(table)}")
    for table, data in rows.items():
        if data:
            with cursor.cursor.copy(f"COPY {_quote(table)} FROM STDIN") as copy:
                copy.write(data)
    # Move every sequence of these tables past the copied ids (never back: ids are not reused).
    cursor.execute(
        "SELECT table_name, column_name, pg_get_serial_sequence(quote_ident(table_name), column_name) "
        "FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ANY(%s) "
        "AND pg_get_serial_sequence(quote_ident(table_name), column_name) IS NOT NULL",
        [list(rows)],
    )
    for table, column, sequence in cursor.fetchall():
        cursor.execute(
            f"SELECT setval(%s, GREATEST((SELECT max({_quote(column)}) FROM {_quote(table)}), "
            f"(SELECT last_value FROM {sequence}), 1))",
            [sequence],
        )
