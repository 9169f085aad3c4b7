"""Two writers of one meter at the same moment (#10.5): real transactions on PostgreSQL, in threads
with their own connections. The first holds the meter's lock inside its write; the second waits
for it, then is checked against what the first wrote — the later-lower reading is refused, in
either order, whichever path (the round, the reading form's service) each writer takes."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from imports.services import import_commit, import_job_create
from ledger.models import Reading
from ledger.services import RoundEntry, reading_record, round_save
from reporting import writes
from tests.factories import scope_of
from tests.imports.files import xlsx
from tests.ledger.factories import MeterFactory, ReadingFactory

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="row locks between connections: PostgreSQL (CI runs it)",
)
D = Decimal
JAN, FEB, MAR = date(2020, 1, 31), date(2020, 2, 29), date(2020, 3, 31)
PATIENCE = 60  # seconds: a bound on waiting for the other thread, never a measurement


class Writer(threading.Thread):
    """One writer on its own connection; ``hold`` keeps it inside its transaction after its check
    and insert (where it calls ``writes.mark_stale``) until the test releases it."""

    def __init__(self, write, *, hold: bool):
        super().__init__()
        self.write, self.hold = write, hold
        self.inside, self.release = threading.Event(), threading.Event()
        self.error: Exception | None = None
        self.backend_pid: int | None = None

    def run(self):
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                self.backend_pid = cursor.fetchone()[0]
            self.write()
        except Exception as error:  # the test reads it
            self.error = error
        finally:
            connections.close_all()


@pytest.fixture
def holding(monkeypatch):
    """Writers whose ``hold`` is set wait inside their transaction, at ``writes.mark_stale``."""
    mark_stale = writes.mark_stale

    def paused(**kwargs):
        mark_stale(**kwargs)
        thread = threading.current_thread()
        if isinstance(thread, Writer) and thread.hold:
            thread.inside.set()
            assert thread.release.wait(PATIENCE)

    monkeypatch.setattr(writes, "mark_stale", paused)
    monkeypatch.setattr("reporting.figures.stale.figures_refresh_on_commit", lambda **kwargs: None)


def _waits_on_a_lock(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE pid = %s AND NOT granted", [pid])
        return cursor.fetchone()[0] > 0


def race(first, second) -> tuple[Exception | None, Exception | None]:
    """Run ``first`` until it has written (uncommitted), start ``second``, let ``first`` commit
    once ``second`` is waiting for the lock (or has finished: the race the lock must prevent)."""
    one, two = Writer(first, hold=True), Writer(second, hold=False)
    one.start()
    assert one.inside.wait(PATIENCE), one.error
    two.start()
    for _ in range(PATIENCE * 20):
        if not two.is_alive() or (two.backend_pid and _waits_on_a_lock(two.backend_pid)):
            break
        threading.Event().wait(0.05)
    one.release.set()
    one.join(PATIENCE)
    two.join(PATIENCE)
    assert not one.is_alive() and not two.is_alive()
    return one.error, two.error


def _never_down(meter):
    values = list(meter.readings.order_by("date").values_list("value", flat=True))
    return values == sorted(values)


@pytest.fixture
def meter(transactional_db, agency, department):
    meter = MeterFactory(agency=agency, department=department, code="RACE-1")
    ReadingFactory(meter=meter, date=JAN, value=D(100))
    return meter


def _round(user, meter, day, value):
    return lambda: round_save(scope=scope_of(user), entries=[RoundEntry(meter.pk, day, value)])


def _form(user, meter, day, value):
    return lambda: reading_record(scope=scope_of(user), meter=meter, date=day, value=value)


@pytest.fixture
def _import(settings, tmp_path):
    """An import of one reading of the meter, by its agency's manager (the pipeline's path)."""
    settings.IMPORT_STORAGE_DIR = tmp_path / "stored"

    def make(user, meter, day, value):
        path = xlsx(
            tmp_path / f"readings-{day}.xlsx", [["计量表编号", "抄表日期", "读数"], [meter.code, day, value]]
        )

        def run():
            job = import_commit(
                job=import_job_create(
                    agency=meter.agency, kind="readings", upload=path, filename=path.name, by=user
                ),
                by=user,
            )
            if job.status != "done":
                raise ValidationError(job.message)

        return run

    return make


@pytest.mark.parametrize("second_path", [_round, _form], ids=["round", "form"])
def test_a_later_lower_reading_written_while_an_earlier_higher_one_commits_is_refused(
    meter, clerk, manager, holding, second_path
):
    first_error, second_error = race(
        _round(clerk, meter, FEB, D(200)), second_path(manager, meter, MAR, D(150))
    )
    assert first_error is None
    assert isinstance(second_error, ValidationError)
    assert list(meter.readings.order_by("date").values_list("date", "value")) == [(JAN, 100), (FEB, 200)]


@pytest.mark.parametrize("second_path", [_round, _form], ids=["round", "form"])
def test_an_earlier_higher_reading_written_while_a_later_lower_one_commits_is_refused(
    meter, clerk, manager, holding, second_path
):
    first_error, second_error = race(
        _round(clerk, meter, MAR, D(150)), second_path(manager, meter, FEB, D(200))
    )
    assert first_error is None
    assert isinstance(second_error, ValidationError)
    assert list(meter.readings.order_by("date").values_list("date", "value")) == [(JAN, 100), (MAR, 150)]
    assert _never_down(meter)


@pytest.mark.parametrize("order", ["import first", "round first"])
def test_an_import_and_a_round_of_one_meter_queue_and_the_second_is_checked_against_the_first(
    meter, clerk, manager, holding, _import, order
):
    higher_earlier, lower_later = _round(clerk, meter, FEB, D(200)), _import(manager, meter, MAR, D(150))
    if order == "import first":
        higher_earlier, lower_later = _import(manager, meter, FEB, D(200)), _round(clerk, meter, MAR, D(150))
    first_error, second_error = race(higher_earlier, lower_later)
    assert first_error is None
    assert isinstance(second_error, ValidationError)
    assert list(meter.readings.order_by("date").values_list("date", "value")) == [(JAN, 100), (FEB, 200)]


def test_two_consistent_readings_of_one_meter_both_land_one_after_the_other(meter, clerk, manager, holding):
    first_error, second_error = race(_round(clerk, meter, FEB, D(200)), _form(manager, meter, MAR, D(250)))
    assert first_error is None and second_error is None
    assert Reading.objects.filter(meter=meter).count() == 3 and _never_down(meter)


def test_the_parent_lock_is_taken_only_inside_a_transaction(meter):
    from ledger.models import Meter

    with pytest.raises(transaction.TransactionManagementError):
        writes.lock(Meter.objects.filter(pk=meter.pk))
    with writes.serialised(Meter.objects.filter(pk=meter.pk)) as locked:
        assert locked == [meter]
