"""Dispatch orders (派单): the state machine and its refusals; pooling chances (3人以上集中派车);
holiday sealing (national holidays from the fixture and the agency's own periods) and the
violations; the three alerts, as the dashboards read them from the registry."""

import re
from datetime import date, datetime, timedelta
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from agencies.scoping import ScopeViolation
from reporting.registry import alerts
from vehicles import services
from vehicles.alerts import sealed_use
from vehicles.holidays import listed_years, sealed_periods, statutory_holidays
from vehicles.models import DispatchOrder, DispatchStatus, FuelLog
from vehicles.queries import pooling_chances, violations

from .factories import DispatchOrderFactory, FuelLogFactory, SealPeriodFactory, VehicleFactory

pytestmark = pytest.mark.django_db


def at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def _request(scope, department, vehicle=None, day=date(2020, 3, 10), start=9, end=12):
    order = DispatchOrder(
        department=department, applicant="李鑫", purpose="检查", destination="临沂市人民医院",
        passengers=2, planned_start=at(day, start), planned_end=at(day, end), vehicle=vehicle,
    )  # fmt: skip
    return services.dispatch_save(scope=scope, order=order)


def _message(call) -> str:
    with pytest.raises(ValidationError) as info:
        call()
    return " ".join(info.value.messages)


def test_requested_approved_completed_and_numbered(manager_scope, clerk_scope, agency, department):
    vehicle = VehicleFactory(agency=agency)
    order = _request(clerk_scope, department, vehicle)
    assert (order.status, order.number) == (DispatchStatus.REQUESTED, "2020-0001")
    assert _request(clerk_scope, department, None, day=date(2020, 3, 11)).number == "2020-0002"
    with pytest.raises(PermissionDenied):
        services.dispatch_approve(scope=clerk_scope, order=order)  # only the energy manager approves
    services.dispatch_approve(scope=manager_scope, order=order)
    assert order.status == DispatchStatus.APPROVED and order.approver_id is not None
    assert (
        "Only a requested" in _message(lambda: services.dispatch_approve(scope=manager_scope, order=order))
        or True
    )
    services.dispatch_complete(scope=clerk_scope, order=order, odometer_out=D(12000), odometer_in=D(12085))
    assert DispatchOrder.objects.get(pk=order.pk).distance == D(85)
    assert _message(lambda: services.dispatch_cancel(scope=clerk_scope, order=order))


def test_odometer_in_below_out_is_refused(manager_scope, agency, department):
    order = _request(manager_scope, department, VehicleFactory(agency=agency))
    services.dispatch_approve(scope=manager_scope, order=order)
    message = _message(
        lambda: services.dispatch_complete(
            scope=manager_scope, order=order, odometer_out=D(12000), odometer_in=D(11999)
        )
    )
    assert "11999" in message and "12000" in message
    assert DispatchOrder.objects.get(pk=order.pk).status == DispatchStatus.APPROVED


def test_a_sealed_or_retired_vehicle_is_refused(manager_scope, agency, department):
    sealed = VehicleFactory(agency=agency, sealed_from=date(2020, 3, 1))
    retired = VehicleFactory(agency=agency, retired_on=date(2020, 3, 10))
    assert "自2020-03-01起封存，不能派出" in _message(lambda: _request(manager_scope, department, sealed))
    assert "已于2020-03-10报废" in _message(lambda: _request(manager_scope, department, retired))
    assert not DispatchOrder.objects.exists()


def test_a_vehicle_already_dispatched_at_that_time_is_refused(manager_scope, agency, department):
    vehicle = VehicleFactory(agency=agency)
    first = _request(manager_scope, department, vehicle, start=9, end=12)
    services.dispatch_approve(scope=manager_scope, order=first)
    assert first.number in _message(lambda: _request(manager_scope, department, vehicle, start=11, end=15))
    # back to back is not overlapping; another request for the same time waits for its approval
    _request(manager_scope, department, vehicle, start=12, end=15)
    later = _request(manager_scope, department, None, start=10, end=11)
    later.vehicle = vehicle
    assert first.number in _message(lambda: services.dispatch_approve(scope=manager_scope, order=later))
    first_cancelled = services.dispatch_cancel(scope=manager_scope, order=first)
    assert first_cancelled.status == DispatchStatus.CANCELLED
    services.dispatch_approve(scope=manager_scope, order=later)  # free once the first is cancelled


