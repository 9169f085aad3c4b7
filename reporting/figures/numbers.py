"""The arithmetic every reader shares, as small pure functions: a ratio of sums, a change in %,
whether a change meets a reduction target, and the value of an indicator from its parts' sums."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from ..registry import Indicator, Ratio

HUNDRED = Decimal(100)


def ratio_value(numerator: Decimal | None, denominator: Decimal | None, scale: Decimal = Decimal(1)):
    """numerator ÷ denominator × scale; None when a part is missing or the denominator is zero."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return Decimal(numerator) * Decimal(scale) / Decimal(denominator)


def percent_change(new: Decimal | None, old: Decimal | None) -> Decimal | None:
    """(new − old) ÷ old × 100, unrounded; None when either is missing or old is zero."""
    if new is None or old is None or old == 0:
        return None
    return (Decimal(new) - Decimal(old)) / Decimal(old) * HUNDRED


def meets_reduction(change: Decimal | None, reduction_percent: Decimal) -> bool:
    """Whether an unrounded change meets "at least ``reduction_percent`` % lower" (−2.996 % does
    not meet 3 %); no change (missing data) never meets it."""
    return change is not None and change <= -Decimal(reduction_percent)


def indicator_value(indicator: Indicator, summed: Callable[[str], Decimal | None]) -> Decimal | None:
    """The indicator's value over a period from the sums of its summed parts over that period:
    ``summed(key)`` gives one part's sum. A ratio divides its parts' sums; it never sums ratios."""
    if isinstance(indicator.aggregation, Ratio):
        ratio = indicator.aggregation
        return ratio_value(summed(ratio.numerator), summed(ratio.denominator), ratio.scale)
    return summed(indicator.key)
