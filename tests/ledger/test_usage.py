"""Usage from cumulative readings: spreading by days, splitting, rollover and replacement (hypothesis)."""

import itertools
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from ledger.usage import Point, bill_spread, interval_usage, meter_usage, spread

dates = st.dates(min_value=date(2018, 1, 1), max_value=date(2023, 12, 31))
quantities = st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False, allow_infinity=False)
factors = st.decimals(min_value=Decimal("0.001"), max_value=Decimal("1"), places=4)
multipliers = st.sampled_from([Decimal(1), Decimal(40), Decimal("2.5"), Decimal(200)])


def test_month_end_readings_give_whole_months():
    assert spread(date(2020, 1, 31), date(2020, 2, 29), Decimal(290)) == {date(2020, 2, 1): Decimal(290)}


def test_a_period_is_spread_over_months_by_days():
    # 2020-01-21 → 2020-02-10: 10 days of January (22..31) and 10 of February.
    assert spread(date(2020, 1, 21), date(2020, 2, 10), Decimal(200)) == {
        date(2020, 1, 1): Decimal("100.0000"),
        date(2020, 2, 1): Decimal(100),
    }


def test_a_bill_counts_its_first_and_last_day():
    parts = bill_spread(date(2020, 1, 1), date(2020, 3, 31), Decimal(91))
    assert parts == {
        date(2020, 1, 1): Decimal(31),
        date(2020, 2, 1): Decimal(29),
        date(2020, 3, 1): Decimal(31),
    }


@given(dates, st.integers(1, 900), quantities)
def test_the_parts_of_a_spread_add_up_to_the_quantity_exactly(start, days, quantity):
    assert sum(spread(start, start + timedelta(days=days), quantity).values()) == quantity


@given(dates, st.integers(2, 900), st.data(), quantities, quantities)
def test_splitting_a_period_anywhere_never_changes_the_total(start, days, data, first, extra):
    end = start + timedelta(days=days)
    cut = start + timedelta(days=data.draw(st.integers(1, days - 1)))
    points_whole = [Point(start, Decimal(0)), Point(end, first + extra)]
    points_split = [Point(start, Decimal(0)), Point(cut, first), Point(end, first + extra)]
    whole = meter_usage(points_whole, dial_digits=8, multiplier=Decimal(1), share=Decimal(1))
    split = meter_usage(points_split, dial_digits=8, multiplier=Decimal(1), share=Decimal(1))
    assert sum(whole.values()) == sum(split.values()) == first + extra
    assert set(split) <= set(whole)


@given(st.lists(st.tuples(st.integers(1, 120), quantities), min_size=1, max_size=30), multipliers, factors)
def test_monthly_totals_equal_the_end_to_end_difference_times_multiplier_and_share(steps, multiplier, share):
    day, value, points = date(2019, 1, 31), Decimal(0), [Point(date(2019, 1, 31), Decimal(0))]
    for days, used in steps:
        day, value = day + timedelta(days=days), value + used
        points.append(Point(day, value))
    usage = meter_usage(points, dial_digits=9, multiplier=multiplier, share=share)
    assert sum(usage.values()) == (value - 0) * multiplier * share


@given(st.integers(3, 7), st.data(), multipliers, factors)
def test_a_rollover_counts_exactly_what_passed_the_dial(digits, data, multiplier, share):
    top = Decimal(10) ** digits
    before = Decimal(data.draw(st.integers(0, int(top) - 1)))
    after = Decimal(data.draw(st.integers(0, int(before))))
    points = [Point(date(2020, 1, 31), before), Point(date(2020, 3, 31), after, "rollover")]
    usage = meter_usage(points, dial_digits=digits, multiplier=multiplier, share=share)
    assert sum(usage.values()) == (top - before + after) * multiplier * share
    assert interval_usage(points, dial_digits=digits) == top - before + after


