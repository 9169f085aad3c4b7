"""Per-vehicle accounting by the full-to-full method against a hand calculation with partial fills,
through the pure functions, the accounting page's reads and the registered ratio indicator."""

from datetime import date
from decimal import Decimal as D

import pytest

from reporting import writes
from reporting.figures.read import figure_sums, totals_by_agency
from vehicles.accounting import Account, Fill, account, monthly, over_percent, per_100, spans
from vehicles.indicators import ACCOUNTED, DISTANCE, DISTANCE_FUEL, FUEL, LOG_KEYS, RATE
from vehicles.models import Vehicle
from vehicles.queries import accounts

from .factories import FuelLogFactory, VehicleFactory

# One vehicle, standard 9.0 L/100 km, the first quarter of 2020 (odometer km, litres, full?):
LOGS = [
    (date(2020, 1, 5), "10000", "40", True),  # opens the first span: its litres belong to no span
    (date(2020, 1, 15), "10250", "20", False),  # partial: carried to the next full fill
    (date(2020, 1, 28), "10600", "35", True),  # closes span 1: 600 km, 20 + 35 = 55 L
    (date(2020, 2, 10), "10900", "15", False),  # partial
    (date(2020, 2, 20), "11100", "10", False),  # partial
    (date(2020, 3, 3), "11500", "30", True),  # closes span 2: 900 km, 15 + 10 + 30 = 55 L
    (date(2020, 3, 25), "11800", "20", False),  # partial after the last full fill: no span yet
]
# By hand:
# January  span 1: 55 L / 600 km × 100 = 9.1666… L/100 km, over the 9.0 standard by 1.85 %
# February no span closes: no distance, no rate (25 L bought)
# March    span 2: 55 L / 900 km × 100 = 6.1111… L/100 km
# Q1       110 L / 1 500 km × 100 = 7.3333… L/100 km (and not 170 L bought / 1 800 km = 9.44)
JAN_RATE = D(55) / D(600) * 100
MAR_RATE = D(55) / D(900) * 100
Q1_RATE = D(110) / D(1500) * 100
Q1 = [date(2020, 1, 1), date(2020, 2, 1), date(2020, 3, 1)]


def _fills():
    return [Fill(day, D(q), D(km), full, D(q) * D("6.5")) for day, km, q, full in LOGS]


def test_spans_carry_partial_fills_to_the_next_full_fill():
    found = spans(_fills())
    assert [(s.opened, s.closed, s.distance, s.quantity, s.fills) for s in found] == [
        (date(2020, 1, 5), date(2020, 1, 28), D(600), D(55), 2),
        (date(2020, 1, 28), date(2020, 3, 3), D(900), D(55), 3),
    ]


def test_months_and_quarter_match_the_hand_calculation():
    by_month = monthly(_fills(), Q1, standard=D(9))
    jan, feb, mar = (by_month[m] for m in Q1)
    assert (jan.distance, jan.quantity, jan.bought) == (D(600), D(55), D(95))
    assert jan.rate == JAN_RATE
    assert jan.over.quantize(D("0.01")) == D("1.85")
    assert (feb.distance, feb.rate, feb.bought, feb.over) == (D(0), None, D(25), None)
    assert mar.rate == MAR_RATE and mar.over is None
    quarter = account(_fills(), Q1, standard=D(9))
    assert (quarter.distance, quarter.quantity, quarter.bought) == (D(1500), D(110), D(170))
    assert quarter.rate == Q1_RATE and quarter.over is None
    assert quarter.partial_fills == 3


def test_over_percent_at_its_threshold():
    assert over_percent(D(9), D(9)) is None  # at the standard is not over it
    assert over_percent(D("9.09"), D(9)) == (D("9.09") / D(9) - 1) * 100
    assert over_percent(None, D(9)) is None
    assert over_percent(D(9), None) is None


def test_fills_before_the_first_full_fill_and_a_vehicle_never_filled_up():
    fills = [Fill(date(2020, 1, 1), D(10), D(100), False), Fill(date(2020, 1, 9), D(30), D(400), True)]
    assert spans(fills) == []
    assert spans([Fill(date(2020, 1, 1), D(10), D(100), False)]) == []


def _vehicle_with_logs(agency, department=None):
    vehicle = VehicleFactory(agency=agency, department=department, standard=D(9))
    for day, km, q, full in LOGS:
        FuelLogFactory(
            vehicle=vehicle, date=day, odometer=D(km), quantity=D(q), amount=D(q) * D("6.5"), full=full
        )
    return vehicle


