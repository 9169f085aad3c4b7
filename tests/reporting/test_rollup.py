"""The yearly rollup (YearlyFigure) is what the monthly agency totals add up to, after any write.

Random writes through the real services — meter readings, a readings import, waste collections
recorded and deleted, a quarter published and reopened — each followed by the refresh they ask
for; after every step the rollup is compared row for row with the monthly figures, and every
reader's sums (``figure_sums``: ratio indicators included) with the same sums computed by a
GROUP BY over the monthly rows, for random periods, and the months the agency dashboard reads
from the rollup (``rollup_values``) with the monthly rows'. The city overview reads the rollup only.
"""

import random
from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.db import connection
from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from agencies.models import Membership, Role
from agencies.scoping import Scope
from imports.services import import_commit, import_job_create
from ledger.services import reading_record
from reporting.disclosures.services import disclosure_compute, disclosure_publish, disclosure_reopen
from reporting.figures.read import _ratio_entry, figure_sums, monthly_values, rollup_values
from reporting.figures.rollup import rollup_differences, rollup_rebuild, rollup_reconcile
from reporting.models import MonthlyFigure, YearlyFigure
from reporting.periods import Quarter
from reporting.registry import get_indicator, indicators, summed_keys
from reporting.targets.evaluate import targets_evaluate
from reporting.targets.services import target_save
from reporting.tasks import reconcile_figures
from tests.factories import AgencyFactory, AgencyYearFactory, UserFactory, scope_of
from tests.imports.files import xlsx
from tests.ledger.factories import MeterFactory
from tests.reporting.dashboard_helpers import dashboard_registry, default_targets, seed_city
from tests.reporting.helpers import fake_indicators, write_year
from tests.reporting.test_dashboard_queries import CITY_DASHBOARD_QUERIES as CITY_QUERIES
from waste import services as waste

pytestmark = pytest.mark.django_db
YEARS = (2019, 2020)


def monthly_sums(*, agency_ids, keys, years, through, quarter_from=None):
    """The reference: ``figure_sums`` as a GROUP BY over the monthly agency totals (what it was
    before the rollup), ratio entries from their parts the same way."""
    wanted = [get_indicator(k) for k in keys]
    to_date = Q(month__month__lte=through)
    sums = {
        "ytd": Sum("value", filter=to_date),
        "ytd_months": Count("id", filter=to_date),
        "full": Sum("value"),
        "full_months": Count("id"),
    }
    if quarter_from is not None:
        in_quarter = to_date & Q(month__month__gte=quarter_from)
        sums.update(q=Sum("value", filter=in_quarter), q_months=Count("id", filter=in_quarter))
    rows = (
        MonthlyFigure.objects.filter(
            department=None, agency_id__in=agency_ids, indicator__in=summed_keys(keys), month__year__in=years
        )
        .annotate(y=ExtractYear("month"))
        .values("agency_id", "indicator", "y")
        .annotate(**sums)
        .order_by()
    )
    result = {(r["agency_id"], r["indicator"], r["y"]): r for r in rows}
    for indicator in wanted:
        if indicator.is_ratio:
            numerator, denominator = indicator.parts
            for agency_id, _key, y in [k for k in result if k[1] in (numerator, denominator)]:
                if (agency_id, indicator.key, y) not in result:
                    result[(agency_id, indicator.key, y)] = _ratio_entry(
                        indicator,
                        result.get((agency_id, numerator, y), {}),
                        result.get((agency_id, denominator, y), {}),
                    )
    return result


