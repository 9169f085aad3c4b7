"""Factories of office consumables (rows as the services leave them: stock and value kept)."""

from datetime import date
from decimal import Decimal

import factory

from ledger.consumables.models import Expense, Item, PaperUse, Purchase, Requisition
from tests.factories import AgencyFactory, DepartmentFactory


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Item

    agency = factory.SubFactory(AgencyFactory)
    code = factory.Sequence(lambda n: f"HC{n:04d}")
    name = factory.Sequence(lambda n: f"A4复印纸{n}")
    category = "paper"
    unit = "包"
    reorder_level = Decimal(5)


class PurchaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Purchase

    item = factory.SubFactory(ItemFactory)
    approved_on = date(2020, 3, 1)
    approver = "李鑫"
    date = date(2020, 3, 5)
    quantity = Decimal(10)
    unit_price = Decimal("25.00")
    amount = Decimal("250.00")
    supplier = "临沂市文具商行"


class RequisitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Requisition

    item = factory.SubFactory(ItemFactory)
    department = factory.SubFactory(DepartmentFactory)
    date = date(2020, 3, 10)
    quantity = Decimal(1)
    amount = Decimal("25.00")
    requested_by = "王祥凤"


class PaperUseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PaperUse

    department = factory.SubFactory(DepartmentFactory)
    date = date(2020, 3, 10)
    sheets = 100
    duplex_sheets = 40


class ExpenseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expense

    agency = factory.SubFactory(AgencyFactory)
    department = factory.SubFactory(DepartmentFactory)
    date = date(2020, 3, 31)
    kind = "telephone"
    amount = Decimal("120.00")
