"""The indicator registry and the one refresh entry point, with a fake indicator."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext

from reporting import registry
from reporting.figures.read import totals_by_agency
from reporting.figures.refresh import figures_refresh
from reporting.models import MonthlyFigure
from reporting.registry import PER_CAPITA, Figure, Indicator
from tests.factories import AgencyFactory, DepartmentFactory

MONTHS = [date(2020, m, 1) for m in range(1, 13)]


def fake_compute(agency_ids, months):
    """10 × agency position + month number, and a department row for the first department."""
    from agencies.models import Department

    first_department = dict(
        Department.objects.filter(agency_id__in=agency_ids).order_by("pk").values_list("agency_id", "pk")
    )
    for agency_id in agency_ids:
        for month in months:
            value = Decimal(agency_id % 7 * 10 + month.month)
            yield Figure(agency_id, None, month, value)
            if agency_id in first_department:
                yield Figure(agency_id, first_department[agency_id], month, value / 2)


@pytest.fixture
def fake_indicator():
    indicator = registry.register_indicator(
        Indicator(key="test.fake", name="Fake", unit="kWh", compute=fake_compute, bases=(PER_CAPITA,))
    )
    yield indicator
    registry.unregister_indicator("test.fake")


def _city(count):
    agencies = [AgencyFactory() for _ in range(count)]
    for agency in agencies:
        DepartmentFactory(agency=agency)
    return [a.pk for a in agencies]


def test_registry_refuses_a_second_indicator_with_the_same_key(fake_indicator):
    with pytest.raises(ValueError):
        registry.register_indicator(Indicator(key="test.fake", name="Other", unit="m³", compute=fake_compute))


def test_a_breakdown_needs_its_parent_registered_first():
    with pytest.raises(ValueError):
        registry.register_indicator(
            Indicator(
                key="test.orphan.child", name="x", unit="kWh", compute=fake_compute, parent="test.orphan"
            )
        )


@pytest.mark.django_db
def test_refresh_writes_totals_and_department_rows_and_replaces_them(fake_indicator):
    ids = _city(3)
    written = figures_refresh(agency_ids=ids, months=MONTHS, indicator_keys=["test.fake"])
    assert written == 3 * 12 * 2
    again = figures_refresh(agency_ids=ids, months=MONTHS, indicator_keys=["test.fake"])
    assert again == written
    assert MonthlyFigure.objects.filter(indicator="test.fake").count() == written
    jan = MonthlyFigure.objects.get(
        agency_id=ids[0], indicator="test.fake", month=date(2020, 1, 1), department=None
    )
    assert jan.value == Decimal(ids[0] % 7 * 10 + 1)


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 50])
def test_refresh_and_city_aggregate_take_the_same_queries_for_1_or_50_agencies(fake_indicator, count):
    ids = _city(count)
    with CaptureQueriesContext(connection) as refresh_queries:
        written = figures_refresh(agency_ids=ids, months=MONTHS, indicator_keys=["test.fake"])
    sql = [q["sql"] for q in refresh_queries]
    rollup = [s for s in sql if "reporting_yearlyfigure" in s]
    versions = [s for s in sql if "reporting_rollupversion" in s]
    inserts = [s for s in sql if s.startswith("INSERT") and s not in rollup and s not in versions]
    # the agency lock, the stale records read, compute (in a savepoint pair: an indicator that
    # raises cannot abort the others), delete; the savepoint pair of the atomic block under the
    # test transaction. No stale record: nothing to clear.
    assert len(sql) - len(inserts) - len(rollup) - len(versions) == 8, [s[:80] for s in sql]
    # the yearly rollup of what was written: one DELETE, one INSERT … SELECT, in the same transaction,
    # and the agencies' new version token: one upsert whatever their number
    assert [s.split()[0] for s in rollup] == ["DELETE", "INSERT"]
    assert len(versions) == 1 and "ON CONFLICT" in versions[0]
    # PostgreSQL inserts every row in one statement; SQLite's bound-variable limit forces batches.
    fields = [f for f in MonthlyFigure._meta.concrete_fields if not f.primary_key]
    batch = min(5000, connection.ops.bulk_batch_size(fields, [None] * written) or written)
    assert len(inserts) == -(-written // batch)
    if connection.vendor == "postgresql":
        assert len(sql) == 12

    with CaptureQueriesContext(connection) as aggregate_queries:
        totals = totals_by_agency(indicator="test.fake", months=MONTHS)
    assert len(aggregate_queries) == 1
    expected = sum(Decimal(a % 7 * 10 + m) for a in ids for m in range(1, 13))
    assert sum(totals.values()) == expected
    assert (
        MonthlyFigure.objects.filter(indicator="test.fake", department=None).aggregate(s=Sum("value"))["s"]
        == expected
    )


@pytest.mark.django_db
def test_refresh_ignores_rows_outside_the_requested_agencies_and_months(fake_indicator):
    ids = _city(2)
    figures_refresh(agency_ids=ids[:1], months=MONTHS[:3], indicator_keys=["test.fake"])
    assert set(MonthlyFigure.objects.values_list("agency_id", flat=True)) == {ids[0]}
    assert set(MonthlyFigure.objects.values_list("month", flat=True)) == set(MONTHS[:3])


def test_indicators_sharing_a_batch_compute_are_computed_in_one_call_with_the_same_figures(db):
    calls = []

    def batch(agency_ids, months, keys):
        calls.append(sorted(keys))
        return {key: list(fake_compute(agency_ids, months)) for key in keys}

    def alone(agency_ids, months):
        raise AssertionError("figures_refresh uses the batch, not each compute")

    keys = ["test.batch_a", "test.batch_b"]
    for key in keys:
        registry.register_indicator(
            Indicator(key=key, name=key, unit="kWh", compute=alone, compute_batch=batch)
        )
    try:
        ids = _city(2)
        written = figures_refresh(agency_ids=ids, months=MONTHS, indicator_keys=keys)
    finally:
        for key in keys:
            registry.unregister_indicator(key)
    assert calls == [keys]
    assert written == 2 * len(list(fake_compute(ids, MONTHS)))
    rows = MonthlyFigure.objects.filter(indicator="test.batch_b", department=None, month=MONTHS[2])
    assert {r.agency_id: r.value for r in rows} == {a: Decimal(a % 7 * 10 + 3) for a in ids}
