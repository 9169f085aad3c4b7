"""factory_boy factories for the tenancy root; apps add theirs in tests/<app>/factories.py."""

from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from agencies.models import Agency, AgencyYear, Department, Membership, Role


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"AG{n:03d}")
    name = factory.Sequence(lambda n: f"测试局{n}")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"科室{n}")


class AgencyYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgencyYear

    agency = factory.SubFactory(AgencyFactory)
    year = 2020
    headcount = 45
    building_area = Decimal("1942.42")
    office_area = Decimal("1024.00")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pw-for-tests-1")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = Role.MANAGER
    department = None


def scope_of(user, agency=None):
    """The scope ``user`` writes with in ``agency`` (default: their first agency), as a view has it."""
    from agencies.scoping import user_scope

    if agency is None:
        agency = Membership.objects.filter(user=user).order_by("agency__code").first().agency
    return user_scope(user, agency)
