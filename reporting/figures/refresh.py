"""Writes on the fact table: recompute MonthlyFigure for some agencies, months and indicators.

A refresh locks its agencies' rows (``FOR NO KEY UPDATE``, in id order), so two refreshes of one
agency — or a refresh and a disclosure computation — run one after the other; a write's own
foreign-key check takes ``FOR KEY SHARE`` on the same row, which that lock does not block, so
writes never wait for a refresh. Under the lock it reads the stale records it covers, computes,
replaces the rows, rebuilds their yearly rollup (``rollup.py``) and deletes those stale records
in one transaction: a write that commits
meanwhile keeps its own record and is refreshed again.

Each indicator (or group sharing a ``compute_batch``) is computed in its own savepoint: one that
raises is logged and keeps its stale records, and the others are written all the same.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from django.db import DatabaseError, InterfaceError, OperationalError, transaction
from django.utils import timezone

from agencies.models import Agency

from ..models import MonthlyFigure, StaleFigure
from ..registry import (
    Indicator,
    derivation_depth,
    figures_shared,
    get_indicator,
    indicators,
    shared_key,
    summed_keys,
)
from .rollup import rollup_rebuild

logger = logging.getLogger(__name__)
RETRYABLE = (OperationalError, InterfaceError)  # the database went away: try the refresh again


class RefreshFailed(Exception):
    """Some indicators could not be computed; the others were written (their names and errors)."""

    def __init__(self, failures: dict[str, BaseException]):
        self.failures = failures
        super().__init__(", ".join(f"{key}: {error!r}" for key, error in failures.items()))


def _months(months: Iterable[date]) -> list[date]:
    return sorted({m.replace(day=1) for m in months})


def lock_agencies(agency_ids: Sequence[int]) -> None:
    """Serialise refreshes and disclosure computations per agency (inside a transaction)."""
    list(
        Agency.objects.filter(pk__in=list(agency_ids))
        .order_by("pk")
        .select_for_update(no_key=True)
        .values_list("pk", flat=True)
    )


def _selected(indicator_keys: Sequence[str] | None) -> list[Indicator]:
    if indicator_keys:
        return [get_indicator(k) for k in summed_keys(indicator_keys)]
    return [i for i in indicators() if not i.is_ratio]


def _compute(selected: list[Indicator], agency_ids: list[int], months: list[date]):
    """{key: figures} of the indicators that computed, and {key: error} of those that raised."""
    groups: dict = {}  # a shared compute_batch is called once for all its indicators
    # Sources before what is derived from them, which then reads their figures from the store.
    for indicator in sorted(selected, key=derivation_depth):
        groups.setdefault(indicator.compute_batch or indicator.key, []).append(indicator)
    computed, failed = {}, {}
    with figures_shared() as store:
        for batch, members in groups.items():
            keys = [i.key for i in members]
            try:
                with transaction.atomic():  # a savepoint: a failed query does not abort the others
                    if callable(batch):
                        result = batch(agency_ids, months, keys)
                        found = {k: list(result[k]) for k in keys}
                    else:
                        found = {batch: list(members[0].compute(agency_ids, months))}
            except Exception as error:  # an app's indicator must never fail another's refresh
                logger.exception("Refreshing %s for %d agencies failed", ", ".join(keys), len(agency_ids))
                failed.update(dict.fromkeys(keys, error))
                continue
            computed.update(found)
            store.update({shared_key(k, agency_ids, months): v for k, v in found.items()})
    return computed, failed


def figures_refresh(
    *,
    agency_ids: Iterable[int],
    months: Iterable[date],
    indicator_keys: Sequence[str] | None = None,
    strict: bool = False,
) -> int:
    """Recompute MonthlyFigure for these agencies, months and summed indicators (a ratio's parts;
    all of them when none are named), replacing what was there; clears the stale records covered.

    One ``compute`` call per indicator (or one ``compute_batch`` call per group of indicators
    that share it) covers every agency and month, so the query count does not grow with the
    number of agencies. Returns the number of rows written. Indicators that raise are left as
    they were, logged and kept stale; if one raised a database error (the connection went away),
    or any error with ``strict``, ``RefreshFailed`` is raised after the others are committed (so
    that the task retries, or the command says which failed).
    """
    agency_ids = sorted(set(agency_ids))
    months = _months(months)
    if not agency_ids or not months:
        return 0
    selected = _selected(indicator_keys)
    agency_set, month_set = set(agency_ids), set(months)
    with transaction.atomic():
        lock_agencies(agency_ids)
        keys = [i.key for i in selected]
        stale = list(
            StaleFigure.objects.filter(
                agency_id__in=agency_ids, month__in=months, indicator__in=keys
            ).values_list("pk", "indicator")
        )
        computed, failed = _compute(selected, agency_ids, months)
        rows = [
            MonthlyFigure(
                agency_id=figure.agency_id,
                department_id=figure.department_id,
                indicator=key,
                month=figure.month,
                value=figure.value,
            )
            for key, figures in computed.items()
            for figure in figures
            if figure.agency_id in agency_set and figure.month in month_set
        ]
        MonthlyFigure.objects.filter(
            indicator__in=list(computed), agency_id__in=agency_ids, month__in=months
        ).delete()
        MonthlyFigure.objects.bulk_create(rows, batch_size=5000)
        # The yearly rollup of what was just replaced, in the same transaction (rollup.py).
        rollup_rebuild(agency_ids=agency_ids, years={m.year for m in months}, indicator_keys=list(computed))
        cleared = [pk for pk, key in stale if key not in failed]
        if cleared:
            StaleFigure.objects.filter(pk__in=cleared).delete()
    if failed and (strict or any(isinstance(error, DatabaseError) for error in failed.values())):
        raise RefreshFailed(failed)
    return len(rows)


def stale_scope(*, agency_ids: Iterable[int] | None = None, years: Iterable[int] | None = None):
    """agency id → (months, indicator keys) of its stale records (one query)."""
    qs = StaleFigure.objects.all()
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=list(agency_ids))
    if years is not None:
        years = sorted(set(years))
        qs = qs.filter(month__year__in=years)
    scope: dict[int, tuple[set[date], set[str]]] = {}
    for agency_id, month, key in qs.values_list("agency_id", "month", "indicator").distinct():
        months, keys = scope.setdefault(agency_id, (set(), set()))
        months.add(month)
        keys.add(key)
    return scope


def figures_refresh_stale(
    *, agency_ids: Iterable[int] | None = None, years: Iterable[int] | None = None
) -> int:
    """Bring every stale record of these agencies (all agencies when None; only these years when
    given) up to date. Agencies with the same stale months and indicators share one refresh."""
    written = 0
    registered = {i.key for i in indicators() if not i.is_ratio}
    groups: dict[tuple, list[int]] = {}
    orphans: set[str] = set()
    for agency_id, (months, keys) in stale_scope(agency_ids=agency_ids, years=years).items():
        orphans |= keys - registered  # an indicator no longer registered: nothing to recompute
        keys &= registered
        if keys:
            groups.setdefault((tuple(sorted(months)), tuple(sorted(keys))), []).append(agency_id)
    if orphans:
        StaleFigure.objects.filter(indicator__in=orphans).delete()
    for (months, keys), ids in groups.items():
        written += figures_refresh(agency_ids=ids, months=months, indicator_keys=keys)
    return written


def figures_refresh_on_commit(*, agency_id: int) -> None:
    """Queue the refresh of the agency's stale records after the current transaction commits
    (in-process when eager). ``robust``: the write is committed by then; a refresh that fails
    (or a broker that is down) is logged, never raised into the write that asked for it — the
    stale record stays for the next refresh or the nightly reconcile."""

    def send_refresh() -> None:  # a function, not a partial: Django logs a robust failure by __qualname__
        _send_refresh(agency_id)

    transaction.on_commit(send_refresh, robust=True)


def _send_refresh(agency_id: int) -> None:
    """Send the refresh; a broker that is down leaves the stale records for the backlog task
    (every five minutes once it is back) and the request's user is told figures are delayed."""
    from celery import current_app

    from ..jobs import note_delayed
    from ..tasks import refresh_stale_figures

    if current_app.conf.task_always_eager:
        refresh_stale_figures.delay(agency_id)
        return
    try:
        refresh_stale_figures.delay(agency_id)
    except Exception:  # any failure to hand the message to the broker
        logger.warning("Refresh of agency %s not sent: the broker is down; it stays stale", agency_id)
        note_delayed()


BACKLOG_AFTER = timedelta(minutes=2)  # older stale records had their on-commit refresh lost


def figures_refresh_backlog() -> int:
    """Refresh the agencies with stale records older than ``BACKLOG_AFTER``."""
    cutoff = timezone.now() - BACKLOG_AFTER
    agency_ids = set(StaleFigure.objects.filter(marked_at__lt=cutoff).values_list("agency_id", flat=True))
    return figures_refresh_stale(agency_ids=sorted(agency_ids)) if agency_ids else 0
