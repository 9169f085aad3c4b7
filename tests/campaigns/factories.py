"""factory_boy factories of campaigns."""

from datetime import date, time

import factory

from campaigns.models import Event, EventFile, RepairRequest, SpotCheck, SpotCheckFinding
from tests.factories import AgencyFactory, DepartmentFactory


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    agency = factory.SubFactory(AgencyFactory)
    kind = "lecture"
    date = date(2020, 6, 29)
    title = factory.Sequence(lambda n: f"节能知识讲座{n}")
    channels = factory.LazyFunction(lambda: ["meeting"])
    participants = 40


class EventFileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventFile

    event = factory.SubFactory(EventFactory)
    name = "photo.png"


class SpotCheckFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SpotCheck

    agency = factory.SubFactory(AgencyFactory)
    department = factory.SubFactory(DepartmentFactory, agency=factory.SelfAttribute("..agency"))
    date = date(2020, 7, 15)
    time = time(16, 10)
    inspector = "高述刚"


class SpotCheckFindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SpotCheckFinding

    spot_check = factory.SubFactory(SpotCheckFactory)
    item = "lights_empty"


class RepairRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RepairRequest

    agency = factory.SubFactory(AgencyFactory)
    kind = "dripping_tap"
    location = "七楼东侧卫生间"
    problem = "水龙头滴水"
    reported_on = date(2020, 7, 1)
