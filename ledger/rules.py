"""The one rule that validates a meter reading, from primitives only (no queries).

The form, the monthly round and the Excel import all call ``reading_check``; it costs a few
microseconds, so a file of 100,000 readings validates in about a second once the meters and
their neighbouring readings are loaded.
"""

from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from .usage import REPLACEMENT_INITIAL, ROLLOVER, Point, dial_step

ABNORMAL_FACTOR = Decimal(3)  # usage above 3× the median of the recent months needs confirming
HISTORY = 12  # how many recent intervals the median looks at
MIN_HISTORY = 3  # fewer intervals than this: no judgement
REPLACEMENT_FINAL = "replacement_final"
_DIAL_LIMITS: dict[int, Decimal] = {}  # dial digits -> 10^digits, the first value the dial cannot show


@dataclass(frozen=True, slots=True)
class MeterFacts:
    dial_digits: int
    multiplier: Decimal
    share: Decimal
    installed_on: date | None = None
    retired_on: date | None = None
    unit: str = ""


@dataclass(slots=True)
class Check:
    """What ``reading_check`` found: errors per field, the usage since the previous reading, a flag."""

    errors: dict[str, str] = field(default_factory=dict)
    usage: Decimal | None = None  # × multiplier × share
    rate: Decimal | None = None  # dial usage per day since the previous reading (before multiplier)
    abnormal: bool = False  # above the usual; allowed only when confirmed
    needs_confirmation: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


def recent_rates(history: list[Point], dial_digits: int) -> list[Decimal]:
    """Dial usage per day of the last HISTORY intervals of ``history`` (sorted), oldest first."""
    rates = []
    for previous, current in itertools.pairwise(history[-HISTORY - 1 :]):
        days = (current.date - previous.date).days
        if days > 0:
            rates.append(dial_step(previous.value, current.value, current.event, dial_digits) / days)
    return rates


def usual_of(rates: list[Decimal]) -> Decimal | None:
    """The median of the recent rates, or None when there are too few to judge."""
    return _median_of_sorted(sorted(rates))


def _median_of_sorted(ordered: list[Decimal]) -> Decimal | None:
    """``statistics.median``'s arithmetic written out (it runs once per imported row)."""
    n = len(ordered)
    if n < MIN_HISTORY:
        return None
    half = n // 2
    return ordered[half] if n % 2 else (ordered[half - 1] + ordered[half]) / 2


class RecentRates:
    """A meter's last ``HISTORY`` daily rates as a file of readings appends to it: kept in
    arrival order and sorted, so that each row's usual is a lookup rather than a sort."""

    __slots__ = ("_arrived", "_sorted")

    def __init__(self, rates: list[Decimal]):
        self._arrived = list(rates[-HISTORY:])
        self._sorted = sorted(self._arrived)

    def add(self, rate: Decimal) -> None:
        self._arrived.append(rate)
        bisect.insort(self._sorted, rate)
        if len(self._arrived) > HISTORY:
            oldest = self._arrived.pop(0)
            del self._sorted[bisect.bisect_left(self._sorted, oldest)]

    def usual(self) -> Decimal | None:
        """``usual_of`` the rates held."""
        return _median_of_sorted(self._sorted)


def usual_daily(history: list[Point], dial_digits: int) -> Decimal | None:
    """The median dial usage per day over the last intervals of ``history`` (sorted), or None."""
    return usual_of(recent_rates(history, dial_digits))


def _fmt(value: Decimal) -> str:
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}"


def appended_check(
    day: date,
    value: Decimal,
    facts: MeterFacts,
    previous: Point,
    today: date,
    usual: Decimal | None,
    confirm_abnormal: bool,
) -> tuple[Decimal | None, bool] | None:
    """``reading_check``'s answer, as ``(rate, abnormal)``, for the commonest row of an import —
    a ``normal`` reading after the meter's last one (``previous``), with none after it — when
    that answer holds no error; ``None`` when the reading might have one: ``reading_check`` then
    decides and words the messages. The same comparisons in the same order, without building a
    ``Check`` (a file of 100,000 readings calls it once per row); ``tests/ledger/
    test_rule_thresholds.py`` holds it to ``reading_check`` on random readings."""
    if day > today or value < previous.value or value < 0:
        return None
    installed_on, retired_on = facts.installed_on, facts.retired_on
    if (installed_on and day < installed_on) or (retired_on and day > retired_on):
        return None
    limit = _DIAL_LIMITS.get(facts.dial_digits)
    if limit is None:
        limit = _DIAL_LIMITS[facts.dial_digits] = Decimal(10) ** facts.dial_digits
    if value >= limit:
        return None
    days = (day - previous.date).days
    if days <= 0:
        return None, False
    rate = (value - previous.value) / days  # dial_step of a normal reading
    if usual is not None and usual > 0 and rate > ABNORMAL_FACTOR * usual:
        return (rate, True) if confirm_abnormal else None
    return rate, False


