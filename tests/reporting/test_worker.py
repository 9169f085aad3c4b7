"""A real Celery worker over Redis runs a real task that writes to the database."""

from datetime import date
from decimal import Decimal

import pytest

from reporting import registry
from reporting.models import MonthlyFigure
from reporting.registry import Figure, Indicator
from reporting.tasks import refresh_figures
from tests.factories import AgencyFactory


def _compute(agency_ids, months):
    for agency_id in agency_ids:
        for month in months:
            yield Figure(agency_id, None, month, Decimal("12.5"))


@pytest.mark.real_worker
def test_a_real_worker_refreshes_monthly_figures(real_worker):
    registry.register_indicator(Indicator(key="test.worker", name="Worker", unit="kWh", compute=_compute))
    try:
        agency = AgencyFactory()
        result = refresh_figures.delay(
            agency_ids=[agency.pk], months=["2020-01-01", "2020-02-01"], indicator_keys=["test.worker"]
        )
        assert result.get(timeout=30) == 2
        values = MonthlyFigure.objects.filter(agency=agency, indicator="test.worker").values_list(
            "month", "value"
        )
        assert sorted(values) == [(date(2020, 1, 1), Decimal("12.5")), (date(2020, 2, 1), Decimal("12.5"))]
    finally:
        registry.unregister_indicator("test.worker")