@pytest.mark.django_db
def test_the_accounting_reads_give_the_hand_calculation(agency, department):
    vehicle = _vehicle_with_logs(agency, department)
    (row,) = accounts(Vehicle.objects.filter(pk=vehicle.pk), Q1)
    assert row.account.rate == Q1_RATE
    assert row.account.bought == D(170) and row.cost == D(170) * D("6.5")
    (jan,) = accounts(Vehicle.objects.filter(pk=vehicle.pk), Q1[:1])
    assert jan.account.over.quantize(D("0.01")) == D("1.85")


@pytest.mark.django_db
def test_the_registered_ratio_reads_the_hand_calculation_over_the_quarter(agency, department):
    _vehicle_with_logs(agency, department)
    writes.refresh_now(agency_ids=[agency.pk], months=Q1, indicators=LOG_KEYS)
    sums = figure_sums(
        agency_ids=[agency.pk], keys=[RATE, FUEL, DISTANCE], years=[2020], through=3, quarter_from=1
    )
    assert sums[(agency.pk, RATE, 2020)]["q"] == Q1_RATE
    assert sums[(agency.pk, FUEL, 2020)]["q"] == D(170)
    assert sums[(agency.pk, DISTANCE, 2020)]["q"] == D(1500)
    assert totals_by_agency(indicator=RATE, months=Q1[:1], agency_ids=[agency.pk]) == {agency.pk: JAN_RATE}
    # the ratio is never a sum of the monthly ratios (9.17 + 6.11 …)
    parts = totals_by_agency(indicator=ACCOUNTED, months=Q1, agency_ids=[agency.pk])
    km = totals_by_agency(indicator=DISTANCE_FUEL, months=Q1, agency_ids=[agency.pk])
    assert (parts[agency.pk], km[agency.pk]) == (D(110), D(1500))


def test_the_pure_accounting_at_its_edges():
    # (mutation testing: docs/testing.md) fills of one day are taken in odometer order, whatever
    # order they come in
    day = date(2020, 4, 1)
    same_day = [Fill(day, D(30), D(500), True), Fill(day, D(40), D(100), True)]
    assert [(s.distance, s.quantity, s.fills) for s in spans(same_day)] == [(D(400), D(30), 1)]
    assert per_100(D(5), D(100)) == D(5)
    assert per_100(None, D(100)) is None and per_100(D(5), D(0)) is None and per_100(D(5), D(-1)) is None
    assert over_percent(D(10), D(0)) is None and over_percent(D(10), D(-1)) is None
    assert over_percent(D(10), D(8)) == D(25)
    # a short span and a small standard are figures like any other: only zero and below are not
    assert per_100(D(2), D(1)) == D(200) and per_100(D("0.1"), D("0.5")) == D(20)
    assert over_percent(D("1.5"), D(1)) == D(50) and over_percent(D("0.6"), D("0.5")) == D(20)
    assert over_percent(D(1), D(1)) is None
    empty = Account()
    assert (empty.distance, empty.quantity, empty.bought, empty.cost, empty.fills, empty.spans) == (
        D(0), D(0), D(0), D(0), 0, []
    )  # fmt: skip
    assert (empty.rate, empty.over, empty.partial_fills, empty.standard) == (None, None, 0, None)
    by_month = monthly(_fills(), [date(2020, 1, 20), date(2020, 3, 1)])
    assert list(by_month) == [date(2020, 1, 1), date(2020, 3, 1)]  # February not asked
    jan, mar = by_month.values()
    assert (jan.cost, jan.fills, len(jan.spans), jan.standard) == (D(95) * D("6.5"), 3, 1, None)
    assert (mar.cost, mar.fills, [s.closed for s in mar.spans]) == (D(50) * D("6.5"), 2, [date(2020, 3, 3)])
    # the quarter adds its months once each, however the months are given
    quarter = account(_fills(), [date(2020, 3, 9), date(2020, 1, 1), date(2020, 2, 1), date(2020, 3, 1)])
    assert (quarter.distance, quarter.quantity, quarter.bought, quarter.cost, quarter.fills) == (
        D(1500), D(110), D(170), D(170) * D("6.5"), 7
    )  # fmt: skip
    assert [s.closed for s in quarter.spans] == [date(2020, 1, 28), date(2020, 3, 3)]
    assert quarter.standard is None and account(_fills(), Q1, standard=D(7)).over == (Q1_RATE / 7 - 1) * 100
