"""Period locks: a published quarter's months refuse ledger writes until a manager reopens them.

Every ledger service and the import pipeline ask ``assert_months_open`` before writing.
"""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import PeriodLock


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


def assert_months_open(*, agency_id: int, months: Iterable[date]) -> None:
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
