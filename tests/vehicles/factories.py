"""factory_boy factories of the vehicles ledger."""

from datetime import date
from decimal import Decimal

import factory

from tests.factories import AgencyFactory
from vehicles.models import FuelLog, Station, Vehicle


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
