"""Two refreshes of one agency on PostgreSQL run one after the other; a write is never blocked by
either (real connections in threads, committed data)."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection, connections, transaction

from reporting import registry, writes
from reporting.figures.refresh import figures_refresh
from reporting.models import MonthlyFigure, StaleFigure
from reporting.registry import Figure, Indicator
from tests.factories import AgencyFactory

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="row locks between connections: PostgreSQL (CI runs it)",
)
MONTH = date(2020, 1, 1)
EVENTS: list[str] = []
HOLD = threading.Event()  # the first refresh waits inside its compute until the test lets it go
FIRST_INSIDE = threading.Event()
VALUE = {"next": Decimal(1)}


def _slow(agency_ids, months):
    value = VALUE["next"]
    VALUE["next"] += 1
    EVENTS.append(f"start {value}")
    if value == 1:
        FIRST_INSIDE.set()
        assert HOLD.wait(timeout=30)
    EVENTS.append(f"end {value}")
    return [Figure(a, None, m, value) for a in agency_ids for m in months]


@pytest.fixture
def slow_indicator(monkeypatch):
    # the refresh a write queues after its commit is left out here: the test runs the refreshes
    monkeypatch.setattr("reporting.figures.stale.figures_refresh_on_commit", lambda **kwargs: None)
    EVENTS.clear(), HOLD.clear(), FIRST_INSIDE.clear()
    VALUE["next"] = Decimal(1)
    registry.register_indicator(Indicator(key="test.slow", name="Slow", unit="x", compute=_slow))
    yield
    registry.unregister_indicator("test.slow")


def _in_thread(target):
    errors = []

    def run():
        try:
            target()
        except Exception as error:  # reported by the test
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, errors


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_refreshes_of_one_agency_run_one_after_the_other(slow_indicator):
    agency = AgencyFactory()

    def refresh():
        figures_refresh(agency_ids=[agency.pk], months=[MONTH], indicator_keys=["test.slow"])

    first, first_errors = _in_thread(refresh)
    assert FIRST_INSIDE.wait(timeout=30)
    second, second_errors = _in_thread(refresh)
    # The second waits on the agency row: it has not started computing while the first holds it.
    second.join(timeout=1)
    assert second.is_alive() and EVENTS == ["start 1"]

    # Meanwhile a write of the agency is not blocked (its stale record takes FOR KEY SHARE only).
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '5s'")
        writes.mark_stale(agency_id=agency.pk, months=[MONTH], indicators=["test.slow"])

    HOLD.set()
    first.join(timeout=30)
    second.join(timeout=30)
    assert not first_errors and not second_errors
    assert EVENTS == ["start 1", "end 1", "start 2", "end 2"]
    # The last refresh wins; it ran after the write committed, so its stale record is cleared too.
    assert MonthlyFigure.objects.get(agency=agency, indicator="test.slow", month=MONTH).value == 2
    assert not StaleFigure.objects.filter(agency=agency).exists()


@pytest.mark.django_db(transaction=True)
def test_a_write_during_a_refresh_keeps_its_stale_record_for_the_next_refresh(slow_indicator):
    agency = AgencyFactory()
    first, errors = _in_thread(
        lambda: figures_refresh(agency_ids=[agency.pk], months=[MONTH], indicator_keys=["test.slow"])
    )
    assert FIRST_INSIDE.wait(timeout=30)
    with transaction.atomic():  # commits while the refresh computes: it read the stale records before
        writes.mark_stale(agency_id=agency.pk, months=[MONTH], indicators=["test.slow"])
    HOLD.set()
    first.join(timeout=30)
    assert not errors
    assert StaleFigure.objects.filter(agency=agency, indicator="test.slow").count() == 1
