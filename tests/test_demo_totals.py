"""The demo bureau's yearly totals of 2019 and 2020, pinned by hand from the raw readings and bills.

Which meters count is written out here, not derived the way the product derives it: the bureau's
electricity total is its share of the building's main meter E-01 (CT ratio 40, share 0.35) and
nothing else — E-01-AC, E-01-LS, E-01-BGS and E-01-CW are sub-meters inside it; its water is
W-01. A meter wrongly counted into a total (the zone sub-meters alone would add 23 %), a lost
multiplier or share, or a month spread into the wrong year makes these figures differ.

The demo is seeded as of two different days: the 2019 and 2020 totals must not depend on how far
the demo reaches.
"""

from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest
from django.db.models import Sum

from ledger.models import Bill, Meter, Reading
from reporting.models import MonthlyFigure
from reporting.targets.evaluate import TargetStatus, targets_evaluate
from tests.demo_snapshot import seed_demo

pytestmark = pytest.mark.django_db
D = Decimal
YEARS = (2019, 2020)

# (agency, indicator, department or None for the agency total) -> {meter code: multiplier × share}
COUNTED = {
    ("LYYB", "electricity", None): {"E-01": D(40) * D("0.35")},
    ("LYYB", "water", None): {"W-01": D(1)},
    ("LYYB", "electricity", "办公室"): {"E-01-BGS": D(1)},  # the office's zone sub-meter
    ("LYYB", "electricity", "规划财务科"): {"E-01-CW": D(1)},
    ("LYYB", "water", "办公室"): {"W-01": D(1)},  # the water meter is the office's
    ("LYYB", "electricity.air_conditioning", None): {"E-01-AC": D(10)},
    ("LYYB", "electricity.lighting_sockets", None): {"E-01-LS": D(1)},
    ("LYSJ", "electricity", None): {"E-1": D(20)},
    ("LYSJ", "water", None): {"W-1": D(1)},
}
# The bureau's two billed meters: multiplier × share and the utility's price (yuan) on the bills.
BILLED = {"E-01": (D(40) * D("0.35"), D("0.7650")), "W-01": (D(1), D("4.40"))}
QUARTER_ENDS = ((3, 31), (6, 30), (9, 30), (12, 31))


# Days other demo tests seed as well (tests/test_demo.py, tests/ledger/test_demo.py): one copy each.
@pytest.fixture(params=["2021-02-15", "2026-11-30"], ids=["demo-to-2021-01", "demo-to-2026-10"])
def demo(request, settings):
    settings.DEMO_ALLOWED = True
    seed_demo("--today", request.param)


def dial(agency: str, code: str, day: date) -> Decimal:
    """The raw month-end reading of one meter (the demo reads every meter at every month's end)."""
    return Reading.objects.get(meter__agency__code=agency, meter__code=code, date=day).value


def used(agency: str, code: str, start: date, end: date) -> Decimal:
    """Dial units from the reading on ``start`` to the one on ``end``: no rollover, no replacement."""
    assert not Reading.objects.filter(
        meter__agency__code=agency, meter__code=code, date__gt=start, date__lte=end
    ).exclude(event="normal")
    return dial(agency, code, end) - dial(agency, code, start)


def by_hand(agency: str, indicator: str, department: str | None, year: int) -> Decimal:
    meters = COUNTED[(agency, indicator, department)]
    start, end = date(year - 1, 12, 31), date(year, 12, 31)
    return sum((used(agency, code, start, end) * factor for code, factor in meters.items()), D(0))


def cost_by_hand(year: int) -> Decimal:
    """Each quarter's bill: the quarter's dial units × multiplier × share × price, to the fen."""
    total = D(0)
    for code, (factor, price) in BILLED.items():
        start = date(year - 1, 12, 31)
        for month, day in QUARTER_ENDS:
            end = date(year, month, day)
            total += (used("LYYB", code, start, end) * factor * price).quantize(D("0.01"))
            start = end
    return total


def figure(agency: str, indicator: str, department: str | None, year: int) -> Decimal:
    """What every page and disclosure reads: the sum of the year's monthly figures."""
    where = {"department": None} if department is None else {"department__name": department}
    rows = MonthlyFigure.objects.filter(agency__code=agency, indicator=indicator, month__year=year, **where)
    assert rows.count() == 12
    return rows.aggregate(total=Sum("value"))["total"]


