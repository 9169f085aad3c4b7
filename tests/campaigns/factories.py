"""factory_boy factories of campaigns."""

from datetime import date, time

import factory

from campaigns.models import (
    Creation,
    EvaluationScheme,
    Event,
    EventFile,
    ManagementOffice,
    OrganisationMember,
    RepairRequest,
    SpotCheck,
    SpotCheckFinding,
)
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


class CreationFactory(factory.django.DjangoModelFactory):
    """A creation applied for in time, on the scheme the data migration loaded."""

    class Meta:
        model = Creation

    agency = factory.SubFactory(AgencyFactory)
    year = 2020
    scheme = factory.LazyAttribute(lambda o: EvaluationScheme.for_year(o.year))
    plan_title = "关于深入开展创建节约型机关实施方案"
    applied_on = date(2020, 6, 29)


class OrganisationMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationMember

    agency = factory.SubFactory(AgencyFactory)
    year = 2020
    body = "group"
    position = "member"
    name = factory.Sequence(lambda n: f"示例人员{n}")
    post = "办公室主任"


class ManagementOfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ManagementOffice

    agency = factory.SubFactory(AgencyFactory)
    year = 2020
    duties = "负责编制创建节约型机关实施方案。"


def scored_creation(agency, *, stage="applied", year=2020, points=None):
    """A creation with every item marked (full points unless ``points``; pass/fail items passed)."""
    from campaigns.models import ItemScore

    creation = CreationFactory(agency=agency, year=year)
    for item in creation.scheme.items.all():
        ItemScore.objects.create(
            creation=creation,
            item=item,
            points=None if item.is_pass_fail else (item.points if points is None else points),
            passed=True if item.is_pass_fail else None,
        )
    if stage != "applied":
        creation.stage, creation.assessed_on = stage, date(2021, 1, 15)
        creation.save()
    return creation
