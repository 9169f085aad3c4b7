"""The vehicles ledger's rules at their edges: plates, vehicles, fuel logs, months in use."""

from datetime import date, datetime, timedelta
from decimal import Decimal as D

import pytest

from vehicles.rules import (
    POOL_PASSENGERS,
    VehicleFacts,
    destination_key,
    dispatch_check,
    dispatch_vehicle_check,
    expected_amount,
    fuel_log_check,
    in_use_in,
    is_new_energy_plate,
    month_end,
    odometer_pair_check,
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


# --- every message in Chinese at its threshold (mutation testing: docs/testing.md) --------------

ORDINARY = "车牌号格式不对：应为省份简称、一个字母及五位字母或数字，如鲁Q12345。"


def test_a_wrong_plate_is_told_in_chinese_by_its_length():
    assert plate_check("鲁Q1234") == {"plate": ORDINARY}
    assert plate_check("鲁Q123456789") == {"plate": ORDINARY}
    assert plate_check("鲁QA12345") == {
        "plate": "新能源号牌为省份简称、一个字母，再加D或F及五位字符，如鲁QD12345。"
    }
    assert is_new_energy_plate("鲁QD12345") is True and is_new_energy_plate("鲁Q12345") is False


def test_every_separator_people_type_inside_a_plate_is_dropped():
    assert plate_normalise("鲁 Q\t·1•2.3-45") == "鲁Q12345"
    assert plate_normalise("鲁qd12345") == "鲁QD12345"
    assert plate_normalise(None) == ""


def test_vehicle_messages():
    assert _vehicle(fuel_type="lpg", tank_capacity=None, standard=None) == {"fuel_type": "请选择车辆燃料。"}
    assert _vehicle(fuel_type="electric", plate="鲁QD12345", tank_capacity=None, battery_capacity=D(50)) == {
        "new_energy": "纯电动车属于新能源汽车。",
        "plate": "8位号牌为新能源号牌：请勾选“新能源汽车”或核对车牌号。",
    }
    assert _vehicle(fuel_type="diesel", plate="鲁QD12345", new_energy=True) == {
        "new_energy": "只有纯电动或插电式混合动力车属于新能源汽车。"
    }
    assert _vehicle(fuel_type="hybrid", new_energy=True, battery_capacity=D(12)) == {
        "plate": "新能源汽车为8位绿色号牌（如鲁QD12345），其他车辆为7位。"
    }
    assert _vehicle(plate="鲁QD12345") == {"plate": "8位号牌为新能源号牌：请勾选“新能源汽车”或核对车牌号。"}
    # a wrong plate is told once, as a wrong plate, whatever the new-energy tick says
    assert _vehicle(plate="鲁Q1234", new_energy=True, fuel_type="hybrid", battery_capacity=D(12)) == {
        "plate": ORDINARY
    }
    assert _vehicle(tank_capacity=None) == {"tank_capacity": "请填写油箱容积（升）。"}
    assert _vehicle(tank_capacity=D(0)) == {"tank_capacity": "请填写油箱容积（升）。"}
    assert _vehicle(tank_capacity=D("0.1")) == {}
    hybrid = {"fuel_type": "hybrid", "plate": "鲁QD12345", "new_energy": True}
    assert _vehicle(**hybrid, battery_capacity=D(12)) == {}
    assert _vehicle(**hybrid, battery_capacity=D(0)) == {"battery_capacity": "请填写电池容量（千瓦时）。"}
    assert _vehicle(**hybrid, battery_capacity=None, tank_capacity=None) == {
        "tank_capacity": "请填写油箱容积（升）。",
        "battery_capacity": "请填写电池容量（千瓦时）。",
    }
    electric = {"fuel_type": "electric", "plate": "鲁QD12345", "new_energy": True, "tank_capacity": None}
    assert _vehicle(**electric, battery_capacity=None) == {"battery_capacity": "请填写电池容量（千瓦时）。"}
    assert _vehicle(**electric, battery_capacity=D("0.1")) == {}
    standard = "请填写该车百公里耗油控制标准（大于0）。"
    for wrong in (None, D("NaN"), D("Infinity"), D(0), D(-1)):
        assert _vehicle(standard=wrong) == {"standard": standard}, wrong
    assert _vehicle(standard=D("0.01")) == {}
    assert _vehicle(standard=D("60.01")) == {"standard": "百公里超过60：请核对控制标准。"}
    assert _vehicle(sealed_from=date(2018, 12, 31)) == {"sealed_from": "封存日期不能早于启用日期。"}
    assert _vehicle(retired_on=date(2018, 12, 31)) == {"retired_on": "报废日期不能早于启用日期。"}
    assert _vehicle(sealed_from=date(2019, 1, 1), retired_on=date(2019, 1, 1)) == {}
    assert _vehicle(in_use_from=None, sealed_from=date(2018, 1, 1), retired_on=date(2018, 1, 1)) == {}


def test_a_month_in_use_is_any_month_given_by_any_of_its_days():
    assert month_end(date(2020, 2, 10)) == date(2020, 2, 29) and month_end(date(2021, 2, 1)) == date(
        2021, 2, 28
    )
    mid_march = date(2020, 3, 15)
    assert in_use_in(mid_march, in_use_from=date(2020, 3, 31), stopped_on=None)
    assert in_use_in(mid_march, in_use_from=date(2019, 1, 1), stopped_on=date(2020, 3, 2))
    assert not in_use_in(mid_march, in_use_from=date(2019, 1, 1), stopped_on=date(2020, 3, 1))


def test_the_expected_amount_is_rounded_half_up_to_the_fen():
    assert expected_amount(D("2.5"), D("0.01")) == D("0.03")
    assert expected_amount(D("40"), D("6.50")) == D("260.00")


def test_fuel_log_messages():
    assert _log(day=TODAY) == {}
    assert _log(day=date(2021, 7, 1)) == {"date": "日期不能是未来的日期。"}
    assert _log(day=date(2018, 12, 31)) == {"date": "鲁Q12345于2019-01-01启用，记录日期早于启用日期。"}
    old = VehicleFacts("鲁Q12345", "92", D(60), None, date(1998, 1, 1))
    assert _log(old, day=date(1999, 12, 31)) == {"date": "鲁Q12345于1998-01-01启用，记录日期早于启用日期。"}
    assert _log(old, day=date(2000, 1, 1)) == {}
    retired = VehicleFacts("鲁Q12345", "92", D(60), None, date(2019, 1, 1), retired_on=date(2020, 5, 10))
    assert _log(retired) == {"date": "鲁Q12345已于2020-05-10报废。"}
    assert _log(retired, day=date(2020, 5, 9)) == {}
    sealed = VehicleFacts(
        "鲁Q12345",
        "92",
        D(60),
        None,
        date(2019, 1, 1),
        sealed_from=date(2020, 5, 10),
        retired_on=date(2020, 6, 1),
    )
    assert _log(sealed) == {"date": "鲁Q12345自2020-05-10起封存，封存车辆不得加油。"}
    assert _log(sealed, day=date(2020, 6, 1)) == {"date": "鲁Q12345已于2020-06-01报废。"}
    # a wrong grade is told alone: the quantity, price and amount of a wrong fuel are not judged
    assert _log(grade="diesel", quantity=D(0), unit_price=D(0)) == {
        "grade": "鲁Q12345只能加注92#汽油、95#汽油。"
    }
    assert _log(EV, grade="92") == {"grade": "鲁QD12345只能加注电（充电）。"}
    unknown = VehicleFacts("鲁Q12345", "lpg", D(60), None, date(2019, 1, 1))
    assert _log(unknown).keys() == {"grade"}  # a fuel no grade suits (never saved: vehicle_check)
    for wrong in (D(0), D(-1), D("NaN")):
        assert _log(quantity=wrong) == {"quantity": "数量必须大于0。"}, wrong
    assert _log(quantity=D("60.01"), amount=D("390.07")) == {"quantity": "60.01升超过油箱容积（60升）。"}
    charge = {"grade": "electric", "unit_price": D("1.2")}
    assert _log(EV, quantity=D(51), amount=D("61.2"), **charge) == {
        "quantity": "51千瓦时超过电池容量（50千瓦时）。"
    }
    # no tank or battery capacity known: any quantity
    bare = VehicleFacts("鲁Q12345", "hybrid", None, None, date(2019, 1, 1))
    assert _log(bare, quantity=D(500), amount=D(3250)) == {}
    assert _log(bare, quantity=D(500), amount=D(600), **charge) == {}
    # a hybrid's charge is held against its battery, its petrol against its tank
    hybrid = VehicleFacts("鲁QD12345", "hybrid", D(40), D(12), date(2019, 1, 1))
    assert _log(hybrid, quantity=D(13), amount=D("15.6"), **charge) == {
        "quantity": "13千瓦时超过电池容量（12千瓦时）。"
    }
    assert _log(hybrid, quantity=D(12), amount=D("14.4"), **charge) == {}
    assert _log(hybrid, quantity=D(40), amount=D(260)) == {}
    assert _log(hybrid, quantity=D(41), amount=D("266.5")) == {"quantity": "41升超过油箱容积（40升）。"}
    price = "单价必须大于0且不超过50元。"
    for wrong in (D(0), D(-1), D("50.01"), D("NaN")):
        assert _log(unit_price=wrong) == {"unit_price": price}, wrong
    assert _log(quantity=D(1), unit_price=D(50), amount=D(50)) == {}
    assert _log(EV, grade="electric", quantity=D(10), unit_price=D("0.55"), amount=D("5.50")) == {}
    assert _log(amount=D("260.51")) == {"amount": "金额与数量×单价（260.00元）相差超过0.5元。"}
    assert _log(amount=D("NaN")) == {"amount": "金额与数量×单价（260.00元）相差超过0.5元。"}
    assert _log(odometer=D(0)) == {}
    for wrong in (D(-1), D("NaN")):
        assert _log(odometer=wrong) == {"odometer": "里程表读数不能为负数。"}, wrong
    assert _log(before=D("12000.1")) == {"odometer": "里程表读数不能倒退：鲁Q12345此前的记录为12000.1公里。"}
    assert _log(after=D("11999.9")) == {"odometer": "里程表读数不能倒退：鲁Q12345此后的记录为11999.9公里。"}


def test_destinations_are_compared_without_spaces_and_punctuation():
    assert destination_key(" 市政府（东门）, 会议室；a-b—c:d：e.f。g、h;i ") == "市政府东门会议室ABCDEFGHI"
    assert destination_key("(x)") == "X" and destination_key(None) == ""
    assert POOL_PASSENGERS == 3


def test_dispatch_messages():
    start = datetime(2020, 5, 10, 9)
    assert dispatch_check(planned_start=start, planned_end=start + timedelta(minutes=1), passengers=1) == {}
    assert dispatch_check(planned_start=start, planned_end=start, passengers=60) == {
        "planned_end": "返回时间必须晚于出车时间。"
    }
    assert dispatch_check(planned_start=None, planned_end=start, passengers=1) == {}
    assert dispatch_check(planned_start=start, planned_end=None, passengers=1) == {}
    for wrong in (None, 0):
        assert dispatch_check(planned_start=None, planned_end=None, passengers=wrong) == {
            "passengers": "乘车人数至少为1人。"
        }
    assert dispatch_check(planned_start=None, planned_end=None, passengers=61) == {
        "passengers": "乘车人数超过60人：请核对。"
    }


def test_a_vehicle_is_refused_for_a_dispatch_by_its_dates_then_by_its_orders():
    car = VehicleFacts(
        "鲁Q12345",
        "92",
        D(60),
        None,
        date(2019, 1, 1),
        sealed_from=date(2020, 6, 1),
        retired_on=date(2020, 6, 1),
    )
    busy = [("PC-7", datetime(2020, 5, 10, 8), datetime(2020, 5, 10, 12)), ("PC-8", None, None)]

    def check(first, last, busy=()):
        return dispatch_vehicle_check(vehicle=car, first=first, last=last, busy=list(busy))

    assert check(date(2020, 5, 31), date(2020, 6, 1)) == {"vehicle": "鲁Q12345已于2020-06-01报废。"}
    assert check(date(2020, 5, 30), date(2020, 5, 31)) == {}
    sealed = VehicleFacts("鲁Q12345", "92", D(60), None, date(2019, 1, 1), sealed_from=date(2020, 6, 1))
    assert dispatch_vehicle_check(vehicle=sealed, first=date(2020, 6, 1), last=date(2020, 6, 1), busy=[]) == {
        "vehicle": "鲁Q12345自2020-06-01起封存，不能派出。"
    }
    assert (
        dispatch_vehicle_check(vehicle=sealed, first=date(2020, 5, 31), last=date(2020, 5, 31), busy=[]) == {}
    )
    assert check(date(2018, 12, 31), date(2019, 1, 1)) == {"vehicle": "鲁Q12345于2019-01-01启用。"}
    assert check(date(2019, 1, 1), date(2019, 1, 1)) == {}
    assert check(date(2020, 5, 10), date(2020, 5, 10), busy) == {
        "vehicle": "鲁Q12345在该时段已派出（派车单PC-7，2020-05-10 08:00—2020-05-10 12:00）。"
    }


def test_odometer_out_and_in():
    out_missing, in_missing = "请填写出车时的里程表读数。", "请填写回场时的里程表读数。"
    assert odometer_pair_check(D(100), D(100)) == {} and odometer_pair_check(D(0), D(0)) == {}
    for wrong in (None, D(-1), D("NaN")):
        assert odometer_pair_check(wrong, D(100)) == {"odometer_out": out_missing}, wrong
        assert odometer_pair_check(D(100), wrong) == {"odometer_in": in_missing}, wrong
    assert odometer_pair_check(None, None) == {"odometer_out": out_missing, "odometer_in": in_missing}
    assert odometer_pair_check(D(100), D("99.9")) == {
        "odometer_in": "回场里程（99.9公里）小于出车里程（100公里）。"
    }