def test_the_hand_counted_meters_are_the_seeds_meters(demo):
    """The factors above are the meters' own: multiplier × share as the seed describes them."""
    for (agency, _indicator, _department), meters in COUNTED.items():
        for code, factor in meters.items():
            meter = Meter.objects.get(agency__code=agency, code=code)
            assert meter.multiplier * meter.share == factor, code
    assert Meter.objects.get(agency__code="LYYB", code="E-01").parent is None
    assert set(
        Meter.objects.filter(agency__code="LYYB", parent__code="E-01").values_list("code", flat=True)
    ) >= {
        "E-01-AC",
        "E-01-LS",
        "E-01-BGS",
        "E-01-CW",
    }


def test_every_yearly_total_is_exactly_the_counted_meters_readings(demo):
    keys = [(*key, year) for key in COUNTED for year in YEARS]
    expected = {key: by_hand(*key) for key in keys}
    assert all(value > 0 for value in expected.values())
    assert {key: figure(*key) for key in keys} == expected


def test_the_bureaus_yearly_cost_is_exactly_its_bills_from_the_readings(demo):
    for year in YEARS:
        expected = cost_by_hand(year)
        billed = Bill.objects.filter(meter__agency__code="LYYB", period_start__year=year).aggregate(
            total=Sum("amount")
        )["total"]
        assert (year, billed) == (year, expected)
        assert (year, figure("LYYB", "energy_cost", None, year)) == (year, expected)


def test_the_2020_targets_of_the_demo_bureau_are_judged_on_the_hand_counted_totals(demo):
    """The seed's targets: −3 % of the total electricity, −3 % of the water per person (46, then 45)."""
    from agencies.models import Agency

    bureau = Agency.objects.get(code="LYYB")
    results = {r.indicator: r for r in targets_evaluate(agency_ids=[bureau.pk], year=2020, as_of_month=12)}
    electricity = results["electricity"]
    e19, e20 = by_hand("LYYB", "electricity", None, 2019), by_hand("LYYB", "electricity", None, 2020)
    assert (electricity.baseline, electricity.actual) == (e19, e20)
    change = ((e20 - e19) / e19 * 100).quantize(D("0.01"))
    assert electricity.change_percent == change
    assert electricity.status == (TargetStatus.MET if change <= -3 else TargetStatus.MISSED)

    water = results["water"]
    w19, w20 = by_hand("LYYB", "water", None, 2019) / 46, by_hand("LYYB", "water", None, 2020) / 45
    assert (water.baseline, water.actual) == (w19, w20)
    change = ((w20 - w19) / w19 * 100).quantize(D("0.01"))
    assert water.change_percent == change
    assert water.status == (TargetStatus.MET if change <= -3 else TargetStatus.MISSED)


# --- Office consumables and waste: the bureau's yearly totals from the raw rows -----------------
# A requisition counts for the agency whose catalogue holds the item, in the month of its date, in
# the section that took it (and nowhere else: the Centre's sections are not added to the Centre);
# its cost is the amount frozen on it when issued. Purchases count by the item's agency, green when
# the item is; paper and running costs by the section's agency (an agency-wide meeting has none).
# Waste counts per category by the collection's agency. The pinned figures were read off the raw
# rows once and are written here as numbers: a row of another agency counted in, a category or a
# month lost, or a share made a sum of monthly shares makes these fail.
CONSUMABLES_PINNED = {  # pieces issued, yuan
    2019: (D(10063), D("28707.46")),
    2020: (D(8582), D("27624.78")),
}
WASTE_PINNED = {  # LYYB, kg per category
    2019: {"hazardous": D("13.5"), "recyclable": D("985.8"), "kitchen": D("1429.9"), "other": D("3687.1")},
    2020: {"hazardous": D("13.3"), "recyclable": D("1046.4"), "kitchen": D("1410.8"), "other": D("3452.9")},
}


def year_sum(agency: str, indicator: str, department: str | None, year: int) -> Decimal:
    """The year's monthly figures added up; a part (a category, a kind) has no row for a month
    without any, which counts as 0 (its total has a 0 row for a quiet month: ``figure``)."""
    where = {"department": None} if department is None else {"department__name": department}
    rows = MonthlyFigure.objects.filter(agency__code=agency, indicator=indicator, month__year=year, **where)
    return rows.aggregate(total=Sum("value"))["total"] or D(0)


