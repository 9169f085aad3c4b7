"""Usage from cumulative readings and bills, spread over calendar months by days (pure functions).

A reading dated D counts as taken at the end of day D, so the interval between readings on A and
B covers the days A+1 … B, and month-end readings give whole months. Usage of an interval is the
dial difference × multiplier × share; a rollover adds 10^digits, and a replacement restarts the
count from the new meter's first reading (the pair shares a date, so the step between them is 0).
Parts are rounded to 0.0001 and the last month takes the remainder, so totals are exact.
"""

from __future__ import annotations

import calendar
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal

DAY = timedelta(days=1)
PLACES = Decimal("0.0001")
ROLLOVER = "rollover"
REPLACEMENT_INITIAL = "replacement_initial"


@dataclass(frozen=True, slots=True)
class Point:
    """One reading as the computation sees it."""

    date: date
    value: Decimal
    event: str = "normal"

    @property
    def key(self) -> tuple[date, int]:
        return order_key(self.date, self.event)


def order_key(day: date, event: str) -> tuple[date, int]:
    """Readings sort by date; a new meter's first reading comes after the old one's final reading."""
    return (day, 1 if event == REPLACEMENT_INITIAL else 0)


def month_of(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def previous_month(month: date) -> date:
    """The first day of the month before ``month`` (a first day)."""
    return date(month.year - 1, 12, 1) if month.month == 1 else month.replace(month=month.month - 1)


def dial_step(previous: Decimal, value: Decimal, event: str, dial_digits: int) -> Decimal:
    """The dial difference from the previous reading to this one (before multiplier and share)."""
    if event == REPLACEMENT_INITIAL:
        return Decimal(0)
    if event == ROLLOVER:
        return Decimal(10) ** dial_digits - previous + value
    return value - previous


def spread(start: date, end: date, quantity: Decimal) -> dict[date, Decimal]:
    """Spread ``quantity`` used over the days after ``start`` up to and including ``end``.

    Returns {first day of month: part}; the parts add up to ``quantity`` exactly.
    """
    total_days = (end - start).days
    if total_days <= 0:
        return {month_of(end): quantity} if quantity else {}
    parts: dict[date, Decimal] = {}
    cursor, given = start, Decimal(0)
    while cursor < end:
        segment_end = min(end, month_end(cursor + DAY))
        days = (segment_end - cursor).days
        month = month_of(cursor + DAY)
        if segment_end == end:
            parts[month] = quantity - given
        else:
            part = (quantity * days / total_days).quantize(PLACES, rounding=ROUND_HALF_EVEN)
            parts[month] = part
            given += part
        cursor = segment_end
    return parts


def bill_spread(period_start: date, period_end: date, quantity: Decimal) -> dict[date, Decimal]:
    """A bill covers its first to its last day inclusive."""
    return spread(period_start - DAY, period_end, quantity)


def add_into(target: dict, parts: dict) -> None:
    for month, value in parts.items():
        target[month] = target.get(month, Decimal(0)) + value


def meter_usage(
    points: Iterable[Point], *, dial_digits: int, multiplier: Decimal, share: Decimal
) -> dict[date, Decimal]:
    """Monthly usage of one meter from its readings (any order), × multiplier × share."""
    ordered = sorted(points, key=lambda p: p.key)
    return sequence_usage([(p.date, p.value, p.event) for p in ordered], dial_digits, multiplier * share)


def sequence_usage(
    rows: Sequence[tuple[date, Decimal, str]], dial_digits: int, factor: Decimal
) -> dict[date, Decimal]:
    """Monthly usage of one meter's (date, value, event) readings already in reading order, × factor.

    The same arithmetic as ``spread`` over every interval; an interval inside one month (daily or
    weekly readings) skips the day-by-day split, whose only part would be the whole quantity.
    """
    usage: dict[date, Decimal] = {}
    if not rows:
        return usage
    get = usage.get
    month = date.min  # first day of the month last added to (rows are in order: rarely changes)
    previous_day, previous_value = rows[0][0], rows[0][1]
    for day, value, event in itertools.islice(rows, 1, None):
        if event == REPLACEMENT_INITIAL:
            step = 0
        elif event == ROLLOVER:
            step = Decimal(10) ** dial_digits - previous_value + value
        else:
            step = value - previous_value
        if step:
            quantity = step * factor
            if day.month == previous_day.month and day.year == previous_day.year:
                if day.month != month.month or day.year != month.year:
                    month = day.replace(day=1)
                usage[month] = get(month, Decimal(0)) + quantity
            else:
                add_into(usage, spread(previous_day, day, quantity))
        previous_day, previous_value = day, value
    return usage


def interval_usage(points: Iterable[Point], *, dial_digits: int) -> Decimal:
    """The end-to-end dial usage of a run of readings (rollovers and replacements included)."""
    ordered = sorted(points, key=lambda p: p.key)
    return sum(
        (dial_step(a.value, b.value, b.event, dial_digits) for a, b in itertools.pairwise(ordered)),
        Decimal(0),
    )


def months_between(first: date, last: date) -> list[date]:
    """Every first-of-month from ``first``'s month to ``last``'s month inclusive."""
    start, end = first.year * 12 + first.month - 1, last.year * 12 + last.month - 1
    return [date(i // 12, i % 12 + 1, 1) for i in range(start, end + 1)]
