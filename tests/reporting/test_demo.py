"""seed_demo sets the seed's 2020 targets, one for each later year, and the bureau's
disclosures up to the last complete quarter."""

import pytest
from django.db.models import Sum

from agencies.demo import demo_period
from agencies.models import Agency
from reporting.models import Disclosure, DisclosureStatus, MonthlyFigure, Target
from reporting.periods import Quarter
from tests.demo_snapshot import seed_demo

ENERGY = ["electricity", "water"]  # the targets this demo sets; other ledgers' demos set their own
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("indicators_registered")]


def test_the_demo_sets_the_targets_and_publishes_the_quarters_before_the_last_complete_one():
    seed_demo("--force")
    period = demo_period()
    bureau = Agency.objects.get(code="LYYB")
    targets = {
        (t.indicator, t.basis, t.baseline_year, str(t.reduction_percent))
        for t in Target.objects.filter(year=2020, indicator__in=ENERGY)
    }
    assert targets == {("electricity", "total", 2019, "3.00"), ("water", "per_capita", 2019, "3.00")}
    this_year = {
        (t.indicator, t.baseline_year)
        for t in Target.objects.filter(year=period.today.year, indicator__in=ENERGY)
    }
    assert this_year == {("electricity", period.today.year - 1), ("water", period.today.year - 1)}

    last = Quarter(*period.last_complete_quarter)
    rows = Disclosure.objects.filter(agency=bureau)
    assert rows.count() == len(list(_quarters(Quarter(2019, 1), last)))
    published = {str(d.period) for d in rows.filter(status=DisclosureStatus.PUBLISHED)}
    assert published == {str(q) for q in _quarters(Quarter(2019, 1), last.previous())}
    assert rows.get(year=last.year, quarter=last.number).status == DisclosureStatus.DRAFT
    # (A re-run adds no disclosure, event or target: tests/test_demo.py, for every table at once.)


def test_the_demo_disclosure_of_2020q4_carries_the_targets_with_the_data():
    seed_demo("--force", "--today", "2026-11-30")  # 2020 Q4 long published; the ledgers' tests' day
    bureau = Agency.objects.get(code="LYYB")
    q4 = Disclosure.objects.get(agency=bureau, year=2020, quarter=4)
    items = {i["key"]: i for i in q4.data["indicators"]}

    # By hand from the fact table the demo ledger filled: the whole of 2019 against the whole of 2020.
    def year_total(key, year):
        rows = MonthlyFigure.objects.filter(agency=bureau, indicator=key, department=None, month__year=year)
        return rows.aggregate(total=Sum("value"))["total"]

    electricity = items["electricity"]["target"]
    assert electricity["baseline"] == f"{year_total('electricity', 2019):.2f}"
    assert electricity["actual"] == f"{year_total('electricity', 2020):.2f}"
    change = (year_total("electricity", 2020) / year_total("electricity", 2019) - 1) * 100
    assert electricity["status"] == ("met" if change <= -3 else "missed")

    water = items["water"]["target"]
    per_person_2019 = year_total("water", 2019) / 46
    per_person_2020 = year_total("water", 2020) / 45
    water_change = (per_person_2020 / per_person_2019 - 1) * 100
    assert water["basis"] == "per_capita" and water["basis_name"] == "人均"
    assert water["status"] == ("met" if water_change <= -3 else "missed")


def _quarters(first, last):
    while first <= last:
        yield first
        first = first.next()
