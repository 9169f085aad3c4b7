"""What a publication locks: the (agency, month, indicator) of the figures it published.

Publishing a quarter locks, for each of its months, the summed indicators its snapshot gave a
quarter figure for (a ratio locks its two parts) — not the ledgers that were not in it, so a
ledger that arrives later can still enter its baseline. A write names the indicators its rows
feed (``reporting.writes``) and is refused when one of them is locked in a month it touches;
reopening the quarter removes its locks.
"""

from collections.abc import Iterable, Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from agencies.conventions import join_list

from ..models import PeriodLock
from ..periods import Quarter
from ..registry import get_indicator, summed_keys


class PeriodLockedError(ValidationError):
    """Raised when a write touches an indicator that a published disclosure froze."""


def month_start(day: date) -> date:
    return day.replace(day=1)


def locked(*, agency_id: int, months: Iterable[date], indicators: Sequence[str]) -> list[tuple[date, str]]:
    """The (month, summed indicator) pairs among these that a publication locked; one query."""
    months = {month_start(m) for m in months}
    if not months:
        return []
    rows = PeriodLock.objects.filter(
        agency_id=agency_id, month__in=months, indicator__in=summed_keys(indicators)
    ).values_list("month", "indicator")
    return sorted(rows)


def locked_message(pairs: list[tuple[date, str]]) -> str:
    """What was refused and the way to reopen it, naming the quarters."""
    quarters = sorted({Quarter.containing(month) for month, _key in pairs})
    names = []
    for _month, key in pairs:
        try:
            name = str(get_indicator(key).name)
        except LookupError:
            name = key
        if name not in names:
            names.append(name)
    return _(
        "%(indicators)s of %(months)s was published in the disclosure of %(quarters)s and is locked. "
        "To change it, the energy manager reopens %(quarters)s with a reason (Disclosures → the "
        "quarter → Reopen), then corrects it, recomputes and publishes a corrected version."
    ) % {
        "indicators": join_list(names),
        "months": join_list(sorted({f"{month:%Y-%m}" for month, _key in pairs})),
        "quarters": join_list(q.label for q in quarters),
    }


def assert_indicators_open(*, agency_id: int, months: Iterable[date], indicators: Sequence[str]) -> None:
    if not indicators:
        raise ValueError("A write names the indicators its rows feed (its own keys).")
    pairs = locked(agency_id=agency_id, months=months, indicators=indicators)
    if pairs:
        raise PeriodLockedError(locked_message(pairs), code="period_locked")


def snapshot_lock_keys(data: dict) -> list[str]:
    """The summed indicators a published snapshot froze: those it gave a quarter figure for."""
    keys: list[str] = []
    for item in data.get("indicators", []):
        if item.get("quarter") is None:
            continue
        try:
            parts = summed_keys([item["key"]])
        except LookupError:  # an indicator no longer registered keeps its own key
            parts = [item["key"]]
        keys += [k for k in parts if k not in keys]
    return keys


def lock_indicators(
    *, agency_id: int, months: Iterable[date], indicators: Iterable[str], by=None, note: str = ""
) -> None:
    PeriodLock.objects.bulk_create(
        [
            PeriodLock(agency_id=agency_id, month=month_start(m), indicator=key, locked_by=by, note=note)
            for m in set(months)
            for key in indicators
        ],
        ignore_conflicts=True,
    )


def unlock_months(*, agency_id: int, months: Iterable[date]) -> int:
    deleted, _unused = PeriodLock.objects.filter(
        agency_id=agency_id, month__in={month_start(m) for m in months}
    ).delete()
    return deleted
