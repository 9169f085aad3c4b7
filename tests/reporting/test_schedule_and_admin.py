"""The beat entry, the scheduled task, the admin refusing published disclosures, lean per-agency compute."""

from datetime import date
from decimal import Decimal
from unittest import mock

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agencies.scoping import Scope
from reporting.disclosures.services import disclosure_compute
from reporting.models import Disclosure, DisclosureStatus
from reporting.periods import Quarter
from reporting.registry import PER_CAPITA
from reporting.tasks import compute_last_quarter_disclosures
from tests.factories import AgencyFactory, UserFactory, scope_of
from tests.reporting.factories import DisclosureFactory
from tests.reporting.helpers import ELECTRICITY_2019, ELECTRICITY_2020, app_base_reads, write_year


def test_celery_beat_computes_drafts_a_few_days_after_each_quarter():
    entry = settings.CELERY_BEAT_SCHEDULE["compute-last-quarter-disclosures"]
    assert entry["task"] == "reporting.tasks.compute_last_quarter_disclosures"
    schedule = entry["schedule"]
    assert schedule.month_of_year == {1, 4, 7, 10} and schedule.day_of_month == {5}


@pytest.mark.django_db
def test_the_scheduled_task_computes_the_quarter_that_just_ended(indicators_registered):
    agencies = [AgencyFactory(), AgencyFactory()]
    with mock.patch("reporting.tasks.timezone.localdate", return_value=date(2021, 1, 5)):
        assert compute_last_quarter_disclosures.delay().get() == "2020Q4"
    assert sorted(
        Disclosure.objects.filter(year=2020, quarter=4).values_list("agency_id", flat=True)
    ) == sorted(a.pk for a in agencies)


@pytest.mark.django_db
def test_the_admin_shows_a_published_disclosure_read_only_and_refuses_to_change_or_delete_it(client):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    published = DisclosureFactory(status=DisclosureStatus.PUBLISHED)
    draft = DisclosureFactory(quarter=3)
    url = f"/admin/reporting/disclosure/{published.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200 and 'name="correction"' not in page.content.decode()
    client.post(url, {"correction": "tampered"})
    published.refresh_from_db()
    assert published.correction == ""
    assert (
        client.post(f"/admin/reporting/disclosure/{published.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    assert Disclosure.objects.filter(pk=published.pk).exists()
    assert (
        'name="correction"' in client.get(f"/admin/reporting/disclosure/{draft.pk}/change/").content.decode()
    )


@pytest.mark.django_db
@pytest.mark.parametrize("years", [1, 3])
def test_one_agencys_compute_takes_the_same_statements_whatever_the_data(
    indicators_registered, agency, years
):
    for year in range(2020 - years, 2020):
        write_year(agency, "electricity", year, ELECTRICITY_2019)
    write_year(agency, "electricity", 2020, ELECTRICITY_2020)
    with CaptureQueriesContext(connection) as first:
        disclosure_compute(agency=agency, quarter=Quarter(2020, 4))
    with CaptureQueriesContext(connection) as again:
        disclosure_compute(agency=agency, quarter=Quarter(2020, 4))
    # savepoint; the agency lock with its name, the quarter's versions, the targets, the stale
    # records of the snapshot's years (none: no refresh), the figures' sums, the target bases'
    # divisors (AgencyYear); the draft and its event; release — one path on every database
    assert len(first) == len(again), [q["sql"][:50] for q in first]
    assert len(first) == 10 + app_base_reads(), [q["sql"][:50] for q in first]


@pytest.mark.django_db
def test_the_task_computes_from_the_agency_id_alone_and_returns_what_it_stored(
    indicators_registered, agency, manager
):
    from reporting.disclosures.services import disclosure_publish
    from reporting.models import DisclosureEvent, DisclosureEventKind
    from reporting.tasks import compute_disclosure

    write_year(agency, "electricity", 2020, ELECTRICITY_2020)
    with CaptureQueriesContext(connection) as queries:
        pk = compute_disclosure.run(agency.pk, "2020Q4")
    assert len(queries) == 10 + app_base_reads()  # as above, no separate read of the agency
    stored = Disclosure.objects.get(pk=pk)
    assert (stored.version, stored.status, stored.data["agency"]) == (1, DisclosureStatus.DRAFT, agency.name)
    returned = disclosure_compute(agency=agency.pk, quarter=Quarter(2020, 4))
    assert returned.pk == pk and returned.data == Disclosure.objects.get(pk=pk).data
    assert list(
        DisclosureEvent.objects.filter(disclosure_id=pk).order_by("pk").values_list("kind", "version")
    ) == [
        (DisclosureEventKind.COMPUTED, 1),
        (DisclosureEventKind.RECOMPUTED, 1),
    ]
    published = disclosure_publish(scope=scope_of(manager), disclosure=returned)
    again = disclosure_compute(agency=agency, quarter=Quarter(2020, 4))  # a published quarter: untouched
    assert (again.pk, again.status, again.published_at) == (
        pk,
        DisclosureStatus.PUBLISHED,
        published.published_at,
    )
    with pytest.raises(type(agency).DoesNotExist):
        compute_disclosure.run(agency.pk + 10_000, "2020Q4")


@pytest.mark.django_db
@pytest.mark.parametrize("quarter", [Quarter(2020, 3), Quarter(2020, 4)])
def test_one_agencys_compute_gives_the_same_snapshot_as_the_city_wide_reader(
    indicators_registered, agency, other_agency, quarter
):
    from agencies.models import AgencyYear
    from reporting.disclosures.snapshot import disclosure_snapshots
    from reporting.targets.services import target_save

    AgencyYear.objects.get_or_create(
        agency=agency,
        year=2018,
        defaults={"headcount": 44, "building_area": Decimal("3100.5"), "office_area": Decimal("900")},
    )
    for year, values in [(2018, ELECTRICITY_2019), (2019, ELECTRICITY_2019), (2020, ELECTRICITY_2020[:11])]:
        write_year(agency, "electricity", year, values)
        write_year(agency, "water", year, [v / 100 for v in values])
        write_year(other_agency, "electricity", year, values)
    target_save(
        scope=Scope.system(None), indicator="electricity", year=2020, baseline_year=2019, reduction_percent=3
    )
    target_save(  # an own target with another baseline year: its year is read too
        scope=Scope.system(agency), indicator="water", year=2020, baseline_year=2018,
        reduction_percent=Decimal("2.5"),
        basis=PER_CAPITA,
    )  # fmt: skip
    computed = disclosure_compute(agency=agency, quarter=quarter).data
    expected = disclosure_snapshots(agency_ids=[agency.pk, other_agency.pk], quarter=quarter)[agency.pk]
    computed.pop("computed_at"), expected.pop("computed_at")
    assert computed == expected
    water = next(i for i in computed["indicators"] if i["key"] == "water")
    assert water["baseline_year"] == 2018 and water["target"]["percent"] == "2.50"
