"""A commit writes each checked block while the next is checked (imports/stream.py): the same rows
as writing after the check, nothing written when anything fails, and no thread left behind."""

import datetime as dt
import threading
from dataclasses import replace
from decimal import Decimal

import pytest
from django.db import connection, connections

from imports import stream as stream_module
from imports.registry import CopyRows, register_import_kind, unregister_import_kind
from imports.services import import_commit, import_job_create
from ledger.importers import READINGS_KIND, readings_split
from ledger.models import Meter, Reading
from tests.factories import AgencyFactory
from tests.ledger.factories import MeterFactory, ReadingFactory

from .files import xlsx

D = Decimal
HEADER = ["计量表编号", "抄表日期", "读数", "备注"]

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def postgres_and_small_blocks(settings, tmp_path, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("a commit streams its COPY on PostgreSQL only")
    settings.IMPORT_STORAGE_DIR = tmp_path / "stored"
    monkeypatch.setattr("imports.pipeline.BLOCK", 4)  # the 39-row file is ten blocks
    monkeypatch.setattr("imports.pipeline.PROGRESS_EVERY", 4)


@pytest.fixture
def sends(monkeypatch):
    """The sizes of the blocks handed to the writer thread, in order."""
    sizes = []
    send = stream_module.CopyStream.send

    def counting(self, records, statuses):
        sizes.append(len(records))
        return send(self, records, statuses)

    monkeypatch.setattr(stream_module.CopyStream, "send", counting)
    return sizes


def copy_threads():
    return [thread for thread in threading.enumerate() if thread.name.endswith("-copy")]


@pytest.fixture
def kinds():
    registered = []

    def add(kind):
        register_import_kind(kind)
        registered.append(kind)
        return kind

    yield add
    for kind in registered:
        unregister_import_kind(kind.key)


def ledger_of(agency):
    """Two meters; E-1 has three readings already (one will change, one stays the same)."""
    e1 = MeterFactory(agency=agency, code="E-1")
    MeterFactory(agency=agency, code="E-2")
    for day, value in ((dt.date(2020, 1, 1), 1000), (dt.date(2020, 1, 2), 1010), (dt.date(2020, 1, 3), 1020)):
        ReadingFactory(meter=e1, date=day, value=D(value))


def file_rows(bad_at: int | None = None):
    """E-1: 2 January changed (1011), 3 January the same, then 4–20 January; E-2: 1–20 January."""
    rows = [HEADER, ["E-1", dt.date(2020, 1, 2), 1011, "改"], ["E-1", dt.date(2020, 1, 3), 1020, ""]]
    for code, start, first in (("E-1", 4, 1030), ("E-2", 1, 500)):
        for n, day in enumerate(range(start, 21)):
            rows.append([code, dt.date(2020, 1, day), first + 10 * n, "月中" if day == 15 else ""])
    if bad_at is not None:
        rows[bad_at][2] = -5  # a reading cannot be negative
    return rows


def run(tmp_path, agency, rows, *, kind="readings", language="en", by=None):
    path = xlsx(tmp_path / "readings.xlsx", rows, title="2020年抄表台账", merge_title_over=3)
    job = import_job_create(
        agency=agency, kind=kind, upload=path, filename=path.name, language=language, by=by
    )
    return import_commit(job=job, by=by)


def readings_of(agency):
    return sorted(
        (r.meter.code, r.date, r.value, r.kind, r.event, r.note, r.is_abnormal, r.confirmed_by_id, r.source)
        for r in Reading.objects.filter(meter__agency=agency).select_related("meter")
    )


def test_a_streamed_commit_writes_what_writing_after_the_check_writes(tmp_path, agency, kinds, sends):
    unstreamed = kinds(replace(READINGS_KIND, key="readings_after_check", copy=None))
    streamed_agency = agency
    other = AgencyFactory(code="LYYB2", name="对照局")
    ledger_of(streamed_agency)
    ledger_of(other)

    job = run(tmp_path, streamed_agency, file_rows())
    assert sum(sends) == 39 and len(sends) == 10  # every block went to the writer thread
    sends.clear()
    twin = run(tmp_path, other, file_rows(), kind=unstreamed.key)
    assert sends == []  # the twin wrote after checking, through the kind's write

    assert job.status == twin.status == "done", job.errors
    assert (job.new_count, job.updated_count, job.unchanged_count) == (37, 1, 1)
    assert (twin.new_count, twin.updated_count, twin.unchanged_count) == (37, 1, 1)
    assert job.rows_written == twin.rows_written == 38
    assert job.months == twin.months == ["2020-01-01"]
    assert readings_of(streamed_agency) == readings_of(other)
    assert Reading.objects.filter(meter__agency=streamed_agency, import_job_id=job.pk).count() == 37
    assert (
        Reading.objects.get(meter__code="E-1", meter__agency=streamed_agency, date="2020-01-02").value == 1011
    )
    assert copy_threads() == []


@pytest.mark.parametrize(
    ("language", "column", "message"),
    [("en", "读数", "A reading cannot be negative."), ("zh-hans", "读数", "读数不能为负数。")],
)
def test_a_bad_row_after_blocks_were_written_writes_nothing_and_the_thread_ends(
    tmp_path, agency, sends, language, column, message
):
    ledger_of(agency)
    before = readings_of(agency)
    job = run(tmp_path, agency, file_rows(bad_at=30), language=language)  # the 31st data row
    assert len(sends) >= 6  # blocks before the bad row had gone to the writer thread
    assert job.status == "failed"
    # the title, a blank row and the header, then the data: list row 30 is sheet row 33
    assert [(e["row"], e["column"], e["message"]) for e in job.errors] == [(33, column, message)]
    assert readings_of(agency) == before
    assert job.rows_written == 0
    assert copy_threads() == []


def test_a_copy_failing_on_the_writer_thread_writes_nothing_and_says_so(tmp_path, agency, kinds, sends):
    """The third block's rows point at a meter that does not exist: its COPY fails on the writer
    thread (the foreign key is checked as each COPY ends); checking stops, nothing is written."""
    calls = []

    def split_then_break(state, records):
        rows, others = readings_split(state, records)
        calls.append(len(rows))
        if len(calls) == 3:
            rows = [(10**9, *row[1:]) for row in rows]
        return rows, others

    broken = kinds(
        replace(
            READINGS_KIND, key="readings_broken", copy=replace(READINGS_KIND.copy, split=split_then_break)
        )
    )
    ledger_of(agency)
    before = readings_of(agency)
    job = run(tmp_path, agency, file_rows(), kind=broken.key)
    assert job.status == "failed"
    assert job.message == "Writing failed; nothing was written. The error has been logged."
    assert readings_of(agency) == before
    assert copy_threads() == []
    # the import's connection is usable afterwards: the failure was recorded through it
    assert Meter.objects.filter(agency=agency).count() == 2


def test_a_query_while_rows_are_streamed_fails_loudly_and_writes_nothing(tmp_path, agency, kinds):
    """A kind that declares copy= promises a validate that does not query; one that does is caught
    (the connection is the writer thread's while the stream is open) instead of waiting on it."""

    def validate_and_query(state, values, row):
        if row == 20:
            Meter.objects.count()
        return READINGS_KIND.validate(state, values, row)

    querying = kinds(replace(READINGS_KIND, key="readings_querying", validate=validate_and_query))
    ledger_of(agency)
    before = readings_of(agency)
    job = run(tmp_path, agency, file_rows(), kind=querying.key)
    assert job.status == "failed"
    assert job.message.startswith("Checking the rows failed unexpectedly; nothing was written.")
    assert readings_of(agency) == before
    assert copy_threads() == []


def test_rows_written_advances_while_checking_and_the_rows_stay_invisible(
    transactional_db, tmp_path, agency, kinds
):
    """The polling page sees rows_written move during the check, never past the rows checked,
    while the rows themselves are invisible until the commit."""
    seen = []

    def validate_and_look(state, values, row):
        if row % 4 == 0:
            outside = connections.create_connection("default")
            try:
                with outside.cursor() as cursor:
                    cursor.execute(
                        "SELECT rows_read, rows_written FROM imports_importjob ORDER BY id DESC LIMIT 1"
                    )
                    read, written = cursor.fetchone()
                    cursor.execute("SELECT count(*) FROM ledger_reading WHERE import_job_id IS NOT NULL")
                    seen.append((read, written, cursor.fetchone()[0]))
            finally:
                outside.close()
        return READINGS_KIND.validate(state, values, row)

    looking = kinds(replace(READINGS_KIND, key="readings_looking", validate=validate_and_look))
    ledger_of(agency)
    job = run(tmp_path, agency, file_rows(), kind=looking.key)
    assert job.status == "done", job.errors
    assert len(seen) >= 8
    assert all(written <= read and visible == 0 for read, written, visible in seen)
    assert [written for _r, written, _v in seen] == sorted(written for _r, written, _v in seen)
    assert job.rows_written == 38


def every_record_copied():
    """The readings kind with a split that sends every record to COPY as it is (a row tuple)."""
    return replace(
        READINGS_KIND, copy=CopyRows(Reading, READINGS_KIND.copy.fields, lambda state, records: (records, []))
    )


def reading_row(meter_id):
    """One reading as the COPY takes it, in the order of ``READINGS_KIND.copy.fields``."""
    now = dt.datetime(2020, 2, 1, tzinfo=dt.UTC)
    day = dt.date(2020, 1, 5)
    return (meter_id, day, D(1), "actual", "normal", "", "", False, None, "import", None, None, now)


def test_an_exception_in_the_block_ends_the_writer_thread(agency):
    """copy_stream ends its thread whatever happens inside it (here: an error after a block)."""
    from django.db import transaction

    from imports.stream import copy_stream

    ledger_of(agency)
    meter = Meter.objects.get(agency=agency, code="E-2")
    kind = every_record_copied()
    row = reading_row(meter.pk)
    with (
        pytest.raises(ZeroDivisionError),
        transaction.atomic(),
        copy_stream(kind, None, name="test-copy") as stream,
    ):
        stream.send([row], ["new"])
        1 / 0  # noqa: B018
    assert copy_threads() == []
    assert not Reading.objects.filter(meter=meter).exists()


def test_after_a_failed_copy_the_next_block_is_refused_at_once(agency):
    """The validating thread learns of the writer's failure at its next block and stops there."""
    import time

    from django.db import transaction

    from imports.stream import StreamWriteError, copy_stream

    ledger_of(agency)
    kind = every_record_copied()
    no_meter = reading_row(10**9)  # no such meter: the COPY's foreign key check fails
    with (
        pytest.raises(StreamWriteError),
        transaction.atomic(),
        copy_stream(kind, None, name="test-copy") as stream,
    ):
        stream.send([no_meter], ["new"])
        deadline = time.monotonic() + 30
        while stream.error is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert "foreign key" in str(stream.error)
        stream.send([no_meter], ["new"])  # raises: nothing more is checked or sent
    assert copy_threads() == []