def year_months(year: int) -> list[date]:
    return [date(year, month, 1) for month in range(1, 13)]


def consumables_by_hand(year: int) -> dict[tuple[str, str | None], Decimal]:
    """(indicator, section or None) -> the year's sum, added up row by row."""
    from ledger.consumables.models import Expense, PaperUse, Purchase, Requisition

    sums: dict = defaultdict(Decimal)
    for quantity, amount, category, disposable, section in Requisition.objects.filter(
        item__agency__code="LYYB", date__year=year
    ).values_list("quantity", "amount", "item__category", "item__is_disposable", "department__name"):
        for where in (None, section):
            sums[("consumables_quantity", where)] += quantity
            sums[(f"consumables_quantity.{category}", where)] += quantity
            sums[("consumables_cost", where)] += amount
            if disposable:
                sums[("consumables_disposable", where)] += quantity
    for amount, green in Purchase.objects.filter(item__agency__code="LYYB", date__year=year).values_list(
        "amount", "item__is_green"
    ):
        sums[("consumables_purchases", None)] += amount
        if green:
            sums[("consumables_purchases.green", None)] += amount
    for sheets, duplex, section in PaperUse.objects.filter(
        department__agency__code="LYYB", date__year=year
    ).values_list("sheets", "duplex_sheets", "department__name"):
        for where in (None, section):
            sums[("paper_sheets", where)] += sheets
            sums[("paper_sheets.duplex", where)] += duplex
    for amount, kind, section in Expense.objects.filter(agency__code="LYYB", date__year=year).values_list(
        "amount", "kind", "department__name"
    ):
        for where in (None, section) if section else (None,):
            sums[("running_costs", where)] += amount
            sums[(f"running_costs.{kind}", where)] += amount
    return dict(sums)


def test_the_bureaus_consumables_are_exactly_its_rows_added_up_by_hand(demo):
    for year in YEARS:
        expected = consumables_by_hand(year)
        quantity, cost = CONSUMABLES_PINNED[year]
        assert (expected[("consumables_quantity", None)], expected[("consumables_cost", None)]) == (
            quantity,
            cost,
        )
        assert len({section for _key, section in expected if section}) >= 6  # every section took some
        assert {key: year_sum("LYYB", *key, year) for key in expected} == expected
        for key in ("consumables_quantity", "consumables_cost", "paper_sheets", "running_costs"):
            assert figure("LYYB", key, None, year) == expected[(key, None)]  # 12 months, quiet ones 0


def test_the_consumables_shares_are_the_years_sums_divided(demo):
    from agencies.models import Agency
    from reporting.figures.read import totals_by_agency

    bureau = Agency.objects.get(code="LYYB").pk
    for year in YEARS:
        sums = consumables_by_hand(year)
        duplex = sums[("paper_sheets.duplex", None)] / sums[("paper_sheets", None)] * 100
        green = sums[("consumables_purchases.green", None)] / sums[("consumables_purchases", None)] * 100
        shares = {
            key: totals_by_agency(indicator=key, months=year_months(year), agency_ids=[bureau])[bureau]
            for key in ("paper_duplex_share", "consumables_green_share")
        }
        assert shares == {"paper_duplex_share": duplex, "consumables_green_share": green}


def test_the_seeds_fourth_target_is_judged_on_the_hand_counted_consumables(demo):
    """办公耗材数量和费用同比下降3%以上: quantity and cost, 2020 against 2019, both must fall 3 %."""
    from agencies.models import Agency

    bureau = Agency.objects.get(code="LYYB")
    results = {r.indicator: r for r in targets_evaluate(agency_ids=[bureau.pk], year=2020, as_of_month=12)}
    for index, key in enumerate(("consumables_quantity", "consumables_cost")):
        before, after = CONSUMABLES_PINNED[2019][index], CONSUMABLES_PINNED[2020][index]
        assert (results[key].baseline, results[key].actual) == (before, after)
        change = ((after - before) / before * 100).quantize(D("0.01"))
        assert results[key].change_percent == change
        assert results[key].status == (TargetStatus.MET if change <= -3 else TargetStatus.MISSED)
    assert (results["consumables_quantity"].change_percent, results["consumables_cost"].change_percent) == (
        D("-14.72"),
        D("-3.77"),
    )


