"""Factories of the ledger."""

from datetime import date
from decimal import Decimal

import factory

from ledger.models import Bill, Meter, Reading
from tests.factories import AgencyFactory


class MeterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meter

    agency = factory.SubFactory(AgencyFactory)
    code = factory.Sequence(lambda n: f"M{n:04d}")
    name = factory.Sequence(lambda n: f"电表{n}")
    kind = "electricity"
    multiplier = Decimal("1")
    share = Decimal("1")
    dial_digits = 6


class ReadingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reading

    meter = factory.SubFactory(MeterFactory)
    date = date(2020, 1, 31)
    value = Decimal("100")


class BillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bill

    meter = factory.SubFactory(MeterFactory)
    period_start = date(2020, 1, 1)
    period_end = date(2020, 1, 31)
    quantity = Decimal("100")
    amount = Decimal("80")
