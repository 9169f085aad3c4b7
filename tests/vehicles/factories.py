"""factory_boy factories of the vehicles ledger."""

from datetime import date, datetime
from decimal import Decimal

import factory
from django.utils import timezone

from tests.factories import AgencyFactory, DepartmentFactory
from vehicles.models import DispatchOrder, FuelLog, SealPeriod, Station, Vehicle


class VehicleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vehicle

    agency = factory.SubFactory(AgencyFactory)
    plate = factory.Sequence(lambda n: f"鲁Q{n % 100000:05d}")
    make_model = "大众帕萨特"
    fuel_type = "92"
    new_energy = False
    tank_capacity = Decimal("70.0")
    standard = Decimal("9.00")
    in_use_from = date(2018, 1, 1)


class ElectricVehicleFactory(VehicleFactory):
    plate = factory.Sequence(lambda n: f"鲁QD{n % 100000:05d}")
    make_model = "比亚迪秦"
    fuel_type = "electric"
    new_energy = True
    tank_capacity = None
    battery_capacity = Decimal("60.0")
    standard = Decimal("15.00")


class StationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Station

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"中石化临沂第{n}加油站")


class FuelLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FuelLog

    vehicle = factory.SubFactory(VehicleFactory)
    date = date(2020, 3, 10)
    grade = "92"
    quantity = Decimal("40.00")
    unit_price = Decimal("6.50")
    amount = Decimal("260.00")
    odometer = factory.Sequence(lambda n: Decimal(10000 + n * 400))
    full = True


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


class DispatchOrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DispatchOrder

    agency = factory.SubFactory(AgencyFactory)
    department = factory.LazyAttribute(lambda o: DepartmentFactory(agency=o.agency))
    number = factory.Sequence(lambda n: f"2020-{n + 1:04d}")
    applicant = "李鑫"
    purpose = "医保基金监督检查"
    destination = "临沂市人民医院"
    passengers = 2
    planned_start = factory.LazyFunction(lambda: _at(date(2020, 3, 10), 9))
    planned_end = factory.LazyFunction(lambda: _at(date(2020, 3, 10), 12))


class SealPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SealPeriod

    agency = factory.SubFactory(AgencyFactory)
    name = "单位封存"
    start = date(2020, 8, 1)
    end = date(2020, 8, 3)
