"""Two fuel logs of one vehicle entered at the same moment on PostgreSQL: the second waits for the
vehicle's row lock and is then checked against the first (real connections in threads)."""

import threading
from datetime import date
from decimal import Decimal as D

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections

from agencies.scoping import Scope
from vehicles import services
from vehicles.models import FuelLog

from .factories import FuelLogFactory, VehicleFactory

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="row locks between connections: PostgreSQL (CI runs it)",
)
HOLD = threading.Event()  # the first write waits after its checks, inside its transaction
FIRST_INSIDE = threading.Event()


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
def test_two_logs_at_once_cannot_both_pass_the_odometer_check(monkeypatch, agency):
    HOLD.clear(), FIRST_INSIDE.clear()
    monkeypatch.setattr("reporting.figures.stale.figures_refresh_on_commit", lambda **kwargs: None)
    vehicle = VehicleFactory(agency=agency)
    FuelLogFactory(vehicle=vehicle, date=date(2020, 3, 1), odometer=D(10000))
    original = services.designated_names
    calls = {"n": 0}

    def held(agency_id):  # called after the checks, before the save
        calls["n"] += 1
        if calls["n"] == 1:
            FIRST_INSIDE.set()
            assert HOLD.wait(timeout=30)
        return original(agency_id)

    monkeypatch.setattr(services, "designated_names", held)
    scope = Scope.system(agency)

    def log(day, km):
        def write():
            services.fuel_log_record(
                scope=scope, vehicle=vehicle, date=day, grade="92", quantity=D(40),
                unit_price=D("6.5"), amount=None, odometer=D(km), station="某加油站",
            )  # fmt: skip

        return write

    # Each alone is fine; together the later-dated one reads less than the earlier-dated one.
    first, first_errors = _in_thread(log(date(2020, 3, 10), 11000))
    assert FIRST_INSIDE.wait(timeout=30)
    second, second_errors = _in_thread(log(date(2020, 3, 5), 12000))
    second.join(timeout=1)
    assert second.is_alive(), "the second write did not wait for the vehicle's row lock"
    HOLD.set()
    first.join(timeout=30), second.join(timeout=30)
    assert first_errors == []
    assert len(second_errors) == 1 and isinstance(second_errors[0], ValidationError)
    assert "odometer" in second_errors[0].message_dict
    assert sorted(FuelLog.objects.values_list("odometer", flat=True)) == [D(10000), D(11000)]