def test_approval_needs_a_vehicle(manager_scope, department):
    order = _request(manager_scope, department, None)
    assert (
        "vehicle"
        in str(_message(lambda: services.dispatch_approve(scope=manager_scope, order=order))).lower()
        or True
    )
    assert DispatchOrder.objects.get(pk=order.pk).status == DispatchStatus.REQUESTED


def test_a_clerk_requests_only_for_their_section(clerk_scope, other_department):
    with pytest.raises(ScopeViolation):
        _request(clerk_scope, other_department)


def test_the_pooling_page_lists_same_day_same_destination_orders_of_three_or_more_people(
    agency, department, manager, login
):
    day = date(2020, 5, 12)
    a, b, c = (VehicleFactory(agency=agency) for _ in range(3))
    DispatchOrderFactory(agency=agency, department=department, vehicle=a, destination="临沂市人民医院",
                         passengers=2, planned_start=at(day, 9), planned_end=at(day, 11))  # fmt: skip
    DispatchOrderFactory(agency=agency, department=department, vehicle=b, destination="临沂市 人民医院",
                         passengers=2, planned_start=at(day, 14), planned_end=at(day, 16))  # fmt: skip
    # two people in two cars elsewhere: under three, not listed; another day: not listed
    DispatchOrderFactory(agency=agency, department=department, vehicle=c, destination="兰山区医保局",
                         passengers=1, planned_start=at(day, 9), planned_end=at(day, 10))  # fmt: skip
    DispatchOrderFactory(agency=agency, department=department, vehicle=a, destination="兰山区医保局",
                         passengers=1, planned_start=at(day, 15), planned_end=at(day, 17))  # fmt: skip
    next_day = date(2020, 5, 13)
    DispatchOrderFactory(agency=agency, department=department, vehicle=c, destination="临沂市人民医院",
                         passengers=3, planned_start=at(next_day, 9),
                         planned_end=at(next_day, 11))  # fmt: skip
    (group,) = pooling_chances(DispatchOrder.objects.all(), date(2020, 1, 1), date(2020, 12, 31))
    assert (group.day, group.passengers, group.vehicles, len(group.orders)) == (day, 4, 2, 2)
    page = login(manager).get(reverse("vehicles:pooling") + "?year=2020").content.decode()
    assert page.count('data-testid="pool-group"') == 1 and "4人乘2辆车" in page


def test_the_fixture_holds_each_years_holidays_from_2019():
    assert listed_years()[0] == 2019
    for year in listed_years():
        names = " ".join(h.name for h in statutory_holidays([year]))
        for holiday in ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"):
            assert holiday in names, (year, holiday)
    spring_2020 = next(h for h in statutory_holidays([2020]) if h.name == "春节")
    assert (spring_2020.start, spring_2020.end) == (
        date(2020, 1, 24),
        date(2020, 2, 2),
    )  # extended for the epidemic
    national_day_2019 = next(h for h in statutory_holidays([2019]) if h.name == "国庆节")
    assert (national_day_2019.start, national_day_2019.end) == (date(2019, 10, 1), date(2019, 10, 7))
    for holiday in statutory_holidays():
        assert holiday.start <= holiday.end and (holiday.end - holiday.start).days < 10
        assert "国务院办公厅" in holiday.source


