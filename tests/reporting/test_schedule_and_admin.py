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


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 20])
def test_a_city_chunk_is_computed_in_the_statements_of_one_agency(indicators_registered, agency, count):
    from reporting.disclosures.services import disclosures_compute
    from tests.factories import AgencyFactory

    ids = [agency.pk] + [AgencyFactory().pk for _ in range(count - 1)]
    for agency_id in ids:
        write_year(type(agency).objects.get(pk=agency_id), "electricity", 2020, ELECTRICITY_2020)
    with CaptureQueriesContext(connection) as first:
        created = disclosures_compute(agency_ids=ids, quarter=Quarter(2020, 4))
    with CaptureQueriesContext(connection) as again:
        replaced = disclosures_compute(agency_ids=ids, quarter=Quarter(2020, 4))
    assert len(created) == len(replaced) == count
    assert {d.pk for d in created.values()} == {d.pk for d in replaced.values()}  # replaced, not duplicated
    assert len(first) == len(again) == 10 + app_base_reads(), [q["sql"][:50] for q in first]


@pytest.mark.django_db
def test_computing_agencies_together_or_one_by_one_gives_the_same_disclosures(
    indicators_registered, agency, manager
):
    """The comparison of #11.6: a chunk of agencies (published, reopened, new, with their own
    targets and stale figures) gives exactly what computing each alone gives."""
    from agencies.models import AgencyYear
    from reporting.disclosures.services import disclosure_publish, disclosure_reopen, disclosures_compute
    from reporting.models import StaleFigure
    from reporting.targets.services import target_save
    from tests.factories import AgencyFactory

    others = [AgencyFactory() for _ in range(3)]
    everyone = [agency, *others]
    for i, a in enumerate(everyone):
        for year, headcount in ((2019, 40 + i), (2020, 42 + i)):
            facts = {"headcount": headcount, "building_area": 1942, "office_area": 1024}
            AgencyYear.objects.update_or_create(agency=a, year=year, defaults=facts)
        write_year(a, "electricity", 2019, [v + 10 * i for v in ELECTRICITY_2019])
        write_year(a, "electricity", 2020, [v - 7 * i for v in ELECTRICITY_2020])
        write_year(a, "water", 2020, [30 + i] * 12)
    target_save(
        scope=Scope.system(None), indicator="electricity", year=2020, baseline_year=2019, reduction_percent=3
    )
    target_save(
        scope=Scope.system(others[0]), indicator="water", year=2020, baseline_year=2019, reduction_percent=2,
        basis="per_capita",
    )  # fmt: skip
    quarter = Quarter(2020, 4)
    # the first agency published, then reopened: its next draft says what it corrects
    disclosure_publish(scope=scope_of(manager), disclosure=disclosure_compute(agency=agency, quarter=quarter))
    disclosure_reopen(scope=scope_of(manager), quarter=quarter, reason="更正")
    # a stale record the computation brings up to date first
    StaleFigure.objects.create(agency=others[1], month=date(2020, 11, 1), indicator="electricity")

    def snapshots(results):
        return {a: {k: v for k, v in d.data.items() if k != "computed_at"} for a, d in results.items()}

    ids = [a.pk for a in everyone]
    together = snapshots(disclosures_compute(agency_ids=ids, quarter=quarter))
    Disclosure.objects.filter(status=DisclosureStatus.DRAFT).delete()
    StaleFigure.objects.create(agency=others[1], month=date(2020, 11, 1), indicator="electricity")
    alone = snapshots({a: disclosure_compute(agency=a, quarter=quarter) for a in ids})
    assert together == alone
    assert together[agency.pk]["corrects_version"] == 1
    water = next(i for i in together[others[0].pk]["indicators"] if i["key"] == "water")
    assert water["target"]["basis"] == "per_capita"
