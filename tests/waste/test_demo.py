"""seed_demo's waste ledger and campaigns: 2019 to the demo's last month, totals pinned.

The 2019 and 2020 totals below were added up by hand from the demo's plan (weekly other and
kitchen waste, monthly recyclables, quarterly hazardous hand-overs) and are checked here against
the raw rows and against the indicators' monthly figures.
"""

import io
from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Max, Min

from agencies.demo import demo_last_month
from campaigns.alerts import rectifications_overdue, repairs_open
from campaigns.models import Event, SpotCheck
from reporting.models import MonthlyFigure
from tests.demo_snapshot import seed_demo
from waste.alerts import months_without_records
from waste.models import HazardousStorage, WasteCollection

D = Decimal
PINNED = {  # LYYB, kg per category and year
    2019: {"hazardous": D("13.5"), "recyclable": D("985.8"), "kitchen": D("1429.9"), "other": D("3687.1")},
    2020: {"hazardous": D("13.3"), "recyclable": D("1046.4"), "kitchen": D("1410.8"), "other": D("3452.9")},
}


TODAY = date(2021, 2, 15)  # the demo then reaches January 2021 (the day tests/test_demo.py seeds too)


@pytest.mark.django_db
def test_the_demo_keeps_waste_and_campaigns_from_2019_to_last_month(settings):
    """(A re-run adds nothing: tests/test_demo.py, for every table at once.)"""
    settings.DEMO_ALLOWED = True
    seed_demo("--today", TODAY.isoformat())

    last = demo_last_month(TODAY)
    assert last == date(2021, 1, 1)
    rows = WasteCollection.objects.filter(agency__code="LYYB")
    span = rows.aggregate(first=Min("date"), last=Max("date"))
    assert span["first"].replace(day=1) == date(2019, 1, 1) and span["last"].replace(day=1) == last

    # Totals from the raw rows, by hand, and the pinned figures.
    raw: dict = defaultdict(lambda: defaultdict(Decimal))
    for day, category, weight in rows.values_list("date", "category", "weight"):
        raw[day.year][category] += weight
    for year, expected in PINNED.items():
        assert dict(raw[year]) == expected, year
    # The indicators' monthly figures add up to the same, every year to the last month.
    figures: dict = defaultdict(Decimal)
    for month, indicator, value in MonthlyFigure.objects.filter(
        agency__code="LYYB", department=None, indicator__startswith="waste"
    ).values_list("month", "indicator", "value"):
        figures[(month.year, indicator)] += value
    for year, by_category in raw.items():
        for category, weight in by_category.items():
            assert figures[(year, f"waste.{category}")] == weight, (year, category)
        assert figures[(year, "waste")] == sum(by_category.values()), year

    # Hazardous waste: every complete quarter handed over with a licence and a manifest.
    hazardous = rows.filter(category="hazardous")
    assert hazardous.exists() and not hazardous.filter(licence_number="").exists()
    assert not HazardousStorage.objects.filter(
        handover__isnull=True, stored_on__lt=date(last.year, 1, 1)
    ).exists()

    bureau = rows.first().agency
    assert months_without_records([bureau.pk], TODAY) == []
    # Each year's events, a spot check in every month, repairs; the last month keeps the alerts alive.
    years = set(Event.objects.filter(agency=bureau).values_list("date__year", flat=True))
    assert set(range(2019, last.year)) <= years  # every complete year
    assert Event.objects.filter(agency=bureau, kind="energy_week", date=date(2020, 6, 29)).exists()
    checked = {
        d.replace(day=1) for d in SpotCheck.objects.filter(agency=bureau).values_list("date", flat=True)
    }
    assert len(checked) == (last.year - 2019) * 12 + last.month
    assert rectifications_overdue([bureau.pk], TODAY) and repairs_open([bureau.pk], TODAY)


@pytest.mark.django_db
def test_re_running_the_demo_in_a_later_month_extends_waste_and_campaigns(settings):
    settings.DEMO_ALLOWED = True
    seed_demo("--today", TODAY.isoformat())
    before = WasteCollection.objects.filter(agency__code="LYYB").count()
    call_command("seed_demo", "--today", "2021-05-03", stdout=io.StringIO())
    rows = WasteCollection.objects.filter(agency__code="LYYB")
    assert rows.aggregate(last=Max("date"))["last"].replace(day=1) == date(2021, 4, 1)
    # February to April: 4 other, 4 kitchen, 1 recyclable each, and the first quarter's hand-over.
    assert rows.count() == before + 3 * 9 + 1
    assert SpotCheck.objects.filter(agency__code="LYYB", date__month=4, date__year=2021).count() == 2
