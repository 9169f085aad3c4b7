"""Writing a commit's checked rows while the rest of the file is still being checked (PostgreSQL).

A commit checks every row, then writes; Python and PostgreSQL would take turns — the database
idles while the file is converted and validated, Python idles while the server inserts the rows
and checks their foreign keys. For a kind that declares ``copy`` (``imports.registry.CopyRows``:
its new records are plain rows of one table), ``copy_stream`` overlaps the two: the pipeline
validates the file a block at a time (``imports.pipeline.BLOCK``) and hands each checked block to
``CopyStream.send``; a second thread writes it with one ``COPY … FROM STDIN`` while the main
thread converts and validates the next block. psycopg 3 releases the GIL while it waits on the
socket, so the server's work (parsing, inserting, index entries, and the foreign-key checks,
set immediate for the stream so that each COPY runs them) proceeds beside the Python work.
The COPY is binary, each value sent as its column's type (read from ``pg_attribute``): the
writer's formatting holds the GIL the validating thread needs, and binary takes about half the
client CPU of text (and less of the server's) — each value must then be of its column's Python
type, which the kind's validated records are.

Design, and why it is safe with Django's per-thread connections:

- **One connection, one transaction, one user at a time.** The writer thread uses the *same*
  psycopg connection as the import (``django.db.connection.connection``, taken on the main
  thread), so its rows are inside the import's transaction and its savepoint. Django's own
  wrapper is never touched from the writer thread (Django's connections are per thread; a
  wrapper used from another thread would be a different connection, outside the transaction).
  While the stream is open, the main thread does not use that connection at all: everything the
  kind's ``validate`` needs was loaded by ``prepare`` before the stream opened, progress goes
  through the import's second connection (``services._write_progress``), and a guard
  (``connection.execute_wrapper``) makes any query through Django's connection on the main
  thread fail loudly instead of waiting on the connection's lock (which the writer holds during
  a COPY) or interleaving with it. The hand-over is a ``queue.SimpleQueue``; the connection goes
  back to the main thread only after the writer thread has been joined.
- **Nothing written survives a failure.** The pipeline opens a savepoint before the stream
  (``services._commit_claimed``). A row error later in the file stops the sending (no block
  after the first error is sent), and the savepoint is rolled back; so is a locked month, a scope
  refusal or a failed write found afterwards. The job's failure is recorded after the rollback.
- **No thread is left behind.** ``copy_stream`` always ends the writer thread before it returns
  or raises: it sends the end marker and joins, whatever happened in the block (an exception,
  a Celery soft time limit). A writer that fails (a COPY error) records the error, drains the
  queue without writing, and ends; ``send`` raises ``StreamWriteError`` at the next block so
  that the checking stops early, and the end of the block raises it too.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

_END = None  # the queue's end marker


class StreamWriteError(Exception):
    """The writer thread's COPY failed; the cause is chained."""


class CopyStream:
    """``send(records, statuses)`` on the main thread; the COPY happens on the writer thread."""

    def __init__(self, kind, state, raw_connection, *, name: str, types: list[int]):
        self.split = kind.copy.split
        self.state = state
        self.others: list = []  # records the kind's own ``write`` gets afterwards (main thread)
        self.sent = 0  # rows handed to the writer
        self.written = 0  # rows whose COPY has finished (set by the writer; read for progress)
        self.error: BaseException | None = None
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._raw = raw_connection
        quote = connection.ops.quote_name
        opts = kind.copy.model._meta
        columns = ", ".join(quote(opts.get_field(name).column) for name in kind.copy.fields)
        self._sql = f"COPY {quote(opts.db_table)} ({columns}) FROM STDIN (FORMAT BINARY)"
        self._types = types  # the columns' type oids: binary COPY takes each value as its type
        self.thread = threading.Thread(target=self._write, name=name, daemon=True)

    def send(self, records: list, statuses: list) -> None:
        """Hand over a checked block: its new rows go to COPY, the other changes wait for ``write``."""
        if self.error is not None:
            raise StreamWriteError(str(self.error)) from self.error
        changed = [record for record, status in zip(records, statuses, strict=True) if status != "unchanged"]
        rows, others = self.split(self.state, changed)
        self.others.extend(others)
        if rows:
            self.sent += len(rows)
            self._queue.put(rows)

    def _write(self) -> None:
        try:
            with self._raw.cursor() as cursor:
                while (rows := self._queue.get()) is not _END:
                    with cursor.copy(self._sql) as copy:
                        copy.set_types(self._types)
                        write_row = copy.write_row
                        for row in rows:
                            write_row(row)
                    self.written += len(rows)
        except BaseException as error:  # kept for the main thread, which raises it
            self.error = error
            while self._queue.get() is not _END:  # nothing more is written; the sender never waits
                pass


def _refuse_query(execute, sql, params, many, context):
    raise RuntimeError(
        "A query on the import's connection while its checked rows are being written on the COPY "
        "thread (imports/stream.py): a kind that declares copy= must load everything it needs in "
        f"prepare. Query: {sql[:200]}"
    )


def _join(thread: threading.Thread) -> None:
    """Wait for the writer to end, even if something (a time limit's signal) interrupts the wait:
    the connection must be the main thread's alone again before anything else runs on it."""
    interrupted = None
    while thread.is_alive():
        try:
            thread.join()
        except BaseException as error:  # raised again once the writer has ended
            interrupted = error
    if interrupted is not None:
        raise interrupted


@contextmanager
def copy_stream(kind, state, *, name: str) -> Iterator[CopyStream]:
    """Open the writer thread for ``kind``'s new rows; yields the ``CopyStream``.

    Must run inside a transaction (the pipeline's savepoint); the writer thread has ended when this
    returns or raises. Raises ``StreamWriteError`` at the end if a COPY failed.
    """
    opts = kind.copy.model._meta
    table = connection.ops.quote_name(opts.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname, atttypid FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 "
            "AND NOT attisdropped",
            [table],
        )
        oids = dict(cursor.fetchall())
        types = [oids[opts.get_field(name).column] for name in kind.copy.fields]
        # Each COPY checks its rows' foreign keys when it ends, on the writer thread, instead of
        # the commit checking them all at the end: the same checks, earlier. Only the table's own
        # deferred foreign keys are switched, and switched back afterwards.
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f' "
            "AND condeferrable AND condeferred ORDER BY conname",
            [table],
        )
        deferred = ", ".join(connection.ops.quote_name(name) for (name,) in cursor.fetchall())
        if deferred:
            cursor.execute(f"SET CONSTRAINTS {deferred} IMMEDIATE")
    stream = CopyStream(kind, state, connection.connection, name=name, types=types)
    stream.thread.start()
    try:
        with connection.execute_wrapper(_refuse_query):
            yield stream
    finally:
        stream._queue.put(_END)
        _join(stream.thread)
    if stream.error is not None:
        raise StreamWriteError(str(stream.error)) from stream.error
    if deferred:
        with connection.cursor() as cursor:
            cursor.execute(f"SET CONSTRAINTS {deferred} DEFERRED")
