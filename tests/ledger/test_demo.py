"""seed_demo's ledger: the bureau's meters, readings from 2019 to the demo's last month with a
realistic reduction."""

import itertools
from datetime import date
from decimal import Decimal

import pytest

from agencies.demo import demo_period
from ledger.models import Meter, Reading
from reporting.figures.read import totals_by_agency
from reporting.models import MonthlyFigure
from tests.demo_snapshot import seed_demo


def year(y):
    return [date(y, m, 1) for m in range(1, 13)]


@pytest.mark.django_db
def test_seed_demo_loads_the_bureaus_meters_and_readings_with_a_yearly_reduction(settings):
    """(A re-run adds nothing: tests/test_demo.py, for every table at once.)"""
    settings.DEMO_ALLOWED = True
    seed_demo("--today", "2026-11-30")

    main = Meter.objects.get(agency__code="LYYB", code="E-01")
    assert (main.multiplier, main.share, main.parent) == (Decimal(40), Decimal("0.35"), None)
    assert {m.item for m in main.children.all()} >= {"air_conditioning", "lighting_sockets"}
    period = demo_period(date(2026, 11, 30))
    assert main.readings.count() == 1 + len(period.months)  # 2018-12-31 and every month-end since
    # Quarterly bills of the complete quarters only.
    assert main.bills.count() == len(period.months) // 3

    bureau = main.agency_id
    totals = [totals_by_agency(indicator="electricity", months=year(y))[bureau] for y in (2019, 2020, 2021)]
    for before, after in itertools.pairwise(totals):
        assert Decimal("0.93") < after / before < Decimal("0.97")
    july, april = (
        MonthlyFigure.objects.get(
            agency_id=bureau, indicator="electricity", month=date(2020, m, 1), department=None
        )
        for m in (7, 4)
    )
    assert july.value > april.value * Decimal("1.4")  # the summer peak
    assert totals_by_agency(indicator="water", months=year(2020))[bureau] > 0
    assert totals_by_agency(indicator="electricity.air_conditioning", months=year(2020))[bureau] > 0
    assert totals_by_agency(indicator="energy_cost", months=year(2020))[bureau] > 0
    assert MonthlyFigure.objects.filter(
        agency_id=bureau, indicator="electricity", department__name="办公室"
    ).exists()
    assert Meter.objects.filter(agency__code="LYSJ").count() == 2
    # The tea room's leak of October 2026 waits for the manager's review.
    leak = Reading.objects.get(meter__agency_id=bureau, meter__code="W-01", date=date(2026, 10, 31))
    assert leak.is_abnormal and leak.reviewed_at is None and leak.confirmed_by.username == "clerk"
