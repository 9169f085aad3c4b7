"""Data for the dashboard and electricity-report tests: sub-meter items, an alert, a small city.

The ledger registers the real indicators and alerts; until it lands these tests register their
own through the registry, as any app would — the dashboard knows no app by name.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date
from decimal import Decimal

from agencies.models import Department
from agencies.scoping import Scope
from reporting import registry
from reporting.figures.rollup import rollup_rebuild
from reporting.models import MonthlyFigure
from reporting.registry import PER_CAPITA, Alert, AlertItem, Indicator
from reporting.targets.services import target_save
from tests.factories import AgencyFactory, AgencyYearFactory, DepartmentFactory
from tests.reporting.helpers import (
    ELECTRICITY_2019,
    ELECTRICITY_2020,
    WATER_2019,
    WATER_2020,
    fake_indicators,
    write_year,
)

D = Decimal


def _no_compute(agency_ids, months):
    return []


ITEMS = [
    Indicator(
        key="electricity.air_conditioning",
        name="Air conditioning",
        unit="kWh",
        compute=_no_compute,
        parent="electricity",
        order=12,
    ),
    Indicator(
        key="electricity.power", name="Power", unit="kWh", compute=_no_compute, parent="electricity", order=13
    ),
]


def _missing_readings(agency_ids, as_of):
    # One "query" for all agencies, as a real alert would do.
    return [
        AlertItem(agency_id=a, message=f"3块电表{as_of:%Y年%m月}未抄表", level="danger") for a in agency_ids
    ]


TEST_ALERT = Alert(key="test.missing_readings", name="Missing meter readings", compute=_missing_readings)


@contextmanager
def dashboard_registry(*, with_alert: bool = True):
    """The fake electricity/water indicators, two more sub-meter items and (optionally) an alert."""
    with fake_indicators():
        added = []
        for item in ITEMS:
            try:
                registry.get_indicator(item.key)
            except LookupError:
                registry.register_indicator(item)
                added.append(item.key)
        if with_alert:
            registry.register_alert(TEST_ALERT)
        try:
            yield
        finally:
            if with_alert:
                registry.unregister_alert(TEST_ALERT.key)
            for key in reversed(added):
                registry.unregister_indicator(key)


# Department and item shares of the bureau's electricity, per month (the rest is unmetered).
DEPARTMENT_SHARES = {"办公室": D("0.40"), "规划财务科": D("0.25"), "基金监管科": D("0.15")}
ITEM_SHARES = {
    "electricity.lighting": D("0.30"),
    "electricity.air_conditioning": D("0.45"),
    "electricity.power": D("0.15"),
}


def default_targets() -> None:
    target_save(
        scope=Scope.system(None),
        indicator="electricity",
        year=2020,
        baseline_year=2019,
        reduction_percent=D(3),
    )
    target_save(
        scope=Scope.system(None),
        indicator="water",
        year=2020,
        baseline_year=2019,
        reduction_percent=D(3),
        basis=PER_CAPITA,
    )


def seed_bureau(agency, departments: dict | None = None) -> dict:
    """The demo bureau's 2019 and 2020: totals, departments and items. Returns the departments."""
    departments = departments or {
        name: Department.objects.update_or_create(agency=agency, name=name, defaults={"sort_order": i})[0]
        for i, name in enumerate(DEPARTMENT_SHARES)
    }
    for year, electricity, water in [
        (2019, ELECTRICITY_2019, WATER_2019),
        (2020, ELECTRICITY_2020, WATER_2020),
    ]:
        write_year(agency, "electricity", year, electricity)
        write_year(agency, "water", year, water)
        for name, share in DEPARTMENT_SHARES.items():
            # 2020: the finance section saves more than the others, so changes differ.
            factor = share if year == 2019 or name != "规划财务科" else share - D("0.03")
            write_year(agency, "electricity", year, [D(v) * factor for v in electricity], departments[name])
        for key, share in ITEM_SHARES.items():
            write_year(agency, key, year, [D(v) * share for v in electricity])
    return departments


def seed_city(count: int, *, departments: int = 3, years=(2019, 2020)) -> list:
    """``count`` agencies with a year's facts, departments and monthly figures, in bulk."""
    agencies = [AgencyFactory(code=f"CITY{i:03d}", name=f"测试机关{i:03d}") for i in range(count)]
    rows = []
    for index, agency in enumerate(agencies):
        for year in years:
            AgencyYearFactory(agency=agency, year=year, headcount=40 + index % 7)
        sections = [DepartmentFactory(agency=agency, name=f"科室{d}") for d in range(departments)]
        for year in years:
            # Odd agencies save 5 % in the later year, even ones use 1 % more.
            factor = D(1) if year == years[0] else (D("0.95") if index % 2 else D("1.01"))
            for month in range(1, 13):
                base = D(1000 + 10 * index + month) * factor
                day = date(year, month, 1)
                rows.append(MonthlyFigure(agency=agency, indicator="electricity", month=day, value=base))
                rows.append(MonthlyFigure(agency=agency, indicator="water", month=day, value=base / 100))
                for section in sections:
                    rows.append(
                        MonthlyFigure(
                            agency=agency,
                            department=section,
                            indicator="electricity",
                            month=day,
                            value=base / 5,
                        )
                    )
    MonthlyFigure.objects.bulk_create(rows, batch_size=5000)
    rollup_rebuild(agency_ids=[a.pk for a in agencies], years=years)  # as a refresh writes it
    return agencies
