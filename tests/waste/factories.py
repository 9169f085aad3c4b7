"""factory_boy factories of the waste ledger."""

from datetime import date
from decimal import Decimal

import factory

from tests.factories import AgencyFactory
from waste.models import CollectionPoint, HazardousStorage, WasteCollection


class CollectionPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CollectionPoint

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"收集点{n}")
    categories = factory.LazyFunction(lambda: ["recyclable", "other"])


class WasteCollectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WasteCollection

    agency = factory.SubFactory(AgencyFactory)
    date = date(2020, 3, 10)
    category = "other"
    weight = Decimal("12.50")
    company = "临沂市环卫清运公司"


class HazardousCollectionFactory(WasteCollectionFactory):
    category = "hazardous"
    weight = Decimal("3.20")
    company = "山东某危废处置有限公司"
    licence_number = "鲁危证37130001"
    manifest_number = factory.Sequence(lambda n: f"3713{n:08d}")


class HazardousStorageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HazardousStorage

    agency = factory.SubFactory(AgencyFactory)
    stored_on = date(2020, 3, 2)
    kind = "lamps"
    weight = Decimal("1.50")