def reading_check(
    *,
    day: date,
    value: Decimal,
    event: str,
    facts: MeterFacts,
    previous: Point | None,
    following: Point | None,
    today: date,
    usual: Decimal | None = None,
    confirm_abnormal: bool = False,
) -> Check:
    """Validate one reading against its neighbours; ``usual`` is ``usual_daily`` of the history."""
    check = Check()
    errors = check.errors
    if day > today:
        errors["date"] = _("The reading date cannot be in the future.")
    elif facts.installed_on and day < facts.installed_on:
        errors["date"] = _("The meter was installed on %(date)s; a reading cannot be earlier.") % {
            "date": facts.installed_on.isoformat()
        }
    elif facts.retired_on and day > facts.retired_on:
        errors["date"] = _("The meter was retired on %(date)s; a reading cannot be later.") % {
            "date": facts.retired_on.isoformat()
        }
    if value < 0:
        errors["value"] = _("A reading cannot be negative.")
        return check
    limit = _DIAL_LIMITS.get(facts.dial_digits)
    if limit is None:
        limit = _DIAL_LIMITS[facts.dial_digits] = Decimal(10) ** facts.dial_digits
    if value >= limit:
        errors["value"] = _("The value has more digits than the meter's dial (%(digits)d).") % {
            "digits": facts.dial_digits
        }
        return check

    if event == REPLACEMENT_INITIAL:
        if previous is None or previous.event != REPLACEMENT_FINAL or previous.date != day:
            errors["event"] = _(
                "A new meter's first reading must follow the old meter's final reading on the same date."
            )
        check.usage = Decimal(0)
    elif previous is not None:
        if event == ROLLOVER:
            if value >= previous.value:
                errors["event"] = _(
                    "A rollover reading is below the previous one (%(previous)s on %(date)s); "
                    "this one is not."
                ) % {"previous": _fmt(previous.value), "date": previous.date.isoformat()}
        elif value < previous.value:
            errors["value"] = _(
                "The value is below the previous reading (%(previous)s on %(date)s). If the dial passed "
                "zero, record a rollover; if the meter was changed, record a replacement."
            ) % {"previous": _fmt(previous.value), "date": previous.date.isoformat()}
    elif event == ROLLOVER:
        errors["event"] = _("A rollover needs a previous reading.")

    if following is not None and following.event not in (ROLLOVER, REPLACEMENT_INITIAL):
        if event == REPLACEMENT_FINAL:
            errors["event"] = _(
                "A replacement's final reading must be the meter's last reading before the new one."
            )
        elif value > following.value:
            errors["value"] = _("The value is above the next reading (%(next)s on %(date)s).") % {
                "next": _fmt(following.value),
                "date": following.date.isoformat(),
            }
    if errors or previous is None or event == REPLACEMENT_INITIAL:
        return check

    step = dial_step(previous.value, value, event, facts.dial_digits)
    check.usage = step * facts.multiplier * facts.share
    days = (day - previous.date).days
    if days > 0:
        check.rate = step / days
    if usual is not None and usual > 0 and days > 0 and check.rate > ABNORMAL_FACTOR * usual:
        check.abnormal = True
        if not confirm_abnormal:
            check.needs_confirmation = True
            errors["confirm_abnormal"] = _(
                "Usage of %(usage)s %(unit)s is more than 3 times this meter's usual (%(usual)s %(unit)s per "
                "30 days, the median of its last 12 readings). Check the value; if it is right, tick "
                "“confirm unusual usage”."
            ) % {
                "usage": _fmt(check.usage.quantize(Decimal("0.01"))),
                "usual": _fmt((usual * 30 * facts.multiplier * facts.share).quantize(Decimal("0.01"))),
                "unit": facts.unit,
            }
    return check
