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

PostgreSQL only (COPY); on SQLite every call is the real command. ``DEMO_SNAPSHOTS=0`` switches
the copies off (every call real), to compare or to rule them out.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from io import StringIO

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


def enabled() -> bool:
    return connection.vendor == "postgresql" and os.environ.get("DEMO_SNAPSHOTS", "1") != "0"


def seed_demo(*args: str, stdout=None) -> None:
    """``call_command("seed_demo", *args, stdout=stdout)``, from a copy when this process has one."""
    allowed = settings.DEBUG or settings.DEMO_ALLOWED or "--force" in args
    if not (enabled() and allowed):
        call_command("seed_demo", *args, stdout=stdout or StringIO())
        return
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        before = _checksums(cursor, tables)
    key = (_demo_day(args), connection.in_atomic_block, tuple(sorted(before.items())))
    snapshot = _SNAPSHOTS.get(key)
    if snapshot is None:
        out = StringIO()
        call_command("seed_demo", *args, stdout=out)
        with connection.cursor() as cursor:
            after = _checksums(cursor, tables)
            changed = [table for table in tables if after[table] != before[table]]
            snapshot = Snapshot({table: _copy_out(cursor, table) for table in changed}, out.getvalue())
        _SNAPSHOTS[key] = snapshot
        calls["seeded"] += 1
    else:
        with transaction.atomic(), connection.cursor() as cursor:
            _copy_in(cursor, snapshot.rows)
        calls["copied"] += 1
    if stdout is not None:
        stdout.write(snapshot.stdout)


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
