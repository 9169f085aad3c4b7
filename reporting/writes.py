"""What a data app's write service calls: the lock check, the stale record, the refresh on commit.

Every service that writes source rows (a reading, a fuel log, a paper record, an import) names
the indicators its rows feed — its own keys, never "all" — and the agency and months it touched::

    from reporting import writes

    writes.assert_open(agency_id=a, months=months, indicators=FUEL_KEYS)  # early, clear refusal
    with transaction.atomic():
        log.save()
        writes.mark_stale(agency_id=a, months=months, indicators=FUEL_KEYS)

``assert_open`` refuses (``PeriodLockedError``, a ValidationError naming the quarter and how to
reopen it) when a published disclosure froze one of those indicators in one of those months.
``mark_stale`` must run inside the write's transaction: it checks the locks again, records the
(agency, month, indicator) rows the write made stale (with the indicators derived from them,
``Indicator.derived_from``) — committed or rolled back with the write —
and queues their refresh for after the commit. A refresh that fails never fails the write; the
stale record stays until a later refresh (the nightly reconcile at the latest) clears it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from .figures.locks import PeriodLockedError, assert_indicators_open
from .figures.refresh import figures_refresh
from .figures.stale import stale_mark
from .registry import summed_keys, with_derived

__all__ = ["PeriodLockedError", "assert_open", "mark_stale", "refresh_now"]


def assert_open(*, agency_id: int, months: Iterable[date], indicators: Sequence[str]) -> None:
    """Refuse a write into a published quarter's frozen indicators (read-only; call it early)."""
    assert_indicators_open(agency_id=agency_id, months=months, indicators=indicators)


def mark_stale(*, agency_id: int, months: Iterable[date], indicators: Sequence[str]) -> None:
    """Inside the write's transaction: check the locks, record what is stale, refresh on commit."""
    stale_mark(agency_id=agency_id, months=months, indicators=indicators)


def refresh_now(*, agency_ids: Sequence[int], months: Iterable[date], indicators: Sequence[str]) -> int:
    """Recompute these figures now, in this process (demo seeders and commands after bulk loads).

    Indicators derived from these (``Indicator.derived_from``) are recomputed with them.
    Returns the number of MonthlyFigure rows written."""
    keys = with_derived(summed_keys(indicators))
    return figures_refresh(agency_ids=agency_ids, months=months, indicator_keys=keys)