@given(quantities, quantities, quantities, quantities)
def test_a_replacement_counts_the_old_meter_to_its_end_and_the_new_one_from_its_start(
    a, used_old, start, used_new
):
    points = [
        Point(date(2020, 1, 31), a),
        Point(date(2020, 2, 15), a + used_old, "replacement_final"),
        Point(date(2020, 2, 15), start, "replacement_initial"),
        Point(date(2020, 3, 31), start + used_new),
    ]
    usage = meter_usage(list(reversed(points)), dial_digits=8, multiplier=Decimal(1), share=Decimal(1))
    assert sum(usage.values()) == used_old + used_new


@given(
    dates,
    st.lists(st.tuples(st.integers(0, 45), quantities, st.booleans()), min_size=1, max_size=40),
    multipliers,
    factors,
)
def test_usage_of_readings_in_order_equals_spreading_every_interval_one_by_one(
    first, steps, multiplier, share
):
    """sequence_usage's same-month shortcut gives exactly what spread gives for each interval."""
    from ledger.usage import ROLLOVER, add_into, dial_step, sequence_usage

    rows, day, value = [(first, Decimal(0), "normal")], first, Decimal(0)
    for gap, quantity, rollover in steps:
        day += timedelta(days=gap)
        if rollover and value > quantity:
            rows.append((day, quantity, ROLLOVER))
        else:
            rows.append((day, value + quantity, "normal"))
        value = rows[-1][1]
    rows = [r for i, r in enumerate(rows) if i == 0 or r[0] != rows[i - 1][0]]  # one reading a day
    expected: dict = {}
    for (a, a_value, _e), (b, b_value, event) in itertools.pairwise(rows):
        step = dial_step(a_value, b_value, event, 9)
        if step:
            add_into(expected, spread(a, b, step * multiplier * share))
    assert sequence_usage(rows, 9, multiplier * share) == expected


@given(st.lists(st.decimals(min_value=0, max_value=10**4, places=4), min_size=3, max_size=12))
def test_the_usual_rate_is_the_statistics_median(rates):
    from statistics import median

    from ledger.rules import usual_of

    assert usual_of(rates) == median(rates)


def test_a_single_reading_or_none_has_used_a_decimal_zero():
    # (mutation testing) the sum starts from Decimal(0): the callers quantize the usage
    for points in ([], [Point(date(2020, 1, 31), Decimal(5))]):
        usage = interval_usage(points, dial_digits=6)
        assert usage == 0 and type(usage) is Decimal


def test_a_replacement_adds_nothing_between_the_old_meters_final_and_the_new_meters_first_reading():
    # 50 on the old meter up to its final reading, none at the swap, 50 on the new meter after it;
    # given in any order, the new meter's first reading sorts after the old one's final reading
    points = [
        Point(date(2020, 2, 29), Decimal(53)),
        Point(date(2020, 2, 15), Decimal(3), "replacement_initial"),
        Point(date(2020, 2, 15), Decimal(950), "replacement_final"),
        Point(date(2020, 1, 31), Decimal(900)),
    ]
    assert interval_usage(points, dial_digits=6) == 100


def test_a_spread_over_no_day_or_backwards_falls_on_its_last_day_s_month():
    # (mutation testing) no division by zero days: the whole quantity goes to the end's month
    assert spread(date(2020, 3, 10), date(2020, 3, 10), Decimal(7)) == {date(2020, 3, 1): Decimal(7)}
    assert spread(date(2020, 4, 2), date(2020, 3, 31), Decimal(7)) == {date(2020, 3, 1): Decimal(7)}
    assert spread(date(2020, 3, 10), date(2020, 3, 10), Decimal(0)) == {}


def test_the_first_reading_of_a_sequence_is_where_counting_starts_whatever_its_event():
    from ledger.usage import ROLLOVER, sequence_usage

    # a window of readings that begins on a rollover: nothing is counted before its first reading
    rows = [(date(2020, 1, 31), Decimal(9990), ROLLOVER), (date(2020, 2, 29), Decimal(9995), "normal")]
    assert sequence_usage(rows, 4, Decimal(1)) == {date(2020, 2, 1): Decimal(5)}
    assert sequence_usage(rows[:1], 4, Decimal(1)) == {}
