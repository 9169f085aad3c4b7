"""Per-vehicle fuel accounting (单车油耗核算) by the full-to-full method — pure, no queries.

A span runs from one fill to full (加满) to the next: its distance is the difference of their
odometer readings, its fuel everything put in after the first full fill up to and including the
one that closes it — so a partial fill is carried to the next full fill. A span counts in the
month of the fill that closes it. Fills before a vehicle's first full fill, and partial fills
after its last one, belong to no closed span yet (their distance is not known).

For an electric vehicle the same is done with its charges (kWh, charged to full). A hybrid is
accounted by its fuel; its charges are counted as kWh but give it no distance of their own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Fill:
    day: date
    quantity: Decimal
    odometer: Decimal
    full: bool
    amount: Decimal = Decimal(0)


@dataclass(frozen=True)
class Span:
    opened: date  # the full fill it starts from
    closed: date  # the full fill that closes it
    distance: Decimal
    quantity: Decimal  # put in after ``opened`` up to and including ``closed``
    fills: int


def ordered(fills: Iterable[Fill]) -> list[Fill]:
    return sorted(fills, key=lambda f: (f.day, f.odometer))


def spans(fills: Iterable[Fill]) -> list[Span]:
    """The closed full-to-full spans of one vehicle's fills (of one energy)."""
    out: list[Span] = []
    opened: Fill | None = None
    carried, count = Decimal(0), 0
    for fill in ordered(fills):
        if opened is None:
            if fill.full:
                opened = fill
            continue
        carried += fill.quantity
        count += 1
        if fill.full:
            out.append(Span(opened.day, fill.day, fill.odometer - opened.odometer, carried, count))
            opened, carried, count = fill, Decimal(0), 0
    return out


def per_100(quantity: Decimal | None, distance: Decimal | None) -> Decimal | None:
    if quantity is None or distance is None or distance <= 0:
        return None
    return quantity / distance * HUNDRED


def over_percent(rate: Decimal | None, standard: Decimal | None) -> Decimal | None:
    """How far above its standard, in % of the standard; None when not above it."""
    if rate is None or standard is None or standard <= 0 or rate <= standard:
        return None
    return (rate / standard - 1) * HUNDRED


@dataclass
class Account:
    """One vehicle over one period (a month, a quarter, a year)."""

    distance: Decimal = Decimal(0)  # km of the spans closed in the period
    quantity: Decimal = Decimal(0)  # L (kWh) of those spans
    bought: Decimal = Decimal(0)  # L (kWh) of the fills dated in the period
    cost: Decimal = Decimal(0)  # yuan of the fills dated in the period
    fills: int = 0
    spans: list[Span] = field(default_factory=list)
    standard: Decimal | None = None

    @property
    def rate(self) -> Decimal | None:
        """L/100 km (kWh/100 km) of the closed spans: accounted fuel ÷ distance × 100."""
        return per_100(self.quantity, self.distance)

    @property
    def over(self) -> Decimal | None:
        return over_percent(self.rate, self.standard)

    @property
    def partial_fills(self) -> int:
        return sum(s.fills - 1 for s in self.spans)


def month_of(day: date) -> date:
    return day.replace(day=1)


def monthly(
    fills: Sequence[Fill], months: Sequence[date], *, standard: Decimal | None = None
) -> dict[date, Account]:
    """{month: account} of one vehicle, one account per month asked."""
    out = {month_of(m): Account(standard=standard) for m in months}
    for fill in fills:
        row = out.get(month_of(fill.day))
        if row is not None:
            row.bought += fill.quantity
            row.cost += fill.amount
            row.fills += 1
    for span in spans(fills):
        row = out.get(month_of(span.closed))
        if row is not None:
            row.distance += span.distance
            row.quantity += span.quantity
            row.spans.append(span)
    return out


def account(fills: Sequence[Fill], months: Iterable[date], *, standard: Decimal | None = None) -> Account:
    """One vehicle's account over the given months (first days): its months' accounts added up."""
    result = Account(standard=standard)
    for row in monthly(fills, sorted({month_of(m) for m in months})).values():
        result.distance += row.distance
        result.quantity += row.quantity
        result.bought += row.bought
        result.cost += row.cost
        result.fills += row.fills
        result.spans += row.spans
    return result