def test_the_bureaus_waste_is_exactly_its_collections_added_up_by_hand(demo):
    from agencies.models import Agency
    from reporting.figures.read import totals_by_agency
    from waste.models import WasteCollection

    bureau = Agency.objects.get(code="LYYB").pk
    for year in YEARS:
        kg: dict = defaultdict(Decimal)
        for category, weight in WasteCollection.objects.filter(
            agency__code="LYYB", date__year=year
        ).values_list("category", "weight"):
            kg[category] += weight
        assert dict(kg) == WASTE_PINNED[year]
        for category, weight in kg.items():
            assert year_sum("LYYB", f"waste.{category}", None, year) == weight, (year, category)
        assert figure("LYYB", "waste", None, year) == sum(kg.values())
        months = year_months(year)
        share = totals_by_agency(indicator="waste.recyclable_share", months=months, agency_ids=[bureau])
        assert share[bureau] == kg["recyclable"] / sum(kg.values()) * 100


# The bureau's vehicles: which months of each year each was in use, written out from the demo's
# story (the diesel van sealed from 2020-06-01, the electric BYD in use from 2020-06-01).
MONTHS_IN_USE = {
    2019: {"鲁Q12378": 12, "鲁Q20916": 12, "鲁Q3L705": 12},
    2020: {"鲁Q12378": 12, "鲁Q20916": 12, "鲁Q3L705": 5, "鲁QD05126": 7},
}
FUEL_PLATES = ("鲁Q12378", "鲁Q20916", "鲁Q3L705")


def litres_by_hand(year: int) -> Decimal:
    """Every litre on the bureau's receipts of the year (charging is kWh, not litres)."""
    from vehicles.models import FuelLog

    logs = FuelLog.objects.filter(vehicle__agency__code="LYYB", date__year=year).exclude(grade="electric")
    return logs.aggregate(total=Sum("quantity"))["total"]


def full_to_full_by_hand(year: int) -> tuple[Decimal, Decimal]:
    """(km, litres) of the fuel vehicles' spans closed in ``year``: from each vehicle's last full
    fill before the year (or its first full fill) to its last full fill in the year."""
    from vehicles.models import FuelLog

    km = litres = D(0)
    for plate in FUEL_PLATES:
        logs = list(
            FuelLog.objects.filter(vehicle__agency__code="LYYB", vehicle__plate=plate).order_by("date")
        )
        full = [log for log in logs if log.full]
        before = [log for log in full if log.date.year < year] or [full[0]]
        inside = [log for log in full if log.date.year == year]
        if not inside:
            continue
        start, end = before[-1], inside[-1]
        km += end.odometer - start.odometer
        litres += sum(log.quantity for log in logs if start.date < log.date <= end.date)
    return km, litres


def test_the_bureaus_fuel_per_vehicle_in_use_is_counted_by_hand_and_falls_in_2020(demo):
    """The seed's third target: litres ÷ vehicles in use (the mean of the months), −3 % vs 2019."""
    from agencies.models import Agency
    from vehicles.models import Vehicle

    bureau = Agency.objects.get(code="LYYB")
    assert set(Vehicle.objects.filter(agency=bureau).values_list("plate", flat=True)) == set(
        MONTHS_IN_USE[2020]
    )
    per_vehicle = {}
    for year in YEARS:
        litres = litres_by_hand(year)
        assert (year, figure("LYYB", "vehicles.fuel", None, year)) == (year, litres)
        per_vehicle[year] = litres / (D(sum(MONTHS_IN_USE[year].values())) / 12)
        km, accounted = full_to_full_by_hand(year)
        assert (year, figure("LYYB", "vehicles.distance.fuel", None, year)) == (year, km)
        assert (year, figure("LYYB", "vehicles.fuel_accounted", None, year)) == (year, accounted)
    results = {r.indicator: r for r in targets_evaluate(agency_ids=[bureau.pk], year=2020, as_of_month=12)}
    fuel = results["vehicles.fuel"]
    assert (fuel.baseline, fuel.actual) == (per_vehicle[2019], per_vehicle[2020])
    change = ((per_vehicle[2020] - per_vehicle[2019]) / per_vehicle[2019] * 100).quantize(D("0.01"))
    assert fuel.change_percent == change and change <= -3
    assert fuel.status == TargetStatus.MET