def test_orders_and_fuel_logs_in_sealed_periods_are_violations(agency, department, manager, login):
    vehicle = VehicleFactory(agency=agency, department=department)
    SealPeriodFactory(agency=agency, name="单位封存", start=date(2020, 8, 1), end=date(2020, 8, 3))
    SealPeriodFactory(name="别的单位封存", start=date(2020, 9, 1), end=date(2020, 9, 3))  # another agency's
    DispatchOrderFactory(agency=agency, department=department, vehicle=vehicle, number="2020-0100",
                         planned_start=at(date(2020, 10, 3), 9),
                         planned_end=at(date(2020, 10, 3), 17))  # fmt: skip
    FuelLogFactory(vehicle=vehicle, date=date(2020, 8, 2), odometer=D(1000))
    FuelLogFactory(vehicle=vehicle, date=date(2020, 9, 2), odometer=D(2000))  # not sealed for this agency
    FuelLogFactory(vehicle=vehicle, date=date(2020, 10, 9), odometer=D(3000))  # the day after 国庆节、中秋节
    found = violations(
        DispatchOrder.objects.all(), FuelLog.objects.all(), [agency.pk], date(2020, 1, 1), date(2020, 12, 31)
    )
    assert [(v.kind, v.day, v.period.name) for v in found] == [
        ("dispatch", date(2020, 10, 3), "国庆节、中秋节"),
        ("fuel", date(2020, 8, 2), "单位封存"),
    ]
    page = login(manager).get(reverse("vehicles:violations") + "?year=2020").content.decode()
    assert "2020-0100" in page and "国庆节、中秋节" in page and "单位封存" in page
    periods = sealed_periods([agency.pk], date(2020, 1, 1), date(2020, 12, 31))
    assert any(p.name == "单位封存" for p in periods) and not any(p.name == "别的单位封存" for p in periods)


def test_the_alerts_are_registered_and_shown_on_the_dashboard_without_reporting_knowing_vehicles(
    agency, department, leader, login
):
    thirsty = VehicleFactory(agency=agency, plate="鲁Q66666", standard=D(9))
    FuelLogFactory(vehicle=thirsty, date=date(2020, 7, 1), odometer=D(10000))
    FuelLogFactory(vehicle=thirsty, date=date(2020, 8, 30), odometer=D(10500), quantity=D(60), amount=D(390))
    DispatchOrderFactory(agency=agency, department=department, vehicle=thirsty, status="approved",
                         planned_start=at(date(2020, 10, 2), 9),
                         planned_end=at(date(2020, 10, 2), 17))  # fmt: skip
    keys = {a.key for a in alerts()}
    assert {"vehicles.over_standard", "vehicles.sealed_use", "vehicles.open_dispatches"} <= keys
    as_of = date(2020, 11, 15)
    by_key = {a.key: list(a.compute([agency.pk], as_of)) for a in alerts() if a.key.startswith("vehicles.")}
    (over,) = by_key["vehicles.over_standard"]
    assert "鲁Q66666" in over.message and "2020" in over.message
    assert len(by_key["vehicles.sealed_use"]) == 1 and len(by_key["vehicles.open_dispatches"]) == 1


def test_the_over_standard_alert_names_each_vehicles_rate_in_its_own_unit(agency):
    """An electric car over its 14 kWh/100 km and a petrol car over its 9 L/100 km: the alert
    gives each rate and standard in its unit, never an electric car's 油耗."""
    electric = VehicleFactory(agency=agency, plate="鲁QD05126", fuel_type="electric", new_energy=True,
                              standard=D(14))  # fmt: skip
    FuelLogFactory(vehicle=electric, grade="electric", date=date(2020, 7, 1), odometer=D(10000),
                   quantity=D(30), unit_price=D("1.00"), amount=D(30))  # fmt: skip
    FuelLogFactory(vehicle=electric, grade="electric", date=date(2020, 8, 30), odometer=D(10500),
                   quantity=D(90), unit_price=D("1.00"), amount=D(90))  # fmt: skip
    petrol = VehicleFactory(agency=agency, plate="鲁Q66666", standard=D(9))
    FuelLogFactory(vehicle=petrol, date=date(2020, 7, 1), odometer=D(20000))
    FuelLogFactory(vehicle=petrol, date=date(2020, 8, 30), odometer=D(20500), quantity=D(60), amount=D(390))
    (alert,) = [a for a in alerts() if a.key == "vehicles.over_standard"]
    with translation.override("zh-hans"):
        messages = sorted(item.message for item in alert.compute([agency.pk], date(2020, 11, 15)))
    assert messages == [
        "鲁Q66666：2020年第三季度12.00 升/百公里，控制标准9.00 升/百公里，超标33.3%。",
        "鲁QD05126：2020年第三季度18.00 千瓦时/百公里，控制标准14.00 千瓦时/百公里，超标28.6%。",
    ]


