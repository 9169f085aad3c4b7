"""Each dashboard's query count is constant whatever the number of agencies, months or departments."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agencies.scoping import SESSION_KEY
from reporting import registry
from tests.reporting.dashboard_helpers import dashboard_registry, default_targets, seed_city
from tests.reporting.helpers import app_base_reads

pytestmark = pytest.mark.django_db

# Each count: session, user, memberships, the chosen agency (the city user's scope) + the page's reads.
# Agency: years (AgencyYear), every year's targets (the years offered and the period's), the
# divisors (AgencyYear, once for the targets and the page), the targets' sums (the yearly rollup),
# the monthly series (the rollup again), the department GROUP BY — plus one query per registered
# alert (every app's alerts take one each).
AGENCY_DASHBOARD_BASE_QUERIES = 10
# City: the agencies, years (AgencyYear), years with targets, targets (3), programme goals,
# published disclosures.
CITY_DASHBOARD_QUERIES = 11
# Report: applicable targets, the one fact-table read, AgencyYear, targets (3).
REPORT_QUERIES = 10
DEBUG_QUERIES = False


@pytest.fixture(autouse=True)
def registered():
    with dashboard_registry():
        yield


def _count(client, url, params) -> int:
    client.get(url, params)  # warm caches (ContentTypes, sessions) so both runs count the same
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    if DEBUG_QUERIES:
        print("\n".join(q["sql"][:160] for q in queries.captured_queries))
    return len(queries)


def _as_city_in(client, agency):
    session = client.session
    session[SESSION_KEY] = agency.code
    session.save()
    return client


@pytest.mark.parametrize("agencies", [1, 50])
def test_the_city_dashboard_runs_the_same_queries_for_1_and_50_agencies(agencies, city_user, login):
    default_targets()
    seed_city(agencies, departments=1 if agencies == 1 else 8, years=(2019, 2020))
    count = _count(login(city_user), reverse("reporting:city_dashboard"), {"year": 2020})
    assert count == CITY_DASHBOARD_QUERIES


@pytest.mark.parametrize("agencies", [1, 50])
def test_the_agency_dashboard_runs_the_same_queries_for_1_and_50_agencies(agencies, city_user, login):
    default_targets()
    city = seed_city(agencies, departments=1 if agencies == 1 else 8, years=(2018, 2019, 2020))
    client = _as_city_in(login(city_user), city[-1])
    count = _count(client, reverse("reporting:dashboard"), {"year": 2020})
    # The test's own alert reads nothing; every app's alert takes one query whatever the agencies.
    app_alerts = [a for a in registry.alerts() if not a.key.startswith("test.")]
    # and one query per target base an app registered (AgencyYear's bases share one read)
    # Vehicles' alerts read more than one table each (the sealed-period violations read the
    # vehicles, the sealed periods, the dispatch orders and the fuel logs): two queries above one per
    # alert, the same for 1 and 50 agencies.
    vehicles_extra = 2 if any(a.key.startswith("vehicles.") for a in app_alerts) else 0
    assert count == AGENCY_DASHBOARD_BASE_QUERIES + len(app_alerts) + app_base_reads() + vehicles_extra


@pytest.mark.parametrize("agencies", [1, 50])
def test_the_electricity_report_runs_the_same_queries_for_1_and_50_agencies(agencies, city_user, login):
    default_targets()
    city = seed_city(agencies, departments=1 if agencies == 1 else 8)
    client = _as_city_in(login(city_user), city[-1])
    count = _count(client, reverse("reporting:analysis_report"), {"year": 2020})
    assert count == REPORT_QUERIES
