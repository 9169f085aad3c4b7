"""A real Celery worker over Redis computes every agency's disclosure from the city fan-out."""

import time

import pytest

from reporting.models import Disclosure, DisclosureStatus
from reporting.tasks import compute_city_disclosures
from tests.factories import AgencyFactory, AgencyYearFactory
from tests.reporting.helpers import ELECTRICITY_2019, ELECTRICITY_2020, fake_indicators, write_year


@pytest.mark.real_worker
def test_a_real_worker_computes_every_agencys_disclosure_from_the_city_fan_out(real_worker):
    with fake_indicators():
        agencies = [AgencyFactory() for _ in range(5)]
        for agency in agencies:
            AgencyYearFactory(agency=agency, year=2020, headcount=40)
            write_year(agency, "electricity", 2019, ELECTRICITY_2019)
            write_year(agency, "electricity", 2020, ELECTRICITY_2020)

        ids = compute_city_disclosures.delay("2020Q4").get(timeout=30)
        assert sorted(ids) == sorted(a.pk for a in agencies)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and Disclosure.objects.count() < len(agencies):
            time.sleep(0.2)

        rows = Disclosure.objects.filter(year=2020, quarter=4)
        assert sorted(rows.values_list("agency_id", flat=True)) == sorted(ids)
        assert set(rows.values_list("status", flat=True)) == {DisclosureStatus.DRAFT}
        for disclosure in rows:
            electricity = next(i for i in disclosure.data["indicators"] if i["key"] == "electricity")
            assert electricity["quarter"] == f"{sum(ELECTRICITY_2020[9:])}.00"

        # Running the fan-out again replaces the drafts: still one per agency.
        compute_city_disclosures.delay("2020Q4").get(timeout=30)
        time.sleep(0.5)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and rows.filter(events__kind="recomputed").distinct().count() < 5:
            time.sleep(0.2)
        assert rows.count() == len(agencies)
        assert rows.filter(events__kind="recomputed").distinct().count() == len(agencies)