def assert_rollup_matches(agency_ids, rng):
    assert rollup_differences() == set()
    keys = [i.key for i in indicators()]
    assert any(get_indicator(k).is_ratio for k in keys)  # the waste share at least
    for _ in range(4):
        through = rng.randint(1, 12)
        quarter_from = rng.choice([None, ((through - 1) // 3) * 3 + 1, 1])
        args = {"agency_ids": agency_ids, "keys": keys, "years": YEARS, "through": through}
        expected = monthly_sums(**args, quarter_from=quarter_from)
        got = figure_sums(**args, quarter_from=quarter_from)
        assert got.keys() == expected.keys()
        for key, entry in expected.items():
            fields = [f for f in ("ytd", "ytd_months", "full", "full_months", "q", "q_months") if f in entry]
            assert {f: got[key].get(f) for f in fields} == {f: entry[f] for f in fields}, (key, through)
    # the agency dashboard's monthly series: every month of the rollup, ratios divided per month
    months = [date(y, m, 1) for y in YEARS for m in range(1, 13)]
    expected_months = monthly_values(agency_ids=agency_ids, keys=keys, months=months)
    assert rollup_values(agency_ids=agency_ids, keys=keys, years=YEARS) == expected_months


def _read(meter, day, value):
    with translation.override("zh-hans"):
        reading_record(
            scope=Scope.system(meter.agency), meter=meter, date=day, value=D(value), confirm_abnormal=True
        )


@pytest.fixture
def city(settings, tmp_path):
    settings.IMPORT_STORAGE_DIR = tmp_path / "stored"
    agencies = [AgencyFactory(code=f"LYRL{i}") for i in range(3)]
    for agency in agencies:
        for year in YEARS:
            AgencyYearFactory(agency=agency, year=year)
    return agencies


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_after_random_writes_the_rollup_is_what_the_monthly_figures_add_up_to(
    city, seed, tmp_path, django_capture_on_commit_callbacks
):
    rng = random.Random(seed)
    ids = [a.pk for a in city]
    meters = {a.pk: MeterFactory(agency=a, code="E-1") for a in city}
    last = {a.pk: (date(2018, 12, 31), 1000) for a in city}  # each meter's latest reading
    manager = UserFactory()
    for agency in city:
        Membership.objects.create(user=manager, agency=agency, role=Role.MANAGER)
    collections = []
    published = []
    for step in range(14):
        agency = rng.choice(city)
        action = rng.choice(["reading", "reading", "import", "collection", "delete", "publish"])
        with django_capture_on_commit_callbacks(execute=True):
            if action == "reading":
                day, value = last[agency.pk]
                days = rng.randint(20, 75)
                day, value = day + timedelta(days=days), value + days * rng.randint(9, 11)
                if day.year in YEARS:
                    _read(meters[agency.pk], day, value)
                    last[agency.pk] = (day, value)
            elif action == "import":
                day, value = last[agency.pk]
                rows = [["计量表编号", "抄表日期", "读数", "备注"]]
                for _ in range(rng.randint(1, 4)):
                    days = rng.randint(25, 40)
                    day, value = day + timedelta(days=days), value + days * rng.randint(9, 11)
                    if day.year in YEARS:
                        rows.append(["E-1", f"{day:%Y年%-m月%-d日}", value, ""])
                        last[agency.pk] = (day, value)
                if len(rows) > 1:
                    path = xlsx(tmp_path / f"r{step}.xlsx", rows, title="抄表台账", merge_title_over=3)
                    job = import_job_create(
                        agency=agency,
                        kind="readings",
                        upload=path,
                        filename=path.name,
                        by=None,
                        language="en",
                    )
                    assert import_commit(job=job, by=None).status == "done"
            elif action == "collection":
                collections.append(
                    waste.collection_record(
                        scope=Scope.system(agency),
                        date=date(rng.choice(YEARS), rng.randint(1, 12), rng.randint(1, 28)),
                        category=rng.choice(["recyclable", "kitchen", "other"]),
                        weight=D(rng.randint(1, 4000)) / 4,
                        company="临沂市环卫清运公司",
                    )
                )
            elif action == "delete" and collections:
                collection = collections.pop(rng.randrange(len(collections)))
                waste.collection_delete(scope=Scope.system(collection.agency), collection=collection)
            elif action == "publish":
                quarter = Quarter(2020, rng.randint(1, 4))
                if (agency.pk, quarter) in published:  # reopen it, so later writes may touch it
                    disclosure_reopen(scope=scope_of(manager, agency), quarter=quarter, reason="更正")
                    published.remove((agency.pk, quarter))
                else:
                    draft = disclosure_compute(agency=agency, quarter=quarter)
                    disclosure_publish(scope=scope_of(manager, agency), disclosure=draft)
                    published.append((agency.pk, quarter))
        assert_rollup_matches(ids, rng)
    assert YearlyFigure.objects.exists()


def test_the_rebuild_and_the_nightly_reconcile_repair_a_rollup_a_writer_bypassed(city):
    agency = city[0]
    MonthlyFigure.objects.bulk_create(
        [
            MonthlyFigure(agency=agency, indicator="waste.total", month=date(2020, m, 1), value=D(m))
            for m in (1, 2)
        ]
    )
    assert rollup_differences() == {(agency.pk, "waste.total", 2020)}
    assert rollup_reconcile() == 1 and rollup_differences() == set()
    row = YearlyFigure.objects.get(agency=agency, indicator="waste.total", year=2020)
    assert row.month_values() == [D(1), D(2)] + [None] * 10
    MonthlyFigure.objects.filter(agency=agency, month=date(2020, 2, 1)).delete()
    reconcile_figures.run()  # the nightly task covers the rollup
    assert YearlyFigure.objects.get(pk__gt=0, agency=agency).month_values()[:2] == [D(1), None]
    MonthlyFigure.objects.filter(agency=agency).delete()
    assert rollup_rebuild(agency_ids=[agency.pk]) == 0 and not YearlyFigure.objects.exists()


def test_a_target_over_a_year_reads_the_rollup_not_the_monthly_rows(city):
    with fake_indicators():
        target_save(
            scope=Scope.system(None),
            indicator="electricity",
            year=2020,
            baseline_year=2019,
            reduction_percent=3,
        )
        for agency in city:
            write_year(agency, "electricity", 2019, [100] * 12)
            write_year(agency, "electricity", 2020, [90] * 11)
        with CaptureQueriesContext(connection) as queries:
            results = targets_evaluate(agency_ids=[a.pk for a in city], year=2020, as_of_month=11)
        assert {r.status for r in results} == {"met"} and {r.actual for r in results} == {D(990)}
        sql = " ".join(q["sql"] for q in queries.captured_queries)
        assert "reporting_yearlyfigure" in sql and "reporting_monthlyfigure" not in sql


@pytest.mark.parametrize("agencies", [1, 40])
def test_the_city_overview_reads_no_monthly_row_and_its_queries_do_not_grow(agencies, city_user, login):
    """The exact count is asserted in test_dashboard_queries; here: the same for 1 and 40 agencies
    and none of them on the monthly fact table. The first request evaluates every agency (one read
    of the rollup, after the rollup versions); the next finds them kept and reads the rollup no
    more (reporting/targets/cache.py)."""
    with dashboard_registry():
        default_targets()
        seed_city(agencies, departments=2, years=(2019, 2020))
        client = login(city_user)
        url = reverse("reporting:city_dashboard")
        client.get(reverse("reporting:dashboard"))  # the session, user and language as below
        with CaptureQueriesContext(connection) as first:
            assert client.get(url, {"year": 2020}).status_code == 200
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"year": 2020}).status_code == 200
    cold = [q["sql"] for q in first.captured_queries]
    sql = [q["sql"] for q in queries.captured_queries]
    assert not [s for s in cold + sql if "reporting_monthlyfigure" in s]
    assert len([s for s in cold if "reporting_yearlyfigure" in s]) == 1
    assert len([s for s in sql if "reporting_yearlyfigure" in s]) == 0
    assert len([s for s in cold + sql if "reporting_rollupversion" in s]) == 2
    assert len(cold) == CITY_QUERIES + 1
    assert len(sql) == CITY_QUERIES


def test_any_of_selects_the_rows_of_in_with_one_array_parameter(city):
    from django.db.models import Q as Where

    from reporting.models import Target

    ids = [a.pk for a in city[:2]]
    with fake_indicators():
        target_save(
            scope=Scope.system(None),
            indicator="electricity",
            year=2020,
            baseline_year=2019,
            reduction_percent=3,
        )
        for agency in city:
            write_year(agency, "electricity", 2020, [1] * 12)
    for wanted in (ids, [], [city[2].pk, 10**9]):
        assert set(YearlyFigure.objects.filter(agency_id__any_of=wanted)) == set(
            YearlyFigure.objects.filter(agency_id__in=wanted)
        )
        own_or_default = Where(agency_id__any_of=wanted) | Where(agency__isnull=True)
        assert Target.objects.filter(own_or_default).count() == 1
    with CaptureQueriesContext(connection) as queries:
        list(YearlyFigure.objects.filter(agency_id__any_of=ids))
    if connection.vendor == "postgresql":
        assert "= ANY(" in queries.captured_queries[0]["sql"]
