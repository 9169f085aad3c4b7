"""Fake indicators for reporting tests until the ledger registers the real ones, and figure writers."""

from contextlib import contextmanager
from datetime import date
from decimal import Decimal

from reporting import registry
from reporting.figures.rollup import rollup_rebuild
from reporting.models import MonthlyFigure
from reporting.registry import PER_AREA, PER_CAPITA, Indicator


def _no_compute(agency_ids, months):
    return []


FAKES = [
    Indicator(
        key="electricity", name="Electricity", unit="kWh", compute=_no_compute, bases=(PER_AREA,), order=10
    ),
    Indicator(key="water", name="Water", unit="m³", compute=_no_compute, bases=(PER_CAPITA,), order=20),
]
FAKE_BREAKDOWNS = [
    Indicator(
        key="electricity.lighting",
        name="Lighting",
        unit="kWh",
        compute=_no_compute,
        parent="electricity",
        order=11,
    ),
]


@contextmanager
def fake_indicators():
    """Register electricity/water (and a breakdown) unless a real app already did."""
    added = []
    for indicator in [*FAKES, *FAKE_BREAKDOWNS]:
        try:
            registry.get_indicator(indicator.key)
        except LookupError:
            registry.register_indicator(indicator)
            added.append(indicator.key)
    try:
        yield
    finally:
        for key in reversed(added):
            registry.unregister_indicator(key)


def write_year(agency, indicator, year, values, department=None):
    """Store 12 (or fewer) monthly values for ``year`` as MonthlyFigure rows (and their yearly
    rollup, as a refresh writes it)."""
    MonthlyFigure.objects.bulk_create(
        [
            MonthlyFigure(
                agency=agency,
                department=department,
                indicator=indicator,
                month=date(year, i + 1, 1),
                value=Decimal(v),
            )
            for i, v in enumerate(values)
        ]
    )
    rollup_rebuild(agency_ids=[agency.pk], years=[year], indicator_keys=[indicator])


# The demo bureau's hand-made figures: 2019 the baseline, 2020 down a little more than 3 %.
ELECTRICITY_2019 = [9800, 9200, 8100, 7600, 8300, 11800, 13900, 14200, 10100, 8000, 8600, 10400]
ELECTRICITY_2020 = [9400, 8800, 7800, 7300, 8000, 11400, 13400, 13700, 9800, 7700, 8300, 10000]
WATER_2019 = [62, 58, 60, 64, 70, 78, 85, 88, 74, 66, 60, 61]
WATER_2020 = [61, 57, 59, 63, 69, 77, 84, 87, 73, 65, 59, 60]


def app_base_reads() -> int:
    """Reads of the target bases apps registered (one query each) that the registered indicators
    declare; AgencyYear's bases (per capita, per m²) share one read counted by the tests."""
    from reporting.registry import get_target_base, indicators

    bases = {base for indicator in indicators() for base in indicator.bases}
    return len(
        {
            get_target_base(key).divisor
            for key in bases
            if not getattr(get_target_base(key).divisor, "agency_year_field", None)
        }
    )
