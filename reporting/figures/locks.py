"""Period locks: a published quarter's indicators refuse writes into its months until it is reopened.

Write services ask through ``reporting.writes``; the import pipeline asks before it writes.
"""

from collections.abc import Iterable, Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..models import PeriodLock
from ..registry import summed_keys


class PeriodLockedError(ValidationError):
    """Raised when a write touches a month whose disclosure is published."""


def month_start(day: date) -> date:
    return day.replace(day=1)


def locked_months(*, agency_id: int, months: Iterable[date]) -> set[date]:
    months = {month_start(m) for m in months}
    if not months:
        return set()
    return set(
        PeriodLock.objects.filter(agency_id=agency_id, month__in=months).values_list("month", flat=True)
    )


def assert_indicators_open(*, agency_id: int, months: Iterable[date], indicators: Sequence[str]) -> None:
    if not indicators:
        raise ValueError("A write names the indicators its rows feed (its own keys).")
    summed_keys(indicators)  # unknown keys are a programming error: LookupError
    locked = sorted(locked_months(agency_id=agency_id, months=months))
    if locked:
        listed = "、".join(f"{m:%Y-%m}" for m in locked)
        raise PeriodLockedError(
            _(
                "%(months)s belongs to a published disclosure and is locked. "
                "Ask the energy manager to reopen the quarter before changing it."
            )
            % {"months": listed},
            code="period_locked",
        )


def lock_months(*, agency_id: int, months: Iterable[date], by=None, note: str = "") -> None:
    PeriodLock.objects.bulk_create(
        [PeriodLock(agency_id=agency_id, month=month_start(m), locked_by=by, note=note) for m in set(months)],
        ignore_conflicts=True,
    )


def unlock_months(*, agency_id: int, months: Iterable[date]) -> int:
    deleted, _unused = PeriodLock.objects.filter(
        agency_id=agency_id, month__in={month_start(m) for m in months}
    ).delete()
    return deleted
