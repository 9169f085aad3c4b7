"""The vehicles ledger's rules at their edges: plates, vehicles, fuel logs, months in use."""

from datetime import date
from decimal import Decimal as D

import pytest

from vehicles.rules import (
    VehicleFacts,
    fuel_log_check,
    in_use_in,
    plate_check,
    plate_normalise,
    vehicle_check,
)

TODAY = date(2021, 6, 30)
CAR = VehicleFacts("鲁Q12345", "92", D("60"), None, date(2019, 1, 1))
EV = VehicleFacts("鲁QD12345", "electric", None, D("50"), date(2019, 1, 1))


@pytest.mark.parametrize("plate", ["鲁Q12345", "鲁QA1B2C", "京A0000Z", "鲁QD12345", "鲁QFA1234", "鲁Q12345D"])
def test_valid_plates(plate):
    assert plate_check(plate) == {}


@pytest.mark.parametrize(
    "plate",
    [
        "鲁Q1234",
        "鲁Q123456",
        "Q12345",
        "鲁I12345",
        "鲁QO2345",
        "XQ12345",
        "鲁QA12345",
        "鲁QD1234A",
        "鲁QF1A234",
        "鲁Q12345X",
    ],
)
def test_invalid_plates(plate):
    assert "plate" in plate_check(plate)


def test_plates_are_normalised_as_people_type_them():
    assert plate_normalise(" 鲁q·12345 ") == "鲁Q12345"
    assert plate_normalise("鲁Q-D1234 5") == "鲁QD12345"


def _vehicle(**changes):
    fields = {
        "plate": "鲁Q12345",
        "fuel_type": "92",
        "new_energy": False,
        "tank_capacity": D(60),
        "battery_capacity": None,
        "standard": D(9),
        "in_use_from": date(2019, 1, 1),
        "sealed_from": None,
        "retired_on": None,
    }
    return vehicle_check(**{**fields, **changes})


def test_vehicle_rules():
    assert _vehicle() == {}
    assert "new_energy" in _vehicle(
        fuel_type="electric", plate="鲁QD12345", tank_capacity=None, battery_capacity=D(50)
    )
    assert (
        _vehicle(
            fuel_type="electric",
            plate="鲁QD12345",
            new_energy=True,
            tank_capacity=None,
            battery_capacity=D(50),
        )
        == {}
    )
    assert "plate" in _vehicle(plate="鲁QD12345")  # a green plate on a petrol car
    assert "plate" in _vehicle(fuel_type="hybrid", new_energy=True, battery_capacity=D(12))  # 7 characters
    assert "new_energy" in _vehicle(plate="鲁QD12345", new_energy=True)  # a petrol car is not new-energy
    assert "tank_capacity" in _vehicle(tank_capacity=None)
    assert "standard" in _vehicle(standard=D(0)) and "standard" in _vehicle(standard=D(61))
    assert _vehicle(standard=D(60)) == {}
    assert "sealed_from" in _vehicle(sealed_from=date(2018, 12, 31))
    assert "retired_on" in _vehicle(retired_on=date(2018, 12, 31))


def test_a_vehicle_is_in_use_in_a_month_when_in_use_on_one_day_of_it():
    march = date(2020, 3, 1)
    assert in_use_in(march, in_use_from=date(2020, 3, 31), stopped_on=None)
    assert not in_use_in(march, in_use_from=date(2020, 4, 1), stopped_on=None)
    assert in_use_in(march, in_use_from=date(2019, 1, 1), stopped_on=date(2020, 3, 2))
    assert not in_use_in(march, in_use_from=date(2019, 1, 1), stopped_on=date(2020, 3, 1))


def _log(vehicle=CAR, **changes):
    fields = {
        "day": date(2020, 5, 10),
        "grade": "92",
        "quantity": D("40"),
        "unit_price": D("6.50"),
        "amount": D("260.00"),
        "odometer": D("12000"),
        "today": TODAY,
    }
    return fuel_log_check(vehicle=vehicle, **{**fields, **changes})


def test_the_amount_matches_quantity_times_price_within_half_a_yuan():
    assert _log(amount=D("260.50")) == {} and _log(amount=D("259.50")) == {}
    assert "amount" in _log(amount=D("260.51")) and "amount" in _log(amount=D("259.49"))


def test_litres_never_exceed_the_tank_and_kwh_never_the_battery():
    assert _log(quantity=D(60), amount=D(390)) == {}
    assert "quantity" in _log(quantity=D("60.01"), amount=D("390.07"))
    assert _log(EV, grade="electric", quantity=D(50), unit_price=D("1.2"), amount=D(60)) == {}
    assert "quantity" in _log(EV, grade="electric", quantity=D(51), unit_price=D("1.2"), amount=D("61.2"))


def test_the_grade_must_suit_the_vehicle():
    assert _log(grade="95") == {}
    assert "grade" in _log(grade="diesel")
    assert "grade" in _log(grade="electric")
    assert "grade" in _log(EV, grade="92")


def test_the_odometer_never_goes_backwards():
    assert _log(before=D(12000), after=D(12000)) == {}
    assert "odometer" in _log(before=D("12000.1"))
    assert "odometer" in _log(after=D("11999.9"))
    assert "odometer" in _log(odometer=D(-1))


def test_dates_in_the_vehicles_life():
    assert "date" in _log(day=date(2021, 7, 1))  # the future
    assert "date" in _log(day=date(2018, 12, 31))  # before it came into use
    sealed = VehicleFacts("鲁Q12345", "92", D(60), None, date(2019, 1, 1), sealed_from=date(2020, 5, 10))
    assert "date" in _log(sealed) and _log(sealed, day=date(2020, 5, 9)) == {}
    retired = VehicleFacts("鲁Q12345", "92", D(60), None, date(2019, 1, 1), retired_on=date(2020, 5, 10))
    assert "date" in _log(retired)