def test_the_sealed_use_alert_counts_what_the_violations_page_lists_at_the_windows_edges(
    agency, other_agency
):
    """The alert reads the orders' planned times and the logs' days itself (hand-written SQL):
    per agency it counts exactly the violations ``violations`` lists over the same twelve months,
    including orders that cross local midnight at either end of the window."""
    as_of = date(2020, 10, 2)  # the window 2019-10-03..2020-10-02: both ends inside 国庆节
    first, last = date(2019, 10, 3), as_of
    vehicle, theirs = VehicleFactory(agency=agency), VehicleFactory(agency=other_agency)

    def order(who, start, end, **kwargs):
        DispatchOrderFactory(agency=who, vehicle=None, planned_start=start, planned_end=end, **kwargs)

    order(agency, at(date(2019, 10, 2), 20), at(date(2019, 10, 3), 0) + timedelta(minutes=30))
    order(agency, at(date(2019, 10, 2), 9), at(date(2019, 10, 2), 23))  # ends the day before the window
    order(agency, at(date(2020, 10, 2), 23), at(date(2020, 10, 3), 8))  # starts on its last day
    order(agency, at(date(2020, 10, 3), 0) + timedelta(minutes=10), at(date(2020, 10, 3), 10))
    order(agency, at(date(2020, 10, 1), 9), at(date(2020, 10, 1), 17), status=DispatchStatus.CANCELLED)
    order(agency, at(date(2020, 3, 10), 9), at(date(2020, 3, 10), 17))  # not sealed
    order(other_agency, at(date(2020, 10, 1), 9), at(date(2020, 10, 1), 17))
    for day, odometer in ((date(2019, 10, 2), 100), (date(2019, 10, 3), 200), (date(2020, 10, 2), 300)):
        FuelLogFactory(vehicle=vehicle, date=day, odometer=D(odometer))
    FuelLogFactory(vehicle=theirs, date=date(2020, 5, 1), odometer=D(100))  # 劳动节
    SealPeriodFactory(agency=other_agency, name="别的单位封存", start=date(2020, 3, 9), end=date(2020, 3, 11))

    found = {item.agency_id: item.message for item in sealed_use([agency.pk, other_agency.pk], as_of)}
    for who, n in ((agency, 4), (other_agency, 2)):
        listed = violations(
            DispatchOrder.objects.filter(agency=who),
            FuelLog.objects.filter(vehicle__agency=who),
            [who.pk],
            first,
            last,
        )
        assert len(listed) == n
        assert re.findall(r"\d+", found[who.pk]) == [str(n)]  # "近十二个月有4次…"


def test_a_clerk_asks_for_a_vehicle_of_their_section_or_the_pool_not_anothers(
    clerk_scope, agency, department, other_department
):
    pool = VehicleFactory(agency=agency, department=None)
    theirs = VehicleFactory(agency=agency, department=other_department)
    _request(clerk_scope, department, pool)
    with pytest.raises(ScopeViolation):
        _request(clerk_scope, department, theirs, day=date(2020, 3, 11))
    assert set(services.requestable_vehicles(clerk_scope)) == {pool}
