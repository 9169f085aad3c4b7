"""Factories of reporting: disclosures and targets."""

import factory
from django.utils import timezone

from reporting.models import Disclosure, DisclosureStatus, Target
from reporting.registry import TOTAL
from tests.factories import AgencyFactory


class DisclosureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Disclosure

    agency = factory.SubFactory(AgencyFactory)
    year = 2020
    quarter = 4
    version = 1
    status = DisclosureStatus.DRAFT
    computed_at = factory.LazyFunction(timezone.now)
    data = factory.LazyAttribute(
        lambda d: {"agency": d.agency.name, "quarter": f"{d.year}Q{d.quarter}", "indicators": []}
    )
    published_at = factory.LazyAttribute(
        lambda d: timezone.now() if d.status == DisclosureStatus.PUBLISHED else None
    )


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    agency = factory.SubFactory(AgencyFactory)
    indicator = "electricity"
    year = 2020
    baseline_year = 2019
    reduction_percent = 3
    basis = TOTAL
