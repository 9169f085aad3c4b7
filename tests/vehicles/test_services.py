"""Writes of the vehicles ledger: the rules, the scope, the designated stations, the locks by
indicator, the stale months, the per-vehicle target base and the new-energy share."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from agencies.scoping import ScopeViolation
from reporting import registry, writes
from reporting.figures.locks import lock_indicators
from reporting.figures.read import totals_by_agency
from reporting.models import StaleFigure
from reporting.targets.evaluate import targets_evaluate
from reporting.targets.services import target_save
from tests.factories import DepartmentFactory
from vehicles import services
from vehicles.indicators import (
    FUEL,
    IN_USE,
    LOG_KEYS,
    NEW_ENERGY_SHARE,
    PER_VEHICLE,
    VEHICLE_KEYS,
    vehicles_in_use,
)
from vehicles.models import FuelLog, Vehicle

from .factories import ElectricVehicleFactory, FuelLogFactory, StationFactory, VehicleFactory

pytestmark = pytest.mark.django_db


def _log(scope, vehicle, **changes):
    fields = {
        "date": date(2020, 3, 10),
        "grade": "92",
        "quantity": D("40"),
        "unit_price": D("6.50"),
        "amount": D("260.00"),
        "odometer": D("12000"),
        "full": True,
        "station": "",
    }
    return services.fuel_log_record(scope=scope, vehicle=vehicle, **{**fields, **changes})


def _errors(call) -> dict:
    with pytest.raises(ValidationError) as info:
        call()
    return info.value.message_dict


# --- vehicles ----------------------------------------------------------------------------------


def test_the_manager_registers_a_vehicle_its_plate_normalised_and_once(manager_scope, department):
    vehicle = Vehicle(
        plate="鲁q·88888", make_model="别克GL8", fuel_type="95", tank_capacity=D(65), standard=D("10.5"),
        department=department, in_use_from=date(2019, 1, 1),
    )  # fmt: skip
    services.vehicle_save(scope=manager_scope, vehicle=vehicle)
    assert Vehicle.objects.get().plate == "鲁Q88888"
    twin = Vehicle(plate="鲁Q88888", make_model="x", fuel_type="95", tank_capacity=D(65), standard=D(9),
                   in_use_from=date(2019, 1, 1))  # fmt: skip
    assert "plate" in _errors(lambda: services.vehicle_save(scope=manager_scope, vehicle=twin))
    # registering it marked its months in use stale (refreshed after the commit)
    stale = set(StaleFigure.objects.values_list("indicator", flat=True))
    assert stale == set(VEHICLE_KEYS)


def test_a_clerk_may_not_register_a_vehicle(clerk_scope, department):
    vehicle = Vehicle(plate="鲁Q88888", make_model="x", fuel_type="95", tank_capacity=D(65), standard=D(9),
                      department=department, in_use_from=date(2019, 1, 1))  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.vehicle_save(scope=clerk_scope, vehicle=vehicle)


def test_a_vehicle_cannot_be_sealed_before_its_last_fuel_log(manager_scope, agency):
    vehicle = VehicleFactory(agency=agency)
    FuelLogFactory(vehicle=vehicle, date=date(2020, 5, 1))
    vehicle.sealed_from = date(2020, 5, 1)
    assert "sealed_from" in _errors(lambda: services.vehicle_save(scope=manager_scope, vehicle=vehicle))
    vehicle.sealed_from = date(2020, 5, 2)
    services.vehicle_save(scope=manager_scope, vehicle=vehicle)


# --- fuel logs ----------------------------------------------------------------------------------


def test_the_amount_is_computed_when_left_empty_and_must_match_when_given(manager_scope, agency):
    vehicle = VehicleFactory(agency=agency)
    log = _log(manager_scope, vehicle, amount=None, quantity=D("40.33"), unit_price=D("6.47"))
    assert log.amount == D("260.94")
    assert "amount" in _errors(
        lambda: _log(manager_scope, vehicle, date=date(2020, 3, 20), odometer=D(12500), amount=D(261))
    )


def test_litres_never_exceed_the_tank(manager_scope, agency):
    vehicle = VehicleFactory(agency=agency, tank_capacity=D(50))
    assert "quantity" in _errors(lambda: _log(manager_scope, vehicle, quantity=D("50.5"), amount=D("328.25")))
    assert not FuelLog.objects.exists()


def test_the_odometer_never_goes_backwards_between_earlier_and_later_logs(manager_scope, agency):
    vehicle = VehicleFactory(agency=agency)
    _log(manager_scope, vehicle, date=date(2020, 3, 1), odometer=D(10000))
    _log(manager_scope, vehicle, date=date(2020, 3, 20), odometer=D(11000))
    assert "odometer" in _errors(
        lambda: _log(manager_scope, vehicle, date=date(2020, 3, 10), odometer=D(9999))
    )
    assert "odometer" in _errors(
        lambda: _log(manager_scope, vehicle, date=date(2020, 3, 10), odometer=D(11001))
    )
    middle = _log(manager_scope, vehicle, date=date(2020, 3, 10), odometer=D(10500))
    # a correction of a log is checked against the others, not against itself
    _log(manager_scope, vehicle, date=date(2020, 3, 10), odometer=D(10600), log=middle)
    assert FuelLog.objects.get(pk=middle.pk).odometer == D(10600)


def test_charging_is_logged_in_kwh_for_an_electric_vehicle(manager_scope, agency):
    ev = ElectricVehicleFactory(agency=agency)
    log = _log(manager_scope, ev, grade="electric", quantity=D("45.5"), unit_price=D("1.20"), amount=None)
    assert (log.unit, log.amount) == ("kWh", D("54.60"))
    assert "grade" in _errors(lambda: _log(manager_scope, ev, date=date(2020, 3, 11), odometer=D(12100)))


def test_designated_stations_are_flagged_and_a_station_listed_later_flags_its_logs(manager_scope, agency):
    StationFactory(agency=agency, name="中石化临沂兰山站")
    vehicle = VehicleFactory(agency=agency)
    inside = _log(
        manager_scope, vehicle, date=date(2020, 3, 1), odometer=D(10000), station="中石化临沂兰山站"
    )
    outside = _log(manager_scope, vehicle, date=date(2020, 3, 5), odometer=D(10400), station="某民营加油站")
    assert FuelLog.objects.get(pk=inside.pk).designated and not FuelLog.objects.get(pk=outside.pk).designated
    from vehicles.models import Station

    services.station_save(scope=manager_scope, station=Station(name="某民营加油站"))
    assert FuelLog.objects.get(pk=outside.pk).designated


def test_a_clerk_logs_fuel_only_for_the_vehicles_of_their_section(
    clerk_scope, agency, department, other_department
):
    own = VehicleFactory(agency=agency, department=department)
    other = VehicleFactory(agency=agency, department=other_department)
    _log(clerk_scope, own)
    with pytest.raises(ScopeViolation):
        _log(clerk_scope, other)
    assert list(services.department_vehicles(clerk_scope)) == [own]


def test_another_agency_cannot_log_fuel_for_the_vehicle(outsider_scope, agency):
    with pytest.raises(ScopeViolation):
        _log(outsider_scope, VehicleFactory(agency=agency))


def test_a_write_marks_its_months_and_the_month_of_the_next_full_fill_stale(manager_scope, agency):
    vehicle = VehicleFactory(agency=agency)
    FuelLogFactory(vehicle=vehicle, date=date(2020, 5, 3), odometer=D(14000), full=True)
    StaleFigure.objects.all().delete()
    _log(manager_scope, vehicle, date=date(2020, 3, 10), odometer=D(12000), full=False)
    stale = set(StaleFigure.objects.values_list("month", "indicator"))
    # the partial fill in March is accounted in the span that the full fill of May closes; what is
    # derived from fuel (comprehensive energy and carbon, registry.with_derived) goes stale with it
    keys = registry.with_derived(LOG_KEYS)
    assert stale == {(m, key) for m in (date(2020, 3, 1), date(2020, 5, 1)) for key in keys}


def test_a_published_fuel_month_is_locked_but_another_ledgers_lock_does_not_block_fuel(manager_scope, agency):
    vehicle = VehicleFactory(agency=agency)
    lock_indicators(agency_id=agency.pk, months=[date(2020, 2, 1)], indicators=["electricity"])
    _log(manager_scope, vehicle, date=date(2020, 2, 10))  # accepted: the fuel was not published
    lock_indicators(agency_id=agency.pk, months=[date(2020, 3, 1)], indicators=[FUEL])
    with pytest.raises(ValidationError) as info:
        _log(manager_scope, vehicle, date=date(2020, 3, 10), odometer=D(13000))
    assert "Reopen" in str(info.value) or "重新打开" in str(info.value)


@pytest.mark.postgres
def test_the_vehicle_row_lock_is_taken_by_every_fuel_log_write(
    manager_scope, agency, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite has no row locks: select_for_update() writes no FOR UPDATE (CI runs this on PostgreSQL)"
        )
    vehicle = VehicleFactory(agency=agency)
    with CaptureQueriesContext(connection) as queries:
        _log(manager_scope, vehicle)
    locks = [
        q["sql"]
        for q in queries.captured_queries
        if "FOR UPDATE" in q["sql"] and "vehicles_vehicle" in q["sql"]
    ]
    assert len(locks) == 1


# --- the target base and the ratios ---------------------------------------------------------------


def test_vehicles_in_use_is_the_average_of_the_months_of_the_year(agency):
    VehicleFactory(agency=agency, in_use_from=date(2018, 1, 1))
    VehicleFactory(agency=agency, in_use_from=date(2018, 1, 1), sealed_from=date(2019, 7, 1))  # Jan–Jun 2019
    VehicleFactory(agency=agency, in_use_from=date(2019, 10, 15))  # Oct–Dec 2019
    found = vehicles_in_use([agency.pk], [2019, 2020])
    assert found[(agency.pk, 2019)] == D(12 + 6 + 3) / 12
    assert found[(agency.pk, 2020)] == D(2)


def test_the_seed_target_reads_litres_per_vehicle_in_use(agency):
    from agencies.scoping import Scope

    cars = [VehicleFactory(agency=agency, in_use_from=date(2018, 1, 1)) for _ in range(2)]
    VehicleFactory(agency=agency, in_use_from=date(2018, 1, 1), retired_on=date(2020, 1, 1))  # 3 in 2019
    for year, litres in ((2019, D(300)), (2020, D(190))):
        for month in range(1, 13):
            for i, car in enumerate(cars):
                odometer = D((year - 2019) * 100000 + month * 1000 + i)
                FuelLogFactory(vehicle=car, date=date(year, month, 5), quantity=litres / 2,
                               amount=litres / 2 * D("6.5"), odometer=odometer)  # fmt: skip
    months = [date(y, m, 1) for y in (2019, 2020) for m in range(1, 13)]
    writes.refresh_now(agency_ids=[agency.pk], months=months, indicators=[*LOG_KEYS, *VEHICLE_KEYS])
    target_save(scope=Scope.system(None), indicator=FUEL, year=2020, baseline_year=2019,
                reduction_percent=D(3), basis=PER_VEHICLE)  # fmt: skip
    (result,) = [
        r for r in targets_evaluate(agency_ids=[agency.pk], year=2020, as_of_month=12) if r.indicator == FUEL
    ]
    # 2019: 3 600 L ÷ 3 vehicles = 1 200 L per vehicle; 2020: 2 280 L ÷ 2 = 1 140: −5 %
    assert result.baseline == D(1200) and result.actual == D(1140)
    assert result.change_percent == D("-5.00")
    assert result.status == "met"


def test_the_new_energy_share_is_a_ratio_of_vehicle_months(agency):
    VehicleFactory(agency=agency, in_use_from=date(2018, 1, 1))
    ElectricVehicleFactory(agency=agency, in_use_from=date(2020, 3, 1))  # from March
    q1 = [date(2020, m, 1) for m in (1, 2, 3)]
    writes.refresh_now(agency_ids=[agency.pk], months=q1, indicators=VEHICLE_KEYS)
    assert totals_by_agency(indicator=IN_USE, months=q1, agency_ids=[agency.pk]) == {agency.pk: D(4)}
    assert totals_by_agency(indicator=NEW_ENERGY_SHARE, months=q1, agency_ids=[agency.pk]) == {
        agency.pk: D(25)
    }


def test_department_rows_follow_the_vehicles_department(agency, department):
    vehicle = VehicleFactory(agency=agency, department=department)
    FuelLogFactory(vehicle=vehicle, date=date(2020, 3, 5))
    other = DepartmentFactory(agency=agency)
    FuelLogFactory(vehicle=VehicleFactory(agency=agency, department=other), date=date(2020, 3, 6))
    writes.refresh_now(agency_ids=[agency.pk], months=[date(2020, 3, 1)], indicators=LOG_KEYS)
    from reporting.models import MonthlyFigure

    rows = dict(MonthlyFigure.objects.filter(indicator=FUEL).values_list("department_id", "value"))
    assert rows == {None: D(80), department.pk: D(40), other.pk: D(40)}
