"""seed_demo sets the seed's 2020 targets and the bureau's disclosures, idempotently."""

from io import StringIO

import pytest
from django.core.management import call_command

from agencies.models import Agency
from reporting.models import Disclosure, DisclosureEvent, DisclosureStatus, Target
from reporting.periods import Quarter
from tests.reporting.helpers import ELECTRICITY_2019, ELECTRICITY_2020, WATER_2019, WATER_2020, write_year

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("indicators_registered")]


def test_the_demo_sets_the_seed_targets_and_publishes_the_bureaus_quarters_up_to_2021q3():
    call_command("seed_demo", "--force", stdout=StringIO())
    bureau = Agency.objects.get(code="LYYB")
    targets = {
        (t.indicator, t.basis, t.baseline_year, str(t.reduction_percent)) for t in Target.objects.all()
    }
    assert targets == {("electricity", "total", 2019, "3.00"), ("water", "per_capita", 2019, "3.00")}

    rows = Disclosure.objects.filter(agency=bureau)
    assert rows.count() == 12
    published = {str(d.period) for d in rows.filter(status=DisclosureStatus.PUBLISHED)}
    assert published == {str(q) for q in _quarters(Quarter(2019, 1), Quarter(2021, 3))}
    assert rows.get(year=2021, quarter=4).status == DisclosureStatus.DRAFT

    events = DisclosureEvent.objects.count()
    call_command("seed_demo", "--force", stdout=StringIO())
    assert Disclosure.objects.filter(agency=bureau).count() == 12
    assert DisclosureEvent.objects.count() == events and Target.objects.count() == 2


def test_the_demo_disclosure_of_2020q4_carries_the_targets_with_the_data(agency):
    for key, old, new in [
        ("electricity", ELECTRICITY_2019, ELECTRICITY_2020),
        ("water", WATER_2019, WATER_2020),
    ]:
        write_year(agency, key, 2019, old)
        write_year(agency, key, 2020, new)
    call_command("seed_demo", "--force", stdout=StringIO())
    q4 = Disclosure.objects.get(agency__code="LYYB", year=2020, quarter=4)
    items = {i["key"]: i for i in q4.data["indicators"]}
    assert items["electricity"]["target"]["status"] == "met"
    assert items["water"]["target"]["status"] == "missed" and items["water"]["target"]["per_capita"]
    assert items["electricity"]["target"]["baseline"] == f"{sum(ELECTRICITY_2019)}.00"


def _quarters(first, last):
    while first <= last:
        yield first
        first = first.next()
