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

A rule that compares a row with the rows already written under the same parent (a meter's
readings never go down, a vehicle's odometer never goes back, an item's stock never goes below
zero) is checked and written under a lock on the parent row, so that two writers at the same
moment cannot both pass the check against the rows they saw::

    with writes.serialised(Meter.objects.filter(pk=meter.pk)):
        check against the meter's readings as they are now   # re-read inside the lock
        reading.save()
        writes.mark_stale(...)

The second writer waits for the first to commit, then its check sees the first's row. A ledger
with ordering rules declares its parents (the service's queryset; an import kind's
``serialised_by``) and gets the lock from here, never writes its own SELECT … FOR UPDATE.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date

from django.db import transaction
from django.db.models import Model, QuerySet

from .figures.locks import PeriodLockedError, assert_indicators_open
from .figures.refresh import figures_refresh
from .figures.stale import stale_mark
from .registry import summed_keys, with_derived

__all__ = ["PeriodLockedError", "assert_open", "lock", "mark_stale", "refresh_now", "serialised"]


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


def lock(parents: QuerySet) -> list[Model]:
    """Inside a transaction: lock these parent rows until it ends and return them as they are now.

    Rows are locked in primary-key order, so that two writers locking overlapping sets (two rounds
    of the same meters) queue behind each other instead of deadlocking. Only the parents' own rows
    are locked (``of=("self",)``), not the rows a scope filter joins (departments, agencies).
    """
    if not transaction.get_connection(parents.db).in_atomic_block:
        raise transaction.TransactionManagementError("writes.lock() runs inside the write's transaction")
    return list(parents.select_for_update(of=("self",)).order_by("pk"))


@contextmanager
def serialised(parents: QuerySet) -> Iterator[list[Model]]:
    """A write's transaction, with its parent rows locked first (``lock``); yields them, re-read."""
    with transaction.atomic(using=parents.db):
        yield lock(parents)
